use expect_test::{expect, Expect};

use crate::hir::{Noise, ShotScope};
use crate::ir::Task;
use crate::units::BOHR_IN_ANGSTROM;
use crate::{compile, Compilation, FileLoader, NoFiles};

/// Compiles `input` and compares its diagnostics, one per line as `line:col CODE message`, with
/// `expect`.
fn check(input: &str, expect: Expect) -> Compilation {
    let compilation = compile("test.qdf", input, &NoFiles);
    let file = compilation.sources.get(compilation.main);
    let lines: Vec<String> = compilation
        .diagnostics
        .iter()
        .map(|d| {
            let at = file.line_col(d.primary.span.start as usize);
            let help = d.help.as_deref().map(|h| format!(" (help: {h})")).unwrap_or_default();
            format!("{}:{} {} {}{help}", at.line, at.column, d.code.as_str(), d.message)
        })
        .collect();
    expect.assert_eq(&lines.join("\n"));
    compilation
}

fn clean(input: &str) -> Compilation {
    check(input, expect![""])
}

const H2_SCAN: &str = "
molecule h2 {
  geometry = xyz { H 0 0 0  H 0 0 {r} }
  scan r = linspace(0.5 angstrom, 1.0 angstrom, 6)
}
active_space cas { molecule = h2 }
ansatz ucc { kind = uccsd  space = cas }
";

#[test]
fn lengths_normalise_to_bohr() {
    let c = clean("molecule h2 { geometry = xyz { H 0 0 0  H 0 0 0.74 } }");
    let z = c.spec.molecules[0].points[0].atoms[1].position[2];
    assert!((z - 0.74 / BOHR_IN_ANGSTROM).abs() < 1e-15, "{z}");
    let c = clean("molecule h2 { geometry = xyz { H 0 0 0  H 0 0 1.4 }  units = bohr }");
    assert_eq!(c.spec.molecules[0].points[0].atoms[1].position[2], 1.4);
    let c = clean("molecule h2 { geometry = xyz { H 0 0 0  H 0 0 {74 pm} } }");
    assert!((c.spec.molecules[0].points[0].atoms[1].position[2] - 0.74 / BOHR_IN_ANGSTROM).abs() < 1e-14);
}

#[test]
fn zmatrix_water_has_the_written_bonds_and_angle() {
    let c = clean("molecule w { geometry = zmatrix {\n O\n H 1 0.96\n H 1 {0.96 angstrom} 2 {104.5 degree} } }");
    let atoms = &c.spec.molecules[0].points[0].atoms;
    let d = |a: usize, b: usize| {
        let (p, q) = (atoms[a].position, atoms[b].position);
        ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2)).sqrt()
    };
    let r = 0.96 / BOHR_IN_ANGSTROM;
    assert!((d(0, 1) - r).abs() < 1e-12 && (d(0, 2) - r).abs() < 1e-12);
    // Law of cosines for the H–H distance.
    let hh = (2.0 * r * r * (1.0 - 104.5_f64.to_radians().cos())).sqrt();
    assert!((d(1, 2) - hh).abs() < 1e-12);
    assert_eq!(c.spec.molecules[0].electrons, 10);
}

#[test]
fn scans_expand_as_grid_or_zip() {
    let grid = clean(
        "molecule w {\n geometry = xyz { O 0 0 0  H 0 0 {r}  H 0 {r * sin(a)} {r * cos(a)} }\n scan r = [0.9 angstrom, 1.0 angstrom]\n scan a = arange(100 degree, 110 degree, 5 degree)\n}",
    );
    let m = &grid.spec.molecules[0];
    assert_eq!(m.points.len(), 4);
    assert_eq!(m.scan[1].values.len(), 2, "arange excludes its stop");
    assert!((m.points[3].scan_values[1] - 105_f64.to_radians()).abs() < 1e-15);
    let zip = clean(
        "molecule w {\n geometry = xyz { O 0 0 0  H 0 0 {r}  H 0 {r * sin(a)} {r * cos(a)} }\n scan r = [0.9 angstrom, 1.0 angstrom]\n scan a = [100 degree, 105 degree]\n scan_mode = zip\n}",
    );
    assert_eq!(zip.spec.molecules[0].points.len(), 2);
}

#[test]
fn integer_ranges_are_inclusive_and_splice_into_lists() {
    let c = clean(
        "molecule w { geometry = xyz { O 0 0 0  H 0 0.757 0.587  H 0 -0.757 0.587 }  basis = \"6-31g\" }\nactive_space cas { molecule = w  electrons = 4  orbital_indices = [4, 5..7] }",
    );
    assert_eq!(c.spec.active_spaces[0].spaces[0].orbital_indices, vec![3, 4, 5, 6]);
}

#[test]
fn active_space_defaults_follow_the_fermi_level() {
    let c = clean(
        "molecule lih { geometry = xyz { Li 0 0 0  H 0 0 1.6 } }\nactive_space cas { molecule = lih  frozen_core = 1  electrons = 2  orbitals = 4 }",
    );
    let space = &c.spec.active_spaces[0].spaces[0];
    assert_eq!((space.frozen_orbitals, space.electrons, space.orbitals), (1, 2, 4));
    assert_eq!(space.orbital_indices, vec![1, 2, 3, 4]);
    assert_eq!(c.spec.molecules[0].basis_functions, 6);
}

#[test]
fn active_space_errors_say_what_the_molecule_provides() {
    check(
        "molecule lih { geometry = xyz { Li 0 0 0  H 0 0 1.6 } }\nactive_space cas { molecule = lih  frozen_core = 1  orbitals = 6 }",
        expect!["2:64 QDF5002 6 active orbitals, but sto-3g gives molecule `lih` 5 orbitals after freezing 1 core orbital (help: use at most 5 active orbitals, or a larger basis set)"],
    );
}

#[test]
fn device_overrides_keep_the_base_figures() {
    let spec = format!(
        "import std.targets.ionq\n{H2_SCAN}\ngenerate g {{ ansatz = ucc  device = ionq.aria {{ fidelity_2q = 0.99 }}  noise = device  shots = 2e6 per_point }}"
    );
    let c = clean(&spec);
    let g = &c.spec.generates[0];
    let device = g.device.as_ref().expect("device");
    assert_eq!((device.qubits, device.fidelity_2q, device.fidelity_1q), (25, 0.99, 0.9995));
    assert_eq!(device.time_2q, Some(600e-6));
    let Noise::Model(noise) = &g.noise else { panic!("device noise expected") };
    // Pauli-error probabilities whose channels have the device's average gate fidelities:
    // F = 1 − p·d/(d + 1).
    assert!((noise.depolarizing_1q - 1.5 * (1.0 - 0.9995)).abs() < 1e-15);
    assert!((noise.depolarizing_2q - 1.25 * 0.01).abs() < 1e-15);
    assert!((1.0 - noise.depolarizing_2q * 4.0 / 5.0 - 0.99).abs() < 1e-15);
    let shots = g.shots.as_ref().expect("shots");
    assert_eq!((shots.count, shots.scope), (2_000_000, ShotScope::PerPoint));
}

#[test]
fn stdlib_devices_inherit_through_base() {
    let spec = format!(
        "import std.targets.ionq as iq\n{H2_SCAN}\ngenerate g {{ ansatz = ucc  device = iq.forte_enterprise }}"
    );
    let c = clean(&spec);
    let device = c.spec.generates[0].device.as_ref().expect("device");
    assert_eq!(device.qubits, 36);
    assert_eq!(device.backend.as_deref(), Some("qpu.forte-enterprise-1"));
    assert_eq!(device.native_gates, ["gpi", "gpi2", "zz"]);
}

#[test]
fn units_are_dimension_checked() {
    check(
        "molecule h2 { geometry = xyz { H 0 0 0  H 0 0 {r + 1 hartree} }  scan r = [1 angstrom] }",
        expect!["1:52 QDF3002 expected length, found energy"],
    );
    check(
        "molecule h2 { geometry = xyz { H 0 0 0  H 0 0 {r} }  scan r = [1 angstrm] }",
        expect!["1:66 QDF3001 unknown unit `angstrm` (help: did you mean `angstrom`?)"],
    );
}

#[test]
fn splits_are_checked_against_the_scan() {
    let spec = format!("{H2_SCAN}\ngenerate g {{ ansatz = ucc }}\nmodel m {{}}\ntrain t {{ data = g  model = m  split = extrapolate(r > 0.8 angstrom) }}");
    let c = clean(&spec);
    assert!(
        matches!(&c.spec.trains[0].split, crate::hir::Split::Condition { value, .. } if (*value - 0.8 / BOHR_IN_ANGSTROM).abs() < 1e-15)
    );
    let spec = format!("{H2_SCAN}\ngenerate g {{ ansatz = ucc }}\nmodel m {{}}\ntrain t {{ data = g  model = m  split = extrapolate(r > 0.8) }}");
    check(&spec, expect!["11:56 QDF3002 `r` is a length, but the threshold is a plain number (help: give the threshold its unit, e.g. `0.8 angstrom`)"]);
}

#[test]
fn ir_hashes_ignore_layout_comments_and_names() {
    let spec = format!("{H2_SCAN}\ngenerate g {{ ansatz = ucc }}");
    let base = clean(&spec).ir.expect("ir");
    let relaid = spec.replace('\n', "\n\n  # a comment\n").replace("  ", " ");
    let relaid = clean(&relaid).ir.expect("ir");
    assert_eq!(base.hash, relaid.hash);
    let renamed = clean(&spec.replace("h2", "hydrogen")).ir.expect("ir");
    assert_eq!(base.hash, renamed.hash, "names are labels, not meaning");
    // Moving the last scan point changes only the nodes downstream of it.
    let listed = spec.replace("linspace(0.5 angstrom, 1.0 angstrom, 6)", "[0.5 angstrom, 0.6 angstrom, 0.7 angstrom]");
    let before = clean(&listed).ir.expect("ir");
    let moved = clean(&listed.replace("0.7 angstrom", "0.75 angstrom")).ir.expect("ir");
    assert_ne!(before.hash, moved.hash);
    let changed: Vec<&str> = before
        .nodes
        .iter()
        .filter(|n| !moved.nodes.iter().any(|m| m.hash == n.hash))
        .map(|n| n.task.kind_name())
        .collect();
    let downstream = [
        "geometry",
        "scf",
        "active_space",
        "reference",
        "reference",
        "qubit_hamiltonian",
        "circuit",
        "vqe",
        "dataset",
        "report",
    ];
    assert_eq!(changed, downstream);
}

#[test]
fn vqe_nodes_warm_start_from_the_previous_point() {
    let spec = format!("{H2_SCAN}\ngenerate g {{ ansatz = ucc  references = [hf, mp2, fci] }}");
    let ir = clean(&spec).ir.expect("ir");
    crate::ir::validate(&ir).expect("valid IR");
    let vqes: Vec<&crate::ir::Node> = ir.nodes.iter().filter(|n| matches!(n.task, Task::Vqe { .. })).collect();
    assert_eq!(vqes.len(), 6);
    assert_eq!(vqes[0].inputs.len(), 2);
    for pair in vqes.windows(2) {
        assert_eq!(pair[1].inputs.last(), Some(&pair[0].id));
    }
    let references = ir.nodes.iter().filter(|n| matches!(n.task, Task::Reference { .. })).count();
    assert_eq!(references, 18);
    let cold = clean(&format!("{H2_SCAN}\ngenerate g {{ ansatz = ucc  warm_start = off }}")).ir.expect("ir");
    assert!(cold.nodes.iter().filter(|n| matches!(n.task, Task::Vqe { .. })).all(|n| n.inputs.len() == 2));
}

#[test]
fn molecule_sets_resolve_one_space_per_member() {
    let c = clean(
        "molecule lih { geometry = xyz { Li 0 0 0  H 0 0 1.6 } }\nmolecule beh2 { geometry = xyz { Be 0 0 0  H 0 0 1.33  H 0 0 -1.33 } }\nmolecule_set s { members = [lih, beh2] }\nactive_space cas { molecule = s  electrons = 2  orbitals = 2 }",
    );
    let spaces = &c.spec.active_spaces[0].spaces;
    assert_eq!(spaces.iter().map(|s| s.orbital_indices.clone()).collect::<Vec<_>>(), vec![vec![1, 2], vec![2, 3]]);
}

#[test]
fn geometry_files_come_through_the_loader() {
    struct One;
    impl FileLoader for One {
        fn load(&self, path: &str) -> Result<String, String> {
            match path {
                "h2.xyz" => Ok("2\nhydrogen\nH 0 0 0\nH 0 0 0.74\n".into()),
                _ => Err("No such file or directory".into()),
            }
        }
    }
    let c = compile("t.qdf", "molecule h2 { geometry = file(\"h2.xyz\") }", &One);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    assert!((c.spec.molecules[0].points[0].atoms[1].position[2] - 0.74 / BOHR_IN_ANGSTROM).abs() < 1e-15);
    let c = compile("t.qdf", "molecule h2 { geometry = file(\"missing.xyz\") }", &One);
    assert_eq!(c.diagnostics[0].message, "cannot read \"missing.xyz\": No such file or directory");
}

#[test]
fn keywords_as_values_and_reserved_names() {
    check(
        "molecule h2 { geometry = xyz { H 0 0 0  H 0 0 0.74 } }\nactive_space cas { molecule = h2 }\nansatz ucc { kind = uccsd  space = cas }\ngenerate g { ansatz = ucc  noise = device }",
        expect!["4:36 QDF6002 `noise = device` needs a `device` to take the noise figures from (help: add `device = ionq.aria` (after `import std.targets.ionq`), or use a `noise` declaration)"],
    );
}

#[test]
fn stdlib_devices_resolve_by_name_with_overrides() {
    let forte = crate::stdlib_device("ionq.forte").expect("a stdlib device");
    assert_eq!(forte.native_gates, ["gpi", "gpi2", "zz"]);
    let aria = crate::stdlib_device("ionq.aria { fidelity_2q = 0.99 }").expect("an override");
    assert_eq!(aria.fidelity_2q, 0.99);
    let unknown = crate::stdlib_device("ionq.nothing").expect_err("no such device");
    assert!(unknown.contains("ionq.nothing"), "{unknown}");
    assert!(crate::stdlib_device("acme.qpu").is_err());
}

#[test]
fn mitigation_needs_device_noise_and_odd_distinct_scales() {
    let generate =
        |fields: &str| format!("import std.targets.ionq\n{H2_SCAN}\ngenerate g {{ ansatz = ucc  {fields} }}");
    let c = clean(&generate("device = ionq.aria  noise = device  shots = 1e4  mitigation = [readout, zne]"));
    let g = &c.spec.generates[0];
    assert_eq!((g.mitigation.readout, g.mitigation.zne_scales.clone()), (true, vec![1, 3, 5]));
    let c = clean(&generate(
        "device = ionq.aria  noise = device  mitigation = zne  zne_scales = [5, 1]  trajectories = 40",
    ));
    assert_eq!(
        (c.spec.generates[0].mitigation.zne_scales.clone(), c.spec.generates[0].trajectories),
        (vec![1, 5], Some(40))
    );
    check(
        &generate("noise = shots  shots = 1e4  mitigation = [readout]"),
        expect!["10:69 QDF6014 nothing to mitigate: this generate simulates no device noise (help: add `noise = device` (the device's figures) or a `noise` declaration)"],
    );
    check(
        &format!("noise quiet {{ depolarizing_2q = 0.01 }}\n{}", generate("noise = quiet  mitigation = [readout]")),
        expect!["11:56 QDF6014 `readout` mitigation, but the noise model has no readout error to undo (help: remove `readout` from `mitigation`, or give the model a `readout_error`)"],
    );
    check(
        &generate("device = ionq.aria  noise = device  mitigation = [zne]  zne_scales = [1, 3, 3]"),
        expect!["10:97 QDF6015 a noise scale is listed twice (help: use distinct odd scales, e.g. `zne_scales = [1, 3, 5]`)"],
    );
    check(
        &generate("device = ionq.aria  noise = device  mitigation = [zne]  zne_scales = [3]"),
        expect!["10:97 QDF6015 zero-noise extrapolation needs at least two noise scales (help: use distinct odd scales, e.g. `zne_scales = [1, 3, 5]`)"],
    );
    check(
        &generate("device = ionq.aria  noise = device  zne_scales = [1, 3]"),
        expect!["10:77 QDF6015 `zne_scales` without `zne` in `mitigation` changes nothing (help: add `mitigation = [zne]`, or remove `zne_scales`)"],
    );
}

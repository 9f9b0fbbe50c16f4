//! qdf's integrals, SCF (RHF, ROHF, UHF), MP2 (RHF, UMP2, the MP2 density) and dipole moments
//! against PySCF.
//!
//! The golden data `golden/scf/pyscf_scf.json` comes from `golden/scf/make_golden.py` (PySCF with
//! the shipped basis files, geometries in bohr copied into the JSON); no Python runs here.
//! Tolerances: integrals 1e-10, total and MP2 energies 1e-8 Eh (observed errors are near 1e-12),
//! orbital energies, H2O MO coefficients, ⟨S²⟩, MP2 densities and dipoles 1e-6 (first-order in
//! the convergence threshold).
//!
//! `cargo test -p qdf-runtime --release --test scf_golden -- --ignored --nocapture` prints timings.

use std::time::Instant;

use ndarray::{Array2, Array4};
use qdf_runtime::chem::basis::AoBasis;
use qdf_runtime::chem::integrals::{dipole, electron_repulsion, one_electron, AoIntegrals};
use qdf_runtime::chem::scf::{atomic_guess, run_scf, run_scf_with, ScfMethod, ScfOptions};
use qdf_runtime::chem::{dipole_moment, mp2, mp2_rdm1, mulliken, natural_orbitals, ump2, Atom, Mp2Error};
use serde_json::Value;

const GOLDEN: &str = include_str!("golden/scf/pyscf_scf.json");

const INTEGRAL_TOLERANCE: f64 = 1e-10;
const ENERGY_TOLERANCE: f64 = 1e-8;
const ORBITAL_TOLERANCE: f64 = 1e-6;

fn section(name: &str) -> Vec<Value> {
    let golden: Value = serde_json::from_str(GOLDEN).expect("golden JSON parses");
    golden[name].as_array().expect("a section of the golden file").clone()
}

fn cases() -> Vec<Value> {
    section("cases")
}

/// The molecule of a golden case with its integrals.
fn setup(case: &Value) -> (AoBasis, AoIntegrals, i32, u32) {
    let (basis, ints) =
        AoIntegrals::for_molecule(&atoms(case), case["basis"].as_str().expect("basis")).expect("builds");
    let charge = case["charge"].as_i64().expect("charge") as i32;
    let multiplicity = case["multiplicity"].as_u64().expect("multiplicity") as u32;
    (basis, ints, charge, multiplicity)
}

fn label(case: &Value) -> String {
    format!("{}/{}", case["molecule"].as_str().unwrap_or("?"), case["basis"].as_str().unwrap_or("?"))
}

fn atoms(case: &Value) -> Vec<Atom> {
    case["atoms"]
        .as_array()
        .expect("atoms")
        .iter()
        .map(|a| {
            let p: Vec<f64> =
                a["position"].as_array().expect("position").iter().map(|x| x.as_f64().expect("f64")).collect();
            Atom { z: a["z"].as_u64().expect("z") as u8, position: [p[0], p[1], p[2]] }
        })
        .collect()
}

fn f64_of(value: &Value) -> f64 {
    value.as_f64().expect("a number")
}

fn vector(value: &Value) -> Vec<f64> {
    value.as_array().expect("array").iter().map(f64_of).collect()
}

fn matrix(value: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = value.as_array().expect("rows").iter().map(vector).collect();
    Array2::from_shape_fn((rows.len(), rows[0].len()), |(i, j)| rows[i][j])
}

fn tensor4(value: &Value) -> Array4<f64> {
    let n = value.as_array().expect("array").len();
    let mut out = Array4::zeros((n, n, n, n));
    for (i, a) in value.as_array().expect("array").iter().enumerate() {
        for (j, b) in a.as_array().expect("array").iter().enumerate() {
            for (k, c) in b.as_array().expect("array").iter().enumerate() {
                for (l, d) in c.as_array().expect("array").iter().enumerate() {
                    out[[i, j, k, l]] = f64_of(d);
                }
            }
        }
    }
    out
}

fn max_abs_diff<'a>(a: impl IntoIterator<Item = &'a f64>, b: impl IntoIterator<Item = &'a f64>) -> f64 {
    a.into_iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max)
}

fn scf_options() -> ScfOptions {
    ScfOptions::default()
}

#[test]
fn integrals_match_pyscf() {
    let mut checked = 0;
    for case in cases() {
        let Some(golden) = case.get("integrals") else { continue };
        let basis = AoBasis::new(&atoms(&case), case["basis"].as_str().expect("basis")).expect("basis builds");
        assert_eq!(basis.nao as u64, case["nao"].as_u64().expect("nao"), "{}", label(&case));
        let ints = one_electron(&basis);
        for (name, ours) in [("overlap", &ints.overlap), ("kinetic", &ints.kinetic), ("nuclear", &ints.nuclear)] {
            let theirs = matrix(&golden[name]);
            assert_eq!(ours.dim(), theirs.dim());
            let err = max_abs_diff(ours, &theirs);
            println!("{:>20} {name:8} max |Δ| = {err:.2e}", label(&case));
            assert!(err < INTEGRAL_TOLERANCE, "{} {name}: max |Δ| = {err:e}", label(&case));
        }
        if let Some(eri_golden) = golden.get("eri") {
            let theirs = tensor4(eri_golden);
            let ours = electron_repulsion(&basis);
            assert_eq!(ours.dim(), theirs.dim());
            let err = max_abs_diff(&ours, &theirs);
            println!("{:>20} eri      max |Δ| = {err:.2e}", label(&case));
            assert!(err < INTEGRAL_TOLERANCE, "{} eri: max |Δ| = {err:e}", label(&case));
        }
        checked += 1;
    }
    assert_eq!(checked, 3, "integral cases in the golden file");
}

#[test]
fn scf_and_mp2_energies_match_pyscf() {
    let (mut worst_energy, mut worst_mp2, mut worst_orbital, mut worst_coeff, mut worst_nuc) =
        (0.0, 0.0, 0.0, 0.0, 0.0);
    let mut mp2_checked = 0;
    let all = cases();
    let extra = section("extra_cases");
    for case in all.iter().chain(&extra) {
        let name = label(case);
        let atoms = atoms(case);
        let (basis, ints) = AoIntegrals::for_molecule(&atoms, case["basis"].as_str().expect("basis")).expect("builds");
        let err = (ints.nuclear_repulsion - f64_of(&case["nuclear_repulsion"])).abs();
        worst_nuc = f64::max(worst_nuc, err);
        assert!(err < 1e-12, "{name}: nuclear repulsion off by {err:e}");

        let charge = case["charge"].as_i64().expect("charge") as i32;
        let multiplicity = case["multiplicity"].as_u64().expect("multiplicity") as u32;
        let scf = run_scf(&basis, &ints, charge, multiplicity, &scf_options())
            .unwrap_or_else(|e| panic!("{name}: SCF failed: {e}"));
        assert!(scf.converged);
        assert_eq!(scf.method, if multiplicity == 1 { ScfMethod::Rhf } else { ScfMethod::Rohf });
        let err = (scf.energy - f64_of(&case["energy"])).abs();
        println!("{name:>20} E = {:.12}  |Δ| = {err:.2e}  ({} iterations)", scf.energy, scf.iterations);
        worst_energy = f64::max(worst_energy, err);
        assert!(err < ENERGY_TOLERANCE, "{name}: SCF energy {} vs {}, |Δ| = {err:e}", scf.energy, case["energy"]);

        let err = max_abs_diff(&scf.mo_energy, &vector(&case["mo_energy"]));
        worst_orbital = f64::max(worst_orbital, err);
        assert!(err < ORBITAL_TOLERANCE, "{name}: orbital energies off by {err:e}");

        if let Some(coeff) = case.get("mo_coeff") {
            let err = max_abs_diff(&scf.mo_coeff, &matrix(coeff));
            worst_coeff = f64::max(worst_coeff, err);
            assert!(err < ORBITAL_TOLERANCE, "{name}: MO coefficients off by {err:e}");
        }

        if multiplicity > 1 {
            assert_eq!(mp2(&ints, &scf, 0), Err(Mp2Error::NotRhf), "{name}");
        }
        if let Some(golden) = case.get("mp2").and_then(Value::as_object) {
            for (frozen, expected) in golden {
                let frozen: usize = frozen.parse().expect("frozen count");
                let result = mp2(&ints, &scf, frozen).expect("RHF reference");
                let err = (result.correlation_energy - f64_of(expected)).abs();
                println!("{name:>20} MP2(frozen {frozen}) = {:.12}  |Δ| = {err:.2e}", result.correlation_energy);
                worst_mp2 = f64::max(worst_mp2, err);
                assert!(err < ENERGY_TOLERANCE, "{name}: MP2 (frozen {frozen}) off by {err:e}");
                mp2_checked += 1;
            }
        }
    }
    println!(
        "max |Δ|: E_nuc {worst_nuc:.1e}, E_SCF {worst_energy:.1e}, E_MP2 {worst_mp2:.1e}, ε {worst_orbital:.1e}, \
         C(H2O) {worst_coeff:.1e}"
    );
    assert_eq!(all.len(), 20);
    assert_eq!(extra.len(), 4);
    assert_eq!(mp2_checked, 6 + 12 + 8 + 6);
}

#[test]
fn uhf_and_ump2_match_pyscf() {
    let (mut worst_energy, mut worst_s2, mut worst_orbital, mut worst_mp2) = (0.0, 0.0, 0.0, 0.0);
    let all = section("uhf");
    let mut ump2_checked = 0;
    for case in &all {
        let name = label(case);
        let (basis, ints, charge, multiplicity) = setup(case);
        let scf = run_scf_with(&basis, &ints, charge, multiplicity, ScfMethod::Uhf, &scf_options())
            .unwrap_or_else(|e| panic!("{name}: UHF failed: {e}"));
        assert_eq!(scf.method, ScfMethod::Uhf);
        let err = (scf.energy - f64_of(&case["energy"])).abs();
        println!(
            "{name:>22} E(UHF) = {:.12}  |Δ| = {err:.2e}  <S²> = {:.8}  ({} iterations)",
            scf.energy, scf.spin_square, scf.iterations
        );
        worst_energy = f64::max(worst_energy, err);
        assert!(err < ENERGY_TOLERANCE, "{name}: UHF energy {} vs {}, |Δ| = {err:e}", scf.energy, case["energy"]);

        let err = (scf.spin_square - f64_of(&case["spin_square"])).abs();
        worst_s2 = f64::max(worst_s2, err);
        assert!(err < ORBITAL_TOLERANCE, "{name}: <S²> {} vs {}", scf.spin_square, case["spin_square"]);

        let beta = scf.beta.as_ref().expect("UHF has β orbitals");
        for (ours, key) in [(&scf.mo_energy, "mo_energy_alpha"), (&beta.mo_energy, "mo_energy_beta")] {
            let err = max_abs_diff(ours, &vector(&case[key]));
            worst_orbital = f64::max(worst_orbital, err);
            assert!(err < ORBITAL_TOLERANCE, "{name}: {key} off by {err:e}");
        }

        assert_eq!(mp2(&ints, &scf, 0), Err(Mp2Error::NotRhf), "{name}");
        for (frozen, expected) in case["ump2"].as_object().expect("ump2") {
            let frozen: usize = frozen.parse().expect("frozen count");
            let result = ump2(&ints, &scf, frozen).expect("UHF reference");
            let err = (result.correlation_energy - f64_of(expected)).abs();
            println!("{name:>22} UMP2(frozen {frozen}) = {:.12}  |Δ| = {err:.2e}", result.correlation_energy);
            worst_mp2 = f64::max(worst_mp2, err);
            assert!(err < ENERGY_TOLERANCE, "{name}: UMP2 (frozen {frozen}) off by {err:e}");
            ump2_checked += 1;
        }
    }
    println!("max |Δ|: E_UHF {worst_energy:.1e}, <S²> {worst_s2:.1e}, ε {worst_orbital:.1e}, E_UMP2 {worst_mp2:.1e}");
    assert_eq!(all.len(), 12);
    assert_eq!(ump2_checked, 24);
}

#[test]
fn mp2_density_and_natural_orbitals_match_pyscf() {
    let all = section("mp2_rdm1");
    for case in &all {
        let name = label(case);
        let (basis, ints, charge, multiplicity) = setup(case);
        let scf = run_scf(&basis, &ints, charge, multiplicity, &scf_options()).expect("converges");
        let frozen = case["frozen"].as_u64().expect("frozen") as usize;
        let rdm1 = mp2_rdm1(&ints, &scf, frozen).expect("RHF reference");
        let err = max_abs_diff(&rdm1, &matrix(&case["rdm1"]));
        println!("{name:>20} MP2 rdm1 (frozen {frozen}) max |Δ| = {err:.2e}");
        assert!(err < ORBITAL_TOLERANCE, "{name}: MP2 rdm1 (frozen {frozen}) off by {err:e}");

        let (occupations, orbitals) = natural_orbitals(&rdm1, &scf.mo_coeff).expect("diagonalises");
        let err = max_abs_diff(&occupations, &vector(&case["natural_occupations"]));
        assert!(err < ORBITAL_TOLERANCE, "{name}: natural occupations off by {err:e}");
        // Natural orbitals are orthonormal and carry the density: C n Cᵀ = C_MO γ C_MOᵀ.
        let identity = orbitals.t().dot(&ints.overlap).dot(&orbitals);
        assert!(max_abs_diff(&identity, &Array2::eye(basis.nao)) < 1e-10, "{name}");
        let from_no = (&orbitals * &occupations).dot(&orbitals.t());
        let from_mo = scf.mo_coeff.dot(&rdm1).dot(&scf.mo_coeff.t());
        assert!(max_abs_diff(&from_no, &from_mo) < 1e-10, "{name}");
    }
    assert_eq!(all.len(), 2);
}

#[test]
fn dipole_moments_and_mulliken_charges_match_pyscf() {
    let all = section("dipoles");
    for case in &all {
        let name = format!("{} {}", label(case), case["method"].as_str().expect("method"));
        let (basis, ints, charge, multiplicity) = setup(case);
        let method = match case["method"].as_str() {
            Some("rhf") => ScfMethod::Rhf,
            Some("rohf") => ScfMethod::Rohf,
            Some("uhf") => ScfMethod::Uhf,
            other => panic!("{name}: unknown method {other:?}"),
        };
        let scf = run_scf_with(&basis, &ints, charge, multiplicity, method, &scf_options()).expect("converges");
        assert!((scf.energy - f64_of(&case["energy"])).abs() < ENERGY_TOLERANCE, "{name}");
        let ours = dipole_moment(&basis.atoms, &scf.density, &dipole(&basis, [0.0; 3]), [0.0; 3]);
        let err = max_abs_diff(&ours, &vector(&case["dipole"]));
        println!("{name:>24} dipole {ours:.8?} au  max |Δ| = {err:.2e}");
        assert!(err < ORBITAL_TOLERANCE, "{name}: dipole {ours:?} vs {}", case["dipole"]);
        let charges = mulliken(&basis, &scf.density, &ints.overlap).atomic_charges;
        let err = max_abs_diff(&charges, &vector(&case["mulliken_charges"]));
        assert!(err < ORBITAL_TOLERANCE, "{name}: Mulliken charges {charges} vs {}", case["mulliken_charges"]);
    }
    assert_eq!(all.len(), 6);
}

/// Release-mode timings for the report: `--release -- --ignored --nocapture`. Each figure is
/// the fastest of 30 runs, which is robust to a busy machine.
#[test]
#[ignore]
fn timings() {
    fn fastest<T>(mut f: impl FnMut() -> T) -> std::time::Duration {
        (0..30)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(f());
                start.elapsed()
            })
            .min()
            .unwrap_or_default()
    }
    let water = [
        Atom { z: 8, position: [0.0, 0.0, 0.0] },
        Atom { z: 1, position: [0.0, 1.430523, 1.107270] },
        Atom { z: 1, position: [0.0, -1.430523, 1.107270] },
    ];
    let lih = [Atom { z: 3, position: [0.0; 3] }, Atom { z: 1, position: [0.0, 0.0, 3.015] }];
    for (name, atoms, basis) in
        [("H2O/6-31G", &water[..], "6-31g"), ("H2O/cc-pVDZ", &water[..], "cc-pvdz"), ("LiH/STO-3G", &lih[..], "sto-3g")]
    {
        let basis = AoBasis::new(atoms, basis).expect("builds");
        let one = fastest(|| one_electron(&basis));
        let two = fastest(|| electron_repulsion(&basis));
        let ints = AoIntegrals::new(&basis);
        let guess = fastest(|| atomic_guess(&basis).expect("atoms converge"));
        let scf = fastest(|| run_scf(&basis, &ints, 0, 1, &scf_options()).expect("converges"));
        let result = run_scf(&basis, &ints, 0, 1, &scf_options()).expect("converges");
        let mp2_time = fastest(|| mp2(&ints, &result, 0).expect("RHF"));
        println!(
            "{name}: nao {}, one-electron {one:?}, ERI {two:?}, RHF {scf:?} ({} iterations; standalone SAD \
             guess {guess:?}), MP2 {mp2_time:?}",
            basis.nao, result.iterations
        );
    }
    // Open shells: UHF and UMP2 of triplet O2/cc-pVDZ.
    let o2 = [Atom { z: 8, position: [0.0; 3] }, Atom { z: 8, position: [0.0, 0.0, 2.2819] }];
    let basis = AoBasis::new(&o2, "cc-pvdz").expect("builds");
    let ints = AoIntegrals::new(&basis);
    let uhf = |_: ()| run_scf_with(&basis, &ints, 0, 3, ScfMethod::Uhf, &scf_options()).expect("converges");
    let scf_time = fastest(|| uhf(()));
    let result = uhf(());
    let ump2_time = fastest(|| ump2(&ints, &result, 2).expect("UHF"));
    println!(
        "O2/cc-pVDZ triplet: nao {}, UHF {scf_time:?} ({} iterations), UMP2 {ump2_time:?}",
        basis.nao, result.iterations
    );
    // Larger molecules, once each: benzene/6-31G (66 AOs) and 6-31G* (96 AOs), ERIs on all cores.
    let benzene: Vec<Atom> = (0..12)
        .map(|k| {
            let (z, radius) = if k < 6 { (6, 2.6267) } else { (1, 4.6676) };
            let angle = std::f64::consts::PI / 3.0 * (k % 6) as f64;
            Atom { z, position: [radius * angle.cos(), radius * angle.sin(), 0.0] }
        })
        .collect();
    for name in ["6-31g", "6-31g*"] {
        let basis = AoBasis::new(&benzene, name).expect("builds");
        let start = Instant::now();
        let ints = AoIntegrals::new(&basis);
        let integrals = start.elapsed();
        let start = Instant::now();
        let result = run_scf(&basis, &ints, 0, 1, &scf_options()).expect("converges");
        println!(
            "C6H6/{name}: nao {}, integrals {integrals:?}, RHF {:?} ({} iterations), E = {:.10}",
            basis.nao,
            start.elapsed(),
            result.iterations,
            result.energy
        );
    }
}

use expect_test::{expect, Expect};

use crate::test_support::{analysis, cursor, spec_at, SPEC};

fn check(input: &str, expect: Expect) {
    let (text, offset) = cursor(input);
    let shown = match analysis(&text).hover(offset) {
        None => "no hover".to_string(),
        Some(hover) => format!("[{}]\n{}", &text[hover.range], hover.markdown),
    };
    expect.assert_eq(&shown);
}

#[test]
fn the_spec_is_clean() {
    let analysis = analysis(SPEC);
    assert_eq!(analysis.diagnostics(), Vec::new());
}

#[test]
fn declaration_keyword_shows_its_schema() {
    check(
        &spec_at("mapping tapered", 0, 2),
        expect![[r#"
        [mapping]
        mapping declaration

        How fermionic operators become qubit operators.

        Fields: `kind` (required), `two_qubit_reduction`, `tapering`"#]],
    );
}

#[test]
fn field_name_shows_docs_and_resolved_quantity() {
    check(
        &spec_at("precision", 0, 3),
        expect![[r#"
        [precision]
        generate `data` — field `precision`: a quantity of energy, e.g. `1 millihartree`

        Target standard error of each energy evaluation; with `shots`, `qdf plan` (and `qdf check` for small systems) verifies the shots reach it, and without `shots` it decides the shots.

        Value: 1.6 millihartree = 0.0016 hartree (energy)"#]],
    );
}

#[test]
fn quantity_shows_its_value_in_atomic_units() {
    check(
        &spec_at("0.5 angstrom", 0, 1),
        expect![[r#"
        [0.5]
        0.5 angstrom = 0.9448630623 bohr (length)"#]],
    );
    check(
        &spec_at("millihartree", 0, 4),
        expect![[r#"
        [millihartree]
        1.6 millihartree = 0.0016 hartree (energy)"#]],
    );
}

#[test]
fn molecule_reference_shows_what_the_checker_resolved() {
    check(
        &spec_at("h2\n  electrons", 0, 1),
        expect![[r#"
        [h2]
        molecule `h2`

        A molecule: geometry (possibly scanned), basis set, charge and multiplicity.

        - electrons: 2, charge 0, multiplicity 1, scf `rhf`
        - basis: `sto-3g`, 2 basis functions
        - atoms: 2, geometry points: 5
        - scan `r`: 5 values of length: 0.9448630623, 1.889726125, 2.834589187, 3.779452249, 4.724315311 bohr"#]],
    );
}

#[test]
fn ansatz_shows_its_qubit_count() {
    check(
        &spec_at("ucc\n", 0, 0),
        expect![[r#"
        [ucc]
        ansatz `ucc`

        The parametrised circuit that prepares trial states.

        - kind: `uccsd`, space: `cas`, mapping: `parity`
        - `h2`: (2e, 2o), frozen core 0 orbitals, 2 qubits"#]],
    );
}

#[test]
fn stdlib_device_shows_its_declaration() {
    check(
        &spec_at("aria", 0, 2),
        expect![[r#"
            [aria]
            device `ionq.aria`

            A quantum device: qubits, native gates, fidelities, timings and prices.

            ```qdf
            device aria {
              backend = "qpu.aria-1"
              qubits = 25  # [azure]
              native_gates = [gpi, gpi2, ms]
              connectivity = all_to_all  # [azure]: any pair of qubits
              fidelity_1q = 0.9995  # [azure]
              fidelity_2q = 0.996  # [azure]
              fidelity_spam = 0.9961  # [azure]
              time_1q = 135 microsecond  # [azure]
              time_2q = 600 microsecond  # [azure]
              t2 = 1 second  # [azure]
              price_1q = 0.000220 usd  # [price]
              price_2q = 0.000975 usd  # [price]
              price_minimum = 97.50 usd  # [price], with error mitigation (the default on Aria)
            }
            ```"#]],
    );
    check(
        &spec_at("ionq.aria", 0, 1),
        expect![[r#"
        [ionq]
        module `std.targets.ionq` (standard library)

        Declarations: device `aria`, device `forte`, device `forte_enterprise`"#]],
    );
}

#[test]
fn geometry_words_elements_coordinates_and_scan_variables() {
    check(
        &spec_at("H 0 0 {r}", 0, 0),
        expect![[r#"
        [H]
        Hydrogen (H), Z = 1, standard atomic weight 1.008, 0 core orbitals"#]],
    );
    check(
        &spec_at("{r}", 0, 1),
        expect![[r#"
        [r]
        scan variable `r` of molecule `h2`

        5 values of length: 0.9448630623, 1.889726125, 2.834589187, 3.779452249, 4.724315311 bohr"#]],
    );
    check(
        &spec_at("scan r", 0, 5),
        expect![[r#"
        [r]
        scan variable `r` of molecule `h2`

        5 values of length: 0.9448630623, 1.889726125, 2.834589187, 3.779452249, 4.724315311 bohr"#]],
    );
    check(
        &spec_at("xyz", 0, 1),
        expect![[r#"
        [xyz]
        `xyz { H 0 0 0  H 0 0 0.74 }`: one atom per line, an element symbol and three Cartesian coordinates in the molecule's `units`."#]],
    );
}

#[test]
fn coordinates_follow_the_molecule_units() {
    check(
        "molecule m {\n  units = bohr\n  geometry = xyz { He 0 0 1.$05 }\n}\n",
        expect![[r#"
        [1.5]
        a Cartesian coordinate: 1.5 bohr"#]],
    );
}

#[test]
fn functions_words_and_keywords() {
    check(
        &spec_at("linspace", 0, 3),
        expect![[r#"
        [linspace]
        `linspace(start, stop, count)`

        `count` evenly spaced values from `start` to `stop`, both included; `start` and `stop` have the same dimension."#]],
    );
    check(
        &spec_at("uccsd", 0, 2),
        expect![[r#"
        [uccsd]
        `uccsd`, a value of field `kind`: one of `hf`, `uccsd`, `kupccgsd`, `hardware_efficient`, `adapt`, `particle_conserving`

        The ansatz family.

        Required."#]],
    );
    check(
        &spec_at("import", 0, 0),
        expect![[r#"
        [import]
        `import std.targets.ionq [as name]` brings a standard-library module's declarations into the spec, bound to the path's last segment or to the name after `as`: `ionq.aria`."#]],
    );
    check(
        &spec_at("std.targets", 0, 5),
        expect![[r#"
        [targets]
        module `std.targets.ionq` (standard library)

        Declarations: device `aria`, device `forte`, device `forte_enterprise`"#]],
    );
}

#[test]
fn nothing_on_punctuation_and_whitespace() {
    check(&spec_at("= 7", 0, 0), expect!["no hover"]);
    check(&spec_at("{\n  seed", 0, 0), expect!["no hover"]);
}

#[test]
fn works_in_a_broken_spec() {
    check(
        "molecule h2 {\n  basis = \n  char$0ge = 10\n",
        expect![[r#"
        [charge]
        molecule `h2` — field `charge`: a whole number from -20 to 20

        Net charge in units of the elementary charge.

        Default: `0`."#]],
    );
}

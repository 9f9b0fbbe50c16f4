use expect_test::{expect, Expect};

use crate::document_symbols;
use crate::test_support::SPEC;

fn check(text: &str, expect: Expect) {
    let mut out = String::new();
    for symbol in document_symbols(text) {
        out.push_str(&format!(
            "{:?} {} ({}) [{}]\n",
            symbol.kind,
            symbol.name,
            symbol.detail,
            &text[symbol.selection_range.clone()]
        ));
        assert!(text[symbol.range.clone()].contains(&text[symbol.selection_range.clone()]));
        for child in &symbol.children {
            out.push_str(&format!("  {:?} {} = {}\n", child.kind, child.name, child.detail));
        }
    }
    expect.assert_eq(&out);
}

#[test]
fn outline_of_a_spec() {
    check(
        SPEC,
        expect![[r#"
        Import ionq (std.targets.ionq) [ionq]
        Declaration(Experiment) demo (experiment) [demo]
          Field seed = 7
        Declaration(Molecule) h2 (molecule) [h2]
          Field geometry = xyz { H 0 0 0 H 0 0 {r} }
          Scan r = linspace(0.5 angstrom, 2.5 angstrom, 5)
          Field basis = "sto-3g"
        Declaration(ActiveSpace) cas (active_space) [cas]
          Field molecule = h2
          Field electrons = 2
          Field orbitals = 2
        Declaration(Mapping) tapered (mapping) [tapered]
          Field kind = parity
          Field two_qubit_reduction = on
        Declaration(Ansatz) ucc (ansatz) [ucc]
          Field kind = uccsd
          Field space = cas
          Field mapping = tapered
        Declaration(Generate) data (generate) [data]
          Field ansatz = ucc
          Field device = ionq.aria { fidelity_2q = 0.995 }
          Field noise = shots
          Field shots = 1e5 per_evaluation
          Field precision = 1.6 millihartree
    "#]],
    );
}

#[test]
fn outline_of_a_broken_spec() {
    check(
        "import std.targets.quantinuum as qn\nmolecule {\n}\nmolecule m {\n  basis =\n",
        expect![[r#"
        Import qn (std.targets.quantinuum) [qn]
        Declaration(Molecule) m (molecule) [m]
          Field basis = 
    "#]],
    );
}

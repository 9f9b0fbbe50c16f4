use expect_test::{expect, Expect};

use crate::test_support::{analysis, Files};
use crate::Analysis;

fn show(analysis: &Analysis) -> String {
    let text = analysis.text();
    let mut out = String::new();
    for d in analysis.diagnostics() {
        out.push_str(&format!("{} {:?} [{}] {}\n", d.code, d.severity, &text[d.range.clone()], d.message));
        for label in &d.labels {
            out.push_str(&format!(
                "  label {} {:?}: {}\n",
                label.location,
                label.range.clone().map(|r| &text[r]),
                label.message
            ));
        }
        if let Some(help) = &d.help {
            out.push_str(&format!("  help: {help}\n"));
        }
    }
    out
}

fn check(text: &str, expect: Expect) {
    expect.assert_eq(&show(&analysis(text)));
}

#[test]
fn the_same_diagnostics_as_qdf_check() {
    let text = "molecule h2 {\n  geometry = xyz { H 0 0 0  H 0 0 0.74 }\n  basis = \"sto-3g\"\n  charge = 0 angstrom\n  colour = red\n}\nmolecule h2 { geometry = xyz { H 0 0 0 } }\n";
    let analysis = analysis(text);
    let compiled = qdf_compiler::compile("spec.qdf", text, &Files(&[]));
    let codes: Vec<&str> = compiled.diagnostics.iter().map(|d| d.code.as_str()).collect();
    let ours: Vec<&str> = analysis.diagnostics().iter().map(|d| d.code).collect();
    assert_eq!(ours, codes);
    expect![[r#"
        QDF3002 Error [0 angstrom] `charge` must be a plain number, found a quantity of length
        QDF2001 Error [colour] molecule `h2` has no field `colour`
          help: the fields are: geometry, units, basis, charge, multiplicity, scf, scan_mode
        QDF1001 Error [h2] `h2` is declared twice
          label spec.qdf:1:10 Some("h2"): first declared here as a molecule
          help: rename one of them
        QDF4003 Error [h2] molecule `h2` has 1 electron, which cannot have multiplicity 1
          label spec.qdf:7:10 Some("h2"): nuclear charge 1, charge 0
          help: with 1 electrons the multiplicity must be 2 (doublet), 4 (quartet), ...
    "#]]
    .assert_eq(&show(&analysis));
}

#[test]
fn diagnostics_come_in_source_order() {
    check(
        "molecule m {\n  basis = \n  charge = @\n}\n",
        expect![[r#"
        QDF2003 Error [m] molecule `m` needs the field `geometry`
          help: `geometry`: The nuclear positions. Plain numbers are in `units`; `{expr}` interpolates an expression, typically a scan variable.
        QDF0006 Error [charge] expected a value
        QDF0001 Error [@] unexpected `@`
    "#]],
    );
}

#[test]
fn files_are_read_relative_to_the_spec() {
    let text = "molecule w {\n  geometry = file(\"w.xyz\")\n}\nmolecule v {\n  geometry = file(\"missing.xyz\")\n}\n";
    let analysis = Analysis::new("dir/spec.qdf", text, &Files(&[("w.xyz", "1\n\nHe 0 0 0\n")]));
    expect![[r#"
        QDF9001 Error [file("missing.xyz")] cannot read "missing.xyz": No such file
          help: the path is relative to the spec's directory
    "#]]
    .assert_eq(&show(&analysis));
}

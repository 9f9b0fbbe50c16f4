//! `qdf run` on a spec whose basis comes from a file (`basis = file("h2_sto3g.nw")`, STO-3G
//! hydrogen written out): the runtime builds its AO basis from the parsed file carried in the IR,
//! and gives the same energies as the shipped STO-3G.

use std::path::Path;

mod support;
use support::{qdf, scratch, ROOT};

const SPEC: &str = "tests/corpus/ok/basis_file_nwchem.qdf";

/// Runs `spec` into `out` and returns its point records.
fn run(spec: &Path, out: &Path) -> Vec<serde_json::Value> {
    let output = qdf(&["run", &spec.display().to_string(), "--output", &out.display().to_string(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    std::fs::read_to_string(out.join("data/points.jsonl"))
        .expect("points.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("record"))
        .collect()
}

fn energy(record: &serde_json::Value, method: &str) -> f64 {
    record["energies"].as_array().expect("energies").iter().find(|e| e[0] == method).expect(method)[1]
        .as_f64()
        .expect("f64")
}

#[test]
fn a_spec_with_a_basis_file_runs_like_the_shipped_basis() {
    let from_file = run(Path::new(SPEC), &scratch("file").join("run"));
    assert_eq!(from_file.len(), 2);
    for p in &from_file {
        assert_eq!(p["status"], "ok", "{p}");
        assert_eq!(p["basis"], "h2_sto3g.nw");
    }
    // PySCF 2.14, H2/STO-3G at 0.7 Å: FCI -1.1361894540659225 Ha.
    assert!((energy(&from_file[0], "fci") - -1.136_189_454_065_922_5).abs() < 1e-8);

    // The same spec naming the shipped set gives the same numbers.
    let dir = scratch("named");
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let text = std::fs::read_to_string(Path::new(ROOT).join(SPEC)).expect("spec");
    let named_spec = dir.join("named.qdf");
    std::fs::write(&named_spec, text.replace("file(\"h2_sto3g.nw\")", "\"sto-3g\"")).expect("write spec");
    let named = run(&named_spec, &dir.join("run"));
    assert_eq!(named.len(), from_file.len());
    for (a, b) in from_file.iter().zip(&named) {
        for method in ["hf", "fci"] {
            assert!((energy(a, method) - energy(b, method)).abs() < 1e-12, "{method}: {a} vs {b}");
        }
    }
}

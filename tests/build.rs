//! `qdf build` end to end: circuits of a finished run, lowered for IonQ devices and written as job
//! JSON and OpenQASM 3.

use std::path::Path;

mod support;
use support::{qdf, scratch};

const SPEC: &str = "import std.targets.ionq
molecule h2 {
  geometry = xyz { H 0 0 0  H 0 0 {r} }
  scan r = [0.74 angstrom, 1.5 angstrom]
}
active_space cas { molecule = h2 }
ansatz ucc { kind = uccsd  space = cas }
generate data { ansatz = ucc  device = ionq.aria  references = [hf, fci] }
";

fn path(p: &Path) -> String {
    p.display().to_string()
}

#[test]
fn a_finished_run_builds_to_ionq_jobs_and_openqasm() {
    let dir = scratch("h2");
    let spec = dir.join("h2.qdf");
    std::fs::write(&spec, SPEC).expect("spec");
    let run = qdf(&["run", &path(&spec), "--output", &path(&dir.join("run"))]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));

    let jobs = dir.join("jobs");
    let out = qdf(&[
        "build",
        &path(&spec),
        "--emit",
        "ionq-json",
        "--output",
        &path(&jobs),
        "--from-run",
        &path(&dir.join("run")),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    for point in ["0000", "0001"] {
        let text = std::fs::read_to_string(jobs.join("data").join(format!("{point}.job.json"))).expect("job");
        let job: serde_json::Value = serde_json::from_str(&text).expect("json");
        assert_eq!(job["type"], "ionq.multi-circuit.v1");
        assert_eq!(job["backend"], "qpu.aria-1");
        assert_eq!(job["input"]["gateset"], "native");
        let circuits = job["input"]["circuits"].as_array().expect("circuits");
        assert_eq!(circuits.len(), 5, "H2 under Jordan–Wigner: five qubit-wise groups");
        // At the optimised (non-zero) parameters the double excitation needs entangling gates.
        let ms = circuits[0]["circuit"].as_array().expect("gates").iter().filter(|g| g["gate"] == "ms").count();
        assert!(ms > 0, "{text}");
    }

    let qasm = dir.join("qasm");
    let out = qdf(&["build", &path(&spec), "--target", "ionq.forte", "--emit", "qasm3", "--output", &path(&qasm)]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let files = std::fs::read_dir(qasm.join("data")).expect("programs").count();
    assert_eq!(files, 2 * 5, "one program per point and group");
    let program = std::fs::read_to_string(qasm.join("data/0000_group00.qasm")).expect("program");
    assert!(program.starts_with("OPENQASM 3.0;") && program.contains("gate zz(theta)"), "{program}");

    let qir = dir.join("qir");
    let out =
        qdf(&["build", &path(&spec), "--emit", "qir", "--output", &path(&qir), "--from-run", &path(&dir.join("run"))]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let module = std::fs::read_to_string(qir.join("data/0001_group00.ll")).expect("module");
    assert!(
        module.contains("\"qir_profiles\"=\"base_profile\"") && module.contains("__quantum__qis__cnot__body"),
        "{module}"
    );

    let unknown = qdf(&["build", &path(&spec), "--target", "ionq.nothing", "--emit", "qasm3"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("ionq.nothing"));
    std::fs::remove_dir_all(&dir).ok();
}

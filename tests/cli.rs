//! End-to-end tests of the `qdf` binary: exit codes, human and JSON output, `ir`, `fmt`.

use std::path::Path;
use std::process::Output;

mod support;
use support::{qdf, ROOT};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn check_passes_on_every_example() {
    let examples: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("examples"))
        .expect("examples")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "qdf"))
        .map(|p| p.display().to_string())
        .collect();
    assert!(examples.len() >= 4);
    let mut args = vec!["check"];
    args.extend(examples.iter().map(String::as_str));
    let out = qdf(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains(&format!("checked {} files: no errors", examples.len())), "{}", stderr(&out));
}

#[test]
fn check_reports_errors_with_exit_code_1() {
    let out = qdf(&["check", "tests/fixtures/ten_mistakes.qdf"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("[QDF4001] Error: unknown element `Hh`"), "{err}");
    assert!(err.contains("tests/fixtures/ten_mistakes.qdf:19:5"), "{err}");
    assert!(err.contains("10 errors"), "{err}");
}

#[test]
fn check_json_is_machine_readable() {
    let out = qdf(&["check", "--format", "json", "tests/fixtures/ten_mistakes.qdf", "examples/h2_dissociation.qdf"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    let files = json["files"].as_array().expect("files");
    assert_eq!(files[0]["errors"], 10);
    assert_eq!(files[1]["errors"], 0);
    assert!(files[1]["ir_hash"].as_str().is_some_and(|h| h.len() == 64));
    let first = &files[0]["diagnostics"][0];
    assert_eq!(first["code"], "QDF1006");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["span"]["start"]["line"], 9);
    assert_eq!(first["span"]["start"]["column"], 12);
}

#[test]
fn unreadable_files_exit_with_2() {
    let out = qdf(&["check", "no/such/spec.qdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read no/such/spec.qdf"));
    let out = qdf(&["check"]);
    assert_eq!(out.status.code(), Some(2), "usage errors exit 2");
}

#[test]
fn ir_prints_the_dag_as_json() {
    let out = qdf(&["ir", "examples/h2_dissociation.qdf"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let ir: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("valid JSON");
    let nodes = ir["nodes"].as_array().expect("nodes");
    let count = |kind: &str| nodes.iter().filter(|n| n["task"]["kind"] == kind).count();
    assert_eq!(count("geometry"), 21);
    assert_eq!(count("vqe"), 21);
    assert_eq!(count("reference"), 63);
    assert_eq!((count("dataset"), count("training"), count("comparison"), count("report")), (1, 1, 1, 1));
    assert_eq!(ir["experiment"]["seed"], 7);
    let out = qdf(&["ir", "tests/fixtures/ten_mistakes.qdf"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty());
}

#[test]
fn fmt_check_accepts_the_formatted_examples() {
    let out = qdf(&["fmt", "--check", "examples/h2_dissociation.qdf", "examples/water_active_space.qdf"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let dir = std::env::temp_dir().join(format!("qdf-fmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let spec = dir.join("ugly.qdf");
    std::fs::write(&spec, "molecule h2{geometry=xyz{H 0 0 0 H 0 0 0.74}}").expect("write");
    let path = spec.display().to_string();
    let out = qdf(&["fmt", "--check", &path]);
    assert_eq!((out.status.code(), stdout(&out).trim()), (Some(1), path.as_str()));
    let out = qdf(&["fmt", &path]);
    assert_eq!(out.status.code(), Some(0));
    let formatted = std::fs::read_to_string(&spec).expect("read");
    assert_eq!(formatted, "molecule h2 {\n  geometry = xyz {\n    H 0 0 0\n    H 0 0 0.74\n  }\n}\n");
    std::fs::remove_dir_all(&dir).ok();
}

/// `qdf plan`: the table and JSON for a spec whose shots reach its precision, and QDF6008 with
/// exit status 1 for one whose shots do not.
#[test]
fn plan_reports_qubits_groups_and_shots_and_fails_on_unreachable_precision() {
    let out = qdf(&["plan", "examples/water_active_space.qdf", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let plan = &doc["generates"][0];
    assert_eq!(plan["name"], "vqe_water");
    assert_eq!(plan["qubits_mapped"], 8);
    assert_eq!(plan["qubits"], 6, "parity with the two-qubit reduction");
    assert_eq!(plan["parameters"], 26);
    assert_eq!(plan["grouping"], "commuting");
    assert_eq!(plan["shots_per_evaluation"], 250_000);
    assert_eq!(plan["evaluations"]["per_point"], 1001, "SPSA: 2 × 500 + 1");
    assert_eq!(plan["total_shots"], 250_000u64 * 1001 * 5);
    let needed = plan["shots_needed"].as_u64().expect("precision given");
    assert!(needed > 100_000 && needed < 250_000, "{needed}");
    assert!(plan["standard_error"].as_f64().expect("shots given") < 1.6e-3);
    // The only finding: Forte runs this circuit with an expected fidelity near 0.05.
    let diagnostics = doc["diagnostics"].as_array().expect("diagnostics");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["code"], "QDF6011");
    assert_eq!(diagnostics[0]["severity"], "warning");
    let fidelity = plan["native"]["fidelity"].as_f64().expect("a device is named");
    assert!(fidelity > 0.0 && fidelity < 0.5, "{fidelity}");
    assert_eq!(plan["native"]["target"], "ionq_zz");

    let human = qdf(&["plan", "examples/water_active_space.qdf"]);
    let table = stdout(&human);
    assert!(table.contains("94 terms in 6 groups (commuting)"), "{table}");

    let dir = std::env::temp_dir().join(format!("qdf-plan-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch");
    let spec = dir.join("too_few.qdf");
    std::fs::write(
        &spec,
        "molecule h2 { geometry = xyz { H 0 0 0  H 0 0 0.74 } }\n\
         active_space cas { molecule = h2 }\n\
         ansatz ucc { kind = uccsd  space = cas }\n\
         generate data { ansatz = ucc  noise = shots  shots = 1000  precision = 1 millihartree }\n",
    )
    .expect("write");
    let spec = spec.display().to_string();
    let out = qdf(&["plan", &spec, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(doc["diagnostics"][0]["code"], "QDF6008");
    assert_eq!(doc["diagnostics"][0]["span"]["start"]["line"], 4);
    // `qdf check` plans this small system itself and reports the same error.
    let check = qdf(&["check", &spec]);
    assert_eq!(check.status.code(), Some(1));
    assert!(stderr(&check).contains("QDF6008") && stderr(&check).contains("planned the shots of `data`"));
    std::fs::remove_dir_all(&dir).ok();
}

//! `qdf run` with `execute = ionq` against a local stand-in for IonQ's v0.4 API: each measurement
//! group of each evaluation becomes a job in the native gateset, which the stand-in runs exactly
//! (the ideal simulator's probabilities, from qdf's density-matrix engine without noise). The
//! measured energies must then equal the exact energies at the same parameters; every job id is
//! recorded; the key travels only in the `Authorization` header and is written nowhere; a missing
//! key stops the run before any compute.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread;

use qdf_runtime::native::{NativeCircuit, NativeGate, Target};
use qdf_runtime::noise::{simulate_density, ChannelModel};
use serde_json::{json, Value};

mod support;
use support::{qdf_with, scratch, ROOT};

const KEY: &str = "sk-qdf-test-4b1d-do-not-log";

const SPEC: &str = "import std.targets.ionq\n\
    molecule h2 {\n  geometry = xyz { H 0 0 0  H 0 0 {r} }\n  scan r = [0.74 angstrom, 1.2 angstrom]\n}\n\
    active_space cas { molecule = h2  electrons = 2  orbitals = 2 }\n\
    mapping reduced { kind = parity  two_qubit_reduction = on }\n\
    ansatz ucc { kind = uccsd  space = cas  mapping = reduced }\n\
    generate on_aria {\n  ansatz = ucc\n  device = ionq.aria\n  execute = ionq\n  shots = 1000\n  \
    optimizer = spsa { max_iter = 6  learning_rate = 0.2 }\n  references = [hf, fci]\n}\n";

/// The stand-in's state: submitted circuits by job id, the `Authorization` headers seen, jobs
/// cancelled, and whether jobs ever complete (a stalled queue when not).
#[derive(Default)]
struct Ionq {
    jobs: HashMap<String, Value>,
    authorizations: Vec<String>,
    cancelled: Vec<String>,
    stalled: bool,
}

fn start_ionq(stalled: bool) -> (String, Arc<Mutex<Ionq>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let root = format!("http://{}/v0.4", listener.local_addr().expect("address"));
    let state = Arc::new(Mutex::new(Ionq { stalled, ..Ionq::default() }));
    let shared = Arc::clone(&state);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let state = Arc::clone(&shared);
            thread::spawn(move || serve(stream, &state));
        }
    });
    (root, state)
}

fn serve(stream: TcpStream, state: &Mutex<Ionq>) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("").to_string());
    let (mut length, mut authorization) = (0, String::new());
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap_or(0),
                "authorization" => authorization = value.trim().to_string(),
                _ => {}
            }
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let (status, answer) = answer(state, &method, &path, &authorization, &body);
    let answer = answer.to_string();
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        answer.len()
    );
    let mut out = stream;
    let _ = out.write_all(format!("{head}{answer}").as_bytes());
}

fn answer(state: &Mutex<Ionq>, method: &str, path: &str, authorization: &str, body: &[u8]) -> (u16, Value) {
    let mut ionq = state.lock().expect("state");
    ionq.authorizations.push(authorization.to_string());
    if authorization != format!("apiKey {KEY}") {
        return (401, json!({"error": "Unauthorized", "message": "bad key"}));
    }
    let path = path.trim_start_matches("/v0.4/jobs");
    match (method, path) {
        ("POST", "") => {
            let job: Value = serde_json::from_slice(body).expect("a JSON job");
            let id = format!("00000000-0000-4000-8000-{:012}", ionq.jobs.len());
            ionq.jobs.insert(id.clone(), job);
            (200, json!({"id": id, "status": "submitted"}))
        }
        ("GET", p) if p.ends_with("/results/probabilities") => {
            let id = p.trim_start_matches('/').trim_end_matches("/results/probabilities");
            match ionq.jobs.get(id) {
                Some(job) => (200, probabilities(job)),
                None => (404, json!({"error": "Not Found"})),
            }
        }
        ("PUT", p) if p.ends_with("/status/cancel") => {
            let id = p.trim_start_matches('/').trim_end_matches("/status/cancel").to_string();
            ionq.cancelled.push(id.clone());
            (200, json!({"id": id, "status": "canceled"}))
        }
        ("GET", p) => {
            let id = p.trim_start_matches('/');
            let status = if ionq.stalled { "running" } else { "completed" };
            match ionq.jobs.contains_key(id) {
                true => (200, json!({"id": id, "status": status})),
                false => (404, json!({"error": "Not Found"})),
            }
        }
        _ => (404, json!({"error": "Not Found"})),
    }
}

/// The ideal outcome probabilities of a native-gateset job, qubit 0 the least significant bit.
fn probabilities(job: &Value) -> Value {
    assert_eq!(job["type"], "ionq.circuit.v1", "{job}");
    assert_eq!(job["backend"], "qpu.aria-1");
    let input = &job["input"];
    assert_eq!(input["gateset"], "native");
    let f = |v: &Value| v.as_f64().expect("a number");
    let q = |v: &Value| v.as_u64().expect("a qubit") as u32;
    let gates: Vec<NativeGate> = input["circuit"]
        .as_array()
        .expect("gates")
        .iter()
        .map(|g| match g["gate"].as_str().expect("gate name") {
            "gpi" => NativeGate::Gpi { qubit: q(&g["target"]), phase: f(&g["phase"]) },
            "gpi2" => NativeGate::Gpi2 { qubit: q(&g["target"]), phase: f(&g["phase"]) },
            "ms" => NativeGate::Ms {
                qubits: [q(&g["targets"][0]), q(&g["targets"][1])],
                phases: [f(&g["phases"][0]), f(&g["phases"][1])],
                angle: f(&g["angle"]),
            },
            other => panic!("Aria runs no `{other}`"),
        })
        .collect();
    let n_qubits = q(&input["qubits"]);
    let circuit = NativeCircuit { target: Target::IonqMs, n_qubits, gates, frames: vec![0.0; n_qubits as usize] };
    let rho = simulate_density(&circuit, &ChannelModel::noiseless()).expect("simulates");
    let map: serde_json::Map<String, Value> = rho
        .probabilities()
        .iter()
        .enumerate()
        .filter(|(_, p)| **p > 1e-15)
        .map(|(b, p)| (b.to_string(), json!(p)))
        .collect();
    Value::Object(map)
}

fn every_file_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(every_file_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn a_generate_on_ionq_submits_native_jobs_and_records_them() {
    let (root, state) = start_ionq(false);
    let dir = scratch("run");
    let spec = dir.join("aria.qdf");
    std::fs::write(&spec, SPEC).expect("spec");
    let out_dir = dir.join("out");
    let (spec, out) = (spec.display().to_string(), out_dir.display().to_string());
    let run = qdf_with(&["run", &spec, "--output", &out], &[("IONQ_API_KEY", KEY), ("QDF_IONQ_API_ROOT", &root)]);
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));

    let text = std::fs::read_to_string(out_dir.join("on_aria/points.jsonl")).expect("points");
    let records: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(records.len(), 2);
    let ionq = state.lock().expect("state");
    let mut recorded = 0;
    for r in &records {
        assert_eq!(r["status"], "ok", "{r}");
        let vqe = &r["vqe"];
        let measured = r["energies"].as_array().expect("energies").iter().find(|e| e[0] == "vqe").expect("vqe")[1]
            .as_f64()
            .expect("energy");
        // The stand-in reports exact probabilities: the measured energy is the exact one.
        let noiseless = vqe["noiseless_energy"].as_f64().expect("noiseless energy");
        assert!((measured - noiseless).abs() < 1e-9, "{measured} vs {noiseless}");
        assert!(vqe["standard_error"].as_f64().expect("error") > 1e-4);
        let jobs = vqe["jobs"].as_array().expect("job ids");
        let evaluations = vqe["evaluations"].as_u64().expect("evaluations");
        // One job per group per evaluation: 6 SPSA iterations of two evaluations, and the final one.
        assert_eq!(evaluations, 13);
        assert_eq!(jobs.len() as u64 % evaluations, 0, "{} jobs", jobs.len());
        assert_eq!(vqe["shots"], 13 * 1000);
        for id in jobs {
            assert!(ionq.jobs.contains_key(id.as_str().expect("id")), "{id} was submitted");
        }
        recorded += jobs.len();
    }
    assert_eq!(recorded, ionq.jobs.len(), "every submitted job is recorded");
    assert!(ionq.authorizations.iter().all(|a| a == &format!("apiKey {KEY}")));
    // The key reaches IonQ and nothing else: no file of the run holds it.
    for file in every_file_under(&out_dir) {
        let bytes = std::fs::read(&file).expect("file");
        assert!(!String::from_utf8_lossy(&bytes).contains(KEY), "{} holds the key", file.display());
    }
    assert!(!String::from_utf8_lossy(&run.stdout).contains(KEY) && !String::from_utf8_lossy(&run.stderr).contains(KEY));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn without_a_key_nothing_is_computed() {
    let dir = scratch("nokey");
    let spec = dir.join("aria.qdf");
    std::fs::write(&spec, SPEC).expect("spec");
    let out_dir = dir.join("out");
    let run = qdf_with(&["run", &spec.display().to_string(), "--output", &out_dir.display().to_string()], &[]);
    assert_ne!(run.status.code(), Some(0));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("IONQ_API_KEY") && err.contains("nothing was computed"), "{err}");
    assert!(!out_dir.join("on_aria/points.jsonl").exists());
    std::fs::remove_dir_all(&dir).ok();
}

/// Ctrl-C while a job waits in IonQ's queue: the job is cancelled on IonQ's side, the run exits
/// with 130, and the point is not stored, so a rerun measures it again.
#[test]
fn ctrl_c_cancels_the_jobs_in_flight_and_stores_nothing_for_the_point() {
    let (root, state) = start_ionq(true);
    let dir = scratch("interrupt");
    let spec = dir.join("aria.qdf");
    std::fs::write(&spec, SPEC).expect("spec");
    let out_dir = dir.join("out");
    let child = Command::new(env!("CARGO_BIN_EXE_qdf"))
        .args(["run", &spec.display().to_string(), "--output", &out_dir.display().to_string()])
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env("IONQ_API_KEY", KEY)
        .env("QDF_IONQ_API_ROOT", &root)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("qdf starts");
    // Wait until the first job is queued, then interrupt as a terminal's Ctrl-C would.
    let started = std::time::Instant::now();
    while state.lock().expect("state").jobs.is_empty() {
        assert!(started.elapsed().as_secs() < 60, "no job was submitted");
        thread::sleep(std::time::Duration::from_millis(20));
    }
    let signal = Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill runs");
    assert!(signal.success());
    let out = child.wait_with_output().expect("qdf ends");
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
    let ionq = state.lock().expect("state");
    assert!(!ionq.cancelled.is_empty(), "the waiting job is cancelled");
    assert!(ionq.cancelled.iter().all(|id| ionq.jobs.contains_key(id)));
    let stored = std::fs::read_to_string(out_dir.join("on_aria/points.jsonl")).unwrap_or_default();
    assert!(stored.trim().is_empty(), "nothing stored for the interrupted point: {stored}");
    std::fs::remove_dir_all(&dir).ok();
}

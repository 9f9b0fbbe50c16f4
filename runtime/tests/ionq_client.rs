//! The IonQ client against a local HTTP server that implements the v0.4 endpoints it uses
//! (`POST /v0.4/jobs`, `GET /v0.4/jobs/{id}`, `GET /v0.4/jobs/{id}/results/probabilities`,
//! `PUT /v0.4/jobs/{id}/status/cancel`) and their failure modes, as documented at
//! docs.ionq.com/api-reference/v0.4.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use qdf_runtime::ionq::{IonqClient, IonqError, JobId, JobStatus, PollPolicy};
use serde_json::{json, Value};

const KEY: &str = "sk-test-7f3a9c-secret";
const JOB: &str = "617a1f8b-59d4-435d-aa33-695433d7155e";

/// One request as the server saw it.
#[derive(Clone, Debug)]
struct Seen {
    method: String,
    path: String,
    authorization: String,
    body: String,
}

/// One reply: status, extra headers, body, and how long to stall before answering.
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
    stall: Duration,
}

fn reply(status: u16, body: Value) -> Reply {
    Reply { status, headers: Vec::new(), body: body.to_string(), stall: Duration::ZERO }
}

type Handler = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

/// A server on a free local port answering each request with `handler(request, index)`; it
/// records what it saw. Threads end with the test process.
struct Server {
    root: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    fn start(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let root = format!("http://{}/v0.4", listener.local_addr().expect("local address"));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let count = Arc::new(AtomicUsize::new(0));
        let log = Arc::clone(&seen);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (handler, log, count) = (Arc::clone(&handler), Arc::clone(&log), Arc::clone(&count));
                thread::spawn(move || serve(stream, &*handler, &log, &count));
            }
        });
        Server { root, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("request log").clone()
    }
}

fn serve(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Seen>>, count: &AtomicUsize) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let (method, path) = (parts.next().unwrap_or("").to_string(), parts.next().unwrap_or("").to_string());
    let (mut length, mut authorization) = (0usize, String::new());
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
    let seen = Seen { method, path, authorization, body: String::from_utf8_lossy(&body).into_owned() };
    log.lock().expect("request log").push(seen.clone());
    let answer = handler(&seen, count.fetch_add(1, Ordering::SeqCst));
    thread::sleep(answer.stall);
    let mut out = stream;
    let mut head = format!(
        "HTTP/1.1 {} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        answer.status,
        answer.body.len()
    );
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    // The client may have given up (timeout tests): a failed write is expected then.
    let _ = out.write_all(format!("{head}\r\n{}", answer.body).as_bytes());
}

fn fast_client(root: &str) -> IonqClient {
    IonqClient::with_key(root, KEY).with_request_timeout(Duration::from_millis(500)).with_poll_policy(PollPolicy {
        initial: Duration::from_millis(5),
        max: Duration::from_millis(20),
        factor: 2.0,
        transient_retries: 2,
    })
}

fn job_id() -> JobId {
    JobId::parse(JOB).expect("a valid id")
}

/// A well-behaved IonQ: the job is submitted, runs for two polls, then completes.
fn healthy(seen: &Seen, index: usize) -> Reply {
    match (seen.method.as_str(), seen.path.as_str()) {
        ("POST", "/v0.4/jobs") => reply(200, json!({"id": JOB, "status": "submitted"})),
        ("GET", p) if p == format!("/v0.4/jobs/{JOB}/results/probabilities") => reply(200, json!({"0": 0.5, "3": 0.5})),
        ("GET", p) if p == format!("/v0.4/jobs/{JOB}") => {
            let status = if index < 3 { "running" } else { "completed" };
            reply(200, json!({"id": JOB, "status": status}))
        }
        ("PUT", p) if p == format!("/v0.4/jobs/{JOB}/status/cancel") => {
            reply(200, json!({"id": JOB, "status": "canceled"}))
        }
        _ => reply(404, json!({"error": "Not Found", "message": "no such resource"})),
    }
}

fn assert_no_key(text: &str) {
    assert!(!text.contains(KEY), "the API key leaked into {text:?}");
}

#[test]
fn submit_poll_and_fetch_probabilities() {
    let server = Server::start(healthy);
    let client = fast_client(&server.root);
    let body = json!({"type": "ionq.circuit.v1", "backend": "simulator", "shots": 100, "input": {"qubits": 2}});
    let id = client.submit(&body).expect("submitted");
    assert_eq!(id.as_str(), JOB);
    let probabilities = client.wait(&id, &AtomicBool::new(false), Duration::from_secs(5)).expect("completed");
    assert_eq!(probabilities.len(), 2);
    assert_eq!((probabilities[&0], probabilities[&3]), (0.5, 0.5));
    let seen = server.seen();
    assert_eq!(seen[0].method, "POST");
    assert_eq!(serde_json::from_str::<Value>(&seen[0].body).expect("JSON body"), body);
    assert!(seen.iter().all(|s| s.authorization == format!("apiKey {KEY}")));
    // Submit, three polls (two running, one completed), one results fetch.
    assert_eq!(seen.len(), 5);
}

#[test]
fn multi_circuit_results_are_keyed_by_child_job() {
    let server =
        Server::start(|_, _| reply(200, json!({"a06df3f3-4a34": {"0": 0.49, "1": 0.51}, "09d698b6-18a4": {"2": 1.0}})));
    let results = fast_client(&server.root).results_by_child(&job_id()).expect("results");
    let child = JobId::parse("a06df3f3-4a34").expect("id");
    assert_eq!(results.len(), 2);
    assert_eq!(results[&child][&1], 0.51);
}

#[test]
fn status_reports_failure_reasons() {
    let server = Server::start(|_, _| {
        reply(
            200,
            json!({"id": JOB, "status": "failed", "failure": {"code": "QuotaExhausted", "error": "no credits left"}}),
        )
    });
    let client = fast_client(&server.root);
    let expected = JobStatus::Failed { reason: "no credits left (QuotaExhausted)".into() };
    assert_eq!(client.status(&job_id()), Ok(expected));
    let error = client.wait(&job_id(), &AtomicBool::new(false), Duration::from_secs(5)).expect_err("failed job");
    assert_eq!(error.to_string(), "the IonQ job failed: no credits left (QuotaExhausted)");
}

#[test]
fn http_errors_map_to_typed_errors_without_the_key() {
    let server = Server::start(|seen, _| match seen.path.as_str() {
        "/v0.4/jobs/unauthorized" => {
            reply(401, json!({"error": "Unauthorized", "message": format!("invalid key {KEY}")}))
        }
        "/v0.4/jobs/forbidden" => reply(403, json!({"message": "project access denied"})),
        "/v0.4/jobs/bad" => reply(400, json!({"error": "Bad Request", "message": "unknown gate \"foo\""})),
        "/v0.4/jobs/busy" => Reply { headers: vec![("Retry-After", "7".into())], ..reply(429, json!({})) },
        "/v0.4/jobs/down" => reply(503, json!({"message": "maintenance"})),
        "/v0.4/jobs/garbled" => Reply { body: "{\"id\": ".into(), ..reply(200, json!({})) },
        "/v0.4/jobs/odd" => reply(200, json!({"id": "x", "status": "paused"})),
        _ => reply(404, json!({"message": "not found"})),
    });
    let client = fast_client(&server.root);
    let status = |id: &str| client.status(&JobId::parse(id).expect("id")).expect_err("an error");
    let cases = [
        (status("unauthorized"), IonqError::Unauthorized { status: 401, detail: "invalid key <redacted>".into() }),
        (status("forbidden"), IonqError::Unauthorized { status: 403, detail: "project access denied".into() }),
        (status("bad"), IonqError::Rejected { status: 400, detail: "unknown gate \"foo\"".into() }),
        (status("busy"), IonqError::RateLimited { retry_after: Some(Duration::from_secs(7)) }),
        (status("down"), IonqError::Server { status: 503 }),
        (status("missing"), IonqError::NotFound { what: "job missing".into() }),
    ];
    for (got, want) in cases {
        assert_eq!(got, want);
        assert_no_key(&got.to_string());
        assert_no_key(&format!("{got:?}"));
    }
    assert!(matches!(status("garbled"), IonqError::Malformed { .. }));
    assert_eq!(status("odd"), IonqError::Malformed { detail: "unknown job status \"paused\"".into() });
    assert_eq!(status("busy").to_string(), "IonQ is rate-limiting requests (HTTP 429); retry after 7 s");
    assert_no_key(&format!("{client:?}"));
}

#[test]
fn a_hanging_server_times_out() {
    let server =
        Server::start(|_, _| Reply { stall: Duration::from_secs(3), ..reply(200, json!({"status": "running"})) });
    let client = fast_client(&server.root).with_request_timeout(Duration::from_millis(200));
    let start = Instant::now();
    let error = client.status(&job_id()).expect_err("timeout");
    assert_eq!(error, IonqError::Timeout { waited: Duration::from_millis(200) });
    assert!(start.elapsed() < Duration::from_secs(2));
}

#[test]
fn polling_retries_transient_failures_and_honours_retry_after() {
    // 503, then 429 asking for one second, then completed.
    let server = Server::start(|seen, index| match (seen.path.ends_with("probabilities"), index) {
        (true, _) => reply(200, json!({"1": 1.0})),
        (false, 0) => reply(503, json!({})),
        (false, 1) => Reply { headers: vec![("Retry-After", "1".into())], ..reply(429, json!({})) },
        (false, _) => reply(200, json!({"id": JOB, "status": "completed"})),
    });
    let start = Instant::now();
    let probabilities = fast_client(&server.root).wait(&job_id(), &AtomicBool::new(false), Duration::from_secs(5));
    assert_eq!(probabilities.expect("completed")[&1], 1.0);
    let waited = start.elapsed();
    assert!(waited >= Duration::from_secs(1) && waited < Duration::from_secs(3), "waited {waited:?}");
}

#[test]
fn persistent_server_errors_end_the_wait() {
    let server = Server::start(|_, _| reply(500, json!({})));
    let error = fast_client(&server.root).wait(&job_id(), &AtomicBool::new(false), Duration::from_secs(5));
    assert_eq!(error, Err(IonqError::Server { status: 500 }));
    // The first try and two retries.
    assert_eq!(server.seen().len(), 3);
}

#[test]
fn a_job_still_running_at_the_deadline_times_out() {
    let server = Server::start(|_, _| reply(200, json!({"id": JOB, "status": "running"})));
    let error = fast_client(&server.root).wait(&job_id(), &AtomicBool::new(false), Duration::from_millis(100));
    assert_eq!(error, Err(IonqError::Timeout { waited: Duration::from_millis(100) }));
    assert!(server.seen().iter().all(|s| s.method == "GET"), "a timed-out wait must not cancel the job");
}

#[test]
fn interrupting_a_wait_cancels_the_job() {
    let server = Server::start(|seen, _| match seen.method.as_str() {
        "PUT" => reply(200, json!({"id": JOB, "status": "canceled"})),
        _ => reply(200, json!({"id": JOB, "status": "running"})),
    });
    let client = fast_client(&server.root);
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    let interrupter = thread::spawn(move || {
        thread::sleep(Duration::from_millis(60));
        flag.store(true, Ordering::SeqCst);
    });
    let error = client.wait(&job_id(), &cancel, Duration::from_secs(5));
    interrupter.join().expect("interrupter");
    assert_eq!(error, Err(IonqError::Cancelled { job: JOB.into(), confirmed: true }));
    let last = server.seen().pop().expect("requests");
    assert_eq!((last.method.as_str(), last.path), ("PUT", format!("/v0.4/jobs/{JOB}/status/cancel")));
}

#[test]
fn an_unconfirmed_cancel_says_the_job_may_still_run() {
    let server = Server::start(|seen, _| match seen.method.as_str() {
        "PUT" => reply(500, json!({})),
        _ => reply(200, json!({"id": JOB, "status": "running"})),
    });
    let error = fast_client(&server.root).wait(&job_id(), &AtomicBool::new(true), Duration::from_secs(5));
    let error = error.expect_err("cancelled");
    assert_eq!(error, IonqError::Cancelled { job: JOB.into(), confirmed: false });
    assert!(error.to_string().contains("may still run"));
}

#[test]
fn malformed_results_are_reported() {
    let server = Server::start(|_, _| reply(200, json!({"0": "half"})));
    let error = fast_client(&server.root).results(&job_id()).expect_err("malformed");
    assert_eq!(
        error,
        IonqError::Malformed { detail: "outcome 0 has probability \"half\", not a number in [0, 1]".into() }
    );
}

#[test]
fn a_refused_connection_is_a_connection_error() {
    let port = TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("address").port();
    let client = fast_client(&format!("http://127.0.0.1:{port}/v0.4"));
    let error = client.status(&job_id()).expect_err("nothing listens");
    assert!(matches!(error, IonqError::Connection { .. }), "{error:?}");
    assert_no_key(&error.to_string());
}

#[test]
fn the_key_comes_only_from_the_environment() {
    // The only test touching IONQ_API_KEY, so no other test races with it.
    std::env::remove_var("IONQ_API_KEY");
    assert_eq!(IonqClient::from_env("http://127.0.0.1:9/v0.4").expect_err("no key"), IonqError::MissingKey);
    std::env::set_var("IONQ_API_KEY", KEY);
    let client = IonqClient::from_env("http://127.0.0.1:9/v0.4").expect("a client");
    std::env::remove_var("IONQ_API_KEY");
    assert_no_key(&format!("{client:?}"));
    assert!(IonqError::MissingKey.to_string().contains("IONQ_API_KEY"));
}

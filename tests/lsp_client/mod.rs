//! A minimal LSP client for tests and benchmarks: it spawns the real `qdf lsp` binary and speaks
//! JSON-RPC to it over stdio, with LSP's `Content-Length` framing.
//!
//! Shared by `tests/lsp.rs` and `bench/lsp_latency.rs`; each uses part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// How long any one answer may take before the test gives up (a hang is a failure, not a wait).
const PATIENCE: Duration = Duration::from_secs(60);

/// A running `qdf lsp` and the messages it sent that nobody has asked for yet.
pub struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    pending: Vec<Value>,
    next_id: i64,
}

impl Client {
    /// Starts `qdf` (the binary at `program`) as a language server. Panics if it cannot start.
    pub fn start(program: &str) -> Client {
        let mut child = Command::new(program)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("qdf lsp starts");
        let stdin = child.stdin.take().expect("stdin is piped");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (send, incoming) = mpsc::channel();
        thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_message(&mut reader) {
                if send.send(message).is_err() {
                    break;
                }
            }
        });
        Client { child, stdin, incoming, pending: Vec::new(), next_id: 1 }
    }

    /// Starts the server and completes the `initialize` handshake; returns the server's result.
    pub fn initialized(program: &str) -> (Client, Value) {
        let mut client = Client::start(program);
        let result = client.request("initialize", json!({ "processId": null, "rootUri": null, "capabilities": {} }));
        client.notify("initialized", json!({}));
        (client, result["result"].clone())
    }

    /// Writes raw bytes as one framed message body.
    pub fn send_body(&mut self, body: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).expect("the server reads stdin");
        self.stdin.write_all(body).expect("the server reads stdin");
        self.stdin.flush().expect("the server reads stdin");
    }

    /// Writes raw bytes with no framing at all.
    pub fn send_bytes(&mut self, bytes: &[u8]) {
        self.stdin.write_all(bytes).expect("the server reads stdin");
        self.stdin.flush().expect("the server reads stdin");
    }

    pub fn send(&mut self, message: &Value) {
        self.send_body(message.to_string().as_bytes());
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request without waiting; returns its id.
    pub fn start_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        id
    }

    /// Sends a request and returns the whole response message (`result` or `error`).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.start_request(method, params);
        self.response(&json!(id))
    }

    /// Waits for the response with `id` (a number, a string or `null`).
    pub fn response(&mut self, id: &Value) -> Value {
        self.wait_for(|m| m.get("method").is_none() && m.get("id") == Some(id))
    }

    /// Waits for the diagnostics published for `uri` at `version`; returns them.
    pub fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        let message = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics"
                && m["params"]["uri"] == uri
                && m["params"]["version"] == version
        });
        message["params"]["diagnostics"].as_array().cloned().unwrap_or_default()
    }

    /// The first message (received earlier or now) that `wanted` accepts. Panics after
    /// [`PATIENCE`] or if the server closes its output first.
    pub fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.pending.iter().position(&wanted) {
            return self.pending.remove(i);
        }
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.incoming.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(message) => self.pending.push(message),
                Err(RecvTimeoutError::Timeout) => panic!("no such message from qdf lsp within {PATIENCE:?}"),
                Err(RecvTimeoutError::Disconnected) => panic!("qdf lsp closed its output"),
            }
        }
    }

    /// Opens a document.
    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "qdf", "version": 1, "text": text } }),
        );
    }

    /// Replaces `range` (`[line, character, line, character]`, UTF-16) with `text` at `version`.
    pub fn change(&mut self, uri: &str, version: i64, range: [u32; 4], text: &str) {
        let [l0, c0, l1, c1] = range;
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{
                    "range": { "start": { "line": l0, "character": c0 }, "end": { "line": l1, "character": c1 } },
                    "text": text
                }]
            }),
        );
    }

    /// `shutdown`, then `exit`; returns the server's exit status.
    pub fn shutdown(mut self) -> ExitStatus {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        self.exit()
    }

    /// Sends `exit` and waits for the process to end.
    pub fn exit(mut self) -> ExitStatus {
        self.notify("exit", Value::Null);
        self.child.wait().expect("qdf lsp ends")
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // A test that failed midway must not leave a server running.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A `file://` URI for a path (the test directories hold no characters that need escaping).
pub fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// One framed message from the server, or `None` when its output ends.
fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

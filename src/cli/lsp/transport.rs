//! The stdio transport: LSP's `Content-Length` framing on stdin and stdout, tolerant of anything
//! a client sends.
//!
//! lsp-server's own stdio transport ends the connection on the first payload that is not a
//! JSON-RPC message; this one answers it instead, as JSON-RPC asks: a body that is not JSON gets a
//! `ParseError` response and a JSON value that is not a message gets `InvalidRequest`, both with
//! the request's `id` when it can be read (else `null`), and reading goes on. A header block
//! without a usable `Content-Length` is skipped. Only the end of stdin ends the connection.

use std::io::{self, BufRead, Read, Write};
use std::thread;

use lsp_server::{Connection, ErrorCode, Message};
use serde_json::{json, Value};

/// The largest message body read; larger ones are skipped unread.
const MAX_BODY: usize = 1 << 28;

/// The server's side of a connection over stdin and stdout. The reader and writer threads run
/// until stdin ends and the server drops its side.
pub fn stdio() -> Connection {
    let (server, client) = Connection::memory();
    let Connection { sender: to_server, receiver: from_server } = client;
    thread::Builder::new()
        .name("lsp-writer".into())
        .spawn(move || {
            for message in from_server {
                let mut stdout = io::stdout().lock();
                if message.write(&mut stdout).is_err() {
                    break;
                }
            }
        })
        .map_err(|e| eprintln!("qdf lsp: cannot start the writer thread: {e}"))
        .ok();
    thread::Builder::new()
        .name("lsp-reader".into())
        .spawn(move || {
            let mut stdin = io::stdin().lock();
            while let Some(frame) = read_frame(&mut stdin) {
                match decode(&frame) {
                    Ok(message) => {
                        if to_server.send(message).is_err() {
                            break;
                        }
                    }
                    Err(reply) => write_raw(&reply),
                }
            }
        })
        .map_err(|e| eprintln!("qdf lsp: cannot start the reader thread: {e}"))
        .ok();
    server
}

/// One frame's body, or `None` at the end of input. Header blocks without a valid
/// `Content-Length` are skipped; header lines may end in `\r\n` or `\n`.
fn read_frame(input: &mut impl BufRead) -> Option<Vec<u8>> {
    loop {
        let mut length = None;
        let mut saw_header = false;
        loop {
            let mut line = String::new();
            match input.read_line(&mut line) {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                if saw_header {
                    break;
                }
                continue;
            }
            saw_header = true;
            if let Some((name, value)) = line.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse::<usize>().ok();
                }
            }
        }
        let Some(length) = length else { continue };
        if length > MAX_BODY {
            // Read past it rather than allocate it; a spec is never this large.
            io::copy(&mut input.by_ref().take(length as u64), &mut io::sink()).ok()?;
            continue;
        }
        let mut body = vec![0; length];
        input.read_exact(&mut body).ok()?;
        return Some(body);
    }
}

/// The message in a frame's body, or the error response to send back when it is none.
fn decode(body: &[u8]) -> Result<Message, Value> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        error_response(Value::Null, ErrorCode::ParseError, &format!("the message is not valid JSON: {e}"))
    })?;
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    serde_json::from_value::<Message>(value.clone()).map_err(|e| {
        error_response(id, ErrorCode::InvalidRequest, &format!("not a JSON-RPC request, response or notification: {e}"))
    })
}

fn error_response(id: Value, code: ErrorCode, message: &str) -> Value {
    json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code as i32, "message": message } })
}

/// Writes a response the message types cannot hold (one whose `id` is `null`).
fn write_raw(reply: &Value) {
    let text = reply.to_string();
    let mut stdout = io::stdout().lock();
    let _ = write!(stdout, "Content-Length: {}\r\n\r\n{text}", text.len()).and_then(|()| stdout.flush());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_read_whatever_the_line_endings() {
        let mut input =
            io::Cursor::new(b"Content-Length: 2\r\n\r\n{}Content-Type: x\nContent-Length: 3\n\n[1]".to_vec());
        assert_eq!(read_frame(&mut input), Some(b"{}".to_vec()));
        assert_eq!(read_frame(&mut input), Some(b"[1]".to_vec()));
        assert_eq!(read_frame(&mut input), None);
    }

    #[test]
    fn frames_without_a_length_are_skipped() {
        let mut input = io::Cursor::new(b"Content-Type: x\r\n\r\nContent-Length: 2\r\n\r\n{}".to_vec());
        assert_eq!(read_frame(&mut input), Some(b"{}".to_vec()));
    }

    #[test]
    fn bad_payloads_get_json_rpc_errors() {
        let parse = decode(b"{nope").unwrap_err();
        assert_eq!((parse["id"].clone(), parse["error"]["code"].clone()), (Value::Null, json!(-32700)));
        let invalid = decode(br#"{"jsonrpc":"2.0","id":7,"method":3}"#).unwrap_err();
        assert_eq!((invalid["id"].clone(), invalid["error"]["code"].clone()), (json!(7), json!(-32600)));
        assert!(matches!(decode(br#"{"jsonrpc":"2.0","id":1,"method":"x"}"#), Ok(Message::Request(_))));
    }
}

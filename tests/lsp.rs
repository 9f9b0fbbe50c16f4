//! End-to-end tests of `qdf lsp`: the real binary, spoken to over stdio in JSON-RPC, for every
//! feature; edits that break a spec and repair it; and requests a server must survive.

mod lsp_client;

use std::path::PathBuf;
use std::process::Command;

use lsp_client::{file_uri, Client};
use serde_json::{json, Value};

const QDF: &str = env!("CARGO_BIN_EXE_qdf");

/// A directory of its own for one test, holding `files`.
fn workspace(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("qdf-lsp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    for (file, text) in files {
        std::fs::write(dir.join(file), text).expect("a test file");
    }
    dir
}

/// A spec with a geometry comment in ångström (UTF-16 columns differ from bytes there), a scan,
/// an import, references and a choice.
const SPEC: &str = "import std.targets.ionq

# H–H distance in Å, µ-precise
molecule h2 {
  geometry = xyz {
    H 0 0 0   # Å
    H 0 0 {r}
  }
  scan r = linspace(0.5 angstrom, 2.5 Å, 5)
  basis = \"sto-3g\"
}

active_space cas {
  molecule = h2
  electrons = 2
  orbitals = 2
}

ansatz ucc {
  kind = uccsd
  space = cas
}

generate data {
  ansatz = ucc
  device = ionq.aria
}
";

fn position(line: u32, character: u32) -> Value {
    json!({ "line": line, "character": character })
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": position(line, character) })
}

/// The (line, character) of the `nth` occurrence of `needle` in `text`, in UTF-16 units.
fn find(text: &str, needle: &str, nth: usize) -> (u32, u32) {
    let offset = text.match_indices(needle).nth(nth).map(|(i, _)| i).expect("needle in text");
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..offset].matches('\n').count() as u32;
    (line, text[line_start..offset].encode_utf16().count() as u32)
}

fn codes(diagnostics: &[Value]) -> Vec<String> {
    diagnostics.iter().map(|d| d["code"].as_str().unwrap_or_default().to_string()).collect()
}

#[test]
fn initialize_announces_every_feature_and_shutdown_exits_cleanly() {
    let (client, result) = Client::initialized(QDF);
    let capabilities = &result["capabilities"];
    assert_eq!(capabilities["textDocumentSync"], json!(2), "incremental sync");
    for provider in [
        "hoverProvider",
        "completionProvider",
        "definitionProvider",
        "referencesProvider",
        "renameProvider",
        "documentSymbolProvider",
        "documentFormattingProvider",
        "semanticTokensProvider",
    ] {
        assert!(!capabilities[provider].is_null(), "{provider} missing from {capabilities}");
    }
    assert_eq!(result["serverInfo"]["name"], "qdf");
    assert!(client.shutdown().success());
}

#[test]
fn diagnostics_are_those_of_qdf_check() {
    let broken = SPEC.replace("electrons = 2", "electrons = 3").replace("kind = uccsd", "kind = ucsd") + "# Å µ\n@\n";
    let dir = workspace("check", &[("spec.qdf", &broken)]);
    let path = dir.join("spec.qdf");
    let uri = file_uri(&path);
    let (mut client, _) = Client::initialized(QDF);
    client.open(&uri, &broken);
    let diagnostics = client.diagnostics(&uri, 1);

    let output = Command::new(QDF).args(["check", "--format", "json"]).arg(&path).output().expect("qdf check runs");
    let report: Value = serde_json::from_slice(&output.stdout).expect("qdf check prints JSON");
    let expected = report["files"][0]["diagnostics"].as_array().cloned().unwrap_or_default();
    assert!(expected.len() >= 3, "{expected:?}");
    assert_eq!(diagnostics.len(), expected.len(), "{diagnostics:?}");
    for (ours, theirs) in diagnostics.iter().zip(&expected) {
        assert_eq!(ours["code"], theirs["code"]);
        assert_eq!(ours["severity"], json!(if theirs["severity"] == "error" { 1 } else { 2 }));
        let message = ours["message"].as_str().unwrap_or_default();
        assert!(message.starts_with(theirs["message"].as_str().unwrap_or("?")), "{message}");
        if let Some(help) = theirs["help"].as_str() {
            assert!(message.ends_with(&format!("help: {help}")), "{message}");
        }
        // qdf check counts from 1; LSP from 0, both in UTF-16 units.
        for end in ["start", "end"] {
            let span = &theirs["span"][end];
            let range = &ours["range"][end];
            assert_eq!(range["line"].as_u64(), span["line"].as_u64().map(|l| l - 1), "{ours} vs {theirs}");
            assert_eq!(range["character"].as_u64(), span["column_utf16"].as_u64().map(|c| c - 1), "{ours} vs {theirs}");
        }
    }
    assert!(client.shutdown().success());
}

#[test]
fn edits_that_break_and_repair_a_spec() {
    let dir = workspace("edits", &[]);
    let uri = file_uri(&dir.join("spec.qdf"));
    let (mut client, _) = Client::initialized(QDF);
    client.open(&uri, SPEC);
    assert_eq!(client.diagnostics(&uri, 1), Vec::<Value>::new());

    // Type a stray character after `2.5 Å`: columns are UTF-16, so `Å` counts once.
    let (line, character) = find(SPEC, ", 5)", 0);
    client.change(&uri, 2, [line, character, line, character], "@");
    let broken = client.diagnostics(&uri, 2);
    let stray = broken.iter().find(|d| d["code"] == "QDF0001").expect("the stray character is reported");
    assert_eq!(stray["range"], json!({ "start": position(line, character), "end": position(line, character + 1) }));

    // Delete it: the spec is clean again.
    client.change(&uri, 3, [line, character, line, character + 1], "");
    assert_eq!(client.diagnostics(&uri, 3), Vec::<Value>::new());

    // A semantic error in a reference, then its repair, in one line.
    let (line, character) = find(SPEC, "molecule = h2", 0);
    client.change(&uri, 4, [line, character + 11, line, character + 13], "h3");
    let unknown = client.diagnostics(&uri, 4);
    assert_eq!(codes(&unknown), ["QDF1002"], "{unknown:?}");
    assert_eq!(unknown[0]["range"]["start"], position(line, character + 11));
    client.change(&uri, 5, [line, character + 11, line, character + 13], "h2");
    assert_eq!(client.diagnostics(&uri, 5), Vec::<Value>::new());

    // A whole-document change.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 6 }, "contentChanges": [{ "text": "molecule {" }] }),
    );
    assert!(!client.diagnostics(&uri, 6).is_empty());

    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    let closed =
        client.wait_for(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"].is_null());
    assert_eq!(closed["params"]["diagnostics"], json!([]));
    assert!(client.shutdown().success());
}

/// Shots that cannot reach the precision: the checker's diagnostics come first, then the shot
/// planner's QDF6008 in a second publication, as `qdf check` reports it.
#[test]
fn shot_findings_follow_the_checker_diagnostics() {
    let spec = "molecule h2 { geometry = xyz { H 0 0 0  H 0 0 0.74 } }\n\
                active_space cas { molecule = h2 }\n\
                ansatz ucc { kind = uccsd  space = cas }\n\
                generate data { ansatz = ucc  noise = shots  shots = 1000  precision = 1 millihartree }\n";
    let dir = workspace("shots", &[]);
    let uri = file_uri(&dir.join("spec.qdf"));
    let (mut client, _) = Client::initialized(QDF);
    client.open(&uri, spec);
    assert_eq!(client.diagnostics(&uri, 1), Vec::<Value>::new(), "the checker finds nothing");
    let planned = client.diagnostics(&uri, 1);
    assert_eq!(codes(&planned), ["QDF6008"], "{planned:?}");
    assert_eq!(planned[0]["range"]["start"], position(3, 53));
    assert!(client.shutdown().success());
}

#[test]
fn files_named_in_the_spec_are_read_beside_it() {
    let spec = "molecule w {\n  geometry = file(\"he.xyz\")\n}\nmolecule v {\n  geometry = file(\"none.xyz\")\n}\n";
    let dir = workspace("files", &[("he.xyz", "1\nhelium\nHe 0 0 0\n")]);
    let uri = file_uri(&dir.join("spec.qdf"));
    let (mut client, _) = Client::initialized(QDF);
    client.open(&uri, spec);
    let diagnostics = client.diagnostics(&uri, 1);
    assert_eq!(codes(&diagnostics), ["QDF9001"], "only the missing file: {diagnostics:?}");
    assert_eq!(diagnostics[0]["range"]["start"], position(4, 13));
    assert!(client.shutdown().success());
}

/// A server with [`SPEC`] open (as an unsaved buffer) and its diagnostics received, and the
/// server's `initialize` result.
fn with_spec() -> (Client, &'static str, Value) {
    let uri = "untitled:spec.qdf";
    let (mut client, result) = Client::initialized(QDF);
    client.open(uri, SPEC);
    assert_eq!(client.diagnostics(uri, 1), Vec::<Value>::new());
    (client, uri, result)
}

#[test]
fn hover_documents_fields_and_shows_resolved_values() {
    let (mut client, uri, _) = with_spec();
    let (line, character) = find(SPEC, "0.5 angstrom", 0);
    let hover = client.request("textDocument/hover", at(uri, line, character + 5));
    // 0.5 Å in bohr with PySCF's Bohr radius (0.52917721092 Å).
    assert_eq!(hover["result"]["contents"]["kind"], "markdown");
    assert!(
        hover["result"]["contents"]["value"].as_str().unwrap_or_default().contains("= 0.9448630623 bohr"),
        "{hover}"
    );
    assert_eq!(hover["result"]["range"]["start"], position(line, character + 4));

    let (line, character) = find(SPEC, "h2\n  electrons", 0);
    let hover = client.request("textDocument/hover", at(uri, line, character));
    let text = hover["result"]["contents"]["value"].as_str().unwrap_or_default().to_string();
    assert!(
        text.contains("molecule `h2`") && text.contains("2 basis functions") && text.contains("geometry points: 5"),
        "{text}"
    );

    let (line, character) = find(SPEC, "space = cas", 0);
    let hover = client.request("textDocument/hover", at(uri, line, character + 2));
    assert!(hover["result"]["contents"]["value"].as_str().unwrap_or_default().contains("field `space`"), "{hover}");

    // Whitespace: no hover.
    let hover = client.request("textDocument/hover", at(uri, 1, 0));
    assert_eq!(hover["result"], Value::Null);
    assert!(client.shutdown().success());
}

#[test]
fn completion_offers_what_fits_the_cursor() {
    let (mut client, uri, _) = with_spec();
    let labels = |response: &Value| -> Vec<String> {
        response["result"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|i| i["label"].as_str().unwrap_or("").to_string())
            .collect()
    };
    // A new member of the molecule: fields not yet given.
    let (line, _) = find(SPEC, "  basis", 0);
    client.change(uri, 2, [line, 0, line, 0], "  \n");
    let response = client
        .request("textDocument/completion", json!({ "textDocument": { "uri": uri }, "position": position(line, 2) }));
    let fields = labels(&response);
    assert!(fields.contains(&"charge".to_string()) && !fields.contains(&"geometry".to_string()), "{fields:?}");
    let charge = response["result"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["label"] == "charge")
        .cloned()
        .unwrap_or_default();
    assert_eq!(charge["textEdit"]["newText"], "charge = ");
    assert_eq!(charge["kind"], json!(5), "a field");

    // After `ionq.`: the module's devices.
    let (line, character) = find(SPEC, "aria", 0);
    let response = client.request(
        "textDocument/completion",
        json!({ "textDocument": { "uri": uri }, "position": position(line + 1, character) }),
    );
    assert_eq!(labels(&response), ["aria", "forte", "forte_enterprise"]);
    assert!(client.shutdown().success());
}

#[test]
fn definition_references_and_rename() {
    let (mut client, uri, _) = with_spec();
    let (decl_line, decl_character) = find(SPEC, "h2 {", 0);
    let (use_line, use_character) = find(SPEC, "h2\n  electrons", 0);

    let definition = client.request("textDocument/definition", at(uri, use_line, use_character + 1));
    assert_eq!(definition["result"]["uri"], uri);
    assert_eq!(definition["result"]["range"]["start"], position(decl_line, decl_character));

    let references = client.request(
        "textDocument/references",
        json!({ "textDocument": { "uri": uri }, "position": position(decl_line, decl_character), "context": { "includeDeclaration": true } }),
    );
    let starts: Vec<Value> =
        references["result"].as_array().into_iter().flatten().map(|l| l["range"]["start"].clone()).collect();
    assert_eq!(starts, [position(decl_line, decl_character), position(use_line, use_character)]);

    let prepared = client.request("textDocument/prepareRename", at(uri, use_line, use_character));
    assert_eq!(prepared["result"]["start"], position(use_line, use_character));

    let rename = |client: &mut Client, name: &str| {
        let mut params = at(uri, use_line, use_character);
        params["newName"] = json!(name);
        client.request("textDocument/rename", params)
    };
    let renamed = rename(&mut client, "hydrogen");
    let edits = renamed["result"]["changes"][uri].as_array().cloned().unwrap_or_default();
    assert_eq!(edits.len(), 2, "{renamed}");
    assert!(edits.iter().all(|e| e["newText"] == "hydrogen"));

    for refused in ["2h", "molecule", "uccsd", "cas"] {
        let response = rename(&mut client, refused);
        assert_eq!(response["error"]["code"], json!(-32803), "{refused}: {response}");
    }
    // Stdlib declarations cannot be renamed, and have no file to jump to.
    let (line, character) = find(SPEC, "aria", 0);
    let response = client.request("textDocument/prepareRename", at(uri, line, character));
    assert_eq!(response["error"]["code"], json!(-32803), "{response}");
    assert_eq!(client.request("textDocument/definition", at(uri, line, character))["result"], Value::Null);
    assert!(client.shutdown().success());
}

#[test]
fn symbols_formatting_and_semantic_tokens() {
    let (mut client, uri, initialized) = with_spec();
    let symbols = client.request("textDocument/documentSymbol", json!({ "textDocument": { "uri": uri } }));
    let names: Vec<&str> =
        symbols["result"].as_array().into_iter().flatten().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(names, ["ionq", "h2", "cas", "ucc", "data"]);
    let h2 = &symbols["result"][1];
    let children: Vec<&str> =
        h2["children"].as_array().into_iter().flatten().filter_map(|s| s["name"].as_str()).collect();
    assert_eq!(children, ["geometry", "r", "basis"]);

    // Formatting pads the atom columns: one edit, and applying it gives `qdf fmt`'s output.
    let formatting = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    let edits = formatting["result"].as_array().cloned().unwrap_or_default();
    let formatted = qdf_fmt(SPEC);
    assert_eq!(apply(SPEC, &edits), formatted);

    let tokens = client.request("textDocument/semanticTokens/full", json!({ "textDocument": { "uri": uri } }));
    let data: Vec<u64> = tokens["result"]["data"].as_array().into_iter().flatten().filter_map(Value::as_u64).collect();
    assert_eq!(data.len() % 5, 0);
    // The first tokens: `import` (keyword, 0) and `std` (namespace, 4) on line 0.
    assert_eq!(&data[..10], &[0, 0, 6, 0, 0, 0, 7, 3, 4, 0]);
    // The comment on line 2 is 30 UTF-16 units long, though it has more bytes.
    let legend = &initialized["capabilities"]["semanticTokensProvider"]["legend"]["tokenTypes"];
    let comment = legend.as_array().into_iter().flatten().position(|t| t == "comment").unwrap_or(usize::MAX) as u64;
    let lengths: Vec<u64> = data.chunks(5).filter(|t| t[3] == comment).map(|t| t[2]).collect();
    assert_eq!(lengths[0], "# H–H distance in Å, µ-precise".encode_utf16().count() as u64);
    assert!(client.shutdown().success());
}

/// `qdf fmt` on a copy of `text`.
fn qdf_fmt(text: &str) -> String {
    let dir = workspace("fmt", &[("spec.qdf", text)]);
    let status = Command::new(QDF).arg("fmt").arg(dir.join("spec.qdf")).status().expect("qdf fmt runs");
    assert!(status.success());
    std::fs::read_to_string(dir.join("spec.qdf")).expect("the formatted file")
}

/// Applies LSP text edits (non-overlapping, UTF-16 positions) to `text`.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| -> usize {
        let line = p["line"].as_u64().unwrap_or(0) as usize;
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = p["character"].as_u64().unwrap_or(0) as usize;
        let mut bytes = 0;
        for c in text[start..].chars() {
            if units == 0 {
                break;
            }
            units -= c.len_utf16();
            bytes += c.len_utf8();
        }
        start + bytes
    };
    let mut out = text.to_string();
    let mut edits = edits.to_vec();
    edits.sort_by_key(|e| std::cmp::Reverse(offset(&e["range"]["start"])));
    for edit in edits {
        let (start, end) = (offset(&edit["range"]["start"]), offset(&edit["range"]["end"]));
        out.replace_range(start..end, edit["newText"].as_str().unwrap_or_default());
    }
    out
}

#[test]
fn malformed_messages_and_unknown_methods_get_errors_and_the_server_lives_on() {
    let mut client = Client::start(QDF);
    // Before `initialize`.
    let early = client.request("textDocument/hover", at("untitled:x", 0, 0));
    assert_eq!(early["error"]["code"], json!(-32002), "{early}");
    client.request("initialize", json!({ "capabilities": {} }));
    client.notify("initialized", json!({}));

    // Not JSON: a parse error with a null id.
    client.send_body(b"{\"jsonrpc\": \"2.0\", \"id\": 99, \"method\": ");
    let parse = client.response(&Value::Null);
    assert_eq!(parse["error"]["code"], json!(-32700), "{parse}");
    // JSON but no message: invalid request, with the id it carried.
    client.send(&json!({ "jsonrpc": "2.0", "id": 41, "method": 7 }));
    assert_eq!(client.response(&json!(41))["error"]["code"], json!(-32600));
    // Framing garbage is skipped.
    client.send_bytes(b"this is not a header\r\n\r\n");
    // An unknown method.
    let unknown = client.request("textDocument/teleport", json!({}));
    assert_eq!(unknown["error"]["code"], json!(-32601), "{unknown}");
    // Parameters of the wrong shape.
    let invalid = client.request("textDocument/hover", json!({ "textDocument": 3 }));
    assert_eq!(invalid["error"]["code"], json!(-32602), "{invalid}");
    // A document that is not open.
    let closed = client.request("textDocument/hover", at("untitled:nope.qdf", 0, 0));
    assert_eq!(closed["error"]["code"], json!(-32602), "{closed}");
    // Positions past the end of the document, and a notification of the wrong shape.
    client.open("untitled:a.qdf", SPEC);
    client.notify("textDocument/didChange", json!({ "textDocument": "nope" }));
    let far = client.request("textDocument/hover", at("untitled:a.qdf", 999, 999));
    assert_eq!(far["result"], Value::Null, "{far}");
    let far = client.request("textDocument/completion", at("untitled:a.qdf", 999, 999));
    assert!(far["result"].is_array(), "{far}");
    // Unknown notifications are ignored; requests with string ids work.
    client.notify("$/unknown", json!({}));
    client.send(&json!({ "jsonrpc": "2.0", "id": "s1", "method": "textDocument/documentSymbol", "params": { "textDocument": { "uri": "untitled:a.qdf" } } }));
    assert!(client.response(&json!("s1"))["result"].is_array());

    // Still alive and answering.
    let hover = client.request("textDocument/hover", at("untitled:a.qdf", 3, 10));
    assert!(hover["result"]["contents"]["value"].is_string(), "{hover}");
    // After shutdown, requests are refused; `exit` then ends with status 0.
    assert_eq!(client.request("shutdown", Value::Null)["result"], Value::Null);
    assert_eq!(client.request("textDocument/hover", at("untitled:a.qdf", 3, 10))["error"]["code"], json!(-32600));
    assert!(client.exit().success());
}

#[test]
fn exit_without_shutdown_is_status_1() {
    let (client, _) = Client::initialized(QDF);
    assert_eq!(client.exit().code(), Some(1));
}

//! The VS Code extension's TextMate grammar and manifest agree with the compiler: every
//! declaration keyword, unit and geometry word the compiler knows is highlighted, and the
//! manifest points at the grammar and the language server. (The grammar's scopes are checked
//! token by token by `npm test` in editors/vscode/, which CI runs only where npm is installed.)

use std::path::Path;

use qdf_compiler::check::schema::DeclKind;
use qdf_compiler::units::UNITS;
use serde_json::Value;

fn read_json(path: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// The `match` (or `begin`) regex of a repository rule.
fn rule(grammar: &Value, name: &str) -> String {
    let rule = &grammar["repository"][name];
    rule["match"].as_str().or_else(|| rule["begin"].as_str()).unwrap_or_else(|| panic!("no rule {name}")).to_string()
}

/// The words of the first `(a|b|c)` alternation in a regex that contains `probe`.
fn alternation(regex: &str, probe: &str) -> Vec<String> {
    let group = regex
        .split('(')
        .filter_map(|part| part.split(')').next())
        .find(|group| group.split('|').any(|w| w == probe))
        .unwrap_or_else(|| panic!("no alternation with {probe} in {regex}"));
    group.split('|').map(str::to_string).collect()
}

#[test]
fn the_grammar_covers_the_compilers_words() {
    let grammar = read_json("editors/vscode/syntaxes/qdf.tmLanguage.json");
    assert_eq!(grammar["scopeName"], "source.qdf");

    let declarations = alternation(&rule(&grammar, "declaration"), "molecule");
    for kind in DeclKind::ALL {
        assert!(declarations.iter().any(|w| w == kind.keyword()), "keyword `{}` is not highlighted", kind.keyword());
    }
    assert_eq!(declarations.len(), DeclKind::ALL.len(), "{declarations:?}");

    let units = alternation(&rule(&grammar, "quantity"), "angstrom");
    for unit in UNITS {
        assert!(units.iter().any(|w| w == unit.name), "unit `{}` is not highlighted", unit.name);
    }
    // Longer names first, so that `ms` does not cut `millisecond` short.
    for (i, a) in units.iter().enumerate() {
        for b in &units[i + 1..] {
            assert!(!b.starts_with(a.as_str()), "`{a}` comes before `{b}`, which it begins");
        }
    }

    assert!(rule(&grammar, "geometry").contains("xyz|zmatrix"));
    assert!(rule(&grammar, "import").contains("(import)") && rule(&grammar, "import").contains("(as)"));
    assert!(rule(&grammar, "scan").contains("(scan)"));
    assert!(grammar["repository"]["comment"]["match"].as_str().is_some_and(|m| m.starts_with('#')));
}

#[test]
fn the_manifest_wires_the_language_the_grammar_and_the_server() {
    let manifest = read_json("editors/vscode/package.json");
    let contributes = &manifest["contributes"];
    assert_eq!(contributes["languages"][0]["id"], "qdf");
    assert_eq!(contributes["languages"][0]["extensions"][0], ".qdf");
    assert_eq!(contributes["grammars"][0]["scopeName"], "source.qdf");
    assert_eq!(contributes["grammars"][0]["path"], "./syntaxes/qdf.tmLanguage.json");
    assert_eq!(contributes["configuration"]["properties"]["qdf.server.path"]["default"], "qdf");
    let configuration = read_json("editors/vscode/language-configuration.json");
    assert_eq!(configuration["comments"]["lineComment"], "#");
    let client = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/vscode/src/extension.ts"))
        .expect("the client source");
    assert!(client.contains(r#"args: ["lsp"]"#), "the client starts `qdf lsp`");
}

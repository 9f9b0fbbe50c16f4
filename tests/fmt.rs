//! `qdf fmt` over every example and corpus file: formatting is idempotent, keeps every comment,
//! and never changes meaning (the same IR hash, or the same diagnostics for specs with errors).

use std::fs;
use std::path::{Path, PathBuf};

use qdf_compiler::{compile, fmt::format, syntax::SyntaxKind, FileLoader};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

struct DirLoader(PathBuf);

impl FileLoader for DirLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        fs::read_to_string(self.0.join(path)).map_err(|e| e.to_string())
    }
}

fn specs() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["examples", "tests/corpus/ok", "tests/corpus/check", "tests/fixtures"] {
        for entry in fs::read_dir(Path::new(ROOT).join(dir)).expect("read dir") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|x| x == "qdf") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn comments(text: &str) -> Vec<String> {
    qdf_compiler::syntax::tokenize(text)
        .into_iter()
        .filter(|t| t.kind == SyntaxKind::COMMENT)
        .map(|t| t.text.trim_end().to_string())
        .collect()
}

/// The meaning of a spec: its IR hash, or its diagnostic codes and messages.
fn meaning(name: &str, text: &str, dir: &Path) -> String {
    let c = compile(name, text, &DirLoader(dir.to_path_buf()));
    match &c.ir {
        Some(ir) => format!("ir {}", ir.hash),
        None => c.diagnostics.iter().map(|d| format!("{} {}\n", d.code.as_str(), d.message)).collect(),
    }
}

#[test]
fn formatting_is_idempotent_and_keeps_comments_and_meaning() {
    let mut failures = Vec::new();
    for path in specs() {
        let name = path.display().to_string();
        let text = fs::read_to_string(&path).expect("read spec");
        let Some(once) = format(&text) else {
            failures.push(format!("{name}: not formatted"));
            continue;
        };
        if format(&once).as_deref() != Some(once.as_str()) {
            failures
                .push(format!("{name}: formatting twice differs:\n{once}\n---\n{}", format(&once).unwrap_or_default()));
        }
        if comments(&text) != comments(&once) {
            failures.push(format!("{name}: comments changed"));
        }
        let dir = path.parent().expect("parent");
        if meaning(&name, &text, dir) != meaning(&name, &once, dir) {
            failures.push(format!("{name}: meaning changed"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn files_with_syntax_errors_are_not_formatted() {
    assert_eq!(format("molecule h2 { charge = }"), None);
}

#[test]
fn canonical_layout() {
    let input = "# water\nimport std.targets.ionq\nmolecule w {geometry=zmatrix{O\nH 1 0.96 # bond\nH 1 0.96 2 104.5} basis=\"6-31g\"\n\n\n  scan r=[1 angstrom,2 angstrom]}\nactive_space cas{molecule=w electrons=4 orbital_indices=[4..7]}\ngenerate g { ansatz = u  optimizer = spsa{max_iter=5 learning_rate=0.1} }";
    let expected = "# water\nimport std.targets.ionq\n\nmolecule w {\n  geometry = zmatrix {\n    O\n    H 1 0.96  # bond\n    H 1 0.96 2 104.5\n  }\n  basis = \"6-31g\"\n\n  scan r = [1 angstrom, 2 angstrom]\n}\n\nactive_space cas {\n  molecule = w\n  electrons = 4\n  orbital_indices = [4..7]\n}\n\ngenerate g {\n  ansatz = u\n  optimizer = spsa { max_iter = 5  learning_rate = 0.1 }\n}\n";
    assert_eq!(format(input).as_deref(), Some(expected));
}

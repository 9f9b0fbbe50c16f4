//! Snapshot tests over `tests/corpus/`: for every file, its syntax tree, its rendered diagnostics
//! and its experiment IR, each compared with a golden file under `tests/golden/<stage>/`.
//!
//! - `ok/`: syntactically valid specs (the pest grammar accepts them, see `pest_oracle.rs`).
//! - `err/`: files with a syntax error.
//! - `check/`: syntactically valid files with semantic errors; each starts with comment lines
//!   `# expect: QDFxxxx` naming the codes it must produce.
//! - the shipped `examples/` get IR and diagnostics snapshots too.
//!
//! Run with `UPDATE_GOLDEN=1` to rewrite the golden files after an intended change, then review
//! the diff.

use std::fs;
use std::path::{Path, PathBuf};

use qdf::cli::render::render;
use qdf_compiler::{compile, ir::ExperimentIr, FileLoader};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// Serves files from one directory, as the command line does for a spec there.
struct DirLoader(PathBuf);

impl FileLoader for DirLoader {
    fn load(&self, path: &str) -> Result<String, String> {
        fs::read_to_string(self.0.join(path)).map_err(|e| e.to_string())
    }
}

fn qdf_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "qdf"))
        .collect();
    files.sort();
    files
}

/// Compares `actual` with the golden file, or rewrites it under `UPDATE_GOLDEN=1`. Returns a
/// description of the mismatch instead of panicking, so one run lists every stale snapshot.
fn check_golden(stage: &str, group: &str, stem: &str, ext: &str, actual: &str) -> Option<String> {
    let path = Path::new(ROOT).join("tests/golden").join(stage).join(group).join(format!("{stem}.{ext}"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        fs::create_dir_all(path.parent().expect("golden path has a parent")).expect("create golden dir");
        fs::write(&path, actual).expect("write golden file");
        return None;
    }
    match fs::read_to_string(&path) {
        Ok(expected) if expected == actual => None,
        Ok(expected) => {
            let line = expected.lines().zip(actual.lines()).position(|(a, b)| a != b).unwrap_or(0) + 1;
            Some(format!("{} differs first at line {line} (UPDATE_GOLDEN=1 to accept)", path.display()))
        }
        Err(_) => Some(format!("{} is missing (UPDATE_GOLDEN=1 to create)", path.display())),
    }
}

/// One line per node: id, kind, hash prefix, inputs, label, and the task's JSON.
fn ir_listing(ir: &ExperimentIr) -> String {
    let mut out = format!("experiment {} seed {} hash {}\n", ir.experiment.name, ir.experiment.seed, &ir.hash[..16]);
    for node in &ir.nodes {
        let task = serde_json::to_string(&node.task).expect("task serialises");
        out.push_str(&format!("#{} {} {:?} {} {}\n", node.id, &node.hash[..12], node.inputs, node.label, task));
    }
    out
}

fn run_group(group: &str, dir: &Path, with_tree: bool) -> Vec<String> {
    let mut failures = Vec::new();
    for path in qdf_files(dir) {
        let stem = path.file_stem().expect("file stem").to_string_lossy().into_owned();
        let text = fs::read_to_string(&path).expect("read corpus file");
        let name = format!("{group}/{stem}.qdf");
        let compilation = compile(&name, &text, &DirLoader(dir.to_path_buf()));
        if with_tree {
            failures.extend(check_golden("tree", group, &stem, "txt", &compilation.parse.debug_tree()));
        }
        let rendered: String = render(&compilation.sources, &compilation.diagnostics, false);
        failures.extend(check_golden("diagnostics", group, &stem, "txt", &rendered));
        if let Some(ir) = &compilation.ir {
            if let Err(errors) = qdf_compiler::ir::validate(ir) {
                failures.push(format!("{name}: invalid IR: {errors:?}"));
            }
            failures.extend(check_golden("ir", group, &stem, "txt", &ir_listing(ir)));
        }
        if group == "check" {
            failures.extend(expected_codes(&name, &text, &compilation));
        }
        if group == "err" && compilation.parse.errors().is_empty() {
            failures.push(format!("{name}: expected a syntax error"));
        }
        if group == "ok" && !compilation.parse.errors().is_empty() {
            failures.push(format!("{name}: unexpected syntax errors"));
        }
    }
    failures
}

/// The `# expect: QDFxxxx` header of a `check/` file must list exactly the codes produced.
fn expected_codes(name: &str, text: &str, compilation: &qdf_compiler::Compilation) -> Option<String> {
    let mut expected: Vec<&str> =
        text.lines().filter_map(|l| l.strip_prefix("# expect: ")).flat_map(|l| l.split_whitespace()).collect();
    let mut actual: Vec<&str> = compilation.diagnostics.iter().map(|d| d.code.as_str()).collect();
    expected.sort_unstable();
    actual.sort_unstable();
    (expected != actual).then(|| format!("{name}: expected codes {expected:?}, got {actual:?}"))
}

#[test]
fn corpus_snapshots() {
    let corpus = Path::new(ROOT).join("tests/corpus");
    let mut failures = Vec::new();
    failures.extend(run_group("ok", &corpus.join("ok"), true));
    failures.extend(run_group("err", &corpus.join("err"), true));
    failures.extend(run_group("check", &corpus.join("check"), false));
    failures.extend(run_group("examples", &Path::new(ROOT).join("examples"), false));
    assert!(failures.is_empty(), "{} snapshot failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn examples_compile_without_diagnostics() {
    for path in qdf_files(&Path::new(ROOT).join("examples")) {
        let text = fs::read_to_string(&path).expect("read example");
        let compilation = compile(&path.display().to_string(), &text, &DirLoader(Path::new(ROOT).join("examples")));
        let rendered: String = render(&compilation.sources, &compilation.diagnostics, false);
        assert!(compilation.diagnostics.is_empty(), "{}:\n{rendered}", path.display());
        assert!(compilation.ir.is_some(), "{}: no IR", path.display());
    }
}

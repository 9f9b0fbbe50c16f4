//! The grammar oracle.
//!
//! `grammar/qdf.pest` is the normative grammar of qdf. These tests load it at test time (pest_meta:
//! parse, validate, optimise), run it with pest's VM from rule `file`, and hold both the corpus and
//! the real, hand-written parser (`qdf_compiler::syntax::parse`) to it:
//!
//! - pest accepts every `tests/corpus/ok/*.qdf` and every `tests/corpus/check/*.qdf` (files with
//!   semantic errors only; the directory is optional), and rejects every `tests/corpus/err/*.qdf`;
//! - the real parser reports no syntax error on exactly the inputs pest accepts: the whole corpus,
//!   a list of lexical and layout edge cases below, and every ok/ file with its layout collapsed;
//! - layout is free: every ok/ file is still accepted with each run of whitespace (outside strings
//!   and comments) collapsed into one space, or removed where it separates nothing.
//!
//! Every test lists all of its failures in one message.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use pest_vm::Vm;

const CORPUS_OK: &str = "tests/corpus/ok";
const CORPUS_ERR: &str = "tests/corpus/err";
const CORPUS_CHECK: &str = "tests/corpus/check";

/// Inputs outside the corpus where a hand-written lexer and parser most easily drift from the
/// grammar. No expectation is written down for them: the real parser must simply agree with pest.
const EDGE_CASES: &[&str] = &[
    // Numbers: maximal munch, backtracking out of `.` and exponents, units glued to numbers.
    "experiment e { x = 1..5 }",
    "experiment e { x = 1 .. 5 }",
    "experiment e { x = 1.5..2.5 }",
    "experiment e { x = 1. }",
    "experiment e { x = 1.e5 }",
    "experiment e { x = .5 }",
    "experiment e { x = 1.5e }",
    "experiment e { x = 1e+ }",
    "experiment e { x = 2e6per_point }",
    "experiment e { x = 2electrons }",
    "experiment e { x = 0.74angstrom }",
    "experiment e { x = 1E-3  y = 2e+6 }",
    "experiment e { x = 007 }",
    "experiment e { x = 1..2..3 }",
    "experiment e { x = 0.74.1 }",
    // Units and the next field.
    "experiment e { x = 2  y = 3 }",
    "experiment e { x = 2 angstrom  y = 3 }",
    "experiment e { x = 2\n  y\n  = 3 }",
    "experiment e { x = 2 # two\n  y # the next field\n  = 3 }",
    "experiment e { x = 2 angstrom == r }",
    "experiment e { x = 2 model }",
    "experiment e { x = 2 scan }",
    "experiment e { x = 2 angstrom angstrom }",
    "experiment e { x = [1, 2] angstrom }",
    "experiment e { x = 300 µs  y = 0.5 Å }",
    // Operators and `=`.
    "experiment e { x=-1 }",
    "experiment e { x = - - 1 }",
    "experiment e { x = +1 }",
    "experiment e { x == 1 }",
    "experiment e { x = = 1 }",
    "experiment e { x = a <= b }",
    "experiment e { x = a < = b }",
    "experiment e { x = a != b }",
    "experiment e { x = a ! = b }",
    "experiment e { x = a => b }",
    "experiment e { x = a < b < c }",
    "experiment e { x = (a < b) < c }",
    "experiment e { x = f(a = 1, b == 2, c) }",
    "experiment e { x = f(a = ) }",
    "experiment e { x = f(,) }",
    "experiment e { x = f(1,) }",
    "experiment e { x = f(1,,) }",
    "experiment e { x = [,] }",
    // Keywords as names.
    "experiment e { molecule = h2  noise = device  molecule_set = s }",
    "experiment e { scan = 1 }",
    "experiment e { import = 1 }",
    "experiment e { as = 1 }",
    "experiment e { x = molecule_set.members }",
    "experiment e { x = device { noise = on } }",
    "experiment e { x = scan }",
    "experiment e { x = a.scan }",
    "experiment e { x = f(molecule = h2) }",
    "experiment e { scan device = [1, 2] }",
    "experiment e { x = molecules  y = models  z = scans  w = important  v = ask }",
    "molecule_set molecule_sets {}",
    "molecule molecule {}",
    "molecule xyz { geometry = zmatrix }",
    "experiment { }",
    "experiment e",
    "experiment e {",
    "experiment e }",
    "experiment e {} }",
    // Paths.
    "experiment e { x = ionq . aria }",
    "experiment e { x = ionq.\n aria }",
    "experiment e { x = ionq.aria. }",
    "experiment e { x = ionq..aria }",
    // Imports.
    "import std",
    "import std.targets.ionq as iq",
    "import std.targets.ionq as",
    "import std.targets.ionq as iq.x",
    "import std.targets.",
    "import std.targets.\nexperiment e {}",
    "import\nexperiment e {}",
    "import std.device",
    "import device\nexperiment e {}",
    "import std as scan",
    "import \"std/targets\"",
    "experiment e { import std.targets.ionq }",
    // Geometry blocks.
    "molecule m { geometry = xyz {} }",
    "molecule m { geometry = xyz { H } }",
    "molecule m { geometry = xyz { H 0 0 0 H 0 0 0.74 } }",
    "molecule m { geometry = xyz { H 0 0 - 0.74 } }",
    "molecule m { geometry = xyz { H 0 0 -0.74-0.5 } }",
    "molecule m { geometry = xyz { H 0 0 {r}{r} } }",
    "molecule m { geometry = xyz { H 0 0 0.74 angstrom } }",
    "molecule m { geometry = xyz { H 0 0 r } }",
    "molecule m { geometry = xyz { H 0 0 -r } }",
    "molecule m { geometry = xyz { H 0 0 -{r} } }",
    "molecule m { geometry = xyz { H 0 0 +1 } }",
    "molecule m { geometry = xyz { H 0 0 {} } }",
    "molecule m { geometry = xyz { H 0 0 {r } }",
    "molecule m { geometry = xyz { 0 0 0 } }",
    "molecule m { geometry = xyz { H 0 0 \"0\" } }",
    "molecule m { geometry = xyz { scan 0 0 0 } }",
    "molecule m { geometry = xyz { H 0 0 0 }",
    "molecule m { geometry = xyz { H 0 0 0\n  basis = \"sto-3g\" }",
    "molecule m { geometry = xyz\n{ H 0 0 0 } }",
    "molecule m { geometry = xyz { format = extended } }",
    "molecule m { geometry = xyz }",
    "molecule m { geometry = xyz.file }",
    "molecule m { geometry = xyz.file { a = 1 } }",
    "molecule m { geometry = zmatrix { O H 1 {r} H 1 {r} 2 {theta} } }",
    // Records and lists.
    "experiment e { x = lbfgs {} }",
    "experiment e { x = lbfgs { a = 1, b = 2 } }",
    "experiment e { x = lbfgs { scan a = 1..2 } }",
    "experiment e { x = lbfgs { a = 1 } { b = 2 } }",
    "experiment e { x = [lbfgs { a = 1 }, [], [[]]] }",
    "experiment e { x = [1 2] }",
    "experiment e { x = [1, 2 }",
    // Strings and comments.
    "experiment e { x = \"a\\\"b\" }",
    "experiment e { x = \"a\\\\\" }",
    "experiment e { x = \"a\\\" }",
    "experiment e { x = \"a\nb\" }",
    "experiment e { x = \"a # b\" }",
    "experiment e { x = \"\" }",
    "experiment e { x = \"a\" \"b\" }",
    "experiment e { x = 1 } #",
    "experiment e { x = 1 } # no newline",
    "#",
    "\n\n\n",
    " \t\r\n",
    "experiment e {}\r\n# c\r\nmolecule m {}\r\n",
    // Characters no token starts with.
    "experiment e { x = @a }",
    "experiment e { x = $a }",
    "experiment e { x = a; y = b }",
    "experiment e { x: 1 }",
    "experiment e { x = a % b }",
    "experiment e { x = a ^ 2 }",
    "experiment e { x = 'a' }",
    "experiment e { x = 1 } \u{feff}",
    "\u{feff}experiment e {}",
    "experiment e { x\u{a0}= 1 }",
    "molecule h₂ {}",
    "molecule _ {}",
    "molecule hydrogène { énergie = 1 }",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The grammar, loaded the way a grammar author would: parsed, validated and optimised by
/// pest_meta, run by pest_vm.
fn grammar() -> Vm {
    let path = root().join("grammar/qdf.pest");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let (_, rules) = pest_meta::parse_and_optimize(&text).unwrap_or_else(|errors| {
        let mut message = format!("{} is not a valid pest grammar:\n", path.display());
        for error in errors {
            let _ = writeln!(message, "{error}");
        }
        panic!("{message}")
    });
    Vm::new(rules)
}

/// Runs the grammar from `file` over `text`: `Ok(())` or a one-line `line:col: message`.
fn pest_parse(vm: &Vm, text: &str) -> Result<(), String> {
    match vm.parse("file", text) {
        Ok(_) => Ok(()),
        Err(error) => {
            let (line, col) = match error.line_col {
                pest::error::LineColLocation::Pos(pos) => pos,
                pest::error::LineColLocation::Span(start, _) => start,
            };
            Err(format!("{line}:{col}: {}", error.variant.message()))
        }
    }
}

/// The real parser's verdict: `Ok(())` when it reports no syntax error, else its first error.
fn real_parse(text: &str) -> Result<(), String> {
    let parse = qdf_compiler::syntax::parse(text);
    match parse.errors().first() {
        None => Ok(()),
        Some(first) => Err(format!("{} error(s), first: {first:?}", parse.errors().len())),
    }
}

struct CorpusFile {
    /// Relative to the repository root, for messages.
    name: String,
    text: String,
}

/// The `.qdf` files directly in `dir` (relative to the repository root), sorted by name.
/// `None` when the directory does not exist.
fn corpus(dir: &str) -> Option<Vec<CorpusFile>> {
    let full = root().join(dir);
    let entries = match std::fs::read_dir(&full) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => panic!("cannot list {}: {e}", full.display()),
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap_or_else(|e| panic!("cannot list {}: {e}", full.display())))
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "qdf"))
        .collect();
    paths.sort();
    Some(
        paths
            .into_iter()
            .map(|path| CorpusFile {
                name: format!("{dir}/{}", file_name(&path)),
                text: std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display())),
            })
            .collect(),
    )
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default()
}

/// A corpus directory that must exist and hold at least `min` files.
fn required_corpus(dir: &str, min: usize) -> Vec<CorpusFile> {
    let files = corpus(dir).unwrap_or_else(|| panic!("{dir}/ is missing"));
    assert!(files.len() >= min, "{dir}/ holds {} .qdf files, expected at least {min}", files.len());
    files
}

fn report(failures: &[String], what: &str) {
    assert!(failures.is_empty(), "{} {what}:\n  {}", failures.len(), failures.join("\n  "));
}

#[test]
fn grammar_is_valid() {
    grammar();
}

#[test]
fn pest_accepts_ok_and_check_corpus() {
    let vm = grammar();
    let mut files = required_corpus(CORPUS_OK, 25);
    files.extend(corpus(CORPUS_CHECK).unwrap_or_default());
    let failures: Vec<String> = files
        .iter()
        .filter_map(|file| pest_parse(&vm, &file.text).err().map(|error| format!("{}:{error}", file.name)))
        .collect();
    report(&failures, "files that must parse are rejected by grammar/qdf.pest");
}

#[test]
fn pest_rejects_err_corpus() {
    let vm = grammar();
    let files = required_corpus(CORPUS_ERR, 20);
    let mut failures = Vec::new();
    for file in &files {
        if !file.text.starts_with("# error: ") {
            failures.push(format!("{}: does not start with `# error: <what is wrong>`", file.name));
        }
        if pest_parse(&vm, &file.text).is_ok() {
            let what = file.text.lines().next().unwrap_or_default();
            failures.push(format!("{}: accepted by grammar/qdf.pest ({what})", file.name));
        }
    }
    report(&failures, "problems with the syntax-error corpus");
}

/// The contract of the hand-written parser: no syntax error exactly where pest accepts.
#[test]
fn real_parser_agrees_with_pest() {
    let vm = grammar();
    let mut inputs: Vec<(String, String)> = Vec::new();
    for dir in [CORPUS_OK, CORPUS_ERR, CORPUS_CHECK] {
        for file in corpus(dir).unwrap_or_default() {
            if dir == CORPUS_OK {
                inputs.push((format!("{} (collapsed)", file.name), collapse_layout(&file.text)));
                inputs.push((format!("{} (squeezed)", file.name), squeeze_layout(&file.text)));
            }
            inputs.push((file.name, file.text));
        }
    }
    for (i, text) in EDGE_CASES.iter().enumerate() {
        inputs.push((format!("EDGE_CASES[{i}] {text:?}"), (*text).to_owned()));
    }

    let mut failures = Vec::new();
    for (name, text) in &inputs {
        match (pest_parse(&vm, text), real_parse(text)) {
            (Ok(()), Err(error)) => {
                failures.push(format!("{name}: pest accepts, the parser rejects: {error}"));
            }
            (Err(error), Ok(())) => {
                failures.push(format!("{name}: the parser accepts, pest rejects at {error}"));
            }
            _ => {}
        }
    }
    report(&failures, "disagreements between qdf_compiler::syntax::parse and grammar/qdf.pest");
}

/// Layout is free: whitespace runs may be collapsed to one space, and dropped next to punctuation.
#[test]
fn pest_accepts_ok_corpus_with_other_layout() {
    let vm = grammar();
    let mut failures = Vec::new();
    for file in required_corpus(CORPUS_OK, 25) {
        for (how, text) in [("collapsed", collapse_layout(&file.text)), ("squeezed", squeeze_layout(&file.text))] {
            if let Err(error) = pest_parse(&vm, &text) {
                failures.push(format!("{} ({how}):{error}\n    text: {text:?}", file.name));
            }
        }
    }
    report(&failures, "ok/ files rejected after a change of layout");
}

#[test]
fn layout_rewriting_keeps_strings_and_comments() {
    let text = "a  =  \"x   y\"   # c  d\n\n  b = [ 1 ,\t2 ]\r\n";
    assert_eq!(collapse_layout(text), "a = \"x   y\" # c  d\nb = [ 1 , 2 ] ");
    assert_eq!(squeeze_layout(text), "a=\"x   y\"# c  d\nb=[1,2]");
}

/// One piece of source text, for the layout rewriters.
#[derive(Debug, PartialEq)]
enum Piece<'a> {
    /// A maximal run of the grammar's WHITESPACE characters.
    Space,
    /// A comment, `#` up to (not including) the end of the line.
    Comment(&'a str),
    /// Anything else: strings (even unterminated ones) and all other characters.
    Text(&'a str),
}

/// Splits `text` into whitespace runs, comments and the rest, the way the grammar sees them.
fn pieces(text: &str) -> Vec<Piece<'_>> {
    let is_space = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let len = if is_space(c) {
            rest.find(|c| !is_space(c)).unwrap_or(rest.len())
        } else if c == '#' {
            rest.find('\n').unwrap_or(rest.len())
        } else if c == '"' {
            // Up to the closing quote, skipping escapes; an unterminated string stops at the line end.
            let mut end = rest.len();
            let mut chars = rest.char_indices().skip(1);
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    '\n' => {
                        end = i;
                        break;
                    }
                    _ => {}
                }
            }
            end
        } else {
            rest.find(|c: char| is_space(c) || c == '#' || c == '"').unwrap_or(rest.len())
        };
        let (piece, tail) = rest.split_at(len);
        out.push(if is_space(c) {
            Piece::Space
        } else if c == '#' {
            Piece::Comment(piece)
        } else {
            Piece::Text(piece)
        });
        rest = tail;
    }
    out
}

/// Every whitespace run outside strings and comments becomes one space, except after a comment,
/// where it becomes the newline that ends the comment.
fn collapse_layout(text: &str) -> String {
    let mut out = String::new();
    let mut after_comment = false;
    for piece in pieces(text) {
        match piece {
            Piece::Space => out.push(if after_comment { '\n' } else { ' ' }),
            Piece::Comment(comment) => out.push_str(comment),
            Piece::Text(text) => out.push_str(text),
        }
        after_comment = matches!(piece, Piece::Comment(_));
    }
    out
}

/// Like [`collapse_layout`], but a whitespace run disappears unless it separates two word
/// characters (letters, digits, `_`), which it must keep apart, or ends a comment.
fn squeeze_layout(text: &str) -> String {
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let pieces = pieces(text);
    let mut out = String::new();
    for (i, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Space => {
                let after_comment = i > 0 && matches!(pieces[i - 1], Piece::Comment(_));
                let next = match pieces.get(i + 1) {
                    Some(Piece::Text(text)) => text.chars().next(),
                    _ => None,
                };
                if after_comment {
                    out.push('\n');
                } else if is_word(out.chars().next_back()) && is_word(next) {
                    out.push(' ');
                }
            }
            Piece::Comment(comment) => out.push_str(comment),
            Piece::Text(text) => out.push_str(text),
        }
    }
    out
}

//! Property tests: the front end never panics and keeps its invariants on arbitrary input.
//!
//! Input generators, each run for a fixed number of cases from a fixed seed so that CI is
//! reproducible (no `PROPTEST_*` variable changes the cases or the seed, and no regression files
//! are written):
//!
//! - arbitrary Unicode strings (and mostly-ASCII ones, where the grammar lives);
//! - strings built from a qdf-flavoured alphabet (keywords, punctuation, numbers, units, element
//!   symbols, comments, strings, newlines, `xyz` and `zmatrix`), glued and space-separated;
//! - mutations of the corpus and example files: byte-range edits at character boundaries (delete,
//!   insert, duplicate, swap) and token edits (drop, replace, duplicate, swap);
//! - the same files with their layout changed (spaces, line breaks, comments): mostly still valid,
//!   which is where the formatter does its work;
//! - the same files with a few numbers replaced by edge cases (`1e308`, `4294967297`, `9e18`, ...):
//!   still valid syntax, so they reach the checker's arithmetic and the IR validator.
//!
//! Half of the mutated files are ones that compile to a non-empty IR.
//!
//! For every input, [`check_invariants`] asserts:
//!
//! - `tokenize` is lossless: the tokens' texts concatenate to the input, at consecutive offsets;
//! - `parse(text).syntax().to_string() == text`;
//! - every syntax error range lies within the text, at character boundaries;
//! - `compile` does not panic and every diagnostic's primary and label spans lie within their
//!   file's text, at character boundaries;
//! - if the IR was built, `ir::validate` accepts it;
//! - if `fmt::format` gives `Some(f)`, then `f` parses without errors, formatting it again gives
//!   `f` back, `f` has the same comments in the same order, and `f` compiles to the same IR hash
//!   (and has errors exactly when the original did).
//!
//! Deeply nested inputs (100 000 brackets, long operator chains, nesting right at the parser's
//! limit) must not overflow a 2 MiB stack, and minimised inputs that once broke an invariant stay
//! here as regression cases. `fuzz/` has cargo-fuzz targets checking the same invariants.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed, TestRng, TestRunner};
use qdf_compiler::source::Span;
use qdf_compiler::syntax::{parse, tokenize};
use qdf_compiler::{compile, fmt, ir, FileLoader};

/// Cases per generator. The front end is fast, so this runs in a few seconds at opt-level 1.
const CASES: u32 = 384;

/// Answers every `file(...)` with a small valid XYZ file, so geometry files are checked too.
#[derive(Debug)]
struct AnyXyz;

impl FileLoader for AnyXyz {
    fn load(&self, _path: &str) -> Result<String, String> {
        Ok("3\nwater, angstrom\nO 0.000 0.000 0.117\nH 0.000 0.757 -0.470\nH 0.000 -0.757 -0.470\n".into())
    }
}

// --- The invariants -----------------------------------------------------------------------------

fn check_span_in(text: &str, start: usize, end: usize, what: &str, input: &str) {
    assert!(
        start <= end && end <= text.len(),
        "{what}: range {start}..{end} is outside a text of {} bytes\ninput: {input:?}",
        text.len()
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what}: range {start}..{end} is not at character boundaries\ninput: {input:?}"
    );
}

/// Everything the front end promises about `text`; panics with the input on a violation.
fn check_invariants(text: &str) {
    // The lexer is lossless and its offsets are consecutive.
    let tokens = tokenize(text);
    let mut offset = 0;
    for token in &tokens {
        assert!(!token.text.is_empty(), "empty token {token:?}\ninput: {text:?}");
        assert_eq!(token.offset, offset, "token {token:?} is not where the previous one ended\ninput: {text:?}");
        assert_eq!(
            &text[offset..offset + token.text.len()],
            token.text,
            "token text is not the input's\ninput: {text:?}"
        );
        offset += token.text.len();
    }
    assert_eq!(offset, text.len(), "tokens do not cover the input\ninput: {text:?}");

    // The tree is lossless; syntax errors point into the text.
    let parsed = parse(text);
    assert_eq!(parsed.syntax().to_string(), text, "the tree does not print back the input\ninput: {text:?}");
    for error in parsed.errors() {
        check_span_in(text, error.range.start, error.range.end, "syntax error", text);
    }

    // Checking never panics; every span lies in its file.
    let compilation = compile("fuzz.qdf", text, &AnyXyz);
    assert_eq!(compilation.sources.get(compilation.main).text, text);
    let check_label = |span: Span, what: &str| {
        let file = compilation.sources.get(span.file);
        check_span_in(&file.text, span.start as usize, span.end as usize, what, text);
    };
    for diagnostic in &compilation.diagnostics {
        check_label(diagnostic.primary.span, &format!("{} primary span", diagnostic.code.as_str()));
        for label in &diagnostic.labels {
            check_label(label.span, &format!("{} label span", diagnostic.code.as_str()));
        }
    }
    assert_eq!(
        compilation.ir.is_some(),
        !compilation.has_errors(),
        "the IR is built exactly when there are no errors\ninput: {text:?}"
    );
    if let Some(ir) = &compilation.ir {
        if let Err(errors) = ir::validate(ir) {
            panic!("invalid IR: {errors:?}\ninput: {text:?}");
        }
    }

    // The formatter is idempotent, gives parseable text and keeps the meaning.
    if let Some(formatted) = fmt::format(text) {
        let reparsed = parse(&formatted);
        assert!(
            reparsed.errors().is_empty(),
            "formatted text has syntax errors {:?}\ninput: {text:?}\nformatted: {formatted:?}",
            reparsed.errors()
        );
        assert_eq!(
            fmt::format(&formatted).as_deref(),
            Some(formatted.as_str()),
            "formatting is not idempotent\ninput: {text:?}"
        );
        assert_eq!(
            comments(&formatted),
            comments(text),
            "formatting lost, added or reordered comments\ninput: {text:?}\nformatted: {formatted:?}"
        );
        let again = compile("fuzz.qdf", &formatted, &AnyXyz);
        assert_eq!(
            again.has_errors(),
            compilation.has_errors(),
            "formatting changed whether the spec has errors\ninput: {text:?}\nformatted: {formatted:?}\nbefore: {:?}\nafter: {:?}",
            compilation.diagnostics,
            again.diagnostics
        );
        assert_eq!(
            again.ir.as_ref().map(|ir| &ir.hash),
            compilation.ir.as_ref().map(|ir| &ir.hash),
            "formatting changed the IR hash\ninput: {text:?}\nformatted: {formatted:?}"
        );
    }
}

/// The comments of a text, in order, without trailing whitespace (the formatter trims it).
fn comments(text: &str) -> Vec<String> {
    tokenize(text)
        .iter()
        .filter(|t| t.kind == qdf_compiler::syntax::SyntaxKind::COMMENT)
        .map(|t| t.text.trim_end().to_string())
        .collect()
}

// --- Inputs -------------------------------------------------------------------------------------

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn qdf_files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "qdf"))
        .collect();
    files.sort();
    files
}

/// The corpus and the examples, read once.
fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let root = root();
        let mut texts = Vec::new();
        for dir in ["tests/corpus/ok", "tests/corpus/err", "tests/corpus/check", "examples"] {
            let dir = root.join(dir);
            if dir.is_dir() {
                for path in qdf_files_in(&dir) {
                    let text = std::fs::read_to_string(&path)
                        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
                    texts.push(text);
                }
            }
        }
        assert!(texts.len() >= 30, "expected the corpus and examples, found {} files", texts.len());
        texts
    })
}

/// The seeds that compile to an IR: mutations of them reach the lowering and the validator.
fn seeds_with_ir() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let texts: Vec<String> = seeds()
            .iter()
            .filter(|text| compile("seed.qdf", text, &AnyXyz).ir.is_some_and(|ir| !ir.nodes.is_empty()))
            .cloned()
            .collect();
        assert!(!texts.is_empty(), "no seed compiles to a non-empty IR");
        texts
    })
}

/// A seed, half the time one that compiles to a non-empty IR.
fn seed() -> impl Strategy<Value = String> {
    prop_oneof![prop::sample::select(seeds()), prop::sample::select(seeds_with_ir())]
}

/// Pieces of qdf: whole words, punctuation, literals and layout.
const ALPHABET: &[&str] = &[
    // Reserved words.
    "import",
    "as",
    "scan",
    "experiment",
    "molecule",
    "molecule_set",
    "active_space",
    "mapping",
    "ansatz",
    "device",
    "noise",
    "generate",
    "model",
    "train",
    "compare",
    "std",
    "std.targets.ionq",
    "ionq",
    "aria",
    "forte",
    // Field names and common values.
    "seed",
    "geometry",
    "basis",
    "charge",
    "multiplicity",
    "electrons",
    "orbitals",
    "frozen_core",
    "kind",
    "space",
    "precision",
    "shots",
    "references",
    "record",
    "optimizer",
    "max_iter",
    "features",
    "hidden",
    "activation",
    "target",
    "data",
    "labels",
    "split",
    "epochs",
    "truth",
    "members",
    "file",
    "linspace",
    "extrapolate",
    "interpolate",
    "uccsd",
    "jordan_wigner",
    "parity",
    "bravyi_kitaev",
    "lbfgs",
    "energy",
    "hf",
    "mp2",
    "ccsd",
    "fci",
    "vqe",
    "silu",
    "on",
    "off",
    "none",
    "per_point",
    "h2",
    "cas",
    "r",
    "a",
    "theta",
    "_",
    "x1",
    // Geometry.
    "xyz",
    "zmatrix",
    "xyz {",
    "zmatrix {",
    "H",
    "He",
    "Li",
    "Be",
    "C",
    "N",
    "O",
    "F",
    "Na",
    "Xx",
    "h",
    // Punctuation.
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "=",
    "==",
    "!=",
    "..",
    ".",
    ",",
    "-",
    "+",
    "*",
    "/",
    "<",
    ">",
    "<=",
    ">=",
    // Numbers and units.
    "0",
    "1",
    "2",
    "7",
    "21",
    "-1",
    "0.74",
    "1.5e-3",
    "2e6",
    "1e308",
    "1e309",
    "1e-400",
    "99999999999999999999999",
    "4294967296",
    "18446744073709551616",
    "0.0",
    "1.",
    ".5",
    "1e",
    "angstrom",
    "bohr",
    "hartree",
    "millihartree",
    "eV",
    "kcal_per_mol",
    "degree",
    "deg",
    "radian",
    "µs",
    "Å",
    "ms",
    "shot",
    // Strings and comments.
    "\"sto-3g\"",
    "\"cc-pvdz\"",
    "\"\"",
    "\"a\\\"b\"",
    "\"open",
    "\"\\",
    "\"water.xyz\"",
    "# comment",
    "#",
    // Layout and odd characters.
    " ",
    " ",
    " ",
    "  ",
    "\n",
    "\n",
    "\r\n",
    "\t",
    "\r",
    "@",
    "$",
    "é",
    "α",
    "₂",
    "\u{0}",
    "\u{feff}",
    "\u{200b}",
    "🦀",
];

fn alphabet_text() -> impl Strategy<Value = String> {
    // Glued pieces make the lexer's edge cases (`1..5`, `2e6per_point`, `==`).
    prop::collection::vec(prop::sample::select(ALPHABET), 0..160).prop_map(|pieces| pieces.concat())
}

/// Pieces separated by spaces: whole words, closer to real specs.
fn spaced_alphabet_text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ALPHABET), 0..160).prop_map(|pieces| pieces.join(" "))
}

fn unicode_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(any::<char>(), 0..400).prop_map(String::from_iter),
        // Mostly ASCII punctuation and letters, where the grammar lives.
        prop::collection::vec(prop::char::range(' ', '~'), 0..400).prop_map(String::from_iter),
    ]
}

/// One edit of a text. Positions are arbitrary numbers, reduced modulo the text's length and moved
/// down to a character boundary when applied.
#[derive(Clone, Debug)]
enum Edit {
    Delete {
        at: usize,
        len: usize,
    },
    InsertPiece {
        at: usize,
        piece: &'static str,
    },
    /// Copies `len` bytes from `from` to `at`.
    Duplicate {
        from: usize,
        len: usize,
        at: usize,
    },
    Swap {
        a: usize,
        b: usize,
        len: usize,
    },
    DropToken {
        index: usize,
    },
    ReplaceToken {
        index: usize,
        piece: &'static str,
    },
    DuplicateToken {
        index: usize,
    },
    SwapTokens {
        a: usize,
        b: usize,
    },
}

fn edit() -> impl Strategy<Value = Edit> {
    let pos = any::<usize>();
    let len = 0usize..64;
    prop_oneof![
        (pos, len.clone()).prop_map(|(at, len)| Edit::Delete { at, len }),
        (pos, prop::sample::select(ALPHABET)).prop_map(|(at, piece)| Edit::InsertPiece { at, piece }),
        (pos, len.clone(), pos).prop_map(|(from, len, at)| Edit::Duplicate { from, len, at }),
        (pos, pos, len).prop_map(|(a, b, len)| Edit::Swap { a, b, len }),
        pos.prop_map(|index| Edit::DropToken { index }),
        (pos, prop::sample::select(ALPHABET)).prop_map(|(index, piece)| Edit::ReplaceToken { index, piece }),
        pos.prop_map(|index| Edit::DuplicateToken { index }),
        (pos, pos).prop_map(|(a, b)| Edit::SwapTokens { a, b }),
    ]
}

/// `at` reduced into `0..=text.len()` and moved down to a character boundary.
fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The range `at..at + len`, clipped to the text and to character boundaries.
fn range(text: &str, at: usize, len: usize) -> std::ops::Range<usize> {
    let start = boundary(text, at);
    let end = boundary(text, start.saturating_add(len).min(text.len()));
    start..end.max(start)
}

fn apply(text: &str, edit: &Edit) -> String {
    match *edit {
        Edit::Delete { at, len } => {
            let r = range(text, at, len);
            format!("{}{}", &text[..r.start], &text[r.end..])
        }
        Edit::InsertPiece { at, piece } => {
            let at = boundary(text, at);
            format!("{}{piece}{}", &text[..at], &text[at..])
        }
        Edit::Duplicate { from, len, at } => {
            let r = range(text, from, len);
            let at = boundary(text, at);
            format!("{}{}{}", &text[..at], &text[r], &text[at..])
        }
        Edit::Swap { a, b, len } => {
            let (mut x, mut y) = (range(text, a, len), range(text, b, len));
            if x.start > y.start {
                std::mem::swap(&mut x, &mut y);
            }
            if x.end > y.start {
                return text.to_string();
            }
            format!("{}{}{}{}{}", &text[..x.start], &text[y.clone()], &text[x.end..y.start], &text[x], &text[y.end..])
        }
        Edit::DropToken { index } | Edit::DuplicateToken { index } => {
            let tokens = tokenize(text);
            if tokens.is_empty() {
                return text.to_string();
            }
            let t = tokens[index % tokens.len()];
            let end = t.offset + t.text.len();
            if matches!(edit, Edit::DropToken { .. }) {
                format!("{}{}", &text[..t.offset], &text[end..])
            } else {
                format!("{}{}{}", &text[..end], t.text, &text[end..])
            }
        }
        Edit::ReplaceToken { index, piece } => {
            let tokens = tokenize(text);
            if tokens.is_empty() {
                return piece.to_string();
            }
            let t = tokens[index % tokens.len()];
            format!("{}{piece}{}", &text[..t.offset], &text[t.offset + t.text.len()..])
        }
        Edit::SwapTokens { a, b } => {
            let tokens = tokenize(text);
            if tokens.is_empty() {
                return text.to_string();
            }
            let (mut i, mut j) = (a % tokens.len(), b % tokens.len());
            if i > j {
                std::mem::swap(&mut i, &mut j);
            }
            if i == j {
                return text.to_string();
            }
            let (x, y) = (tokens[i], tokens[j]);
            let x_end = x.offset + x.text.len();
            let y_end = y.offset + y.text.len();
            format!("{}{}{}{}{}", &text[..x.offset], y.text, &text[x_end..y.offset], x.text, &text[y_end..])
        }
    }
}

fn mutated_seed() -> impl Strategy<Value = String> {
    (seed(), prop::collection::vec(edit(), 1..8))
        .prop_map(|(seed, edits)| edits.iter().fold(seed, |text, edit| apply(&text, edit)))
}

/// A ChaCha seed from a number.
fn seed_bytes(seed: u64) -> [u8; 32] {
    let mut bytes = [0u8; 32];
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        chunk.copy_from_slice(&(seed.rotate_left(17 * i as u32) ^ i as u64).to_le_bytes());
    }
    bytes
}

/// Layout that keeps a spec's meaning: spaces, line breaks, blank lines and comments.
const LAYOUT: &[&str] =
    &[" ", "  ", "\t", "\n", "\n\n", "\n\n\n", "\r\n", " # note\n", "# note\n", "\n# note\n\n", "#\n"];

/// Layout edits at token boundaries: insert layout, or replace a run of whitespace with other
/// layout (possibly none, which may glue tokens together).
#[derive(Clone, Debug)]
enum LayoutEdit {
    Insert { index: usize, layout: &'static str },
    Replace { index: usize, layout: &'static str },
}

fn layout_edit() -> impl Strategy<Value = LayoutEdit> {
    let index = any::<usize>();
    let layout = prop::sample::select(LAYOUT);
    prop_oneof![
        (index, layout.clone()).prop_map(|(index, layout)| LayoutEdit::Insert { index, layout }),
        (index, prop_oneof![Just(""), layout]).prop_map(|(index, layout)| LayoutEdit::Replace { index, layout }),
    ]
}

fn apply_layout(text: &str, edit: &LayoutEdit) -> String {
    let tokens = tokenize(text);
    if tokens.is_empty() {
        return text.to_string();
    }
    match *edit {
        LayoutEdit::Insert { index, layout } => {
            let t = tokens[index % tokens.len()];
            // A comment runs to the end of its line: insert after it only with a line break first.
            let layout = if t.kind == qdf_compiler::syntax::SyntaxKind::COMMENT && !layout.starts_with(['\n', '\r']) {
                return text.to_string();
            } else {
                layout
            };
            let end = t.offset + t.text.len();
            format!("{}{layout}{}", &text[..end], &text[end..])
        }
        LayoutEdit::Replace { index, layout } => {
            let whitespace: Vec<_> =
                tokens.iter().filter(|t| t.kind == qdf_compiler::syntax::SyntaxKind::WHITESPACE).collect();
            if whitespace.is_empty() {
                return text.to_string();
            }
            let t = whitespace[index % whitespace.len()];
            format!("{}{layout}{}", &text[..t.offset], &text[t.offset + t.text.len()..])
        }
    }
}

/// Valid specs (the ok corpus and the examples) with their layout changed: mostly still valid,
/// which is where the formatter does its work.
fn relaid_seed() -> impl Strategy<Value = String> {
    (seed(), prop::collection::vec(layout_edit(), 1..24))
        .prop_map(|(seed, edits)| edits.iter().fold(seed, |text, edit| apply_layout(&text, edit)))
}

/// Numbers at the edges: zero, tiny, huge, past `f64`, `i64` and `u32`, and fractional counts.
const NUMBERS: &[&str] = &[
    "0",
    "1",
    "2",
    "3",
    "0.5",
    "0.0001",
    "1e-308",
    "1e-400",
    "1e308",
    "1e309",
    "4294967295",
    "4294967296",
    "4294967297",
    "9007199254740993",
    "9223372036854775807",
    "9223372036854775808",
    "9e18",
    "1e19",
    "100000",
    "100001",
    "1000",
    "1001",
    "21",
    "2.5",
    "180",
    "360",
    "1e6",
];

/// The `index`-th number of `text` (modulo their count) replaced by `number`, negated if `negate`.
fn replace_number(text: &str, index: usize, number: &str, negate: bool) -> String {
    let numbers: Vec<_> =
        tokenize(text).into_iter().filter(|t| t.kind == qdf_compiler::syntax::SyntaxKind::NUMBER).collect();
    if numbers.is_empty() {
        return text.to_string();
    }
    let t = numbers[index % numbers.len()];
    let sign = if negate { "-" } else { "" };
    format!("{}{sign}{number}{}", &text[..t.offset], &text[t.offset + t.text.len()..])
}

/// Valid specs with a few numbers replaced by edge cases: still valid syntax, so the checker's
/// arithmetic, ranges, counts and conversions all see them, and the IR is often built.
fn renumbered_seed() -> impl Strategy<Value = String> {
    let edit = (any::<usize>(), prop::sample::select(NUMBERS), prop::bool::weighted(0.2));
    (seed(), prop::collection::vec(edit, 1..4)).prop_map(|(seed, edits)| {
        edits.iter().fold(seed, |text, &(at, number, negate)| replace_number(&text, at, number, negate))
    })
}

/// Runs `check_invariants` on `cases` inputs from `strategy`, from a fixed seed.
fn run(name: &str, seed: u64, strategy: impl Strategy<Value = String>) {
    let config = Config {
        cases: CASES,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        max_shrink_iters: 4096,
        ..Config::default()
    };
    // `new_with_rng` ignores `rng_seed`; the RNG is built from the fixed seed here.
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes(seed));
    let mut runner = TestRunner::new_with_rng(config, rng);
    if let Err(error) = runner.run(&strategy, |text| {
        check_invariants(&text);
        Ok(())
    }) {
        panic!("{name}: {error}");
    }
}

#[test]
fn corpus_and_examples_keep_the_invariants() {
    for text in seeds() {
        check_invariants(text);
    }
}

#[test]
fn arbitrary_unicode_keeps_the_invariants() {
    run("arbitrary unicode", 0x0bad_5eed, unicode_text());
}

#[test]
fn qdf_alphabet_keeps_the_invariants() {
    run("qdf alphabet, glued", 0x00a1_fabe, alphabet_text());
    run("qdf alphabet, spaced", 0x5ace_d0ff, spaced_alphabet_text());
}

#[test]
fn mutated_corpus_keeps_the_invariants() {
    run("mutated corpus", 0xc0de_cafe, mutated_seed());
}

#[test]
fn renumbered_corpus_keeps_the_invariants() {
    run("renumbered corpus", 0x2e_1e308, renumbered_seed());
}

#[test]
fn relaid_corpus_keeps_the_invariants() {
    run("relaid corpus", 0x1a40_7fed, relaid_seed());
}

// --- Deep nesting -------------------------------------------------------------------------------

/// Runs `f` on a thread with a small stack, so that recursion that only scales with the input's
/// nesting shows up as a stack overflow here rather than only on larger inputs.
fn with_small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .expect("spawn a thread")
        .join()
        .expect("the check panicked");
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let deep = |open: &str, n: usize| open.repeat(n);
    let inputs = vec![
        format!("experiment e {{ x = {} }}", deep("(", 100_000)),
        format!("experiment e {{ x = {} }}", deep("[", 100_000)),
        format!("experiment e {{ x = {}1 }}", deep("-", 100_000)),
        format!("molecule m {{ geometry = xyz {{ H 0 0 {} }} }}", deep("{", 50_000)),
        format!("experiment e {{ x = {} }}", deep("a {b = ", 50_000)),
        format!("experiment e {{ x = {} }}", deep("f(", 50_000)),
        format!("experiment e {{ x = {} }}", deep("a(b = ", 50_000)),
        format!("experiment e {{ x = 1 {} }}", deep("+ (", 50_000)),
        format!("experiment e {{ x = {}", deep("[(-", 50_000)),
        format!("molecule m {{ geometry = xyz {{ H 0 0 {} }} }}", deep("{xyz { H 0 0 ", 30_000)),
        deep("{", 100_000),
        deep("}", 100_000),
        deep("experiment ", 50_000),
        format!("experiment e {{ x = {}", deep("(1) + ", 30_000)),
        format!("experiment e {{ x = 1{} }}", deep(" - 1", 50_000)),
        format!("experiment e {{ x = 1{} }}", deep(" * 2", 50_000)),
        format!("experiment e {{ x = [{}] }}", deep("1, ", 50_000)),
    ];
    for input in inputs {
        with_small_stack(move || check_invariants(&input));
    }
}

/// Balanced nesting just under and over the parser's limit: the checker and the formatter walk
/// these trees to the bottom.
#[test]
fn balanced_nesting_at_the_limit_does_not_overflow_the_stack() {
    let nest = |open: &str, inner: &str, close: &str, n: usize| format!("{}{inner}{}", open.repeat(n), close.repeat(n));
    let mut inputs = Vec::new();
    for n in [60, 126, 127, 128, 129, 200] {
        for value in [
            nest("(", "1", ")", n),
            nest("[", "1", "]", n),
            nest("-", "1", "", n),
            nest("sqrt(", "1", ")", n),
            nest("f(a = ", "1", ")", n),
            nest("a { b = ", "1", " }", n),
            nest("1 + (", "1", ")", n),
            nest("[-(", "1", ")]", n),
            format!("1{}", " + 1".repeat(n)),
            format!("1{}", " * -1".repeat(n)),
        ] {
            inputs.push(format!("experiment e {{\n  x = {value}\n}}\n"));
            inputs.push(format!(
                "molecule m {{\n  geometry = xyz {{\n    H 0 0 0\n    H 0 0 {{{}}}\n  }}\n}}\n",
                value.replace('1', "1 angstrom")
            ));
        }
    }
    with_small_stack(move || {
        for input in inputs {
            check_invariants(&input);
        }
    });
}

// --- Regressions --------------------------------------------------------------------------------

/// A small spec that compiles to an IR, with `{z}` for the second hydrogen's z coordinate.
const H2_SPEC: &str = "molecule h2 {
  geometry = xyz {
    H 0 0 0
    H 0 0 {z}
  }
}
active_space cas { molecule = h2  electrons = 2  orbitals = 2 }
ansatz ucc { kind = uccsd  space = cas  mapping = jordan_wigner }
generate data { ansatz = ucc  references = [fci] }
";

/// The codes of a compilation's error diagnostics.
fn error_codes(text: &str) -> Vec<&'static str> {
    let compilation = compile("regression.qdf", text, &AnyXyz);
    compilation.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.code.as_str()).collect()
}

/// Minimised inputs that once broke an invariant, each with what the front end must do instead.
#[test]
fn regressions_keep_the_invariants() {
    // The formatter printed a quantity's unit twice (`0.5angstrom angstrom`): its number was taken
    // from all the tokens under the quantity, the unit's included.
    let quantity = "molecule h2 {\n  scan r = linspace(0.5 angstrom, 2.5 angstrom, 3)\n}\n";
    check_invariants(quantity);
    assert_eq!(fmt::format(quantity).as_deref(), Some(quantity));
    check_invariants("experiment e { x = 1 angstrom }");

    // The formatter dropped a comment between a field's name or `=` and a record or geometry value.
    for input in [
        "generate d {\n  device = # note\n  ionq.aria { noise = on }\n}\n",
        "molecule m {\n  geometry # note\n  = xyz { H 0 0 0 }\n}\n",
        "molecule m {\n  scan # note\n  r = [1 angstrom, 2 angstrom]\n}\n",
    ] {
        check_invariants(input);
        assert_eq!(comments(&fmt::format(input).expect("no syntax errors")), ["# note"]);
    }

    // `first..last` subtracted the bounds in `i64`, which overflows for bounds far apart (a panic
    // in debug builds); it must be reported as too long a range.
    for input in [
        "molecule m { geometry = xyz { H 0 0 0  H 0 0 {r} }  scan r = -9000000000000000000..9000000000000000000 }",
        "experiment e { seed = -9223372036854775808..9223372036854775807 }",
    ] {
        check_invariants(input);
        assert!(error_codes(input).contains(&"QDF2005"), "{input}: {:?}", error_codes(input));
    }

    // A coordinate that overflows `f64` on conversion to bohr (`1e308` angstrom) made an IR the
    // validator rejects (a panic in debug builds); it must be an error at the atom.
    let fine = H2_SPEC.replace("{z}", "0.74");
    assert!(compile("h2.qdf", &fine, &AnyXyz).ir.is_some_and(|ir| !ir.nodes.is_empty()), "{:?}", error_codes(&fine));
    for z in ["1e308", "-1e308", "{1e308 angstrom}", "{1e308 * 1}"] {
        let input = H2_SPEC.replace("{z}", z);
        check_invariants(&input);
        assert_eq!(error_codes(&input), ["QDF4008"], "{input}");
    }
    let zmatrix = H2_SPEC.replace("xyz {\n    H 0 0 0\n    H 0 0 {z}", "zmatrix {\n    H\n    H 1 1e308");
    check_invariants(&zmatrix);
    assert_eq!(error_codes(&zmatrix), ["QDF4008"], "{zmatrix}");

    // Layer widths were cut to `u32` without a check: `hidden = [4294967297]` was a width of 1.
    let wide = "model m {\n  hidden = [4294967297]\n}\n";
    check_invariants(wide);
    assert_eq!(error_codes(wide), ["QDF2005"]);
    assert!(error_codes("model m {\n  hidden = [4294967295]\n}\n").is_empty());

    // A chain of binary operators nests the tree as deeply as brackets do (the operators
    // associate to the left); long chains overflowed the checker's stack. Chains count towards the
    // parser's nesting limit, which reports them.
    let chain = |n: usize, op: &str| format!("experiment e {{ x = 1{} }}", format!(" {op} 1").repeat(n));
    for op in ["+", "-", "*", "/"] {
        assert!(error_codes(&chain(100, op)).iter().all(|&c| c != "QDF0009"), "100 `{op}` are fine");
        let long = chain(5_000, op);
        with_small_stack(move || {
            check_invariants(&long);
            assert!(error_codes(&long).contains(&"QDF0009"));
        });
    }
}

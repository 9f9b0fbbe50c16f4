//! Compiles arbitrary UTF-8 and formats it; checks the front end's invariants:
//! every diagnostic span lies in its file at character boundaries, the IR is built exactly when
//! there are no errors and then validates, and the formatter is idempotent, gives text without
//! syntax errors, keeps the comments in order and keeps the IR hash.
#![no_main]

use libfuzzer_sys::fuzz_target;
use qdf_compiler::source::Span;
use qdf_compiler::syntax::{parse, tokenize, SyntaxKind};
use qdf_compiler::{compile, fmt, ir, FileLoader};

/// Answers every `file(...)` with a small valid XYZ file.
struct AnyXyz;

impl FileLoader for AnyXyz {
    fn load(&self, _path: &str) -> Result<String, String> {
        Ok("3\nwater, angstrom\nO 0.000 0.000 0.117\nH 0.000 0.757 -0.470\nH 0.000 -0.757 -0.470\n".into())
    }
}

/// The comments of a text, in order, without trailing whitespace (the formatter trims it).
fn comments(text: &str) -> Vec<&str> {
    tokenize(text).iter().filter(|t| t.kind == SyntaxKind::COMMENT).map(|t| t.text.trim_end()).collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };

    let parsed = parse(text);
    assert_eq!(parsed.syntax().to_string(), text, "the tree does not print back the input");

    let compilation = compile("fuzz.qdf", text, &AnyXyz);
    let check = |span: Span, what: &str| {
        let file = &compilation.sources.get(span.file).text;
        let (start, end) = (span.start as usize, span.end as usize);
        assert!(start <= end && end <= file.len(), "{what} {start}..{end} outside a text of {} bytes", file.len());
        assert!(
            file.is_char_boundary(start) && file.is_char_boundary(end),
            "{what} {start}..{end} not at char boundaries"
        );
    };
    for diagnostic in &compilation.diagnostics {
        check(diagnostic.primary.span, "primary span");
        for label in &diagnostic.labels {
            check(label.span, "label span");
        }
    }
    assert_eq!(compilation.ir.is_some(), !compilation.has_errors());
    if let Some(ir) = &compilation.ir {
        if let Err(errors) = ir::validate(ir) {
            panic!("invalid IR: {errors:?}");
        }
    }

    if let Some(formatted) = fmt::format(text) {
        assert!(parse(&formatted).errors().is_empty(), "formatted text has syntax errors: {formatted:?}");
        assert_eq!(fmt::format(&formatted).as_deref(), Some(formatted.as_str()), "formatting is not idempotent");
        assert_eq!(comments(&formatted), comments(text), "formatting lost, added or reordered comments");
        let again = compile("fuzz.qdf", &formatted, &AnyXyz);
        assert_eq!(again.has_errors(), compilation.has_errors(), "formatting changed whether there are errors");
        assert_eq!(
            again.ir.as_ref().map(|ir| &ir.hash),
            compilation.ir.as_ref().map(|ir| &ir.hash),
            "formatting changed the IR hash"
        );
    }
});

//! The NWChem parser never panics: any input gives a basis set or a located error.

use proptest::prelude::*;
use qdf_stdlib::basis::{basis_names, basis_source, BasisParseError, BasisSet};

/// Parses `source` and checks that an error, if any, points inside it.
fn check(source: &str) {
    if let Err(e) = BasisSet::from_nwchem("fuzz", source) {
        assert_error_in_bounds(source, &e);
    }
}

fn assert_error_in_bounds(source: &str, e: &BasisParseError) {
    assert!(e.offset <= source.len(), "{e:?}");
    assert!(source.is_char_boundary(e.offset), "{e:?}");
    assert!(e.line >= 1 && e.column >= 1, "{e:?}");
    let line_count = source.split('\n').count();
    assert!(e.line <= line_count, "{e:?} past the last line ({line_count})");
    let line_text = source.split('\n').nth(e.line - 1).unwrap_or_default();
    assert!(e.column <= line_text.chars().count() + 1, "{e:?} past the line end");
    assert!(!e.message().is_empty());
}

fn shipped_text() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(basis_names().iter().map(|n| basis_source(n).expect("shipped")).collect::<Vec<_>>())
}

/// Fragments that make inputs look like the format, so the parser gets deep.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("BASIS \"ao basis\" SPHERICAL PRINT\n".to_owned()),
        Just("END\n".to_owned()),
        Just("\n".to_owned()),
        "(H|He|C|Zn|Og|Xx|h) +(S|SP|P|D|spd|J|SS)\n",
        " *[-+]?[0-9]{0,3}\\.?[0-9]{0,3}([EeDd][-+]?[0-9]{1,4})?( +[-+]?[0-9]\\.[0-9]{1,6}){0,4}\n",
        "#[^\n]{0,10}\n",
        "\\PC{0,6}",
    ]
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(source in "\\PC*") {
        check(&source);
    }

    #[test]
    fn format_like_text_never_panics(parts in proptest::collection::vec(fragment(), 0..40)) {
        check(&parts.concat());
    }

    #[test]
    fn truncated_shipped_files_never_panic(text in shipped_text(), cut in 0.0f64..1.0) {
        let mut at = (text.len() as f64 * cut) as usize;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        check(&text[..at]);
    }

    #[test]
    fn corrupted_shipped_files_never_panic(
        text in shipped_text(),
        at in 0.0f64..1.0,
        insert in "\\PC{1,8}",
    ) {
        let at = (text.len() as f64 * at) as usize; // shipped files are ASCII
        let corrupted = format!("{}{insert}{}", &text[..at], &text[at..]);
        check(&corrupted);
    }
}

#[test]
fn every_line_deleted_from_a_shipped_file() {
    // Deleting any single line of STO-3G either still parses or fails cleanly.
    let text = basis_source("sto-3g").expect("shipped");
    let lines: Vec<&str> = text.lines().collect();
    for i in 0..lines.len() {
        let mut edited = lines.clone();
        edited.remove(i);
        check(&edited.join("\n"));
    }
}

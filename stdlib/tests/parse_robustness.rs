//! The NWChem and Gaussian94 parsers never panic: any input gives a basis set
//! or a located error.

use proptest::prelude::*;
use qdf_stdlib::basis::{basis_names, basis_source, BasisParseError, BasisSet};

/// Parses `source` in both formats and checks that an error, if any, points inside it.
fn check(source: &str) {
    if let Err(e) = BasisSet::from_nwchem("fuzz", source) {
        assert_error_in_bounds(source, &e);
    }
    if let Err(e) = BasisSet::from_gaussian94("fuzz", source) {
        assert_error_in_bounds(source, &e);
    }
}

/// Gaussian94 texts as BSE writes them (the golden fixtures).
const G94_FIXTURES: [&str; 2] =
    [include_str!("golden/gaussian94/6-31g_stst.gbs"), include_str!("golden/gaussian94/def2-tzvp.gbs")];

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

/// A shipped NWChem file or a Gaussian94 fixture.
fn shipped_text() -> impl Strategy<Value = &'static str> {
    let mut texts: Vec<&'static str> = basis_names().iter().map(|n| basis_source(n).expect("shipped")).collect();
    texts.extend(G94_FIXTURES);
    proptest::sample::select(texts)
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

/// Fragments that make inputs look like Gaussian94.
fn g94_fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("****\n".to_owned()),
        Just("\n".to_owned()),
        "(H|He|C|Zn|Og|Xx|h) +(0|1|0\\.0)?\n",
        "(S|SP|P|D|F|spd|J|SS) +[0-9]{0,2}( +[-+]?[0-9]\\.[0-9]{0,2})?\n",
        " *[-+]?[0-9]{0,3}\\.?[0-9]{0,3}([EeDd][-+]?[0-9]{1,4})?( +[-+]?[0-9]\\.[0-9]{1,6}){0,3}\n",
        "![^\n]{0,10}\n",
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
    fn gaussian94_like_text_never_panics(parts in proptest::collection::vec(g94_fragment(), 0..40)) {
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
fn gaussian94_fixtures_parse() {
    for text in G94_FIXTURES {
        let basis = BasisSet::from_gaussian94("fixture", text).expect("BSE output parses");
        assert_eq!(basis.elements.len(), 36);
    }
}

#[test]
fn every_line_deleted_from_a_gaussian94_file() {
    // Deleting any line of the 6-31G** hydrogen..carbon blocks either parses or fails cleanly.
    let text = G94_FIXTURES[0];
    let end = text.find("\nN     0").expect("nitrogen block");
    let lines: Vec<&str> = text[..end].lines().collect();
    for i in 0..lines.len() {
        let mut edited = lines.clone();
        edited.remove(i);
        check(&edited.join("\n"));
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

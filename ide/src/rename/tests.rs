use expect_test::{expect, Expect};

use crate::test_support::{analysis, cursor, spec_at};

/// Shows the renamed document, or why the rename was refused.
fn check(input: &str, new_name: &str, expect: Expect) {
    let (text, offset) = cursor(input);
    let analysis = analysis(&text);
    let shown = match analysis.rename(offset, new_name) {
        Err(error) => format!("refused: {error}"),
        Ok(edits) => {
            let mut out = text.clone();
            for edit in edits.iter().rev() {
                out.replace_range(edit.range.clone(), &edit.new_text);
            }
            let renamed = crate::Analysis::new("spec.qdf", &out, &crate::test_support::Files(&[]));
            let codes = |a: &crate::Analysis| a.diagnostics().iter().map(|d| d.code).collect::<Vec<_>>();
            assert_eq!(codes(&renamed), codes(&analysis), "a rename keeps the diagnostics");
            out
        }
    };
    expect.assert_eq(&shown);
}

#[test]
fn renames_the_declaration_and_its_references() {
    check("molecule m {\n  basis = \"sto-3g\"\n  geometry = xyz { H 0 0 0  H 0 0 0.74 }\n}\nactive_space a { molecule = m$0 }\nmolecule_set s { members = [m, m] }\n", "h2", expect![[r#"
        molecule h2 {
          basis = "sto-3g"
          geometry = xyz { H 0 0 0  H 0 0 0.74 }
        }
        active_space a { molecule = h2 }
        molecule_set s { members = [h2, h2] }
    "#]]);
}

#[test]
fn refuses_names_that_would_change_the_meaning() {
    check(&spec_at("tapered {", 0, 0), "parity", expect!["refused: `parity` is already used in this spec"]);
    check(&spec_at("tapered {", 0, 0), "h2", expect!["refused: `h2` is already used in this spec"]);
    check(&spec_at("tapered {", 0, 0), "r", expect!["refused: `r` is already used in this spec"]);
}

#[test]
fn refuses_invalid_and_reserved_names() {
    check(
        &spec_at("tapered {", 0, 0),
        "2x",
        expect!["refused: `2x` is not a valid name: use letters, digits and `_`, starting with a letter or `_`"],
    );
    check(
        &spec_at("tapered {", 0, 0),
        "a b",
        expect!["refused: `a b` is not a valid name: use letters, digits and `_`, starting with a letter or `_`"],
    );
    check(&spec_at("tapered {", 0, 0), "molecule", expect!["refused: `molecule` is a reserved word"]);
    check(
        &spec_at("tapered {", 0, 0),
        "",
        expect!["refused: `` is not a valid name: use letters, digits and `_`, starting with a letter or `_`"],
    );
}

#[test]
fn refuses_stdlib_declarations_words_and_broken_specs() {
    check(
        &spec_at("aria", 0, 1),
        "mine",
        expect!["refused: this declaration belongs to the stdlib module `std.targets.ionq` and cannot be renamed"],
    );
    check(&spec_at("uccsd", 0, 1), "mine", expect!["refused: there is no declaration here to rename"]);
    check(
        "molecule m { basis = }\nactive_space a { molecule = m$0 }",
        "n",
        expect!["refused: fix the syntax errors before renaming"],
    );
}

#[test]
fn accepts_unicode_names() {
    check(
        "molecule m$0 { geometry = xyz { H 0 0 0  H 0 0 0.74 } }\nactive_space a { molecule = m }\n",
        "hydrogène",
        expect![[r#"
        molecule hydrogène { geometry = xyz { H 0 0 0  H 0 0 0.74 } }
        active_space a { molecule = hydrogène }
    "#]],
    );
}

#[test]
fn prepare_rename_gives_the_name_under_the_cursor() {
    let (text, offset) = cursor(&spec_at("cas\n", 0, 2));
    let range = analysis(&text).prepare_rename(offset);
    assert_eq!(range.map(|r| text[r].to_string()), Ok("cas".to_string()));
    let (text, offset) = cursor(&spec_at("ionq.aria", 0, 6));
    assert!(matches!(analysis(&text).prepare_rename(offset), Err(crate::RenameError::InModule { .. })));
}

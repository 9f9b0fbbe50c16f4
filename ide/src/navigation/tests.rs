use expect_test::{expect, Expect};

use crate::test_support::{analysis, cursor, mark, spec_at};

/// Shows the definition's name and where it is, then the references (with the declaration)
/// marked in the document.
fn check(input: &str, expect: Expect) {
    let (text, offset) = cursor(input);
    let analysis = analysis(&text);
    let definition = match analysis.definition(offset) {
        None => "no definition".to_string(),
        Some(target) => match &target.module {
            None => format!("`{}` at [{}]", target.name, &text[target.name_range.clone()]),
            Some(module) => {
                let source = qdf_stdlib::module_source(module).unwrap_or_default();
                format!("`{}` in {module} at [{}]", target.name, &source[target.name_range.clone()])
            }
        },
    };
    let references = analysis.references(offset, true);
    let lines: Vec<String> =
        mark(&text, &references).lines().filter(|l| l.contains('«')).map(|l| l.trim().to_string()).collect();
    expect.assert_eq(&format!("{definition}\n{}", lines.join("\n")));
}

#[test]
fn from_a_reference_to_the_declaration() {
    check(
        &spec_at("cas\n", 0, 1),
        expect![[r#"
        `cas` at [cas]
        active_space «cas» {
        space = «cas»"#]],
    );
}

#[test]
fn from_the_declaration_itself() {
    check(
        &spec_at("h2 {", 0, 0),
        expect![[r#"
        `h2` at [h2]
        molecule «h2» {
        molecule = «h2»"#]],
    );
}

#[test]
fn into_a_stdlib_module() {
    check(
        &spec_at("aria", 0, 0),
        expect![[r#"
        `ionq.aria` in std.targets.ionq at [aria]
        device = ionq.«aria» { fidelity_2q = 0.995 }"#]],
    );
}

#[test]
fn scan_variables_shadow_declarations() {
    check(
        "molecule r {\n  scan r = [1 angstrom, 2 angstrom]\n  geometry = xyz { H 0 0 0  H 0 0 {$0r} }\n}\nactive_space a { molecule = r }",
        expect![[r#"
            no definition
        "#]],
    );
}

#[test]
fn words_are_not_references() {
    check(
        &spec_at("uccsd", 0, 1),
        expect![[r#"
        no definition
    "#]],
    );
}

#[test]
fn references_are_found_in_a_spec_with_errors() {
    check("molecule m {\n  basis = \"nope\"\n}\nactive_space a { molecule = m$0 }\nactive_space b { molecule = m  electrons = x }", expect![[r#"
        `m` at [m]
        molecule «m» {
        active_space a { molecule = «m» }
        active_space b { molecule = «m»  electrons = x }"#]]);
}

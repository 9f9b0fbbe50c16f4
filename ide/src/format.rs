//! Formatting with the compiler's formatter, as one minimal edit.

use crate::TextRange;

/// Replace `range` of the document with `new_text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    pub range: TextRange,
    pub new_text: String,
}

/// The edits that format `text` as `qdf fmt` would: none when it is already formatted, else one
/// edit covering only the part that changes (so an editor keeps the cursor and folds elsewhere).
/// Failure contract: `None` when the text has syntax errors, which `qdf fmt` also leaves alone.
pub fn format(text: &str) -> Option<Vec<TextEdit>> {
    let formatted = qdf_compiler::fmt::format(text)?;
    if formatted == text {
        return Some(Vec::new());
    }
    let prefix = common_prefix(text, &formatted);
    let suffix = common_suffix(&text[prefix..], &formatted[prefix..]);
    Some(vec![TextEdit {
        range: prefix..text.len() - suffix,
        new_text: formatted[prefix..formatted.len() - suffix].to_string(),
    }])
}

/// The length in bytes of the longest common prefix, at a character boundary of both.
fn common_prefix(a: &str, b: &str) -> usize {
    a.char_indices().zip(b.chars()).find(|((_, x), y)| x != y).map_or(a.len().min(b.len()), |((i, _), _)| i)
}

/// The length in bytes of the longest common suffix, at a character boundary of both.
fn common_suffix(a: &str, b: &str) -> usize {
    a.chars().rev().zip(b.chars().rev()).take_while(|(x, y)| x == y).map(|(x, _)| x.len_utf8()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(input: &str, expect: Expect) {
        let shown = match format(input) {
            None => "syntax errors: not formatted".to_string(),
            Some(edits) => {
                let mut out = input.to_string();
                let mut shown = Vec::new();
                for edit in edits.iter().rev() {
                    shown.push(format!("{:?} -> {:?}", edit.range, edit.new_text));
                    out.replace_range(edit.range.clone(), &edit.new_text);
                }
                assert_eq!(Some(out.clone()), qdf_compiler::fmt::format(input), "the edits must give qdf fmt's output");
                shown.push(out);
                shown.join("\n")
            }
        };
        expect.assert_eq(&shown);
    }

    #[test]
    fn one_minimal_edit() {
        check(
            "molecule h2 {\n  geometry = xyz { H 0 0 0\n H 0 0 0.74 }\n  basis   =  \"sto-3g\"\n}\n",
            expect![[r#"
                32..67 -> "\n    H 0 0 0\n    H 0 0 0.74\n  }\n  basis ="
                molecule h2 {
                  geometry = xyz {
                    H 0 0 0
                    H 0 0 0.74
                  }
                  basis = "sto-3g"
                }
            "#]],
        );
    }

    #[test]
    fn formatted_text_needs_no_edit() {
        check(
            "experiment e {\n  seed = 1\n}\n",
            expect![[r#"
            experiment e {
              seed = 1
            }
        "#]],
        );
    }

    #[test]
    fn syntax_errors_are_left_alone() {
        check("molecule h2 { basis = }", expect!["syntax errors: not formatted"]);
    }

    #[test]
    fn multibyte_text_splits_at_characters() {
        check(
            "# Å µ\nexperiment   e { seed = 1 }\n",
            expect![[r#"
            19..34 -> "e {\n  seed = 1\n"
            # Å µ
            experiment e {
              seed = 1
            }
        "#]],
        );
    }
}

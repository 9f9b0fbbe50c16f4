//! The fixture `tests/fixtures/ten_mistakes.qdf` holds ten distinct mistakes. Checking must keep
//! going after each one and report all ten, each at the right line and column with the right code.

use qdf_compiler::{compile, NoFiles};

#[test]
fn all_ten_mistakes_are_reported_in_one_run() {
    let text = include_str!("fixtures/ten_mistakes.qdf");
    let compilation = compile("ten_mistakes.qdf", text, &NoFiles);
    let file = compilation.sources.get(compilation.main);
    let found: Vec<String> = compilation
        .diagnostics
        .iter()
        .map(|d| {
            let at = file.line_col(d.primary.span.start as usize);
            format!("{}:{} {} {}", at.line, at.column, d.code.as_str(), d.message)
        })
        .collect();
    let expected = [
        "9:12 QDF1006 `d` is not a scan variable of this molecule",
        "13:18 QDF4003 molecule `h2` has 2 electrons, which cannot have multiplicity 2",
        "19:5 QDF4001 unknown element `Hh`",
        "23:12 QDF2004 `charge` must be a whole number, found 0.5",
        "28:41 QDF2001 ansatz `ucc` has no field `mappping`",
        "32:12 QDF1002 `ionq` has no declaration `ariaa`",
        "33:15 QDF3003 `precision` needs a unit of energy",
        "35:21 QDF2006 `mp3` is not a valid `references`",
        "38:47 QDF2006 `swish` is not a valid `activation`",
        "40:34 QDF1002 no `model` named `deltaa`",
    ];
    assert_eq!(found, expected, "\nfound:\n{}", found.join("\n"));
    assert!(compilation.ir.is_none(), "a spec with errors has no IR");
}

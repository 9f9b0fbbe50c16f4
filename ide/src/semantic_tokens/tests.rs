use expect_test::{expect, Expect};

use crate::semantic_tokens;

fn check(text: &str, expect: Expect) {
    let shown: Vec<String> =
        semantic_tokens(text).iter().map(|t| format!("{:?} {:?}", t.kind, &text[t.range.clone()])).collect();
    expect.assert_eq(&shown.join("\n"));
}

#[test]
fn every_kind_of_token() {
    check(
        "import std.targets.ionq as q # Å\nmolecule h2 {\n  geometry = xyz { H 0 0 -0.5  H 0 0 {r} }\n  scan r = linspace(0.5 Å, 2 angstrom, 3)\n  basis = \"sto-3g\"\n}\nactive_space a { molecule = h2  frozen_core = on }\ngenerate g { device = q.aria }\ntrain t { split = random(test = 0.2) }\n",
        expect![[r##"
            Keyword "import"
            Module "std"
            Module "targets"
            Module "ionq"
            Keyword "as"
            Module "q"
            Comment "# Å"
            Keyword "molecule"
            Declaration "h2"
            Field "geometry"
            Keyword "xyz"
            Element "H"
            Number "0"
            Number "0"
            Number "0.5"
            Element "H"
            Number "0"
            Number "0"
            ScanVariable "r"
            Keyword "scan"
            ScanVariable "r"
            Function "linspace"
            Number "0.5"
            Unit "Å"
            Number "2"
            Unit "angstrom"
            Number "3"
            Field "basis"
            String "\"sto-3g\""
            Keyword "active_space"
            Declaration "a"
            Field "molecule"
            Reference "h2"
            Field "frozen_core"
            Word "on"
            Keyword "generate"
            Declaration "g"
            Field "device"
            Module "q"
            Reference "aria"
            Keyword "train"
            Declaration "t"
            Field "split"
            Function "random"
            Argument "test"
            Number "0.2""##]],
    );
}

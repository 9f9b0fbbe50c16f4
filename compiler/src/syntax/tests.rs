use expect_test::{expect, Expect};

use super::parse;

/// Parses `input` and compares the tree and errors with `expect`. Also checks losslessness.
fn check(input: &str, expect: Expect) {
    let parse = parse(input);
    assert_eq!(parse.syntax().to_string(), input, "the tree must reproduce the input");
    let mut out = parse.debug_tree();
    for error in parse.errors() {
        out.push_str(&format!("error {:?} {}: {}\n", error.range, error.code.as_str(), error.message));
    }
    expect.assert_eq(&out);
}

#[test]
fn field_values_share_a_line() {
    check(
        "active_space cas { molecule = h2  electrons = 2 }",
        expect![[r#"
            SOURCE_FILE@0..49
              DECL@0..49
                ACTIVE_SPACE_KW@0..12 "active_space"
                WHITESPACE@12..13 " "
                NAME@13..16
                  IDENT@13..16 "cas"
                WHITESPACE@16..17 " "
                BLOCK@17..49
                  L_BRACE@17..18 "{"
                  WHITESPACE@18..19 " "
                  FIELD@19..32
                    NAME@19..27
                      MOLECULE_KW@19..27 "molecule"
                    WHITESPACE@27..28 " "
                    EQ@28..29 "="
                    WHITESPACE@29..30 " "
                    PATH_EXPR@30..32
                      PATH@30..32
                        IDENT@30..32 "h2"
                  WHITESPACE@32..34 "  "
                  FIELD@34..47
                    NAME@34..43
                      IDENT@34..43 "electrons"
                    WHITESPACE@43..44 " "
                    EQ@44..45 "="
                    WHITESPACE@45..46 " "
                    QUANTITY@46..47
                      NUMBER@46..47 "2"
                  WHITESPACE@47..48 " "
                  R_BRACE@48..49 "}"
        "#]],
    );
}

#[test]
fn units_and_precedence() {
    check(
        "model m { a = -1 + 2 angstrom * 3 < b  c = [1, 2,] }",
        expect![[r#"
            SOURCE_FILE@0..52
              DECL@0..52
                MODEL_KW@0..5 "model"
                WHITESPACE@5..6 " "
                NAME@6..7
                  IDENT@6..7 "m"
                WHITESPACE@7..8 " "
                BLOCK@8..52
                  L_BRACE@8..9 "{"
                  WHITESPACE@9..10 " "
                  FIELD@10..37
                    NAME@10..11
                      IDENT@10..11 "a"
                    WHITESPACE@11..12 " "
                    EQ@12..13 "="
                    WHITESPACE@13..14 " "
                    BIN_EXPR@14..37
                      BIN_EXPR@14..33
                        PREFIX_EXPR@14..16
                          MINUS@14..15 "-"
                          QUANTITY@15..16
                            NUMBER@15..16 "1"
                        WHITESPACE@16..17 " "
                        PLUS@17..18 "+"
                        WHITESPACE@18..19 " "
                        BIN_EXPR@19..33
                          QUANTITY@19..29
                            NUMBER@19..20 "2"
                            WHITESPACE@20..21 " "
                            UNIT@21..29
                              IDENT@21..29 "angstrom"
                          WHITESPACE@29..30 " "
                          STAR@30..31 "*"
                          WHITESPACE@31..32 " "
                          QUANTITY@32..33
                            NUMBER@32..33 "3"
                      WHITESPACE@33..34 " "
                      LT@34..35 "<"
                      WHITESPACE@35..36 " "
                      PATH_EXPR@36..37
                        PATH@36..37
                          IDENT@36..37 "b"
                  WHITESPACE@37..39 "  "
                  FIELD@39..50
                    NAME@39..40
                      IDENT@39..40 "c"
                    WHITESPACE@40..41 " "
                    EQ@41..42 "="
                    WHITESPACE@42..43 " "
                    LIST@43..50
                      L_BRACK@43..44 "["
                      QUANTITY@44..45
                        NUMBER@44..45 "1"
                      COMMA@45..46 ","
                      WHITESPACE@46..47 " "
                      QUANTITY@47..48
                        NUMBER@47..48 "2"
                      COMMA@48..49 ","
                      R_BRACK@49..50 "]"
                  WHITESPACE@50..51 " "
                  R_BRACE@51..52 "}"
        "#]],
    );
}

#[test]
fn recovers_at_the_next_declaration() {
    check(
        "molecule h2 {\n  charge = \n  basis \"sto-3g\"\nmolecule lih { charge = 0 }",
        expect![[r#"
            SOURCE_FILE@0..70
              DECL@0..42
                MOLECULE_KW@0..8 "molecule"
                WHITESPACE@8..9 " "
                NAME@9..11
                  IDENT@9..11 "h2"
                WHITESPACE@11..12 " "
                BLOCK@12..42
                  L_BRACE@12..13 "{"
                  WHITESPACE@13..16 "\n  "
                  FIELD@16..33
                    NAME@16..22
                      IDENT@16..22 "charge"
                    WHITESPACE@22..23 " "
                    EQ@23..24 "="
                    WHITESPACE@24..28 " \n  "
                    PATH_EXPR@28..33
                      PATH@28..33
                        IDENT@28..33 "basis"
                  WHITESPACE@33..34 " "
                  ERROR@34..42
                    STRING@34..42 "\"sto-3g\""
              WHITESPACE@42..43 "\n"
              DECL@43..70
                MOLECULE_KW@43..51 "molecule"
                WHITESPACE@51..52 " "
                NAME@52..55
                  IDENT@52..55 "lih"
                WHITESPACE@55..56 " "
                BLOCK@56..70
                  L_BRACE@56..57 "{"
                  WHITESPACE@57..58 " "
                  FIELD@58..68
                    NAME@58..64
                      IDENT@58..64 "charge"
                    WHITESPACE@64..65 " "
                    EQ@65..66 "="
                    WHITESPACE@66..67 " "
                    QUANTITY@67..68
                      NUMBER@67..68 "0"
                  WHITESPACE@68..69 " "
                  R_BRACE@69..70 "}"
            error 34..42 QDF0010: expected a field such as `name = value`, found `"sto-3g"`
            error 43..51 QDF0007: expected `}` before the next declaration
        "#]],
    );
}

#[test]
fn geometry_blocks() {
    check(
        "molecule w { geometry = zmatrix { O\n H 1 {r}\n H 1 -0.5 2 {a * 2} } }",
        expect![[r#"
        SOURCE_FILE@0..68
          DECL@0..68
            MOLECULE_KW@0..8 "molecule"
            WHITESPACE@8..9 " "
            NAME@9..10
              IDENT@9..10 "w"
            WHITESPACE@10..11 " "
            BLOCK@11..68
              L_BRACE@11..12 "{"
              WHITESPACE@12..13 " "
              FIELD@13..66
                NAME@13..21
                  IDENT@13..21 "geometry"
                WHITESPACE@21..22 " "
                EQ@22..23 "="
                WHITESPACE@23..24 " "
                GEOMETRY@24..66
                  IDENT@24..31 "zmatrix"
                  WHITESPACE@31..32 " "
                  L_BRACE@32..33 "{"
                  WHITESPACE@33..34 " "
                  ATOM@34..35
                    IDENT@34..35 "O"
                  WHITESPACE@35..37 "\n "
                  ATOM@37..44
                    IDENT@37..38 "H"
                    WHITESPACE@38..39 " "
                    COORD@39..40
                      NUMBER@39..40 "1"
                    WHITESPACE@40..41 " "
                    INTERP@41..44
                      L_BRACE@41..42 "{"
                      PATH_EXPR@42..43
                        PATH@42..43
                          IDENT@42..43 "r"
                      R_BRACE@43..44 "}"
                  WHITESPACE@44..46 "\n "
                  ATOM@46..64
                    IDENT@46..47 "H"
                    WHITESPACE@47..48 " "
                    COORD@48..49
                      NUMBER@48..49 "1"
                    WHITESPACE@49..50 " "
                    COORD@50..54
                      MINUS@50..51 "-"
                      NUMBER@51..54 "0.5"
                    WHITESPACE@54..55 " "
                    COORD@55..56
                      NUMBER@55..56 "2"
                    WHITESPACE@56..57 " "
                    INTERP@57..64
                      L_BRACE@57..58 "{"
                      BIN_EXPR@58..63
                        PATH_EXPR@58..59
                          PATH@58..59
                            IDENT@58..59 "a"
                        WHITESPACE@59..60 " "
                        STAR@60..61 "*"
                        WHITESPACE@61..62 " "
                        QUANTITY@62..63
                          NUMBER@62..63 "2"
                      R_BRACE@63..64 "}"
                  WHITESPACE@64..65 " "
                  R_BRACE@65..66 "}"
              WHITESPACE@66..67 " "
              R_BRACE@67..68 "}"
    "#]],
    );
}

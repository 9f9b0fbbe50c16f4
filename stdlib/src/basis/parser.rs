//! Parser for the NWChem basis format, as the Basis Set Exchange writes it.
//!
//! ```text
//! BASIS "ao basis" SPHERICAL PRINT      <- opens a block; name and options optional
//! #BASIS SET: (6s,3p) -> [2s,1p]        <- comments anywhere
//! C    S                                <- element symbol, shell type
//!       0.7161683735E+02  0.1543289673E+00    <- exponent, coefficient(s)
//! C    SP                               <- combined shell: one column per letter
//!       0.2941249355E+01 -0.9996722919E-01  0.1559162750E+00
//! END
//! ```
//!
//! A single-letter shell may have several coefficient columns (a general
//! contraction, one contracted function per column). A combined shell such as
//! `SP` must have exactly one column per letter and is split into one
//! [`Shell`] per letter, sharing the exponents. Several `BASIS` blocks may
//! follow each other; their shells are merged per element, in file order.

use std::collections::BTreeMap;

use super::error::{BasisParseError, BasisParseErrorKind as Kind};
use super::lexer::{lines, Lexeme, Line, Token};
use super::values::{atomic_number, finite_number, push_shells, shell_momenta};
use super::{BasisSet, Harmonics, Shell};

/// Parses `source`; see [`BasisSet::from_nwchem`].
pub(crate) fn parse(name: &str, source: &str) -> Result<BasisSet, BasisParseError> {
    Parser { source, harmonics: None, elements: BTreeMap::new() }
        .run(&lines(source)?)
        .map(|(declared_harmonics, elements)| BasisSet { name: name.to_owned(), declared_harmonics, elements })
}

/// A shell whose header has been read and whose rows are being collected.
struct OpenShell {
    z: u8,
    /// Angular momenta of the header's letters: `[0]` for `S`, `[0, 1]` for `SP`.
    momenta: Vec<u8>,
    exponents: Vec<f64>,
    /// Row-major: one `Vec` of coefficients per primitive.
    rows: Vec<Vec<f64>>,
    /// Byte offset of the header, for "shell has no primitives".
    header_offset: usize,
}

struct Parser<'src> {
    source: &'src str,
    harmonics: Option<Harmonics>,
    elements: BTreeMap<u8, Vec<Shell>>,
}

type Parsed = (Harmonics, BTreeMap<u8, Vec<Shell>>);

impl<'src> Parser<'src> {
    fn error(&self, offset: usize, kind: Kind) -> BasisParseError {
        BasisParseError::at(self.source, offset, kind)
    }

    fn unexpected(&self, lexeme: Option<&Lexeme<'_>>, end: usize, expected: &'static str) -> BasisParseError {
        match lexeme {
            Some(l) => self.error(l.span.start, Kind::Unexpected { expected, found: format!("`{}`", l.text) }),
            None => self.error(
                end,
                Kind::Unexpected {
                    expected,
                    found: if end == self.source.len() { "end of input".into() } else { "end of line".into() },
                },
            ),
        }
    }

    fn run(mut self, lines: &[Line<'src>]) -> Result<Parsed, BasisParseError> {
        let mut in_block = false;
        let mut shell: Option<OpenShell> = None;
        for line in lines {
            let first = &line.lexemes[0];
            if !in_block {
                self.basis_line(line)?;
                in_block = true;
            } else if first.token == Token::Word && first.text.eq_ignore_ascii_case("end") {
                if let Some(extra) = line.lexemes.get(1) {
                    return Err(self.unexpected(Some(extra), line.end, "end of line after END"));
                }
                self.close(shell.take())?;
                in_block = false;
            } else if first.token == Token::Number {
                let Some(open) = shell.as_mut() else {
                    return Err(self.unexpected(Some(first), line.end, "a shell header such as `H    S`"));
                };
                let (exponent, row) = self.primitive_row(line, open)?;
                open.exponents.push(exponent);
                open.rows.push(row);
            } else {
                let header = self.shell_header(line)?;
                self.close(shell.replace(header))?;
            }
        }
        if in_block {
            return Err(self.error(self.source.len(), Kind::MissingEnd));
        }
        match self.harmonics {
            Some(harmonics) => Ok((harmonics, self.elements)),
            None => Err(self.error(self.source.len(), Kind::NoBasisBlock)),
        }
    }

    /// `BASIS ["name"] [SPHERICAL|CARTESIAN] [PRINT|NOPRINT]`.
    fn basis_line(&mut self, line: &Line<'src>) -> Result<(), BasisParseError> {
        let mut lexemes = line.lexemes.iter().peekable();
        match lexemes.next() {
            Some(l) if l.token == Token::Word && l.text.eq_ignore_ascii_case("basis") => {}
            other => return Err(self.unexpected(other, line.end, "`BASIS`")),
        }
        lexemes.next_if(|l| l.token == Token::Quoted);
        // NWChem's default is Cartesian functions.
        let mut harmonics = Harmonics::Cartesian;
        for l in lexemes {
            if l.token != Token::Word {
                return Err(self.unexpected(Some(l), line.end, "a BASIS option"));
            }
            match l.text.to_ascii_lowercase().as_str() {
                "spherical" => harmonics = Harmonics::Spherical,
                "cartesian" => harmonics = Harmonics::Cartesian,
                "print" | "noprint" => {}
                _ => return Err(self.error(l.span.start, Kind::UnsupportedOption(l.text.into()))),
            }
        }
        match self.harmonics {
            Some(earlier) if earlier != harmonics => {
                Err(self.error(line.lexemes[0].span.start, Kind::ConflictingHarmonics))
            }
            _ => {
                self.harmonics = Some(harmonics);
                Ok(())
            }
        }
    }

    /// `<element symbol> <shell type>`, e.g. `Zn    SP`.
    fn shell_header(&self, line: &Line<'src>) -> Result<OpenShell, BasisParseError> {
        let (symbol, kind) = match line.lexemes.as_slice() {
            [s, k] if s.token == Token::Word && k.token == Token::Word => (s, k),
            [s, k, extra, ..] if s.token == Token::Word && k.token == Token::Word => {
                return Err(self.unexpected(Some(extra), line.end, "end of line after a shell header"))
            }
            [s, k, ..] if s.token == Token::Word => {
                return Err(self.unexpected(Some(k), line.end, "a shell type such as `S` or `SP`"))
            }
            [s] if s.token == Token::Word => {
                return Err(self.unexpected(None, line.end, "a shell type such as `S` or `SP`"))
            }
            other => {
                return Err(self.unexpected(
                    other.first(),
                    line.end,
                    "a shell header such as `H    S`, a primitive row or `END`",
                ))
            }
        };
        let z = atomic_number(symbol.text)
            .ok_or_else(|| self.error(symbol.span.start, Kind::UnknownElement(symbol.text.into())))?;
        let momenta = shell_momenta(kind.text)
            .ok_or_else(|| self.error(kind.span.start, Kind::UnknownShellType(kind.text.into())))?;
        Ok(OpenShell { z, momenta, exponents: Vec::new(), rows: Vec::new(), header_offset: symbol.span.start })
    }

    /// `<exponent> <coefficient>...`; checks the coefficient count against the shell.
    fn primitive_row(&self, line: &Line<'src>, shell: &OpenShell) -> Result<(f64, Vec<f64>), BasisParseError> {
        let mut values = Vec::with_capacity(line.lexemes.len());
        for l in &line.lexemes {
            if l.token != Token::Number {
                return Err(self.unexpected(Some(l), line.end, "a number"));
            }
            values.push(self.number(l)?);
        }
        let (exponent, coefficients) = match values.split_first() {
            Some((&e, c)) => (e, c.to_vec()),
            None => return Err(self.unexpected(None, line.end, "a number")),
        };
        let exponent_offset = line.lexemes[0].span.start;
        if exponent <= 0.0 {
            return Err(self.error(exponent_offset, Kind::NonPositiveExponent(exponent)));
        }
        if coefficients.is_empty() {
            return Err(self.error(line.end, Kind::MissingCoefficients));
        }
        let expected = match (shell.momenta.len(), shell.rows.first()) {
            (1, Some(first_row)) => Some(first_row.len()),
            (1, None) => None,
            (letters, _) => Some(letters),
        };
        match expected {
            Some(expected) if expected != coefficients.len() => {
                Err(self.error(exponent_offset, Kind::ColumnCountMismatch { expected, found: coefficients.len() }))
            }
            _ => Ok((exponent, coefficients)),
        }
    }

    /// A finite `f64` from a number token, accepting Fortran `D` exponents.
    fn number(&self, lexeme: &Lexeme<'_>) -> Result<f64, BasisParseError> {
        finite_number(lexeme.text).ok_or_else(|| self.error(lexeme.span.start, Kind::InvalidNumber(lexeme.text.into())))
    }

    /// Finishes `shell` (if any): splits combined shells, transposes the rows
    /// into one coefficient vector per contraction and stores the result.
    fn close(&mut self, shell: Option<OpenShell>) -> Result<(), BasisParseError> {
        let Some(shell) = shell else { return Ok(()) };
        if shell.rows.is_empty() {
            return Err(self.error(shell.header_offset, Kind::EmptyShell));
        }
        push_shells(self.elements.entry(shell.z).or_default(), &shell.momenta, shell.exponents, &shell.rows);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(source: &str) -> BasisSet {
        parse("test", source).unwrap_or_else(|e| panic!("should parse: {e}\n{source}"))
    }

    fn parse_err(source: &str) -> BasisParseError {
        match parse("test", source) {
            Ok(b) => panic!("should fail, parsed {b:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn bse_style_block() {
        let b = parse_ok(
            "#BSE header\n\nBASIS \"ao basis\" SPHERICAL PRINT\n#BASIS SET: (3s) -> [1s]\n\
             H    S\n      0.3425250914E+01       0.1543289673E+00\n\
             \x20     0.6239137298E+00       0.5353281423E+00\nEND\n",
        );
        assert_eq!(b.name, "test");
        assert_eq!(b.declared_harmonics, Harmonics::Spherical);
        let h = &b.elements[&1];
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].angular_momentum, 0);
        assert_eq!(h[0].exponents, vec![3.425250914, 0.6239137298]);
        assert_eq!(h[0].coefficients, vec![vec![0.1543289673, 0.5353281423]]);
    }

    #[test]
    fn sp_shell_is_split() {
        let b = parse_ok("BASIS\nC SP\n 2.0 0.1 0.3\n 0.5 0.2 0.4\nEND");
        assert_eq!(b.declared_harmonics, Harmonics::Cartesian, "NWChem default");
        let c = &b.elements[&6];
        assert_eq!(c.len(), 2);
        assert_eq!((c[0].angular_momentum, c[1].angular_momentum), (0, 1));
        assert_eq!(c[0].exponents, vec![2.0, 0.5]);
        assert_eq!(c[1].exponents, vec![2.0, 0.5]);
        assert_eq!(c[0].coefficients, vec![vec![0.1, 0.2]]);
        assert_eq!(c[1].coefficients, vec![vec![0.3, 0.4]]);
    }

    #[test]
    fn general_contraction_keeps_columns() {
        let b = parse_ok("BASIS cartesian\nO s\n 10.0 0.1 -0.2 0.0\n 1.0 0.9 0.5 1.0\nEND\n");
        let o = &b.elements[&8];
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].coefficients, vec![vec![0.1, 0.9], vec![-0.2, 0.5], vec![0.0, 1.0]]);
    }

    #[test]
    fn fortran_exponents_and_case() {
        let b = parse_ok("basis \"x\" noprint\nhe p\n 1.5D+01 1.0d0\n 2.5D-1 +.5\nend\n");
        assert_eq!(b.elements[&2][0].exponents, vec![15.0, 0.25]);
        assert_eq!(b.elements[&2][0].coefficients, vec![vec![1.0, 0.5]]);
        assert_eq!(b.elements[&2][0].angular_momentum, 1);
    }

    #[test]
    fn several_blocks_merge() {
        let b = parse_ok("BASIS\nH S\n1 1\nEND\nBASIS\nH P\n1 1\nLi S\n2 1\nEND\n");
        assert_eq!(b.elements[&1].len(), 2);
        assert_eq!(b.elements[&3].len(), 1);
    }

    #[test]
    fn errors_are_located() {
        let cases: &[(&str, (usize, usize), Kind)] = &[
            ("", (1, 1), Kind::NoBasisBlock),
            ("# only a comment\n", (2, 1), Kind::NoBasisBlock),
            ("BASIS\nH S\n1 1\n", (4, 1), Kind::MissingEnd),
            ("BASIS\nXx S\n1 1\nEND", (2, 1), Kind::UnknownElement("Xx".into())),
            ("BASIS\nH Q\n1 1\nEND", (2, 3), Kind::UnknownShellType("Q".into())),
            ("BASIS\nH S\nEND", (2, 1), Kind::EmptyShell),
            ("BASIS\nH S\n  1\nEND", (3, 4), Kind::MissingCoefficients),
            ("BASIS\nH S\n -1 1\nEND", (3, 2), Kind::NonPositiveExponent(-1.0)),
            ("BASIS\nH S\n 1e999 1\nEND", (3, 2), Kind::InvalidNumber("1e999".into())),
            ("BASIS\nH S\n 1 1 2\n 2 1\nEND", (4, 2), Kind::ColumnCountMismatch { expected: 2, found: 1 }),
            ("BASIS\nH SP\n 1 1\nEND", (3, 2), Kind::ColumnCountMismatch { expected: 2, found: 1 }),
            ("BASIS SPHERICAL REL\n", (1, 17), Kind::UnsupportedOption("REL".into())),
            ("BASIS SPHERICAL\nEND\nBASIS\nEND\n", (3, 1), Kind::ConflictingHarmonics),
        ];
        for (source, (line, column), kind) in cases {
            let e = parse_err(source);
            assert_eq!((e.line, e.column, &e.kind), (*line, *column, kind), "{source:?}");
        }
    }

    #[test]
    fn unexpected_tokens_are_located() {
        let cases: &[(&str, (usize, usize), &str)] = &[
            ("H S\n", (1, 1), "expected `BASIS`, found `H`"),
            ("BASIS\n1 1\nEND", (2, 1), "expected a shell header such as `H    S`, found `1`"),
            ("BASIS\nH S\n1 S\nEND", (3, 3), "expected a number, found `S`"),
            ("BASIS\nH S 1\nEND", (2, 5), "expected end of line after a shell header, found `1`"),
            ("BASIS\nH\nEND", (2, 2), "expected a shell type such as `S` or `SP`, found end of line"),
            ("BASIS\nH S\n1 1\nEND END", (4, 5), "expected end of line after END, found `END`"),
            ("BASIS 1\nEND", (1, 7), "expected a BASIS option, found `1`"),
        ];
        for (source, (line, column), message) in cases {
            let e = parse_err(source);
            assert_eq!((e.line, e.column, e.message().as_str()), (*line, *column, *message), "{source:?}");
        }
    }

    #[test]
    fn garbage_never_panics() {
        let pieces = [
            "BASIS", "END", "H", "S", "SP", "spd", "1.0", "-1", "0", "1e400", "D", "\"q", "\"q\"", "#c", "\n", " ",
            "\t", "é", "$", "1.0D", "Og", "Xx", "\r\n",
        ];
        // Deterministic pseudo-random sequences of pieces (xorshift).
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            let mut source = String::new();
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 24) as usize;
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                source.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            if let Err(e) = parse("g", &source) {
                assert!(e.offset <= source.len());
                assert!(e.line >= 1 && e.column >= 1);
                assert!(e.line <= source.lines().count() + 1);
            }
        }
    }
}

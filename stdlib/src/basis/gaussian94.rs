//! Parser for the Gaussian94 basis format (`.gbs`), as the Basis Set Exchange
//! writes it ("gaussian94").
//!
//! ```text
//! ! Basis Set Exchange ...                 <- `!` comments anywhere
//! C     0                                  <- element symbol, then 0: opens a block
//! S    6   1.00                            <- shell type, primitive count, scale factor
//!       0.3047524880D+04       0.1834737132D-02     <- exponent, coefficient
//! ...
//! SP   3   1.00                            <- combined shell: one column per letter
//!       0.7868272350D+01      -0.1193324198D+00       0.6899906659D-01
//! ...
//! ****                                     <- closes the element
//! ```
//!
//! Each shell has exactly the announced number of primitive rows and one
//! coefficient column per letter of its type (the format has no general
//! contractions: BSE writes them as separate shells). As in Gaussian, every
//! exponent of a shell is multiplied by the square of its scale factor
//! (BSE always writes `1.00`). Combined shells are split into one [`Shell`]
//! per letter, as in the NWChem parser. The format declares no harmonics; the
//! result records [`Harmonics::Spherical`], the convention PySCF applies.

use std::collections::BTreeMap;

use super::error::{BasisParseError, BasisParseErrorKind as Kind};
use super::lexer::{lines, G94Token as Token, Lexeme, Line};
use super::values::{atomic_number, finite_number, push_shells, shell_momenta};
use super::{BasisSet, Harmonics, Shell};

type G94Line<'src> = Line<'src, Token>;

/// Parses `source`; see [`BasisSet::from_gaussian94`].
pub(crate) fn parse(name: &str, source: &str) -> Result<BasisSet, BasisParseError> {
    let lines = lines::<Token>(source)?;
    let elements = Parser { source, elements: BTreeMap::new() }.run(&lines)?;
    Ok(BasisSet { name: name.to_owned(), declared_harmonics: Harmonics::Spherical, elements })
}

/// A shell whose header has been read and whose rows are being collected.
struct OpenShell {
    momenta: Vec<u8>,
    /// Primitive count announced on the header.
    announced: usize,
    /// Square of the header's scale factor, applied to every exponent.
    exponent_scale: f64,
    exponents: Vec<f64>,
    rows: Vec<Vec<f64>>,
}

impl OpenShell {
    fn is_complete(&self) -> bool {
        self.rows.len() >= self.announced
    }
}

/// An element block being read: its atomic number, its finished shells and the
/// shell being read.
struct OpenElement {
    z: u8,
    shells: Vec<Shell>,
    shell: Option<OpenShell>,
}

struct Parser<'src> {
    source: &'src str,
    elements: BTreeMap<u8, Vec<Shell>>,
}

impl<'src> Parser<'src> {
    fn error(&self, offset: usize, kind: Kind) -> BasisParseError {
        BasisParseError::at(self.source, offset, kind)
    }

    fn unexpected(&self, lexeme: Option<&Lexeme<'_, Token>>, end: usize, expected: &'static str) -> BasisParseError {
        let found = match lexeme {
            Some(l) => format!("`{}`", l.text),
            None if end == self.source.len() => "end of input".into(),
            None => "end of line".into(),
        };
        self.error(lexeme.map_or(end, |l| l.span.start), Kind::Unexpected { expected, found })
    }

    fn run(mut self, lines: &[G94Line<'src>]) -> Result<BTreeMap<u8, Vec<Shell>>, BasisParseError> {
        let mut element: Option<OpenElement> = None;
        for line in lines {
            let first = &line.lexemes[0];
            let Some(open) = element.as_mut() else {
                if first.token == Token::Separator {
                    self.separator_line(line)?;
                } else {
                    element = Some(self.element_header(line)?);
                }
                continue;
            };
            let incomplete = open.shell.as_mut().filter(|s| !s.is_complete());
            match (first.token, incomplete) {
                (Token::Number, Some(shell)) => {
                    let (exponent, row) = self.primitive_row(line, shell.momenta.len())?;
                    shell.exponents.push(exponent * shell.exponent_scale);
                    shell.rows.push(row);
                }
                (_, Some(shell)) => {
                    let kind = Kind::PrimitiveCountMismatch { expected: shell.announced, found: shell.rows.len() };
                    return Err(self.error(first.span.start, kind));
                }
                (Token::Separator, None) => {
                    self.separator_line(line)?;
                    if open.shell.is_none() && open.shells.is_empty() {
                        return Err(self.unexpected(Some(first), line.end, "a shell header such as `S    3   1.00`"));
                    }
                    if let Some(open) = element.take() {
                        self.close_element(open);
                    }
                }
                (_, None) => {
                    let header = self.shell_header(line)?;
                    Self::close_shell(open);
                    open.shell = Some(header);
                }
            }
        }
        match element {
            Some(open) => {
                let end = self.source.len();
                match open.shell.filter(|s| !s.is_complete()) {
                    Some(s) => {
                        Err(self
                            .error(end, Kind::PrimitiveCountMismatch { expected: s.announced, found: s.rows.len() }))
                    }
                    None => Err(self.error(end, Kind::MissingSeparator)),
                }
            }
            None if self.elements.is_empty() => Err(self.error(self.source.len(), Kind::NoElementBlock)),
            None => Ok(self.elements),
        }
    }

    /// `****` alone on its line.
    fn separator_line(&self, line: &G94Line<'src>) -> Result<(), BasisParseError> {
        match line.lexemes.get(1) {
            Some(extra) => Err(self.unexpected(Some(extra), line.end, "end of line after `****`")),
            None => Ok(()),
        }
    }

    /// `<element symbol> 0`, e.g. `Zn     0`.
    fn element_header(&self, line: &G94Line<'src>) -> Result<OpenElement, BasisParseError> {
        let symbol = &line.lexemes[0];
        if symbol.token != Token::Word {
            return Err(self.unexpected(Some(symbol), line.end, "an element header such as `H     0`"));
        }
        let z = atomic_number(symbol.text)
            .ok_or_else(|| self.error(symbol.span.start, Kind::UnknownElement(symbol.text.into())))?;
        match line.lexemes.get(1) {
            Some(zero) if zero.token == Token::Number && zero.text == "0" => {}
            other => return Err(self.unexpected(other, line.end, "`0` after the element symbol")),
        }
        if let Some(extra) = line.lexemes.get(2) {
            return Err(self.unexpected(Some(extra), line.end, "end of line after an element header"));
        }
        if self.elements.contains_key(&z) {
            return Err(self.error(symbol.span.start, Kind::DuplicateElement(symbol.text.into())));
        }
        Ok(OpenElement { z, shells: Vec::new(), shell: None })
    }

    /// `<shell type> <primitive count> <scale factor>`, e.g. `SP   3   1.00`.
    fn shell_header(&self, line: &G94Line<'src>) -> Result<OpenShell, BasisParseError> {
        let mut lexemes = line.lexemes.iter();
        let kind = lexemes.next().filter(|l| l.token == Token::Word).ok_or_else(|| {
            self.unexpected(line.lexemes.first(), line.end, "a shell header such as `S    3   1.00` or `****`")
        })?;
        let momenta = shell_momenta(kind.text)
            .ok_or_else(|| self.error(kind.span.start, Kind::UnknownShellType(kind.text.into())))?;
        let count = lexemes.next();
        let announced = count
            .filter(|l| l.token == Token::Number)
            .and_then(|l| l.text.parse::<usize>().ok())
            .filter(|&n| n > 0)
            .ok_or_else(|| self.unexpected(count, line.end, "a primitive count (a positive whole number)"))?;
        let scale_lexeme = lexemes.next();
        let scale = match scale_lexeme {
            Some(l) if l.token == Token::Number => {
                finite_number(l.text).ok_or_else(|| self.error(l.span.start, Kind::InvalidNumber(l.text.into())))?
            }
            other => return Err(self.unexpected(other, line.end, "a scale factor such as `1.00`")),
        };
        if scale <= 0.0 {
            let offset = scale_lexeme.map_or(line.end, |l| l.span.start);
            return Err(self.error(offset, Kind::NonPositiveScaleFactor(scale)));
        }
        if let Some(extra) = lexemes.next() {
            return Err(self.unexpected(Some(extra), line.end, "end of line after a shell header"));
        }
        Ok(OpenShell {
            momenta,
            announced,
            exponent_scale: scale * scale,
            exponents: Vec::with_capacity(announced.min(64)),
            rows: Vec::new(),
        })
    }

    /// `<exponent> <coefficient>...`, one coefficient per letter of the shell
    /// type (`letters` of them).
    fn primitive_row(&self, line: &G94Line<'src>, letters: usize) -> Result<(f64, Vec<f64>), BasisParseError> {
        let mut values = Vec::with_capacity(line.lexemes.len());
        for l in &line.lexemes {
            if l.token != Token::Number {
                return Err(self.unexpected(Some(l), line.end, "a number"));
            }
            values.push(
                finite_number(l.text).ok_or_else(|| self.error(l.span.start, Kind::InvalidNumber(l.text.into())))?,
            );
        }
        let exponent_offset = line.lexemes[0].span.start;
        let Some((&exponent, coefficients)) = values.split_first() else {
            return Err(self.unexpected(None, line.end, "a number"));
        };
        if exponent <= 0.0 {
            return Err(self.error(exponent_offset, Kind::NonPositiveExponent(exponent)));
        }
        if coefficients.is_empty() {
            return Err(self.error(line.end, Kind::MissingCoefficients));
        }
        if coefficients.len() != letters {
            let kind = Kind::ColumnCountMismatch { expected: letters, found: coefficients.len() };
            return Err(self.error(exponent_offset, kind));
        }
        Ok((exponent, coefficients.to_vec()))
    }

    /// Moves the element's finished shell (if any) into its shell list.
    fn close_shell(element: &mut OpenElement) {
        if let Some(shell) = element.shell.take() {
            push_shells(&mut element.shells, &shell.momenta, shell.exponents, &shell.rows);
        }
    }

    /// Stores a finished element block.
    fn close_element(&mut self, mut element: OpenElement) {
        Self::close_shell(&mut element);
        self.elements.insert(element.z, element.shells);
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
    fn bse_style_blocks() {
        let b = parse_ok(
            "!----\n! Basis Set Exchange\n\n\nH     0\nS    2   1.00\n      0.1873113696D+02       0.3349460434D-01\n\
             \x20     0.2825394365D+01       0.2347269535D+00\nS    1   1.00\n      0.1612777588D+00       1.0000000\n\
             ****\nC     0\nSP   2   1.00\n  7.8 -0.1 0.06\n  1.8 -0.2 0.3\nD    1   1.00\n 0.8 1.0\n****\n",
        );
        assert_eq!(b.name, "test");
        assert_eq!(b.declared_harmonics, Harmonics::Spherical);
        let h = &b.elements[&1];
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].exponents, vec![18.73113696, 2.825394365]);
        assert_eq!(h[0].coefficients, vec![vec![0.03349460434, 0.2347269535]]);
        let c = &b.elements[&6];
        let momenta: Vec<u8> = c.iter().map(|s| s.angular_momentum).collect();
        assert_eq!(momenta, [0, 1, 2]);
        assert_eq!(c[0].exponents, c[1].exponents);
        assert_eq!(c[0].coefficients, vec![vec![-0.1, -0.2]]);
        assert_eq!(c[1].coefficients, vec![vec![0.06, 0.3]]);
    }

    #[test]
    fn leading_separator_case_and_scale_factor() {
        let b = parse_ok("****\nhe 0\np 1 2.0\n 1.5 1\n****\n****\n");
        assert_eq!(b.elements[&2][0].angular_momentum, 1);
        assert_eq!(b.elements[&2][0].exponents, vec![6.0], "exponent times scale squared");
    }

    #[test]
    fn errors_are_located() {
        let cases: &[(&str, (usize, usize), Kind)] = &[
            ("", (1, 1), Kind::NoElementBlock),
            ("! only a comment\n****\n", (3, 1), Kind::NoElementBlock),
            ("H 0\nS 1 1.00\n 1 1\n", (4, 1), Kind::MissingSeparator),
            ("H 0\nS 2 1.00\n 1 1\n", (4, 1), Kind::PrimitiveCountMismatch { expected: 2, found: 1 }),
            ("H 0\nS 2 1.00\n 1 1\n****", (4, 1), Kind::PrimitiveCountMismatch { expected: 2, found: 1 }),
            ("H 0\nS 2 1.00\n 1 1\nP 1 1.00\n", (4, 1), Kind::PrimitiveCountMismatch { expected: 2, found: 1 }),
            ("Xx 0\n", (1, 1), Kind::UnknownElement("Xx".into())),
            ("H 0\nQ 1 1.00\n", (2, 1), Kind::UnknownShellType("Q".into())),
            ("H 0\nS 1 0.0\n", (2, 5), Kind::NonPositiveScaleFactor(0.0)),
            ("H 0\nS 1 1e999\n", (2, 5), Kind::InvalidNumber("1e999".into())),
            ("H 0\nS 1 1.00\n -1 1\n****", (3, 2), Kind::NonPositiveExponent(-1.0)),
            ("H 0\nS 1 1.00\n 1\n****", (3, 3), Kind::MissingCoefficients),
            ("H 0\nS 1 1.00\n 1 1 2\n****", (3, 2), Kind::ColumnCountMismatch { expected: 1, found: 2 }),
            ("H 0\nSP 1 1.00\n 1 1\n****", (3, 2), Kind::ColumnCountMismatch { expected: 2, found: 1 }),
            ("H 0\nS 1 1.00\n 1 1\n****\nh 0\n", (5, 1), Kind::DuplicateElement("h".into())),
        ];
        for (source, (line, column), kind) in cases {
            let e = parse_err(source);
            assert_eq!((e.line, e.column, &e.kind), (*line, *column, kind), "{source:?}");
        }
    }

    #[test]
    fn unexpected_tokens_are_located() {
        let cases: &[(&str, (usize, usize), &str)] = &[
            ("1 0\n", (1, 1), "expected an element header such as `H     0`, found `1`"),
            ("H", (1, 2), "expected `0` after the element symbol, found end of input"),
            ("H 1\n", (1, 3), "expected `0` after the element symbol, found `1`"),
            ("H 0 S\n", (1, 5), "expected end of line after an element header, found `S`"),
            ("H 0\n****\n", (2, 1), "expected a shell header such as `S    3   1.00`, found `****`"),
            ("H 0\n1 1\n", (2, 1), "expected a shell header such as `S    3   1.00` or `****`, found `1`"),
            (
                "H 0\nS 1 1.00\n 1 1\n 2 1\n",
                (4, 2),
                "expected a shell header such as `S    3   1.00` or `****`, found `2`",
            ),
            ("H 0\nS 1.5 1.00\n", (2, 3), "expected a primitive count (a positive whole number), found `1.5`"),
            ("H 0\nS 0 1.00\n", (2, 3), "expected a primitive count (a positive whole number), found `0`"),
            ("H 0\nS 1\n", (2, 4), "expected a scale factor such as `1.00`, found end of line"),
            ("H 0\nS 1 1.00 x\n", (2, 10), "expected end of line after a shell header, found `x`"),
            ("H 0\nS 1 1.00\n 1 x\n", (3, 4), "expected a number, found `x`"),
            ("H 0\nS 1 1.00\n 1 1\n**** x\n", (4, 6), "expected end of line after `****`, found `x`"),
        ];
        for (source, (line, column), message) in cases {
            let e = parse_err(source);
            assert_eq!((e.line, e.column, e.message().as_str()), (*line, *column, *message), "{source:?}");
        }
    }
}

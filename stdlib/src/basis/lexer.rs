//! Tokens of the two basis formats, and grouping them into logical lines.
//!
//! Both formats are line-oriented. NWChem: a `BASIS` line opens a block, a line
//! of two words (`H    S`) starts a shell, a line of numbers is one primitive,
//! `END` closes the block, and `#` starts a comment. Gaussian94: `H     0` opens
//! an element, `S    3   1.00` starts a shell, a line of numbers is one
//! primitive, `****` closes the element, and `!` starts a comment. The lexers
//! therefore keep newlines as tokens and drop comments and other whitespace.

use logos::Logos;
use std::ops::Range;

use super::error::{BasisParseError, BasisParseErrorKind};

/// One token of the NWChem format. Keywords (`BASIS`, `END`, options, element
/// symbols, shell types) are all [`Token::Word`]s; the parser interprets them
/// case-insensitively.
#[derive(Logos, Debug, Clone, Copy, PartialEq, Eq)]
#[logos(skip r"[ \t\r\f\v]+")]
pub(crate) enum Token {
    /// End of a line.
    #[token("\n")]
    Newline,
    /// `#` to the end of the line (BSE writes its header and `#BASIS SET:`
    /// summaries this way).
    #[regex(r"#[^\n]*", allow_greedy = true)]
    Comment,
    /// A decimal number with an optional exponent marked `E`, `e`, `D` or `d`
    /// (Fortran double precision): `0.3425250914E+01`, `1.0D-3`, `-.5`.
    #[regex(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eEdD][+-]?[0-9]+)?")]
    Number,
    /// A bare word: `BASIS`, `SPHERICAL`, `H`, `SP`, `END`.
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*")]
    Word,
    /// A double-quoted string on one line: `"ao basis"`.
    #[regex(r#""[^"\n]*""#)]
    Quoted,
}

/// One token of the Gaussian94 format (BSE's "gaussian94", `.gbs`). Element
/// symbols and shell types are [`G94Token::Word`]s.
#[derive(Logos, Debug, Clone, Copy, PartialEq, Eq)]
#[logos(skip r"[ \t\r\f\v]+")]
pub(crate) enum G94Token {
    /// End of a line.
    #[token("\n")]
    Newline,
    /// `!` to the end of the line.
    #[regex(r"![^\n]*", allow_greedy = true)]
    Comment,
    /// `****`, which ends an element's block.
    #[token("****")]
    Separator,
    /// A number, written as for [`Token::Number`].
    #[regex(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eEdD][+-]?[0-9]+)?")]
    Number,
    /// A bare word: `H`, `SP`.
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*")]
    Word,
}

/// What [`lines`] needs to know about a format's tokens.
pub(crate) trait LineToken: Copy {
    /// Whether this token ends a line.
    fn is_newline(self) -> bool;
    /// Whether this token is a comment, dropped from the lines.
    fn is_comment(self) -> bool;
}

impl LineToken for Token {
    fn is_newline(self) -> bool {
        self == Self::Newline
    }
    fn is_comment(self) -> bool {
        self == Self::Comment
    }
}

impl LineToken for G94Token {
    fn is_newline(self) -> bool {
        self == Self::Newline
    }
    fn is_comment(self) -> bool {
        self == Self::Comment
    }
}

/// A token with its text and byte span in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lexeme<'src, T = Token> {
    pub(crate) token: T,
    pub(crate) text: &'src str,
    pub(crate) span: Range<usize>,
}

/// A non-empty line of significant tokens (comments removed) and the byte offset
/// of its end (its newline, or the end of the input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line<'src, T = Token> {
    pub(crate) lexemes: Vec<Lexeme<'src, T>>,
    pub(crate) end: usize,
}

/// Splits `source` into its non-empty logical lines of `T` tokens.
///
/// Fails on the first character that starts no token, with its position.
pub(crate) fn lines<'src, T>(source: &'src str) -> Result<Vec<Line<'src, T>>, BasisParseError>
where
    T: Logos<'src, Source = str, Error = ()> + LineToken,
    T::Extras: Default,
{
    let mut lines = Vec::new();
    let mut current = Vec::new();
    let mut lexer = T::lexer(source);
    while let Some(result) = lexer.next() {
        let span = lexer.span();
        let text = lexer.slice();
        match result {
            Ok(token) if token.is_comment() => {}
            Ok(token) if token.is_newline() => {
                if !current.is_empty() {
                    lines.push(Line { lexemes: std::mem::take(&mut current), end: span.start });
                }
            }
            Ok(token) => current.push(Lexeme { token, text, span }),
            Err(()) => {
                return Err(BasisParseError::at(
                    source,
                    span.start,
                    BasisParseErrorKind::InvalidCharacter(text.to_owned()),
                ))
            }
        }
    }
    if !current.is_empty() {
        lines.push(Line { lexemes: current, end: source.len() });
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(source: &str) -> Vec<(Token, &str)> {
        Token::lexer(source).spanned().map(|(t, span)| (t.expect("valid token"), &source[span])).collect()
    }

    #[test]
    fn shell_header_and_row() {
        assert_eq!(
            tokens("H    SP # c\n  0.1E+01 -2.5d-1 1\n"),
            vec![
                (Token::Word, "H"),
                (Token::Word, "SP"),
                (Token::Comment, "# c"),
                (Token::Newline, "\n"),
                (Token::Number, "0.1E+01"),
                (Token::Number, "-2.5d-1"),
                (Token::Number, "1"),
                (Token::Newline, "\n"),
            ]
        );
    }

    #[test]
    fn basis_line() {
        assert_eq!(
            tokens("BASIS \"ao basis\" SPHERICAL PRINT"),
            vec![
                (Token::Word, "BASIS"),
                (Token::Quoted, "\"ao basis\""),
                (Token::Word, "SPHERICAL"),
                (Token::Word, "PRINT"),
            ]
        );
    }

    #[test]
    fn lines_drop_comments_and_blank_lines() {
        let source = "# header\n\nEND\r\n  \n1 2";
        let lines = lines::<Token>(source).expect("lexes");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].lexemes[0].text, "END");
        assert_eq!(lines[0].end, 14, "the newline after `END\\r`");
        assert_eq!(lines[1].lexemes.len(), 2);
        assert_eq!(lines[1].end, source.len());
    }

    #[test]
    fn invalid_character_is_located() {
        let err = lines::<Token>("END\n  0.5 $").expect_err("`$` is not a token");
        assert_eq!((err.line, err.column), (2, 7));
        assert_eq!(err.kind, BasisParseErrorKind::InvalidCharacter("$".into()));
    }

    #[test]
    fn gaussian94_tokens() {
        let source = "C     0 ! carbon\nSP   3   1.00\n****\n";
        let tokens: Vec<_> =
            G94Token::lexer(source).spanned().map(|(t, span)| (t.expect("valid token"), &source[span])).collect();
        assert_eq!(
            tokens,
            vec![
                (G94Token::Word, "C"),
                (G94Token::Number, "0"),
                (G94Token::Comment, "! carbon"),
                (G94Token::Newline, "\n"),
                (G94Token::Word, "SP"),
                (G94Token::Number, "3"),
                (G94Token::Number, "1.00"),
                (G94Token::Newline, "\n"),
                (G94Token::Separator, "****"),
                (G94Token::Newline, "\n"),
            ]
        );
        let err = lines::<G94Token>("H 0\n# not a comment here").expect_err("`#` is NWChem's comment");
        assert_eq!((err.line, err.column), (2, 1));
    }
}

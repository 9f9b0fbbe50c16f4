//! Tokens of the NWChem basis format, and grouping them into logical lines.
//!
//! The format is line-oriented: a `BASIS` line opens a block, a line of two words
//! (`H    S`) starts a shell, a line of numbers is one primitive, `END` closes the
//! block. `#` starts a comment that runs to the end of the line. The lexer
//! therefore keeps newlines as tokens and drops comments and other whitespace.

use logos::Logos;
use std::ops::Range;

use super::error::{BasisParseError, BasisParseErrorKind};

/// One token. Keywords (`BASIS`, `END`, options, element symbols, shell types)
/// are all [`Token::Word`]s; the parser interprets them case-insensitively.
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

/// A token with its text and byte span in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Lexeme<'src> {
    pub(crate) token: Token,
    pub(crate) text: &'src str,
    pub(crate) span: Range<usize>,
}

/// A non-empty line of significant tokens (comments removed) and the byte offset
/// of its end (its newline, or the end of the input).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line<'src> {
    pub(crate) lexemes: Vec<Lexeme<'src>>,
    pub(crate) end: usize,
}

/// Splits `source` into its non-empty logical lines.
///
/// Fails on the first character that starts no token, with its position.
pub(crate) fn lines(source: &str) -> Result<Vec<Line<'_>>, BasisParseError> {
    let mut lines = Vec::new();
    let mut current = Vec::new();
    let mut lexer = Token::lexer(source);
    while let Some(result) = lexer.next() {
        let span = lexer.span();
        let text = lexer.slice();
        match result {
            Ok(Token::Comment) => {}
            Ok(Token::Newline) => {
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
        let lines = lines(source).expect("lexes");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].lexemes[0].text, "END");
        assert_eq!(lines[0].end, 14, "the newline after `END\\r`");
        assert_eq!(lines[1].lexemes.len(), 2);
        assert_eq!(lines[1].end, source.len());
    }

    #[test]
    fn invalid_character_is_located() {
        let err = lines("END\n  0.5 $").expect_err("`$` is not a token");
        assert_eq!((err.line, err.column), (2, 7));
        assert_eq!(err.kind, BasisParseErrorKind::InvalidCharacter("$".into()));
    }
}

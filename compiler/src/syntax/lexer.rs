//! The lexer: text to tokens, losslessly. Every byte of the input belongs to exactly one token, so
//! the tree built from them reproduces the text. Lexing never fails: characters no token starts
//! with become `ERROR_TOKEN`s, which the parser reports.

use logos::Logos;

use super::kind::SyntaxKind;

#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq)]
enum RawToken {
    #[regex(r"[ \t\r\n]+")]
    Whitespace,
    #[regex(r"#[^\n]*", allow_greedy = true)]
    Comment,
    #[regex(r"[\p{XID_Start}_]\p{XID_Continue}*")]
    Ident,
    #[regex(r"[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")]
    Number,
    #[regex(r#""([^"\\\n]|\\[^\n])*""#)]
    String,
    /// A string whose closing quote is missing on its line.
    #[regex(r#""([^"\\\n]|\\[^\n])*"#)]
    UnterminatedString,
    #[token("import")]
    Import,
    #[token("as")]
    As,
    #[token("scan")]
    Scan,
    #[token("experiment")]
    Experiment,
    #[token("molecule")]
    Molecule,
    #[token("molecule_set")]
    MoleculeSet,
    #[token("active_space")]
    ActiveSpace,
    #[token("mapping")]
    Mapping,
    #[token("ansatz")]
    Ansatz,
    #[token("device")]
    Device,
    #[token("noise")]
    Noise,
    #[token("generate")]
    Generate,
    #[token("model")]
    Model,
    #[token("train")]
    Train,
    #[token("compare")]
    Compare,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBrack,
    #[token("]")]
    RBrack,
    #[token(",")]
    Comma,
    #[token(".")]
    Dot,
    #[token("..")]
    Dot2,
    #[token("=")]
    Eq,
    #[token("==")]
    Eq2,
    #[token("!=")]
    Neq,
    #[token("<")]
    Lt,
    #[token("<=")]
    Le,
    #[token(">")]
    Gt,
    #[token(">=")]
    Ge,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
}

impl RawToken {
    fn kind(self) -> SyntaxKind {
        use SyntaxKind as K;
        match self {
            RawToken::Whitespace => K::WHITESPACE,
            RawToken::Comment => K::COMMENT,
            RawToken::Ident => K::IDENT,
            RawToken::Number => K::NUMBER,
            RawToken::String => K::STRING,
            RawToken::UnterminatedString => K::ERROR_TOKEN,
            RawToken::Import => K::IMPORT_KW,
            RawToken::As => K::AS_KW,
            RawToken::Scan => K::SCAN_KW,
            RawToken::Experiment => K::EXPERIMENT_KW,
            RawToken::Molecule => K::MOLECULE_KW,
            RawToken::MoleculeSet => K::MOLECULE_SET_KW,
            RawToken::ActiveSpace => K::ACTIVE_SPACE_KW,
            RawToken::Mapping => K::MAPPING_KW,
            RawToken::Ansatz => K::ANSATZ_KW,
            RawToken::Device => K::DEVICE_KW,
            RawToken::Noise => K::NOISE_KW,
            RawToken::Generate => K::GENERATE_KW,
            RawToken::Model => K::MODEL_KW,
            RawToken::Train => K::TRAIN_KW,
            RawToken::Compare => K::COMPARE_KW,
            RawToken::LBrace => K::L_BRACE,
            RawToken::RBrace => K::R_BRACE,
            RawToken::LParen => K::L_PAREN,
            RawToken::RParen => K::R_PAREN,
            RawToken::LBrack => K::L_BRACK,
            RawToken::RBrack => K::R_BRACK,
            RawToken::Comma => K::COMMA,
            RawToken::Dot => K::DOT,
            RawToken::Dot2 => K::DOT2,
            RawToken::Eq => K::EQ,
            RawToken::Eq2 => K::EQ2,
            RawToken::Neq => K::NEQ,
            RawToken::Lt => K::LT,
            RawToken::Le => K::LE,
            RawToken::Gt => K::GT,
            RawToken::Ge => K::GE,
            RawToken::Plus => K::PLUS,
            RawToken::Minus => K::MINUS,
            RawToken::Star => K::STAR,
            RawToken::Slash => K::SLASH,
        }
    }
}

/// One token: its kind and its text, a slice of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: SyntaxKind,
    pub text: &'a str,
    /// Byte offset of the token in the input.
    pub offset: usize,
}

/// Splits `text` into tokens. The tokens' texts concatenate to `text` exactly.
pub fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut lexer = RawToken::lexer(text);
    let mut tokens = Vec::new();
    while let Some(result) = lexer.next() {
        let span = lexer.span();
        let kind = match result {
            Ok(raw) => raw.kind(),
            Err(()) => SyntaxKind::ERROR_TOKEN,
        };
        // Adjacent error characters merge into one token, so `@@@` is one diagnostic, not three.
        if kind == SyntaxKind::ERROR_TOKEN && result.is_err() {
            if let Some(last) = tokens.last_mut() {
                let last: &mut Token<'_> = last;
                if last.kind == SyntaxKind::ERROR_TOKEN
                    && last.offset + last.text.len() == span.start
                    && !last.text.starts_with('"')
                {
                    last.text = &text[last.offset..span.end];
                    continue;
                }
            }
        }
        tokens.push(Token { kind, text: &text[span.clone()], offset: span.start });
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(input: &str, expect: Expect) {
        let tokens = tokenize(input);
        let joined: String = tokens.iter().map(|t| t.text).collect();
        assert_eq!(joined, input, "lexing must be lossless");
        let shown: Vec<String> = tokens.iter().map(|t| format!("{:?} {:?}", t.kind, t.text)).collect();
        expect.assert_eq(&shown.join("\n"));
    }

    #[test]
    fn numbers_units_and_ranges() {
        check(
            "0.74 angstrom 2e6 1..5 1.5e-3",
            expect![[r#"
                NUMBER "0.74"
                WHITESPACE " "
                IDENT "angstrom"
                WHITESPACE " "
                NUMBER "2e6"
                WHITESPACE " "
                NUMBER "1"
                DOT2 ".."
                NUMBER "5"
                WHITESPACE " "
                NUMBER "1.5e-3""#]],
        );
    }

    #[test]
    fn keywords_are_whole_words() {
        check(
            "molecule molecule_set molecules scan scanner",
            expect![[r#"
                MOLECULE_KW "molecule"
                WHITESPACE " "
                MOLECULE_SET_KW "molecule_set"
                WHITESPACE " "
                IDENT "molecules"
                WHITESPACE " "
                SCAN_KW "scan"
                WHITESPACE " "
                IDENT "scanner""#]],
        );
    }

    #[test]
    fn strings_comments_and_errors() {
        check(
            "\"a\\\"b\" # Å\n@@ \"open\nÅ",
            expect![[r##"
                STRING "\"a\\\"b\""
                WHITESPACE " "
                COMMENT "# Å"
                WHITESPACE "\n"
                ERROR_TOKEN "@@"
                WHITESPACE " "
                ERROR_TOKEN "\"open"
                WHITESPACE "\n"
                IDENT "Å""##]],
        );
    }
}

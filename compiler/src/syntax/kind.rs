//! The kinds of tokens and nodes in the lossless syntax tree.

/// Every token and node kind. Tokens come first, then nodes; the tree is a `rowan` tree over these.
#[allow(non_camel_case_types, clippy::upper_case_acronyms)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u16)]
pub enum SyntaxKind {
    // Trivia.
    WHITESPACE,
    COMMENT,
    // Words and literals.
    IDENT,
    NUMBER,
    STRING,
    /// A character no token starts with, or an unterminated string.
    ERROR_TOKEN,
    // Reserved words.
    IMPORT_KW,
    AS_KW,
    SCAN_KW,
    EXPERIMENT_KW,
    MOLECULE_KW,
    MOLECULE_SET_KW,
    ACTIVE_SPACE_KW,
    MAPPING_KW,
    ANSATZ_KW,
    DEVICE_KW,
    NOISE_KW,
    GENERATE_KW,
    MODEL_KW,
    TRAIN_KW,
    COMPARE_KW,
    // Punctuation.
    L_BRACE,
    R_BRACE,
    L_PAREN,
    R_PAREN,
    L_BRACK,
    R_BRACK,
    COMMA,
    DOT,
    DOT2,
    EQ,
    EQ2,
    NEQ,
    LT,
    LE,
    GT,
    GE,
    PLUS,
    MINUS,
    STAR,
    SLASH,
    // Nodes.
    SOURCE_FILE,
    IMPORT,
    DECL,
    NAME,
    BLOCK,
    FIELD,
    SCAN,
    /// Tokens the parser skipped while recovering from an error.
    ERROR,
    PATH,
    PATH_EXPR,
    QUANTITY,
    UNIT,
    STRING_LIT,
    LIST,
    PAREN,
    GEOMETRY,
    ATOM,
    /// A plain (possibly negative) number in a geometry block.
    COORD,
    /// An expression in braces inside a geometry block: `{r / 2}`.
    INTERP,
    CALL,
    ARG_LIST,
    ARG,
    RECORD,
    BIN_EXPR,
    PREFIX_EXPR,
}

use SyntaxKind::*;

impl SyntaxKind {
    pub fn is_trivia(self) -> bool {
        matches!(self, WHITESPACE | COMMENT)
    }

    /// The keywords that start a declaration.
    pub fn is_decl_keyword(self) -> bool {
        matches!(
            self,
            EXPERIMENT_KW
                | MOLECULE_KW
                | MOLECULE_SET_KW
                | ACTIVE_SPACE_KW
                | MAPPING_KW
                | ANSATZ_KW
                | DEVICE_KW
                | NOISE_KW
                | GENERATE_KW
                | MODEL_KW
                | TRAIN_KW
                | COMPARE_KW
        )
    }

    pub fn is_keyword(self) -> bool {
        self.is_decl_keyword() || matches!(self, IMPORT_KW | AS_KW | SCAN_KW)
    }

    /// How the token is written, for "expected `=`" messages.
    pub fn describe(self) -> &'static str {
        match self {
            IDENT => "a name",
            NUMBER => "a number",
            STRING => "a string",
            L_BRACE => "`{`",
            R_BRACE => "`}`",
            L_PAREN => "`(`",
            R_PAREN => "`)`",
            L_BRACK => "`[`",
            R_BRACK => "`]`",
            COMMA => "`,`",
            DOT => "`.`",
            DOT2 => "`..`",
            EQ => "`=`",
            EQ2 => "`==`",
            NEQ => "`!=`",
            LT => "`<`",
            LE => "`<=`",
            GT => "`>`",
            GE => "`>=`",
            PLUS => "`+`",
            MINUS => "`-`",
            STAR => "`*`",
            SLASH => "`/`",
            k if k.is_keyword() => "a keyword",
            _ => "a token",
        }
    }
}

impl From<SyntaxKind> for rowan::SyntaxKind {
    fn from(kind: SyntaxKind) -> Self {
        rowan::SyntaxKind(kind as u16)
    }
}

/// The `rowan` language of qdf trees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QdfLanguage {}

impl rowan::Language for QdfLanguage {
    type Kind = SyntaxKind;

    fn kind_from_raw(raw: rowan::SyntaxKind) -> SyntaxKind {
        assert!(raw.0 <= PREFIX_EXPR as u16, "raw syntax kind {} out of range", raw.0);
        // SAFETY-free conversion: the enum is `repr(u16)` with contiguous discriminants from 0.
        ALL_KINDS[raw.0 as usize]
    }

    fn kind_to_raw(kind: SyntaxKind) -> rowan::SyntaxKind {
        kind.into()
    }
}

const ALL_KINDS: &[SyntaxKind] = &[
    WHITESPACE,
    COMMENT,
    IDENT,
    NUMBER,
    STRING,
    ERROR_TOKEN,
    IMPORT_KW,
    AS_KW,
    SCAN_KW,
    EXPERIMENT_KW,
    MOLECULE_KW,
    MOLECULE_SET_KW,
    ACTIVE_SPACE_KW,
    MAPPING_KW,
    ANSATZ_KW,
    DEVICE_KW,
    NOISE_KW,
    GENERATE_KW,
    MODEL_KW,
    TRAIN_KW,
    COMPARE_KW,
    L_BRACE,
    R_BRACE,
    L_PAREN,
    R_PAREN,
    L_BRACK,
    R_BRACK,
    COMMA,
    DOT,
    DOT2,
    EQ,
    EQ2,
    NEQ,
    LT,
    LE,
    GT,
    GE,
    PLUS,
    MINUS,
    STAR,
    SLASH,
    SOURCE_FILE,
    IMPORT,
    DECL,
    NAME,
    BLOCK,
    FIELD,
    SCAN,
    ERROR,
    PATH,
    PATH_EXPR,
    QUANTITY,
    UNIT,
    STRING_LIT,
    LIST,
    PAREN,
    GEOMETRY,
    ATOM,
    COORD,
    INTERP,
    CALL,
    ARG_LIST,
    ARG,
    RECORD,
    BIN_EXPR,
    PREFIX_EXPR,
];

pub type SyntaxNode = rowan::SyntaxNode<QdfLanguage>;
pub type SyntaxToken = rowan::SyntaxToken<QdfLanguage>;
pub type SyntaxElement = rowan::SyntaxElement<QdfLanguage>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_table_matches_discriminants() {
        for (i, kind) in ALL_KINDS.iter().enumerate() {
            assert_eq!(*kind as usize, i, "{kind:?}");
        }
        assert_eq!(ALL_KINDS.len(), PREFIX_EXPR as usize + 1);
    }
}

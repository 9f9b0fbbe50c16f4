//! Finding the token at an editor offset.

use qdf_compiler::syntax::{SyntaxKind, SyntaxNode, SyntaxToken};
use rowan::{TextSize, TokenAtOffset};

/// `offset` clamped to `text` and moved back to a character boundary.
pub(crate) fn clamp(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The token at `offset`; between two tokens, the one that is a word, number or string (so a
/// cursor just after `h2` finds `h2`), else the one on the right.
pub(crate) fn token_at(root: &SyntaxNode, offset: usize) -> Option<SyntaxToken> {
    let size = TextSize::try_from(offset).ok()?;
    if size > root.text_range().end() {
        return None;
    }
    match root.token_at_offset(size) {
        TokenAtOffset::None => None,
        TokenAtOffset::Single(token) => Some(token),
        TokenAtOffset::Between(left, right) => {
            Some(if is_word_like(right.kind()) || !is_word_like(left.kind()) { right } else { left })
        }
    }
}

/// Names, keywords, numbers and strings: what a cursor on either side of means.
pub(crate) fn is_word_like(kind: SyntaxKind) -> bool {
    matches!(kind, SyntaxKind::IDENT | SyntaxKind::NUMBER | SyntaxKind::STRING) || kind.is_keyword()
}

/// The byte range of a token.
pub(crate) fn range_of(token: &SyntaxToken) -> crate::TextRange {
    let range = token.text_range();
    usize::from(range.start())..usize::from(range.end())
}

/// The byte range of a node.
pub(crate) fn node_range(node: &SyntaxNode) -> crate::TextRange {
    let range = node.text_range();
    usize::from(range.start())..usize::from(range.end())
}

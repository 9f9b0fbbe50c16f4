//! Editor positions: LSP counts lines from 0 and columns in UTF-16 code units, the editor
//! features count bytes. Geometry comments carry `Å` and `µ` (one unit, two bytes) and names may
//! hold characters outside the Basic Multilingual Plane (two units, four bytes).

use lsp_types::{Position, Range};
use qdf_compiler::source;

/// Line starts of one text, converting between byte offsets and LSP positions: the compiler's
/// index (1-based lines and UTF-16 columns), counted from 0 as LSP counts.
#[derive(Clone, Debug)]
pub struct LineIndex(source::LineIndex);

impl LineIndex {
    pub fn new(text: &str) -> Self {
        LineIndex(source::LineIndex::new(text))
    }

    /// The byte offset of `position` in `text` (the text this index was built from). A line past
    /// the end gives the end of the text; a column past the end of its line gives the line's end;
    /// a column inside a surrogate pair gives the start of that character.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        self.0.offset_utf16(text, position.line + 1, position.character + 1)
    }

    /// The LSP position of byte `offset` in `text`, clamped to the text and moved back to a
    /// character boundary.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let at = self.0.line_col(text, offset);
        Position { line: at.line - 1, character: at.column_utf16 - 1 }
    }

    pub fn range(&self, text: &str, range: std::ops::Range<usize>) -> Range {
        Range { start: self.position(text, range.start), end: self.position(text, range.end) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_round_trip() {
        let text = "# Å µ 𝛼 x\r\nH 0\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap_or_default();
        let position = index.position(text, x);
        // `#`, space, `Å`, space, `µ`, space, two units for `𝛼`, space: 9 units before `x`.
        assert_eq!(position, Position { line: 0, character: 9 });
        assert_eq!(index.offset(text, position), x);
        assert_eq!(index.offset(text, Position { line: 0, character: 7 }), text.find('𝛼').unwrap_or_default());
        assert_eq!(index.offset(text, Position { line: 0, character: 99 }), text.find('\r').unwrap_or_default());
        assert_eq!(index.offset(text, Position { line: 1, character: 2 }), text.find('0').unwrap_or_default());
        assert_eq!(index.offset(text, Position { line: 9, character: 0 }), text.len());
        assert_eq!(index.position(text, text.len()), Position { line: 2, character: 0 });
    }
}

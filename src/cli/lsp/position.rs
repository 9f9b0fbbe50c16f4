//! Editor positions: LSP counts lines from 0 and columns in UTF-16 code units, the editor
//! features count bytes. Geometry comments carry `Å` and `µ` (one unit, two bytes) and names may
//! hold characters outside the Basic Multilingual Plane (two units, four bytes).

use lsp_types::{Position, Range};

/// Line starts of one text, converting between byte offsets and LSP positions.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { line_starts }
    }

    /// The byte offset of `position` in `text` (the text this index was built from). A line past
    /// the end gives the end of the text; a column past the end of its line gives the line's end;
    /// a column inside a surrogate pair gives the start of that character.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.line_starts.get(position.line as usize) else { return text.len() };
        let end = self.line_starts.get(position.line as usize + 1).map_or(text.len(), |&next| next - 1);
        let line = &text[start..end];
        let mut units = 0u32;
        for (i, c) in line.char_indices() {
            let next = units + c.len_utf16() as u32;
            if next > position.character {
                return start + i;
            }
            units = next;
        }
        // Past the end of the line: its end, before a `\r` of a `\r\n` line break.
        start + line.strip_suffix('\r').map_or(line.len(), str::len)
    }

    /// The LSP position of byte `offset` in `text`, clamped to the text and moved back to a
    /// character boundary.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let character = text[self.line_starts[line]..offset].encode_utf16().count() as u32;
        Position { line: line as u32, character }
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

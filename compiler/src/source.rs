//! Source files, spans and positions.
//!
//! A [`Span`] is a byte range in one file. Positions shown to people are 1-based lines and columns
//! counted in Unicode scalar values; editors count UTF-16 code units, which [`LineIndex`] also
//! gives (geometry comments carry `Å` and `µ`, where the two differ).

use serde::Serialize;
use std::ops::Range;

/// A file known to a [`crate::Compilation`]: the spec, an imported stdlib module or a geometry file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        // Sources are limited to 4 GiB by `SourceFile::new`, so offsets fit in u32.
        Span { file, start: range.start as u32, end: range.end as u32 }
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both; `other` must be in the same file.
    pub fn cover(self, other: Span) -> Span {
        debug_assert_eq!(self.file, other.file);
        Span { file: self.file, start: self.start.min(other.start), end: self.end.max(other.end) }
    }
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: u32,
    /// Counted in Unicode scalar values.
    pub column: u32,
    /// Counted in UTF-16 code units, as the language server protocol does.
    pub column_utf16: u32,
}

/// Line starts of a text, for turning byte offsets into lines and columns.
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

    /// The position of byte `offset` in `text` (the text this index was built from). An offset past
    /// the end, or inside a multi-byte character, is clamped to the nearest valid position before it.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let prefix = &text[self.line_starts[line]..offset];
        LineCol {
            line: line as u32 + 1,
            column: prefix.chars().count() as u32 + 1,
            column_utf16: prefix.encode_utf16().count() as u32 + 1,
        }
    }

    /// The byte offset in `text` (the text this index was built from) of the 1-based `line` and
    /// UTF-16 `column_utf16`, the inverse of [`LineIndex::line_col`] for editors. A line past the
    /// end gives the end of the text; a column past the end of its line gives the line's end
    /// (before a `\r\n`); a column inside a surrogate pair gives the start of that character.
    pub fn offset_utf16(&self, text: &str, line: u32, column_utf16: u32) -> usize {
        let Some(&start) = self.line_starts.get((line as usize).saturating_sub(1)) else { return text.len() };
        let end = self.line_starts.get(line as usize).map_or(text.len(), |&next| next - 1);
        let line_text = &text[start..end];
        let wanted = column_utf16.saturating_sub(1);
        let mut units = 0u32;
        for (i, c) in line_text.char_indices() {
            let next = units + c.len_utf16() as u32;
            if next > wanted {
                return start + i;
            }
            units = next;
        }
        start + line_text.strip_suffix('\r').map_or(line_text.len(), str::len)
    }
}

/// One source text with its name (a path as the user wrote it, or `std.targets.ionq`).
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    pub lines: LineIndex,
}

impl SourceFile {
    /// Texts over 4 GiB are truncated at the nearest character boundary below the limit, so that
    /// every offset fits a [`Span`].
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let mut text = text.into();
        let limit = u32::MAX as usize;
        if text.len() > limit {
            let mut cut = limit;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        let lines = LineIndex::new(&text);
        SourceFile { name: name.into(), text, lines }
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        self.lines.line_col(&self.text, offset)
    }
}

/// All files of one compilation, addressed by [`FileId`].
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    /// Panics if `id` did not come from this map.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_utf16_units() {
        let text = "a\n# Å µ 𝛼 x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        let pos = index.line_col(text, x);
        assert_eq!((pos.line, pos.column, pos.column_utf16), (2, 9, 10));
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1, column_utf16: 1 });
        assert_eq!(index.line_col(text, 999).line, 3);
    }
}

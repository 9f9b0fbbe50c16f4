//! Reader for the standard XYZ file format.
//!
//! ```text
//! 3                      <- number of atoms (a non-negative integer)
//! water, angstrom        <- free comment line (kept verbatim, may be empty)
//! O  0.000  0.000  0.117
//! H  0.000  0.757 -0.470
//! H  0.000 -0.757 -0.470
//! ```
//!
//! Coordinates are in ångström. A file may hold several such frames back to
//! back (a trajectory); all of them are returned. Blank (whitespace-only) lines
//! are allowed only after the last frame. Lines may end in `\n` or `\r\n`, and
//! a leading UTF-8 byte-order mark is skipped.
//!
//! Each atom line is exactly `symbol x y z`: extra columns (as in extended XYZ)
//! are rejected, not ignored. The symbol is returned as written
//! (`[A-Za-z][A-Za-z0-9_]*`, e.g. `H`, `he`, `C1`); checking that it names an
//! element is the caller's job. Numbers are decimal, with an optional sign,
//! fraction and `e`/`E` exponent (`1`, `-0.5`, `.5`, `1.`, `2.5E-3`); `nan`,
//! `inf`, Fortran `D` exponents and values that overflow are rejected.
//!
//! Tokens are produced by a [`logos`] lexer, one line at a time.

use logos::Logos;
use std::fmt;
use std::ops::Range;

/// One atom of an XYZ frame.
#[derive(Debug, Clone, PartialEq)]
pub struct XyzAtom {
    /// The element symbol (or label) exactly as written; not validated.
    pub symbol: String,
    /// Cartesian position in ångström.
    pub position: [f64; 3],
    /// 1-based line number of the atom line in the input text.
    pub line: usize,
}

/// One frame (molecule) of an XYZ file.
#[derive(Debug, Clone, PartialEq)]
pub struct XyzFrame {
    /// The comment line, verbatim (without its line ending).
    pub comment: String,
    /// The atoms, in file order; as many as the frame's count line declares.
    pub atoms: Vec<XyzAtom>,
}

/// The kind of an XYZ reading error. The variants and their
/// [`code`](XyzErrorKind::code)s are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum XyzErrorKind {
    /// The text holds no frame at all (empty or only blank lines).
    Empty,
    /// A line where an atom count was expected is not a single non-negative
    /// integer (or is too large, or is a blank line followed by more content).
    InvalidCount,
    /// The text ends right after an atom count line.
    MissingComment,
    /// A frame has fewer atom lines than its count declares (the text or the
    /// block ends early), or more (an atom line follows where the next count
    /// line was expected).
    CountMismatch,
    /// The first column of an atom line is not an element symbol.
    InvalidSymbol,
    /// A coordinate is not a finite decimal number.
    InvalidNumber,
    /// An atom line has fewer than three coordinates.
    MissingCoordinate,
    /// An atom line has more than four columns.
    ExtraColumn,
}

impl XyzErrorKind {
    /// A stable kebab-case identifier, e.g. `"count-mismatch"`.
    pub fn code(self) -> &'static str {
        match self {
            XyzErrorKind::Empty => "empty",
            XyzErrorKind::InvalidCount => "invalid-count",
            XyzErrorKind::MissingComment => "missing-comment",
            XyzErrorKind::CountMismatch => "count-mismatch",
            XyzErrorKind::InvalidSymbol => "invalid-symbol",
            XyzErrorKind::InvalidNumber => "invalid-number",
            XyzErrorKind::MissingCoordinate => "missing-coordinate",
            XyzErrorKind::ExtraColumn => "extra-column",
        }
    }
}

impl fmt::Display for XyzErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An XYZ reading error with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XyzError {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in Unicode scalar values (chars) from the start
    /// of the line (after a byte-order mark on line 1).
    pub column: usize,
    /// Byte offset of the same position in the input text (`<= text.len()`).
    pub offset: usize,
    /// What went wrong.
    pub kind: XyzErrorKind,
    /// A human-readable explanation (one line, no position prefix).
    pub message: String,
}

impl fmt::Display for XyzError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for XyzError {}

/// Parses XYZ text into all of its frames.
///
/// # Errors
///
/// Returns the first problem found, reading top to bottom, as an [`XyzError`]
/// with its 1-based line and column:
///
/// * [`Empty`](XyzErrorKind::Empty) at 1:1 when there is no frame;
/// * [`InvalidCount`](XyzErrorKind::InvalidCount) at the count line;
/// * [`MissingComment`](XyzErrorKind::MissingComment) at the end of the text;
/// * [`CountMismatch`](XyzErrorKind::CountMismatch) at the blank line or end of
///   text where another atom was expected, or at the first surplus atom line;
/// * [`InvalidSymbol`](XyzErrorKind::InvalidSymbol),
///   [`InvalidNumber`](XyzErrorKind::InvalidNumber) and
///   [`ExtraColumn`](XyzErrorKind::ExtraColumn) at the offending column;
/// * [`MissingCoordinate`](XyzErrorKind::MissingCoordinate) just past the end of
///   the short atom line.
///
/// Never panics, whatever the input.
pub fn parse_xyz(text: &str) -> Result<Vec<XyzFrame>, XyzError> {
    let lines = split_lines(text);
    let mut frames: Vec<XyzFrame> = Vec::new();
    // Line index of the count line of the last frame, for messages.
    let mut last_count_line = 0;
    let mut idx = 0;
    while idx < lines.len() {
        if lines[idx..].iter().all(Line::is_blank) {
            break;
        }
        let count_line = &lines[idx];
        let count = parse_count(count_line, frames.last().map(|f| (f, last_count_line)))?;
        last_count_line = count_line.number;
        idx += 1;

        let Some(comment_line) = lines.get(idx) else {
            return Err(end_of_text(
                text,
                &lines,
                XyzErrorKind::MissingComment,
                format!("the text ends after the atom count on line {}; expected a comment line", count_line.number),
            ));
        };
        let comment = comment_line.text.to_string();
        idx += 1;

        let mut atoms = Vec::with_capacity(count.min(lines.len() - idx));
        for found in 0..count {
            let mismatch = || {
                format!(
                    "the frame whose count is on line {} declares {count} atom{}, but only {found} atom line{} follow{}",
                    count_line.number,
                    plural(count),
                    plural(found),
                    if found == 1 { "s" } else { "" },
                )
            };
            match lines.get(idx) {
                None => return Err(end_of_text(text, &lines, XyzErrorKind::CountMismatch, mismatch())),
                Some(line) if line.is_blank() => {
                    return Err(line.error_at_char(1, XyzErrorKind::CountMismatch, mismatch()))
                }
                Some(line) => atoms.push(parse_atom(line)?),
            }
            idx += 1;
        }
        frames.push(XyzFrame { comment, atoms });
    }
    if frames.is_empty() {
        return Err(XyzError {
            line: 1,
            column: 1,
            offset: 0,
            kind: XyzErrorKind::Empty,
            message: "the XYZ text is empty; expected an atom count on line 1".to_string(),
        });
    }
    Ok(frames)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[derive(Logos, Debug, Clone, Copy, PartialEq, Eq)]
#[logos(skip r"[ \t\r\x0B\x0C]+")]
enum Token {
    /// A decimal number; integers are a special case.
    #[regex(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?", priority = 10)]
    Number,
    /// An element symbol or label.
    #[regex(r"[A-Za-z][A-Za-z0-9_]*", priority = 10)]
    Symbol,
    /// Any other run of non-whitespace (a longer match wins over the two above,
    /// so `1.0x` is one `Word`, not a number followed by a symbol).
    #[regex(r"[^ \t\r\n\x0B\x0C]+", priority = 1)]
    Word,
}

/// A lexed field: its token (`None` for a lexer error) and byte span in the line.
type Field = (Option<Token>, Range<usize>);

struct Line<'a> {
    /// 1-based line number.
    number: usize,
    /// Byte offset of `text` in the whole input.
    offset: usize,
    /// The line without its terminator (`\n` or `\r\n`) or byte-order mark.
    text: &'a str,
}

impl<'a> Line<'a> {
    fn is_blank(&self) -> bool {
        self.text.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | 0x0B | 0x0C))
    }

    fn fields(&self) -> Vec<Field> {
        Token::lexer(self.text).spanned().map(|(tok, span)| (tok.ok(), span)).collect()
    }

    fn slice(&self, span: &Range<usize>) -> &'a str {
        self.text.get(span.clone()).unwrap_or("")
    }

    /// An error at byte `byte` of this line.
    fn error_at_byte(&self, byte: usize, kind: XyzErrorKind, message: String) -> XyzError {
        let byte = byte.min(self.text.len());
        let column = self.text.get(..byte).map_or(0, |s| s.chars().count()) + 1;
        XyzError { line: self.number, column, offset: self.offset + byte, kind, message }
    }

    /// An error at 1-based char column `column` of this line.
    fn error_at_char(&self, column: usize, kind: XyzErrorKind, message: String) -> XyzError {
        let byte = self.text.char_indices().nth(column.saturating_sub(1)).map_or(self.text.len(), |(b, _)| b);
        self.error_at_byte(byte, kind, message)
    }
}

fn split_lines(text: &str) -> Vec<Line<'_>> {
    let (body, start) = match text.strip_prefix('\u{feff}') {
        Some(rest) => (rest, '\u{feff}'.len_utf8()),
        None => (text, 0),
    };
    let mut lines = Vec::new();
    let mut offset = start;
    for (i, raw) in body.split('\n').enumerate() {
        let text = raw.strip_suffix('\r').unwrap_or(raw);
        lines.push(Line { number: i + 1, offset, text });
        offset += raw.len() + 1;
    }
    lines
}

/// An error at the very end of the text.
fn end_of_text(text: &str, lines: &[Line<'_>], kind: XyzErrorKind, message: String) -> XyzError {
    match lines.last() {
        Some(last) => last.error_at_byte(last.text.len(), kind, message),
        None => XyzError { line: 1, column: 1, offset: text.len(), kind, message },
    }
}

fn describe(line: &Line<'_>, field: &Field) -> String {
    let s = line.slice(&field.1);
    let shown: String = s.chars().take(40).collect();
    if shown.len() < s.len() {
        format!("`{shown}...`")
    } else {
        format!("`{shown}`")
    }
}

/// Parses a count line. `previous` is the last complete frame and the line of
/// its count, if any.
fn parse_count(line: &Line<'_>, previous: Option<(&XyzFrame, usize)>) -> Result<usize, XyzError> {
    if line.is_blank() {
        return Err(line.error_at_char(
            1,
            XyzErrorKind::InvalidCount,
            "blank line where an atom count was expected; blank lines are only allowed at the end of the file"
                .to_string(),
        ));
    }
    let fields = line.fields();
    let Some(first) = fields.first() else {
        // Not blank, so the lexer produced at least one field; be safe anyway.
        return Err(line.error_at_char(1, XyzErrorKind::InvalidCount, "expected an atom count".to_string()));
    };
    let digits = line.slice(&first.1);
    if fields.len() == 1
        && first.0 == Some(Token::Number)
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        return digits.parse::<usize>().map_err(|_| {
            line.error_at_byte(
                first.1.start,
                XyzErrorKind::InvalidCount,
                format!("atom count {} is too large", describe(line, first)),
            )
        });
    }
    if let (Some((frame, count_line)), Some(Token::Symbol)) = (previous, first.0) {
        let n = frame.atoms.len();
        return Err(line.error_at_byte(
            first.1.start,
            XyzErrorKind::CountMismatch,
            format!(
                "the frame whose count is on line {count_line} declares {n} atom{}, but this line looks like another atom line (expected the atom count of a next frame)",
                plural(n)
            ),
        ));
    }
    let found = if fields.len() == 1 { describe(line, first) } else { format!("{} fields", fields.len()) };
    Err(line.error_at_byte(
        first.1.start,
        XyzErrorKind::InvalidCount,
        format!("expected the number of atoms (a single non-negative integer) on this line, found {found}"),
    ))
}

fn parse_atom(line: &Line<'_>) -> Result<XyzAtom, XyzError> {
    let fields = line.fields();
    let Some(first) = fields.first() else {
        return Err(line.error_at_char(1, XyzErrorKind::CountMismatch, "expected an atom line".to_string()));
    };
    if first.0 != Some(Token::Symbol) {
        let what = if first.0 == Some(Token::Number) { "a number" } else { "not an element symbol" };
        return Err(line.error_at_byte(
            first.1.start,
            XyzErrorKind::InvalidSymbol,
            format!(
                "expected an element symbol at the start of the atom line, found {} ({what})",
                describe(line, first)
            ),
        ));
    }
    let mut position = [0.0; 3];
    for (axis, slot) in position.iter_mut().enumerate() {
        let name = ["x", "y", "z"][axis];
        let Some(field) = fields.get(axis + 1) else {
            return Err(line.error_at_byte(
                line.text.trim_end().len(),
                XyzErrorKind::MissingCoordinate,
                format!(
                    "missing {name} coordinate: an atom line is `symbol x y z` (angstrom), this one has {axis} coordinate{}",
                    plural(axis)
                ),
            ));
        };
        let value = match field.0 {
            Some(Token::Number) => line.slice(&field.1).parse::<f64>().ok(),
            _ => None,
        };
        match value {
            Some(v) if v.is_finite() => *slot = v,
            Some(_) => {
                return Err(line.error_at_byte(
                    field.1.start,
                    XyzErrorKind::InvalidNumber,
                    format!("{name} coordinate {} is out of range", describe(line, field)),
                ))
            }
            None => {
                return Err(line.error_at_byte(
                    field.1.start,
                    XyzErrorKind::InvalidNumber,
                    format!("{name} coordinate {} is not a number", describe(line, field)),
                ))
            }
        }
    }
    if let Some(extra) = fields.get(4) {
        return Err(line.error_at_byte(
            extra.1.start,
            XyzErrorKind::ExtraColumn,
            format!(
                "unexpected extra column {}: an atom line is exactly `symbol x y z` (extended XYZ columns are not supported)",
                describe(line, extra)
            ),
        ));
    }
    Ok(XyzAtom { symbol: line.slice(&first.1).to_string(), position, line: line.number })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> XyzError {
        match parse_xyz(text) {
            Ok(frames) => panic!("expected an error, got {frames:?}"),
            Err(e) => e,
        }
    }

    /// (kind, line, column) of the error for `text`.
    fn pos(text: &str) -> (XyzErrorKind, usize, usize) {
        let e = err(text);
        assert!(e.offset <= text.len());
        (e.kind, e.line, e.column)
    }

    #[test]
    fn water() {
        let text = "3\n water, angstrom \nO 0.0 0.0 0.117\nH 0 .757 -4.7e-1\n\tH  +0.0 -0.757 -0.470  \n";
        let frames = parse_xyz(text).expect("valid");
        assert_eq!(frames.len(), 1);
        assert_eq!(frames[0].comment, " water, angstrom ");
        let atoms = &frames[0].atoms;
        assert_eq!(atoms.len(), 3);
        assert_eq!(atoms[0].symbol, "O");
        assert_eq!(atoms[0].position, [0.0, 0.0, 0.117]);
        assert_eq!(atoms[0].line, 3);
        assert_eq!(atoms[1].position, [0.0, 0.757, -0.47]);
        assert_eq!(atoms[2].symbol, "H");
        assert_eq!(atoms[2].position, [0.0, -0.757, -0.47]);
        assert_eq!(atoms[2].line, 5);
    }

    #[test]
    fn crlf_bom_no_final_newline_and_trailing_blank_lines() {
        let text = "\u{feff}  2\r\n\r\nHe 1. 2 3E2\r\nc1 -1 -2 -3";
        let frames = parse_xyz(text).expect("valid");
        assert_eq!(frames[0].comment, "");
        assert_eq!(frames[0].atoms[0].symbol, "He");
        assert_eq!(frames[0].atoms[0].position, [1.0, 2.0, 300.0]);
        assert_eq!(frames[0].atoms[1].symbol, "c1");
        let text = "1\n\nH 0 0 0\n\n   \n\t\n";
        assert_eq!(parse_xyz(text).expect("valid").len(), 1);
    }

    #[test]
    fn multiple_frames() {
        let text = "1\nfirst\nH 0 0 0\n2\nsecond\nH 0 0 0\nH 0 0 0.74\n0\nempty frame\n";
        let frames = parse_xyz(text).expect("valid");
        assert_eq!(frames.len(), 3);
        assert_eq!(frames[1].comment, "second");
        assert_eq!(frames[1].atoms[1].position, [0.0, 0.0, 0.74]);
        assert_eq!(frames[1].atoms[1].line, 7);
        assert!(frames[2].atoms.is_empty());
    }

    #[test]
    fn empty() {
        for text in ["", "\n", "  \n\t\n", "\r\n", "\u{feff}"] {
            assert_eq!(pos(text), (XyzErrorKind::Empty, 1, 1), "{text:?}");
        }
    }

    #[test]
    fn invalid_count() {
        assert_eq!(pos("H 0 0 0\n"), (XyzErrorKind::InvalidCount, 1, 1));
        assert_eq!(pos("  3.0\nc\n"), (XyzErrorKind::InvalidCount, 1, 3));
        assert_eq!(pos("-1\nc\n"), (XyzErrorKind::InvalidCount, 1, 1));
        assert_eq!(pos("3 atoms\nc\n"), (XyzErrorKind::InvalidCount, 1, 1));
        assert_eq!(pos("3x\nc\n"), (XyzErrorKind::InvalidCount, 1, 1));
        assert_eq!(pos("99999999999999999999999\nc\n"), (XyzErrorKind::InvalidCount, 1, 1));
        // A blank line between frames.
        assert_eq!(pos("1\nc\nH 0 0 0\n\n1\nc\nH 0 0 0\n"), (XyzErrorKind::InvalidCount, 4, 1));
        let e = err("\n1\nc\nH 0 0 0\n");
        assert_eq!((e.kind, e.line), (XyzErrorKind::InvalidCount, 1));
        assert!(e.message.contains("blank line"), "{}", e.message);
    }

    #[test]
    fn missing_comment() {
        assert_eq!(pos("1"), (XyzErrorKind::MissingComment, 1, 2));
        let e = err("1\nc\nH 0 0 0\n  2");
        assert_eq!((e.kind, e.line, e.column), (XyzErrorKind::MissingComment, 4, 4));
        assert_eq!(e.offset, 15);
    }

    #[test]
    fn count_mismatch() {
        // Too few: end of text, with and without a final newline.
        assert_eq!(pos("2\nc\nH 0 0 0\n"), (XyzErrorKind::CountMismatch, 4, 1));
        assert_eq!(pos("2\nc\nH 0 0 0"), (XyzErrorKind::CountMismatch, 3, 8));
        assert_eq!(pos("1\nc"), (XyzErrorKind::CountMismatch, 2, 2));
        // Too few: a blank line inside the block.
        let e = err("3\nc\nH 0 0 0\n   \nH 0 0 1\n");
        assert_eq!((e.kind, e.line, e.column), (XyzErrorKind::CountMismatch, 4, 1));
        assert!(e.message.contains("declares 3 atoms, but only 1 atom line follows"));
        // Too many: an atom line where the next count should be.
        let e = err("1\nc\nH 0 0 0\n  H 0 0 1\n");
        assert_eq!((e.kind, e.line, e.column), (XyzErrorKind::CountMismatch, 4, 3));
        assert!(e.message.contains("declares 1 atom,"), "{}", e.message);
    }

    #[test]
    fn invalid_symbol() {
        assert_eq!(pos("1\nc\n6 0 0 0\n"), (XyzErrorKind::InvalidSymbol, 3, 1));
        assert_eq!(pos("1\nc\n  H- 0 0 0\n"), (XyzErrorKind::InvalidSymbol, 3, 3));
        assert_eq!(pos("1\nc\n\u{e9} 0 0 0\n"), (XyzErrorKind::InvalidSymbol, 3, 1));
    }

    #[test]
    fn invalid_number() {
        assert_eq!(pos("1\nc\nH 0 x 0\n"), (XyzErrorKind::InvalidNumber, 3, 5));
        assert_eq!(pos("1\nc\nH 0 0 1.0.0\n"), (XyzErrorKind::InvalidNumber, 3, 7));
        assert_eq!(pos("1\nc\nH 1.0x 0 0\n"), (XyzErrorKind::InvalidNumber, 3, 3));
        assert_eq!(pos("1\nc\nH nan 0 0\n"), (XyzErrorKind::InvalidNumber, 3, 3));
        assert_eq!(pos("1\nc\nH inf 0 0\n"), (XyzErrorKind::InvalidNumber, 3, 3));
        assert_eq!(pos("1\nc\nH 1D3 0 0\n"), (XyzErrorKind::InvalidNumber, 3, 3));
        assert_eq!(pos("1\nc\nH 0,0 0 0\n"), (XyzErrorKind::InvalidNumber, 3, 3));
        assert_eq!(pos("1\nc\nH 0 0 1e999\n"), (XyzErrorKind::InvalidNumber, 3, 7));
        assert_eq!(pos("1\nc\nH 0 \u{e9}\u{e9} 1\n"), (XyzErrorKind::InvalidNumber, 3, 5));
        let e = err("1\nc\nH 0 0 1e999\n");
        assert!(e.message.contains("out of range"), "{}", e.message);
        // Columns count chars, offsets count bytes.
        let e = err("1\n\u{e9}\n\u{e9}\u{e9}x 0 0 0\n");
        assert_eq!((e.kind, e.line, e.column), (XyzErrorKind::InvalidSymbol, 3, 1));
        let e = err("1\nc\nH\u{a0}0 0 0\n");
        assert_eq!((e.kind, e.line, e.column), (XyzErrorKind::InvalidSymbol, 3, 1));
        let e = err("1\nc\nH 0 0 \u{e9}\u{e9}\n");
        assert_eq!((e.kind, e.line, e.column, e.offset), (XyzErrorKind::InvalidNumber, 3, 7, 10));
    }

    #[test]
    fn missing_coordinate() {
        assert_eq!(pos("1\nc\nH 0 0\n"), (XyzErrorKind::MissingCoordinate, 3, 6));
        assert_eq!(pos("1\nc\nH 0 0   \n"), (XyzErrorKind::MissingCoordinate, 3, 6));
        assert_eq!(pos("1\nc\nH\n"), (XyzErrorKind::MissingCoordinate, 3, 2));
        let e = err("1\nc\nH 0\r\n");
        assert_eq!((e.kind, e.line, e.column), (XyzErrorKind::MissingCoordinate, 3, 4));
        assert!(e.message.starts_with("missing y coordinate"), "{}", e.message);
    }

    #[test]
    fn extra_column() {
        assert_eq!(pos("1\nc\nH 0 0 0 0\n"), (XyzErrorKind::ExtraColumn, 3, 9));
        assert_eq!(pos("1\nc\nH 0 0 0 # note\n"), (XyzErrorKind::ExtraColumn, 3, 9));
        assert_eq!(pos("1\nc\nH 0 0 0 1.0x\n"), (XyzErrorKind::ExtraColumn, 3, 9));
    }

    #[test]
    fn display() {
        let e = err("1\nc\nH 0 0 0 7\n");
        assert_eq!(
            e.to_string(),
            "3:9: unexpected extra column `7`: an atom line is exactly `symbol x y z` (extended XYZ columns are not supported)"
        );
        assert_eq!(e.kind.code(), "extra-column");
    }

    /// xorshift64*: a small deterministic generator for the fuzz loops.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn check_invariants(text: &str) {
        match parse_xyz(text) {
            Ok(frames) => {
                assert!(!frames.is_empty());
                let n_lines = text.split('\n').count();
                for atom in frames.iter().flat_map(|f| &f.atoms) {
                    assert!(atom.position.iter().all(|x| x.is_finite()));
                    assert!((1..=n_lines).contains(&atom.line));
                    assert!(!atom.symbol.is_empty());
                }
            }
            Err(e) => {
                assert!(e.line >= 1 && e.column >= 1, "{e:?}");
                assert!(e.offset <= text.len(), "{e:?} for {text:?}");
                assert!(text.is_char_boundary(e.offset), "{e:?} for {text:?}");
                assert!(!e.message.is_empty());
                assert!(e.line <= text.split('\n').count().max(1), "{e:?}");
            }
        }
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut rng = Rng(0x1234_5678_9abc_def1);
        for _ in 0..20_000 {
            let len = rng.below(64);
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            check_invariants(&String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn mutated_files_never_panic() {
        const SEED: &str =
            "3\nwater\nO 0.0 0.0 0.117\nH 0.0 0.757 -0.470\nH 0.0 -0.757 -0.470\n1\nc\nHe 1e-3 +2. .5\n\n";
        const PIECES: &[&str] = &[
            "0",
            "1",
            "9",
            ".",
            "e",
            "E",
            "-",
            "+",
            " ",
            "\t",
            "\n",
            "\r",
            "\r\n",
            "H",
            "x",
            "\u{e9}",
            "\u{a0}",
            "\u{feff}",
            "1e999",
            "nan",
            "99999999999999999999",
            "#",
            ",",
            "\u{1F600}",
        ];
        let mut rng = Rng(42);
        let mut accepted = 0;
        for _ in 0..20_000 {
            let mut text = SEED.to_string();
            for _ in 0..1 + rng.below(4) {
                let boundaries: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
                let at = boundaries[rng.below(boundaries.len())];
                match rng.below(3) {
                    0 => text.insert_str(at, PIECES[rng.below(PIECES.len())]),
                    1 => {
                        let end = boundaries[rng.below(boundaries.len())];
                        let (lo, hi) = (at.min(end), at.max(end).min(at.min(end) + 8));
                        let hi = (hi..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
                        text.replace_range(lo..hi, "");
                    }
                    _ => {
                        let next = (at + 1..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
                        text.replace_range(at..next, PIECES[rng.below(PIECES.len())]);
                    }
                }
            }
            if parse_xyz(&text).is_ok() {
                accepted += 1;
            }
            check_invariants(&text);
        }
        // The mutations are not all destructive: some stay valid.
        assert!(accepted > 0);
    }
}

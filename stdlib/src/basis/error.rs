//! The typed error returned by the NWChem and Gaussian94 basis parsers.

use std::fmt;

/// Why an NWChem or Gaussian94 basis text was rejected. See
/// [`BasisParseError`] for where.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum BasisParseErrorKind {
    /// A character that starts no token of the format (the offending text).
    InvalidCharacter(String),
    /// A token that does not fit here.
    Unexpected {
        /// What the grammar allows at this point.
        expected: &'static str,
        /// What was there instead: the token's text, "end of line" or "end of input".
        found: String,
    },
    /// An unsupported option on a `BASIS` line (only `SPHERICAL`, `CARTESIAN`,
    /// `PRINT` and `NOPRINT` are understood).
    UnsupportedOption(String),
    /// A `BASIS` block declares different harmonics from an earlier block.
    ConflictingHarmonics,
    /// A shell header names no element (symbols match case-insensitively).
    UnknownElement(String),
    /// A shell type that is not a string of distinct letters from `SPDFGHIK`.
    UnknownShellType(String),
    /// A number that does not parse or is not finite (`1e999`, `NaN`).
    InvalidNumber(String),
    /// A primitive exponent that is zero or negative.
    NonPositiveExponent(f64),
    /// A primitive row with an exponent but no contraction coefficient.
    MissingCoefficients,
    /// A primitive row whose coefficient count differs from the shell's.
    ColumnCountMismatch {
        /// Coefficients per row required by the shell (its first row, or the
        /// number of letters of a combined shell such as `SP`).
        expected: usize,
        /// Coefficients on this row.
        found: usize,
    },
    /// A shell header followed by no primitive row.
    EmptyShell,
    /// A `BASIS` block that is still open at the end of the input.
    MissingEnd,
    /// The input holds no `BASIS` block at all.
    NoBasisBlock,
    /// Gaussian94: the input holds no element block (a line such as `H     0`).
    NoElementBlock,
    /// Gaussian94: an element block that is still open at the end of the input.
    MissingSeparator,
    /// Gaussian94: a shell has fewer primitive rows than its header announces.
    PrimitiveCountMismatch {
        /// The count on the shell header.
        expected: usize,
        /// Primitive rows before the next shell header, `****` or end of input.
        found: usize,
    },
    /// Gaussian94: a shell header's scale factor is zero or negative.
    NonPositiveScaleFactor(f64),
    /// Gaussian94: a second block for an element that already has one (the
    /// symbol as written).
    DuplicateElement(String),
}

impl fmt::Display for BasisParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidCharacter(text) => write!(f, "invalid character {text:?}"),
            Self::Unexpected { expected, found } => write!(f, "expected {expected}, found {found}"),
            Self::UnsupportedOption(word) => {
                write!(f, "unsupported BASIS option `{word}` (expected SPHERICAL, CARTESIAN, PRINT or NOPRINT)")
            }
            Self::ConflictingHarmonics => {
                write!(f, "this BASIS block declares different harmonics from an earlier one")
            }
            Self::UnknownElement(word) => write!(f, "unknown element symbol `{word}`"),
            Self::UnknownShellType(word) => {
                write!(f, "unknown shell type `{word}` (expected distinct letters from S, P, D, F, G, H, I, K)")
            }
            Self::InvalidNumber(text) => write!(f, "invalid or non-finite number `{text}`"),
            Self::NonPositiveExponent(value) => {
                write!(f, "primitive exponent must be positive, found {value}")
            }
            Self::MissingCoefficients => write!(f, "primitive row has an exponent but no contraction coefficient"),
            Self::ColumnCountMismatch { expected, found } => {
                write!(f, "expected {expected} contraction coefficient(s) on this row, found {found}")
            }
            Self::EmptyShell => write!(f, "shell has no primitives"),
            Self::MissingEnd => write!(f, "BASIS block is not closed by END"),
            Self::NoBasisBlock => write!(f, "no BASIS block found"),
            Self::NoElementBlock => write!(f, "no element block found (a line such as `H     0` starts one)"),
            Self::MissingSeparator => write!(f, "element block is not closed by `****`"),
            Self::PrimitiveCountMismatch { expected, found } => {
                write!(f, "shell header announces {expected} primitive(s), found {found}")
            }
            Self::NonPositiveScaleFactor(value) => write!(f, "scale factor must be positive, found {value}"),
            Self::DuplicateElement(symbol) => write!(f, "element `{symbol}` has a second block"),
        }
    }
}

/// A basis text (NWChem or Gaussian94) that could not be parsed: what went wrong and where.
///
/// `line` and `column` are 1-based; `column` counts Unicode scalar values, so it
/// matches what an editor shows for ASCII and non-ASCII text alike. `offset` is
/// the byte offset into the parsed text (always `<= text.len()`).
#[derive(Debug, Clone, PartialEq)]
pub struct BasisParseError {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Byte offset of the error in the source text.
    pub offset: usize,
    /// What went wrong.
    pub kind: BasisParseErrorKind,
}

impl BasisParseError {
    /// Builds an error at byte `offset` of `source`, computing line and column.
    /// An offset past the end (or inside a multi-byte character) is clamped, so
    /// this never panics.
    pub(crate) fn at(source: &str, offset: usize, kind: BasisParseErrorKind) -> Self {
        let offset = offset.min(source.len());
        let before = source.as_bytes().get(..offset).unwrap_or_default();
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        // Count characters by counting bytes that do not continue a UTF-8 sequence.
        let column = 1 + before[line_start..].iter().filter(|&&b| (b & 0xC0) != 0x80).count();
        Self { line, column, offset, kind }
    }

    /// The human-readable message, without the position.
    pub fn message(&self) -> String {
        self.kind.to_string()
    }
}

impl fmt::Display for BasisParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}: {}", self.line, self.column, self.kind)
    }
}

impl std::error::Error for BasisParseError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let src = "ab\ncdé f\n";
        let at = |offset| {
            let e = BasisParseError::at(src, offset, BasisParseErrorKind::EmptyShell);
            (e.line, e.column)
        };
        assert_eq!(at(0), (1, 1));
        assert_eq!(at(2), (1, 3));
        assert_eq!(at(3), (2, 1));
        // 'é' is two bytes; the space after it is column 4.
        assert_eq!(at(7), (2, 4));
        assert_eq!(at(src.len()), (3, 1));
        assert_eq!(at(usize::MAX), (3, 1));
    }

    #[test]
    fn display_has_position_and_message() {
        let e = BasisParseError::at("x\ny", 2, BasisParseErrorKind::MissingEnd);
        assert_eq!(e.to_string(), "line 2, column 1: BASIS block is not closed by END");
        assert_eq!(e.message(), "BASIS block is not closed by END");
    }
}

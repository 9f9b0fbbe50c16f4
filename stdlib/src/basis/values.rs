//! What both basis formats share below the line structure: numbers, element
//! symbols, shell types, and turning primitive rows into [`Shell`]s.

use super::Shell;
use crate::elements::elements;

/// A finite `f64` from a number's text, accepting Fortran `D` exponents
/// (`1.0D-3`). `None` if it does not parse or is infinite or NaN.
pub(crate) fn finite_number(text: &str) -> Option<f64> {
    text.replace(['d', 'D'], "e").parse::<f64>().ok().filter(|v| v.is_finite())
}

/// The atomic number of an element symbol, matched case-insensitively.
pub(crate) fn atomic_number(symbol: &str) -> Option<u8> {
    elements().iter().find(|e| e.symbol.eq_ignore_ascii_case(symbol)).map(|e| e.z)
}

/// Angular momenta of a shell type: `S` -> `[0]`, `SP` -> `[0, 1]`, `d` -> `[2]`.
/// `None` unless the word is one or more distinct letters from `SPDFGHIK`
/// (`J` is skipped by convention).
pub(crate) fn shell_momenta(word: &str) -> Option<Vec<u8>> {
    const LETTERS: &[u8] = b"spdfghik";
    let mut momenta = Vec::with_capacity(word.len());
    for b in word.bytes() {
        let l = LETTERS.iter().position(|&c| c == b.to_ascii_lowercase())?;
        let l = u8::try_from(l).ok()?;
        if momenta.contains(&l) {
            return None;
        }
        momenta.push(l);
    }
    (!momenta.is_empty()).then_some(momenta)
}

/// Appends to `out` the shells of one header with primitive `rows` (one
/// coefficient `Vec` per primitive, all of one length, parallel to
/// `exponents`). A single letter keeps every column as one (general)
/// contraction; a combined type such as `SP` gives one shell per letter, column
/// `i` belonging to letter `i`. The caller guarantees non-empty rows of equal
/// length, and as many columns as letters for a combined type.
pub(crate) fn push_shells(out: &mut Vec<Shell>, momenta: &[u8], exponents: Vec<f64>, rows: &[Vec<f64>]) {
    let columns = rows.first().map_or(0, Vec::len);
    let coefficients: Vec<Vec<f64>> = (0..columns).map(|c| rows.iter().map(|row| row[c]).collect()).collect();
    if let [angular_momentum] = momenta {
        out.push(Shell { angular_momentum: *angular_momentum, exponents, coefficients });
    } else {
        for (&angular_momentum, column) in momenta.iter().zip(coefficients) {
            out.push(Shell { angular_momentum, exponents: exponents.clone(), coefficients: vec![column] });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_types() {
        assert_eq!(shell_momenta("S"), Some(vec![0]));
        assert_eq!(shell_momenta("sp"), Some(vec![0, 1]));
        assert_eq!(shell_momenta("K"), Some(vec![7]));
        assert_eq!(shell_momenta("J"), None);
        assert_eq!(shell_momenta("SS"), None);
        assert_eq!(shell_momenta(""), None);
        assert_eq!(shell_momenta("BASIS"), None);
    }

    #[test]
    fn numbers_and_symbols() {
        assert_eq!(finite_number("1.5D+01"), Some(15.0));
        assert_eq!(finite_number("-.5"), Some(-0.5));
        assert_eq!(finite_number("1e999"), None);
        assert_eq!(finite_number("x"), None);
        assert_eq!(atomic_number("he"), Some(2));
        assert_eq!(atomic_number("KR"), Some(36));
        assert_eq!(atomic_number("Xx"), None);
    }

    #[test]
    fn combined_shells_split_by_column() {
        let mut out = Vec::new();
        push_shells(&mut out, &[0, 1], vec![2.0, 0.5], &[vec![0.1, 0.3], vec![0.2, 0.4]]);
        push_shells(&mut out, &[2], vec![1.0], &[vec![0.7, 1.0]]);
        assert_eq!(out.len(), 3);
        assert_eq!(out[0].coefficients, vec![vec![0.1, 0.2]]);
        assert_eq!(out[1].coefficients, vec![vec![0.3, 0.4]]);
        assert_eq!(out[1].exponents, vec![2.0, 0.5]);
        assert_eq!(out[2].coefficients, vec![vec![0.7], vec![1.0]]);
    }
}

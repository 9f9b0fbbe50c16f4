//! Pauli operators with complex coefficients: the algebra (products, commutators, adjoints) that
//! Hermitian [`PauliSum`]s are not closed under.

use std::collections::HashMap;

use num_complex::Complex64;

use super::error::QubitError;
use super::majorana::I_POWERS;
use super::pauli::{PauliString, PauliSum};

/// Σ c_k P_k with complex coefficients on `n_qubits` qubits.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PauliOperator {
    pub n_qubits: u32,
    /// Sorted by string, no duplicates, no zero coefficients (after [`PauliOperator::simplify`]).
    pub terms: Vec<(PauliString, Complex64)>,
}

impl PauliOperator {
    pub fn new(n_qubits: u32) -> Self {
        PauliOperator { n_qubits, terms: Vec::new() }
    }

    pub fn add(&mut self, string: PauliString, coefficient: Complex64) {
        self.terms.push((string, coefficient));
    }

    /// Merges equal strings and drops terms with |c| ≤ `tolerance`.
    pub fn simplify(&mut self, tolerance: f64) {
        self.terms.sort_by_key(|t| t.0);
        let mut merged: Vec<(PauliString, Complex64)> = Vec::with_capacity(self.terms.len());
        for &(s, c) in &self.terms {
            match merged.last_mut() {
                Some(last) if last.0 == s => last.1 += c,
                _ => merged.push((s, c)),
            }
        }
        merged.retain(|(_, c)| c.norm() > tolerance);
        self.terms = merged;
    }

    /// The product `self · other`, simplified (exact zeros dropped).
    pub fn mul(&self, other: &PauliOperator) -> PauliOperator {
        let mut acc: HashMap<PauliString, Complex64> = HashMap::with_capacity(self.terms.len() * other.terms.len());
        for &(a, ca) in &self.terms {
            for &(b, cb) in &other.terms {
                let (k, s) = a.mul(b);
                *acc.entry(s).or_default() += ca * cb * I_POWERS[k as usize];
            }
        }
        let mut out = PauliOperator { n_qubits: self.n_qubits.max(other.n_qubits), terms: acc.into_iter().collect() };
        out.simplify(0.0);
        out
    }

    /// The commutator [self, other] = self·other − other·self. Only anticommuting pairs of strings
    /// contribute, each 2·a·b·(product phase).
    pub fn commutator(&self, other: &PauliOperator) -> PauliOperator {
        self.pair_sum(other, false)
    }

    /// The anticommutator {self, other} = self·other + other·self (commuting pairs only).
    pub fn anticommutator(&self, other: &PauliOperator) -> PauliOperator {
        self.pair_sum(other, true)
    }

    fn pair_sum(&self, other: &PauliOperator, commuting: bool) -> PauliOperator {
        let mut out = PauliOperator::new(self.n_qubits.max(other.n_qubits));
        for &(a, ca) in &self.terms {
            for &(b, cb) in &other.terms {
                if a.commutes_with(b) == commuting {
                    let (k, s) = a.mul(b);
                    out.add(s, 2.0 * ca * cb * I_POWERS[k as usize]);
                }
            }
        }
        out.simplify(0.0);
        out
    }

    /// Whether [self, other] vanishes to within `tolerance` per coefficient.
    pub fn commutes_with(&self, other: &PauliOperator, tolerance: f64) -> bool {
        self.commutator(other).terms.iter().all(|(_, c)| c.norm() <= tolerance)
    }

    /// The adjoint: Pauli strings are Hermitian, so only the coefficients are conjugated.
    pub fn adjoint(&self) -> PauliOperator {
        PauliOperator { n_qubits: self.n_qubits, terms: self.terms.iter().map(|&(s, c)| (s, c.conj())).collect() }
    }

    /// `scalar · self`.
    pub fn scaled(&self, scalar: Complex64) -> PauliOperator {
        PauliOperator { n_qubits: self.n_qubits, terms: self.terms.iter().map(|&(s, c)| (s, scalar * c)).collect() }
    }

    /// `self + other`, simplified (exact zeros dropped).
    pub fn plus(&self, other: &PauliOperator) -> PauliOperator {
        let mut out = PauliOperator { n_qubits: self.n_qubits.max(other.n_qubits), terms: self.terms.clone() };
        out.terms.extend_from_slice(&other.terms);
        out.simplify(0.0);
        out
    }

    /// Whether every imaginary part is at most `tolerance` times the largest coefficient (at
    /// least 1): a Pauli sum is Hermitian exactly when its coefficients are real.
    pub fn is_hermitian(&self, tolerance: f64) -> bool {
        self.largest_imaginary(tolerance).is_none()
    }

    /// The Hermitian operator as a real-weighted [`PauliSum`] (imaginary parts dropped), terms
    /// with |c| ≤ `drop` removed. Failure contract: an imaginary part above `tolerance` relative
    /// to the largest coefficient (at least 1) is [`QubitError::NotHermitian`].
    pub fn to_hermitian(&self, tolerance: f64, drop: f64) -> Result<PauliSum, QubitError> {
        if let Some((s, c)) = self.largest_imaginary(tolerance) {
            return Err(QubitError::NotHermitian { detail: format!("coefficient {c} on [{s}]") });
        }
        let mut sum = PauliSum::new(self.n_qubits);
        sum.terms = self.terms.iter().map(|&(s, c)| (s, c.re)).collect();
        sum.simplify(drop);
        Ok(sum)
    }

    fn largest_imaginary(&self, tolerance: f64) -> Option<(PauliString, Complex64)> {
        let scale = self.terms.iter().fold(1.0f64, |m, (_, c)| m.max(c.norm()));
        self.terms
            .iter()
            .filter(|(_, c)| c.im.abs() > tolerance * scale)
            .max_by(|a, b| a.1.im.abs().total_cmp(&b.1.im.abs()))
            .copied()
    }
}

impl From<&PauliSum> for PauliOperator {
    fn from(sum: &PauliSum) -> Self {
        PauliOperator {
            n_qubits: sum.n_qubits,
            terms: sum.terms.iter().map(|&(s, c)| (s, Complex64::new(c, 0.0))).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(terms: &[(&str, Complex64)]) -> PauliOperator {
        let mut o = PauliOperator::new(3);
        for &(text, c) in terms {
            let mut s = PauliString::IDENTITY;
            for (q, p) in text.chars().enumerate() {
                if p != 'I' {
                    s = s.mul(PauliString::single(p, q as u32)).1;
                }
            }
            o.add(s, c);
        }
        o.simplify(0.0);
        o
    }

    fn re(x: f64) -> Complex64 {
        Complex64::new(x, 0.0)
    }

    #[test]
    fn products_and_commutators_follow_the_pauli_algebra() {
        let x = op(&[("X", re(1.0))]);
        let y = op(&[("Y", re(1.0))]);
        // XY = iZ, [X, Y] = 2iZ, {X, Y} = 0.
        assert_eq!(x.mul(&y), op(&[("Z", Complex64::new(0.0, 1.0))]));
        assert_eq!(x.commutator(&y), op(&[("Z", Complex64::new(0.0, 2.0))]));
        assert!(x.anticommutator(&y).terms.is_empty());
        // (X + Z)² = 2: the cross terms anticommute away.
        let h = op(&[("X", re(1.0)), ("Z", re(1.0))]);
        assert_eq!(h.mul(&h), op(&[("I", re(2.0))]));
        // [XX, ZZ] = 0 although each factor anticommutes.
        let xx = op(&[("XX", re(0.5))]);
        let zz = op(&[("ZZ", re(3.0))]);
        assert!(xx.commutes_with(&zz, 0.0));
        assert!(!x.commutes_with(&op(&[("ZI", re(1.0))]), 1e-12));
    }

    #[test]
    fn hermiticity_and_adjoints() {
        let a = op(&[("XY", Complex64::new(0.5, 0.25)), ("Z", re(1.0))]);
        assert!(!a.is_hermitian(1e-12));
        let herm = a.plus(&a.adjoint());
        assert!(herm.is_hermitian(1e-12));
        let sum = herm.to_hermitian(1e-12, 0.0).expect("Hermitian");
        assert_eq!(sum.terms.len(), 2);
        assert!(matches!(a.to_hermitian(1e-12, 0.0), Err(QubitError::NotHermitian { .. })));
        // i[H, A] is Hermitian for Hermitian H and A.
        let h = op(&[("XI", re(0.3)), ("ZZ", re(-1.1))]);
        let g = op(&[("YX", re(0.7)), ("ZI", re(0.2))]);
        let c = h.commutator(&g).scaled(Complex64::new(0.0, 1.0));
        assert!(c.is_hermitian(1e-14) && !c.terms.is_empty());
    }
}

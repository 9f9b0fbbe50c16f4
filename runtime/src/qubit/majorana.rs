//! Fermion operators as sums of Majorana monomials, the encoding-independent middle step of every
//! qubit mapping.
//!
//! With γ_{2j} = a_j + a†_j and γ_{2j+1} = i(a†_j − a_j) (OpenFermion's `MajoranaOperator`
//! convention), a_j = ½(γ_{2j} + iγ_{2j+1}) and a†_j = ½(γ_{2j} − iγ_{2j+1}). The γ anticommute
//! and square to one, so every product of them is ± a monomial of distinct γ in increasing order,
//! stored as a bit mask (bit μ for γ_μ; 64 modes need 128 bits). A linear encoding sends each γ_μ
//! to a Pauli string, and distinct monomials to distinct strings, so a mapped operator has one
//! Pauli term per monomial and the sum is built once, here, for every encoding.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use ndarray::{ArrayView2, ArrayView4};
use num_complex::Complex64;

use super::error::QubitError;
use super::fermion::{check_integrals, for_each_hamiltonian_word, FermionOperator, Ladder};

/// Coefficients of Majorana monomials.
#[derive(Clone, Debug, Default)]
pub(crate) struct MajoranaSum {
    pub(crate) terms: HashMap<u128, Complex64, BuildHasherDefault<MaskHasher>>,
    /// One more than the highest mode met.
    pub(crate) n_modes: u32,
    scratch: Vec<(u128, u32)>,
}

impl MajoranaSum {
    /// The Majorana form of a fermion operator. Failure contract: modes ≥ 64 are a
    /// [`QubitError::ModeOutOfRange`], non-finite coefficients [`QubitError::NonFinite`].
    pub(crate) fn from_fermion(op: &FermionOperator) -> Result<MajoranaSum, QubitError> {
        let mut sum = MajoranaSum::default();
        for (word, c) in op.terms() {
            if !c.is_finite() {
                return Err(QubitError::NonFinite);
            }
            if let Some(&(mode, _)) = word.iter().find(|(m, _)| *m >= 64) {
                return Err(QubitError::ModeOutOfRange { mode, n_modes: 64 });
            }
            sum.add_word(word, c);
        }
        Ok(sum)
    }

    /// The molecular Hamiltonian of [`FermionOperator::from_integrals`], straight from the
    /// integrals (no intermediate fermion operator). Same failure contract.
    pub(crate) fn from_integrals(
        core_energy: f64,
        h1: ArrayView2<'_, f64>,
        eri: ArrayView4<'_, f64>,
    ) -> Result<MajoranaSum, QubitError> {
        let n = check_integrals(core_energy, h1, eri)?;
        let mut sum = MajoranaSum::default();
        sum.terms.reserve(estimated_hamiltonian_terms(2 * n));
        sum.add_word(&[], Complex64::new(core_energy, 0.0));
        for_each_hamiltonian_word(n, h1, eri, |word, c| sum.add_word(word, Complex64::new(c, 0.0)));
        sum.n_modes = 2 * n as u32;
        Ok(sum)
    }

    /// Adds `c · word` expanded into its 2^len monomials. The modes must be below 64.
    pub(crate) fn add_word(&mut self, word: &[Ladder], c: Complex64) {
        // Each entry: a monomial and the power of i of its coefficient (times ½ per operator).
        let mut expansion = std::mem::take(&mut self.scratch);
        expansion.clear();
        expansion.push((0, 0));
        for &(mode, creation) in word {
            self.n_modes = self.n_modes.max(mode + 1);
            let len = expansion.len();
            for e in 0..len {
                let (mask, power) = expansion[e];
                // ½ γ_{2j}, and ∓½ i γ_{2j+1} (− for a†).
                let (even_sign, even) = times_majorana(mask, 2 * mode);
                let (odd_sign, odd) = times_majorana(mask, 2 * mode + 1);
                expansion[e] = (even, power + 2 * even_sign);
                expansion.push((odd, power + 2 * odd_sign + if creation { 3 } else { 1 }));
            }
        }
        let scale = c * 0.5f64.powi(word.len() as i32);
        for &(mask, power) in &expansion {
            *self.terms.entry(mask).or_default() += scale * I_POWERS[(power % 4) as usize];
        }
        self.scratch = expansion;
    }
}

/// The monomial times γ_mu on the right: γ_mu moves left past the factors above it, then cancels
/// its twin or takes its place. Returns (1 if the sign flips else 0, new monomial).
pub(crate) fn times_majorana(mask: u128, mu: u32) -> (u32, u128) {
    let above = mask & !((2u128 << mu).wrapping_sub(1));
    (above.count_ones() % 2, mask ^ (1u128 << mu))
}

/// A rough count of the distinct monomials of a number- and spin-conserving Hamiltonian (all
/// quadratic ones, a quarter of the quartic ones), to size the table once.
fn estimated_hamiltonian_terms(n_modes: usize) -> usize {
    let m = 2 * n_modes;
    1 + m * m.saturating_sub(1) / 2 + m * m.saturating_sub(1) * m.saturating_sub(2) * m.saturating_sub(3) / 24 / 4
}

/// i^k for k in 0..4.
pub(crate) const I_POWERS: [Complex64; 4] =
    [Complex64::new(1.0, 0.0), Complex64::new(0.0, 1.0), Complex64::new(-1.0, 0.0), Complex64::new(0.0, -1.0)];

/// A multiplicative hash for monomial masks: the standard library's SipHash is several times
/// slower on the millions of updates a large Hamiltonian makes, and the keys are not
/// attacker-controlled.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct MaskHasher(u64);

impl Hasher for MaskHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u128(&mut self, v: u128) {
        let folded = (v as u64) ^ ((v >> 64) as u64).rotate_left(29);
        self.0 = (self.0 ^ folded).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0 ^ v).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn majorana_products_reorder_with_signs() {
        // γ1 γ0 = −γ0 γ1; γ0 γ1 γ0 = −γ1; γ2 γ2 = 1.
        let (s, m) = times_majorana(0b10, 0);
        assert_eq!((s, m), (1, 0b11));
        let (s, m) = times_majorana(0b11, 0);
        assert_eq!((s, m), (1, 0b10));
        assert_eq!(times_majorana(0b100, 2), (0, 0));
    }

    #[test]
    fn number_operator_in_majoranas() {
        // a†_0 a_0 = ½ (1 + i γ0 γ1).
        let mut sum = MajoranaSum::default();
        sum.add_word(&[(0, true), (0, false)], Complex64::new(1.0, 0.0));
        sum.terms.retain(|_, c| c.norm() > 1e-15);
        assert_eq!(sum.terms.len(), 2);
        assert_eq!(sum.terms[&0], Complex64::new(0.5, 0.0));
        assert_eq!(sum.terms[&0b11], Complex64::new(0.0, 0.5));
        assert_eq!(sum.n_modes, 1);
    }
}

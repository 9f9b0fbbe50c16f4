//! Fermion operators: sums of products of ladder operators with complex coefficients, on spin
//! orbitals labelled as in OpenFermion (`2p` is spatial orbital `p` with spin alpha, `2p + 1` the
//! same orbital with spin beta).
//!
//! A term is a word of ladder operators read left to right, `(mode, true)` for a†_mode and
//! `(mode, false)` for a_mode, exactly as OpenFermion's `FermionOperator(((mode, 1), ...))`.
//! Terms are kept in a sorted map, so equal words merge when added and iteration is
//! deterministic. Words are not reordered unless asked ([`FermionOperator::normal_ordered`]).

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Add, AddAssign, Mul, MulAssign, Neg, Sub, SubAssign};

use ndarray::{ArrayView2, ArrayView4};
use num_complex::Complex64;

use super::error::QubitError;

/// One ladder operator: `(mode, creation)`.
pub type Ladder = (u32, bool);

/// Σ_k c_k Π_j (ladder operator)_kj.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct FermionOperator {
    terms: BTreeMap<Vec<Ladder>, Complex64>,
}

impl FermionOperator {
    /// The zero operator.
    pub fn zero() -> Self {
        FermionOperator::default()
    }

    /// `coefficient · 1`.
    pub fn constant(coefficient: Complex64) -> Self {
        FermionOperator::term(&[], coefficient)
    }

    /// `coefficient · ops[0] ops[1] ⋯` (left to right).
    pub fn term(ops: &[Ladder], coefficient: Complex64) -> Self {
        let mut op = FermionOperator::zero();
        op.add_term(ops, coefficient);
        op
    }

    /// Adds `coefficient · ops[0] ops[1] ⋯` to the sum (merging with an equal word).
    pub fn add_term(&mut self, ops: &[Ladder], coefficient: Complex64) {
        *self.terms.entry(ops.to_vec()).or_default() += coefficient;
    }

    /// The terms, words in lexicographic order.
    pub fn terms(&self) -> impl Iterator<Item = (&[Ladder], Complex64)> + '_ {
        self.terms.iter().map(|(w, &c)| (w.as_slice(), c))
    }

    /// Number of stored terms (words with zero coefficients included until [`Self::simplify`]).
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// One more than the highest mode any term acts on (0 for a constant).
    pub fn n_modes(&self) -> u32 {
        self.terms.keys().flatten().map(|&(m, _)| m + 1).max().unwrap_or(0)
    }

    /// The coefficient of a word (zero when absent).
    pub fn coefficient(&self, ops: &[Ladder]) -> Complex64 {
        self.terms.get(ops).copied().unwrap_or_default()
    }

    /// The adjoint: each word reversed with creation and annihilation swapped, coefficients
    /// conjugated.
    pub fn hermitian_conjugate(&self) -> Self {
        let mut out = FermionOperator::zero();
        for (word, c) in &self.terms {
            let adjoint: Vec<Ladder> = word.iter().rev().map(|&(m, dagger)| (m, !dagger)).collect();
            out.add_term(&adjoint, c.conj());
        }
        out
    }

    /// The same operator in OpenFermion's normal order: creation operators left of annihilation
    /// operators, each group in decreasing mode order. Reordering uses the anticommutation
    /// relations {a_p, a†_q} = δ_pq and {a_p, a_q} = 0; words with a repeated operator vanish.
    /// Zero coefficients are dropped.
    pub fn normal_ordered(&self) -> Self {
        let mut out = FermionOperator::zero();
        let mut work: Vec<(Vec<Ladder>, Complex64)> = self.terms.iter().map(|(w, &c)| (w.clone(), c)).collect();
        while let Some((mut word, mut c)) = work.pop() {
            if normal_order_word(&mut word, &mut c, &mut work) {
                out.add_term(&word, c);
            }
        }
        out.terms.retain(|_, c| *c != Complex64::new(0.0, 0.0));
        out
    }

    /// Drops the terms with |c| ≤ `tolerance`.
    pub fn simplify(&mut self, tolerance: f64) {
        self.terms.retain(|_, c| c.norm() > tolerance);
    }

    /// Whether the operator equals its adjoint: every coefficient of the normal-ordered
    /// `self − self†` is at most `tolerance` in magnitude.
    pub fn is_hermitian(&self, tolerance: f64) -> bool {
        let difference = self - &self.hermitian_conjugate();
        difference.normal_ordered().terms.values().all(|c| c.norm() <= tolerance)
    }

    /// The molecular Hamiltonian over 2n interleaved spin orbitals from spatial-orbital integrals
    /// in chemists' notation, (pq|rs) as PySCF gives them:
    ///
    /// ```text
    /// H = E_core + Σ_pq,σ h_pq a†_pσ a_qσ + ½ Σ_pqrs,στ (pq|rs) a†_pσ a†_rτ a_sτ a_qσ
    /// ```
    ///
    /// Words are those of OpenFermion's `get_fermion_operator(InteractionOperator(...))`
    /// (`(P,1),(R,1),(S,0),(Q,0)` with coefficient ½(PQ|RS)), except that words with a repeated
    /// creation or annihilation operator, which vanish, and zero integrals are left out.
    ///
    /// Failure contract: inconsistent shapes, NaN or infinite values and more than 64 spin
    /// orbitals are [`QubitError`]s.
    pub fn from_integrals(
        core_energy: f64,
        h1: ArrayView2<'_, f64>,
        eri: ArrayView4<'_, f64>,
    ) -> Result<FermionOperator, QubitError> {
        let n = check_integrals(core_energy, h1, eri)?;
        let mut op = FermionOperator::constant(Complex64::new(core_energy, 0.0));
        for_each_hamiltonian_word(n, h1, eri, |word, c| op.add_term(word, Complex64::new(c, 0.0)));
        Ok(op)
    }
}

/// Checks the integrals of a molecular Hamiltonian and returns the number of spatial orbitals.
pub(crate) fn check_integrals(
    core_energy: f64,
    h1: ArrayView2<'_, f64>,
    eri: ArrayView4<'_, f64>,
) -> Result<usize, QubitError> {
    let n = h1.nrows();
    if h1.ncols() != n || eri.dim() != (n, n, n, n) {
        return Err(QubitError::Shape { detail: format!("h1 is {:?}, eri is {:?}", h1.dim(), eri.dim()) });
    }
    if 2 * n > 64 {
        return Err(QubitError::TooManyQubits { n_qubits: 2 * n });
    }
    if !core_energy.is_finite() || h1.iter().chain(eri.iter()).any(|v| !v.is_finite()) {
        return Err(QubitError::NonFinite);
    }
    Ok(n)
}

/// Calls `f(word, coefficient)` for every non-vanishing one- and two-body word of the molecular
/// Hamiltonian (see [`FermionOperator::from_integrals`]); the constant is the caller's.
pub(crate) fn for_each_hamiltonian_word(
    n: usize,
    h1: ArrayView2<'_, f64>,
    eri: ArrayView4<'_, f64>,
    mut f: impl FnMut(&[Ladder], f64),
) {
    let mode = |p: usize, spin: usize| (2 * p + spin) as u32;
    for p in 0..n {
        for q in 0..n {
            let h = h1[[p, q]];
            if h != 0.0 {
                for spin in 0..2 {
                    f(&[(mode(p, spin), true), (mode(q, spin), false)], h);
                }
            }
        }
    }
    for p in 0..n {
        for q in 0..n {
            for r in 0..n {
                for s in 0..n {
                    let v = eri[[p, q, r, s]];
                    if v == 0.0 {
                        continue;
                    }
                    for sigma in 0..2 {
                        for tau in 0..2 {
                            let (pp, qq, rr, ss) = (mode(p, sigma), mode(q, sigma), mode(r, tau), mode(s, tau));
                            // a†_P a†_P = 0 and a_S a_S = 0.
                            if pp != rr && qq != ss {
                                f(&[(pp, true), (rr, true), (ss, false), (qq, false)], 0.5 * v);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Sorts `word` into normal order by adjacent swaps (insertion sort), flipping the sign of `c` at
/// each swap; each a_p a†_p met on the way also leaves the contracted word, pushed to `work`.
/// Returns false when the word vanishes (a repeated operator).
fn normal_order_word(word: &mut [Ladder], c: &mut Complex64, work: &mut Vec<(Vec<Ladder>, Complex64)>) -> bool {
    for i in 1..word.len() {
        for j in (1..=i).rev() {
            let (left, right) = (word[j - 1], word[j]);
            let swap = match (left.1, right.1) {
                (false, true) => {
                    if left.0 == right.0 {
                        // a_p a†_p = 1 − a†_p a_p.
                        let contracted: Vec<Ladder> = word[..j - 1].iter().chain(&word[j + 1..]).copied().collect();
                        work.push((contracted, *c));
                    }
                    true
                }
                (true, false) => false,
                _ if left.0 == right.0 => return false,
                _ => right.0 > left.0,
            };
            if !swap {
                break;
            }
            word.swap(j - 1, j);
            *c = -*c;
        }
    }
    true
}

/// One term per line as OpenFermion prints them: `(0.5+0i) [2^ 0]`, `^` marking a†.
impl fmt::Display for FermionOperator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (word, c)) in self.terms.iter().enumerate() {
            if i > 0 {
                f.write_str(" +\n")?;
            }
            write!(f, "({c}) [")?;
            for (k, &(mode, creation)) in word.iter().enumerate() {
                let sep = if k > 0 { " " } else { "" };
                write!(f, "{sep}{mode}{}", if creation { "^" } else { "" })?;
            }
            f.write_str("]")?;
        }
        Ok(())
    }
}

impl AddAssign<&FermionOperator> for FermionOperator {
    fn add_assign(&mut self, other: &FermionOperator) {
        for (word, &c) in &other.terms {
            *self.terms.entry(word.clone()).or_default() += c;
        }
    }
}

impl AddAssign for FermionOperator {
    fn add_assign(&mut self, other: FermionOperator) {
        *self += &other;
    }
}

impl SubAssign<&FermionOperator> for FermionOperator {
    fn sub_assign(&mut self, other: &FermionOperator) {
        for (word, &c) in &other.terms {
            *self.terms.entry(word.clone()).or_default() -= c;
        }
    }
}

impl SubAssign for FermionOperator {
    fn sub_assign(&mut self, other: FermionOperator) {
        *self -= &other;
    }
}

impl Add<&FermionOperator> for &FermionOperator {
    type Output = FermionOperator;
    fn add(self, other: &FermionOperator) -> FermionOperator {
        let mut out = self.clone();
        out += other;
        out
    }
}

impl Add for FermionOperator {
    type Output = FermionOperator;
    fn add(mut self, other: FermionOperator) -> FermionOperator {
        self += &other;
        self
    }
}

impl Sub<&FermionOperator> for &FermionOperator {
    type Output = FermionOperator;
    fn sub(self, other: &FermionOperator) -> FermionOperator {
        let mut out = self.clone();
        out -= other;
        out
    }
}

impl Sub for FermionOperator {
    type Output = FermionOperator;
    fn sub(mut self, other: FermionOperator) -> FermionOperator {
        self -= &other;
        self
    }
}

impl Neg for FermionOperator {
    type Output = FermionOperator;
    fn neg(mut self) -> FermionOperator {
        self.terms.values_mut().for_each(|c| *c = -*c);
        self
    }
}

impl MulAssign<Complex64> for FermionOperator {
    fn mul_assign(&mut self, scalar: Complex64) {
        self.terms.values_mut().for_each(|c| *c *= scalar);
    }
}

impl MulAssign<f64> for FermionOperator {
    fn mul_assign(&mut self, scalar: f64) {
        self.terms.values_mut().for_each(|c| *c *= scalar);
    }
}

impl Mul<Complex64> for FermionOperator {
    type Output = FermionOperator;
    fn mul(mut self, scalar: Complex64) -> FermionOperator {
        self *= scalar;
        self
    }
}

impl Mul<f64> for FermionOperator {
    type Output = FermionOperator;
    fn mul(mut self, scalar: f64) -> FermionOperator {
        self *= scalar;
        self
    }
}

/// The operator product: words concatenated, coefficients multiplied.
impl Mul<&FermionOperator> for &FermionOperator {
    type Output = FermionOperator;
    fn mul(self, other: &FermionOperator) -> FermionOperator {
        let mut out = FermionOperator::zero();
        for (a, &ca) in &self.terms {
            for (b, &cb) in &other.terms {
                let word: Vec<Ladder> = a.iter().chain(b).copied().collect();
                *out.terms.entry(word).or_default() += ca * cb;
            }
        }
        out
    }
}

impl Mul for FermionOperator {
    type Output = FermionOperator;
    fn mul(self, other: FermionOperator) -> FermionOperator {
        &self * &other
    }
}

#[cfg(test)]
mod tests;

//! Exact eigenvalues of Pauli sums: the full spectrum by dense diagonalisation on small
//! registers, and the lowest eigenvalue on the whole register or on the span of chosen basis
//! states (a particle-number or symmetry sector) by dense diagonalisation or Davidson.
//!
//! The operator is applied matrix-free from its strings grouped by X mask: a string
//! P = i^{|x∧z|} X^x Z^z sends |b⟩ to i^{|x∧z|} (−1)^{|z∧b|} |b ⊕ x⟩. Strings with an even
//! number of Y give real matrix elements; a sum made only of those (every real molecular
//! Hamiltonian under a linear encoding and tapering) is solved in real arithmetic, any other
//! through its complex Hermitian matrix (dense) or the real symmetric embedding
//! [[Re H, −Im H], [Im H, Re H]] (Davidson), whose eigenvalues are H's, each doubled.
//!
//! Restricting to the span of basis states S computes the lowest eigenvalue of P_S H P_S; it is
//! an eigenvalue of H when H leaves the span invariant (as a number-conserving Hamiltonian does
//! with a particle-number sector).

use std::collections::HashMap;

use faer::{c64, Mat, Side};
use num_complex::Complex64;
use rayon::prelude::*;

use super::error::QubitError;
use super::majorana::I_POWERS;
use super::pauli::PauliSum;
use crate::chem::fci::{davidson_lowest, perturbed_guess, DavidsonOptions, FciError};

/// Registers up to this many qubits have their full spectrum computed densely.
pub const MAX_DENSE_QUBITS: u32 = 12;

/// The whole register is searched iteratively up to this many qubits (2^24 amplitudes, a few
/// hundred MiB of Davidson vectors).
pub const MAX_ITERATIVE_QUBITS: u32 = 24;

/// Spaces up to this many basis states are diagonalised densely; larger ones by Davidson.
pub const DENSE_STATES: usize = 1500;

/// All eigenvalues of `h` on its full register, ascending. Failure contract: more than
/// [`MAX_DENSE_QUBITS`] qubits is [`QubitError::TooLargeForDense`]; non-finite coefficients
/// [`QubitError::NonFinite`]; a failed dense solver [`QubitError::Solver`].
pub fn eigenvalues(h: &PauliSum) -> Result<Vec<f64>, QubitError> {
    if h.n_qubits > MAX_DENSE_QUBITS {
        return Err(QubitError::TooLargeForDense { n_qubits: h.n_qubits, max: MAX_DENSE_QUBITS });
    }
    let op = Grouped::new(h, Basis::All(h.n_qubits))?;
    op.dense_eigenvalues()
}

/// The lowest eigenvalue of `h` on its full register: dense up to [`DENSE_STATES`] states,
/// Davidson beyond. Failure contract: more than [`MAX_ITERATIVE_QUBITS`] qubits is
/// [`QubitError::TooManyQubits`]; non-finite coefficients [`QubitError::NonFinite`]; a solver
/// that fails or does not converge [`QubitError::Solver`].
pub fn ground_energy(h: &PauliSum) -> Result<f64, QubitError> {
    if h.n_qubits > MAX_ITERATIVE_QUBITS {
        return Err(QubitError::TooManyQubits { n_qubits: h.n_qubits as usize });
    }
    Grouped::new(h, Basis::All(h.n_qubits))?.lowest()
}

/// The lowest eigenvalue of `h` restricted to the span of the computational-basis `states`
/// (any order; duplicates ignored): dense up to [`DENSE_STATES`] states, Davidson beyond.
/// Failure contract: no states is [`QubitError::EmptySector`]; a state with bits at or above
/// `h.n_qubits` is [`QubitError::Shape`]; otherwise as [`ground_energy`].
pub fn lowest_eigenvalue_in(h: &PauliSum, states: &[u64]) -> Result<f64, QubitError> {
    if h.n_qubits > 64 {
        return Err(QubitError::TooManyQubits { n_qubits: h.n_qubits as usize });
    }
    let mut sorted = states.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    if sorted.is_empty() {
        return Err(QubitError::EmptySector);
    }
    if let Some(&outside) = sorted.iter().find(|&&b| h.n_qubits < 64 && b >> h.n_qubits != 0) {
        return Err(QubitError::Shape {
            detail: format!("basis state {outside:#b} has bits beyond the operator's {} qubits", h.n_qubits),
        });
    }
    Grouped::new(h, Basis::List(&sorted))?.lowest()
}

/// The basis a matrix is taken in.
#[derive(Clone, Copy, Debug)]
enum Basis<'a> {
    /// Every state of the register: index = state.
    All(u32),
    /// These states, sorted and distinct.
    List(&'a [u64]),
}

impl Basis<'_> {
    fn len(&self) -> usize {
        match self {
            Basis::All(n) => 1usize << n,
            Basis::List(states) => states.len(),
        }
    }

    fn state(&self, i: usize) -> u64 {
        match self {
            Basis::All(_) => i as u64,
            Basis::List(states) => states[i],
        }
    }

    fn index(&self, b: u64) -> Option<usize> {
        match self {
            Basis::All(n) => (*n == 64 || b >> n == 0).then_some(b as usize),
            Basis::List(states) => states.binary_search(&b).ok(),
        }
    }
}

/// A Pauli sum grouped by X mask with the phases folded into the coefficients.
#[derive(Debug)]
struct Grouped<'a> {
    basis: Basis<'a>,
    /// (x, [(z, i^{|x∧z|} c)]).
    groups: Vec<(u64, Vec<(u64, Complex64)>)>,
    real: bool,
}

impl<'a> Grouped<'a> {
    fn new(h: &PauliSum, basis: Basis<'a>) -> Result<Grouped<'a>, QubitError> {
        let mut by_x: HashMap<u64, Vec<(u64, Complex64)>> = HashMap::new();
        let mut real = true;
        for &(s, c) in &h.terms {
            if !c.is_finite() {
                return Err(QubitError::NonFinite);
            }
            let ys = (s.x & s.z).count_ones() % 4;
            real &= ys % 2 == 0 || c == 0.0;
            by_x.entry(s.x).or_default().push((s.z, c * I_POWERS[ys as usize]));
        }
        let mut groups: Vec<_> = by_x.into_iter().collect();
        groups.sort_unstable_by_key(|g| g.0);
        Ok(Grouped { basis, groups, real })
    }

    /// ⟨b ⊕ x|H|b⟩ summed over the group of x, for basis state b (the column of b).
    fn element(zs: &[(u64, Complex64)], b: u64) -> Complex64 {
        zs.iter().fold(Complex64::new(0.0, 0.0), |v, &(z, c)| if (z & b).count_ones() % 2 == 1 { v - c } else { v + c })
    }

    fn diagonal(&self) -> Vec<f64> {
        let zs: &[(u64, Complex64)] = self.groups.iter().find(|g| g.0 == 0).map_or(&[], |g| &g.1);
        (0..self.basis.len()).map(|i| Grouped::element(zs, self.basis.state(i)).re).collect()
    }

    /// y = H x on complex amplitudes, row by row: y_b = Σ_x ⟨b|H|b ⊕ x⟩ x_{b⊕x}.
    fn apply(&self, x: &[Complex64], y: &mut [Complex64]) {
        y.par_iter_mut().enumerate().with_min_len(1024).for_each(|(i, yi)| {
            let b = self.basis.state(i);
            *yi = self.groups.iter().fold(Complex64::new(0.0, 0.0), |acc, (xm, zs)| {
                let source = b ^ xm;
                match self.basis.index(source) {
                    Some(j) => acc + Grouped::element(zs, source) * x[j],
                    None => acc,
                }
            });
        });
    }

    /// y = H x for a real matrix on real amplitudes.
    fn apply_real(&self, x: &[f64], y: &mut [f64]) {
        y.par_iter_mut().enumerate().with_min_len(1024).for_each(|(i, yi)| {
            let b = self.basis.state(i);
            *yi = self.groups.iter().fold(0.0, |acc, (xm, zs)| {
                let source = b ^ xm;
                match self.basis.index(source) {
                    Some(j) => acc + Grouped::element(zs, source).re * x[j],
                    None => acc,
                }
            });
        });
    }

    fn dense_eigenvalues(&self) -> Result<Vec<f64>, QubitError> {
        let dim = self.basis.len();
        let solver_error = |e| QubitError::Solver(FciError::Eigen { detail: format!("{e:?}") });
        let mut values = if self.real {
            let mut m = Mat::<f64>::zeros(dim, dim);
            self.for_each_element(|row, col, v| m[(row, col)] = v.re);
            m.self_adjoint_eigenvalues(Side::Lower).map_err(solver_error)?
        } else {
            let mut m = Mat::<c64>::zeros(dim, dim);
            self.for_each_element(|row, col, v| m[(row, col)] = v);
            m.self_adjoint_eigenvalues(Side::Lower).map_err(solver_error)?
        };
        values.sort_by(f64::total_cmp);
        Ok(values)
    }

    /// Calls `f(row, col, ⟨row|H|col⟩)` for every non-zero-pattern element inside the basis.
    fn for_each_element(&self, mut f: impl FnMut(usize, usize, Complex64)) {
        for col in 0..self.basis.len() {
            let b = self.basis.state(col);
            for (xm, zs) in &self.groups {
                if let Some(row) = self.basis.index(b ^ xm) {
                    f(row, col, Grouped::element(zs, b));
                }
            }
        }
    }

    fn lowest(&self) -> Result<f64, QubitError> {
        let dim = self.basis.len();
        if dim <= DENSE_STATES {
            return Ok(self.dense_eigenvalues()?[0]);
        }
        let options = DavidsonOptions { tol: 1e-9, max_iter: 500, max_space: 20 };
        let diag = self.diagonal();
        let result = if self.real {
            let guess = perturbed_guess(&diag);
            let mut apply = |x: &[f64], y: &mut [f64]| self.apply_real(x, y);
            davidson_lowest(&mut apply, &diag, &guess, &options)
        } else {
            // The real embedding [[Re H, −Im H], [Im H, Re H]] acting on (Re x, Im x).
            let doubled: Vec<f64> = diag.iter().chain(&diag).copied().collect();
            let guess = perturbed_guess(&doubled);
            let mut xc = vec![Complex64::new(0.0, 0.0); dim];
            let mut yc = xc.clone();
            let mut apply = |x: &[f64], y: &mut [f64]| {
                for (i, v) in xc.iter_mut().enumerate() {
                    *v = Complex64::new(x[i], x[dim + i]);
                }
                self.apply(&xc, &mut yc);
                for (i, v) in yc.iter().enumerate() {
                    y[i] = v.re;
                    y[dim + i] = v.im;
                }
            };
            davidson_lowest(&mut apply, &doubled, &guess, &options)
        };
        result.map(|r| r.eigenvalue).map_err(QubitError::Solver)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qubit::pauli::PauliString;

    fn sum(n: u32, terms: &[(PauliString, f64)]) -> PauliSum {
        let mut h = PauliSum::new(n);
        h.terms = terms.to_vec();
        h
    }

    #[test]
    fn transverse_field_ising_chain_spectrum() {
        // H = −Σ Z_i Z_{i+1} − g Σ X_i on 3 open sites: compare the dense spectrum with the
        // ground energy found iteratively through the real embedding of a complex rotation of it.
        let g = 0.7;
        let mut terms = Vec::new();
        for i in 0..2 {
            terms.push((PauliString { x: 0, z: 0b11 << i }, -1.0));
        }
        for i in 0..3 {
            terms.push((PauliString::single('X', i), -g));
        }
        let h = sum(3, &terms);
        let values = eigenvalues(&h).expect("dense");
        assert_eq!(values.len(), 8);
        // Tr H = 0 and Tr H² = Σ c² · 2^n.
        let trace: f64 = values.iter().sum();
        let trace2: f64 = values.iter().map(|v| v * v).sum();
        assert!(trace.abs() < 1e-12);
        assert!((trace2 - 8.0 * (2.0 + 3.0 * g * g)).abs() < 1e-10);
        assert!((ground_energy(&h).expect("ground") - values[0]).abs() < 1e-12);
    }

    #[test]
    fn complex_matrices_have_real_spectra() {
        // X0 Y1 on the one-particle sector {01, 10} is [[0, −i], [i, 0]]-like: eigenvalues ±1.
        let xy = sum(2, &[(PauliString { x: 0b11, z: 0b10 }, 1.0)]);
        assert_eq!(lowest_eigenvalue_in(&xy, &[0b01, 0b10]).expect("sector"), -1.0);
        let values = eigenvalues(&xy).expect("dense");
        assert!(values.iter().zip([-1.0, -1.0, 1.0, 1.0]).all(|(a, b)| (a - b).abs() < 1e-12), "{values:?}");
        assert_eq!(lowest_eigenvalue_in(&xy, &[]), Err(QubitError::EmptySector));
        assert!(matches!(lowest_eigenvalue_in(&xy, &[0b100]), Err(QubitError::Shape { .. })));
    }

    #[test]
    fn davidson_agrees_with_dense_blocks_beyond_the_dense_limit() {
        // Random two-qubit blocks on disjoint pairs of 11 qubits (2048 states > DENSE_STATES):
        // the ground energy is the sum of the blocks' dense minima. Once with real matrices only
        // (even Y counts), once with complex ones.
        let mut state = 0x1234_5678_9abc_def0u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for complex in [false, true] {
            let mut h = PauliSum::new(11);
            let mut expected = 0.0;
            for block in 0..6u32 {
                let width = if block == 5 { 1 } else { 2 };
                let mask = (1u64 << width) - 1;
                let mut local = PauliSum::new(width);
                for _ in 0..6 {
                    let s = PauliString { x: next() & mask, z: next() & mask };
                    if complex || (s.x & s.z).count_ones() % 2 == 0 {
                        local.add(s, (next() % 1000) as f64 / 1000.0 - 0.5);
                    }
                }
                local.simplify(0.0);
                expected += eigenvalues(&local).expect("block")[0];
                for &(s, c) in &local.terms {
                    h.add(PauliString { x: s.x << (2 * block), z: s.z << (2 * block) }, c);
                }
            }
            h.simplify(0.0);
            let iterative = ground_energy(&h).expect("Davidson");
            assert!((expected - iterative).abs() < 1e-9, "complex {complex}: {expected} vs {iterative}");
        }
    }
}

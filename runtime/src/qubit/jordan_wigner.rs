//! The Jordan–Wigner mapping of a molecular Hamiltonian, and an exact diagonaliser on a
//! particle-number sector for checking it.
//!
//! Spin orbitals are interleaved as in OpenFermion: spin orbital `2p` is spatial orbital `p` with
//! spin alpha, `2p + 1` the same orbital with spin beta, and spin orbital `j` is qubit `j`. The
//! Hamiltonian
//!
//! ```text
//! H = E_core + Σ_pq,σ h_pq a†_pσ a_qσ + ½ Σ_pqrs,στ (pq|rs) a†_pσ a†_rτ a_sτ a_qσ
//! ```
//!
//! ((pq|rs) in chemists' notation) is mapped with a†_j = ½ (X_j − iY_j) Z_{j−1}⋯Z_0 and
//! a_j = ½ (X_j + iY_j) Z_{j−1}⋯Z_0 (Jordan and Wigner, Z. Phys. 47, 631 (1928)), which is the
//! convention of OpenFermion's `jordan_wigner`, so the result equals
//! `jordan_wigner(get_fermion_operator(InteractionOperator(E_core, h_so, ½ t_so)))` term by term,
//! with `t_so[P,Q,R,S] = (PS|QR)`. Terms with |c| ≤ 1e-12 are dropped. The mapping itself is
//! [`super::encoding`]'s; this module keeps the original entry points and the sector solver's
//! particle-number sectors.
//!
//! Failure contract: more than 64 qubits, inconsistent shapes, non-finite or non-Hermitian input
//! are [`JwError`]s.

use std::fmt;

use ndarray::{ArrayView2, ArrayView4};
use qdf_compiler::hir::MappingKind;

use super::encoding::{map_hamiltonian, DROP_TOLERANCE};
use super::error::QubitError;
use super::pauli::PauliSum;
use super::spectrum::lowest_eigenvalue_in;
use crate::chem::fci::FciError;

/// Coefficients at or below this magnitude are dropped from the mapped Hamiltonian.
pub const TOLERANCE: f64 = DROP_TOLERANCE;

/// Why a mapping or a sector diagonalisation failed.
#[derive(Clone, Debug, PartialEq)]
pub enum JwError {
    /// More than 64 qubits.
    TooManyQubits {
        n_qubits: usize,
    },
    Shape {
        detail: String,
    },
    NonFinite,
    /// The mapped Hamiltonian has an imaginary coefficient (impossible for real integrals with
    /// the symmetries of a Hermitian Hamiltonian).
    NotRealSymmetric {
        detail: String,
    },
    /// No basis state has the requested occupation.
    EmptySector,
    /// The iterative eigensolver failed.
    Solver(FciError),
}

impl fmt::Display for JwError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JwError::TooManyQubits { n_qubits } => write!(f, "Jordan–Wigner: {n_qubits} qubits (at most 64)"),
            JwError::Shape { detail } => write!(f, "Jordan–Wigner: inconsistent shapes: {detail}"),
            JwError::NonFinite => write!(f, "Jordan–Wigner: the integrals hold NaN or infinity"),
            JwError::NotRealSymmetric { detail } => write!(f, "not real symmetric: {detail}"),
            JwError::EmptySector => write!(f, "no basis state has the requested particle numbers"),
            JwError::Solver(e) => write!(f, "sector eigensolver: {e}"),
        }
    }
}

impl std::error::Error for JwError {}

/// `H = E_core + Σ h_pq a†a + ½ Σ (pq|rs) a†a†aa` over 2n interleaved spin orbitals, mapped to
/// Pauli strings on 2n qubits (see the module documentation).
pub fn jordan_wigner(core_energy: f64, h1: ArrayView2<'_, f64>, eri: ArrayView4<'_, f64>) -> Result<PauliSum, JwError> {
    map_hamiltonian(MappingKind::JordanWigner, core_energy, h1, eri).map_err(JwError::from)
}

impl From<QubitError> for JwError {
    fn from(e: QubitError) -> Self {
        match e {
            QubitError::TooManyQubits { n_qubits } => JwError::TooManyQubits { n_qubits },
            QubitError::Shape { detail } => JwError::Shape { detail },
            QubitError::NonFinite => JwError::NonFinite,
            QubitError::NotHermitian { detail } => JwError::NotRealSymmetric { detail },
            QubitError::EmptySector => JwError::EmptySector,
            QubitError::Solver(e) => JwError::Solver(e),
            other => JwError::Shape { detail: other.to_string() },
        }
    }
}

/// The Hartree–Fock determinant as a computational-basis state: the lowest `n_alpha` alpha spin
/// orbitals (even qubits) and the lowest `n_beta` beta ones (odd qubits) occupied. Failure
/// contract: more than 32 electrons of one spin do not fit 64 qubits and panic.
pub fn hartree_fock_state(n_alpha: usize, n_beta: usize) -> u64 {
    assert!(n_alpha <= 32 && n_beta <= 32, "({n_alpha}, {n_beta}) electrons do not fit in 64 qubits");
    let mut state = 0u64;
    for i in 0..n_alpha {
        state |= 1 << (2 * i);
    }
    for i in 0..n_beta {
        state |= 1 << (2 * i + 1);
    }
    state
}

/// A set of computational-basis states with fixed occupation, in the interleaved convention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sector {
    /// This many set bits in total.
    Particles(usize),
    /// This many set even bits (alpha) and odd bits (beta).
    Spin { n_alpha: usize, n_beta: usize },
}

/// The basis states of `sector` on `n_qubits` qubits, in increasing order.
pub fn sector_states(n_qubits: u32, sector: Sector) -> Vec<u64> {
    if n_qubits > 64 {
        return Vec::new();
    }
    let all = |n: u32, k: usize| crate::chem::fci::occupation_strings(n as usize, k);
    let mut states: Vec<u64> = match sector {
        Sector::Particles(k) => all(n_qubits, k),
        Sector::Spin { n_alpha, n_beta } => {
            let n_even = n_qubits.div_ceil(2);
            let n_odd = n_qubits / 2;
            let spread = |s: u64, offset: u32| {
                (0..32).filter(|i| s >> i & 1 == 1).fold(0u64, |acc, i| acc | 1 << (2 * i + offset))
            };
            let alphas = all(n_even, n_alpha);
            let betas = all(n_odd, n_beta);
            alphas.iter().flat_map(|&a| betas.iter().map(move |&b| spread(a, 0) | spread(b, 1))).collect()
        }
    };
    states.sort_unstable();
    states
}

/// Lowest eigenvalue of `h` restricted to `sector` (the projection P H P), via
/// [`lowest_eigenvalue_in`]: dense up to 1500 states, Davidson beyond; complex Hermitian sector
/// matrices (odd numbers of Y) are handled too.
pub fn lowest_eigenvalue(h: &PauliSum, sector: Sector) -> Result<f64, JwError> {
    if h.n_qubits > 64 {
        return Err(JwError::TooManyQubits { n_qubits: h.n_qubits as usize });
    }
    lowest_eigenvalue_in(h, &sector_states(h.n_qubits, sector)).map_err(JwError::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qubit::pauli::PauliString;
    use ndarray::{Array2, Array4};

    #[test]
    fn number_operator_and_hopping() {
        // h = diag(1, 0): n_0α + n_0β = (1 − Z0)/2 + (1 − Z1)/2.
        let mut h1 = Array2::zeros((2, 2));
        h1[[0, 0]] = 1.0;
        let eri = Array4::zeros((2, 2, 2, 2));
        let h = jordan_wigner(0.0, h1.view(), eri.view()).expect("valid");
        let text: Vec<String> = h.terms.iter().map(|(s, c)| format!("{c} [{s}]")).collect();
        assert_eq!(text, ["1 []", "-0.5 [Z0]", "-0.5 [Z1]"]);
        // Hopping t (a†_0 a_2 + a†_2 a_0) = t/2 (X0 Z1 X2 + Y0 Z1 Y2) for spin alpha.
        let mut h1 = Array2::zeros((2, 2));
        h1[[0, 1]] = 1.0;
        h1[[1, 0]] = 1.0;
        let h = jordan_wigner(0.0, h1.view(), eri.view()).expect("valid");
        let text: Vec<String> = h.terms.iter().map(|(s, c)| format!("{c} [{s}]")).collect();
        assert_eq!(text, ["0.5 [X0 Z1 X2]", "0.5 [Y0 Z1 Y2]", "0.5 [X1 Z2 X3]", "0.5 [Y1 Z2 Y3]"]);
    }

    #[test]
    fn hartree_fock_state_and_sectors() {
        assert_eq!(hartree_fock_state(2, 1), 0b0111);
        assert_eq!(hartree_fock_state(1, 2), 0b1011);
        assert_eq!(hartree_fock_state(0, 0), 0);
        let s = sector_states(4, Sector::Spin { n_alpha: 1, n_beta: 1 });
        assert_eq!(s, vec![0b0011, 0b0110, 0b1001, 0b1100]);
        assert_eq!(sector_states(4, Sector::Particles(2)).len(), 6);
        assert!(sector_states(4, Sector::Spin { n_alpha: 3, n_beta: 0 }).is_empty());
    }

    #[test]
    fn errors_instead_of_panics() {
        let h1 = Array2::zeros((33, 33));
        let eri = Array4::zeros((1, 1, 1, 1));
        assert!(matches!(jordan_wigner(0.0, h1.view(), eri.view()), Err(JwError::Shape { .. })));
        let eri = Array4::zeros((33, 33, 33, 33));
        assert!(matches!(jordan_wigner(0.0, h1.view(), eri.view()), Err(JwError::TooManyQubits { .. })));
        let mut y0 = PauliSum::new(2);
        y0.add(PauliString { x: 0b01, z: 0b01 }, 1.0); // Y0 changes the particle number: P Y0 P = 0
        assert_eq!(lowest_eigenvalue(&y0, Sector::Particles(1)), Ok(0.0));
        let mut xy = PauliSum::new(2);
        xy.add(PauliString { x: 0b11, z: 0b10 }, 1.0); // X0 Y1 ~ i(σ+σ− − σ−σ+): imaginary hopping
        assert_eq!(lowest_eigenvalue(&xy, Sector::Particles(1)), Ok(-1.0));
        assert_eq!(lowest_eigenvalue(&xy, Sector::Particles(3)), Err(JwError::EmptySector));
    }
}

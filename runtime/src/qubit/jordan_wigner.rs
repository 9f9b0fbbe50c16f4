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
//! with `t_so[P,Q,R,S] = (PS|QR)`. Terms with |c| ≤ 1e-12 are dropped.
//!
//! Failure contract: more than 64 qubits, inconsistent shapes, non-finite or non-Hermitian input
//! are [`JwError`]s.

use std::collections::HashMap;
use std::fmt;

use ndarray::{Array2, ArrayView2, ArrayView4};
use num_complex::Complex64;

use super::pauli::{PauliString, PauliSum};
use crate::chem::fci::{davidson_lowest, perturbed_guess, symmetric_eigen, DavidsonOptions, FciError};

/// Coefficients at or below this magnitude are dropped from the mapped Hamiltonian.
pub const TOLERANCE: f64 = 1e-12;

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
    /// The operator has imaginary coefficients after mapping, or imaginary matrix elements in the
    /// sector (a Pauli sum with real coefficients is Hermitian, but odd numbers of Y make it
    /// complex; the sector solver handles real symmetric matrices only).
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
    let n = h1.nrows();
    if h1.ncols() != n || eri.dim() != (n, n, n, n) {
        return Err(JwError::Shape { detail: format!("h1 is {:?}, eri is {:?}", h1.dim(), eri.dim()) });
    }
    if 2 * n > 64 {
        return Err(JwError::TooManyQubits { n_qubits: 2 * n });
    }
    if !core_energy.is_finite() || h1.iter().chain(eri.iter()).any(|v| !v.is_finite()) {
        return Err(JwError::NonFinite);
    }
    let mut acc: HashMap<PauliString, Complex64> = HashMap::new();
    *acc.entry(PauliString::IDENTITY).or_default() += core_energy;
    for p in 0..n {
        for q in 0..n {
            let h = h1[[p, q]];
            if h == 0.0 {
                continue;
            }
            for spin in 0..2 {
                add_product(&mut acc, h, &[(2 * p + spin, true), (2 * q + spin, false)]);
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
                            let (pp, qq, rr, ss) = (2 * p + sigma, 2 * q + sigma, 2 * r + tau, 2 * s + tau);
                            // a†_P a†_P = 0 and a_S a_S = 0.
                            if pp == rr || qq == ss {
                                continue;
                            }
                            add_product(&mut acc, 0.5 * v, &[(pp, true), (rr, true), (ss, false), (qq, false)]);
                        }
                    }
                }
            }
        }
    }
    let scale = acc.values().fold(1.0f64, |m, c| m.max(c.re.abs()));
    let mut sum = PauliSum::new(2 * n as u32);
    for (string, c) in acc {
        if c.im.abs() > 1e-10 * scale {
            return Err(JwError::NotRealSymmetric { detail: format!("imaginary coefficient {} on {string}", c.im) });
        }
        sum.add(string, c.re);
    }
    sum.simplify(TOLERANCE);
    Ok(sum)
}

/// The two Pauli terms of a ladder operator: a†_j = ½ X_j Z_<j − ½i Y_j Z_<j, a_j with +½i.
fn ladder(j: usize, dagger: bool) -> [(Complex64, PauliString); 2] {
    let below = (1u64 << j) - 1;
    let bit = 1u64 << j;
    let y_sign = if dagger { -0.5 } else { 0.5 };
    [
        (Complex64::new(0.5, 0.0), PauliString { x: bit, z: below }),
        (Complex64::new(0.0, y_sign), PauliString { x: bit, z: below | bit }),
    ]
}

/// Adds `coefficient · Π ops` (left to right) to `acc`.
fn add_product(acc: &mut HashMap<PauliString, Complex64>, coefficient: f64, ops: &[(usize, bool)]) {
    let mut terms: Vec<(Complex64, PauliString)> = vec![(Complex64::new(coefficient, 0.0), PauliString::IDENTITY)];
    for &(j, dagger) in ops {
        let factors = ladder(j, dagger);
        terms = terms
            .iter()
            .flat_map(|&(c, s)| {
                factors.iter().map(move |&(f, t)| {
                    let (k, u) = s.mul(t);
                    (c * f * I_POWERS[k as usize], u)
                })
            })
            .collect();
    }
    for (c, s) in terms {
        *acc.entry(s).or_default() += c;
    }
}

const I_POWERS: [Complex64; 4] =
    [Complex64::new(1.0, 0.0), Complex64::new(0.0, 1.0), Complex64::new(-1.0, 0.0), Complex64::new(0.0, -1.0)];

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

/// Lowest eigenvalue of `h` restricted to `sector` (the projection P H P): the matrix is built
/// in the sector's basis, diagonalised densely up to 1500 states and by Davidson beyond.
pub fn lowest_eigenvalue(h: &PauliSum, sector: Sector) -> Result<f64, JwError> {
    if h.n_qubits > 64 {
        return Err(JwError::TooManyQubits { n_qubits: h.n_qubits as usize });
    }
    let states = sector_states(h.n_qubits, sector);
    if states.is_empty() {
        return Err(JwError::EmptySector);
    }
    let cols = sector_columns(h, &states)?;
    let dim = states.len();
    if dim <= 1500 {
        let mut m = Array2::<f64>::zeros((dim, dim));
        for (j, col) in cols.iter().enumerate() {
            for &(i, v) in col {
                m[[i as usize, j]] = v;
            }
        }
        let (values, _) = symmetric_eigen(m.view()).map_err(JwError::Solver)?;
        return Ok(values[0]);
    }
    let diag: Vec<f64> =
        cols.iter().enumerate().map(|(j, col)| col.iter().find(|e| e.0 as usize == j).map_or(0.0, |e| e.1)).collect();
    let guess = perturbed_guess(&diag);
    let mut apply = |x: &[f64], y: &mut [f64]| {
        // P H P is symmetric (real coefficients, imaginary elements rejected), so columns serve as rows.
        for (yi, col) in y.iter_mut().zip(&cols) {
            *yi = col.iter().map(|&(j, v)| v * x[j as usize]).sum();
        }
    };
    let options = DavidsonOptions { tol: 1e-9, max_iter: 500, max_space: 20 };
    davidson_lowest(&mut apply, &diag, &guess, &options).map(|r| r.eigenvalue).map_err(JwError::Solver)
}

type Columns = Vec<Vec<(u32, f64)>>;

/// The sector's matrix by columns, entries sorted by row.
fn sector_columns(h: &PauliSum, states: &[u64]) -> Result<Columns, JwError> {
    let index: HashMap<u64, u32> = states.iter().enumerate().map(|(i, &s)| (s, i as u32)).collect();
    // Group the strings by X mask: they all send |b⟩ to |b ⊕ x⟩. P = i^{|x∧z|} X^x Z^z, so
    // P|b⟩ = i^{|x∧z|} (−1)^{|z∧b|} |b ⊕ x⟩.
    let mut groups: HashMap<u64, Vec<(u64, Complex64)>> = HashMap::new();
    let mut scale = 1.0f64;
    for &(s, c) in &h.terms {
        if !c.is_finite() {
            return Err(JwError::NonFinite);
        }
        scale = scale.max(c.abs());
        let phase = I_POWERS[((s.x & s.z).count_ones() % 4) as usize];
        groups.entry(s.x).or_default().push((s.z, phase * c));
    }
    let mut groups: Vec<(u64, Vec<(u64, Complex64)>)> = groups.into_iter().collect();
    groups.sort_unstable_by_key(|g| g.0);
    let mut cols = Vec::with_capacity(states.len());
    for &b in states {
        let mut col: Vec<(u32, f64)> = Vec::new();
        for (x, zs) in &groups {
            let Some(&row) = index.get(&(b ^ x)) else { continue };
            let mut v = Complex64::new(0.0, 0.0);
            for &(z, c) in zs {
                if (z & b).count_ones() % 2 == 1 {
                    v -= c;
                } else {
                    v += c;
                }
            }
            if v.im.abs() > 1e-10 * scale {
                return Err(JwError::NotRealSymmetric {
                    detail: format!("imaginary matrix element {} at state {b:#b}", v.im),
                });
            }
            col.push((row, v.re));
        }
        col.sort_unstable_by_key(|e| e.0);
        cols.push(col);
    }
    Ok(cols)
}

#[cfg(test)]
mod tests {
    use super::*;
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
        assert!(matches!(lowest_eigenvalue(&xy, Sector::Particles(1)), Err(JwError::NotRealSymmetric { .. })));
        assert_eq!(lowest_eigenvalue(&xy, Sector::Particles(3)), Err(JwError::EmptySector));
    }
}

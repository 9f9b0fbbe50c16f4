//! The ground state of a qubit Hamiltonian in the symmetry sector of a start state, by Lanczos
//! with full reorthogonalisation. The Krylov space of the Hartree–Fock state never leaves the
//! sector the Hamiltonian conserves (particle number, spin, the tapered symmetries), so the
//! lowest Ritz pair is that sector's ground state: the state whose measurement variances the
//! shot planner assumes near the VQE optimum.

use ndarray::Array2;
use num_complex::Complex64;

use crate::chem::fci::symmetric_eigen;
use crate::sim::{Observable, StateVector};

/// Krylov dimensions beyond this are not stored (the vectors are full states).
const MAX_KRYLOV: usize = 80;

/// The lowest eigenpair reachable from `start`, converged when the residual norm falls below
/// `tolerance`. Failure contract: `Err` with a sentence when the tridiagonal eigensolver fails;
/// a start state that is already an eigenstate returns itself.
pub fn ground_state(h: &Observable, start: &StateVector, tolerance: f64) -> Result<(f64, StateVector), String> {
    let mut basis: Vec<StateVector> = Vec::new();
    let mut alphas: Vec<f64> = Vec::new();
    let mut betas: Vec<f64> = Vec::new();
    let mut v = start.clone();
    v.normalize();
    loop {
        let mut w = h.apply(&v);
        alphas.push(v.inner(&w).re);
        basis.push(v);
        // Full reorthogonalisation against every stored vector (twice is enough in practice).
        for _ in 0..2 {
            for b in &basis {
                let overlap = b.inner(&w);
                axpy(&mut w, -overlap, b);
            }
        }
        let beta = w.norm_sqr().sqrt();
        let (value, ritz) = lowest_ritz(&alphas, &betas)?;
        let residual = beta * ritz[ritz.len() - 1].abs();
        let exhausted = basis.len() >= MAX_KRYLOV || basis.len() >= 1usize << h.n_qubits();
        if residual < tolerance || beta < 1e-12 || exhausted {
            let mut state = combine(&basis, &ritz);
            state.normalize();
            return Ok((value, state));
        }
        betas.push(beta);
        for u in w.amplitudes_mut() {
            *u /= beta;
        }
        v = w;
    }
}

/// The lowest eigenpair of the tridiagonal matrix with diagonal `alphas` and off-diagonal `betas`.
fn lowest_ritz(alphas: &[f64], betas: &[f64]) -> Result<(f64, Vec<f64>), String> {
    let k = alphas.len();
    let mut t = Array2::<f64>::zeros((k, k));
    for i in 0..k {
        t[[i, i]] = alphas[i];
        if i + 1 < k {
            t[[i, i + 1]] = betas[i];
            t[[i + 1, i]] = betas[i];
        }
    }
    let (values, vectors) = symmetric_eigen(t.view()).map_err(|e| format!("Lanczos: {e}"))?;
    Ok((values[0], vectors.column(0).to_vec()))
}

fn combine(basis: &[StateVector], coefficients: &[f64]) -> StateVector {
    let mut state = StateVector::basis(basis[0].n_qubits(), 0);
    state.amplitudes_mut().iter_mut().for_each(|u| *u = Complex64::new(0.0, 0.0));
    for (b, &c) in basis.iter().zip(coefficients) {
        axpy(&mut state, Complex64::new(c, 0.0), b);
    }
    state
}

/// `y ← y + a·x`.
fn axpy(y: &mut StateVector, a: Complex64, x: &StateVector) {
    for (u, v) in y.amplitudes_mut().iter_mut().zip(x.amplitudes()) {
        *u += a * v;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qubit::jordan_wigner::{hartree_fock_state, jordan_wigner, lowest_eigenvalue, Sector};
    use ndarray::{Array2, Array4};

    /// A two-orbital Hubbard-like model with distinct integrals, so the ground state is
    /// correlated and the Krylov space is more than one vector.
    #[test]
    fn lanczos_from_hartree_fock_finds_the_sector_ground_state() {
        let n = 3;
        let mut h1 = Array2::<f64>::zeros((n, n));
        let mut eri = Array4::<f64>::zeros((n, n, n, n));
        for p in 0..n {
            h1[[p, p]] = -1.0 + 0.6 * p as f64;
            eri[[p, p, p, p]] = 0.7;
            for q in 0..n {
                if p != q {
                    h1[[p, q]] = -0.2;
                    eri[[p, p, q, q]] = 0.3;
                    eri[[p, q, q, p]] = 0.05;
                    eri[[p, q, p, q]] = 0.05;
                }
            }
        }
        let h = jordan_wigner(0.5, h1.view(), eri.view()).expect("valid integrals");
        let exact = lowest_eigenvalue(&h, Sector::Spin { n_alpha: 1, n_beta: 1 }).expect("non-empty sector");
        let start = StateVector::basis(h.n_qubits, hartree_fock_state(1, 1));
        let observable = Observable::new(&h);
        let (energy, state) = ground_state(&observable, &start, 1e-10).expect("converges");
        assert!((energy - exact).abs() < 1e-9, "{energy} vs {exact}");
        assert!((observable.expectation(&state) - exact).abs() < 1e-9);
        assert!(energy < h.diagonal_element(hartree_fock_state(1, 1)) - 1e-3, "correlation lowers the energy");
    }
}

//! Dense linear algebra of the SCF: the symmetric eigensolver, Löwdin orthogonalisation, the
//! generalised eigenproblem `F C = S C ε`, and the MO sign convention.
//!
//! Failure contract: a (nearly) singular overlap is [`ScfError::LinearDependence`]; an
//! eigensolver failure (not expected for finite input) is [`ScfError::Eigensolver`].

use faer::diag::Diag;
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::evd::{self_adjoint_evd, self_adjoint_evd_scratch, ComputeEigenvectors};
use faer::{Mat, Par};
use ndarray::{Array1, Array2, ArrayView2, Axis};

use super::ScfError;

/// Coefficients within this (absolute) distance of an MO's largest magnitude tie for deciding its
/// sign; the lowest AO index among them wins.
pub const SIGN_TOLERANCE: f64 = 1e-6;

/// Smallest overlap eigenvalue accepted for symmetric orthogonalisation.
pub const LINEAR_DEPENDENCE_THRESHOLD: f64 = 1e-10;

/// Eigenvalues (ascending) and eigenvectors (columns) of the symmetric matrix `a`, whose lower
/// triangle is read. Sequential faer, so results do not depend on the machine's thread count.
///
/// Failure contract: [`ScfError::Eigensolver`] if faer reports no convergence.
pub fn eigh(a: ArrayView2<'_, f64>) -> Result<(Array1<f64>, Array2<f64>), ScfError> {
    let n = a.nrows();
    let m = Mat::from_fn(n, n, |i, j| a[[i, j]]);
    let mut u = Mat::<f64>::zeros(n, n);
    let mut w = Diag::<f64>::zeros(n);
    let scratch = self_adjoint_evd_scratch::<f64>(n, ComputeEigenvectors::Yes, Par::Seq, Default::default());
    let mut buffer = MemBuffer::new(scratch);
    self_adjoint_evd(
        m.as_ref(),
        w.as_mut(),
        Some(u.as_mut()),
        Par::Seq,
        MemStack::new(&mut buffer),
        Default::default(),
    )
    .map_err(|_| ScfError::Eigensolver)?;
    let values = w.column_vector();
    Ok((Array1::from_shape_fn(n, |i| values[i]), Array2::from_shape_fn((n, n), |(i, j)| u[(i, j)])))
}

/// Applies the MO sign convention to every column of `c`: the coefficient of largest magnitude
/// is made positive; coefficients within [`SIGN_TOLERANCE`] of that magnitude tie, and the one
/// with the lowest row (AO) index among them decides. Never fails.
pub fn fix_orbital_signs(c: &mut Array2<f64>) {
    for mut column in c.axis_iter_mut(Axis(1)) {
        let largest = column.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        if let Some(&pivot) = column.iter().find(|v| v.abs() >= largest - SIGN_TOLERANCE) {
            if pivot < 0.0 {
                column.mapv_inplace(|v| -v);
            }
        }
    }
}

/// `S^{−1/2}` by symmetric (Löwdin) orthogonalisation.
pub(super) fn inverse_sqrt(s: &Array2<f64>) -> Result<Array2<f64>, ScfError> {
    let (w, u) = eigh(s.view())?;
    let smallest = w.iter().copied().fold(f64::INFINITY, f64::min);
    if smallest.is_nan() || smallest < LINEAR_DEPENDENCE_THRESHOLD {
        return Err(ScfError::LinearDependence { smallest_eigenvalue: smallest });
    }
    let scaled = &u * &w.mapv(|v| 1.0 / v.sqrt());
    Ok(scaled.dot(&u.t()))
}

/// Solves `F C = S C ε` as `(Xᵀ F X) C' = C' ε`, `C = X C'`; eigenvalues ascending.
pub(super) fn diagonalise(f: &Array2<f64>, x: &Array2<f64>) -> Result<(Array1<f64>, Array2<f64>), ScfError> {
    let f_orth = x.t().dot(f).dot(x);
    let (e, c) = eigh(f_orth.view())?;
    Ok((e, x.dot(&c)))
}

/// `Tr[A B]` for symmetric `B`: `Σ_ij A_ij B_ij`.
pub(super) fn trace_product(a: &Array2<f64>, b: &Array2<f64>) -> f64 {
    a.iter().zip(b.iter()).map(|(x, y)| x * y).sum()
}

/// `C[:, :n] C[:, :n]ᵀ`: the density of the `n` lowest orbitals, one electron each.
pub(super) fn occupied_density(c: &Array2<f64>, n: usize) -> Array2<f64> {
    let occ = c.slice(ndarray::s![.., ..n]);
    occ.dot(&occ.t())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_convention_ties_go_to_the_lowest_index() {
        let mut c = ndarray::array![[-0.5, 0.6, 0.1], [0.5 + 1e-12, -0.6 - 1e-13, -0.9]];
        fix_orbital_signs(&mut c);
        assert!(c[[0, 0]] > 0.0 && c[[0, 1]] > 0.0 && c[[1, 2]] > 0.0);
    }

    #[test]
    fn singular_overlap_is_an_error() {
        let s = ndarray::array![[1.0, 1.0], [1.0, 1.0]];
        assert!(matches!(inverse_sqrt(&s), Err(ScfError::LinearDependence { .. })));
    }
}

//! Pulay's DIIS (Pulay, Chem. Phys. Lett. 73, 393 (1980); J. Comput. Chem. 3, 556 (1982)) on
//! Fock matrices, with one or two spin blocks per entry (UHF stacks `Fα, Fβ` and their errors, as
//! PySCF's `scf.diis.CDIIS` does). Never fails: a singular subspace falls back to the newest Fock.

use ndarray::{Array1, Array2};

use super::linalg::{eigh, trace_product};

/// DIIS subspace of `(Fock blocks, error blocks)` pairs.
pub(super) struct Diis {
    space: usize,
    focks: Vec<Vec<Array2<f64>>>,
    errors: Vec<Vec<Array2<f64>>>,
}

impl Diis {
    /// A subspace holding at most `space` entries; `space < 2` disables extrapolation.
    pub(super) fn new(space: usize) -> Self {
        Diis { space, focks: Vec::new(), errors: Vec::new() }
    }

    /// Stores `(focks, errors)` and returns `Σ_i c_i F_i` (block by block) minimising
    /// `|Σ_i c_i e_i|` over the stacked error subject to `Σ_i c_i = 1` (Pulay 1982, eq. 6), solved
    /// as PySCF does: through the eigendecomposition of the bordered matrix, dropping eigenvalues
    /// below 1e-14 in magnitude.
    pub(super) fn extrapolate(&mut self, focks: Vec<Array2<f64>>, errors: Vec<Array2<f64>>) -> Vec<Array2<f64>> {
        if self.space < 2 {
            return focks;
        }
        if self.focks.len() == self.space {
            self.focks.remove(0);
            self.errors.remove(0);
        }
        let m = self.focks.len() + 1;
        if m < 2 {
            self.focks.push(focks.clone());
            self.errors.push(errors);
            return focks;
        }
        self.focks.push(focks);
        self.errors.push(errors);
        let mut b = Array2::<f64>::zeros((m + 1, m + 1));
        for i in 0..m {
            b[[0, i + 1]] = 1.0;
            b[[i + 1, 0]] = 1.0;
            for j in 0..=i {
                let value: f64 = self.errors[i].iter().zip(&self.errors[j]).map(|(a, b)| trace_product(a, b)).sum();
                b[[i + 1, j + 1]] = value;
                b[[j + 1, i + 1]] = value;
            }
        }
        let Ok((w, v)) = eigh(b.view()) else {
            return self.focks[m - 1].clone();
        };
        // c = V diag(1/w) Vᵀ g with g = (1, 0, …, 0).
        let mut coefficients = Array1::<f64>::zeros(m + 1);
        for (k, &wk) in w.iter().enumerate() {
            if wk.abs() > 1e-14 {
                coefficients.scaled_add(v[[0, k]] / wk, &v.column(k));
            }
        }
        let mut out: Vec<Array2<f64>> = self.focks[0].iter().map(|f| Array2::zeros(f.raw_dim())).collect();
        for (i, entry) in self.focks.iter().enumerate() {
            for (o, f) in out.iter_mut().zip(entry) {
                o.scaled_add(coefficients[i + 1], f);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With errors linear in the Fock matrix, DIIS finds the zero-error combination exactly.
    #[test]
    fn extrapolates_to_the_zero_of_a_linear_error() {
        let target = ndarray::array![[1.0, 0.5], [0.5, -2.0]];
        let mut diis = Diis::new(8);
        let mut last = Vec::new();
        for shift in [0.3, -0.1, 0.7] {
            let f =
                &target + &(Array2::<f64>::eye(2) * shift) + &(ndarray::array![[0.0, 1.0], [1.0, 0.0]] * shift * shift);
            let e = &f - &target;
            last = diis.extrapolate(vec![f.clone(), f], vec![e.clone(), e]);
        }
        for f in &last {
            let err = (f - &target).iter().fold(0.0_f64, |m, v| m.max(v.abs()));
            assert!(err < 1e-12, "{err}");
        }
    }
}

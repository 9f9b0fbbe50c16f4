//! Pulay's DIIS over amplitude vectors (Pulay, Chem. Phys. Lett. 73, 393 (1980)), as PySCF
//! accelerates CCSD: the error of an iterate is the step the amplitude equations took to reach it.

use ndarray::{Array1, Array2};

use crate::chem::scf::eigh;

/// Eigenvalues of the bordered DIIS matrix below this magnitude are dropped (PySCF's cut-off).
const SINGULAR: f64 = 1e-14;

/// The last `space` iterates and their errors.
#[derive(Clone, Debug)]
pub struct AmplitudeDiis {
    space: usize,
    vectors: Vec<Array1<f64>>,
    errors: Vec<Array1<f64>>,
}

impl AmplitudeDiis {
    /// A DIIS over at most `space` vectors; `space < 2` turns extrapolation off.
    pub fn new(space: usize) -> Self {
        AmplitudeDiis { space, vectors: Vec::new(), errors: Vec::new() }
    }

    /// Stores `(vector, error)` and returns `Σ_i c_i x_i` minimising `|Σ_i c_i e_i|` subject to
    /// `Σ_i c_i = 1`; returns `vector` unchanged while fewer than two are stored, or if the
    /// bordered matrix cannot be diagonalised.
    pub fn extrapolate(&mut self, vector: Array1<f64>, error: Array1<f64>) -> Array1<f64> {
        if self.space < 2 {
            return vector;
        }
        if self.vectors.len() == self.space {
            self.vectors.remove(0);
            self.errors.remove(0);
        }
        self.vectors.push(vector);
        self.errors.push(error);
        let m = self.vectors.len();
        if m < 2 {
            return self.vectors[m - 1].clone();
        }
        let mut b = Array2::<f64>::zeros((m + 1, m + 1));
        for i in 0..m {
            b[[0, i + 1]] = 1.0;
            b[[i + 1, 0]] = 1.0;
            for j in 0..=i {
                let value = self.errors[i].dot(&self.errors[j]);
                b[[i + 1, j + 1]] = value;
                b[[j + 1, i + 1]] = value;
            }
        }
        let Ok((w, v)) = eigh(b.view()) else {
            return self.vectors[m - 1].clone();
        };
        // c = V diag(1/w) Vᵀ g with g = (1, 0, …, 0).
        let mut coefficients = Array1::<f64>::zeros(m + 1);
        for (k, &wk) in w.iter().enumerate() {
            if wk.abs() > SINGULAR {
                coefficients.scaled_add(v[[0, k]] / wk, &v.column(k));
            }
        }
        let mut out = Array1::zeros(self.vectors[0].raw_dim());
        for (i, x) in self.vectors.iter().enumerate() {
            out.scaled_add(coefficients[i + 1], x);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn extrapolation_solves_a_linear_fixed_point_exactly() {
        // x ↦ A x + b with a contraction A: DIIS over n + 1 iterates of an n-dimensional linear
        // map lands on the fixed point x* = (1 − A)⁻¹ b.
        let a = array![[0.5, 0.1], [0.2, 0.3]];
        let b = array![1.0, 2.0];
        let det = (1.0 - 0.5) * (1.0 - 0.3) - 0.1 * 0.2;
        let fixed = array![(0.7 * 1.0 + 0.1 * 2.0) / det, (0.2 * 1.0 + 0.5 * 2.0) / det];
        let mut diis = AmplitudeDiis::new(6);
        let mut x = array![0.0, 0.0];
        for _ in 0..3 {
            let next = a.dot(&x) + &b;
            let error = &next - &x;
            x = diis.extrapolate(next, error);
        }
        assert!((&x - &fixed).iter().all(|d| d.abs() < 1e-12), "{x} vs {fixed}");
    }
}

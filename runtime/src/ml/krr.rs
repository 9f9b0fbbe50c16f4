//! Kernel ridge regression.
//!
//! With training descriptors `x_i`, targets `y_i` and their mean `ȳ`, solve
//! `(K + λ I) α = y − ȳ` with `K_ij = k(x_i, x_j)`, and predict `f(x) = ȳ + Σ_i α_i k(x, x_i)`.
//! Kernels (ℓ = `length_scale`):
//! - RBF (Gaussian): `k = exp(−‖x − x'‖₂² / (2ℓ²))`;
//! - Laplacian: `k = exp(−‖x − x'‖₁ / ℓ)` (the L1 norm, as in the QML literature and
//!   scikit-learn's `laplacian_kernel` with γ = 1/ℓ).
//!
//! Centring on ȳ lets the model fall back to the mean far from the data instead of to zero
//! (a total energy of −1.1 Ha is far from zero). The solve is a dense Cholesky factorisation
//! (faer, run sequentially so the result does not depend on the thread count) followed by two
//! triangular solves: closed form and deterministic. Descriptors are used as given; standardise
//! them first ([`Standardizer`](super::Standardizer)) if `length_scale` is meant in units of the
//! spread of each feature.

use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::cholesky::llt;
use faer::{Mat, Par};

use super::{check_rows, check_xy, MlError, Regressor};

/// The kernel of a `krr` model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
    Rbf,
    Laplacian,
}

impl Kernel {
    /// The language's names: `rbf`, `laplacian`.
    pub fn from_name(name: &str) -> Result<Self, MlError> {
        match name {
            "rbf" => Ok(Kernel::Rbf),
            "laplacian" => Ok(Kernel::Laplacian),
            other => Err(MlError::UnknownChoice { field: "kernel", value: other.to_owned() }),
        }
    }

    /// `k(a, b)` for length scale `length_scale`.
    pub fn eval(self, a: &[f64], b: &[f64], length_scale: f64) -> f64 {
        match self {
            Kernel::Rbf => {
                let d2: f64 = a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum();
                (-d2 / (2.0 * length_scale * length_scale)).exp()
            }
            Kernel::Laplacian => {
                let d1: f64 = a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum();
                (-d1 / length_scale).exp()
            }
        }
    }
}

/// The fields of a `krr` model block.
#[derive(Clone, Debug, PartialEq)]
pub struct KrrSpec {
    pub kernel: Kernel,
    /// ℓ > 0, in descriptor units.
    pub length_scale: f64,
    /// λ ≥ 0, added to the kernel matrix's diagonal.
    pub regularization: f64,
}

/// A fitted kernel ridge regression model.
#[derive(Clone, Debug, PartialEq)]
pub struct Krr {
    spec: KrrSpec,
    x_train: Vec<Vec<f64>>,
    alpha: Vec<f64>,
    offset: f64,
}

/// Fits kernel ridge regression to rows `x` and targets `y`.
pub fn train_krr(x: &[Vec<f64>], y: &[f64], spec: &KrrSpec) -> Result<Krr, MlError> {
    check_xy(x, y)?;
    if !(spec.length_scale.is_finite() && spec.length_scale > 0.0) {
        return Err(MlError::InvalidSpec(format!("`length_scale` = {} must be positive", spec.length_scale)));
    }
    if !(spec.regularization.is_finite() && spec.regularization >= 0.0) {
        return Err(MlError::InvalidSpec(format!(
            "`regularization` = {} must be zero or positive",
            spec.regularization
        )));
    }
    let n = x.len();
    let offset = y.iter().sum::<f64>() / n as f64;
    // Only the lower triangle is read by the factorisation.
    let mut l = Mat::from_fn(n, n, |i, j| {
        if j > i {
            0.0
        } else if i == j {
            1.0 + spec.regularization
        } else {
            spec.kernel.eval(&x[i], &x[j], spec.length_scale)
        }
    });
    let mut rhs = Mat::from_fn(n, 1, |i, _| y[i] - offset);
    let par = Par::Seq;
    let mut mem = MemBuffer::new(llt::factor::cholesky_in_place_scratch::<f64>(n, par, Default::default()));
    llt::factor::cholesky_in_place(l.as_mut(), Default::default(), par, MemStack::new(&mut mem), Default::default())
        .map_err(|e| match e {
            llt::factor::LltError::NonPositivePivot { index } => MlError::NotPositiveDefinite { pivot: index },
        })?;
    let mut mem = MemBuffer::new(llt::solve::solve_in_place_scratch::<f64>(n, 1, par));
    llt::solve::solve_in_place(l.as_ref(), rhs.as_mut(), par, MemStack::new(&mut mem));
    let alpha: Vec<f64> = (0..n).map(|i| rhs[(i, 0)]).collect();
    if let Some(index) = alpha.iter().position(|a| !a.is_finite()) {
        return Err(MlError::NonFinite { what: "the kernel ridge weights", index });
    }
    Ok(Krr { spec: spec.clone(), x_train: x.to_vec(), alpha, offset })
}

impl Krr {
    /// `ȳ + Σ_i α_i k(x, x_i)` for every row of `x`.
    pub fn predict(&self, x: &[Vec<f64>]) -> Result<Vec<f64>, MlError> {
        check_rows(x, Some(self.n_features()))?;
        Ok(x.iter()
            .map(|row| {
                self.x_train
                    .iter()
                    .zip(&self.alpha)
                    .map(|(xi, a)| a * self.spec.kernel.eval(row, xi, self.spec.length_scale))
                    .sum::<f64>()
                    + self.offset
            })
            .collect())
    }

    /// The dual weights α, one per training point.
    pub fn alpha(&self) -> &[f64] {
        &self.alpha
    }

    /// ȳ, the training targets' mean that predictions are centred on.
    pub fn offset(&self) -> f64 {
        self.offset
    }

    pub fn spec(&self) -> &KrrSpec {
        &self.spec
    }

    /// The descriptor length it was trained on.
    pub fn n_features(&self) -> usize {
        self.x_train.first().map_or(0, Vec::len)
    }
}

impl Regressor for Krr {
    fn predict(&self, x: &[Vec<f64>]) -> Result<Vec<f64>, MlError> {
        Krr::predict(self, x)
    }

    fn n_features(&self) -> usize {
        Krr::n_features(self)
    }
}

//! Scores of predictions against reference values.
//!
//! Everything is in hartree in and out; reports multiply by 1000 for mHa. Errors are signed as
//! `prediction − truth`.

use super::MlError;

/// Chemical accuracy, 1 kcal/mol ≈ 1.6 mHa, in hartree.
pub const CHEMICAL_ACCURACY_HARTREE: f64 = 0.0016;

/// Error statistics of one prediction set.
#[derive(Clone, Debug, PartialEq)]
pub struct Metrics {
    /// Number of points scored.
    pub n: usize,
    /// Mean absolute error.
    pub mae: f64,
    /// Root-mean-square error.
    pub rmse: f64,
    /// Largest absolute error.
    pub max_abs_error: f64,
    /// Mean signed error (bias).
    pub mean_error: f64,
    /// Non-parallelity error: largest minus smallest signed error. Along a scan it measures how
    /// far the predicted curve's shape departs from the reference's.
    pub npe: f64,
    /// Fraction of points with |error| ≤ [`CHEMICAL_ACCURACY_HARTREE`], in [0, 1].
    pub within_chemical_accuracy: f64,
}

/// Scores `predicted` against `truth` (both hartree, same length, non-empty, finite).
pub fn metrics(predicted: &[f64], truth: &[f64]) -> Result<Metrics, MlError> {
    if truth.is_empty() {
        return Err(MlError::Empty { what: "the reference values" });
    }
    if predicted.len() != truth.len() {
        return Err(MlError::LengthMismatch { what: "predictions", expected: truth.len(), found: predicted.len() });
    }
    if let Some(index) = predicted.iter().position(|v| !v.is_finite()) {
        return Err(MlError::NonFinite { what: "the predictions", index });
    }
    if let Some(index) = truth.iter().position(|v| !v.is_finite()) {
        return Err(MlError::NonFinite { what: "the reference values", index });
    }
    let n = truth.len();
    let errors: Vec<f64> = predicted.iter().zip(truth).map(|(p, t)| p - t).collect();
    let nf = n as f64;
    let mae = errors.iter().map(|e| e.abs()).sum::<f64>() / nf;
    let rmse = (errors.iter().map(|e| e * e).sum::<f64>() / nf).sqrt();
    let max_abs_error = errors.iter().fold(0.0_f64, |m, e| m.max(e.abs()));
    let mean_error = errors.iter().sum::<f64>() / nf;
    let hi = errors.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let lo = errors.iter().copied().fold(f64::INFINITY, f64::min);
    let within = errors.iter().filter(|e| e.abs() <= CHEMICAL_ACCURACY_HARTREE).count();
    Ok(Metrics { n, mae, rmse, max_abs_error, mean_error, npe: hi - lo, within_chemical_accuracy: within as f64 / nf })
}

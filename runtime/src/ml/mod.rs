//! Machine learning on generated data: descriptors, models, splits and scores.
//!
//! - [`features`]: geometry descriptors (inverse distances, Coulomb matrix) and a
//!   [`features::Standardizer`] fitted on the training set only.
//! - [`mlp`]: a multilayer perceptron whose widths come from the spec at run time, trained with
//!   dfdx autodiff and a small Adam of our own, saved as safetensors.
//! - [`krr`]: kernel ridge regression (RBF or Laplacian), solved in closed form by Cholesky.
//! - [`split`]: train/test index sets from a seeded random fraction or a scan-variable condition.
//! - [`mod@metrics`]: MAE, RMSE, maximum error and the fraction within chemical accuracy.
//!
//! Failure contract: nothing here panics on user data. Empty inputs, ragged feature rows,
//! non-finite numbers, unknown choices and impossible splits come back as [`MlError`].
//!
//! Determinism contract: every random choice (weight initialisation, mini-batch order, random
//! splits) is drawn from ChaCha8 seeded by the spec's seed, with a separate stream per purpose,
//! and all arithmetic runs in a fixed order. The same inputs and seed give bit-identical weights
//! and predictions across runs on the same machine.
//!
//! Units: energies in hartree, coordinates in bohr, descriptors in atomic units. Callers convert
//! scores to mHa for reports.
//!
//! dfdx stays inside [`mlp`]: the rest of the runtime sees only the [`Regressor`] trait, so a
//! kernel method (no dfdx) sits beside the network.

pub mod features;
pub mod krr;
pub mod metrics;
pub mod mlp;
mod rng;
pub mod split;

use std::fmt;
use std::path::PathBuf;

use qdf_compiler::hir;

pub use features::{Atom, CoulombForm, FeatureKind, Standardizer};
pub use krr::{train_krr, Kernel, Krr, KrrSpec};
pub use metrics::{metrics, Metrics, CHEMICAL_ACCURACY_HARTREE};
pub use mlp::{train_mlp, Activation, MlpSpec, TrainedMlp};
pub use split::{split_points, CmpOp, Split, SplitRule};

/// Everything that can go wrong while building descriptors, splitting, training or predicting.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum MlError {
    /// An input that must hold at least one item is empty (`what` names it).
    Empty { what: &'static str },
    /// Two inputs that must agree in length do not.
    LengthMismatch { what: &'static str, expected: usize, found: usize },
    /// A feature row has a different length from the first row (or from the trained model).
    RaggedFeatures { row: usize, expected: usize, found: usize },
    /// A NaN or infinity where a finite number is needed.
    NonFinite { what: &'static str, index: usize },
    /// A descriptor needs more atoms than the geometry has.
    TooFewAtoms { needed: usize, found: usize },
    /// Two atoms sit on top of each other, so 1/r is undefined.
    CoincidentAtoms { i: usize, j: usize },
    /// A value outside what the model or split accepts.
    InvalidSpec(String),
    /// A name that is not one of the known choices of `field`.
    UnknownChoice { field: &'static str, value: String },
    /// A split condition names a scan variable the data does not have.
    UnknownScanVariable { name: String, available: Vec<String> },
    /// A split leaves the training or the test side empty.
    EmptySplitSide { side: &'static str, rule: String },
    /// Training produced a non-finite loss or weights (counting epochs from 0).
    Diverged { epoch: usize },
    /// The kernel matrix plus ridge is not positive definite (numerically).
    NotPositiveDefinite { pivot: usize },
    /// An error reported by the tensor backend.
    Backend(String),
    /// A file could not be read or written.
    Io { path: PathBuf, message: String },
    /// A weights file is malformed or does not describe a qdf MLP.
    Format(String),
}

impl fmt::Display for MlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MlError::Empty { what } => write!(f, "{what} is empty"),
            MlError::LengthMismatch { what, expected, found } => {
                write!(f, "{what}: expected {expected} items, found {found}")
            }
            MlError::RaggedFeatures { row, expected, found } => {
                write!(f, "feature row {row} has {found} values, expected {expected}")
            }
            MlError::NonFinite { what, index } => write!(f, "{what} has a non-finite value at index {index}"),
            MlError::TooFewAtoms { needed, found } => {
                write!(f, "the descriptor needs at least {needed} atoms, the geometry has {found}")
            }
            MlError::CoincidentAtoms { i, j } => write!(f, "atoms {i} and {j} are at the same position"),
            MlError::InvalidSpec(message) => f.write_str(message),
            MlError::UnknownChoice { field, value } => write!(f, "`{value}` is not a known {field}"),
            MlError::UnknownScanVariable { name, available } => {
                write!(f, "the data has no scan variable `{name}` (it has: {})", available.join(", "))
            }
            MlError::EmptySplitSide { side, rule } => write!(f, "the split `{rule}` leaves no {side} points"),
            MlError::Diverged { epoch } => {
                write!(f, "training diverged (non-finite loss or weights) by epoch {epoch}; lower `learning_rate`")
            }
            MlError::NotPositiveDefinite { pivot } => {
                write!(f, "the kernel matrix is not positive definite (pivot {pivot}); increase `regularization`")
            }
            MlError::Backend(message) => write!(f, "tensor backend: {message}"),
            MlError::Io { path, message } => write!(f, "{}: {message}", path.display()),
            MlError::Format(message) => write!(f, "weights file: {message}"),
        }
    }
}

impl std::error::Error for MlError {}

/// A trained model that maps descriptor rows to target values (hartree).
///
/// The MLP and kernel ridge regression both implement it, so the runtime can train, score and
/// report either without knowing which backend (dfdx or faer) is behind it.
pub trait Regressor {
    /// Predicts one value per row; rows must have [`Regressor::n_features`] values.
    fn predict(&self, x: &[Vec<f64>]) -> Result<Vec<f64>, MlError>;
    /// The descriptor length the model was trained on.
    fn n_features(&self) -> usize;
}

/// What to fit: the language's `model` block combined with its `train` block.
#[derive(Clone, Debug, PartialEq)]
pub enum ModelSpec {
    Mlp(MlpSpec),
    Krr(KrrSpec),
}

impl ModelSpec {
    /// Builds the spec from the checked HIR of a `model` and the `train` that uses it.
    pub fn from_hir(model: &hir::Model, train: &hir::Train) -> Result<Self, MlError> {
        Self::from_parts(model, train.epochs, train.learning_rate, train.batch_size, train.weight_decay, train.seed)
    }

    /// Builds the spec from a model and the training fields as the IR's training task holds them.
    pub fn from_parts(
        model: &hir::Model,
        epochs: u64,
        learning_rate: f64,
        batch_size: Option<u64>,
        weight_decay: f64,
        seed: u64,
    ) -> Result<Self, MlError> {
        match model.kind.as_str() {
            "mlp" => Ok(ModelSpec::Mlp(MlpSpec {
                hidden: model.hidden.iter().map(|&w| w as usize).collect(),
                activation: Activation::from_name(&model.activation)?,
                epochs: to_usize(epochs, "epochs")?,
                learning_rate,
                batch_size: batch_size.map(|b| to_usize(b, "batch_size")).transpose()?,
                weight_decay,
                seed,
            })),
            "krr" => Ok(ModelSpec::Krr(KrrSpec {
                kernel: Kernel::from_name(&model.kernel)?,
                length_scale: model.length_scale,
                regularization: model.regularization,
            })),
            other => Err(MlError::UnknownChoice { field: "model kind", value: other.to_owned() }),
        }
    }
}

fn to_usize(value: u64, field: &str) -> Result<usize, MlError> {
    usize::try_from(value).map_err(|_| MlError::InvalidSpec(format!("`{field}` = {value} is too large")))
}

/// A fitted model of either kind.
#[derive(Clone, Debug, PartialEq)]
pub enum TrainedModel {
    Mlp(TrainedMlp),
    Krr(Krr),
}

impl Regressor for TrainedModel {
    fn predict(&self, x: &[Vec<f64>]) -> Result<Vec<f64>, MlError> {
        match self {
            TrainedModel::Mlp(m) => m.predict(x),
            TrainedModel::Krr(m) => m.predict(x),
        }
    }

    fn n_features(&self) -> usize {
        match self {
            TrainedModel::Mlp(m) => m.n_features(),
            TrainedModel::Krr(m) => m.n_features(),
        }
    }
}

/// Fits the model `spec` describes to descriptor rows `x` and targets `y` (hartree).
pub fn fit(spec: &ModelSpec, x: &[Vec<f64>], y: &[f64]) -> Result<TrainedModel, MlError> {
    match spec {
        ModelSpec::Mlp(s) => train_mlp(x, y, s).map(TrainedModel::Mlp),
        ModelSpec::Krr(s) => train_krr(x, y, s).map(TrainedModel::Krr),
    }
}

/// Checks a training set: non-empty, rectangular, finite, and one target per row.
/// Returns the number of features.
pub(crate) fn check_xy(x: &[Vec<f64>], y: &[f64]) -> Result<usize, MlError> {
    if x.is_empty() {
        return Err(MlError::Empty { what: "the training set" });
    }
    if y.len() != x.len() {
        return Err(MlError::LengthMismatch { what: "targets per feature row", expected: x.len(), found: y.len() });
    }
    if let Some(index) = y.iter().position(|v| !v.is_finite()) {
        return Err(MlError::NonFinite { what: "the targets", index });
    }
    let width = check_rows(x, None)?;
    if width == 0 {
        return Err(MlError::Empty { what: "the feature rows" });
    }
    Ok(width)
}

/// Checks descriptor rows: rectangular, finite, and `expected` wide when given.
/// Returns the width. An empty `x` is fine (and has width `expected`, or 0).
pub(crate) fn check_rows(x: &[Vec<f64>], expected: Option<usize>) -> Result<usize, MlError> {
    let width = expected.or_else(|| x.first().map(Vec::len)).unwrap_or(0);
    for (row, values) in x.iter().enumerate() {
        if values.len() != width {
            return Err(MlError::RaggedFeatures { row, expected: width, found: values.len() });
        }
        if values.iter().any(|v| !v.is_finite()) {
            return Err(MlError::NonFinite { what: "the features", index: row });
        }
    }
    Ok(width)
}

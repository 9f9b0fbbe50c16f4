//! Train/test splits of the points of a dataset.
//!
//! Two rules, as the language writes them:
//! - `random(test = f)`: a seeded permutation of the points; the first `round(f·n)` (at least 1,
//!   at most n−1) are held out.
//! - `extrapolate(r > 2.0 angstrom)` / `interpolate(r < 1.0 angstrom)`: the points where the
//!   condition on scan variable `r` holds are held out. The two names differ only in intent;
//!   the rule is the same. Values are in atomic units, as the IR normalises them.
//!
//! Float comparisons use a tolerance of 1e-9 relative (absolute below 1): scan values come from
//! `linspace` and unit conversion, so `r == 1.4 angstrom` must match the grid point that prints
//! as 1.4 Å. `>` and `<` exclude values equal within the tolerance; `>=` and `<=` include them.
//!
//! Both index lists are returned in ascending order.

use std::fmt;

use qdf_compiler::hir;

use super::rng::{stream, Rng};
use super::MlError;

/// A comparison in a split condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    Ne,
}

impl CmpOp {
    /// `>`, `>=`, `<`, `<=`, `==`, `!=`.
    pub fn from_symbol(symbol: &str) -> Result<Self, MlError> {
        match symbol {
            ">" => Ok(CmpOp::Gt),
            ">=" => Ok(CmpOp::Ge),
            "<" => Ok(CmpOp::Lt),
            "<=" => Ok(CmpOp::Le),
            "==" => Ok(CmpOp::Eq),
            "!=" => Ok(CmpOp::Ne),
            other => Err(MlError::UnknownChoice { field: "comparison", value: other.to_owned() }),
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
        }
    }

    /// Whether `lhs op rhs` holds, with `==` meaning equal within the module's tolerance.
    pub fn holds(self, lhs: f64, rhs: f64) -> bool {
        let eq = (lhs - rhs).abs() <= 1e-9 * rhs.abs().max(1.0);
        match self {
            CmpOp::Eq => eq,
            CmpOp::Ne => !eq,
            CmpOp::Gt => lhs > rhs && !eq,
            CmpOp::Ge => lhs > rhs || eq,
            CmpOp::Lt => lhs < rhs && !eq,
            CmpOp::Le => lhs < rhs || eq,
        }
    }
}

/// Which points are held out for testing.
#[derive(Clone, Debug, PartialEq)]
pub enum SplitRule {
    /// A seeded random fraction `test` of the points, 0 < test < 1.
    Random { test: f64 },
    /// The points where `variable op value` holds.
    Condition { variable: String, op: CmpOp, value: f64 },
}

impl SplitRule {
    pub fn from_hir(split: &hir::Split) -> Result<Self, MlError> {
        match split {
            hir::Split::Random { test } => Ok(SplitRule::Random { test: *test }),
            hir::Split::Condition { variable, op, value, .. } => {
                Ok(SplitRule::Condition { variable: variable.clone(), op: CmpOp::from_symbol(op)?, value: *value })
            }
        }
    }
}

impl fmt::Display for SplitRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SplitRule::Random { test } => write!(f, "random(test = {test})"),
            SplitRule::Condition { variable, op, value } => write!(f, "{variable} {} {value}", op.symbol()),
        }
    }
}

/// Indices of the training and test points, each ascending.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    pub train: Vec<usize>,
    pub test: Vec<usize>,
}

/// Splits `n_points` points by `rule`.
///
/// `scan` holds, per scan variable, its value at every point (`(name, values)` with
/// `values.len() == n_points`); only condition rules read it. `seed` drives the random rule
/// (its own ChaCha stream, independent of the model's initialisation).
pub fn split_points(n_points: usize, scan: &[(&str, &[f64])], rule: &SplitRule, seed: u64) -> Result<Split, MlError> {
    if n_points < 2 {
        return Err(MlError::InvalidSpec(format!(
            "a train/test split needs at least 2 points, the data has {n_points}"
        )));
    }
    let (train, test) = match rule {
        SplitRule::Random { test } => {
            if !(test.is_finite() && *test > 0.0 && *test < 1.0) {
                return Err(MlError::InvalidSpec(format!("`random(test = {test})` needs 0 < test < 1")));
            }
            let n_test = ((test * n_points as f64).round() as usize).clamp(1, n_points - 1);
            let mut order: Vec<usize> = (0..n_points).collect();
            Rng::new(seed, stream::SPLIT).shuffle(&mut order);
            let mut test = order[..n_test].to_vec();
            let mut train = order[n_test..].to_vec();
            test.sort_unstable();
            train.sort_unstable();
            (train, test)
        }
        SplitRule::Condition { variable, op, value } => {
            let Some((_, values)) = scan.iter().find(|(name, _)| name == variable) else {
                return Err(MlError::UnknownScanVariable {
                    name: variable.clone(),
                    available: scan.iter().map(|(name, _)| (*name).to_owned()).collect(),
                });
            };
            if values.len() != n_points {
                return Err(MlError::LengthMismatch { what: "scan values", expected: n_points, found: values.len() });
            }
            if let Some(index) = values.iter().position(|v| !v.is_finite()) {
                return Err(MlError::NonFinite { what: "the scan values", index });
            }
            if !value.is_finite() {
                return Err(MlError::InvalidSpec(format!("the split threshold {value} is not finite")));
            }
            (0..n_points).partition(|&i| !op.holds(values[i], *value))
        }
    };
    for (side, indices) in [("training", &train), ("test", &test)] {
        if indices.is_empty() {
            return Err(MlError::EmptySplitSide { side, rule: rule.to_string() });
        }
    }
    Ok(Split { train, test })
}

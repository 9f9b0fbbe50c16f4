//! Shot allocation: how many shots each group needs for a target standard error, and the standard
//! error a given budget reaches.
//!
//! The estimator `Ê = c_0 + Σ_g Ê_g` averages `m_g` independent shots of each group, so
//! `Var(Ê) = Σ_g Var_g / m_g` and the standard error is `σ = sqrt(Σ_g Var_g / m_g)`. For a target
//! `ε` (hartree), with `G` groups and single-shot variances `Var_g`:
//!
//! - [`Allocation::Uniform`]: `m_g = ⌈Σ_h Var_h / ε²⌉` for every group, `M = G · Σ_h Var_h / ε²`
//!   before rounding;
//! - [`Allocation::Weighted`]: `m_g ∝ w_g` (the coefficient norms `Σ_{i∈g} |c_i|` in practice),
//!   `m_g = ⌈w_g · Σ_h (Var_h / w_h) / ε²⌉`, `M = (Σ_h w_h)(Σ_h Var_h / w_h) / ε²`;
//! - [`Allocation::VarianceOptimal`]: `m_g ∝ sqrt(Var_g)`, which minimises `M` for a given `σ`
//!   (Lagrange multipliers; Rubin, Babbush and McClean, New J. Phys. 20, 053020 (2018)):
//!   `m_g = ⌈sqrt(Var_g) · Σ_h sqrt(Var_h) / ε²⌉`, `M = (Σ_h sqrt(Var_h))² / ε²`.
//!
//! Each group is rounded up to whole shots, so the reported standard error is at most `ε` (up to a
//! relative [`ROUNDING_SLACK`] that keeps floating-point noise from adding a shot), and
//! every group gets at least one shot (its mean is unknown otherwise, even at zero variance).
//! With one group all three agree on `Var / ε²`; the familiar `1/ε²` is the special case of a
//! single group of unit variance.
//!
//! Failure contract: every function returns [`ShotError`] for a precision that is not a positive
//! finite number, a negative or non-finite variance or weight, slices of different lengths, a
//! positive variance with zero weight, a budget smaller than the number of groups, or a count
//! beyond [`MAX_SHOTS_PER_GROUP`]; none panics.

use std::fmt;

/// How shots are spread over the groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Allocation {
    /// The same number of shots for every group.
    Uniform,
    /// Shots proportional to the given weights (e.g. [`super::MeasurementPlan::coefficient_weights`]).
    Weighted,
    /// Shots proportional to `sqrt(Var_g)`: the fewest shots for a given standard error.
    VarianceOptimal,
}

/// Shots per group, their total, and the standard error they reach.
#[derive(Clone, Debug, PartialEq)]
pub struct ShotPlan {
    pub per_group: Vec<u64>,
    pub total: u64,
    /// `sqrt(Σ_g Var_g / m_g)` for the integer counts (hartree).
    pub standard_error: f64,
}

/// Counts above this are refused: beyond 2⁵³ an `f64` no longer holds every integer.
pub const MAX_SHOTS_PER_GROUP: u64 = 1 << 53;

/// Relative tolerance of the rounding up to whole shots: the standard error reached is at most
/// `ε · (1 + ROUNDING_SLACK)`.
pub const ROUNDING_SLACK: f64 = 1e-12;

/// Why shots cannot be allocated.
#[derive(Clone, Debug, PartialEq)]
pub enum ShotError {
    /// The precision target is zero, negative or not finite.
    InvalidPrecision(f64),
    /// A variance is negative or not finite.
    InvalidVariance { group: usize, value: f64 },
    /// A weight is negative or not finite.
    InvalidWeight { group: usize, value: f64 },
    /// A group with positive variance has zero weight: no finite total reaches the target.
    ZeroWeight { group: usize },
    /// Two per-group slices differ in length.
    LengthMismatch { groups: usize, other: usize },
    /// A group would get no shot.
    UnmeasuredGroup { group: usize },
    /// The budget is smaller than the number of groups.
    TooFewShots { total: u64, groups: usize },
    /// A group would need more than [`MAX_SHOTS_PER_GROUP`] shots, or the total overflows.
    TooManyShots,
}

impl fmt::Display for ShotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShotError::InvalidPrecision(p) => write!(f, "precision {p} is not a positive finite number"),
            ShotError::InvalidVariance { group, value } => write!(f, "group {group} has invalid variance {value}"),
            ShotError::InvalidWeight { group, value } => write!(f, "group {group} has invalid weight {value}"),
            ShotError::ZeroWeight { group } => write!(f, "group {group} has positive variance but zero weight"),
            ShotError::LengthMismatch { groups, other } => write!(f, "{groups} variances but {other} values to match"),
            ShotError::UnmeasuredGroup { group } => write!(f, "group {group} gets no shot"),
            ShotError::TooFewShots { total, groups } => write!(f, "{total} shots cannot cover {groups} groups"),
            ShotError::TooManyShots => {
                write!(f, "the precision needs more than {MAX_SHOTS_PER_GROUP} shots in a group")
            }
        }
    }
}

impl std::error::Error for ShotError {}

/// Shots per group and in total for a standard error `≤ precision` (hartree) under `allocation`
/// (formulas in the module docs). `weights` are read only by [`Allocation::Weighted`] and must
/// then match `variances` in length. No groups need no shots.
///
/// Failure contract: [`ShotError`] as listed in the module docs; never panics.
pub fn shots_for_precision(
    variances: &[f64],
    weights: &[f64],
    allocation: Allocation,
    precision: f64,
) -> Result<ShotPlan, ShotError> {
    if !(precision.is_finite() && precision > 0.0) {
        return Err(ShotError::InvalidPrecision(precision));
    }
    check_variances(variances)?;
    // Dividing twice keeps a zero numerator zero even where ε² underflows.
    let per_precision = |x: f64| x / precision / precision;
    let targets: Vec<f64> = match allocation {
        Allocation::Uniform => vec![per_precision(variances.iter().sum::<f64>()); variances.len()],
        Allocation::Weighted => {
            check_weights(variances, weights)?;
            let spread: f64 = variances.iter().zip(weights).filter(|(_, &w)| w > 0.0).map(|(v, w)| v / w).sum();
            weights.iter().map(|w| per_precision(w * spread)).collect()
        }
        Allocation::VarianceOptimal => {
            let root_sum: f64 = variances.iter().map(|v| v.sqrt()).sum();
            variances.iter().map(|v| per_precision(v.sqrt() * root_sum)).collect()
        }
    };
    let mut per_group = Vec::with_capacity(targets.len());
    for t in targets {
        // Also catches an infinite target from overflowing `Var/ε²`.
        if t.is_nan() || t > MAX_SHOTS_PER_GROUP as f64 {
            return Err(ShotError::TooManyShots);
        }
        per_group.push(whole_shots(t));
    }
    finish(variances, per_group)
}

/// Spreads a budget of `total` shots under `allocation` and reports the standard error it reaches:
/// shares `total · a_g / Σ a_h` (`a_g` = 1, `w_g` or `sqrt(Var_g)`) rounded down, raised to at
/// least one shot, then the remaining shots (or excess) settled by largest remainder, so the
/// counts sum to `total` exactly. When every `a_g` is zero (all variances zero under
/// [`Allocation::VarianceOptimal`], or all weights zero) the budget is spread uniformly.
///
/// Failure contract: [`ShotError`] as listed in the module docs (`TooFewShots` when
/// `total < variances.len()`); never panics.
pub fn allocate_shots(
    variances: &[f64],
    weights: &[f64],
    allocation: Allocation,
    total: u64,
) -> Result<ShotPlan, ShotError> {
    check_variances(variances)?;
    let groups = variances.len();
    if total < groups as u64 {
        return Err(ShotError::TooFewShots { total, groups });
    }
    if total > MAX_SHOTS_PER_GROUP {
        return Err(ShotError::TooManyShots);
    }
    if groups == 0 {
        return finish(variances, Vec::new());
    }
    let mut shares: Vec<f64> = match allocation {
        Allocation::Uniform => vec![1.0; groups],
        Allocation::Weighted => {
            check_weights(variances, weights)?;
            weights.to_vec()
        }
        Allocation::VarianceOptimal => variances.iter().map(|v| v.sqrt()).collect(),
    };
    // Scaled by the largest share, so the sum cannot overflow (1 ≤ sum ≤ groups).
    let largest = shares.iter().copied().fold(0.0, f64::max);
    if largest > 0.0 {
        shares.iter_mut().for_each(|a| *a /= largest);
    } else {
        shares = vec![1.0; groups];
    }
    let sum: f64 = shares.iter().sum();
    let targets: Vec<f64> = shares.iter().map(|a| total as f64 * a / sum).collect();
    let mut per_group: Vec<u64> = targets.iter().map(|t| (t.floor() as u64).max(1)).collect();
    // Surplus of the target over the count: who deserves the next shot (or loses one last).
    let surplus = |g: usize, counts: &[u64]| targets[g] - counts[g] as f64;
    let mut assigned: u64 = per_group.iter().sum();
    while assigned < total {
        let g = (0..groups).max_by(|&a, &b| surplus(a, &per_group).total_cmp(&surplus(b, &per_group)).then(b.cmp(&a)));
        let Some(g) = g else { break };
        per_group[g] += 1;
        assigned += 1;
    }
    while assigned > total {
        let g = (0..groups)
            .filter(|&g| per_group[g] > 1)
            .min_by(|&a, &b| surplus(a, &per_group).total_cmp(&surplus(b, &per_group)).then(a.cmp(&b)));
        let Some(g) = g else { break };
        per_group[g] -= 1;
        assigned -= 1;
    }
    finish(variances, per_group)
}

/// `sqrt(Σ_g Var_g / m_g)`: the standard error of the plan's estimator with `shots[g]` shots of
/// group `g`. Failure contract: [`ShotError`] for slices of different lengths, an invalid
/// variance, or a group with no shot; never panics.
pub fn standard_error(variances: &[f64], shots: &[u64]) -> Result<f64, ShotError> {
    check_variances(variances)?;
    if shots.len() != variances.len() {
        return Err(ShotError::LengthMismatch { groups: variances.len(), other: shots.len() });
    }
    if let Some(group) = shots.iter().position(|&m| m == 0) {
        return Err(ShotError::UnmeasuredGroup { group });
    }
    Ok(variances.iter().zip(shots).map(|(v, &m)| v / m as f64).sum::<f64>().sqrt())
}

/// `⌈t⌉`, at least 1, where a target within a relative [`ROUNDING_SLACK`] above an integer counts
/// as that integer (so `3 · (7/3) / 0.01` is 700 shots, not 701).
fn whole_shots(t: f64) -> u64 {
    ((t * (1.0 - ROUNDING_SLACK)).ceil() as u64).max(1)
}

fn finish(variances: &[f64], per_group: Vec<u64>) -> Result<ShotPlan, ShotError> {
    let total = per_group.iter().try_fold(0u64, |sum, &m| sum.checked_add(m)).ok_or(ShotError::TooManyShots)?;
    let standard_error = standard_error(variances, &per_group)?;
    Ok(ShotPlan { per_group, total, standard_error })
}

fn check_variances(variances: &[f64]) -> Result<(), ShotError> {
    match variances.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
        Some(group) => Err(ShotError::InvalidVariance { group, value: variances[group] }),
        None => Ok(()),
    }
}

fn check_weights(variances: &[f64], weights: &[f64]) -> Result<(), ShotError> {
    if weights.len() != variances.len() {
        return Err(ShotError::LengthMismatch { groups: variances.len(), other: weights.len() });
    }
    if let Some(group) = weights.iter().position(|w| !(w.is_finite() && *w >= 0.0)) {
        return Err(ShotError::InvalidWeight { group, value: weights[group] });
    }
    match variances.iter().zip(weights).position(|(&v, &w)| v > 0.0 && w == 0.0) {
        Some(group) => Err(ShotError::ZeroWeight { group }),
        None => Ok(()),
    }
}

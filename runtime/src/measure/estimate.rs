//! Exact outcome statistics of a measurement plan in a simulated state.
//!
//! Measuring group `g` means applying its circuit `U_g` and reading every qubit: outcome `b`
//! comes with probability `p_g(b) = |⟨b|U_g|ψ⟩|²` and the group observable `O_g = Σ_{i∈g} c_i P_i`
//! takes the value `λ_g(b) = Σ_i d_i (−1)^{|z_i ∧ b|}` on it. Hence `⟨O_g⟩ = Σ_b p_g(b) λ_g(b)` and
//! the single-shot variance `Var_g = Σ_b p_g(b) (λ_g(b) − ⟨O_g⟩)²`, which is
//! `⟨O_g²⟩ − ⟨O_g⟩² = Σ_{i,j∈g} c_i c_j (⟨P_i P_j⟩ − ⟨P_i⟩⟨P_j⟩)`: the covariances within the
//! group are part of it.
//!
//! Failure contract: a state with fewer qubits than the plan is a programming error and panics
//! (in [`LogicalCircuit::apply`](crate::circuit::LogicalCircuit::apply)); a wider state is read on
//! the plan's qubits.

use super::{MeasurementGroup, MeasurementPlan};
use crate::sim::StateVector;

/// `p(b) = |⟨b|U|ψ⟩|²` for every basis index `b` of `state`: the outcome distribution of measuring
/// `group`. Failure contract: panics if `state` is narrower than the group's circuit.
pub fn outcome_probabilities(group: &MeasurementGroup, state: &StateVector) -> Vec<f64> {
    let mut rotated = state.clone();
    group.circuit.apply(&[], &mut rotated);
    rotated.amplitudes().iter().map(|a| a.norm_sqr()).collect()
}

/// `(⟨O_g⟩, Var_g)` from the outcome distribution, the variance as a centred second moment.
fn mean_and_variance(group: &MeasurementGroup, state: &StateVector) -> (f64, f64) {
    let probabilities = outcome_probabilities(group, state);
    let values: Vec<f64> = (0..probabilities.len() as u64).map(|b| group.eigenvalue(b)).collect();
    let mean: f64 = probabilities.iter().zip(&values).map(|(p, v)| p * v).sum();
    let variance = probabilities.iter().zip(&values).map(|(p, v)| p * (v - mean) * (v - mean)).sum();
    (mean, variance)
}

/// `⟨ψ|H|ψ⟩` as the plan's estimator sees it with infinitely many shots:
/// `c_0 + Σ_g Σ_b p_g(b) λ_g(b)`. Failure contract: panics if `state` is narrower than the plan.
pub fn expectation(plan: &MeasurementPlan, state: &StateVector) -> f64 {
    plan.constant + plan.groups.iter().map(|g| mean_and_variance(g, state).0).sum::<f64>()
}

/// The single-shot variance of every group: exact in `state` when given (covariances within the
/// group included), otherwise the state-independent bound `(Σ_{i∈g} |c_i|)² ≥ ‖O_g‖² ≥ Var_g`.
/// Failure contract: panics if `state` is narrower than the plan.
pub fn group_variances(plan: &MeasurementPlan, state: Option<&StateVector>) -> Vec<f64> {
    plan.groups
        .iter()
        .map(|g| match state {
            Some(state) => mean_and_variance(g, state).1,
            None => g.coefficient_norm().powi(2),
        })
        .collect()
}

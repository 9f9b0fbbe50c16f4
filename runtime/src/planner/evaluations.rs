//! How many energy evaluations one geometry point's optimisation may take: the multiplier
//! between shots per evaluation and shots per point.
//!
//! The counts are upper bounds for `max_iter` iterations, as a budget must be:
//! - gradient methods (`lbfgs`, `bfgs`, `adam`, `gradient_descent`): each iteration measures the
//!   energy and the gradient by the parameter-shift rule, two evaluations per parametrised
//!   rotation (a parameter shared by several rotations, as in UCC excitations, needs a pair for
//!   each): `1 + 2R` per iteration. Line-search trial points beyond one per iteration are not
//!   counted.
//! - `spsa`: two evaluations per iteration (the simultaneous perturbation), plus the final energy.
//! - `cobyla`, `nelder_mead`: one evaluation per iteration after an initial simplex of `P + 1`.
//! - ADAPT-VQE: each of at most `max_operators` steps measures the pool gradients (two
//!   evaluations per parametrised rotation of every pool operator, each operator's derivative
//!   by its own parameter shifts) and re-optimises, with the circuit grown by one operator's
//!   rotations per step; one more scan of the pool decides convergence, and the final circuit's
//!   energy is measured once more.
//! - the `hf` ansatz: one evaluation, nothing is optimised.

use serde::Serialize;

/// The evaluations a point may take, with the formula that gave them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EvaluationBudget {
    pub per_point: u64,
    pub formula: String,
}

/// Evaluations for an optimiser `kind` with `max_iter` iterations over a circuit of
/// `parameters` parameters and `rotations` parametrised rotations.
pub fn fixed_circuit(kind: &str, max_iter: u64, parameters: u64, rotations: u64) -> EvaluationBudget {
    match kind {
        "spsa" => EvaluationBudget { per_point: 2 * max_iter + 1, formula: format!("2 × {max_iter} iterations + 1") },
        "cobyla" | "nelder_mead" => EvaluationBudget {
            per_point: max_iter + parameters + 1,
            formula: format!("{max_iter} iterations + {} simplex points", parameters + 1),
        },
        _ => EvaluationBudget {
            per_point: max_iter.saturating_mul(1 + 2 * rotations),
            formula: format!("{max_iter} iterations × (1 + 2 × {rotations} rotations)"),
        },
    }
}

/// Evaluations of ADAPT-VQE with at most `max_operators` steps over a pool whose operators have
/// `pool_rotations` parametrised rotations in all, each chosen operator adding
/// `rotations_per_operator` rotations (the largest operator's, as a bound).
pub fn adapt(
    kind: &str,
    max_iter: u64,
    max_operators: u64,
    pool_rotations: u64,
    rotations_per_operator: u64,
) -> EvaluationBudget {
    let scan = 2 * pool_rotations;
    // The last scan, which decides convergence, and the final measurement.
    let mut total: u64 = scan + 1;
    for step in 1..=max_operators {
        let inner = fixed_circuit(kind, max_iter, step, step * rotations_per_operator);
        total = total.saturating_add(scan).saturating_add(inner.per_point);
    }
    EvaluationBudget {
        per_point: total,
        formula: format!(
            "≤ {} pool scans × 2 × {pool_rotations} pool rotations + {max_operators} re-optimisations of up to {max_iter} iterations + 1",
            max_operators + 1
        ),
    }
}

/// The `hf` ansatz: the reference state's energy, measured once.
pub fn reference_only() -> EvaluationBudget {
    EvaluationBudget { per_point: 1, formula: "1 (nothing to optimise)".into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_follow_the_documented_formulas() {
        assert_eq!(fixed_circuit("lbfgs", 100, 3, 12).per_point, 100 * 25);
        assert_eq!(fixed_circuit("spsa", 100, 3, 12).per_point, 201);
        assert_eq!(fixed_circuit("cobyla", 100, 3, 12).per_point, 104);
        // Two steps of ADAPT over a pool of 10 rotations, 2 per chosen operator: three scans of
        // 20, step 1: 10·(1 + 4); step 2: 10·(1 + 8); the final measurement.
        assert_eq!(adapt("lbfgs", 10, 2, 10, 2).per_point, 60 + 50 + 90 + 1);
        assert_eq!(reference_only().per_point, 1);
    }
}

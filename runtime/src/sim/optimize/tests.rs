//! Every optimiser on the two-qubit problem of the measured-energy tests: on exact energies each
//! reaches the quasi-Newton minimum; on measured energies SPSA and Adam get within the shot noise
//! of it, the shot cap stops them with the final measurement kept, and quasi-Newton methods are
//! refused.

use super::*;
use crate::sim::measured::tests::{problem, settings};
use crate::sim::measured::MeasuredSettings;

fn exact_objective() -> Objective {
    let (ansatz, h) = problem();
    Objective::Exact(CompiledEnergy::new(&ansatz, &h))
}

fn optimizer(kind: &str, max_iter: u64, learning_rate: f64) -> OptimizerSettings {
    OptimizerSettings { kind: kind.into(), max_iter, tolerance: 1e-9, learning_rate, seed: 17 }
}

const START: [f64; 2] = [0.3, 0.3];

/// The minimum from the start, by L-BFGS on exact energies and gradients.
fn minimum() -> f64 {
    let r = optimize(&mut exact_objective(), &START, &optimizer("lbfgs", 200, 0.0)).expect("runs");
    assert!(r.stopped.is_none() && r.shots == 0 && r.standard_error.is_none());
    r.energy
}

#[test]
fn every_optimizer_reaches_the_minimum_on_exact_energies() {
    let best = minimum();
    let (ansatz, h) = problem();
    // The ansatz reaches below the reference state's energy.
    assert!(best < CompiledEnergy::new(&ansatz, &h).energy(&[0.0, 0.0]) - 0.05);
    for (kind, max_iter, rate, within) in [
        ("bfgs", 200, 0.0, 1e-10),
        ("adam", 3000, 0.02, 1e-8),
        ("gradient_descent", 3000, 0.5, 1e-8),
        ("nelder_mead", 2000, 0.0, 1e-8),
        ("cobyla", 2000, 0.0, 1e-6),
        ("spsa", 2000, 0.5, 1e-4),
    ] {
        let r = optimize(&mut exact_objective(), &START, &optimizer(kind, max_iter, rate)).expect("runs");
        assert!(r.energy - best < within && r.energy >= best - 1e-10, "{kind}: {} vs minimum {best}", r.energy);
        assert!(r.iterations > 0 && r.evaluations > r.iterations.min(2), "{kind}: {r:?}");
    }
}

#[test]
fn measured_optimizers_land_within_the_shot_noise_of_the_minimum() {
    let best = minimum();
    let (ansatz, h) = problem();
    let exact = CompiledEnergy::new(&ansatz, &h);
    // Nelder–Mead keeps the lowest noisy estimate, biased by the noise: it gets a wider margin.
    for (kind, max_iter, rate, margin) in
        [("spsa", 300, 0.5, 5e-3), ("adam", 150, 0.05, 5e-3), ("nelder_mead", 200, 0.0, 2e-2)]
    {
        let mut objective =
            Objective::Measured(Box::new(MeasuredEnergy::new(&ansatz, &h, settings(20_000, 3)).expect("plan")));
        let r = optimize(&mut objective, &START, &optimizer(kind, max_iter, rate)).expect("runs");
        let error = r.standard_error.expect("measured");
        assert!(error > 1e-4 && error < 1e-2, "{kind}: standard error {error}");
        // The final estimate is a fresh, unbiased measurement at the final parameters…
        let at_params = exact.energy(&r.params);
        assert!((r.energy - at_params).abs() < 5.0 * error, "{kind}: {} vs {at_params} ± {error}", r.energy);
        // …which are close to the minimum.
        assert!(at_params - best < margin, "{kind}: ended at {at_params}, minimum {best}");
        assert_eq!(r.shots, r.evaluations * 20_000, "{kind}");
    }
}

#[test]
fn the_shot_cap_stops_the_optimizer_and_keeps_the_final_measurement() {
    let (ansatz, h) = problem();
    let capped = MeasuredSettings { shot_cap: Some(41_000), ..settings(1_000, 3) };
    let mut objective = Objective::Measured(Box::new(MeasuredEnergy::new(&ansatz, &h, capped).expect("plan")));
    let r = optimize(&mut objective, &START, &optimizer("spsa", 1000, 0.5)).expect("runs");
    // 40 evaluations (20 iterations) leave exactly one evaluation's shots for the result.
    assert_eq!((r.iterations, r.evaluations, r.shots), (20, 41, 41_000));
    assert!(r.stopped.as_deref().is_some_and(|s| s.contains("budget")), "{r:?}");

    let capped = MeasuredSettings { shot_cap: Some(10_000), ..settings(1_000, 3) };
    let mut objective = Objective::Measured(Box::new(MeasuredEnergy::new(&ansatz, &h, capped).expect("plan")));
    // A parameter-shift gradient needs 6 evaluations: one step fits, a second does not.
    let r = optimize(&mut objective, &START, &optimizer("adam", 1000, 0.05)).expect("runs");
    assert_eq!((r.iterations, r.shots), (1, 7_000));
    assert!(r.stopped.is_some());
}

#[test]
fn quasi_newton_methods_are_refused_on_measured_energies() {
    let (ansatz, h) = problem();
    for kind in ["lbfgs", "bfgs"] {
        let mut objective =
            Objective::Measured(Box::new(MeasuredEnergy::new(&ansatz, &h, settings(1_000, 3)).expect("plan")));
        let err = optimize(&mut objective, &START, &optimizer(kind, 10, 0.0)).expect_err("refused");
        assert_eq!(err, OptimizeError::NeedsExactEnergies(kind.into()));
    }
    let err = optimize(&mut exact_objective(), &START, &optimizer("newton", 10, 0.0)).expect_err("unknown");
    assert_eq!(err, OptimizeError::UnknownOptimizer("newton".into()));
}

#[test]
fn nothing_to_optimize_is_measured_once() {
    // The `hf` ansatz: the reference state, no parameters.
    let (mut ansatz, h) = problem();
    ansatz.circuit = crate::sim::RotationCircuit::new(2, 0);
    ansatz.logical = crate::circuit::LogicalCircuit::new(2, 0);
    ansatz.logical.push(crate::circuit::Gate::X(0));
    ansatz.initial_parameters.clear();
    ansatz.parameters.clear();
    let mut objective =
        Objective::Measured(Box::new(MeasuredEnergy::new(&ansatz, &h, settings(1_000, 3)).expect("plan")));
    let r = optimize(&mut objective, &[], &optimizer("lbfgs", 10, 0.0)).expect("no optimiser runs");
    assert_eq!((r.iterations, r.evaluations, r.shots), (0, 1, 1_000));
    assert!(r.params.is_empty());
}

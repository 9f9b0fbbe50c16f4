//! Every optimiser a `generate` block can name, over exact or measured energies.
//!
//! - `lbfgs`, `bfgs`: quasi-Newton on exact adjoint gradients ([`super::vqe`]). Their line
//!   searches assume a deterministic energy, so they take exact energies only (the checker
//!   refuses them on measured runs, QDF6012).
//! - `adam`, `gradient_descent`: first-order steps of size `learning_rate` on the gradient —
//!   exact (adjoint) or by parameter shift on measured energies. With exact gradients they stop
//!   when the gradient norm falls below `tolerance`.
//! - `spsa` (Spall 1998): two energies per iteration along a random ±1 direction; gains
//!   `a_k = a/(k + 1 + A)^0.602` with `a = learning_rate` and `A = max_iter/10`, perturbations
//!   `c_k = 0.1/(k + 1)^0.101` radians.
//! - `nelder_mead` (argmin's, initial simplex of 0.1 rad steps) and `cobyla` (the `cobyla`
//!   crate, a translation of NLopt's, trust region starting at 0.5 rad): derivative-free, one
//!   energy per step.
//!
//! On measured energies every optimiser stops when the shot cap would be passed, and the result
//! is then measured once more, with fresh shots, at the final parameters: the minimum of noisy
//! estimates is biased low, a fresh estimate is not.

use std::cell::RefCell;

use argmin::core::{CostFunction, Error, Executor, State};
use argmin::solver::neldermead::NelderMead;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::compiled::CompiledEnergy;
use super::measured::{MeasureError, MeasuredEnergy};
use super::vqe::{minimize_with, EnergyFunction, QuasiNewton, VqeOptions};

/// What is minimised.
#[derive(Debug)]
pub enum Objective {
    Exact(CompiledEnergy),
    Measured(Box<MeasuredEnergy>),
}

/// The optimiser's settings, as the `optimizer` field gives them.
#[derive(Clone, Debug, PartialEq)]
pub struct OptimizerSettings {
    /// One of `lbfgs`, `bfgs`, `adam`, `gradient_descent`, `spsa`, `nelder_mead`, `cobyla`.
    pub kind: String,
    pub max_iter: u64,
    pub tolerance: f64,
    pub learning_rate: f64,
    /// Seeds SPSA's perturbation directions.
    pub seed: u64,
}

/// The outcome of an optimisation.
#[derive(Clone, Debug, PartialEq)]
pub struct Optimized {
    pub params: Vec<f64>,
    /// Exact runs: the energy at `params`. Measured runs: a fresh estimate at `params`.
    pub energy: f64,
    /// The standard error of a measured `energy`.
    pub standard_error: Option<f64>,
    pub iterations: u64,
    /// Energy evaluations, the final one included: exact runs count an energy with its gradient
    /// as one, measured runs every measured energy (a parameter-shift gradient is `2R`).
    pub evaluations: u64,
    /// Shots taken, the final estimate included (0 for exact runs).
    pub shots: u64,
    /// Why the optimiser stopped early, when it did not stop on its own criterion.
    pub stopped: Option<String>,
}

/// Why an optimisation could not run.
#[derive(Clone, Debug, PartialEq)]
pub enum OptimizeError {
    /// A name outside the list above.
    UnknownOptimizer(String),
    /// `lbfgs` or `bfgs` on measured energies.
    NeedsExactEnergies(String),
    /// The final measurement failed (other than the budget, which reserves it).
    Measurement(MeasureError),
}

impl std::fmt::Display for OptimizeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OptimizeError::UnknownOptimizer(kind) => write!(f, "unknown optimizer `{kind}`"),
            OptimizeError::NeedsExactEnergies(kind) => write!(
                f,
                "`{kind}` needs exact energies: its line search fails on shot noise (use spsa, adam, \
                 gradient_descent, nelder_mead or cobyla)"
            ),
            OptimizeError::Measurement(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for OptimizeError {}

/// Minimises `objective` from `initial` with `settings`; an empty `initial` is evaluated once
/// whatever the optimiser. Failure contract: see
/// [`OptimizeError`]; a run that stops early (iterations, budget, a stalled search) is a result.
/// Panics if `initial` does not fit the objective (a programming error).
pub fn optimize(
    objective: &mut Objective,
    initial: &[f64],
    settings: &OptimizerSettings,
) -> Result<Optimized, OptimizeError> {
    let mut run = Run { objective, evaluations: 0, stopped: None };
    let (params, iterations) = match settings.kind.as_str() {
        // With nothing to optimise (the `hf` ansatz) every optimiser measures the start once.
        _ if initial.is_empty() => (Vec::new(), 0),
        "lbfgs" | "bfgs" => return quasi_newton(run.objective, initial, settings),
        "adam" => first_order(&mut run, initial, settings, Step::Adam),
        "gradient_descent" => first_order(&mut run, initial, settings, Step::Descent),
        "spsa" => spsa(&mut run, initial, settings),
        "nelder_mead" => nelder_mead(&mut run, initial, settings),
        "cobyla" => cobyla(&mut run, initial, settings),
        other => return Err(OptimizeError::UnknownOptimizer(other.to_string())),
    };
    let Run { objective, evaluations, stopped } = run;
    let (energy, standard_error, shots, evaluations) = match objective {
        Objective::Exact(e) => (e.energy(&params), None, 0, evaluations + 1),
        Objective::Measured(m) => {
            let estimate = m.final_estimate(&params).map_err(OptimizeError::Measurement)?;
            (estimate.value, Some(estimate.standard_error), m.shots_used(), m.evaluations())
        }
    };
    Ok(Optimized { params, energy, standard_error, iterations, evaluations, shots, stopped })
}

/// L-BFGS or BFGS on exact energies.
fn quasi_newton(
    objective: &mut Objective,
    initial: &[f64],
    settings: &OptimizerSettings,
) -> Result<Optimized, OptimizeError> {
    let Objective::Exact(energy) = objective else {
        return Err(OptimizeError::NeedsExactEnergies(settings.kind.clone()));
    };
    let method = if settings.kind == "bfgs" { QuasiNewton::Bfgs } else { QuasiNewton::Lbfgs };
    let options = VqeOptions {
        max_iter: settings.max_iter,
        gradient_tolerance: settings.tolerance.max(1e-12),
        ..VqeOptions::default()
    };
    let r = minimize_with(method, energy, initial, &options);
    Ok(Optimized {
        params: r.params,
        energy: r.energy,
        standard_error: None,
        iterations: r.iterations,
        evaluations: r.evaluations,
        shots: 0,
        stopped: None,
    })
}

/// An optimisation in progress: the objective, its evaluation count, and why it stopped early.
struct Run<'o> {
    objective: &'o mut Objective,
    evaluations: u64,
    stopped: Option<String>,
}

impl Run<'_> {
    /// `E(θ)`, or `None` (with the reason kept) when the budget is spent.
    fn energy(&mut self, params: &[f64]) -> Option<f64> {
        let value = match self.objective {
            Objective::Exact(e) => Ok(e.energy(params)),
            Objective::Measured(m) => m.estimate(params).map(|e| e.value),
        };
        self.settle(value)
    }

    /// `∂E/∂θ` (adjoint or parameter shift), or `None` when the budget is spent.
    fn gradient(&mut self, params: &[f64]) -> Option<Vec<f64>> {
        let value = match self.objective {
            Objective::Exact(e) => {
                let mut g = vec![0.0; params.len()];
                e.energy_and_gradient(params, &mut g);
                Ok(g)
            }
            Objective::Measured(m) => m.gradient(params),
        };
        self.settle(value)
    }

    fn is_exact(&self) -> bool {
        matches!(&*self.objective, Objective::Exact(_))
    }

    /// Whether `n` more energies fit in the budget.
    fn can_afford(&self, n: u64) -> bool {
        match &*self.objective {
            Objective::Exact(_) => true,
            Objective::Measured(m) => m.can_afford(n),
        }
    }

    fn settle<T>(&mut self, value: Result<T, MeasureError>) -> Option<T> {
        match value {
            Ok(v) => {
                self.evaluations += 1;
                Some(v)
            }
            Err(e) => {
                self.stopped.get_or_insert_with(|| e.to_string());
                None
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Step {
    Adam,
    Descent,
}

/// Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8) or plain gradient descent; returns the last iterate.
fn first_order(run: &mut Run<'_>, initial: &[f64], settings: &OptimizerSettings, step: Step) -> (Vec<f64>, u64) {
    let (beta1, beta2, epsilon) = (0.9, 0.999, 1e-8);
    let mut theta = initial.to_vec();
    let mut m = vec![0.0; theta.len()];
    let mut v = vec![0.0; theta.len()];
    let mut iterations = 0;
    while iterations < settings.max_iter {
        let Some(g) = run.gradient(&theta) else { break };
        let norm = g.iter().map(|x| x * x).sum::<f64>().sqrt();
        if run.is_exact() && norm < settings.tolerance {
            break;
        }
        iterations += 1;
        let t = iterations as i32;
        for i in 0..theta.len() {
            theta[i] -= match step {
                Step::Descent => settings.learning_rate * g[i],
                Step::Adam => {
                    m[i] = beta1 * m[i] + (1.0 - beta1) * g[i];
                    v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i];
                    let m_hat = m[i] / (1.0 - beta1.powi(t));
                    let v_hat = v[i] / (1.0 - beta2.powi(t));
                    settings.learning_rate * m_hat / (v_hat.sqrt() + epsilon)
                }
            };
        }
    }
    (theta, iterations)
}

/// SPSA's perturbation size at the first iteration (radians).
const SPSA_PERTURBATION: f64 = 0.1;

/// Simultaneous-perturbation stochastic approximation; returns the last iterate.
fn spsa(run: &mut Run<'_>, initial: &[f64], settings: &OptimizerSettings) -> (Vec<f64>, u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(settings.seed);
    let stability = 0.1 * settings.max_iter as f64;
    let mut theta = initial.to_vec();
    let mut iterations = 0;
    while iterations < settings.max_iter && run.can_afford(2) {
        let k = iterations as f64;
        let a_k = settings.learning_rate / (k + 1.0 + stability).powf(0.602);
        let c_k = SPSA_PERTURBATION / (k + 1.0).powf(0.101);
        let delta: Vec<f64> = (0..theta.len()).map(|_| if rng.next_u32() & 1 == 1 { 1.0 } else { -1.0 }).collect();
        let plus: Vec<f64> = theta.iter().zip(&delta).map(|(t, d)| t + c_k * d).collect();
        let minus: Vec<f64> = theta.iter().zip(&delta).map(|(t, d)| t - c_k * d).collect();
        let (Some(e_plus), Some(e_minus)) = (run.energy(&plus), run.energy(&minus)) else { break };
        let slope = (e_plus - e_minus) / (2.0 * c_k);
        for (t, d) in theta.iter_mut().zip(&delta) {
            *t -= a_k * slope / d;
        }
        iterations += 1;
    }
    if iterations < settings.max_iter && run.stopped.is_none() && !run.is_exact() {
        run.stopped = Some("shot budget exhausted".into());
    }
    (theta, iterations)
}

/// The evaluations a derivative-free method keeps, so the best point survives an early stop.
struct Probe<'r, 'o> {
    run: RefCell<&'r mut Run<'o>>,
    best: RefCell<Option<(f64, Vec<f64>)>>,
}

impl Probe<'_, '_> {
    fn evaluate(&self, params: &[f64]) -> Option<f64> {
        let value = self.run.borrow_mut().energy(params)?;
        let mut best = self.best.borrow_mut();
        if best.as_ref().is_none_or(|(e, _)| value < *e) {
            *best = Some((value, params.to_vec()));
        }
        Some(value)
    }
}

/// Nelder–Mead from a simplex of `initial` and 0.1 rad steps along each axis; returns the best
/// point evaluated.
fn nelder_mead(run: &mut Run<'_>, initial: &[f64], settings: &OptimizerSettings) -> (Vec<f64>, u64) {
    let mut simplex = vec![initial.to_vec()];
    for i in 0..initial.len() {
        let mut vertex = initial.to_vec();
        vertex[i] += 0.1;
        simplex.push(vertex);
    }
    let probe = Probe { run: RefCell::new(run), best: RefCell::new(None) };
    let solver = NelderMead::new(simplex).with_sd_tolerance(settings.tolerance.max(0.0));
    let iterations = match solver {
        Ok(solver) => Executor::new(&probe, solver)
            .configure(|state| state.max_iters(settings.max_iter))
            .timer(false)
            .run()
            .map(|r| r.state().get_iter())
            .unwrap_or(0),
        Err(_) => 0,
    };
    let best = probe.best.into_inner().map_or_else(|| initial.to_vec(), |(_, p)| p);
    (best, iterations)
}

impl CostFunction for &Probe<'_, '_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, params: &Vec<f64>) -> Result<f64, Error> {
        self.evaluate(params).ok_or_else(|| Error::msg("the shot budget is spent"))
    }
}

/// COBYLA without constraints inside ±4π of zero, at most `max_iter + P + 1` energies (fewer
/// when the shot budget allows fewer); returns the best point evaluated.
fn cobyla(run: &mut Run<'_>, initial: &[f64], settings: &OptimizerSettings) -> (Vec<f64>, u64) {
    let bound = 4.0 * std::f64::consts::PI;
    let mut budget = settings.max_iter + initial.len() as u64 + 1;
    while budget > 0 && !run.can_afford(budget) {
        budget /= 2;
    }
    if budget == 0 {
        run.stopped = Some("shot budget exhausted".into());
        return (initial.to_vec(), 0);
    }
    let probe = Probe { run: RefCell::new(run), best: RefCell::new(None) };
    let x = initial.iter().map(|t| t.clamp(-bound, bound)).collect::<Vec<f64>>();
    let bounds = vec![(-bound, bound); x.len()];
    let objective = |params: &[f64], _: &mut ()| probe.evaluate(params).unwrap_or(f64::INFINITY);
    let stop = cobyla::StopTols { ftol_abs: settings.tolerance.max(0.0), ..cobyla::StopTols::default() };
    let no_constraints: Vec<&dyn cobyla::Func<()>> = Vec::new();
    // Failures (a round-off limited stop) still leave the best point in the probe.
    let _ = cobyla::minimize(
        objective,
        &x,
        &bounds,
        &no_constraints,
        (),
        budget as usize,
        cobyla::RhoBeg::All(0.5),
        Some(stop),
    );
    let evaluations = probe.run.borrow().evaluations;
    let best = probe.best.into_inner().map_or_else(|| initial.to_vec(), |(_, p)| p);
    (best, evaluations)
}

#[cfg(test)]
mod tests;

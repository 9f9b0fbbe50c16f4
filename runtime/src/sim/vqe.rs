//! The variational quantum eigensolver on the noiseless simulator: L-BFGS or BFGS (argmin's, with
//! a Moré–Thuente line search) on exact adjoint gradients.
//!
//! Failure contract: not converging is a result (`converged: false`), never a panic or an
//! error; so is a line search that cannot make progress (a gradient tolerance below what double
//! precision resolves, about `sqrt(ε|E|)`, ends as a stall rather than running to `max_iter`).
//! The returned point is the lowest energy evaluated, with its own gradient norm, and
//! `converged` means that norm is within tolerance.
//! Mismatched lengths (initial parameters vs. the circuit) are programming errors and panic.

use std::cell::RefCell;

use argmin::core::{CostFunction, Error, Executor, Gradient, State};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use serde::{Deserialize, Serialize};

use argmin::solver::quasinewton::BFGS;

use super::circuit::Energy;

/// An energy with its exact gradient: what the quasi-Newton methods minimise.
pub trait EnergyFunction {
    fn n_parameters(&self) -> usize;
    /// `E(θ)`, writing `∂E/∂θ` into `gradient`. Failure contract: panics if `params` or
    /// `gradient` does not have [`Self::n_parameters`] entries (programming errors).
    fn energy_and_gradient(&self, params: &[f64], gradient: &mut [f64]) -> f64;
}

impl EnergyFunction for Energy<'_> {
    fn n_parameters(&self) -> usize {
        Energy::n_parameters(self)
    }

    fn energy_and_gradient(&self, params: &[f64], gradient: &mut [f64]) -> f64 {
        Energy::energy_and_gradient(self, params, gradient)
    }
}

/// Which quasi-Newton method [`minimize_with`] runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuasiNewton {
    /// Limited memory ([`VqeOptions::memory`] pairs).
    Lbfgs,
    /// The full inverse-Hessian update (`P²` memory; for small circuits).
    Bfgs,
}

/// Settings for [`minimize`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VqeOptions {
    /// L-BFGS iterations (each one line search) before giving up.
    pub max_iter: u64,
    /// Converged when the Euclidean norm of `∂E/∂θ` is below this (Hartree per radian).
    pub gradient_tolerance: f64,
    /// L-BFGS history length.
    pub memory: usize,
}

impl Default for VqeOptions {
    fn default() -> Self {
        VqeOptions { max_iter: 200, gradient_tolerance: 1e-6, memory: 10 }
    }
}

/// The outcome of one VQE run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VqeResult {
    /// The lowest energy found (Hartree).
    pub energy: f64,
    /// The parameters at which it was found.
    pub params: Vec<f64>,
    /// L-BFGS iterations taken.
    pub iterations: u64,
    /// Whether `gradient_norm` is below the tolerance.
    pub converged: bool,
    /// `‖∂E/∂θ‖₂` at `params`.
    pub gradient_norm: f64,
    /// Energy-and-gradient evaluations (each one forward and one backward pass).
    pub evaluations: u64,
}

/// Minimises `energy` from `initial` (zeros: the reference state, e.g. Hartree–Fock; or a warm
/// start such as the optimum at a neighbouring geometry) with L-BFGS.
pub fn minimize(energy: &dyn EnergyFunction, initial: &[f64], options: &VqeOptions) -> VqeResult {
    minimize_with(QuasiNewton::Lbfgs, energy, initial, options)
}

/// As [`minimize`], with the quasi-Newton `method` chosen.
pub fn minimize_with(
    method: QuasiNewton,
    energy: &dyn EnergyFunction,
    initial: &[f64],
    options: &VqeOptions,
) -> VqeResult {
    assert_eq!(initial.len(), energy.n_parameters(), "initial parameters of the wrong length");
    // The start is evaluated here, so that a run argmin refuses or cuts short still has a point.
    let start = Point::evaluate(energy, initial);
    let (start_energy, start_converged) = (start.energy, start.gradient_norm < options.gradient_tolerance);
    let log = RefCell::new(Log { last: start.clone(), best: start, evaluations: 1 });
    let mut iterations = 0;
    if !start_converged && !initial.is_empty() {
        let problem = Problem { energy, log: &log };
        iterations = match method {
            QuasiNewton::Lbfgs => run_lbfgs(problem, initial, start_energy.abs(), options),
            QuasiNewton::Bfgs => run_bfgs(problem, initial, start_energy.abs(), options),
        };
    }
    let Log { best, evaluations, .. } = log.into_inner();
    VqeResult {
        energy: best.energy,
        converged: best.gradient_norm < options.gradient_tolerance,
        gradient_norm: best.gradient_norm,
        params: best.params,
        iterations,
        evaluations,
    }
}

/// Runs argmin's L-BFGS and returns its iteration count; the points it visits are in the log.
/// `energy_scale` is `|E|` at the start, which sets the stall tolerance.
fn run_lbfgs(problem: Problem<'_, '_>, initial: &[f64], energy_scale: f64, options: &VqeOptions) -> u64 {
    // Convergence is judged on the gradient. The cost tolerance only detects a stall: once the
    // gradient is so small that a step changes the energy by a few ulps (`|g|² ≲ ε|E|`), the
    // line search cannot make progress and would otherwise retry until `max_iter`.
    let stall = STALL_ULPS * f64::EPSILON * energy_scale.max(1.0);
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), options.memory.max(1))
        .with_tolerance_grad(options.gradient_tolerance.max(0.0))
        .and_then(|s| s.with_tolerance_cost(stall));
    let Ok(solver) = solver else { return 0 };
    let run = Executor::new(problem, solver)
        .configure(|state| state.param(initial.to_vec()).max_iters(options.max_iter))
        .timer(false)
        .run();
    run.map(|r| r.state().get_iter()).unwrap_or(0)
}

/// Runs argmin's BFGS from the identity as inverse Hessian; as [`run_lbfgs`] otherwise.
fn run_bfgs(problem: Problem<'_, '_>, initial: &[f64], energy_scale: f64, options: &VqeOptions) -> u64 {
    let stall = STALL_ULPS * f64::EPSILON * energy_scale.max(1.0);
    let n = initial.len();
    let identity: Vec<Vec<f64>> = (0..n).map(|i| (0..n).map(|j| f64::from(u8::from(i == j))).collect()).collect();
    let solver = BFGS::new(MoreThuenteLineSearch::new())
        .with_tolerance_grad(options.gradient_tolerance.max(0.0))
        .and_then(|s| s.with_tolerance_cost(stall));
    let Ok(solver) = solver else { return 0 };
    let run = Executor::new(problem, solver)
        .configure(|state| state.param(initial.to_vec()).inv_hessian(identity).max_iters(options.max_iter))
        .timer(false)
        .run();
    run.map(|r| r.state().get_iter()).unwrap_or(0)
}

/// An L-BFGS iteration that lowers the energy by fewer than this many ulps of `|E|` ends the run.
const STALL_ULPS: f64 = 16.0;

/// One evaluated point.
#[derive(Clone)]
struct Point {
    params: Vec<f64>,
    energy: f64,
    gradient: Vec<f64>,
    gradient_norm: f64,
}

impl Point {
    fn evaluate(energy: &dyn EnergyFunction, params: &[f64]) -> Self {
        let mut gradient = vec![0.0; params.len()];
        let value = energy.energy_and_gradient(params, &mut gradient);
        let gradient_norm = gradient.iter().map(|g| g * g).sum::<f64>().sqrt();
        Point { params: params.to_vec(), energy: value, gradient, gradient_norm }
    }
}

struct Log {
    /// The last point: argmin asks for the cost and then the gradient at the same parameters.
    last: Point,
    /// The lowest energy so far.
    best: Point,
    evaluations: u64,
}

struct Problem<'e, 'l> {
    energy: &'e dyn EnergyFunction,
    log: &'l RefCell<Log>,
}

impl Problem<'_, '_> {
    /// Evaluates energy and gradient at `params` unless they are the last point, returning both.
    fn evaluate(&self, params: &[f64]) -> (f64, Vec<f64>) {
        let mut log = self.log.borrow_mut();
        if log.last.params != params {
            let point = Point::evaluate(self.energy, params);
            log.evaluations += 1;
            // A NaN energy never stays the best point.
            if point.energy < log.best.energy || log.best.energy.is_nan() {
                log.best = point.clone();
            }
            log.last = point;
        }
        (log.last.energy, log.last.gradient.clone())
    }
}

impl CostFunction for Problem<'_, '_> {
    type Param = Vec<f64>;
    type Output = f64;

    fn cost(&self, params: &Vec<f64>) -> Result<f64, Error> {
        Ok(self.evaluate(params).0)
    }
}

impl Gradient for Problem<'_, '_> {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;

    fn gradient(&self, params: &Vec<f64>) -> Result<Vec<f64>, Error> {
        Ok(self.evaluate(params).1)
    }
}

//! ADAPT-VQE as an experiment runs it: every energy and pool gradient measured with shots
//! (optionally on the simulated device), every re-optimisation by a measured optimiser.
//!
//! Each step appends every pool operator in turn to the current circuit (its Pauli rotations
//! sharing one new parameter at `θ_new = 0`) and measures `∂E/∂θ_new` alone by the
//! parameter-shift rule: one pair of shifted evaluations per rotation of the new operator
//! ([`MeasuredEnergy::partial_derivative`]). The operator with the largest `|∂E/∂θ_new|` is
//! added unless every one is below `gradient_threshold` (converged) or `max_operators` are in
//! (not converged), as in [`super::adapt()`]; then all parameters are re-optimised with the
//! spec's optimiser ([`optimize`]) from the previous optimum and the new parameter at zero,
//! which ends with a fresh measurement of the energy there.
//!
//! One shot cap covers the whole run. Each step's circuits differ, so each measurement is a new
//! [`MeasuredEnergy`] given the shots still left as its cap (which keeps one evaluation's shots
//! in reserve for a final estimate) and its own seed, derived from the run's seed, the step and
//! the slot (0 for the re-optimisation, `1 + k` for pool operator `k`), so the draws are
//! reproducible. When the shots run out the run stops and says why: during a pool scan it keeps
//! the circuit grown so far with its last fresh estimate (the reference's energy is measured
//! with the reserve when no operator was added yet); during a re-optimisation the optimiser
//! itself stops and measures its final point with the reserve.

use qdf_compiler::hir::AnsatzOptions;

use super::adapt::pool;
use super::error::AnsatzError;
use super::generator::{map_generators, MappedGenerator};
use super::{assemble, Ansatz, Orbitals};
use crate::qubit::{PauliSum, QubitSpace};
use crate::sim::compiled::CompiledEnergy;
use crate::sim::measured::{MeasureError, MeasuredEnergy, MeasuredSettings};
use crate::sim::optimize::{optimize, Objective, OptimizeError, OptimizerSettings};
use crate::sim::vqe::EnergyFunction;

/// How a measured ADAPT-VQE run measures and optimises.
#[derive(Clone, Debug)]
pub struct MeasuredAdaptSettings {
    /// Shots per evaluation, grouping, allocation, device noise or remote machine as for a fixed
    /// circuit; `seed` is the run's, from which every measurement's seed derives, and `shot_cap`
    /// the budget of the whole run.
    pub measurement: MeasuredSettings,
    /// The re-optimiser (one that works on measured energies); its `seed` is the run's, from
    /// which each step's derives.
    pub optimizer: OptimizerSettings,
}

/// The outcome of a measured ADAPT-VQE run.
#[derive(Debug)]
pub struct MeasuredAdaptResult {
    /// The grown ansatz (one parameter per chosen operator, labels in [`Ansatz::parameters`]),
    /// its initial parameters the final ones.
    pub ansatz: Ansatz,
    pub params: Vec<f64>,
    /// The final measured energy: a fresh estimate at `params` (Hartree).
    pub energy: f64,
    /// Its standard error (zero for exact outcome distributions of a density matrix).
    pub standard_error: f64,
    /// The exact energy of the final circuit at `params`.
    pub noiseless_energy: f64,
    /// `‖∂E/∂θ‖₂` at `params`, exact (zero with no operator).
    pub gradient_norm: f64,
    /// The fresh estimate after each re-optimisation, one per added operator.
    pub energies: Vec<f64>,
    /// The largest measured `|∂E/∂θ_new|` of each completed pool scan (Hartree per radian).
    pub max_gradients: Vec<f64>,
    /// Whether the largest measured pool gradient fell below the threshold.
    pub converged: bool,
    /// Optimiser iterations over all re-optimisations.
    pub iterations: u64,
    /// Measured evaluations of the whole run: pool gradients, re-optimisations, final estimates.
    pub evaluations: u64,
    /// Shots of the whole run.
    pub shots: u64,
    /// Why the run stopped before its own criteria (the shot budget), if it did.
    pub stopped: Option<String>,
    /// IonQ job ids of the whole run, in submission order (empty on the simulator).
    pub jobs: Vec<String>,
    /// The measurement that gave `energy`: its latest counts are the final estimate's.
    pub measurement: Box<MeasuredEnergy>,
}

/// Why a measured ADAPT-VQE run could not finish.
#[derive(Clone, Debug, PartialEq)]
pub enum MeasuredAdaptError {
    /// The pool or the circuits could not be built (see [`super::adapt()`]).
    Ansatz(AnsatzError),
    /// A measurement could not be planned or taken (other than the budget, which stops the run).
    Measure(MeasureError),
    /// The re-optimiser refused the objective or its final measurement failed.
    Optimize(OptimizeError),
}

impl std::fmt::Display for MeasuredAdaptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MeasuredAdaptError::Ansatz(e) => write!(f, "{e}"),
            MeasuredAdaptError::Measure(e) => write!(f, "measurement: {e}"),
            MeasuredAdaptError::Optimize(e) => write!(f, "optimizer: {e}"),
        }
    }
}

impl std::error::Error for MeasuredAdaptError {}

impl From<AnsatzError> for MeasuredAdaptError {
    fn from(e: AnsatzError) -> Self {
        MeasuredAdaptError::Ansatz(e)
    }
}

/// Runs ADAPT-VQE for `hamiltonian` on `space` with the options `pool`, `gradient_threshold` and
/// `max_operators`, measuring as `settings` say. Failure contract: the pool's errors as
/// [`super::adapt()`]'s ([`MeasuredAdaptError::Ansatz`]); a measurement that cannot be planned
/// or fails (too few shots for the groups, device noise beyond its simulation, an IonQ job)
/// [`MeasuredAdaptError::Measure`]; an optimiser that needs exact energies, or a failed final
/// measurement, [`MeasuredAdaptError::Optimize`]. Running out of shots or operators is a
/// result (`stopped`, `converged`), not an error. A Hamiltonian on more qubits than the space is
/// a programming error and panics.
pub fn adapt_measured(
    hamiltonian: &PauliSum,
    space: &QubitSpace,
    options: &AnsatzOptions,
    settings: &MeasuredAdaptSettings,
) -> Result<MeasuredAdaptResult, MeasuredAdaptError> {
    let orbitals = Orbitals::of(space)?;
    let (mapped, dropped) = map_generators(space, &pool(&options.pool, space, orbitals)?)?;
    let pool: Vec<MappedGenerator> = mapped.into_iter().flatten().collect();
    let mut shots = Shots::new(hamiltonian, &settings.measurement);

    let mut chosen: Vec<&MappedGenerator> = Vec::new();
    let mut params: Vec<f64> = Vec::new();
    let mut ansatz = assemble(space, &chosen, dropped.clone());
    // The latest fresh estimate and the measurement that took it.
    let mut last: Option<(f64, f64, Box<MeasuredEnergy>)> = None;
    let (mut energies, mut max_gradients) = (Vec::new(), Vec::new());
    let (mut iterations, mut stopped) = (0, None);
    let converged = 'grow: loop {
        let step = chosen.len() as u64;
        let mut trial_params = params.clone();
        trial_params.push(0.0);
        let mut best: Option<(usize, f64)> = None;
        for (k, operator) in pool.iter().enumerate() {
            let mut trial = chosen.clone();
            trial.push(operator);
            let mut measured = shots.measurement(&assemble(space, &trial, Vec::new()), step, 1 + k as u64)?;
            let derivative = measured.partial_derivative(&trial_params, step as usize);
            shots.absorb(&measured);
            let magnitude = match derivative {
                Ok(d) => d.abs(),
                Err(MeasureError::BudgetExhausted { .. }) => {
                    stopped = Some(format!(
                        "shot budget exhausted measuring the pool gradients of step {}: {}",
                        step + 1,
                        shots.spent()
                    ));
                    break 'grow false;
                }
                Err(e) => return Err(MeasuredAdaptError::Measure(e)),
            };
            if best.is_none_or(|(_, top)| magnitude > top) {
                best = Some((k, magnitude));
            }
        }
        max_gradients.push(best.map_or(0.0, |(_, g)| g));
        let Some((operator, _)) = best.filter(|&(_, g)| g >= options.gradient_threshold) else {
            break true;
        };
        if chosen.len() >= options.max_operators as usize {
            break false;
        }
        let mut grown = chosen.clone();
        grown.push(&pool[operator]);
        let grown_ansatz = assemble(space, &grown, dropped.clone());
        let measured = shots.measurement(&grown_ansatz, step, 0)?;
        // Every optimiser needs a couple of energies beyond the final estimate's reserve.
        if !measured.can_afford(2) {
            stopped = Some(format!("shot budget exhausted before re-optimising step {}: {}", step + 1, shots.spent()));
            break false;
        }
        (chosen, ansatz) = (grown, grown_ansatz);
        let optimizer =
            OptimizerSettings { seed: derive_seed(settings.optimizer.seed, step, 0), ..settings.optimizer.clone() };
        let mut objective = Objective::Measured(measured);
        let r = optimize(&mut objective, &trial_params, &optimizer).map_err(MeasuredAdaptError::Optimize)?;
        let Objective::Measured(measured) = objective else { unreachable!("the objective is measured") };
        shots.absorb(&measured);
        iterations += r.iterations;
        params = r.params;
        energies.push(r.energy);
        last = Some((r.energy, r.standard_error.unwrap_or(0.0), measured));
        if let Some(reason) = r.stopped {
            stopped = Some(format!("re-optimising step {}: {reason}; the run took {}", step + 1, shots.spent()));
            break false;
        }
    };
    let (energy, standard_error, measurement) = match last {
        Some(last) => last,
        // No operator was added: the reference's energy, measured with the reserve.
        None => {
            let mut measured = shots.measurement(&ansatz, 0, 0)?;
            let estimate = measured.final_estimate(&[]).map_err(MeasuredAdaptError::Measure)?;
            shots.absorb(&measured);
            (estimate.value, estimate.standard_error, measured)
        }
    };
    let mut gradient = vec![0.0; params.len()];
    let noiseless_energy = CompiledEnergy::new(&ansatz, hamiltonian).energy_and_gradient(&params, &mut gradient);
    ansatz.initial_parameters.clone_from(&params);
    Ok(MeasuredAdaptResult {
        ansatz,
        params,
        energy,
        standard_error,
        noiseless_energy,
        gradient_norm: gradient.iter().map(|g| g * g).sum::<f64>().sqrt(),
        energies,
        max_gradients,
        converged,
        iterations,
        evaluations: shots.evaluations,
        shots: shots.used,
        stopped,
        jobs: shots.jobs,
        measurement,
    })
}

/// The run's measurements and what they took together: each new one is capped at the shots
/// the run has left.
struct Shots<'a> {
    hamiltonian: &'a PauliSum,
    settings: &'a MeasuredSettings,
    used: u64,
    evaluations: u64,
    jobs: Vec<String>,
}

impl<'a> Shots<'a> {
    fn new(hamiltonian: &'a PauliSum, settings: &'a MeasuredSettings) -> Self {
        Shots { hamiltonian, settings, used: 0, evaluations: 0, jobs: Vec::new() }
    }

    /// A measurement of `ansatz` seeded for `(step, slot)`, capped at the shots left. Failure
    /// contract: [`MeasuredEnergy::new`]'s, as [`MeasuredAdaptError::Measure`].
    fn measurement(&self, ansatz: &Ansatz, step: u64, slot: u64) -> Result<Box<MeasuredEnergy>, MeasuredAdaptError> {
        let settings = MeasuredSettings {
            seed: derive_seed(self.settings.seed, step, slot),
            shot_cap: self.settings.shot_cap.map(|cap| cap.saturating_sub(self.used)),
            ..self.settings.clone()
        };
        MeasuredEnergy::new(ansatz, self.hamiltonian, settings).map(Box::new).map_err(MeasuredAdaptError::Measure)
    }

    /// The shots taken so far and the cap, in words.
    fn spent(&self) -> String {
        match self.settings.shot_cap {
            Some(cap) => format!("{} of {cap} shots", self.used),
            None => format!("{} shots", self.used),
        }
    }

    /// Adds what a finished measurement took to the run's totals.
    fn absorb(&mut self, measured: &MeasuredEnergy) {
        self.used += measured.shots_used();
        self.evaluations += measured.evaluations();
        self.jobs.extend_from_slice(measured.jobs());
    }
}

/// A seed for `(step, slot)` from the run's `seed`: SplitMix64's finaliser over the three, so
/// neighbouring steps and slots draw unrelated streams.
fn derive_seed(seed: u64, step: u64, slot: u64) -> u64 {
    let mut z = seed
        .wrapping_add(step.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(slot.wrapping_mul(0xD1B5_4A32_D192_ED03));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

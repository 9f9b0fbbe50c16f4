//! Energies as an experiment measures them: finitely many shots per evaluation, split over the
//! measurement groups, with or without the device's noise.
//!
//! One evaluation at `θ` measures every group `g` of the plan with `m_g` shots: the state is
//! prepared, the group's diagonalising circuit applied, every qubit read, and the outcomes drawn
//! from their exact distribution with a seeded generator (a multinomial draw: the same seed gives
//! the same counts on every machine). With the device's noise, the ansatz is lowered to the
//! device's gate set and simulated as a density matrix once per evaluation; each group's basis
//! change, lowered once on its own, continues that noisy state, and readout error is applied to
//! the outcome probabilities. Gate errors, dephasing and readout errors thus bias the estimate as
//! they would on the machine; lowering the basis change apart from the ansatz forgoes merging
//! their boundary single-qubit gates, so the simulated circuit can carry a few more noisy
//! single-qubit pulses than the one `qdf build` emits. On IonQ's cloud each group's job is the
//! ansatz and basis change lowered together.
//!
//! Registers beyond [`MAX_DENSITY_QUBITS`] are simulated by seeded Monte-Carlo trajectories
//! instead (each one a state vector with one draw of the gate errors, continued through every
//! group's basis change): an evaluation's shots of a group are spread evenly over its
//! trajectories, and the standard error is taken between trajectories, so it counts both the
//! trajectory sampling and the shots.
//!
//! Without a shot count the exact outcome distributions are used (the device's noise without
//! shot noise; the standard error is zero for the density matrix, between trajectories for
//! trajectories).
//!
//! Error mitigation, when asked for: readout errors are undone in the estimator (each group's
//! diagonal coefficients divided by `(1 − 2e)^w`, [`MeasurementGroup::readout_mitigated`]), and
//! zero-noise extrapolation measures the circuit with its two-qubit gates folded to each noise
//! scale (`G → G·(G†·G)^k`, scale `1 + 2k`), the evaluation's shots split evenly over the scales,
//! and extrapolates to zero noise with Richardson weights (the standard error grows by them).
//!
//! The estimate is `c_0 + Σ_g mean_g` with standard error `sqrt(Σ_g s_g² / m_g)` from the
//! sample variances. Shots are split by the plan's allocation: uniform, by coefficient weight, or
//! variance-optimal (`m_g ∝ s_g`), where — as in an experiment, which cannot know the true
//! variances — `s_g` are the sample deviations of the previous evaluation (the first evaluation
//! uses the coefficient bounds; every group keeps at least a thousandth of its bound so none is
//! starved).
//!
//! Gradients use the parameter-shift rule on every parametrised rotation separately (a parameter
//! shared by several rotations, as in UCC excitations, gets one pair of shifted evaluations per
//! rotation): `∂E/∂φ_k = [E(φ_k + π/2) − E(φ_k − π/2)] / 2` for `exp(−i φ_k/2 · P_k)`, and
//! `∂E/∂θ_j = Σ_{k: p(k)=j} w_k ∂E/∂φ_k`. That is `2R` evaluations, as the planner counts.

use std::f64::consts::FRAC_PI_2;
use std::fmt;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use num_complex::Complex64;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::ansatz::Ansatz;
use super::circuit::{PauliRotation, RotationCircuit};
use super::sampling::{flip_bits, multinomial};
use super::statevector::StateVector;
use crate::circuit::{Angle, Gate, LogicalCircuit};
use crate::ionq::{IonqClient, IonqError};
use crate::measure::{self, Allocation, Grouping, MeasurementGroup, MeasurementPlan};
use crate::native::emit::ionq_json::{self, JobSettings};
use crate::native::{self, NativeCircuit, Target};
use crate::noise::{
    apply_readout_error, evolve_trajectory, fold_two_qubit_gates, richardson_weights, simulate_density, ChannelModel,
    DensityMatrix, MAX_DENSITY_QUBITS, MAX_TRAJECTORY_QUBITS,
};
use crate::qubit::PauliSum;

/// The device a noisy evaluation simulates: its native gate set and its noise channels, how they
/// are simulated, and the error mitigation applied to the estimates.
#[derive(Clone, Debug)]
pub struct DeviceNoise {
    pub target: Target,
    pub channels: ChannelModel,
    /// `None`: the exact density matrix (at most [`MAX_DENSITY_QUBITS`] qubits); `Some(t)`: `t`
    /// seeded Monte-Carlo trajectories per evaluation and noise scale (at least 2).
    pub trajectories: Option<usize>,
    pub mitigation: Mitigation,
}

/// Error mitigation of device-noise estimates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mitigation {
    /// Undo the device's symmetric readout error in the estimator.
    pub readout: bool,
    /// Zero-noise extrapolation to these noise scales (odd, distinct: `1 + 2·folds`); empty for
    /// none. Two or more scales are needed to extrapolate.
    pub zne_scales: Vec<u32>,
}

/// IonQ's cloud as the measuring device: each evaluation submits one job per measurement group
/// (native gateset, the group's shots) and reads its probabilities.
#[derive(Clone, Debug)]
pub struct IonqRemote {
    pub client: Arc<IonqClient>,
    /// `qpu.aria-1`, `qpu.forte-1`, … (the device's `backend`).
    pub backend: String,
    /// The native gate set the jobs are written in (MS for Aria, ZZ for Forte).
    pub target: Target,
    /// Set by Ctrl-C: jobs in flight are cancelled on IonQ's side.
    pub cancel: Arc<AtomicBool>,
    /// The longest wait for one job (queues on QPUs are long).
    pub timeout: Duration,
    /// Names the jobs: `qdf <point label> g<group>`.
    pub label: String,
}

/// How energies are measured.
#[derive(Clone, Debug)]
pub struct MeasuredSettings {
    /// Shots of one energy evaluation, over all groups; `None` measures every group's exact
    /// outcome distribution (the device's noise without shot noise).
    pub shots_per_evaluation: Option<u64>,
    pub grouping: Grouping,
    pub allocation: Allocation,
    /// The device's noise; `None` for shot noise alone.
    pub device: Option<DeviceNoise>,
    /// IonQ's machine instead of the simulator (then `device` is `None` and shots are given).
    pub remote: Option<IonqRemote>,
    /// Seeds the outcome draws.
    pub seed: u64,
    /// The most shots all evaluations together may take (a per-point budget), if any.
    pub shot_cap: Option<u64>,
}

/// The outcomes one measurement group gave in an evaluation, at one noise scale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupCounts {
    /// The noise scale (1 without zero-noise extrapolation).
    pub scale: u32,
    /// Index into [`MeasuredEnergy::groups`].
    pub group: usize,
    pub shots: u64,
    /// `(bit string, count)` with bit `q` = qubit `q`, ascending, nonzero counts only.
    pub outcomes: Vec<(u64, u64)>,
}

/// One measured energy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub standard_error: f64,
}

/// Why an energy could not be measured.
#[derive(Clone, Debug, PartialEq)]
pub enum MeasureError {
    /// The next evaluation would take more shots than the cap leaves.
    BudgetExhausted { used: u64, cap: u64 },
    /// Fewer shots per evaluation than measurement groups: some group would go unmeasured.
    TooFewShots { shots: u64, groups: usize },
    /// Device noise on more qubits than the chosen simulation holds (the density matrix, or
    /// trajectories).
    TooManyQubitsForNoise { qubits: u32, max: u32 },
    /// The Hamiltonian could not be split into groups, or another internal step failed.
    Failed(String),
    /// A job on IonQ's cloud failed or could not be read.
    Remote(String),
    /// Ctrl-C while IonQ jobs were in flight; they were cancelled.
    Interrupted,
}

impl fmt::Display for MeasureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MeasureError::BudgetExhausted { used, cap } => {
                write!(f, "shot budget exhausted: {used} of {cap} shots used")
            }
            MeasureError::TooFewShots { shots, groups } => {
                write!(f, "{shots} shots per evaluation cannot measure {groups} groups (at least one shot each)")
            }
            MeasureError::TooManyQubitsForNoise { qubits, max } => {
                write!(f, "device noise is simulated on at most {max} qubits here; this circuit has {qubits}")
            }
            MeasureError::Failed(reason) => f.write_str(reason),
            MeasureError::Remote(reason) => write!(f, "IonQ: {reason}"),
            MeasureError::Interrupted => f.write_str("interrupted; the IonQ jobs in flight were cancelled"),
        }
    }
}

impl std::error::Error for MeasureError {}

/// A circuit with one parameter `φ_k` per parametrised rotation, and where each comes from:
/// `φ_k = w_k θ_{j_k}`.
#[derive(Clone, Debug)]
struct Expanded<C> {
    circuit: C,
    sources: Vec<(usize, f64)>,
}

impl<C> Expanded<C> {
    fn angles(&self, params: &[f64]) -> Vec<f64> {
        self.sources.iter().map(|&(j, w)| w * params[j]).collect()
    }
}

/// The energy of an ansatz measured with shots, optionally on a noisy device.
#[derive(Debug)]
pub struct MeasuredEnergy {
    n_parameters: usize,
    plan: MeasurementPlan,
    reference: StateVector,
    /// The state path (shot noise alone).
    rotations: Expanded<RotationCircuit>,
    /// The gate path (device noise, IonQ): the ansatz with one parameter per parametrised gate.
    ansatz_gates: Option<Expanded<LogicalCircuit>>,
    /// IonQ: per group, the ansatz followed by the group's basis change (one job).
    logical: Vec<LogicalCircuit>,
    /// Device noise: per noise scale, per group, the basis change alone, lowered (and folded)
    /// once; the noisy state of the ansatz, simulated once per evaluation and scale, continues
    /// through each.
    basis: Vec<Vec<NativeCircuit>>,
    /// The observable each group's outcomes are scored with: the plan's groups, or with readout
    /// mitigation their mitigated versions.
    estimators: Vec<MeasurementGroup>,
    settings: MeasuredSettings,
    weights: Vec<f64>,
    deviations: Vec<f64>,
    rng: ChaCha8Rng,
    shots_used: u64,
    evaluations: u64,
    /// IonQ job ids, in submission order.
    jobs: Vec<String>,
    /// The outcomes of the latest evaluation (empty without shots).
    counts: Vec<GroupCounts>,
}

impl MeasuredEnergy {
    /// Plans the measurement of `h` for `ansatz`. Failure contract: a Hamiltonian the grouping
    /// cannot plan is [`MeasureError::Failed`]; fewer shots than groups (per noise scale)
    /// [`MeasureError::TooFewShots`]; device noise on more qubits than its simulation holds
    /// [`MeasureError::TooManyQubitsForNoise`]; fewer than 2 trajectories, one noise scale, or
    /// readout mitigation of an error of ½ [`MeasureError::Failed`].
    pub fn new(ansatz: &Ansatz, h: &PauliSum, settings: MeasuredSettings) -> Result<Self, MeasureError> {
        let plan =
            measure::plan(h, settings.grouping).map_err(|e| MeasureError::Failed(format!("measurement plan: {e}")))?;
        let groups = plan.groups().len();
        let scales = settings.device.as_ref().map_or(1, |d| noise_scales(&d.mitigation).len()) as u64;
        if let Some(shots) = settings.shots_per_evaluation.filter(|&s| s / scales < groups as u64) {
            return Err(MeasureError::TooFewShots { shots: shots / scales, groups });
        }
        let mut estimators = plan.groups().to_vec();
        if let Some(device) = &settings.device {
            let max = if device.trajectories.is_some() { MAX_TRAJECTORY_QUBITS } else { MAX_DENSITY_QUBITS };
            if ansatz.n_qubits() > max {
                return Err(MeasureError::TooManyQubitsForNoise { qubits: ansatz.n_qubits(), max });
            }
            if device.trajectories.is_some_and(|t| t < 2) {
                return Err(MeasureError::Failed("trajectories: at least 2 per evaluation are needed".into()));
            }
            if device.mitigation.zne_scales.len() == 1 {
                return Err(MeasureError::Failed("zero-noise extrapolation needs at least 2 noise scales".into()));
            }
            if device.mitigation.readout {
                let e = device.channels.readout_error;
                if (1.0 - 2.0 * e).abs() < 1e-9 {
                    return Err(MeasureError::Failed(format!("a readout error of {e} cannot be undone")));
                }
                estimators = estimators.iter().map(|g| g.readout_mitigated(e)).collect();
            }
        }
        let ansatz_gates =
            (settings.device.is_some() || settings.remote.is_some()).then(|| expand_logical(&ansatz.logical));
        let logical = match (&ansatz_gates, &settings.remote) {
            (Some(gates), Some(_)) => plan
                .groups()
                .iter()
                .map(|g| {
                    let mut circuit = gates.circuit.clone();
                    circuit.extend(g.circuit());
                    circuit
                })
                .collect(),
            _ => Vec::new(),
        };
        let basis = match &settings.device {
            Some(device) => {
                let lowered: Vec<NativeCircuit> =
                    plan.groups().iter().map(|g| native::compile(g.circuit(), &[], device.target)).collect();
                noise_scales(&device.mitigation)
                    .iter()
                    .map(|&scale| lowered.iter().map(|c| fold_two_qubit_gates(c, folds_of(scale))).collect())
                    .collect()
            }
            None => Vec::new(),
        };
        if settings.remote.is_some() && settings.shots_per_evaluation.is_none() {
            return Err(MeasureError::Failed("a QPU measures with shots: none were given".into()));
        }
        let weights = plan.coefficient_weights();
        Ok(MeasuredEnergy {
            n_parameters: ansatz.n_parameters(),
            reference: ansatz.reference_state(),
            rotations: expand_rotations(&ansatz.circuit),
            ansatz_gates,
            logical,
            basis,
            estimators,
            deviations: weights.clone(),
            weights,
            rng: ChaCha8Rng::seed_from_u64(settings.seed),
            plan,
            settings,
            shots_used: 0,
            evaluations: 0,
            jobs: Vec::new(),
            counts: Vec::new(),
        })
    }

    pub fn n_parameters(&self) -> usize {
        self.n_parameters
    }

    /// The register measured.
    pub fn n_qubits(&self) -> u32 {
        self.plan.n_qubits()
    }

    /// Shots taken so far.
    pub fn shots_used(&self) -> u64 {
        self.shots_used
    }

    /// The IonQ jobs submitted so far (their ids), when measuring on IonQ's cloud.
    pub fn jobs(&self) -> &[String] {
        &self.jobs
    }

    /// The groups as the outcomes are scored: each group's terms, and the diagonal observable
    /// (readout-corrected when readout mitigation is on) whose mean over the outcomes is its
    /// contribution to the energy.
    pub fn groups(&self) -> &[MeasurementGroup] {
        &self.estimators
    }

    /// The outcome counts of the latest evaluation (for a finished optimisation, the final
    /// measurement), per noise scale and group; empty when measuring without shots.
    pub fn counts(&self) -> &[GroupCounts] {
        &self.counts
    }

    /// Evaluations so far (each shifted energy of a gradient counts as one).
    pub fn evaluations(&self) -> u64 {
        self.evaluations
    }

    /// Whether another `evaluations` evaluations fit in the shot cap, keeping one evaluation's
    /// shots in reserve for [`Self::final_estimate`].
    pub fn can_afford(&self, evaluations: u64) -> bool {
        match (self.settings.shot_cap, self.settings.shots_per_evaluation) {
            (Some(cap), Some(shots)) => {
                let wanted = evaluations.saturating_add(1).saturating_mul(shots);
                self.shots_used.saturating_add(wanted) <= cap
            }
            _ => true,
        }
    }

    /// The measured energy at `params` with the shots reserved for the result (the cap is not
    /// checked). Failure contract: as [`Self::estimate`], without the budget error.
    pub fn final_estimate(&mut self, params: &[f64]) -> Result<Estimate, MeasureError> {
        assert_eq!(params.len(), self.n_parameters, "expected {} parameters", self.n_parameters);
        let rotations = self.rotations.angles(params);
        let logical = self.ansatz_gates.as_ref().map(|e| e.angles(params));
        self.measure_unchecked(&rotations, logical.as_deref())
    }

    /// The measured energy at `params`. Failure contract: [`MeasureError::BudgetExhausted`] when
    /// the cap leaves too few shots (nothing is measured then); panics if `params` has the wrong
    /// length (a programming error).
    pub fn estimate(&mut self, params: &[f64]) -> Result<Estimate, MeasureError> {
        assert_eq!(params.len(), self.n_parameters, "expected {} parameters", self.n_parameters);
        let rotations = self.rotations.angles(params);
        let logical = self.ansatz_gates.as_ref().map(|e| e.angles(params));
        self.measure(&rotations, logical.as_deref())
    }

    /// `∂E/∂θ` by the parameter-shift rule, `2R` measured evaluations. Failure contract: as
    /// [`Self::estimate`]; the budget is checked for all `2R` evaluations before any is taken.
    pub fn gradient(&mut self, params: &[f64]) -> Result<Vec<f64>, MeasureError> {
        self.shifted_derivatives(params, |_| true)
    }

    /// `∂E/∂θ_j` alone by the parameter-shift rule: one pair of shifted evaluations for each
    /// parametrised rotation that parameter `j` drives, `2R_j` evaluations (what ADAPT-VQE
    /// measures for an operator appended at `θ_j = 0`). Failure contract: as [`Self::estimate`];
    /// the budget is checked for all `2R_j` evaluations before any is taken. Panics if `params`
    /// has the wrong length or `j` is not a parameter (programming errors).
    pub fn partial_derivative(&mut self, params: &[f64], j: usize) -> Result<f64, MeasureError> {
        assert!(j < self.n_parameters, "parameter {j} of {}", self.n_parameters);
        Ok(self.shifted_derivatives(params, |source| source == j)?[j])
    }

    /// The parameter-shift derivatives with respect to every parameter `wanted` accepts (zero for
    /// the others): for each rotation `k` those parameters drive, `[E(φ_k + π/2) − E(φ_k − π/2)]/2`
    /// weighted into its parameter. Failure contract: as [`Self::gradient`].
    fn shifted_derivatives(
        &mut self,
        params: &[f64],
        wanted: impl Fn(usize) -> bool,
    ) -> Result<Vec<f64>, MeasureError> {
        assert_eq!(params.len(), self.n_parameters, "expected {} parameters", self.n_parameters);
        let sources = match &self.ansatz_gates {
            Some(e) => e.sources.clone(),
            None => self.rotations.sources.clone(),
        };
        let shifts = sources.iter().filter(|&&(source, _)| wanted(source)).count() as u64;
        if !self.can_afford(2 * shifts) {
            let cap = self.settings.shot_cap.unwrap_or(u64::MAX);
            return Err(MeasureError::BudgetExhausted { used: self.shots_used, cap });
        }
        let mut rotations = self.rotations.angles(params);
        let mut logical = self.ansatz_gates.as_ref().map(|e| e.angles(params));
        let mut derivatives = vec![0.0; self.n_parameters];
        for (k, &(j, w)) in sources.iter().enumerate().filter(|&(_, &(source, _))| wanted(source)) {
            let mut shifted = |delta: f64, this: &mut Self| {
                match logical.as_mut() {
                    Some(phi) => phi[k] += delta,
                    None => rotations[k] += delta,
                }
                let value = this.measure(&rotations, logical.as_deref());
                match logical.as_mut() {
                    Some(phi) => phi[k] -= delta,
                    None => rotations[k] -= delta,
                }
                value.map(|e| e.value)
            };
            let plus = shifted(FRAC_PI_2, self)?;
            let minus = shifted(-FRAC_PI_2, self)?;
            derivatives[j] += w * 0.5 * (plus - minus);
        }
        Ok(derivatives)
    }

    /// The number of parametrised rotations (parameter-shift pairs of a gradient).
    pub fn shift_count(&self) -> usize {
        match &self.ansatz_gates {
            Some(e) => e.sources.len(),
            None => self.rotations.sources.len(),
        }
    }

    /// One evaluation with the expanded angles of the state path, or of the gate path when the
    /// device's noise is simulated.
    fn measure(&mut self, rotation_angles: &[f64], gate_angles: Option<&[f64]>) -> Result<Estimate, MeasureError> {
        if !self.can_afford(1) {
            let cap = self.settings.shot_cap.unwrap_or(u64::MAX);
            return Err(MeasureError::BudgetExhausted { used: self.shots_used, cap });
        }
        self.measure_unchecked(rotation_angles, gate_angles)
    }

    fn measure_unchecked(
        &mut self,
        rotation_angles: &[f64],
        gate_angles: Option<&[f64]>,
    ) -> Result<Estimate, MeasureError> {
        self.counts.clear();
        if let (Some(device), Some(phi)) = (self.settings.device.clone(), gate_angles) {
            return self.measure_device(&device, phi);
        }
        let split = match self.settings.shots_per_evaluation {
            Some(total) => Some(self.split_shots(total)?),
            None => None,
        };
        if let (Some(remote), Some(split), Some(phi)) = (self.settings.remote.clone(), &split, gate_angles) {
            return self.measure_remote(&remote, split, phi);
        }
        let mut psi = self.reference.clone();
        self.rotations.circuit.apply(rotation_angles, &mut psi);
        let mut value = self.plan.constant();
        let mut variance_of_mean = 0.0;
        for g in 0..self.plan.groups().len() {
            let probabilities = measure::estimate::outcome_probabilities(&self.plan.groups()[g], &psi);
            let (mean, variance) = self.tally_group(g, 1, &probabilities, split.as_ref().map(|s| s[g]), true);
            value += mean;
            variance_of_mean += variance;
        }
        self.shots_used += self.settings.shots_per_evaluation.unwrap_or(0);
        self.evaluations += 1;
        Ok(Estimate { value, standard_error: variance_of_mean.sqrt() })
    }

    /// One evaluation on the simulated device at the expanded gate angles `phi`: at each noise
    /// scale (one without zero-noise extrapolation) the folded native ansatz is simulated, by
    /// density matrix or trajectories, and every group measured with that scale's share of the
    /// shots; the scales' estimates are extrapolated to zero noise. Failure contract: the noise
    /// engine's errors as [`MeasureError::Failed`].
    fn measure_device(&mut self, device: &DeviceNoise, phi: &[f64]) -> Result<Estimate, MeasureError> {
        let gates = self.ansatz_gates.as_ref().expect("the device path has the ansatz's gates");
        let native = native::compile(&gates.circuit, phi, device.target);
        let scales = noise_scales(&device.mitigation);
        let per_scale = self.settings.shots_per_evaluation.map(|total| total / scales.len() as u64);
        let mut points = Vec::with_capacity(scales.len());
        for (s, &scale) in scales.iter().enumerate() {
            let split = match per_scale {
                Some(total) => Some(self.split_shots(total)?),
                None => None,
            };
            let circuit = fold_two_qubit_gates(&native, folds_of(scale));
            // The allocation learns from the unfolded circuit's groups.
            let learn = s == 0;
            points.push(match device.trajectories {
                None => self.density_scale(&circuit, s, scale, device, split.as_deref(), learn)?,
                Some(trajectories) => {
                    self.trajectory_scale(&circuit, s, scale, device, trajectories, split.as_deref(), learn)?
                }
            });
        }
        let estimate = if points.len() == 1 {
            Estimate { value: points[0].0, standard_error: points[0].1.sqrt() }
        } else {
            let scales: Vec<f64> = scales.iter().map(|&s| s as f64).collect();
            let weights =
                richardson_weights(&scales).map_err(|e| MeasureError::Failed(format!("extrapolation: {e}")))?;
            Estimate {
                value: weights.iter().zip(&points).map(|(w, p)| w * p.0).sum(),
                standard_error: weights.iter().zip(&points).map(|(w, p)| w * w * p.1).sum::<f64>().sqrt(),
            }
        };
        self.shots_used += per_scale.unwrap_or(0) * scales.len() as u64;
        self.evaluations += 1;
        Ok(estimate)
    }

    /// The energy at one noise scale by density matrix, and its variance: `circuit` (the folded
    /// ansatz) simulated once, continued through scale `s`'s basis changes. Failure contract: the
    /// noise engine's errors as [`MeasureError::Failed`].
    fn density_scale(
        &mut self,
        circuit: &NativeCircuit,
        s: usize,
        scale: u32,
        device: &DeviceNoise,
        split: Option<&[u64]>,
        learn: bool,
    ) -> Result<(f64, f64), MeasureError> {
        let rho =
            simulate_density(circuit, &device.channels).map_err(|e| MeasureError::Failed(format!("noise: {e}")))?;
        let mut value = self.plan.constant();
        let mut variance_of_mean = 0.0;
        for g in 0..self.plan.groups().len() {
            let probabilities = measured_probabilities(&rho, &self.basis[s][g], device)?;
            let (mean, variance) = self.tally_group(g, scale, &probabilities, split.map(|s| s[g]), learn);
            value += mean;
            variance_of_mean += variance;
        }
        Ok((value, variance_of_mean))
    }

    /// The energy at one noise scale by `trajectories` seeded trajectories, and its variance
    /// between trajectories. Trajectory `i` prepares the folded ansatz with one draw of its
    /// errors, continues a copy through every group's basis change (errors drawn too), and reads
    /// its share of each group's shots (or, without shots, the exact noisy mean). With `y_i` the
    /// energy trajectory `i` contributes (`Σ_g T·sum_ig/m_g` with shots), the estimate is their
    /// mean and its variance `var(y)/T`. Failure contract: the noise engine's errors as
    /// [`MeasureError::Failed`].
    #[allow(clippy::too_many_arguments)]
    fn trajectory_scale(
        &mut self,
        circuit: &NativeCircuit,
        s: usize,
        scale: u32,
        device: &DeviceNoise,
        trajectories: usize,
        split: Option<&[u64]>,
        learn: bool,
    ) -> Result<(f64, f64), MeasureError> {
        let seed = self.rng.next_u64();
        let (basis, estimators) = (&self.basis[s], &self.estimators);
        let dimension = 1usize << circuit.n_qubits;
        let rows: Vec<Vec<TrajectoryTally>> = (0..trajectories)
            .into_par_iter()
            .map(|i| {
                let mut rng = ChaCha8Rng::seed_from_u64(seed);
                rng.set_stream(i as u64);
                let mut psi = vec![Complex64::new(0.0, 0.0); dimension];
                psi[0] = Complex64::new(1.0, 0.0);
                evolve_trajectory(&mut psi, circuit, &device.channels, &mut rng);
                (0..estimators.len())
                    .map(|g| {
                        let mut phi = psi.clone();
                        evolve_trajectory(&mut phi, &basis[g], &device.channels, &mut rng);
                        let mut probabilities: Vec<f64> = phi.iter().map(|a| a.norm_sqr()).collect();
                        let group = &estimators[g];
                        let readout_error = device.channels.readout_error;
                        let Some(split) = split else {
                            apply_readout_error(&mut probabilities, readout_error)
                                .map_err(|e| MeasureError::Failed(format!("readout: {e}")))?;
                            let mean = probabilities.iter().enumerate().map(|(b, p)| p * group.eigenvalue(b as u64));
                            return Ok((mean.sum(), 0.0, Vec::new()));
                        };
                        // The trajectory's share of the group's shots, read with the readout
                        // error bit by bit (cheaper than confusing 2^n probabilities).
                        let shots =
                            split[g] / trajectories as u64 + u64::from((i as u64) < split[g] % trajectories as u64);
                        let drawn = multinomial(&probabilities, shots, &mut rng);
                        let counts = flip_bits(&drawn, circuit.n_qubits, readout_error, &mut rng);
                        let (sum, sq) = counts.iter().fold((0.0, 0.0), |(sum, sq), &(b, n)| {
                            let v = group.eigenvalue(b);
                            (sum + n as f64 * v, sq + n as f64 * v * v)
                        });
                        Ok((sum, sq, counts))
                    })
                    .collect::<Result<Vec<_>, MeasureError>>()
            })
            .collect::<Result<_, _>>()?;
        let count = trajectories as f64;
        let contribution = |row: &Vec<TrajectoryTally>| -> f64 {
            match split {
                None => row.iter().map(|r| r.0).sum(),
                Some(split) => row.iter().zip(split).map(|(r, &m)| count * r.0 / m as f64).sum(),
            }
        };
        let y: Vec<f64> = rows.iter().map(contribution).collect();
        let mean = y.iter().sum::<f64>() / count;
        let variance = y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (count - 1.0);
        if let Some(split) = split {
            for (g, &m) in split.iter().enumerate() {
                if learn {
                    let (sum, sq) = rows.iter().fold((0.0, 0.0), |(a, b), row| (a + row[g].0, b + row[g].1));
                    let n = m as f64;
                    let group_variance = if m > 1 { ((sq - sum * sum / n) / (n - 1.0)).max(0.0) } else { 0.0 };
                    self.deviations[g] = group_variance.sqrt().max(1e-3 * self.weights[g]);
                }
                let mut outcomes = std::collections::BTreeMap::new();
                for (b, n) in rows.iter().flat_map(|row| row[g].2.iter()) {
                    *outcomes.entry(*b).or_insert(0) += n;
                }
                self.counts.push(GroupCounts { scale, group: g, shots: m, outcomes: outcomes.into_iter().collect() });
            }
        }
        Ok((self.plan.constant() + mean, variance / count))
    }

    /// Scores group `g`'s outcome distribution: the exact mean without shots, else the sample
    /// mean of `shots` draws; returns the mean and its variance. With `learn`, the sample's
    /// deviation steers the next allocation (floored so no group is starved).
    fn tally_group(
        &mut self,
        g: usize,
        scale: u32,
        probabilities: &[f64],
        shots: Option<u64>,
        learn: bool,
    ) -> (f64, f64) {
        let Some(shots) = shots else {
            let group = &self.estimators[g];
            return (probabilities.iter().enumerate().map(|(b, p)| p * group.eigenvalue(b as u64)).sum(), 0.0);
        };
        let counts = multinomial(probabilities, shots, &mut self.rng);
        let (mean, variance) = self.score(g, &counts, shots);
        self.counts.push(GroupCounts { scale, group: g, shots, outcomes: counts });
        if learn {
            self.deviations[g] = variance.sqrt().max(1e-3 * self.weights[g]);
        }
        (mean, variance / shots as f64)
    }

    /// One evaluation on IonQ's cloud: every group's job submitted, then each awaited; the group
    /// means and variances come from the reported probabilities (IonQ reports outcome
    /// frequencies, so the estimator's variance is the single-shot variance over the shots).
    fn measure_remote(&mut self, remote: &IonqRemote, split: &[u64], phi: &[f64]) -> Result<Estimate, MeasureError> {
        let mut submitted = Vec::with_capacity(split.len());
        for (g, &shots) in split.iter().enumerate() {
            let circuit = &self.logical[g];
            let native = native::compile(circuit, phi, remote.target);
            let settings = JobSettings {
                backend: remote.backend.clone(),
                shots,
                name: format!("qdf {} g{g}", remote.label),
                noise: None,
                debiasing: false,
            };
            let body = ionq_json::job(
                &settings,
                "native",
                &[(format!("g{g}"), circuit.n_qubits(), ionq_json::native_circuit(&native))],
            );
            match remote.client.submit(&body) {
                Ok(id) => {
                    self.jobs.push(id.to_string());
                    submitted.push(id);
                }
                Err(e) => {
                    cancel_all(&remote.client, &submitted);
                    return Err(remote_error(e, &remote.cancel));
                }
            }
        }
        let mut value = self.plan.constant();
        let mut variance_of_mean = 0.0;
        for (g, id) in submitted.iter().enumerate() {
            let probabilities = match remote.client.wait(id, &remote.cancel, remote.timeout) {
                Ok(p) => p,
                Err(e) => {
                    cancel_all(&remote.client, &submitted[g + 1..]);
                    return Err(remote_error(e, &remote.cancel));
                }
            };
            let group = &self.plan.groups()[g];
            let total: f64 = probabilities.values().sum();
            // NaN or no mass at all: nothing was measured.
            if total.is_nan() || total <= 0.0 {
                return Err(MeasureError::Remote(format!("job {id} reported no outcomes")));
            }
            let mean = probabilities.iter().map(|(&b, p)| p * group.eigenvalue(b)).sum::<f64>() / total;
            // IonQ reports frequencies; the counts they stand for.
            let mut outcomes: Vec<(u64, u64)> = probabilities
                .iter()
                .map(|(&b, p)| (b, (p / total * split[g] as f64).round() as u64))
                .filter(|&(_, n)| n > 0)
                .collect();
            outcomes.sort_unstable();
            self.counts.push(GroupCounts { scale: 1, group: g, shots: split[g], outcomes });
            let variance =
                probabilities.iter().map(|(&b, p)| p * (group.eigenvalue(b) - mean).powi(2)).sum::<f64>() / total;
            value += mean;
            variance_of_mean += variance / split[g] as f64;
            self.deviations[g] = variance.sqrt().max(1e-3 * self.weights[g]);
        }
        self.shots_used += split.iter().sum::<u64>();
        self.evaluations += 1;
        Ok(Estimate { value, standard_error: variance_of_mean.sqrt() })
    }

    /// `total` shots split over the groups for the next evaluation.
    fn split_shots(&self, total: u64) -> Result<Vec<u64>, MeasureError> {
        let variances: Vec<f64> = self.deviations.iter().map(|s| s * s).collect();
        measure::allocate_shots(&variances, &self.weights, self.settings.allocation, total)
            .map(|plan| plan.per_group)
            .map_err(|e| MeasureError::Failed(format!("shot allocation: {e}")))
    }

    /// The sample mean of group `g`'s observable over `shots` outcomes `counts`, and its sample
    /// variance (zero for a single shot).
    fn score(&self, g: usize, counts: &[(u64, u64)], shots: u64) -> (f64, f64) {
        let group = &self.estimators[g];
        let (mut sum, mut sum_sq) = (0.0, 0.0);
        for &(outcome, count) in counts {
            let value = group.eigenvalue(outcome);
            sum += count as f64 * value;
            sum_sq += count as f64 * value * value;
        }
        let n = shots as f64;
        let mean = sum / n;
        let variance = if shots > 1 { ((sum_sq - n * mean * mean) / (n - 1.0)).max(0.0) } else { 0.0 };
        (mean, variance)
    }
}

/// What one trajectory measured of one group: the sum and the sum of squares of its shots'
/// values with their outcomes, or without shots the exact mean, 0 and no outcomes.
type TrajectoryTally = (f64, f64, Vec<(u64, u64)>);

/// The noise scales an evaluation measures: the extrapolation's, or the unfolded circuit alone.
fn noise_scales(mitigation: &Mitigation) -> Vec<u32> {
    if mitigation.zne_scales.is_empty() {
        vec![1]
    } else {
        mitigation.zne_scales.clone()
    }
}

/// How often each two-qubit gate is folded for a noise scale (`scale = 1 + 2·folds`).
fn folds_of(scale: u32) -> usize {
    (scale.saturating_sub(1) / 2) as usize
}

/// Best-effort cancellation of jobs that will not be read (their failure changes nothing).
fn cancel_all(client: &IonqClient, jobs: &[crate::ionq::JobId]) {
    for id in jobs {
        let _ = client.cancel(id);
    }
}

/// An interruption when the researcher pressed Ctrl-C, a failed measurement otherwise (a job
/// cancelled elsewhere included).
fn remote_error(e: IonqError, cancel: &AtomicBool) -> MeasureError {
    if cancel.load(std::sync::atomic::Ordering::SeqCst) {
        MeasureError::Interrupted
    } else {
        MeasureError::Remote(e.to_string())
    }
}

/// The outcome distribution of measuring the noisy state `rho` after the (noisy) basis change
/// `basis` on `device`, readout error included. Failure contract: the noise engine's errors as
/// [`MeasureError::Failed`].
fn measured_probabilities(
    rho: &DensityMatrix,
    basis: &NativeCircuit,
    device: &DeviceNoise,
) -> Result<Vec<f64>, MeasureError> {
    let mut rho = rho.clone();
    rho.evolve(basis, &device.channels);
    let mut probabilities = rho.probabilities();
    apply_readout_error(&mut probabilities, device.channels.readout_error)
        .map_err(|e| MeasureError::Failed(format!("readout: {e}")))?;
    Ok(probabilities)
}

/// The rotation circuit with one parameter per parametrised rotation.
fn expand_rotations(circuit: &RotationCircuit) -> Expanded<RotationCircuit> {
    let sources: Vec<(usize, f64)> = circuit.rotations().iter().filter_map(PauliRotation::parameter).collect();
    let mut expanded = RotationCircuit::new(circuit.n_qubits(), sources.len());
    let mut next = 0;
    for r in circuit.rotations() {
        match r.parameter() {
            Some(_) => {
                expanded.push(PauliRotation::parametrised(r.string, next, 1.0));
                next += 1;
            }
            None => expanded.push(*r),
        }
    }
    Expanded { circuit: expanded, sources }
}

/// The logical circuit with one parameter per parametrised gate.
fn expand_logical(circuit: &LogicalCircuit) -> Expanded<LogicalCircuit> {
    let sources: Vec<(usize, f64)> = circuit
        .gates()
        .iter()
        .filter_map(|g| match *g {
            Gate::Rx(_, Angle::Parameter { index, weight })
            | Gate::Ry(_, Angle::Parameter { index, weight })
            | Gate::Rz(_, Angle::Parameter { index, weight }) => Some((index, weight)),
            _ => None,
        })
        .collect();
    let mut expanded = LogicalCircuit::new(circuit.n_qubits(), sources.len());
    let mut next = 0;
    for &gate in circuit.gates() {
        let mut fresh = |q: u32, make: fn(u32, Angle) -> Gate| {
            let g = make(q, Angle::Parameter { index: next, weight: 1.0 });
            next += 1;
            g
        };
        let gate = match gate {
            Gate::Rx(q, Angle::Parameter { .. }) => fresh(q, Gate::Rx),
            Gate::Ry(q, Angle::Parameter { .. }) => fresh(q, Gate::Ry),
            Gate::Rz(q, Angle::Parameter { .. }) => fresh(q, Gate::Rz),
            other => other,
        };
        expanded.push(gate);
    }
    Expanded { circuit: expanded, sources }
}

#[cfg(test)]
pub(crate) mod tests;

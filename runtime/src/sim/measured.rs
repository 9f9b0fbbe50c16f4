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
//! Without a shot count the exact outcome distributions are used (the device's noise without
//! shot noise; the standard error is zero).
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

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Binomial, Distribution};

use super::ansatz::Ansatz;
use super::circuit::{PauliRotation, RotationCircuit};
use super::statevector::StateVector;
use crate::circuit::{Angle, Gate, LogicalCircuit};
use crate::ionq::{IonqClient, IonqError};
use crate::measure::{self, Allocation, Grouping, MeasurementPlan};
use crate::native::emit::ionq_json::{self, JobSettings};
use crate::native::{self, NativeCircuit, Target};
use crate::noise::{apply_readout_error, simulate_density, ChannelModel, DensityMatrix, MAX_DENSITY_QUBITS};
use crate::qubit::PauliSum;

/// The device a noisy evaluation simulates: its native gate set and its noise channels.
#[derive(Clone, Debug)]
pub struct DeviceNoise {
    pub target: Target,
    pub channels: ChannelModel,
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
    /// Device noise is simulated by density matrix, which holds at most this many qubits.
    TooManyQubitsForNoise { qubits: u32 },
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
            MeasureError::TooManyQubitsForNoise { qubits } => write!(
                f,
                "device noise is simulated with the exact density matrix, which holds at most \
                 {MAX_DENSITY_QUBITS} qubits; this circuit has {qubits}"
            ),
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
    /// Device noise: per group, the basis change alone, lowered once; the noisy state of the
    /// ansatz, simulated once per evaluation, continues through each.
    basis: Vec<NativeCircuit>,
    settings: MeasuredSettings,
    weights: Vec<f64>,
    deviations: Vec<f64>,
    rng: ChaCha8Rng,
    shots_used: u64,
    evaluations: u64,
    /// IonQ job ids, in submission order.
    jobs: Vec<String>,
}

impl MeasuredEnergy {
    /// Plans the measurement of `h` for `ansatz`. Failure contract: a Hamiltonian the grouping
    /// cannot plan is [`MeasureError::Failed`]; fewer shots than groups
    /// [`MeasureError::TooFewShots`]; device noise on more than [`MAX_DENSITY_QUBITS`] qubits
    /// [`MeasureError::TooManyQubitsForNoise`].
    pub fn new(ansatz: &Ansatz, h: &PauliSum, settings: MeasuredSettings) -> Result<Self, MeasureError> {
        let plan =
            measure::plan(h, settings.grouping).map_err(|e| MeasureError::Failed(format!("measurement plan: {e}")))?;
        let groups = plan.groups().len();
        if let Some(shots) = settings.shots_per_evaluation.filter(|&s| s < groups as u64) {
            return Err(MeasureError::TooFewShots { shots, groups });
        }
        if settings.device.is_some() && ansatz.n_qubits() > MAX_DENSITY_QUBITS {
            return Err(MeasureError::TooManyQubitsForNoise { qubits: ansatz.n_qubits() });
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
            Some(device) => plan.groups().iter().map(|g| native::compile(g.circuit(), &[], device.target)).collect(),
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
            deviations: weights.clone(),
            weights,
            rng: ChaCha8Rng::seed_from_u64(settings.seed),
            plan,
            settings,
            shots_used: 0,
            evaluations: 0,
            jobs: Vec::new(),
        })
    }

    pub fn n_parameters(&self) -> usize {
        self.n_parameters
    }

    /// Shots taken so far.
    pub fn shots_used(&self) -> u64 {
        self.shots_used
    }

    /// The IonQ jobs submitted so far (their ids), when measuring on IonQ's cloud.
    pub fn jobs(&self) -> &[String] {
        &self.jobs
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
        assert_eq!(params.len(), self.n_parameters, "expected {} parameters", self.n_parameters);
        let shifts = self.shift_count() as u64;
        if !self.can_afford(2 * shifts) {
            let cap = self.settings.shot_cap.unwrap_or(u64::MAX);
            return Err(MeasureError::BudgetExhausted { used: self.shots_used, cap });
        }
        let mut rotations = self.rotations.angles(params);
        let mut logical = self.ansatz_gates.as_ref().map(|e| e.angles(params));
        let sources = match &self.ansatz_gates {
            Some(e) => e.sources.clone(),
            None => self.rotations.sources.clone(),
        };
        let mut gradient = vec![0.0; self.n_parameters];
        for (k, &(j, w)) in sources.iter().enumerate() {
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
            gradient[j] += w * 0.5 * (plus - minus);
        }
        Ok(gradient)
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
        let split = match self.settings.shots_per_evaluation {
            Some(total) => Some(self.split_shots(total)?),
            None => None,
        };
        if let (Some(remote), Some(split), Some(phi)) = (self.settings.remote.clone(), &split, gate_angles) {
            return self.measure_remote(&remote, split, phi);
        }
        let state = match gate_angles {
            Some(_) => None,
            None => {
                let mut psi = self.reference.clone();
                self.rotations.circuit.apply(rotation_angles, &mut psi);
                Some(psi)
            }
        };
        // Device noise: the ansatz's noisy state, once for every group.
        let noisy = match (gate_angles, &self.settings.device, &self.ansatz_gates) {
            (Some(phi), Some(device), Some(gates)) => {
                let native = native::compile(&gates.circuit, phi, device.target);
                Some(
                    simulate_density(&native, &device.channels)
                        .map_err(|e| MeasureError::Failed(format!("noise: {e}")))?,
                )
            }
            _ => None,
        };
        let mut value = self.plan.constant();
        let mut variance_of_mean = 0.0;
        for g in 0..self.plan.groups().len() {
            let probabilities = match (&state, &noisy, &self.settings.device) {
                (Some(psi), _, _) => measure::estimate::outcome_probabilities(&self.plan.groups()[g], psi),
                (None, Some(rho), Some(device)) => measured_probabilities(rho, &self.basis[g], device)?,
                _ => unreachable!("the gate path has a device"),
            };
            let Some(shots) = split.as_ref().map(|s| s[g]) else {
                let group = &self.plan.groups()[g];
                value += probabilities.iter().enumerate().map(|(b, p)| p * group.eigenvalue(b as u64)).sum::<f64>();
                continue;
            };
            let (mean, variance) = self.sample_group(g, &probabilities, shots);
            value += mean;
            variance_of_mean += variance / shots as f64;
            // The next allocation uses this deviation, floored so no group is starved.
            self.deviations[g] = variance.sqrt().max(1e-3 * self.weights[g]);
        }
        self.shots_used += self.settings.shots_per_evaluation.unwrap_or(0);
        self.evaluations += 1;
        Ok(Estimate { value, standard_error: variance_of_mean.sqrt() })
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

    /// Draws `shots` outcomes of group `g` from `probabilities` and returns the sample mean of
    /// the group observable and its sample variance (zero for a single shot).
    fn sample_group(&mut self, g: usize, probabilities: &[f64], shots: u64) -> (f64, f64) {
        let group = &self.plan.groups()[g];
        let counts = multinomial(probabilities, shots, &mut self.rng);
        let (mut sum, mut sum_sq) = (0.0, 0.0);
        for &(outcome, count) in &counts {
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

/// `shots` outcomes drawn from `probabilities` (normalised by their sum), as `(outcome, count)`
/// pairs with nonzero counts: one binomial draw per outcome, conditioned on the shots left.
fn multinomial(probabilities: &[f64], shots: u64, rng: &mut ChaCha8Rng) -> Vec<(u64, u64)> {
    let mut left = shots;
    let mut mass: f64 = probabilities.iter().map(|p| p.max(0.0)).sum();
    let mut counts = Vec::new();
    for (outcome, &p) in probabilities.iter().enumerate() {
        if left == 0 {
            break;
        }
        let p = p.max(0.0);
        let count = if p >= mass {
            left
        } else if p <= 0.0 {
            0
        } else {
            Binomial::new(left, (p / mass).min(1.0)).map(|b| b.sample(rng)).unwrap_or(0)
        };
        mass -= p;
        if count > 0 {
            counts.push((outcome as u64, count));
            left -= count;
        }
    }
    counts
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

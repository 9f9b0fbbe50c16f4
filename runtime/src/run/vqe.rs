//! The VQE of one point as its `generate` block asks: exact energies (noise `none`, no shots), or
//! energies measured with shots (noise `shots`), or measured on the simulated device (noise
//! `device` or a `noise` declaration), with the optimiser it names. ADAPT-VQE grows its circuit
//! on exact energies ([`ansatz::adapt`]) or, when the generate measures, on measured energies and
//! pool gradients ([`ansatz::adapt_measured`]) under one per-point shot budget.
//!
//! Measured runs are reproducible: the shot draws and SPSA's directions are seeded from the
//! point's VQE node hash, which changes exactly when the work changes. Shots per evaluation are
//! the spec's `shots` (per evaluation), or its `shots … per_point` spread over the evaluations
//! the planner counts for the optimiser (and capped there), or, with only a `precision`, the
//! shots the planner computes for it from ground-state variances (times the variance growth of
//! zero-noise extrapolation, when asked for); with neither (device noise alone), the noisy
//! circuit's exact outcome distributions. Device noise is simulated by density matrix while it
//! fits and by the spec's `trajectories` beyond.

use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use qdf_compiler::hir::{self, AnsatzKind, Execute, Noise, ShotScope};
use qdf_compiler::ir::{ExperimentIr, NodeId, Task};

use super::plan::PointJob;
use super::point::qubit_space;
use super::store::{GroupCountsRecord, VqeRecord};
use crate::chem::active::ActiveHamiltonian;
use crate::ionq::IonqClient;
use crate::measure;
use crate::native::estimate::target_of;
use crate::native::Target;
use crate::noise::{ChannelModel, MAX_DENSITY_QUBITS};
use crate::planner::{evaluations, measure_allocation, measure_grouping, measurement_variances, zne_shot_factor};
use crate::qubit::{PauliSum, QubitSpace};
use crate::sim::ansatz::{self, Ansatz, MeasuredAdaptSettings};
use crate::sim::measured::{DeviceNoise, IonqRemote, MeasuredEnergy, MeasuredSettings, Mitigation};
use crate::sim::optimize::{optimize, Objective, OptimizerSettings};
use crate::sim::vqe::EnergyFunction;
use crate::sim::{CompiledEnergy, VqeOptions};

/// What a point's VQE produced.
#[derive(Clone, Debug)]
pub struct Solved {
    /// The recorded energy: exact, or the final measurement.
    pub energy: f64,
    pub record: VqeRecord,
    pub qubits: u32,
    /// The qubit Hamiltonian minimised (after the mapping, reduction and tapering).
    pub hamiltonian: PauliSum,
    /// Measured runs with shots: the final measurement's outcomes per noise scale and group.
    pub counts: Option<Vec<GroupCountsRecord>>,
}

/// The qubit Hamiltonian in the spec's qubit space, the ansatz on it, and the VQE. ADAPT grows
/// its own circuit and takes no warm start; other ansatzes start from the neighbouring point's
/// parameters when they fit. Failure contract: a mapping, ansatz or measurement the space cannot
/// carry is an error message.
pub fn solve(
    ir: &ExperimentIr,
    job: &PointJob,
    hamiltonian: &ActiveHamiltonian,
    warm_start: Option<&[f64]>,
    backends: &Backends,
) -> Result<Solved, String> {
    let task = |id: NodeId| &ir.nodes[id as usize].task;
    let Task::Circuit { ansatz: kind, options } = task(job.circuit) else { unreachable!("circuit node") };
    let Task::QubitHamiltonian { mapping } = task(job.hamiltonian) else { unreachable!("qubit Hamiltonian node") };
    let Task::Vqe { optimizer, noise, shots, precision, measurement, device, execute, mitigation, trajectories } =
        task(job.vqe)
    else {
        unreachable!("vqe node")
    };
    let (space, qubit_hamiltonian) = qubit_space(mapping, hamiltonian)?;
    let qubits = space.n_qubits();
    let seed = seed_of(&ir.nodes[job.vqe as usize].hash);
    let measured = *noise != Noise::None || shots.is_some();
    let optimizer_settings = OptimizerSettings {
        kind: optimizer.kind.clone(),
        max_iter: optimizer.max_iter,
        tolerance: optimizer.tolerance,
        learning_rate: optimizer.learning_rate,
        seed: seed ^ SPSA_STREAM,
    };
    // The node's measurement settings for a circuit (the ansatz, or ADAPT's reference circuit).
    let node_settings = |circuit: &Ansatz| -> Result<MeasuredSettings, String> {
        let remote = match execute {
            Execute::Ionq => Some(ionq_remote(device.as_ref(), backends, &ir.nodes[job.geometry as usize].label)?),
            Execute::Simulator => None,
        };
        let request = Request {
            optimizer,
            noise,
            shots: shots.as_ref(),
            precision: *precision,
            device: device.as_ref(),
            mitigation: Mitigation { readout: mitigation.readout, zne_scales: mitigation.zne_scales.clone() },
            trajectories: *trajectories,
        };
        let grouping = measurement.map_or(hir::Grouping::QubitWise, |m| m.grouping);
        let allocation = measurement.map_or(hir::ShotAllocation::VarianceOptimal, |m| m.allocation);
        let settings = measured_settings(&request, circuit, &space, &qubit_hamiltonian, grouping, allocation, seed)?;
        Ok(MeasuredSettings { remote, ..settings })
    };
    if *kind == AnsatzKind::Adapt && measured {
        // The reference circuit carries the register; the circuit grows from it.
        let reference = ansatz::build(AnsatzKind::Hf, options, &space).map_err(|e| format!("ansatz: {e}"))?;
        let mut settings = node_settings(&reference)?;
        // A point's shots spread over the evaluations the planner counts for ADAPT, and cap them.
        if let Some(s) = shots.as_ref().filter(|s| s.scope != ShotScope::PerEvaluation) {
            let pool = ansatz::pool_rotations(options, &space).map_err(|e| format!("ADAPT pool: {e}"))?;
            let per_operator = pool.iter().map(Vec::len).max().unwrap_or(0) as u64;
            let planned = evaluations::adapt(
                &optimizer.kind,
                optimizer.max_iter,
                u64::from(options.max_operators),
                pool.iter().map(Vec::len).sum::<usize>() as u64,
                per_operator.max(1),
            )
            .per_point
            .max(1);
            settings.shots_per_evaluation = Some((s.count / planned).max(1));
            settings.shot_cap = Some(s.count);
        }
        let adapt = MeasuredAdaptSettings { measurement: settings, optimizer: optimizer_settings };
        let r = ansatz::adapt_measured(&qubit_hamiltonian, &space, options, &adapt)
            .map_err(|e| format!("ADAPT-VQE: {e}"))?;
        let counts = (!r.measurement.counts().is_empty()).then(|| counts_record(&r.measurement));
        let record = VqeRecord {
            params: r.params,
            iterations: r.iterations as usize,
            converged: r.converged,
            gradient_norm: r.gradient_norm,
            operators: Some(r.ansatz.parameters),
            noiseless_energy: Some(r.noiseless_energy),
            standard_error: Some(r.standard_error),
            evaluations: Some(r.evaluations),
            shots: Some(r.shots),
            stopped: r.stopped,
            jobs: (!r.jobs.is_empty()).then_some(r.jobs),
        };
        return Ok(Solved { energy: r.energy, record, qubits, hamiltonian: qubit_hamiltonian, counts });
    }
    if *kind == AnsatzKind::Adapt {
        let vqe = VqeOptions {
            max_iter: optimizer.max_iter,
            gradient_tolerance: optimizer.tolerance.max(1e-12),
            ..VqeOptions::default()
        };
        let r = ansatz::adapt(&qubit_hamiltonian, &space, options, &vqe).map_err(|e| format!("ADAPT-VQE: {e}"))?;
        let record = VqeRecord {
            params: r.params,
            iterations: r.iterations as usize,
            converged: r.converged,
            gradient_norm: r.gradient_norm,
            operators: Some(r.ansatz.parameters),
            ..VqeRecord::default()
        };
        return Ok(Solved { energy: r.energy, record, qubits, hamiltonian: qubit_hamiltonian, counts: None });
    }
    let built = ansatz::build(*kind, options, &space).map_err(|e| format!("ansatz: {e}"))?;
    let mut objective = if measured {
        let settings = node_settings(&built)?;
        Objective::Measured(Box::new(
            MeasuredEnergy::new(&built, &qubit_hamiltonian, settings).map_err(|e| format!("measurement: {e}"))?,
        ))
    } else {
        Objective::Exact(CompiledEnergy::new(&built, &qubit_hamiltonian))
    };
    let initial = match warm_start {
        Some(params) if params.len() == built.n_parameters() => params.to_vec(),
        _ => built.initial_parameters.clone(),
    };
    let r = optimize(&mut objective, &initial, &optimizer_settings).map_err(|e| format!("optimizer: {e}"))?;
    let (jobs, counts) = match &objective {
        Objective::Measured(m) => {
            ((!m.jobs().is_empty()).then(|| m.jobs().to_vec()), (!m.counts().is_empty()).then(|| counts_record(m)))
        }
        Objective::Exact(_) => (None, None),
    };
    // Where the optimiser ended, seen exactly: its energy and how stationary the point is.
    let separate;
    let exact = match &objective {
        Objective::Exact(e) => e,
        Objective::Measured(_) => {
            separate = CompiledEnergy::new(&built, &qubit_hamiltonian);
            &separate
        }
    };
    let mut gradient = vec![0.0; r.params.len()];
    let noiseless = exact.energy_and_gradient(&r.params, &mut gradient);
    let gradient_norm = gradient.iter().map(|g| g * g).sum::<f64>().sqrt();
    let record = VqeRecord {
        params: r.params,
        iterations: r.iterations as usize,
        converged: gradient_norm < optimizer.tolerance.max(1e-12),
        gradient_norm,
        operators: None,
        noiseless_energy: measured.then_some(noiseless),
        standard_error: r.standard_error,
        evaluations: measured.then_some(r.evaluations),
        shots: measured.then_some(r.shots),
        stopped: r.stopped,
        jobs,
    };
    let energy = if measured { r.energy } else { noiseless };
    Ok(Solved { energy, record, qubits, hamiltonian: qubit_hamiltonian, counts })
}

/// The latest evaluation's outcomes as data: each group's terms and scored observable, and its
/// outcome bit strings (qubit 0 rightmost) with their counts.
fn counts_record(measured: &MeasuredEnergy) -> Vec<GroupCountsRecord> {
    let groups = measured.groups();
    let width = measured.n_qubits() as usize;
    measured
        .counts()
        .iter()
        .map(|c| {
            let group = &groups[c.group];
            GroupCountsRecord {
                scale: c.scale,
                group: c.group,
                terms: group.terms().iter().map(|(p, _)| p.to_string()).collect(),
                observable: group.diagonal().iter().map(|(z, d)| (z.to_string(), *d)).collect(),
                shots: c.shots,
                outcomes: c.outcomes.iter().map(|&(b, n)| (format!("{b:0width$b}"), n)).collect(),
            }
        })
        .collect()
}

/// What a point's VQE may reach beyond the simulator.
#[derive(Clone, Debug, Default)]
pub struct Backends {
    /// Set by Ctrl-C: IonQ jobs in flight are cancelled and the point is not stored.
    pub cancel: Arc<AtomicBool>,
    /// IonQ's cloud, when a generate executes there (the key from the environment).
    pub ionq: Option<Arc<IonqClient>>,
}

/// The longest wait for one IonQ job: QPU queues can hold a job for a day.
const IONQ_JOB_TIMEOUT: Duration = Duration::from_secs(48 * 3600);

/// IonQ's cloud at the device's backend, in the device's gate set. Failure contract: a missing
/// client (the run found no key), device or backend, or a gate set qdf cannot target, is an
/// error message (the checker rules out the last three).
fn ionq_remote(device: Option<&hir::Device>, backends: &Backends, label: &str) -> Result<IonqRemote, String> {
    let client = backends.ionq.clone().ok_or("IonQ execution needs the IONQ_API_KEY environment variable")?;
    let device = device.ok_or("IonQ execution needs a device")?;
    let backend = device.backend.clone().ok_or("IonQ execution needs the device's `backend`")?;
    let target = target_of(device).map_err(|e| format!("device: {e}"))?;
    let label = label.strip_suffix(" geometry").unwrap_or(label).to_string();
    Ok(IonqRemote { client, backend, target, cancel: Arc::clone(&backends.cancel), timeout: IONQ_JOB_TIMEOUT, label })
}

/// SPSA's directions draw from their own stream, apart from the shots.
const SPSA_STREAM: u64 = 0x5350_5341;

/// The first 64 bits of a node hash (hex): a seed that changes exactly when the work does.
fn seed_of(hash: &str) -> u64 {
    hash.get(..16).and_then(|h| u64::from_str_radix(h, 16).ok()).unwrap_or(0)
}

/// What the VQE node asks of its measurements.
struct Request<'a> {
    optimizer: &'a hir::Optimizer,
    noise: &'a Noise,
    shots: Option<&'a hir::Shots>,
    precision: Option<f64>,
    device: Option<&'a hir::Device>,
    mitigation: Mitigation,
    /// Trajectories per evaluation beyond the density matrix, if the spec sets them.
    trajectories: Option<u64>,
}

/// Trajectories per evaluation (and noise scale) when the spec sets none: their mean's error is
/// a tenth of one trajectory's spread.
const DEFAULT_TRAJECTORIES: usize = 100;

/// The shots, grouping, allocation and device noise of a measured VQE (no shots and no precision:
/// the device's noise measured without shot noise). Failure contract: a device whose gate set qdf
/// cannot target, or a noise model the channels reject, is an error message.
fn measured_settings(
    request: &Request<'_>,
    built: &Ansatz,
    space: &QubitSpace,
    h: &PauliSum,
    grouping: hir::Grouping,
    allocation: hir::ShotAllocation,
    seed: u64,
) -> Result<MeasuredSettings, String> {
    let grouping = measure_grouping(grouping);
    let allocation = measure_allocation(allocation);
    let rotations = built.logical.gates().iter().filter(|g| g.parameter().is_some()).count() as u64;
    let planned = evaluations::fixed_circuit(
        &request.optimizer.kind,
        request.optimizer.max_iter,
        built.n_parameters() as u64,
        rotations,
    )
    .per_point
    .max(1);
    let (shots_per_evaluation, shot_cap) = match (request.shots, request.precision) {
        (Some(s), _) if s.scope == ShotScope::PerEvaluation => (Some(s.count), None),
        (Some(s), _) => (Some((s.count / planned).max(1)), Some(s.count)),
        (None, Some(precision)) => {
            let plan = measure::plan(h, grouping).map_err(|e| format!("measurement groups: {e}"))?;
            let (variances, _) = measurement_variances(h, space, &plan)?;
            let needed = measure::shots_for_precision(&variances, &plan.coefficient_weights(), allocation, precision)
                .map_err(|e| format!("shots for the precision: {e}"))?;
            (Some((needed.total as f64 * zne_shot_factor(&request.mitigation.zne_scales)?).ceil() as u64), None)
        }
        // The device's noise without shot noise: exact outcome distributions.
        (None, None) => (None, None),
    };
    let device = match request.noise {
        Noise::Model(model) => {
            let target = match request.device {
                Some(device) => target_of(device).map_err(|e| format!("device: {e}"))?,
                // A noise declaration without a device: IonQ's GPi/GPi2/MS gate set.
                None => Target::IonqMs,
            };
            let channels = ChannelModel::from_model(model).map_err(|e| format!("noise model: {e}"))?;
            // The exact density matrix while it fits, trajectories beyond.
            let trajectories = (built.n_qubits() > MAX_DENSITY_QUBITS)
                .then(|| request.trajectories.map_or(DEFAULT_TRAJECTORIES, |t| t as usize));
            Some(DeviceNoise { target, channels, trajectories, mitigation: request.mitigation.clone() })
        }
        Noise::None | Noise::Shots => None,
    };
    Ok(MeasuredSettings { shots_per_evaluation, grouping, allocation, device, remote: None, seed, shot_cap })
}

//! The shot planner: what each `generate` block will cost before any VQE runs.
//!
//! Per point it solves the SCF, maps the active-space Hamiltonian exactly as `qdf run` will
//! (mapping, two-qubit reduction, tapering), builds the ansatz's logical circuit, groups the
//! Hamiltonian's terms for measurement and works out the shots one energy evaluation needs for
//! the spec's `precision`. Per generate it reports the worst point and the totals over the scan
//! and the optimiser's evaluations, and checks them against `shots` and `budget`:
//! - [`Code::PrecisionUnreachable`]: the shots per evaluation cannot reach `precision`;
//! - [`Code::PrecisionMarginal`]: they reach it with less than [`MARGIN`] to spare;
//! - [`Code::BudgetExceeded`]: the whole generate needs more shots than `budget`.
//!
//! Shot counts follow from the variance of the grouped estimator, not from `1/precision²`:
//! with groups `g` of single-shot variance `Var_g`, an allocation of `m_g` shots gives a standard
//! error `sqrt(Σ Var_g / m_g)` (see [`crate::measure`]). Variances are those of the exact ground
//! state of the point's qubit Hamiltonian in the Hartree–Fock state's sector (Lanczos, up to
//! [`MAX_GROUND_STATE_QUBITS`] qubits), the state VQE converges to; beyond that, the
//! state-independent bound `(Σ_g |c|)²`, which overestimates.
//!
//! Findings are data (codes, messages, help); the command line attaches the spans of the
//! generate's fields and renders them like any other diagnostic.

mod circuits;
pub mod evaluations;
mod ground_state;

use serde::Serialize;

use qdf_compiler::diagnostics::{Code, Diagnostic, Label, Severity};
use qdf_compiler::hir::{AnsatzKind, Budget, Grouping, MappingKind, Mitigation, ShotAllocation, ShotScope};
use qdf_compiler::ir::{ExperimentIr, NodeId, Task};

use crate::circuit::{Angle, Gate, GateCounts, LogicalCircuit};
use crate::measure;
use crate::native::{self, NativeEstimate};
use crate::noise::zne_variance_factor;
use crate::qubit::{PauliString, PauliSum, QubitSpace};
use crate::run::plan::{DatasetJob, Plan, PointJob};
use crate::run::point::{qubit_space, ActiveProblem};
use crate::sim::{ansatz, Observable, StateVector};

pub use circuits::{point_circuits, PointCircuits};
pub use evaluations::EvaluationBudget;

/// Shots that reach the precision with less than this factor to spare draw a warning.
pub const MARGIN: f64 = 1.25;

/// Qubit Hamiltonians up to this width get exact ground-state variances.
pub const MAX_GROUND_STATE_QUBITS: u32 = 16;

/// Limits that keep `qdf check` fast: generates beyond them are left to `qdf plan`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuickLimits {
    pub max_basis_functions: usize,
    pub max_qubits: u32,
    pub max_points: usize,
}

impl Default for QuickLimits {
    fn default() -> Self {
        QuickLimits { max_basis_functions: 30, max_qubits: 12, max_points: 40 }
    }
}

/// Which generates to plan, and how far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PlanOptions {
    /// `Some`: plan only generates that measure something (`shots`, `precision` or `budget` with
    /// noise), and only within the limits. `None`: plan every generate, whatever its size.
    pub quick: Option<QuickLimits>,
}

/// Which field of the generate a finding is about (the command line knows their spans).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Shots,
    Precision,
    Budget,
}

/// A problem with a generate's shots or budget.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    #[serde(serialize_with = "code_text")]
    pub code: Code,
    pub severity: Severity,
    pub field: Field,
    pub message: String,
    pub help: String,
}

fn code_text<S: serde::Serializer>(code: &Code, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(code.as_str())
}

/// One geometry point's plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PointPlan {
    /// The point as the IR labels it: `h2[3]`.
    pub point: String,
    pub qubits: u32,
    pub terms: usize,
    pub groups: usize,
    pub parameters: usize,
    pub gates: GateCounts,
    pub depth: usize,
    /// Which variances the shot counts use: `ground_state` or `bound`.
    pub variances: &'static str,
    /// Shots per evaluation for the precision, when one is given.
    pub shots_needed: Option<u64>,
    /// Standard error (hartree) of one evaluation with the given shots, when they are given.
    pub standard_error: Option<f64>,
    /// The ansatz circuit in the target device's native gates, when the generate names one.
    pub native: Option<NativeEstimate>,
    /// Why the point could not be planned (an SCF that does not converge, say).
    pub failed: Option<String>,
}

/// The plan of one `generate`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GeneratePlan {
    pub name: String,
    pub ansatz: String,
    pub mapping: String,
    pub grouping: Grouping,
    pub allocation: ShotAllocation,
    /// The error mitigation asked for; the shots and standard errors below include zero-noise
    /// extrapolation's growth of the variance.
    #[serde(skip_serializing_if = "Mitigation::is_none")]
    pub mitigation: Mitigation,
    /// Why the generate was not planned (only with quick limits).
    pub skipped: Option<String>,
    pub points: Vec<PointPlan>,
    /// Worst point: most qubits (after the mapping, before tapering, after tapering).
    pub qubits_mapped: u32,
    pub qubits_before_tapering: u32,
    pub qubits: u32,
    pub parameters: usize,
    /// ADAPT grows its circuit at run time: `parameters` and the gate counts are upper bounds.
    pub adaptive: bool,
    pub gates: GateCounts,
    pub depth: usize,
    pub terms: usize,
    pub groups: usize,
    pub evaluations: EvaluationBudget,
    /// Shots per evaluation as given (`per_point` shots divided by the evaluations).
    pub shots_given: Option<u64>,
    /// The most shots per evaluation any point needs for `precision`.
    pub shots_needed: Option<u64>,
    /// Shots per evaluation the run uses: given, or else needed.
    pub shots_per_evaluation: Option<u64>,
    /// The worst point's standard error with `shots_per_evaluation`.
    pub standard_error: Option<f64>,
    pub precision: Option<f64>,
    /// Shots of the whole generate: points × evaluations × shots per evaluation.
    pub total_shots: Option<u64>,
    pub budget: Option<Budget>,
    /// The worst point on the target device: most native gates, lowest expected fidelity.
    pub native: Option<NativeEstimate>,
    /// QPU time (seconds) of `total_shots`, when the device gives gate times.
    pub qpu_seconds: Option<f64>,
    /// Gate-shot price (US dollars) of `total_shots`, when the device gives prices; per-job
    /// minimum charges come on top.
    pub usd: Option<f64>,
    pub findings: Vec<Finding>,
    /// Wall time of the planning, seconds.
    pub seconds: f64,
}

/// Why no plan could be made: an IR of the wrong shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanError(pub String);

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PlanError {}

/// Plans every generate of `ir`; `progress(generate, done, total)` is called after each point.
/// Failure contract: only a malformed IR is an error; a point that cannot be planned is recorded
/// in its [`PointPlan::failed`] and the rest are planned.
pub fn plan_experiment(
    ir: &ExperimentIr,
    options: &PlanOptions,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Result<Vec<GeneratePlan>, PlanError> {
    let plan = Plan::new(ir).map_err(|e| PlanError(e.to_string()))?;
    let mut plans = Vec::new();
    for dataset in &plan.datasets {
        plans.push(plan_generate(ir, dataset, options, progress)?);
    }
    Ok(plans)
}

/// The settings of one generate, read from its first point's nodes (they are the same at every
/// point of a generate).
struct Settings<'a> {
    name: &'a str,
    ansatz: AnsatzKind,
    options: &'a qdf_compiler::hir::AnsatzOptions,
    mapping: &'a qdf_compiler::hir::Mapping,
    optimizer: &'a qdf_compiler::hir::Optimizer,
    shots: Option<&'a qdf_compiler::hir::Shots>,
    precision: Option<f64>,
    measured: bool,
    grouping: Grouping,
    allocation: ShotAllocation,
    budget: Option<&'a Budget>,
    device: Option<&'a qdf_compiler::hir::Device>,
    mitigation: &'a Mitigation,
    /// [`zne_shot_factor`] (1 without extrapolation): the shots a precision needs are multiplied
    /// by it, the standard error of given shots by its square root.
    zne_factor: f64,
}

impl<'a> Settings<'a> {
    fn new(ir: &'a ExperimentIr, dataset: &DatasetJob, first: &PointJob) -> Result<Self, PlanError> {
        let task = |id: NodeId| &ir.nodes[id as usize].task;
        let malformed = |what: &str| PlanError(format!("malformed experiment IR: expected {what}"));
        let Task::Dataset { budget, .. } = task(dataset.node) else { return Err(malformed("a dataset")) };
        let Task::Circuit { ansatz, options } = task(first.circuit) else { return Err(malformed("a circuit")) };
        let Task::QubitHamiltonian { mapping } = task(first.hamiltonian) else {
            return Err(malformed("a qubit Hamiltonian"));
        };
        let Task::Vqe { optimizer, shots, precision, measurement, noise, device, mitigation, .. } = task(first.vqe)
        else {
            return Err(malformed("a VQE"));
        };
        let measured = measurement.is_some() || *noise != qdf_compiler::hir::Noise::None;
        let defaults = qdf_compiler::hir::Measurement {
            grouping: Grouping::QubitWise,
            allocation: ShotAllocation::VarianceOptimal,
        };
        let measurement = measurement.unwrap_or(defaults);
        Ok(Settings {
            name: &ir.nodes[dataset.node as usize].label,
            ansatz: *ansatz,
            options,
            mapping,
            optimizer,
            shots: shots.as_ref(),
            precision: *precision,
            measured,
            grouping: measurement.grouping,
            allocation: measurement.allocation,
            budget: budget.as_ref(),
            device: device.as_ref(),
            mitigation,
            zne_factor: zne_shot_factor(&mitigation.zne_scales).map_err(PlanError)?,
        })
    }

    fn mapping_text(&self) -> String {
        let mut text = match self.mapping.kind {
            MappingKind::JordanWigner => "jordan_wigner".to_string(),
            MappingKind::BravyiKitaev => "bravyi_kitaev".to_string(),
            MappingKind::Parity => "parity".to_string(),
        };
        if self.mapping.two_qubit_reduction {
            text.push_str(" + two-qubit reduction");
        }
        if self.mapping.tapering {
            text.push_str(" + tapering");
        }
        text
    }
}

fn plan_generate(
    ir: &ExperimentIr,
    dataset: &DatasetJob,
    options: &PlanOptions,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Result<GeneratePlan, PlanError> {
    let started = std::time::Instant::now();
    let first = dataset.points.first().ok_or_else(|| PlanError("a generate without points".into()))?;
    let settings = Settings::new(ir, dataset, first)?;
    let mut plan = GeneratePlan {
        name: settings.name.to_string(),
        ansatz: serde_json::to_value(settings.ansatz)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        mapping: settings.mapping_text(),
        grouping: settings.grouping,
        allocation: settings.allocation,
        mitigation: settings.mitigation.clone(),
        skipped: None,
        points: Vec::new(),
        qubits_mapped: 0,
        qubits_before_tapering: 0,
        qubits: 0,
        parameters: 0,
        adaptive: settings.ansatz == AnsatzKind::Adapt,
        gates: GateCounts::default(),
        depth: 0,
        terms: 0,
        groups: 0,
        evaluations: evaluations::reference_only(),
        shots_given: None,
        shots_needed: None,
        shots_per_evaluation: None,
        standard_error: None,
        precision: settings.precision,
        total_shots: None,
        budget: settings.budget.cloned(),
        native: None,
        qpu_seconds: None,
        usd: None,
        findings: Vec::new(),
        seconds: 0.0,
    };
    if let Some(limits) = options.quick {
        let asks = settings.measured && (settings.shots.is_some() || settings.precision.is_some());
        let reason = if !asks {
            Some("nothing is measured or no precision is asked for".to_string())
        } else {
            too_large(ir, dataset, &limits)
        };
        if let Some(reason) = reason {
            plan.skipped = Some(reason);
            return Ok(plan);
        }
    }
    let total = dataset.points.len();
    let mut rotations = 0u64;
    let mut pool_rotations = 0u64;
    let mut outcomes = Vec::new();
    for (done, job) in dataset.points.iter().enumerate() {
        let outcome =
            plan_point(ir, job, &settings).unwrap_or_else(|reason| failed_point(point_label(ir, job), reason));
        if outcome.point.failed.is_none() {
            plan.qubits_mapped = plan.qubits_mapped.max(outcome.qubits_mapped);
            plan.qubits_before_tapering = plan.qubits_before_tapering.max(outcome.qubits_before_tapering);
            rotations = rotations.max(outcome.rotations);
            pool_rotations = pool_rotations.max(outcome.pool_rotations);
        }
        outcomes.push(outcome);
        progress(&plan.name, done + 1, total);
    }
    let ok: Vec<&PointPlan> = outcomes.iter().map(|o| &o.point).filter(|p| p.failed.is_none()).collect();
    plan.qubits = ok.iter().map(|p| p.qubits).max().unwrap_or(0);
    plan.parameters = ok.iter().map(|p| p.parameters).max().unwrap_or(0);
    plan.gates = GateCounts {
        one_qubit: ok.iter().map(|p| p.gates.one_qubit).max().unwrap_or(0),
        two_qubit: ok.iter().map(|p| p.gates.two_qubit).max().unwrap_or(0),
    };
    plan.depth = ok.iter().map(|p| p.depth).max().unwrap_or(0);
    plan.native = ok.iter().filter_map(|p| p.native.clone()).reduce(|worst, e| NativeEstimate {
        one_qubit: worst.one_qubit.max(e.one_qubit),
        two_qubit: worst.two_qubit.max(e.two_qubit),
        depth: worst.depth.max(e.depth),
        duration: worst.duration.zip(e.duration).map(|(a, b)| a.max(b)),
        fidelity: worst.fidelity.min(e.fidelity),
        ..worst
    });
    plan.terms = ok.iter().map(|p| p.terms).max().unwrap_or(0);
    plan.groups = ok.iter().map(|p| p.groups).max().unwrap_or(0);
    plan.evaluations = match settings.ansatz {
        AnsatzKind::Hf => evaluations::reference_only(),
        AnsatzKind::Adapt => {
            let per_operator = if plan.parameters > 0 { rotations.div_ceil(plan.parameters as u64) } else { 8 };
            evaluations::adapt(
                &settings.optimizer.kind,
                settings.optimizer.max_iter,
                u64::from(settings.options.max_operators),
                pool_rotations,
                per_operator.max(1),
            )
        }
        _ => evaluations::fixed_circuit(
            &settings.optimizer.kind,
            settings.optimizer.max_iter,
            plan.parameters as u64,
            rotations,
        ),
    };
    if settings.measured {
        judge_shots(&mut plan, &settings, &mut outcomes)
            .map_err(|e| PlanError(format!("generate `{}`: {e}", plan.name)))?;
    }
    plan.points = outcomes.into_iter().map(|o| o.point).collect();
    plan.seconds = started.elapsed().as_secs_f64();
    Ok(plan)
}

/// Shots per evaluation, totals and findings, from the points' variances. Failure contract: a
/// precision that is not positive and finite is an error (the checker rules it out).
fn judge_shots(
    plan: &mut GeneratePlan,
    settings: &Settings<'_>,
    outcomes: &mut [PointOutcome],
) -> Result<(), measure::ShotError> {
    let allocation = measure_allocation(settings.allocation);
    let per_point = plan.evaluations.per_point.max(1);
    plan.shots_given = settings.shots.map(|s| match s.scope {
        ShotScope::PerEvaluation => s.count,
        ShotScope::PerPoint => s.count / per_point,
    });
    for outcome in outcomes.iter_mut().filter(|o| o.point.failed.is_none()) {
        if let Some(precision) = settings.precision {
            let needed = measure::shots_for_precision(&outcome.variances, &outcome.weights, allocation, precision)?;
            outcome.point.shots_needed = Some((needed.total as f64 * settings.zne_factor).ceil() as u64);
        }
        if let Some(given) = plan.shots_given {
            // Fewer shots than groups leave a group unmeasured: no finite error is reachable.
            outcome.point.standard_error =
                match measure::allocate_shots(&outcome.variances, &outcome.weights, allocation, given) {
                    Ok(split) => Some(split.standard_error * settings.zne_factor.sqrt()),
                    Err(measure::ShotError::TooFewShots { .. }) => Some(f64::INFINITY),
                    Err(e) => return Err(e),
                };
        }
    }
    plan.shots_needed = outcomes.iter().filter_map(|o| o.point.shots_needed).max();
    plan.standard_error = outcomes.iter().filter_map(|o| o.point.standard_error).reduce(f64::max);
    plan.shots_per_evaluation = plan.shots_given.or(plan.shots_needed);
    let points = outcomes.len() as u64;
    plan.total_shots = plan.shots_per_evaluation.map(|s| s.saturating_mul(per_point).saturating_mul(points));
    if let (Some(native), Some(device), Some(total)) = (&plan.native, settings.device, plan.total_shots) {
        plan.qpu_seconds = native.duration.map(|t| t * total as f64);
        plan.usd = device
            .price_1q
            .zip(device.price_2q)
            .map(|(p1, p2)| total as f64 * (native.one_qubit as f64 * p1 + native.two_qubit as f64 * p2));
    }

    if let (Some(given), Some(needed), Some(precision)) = (plan.shots_given, plan.shots_needed, settings.precision) {
        let error = plan.standard_error.unwrap_or(f64::NAN);
        let scope_note = match settings.shots.map(|s| s.scope) {
            Some(ShotScope::PerPoint) => {
                format!(" ({} per point over {per_point} evaluations)", group_digits(given * per_point))
            }
            _ => String::new(),
        };
        if given < needed {
            plan.findings.push(Finding {
                code: Code::PrecisionUnreachable,
                severity: Severity::Error,
                field: Field::Shots,
                message: format!(
                    "{} shots per evaluation{scope_note} give a standard error of {} at the worst point, but `precision` asks for {}; {} shots are needed",
                    group_digits(given),
                    millihartree(error),
                    millihartree(precision),
                    group_digits(needed)
                ),
                help: format!(
                    "raise `shots` to at least {} per evaluation or relax `precision`{}",
                    group_digits(needed),
                    if settings.grouping == Grouping::Commuting {
                        ""
                    } else {
                        ", or measure fewer groups with `grouping = commuting`"
                    }
                ),
            });
        } else if (given as f64) < MARGIN * needed as f64 {
            plan.findings.push(Finding {
                code: Code::PrecisionMarginal,
                severity: Severity::Warning,
                field: Field::Shots,
                message: format!(
                    "{} shots per evaluation reach `precision` = {} with little margin: {} are needed at the worst point (standard error {})",
                    group_digits(given),
                    millihartree(precision),
                    group_digits(needed),
                    millihartree(error)
                ),
                help: format!(
                    "the estimate uses ground-state variances; states met during the optimisation vary more. Consider {} shots",
                    group_digits((MARGIN * needed as f64).ceil() as u64)
                ),
            });
        }
    }
    if let (Some(Budget::Shots(budget)), Some(total), Some(shots)) =
        (settings.budget, plan.total_shots, plan.shots_per_evaluation)
    {
        if total > *budget {
            plan.findings.push(Finding {
                code: Code::BudgetExceeded,
                severity: Severity::Error,
                field: Field::Budget,
                message: format!(
                    "the generate needs up to {} shots ({} points × {} evaluations × {} shots), but `budget` is {}",
                    scientific(total),
                    points,
                    group_digits(per_point),
                    group_digits(shots),
                    scientific(*budget)
                ),
                help: "fewer points, fewer optimiser iterations (`optimizer = lbfgs { max_iter = ... }`), fewer shots per evaluation, or a larger `budget`".into(),
            });
        }
    }
    Ok(())
}

/// Gate counts no ADAPT circuit of at most `most` operators exceeds: the reference preparation
/// plus `most` copies of the pool operator with the most gates (ADAPT may pick an operator
/// again), each lowered rotation by rotation.
fn adapt_upper_bound(space: &QubitSpace, pool: &[Vec<PauliString>], most: usize) -> LogicalCircuit {
    let lowered = |rotations: &Vec<PauliString>, parameter: usize, circuit: &mut LogicalCircuit| {
        for &string in rotations {
            circuit.push_pauli_rotation(string, Angle::Parameter { index: parameter, weight: 1.0 });
        }
    };
    let mut bound = LogicalCircuit::new(space.n_qubits(), most.max(1));
    let reference = space.reference_state();
    for q in (0..space.n_qubits()).filter(|q| reference >> q & 1 == 1) {
        bound.push(Gate::X(q));
    }
    let largest = pool.iter().max_by_key(|rotations| {
        let mut single = LogicalCircuit::new(space.n_qubits(), 1);
        lowered(rotations, 0, &mut single);
        single.gates().len()
    });
    if let Some(largest) = largest {
        for k in 0..most {
            lowered(largest, k, &mut bound);
        }
    }
    bound
}

/// A point's plan with what the generate aggregates beyond [`PointPlan`].
struct PointOutcome {
    point: PointPlan,
    qubits_mapped: u32,
    qubits_before_tapering: u32,
    rotations: u64,
    /// ADAPT: parametrised rotations over the whole pool (0 otherwise).
    pool_rotations: u64,
    /// Single-shot variance and coefficient weight of each measurement group.
    variances: Vec<f64>,
    weights: Vec<f64>,
}

fn failed_point(label: String, reason: String) -> PointOutcome {
    PointOutcome {
        point: PointPlan {
            point: label,
            qubits: 0,
            terms: 0,
            groups: 0,
            parameters: 0,
            gates: GateCounts::default(),
            depth: 0,
            variances: "none",
            shots_needed: None,
            standard_error: None,
            native: None,
            failed: Some(reason),
        },
        qubits_mapped: 0,
        qubits_before_tapering: 0,
        rotations: 0,
        pool_rotations: 0,
        variances: Vec::new(),
        weights: Vec::new(),
    }
}

fn plan_point(ir: &ExperimentIr, job: &PointJob, settings: &Settings<'_>) -> Result<PointOutcome, String> {
    let problem = ActiveProblem::new(ir, job)?;
    let active = &problem.hamiltonian;
    let (space, hamiltonian) = qubit_space(settings.mapping, active)?;

    let (parameters, logical, pool) = match settings.ansatz {
        AnsatzKind::Adapt => {
            let pool = ansatz::pool_rotations(settings.options, &space).map_err(|e| format!("ADAPT pool: {e}"))?;
            // An operator may be chosen again, so every step may add the largest one.
            let most = settings.options.max_operators as usize;
            (most, adapt_upper_bound(&space, &pool, most), pool.iter().map(Vec::len).sum())
        }
        kind => {
            let built = ansatz::build(kind, settings.options, &space).map_err(|e| format!("ansatz: {e}"))?;
            (built.circuit.n_parameters(), built.logical, 0)
        }
    };
    let rotations = logical.gates().iter().filter(|g| g.parameter().is_some()).count() as u64;
    let native = match settings.device {
        Some(device) => Some(native::estimate(&logical, device).map_err(|e| format!("native gates: {e}"))?),
        None => None,
    };

    let grouping = measure_grouping(settings.grouping);
    let measurement = measure::plan(&hamiltonian, grouping).map_err(|e| format!("measurement groups: {e}"))?;
    let (variances, source) = if settings.measured {
        measurement_variances(&hamiltonian, &space, &measurement)?
    } else {
        (measure::group_variances(&measurement, None), "bound")
    };
    let weights = measurement.coefficient_weights();
    Ok(PointOutcome {
        point: PointPlan {
            point: point_label(ir, job),
            qubits: space.n_qubits(),
            terms: hamiltonian.terms.iter().filter(|(p, _)| *p != PauliString::IDENTITY).count(),
            groups: measurement.groups().len(),
            parameters,
            gates: logical.counts(),
            depth: logical.depth(),
            variances: source,
            shots_needed: None,
            standard_error: None,
            native,
            failed: None,
        },
        qubits_mapped: space.n_qubits_mapped(),
        qubits_before_tapering: space.n_qubits_before_tapering(),
        rotations,
        pool_rotations: pool as u64,
        variances,
        weights,
    })
}

/// The findings of `plans` as diagnostics at the fields they are about (the generate's name when
/// the field is not written), with the spans the checker recorded in `spec`.
pub fn diagnostics(spec: &qdf_compiler::hir::Spec, plans: &[GeneratePlan]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for plan in plans {
        let Some(generate) = spec.generates.iter().find(|g| g.name == plan.name) else { continue };
        let spans = generate.spans;
        for finding in &plan.findings {
            let span = match finding.field {
                Field::Shots => spans.shots,
                Field::Precision => spans.precision,
                Field::Budget => spans.budget,
            }
            .unwrap_or(spans.name);
            let diagnostic = match finding.severity {
                Severity::Error => Diagnostic::error(finding.code, span, &finding.message),
                Severity::Warning => Diagnostic::warning(finding.code, span, &finding.message),
            };
            let mut diagnostic = diagnostic.with_help(finding.help.clone());
            if let (Field::Shots, Some(precision)) = (finding.field, spans.precision) {
                diagnostic.labels.push(Label { span: precision, message: "the precision asked for".into() });
            }
            out.push(diagnostic);
        }
        if let Some(native) = plan.native.as_ref().filter(|n| n.fidelity < generate.min_fidelity) {
            let device = generate.device.as_ref().map_or("the device", |d| d.name.as_str());
            let span = spans.device.unwrap_or(spans.name);
            out.push(
                Diagnostic::warning(
                    Code::FidelityLow,
                    span,
                    format!(
                        "the circuit's expected fidelity on {device} is {:.3} at the worst point ({} two-qubit gates), below `min_fidelity` = {}",
                        native.fidelity, native.two_qubit, generate.min_fidelity
                    ),
                )
                .with_help("the data would be dominated by noise: a smaller active space, tapering or the two-qubit reduction, a shallower ansatz (ADAPT), or a lower `min_fidelity` if this is intended"),
            );
        }
    }
    out
}

/// The factor by which zero-noise extrapolation multiplies the shots a precision needs (1
/// without it). Readout mitigation's smaller growth of the variance is not counted. Failure
/// contract: scales Richardson cannot use are an error message (the checker rules them out).
pub fn zne_shot_factor(zne_scales: &[u32]) -> Result<f64, String> {
    if zne_scales.is_empty() {
        return Ok(1.0);
    }
    zne_variance_factor(zne_scales).map_err(|e| format!("zero-noise extrapolation: {e}"))
}

/// The measurement module's grouping for the spec's.
pub fn measure_grouping(grouping: Grouping) -> measure::Grouping {
    match grouping {
        Grouping::QubitWise => measure::Grouping::QubitWise,
        Grouping::Commuting => measure::Grouping::FullyCommuting,
        Grouping::None => measure::Grouping::PerTerm,
    }
}

/// The measurement module's shot allocation for the spec's.
pub fn measure_allocation(allocation: ShotAllocation) -> measure::Allocation {
    match allocation {
        ShotAllocation::Uniform => measure::Allocation::Uniform,
        ShotAllocation::Weighted => measure::Allocation::Weighted,
        ShotAllocation::VarianceOptimal => measure::Allocation::VarianceOptimal,
    }
}

/// The single-shot variance of every group of `plan` that shot counts are sized by, and which
/// they are: `ground_state` (in the ground state of `h` in the reference state's sector, the
/// state VQE converges to; up to [`MAX_GROUND_STATE_QUBITS`] qubits) or `bound` (the
/// state-independent `(Σ|c|)²` beyond). Shared by the planner and `qdf run`, so a `precision`
/// gives the same shots in both. Failure contract: a Lanczos failure is an error message.
pub fn measurement_variances(
    h: &PauliSum,
    space: &QubitSpace,
    plan: &measure::MeasurementPlan,
) -> Result<(Vec<f64>, &'static str), String> {
    if space.n_qubits() > MAX_GROUND_STATE_QUBITS {
        return Ok((measure::group_variances(plan, None), "bound"));
    }
    let start = StateVector::basis(space.n_qubits(), space.reference_state());
    let (_, state) = ground_state::ground_state(&Observable::new(h), &start, 1e-8)?;
    Ok((measure::group_variances(plan, Some(&state)), "ground_state"))
}

/// `h2[3]`, from the point's geometry node label `h2[3] geometry`.
fn point_label(ir: &ExperimentIr, job: &PointJob) -> String {
    let label = &ir.nodes[job.geometry as usize].label;
    label.strip_suffix(" geometry").unwrap_or(label).to_string()
}

/// Why a generate is beyond the quick limits, if it is.
fn too_large(ir: &ExperimentIr, dataset: &DatasetJob, limits: &QuickLimits) -> Option<String> {
    if dataset.points.len() > limits.max_points {
        return Some(format!("{} points (quick planning covers at most {})", dataset.points.len(), limits.max_points));
    }
    for job in &dataset.points {
        let Task::ActiveSpace { orbitals, .. } = &ir.nodes[job.active_space as usize].task else { continue };
        if 2 * orbitals > limits.max_qubits {
            return Some(format!(
                "{} qubits before reduction (quick planning covers at most {})",
                2 * orbitals,
                limits.max_qubits
            ));
        }
        let Task::Geometry { atoms, .. } = &ir.nodes[job.geometry as usize].task else { continue };
        let Task::Scf { basis, basis_file, .. } = &ir.nodes[job.scf as usize].task else { continue };
        let nuclei: Vec<crate::chem::Atom> =
            atoms.iter().map(|a| crate::chem::Atom { z: a.z, position: a.position }).collect();
        let size = match basis_file {
            Some(set) => crate::chem::AoBasis::from_basis_set(&nuclei, set),
            None => crate::chem::AoBasis::new(&nuclei, basis),
        }
        .map(|b| b.nao)
        .unwrap_or(usize::MAX);
        if size > limits.max_basis_functions {
            return Some(format!(
                "{size} basis functions (quick planning covers at most {})",
                limits.max_basis_functions
            ));
        }
    }
    None
}

/// `1.60 mHa` (or `µHa` below 0.1 mHa).
pub fn millihartree(energy: f64) -> String {
    if energy.abs() < 1e-4 {
        format!("{:.2} µHa", energy * 1e6)
    } else {
        format!("{:.2} mHa", energy * 1e3)
    }
}

/// `12,345`.
pub fn group_digits(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `2.10e9` for large counts, digits otherwise.
pub fn scientific(n: u64) -> String {
    if n < 1_000_000 {
        group_digits(n)
    } else {
        let exponent = (n as f64).log10().floor() as i32;
        format!("{:.2}e{exponent}", n as f64 / 10f64.powi(exponent))
    }
}

#[cfg(test)]
mod tests;

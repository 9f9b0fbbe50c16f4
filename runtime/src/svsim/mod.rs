//! A fast state-vector engine for circuit templates: fusion, cache blocking, threads, SIMD.
//!
//! - [`gate`]: template gates (`H`, `Rx`…, `CNOT`, `CZ`, Pauli rotations) with fixed or
//!   run-time angles.
//! - [`fusion`]: single-qubit runs and CNOT/CZ with their target's gates become one operation.
//! - [`plan`]: operations grouped into cache-sized stages, one memory pass each.
//! - [`kernels`], [`simd`], [`tiles`]: the loops, their vectorised dispatch, gathered tiles.
//! - [`pauli_sum`], [`pauli_lanes`]: Pauli-sum expectation values and `H|ψ⟩` over chunk pairs,
//!   in blocks of four amplitudes ([`lanes`]).
//! - [`adjoint`], [`adjoint_lanes`]: energy and gradient by adjoint differentiation (a backward
//!   sweep planned once); parameter shift.
//! - [`sampling`]: seeded measurement outcomes and shot-based estimates.
//!
//! A [`Template`] fixes the circuit's structure; [`Program::compile`] fuses and schedules it
//! once; [`Program::run`] binds a parameter vector and applies it to a [`StateVector`]. The
//! reference path [`apply_gate`] applies one gate at a time with the same kernels.
//!
//! Threading: stages run their tiles in parallel (rayon) only for states of at least
//! [`PARALLEL_MIN_QUBITS`] qubits; smaller states run on the calling thread.
pub mod adjoint;
pub mod adjoint_lanes;
pub mod fusion;
pub mod gate;
pub mod jit;
pub mod kernels;
pub mod lanes;
pub mod pauli_lanes;
pub mod pauli_sum;
pub mod plan;
pub mod sampling;
pub mod simd;
pub mod tiles;

use std::fmt;

use rayon::prelude::*;

use crate::sim::statevector::{StateVector, PARALLEL_MIN_QUBITS};
use fusion::{BoundOp, FusedOp};
pub use gate::{Angle, Gate, Mat2};
use plan::{Stage, StageKind};

/// Why a template is rejected.
#[derive(Clone, Debug, PartialEq)]
pub enum TemplateError {
    /// A gate acts on a qubit outside the register.
    QubitOutOfRange { gate: usize, qubit: u32 },
    /// A two-qubit gate names the same qubit twice, or a Pauli rotation is the identity.
    DegenerateGate { gate: usize },
    /// An angle reads a parameter beyond the template's parameter count.
    ParameterOutOfRange { gate: usize, index: usize },
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemplateError::QubitOutOfRange { gate, qubit } => {
                write!(f, "gate {gate} acts on qubit {qubit}, outside the register")
            }
            TemplateError::DegenerateGate { gate } => write!(f, "gate {gate} acts on the same qubit twice or on none"),
            TemplateError::ParameterOutOfRange { gate, index } => {
                write!(f, "gate {gate} reads parameter {index}, beyond the parameter count")
            }
        }
    }
}

impl std::error::Error for TemplateError {}

/// A circuit with fixed structure and `n_params` run-time parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    n_qubits: u32,
    n_params: usize,
    gates: Vec<Gate>,
}

impl Template {
    /// Checks every gate against the register and the parameter count. Errors: see
    /// [`TemplateError`]; `n_qubits` above [`crate::sim::statevector::MAX_QUBITS`] is reported as
    /// the first gate's qubit being out of range only if a gate uses it (the state allocation
    /// itself panics beyond the limit).
    pub fn new(n_qubits: u32, n_params: usize, gates: Vec<Gate>) -> Result<Self, TemplateError> {
        for (i, g) in gates.iter().enumerate() {
            let support = g.support();
            if support == 0 || matches!(*g, Gate::Cnot(a, b) | Gate::Cz(a, b) if a == b) {
                return Err(TemplateError::DegenerateGate { gate: i });
            }
            if n_qubits < 64 && support >> n_qubits != 0 {
                return Err(TemplateError::QubitOutOfRange { gate: i, qubit: 63 - support.leading_zeros() });
            }
            if let Some(Angle::Param { index, .. }) = g.angle() {
                if index >= n_params {
                    return Err(TemplateError::ParameterOutOfRange { gate: i, index });
                }
            }
        }
        Ok(Template { n_qubits, n_params, gates })
    }

    pub fn n_qubits(&self) -> u32 {
        self.n_qubits
    }

    pub fn n_params(&self) -> usize {
        self.n_params
    }

    pub fn gates(&self) -> &[Gate] {
        &self.gates
    }
}

/// A fused and scheduled template, ready to run for any parameter vector.
#[derive(Clone, Debug)]
pub struct Program {
    template: Template,
    ops: Vec<FusedOp>,
    stages: Vec<Stage>,
    arch: pulp::Arch,
}

impl Program {
    /// Fuses and schedules `template` with tiles of [`plan::TILE_QUBITS`] qubits.
    pub fn compile(template: Template) -> Self {
        Self::with_tile_qubits(template, plan::TILE_QUBITS)
    }

    /// As [`Self::compile`] with tiles of `tile_qubits` qubits (tests use small tiles to exercise
    /// gathered stages on small states). Failure contract: panics if `tile_qubits` is below
    /// [`plan::LOW_QUBITS`] + 2, too small to hold a two-qubit gate beside the low qubits.
    pub fn with_tile_qubits(template: Template, tile_qubits: u32) -> Self {
        assert!(tile_qubits >= plan::LOW_QUBITS + 2, "tiles of {tile_qubits} qubits are too small");
        let ops = fusion::fuse(template.n_qubits, &template.gates);
        let stages = plan::schedule(template.n_qubits, &ops, tile_qubits);
        Program { template, ops, stages, arch: pulp::Arch::new() }
    }

    pub fn template(&self) -> &Template {
        &self.template
    }

    /// The number of fused operations.
    pub fn n_ops(&self) -> usize {
        self.ops.len()
    }

    /// The number of stages (memory passes, for states larger than a tile).
    pub fn n_stages(&self) -> usize {
        self.stages.len()
    }

    /// The fused operations with `params` bound, in stage order, each with its stage's local
    /// qubit numbering; the JIT compiles these.
    pub fn bind_stages(&self, params: &[f64]) -> Vec<(StageKind, Vec<BoundOp>)> {
        self.stages
            .iter()
            .map(|stage| {
                let ops = stage.ops.iter().map(|&i| self.ops[i].bind(&self.template.gates, params));
                let ops = match stage.kind {
                    StageKind::Gathered { local } => ops.map(|op| plan::localize(op, local)).collect(),
                    _ => ops.collect(),
                };
                (stage.kind.clone(), ops)
            })
            .collect()
    }

    /// `|ψ⟩ ← U(params)|ψ⟩`. Failure contract: panics if `params` is shorter than the template's
    /// parameter count or the state has another qubit count (programming errors).
    pub fn run(&self, state: &mut StateVector, params: &[f64]) {
        assert!(params.len() >= self.template.n_params, "too few parameters for the template");
        assert_eq!(state.n_qubits(), self.template.n_qubits, "state and template differ in qubit count");
        let n = state.n_qubits();
        let parallel = n >= PARALLEL_MIN_QUBITS;
        for (kind, ops) in self.bind_stages(params) {
            run_stage(self.arch, state, n, &kind, &ops, parallel);
        }
    }
}

/// Runs one stage's bound (and localised) operations over the state.
pub(crate) fn run_stage(
    arch: pulp::Arch,
    state: &mut StateVector,
    n: u32,
    kind: &StageKind,
    ops: &[BoundOp],
    parallel: bool,
) {
    match *kind {
        StageKind::Contiguous { m } => {
            let a = state.amplitudes_mut();
            let len = 1usize << m;
            if parallel && a.len() > len {
                a.par_chunks_mut(len).for_each(|tile| simd::apply_ops(arch, tile, ops));
            } else {
                a.chunks_mut(len).for_each(|tile| simd::apply_ops(arch, tile, ops));
            }
        }
        StageKind::Gathered { local } => {
            tiles::for_each_tile(state.amplitudes_mut(), n, local, parallel, |tile| simd::apply_ops(arch, tile, ops));
        }
        StageKind::Whole => {
            for op in ops {
                apply_bound_whole(state, op);
            }
        }
    }
}

/// One bound operation on the whole state (global qubit numbers), in parallel for large states.
fn apply_bound_whole(state: &mut StateVector, op: &BoundOp) {
    match *op {
        BoundOp::Pauli { p, alpha, beta } => state.apply_identity_plus_pauli(alpha, beta, p),
        BoundOp::One { q, .. } | BoundOp::Select { t: q, .. } => {
            let top = match *op {
                BoundOp::Select { c, .. } => q.max(c),
                _ => q,
            };
            let arch = pulp::Arch::new();
            let chunk = 1usize << (top + 1);
            let a = state.amplitudes_mut();
            if state_parallel(a.len()) && a.len() > chunk {
                a.par_chunks_mut(chunk).for_each(|t| simd::apply_ops(arch, t, std::slice::from_ref(op)));
            } else {
                simd::apply_ops(arch, a, std::slice::from_ref(op));
            }
        }
    }
}

fn state_parallel(len: usize) -> bool {
    len >= 1 << PARALLEL_MIN_QUBITS
}

/// The interpreted reference path: applies one gate of a template to the state with the same
/// kernels, without fusion or blocking. Failure contract: panics if the gate acts outside the
/// state or reads a parameter beyond `params` (programming errors; [`Template::new`] checks both).
pub fn apply_gate(state: &mut StateVector, gate: &Gate, params: &[f64]) {
    let op = match *gate {
        Gate::Cnot(c, t) => BoundOp::Select { c, t, m0: gate::IDENTITY2, m1: gate::PAULI_X },
        Gate::Cz(c, t) => BoundOp::Select { c, t, m0: gate::IDENTITY2, m1: gate::PAULI_Z },
        Gate::PauliRotation(p, a) => {
            let (s, c) = (0.5 * a.value(params)).sin_cos();
            BoundOp::Pauli { p, alpha: num_complex::Complex64::new(c, 0.0), beta: num_complex::Complex64::new(0.0, -s) }
        }
        ref g => {
            let q = g.support().trailing_zeros();
            BoundOp::One { q, m: g.matrix1(params).expect("single-qubit gate") }
        }
    };
    assert!(state.n_qubits() >= 64 || gate.support() >> state.n_qubits() == 0, "gate acts outside the state");
    apply_bound_whole(state, &op);
}

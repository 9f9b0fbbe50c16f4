//! Gradients of `E(θ) = ⟨ψ(θ)|H|ψ(θ)⟩`: adjoint differentiation for simulators, parameter shift
//! for devices.
//!
//! Adjoint (Jones & Gacon, arXiv:2009.02823): one forward run gives `ψ`, then `λ = H|ψ⟩` and
//! `E = ⟨ψ|λ⟩`; walking the gates backwards, each rotation `G = exp(−i θ/2 · P)` contributes
//! `∂E/∂θ = 2 Re⟨λ|(−i/2) P|φ⟩ = Im⟨λ|P|φ⟩` (φ the state just after `G`, λ the co-state), and
//! `G†` is applied to both. Every parameter costs one fused pass over two vectors; the whole
//! gradient costs about three circuit applications and one `H|ψ⟩`.
//!
//! Parameter shift: for a rotation, `∂E/∂angle = [E(angle + π/2) − E(angle − π/2)] / 2`,
//! with any energy estimator (exact or shot-based).

use std::f64::consts::FRAC_PI_2;
use std::fmt;

use num_complex::Complex64;
use rayon::prelude::*;

use super::adjoint_lanes::{rotation_step, Axis};
use super::fusion::BoundOp;
use super::gate::{dagger2, Angle, Gate};
use super::lanes::{self, AMP_BITS};
use super::pauli_sum::PauliSumKernel;
use super::plan::StageKind;
use super::{run_stage, Program, Template};
use crate::qubit::PauliString;
use crate::sim::statevector::{StateVector, PARALLEL_MIN_QUBITS};

/// Amplitudes per parallel task of a rotation step on a large state (at least one pair block).
const STEP_TASK: usize = 1 << 12;

/// `E(θ)` and `∂E/∂θ` by adjoint differentiation. A parameter read by several gates gets the sum
/// of their contributions, each times its angle's scale. Builds an [`AdjointPlan`] for this one
/// call; loops that evaluate many parameter vectors keep a plan instead. Failure contract: panics
/// if `params` is shorter than the template's parameter count or `h` is on another qubit count.
pub fn energy_and_gradient(program: &Program, h: &PauliSumKernel, params: &[f64]) -> (f64, Vec<f64>) {
    let mut plan = AdjointPlan::new(program);
    let mut grad = vec![0.0; program.template().n_params()];
    let energy = plan.energy_and_gradient_into(h, params, &mut grad);
    (energy, grad)
}

/// One step of the backward sweep, in reverse circuit order.
#[derive(Clone, Debug)]
enum Step {
    /// A parametrised rotation about one axis of qubit `q`.
    Axis { q: u32, axis: Axis, index: usize, scale: f64 },
    /// A parametrised rotation about a Pauli string.
    Pauli { p: PauliString, index: usize, scale: f64 },
    /// The inverses of the gates between two parametrised rotations, fused and scheduled.
    Fixed(Vec<(StageKind, Vec<BoundOp>)>),
}

/// The backward sweep of a program, compiled once, and the two state vectors it works on: each
/// gradient binds parameters and allocates nothing.
#[derive(Clone, Debug)]
pub struct AdjointPlan {
    program: Program,
    steps: Vec<Step>,
    phi: StateVector,
    lambda: StateVector,
}

impl AdjointPlan {
    /// Plans the backward sweep of `program`: parametrised rotations become gradient steps, the
    /// gates between them are inverted and fused; gates before the first parametrised rotation are
    /// never undone. Cannot fail.
    pub fn new(program: &Program) -> Self {
        let template = program.template();
        let n = template.n_qubits();
        let mut steps = Vec::new();
        let mut fixed: Vec<Gate> = Vec::new();
        for gate in template.gates().iter().rev() {
            let (Some(p), Some(Angle::Param { index, scale })) = (rotation_generator(gate), gate.angle()) else {
                fixed.push(inverse_gate(gate, &[]));
                continue;
            };
            if !fixed.is_empty() {
                steps.push(fixed_step(n, std::mem::take(&mut fixed)));
            }
            let support = p.x | p.z;
            steps.push(match axis_of(p) {
                Some(axis) if n >= AMP_BITS => Step::Axis { q: support.trailing_zeros(), axis, index, scale },
                _ => Step::Pauli { p, index, scale },
            });
        }
        AdjointPlan { program: program.clone(), steps, phi: StateVector::zero(n), lambda: StateVector::zero(n) }
    }

    /// `E(θ)`, with `∂E/∂θ` written to `grad` (see [`energy_and_gradient`]). Failure contract:
    /// panics if `params` is shorter than the parameter count, `grad` is not exactly that long,
    /// or `h` is on another qubit count.
    pub fn energy_and_gradient_into(&mut self, h: &PauliSumKernel, params: &[f64], grad: &mut [f64]) -> f64 {
        let n_params = self.program.template().n_params();
        assert_eq!(grad.len(), n_params, "gradient buffer of the wrong length");
        let AdjointPlan { program, steps, phi, lambda } = self;
        let n = phi.n_qubits();
        let amplitudes = phi.amplitudes_mut();
        amplitudes.fill(Complex64::new(0.0, 0.0));
        amplitudes[0] = Complex64::new(1.0, 0.0);
        program.run(phi, params);
        h.apply_into(phi, lambda);
        let energy = phi.inner(lambda).re;
        grad.fill(0.0);
        let arch = pulp::Arch::new();
        let parallel = n >= PARALLEL_MIN_QUBITS;
        let last = steps.len().saturating_sub(1);
        for (i, step) in steps.iter().enumerate() {
            match *step {
                Step::Axis { q, axis, index, scale } => {
                    let (s, c) = (0.5 * scale * params[index]).sin_cos();
                    let overlap = axis_step(arch, phi, lambda, q, axis, c, s, i < last);
                    // Im⟨λ|P|φ⟩ = −Re⟨λ|K|φ⟩ with K = iP.
                    grad[index] -= scale * overlap;
                }
                Step::Pauli { p, index, scale } => {
                    grad[index] += scale * phi.adjoint_rotation_step(lambda, p, scale * params[index]).im;
                }
                Step::Fixed(ref stages) => {
                    for (kind, ops) in stages {
                        run_stage(arch, phi, n, kind, ops, parallel);
                        run_stage(arch, lambda, n, kind, ops, parallel);
                    }
                }
            }
        }
        energy
    }
}

/// The axis of a single-qubit Pauli string.
fn axis_of(p: PauliString) -> Option<Axis> {
    let support = p.x | p.z;
    if support.count_ones() != 1 {
        return None;
    }
    Some(match (p.x != 0, p.z != 0) {
        (true, false) => Axis::X,
        (true, true) => Axis::Y,
        _ => Axis::Z,
    })
}

/// The inverted gates (already in sweep order) as fused stages.
fn fixed_step(n: u32, gates: Vec<Gate>) -> Step {
    let template = Template::new(n, 0, gates).expect("inverses of a valid template's gates are valid");
    Step::Fixed(Program::compile(template).bind_stages(&[]))
}

/// [`rotation_step`] on the whole state, in parallel tasks (whole pair blocks, partial overlaps
/// added in order) for large states.
#[allow(clippy::too_many_arguments)]
fn axis_step(
    arch: pulp::Arch,
    phi: &mut StateVector,
    lambda: &mut StateVector,
    q: u32,
    axis: Axis,
    c: f64,
    s: f64,
    apply: bool,
) -> f64 {
    let (p, l) = (phi.amplitudes_mut(), lambda.amplitudes_mut());
    let task = STEP_TASK.max(2 << q);
    let step = |p: &mut [Complex64], l: &mut [Complex64]| {
        arch.dispatch(RotationStep { phi: p, lambda: l, q, axis, c, s, apply })
    };
    if parallel_state(p.len()) && p.len() > task {
        let partials: Vec<f64> = p.par_chunks_mut(task).zip(l.par_chunks_mut(task)).map(|(p, l)| step(p, l)).collect();
        partials.into_iter().sum()
    } else {
        step(p, l)
    }
}

fn parallel_state(len: usize) -> bool {
    len >= 1 << PARALLEL_MIN_QUBITS
}

/// A rotation step on one task, compiled for the processor's vector unit.
struct RotationStep<'a> {
    phi: &'a mut [Complex64],
    lambda: &'a mut [Complex64],
    q: u32,
    axis: Axis,
    c: f64,
    s: f64,
    apply: bool,
}

impl pulp::WithSimd for RotationStep<'_> {
    type Output = f64;

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _simd: S) -> f64 {
        let RotationStep { phi, lambda, q, axis, c, s, apply } = self;
        rotation_step(lanes::blocks_mut(phi), lanes::blocks_mut(lambda), q, axis, c, s, apply)
    }
}

/// The generator used to step back through a rotation; a phase gate `diag(1, e^{iφ})` is
/// `e^{iφ/2} Rz(φ)`, and the global phase cancels in every overlap.
fn rotation_generator(gate: &Gate) -> Option<PauliString> {
    match *gate {
        Gate::Phase(q, _) => Some(PauliString::single('Z', q)),
        ref g => g.generator(),
    }
}

/// The inverse of a gate that is not stepped through as a rotation.
fn inverse_gate(gate: &Gate, params: &[f64]) -> Gate {
    match *gate {
        Gate::Cnot(..) | Gate::Cz(..) => *gate,
        Gate::PauliRotation(p, a) => Gate::PauliRotation(p, Angle::Fixed(-a.value(params))),
        ref g => {
            let q = g.support().trailing_zeros();
            Gate::Unitary(q, dagger2(&g.matrix1(params).expect("single-qubit gate")))
        }
    }
}

/// Why a template cannot be differentiated by parameter shift.
#[derive(Clone, Debug, PartialEq)]
pub enum ShiftError {
    /// The parameter is read by more than one gate (the two-term rule needs one).
    SharedParameter { index: usize },
    /// The parameter is read by a gate that is not a rotation, or with scale 0.
    NotARotation { index: usize },
}

impl fmt::Display for ShiftError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShiftError::SharedParameter { index } => write!(f, "parameter {index} is read by several gates"),
            ShiftError::NotARotation { index } => write!(f, "parameter {index} does not drive a rotation"),
        }
    }
}

impl std::error::Error for ShiftError {}

/// `∂E/∂θ` by the two-term parameter-shift rule, with `energy` any estimator of `E` (exact, or
/// shot-based on a device). Each parameter must drive exactly one rotation gate (unused
/// parameters get 0); `2 · n_params` energies are evaluated. Errors: [`ShiftError`].
pub fn parameter_shift_gradient(
    template: &Template,
    params: &[f64],
    mut energy: impl FnMut(&[f64]) -> f64,
) -> Result<Vec<f64>, ShiftError> {
    let mut scale: Vec<Option<f64>> = vec![None; template.n_params()];
    for gate in template.gates() {
        if let Some(Angle::Param { index, scale: s }) = gate.angle() {
            if rotation_generator(gate).is_none() || s == 0.0 {
                return Err(ShiftError::NotARotation { index });
            }
            if scale[index].replace(s).is_some() {
                return Err(ShiftError::SharedParameter { index });
            }
        }
    }
    let mut shifted = params.to_vec();
    let mut grad = vec![0.0; template.n_params()];
    for (k, s) in scale.iter().enumerate() {
        let Some(s) = *s else { continue };
        let step = FRAC_PI_2 / s;
        shifted[k] = params[k] + step;
        let plus = energy(&shifted);
        shifted[k] = params[k] - step;
        let minus = energy(&shifted);
        shifted[k] = params[k];
        grad[k] = s * 0.5 * (plus - minus);
    }
    Ok(grad)
}

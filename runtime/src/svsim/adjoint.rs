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

use super::gate::{dagger2, Angle, Gate};
use super::pauli_sum::PauliSumKernel;
use super::{apply_gate, Program, Template};
use crate::qubit::PauliString;
use crate::sim::statevector::StateVector;

/// `E(θ)` and `∂E/∂θ` by adjoint differentiation. A parameter read by several gates gets the sum
/// of their contributions, each times its angle's scale. Failure contract: panics if `params` is
/// shorter than the template's parameter count or `h` is on another qubit count.
pub fn energy_and_gradient(program: &Program, h: &PauliSumKernel, params: &[f64]) -> (f64, Vec<f64>) {
    let template = program.template();
    let mut phi = StateVector::zero(template.n_qubits());
    program.run(&mut phi, params);
    let mut lambda = h.apply(&phi);
    let energy = phi.inner(&lambda).re;
    let mut grad = vec![0.0; template.n_params()];
    for gate in template.gates().iter().rev() {
        match (rotation_generator(gate), gate.angle()) {
            (Some(p), Some(angle)) => {
                let theta = angle.value(params);
                let overlap = phi.adjoint_rotation_step(&mut lambda, p, theta);
                if let Angle::Param { index, scale } = angle {
                    grad[index] += scale * overlap.im;
                }
            }
            _ => {
                let inverse = inverse_gate(gate, params);
                apply_gate(&mut phi, &inverse, params);
                apply_gate(&mut lambda, &inverse, params);
            }
        }
    }
    (energy, grad)
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

//! The hardware-efficient ansatz (Kandala et al., Nature 549, 242 (2017)): on the qubits of the
//! final space, from the Hartree–Fock basis state, `layers` repetitions of a rotation layer and
//! an entangler, then a closing rotation layer.
//!
//! A rotation layer applies the chosen rotations (`rotations`, a subset of `rx`, `ry`, `rz`, in
//! the order given) to every qubit, qubit 0 first, each with its own parameter; an entangler is
//! CNOTs by `entanglement`: `linear` `(q, q+1)` for `q = 0 … n−2`; `circular` the same plus
//! `(n−1, 0)` (for `n > 2`); `full` every pair `(p, q)`, `p < q`, in lexicographic order.
//! Parameters: `(layers + 1) · n_qubits · |rotations|`, numbered layer by layer, then qubit,
//! then rotation.
//!
//! The circuit conserves nothing, and at zero angles it is a CNOT-permuted basis state where
//! every gradient of a molecular Hamiltonian vanishes; so the optimiser starts from the
//! deterministic small angles of [`spread`], not from zero.

use qdf_compiler::hir::AnsatzOptions;

use super::builder::CircuitBuilder;
use super::error::AnsatzError;
use super::{spread, Ansatz};
use crate::circuit::Angle;
use crate::qubit::{PauliString, QubitSpace};

/// The hardware-efficient ansatz with the options `layers`, `rotations` and `entanglement`.
/// Failure contract: zero layers, no rotations, an unknown rotation or entanglement is
/// [`AnsatzError::Option`].
pub(super) fn build(options: &AnsatzOptions, space: &QubitSpace) -> Result<Ansatz, AnsatzError> {
    if options.layers == 0 {
        return Err(AnsatzError::Option { option: "layers", value: "0".into(), expected: "at least one layer" });
    }
    let axes = options
        .rotations
        .iter()
        .map(|r| match r.as_str() {
            "rx" => Ok('X'),
            "ry" => Ok('Y'),
            "rz" => Ok('Z'),
            other => {
                Err(AnsatzError::Option { option: "rotations", value: other.to_string(), expected: "rx, ry or rz" })
            }
        })
        .collect::<Result<Vec<char>, AnsatzError>>()?;
    if axes.is_empty() {
        return Err(AnsatzError::Option {
            option: "rotations",
            value: "[]".into(),
            expected: "at least one of rx, ry, rz",
        });
    }
    let n = space.n_qubits();
    let pairs = entangled_pairs(&options.entanglement, n)?;
    let reference = space.reference_state();
    let n_parameters = (options.layers as usize + 1) * n as usize * axes.len();
    let mut builder = CircuitBuilder::new(n, n_parameters, reference);
    let mut labels = Vec::with_capacity(n_parameters);
    for layer in 0..=options.layers {
        for q in 0..n {
            for &axis in &axes {
                let index = labels.len();
                builder.rotation(PauliString::single(axis, q), Angle::Parameter { index, weight: 1.0 });
                labels.push(format!("layer {layer}: r{}({q})", axis.to_ascii_lowercase()));
            }
        }
        if layer < options.layers {
            for &(control, target) in &pairs {
                builder.cnot(control, target);
            }
        }
    }
    let (circuit, logical) = builder.finish();
    Ok(Ansatz {
        circuit,
        reference,
        initial_parameters: spread(n_parameters),
        logical,
        parameters: labels,
        dropped: Vec::new(),
    })
}

/// The CNOT pairs `(control, target)` of one entangler on `n` qubits.
fn entangled_pairs(entanglement: &str, n: u32) -> Result<Vec<(u32, u32)>, AnsatzError> {
    let linear = (1..n).map(|q| (q - 1, q));
    Ok(match entanglement {
        "linear" => linear.collect(),
        "circular" => linear.chain((n > 2).then_some((n - 1, 0))).collect(),
        "full" => (0..n).flat_map(|p| (p + 1..n).map(move |q| (p, q))).collect(),
        other => {
            return Err(AnsatzError::Option {
                option: "entanglement",
                value: other.to_string(),
                expected: "linear, circular or full",
            })
        }
    })
}

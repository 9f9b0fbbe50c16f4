//! Why building a fermion operator, mapping it to qubits, reducing, tapering or diagonalising
//! failed. Every variant names what a researcher can change.

use std::fmt;

use qdf_compiler::hir::MappingKind;

use super::pauli::PauliString;
use crate::chem::fci::FciError;

/// Why a qubit-operator computation failed.
#[derive(Clone, Debug, PartialEq)]
pub enum QubitError {
    /// The mapped register would need more than 64 qubits (bit-mask Pauli strings).
    TooManyQubits { n_qubits: usize },
    /// Integral arrays of inconsistent shapes.
    Shape { detail: String },
    /// An integral, a coefficient or the core energy is NaN or infinite.
    NonFinite,
    /// An operator acts on a mode the mapping does not have.
    ModeOutOfRange { mode: u32, n_modes: u32 },
    /// More electrons of one spin than spatial orbitals.
    Electrons { n_alpha: u32, n_beta: u32, n_spatial: u32 },
    /// The two-qubit reduction needs the parity mapping (only there do two qubits hold the
    /// alpha-number and total-number parities).
    TwoQubitReductionNeedsParity { mapping: MappingKind },
    /// The operator is not Hermitian, so its qubit image has imaginary coefficients.
    NotHermitian { detail: String },
    /// The operator does not commute with a symmetry the space removed (a Z of the two-qubit
    /// reduction or a tapered Z2 symmetry), so it leaves the sector the space keeps.
    BreaksSymmetry { symmetry: PauliString },
    /// The occupation bitstring (from [`super::taper::Tapering::state`]: the basis state) is not
    /// in the sector the reduced or tapered space keeps.
    OutsideSector { occupation: u64, detail: String },
    /// No basis state has the requested particle numbers.
    EmptySector,
    /// The register is too large for the requested dense computation.
    TooLargeForDense { n_qubits: u32, max: u32 },
    /// The eigensolver failed.
    Solver(FciError),
}

impl fmt::Display for QubitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QubitError::TooManyQubits { n_qubits } => {
                write!(f, "the qubit register would have {n_qubits} qubits; at most 64 are supported")
            }
            QubitError::Shape { detail } => write!(f, "inconsistent integral shapes: {detail}"),
            QubitError::NonFinite => write!(f, "the integrals or coefficients hold NaN or infinity"),
            QubitError::ModeOutOfRange { mode, n_modes } => {
                write!(f, "the operator acts on spin orbital {mode}, but the mapping has only {n_modes}")
            }
            QubitError::Electrons { n_alpha, n_beta, n_spatial } => {
                write!(f, "({n_alpha}α, {n_beta}β) electrons do not fit in {n_spatial} spatial orbitals")
            }
            QubitError::TwoQubitReductionNeedsParity { mapping } => write!(
                f,
                "the two-qubit reduction needs the parity mapping, not {}; use mapping = parity or drop \
                 two_qubit_reduction",
                mapping_name(*mapping)
            ),
            QubitError::NotHermitian { detail } => write!(f, "the operator is not Hermitian: {detail}"),
            QubitError::BreaksSymmetry { symmetry } => {
                write!(f, "the operator does not commute with the symmetry [{symmetry}] that the qubit space removes")
            }
            QubitError::OutsideSector { occupation, detail } => {
                write!(f, "occupation {occupation:#b} lies outside the qubit space's sector: {detail}")
            }
            QubitError::EmptySector => write!(f, "no basis state has the requested particle numbers"),
            QubitError::TooLargeForDense { n_qubits, max } => {
                write!(f, "{n_qubits} qubits are too many for a dense diagonalisation (at most {max})")
            }
            QubitError::Solver(e) => write!(f, "eigensolver: {e}"),
        }
    }
}

impl std::error::Error for QubitError {}

/// The spec's spelling of a mapping.
pub fn mapping_name(kind: MappingKind) -> &'static str {
    match kind {
        MappingKind::JordanWigner => "jordan_wigner",
        MappingKind::BravyiKitaev => "bravyi_kitaev",
        MappingKind::Parity => "parity",
    }
}

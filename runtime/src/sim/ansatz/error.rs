//! Why an ansatz could not be built. Every variant names what a researcher can change.

use std::fmt;

use crate::qubit::QubitError;

/// Why building or growing an ansatz failed.
#[derive(Clone, Debug, PartialEq)]
pub enum AnsatzError {
    /// An option value the ansatz does not know (the checker normally rejects these first).
    Option { option: &'static str, value: String, expected: &'static str },
    /// Singlet spin adaptation needs a closed shell.
    SpinAdaptedOpenShell { n_alpha: u32, n_beta: u32 },
    /// More electrons of one spin than spatial orbitals, or more than 32 spatial orbitals.
    Electrons { n_alpha: u32, n_beta: u32, n_spatial: u32 },
    /// The qubit space is wider than the simulator's state vector.
    TooManyQubits { n_qubits: u32, max: u32 },
    /// ADAPT-VQE grows its circuit from a Hamiltonian: use [`super::adapt`], not [`super::build`].
    AdaptiveNeedsHamiltonian,
    /// The qubit space failed to map a generator for a reason other than a broken symmetry.
    Qubit(QubitError),
}

impl fmt::Display for AnsatzError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnsatzError::Option { option, value, expected } => {
                write!(f, "ansatz option {option} = {value:?}: expected {expected}")
            }
            AnsatzError::SpinAdaptedOpenShell { n_alpha, n_beta } => write!(
                f,
                "spin_adapted UCCSD needs a closed shell, but the active space has {n_alpha} alpha and {n_beta} \
                 beta electrons; turn spin_adapted off"
            ),
            AnsatzError::Electrons { n_alpha, n_beta, n_spatial } => {
                write!(f, "({n_alpha}α, {n_beta}β) electrons in {n_spatial} spatial orbitals: no ansatz fits")
            }
            AnsatzError::TooManyQubits { n_qubits, max } => {
                write!(f, "the ansatz acts on {n_qubits} qubits; the state-vector simulator holds at most {max}")
            }
            AnsatzError::AdaptiveNeedsHamiltonian => {
                write!(f, "ADAPT-VQE grows its circuit from the Hamiltonian and is built by the ADAPT loop")
            }
            AnsatzError::Qubit(e) => write!(f, "mapping an ansatz generator: {e}"),
        }
    }
}

impl std::error::Error for AnsatzError {}

impl From<QubitError> for AnsatzError {
    fn from(e: QubitError) -> Self {
        AnsatzError::Qubit(e)
    }
}

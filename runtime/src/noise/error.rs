//! Failures of the noise simulators: every input a user can reach is checked here, not asserted.

use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum NoiseError {
    /// A probability outside `[0, 1]` (or not finite).
    InvalidProbability { name: &'static str, value: f64 },
    /// A time or T2 that is negative, zero where it must be positive, or not finite.
    InvalidTime { name: &'static str, value: f64 },
    /// The register is larger than the simulator can hold.
    TooManyQubits { n_qubits: u32, max: u32 },
    /// The observable acts on more qubits than the circuit has.
    ObservableTooWide { observable: u32, circuit: u32 },
    /// A standard error needs at least two trajectories.
    TooFewTrajectories(usize),
    /// A probability vector whose length is not `2^n`.
    ProbabilityLength { len: usize, n_qubits: u32 },
    /// Readout error ½ makes the confusion matrix singular.
    SingularConfusion,
    /// Zero-noise extrapolation needs at least two distinct scale factors.
    TooFewScales(usize),
    /// Two equal scale factors: Richardson extrapolation divides by their difference.
    RepeatedScale(f64),
}

impl fmt::Display for NoiseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoiseError::InvalidProbability { name, value } => {
                write!(f, "noise probability `{name}` = {value} is not in [0, 1]")
            }
            NoiseError::InvalidTime { name, value } => write!(f, "noise time `{name}` = {value} is not valid"),
            NoiseError::TooManyQubits { n_qubits, max } => {
                write!(f, "{n_qubits} qubits exceed this simulator's limit of {max}")
            }
            NoiseError::ObservableTooWide { observable, circuit } => {
                write!(f, "the observable acts on {observable} qubits but the circuit has {circuit}")
            }
            NoiseError::TooFewTrajectories(n) => write!(f, "{n} trajectories: at least 2 are needed"),
            NoiseError::ProbabilityLength { len, n_qubits } => {
                write!(f, "{len} probabilities do not match {n_qubits} qubits")
            }
            NoiseError::SingularConfusion => write!(f, "readout error 0.5 cannot be inverted"),
            NoiseError::TooFewScales(n) => write!(f, "{n} noise scale factors: at least 2 are needed"),
            NoiseError::RepeatedScale(s) => write!(f, "noise scale factor {s} appears twice"),
        }
    }
}

impl std::error::Error for NoiseError {}

//! Measurement planning: which terms of a Hamiltonian are measured together, with which circuit,
//! and how many shots a precision target needs.
//!
//! A device measures in the computational basis, so each term `c_i P_i` of `H = c_0 + Σ c_i P_i`
//! is estimated after a Clifford circuit `U` that makes it diagonal: `U P_i U† = ±Z_S`, read off
//! every shot as the parity of the bits in `S`. Terms that commute can share `U` and shots:
//!
//! - [`Grouping::QubitWise`]: terms that agree letter by letter where both act (a single-qubit
//!   basis change per qubit, no two-qubit gates);
//! - [`Grouping::FullyCommuting`]: terms that commute (fewer groups, a Clifford circuit with CNOTs
//!   and CZs, see [`diagonalise`]);
//! - [`Grouping::PerTerm`]: one term per group, the baseline.
//!
//! Grouping colours the conflict graph of the terms ([`graph`], [`colouring`]). The plan's
//! estimator is `Ê = c_0 + Σ_g Ê_g`, where `Ê_g` averages, over `m_g` shots of group `g`, the
//! eigenvalue `Σ_{i∈g} d_i (−1)^{|z_i ∧ b|}` of the outcome `b` (`d_i = ±c_i`, `z_i` the image's
//! Z mask). Its variance is `Σ_g Var_g / m_g` with `Var_g` the single-shot variance of the
//! group's observable, covariances between the group's terms included; [`shots`] turns that into
//! shot counts. A single `1/ε²` is not the shot count of a multi-term Hamiltonian: the variances
//! and the number of groups set it.
//!
//! Failure contract: [`plan`] returns [`PlanError`] for a Hamiltonian with a term outside its
//! register or a non-finite coefficient; the shot functions return [`shots::ShotError`] for
//! invalid targets or statistics. Panics are kept for programming errors and documented.

pub mod colouring;
pub mod diagonalise;
pub mod estimate;
pub mod graph;
pub mod shots;

use std::fmt;

use crate::circuit::LogicalCircuit;
use crate::qubit::{PauliString, PauliSum};

pub use estimate::{expectation, group_variances};
pub use shots::{allocate_shots, shots_for_precision, standard_error, Allocation, ShotError, ShotPlan};

/// Which terms may share a measurement circuit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Grouping {
    /// One term per group.
    PerTerm,
    /// Terms that commute qubit by qubit.
    QubitWise,
    /// Terms that commute.
    FullyCommuting,
}

/// Terms measured together: the circuit `U` (Clifford) maps each term to a signed Z-only string.
#[derive(Clone, Debug)]
pub struct MeasurementGroup {
    terms: Vec<(PauliString, f64)>,
    circuit: LogicalCircuit,
    diagonal: Vec<(PauliString, f64)>,
}

impl MeasurementGroup {
    /// The group's terms `(P_i, c_i)`, in the Hamiltonian's order.
    pub fn terms(&self) -> &[(PauliString, f64)] {
        &self.terms
    }

    /// The diagonalising circuit, applied to the state before measuring every qubit.
    pub fn circuit(&self) -> &LogicalCircuit {
        &self.circuit
    }

    /// `(Z_i, d_i)` with `U P_i U† = (d_i / c_i) Z_i`, parallel to [`Self::terms`].
    pub fn diagonal(&self) -> &[(PauliString, f64)] {
        &self.diagonal
    }

    /// The group observable's value on the measured bit string `outcome` (bit `q` = qubit `q`):
    /// `Σ_i d_i (−1)^{|z_i ∧ outcome|}`.
    pub fn eigenvalue(&self, outcome: u64) -> f64 {
        self.diagonal.iter().map(|&(z, d)| if (z.z & outcome).count_ones() % 2 == 1 { -d } else { d }).sum()
    }

    /// The group read through a symmetric readout error `e` on every qubit, undone: each diagonal
    /// coefficient divided by `(1 − 2e)^{|z_i|}`, since such an error reads a `Z` string of weight
    /// `w` as `(1 − 2e)^w` times its value. The mean of its [`Self::eigenvalue`] over outcomes
    /// read with the error is then the error-free expectation (and each shot's value is wider, so
    /// sample variances grow as they should). Failure contract: none; `e` near ½ gives huge
    /// coefficients, so callers refuse it.
    pub fn readout_mitigated(&self, e: f64) -> MeasurementGroup {
        let damping = 1.0 - 2.0 * e;
        let diagonal = self.diagonal.iter().map(|&(z, d)| (z, d / damping.powi(z.z.count_ones() as i32))).collect();
        MeasurementGroup { diagonal, ..self.clone() }
    }

    /// `Σ_i |c_i|`: the norm bound of the group observable, and the weight of
    /// [`Allocation::Weighted`].
    pub fn coefficient_norm(&self) -> f64 {
        self.terms.iter().map(|(_, c)| c.abs()).sum()
    }
}

/// A Hamiltonian split into measurement groups.
#[derive(Clone, Debug)]
pub struct MeasurementPlan {
    n_qubits: u32,
    grouping: Grouping,
    constant: f64,
    groups: Vec<MeasurementGroup>,
}

impl MeasurementPlan {
    pub fn n_qubits(&self) -> u32 {
        self.n_qubits
    }

    pub fn grouping(&self) -> Grouping {
        self.grouping
    }

    /// The identity coefficient: added to every estimate, never measured.
    pub fn constant(&self) -> f64 {
        self.constant
    }

    /// The groups, ordered by their first term's position in the Hamiltonian.
    pub fn groups(&self) -> &[MeasurementGroup] {
        &self.groups
    }

    /// [`MeasurementGroup::coefficient_norm`] of every group: the weights of
    /// [`Allocation::Weighted`].
    pub fn coefficient_weights(&self) -> Vec<f64> {
        self.groups.iter().map(MeasurementGroup::coefficient_norm).collect()
    }
}

/// Why a Hamiltonian cannot be planned.
#[derive(Clone, Debug, PartialEq)]
pub enum PlanError {
    /// A term acts on a qubit at or above the register size.
    TermOutsideRegister { term: String, n_qubits: u32 },
    /// A coefficient is NaN or infinite.
    NonFiniteCoefficient { term: String },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::TermOutsideRegister { term, n_qubits } => {
                write!(f, "term {term} acts outside the {n_qubits}-qubit register")
            }
            PlanError::NonFiniteCoefficient { term } => write!(f, "term {term} has a non-finite coefficient"),
        }
    }
}

impl std::error::Error for PlanError {}

/// Splits `h` into measurement groups under `grouping`, with a diagonalising Clifford circuit for
/// each. Identity terms are summed into the constant; every other term lands in exactly one group
/// as given (call [`PauliSum::simplify`] first to merge repeated strings). Deterministic.
///
/// Failure contract: [`PlanError`] if a term acts on a qubit ≥ `h.n_qubits` or a coefficient is
/// not finite; nothing else fails.
pub fn plan(h: &PauliSum, grouping: Grouping) -> Result<MeasurementPlan, PlanError> {
    let register = if h.n_qubits >= 64 { u64::MAX } else { (1u64 << h.n_qubits) - 1 };
    for &(s, c) in &h.terms {
        if (s.x | s.z) & !register != 0 {
            return Err(PlanError::TermOutsideRegister { term: s.to_string(), n_qubits: h.n_qubits });
        }
        if !c.is_finite() {
            return Err(PlanError::NonFiniteCoefficient { term: s.to_string() });
        }
    }
    let constant = h.terms.iter().filter(|(s, _)| *s == PauliString::IDENTITY).map(|(_, c)| c).sum();
    let measured: Vec<(PauliString, f64)> =
        h.terms.iter().copied().filter(|(s, _)| *s != PauliString::IDENTITY).collect();
    let strings: Vec<PauliString> = measured.iter().map(|&(s, _)| s).collect();
    let classes: Vec<Vec<usize>> = match grouping {
        Grouping::PerTerm => (0..measured.len()).map(|i| vec![i]).collect(),
        Grouping::QubitWise | Grouping::FullyCommuting => {
            let graph = graph::ConflictGraph::for_strings(&strings, grouping == Grouping::QubitWise);
            colouring::best_colouring(&graph).classes()
        }
    };
    let groups = classes
        .into_iter()
        .map(|class| {
            let terms: Vec<(PauliString, f64)> = class.iter().map(|&i| measured[i]).collect();
            let members: Vec<PauliString> = terms.iter().map(|&(s, _)| s).collect();
            let circuit = match grouping {
                Grouping::QubitWise => diagonalise::qubit_wise_circuit(h.n_qubits, &members),
                Grouping::PerTerm | Grouping::FullyCommuting => diagonalise::commuting_circuit(h.n_qubits, &members),
            };
            let diagonal = diagonalise::diagonal_images(&circuit, &terms);
            MeasurementGroup { terms, circuit, diagonal }
        })
        .collect();
    Ok(MeasurementPlan { n_qubits: h.n_qubits, grouping, constant, groups })
}

#[cfg(test)]
mod tests;

//! The ansatz library: every circuit family a spec can ask for, on any qubit space (mapping,
//! two-qubit reduction, tapering).
//!
//! - `hf`: the Hartree–Fock basis state, no parameters.
//! - `uccsd`, `kupccgsd`: `ucc.rs` (spin-orbital or singlet UCCSD, ordering, Trotter steps;
//!   k-UpCCGSD).
//! - `hardware_efficient`: `hardware_efficient.rs` (rotation layers and CNOT entanglers).
//! - `particle_conserving`: `particle_conserving.rs` (singlet Givens rotations and pair
//!   exchanges in a brick wall).
//! - `adapt`: [`adapt()`] grows the circuit from a pool against the Hamiltonian
//!   (`qubit_excitation.rs` for the qubit-excitation pool) on exact energies,
//!   [`adapt_measured()`] on measured ones.
//!
//! Fermionic families are written as generators (`generator.rs`) from excitations
//! ([`Excitation`]) and mapped through [`QubitSpace::map`], so they follow whatever mapping,
//! reduction and tapering the space applies; generators that break a removed symmetry are
//! dropped and listed. Every ansatz comes in two forms (`builder.rs`): the [`RotationCircuit`] the
//! simulator runs with exact adjoint gradients, and the [`LogicalCircuit`] for gate counts and
//! device compilation, which prepares the same state from `|0…0⟩` (up to a global phase).

mod adapt;
mod adapt_measured;
mod builder;
mod error;
mod excitation;
mod generator;
mod hardware_efficient;
mod particle_conserving;
mod qubit_excitation;
mod ucc;

pub use adapt::{adapt, pool_rotations, AdaptResult};
pub use adapt_measured::{adapt_measured, MeasuredAdaptError, MeasuredAdaptResult, MeasuredAdaptSettings};
pub use error::AnsatzError;
pub use excitation::{doubles, hartree_fock_occupation, singles, Excitation};

use qdf_compiler::hir::{AnsatzKind, AnsatzOptions};

use builder::CircuitBuilder;
use generator::{map_generators, Generator, MappedGenerator};

use super::circuit::RotationCircuit;
use super::statevector::{StateVector, MAX_QUBITS};
use crate::circuit::LogicalCircuit;
use crate::qubit::QubitSpace;

/// A parametrised circuit on a qubit space, ready for the simulator and for compilation.
#[derive(Clone, Debug, PartialEq)]
pub struct Ansatz {
    /// The rotations the simulator applies to the reference state.
    pub circuit: RotationCircuit,
    /// The reference basis state in the space's final register (Hartree–Fock).
    pub reference: u64,
    /// Where the optimiser starts: zero (the reference) for UCCSD, the optimum for a grown ADAPT
    /// ansatz, small deterministic angles for k-UpCCGSD, hardware-efficient and
    /// particle-conserving circuits, whose zero point is a stationary point.
    pub initial_parameters: Vec<f64>,
    /// The gate-level circuit from `|0…0⟩`: X gates preparing `reference`, then the ansatz.
    pub logical: LogicalCircuit,
    /// What each parameter drives, in parameter order (an excitation such as `"3^ 2^ 1 0"`, a
    /// layer and rotation).
    pub parameters: Vec<String>,
    /// Generators left out, each with the reason (a symmetry the space removed).
    pub dropped: Vec<String>,
}

impl Ansatz {
    pub fn n_qubits(&self) -> u32 {
        self.circuit.n_qubits()
    }

    pub fn n_parameters(&self) -> usize {
        self.circuit.n_parameters()
    }

    /// `|reference⟩`.
    pub fn reference_state(&self) -> StateVector {
        StateVector::basis(self.n_qubits(), self.reference)
    }

    /// `U(θ)|reference⟩`. Failure contract: `params` of the wrong length panics.
    pub fn prepare(&self, params: &[f64]) -> StateVector {
        let mut psi = self.reference_state();
        self.circuit.apply(params, &mut psi);
        psi
    }
}

/// Builds the ansatz `kind` with `options` on `space` (whose orbitals and electrons it takes).
/// Failure contract: `adapt` is [`AnsatzError::AdaptiveNeedsHamiltonian`] (use [`adapt()`]); an
/// option value the family does not know, or zero layers or steps, [`AnsatzError::Option`];
/// spin-adapted UCCSD of an open shell [`AnsatzError::SpinAdaptedOpenShell`]; a space wider than
/// the simulator [`AnsatzError::TooManyQubits`]; a mapping failure other than a broken symmetry
/// [`AnsatzError::Qubit`]. Generators that break a removed symmetry are dropped, not errors.
pub fn build(kind: AnsatzKind, options: &AnsatzOptions, space: &QubitSpace) -> Result<Ansatz, AnsatzError> {
    let orbitals = Orbitals::of(space)?;
    match kind {
        AnsatzKind::Hf => Ok(assemble(space, &[], Vec::new())),
        AnsatzKind::Uccsd => ucc::uccsd(options, space, orbitals),
        AnsatzKind::Kupccgsd => ucc::kupccgsd(options, space, orbitals),
        AnsatzKind::HardwareEfficient => hardware_efficient::build(options, space),
        AnsatzKind::ParticleConserving => particle_conserving::build(options, space, orbitals.n_spatial),
        AnsatzKind::Adapt => Err(AnsatzError::AdaptiveNeedsHamiltonian),
    }
}

/// The deterministic small starting angles `θ_k = 0.1 · sin(2.4 (k + 1))` (a golden-angle
/// spread in (−0.1, 0.1)) for families whose zero point is a stationary point the optimiser
/// cannot leave: a symmetric saddle of k-UpCCGSD and the particle-conserving circuit (every
/// layer's copy of a generator gets the same gradient; seniority-zero states give the singles
/// none), and the CNOT-permuted basis state of the hardware-efficient circuit.
fn spread(n: usize) -> Vec<f64> {
    (0..n).map(|k| 0.1 * (2.4 * (k as f64 + 1.0)).sin()).collect()
}

/// The active space's orbitals and electrons.
#[derive(Clone, Copy, Debug)]
struct Orbitals {
    n_spatial: u32,
    n_alpha: u32,
    n_beta: u32,
}

impl Orbitals {
    /// From the space. Failure contract: a register wider than the simulator is
    /// [`AnsatzError::TooManyQubits`].
    fn of(space: &QubitSpace) -> Result<Orbitals, AnsatzError> {
        if space.n_qubits() > MAX_QUBITS {
            return Err(AnsatzError::TooManyQubits { n_qubits: space.n_qubits(), max: MAX_QUBITS });
        }
        let (n_alpha, n_beta) = space.electrons();
        Ok(Orbitals { n_spatial: space.n_spatial(), n_alpha, n_beta })
    }
}

/// The product `Π_{(g, s) ∈ sequence} exp(s θ_g A_g)` from the space's reference, one parameter
/// per generator that survives mapping (numbered in generator order).
fn product(space: &QubitSpace, generators: &[Generator], sequence: &[(usize, f64)]) -> Result<Ansatz, AnsatzError> {
    let (mapped, dropped) = map_generators(space, generators)?;
    let mut index = vec![None; mapped.len()];
    let mut parameters = Vec::new();
    for (g, kept) in mapped.iter().enumerate() {
        if let Some(kept) = kept {
            index[g] = Some(parameters.len());
            parameters.push(kept.label.clone());
        }
    }
    let reference = space.reference_state();
    let mut builder = CircuitBuilder::new(space.n_qubits(), parameters.len(), reference);
    for &(g, scale) in sequence {
        if let (Some(kept), Some(parameter)) = (&mapped[g], index[g]) {
            kept.push(&mut builder, parameter, scale);
        }
    }
    let (circuit, logical) = builder.finish();
    Ok(Ansatz { circuit, reference, initial_parameters: vec![0.0; parameters.len()], logical, parameters, dropped })
}

/// The product of mapped generators in order, one parameter each, starting at zero.
fn assemble(space: &QubitSpace, generators: &[&MappedGenerator], dropped: Vec<String>) -> Ansatz {
    let reference = space.reference_state();
    let mut builder = CircuitBuilder::new(space.n_qubits(), generators.len(), reference);
    for (parameter, g) in generators.iter().enumerate() {
        g.push(&mut builder, parameter, 1.0);
    }
    let (circuit, logical) = builder.finish();
    let parameters = generators.iter().map(|g| g.label.clone()).collect();
    Ansatz { circuit, reference, initial_parameters: vec![0.0; generators.len()], logical, parameters, dropped }
}

#[cfg(test)]
mod tests;

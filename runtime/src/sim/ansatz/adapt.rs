//! ADAPT-VQE (Grimsley, Economou, Barnes and Mayhall, Nat. Commun. 10, 3007 (2019)): the ansatz
//! grows one pool operator at a time, each time the one with the largest energy gradient, and all
//! parameters are re-optimised after every addition.
//!
//! Pools, over the same index sets (every spin-conserving occupied → virtual single and double
//! of the Hartree–Fock determinant, as UCCSD): `fermionic`, the excitations `T − T†`; and
//! `qubit_excitation`, the qubit excitations of Yordanov et al. ([`super::qubit_excitation`]),
//! which keep particle numbers but drop the parity strings. Pool operators that break a symmetry
//! the qubit space removed are left out (listed in [`Ansatz::dropped`]); an operator may be
//! chosen again.
//!
//! With the state `|ψ⟩` of the current ansatz and a pool operator `A = −iG` appended as
//! `exp(θA)`, `∂E/∂θ` at `θ = 0` is `⟨ψ|[H, A]|ψ⟩ = 2 Im⟨Hψ|Gψ⟩`: one `H|ψ⟩` per iteration and
//! one `G|ψ⟩` per pool operator. The loop stops when every `|∂E/∂θ|` is below
//! `gradient_threshold` (converged) or after `max_operators` operators (not converged); each
//! re-optimisation is L-BFGS ([`minimize`]) from the previous optimum with the new parameter at
//! zero.

use qdf_compiler::hir::AnsatzOptions;

use super::error::AnsatzError;
use super::excitation;
use super::generator::{map_generators, Generator, MappedGenerator};
use super::qubit_excitation::qubit_excitation;
use super::{assemble, Ansatz, Orbitals};
use crate::qubit::{PauliString, PauliSum, QubitSpace};
use crate::sim::circuit::Energy;
use crate::sim::observable::Observable;
use crate::sim::vqe::{minimize, VqeOptions};

/// The outcome of an ADAPT-VQE run.
#[derive(Clone, Debug, PartialEq)]
pub struct AdaptResult {
    /// The grown ansatz: one parameter per chosen operator (labels in
    /// [`Ansatz::parameters`], in the order chosen), its initial parameters the optimum.
    pub ansatz: Ansatz,
    /// The final energy (Hartree): the reference energy when no operator was added.
    pub energy: f64,
    /// The optimised parameters.
    pub params: Vec<f64>,
    /// The reference energy, then the optimised energy after each added operator.
    pub energies: Vec<f64>,
    /// The largest pool gradient magnitude at each selection step (Hartree per radian); the last
    /// one is where the loop stopped.
    pub max_gradients: Vec<f64>,
    /// Whether every pool gradient fell below the threshold (rather than running out of
    /// operators).
    pub converged: bool,
    /// L-BFGS iterations over all re-optimisations.
    pub iterations: u64,
    /// Energy-and-gradient evaluations over all re-optimisations.
    pub evaluations: u64,
    /// `‖∂E/∂θ‖₂` at the final parameters (zero with no operator).
    pub gradient_norm: f64,
}

/// Runs ADAPT-VQE for `hamiltonian` (on `space`'s final register) with the options `pool`,
/// `gradient_threshold` and `max_operators`, optimising with `vqe`. Failure contract: an
/// unknown pool is [`AnsatzError::Option`]; a space wider than the simulator
/// [`AnsatzError::TooManyQubits`]; a mapping failure other than a broken symmetry
/// [`AnsatzError::Qubit`]. Not converging within `max_operators` is a result, not an error.
/// A Hamiltonian on more qubits than the space is a programming error and panics.
pub fn adapt(
    hamiltonian: &PauliSum,
    space: &QubitSpace,
    options: &AnsatzOptions,
    vqe: &VqeOptions,
) -> Result<AdaptResult, AnsatzError> {
    let orbitals = Orbitals::of(space)?;
    let (mapped, dropped) = map_generators(space, &pool(&options.pool, space, orbitals)?)?;
    let pool: Vec<MappedGenerator> = mapped.into_iter().flatten().collect();
    let gradient_operators: Vec<Observable> = pool.iter().map(|g| Observable::new(&g.hermitian)).collect();
    let h = Observable::new(hamiltonian);

    let mut chosen: Vec<&MappedGenerator> = Vec::new();
    let mut params: Vec<f64> = Vec::new();
    let mut ansatz = assemble(space, &chosen, dropped.clone());
    let reference = ansatz.reference_state();
    let mut energies = vec![h.expectation(&reference)];
    let mut max_gradients = Vec::new();
    let (mut iterations, mut evaluations, mut gradient_norm) = (0, 0, 0.0);
    let converged = loop {
        let psi = ansatz.prepare(&params);
        let h_psi = h.apply(&psi);
        let best = gradient_operators.iter().map(|g| (2.0 * h_psi.inner(&g.apply(&psi)).im).abs()).enumerate().fold(
            None,
            |best: Option<(usize, f64)>, (k, g)| match best {
                Some((_, top)) if top >= g => best,
                _ => Some((k, g)),
            },
        );
        let Some((operator, largest)) = best.filter(|&(_, g)| g >= options.gradient_threshold) else {
            max_gradients.push(best.map_or(0.0, |(_, g)| g));
            break true;
        };
        max_gradients.push(largest);
        if chosen.len() >= options.max_operators as usize {
            break false;
        }
        chosen.push(&pool[operator]);
        params.push(0.0);
        ansatz = assemble(space, &chosen, dropped.clone());
        let energy = Energy::new(&ansatz.circuit, &reference, &h);
        let result = minimize(&energy, &params, vqe);
        energies.push(result.energy);
        iterations += result.iterations;
        evaluations += result.evaluations;
        gradient_norm = result.gradient_norm;
        params = result.params;
    };
    ansatz.initial_parameters.clone_from(&params);
    Ok(AdaptResult {
        ansatz,
        energy: *energies.last().expect("the reference energy is always there"),
        params,
        energies,
        max_gradients,
        converged,
        iterations,
        evaluations,
        gradient_norm,
    })
}

/// The Pauli rotations each operator of the ADAPT pool (`options.pool`) would add to the
/// circuit, for the operators the space keeps (those that break a tapered symmetry are left
/// out): what the shot planner bounds gate counts with before the pool is searched. Failure
/// contract: as [`adapt`].
pub fn pool_rotations(options: &AnsatzOptions, space: &QubitSpace) -> Result<Vec<Vec<PauliString>>, AnsatzError> {
    let orbitals = Orbitals::of(space)?;
    let (mapped, _) = map_generators(space, &pool(&options.pool, space, orbitals)?)?;
    Ok(mapped
        .into_iter()
        .flatten()
        .map(|g| g.factors.iter().flat_map(|factor| factor.iter().map(|&(string, _)| string)).collect())
        .collect())
}

/// The pool `kind` as generators. Failure contract: an unknown kind is [`AnsatzError::Option`];
/// a mode outside the encoding (not possible for the space's own orbitals) [`AnsatzError::Qubit`].
pub(super) fn pool(kind: &str, space: &QubitSpace, orbitals: Orbitals) -> Result<Vec<Generator>, AnsatzError> {
    let Orbitals { n_spatial, n_alpha, n_beta } = orbitals;
    let excitations = excitation::singles(n_spatial, n_alpha, n_beta)
        .into_iter()
        .chain(excitation::doubles(n_spatial, n_alpha, n_beta));
    match kind {
        "fermionic" => Ok(excitations.map(Generator::excitation).collect()),
        "qubit_excitation" => excitations
            .map(|e| {
                let factor = qubit_excitation(space.encoding(), e)?;
                Ok(Generator::new(format!("qubit {}", e.label()), vec![factor]))
            })
            .collect(),
        other => Err(AnsatzError::Option {
            option: "pool",
            value: other.to_string(),
            expected: "fermionic or qubit_excitation",
        }),
    }
}

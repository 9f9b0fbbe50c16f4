//! Generators: the fermionic operator behind one variational parameter, mapped into the qubit
//! space (mapping, two-qubit reduction, tapering) and exponentiated as Pauli rotations.
//!
//! A generator is `A = Σ_f c_f (T_f − T_f†)` with real `c_f` and each `T_f` one excitation (or
//! qubit excitation). Its factor is applied as `Π_f exp(θ c_f (T_f − T_f†))`, in the listed
//! order: exact when the factors commute (a single excitation, or the alpha and beta halves of a
//! singlet single), a fixed-order product sharing one parameter otherwise (the spin-orbital
//! doubles of a singlet double). One factor is exact at the Pauli level: with
//! `G = i c (T − T†) = Σ_k g_k P_k` (Hermitian, real `g_k`), `exp(θ c (T − T†)) = exp(−iθG)`, and
//! the `P_k` of one excitation commute under every linear encoding (they are images of
//! commuting Majorana monomials) and after reduction or tapering (which keep commutation), so
//! `exp(−iθG) = Π_k exp(−i (2 g_k θ)/2 · P_k)`: rotations of weight `w_k = 2 g_k`.
//!
//! A generator that does not commute with a symmetry the qubit space removed leaves the sector
//! the space keeps; it is dropped, with the reason, and so is one that maps to the identity.

use super::builder::CircuitBuilder;
use super::error::AnsatzError;
use super::excitation::Excitation;
use crate::circuit::Angle;
use crate::qubit::{FermionOperator, PauliString, PauliSum, QubitError, QubitSpace};

/// Coefficients of mapped generators at or below this are dropped (the mapping's own threshold).
const TOLERANCE: f64 = 1e-12;

/// One factor's Hermitian generator `G = i c (T − T†)`, as a fermion operator to map, or
/// already on the mapped register (before reduction and tapering).
#[derive(Clone, Debug)]
pub(super) enum Factor {
    Fermion(FermionOperator),
    Mapped(PauliSum),
}

impl Factor {
    /// `G = i c (T − T†)` of the excitation `e`.
    pub(super) fn excitation(e: Excitation, c: f64) -> Self {
        Factor::Fermion(e.generator(c))
    }
}

/// One parameter's generator, `Σ_f c_f (T_f − T_f†)`, before mapping.
#[derive(Clone, Debug)]
pub(super) struct Generator {
    pub label: String,
    pub factors: Vec<Factor>,
}

impl Generator {
    pub(super) fn new(label: String, factors: Vec<Factor>) -> Self {
        Generator { label, factors }
    }

    /// The generator `T − T†` of one excitation, labelled by it.
    pub(super) fn excitation(e: Excitation) -> Self {
        Generator { label: e.label(), factors: vec![Factor::excitation(e, 1.0)] }
    }
}

/// A generator in the qubit space.
#[derive(Clone, Debug)]
pub(super) struct MappedGenerator {
    pub label: String,
    /// Per factor, `(P_k, w_k)`: `exp(θ c (T − T†)) = Π_k exp(−i (w_k θ)/2 · P_k)`.
    pub factors: Vec<Vec<(PauliString, f64)>>,
    /// `G = i A` summed over the factors: the ansatz's derivative at `θ = 0` is `−iG`.
    pub hermitian: PauliSum,
}

impl MappedGenerator {
    /// Appends `exp(scale · θ[parameter] · A)` to `builder`.
    pub(super) fn push(&self, builder: &mut CircuitBuilder, parameter: usize, scale: f64) {
        for factor in &self.factors {
            for &(string, weight) in factor {
                builder.rotation(string, Angle::Parameter { index: parameter, weight: weight * scale });
            }
        }
    }
}

/// A generator kept in the qubit space, or dropped with the reason.
#[derive(Clone, Debug)]
pub(super) enum Mapped {
    Kept(MappedGenerator),
    Dropped(String),
}

/// Maps `generator` into `space`. Failure contract: a broken symmetry or a generator that acts
/// as the identity is [`Mapped::Dropped`]; any other mapping failure is
/// [`AnsatzError::Qubit`].
pub(super) fn map_generator(space: &QubitSpace, generator: &Generator) -> Result<Mapped, AnsatzError> {
    let mut factors = Vec::with_capacity(generator.factors.len());
    let mut hermitian = PauliSum::new(space.n_qubits());
    for factor in &generator.factors {
        let image = match factor {
            Factor::Fermion(g) => space.map(g),
            Factor::Mapped(g) => space.restrict(g),
        };
        let image = match image {
            Ok(image) => image,
            Err(QubitError::BreaksSymmetry { symmetry }) => {
                return Ok(Mapped::Dropped(format!(
                    "{}: does not commute with the removed symmetry [{symmetry}]",
                    generator.label
                )))
            }
            Err(e) => return Err(AnsatzError::Qubit(e)),
        };
        let terms: Vec<(PauliString, f64)> = image
            .terms
            .iter()
            .filter(|&&(s, g)| s != PauliString::IDENTITY && g.abs() > TOLERANCE)
            .map(|&(s, g)| (s, 2.0 * g))
            .collect();
        debug_assert!(
            terms.iter().all(|&(p, _)| terms.iter().all(|&(q, _)| p.commutes_with(q))),
            "{}: the image of one excitation has non-commuting strings",
            generator.label
        );
        hermitian.terms.extend(terms.iter().map(|&(s, w)| (s, 0.5 * w)));
        if !terms.is_empty() {
            factors.push(terms);
        }
    }
    hermitian.simplify(TOLERANCE);
    if factors.is_empty() {
        return Ok(Mapped::Dropped(format!("{}: acts as the identity in the qubit space", generator.label)));
    }
    Ok(Mapped::Kept(MappedGenerator { label: generator.label.clone(), factors, hermitian }))
}

/// Maps every generator, keeping the survivors in order and the reasons for the others.
pub(super) fn map_generators(
    space: &QubitSpace,
    generators: &[Generator],
) -> Result<(Vec<Option<MappedGenerator>>, Vec<String>), AnsatzError> {
    let mut mapped = Vec::with_capacity(generators.len());
    let mut dropped = Vec::new();
    for generator in generators {
        match map_generator(space, generator)? {
            Mapped::Kept(g) => mapped.push(Some(g)),
            Mapped::Dropped(reason) => {
                dropped.push(reason);
                mapped.push(None);
            }
        }
    }
    Ok((mapped, dropped))
}

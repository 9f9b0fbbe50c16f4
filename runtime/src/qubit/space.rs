//! The qubit space a spec asks for: a mapping of the active space's spin orbitals, optionally the
//! two-qubit reduction (parity mapping only) and optionally Z2 tapering, with the Hartree–Fock
//! state fixing every sector.
//!
//! Stages, each on the register the previous one leaves:
//!
//! 1. The encoding ([`Encoding`]) of the 2n spin orbitals on 2n qubits.
//! 2. Two-qubit reduction: under the parity mapping (block spin order) qubit n − 1 holds the
//!    alpha-number parity and qubit 2n − 1 the total parity; a number-conserving operator has only
//!    I or Z there, and Z is replaced by (−1)^{N_α} and (−1)^{N} of the reference, removing both.
//! 3. Tapering ([`Tapering`]): the Z-type Z2 symmetries of the (reduced) Hamiltonian, sectors from
//!    the reference's eigenvalues.
//!
//! Operators mapped later (ansatz generators, observables) pass the same stages and must commute
//! with what was removed.

use ndarray::{ArrayView2, ArrayView4};
use qdf_compiler::hir::MappingKind;

use super::encoding::{Encoding, DROP_TOLERANCE, HERMITIAN_TOLERANCE};
use super::error::QubitError;
use super::fermion::FermionOperator;
use super::jordan_wigner::hartree_fock_state;
use super::pauli::{PauliString, PauliSum};
use super::spectrum::lowest_eigenvalue_in;
use super::taper::{compress, Tapering};

/// The two qubits the two-qubit reduction removes, with the eigenvalues their Z is replaced by.
#[derive(Clone, Debug, PartialEq)]
struct TwoQubitReduction {
    alpha_parity_qubit: u32,
    total_parity_qubit: u32,
    alpha_sign: f64,
    total_sign: f64,
}

/// A mapped, optionally reduced and tapered qubit space for an active space.
#[derive(Clone, Debug, PartialEq)]
pub struct QubitSpace {
    encoding: Encoding,
    n_spatial: u32,
    n_alpha: u32,
    n_beta: u32,
    reduction: Option<TwoQubitReduction>,
    tapering: Option<Tapering>,
    reference: u64,
}

impl QubitSpace {
    /// Maps the active-space Hamiltonian (integrals as [`FermionOperator::from_integrals`]) and
    /// sets up the space; with tapering, the Z2 symmetries are found from the mapped (and
    /// reduced) Hamiltonian and the sector is the Hartree–Fock state's (the lowest `n_alpha`
    /// alpha and `n_beta` beta spin orbitals occupied). Returns the space and the Hamiltonian in
    /// its final register, real coefficients, terms with |c| ≤ 1e-12 dropped.
    ///
    /// Failure contract: two-qubit reduction with another mapping than parity is
    /// [`QubitError::TwoQubitReductionNeedsParity`]; more electrons of a spin than orbitals
    /// [`QubitError::Electrons`]; no orbitals, more than 64 qubits, inconsistent shapes (the
    /// integrals must have `n_spatial` orbitals) or non-finite integrals are [`QubitError`]s too.
    #[allow(clippy::too_many_arguments)]
    pub fn build(
        kind: MappingKind,
        two_qubit_reduction: bool,
        tapering: bool,
        n_spatial: u32,
        n_alpha: u32,
        n_beta: u32,
        core_energy: f64,
        h1: ArrayView2<'_, f64>,
        eri: ArrayView4<'_, f64>,
    ) -> Result<(QubitSpace, PauliSum), QubitError> {
        if two_qubit_reduction && kind != MappingKind::Parity {
            return Err(QubitError::TwoQubitReductionNeedsParity { mapping: kind });
        }
        if n_spatial == 0 {
            return Err(QubitError::Shape { detail: "the active space has no orbitals".to_string() });
        }
        if n_alpha > n_spatial || n_beta > n_spatial {
            return Err(QubitError::Electrons { n_alpha, n_beta, n_spatial });
        }
        if n_spatial > 32 {
            return Err(QubitError::TooManyQubits { n_qubits: 2 * n_spatial as usize });
        }
        if h1.nrows() != n_spatial as usize {
            return Err(QubitError::Shape { detail: format!("h1 is {:?} for {n_spatial} orbitals", h1.dim()) });
        }
        let encoding = Encoding::new(kind, 2 * n_spatial)?;
        let mapped = encoding.map_hamiltonian(core_energy, h1, eri)?;
        let occupation = hartree_fock_state(n_alpha as usize, n_beta as usize);
        let reduction = two_qubit_reduction.then(|| TwoQubitReduction {
            alpha_parity_qubit: n_spatial - 1,
            total_parity_qubit: 2 * n_spatial - 1,
            alpha_sign: if n_alpha % 2 == 1 { -1.0 } else { 1.0 },
            total_sign: if (n_alpha + n_beta) % 2 == 1 { -1.0 } else { 1.0 },
        });
        let mut space = QubitSpace { encoding, n_spatial, n_alpha, n_beta, reduction, tapering: None, reference: 0 };
        let reduced = space.reduce(&mapped)?;
        let reduced_reference = space.reduce_state(space.encoding.basis_state(occupation))?;
        if tapering {
            space.tapering = Some(Tapering::new(&reduced, reduced_reference));
        }
        let hamiltonian = match &space.tapering {
            Some(t) => t.apply(&reduced, DROP_TOLERANCE)?,
            None => reduced,
        };
        space.reference = space.basis_state(occupation)?;
        Ok((space, hamiltonian))
    }

    pub fn mapping(&self) -> MappingKind {
        self.encoding.kind()
    }

    /// The encoding of the spin orbitals (stage 1).
    pub fn encoding(&self) -> &Encoding {
        &self.encoding
    }

    pub fn n_spatial(&self) -> u32 {
        self.n_spatial
    }

    /// The electrons of the reference, (alpha, beta).
    pub fn electrons(&self) -> (u32, u32) {
        (self.n_alpha, self.n_beta)
    }

    /// Qubits of the final register (after reduction and tapering).
    pub fn n_qubits(&self) -> u32 {
        self.tapering.as_ref().map_or(self.n_qubits_before_tapering(), Tapering::n_qubits_after)
    }

    /// Qubits after the mapping and the two-qubit reduction.
    pub fn n_qubits_before_tapering(&self) -> u32 {
        self.n_qubits_mapped() - if self.reduction.is_some() { 2 } else { 0 }
    }

    /// Qubits of the mapping alone: 2 · n_spatial.
    pub fn n_qubits_mapped(&self) -> u32 {
        2 * self.n_spatial
    }

    /// Whether the two-qubit reduction was applied.
    pub fn two_qubit_reduction(&self) -> bool {
        self.reduction.is_some()
    }

    /// The Z2 symmetry generators that were tapered (Pauli strings on the register before
    /// tapering), with their sector eigenvalues ±1; empty without tapering.
    pub fn symmetries(&self) -> &[(PauliString, i8)] {
        self.tapering.as_ref().map_or(&[], Tapering::symmetries)
    }

    /// The qubits tapering removed (numbered in the register before tapering).
    pub fn tapered_qubits(&self) -> &[u32] {
        self.tapering.as_ref().map_or(&[], Tapering::tapered_qubits)
    }

    /// The image of a Hermitian fermion operator (e.g. i(T − T†) of an excitation, or a number
    /// operator) in the final register, real coefficients, terms with |c| ≤ 1e-12 dropped.
    ///
    /// Failure contract: a mode beyond the space is [`QubitError::ModeOutOfRange`]; a
    /// non-Hermitian operator [`QubitError::NotHermitian`]; one that does not commute with a
    /// removed symmetry (e.g. a spin-flip excitation under the two-qubit reduction, or one of
    /// another point-group irrep than the reference under tapering) is
    /// [`QubitError::BreaksSymmetry`]: callers drop such ansatz generators.
    pub fn map(&self, op: &FermionOperator) -> Result<PauliSum, QubitError> {
        let mapped = self.encoding.map(op, DROP_TOLERANCE)?.to_hermitian(HERMITIAN_TOLERANCE, DROP_TOLERANCE)?;
        self.restrict(&mapped)
    }

    /// Takes a Hermitian operator already on the mapped register (2 · n_spatial qubits, before
    /// reduction) through the two-qubit reduction and tapering. Failure contract: another
    /// register size is [`QubitError::Shape`]; as [`Self::map`] otherwise.
    pub fn restrict(&self, mapped: &PauliSum) -> Result<PauliSum, QubitError> {
        if mapped.n_qubits != self.n_qubits_mapped() {
            return Err(QubitError::Shape {
                detail: format!(
                    "an operator on {} qubits for a space mapped to {}",
                    mapped.n_qubits,
                    self.n_qubits_mapped()
                ),
            });
        }
        let reduced = self.reduce(mapped)?;
        match &self.tapering {
            Some(t) => t.apply(&reduced, DROP_TOLERANCE),
            None => Ok(reduced),
        }
    }

    /// The final-register basis state of an occupation bitstring (bit 2p: orbital p alpha, bit
    /// 2p + 1: beta), up to a sign when tapered (see [`super::taper`]). Failure contract: bits
    /// beyond the 2 · n_spatial spin orbitals, or an occupation outside the sector the reduction
    /// and tapering keep (other N_α or N parity, other symmetry eigenvalues), are
    /// [`QubitError::OutsideSector`].
    pub fn basis_state(&self, occupation: u64) -> Result<u64, QubitError> {
        let n_modes = self.n_qubits_mapped();
        if n_modes < 64 && occupation >> n_modes != 0 {
            return Err(QubitError::OutsideSector {
                occupation,
                detail: format!("the space has {n_modes} spin orbitals"),
            });
        }
        let reduced = self.reduce_state(self.encoding.basis_state(occupation))?;
        match &self.tapering {
            Some(t) => t.state(reduced).map_err(|e| match e {
                QubitError::OutsideSector { detail, .. } => QubitError::OutsideSector { occupation, detail },
                other => other,
            }),
            None => Ok(reduced),
        }
    }

    /// The Hartree–Fock state in the final register.
    pub fn reference_state(&self) -> u64 {
        self.reference
    }

    /// The final-register basis states of every occupation with `n_alpha` alpha and `n_beta`
    /// beta electrons that lies in the space's sector, sorted: the span on which a mapped
    /// Hamiltonian's lowest eigenvalue is that sector's ground energy (within the symmetry
    /// sector of the reference). Failure contract: more electrons than orbitals is
    /// [`QubitError::Electrons`]; no state in the sector [`QubitError::EmptySector`].
    pub fn sector_states(&self, n_alpha: u32, n_beta: u32) -> Result<Vec<u64>, QubitError> {
        let n = self.n_spatial;
        if n_alpha > n || n_beta > n {
            return Err(QubitError::Electrons { n_alpha, n_beta, n_spatial: n });
        }
        let spread = |s: u64, spin: u32| (0..n).filter(|i| s >> i & 1 == 1).fold(0u64, |m, i| m | 1 << (2 * i + spin));
        let alphas = crate::chem::fci::occupation_strings(n as usize, n_alpha as usize);
        let betas = crate::chem::fci::occupation_strings(n as usize, n_beta as usize);
        let mut states: Vec<u64> = alphas
            .iter()
            .flat_map(|&a| betas.iter().map(move |&b| spread(a, 0) | spread(b, 1)))
            .filter_map(|occupation| self.basis_state(occupation).ok())
            .collect();
        states.sort_unstable();
        if states.is_empty() {
            return Err(QubitError::EmptySector);
        }
        Ok(states)
    }

    /// The lowest eigenvalue of `h` (on the final register) in the (`n_alpha`, `n_beta`)
    /// sector, restricted to the symmetry sector the space keeps: `h` is diagonalised on the span
    /// of [`Self::sector_states`] (exact for a number-conserving `h`). Failure contract: as
    /// [`Self::sector_states`] and [`lowest_eigenvalue_in`].
    pub fn lowest_eigenvalue(&self, h: &PauliSum, n_alpha: u32, n_beta: u32) -> Result<f64, QubitError> {
        lowest_eigenvalue_in(h, &self.sector_states(n_alpha, n_beta)?)
    }

    /// Stage 2 on an operator: Z on the parity qubits replaced by the reference's eigenvalues.
    fn reduce(&self, mapped: &PauliSum) -> Result<PauliSum, QubitError> {
        let Some(r) = &self.reduction else { return Ok(mapped.clone()) };
        let (a, t) = (r.alpha_parity_qubit, r.total_parity_qubit);
        let removed = 1u64 << a | 1u64 << t;
        let mut out = PauliSum::new(mapped.n_qubits - 2);
        for &(s, c) in &mapped.terms {
            for q in [a, t] {
                if s.x >> q & 1 == 1 {
                    return Err(QubitError::BreaksSymmetry { symmetry: PauliString::single('Z', q) });
                }
            }
            let mut coefficient = c;
            if s.z >> a & 1 == 1 {
                coefficient *= r.alpha_sign;
            }
            if s.z >> t & 1 == 1 {
                coefficient *= r.total_sign;
            }
            out.add(PauliString { x: compress(s.x, removed), z: compress(s.z, removed) }, coefficient);
        }
        out.simplify(DROP_TOLERANCE);
        Ok(out)
    }

    /// Stage 2 on a basis state: checks the two parities and removes their qubits.
    fn reduce_state(&self, b: u64) -> Result<u64, QubitError> {
        let Some(r) = &self.reduction else { return Ok(b) };
        for (q, sign, what) in
            [(r.alpha_parity_qubit, r.alpha_sign, "alpha-electron"), (r.total_parity_qubit, r.total_sign, "electron")]
        {
            let value = if b >> q & 1 == 1 { -1.0 } else { 1.0 };
            if value != sign {
                return Err(QubitError::OutsideSector {
                    occupation: self.encoding.occupation(b),
                    detail: format!("its {what}-number parity differs from the reference's"),
                });
            }
        }
        Ok(compress(b, 1u64 << r.alpha_parity_qubit | 1u64 << r.total_parity_qubit))
    }
}

#[cfg(test)]
mod tests;

//! Linear fermion-to-qubit encodings: Jordan–Wigner, parity and Bravyi–Kitaev, as one mechanism.
//!
//! Each is a change of basis over GF(2) from occupations to qubit values, b = B n (mod 2), with
//! the modes taken in a fermionic order (Seeley, Richard and Love, J. Chem. Phys. 137, 224109
//! (2012)). For mode j at position k of that order, with C the qubits whose value holds n_j
//! (column j of B), F the qubits whose parity is n_j (row j of B⁻¹) and P the qubits whose
//! parity is the number of modes before position k:
//!
//! ```text
//! a†_j = X_C Z_P (1 + Z_F)/2,   a_j = X_C Z_P (1 − Z_F)/2,
//! γ_2j = a_j + a†_j = X_C Z_P,  γ_2j+1 = i(a†_j − a_j) = i X_C Z_P Z_F.
//! ```
//!
//! - Jordan–Wigner: B = 1, order = labels; a†_j = ½(X_j − iY_j) Z_{j−1}⋯Z_0 (OpenFermion's).
//! - Bravyi–Kitaev: B is the Fenwick-tree matrix truncated to the register (qubit i holds modes
//!   i+1−lowbit(i+1) … i), order = labels: OpenFermion's `bravyi_kitaev(op, n_qubits)`, whose
//!   update/occupation/parity sets are C∖{j}, F and P.
//! - Parity: qubit i holds n_0 + … + n_i in the block spin order (all alpha modes, then all
//!   beta, as Qiskit's `ParityMapper`), so qubit n/2 − 1 holds the alpha-number parity and qubit
//!   n − 1 the total parity, the pair the two-qubit reduction removes.
//!
//! Inputs always use interleaved labels (2p alpha, 2p + 1 beta); the order is the encoding's
//! business. Distinct Majorana monomials map to distinct Pauli strings, so the mapped sum is built
//! without merging (see the `majorana` module).

use ndarray::{ArrayView2, ArrayView4};
use num_complex::Complex64;
use qdf_compiler::hir::MappingKind;

use super::error::QubitError;
use super::fermion::{check_integrals, FermionOperator};
use super::gf2::{invert, parity};
use super::majorana::{MajoranaSum, I_POWERS};
use super::operator::PauliOperator;
use super::pauli::{PauliString, PauliSum};

/// Coefficients at or below this magnitude are dropped from mapped Hamiltonians and operators.
pub const DROP_TOLERANCE: f64 = 1e-12;

/// Imaginary parts of a Hermitian operator's image above this, relative to its largest
/// coefficient, make it non-Hermitian.
pub const HERMITIAN_TOLERANCE: f64 = 1e-10;

/// A linear encoding of `n_modes` spin orbitals on as many qubits.
#[derive(Clone, Debug, PartialEq)]
pub struct Encoding {
    kind: MappingKind,
    n_modes: u32,
    /// Row i: the modes (interleaved labels) whose occupation parity is qubit i's value.
    encode: Vec<u64>,
    /// Row j: the qubits whose parity is mode j's occupation.
    decode: Vec<u64>,
    /// The images of γ_0 … γ_{2n−1}: γ_μ = i^k · string.
    majoranas: Vec<(u8, PauliString)>,
}

impl Encoding {
    /// The encoding `kind` of `n_modes` spin orbitals (interleaved labels). Failure contract:
    /// more than 64 modes is [`QubitError::TooManyQubits`].
    pub fn new(kind: MappingKind, n_modes: u32) -> Result<Encoding, QubitError> {
        if n_modes > 64 {
            return Err(QubitError::TooManyQubits { n_qubits: n_modes as usize });
        }
        let n = n_modes as usize;
        // position[j]: mode j's place in the fermionic order; encode rows over labels.
        let position: Vec<usize> = match kind {
            MappingKind::Parity => {
                let n_alpha_modes = n.div_ceil(2);
                (0..n).map(|j| if j % 2 == 0 { j / 2 } else { n_alpha_modes + j / 2 }).collect()
            }
            MappingKind::JordanWigner | MappingKind::BravyiKitaev => (0..n).collect(),
        };
        let label_mask = |positions: &mut dyn Iterator<Item = usize>| {
            let mut at = vec![0usize; n];
            for (j, &k) in position.iter().enumerate() {
                at[k] = j;
            }
            positions.fold(0u64, |m, k| m | 1 << at[k])
        };
        let encode: Vec<u64> = (0..n)
            .map(|i| match kind {
                MappingKind::JordanWigner => label_mask(&mut std::iter::once(i)),
                MappingKind::Parity => label_mask(&mut (0..=i)),
                MappingKind::BravyiKitaev => {
                    let lowbit = (i + 1) & (i + 1).wrapping_neg();
                    label_mask(&mut (i + 1 - lowbit..=i))
                }
            })
            .collect();
        // B is triangular with a unit diagonal in position order, so always invertible.
        let decode = invert(&encode).expect("encodings are invertible");
        let mut majoranas = Vec::with_capacity(2 * n);
        for j in 0..n {
            let c = (0..n).filter(|&i| encode[i] >> j & 1 == 1).fold(0u64, |m, i| m | 1 << i);
            let f = decode[j];
            let p = (0..n).filter(|&l| position[l] < position[j]).fold(0u64, |m, l| m ^ decode[l]);
            // String(x, z) = i^{|x∧z|} X^x Z^z, so X^C Z^P = i^{−|C∧P|} String(C, P).
            let even = PauliString { x: c, z: p };
            let odd = PauliString { x: c, z: p ^ f };
            majoranas.push((((4 - (c & p).count_ones() % 4) % 4) as u8, even));
            majoranas.push((((5 - (c & (p ^ f)).count_ones() % 4) % 4) as u8, odd));
        }
        Ok(Encoding { kind, n_modes, encode, decode, majoranas })
    }

    pub fn kind(&self) -> MappingKind {
        self.kind
    }

    /// Number of modes, equal to the number of qubits.
    pub fn n_modes(&self) -> u32 {
        self.n_modes
    }

    /// The computational-basis state of an occupation bitstring (bit j = mode j occupied).
    /// Bits at or above `n_modes` are ignored.
    pub fn basis_state(&self, occupation: u64) -> u64 {
        self.encode.iter().enumerate().fold(0u64, |b, (i, &row)| b | parity(row & occupation) << i)
    }

    /// The occupation bitstring of a computational-basis state (inverse of [`Self::basis_state`]).
    pub fn occupation(&self, state: u64) -> u64 {
        self.decode.iter().enumerate().fold(0u64, |n, (j, &row)| n | parity(row & state) << j)
    }

    /// The qubits whose parity is mode `mode`'s occupation: Z on them is (−1)^{n_mode}.
    /// Failure contract: a mode ≥ `n_modes` panics (programming error).
    pub fn occupation_qubits(&self, mode: u32) -> u64 {
        self.decode[mode as usize]
    }

    /// The image of γ_μ (μ = 2j for a_j + a†_j, 2j + 1 for i(a†_j − a_j)) as i^k · string.
    /// Failure contract: μ ≥ 2·`n_modes` panics (programming error).
    pub fn majorana(&self, mu: u32) -> (u8, PauliString) {
        self.majoranas[mu as usize]
    }

    /// The image of a fermion operator (complex coefficients, terms with |c| ≤ `drop` removed).
    /// Failure contract: a mode ≥ `n_modes` is [`QubitError::ModeOutOfRange`], a non-finite
    /// coefficient [`QubitError::NonFinite`].
    pub fn map(&self, op: &FermionOperator, drop: f64) -> Result<PauliOperator, QubitError> {
        if op.n_modes() > self.n_modes {
            let mode = op.n_modes() - 1;
            return Err(QubitError::ModeOutOfRange { mode, n_modes: self.n_modes });
        }
        Ok(self.map_majorana(&MajoranaSum::from_fermion(op)?, drop))
    }

    /// The image of a Hermitian fermion operator with real coefficients. Failure contract: as
    /// [`Self::map`], plus [`QubitError::NotHermitian`] when an imaginary part exceeds
    /// [`HERMITIAN_TOLERANCE`] relative to the largest coefficient.
    pub fn map_hermitian(&self, op: &FermionOperator, drop: f64) -> Result<PauliSum, QubitError> {
        self.map(op, drop)?.to_hermitian(HERMITIAN_TOLERANCE, drop)
    }

    /// The image of one ladder operator, a†_mode or a_mode. Failure contract: a mode ≥ `n_modes`
    /// is [`QubitError::ModeOutOfRange`].
    pub fn ladder(&self, mode: u32, creation: bool) -> Result<PauliOperator, QubitError> {
        self.map(&FermionOperator::term(&[(mode, creation)], Complex64::new(1.0, 0.0)), 0.0)
    }

    /// The molecular Hamiltonian of [`FermionOperator::from_integrals`] mapped to real Pauli
    /// coefficients, terms with |c| ≤ [`DROP_TOLERANCE`] dropped. Failure contract: the integrals
    /// must have n = `n_modes`/2 orbitals, be finite and consistent ([`QubitError`]); an imaginary
    /// coefficient (impossible for real symmetric integrals) is [`QubitError::NotHermitian`].
    pub fn map_hamiltonian(
        &self,
        core_energy: f64,
        h1: ArrayView2<'_, f64>,
        eri: ArrayView4<'_, f64>,
    ) -> Result<PauliSum, QubitError> {
        if 2 * h1.nrows() != self.n_modes as usize {
            return Err(QubitError::Shape {
                detail: format!("{} orbitals for an encoding of {} spin orbitals", h1.nrows(), self.n_modes),
            });
        }
        let sum = MajoranaSum::from_integrals(core_energy, h1, eri)?;
        self.map_majorana(&sum, DROP_TOLERANCE).to_hermitian(HERMITIAN_TOLERANCE, DROP_TOLERANCE)
    }

    /// Maps each monomial to its string: the product of its γ images in increasing order.
    pub(crate) fn map_majorana(&self, sum: &MajoranaSum, drop: f64) -> PauliOperator {
        let mut out = PauliOperator::new(self.n_modes);
        out.terms.reserve(sum.terms.len());
        for (&mask, &c) in &sum.terms {
            if c.norm() <= drop {
                continue;
            }
            let (mut power, mut string) = (0u32, PauliString::IDENTITY);
            let mut rest = mask;
            while rest != 0 {
                let mu = rest.trailing_zeros();
                rest &= rest - 1;
                let (k, image) = self.majoranas[mu as usize];
                let (phase, product) = string.mul(image);
                power += u32::from(k) + u32::from(phase);
                string = product;
            }
            out.terms.push((string, c * I_POWERS[(power % 4) as usize]));
        }
        // One string per monomial: sorting is all the simplification needed.
        out.terms.sort_unstable_by_key(|t| t.0);
        out
    }
}

/// The molecular Hamiltonian mapped by `kind` on 2n qubits, no reductions. Failure contract:
/// inconsistent shapes, more than 32 orbitals or non-finite integrals are [`QubitError`]s.
pub fn map_hamiltonian(
    kind: MappingKind,
    core_energy: f64,
    h1: ArrayView2<'_, f64>,
    eri: ArrayView4<'_, f64>,
) -> Result<PauliSum, QubitError> {
    let n = check_integrals(core_energy, h1, eri)?;
    Encoding::new(kind, 2 * n as u32)?.map_hamiltonian(core_energy, h1, eri)
}

#[cfg(test)]
mod tests;

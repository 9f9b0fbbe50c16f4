//! Qubit tapering by Z2 symmetries (Bravyi, Gambetta, Mezzacapo and Temme, arXiv:1701.08213).
//!
//! The Pauli strings that commute with every term of H are the GF(2) kernel of its check matrix
//! (row per term: its x and z masks; τ commutes with P exactly when x_P·z_τ + z_P·x_τ = 0). Of
//! that group the Z-type part is tapered: its elements are diagonal, so a computational-basis
//! reference (the Hartree–Fock state) is their eigenstate and fixes the sector. (X-containing
//! symmetries appear only when some mode is absent from H, as every number operator n_j is a Z
//! string under a linear encoding; they are left in place.)
//!
//! The generators τ_i are brought to reduced row echelon form, so each has a pivot qubit q_i
//! where it alone acts (with Z). Then X_{q_i} anticommutes with τ_i and commutes with every other
//! generator, and the Clifford U = Π_i (X_{q_i} + τ_i)/√2 sends τ_i to X_{q_i}. A term P of H
//! (commuting with τ_i) is unchanged by U_i when it commutes with X_{q_i} and becomes
//! X_{q_i} P τ_i otherwise; afterwards every term holds I or X on each q_i, X is replaced by the
//! sector's eigenvalue s_i and the qubits q_i are removed.
//!
//! A basis state |b⟩ of the sector is sent by U to ±|b without the q_i⟩ ⊗ |X_{q_i} = s_i⟩ (the
//! sign is s_i for each q_i where b has a 0), so basis states map to basis states, up to sign.

use super::error::QubitError;
use super::gf2::{kernel, reduce};
use super::pauli::{PauliString, PauliSum};

/// The Z2 symmetries removed from a register, and how to remove them.
#[derive(Clone, Debug, PartialEq)]
pub struct Tapering {
    n_qubits: u32,
    /// Generators with their sector eigenvalues (±1), each with its pivot qubit.
    symmetries: Vec<(PauliString, i8)>,
    pivots: Vec<u32>,
}

/// A basis of the Z-type Pauli strings (as Z masks) that commute with every term of `h`, in
/// reduced row echelon form (lowest qubit first): the symmetries tapering removes. Failure
/// contract: none; an empty `h` commutes with every Z string.
pub fn z2_symmetries(h: &PauliSum) -> Vec<u64> {
    let n = h.n_qubits.min(64);
    // Check matrix rows (x | z << 64); a kernel vector (a | b << 64) is the string x = b, z = a.
    let rows: Vec<u128> = h.terms.iter().map(|(s, _)| u128::from(s.x) | u128::from(s.z) << 64).collect();
    let used: u128 = (if n == 64 { u64::MAX } else { (1u64 << n) - 1 }).into();
    let columns = used | used << 64;
    let kernel: Vec<u128> = kernel(&rows, 128).into_iter().filter(|v| v & !columns == 0).collect();
    // The Z-type part: eliminate on the X columns first (rotated into the low bits); the rows
    // left without X pivots span kernel ∩ {x = 0}.
    let mut rotated: Vec<u128> = kernel.iter().map(|v| v.rotate_left(64)).collect();
    reduce(&mut rotated, 128);
    let mut z_only: Vec<u128> = rotated.iter().filter(|v| **v as u64 == 0).map(|v| v >> 64).collect();
    reduce(&mut z_only, 64);
    z_only.into_iter().map(|v| v as u64).collect()
}

impl Tapering {
    /// Finds the symmetries of `h` ([`z2_symmetries`]) and fixes their sector as the eigenvalues
    /// of the basis state `reference` (bit q = qubit q). Failure contract: none.
    pub fn new(h: &PauliSum, reference: u64) -> Tapering {
        let mut symmetries = Vec::new();
        let mut pivots = Vec::new();
        for z in z2_symmetries(h) {
            let sign = if (z & reference).count_ones() % 2 == 1 { -1 } else { 1 };
            symmetries.push((PauliString { x: 0, z }, sign));
            pivots.push(z.trailing_zeros());
        }
        Tapering { n_qubits: h.n_qubits, symmetries, pivots }
    }

    /// Qubits before tapering.
    pub fn n_qubits_before(&self) -> u32 {
        self.n_qubits
    }

    /// Qubits after tapering.
    pub fn n_qubits_after(&self) -> u32 {
        self.n_qubits - self.pivots.len() as u32
    }

    /// The tapered generators (before tapering) with their sector eigenvalues.
    pub fn symmetries(&self) -> &[(PauliString, i8)] {
        &self.symmetries
    }

    /// The qubits removed, one per symmetry.
    pub fn tapered_qubits(&self) -> &[u32] {
        &self.pivots
    }

    /// The image of a Hermitian operator on the pre-tapering register in the tapered sector:
    /// ⟨s| U op U |s⟩ on the remaining qubits, terms merged and those with |c| ≤ `drop` removed.
    /// Failure contract: a term that anticommutes with a symmetry is
    /// [`QubitError::BreaksSymmetry`] (the operator would leave the sector); another register
    /// size is [`QubitError::Shape`].
    pub fn apply(&self, op: &PauliSum, drop: f64) -> Result<PauliSum, QubitError> {
        if op.n_qubits != self.n_qubits {
            return Err(QubitError::Shape {
                detail: format!("an operator on {} qubits for a tapering of {}", op.n_qubits, self.n_qubits),
            });
        }
        let mut out = PauliSum::new(self.n_qubits_after());
        for &(term, c) in &op.terms {
            let mut string = term;
            let mut coefficient = c;
            for (&(tau, sign), &q) in self.symmetries.iter().zip(&self.pivots) {
                if !string.commutes_with(tau) {
                    return Err(QubitError::BreaksSymmetry { symmetry: tau });
                }
                let x_q = PauliString { x: 1 << q, z: 0 };
                if !string.commutes_with(x_q) {
                    // U_i P U_i = X_q P τ_i, Hermitian, so its phase is ±1.
                    let (k1, moved) = x_q.mul(string);
                    let (k2, product) = moved.mul(tau);
                    let k = (k1 + k2) % 4;
                    debug_assert!(k % 2 == 0, "Clifford image of a Hermitian string is Hermitian");
                    if k == 2 {
                        coefficient = -coefficient;
                    }
                    string = product;
                }
                if string.x >> q & 1 == 1 {
                    coefficient *= f64::from(sign);
                }
            }
            let removed = self.removed_mask();
            out.add(PauliString { x: compress(string.x, removed), z: compress(string.z, removed) }, coefficient);
        }
        out.simplify(drop);
        Ok(out)
    }

    /// The tapered basis state of the pre-tapering basis state `b` (the pivots removed), valid up
    /// to sign. Failure contract: `b` outside the sector is [`QubitError::OutsideSector`].
    pub fn state(&self, b: u64) -> Result<u64, QubitError> {
        for &(tau, sign) in &self.symmetries {
            let value = if (tau.z & b).count_ones() % 2 == 1 { -1 } else { 1 };
            if value != sign {
                return Err(QubitError::OutsideSector {
                    occupation: b,
                    detail: format!("its eigenvalue of [{tau}] is {value}, the space keeps {sign}"),
                });
            }
        }
        Ok(compress(b, self.removed_mask()))
    }

    fn removed_mask(&self) -> u64 {
        self.pivots.iter().fold(0, |m, &q| m | 1 << q)
    }
}

/// `mask` with the bits in `removed` taken out and the higher bits moved down.
pub(crate) fn compress(mask: u64, removed: u64) -> u64 {
    let mut out = 0u64;
    let mut target = 0;
    for q in 0..64 {
        if removed >> q & 1 == 1 {
            continue;
        }
        out |= (mask >> q & 1) << target;
        target += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symmetries_of_a_two_site_hopping_model() {
        // H = X0 X1 + Y0 Y1 + Z0 + Z1 conserves Z0 Z1 (and nothing else of Z type).
        let mut h = PauliSum::new(2);
        h.add(PauliString { x: 0b11, z: 0 }, 0.5);
        h.add(PauliString { x: 0b11, z: 0b11 }, 0.5);
        h.add(PauliString::single('Z', 0), 0.3);
        h.add(PauliString::single('Z', 1), 0.3);
        assert_eq!(z2_symmetries(&h), vec![0b11]);
        // One particle: Z0 Z1 = −1. Tapered: one qubit whose spectrum is {±1} (the hopping
        // eigenvalues in the one-particle sector).
        let t = Tapering::new(&h, 0b01);
        assert_eq!(t.symmetries(), &[(PauliString { x: 0, z: 0b11 }, -1)]);
        assert_eq!(t.tapered_qubits(), &[0]);
        let tapered = t.apply(&h, 0.0).expect("commutes");
        assert_eq!(tapered.n_qubits, 1);
        let values = crate::qubit::spectrum::eigenvalues(&tapered).expect("dense");
        assert!((values[0] + 1.0).abs() < 1e-12 && (values[1] - 1.0).abs() < 1e-12, "{values:?} {tapered:?}");
        assert_eq!(t.state(0b10), Ok(0b1));
        assert!(matches!(t.state(0b11), Err(QubitError::OutsideSector { .. })));
        let mut breaking = PauliSum::new(2);
        breaking.add(PauliString::single('X', 0), 1.0);
        assert!(matches!(t.apply(&breaking, 0.0), Err(QubitError::BreaksSymmetry { .. })));
    }

    #[test]
    fn compress_removes_bits() {
        assert_eq!(compress(0b1011, 0b0010), 0b101);
        assert_eq!(compress(0b1111, 0b1001), 0b11);
    }
}

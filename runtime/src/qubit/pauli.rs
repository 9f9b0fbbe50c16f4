//! Pauli strings on up to 64 qubits, as bit masks, and real-weighted sums of them.
//!
//! Conventions (shared by the mappings, the simulator and the golden files): qubit `q` is bit `q`
//! of a mask and of a computational-basis index (qubit 0 is the least significant bit, as in
//! Qiskit's state vectors; OpenFermion's dense vectors use the reverse bit order, which matters
//! only when comparing raw amplitudes, not energies or Pauli strings). A string is `x` and `z` masks: X where only `x` is
//! set, Z where only `z` is set, Y where both are. Printing follows OpenFermion: `X0 Y1 Z3`.

use std::fmt;

/// A tensor product of single-qubit Paulis, without a phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct PauliString {
    pub x: u64,
    pub z: u64,
}

impl PauliString {
    pub const IDENTITY: PauliString = PauliString { x: 0, z: 0 };

    /// The single-qubit Pauli `p` (`'X'`, `'Y'` or `'Z'`) on `qubit`. Failure contract: panics on
    /// another letter or a qubit ≥ 64, which are programming errors.
    pub fn single(p: char, qubit: u32) -> Self {
        assert!(qubit < 64, "qubit {qubit} out of range");
        let bit = 1u64 << qubit;
        match p {
            'X' => PauliString { x: bit, z: 0 },
            'Y' => PauliString { x: bit, z: bit },
            'Z' => PauliString { x: 0, z: bit },
            _ => panic!("not a Pauli: {p}"),
        }
    }

    /// The Pauli on `qubit`: 'I', 'X', 'Y' or 'Z'.
    pub fn at(self, qubit: u32) -> char {
        match ((self.x >> qubit) & 1, (self.z >> qubit) & 1) {
            (0, 0) => 'I',
            (1, 0) => 'X',
            (1, 1) => 'Y',
            _ => 'Z',
        }
    }

    /// Number of non-identity factors.
    pub fn weight(self) -> u32 {
        (self.x | self.z).count_ones()
    }

    /// The product `self · other` as `(phase, string)` where the phase is `i^k` with `k` in 0..4.
    /// (Not `std::ops::Mul`: the product of two strings is a string only up to that phase.)
    #[allow(clippy::should_implement_trait)]
    pub fn mul(self, other: PauliString) -> (u8, PauliString) {
        // Write each string as i^{popcount(x&z)} X^x Z^z; moving other's X past self's Z gives
        // (-1)^{popcount(self.z & other.x)}.
        let k = (self.x & self.z).count_ones() + (other.x & other.z).count_ones() + 2 * (self.z & other.x).count_ones();
        let x = self.x ^ other.x;
        let z = self.z ^ other.z;
        let k = (k + 4 - (x & z).count_ones() % 4) % 4;
        (k as u8, PauliString { x, z })
    }

    /// Whether the two strings commute.
    pub fn commutes_with(self, other: PauliString) -> bool {
        ((self.x & other.z).count_ones() + (self.z & other.x).count_ones()) % 2 == 0
    }
}

impl fmt::Display for PauliString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for q in 0..64 {
            let p = self.at(q);
            if p == 'I' {
                continue;
            }
            if !first {
                f.write_str(" ")?;
            }
            first = false;
            write!(f, "{p}{q}")?;
        }
        Ok(())
    }
}

/// A Hermitian operator Σ c_k P_k with real coefficients, on `n_qubits` qubits.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PauliSum {
    pub n_qubits: u32,
    /// Sorted by string, no duplicates, no zero coefficients (after [`PauliSum::simplify`]).
    pub terms: Vec<(PauliString, f64)>,
}

impl PauliSum {
    pub fn new(n_qubits: u32) -> Self {
        PauliSum { n_qubits, terms: Vec::new() }
    }

    pub fn add(&mut self, string: PauliString, coefficient: f64) {
        self.terms.push((string, coefficient));
    }

    /// Merges equal strings and drops terms with |c| ≤ `tolerance`.
    pub fn simplify(&mut self, tolerance: f64) {
        self.terms.sort_by_key(|t| t.0);
        let mut merged: Vec<(PauliString, f64)> = Vec::with_capacity(self.terms.len());
        for &(s, c) in &self.terms {
            match merged.last_mut() {
                Some(last) if last.0 == s => last.1 += c,
                _ => merged.push((s, c)),
            }
        }
        merged.retain(|(_, c)| c.abs() > tolerance);
        self.terms = merged;
    }

    /// The coefficient of the identity string.
    pub fn constant(&self) -> f64 {
        self.terms.iter().filter(|(s, _)| *s == PauliString::IDENTITY).map(|(_, c)| c).sum()
    }

    /// ⟨b|H|b⟩ for the computational-basis state `b` (bit q = qubit q): only the strings without
    /// X or Y contribute, each as c·(−1)^{|z ∧ b|}. For a Jordan–Wigner Hamiltonian and a
    /// determinant this is the determinant's energy.
    pub fn diagonal_element(&self, b: u64) -> f64 {
        self.terms
            .iter()
            .filter(|(s, _)| s.x == 0)
            .map(|(s, c)| if (s.z & b).count_ones() % 2 == 1 { -c } else { *c })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_qubit_products_follow_the_pauli_algebra() {
        let (x, y, z) = (PauliString::single('X', 0), PauliString::single('Y', 0), PauliString::single('Z', 0));
        assert_eq!(x.mul(y), (1, z), "XY = iZ");
        assert_eq!(y.mul(z), (1, x), "YZ = iX");
        assert_eq!(z.mul(x), (1, y), "ZX = iY");
        assert_eq!(y.mul(x), (3, z), "YX = -iZ");
        assert_eq!(y.mul(y), (0, PauliString::IDENTITY));
        assert!(!x.commutes_with(z));
        let xx = PauliString { x: 0b11, z: 0 };
        let zz = PauliString { x: 0, z: 0b11 };
        assert!(xx.commutes_with(zz));
        assert_eq!(xx.mul(zz), (2, PauliString { x: 0b11, z: 0b11 }), "XX·ZZ = (XZ)(XZ) = (-iY)(-iY) = -YY");
    }

    #[test]
    fn display_and_simplify() {
        let mut h = PauliSum::new(4);
        h.add(PauliString { x: 0b0010, z: 0b1011 }, 0.5);
        h.add(PauliString { x: 0b0010, z: 0b1011 }, 0.25);
        h.add(PauliString::IDENTITY, 1e-15);
        h.simplify(1e-12);
        assert_eq!(h.terms.len(), 1);
        assert_eq!(h.terms[0].0.to_string(), "Z0 Y1 Z3");
        assert_eq!(h.terms[0].1, 0.75);
    }

    #[test]
    fn diagonal_elements_read_z_strings_only() {
        let mut h = PauliSum::new(3);
        h.add(PauliString::IDENTITY, 1.0);
        h.add(PauliString { x: 0, z: 0b011 }, 0.5); // Z0 Z1
        h.add(PauliString { x: 0, z: 0b100 }, 0.25); // Z2
        h.add(PauliString { x: 0b001, z: 0 }, 7.0); // X0: off-diagonal
        assert_eq!(h.diagonal_element(0b000), 1.75);
        assert_eq!(h.diagonal_element(0b001), 0.75);
        assert_eq!(h.diagonal_element(0b111), 1.25);
    }
}

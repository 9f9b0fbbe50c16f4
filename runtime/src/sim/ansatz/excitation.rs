//! Fermionic excitations on spin orbitals: the building blocks of the coupled-cluster ansatzes
//! and of the ADAPT pools.
//!
//! Spin orbitals are interleaved as in OpenFermion (`2p` is spatial orbital `p` alpha, `2p + 1`
//! beta). An excitation `T` enters an ansatz through its anti-Hermitian generator `T − T†`; the
//! Hartree–Fock determinant occupies the lowest `n_alpha` alpha and `n_beta` beta spin orbitals.

use num_complex::Complex64;

use crate::qubit::{FermionOperator, Ladder};

/// A fermionic excitation on spin orbitals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Excitation {
    /// `T = a_to† a_from`.
    Single { from: u32, to: u32 },
    /// `T = a_{to[0]}† a_{to[1]}† a_{from[1]} a_{from[0]}`.
    Double { from: [u32; 2], to: [u32; 2] },
}

impl Excitation {
    /// The ladder operators of `T`, left to right.
    pub fn word(&self) -> Vec<Ladder> {
        match *self {
            Excitation::Single { from, to } => vec![(to, true), (from, false)],
            Excitation::Double { from, to } => vec![(to[0], true), (to[1], true), (from[1], false), (from[0], false)],
        }
    }

    /// `T` as a fermion operator.
    pub fn operator(&self) -> FermionOperator {
        FermionOperator::term(&self.word(), Complex64::new(1.0, 0.0))
    }

    /// The Hermitian generator `i c (T − T†)`: `exp(θ c (T − T†)) = exp(−iθ · i c (T − T†))`.
    pub fn generator(&self, c: f64) -> FermionOperator {
        let t = self.operator();
        (&t - &t.hermitian_conjugate()) * Complex64::new(0.0, c)
    }

    /// `T` written as OpenFermion prints it: `"2^ 0"` for `a_2† a_0`, `"3^ 2^ 1 0"` for a double.
    pub fn label(&self) -> String {
        let factor = |&(mode, creation): &Ladder| if creation { format!("{mode}^") } else { mode.to_string() };
        self.word().iter().map(factor).collect::<Vec<_>>().join(" ")
    }

    /// The spin orbitals the excitation acts on.
    pub fn modes(&self) -> Vec<u32> {
        self.word().into_iter().map(|(mode, _)| mode).collect()
    }

    /// The double `a_A† a_B† a_J a_I` in canonical form (`to` and `from` ascending) with the
    /// sign of the reordering, or `None` when it vanishes (`A = B` or `I = J`).
    pub fn canonical_double(from: [u32; 2], to: [u32; 2]) -> Option<(Excitation, f64)> {
        if from[0] == from[1] || to[0] == to[1] {
            return None;
        }
        let mut sign = 1.0;
        let sort = |pair: [u32; 2], sign: &mut f64| {
            if pair[0] > pair[1] {
                *sign = -*sign;
                [pair[1], pair[0]]
            } else {
                pair
            }
        };
        let from = sort(from, &mut sign);
        let to = sort(to, &mut sign);
        Some((Excitation::Double { from, to }, sign))
    }
}

/// The spin orbital of spatial orbital `p` with spin `spin` (0 alpha, 1 beta).
pub fn spin_orbital(p: u32, spin: u32) -> u32 {
    2 * p + spin
}

/// The Hartree–Fock occupation: bits `2p` for `p < n_alpha` and `2p + 1` for `p < n_beta`.
pub fn hartree_fock_occupation(n_alpha: u32, n_beta: u32) -> u64 {
    let alpha = (0..n_alpha).fold(0u64, |m, p| m | 1 << spin_orbital(p, 0));
    let beta = (0..n_beta).fold(0u64, |m, p| m | 1 << spin_orbital(p, 1));
    alpha | beta
}

/// Every spin-conserving occupied → virtual single `a_a† a_i`, ordered by `(i, a)`.
pub fn singles(n_spatial: u32, n_alpha: u32, n_beta: u32) -> Vec<Excitation> {
    let (occupied, virtual_) = occupied_and_virtual(n_spatial, n_alpha, n_beta);
    let mut out = Vec::new();
    for &i in &occupied {
        for &a in virtual_.iter().filter(|&&a| a % 2 == i % 2) {
            out.push(Excitation::Single { from: i, to: a });
        }
    }
    out
}

/// Every spin-conserving occupied → virtual double `a_a† a_b† a_j a_i` (`i < j` occupied,
/// `a < b` virtual, as many beta orbitals among `{i, j}` as among `{a, b}`), ordered by
/// `(i, j, a, b)`.
pub fn doubles(n_spatial: u32, n_alpha: u32, n_beta: u32) -> Vec<Excitation> {
    let (occupied, virtual_) = occupied_and_virtual(n_spatial, n_alpha, n_beta);
    let mut out = Vec::new();
    for (n, &i) in occupied.iter().enumerate() {
        for &j in &occupied[n + 1..] {
            for (m, &a) in virtual_.iter().enumerate() {
                for &b in &virtual_[m + 1..] {
                    if i % 2 + j % 2 == a % 2 + b % 2 {
                        out.push(Excitation::Double { from: [i, j], to: [a, b] });
                    }
                }
            }
        }
    }
    out
}

/// The occupied and the virtual spin orbitals of the Hartree–Fock determinant, ascending.
fn occupied_and_virtual(n_spatial: u32, n_alpha: u32, n_beta: u32) -> (Vec<u32>, Vec<u32>) {
    let hf = hartree_fock_occupation(n_alpha, n_beta);
    (0..2 * n_spatial).partition(|&j| hf >> j & 1 == 1)
}

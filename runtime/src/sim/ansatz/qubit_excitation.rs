//! Qubit excitations (Yordanov, Arvidsson-Shukur and Barnes, Phys. Rev. A 102, 062612 (2020);
//! the QEB-ADAPT pool of Commun. Phys. 4, 228 (2021)): excitations without the Jordan–Wigner
//! parity strings.
//!
//! Under Jordan–Wigner, `a_p = Z_{<p} σ_p` with `σ_p = ½(X_p + iY_p)`, and the qubit excitation of
//! a fermionic word `L_{p_1} ⋯ L_{p_m}` is `Q = σ^{(†)}_{p_1} ⋯ σ^{(†)}_{p_m}`. As an operator on
//! Fock space, with `Z_k = (−1)^{n_k}` and `σ_p = (−1)^{N_{<p}} a_p`, moving every parity factor
//! to the left gives `Q = s · Π_{k∈S'} (−1)^{n_k} · T`, where `S` is the symmetric difference of
//! the sets `{0, …, p_t − 1}`, `S'` is `S` without the excitation's own modes, and the sign `s`
//! collects `(−1)` for every pair `t < u` with `p_t < p_u` (a parity factor passing a ladder
//! operator of its own range) and for every created mode in `S` (its parity, evaluated after
//! `T`, is odd). That definition holds on Fock space, so it carries over to every encoding: the
//! image of `i(Q − Q†)` is `s · Z_F · image(i(T − T†))`, with `Z_F` the product of the strings
//! that measure `(−1)^{n_k}` ([`Encoding::occupation_qubits`]) for `k ∈ S'`. Under Jordan–Wigner
//! this is exactly Yordanov's operator (no Z strings); under parity and Bravyi–Kitaev it is the
//! same Fock-space operator in that encoding.

use super::excitation::Excitation;
use super::generator::Factor;
use crate::qubit::encoding::DROP_TOLERANCE;
use crate::qubit::{Encoding, PauliString, PauliSum, QubitError};

/// The factor `G = i(Q − Q†)` of the qubit excitation with the word of `e`, on the mapped
/// register. Failure contract: a mode outside the encoding is [`QubitError::ModeOutOfRange`].
pub(super) fn qubit_excitation(encoding: &Encoding, e: Excitation) -> Result<Factor, QubitError> {
    let word = e.word();
    let mut sign = 1.0;
    let mut range = 0u64;
    for (u, &(p, _)) in word.iter().enumerate() {
        sign *= word[..u].iter().fold(1.0, |s, &(q, _)| if q < p { -s } else { s });
        range ^= (1u64 << p) - 1;
    }
    let modes = word.iter().fold(0u64, |m, &(p, _)| m | 1 << p);
    for &(p, creation) in &word {
        if creation && range >> p & 1 == 1 {
            sign = -sign;
        }
    }
    let parity_modes = range & !modes;
    let z = (0..64u32).filter(|k| parity_modes >> k & 1 == 1).fold(0u64, |m, k| m ^ encoding.occupation_qubits(k));
    let parity = PauliString { x: 0, z };
    let image = encoding.map_hermitian(&e.generator(1.0), DROP_TOLERANCE)?;
    let mut out = PauliSum::new(image.n_qubits);
    for &(string, c) in &image.terms {
        // The parity commutes with every term (it commutes with T), so the phase is ±1.
        let (k, product) = parity.mul(string);
        debug_assert!(k % 2 == 0, "the parity string commutes with the excitation");
        out.add(product, if k == 2 { -sign * c } else { sign * c });
    }
    out.simplify(DROP_TOLERANCE);
    Ok(Factor::Mapped(out))
}

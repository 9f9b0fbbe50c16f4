//! Dense kernels shared by the density-matrix and trajectory simulators: one- and two-qubit
//! operators on any bit positions of an amplitude array, and Pauli expectation values.
//!
//! A density matrix is stored as a vector over `2n` bits (row bits low, column bits high), so the
//! same kernels apply `U` to its rows and `conj(U)` to its columns.

use num_complex::Complex64;

use crate::native::su2::Mat2;
use crate::qubit::PauliString;

/// `index` with a zero bit inserted at each position of `bits`, which must be ascending.
pub fn insert_zeros(mut index: usize, bits: &[u32]) -> usize {
    for &b in bits {
        let low = index & ((1usize << b) - 1);
        index = ((index >> b) << (b + 1)) | low;
    }
    index
}

/// Applies `m` to bit `q` of every index of `a`. Failure contract: panics if `1 << q` is not
/// below `a.len()` (a programming error).
pub fn apply_one(a: &mut [Complex64], q: u32, m: &Mat2) {
    let bit = 1usize << q;
    assert!(bit < a.len(), "qubit {q} outside the array");
    for k in 0..a.len() / 2 {
        let i = insert_zeros(k, &[q]);
        let (x, y) = (a[i], a[i | bit]);
        a[i] = m[0][0] * x + m[0][1] * y;
        a[i | bit] = m[1][0] * x + m[1][1] * y;
    }
}

/// Applies the 4×4 `m`, little-endian in `(q[0], q[1])` (local index `2·b(q1) + b(q0)`), to the
/// two bits of every index of `a`. Failure contract: panics on equal bits or a bit outside `a`.
pub fn apply_two(a: &mut [Complex64], q: [u32; 2], m: &[[Complex64; 4]; 4]) {
    assert!(q[0] != q[1], "a two-qubit gate on one qubit");
    assert!(1usize << q[0].max(q[1]) < a.len(), "qubit outside the array");
    let sorted = [q[0].min(q[1]), q[0].max(q[1])];
    let (b0, b1) = (1usize << q[0], 1usize << q[1]);
    for k in 0..a.len() / 4 {
        let base = insert_zeros(k, &sorted);
        let idx = [base, base | b0, base | b1, base | b0 | b1];
        let old = idx.map(|i| a[i]);
        for (row, &i) in m.iter().zip(&idx) {
            a[i] = row.iter().zip(&old).map(|(x, y)| x * y).sum();
        }
    }
}

/// The element-wise complex conjugate of a 2×2 matrix.
pub fn conj_one(m: &Mat2) -> Mat2 {
    m.map(|row| row.map(|x| x.conj()))
}

/// The element-wise complex conjugate of a 4×4 matrix.
pub fn conj_two(m: &[[Complex64; 4]; 4]) -> [[Complex64; 4]; 4] {
    m.map(|row| row.map(|x| x.conj()))
}

/// The phase `c` in `P|b⟩ = c·|b ⊕ x⟩`: `i^{|x∧z|}·(−1)^{|z∧b|}`.
pub fn pauli_phase(p: PauliString, b: u64) -> Complex64 {
    let k = ((p.x & p.z).count_ones() + 2 * (p.z & b).count_ones()) % 4;
    [Complex64::new(1.0, 0.0), Complex64::new(0.0, 1.0), Complex64::new(-1.0, 0.0), Complex64::new(0.0, -1.0)]
        [k as usize]
}

/// `⟨ψ|P|ψ⟩` for an unnormalised `ψ`. Failure contract: panics if `P` acts outside `ψ`.
pub fn pauli_expectation(psi: &[Complex64], p: PauliString) -> f64 {
    assert!(((p.x | p.z) as usize) < psi.len(), "Pauli string outside the state");
    let x = p.x as usize;
    psi.iter().enumerate().map(|(b, &u)| (psi[b ^ x].conj() * pauli_phase(p, b as u64) * u).re).sum()
}

/// The 2×2 matrix of the single-qubit Pauli `'X'`, `'Y'` or `'Z'`. Failure contract: panics on
/// another letter (a programming error).
pub fn pauli_matrix(p: char) -> Mat2 {
    let (o, l, i) = (Complex64::new(0.0, 0.0), Complex64::new(1.0, 0.0), Complex64::new(0.0, 1.0));
    match p {
        'X' => [[o, l], [l, o]],
        'Y' => [[o, -i], [i, o]],
        'Z' => [[l, o], [o, -l]],
        _ => panic!("not a Pauli: {p}"),
    }
}

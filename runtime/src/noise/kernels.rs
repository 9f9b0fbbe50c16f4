//! Dense kernels shared by the density-matrix and trajectory simulators: one- and two-qubit
//! operators on any bit positions of an amplitude array, the same operators across separate
//! slices, and Pauli expectation values.
//!
//! A density matrix is stored as a vector over `2n` bits (row bits low, column bits high): each
//! column is a contiguous slice of `2^n` rows. [`apply_one`] and [`apply_two`] apply `U` within a
//! column; [`mix_pair`] and [`mix_quad`] apply `conj(U)` across the columns a gate couples, which
//! lets the density-matrix simulator hand disjoint groups of columns to different threads.

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

/// Applies `m` to bit `q` of every index of `a`, with the state-vector engine's vectorised
/// kernel (which also skips identity halves and runs diagonal matrices as scalings). Failure
/// contract: panics if `a.len()` is not a power of two or `1 << q` is not below it (programming
/// errors).
pub fn apply_one(a: &mut [Complex64], q: u32, m: &Mat2) {
    assert!(a.len().is_power_of_two() && 1usize << q < a.len(), "qubit {q} outside the array");
    pulp::Arch::new().dispatch(OneQubit { a, q, m });
}

/// [`apply_one`]'s kernel call, for `pulp`'s dispatch to the machine's vector width.
struct OneQubit<'a> {
    a: &'a mut [Complex64],
    q: u32,
    m: &'a Mat2,
}

impl pulp::WithSimd for OneQubit<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, simd: S) {
        crate::svsim::kernels::apply_one(simd, self.a, self.q, self.m);
    }
}

/// Applies the 4×4 `m`, little-endian in `(q[0], q[1])` (local index `2·b(q1) + b(q0)`), to the
/// two bits of every index of `a`. Failure contract: panics on equal bits or a bit outside `a`.
pub fn apply_two(a: &mut [Complex64], q: [u32; 2], m: &[[Complex64; 4]; 4]) {
    assert!(q[0] != q[1], "a two-qubit gate on one qubit");
    assert!(1usize << q[0].max(q[1]) < a.len(), "qubit outside the array");
    let bits = [q[0].min(q[1]), q[0].max(q[1])];
    let (b0, b1) = (1usize << q[0], 1usize << q[1]);
    // One quartet per index with both bits clear, visited directly: small strides would
    // otherwise cost a slice split per quartet.
    for k in 0..a.len() >> 2 {
        let base = insert_zeros(k, &bits);
        let at = [base, base | b0, base | b1, base | b0 | b1];
        let old = at.map(|i| a[i]);
        for (row, &i) in m.iter().zip(&at) {
            a[i] = row[0] * old[0] + row[1] * old[1] + row[2] * old[2] + row[3] * old[3];
        }
    }
}

/// Applies `m` across two slices: element `i` of `pair[0]` and of `pair[1]` are the amplitudes of
/// one qubit's `|0⟩` and `|1⟩`. The slices of a density matrix's columns `c` and `c | bit` are
/// such a pair for a column qubit. Failure contract: panics on slices of different lengths.
pub fn mix_pair(pair: [&mut [Complex64]; 2], m: &Mat2) {
    let [lo, hi] = pair;
    pulp::Arch::new().dispatch(Across { lo, hi, m });
}

/// [`mix_pair`]'s kernel call, for `pulp`'s dispatch to the machine's vector width.
struct Across<'a> {
    lo: &'a mut [Complex64],
    hi: &'a mut [Complex64],
    m: &'a Mat2,
}

impl pulp::WithSimd for Across<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, simd: S) {
        crate::svsim::kernels::apply_across(simd, self.lo, self.hi, self.m);
    }
}

/// Applies the 4×4 `m` across four slices, element `i` of `quad[l]` being the amplitude of local
/// index `l` (the convention of [`apply_two`]). Failure contract: panics on slices of different
/// lengths.
pub fn mix_quad(quad: [&mut [Complex64]; 4], m: &[[Complex64; 4]; 4]) {
    let [s0, s1, s2, s3] = quad;
    let len = s0.len();
    assert!([s1.len(), s2.len(), s3.len()].iter().all(|&l| l == len), "slices of one quad differ in length");
    for (((x0, x1), x2), x3) in s0.iter_mut().zip(s1.iter_mut()).zip(s2.iter_mut()).zip(s3.iter_mut()) {
        let old = [*x0, *x1, *x2, *x3];
        let row = |r: &[Complex64; 4]| r[0] * old[0] + r[1] * old[1] + r[2] * old[2] + r[3] * old[3];
        (*x0, *x1, *x2, *x3) = (row(&m[0]), row(&m[1]), row(&m[2]), row(&m[3]));
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

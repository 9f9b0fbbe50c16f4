use super::*;
use crate::qubit::PauliSum;
use crate::sim::observable::Observable;

/// A small deterministic generator (xorshift64*) so the tests need no random-number crate.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    }

    fn state(&mut self, n: u32) -> StateVector {
        let amps = (0..1usize << n).map(|_| Complex64::new(self.uniform(), self.uniform())).collect();
        let mut s = StateVector::from_amplitudes(amps);
        s.normalize();
        s
    }

    fn string(&mut self, n: u32) -> PauliString {
        let mask = (1u64 << n) - 1;
        PauliString { x: self.next_u64() & mask, z: self.next_u64() & mask }
    }
}

/// `P|ψ⟩` from the tensor product of 2×2 matrices, entry by entry: an oracle that shares no
/// code with the pairing kernels.
fn dense_apply(p: PauliString, psi: &StateVector) -> Vec<Complex64> {
    let (o, i) = (Complex64::new(0.0, 0.0), Complex64::new(0.0, 1.0));
    let one = Complex64::new(1.0, 0.0);
    let matrix = |c: char| match c {
        'I' => [[one, o], [o, one]],
        'X' => [[o, one], [one, o]],
        'Y' => [[o, -i], [i, o]],
        _ => [[one, o], [o, -one]],
    };
    let n = psi.n_qubits();
    let dim = 1usize << n;
    (0..dim)
        .map(|r| {
            (0..dim)
                .map(|c| {
                    let element: Complex64 = (0..n).map(|q| matrix(p.at(q))[(r >> q) & 1][(c >> q) & 1]).product();
                    element * psi.amplitudes()[c]
                })
                .sum()
        })
        .collect()
}

fn assert_close(a: &[Complex64], b: &[Complex64], tol: f64) {
    assert_eq!(a.len(), b.len());
    for (k, (u, v)) in a.iter().zip(b).enumerate() {
        assert!((u - v).norm() < tol, "amplitude {k}: {u} vs {v}");
    }
}

#[test]
fn basis_states_and_inner_products() {
    let s = StateVector::basis(3, 0b101);
    assert_eq!(s.amplitudes()[5], Complex64::new(1.0, 0.0));
    assert_eq!(s.norm_sqr(), 1.0);
    assert_eq!(s.inner(&StateVector::basis(3, 0b100)), Complex64::new(0.0, 0.0));
    let mut rng = Rng(7);
    let (a, b) = (rng.state(4), rng.state(4));
    let expect: Complex64 = a.amplitudes().iter().zip(b.amplitudes()).map(|(u, v)| u.conj() * v).sum();
    assert!((a.inner(&b) - expect).norm() < 1e-14);
    assert!((a.inner(&b) - b.inner(&a).conj()).norm() < 1e-14);
}

#[test]
fn pauli_application_matches_dense_matrices() {
    let mut rng = Rng(11);
    for _ in 0..40 {
        let psi = rng.state(4);
        let p = rng.string(4);
        let mut out = psi.clone();
        out.apply_pauli(p);
        assert_close(out.amplitudes(), &dense_apply(p, &psi), 1e-13);
    }
}

#[test]
fn rotations_are_cos_minus_i_sin_p() {
    let mut rng = Rng(3);
    for _ in 0..40 {
        let psi = rng.state(4);
        let p = rng.string(4);
        let theta = 3.0 * rng.uniform();
        let mut out = psi.clone();
        out.apply_pauli_rotation(p, theta);
        let pp = dense_apply(p, &psi);
        let expect: Vec<Complex64> = psi
            .amplitudes()
            .iter()
            .zip(&pp)
            .map(|(u, v)| u * (0.5 * theta).cos() - Complex64::new(0.0, (0.5 * theta).sin()) * v)
            .collect();
        assert_close(out.amplitudes(), &expect, 1e-13);
        out.apply_pauli_rotation(p, -theta);
        assert_close(out.amplitudes(), psi.amplitudes(), 1e-13);
    }
}

#[test]
fn adjoint_step_is_overlap_then_inverse_rotation_on_both() {
    let mut rng = Rng(5);
    for _ in 0..20 {
        let (phi, lambda) = (rng.state(5), rng.state(5));
        let p = rng.string(5);
        let theta = 2.0 * rng.uniform();
        let mut p_phi = phi.clone();
        p_phi.apply_pauli(p);
        let expect = lambda.inner(&p_phi);
        let (mut f, mut l) = (phi.clone(), lambda.clone());
        let got = f.adjoint_rotation_step(&mut l, p, theta);
        assert!((got - expect).norm() < 1e-13, "{got} vs {expect}");
        let (mut f2, mut l2) = (phi, lambda);
        f2.apply_pauli_rotation(p, -theta);
        l2.apply_pauli_rotation(p, -theta);
        assert_close(f.amplitudes(), f2.amplitudes(), 1e-13);
        assert_close(l.amplitudes(), l2.amplitudes(), 1e-13);
    }
}

/// `Σ c_k ⟨ψ|P_k|ψ⟩` and `Σ c_k P_k|ψ⟩`, one string at a time.
fn naive_sum(h: &PauliSum, psi: &StateVector) -> (f64, Vec<Complex64>) {
    let mut out = vec![Complex64::new(0.0, 0.0); psi.amplitudes().len()];
    for &(p, c) in &h.terms {
        let mut t = psi.clone();
        t.apply_pauli(p);
        out.iter_mut().zip(t.amplitudes()).for_each(|(o, v)| *o += c * v);
    }
    let e: Complex64 = psi.amplitudes().iter().zip(&out).map(|(u, v)| u.conj() * v).sum();
    assert!(e.im.abs() < 1e-12, "a Hermitian sum has a real expectation");
    (e.re, out)
}

fn random_sum(rng: &mut Rng, n: u32, terms: usize) -> PauliSum {
    let mut h = PauliSum::new(n);
    for _ in 0..terms {
        h.add(rng.string(n), rng.uniform());
    }
    // Repeat some X masks with other Z masks so that groups hold several terms.
    for k in 0..terms / 2 {
        let (s, _) = h.terms[k];
        h.add(PauliString { x: s.x, z: rng.string(n).z }, rng.uniform());
    }
    h.add(PauliString::IDENTITY, 0.25);
    h.simplify(0.0);
    h
}

#[test]
fn grouped_expectation_and_application_match_term_by_term() {
    let mut rng = Rng(17);
    for _ in 0..10 {
        let h = random_sum(&mut rng, 5, 30);
        let psi = rng.state(5);
        let obs = Observable::new(&h);
        assert!(obs.n_groups() < h.terms.len());
        let (e, h_psi) = naive_sum(&h, &psi);
        assert!((obs.expectation(&psi) - e).abs() < 1e-12);
        assert!((psi.expectation(&h) - e).abs() < 1e-12);
        assert_close(obs.apply(&psi).amplitudes(), &h_psi, 1e-12);
    }
}

/// Above [`PARALLEL_MIN_QUBITS`] the kernels run in chunks on rayon; they must agree with the
/// per-amplitude formula `P|b⟩ = i^{ny} (-1)^{popcount(b & z)} |b ^ x⟩` and be deterministic.
#[test]
fn parallel_kernels_agree_with_the_basis_formula() {
    let n = PARALLEL_MIN_QUBITS + 1;
    let mut rng = Rng(23);
    let psi = rng.state(n);
    let strings = [
        rng.string(n),
        PauliString { x: 1, z: 0b110 },                   // pairing block of 2
        PauliString { x: 1 << (n - 1), z: 1 << (n - 1) }, // pairing block of the whole state
        PauliString { x: 0, z: rng.string(n).z },         // diagonal
    ];
    for p in strings {
        let ny = (p.x & p.z).count_ones();
        let mut expect = vec![Complex64::new(0.0, 0.0); psi.amplitudes().len()];
        for (b, &u) in psi.amplitudes().iter().enumerate() {
            expect[b ^ p.x as usize] = i_pow(ny) * sign(b, p.z as usize) * u;
        }
        let mut out = psi.clone();
        out.apply_pauli(p);
        assert_close(out.amplitudes(), &expect, 1e-14);

        let lambda = rng.state(n);
        let (mut f, mut l) = (psi.clone(), lambda.clone());
        let got = f.adjoint_rotation_step(&mut l, p, 0.3);
        let want: Complex64 = lambda.amplitudes().iter().zip(&expect).map(|(u, v)| u.conj() * v).sum();
        assert!((got - want).norm() < 1e-12);
    }
    let h = random_sum(&mut rng, n, 12);
    let obs = Observable::new(&h);
    let (e, h_psi) = naive_sum(&h, &psi);
    assert!((obs.expectation(&psi) - e).abs() < 1e-12);
    assert_eq!(obs.expectation(&psi).to_bits(), obs.expectation(&psi).to_bits());
    assert_close(obs.apply(&psi).amplitudes(), &h_psi, 1e-12);
    assert!((psi.norm_sqr() - 1.0).abs() < 1e-12);
}

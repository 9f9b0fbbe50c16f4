use super::*;

#[test]
fn h2_has_two_singles_and_one_double() {
    let u = Uccsd::new(2, 1, 1);
    assert_eq!(u.n_qubits(), 4);
    assert_eq!(u.hartree_fock_index(), 0b0011);
    assert_eq!(
        u.excitations(),
        &[
            Excitation::Single { from: 0, to: 2 },
            Excitation::Single { from: 1, to: 3 },
            Excitation::Double { from: [0, 1], to: [2, 3] },
        ]
    );
    assert_eq!(u.circuit().rotations().len(), 2 + 2 + 8);
}

#[test]
fn parameter_counts() {
    assert_eq!(Uccsd::new(4, 1, 1).n_parameters(), 6 + 9, "LiH (2e, 4o)");
    assert_eq!(Uccsd::new(4, 2, 2).n_parameters(), 8 + 1 + 1 + 16, "H4 (4e, 4o)");
    assert_eq!(Uccsd::new(3, 2, 1).hartree_fock_index(), 0b000111);
    assert_eq!(Uccsd::new(3, 3, 3).n_parameters(), 0, "a full shell has nothing to excite");
    let two = Uccsd::with_trotter_steps(2, 1, 1, 2);
    assert_eq!(two.circuit().rotations().len(), 24);
    assert_eq!(two.circuit().rotations()[0].weight.abs(), 0.5);
}

#[test]
fn singles_map_to_two_strings_and_doubles_to_eight_commuting_ones() {
    for e in Uccsd::new(4, 2, 2).excitations() {
        let terms = e.pauli_terms();
        let (count, weight) = match e {
            Excitation::Single { .. } => (2, 1.0),
            Excitation::Double { .. } => (8, 0.25),
        };
        assert_eq!(terms.len(), count, "{e:?}");
        for &(p, w) in &terms {
            assert_eq!(w.abs(), weight, "{e:?} {p}");
            assert_eq!((p.x & p.z).count_ones() % 2, 1, "T − T† is real: odd number of Y in {p}");
            assert!(terms.iter().all(|&(q, _)| p.commutes_with(q)));
        }
    }
}

/// `a_j` or `a_j†` on an occupation bit string, with the Jordan–Wigner sign
/// `(-1)^{occupied orbitals below j}`; `None` when the result is zero.
fn ladder_on(n: u64, j: u32, dagger: bool) -> Option<(f64, u64)> {
    let occupied = n >> j & 1 == 1;
    if occupied == dagger {
        return None;
    }
    let sign = if (n & ((1u64 << j) - 1)).count_ones() % 2 == 0 { 1.0 } else { -1.0 };
    Some((sign, n ^ (1 << j)))
}

/// `T|n⟩` for the excitation, applying its ladder operators right to left.
fn excite(e: Excitation, n: u64, adjoint: bool) -> Option<(f64, u64)> {
    // T as (orbital, dagger) from left to right.
    let ops: Vec<(u32, bool)> = match e {
        Excitation::Single { from, to } => vec![(to, true), (from, false)],
        Excitation::Double { from, to } => vec![(to[0], true), (to[1], true), (from[1], false), (from[0], false)],
    };
    // T† reverses the order and swaps creation with annihilation.
    let ops: Vec<(u32, bool)> = if adjoint { ops.into_iter().rev().map(|(j, d)| (j, !d)).collect() } else { ops };
    ops.iter().rev().try_fold((1.0, n), |(s, m), &(j, d)| ladder_on(m, j, d).map(|(t, m2)| (s * t, m2)))
}

/// The Pauli form `T − T† = −(i/2) Σ w_k P_k` agrees with the fermionic operator on every basis
/// state, for every kind of excitation (αα, ββ, αβ doubles; α and β singles).
#[test]
fn generators_match_the_fermionic_operators_on_every_basis_state() {
    let u = Uccsd::new(4, 2, 2);
    let n_qubits = u.n_qubits();
    for &e in u.excitations() {
        let terms = e.pauli_terms();
        for n in 0..1u64 << n_qubits {
            let mut pauli = StateVector::from_amplitudes(vec![Complex64::new(0.0, 0.0); 1 << n_qubits]);
            for &(p, w) in &terms {
                let mut s = StateVector::basis(n_qubits, n);
                s.apply_pauli(p);
                let scale = Complex64::new(0.0, -0.5 * w);
                pauli.amplitudes_mut().iter_mut().zip(s.amplitudes()).for_each(|(o, v)| *o += scale * v);
            }
            let mut fermion = vec![Complex64::new(0.0, 0.0); 1 << n_qubits];
            if let Some((s, m)) = excite(e, n, false) {
                fermion[m as usize] += s;
            }
            if let Some((s, m)) = excite(e, n, true) {
                fermion[m as usize] -= s;
            }
            for (k, (a, b)) in pauli.amplitudes().iter().zip(&fermion).enumerate() {
                assert!((a - b).norm() < 1e-14, "{e:?} on |{n:08b}⟩, component {k}: {a} vs {b}");
            }
        }
    }
}

#[test]
fn zero_parameters_prepare_hartree_fock() {
    let u = Uccsd::new(4, 2, 2);
    let psi = u.prepare(&[0.0; 26]);
    assert_eq!(psi, StateVector::basis(8, 0b1111));
}

use std::collections::BTreeMap;

use super::*;
use crate::qubit::fermion::Ladder;
use ndarray::{Array2, Array4};

const KINDS: [MappingKind; 3] = [MappingKind::JordanWigner, MappingKind::BravyiKitaev, MappingKind::Parity];

fn one(word: &[Ladder]) -> FermionOperator {
    FermionOperator::term(word, Complex64::new(1.0, 0.0))
}

/// O|b⟩ as a map from basis states to amplitudes.
fn apply(op: &PauliOperator, b: u64) -> BTreeMap<u64, Complex64> {
    let mut out: BTreeMap<u64, Complex64> = BTreeMap::new();
    for &(s, c) in &op.terms {
        let sign = if (s.z & b).count_ones() % 2 == 1 { -1.0 } else { 1.0 };
        *out.entry(b ^ s.x).or_default() += c * I_POWERS[((s.x & s.z).count_ones() % 4) as usize] * sign;
    }
    out.retain(|_, v| v.norm() > 1e-14);
    out
}

#[test]
fn mapped_ladder_operators_satisfy_the_anticommutation_relations() {
    for kind in KINDS {
        for n in [5u32, 6] {
            let e = Encoding::new(kind, n).expect("small");
            for p in 0..n {
                for q in 0..n {
                    let ap = e.ladder(p, false).expect("mode");
                    let aq_dag = e.ladder(q, true).expect("mode");
                    let aq = e.ladder(q, false).expect("mode");
                    let mut anti = ap.anticommutator(&aq_dag);
                    anti.simplify(1e-14);
                    let expected: Vec<(PauliString, Complex64)> =
                        if p == q { vec![(PauliString::IDENTITY, Complex64::new(1.0, 0.0))] } else { vec![] };
                    assert_eq!(anti.terms, expected, "{kind:?} n={n}: {{a_{p}, a†_{q}}}");
                    let mut anti = ap.anticommutator(&aq);
                    anti.simplify(1e-14);
                    assert!(anti.terms.is_empty(), "{kind:?} n={n}: {{a_{p}, a_{q}}}");
                }
            }
        }
    }
}

#[test]
fn ladder_images_act_on_encoded_occupations_with_fermionic_signs() {
    // a†_j |n⟩ = (−1)^{#occupied modes before j in the encoding's order} |n + e_j⟩ when n_j = 0.
    // Only the magnitude (1) and the target state are order independent; the sign is checked
    // against Jordan–Wigner's interleaved order for JW and BK, the block order for parity.
    for kind in KINDS {
        let n = 6u32;
        let e = Encoding::new(kind, n).expect("small");
        let before = |j: u32, occupation: u64| -> u32 {
            let below = match kind {
                MappingKind::Parity => {
                    let alpha = 0b010101u64;
                    if j % 2 == 0 {
                        alpha & ((1 << j) - 1)
                    } else {
                        alpha | (!alpha & ((1 << j) - 1))
                    }
                }
                _ => (1 << j) - 1,
            };
            (occupation & below).count_ones()
        };
        for occupation in 0..(1u64 << n) {
            let b = e.basis_state(occupation);
            assert_eq!(e.occupation(b), occupation, "{kind:?}");
            for j in 0..n {
                let image = apply(&e.ladder(j, true).expect("mode"), b);
                if occupation >> j & 1 == 1 {
                    assert!(image.is_empty(), "{kind:?}: a†_{j} on an occupied mode");
                } else {
                    let sign = if before(j, occupation) % 2 == 1 { -1.0 } else { 1.0 };
                    let target = e.basis_state(occupation | 1 << j);
                    assert_eq!(
                        image.into_iter().collect::<Vec<_>>(),
                        vec![(target, Complex64::new(sign, 0.0))],
                        "{kind:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn known_strings() {
    // Jordan–Wigner: a†_2 = ½ X2 Z1 Z0 − ½i Y2 Z1 Z0.
    let e = Encoding::new(MappingKind::JordanWigner, 4).expect("small");
    let a = e.ladder(2, true).expect("mode");
    let text: Vec<String> = a.terms.iter().map(|(s, c)| format!("{c} [{s}]")).collect();
    assert_eq!(text, ["0.5+0i [Z0 Z1 X2]", "0-0.5i [Z0 Z1 Y2]"]);
    // Parity (block order a0 a1 b0 b1 = labels 0 2 1 3): qubit 1 holds n_0 + n_2 (the alpha
    // parity), qubit 3 all.
    let p = Encoding::new(MappingKind::Parity, 4).expect("small");
    assert_eq!(p.basis_state(0b0101), 0b0001);
    assert_eq!(p.basis_state(0b0110), 0b0010);
    assert_eq!(p.basis_state(0b0001), 0b1111);
    // Bravyi–Kitaev on 4: qubit 1 holds n_0 + n_1, qubit 3 all; γ_0 = X0 X1 X3.
    let bk = Encoding::new(MappingKind::BravyiKitaev, 4).expect("small");
    assert_eq!(bk.basis_state(0b0001), 0b1011);
    assert_eq!(bk.majorana(0), (0, PauliString { x: 0b1011, z: 0 }));
    assert!(matches!(Encoding::new(MappingKind::Parity, 65), Err(QubitError::TooManyQubits { .. })));
    assert!(matches!(e.ladder(4, true), Err(QubitError::ModeOutOfRange { mode: 4, n_modes: 4 })));
}

/// A small Hamiltonian with real symmetric integrals of full 8-fold symmetry.
fn synthetic(n: usize) -> (Array2<f64>, Array4<f64>) {
    let f = |a: usize, b: usize| ((a * 7 + b * 3) % 11) as f64 / 11.0 - 0.4;
    let h1 = Array2::from_shape_fn((n, n), |(p, q)| f(p.min(q), p.max(q)));
    let pair = |p: usize, q: usize| p.max(q) * (p.max(q) + 1) / 2 + p.min(q);
    let eri = Array4::from_shape_fn((n, n, n, n), |(p, q, r, s)| {
        let (a, b) = (pair(p, q), pair(r, s));
        0.1 + f(a.min(b), a.max(b)) / 5.0
    });
    (h1, eri)
}

#[test]
fn the_fast_hamiltonian_equals_the_mapped_fermion_operator() {
    let (h1, eri) = synthetic(3);
    let op = FermionOperator::from_integrals(0.7, h1.view(), eri.view()).expect("valid");
    for kind in KINDS {
        let e = Encoding::new(kind, 6).expect("small");
        let fast = e.map_hamiltonian(0.7, h1.view(), eri.view()).expect("valid");
        let slow = e.map_hermitian(&op, DROP_TOLERANCE).expect("Hermitian");
        assert_eq!(fast.terms.len(), slow.terms.len(), "{kind:?}");
        for (a, b) in fast.terms.iter().zip(&slow.terms) {
            assert_eq!(a.0, b.0, "{kind:?}");
            assert!((a.1 - b.1).abs() < 1e-13, "{kind:?} [{}]: {} vs {}", a.0, a.1, b.1);
        }
    }
    let e = Encoding::new(MappingKind::Parity, 4).expect("small");
    assert!(matches!(e.map_hamiltonian(0.0, h1.view(), eri.view()), Err(QubitError::Shape { .. })));
    let not_hermitian = one(&[(0, true), (1, false)]);
    assert!(matches!(e.map_hermitian(&not_hermitian, 0.0), Err(QubitError::NotHermitian { .. })));
}

use super::*;
use crate::qubit::jordan_wigner::{jordan_wigner, lowest_eigenvalue, Sector};
use ndarray::{Array2, Array4};
use num_complex::Complex64;

/// Integrals of three orbitals with no spatial symmetry and the full 8-fold permutational one.
fn synthetic() -> (Array2<f64>, Array4<f64>) {
    let n = 3;
    let f = |a: usize, b: usize| ((a * 5 + b * 3 + 1) % 7) as f64 / 7.0 - 0.5;
    let h1 = Array2::from_shape_fn((n, n), |(p, q)| f(p.min(q), p.max(q)) - if p == q { p as f64 } else { 0.0 });
    let pair = |p: usize, q: usize| p.max(q) * (p.max(q) + 1) / 2 + p.min(q);
    let eri = Array4::from_shape_fn((n, n, n, n), |(p, q, r, s)| {
        let (a, b) = (pair(p, q), pair(r, s));
        0.2 + f(a.min(b), a.max(b)) / 4.0
    });
    (h1, eri)
}

const SETUPS: [(MappingKind, bool, bool); 7] = [
    (MappingKind::JordanWigner, false, false),
    (MappingKind::JordanWigner, false, true),
    (MappingKind::BravyiKitaev, false, false),
    (MappingKind::BravyiKitaev, false, true),
    (MappingKind::Parity, false, false),
    (MappingKind::Parity, true, false),
    (MappingKind::Parity, true, true),
];

#[test]
fn every_space_keeps_the_sector_ground_energy_and_the_reference_energy() {
    let (h1, eri) = synthetic();
    let jw = jordan_wigner(0.3, h1.view(), eri.view()).expect("JW");
    for (na, nb) in [(1u32, 1u32), (2, 1)] {
        let exact = lowest_eigenvalue(&jw, Sector::Spin { n_alpha: na as usize, n_beta: nb as usize }).expect("JW");
        let hf = jw.diagonal_element(hartree_fock_state(na as usize, nb as usize));
        for (kind, reduce, taper) in SETUPS {
            let (space, h) =
                QubitSpace::build(kind, reduce, taper, 3, na, nb, 0.3, h1.view(), eri.view()).expect("space");
            assert_eq!(h.n_qubits, space.n_qubits());
            assert_eq!(space.n_qubits_mapped(), 6);
            let removed = if reduce { 2 } else { 0 };
            assert_eq!(space.n_qubits_before_tapering(), 6 - removed);
            // No point-group symmetry: only the two spin-number parities are Z2 symmetries.
            assert_eq!(space.symmetries().len(), if taper { 2 - removed as usize } else { 0 }, "{kind:?}");
            let e = space.lowest_eigenvalue(&h, na, nb).expect("sector");
            assert!((e - exact).abs() < 1e-10, "{kind:?} {reduce} {taper} ({na},{nb}): {e} vs {exact}");
            let e_ref = h.diagonal_element(space.reference_state());
            assert!((e_ref - hf).abs() < 1e-10, "{kind:?} {reduce} {taper}: {e_ref} vs {hf}");
        }
    }
}

#[test]
fn mapped_operators_pass_the_same_stages() {
    let (h1, eri) = synthetic();
    let i = Complex64::new(0.0, 1.0);
    // i(T − T†) for a†_2 a_0 (alpha to alpha) and a†_3 a_0 (alpha to beta: spin flip).
    let generator = |a: u32, b: u32| {
        let t = FermionOperator::term(&[(a, true), (b, false)], Complex64::new(1.0, 0.0));
        (&t - &t.hermitian_conjugate()) * i
    };
    let number = (0..6).fold(FermionOperator::zero(), |acc, j| {
        acc + FermionOperator::term(&[(j, true), (j, false)], Complex64::new(1.0, 0.0))
    });
    for (kind, reduce, taper) in SETUPS {
        let (space, _) = QubitSpace::build(kind, reduce, taper, 3, 1, 1, 0.3, h1.view(), eri.view()).expect("space");
        let g = space.map(&generator(2, 0)).expect("spin-conserving excitation");
        assert_eq!(g.n_qubits, space.n_qubits());
        let flip = space.map(&generator(3, 0));
        if reduce || taper {
            assert!(matches!(flip, Err(QubitError::BreaksSymmetry { .. })), "{kind:?} {reduce} {taper}: {flip:?}");
        } else {
            assert!(flip.is_ok());
        }
        let n_hat = space.map(&number).expect("number operator");
        assert!((n_hat.diagonal_element(space.reference_state()) - 2.0).abs() < 1e-12);
        let not_hermitian = FermionOperator::term(&[(2, true), (0, false)], Complex64::new(1.0, 0.0));
        assert!(matches!(space.map(&not_hermitian), Err(QubitError::NotHermitian { .. })));
        // One alpha electron moved to orbital 1: same sector; one electron removed: outside any
        // reduced or tapered space.
        assert!(space.basis_state(0b000110).is_ok());
        let removed = space.basis_state(0b000010);
        assert_eq!(removed.is_err(), reduce || taper, "{kind:?} {reduce} {taper}");
        assert!(space.basis_state(1 << 6).is_err());
    }
}

#[test]
fn refusals() {
    let (h1, eri) = synthetic();
    for kind in [MappingKind::JordanWigner, MappingKind::BravyiKitaev] {
        let e = QubitSpace::build(kind, true, false, 3, 1, 1, 0.0, h1.view(), eri.view()).expect_err("needs parity");
        assert_eq!(e, QubitError::TwoQubitReductionNeedsParity { mapping: kind });
        assert!(e.to_string().contains("parity"), "{e}");
    }
    let e = QubitSpace::build(MappingKind::Parity, false, false, 3, 4, 1, 0.0, h1.view(), eri.view());
    assert!(matches!(e, Err(QubitError::Electrons { .. })));
    let e = QubitSpace::build(MappingKind::Parity, false, false, 2, 1, 1, 0.0, h1.view(), eri.view());
    assert!(matches!(e, Err(QubitError::Shape { .. })));
    let empty = QubitSpace::build(MappingKind::Parity, true, true, 0, 0, 0, 0.0, h1.view(), eri.view());
    assert!(matches!(empty, Err(QubitError::Shape { .. })));
    let mut bad = h1.clone();
    bad[[0, 1]] = f64::INFINITY;
    let e = QubitSpace::build(MappingKind::JordanWigner, false, true, 3, 1, 1, 0.0, bad.view(), eri.view());
    assert_eq!(e.map(|_| ()), Err(QubitError::NonFinite));
}

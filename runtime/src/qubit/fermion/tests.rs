use super::*;
use ndarray::{Array2, Array4};

fn c(re: f64) -> Complex64 {
    Complex64::new(re, 0.0)
}

fn listed(op: &FermionOperator) -> Vec<(Vec<Ladder>, Complex64)> {
    op.terms().map(|(w, c)| (w.to_vec(), c)).collect()
}

#[test]
fn normal_ordering_uses_the_anticommutation_relations() {
    // a_0 a†_0 = 1 − a†_0 a_0.
    let op = FermionOperator::term(&[(0, false), (0, true)], c(1.0)).normal_ordered();
    assert_eq!(listed(&op), vec![(vec![], c(1.0)), (vec![(0, true), (0, false)], c(-1.0))]);
    // a_1 a†_0 = −a†_0 a_1; a†_0 a†_1 = −a†_1 a†_0; a†_2 a†_2 = 0.
    let op = FermionOperator::term(&[(1, false), (0, true)], c(2.0)).normal_ordered();
    assert_eq!(listed(&op), vec![(vec![(0, true), (1, false)], c(-2.0))]);
    let op = FermionOperator::term(&[(0, true), (1, true)], c(1.0)).normal_ordered();
    assert_eq!(listed(&op), vec![(vec![(1, true), (0, true)], c(-1.0))]);
    assert!(FermionOperator::term(&[(2, true), (3, false), (2, true)], c(1.0)).normal_ordered().is_empty());
    // a_0 a†_0 a_0 a†_0 = (1 − n_0)² = 1 − n_0.
    let op = FermionOperator::term(&[(0, false), (0, true), (0, false), (0, true)], c(1.0)).normal_ordered();
    assert_eq!(listed(&op), vec![(vec![], c(1.0)), (vec![(0, true), (0, false)], c(-1.0))]);
}

#[test]
fn products_sums_and_adjoints() {
    let hop = FermionOperator::term(&[(0, true), (1, false)], c(0.5));
    let back = hop.hermitian_conjugate();
    assert_eq!(listed(&back), vec![(vec![(1, true), (0, false)], c(0.5))]);
    assert!(!hop.is_hermitian(1e-12));
    assert!((&hop + &back).is_hermitian(1e-12));
    // i(T − T†) is Hermitian, T − T† anti-Hermitian.
    let generator = (&hop - &back) * Complex64::new(0.0, 1.0);
    assert!(generator.is_hermitian(1e-12));
    // (a†_0 a_1)(a†_1 a_0) = n_0 − n_0 n_1 = a†_0 a_0 + a†_1 a†_0 a_1 a_0 in normal order.
    let product = (&FermionOperator::term(&[(0, true), (1, false)], c(1.0))
        * &FermionOperator::term(&[(1, true), (0, false)], c(1.0)))
        .normal_ordered();
    assert_eq!(
        listed(&product),
        vec![(vec![(0, true), (0, false)], c(1.0)), (vec![(1, true), (0, true), (1, false), (0, false)], c(1.0))]
    );
    let mut zero = hop.clone() - hop.clone();
    assert_eq!(zero.len(), 1);
    zero.simplify(0.0);
    assert!(zero.is_empty());
    assert_eq!(FermionOperator::term(&[(5, true)], c(1.0)).n_modes(), 6);
    assert_eq!((&hop + &back).to_string(), "(0.5+0i) [0^ 1] +\n(0.5+0i) [1^ 0]");
}

#[test]
fn molecular_hamiltonian_words() {
    // One orbital: h n_0α + h n_0β + (00|00) n_0α n_0β (the ½ Σ over both spin orders).
    let mut h1 = Array2::zeros((1, 1));
    h1[[0, 0]] = -1.0;
    let mut eri = Array4::zeros((1, 1, 1, 1));
    eri[[0, 0, 0, 0]] = 0.6;
    let op = FermionOperator::from_integrals(0.25, h1.view(), eri.view()).expect("valid");
    assert_eq!(op.coefficient(&[]), c(0.25));
    assert_eq!(op.coefficient(&[(0, true), (0, false)]), c(-1.0));
    assert_eq!(op.coefficient(&[(0, true), (1, true), (1, false), (0, false)]), c(0.3));
    assert_eq!(op.coefficient(&[(1, true), (0, true), (0, false), (1, false)]), c(0.3));
    assert_eq!(op.len(), 5);
    assert!(op.is_hermitian(1e-12));
    let bad = Array2::from_elem((1, 1), f64::NAN);
    assert_eq!(FermionOperator::from_integrals(0.0, bad.view(), eri.view()), Err(QubitError::NonFinite));
    let wrong = Array4::zeros((2, 2, 2, 2));
    assert!(matches!(FermionOperator::from_integrals(0.0, h1.view(), wrong.view()), Err(QubitError::Shape { .. })));
}

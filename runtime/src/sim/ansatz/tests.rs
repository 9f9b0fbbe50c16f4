use ndarray::{Array2, Array4};
use num_complex::Complex64;
use qdf_compiler::hir::{AnsatzKind, AnsatzOptions, MappingKind};

use super::*;
use crate::qubit::{PauliOperator, PauliString, PauliSum};
use crate::sim::circuit::Energy;
use crate::sim::observable::Observable;
use crate::sim::vqe::VqeOptions;

/// Integrals of `n` orbitals without spatial symmetry, with the 8-fold permutational one.
fn integrals(n: usize) -> (Array2<f64>, Array4<f64>) {
    let f = |a: usize, b: usize| ((a * 7 + b * 3 + 2) % 11) as f64 / 11.0 - 0.5;
    let h1 =
        Array2::from_shape_fn((n, n), |(p, q)| 0.3 * f(p.min(q), p.max(q)) + if p == q { p as f64 - 1.5 } else { 0.0 });
    let pair = |p: usize, q: usize| p.max(q) * (p.max(q) + 1) / 2 + p.min(q);
    let eri = Array4::from_shape_fn((n, n, n, n), |(p, q, r, s)| {
        let (a, b) = (pair(p, q), pair(r, s));
        let diagonal = if p == q && r == s { 0.4 } else { 0.0 };
        diagonal + f(a.min(b), a.max(b)) / 8.0
    });
    (h1, eri)
}

const SPACES: [(MappingKind, bool, bool); 6] = [
    (MappingKind::JordanWigner, false, false),
    (MappingKind::JordanWigner, false, true),
    (MappingKind::BravyiKitaev, false, false),
    (MappingKind::BravyiKitaev, false, true),
    (MappingKind::Parity, true, false),
    (MappingKind::Parity, true, true),
];

fn space(setup: (MappingKind, bool, bool), n: u32, n_alpha: u32, n_beta: u32) -> (QubitSpace, PauliSum) {
    let (h1, eri) = integrals(n as usize);
    let (kind, reduce, taper) = setup;
    QubitSpace::build(kind, reduce, taper, n, n_alpha, n_beta, 0.1, h1.view(), eri.view()).expect("space")
}

fn options() -> AnsatzOptions {
    AnsatzOptions {
        trotter_steps: 1,
        spin_adapted: false,
        ordering: "singles_first".into(),
        k: 2,
        layers: 2,
        rotations: vec!["ry".into(), "rz".into()],
        entanglement: "linear".into(),
        pool: "fermionic".into(),
        gradient_threshold: 1e-3,
        max_operators: 50,
    }
}

/// A deterministic spread of parameters in about (−0.6, 0.6).
fn spread(n: usize) -> Vec<f64> {
    (0..n).map(|k| 0.6 * ((k as f64 + 1.0) * 1.618_034).sin()).collect()
}

/// `|⟨a|b⟩|`, 1 when the states agree up to a global phase.
fn overlap(a: &StateVector, b: &StateVector) -> f64 {
    a.inner(b).norm()
}

#[test]
fn excitation_labels_and_canonical_doubles() {
    assert_eq!(Excitation::Single { from: 0, to: 2 }.label(), "2^ 0");
    assert_eq!(Excitation::Double { from: [0, 1], to: [2, 3] }.label(), "2^ 3^ 1 0");
    let (e, sign) = Excitation::canonical_double([1, 0], [2, 3]).expect("non-zero");
    assert_eq!((e, sign), (Excitation::Double { from: [0, 1], to: [2, 3] }, -1.0));
    let (_, sign) = Excitation::canonical_double([1, 0], [3, 2]).expect("non-zero");
    assert_eq!(sign, 1.0);
    assert!(Excitation::canonical_double([1, 1], [2, 3]).is_none());
    assert_eq!(hartree_fock_occupation(2, 1), 0b0111);
    assert_eq!(singles(3, 2, 1).len(), 4, "alpha 0→4, 2→4; beta 1→3, 1→5");
    assert_eq!(doubles(2, 1, 1), vec![Excitation::Double { from: [0, 1], to: [2, 3] }]);
}

/// Parameter counts of every family on (4 orbitals, 2α, 2β) under Jordan–Wigner: UCCSD 8 + 18,
/// singlet UCCSD 4 + 10, k-UpCCGSD 3·6 per layer, hardware-efficient (L+1)·8·|R|,
/// particle-conserving 2·L·3.
#[test]
fn parameter_counts() {
    let (s, _) = space(SPACES[0], 4, 2, 2);
    let count = |kind, o: &AnsatzOptions| build(kind, o, &s).expect("ansatz").n_parameters();
    let o = options();
    assert_eq!(count(AnsatzKind::Hf, &o), 0);
    assert_eq!(count(AnsatzKind::Uccsd, &o), 26);
    assert_eq!(count(AnsatzKind::Uccsd, &AnsatzOptions { spin_adapted: true, ..options() }), 14);
    assert_eq!(count(AnsatzKind::Kupccgsd, &o), 36);
    assert_eq!(count(AnsatzKind::HardwareEfficient, &o), 3 * 8 * 2);
    let rx = AnsatzOptions { layers: 1, rotations: vec!["rx".into()], ..options() };
    assert_eq!(count(AnsatzKind::HardwareEfficient, &rx), 2 * 8);
    assert_eq!(count(AnsatzKind::ParticleConserving, &o), 2 * 2 * 3);
    let two_steps = build(AnsatzKind::Uccsd, &AnsatzOptions { trotter_steps: 2, ..options() }, &s).expect("ansatz");
    let one_step = build(AnsatzKind::Uccsd, &o, &s).expect("ansatz");
    assert_eq!(two_steps.circuit.rotations().len(), 2 * one_step.circuit.rotations().len());
    assert_eq!(two_steps.n_parameters(), 26);
}

#[test]
fn ordering_puts_doubles_or_singles_first() {
    let (s, _) = space(SPACES[0], 3, 1, 1);
    let singles_first = build(AnsatzKind::Uccsd, &options(), &s).expect("ansatz");
    let doubles_first =
        build(AnsatzKind::Uccsd, &AnsatzOptions { ordering: "doubles_first".into(), ..options() }, &s).expect("ansatz");
    assert_eq!(singles_first.parameters[0], "2^ 0");
    assert_eq!(doubles_first.parameters[0], "2^ 3^ 1 0");
    // Jordan–Wigner strings of a double have weight 4, those of a single 2 plus the Z string.
    assert_eq!(doubles_first.circuit.rotations()[0].string.weight(), 4);
    let mut a = singles_first.parameters.clone();
    let mut b = doubles_first.parameters.clone();
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

#[test]
fn option_errors_are_reported() {
    let (s, _) = space(SPACES[0], 3, 2, 1);
    let err = |kind, o: AnsatzOptions| build(kind, &o, &s).expect_err("refused");
    assert_eq!(
        err(AnsatzKind::Uccsd, AnsatzOptions { spin_adapted: true, ..options() }),
        AnsatzError::SpinAdaptedOpenShell { n_alpha: 2, n_beta: 1 }
    );
    assert!(matches!(
        err(AnsatzKind::Uccsd, AnsatzOptions { ordering: "random".into(), ..options() }),
        AnsatzError::Option { option: "ordering", .. }
    ));
    assert!(matches!(
        err(AnsatzKind::HardwareEfficient, AnsatzOptions { entanglement: "star".into(), ..options() }),
        AnsatzError::Option { option: "entanglement", .. }
    ));
    assert!(matches!(
        err(AnsatzKind::HardwareEfficient, AnsatzOptions { rotations: vec![], ..options() }),
        AnsatzError::Option { option: "rotations", .. }
    ));
    assert!(matches!(err(AnsatzKind::Kupccgsd, AnsatzOptions { k: 0, ..options() }), AnsatzError::Option { .. }));
    assert_eq!(err(AnsatzKind::Adapt, options()), AnsatzError::AdaptiveNeedsHamiltonian);
    let (_, h) = space(SPACES[0], 3, 2, 1);
    let bad_pool = AnsatzOptions { pool: "bosonic".into(), ..options() };
    assert!(matches!(
        adapt(&h, &s, &bad_pool, &VqeOptions::default()),
        Err(AnsatzError::Option { option: "pool", .. })
    ));
}

/// The logical circuit from |0…0⟩ prepares the rotation circuit's state, up to a global phase,
/// for every family on every space.
#[test]
fn logical_circuits_prepare_the_rotation_states() {
    let kinds = [
        (AnsatzKind::Hf, options()),
        (AnsatzKind::Uccsd, options()),
        (AnsatzKind::Uccsd, AnsatzOptions { spin_adapted: true, trotter_steps: 2, ..options() }),
        (AnsatzKind::Kupccgsd, options()),
        (AnsatzKind::HardwareEfficient, options()),
        (AnsatzKind::HardwareEfficient, AnsatzOptions { entanglement: "circular".into(), ..options() }),
        (
            AnsatzKind::HardwareEfficient,
            AnsatzOptions { entanglement: "full".into(), rotations: vec!["rz".into(), "rx".into()], ..options() },
        ),
        (AnsatzKind::ParticleConserving, options()),
    ];
    for setup in SPACES {
        let (s, _) = space(setup, 3, 1, 1);
        for (kind, o) in &kinds {
            let a = build(*kind, o, &s).expect("ansatz");
            let params = spread(a.n_parameters());
            let mut logical = StateVector::zero(a.n_qubits());
            a.logical.apply(&params, &mut logical);
            let f = overlap(&logical, &a.prepare(&params));
            assert!((f - 1.0).abs() < 1e-12, "{kind:?} {o:?} on {setup:?}: |⟨logical|rotations⟩| = {f}");
        }
    }
}

/// `i(Q − Q†)` by multiplying out `σ_p = ½(X_p + iY_p)` and `σ_p† = ½(X_p − iY_p)`.
fn direct_qubit_excitation(e: Excitation, n_qubits: u32) -> PauliSum {
    let mut q = PauliOperator::new(n_qubits);
    q.add(PauliString::IDENTITY, Complex64::new(1.0, 0.0));
    for (mode, creation) in e.word() {
        let mut sigma = PauliOperator::new(n_qubits);
        sigma.add(PauliString::single('X', mode), Complex64::new(0.5, 0.0));
        sigma.add(PauliString::single('Y', mode), Complex64::new(0.0, if creation { -0.5 } else { 0.5 }));
        q = q.mul(&sigma);
    }
    let mut g = PauliSum::new(n_qubits);
    for &(s, c) in &q.terms {
        // i(Q − Q†) has coefficient i(c − c̄) = −2 Im c.
        g.add(s, -2.0 * c.im);
    }
    g.simplify(1e-14);
    g
}

#[test]
fn qubit_excitations_drop_the_jordan_wigner_strings() {
    let (s, _) = space(SPACES[0], 4, 2, 2);
    for e in singles(4, 2, 2).into_iter().chain(doubles(4, 2, 2)) {
        let generator::Factor::Mapped(g) = qubit_excitation::qubit_excitation(s.encoding(), e).expect("maps") else {
            panic!("qubit excitations are mapped directly")
        };
        let expected = direct_qubit_excitation(e, 8);
        assert_eq!(g, expected, "{}", e.label());
        let support = e.modes().iter().fold(0u64, |m, &p| m | 1 << p);
        assert!(g.terms.iter().all(|(p, _)| (p.x | p.z) == support), "{}: {g:?}", e.label());
    }
}

/// `op` as a matrix on occupations: column `n` is `op|n⟩`, read back through the encoding.
fn on_occupations(encoding: &crate::qubit::Encoding, op: &PauliSum) -> Vec<Vec<Complex64>> {
    let dim = 1usize << encoding.n_modes();
    (0..dim as u64)
        .map(|n| {
            let image = Observable::new(op).apply(&StateVector::basis(encoding.n_modes(), encoding.basis_state(n)));
            let mut column = vec![Complex64::new(0.0, 0.0); dim];
            for (b, a) in image.amplitudes().iter().enumerate() {
                column[encoding.occupation(b as u64) as usize] = *a;
            }
            column
        })
        .collect()
}

/// A qubit excitation is one operator on Fock space, `±(parity signs) · T`: in every encoding its
/// matrix on occupations is the fermionic excitation's with the same element-wise signs as under
/// Jordan–Wigner. (Element-wise, because encodings that order the modes differently, such as
/// parity's block spin order, number the Fock basis with other signs.)
#[test]
fn qubit_excitations_are_the_same_fock_operator_in_every_encoding() {
    let encodings: Vec<crate::qubit::Encoding> =
        [MappingKind::JordanWigner, MappingKind::BravyiKitaev, MappingKind::Parity]
            .into_iter()
            .map(|kind| crate::qubit::Encoding::new(kind, 6).expect("encoding"))
            .collect();
    let images = |encoding: &crate::qubit::Encoding, e: Excitation| {
        let fermionic = encoding.map_hermitian(&e.generator(1.0), 1e-14).expect("maps");
        let Ok(generator::Factor::Mapped(qubit)) = qubit_excitation::qubit_excitation(encoding, e) else {
            panic!("qubit excitations are mapped directly")
        };
        (on_occupations(encoding, &fermionic), on_occupations(encoding, &qubit))
    };
    for e in singles(3, 1, 1).into_iter().chain(doubles(3, 1, 1)) {
        let (f_jw, q_jw) = images(&encodings[0], e);
        for encoding in &encodings[1..] {
            let (f, q) = images(encoding, e);
            for (n, m) in (0..f.len()).flat_map(|n| (0..f.len()).map(move |m| (n, m))) {
                let what = format!("{} under {:?}, ⟨{m:06b}|·|{n:06b}⟩", e.label(), encoding.kind());
                if f_jw[n][m].norm() < 1e-12 {
                    assert!(f[n][m].norm() < 1e-12 && q[n][m].norm() < 1e-12, "{what}");
                } else {
                    let expected = q_jw[n][m] / f_jw[n][m] * f[n][m];
                    assert!((q[n][m] - expected).norm() < 1e-12, "{what}: {} vs {expected}", q[n][m]);
                }
            }
        }
    }
}

/// The ADAPT selection gradient `2 Im⟨Hψ|Gψ⟩` is the derivative of the energy with the operator
/// appended, and the first ADAPT step picks the largest one.
#[test]
fn pool_gradients_are_energy_derivatives() {
    for setup in [SPACES[0], SPACES[3], SPACES[5]] {
        let (s, h) = space(setup, 3, 1, 1);
        let orbitals = Orbitals::of(&s).expect("orbitals");
        for pool_kind in ["fermionic", "qubit_excitation"] {
            let (mapped, _) = map_generators(&s, &adapt::pool(pool_kind, &s, orbitals).expect("pool")).expect("pool");
            let pool: Vec<MappedGenerator> = mapped.into_iter().flatten().collect();
            let observable = Observable::new(&h);
            // A correlated state to differentiate at: the first two operators at fixed angles.
            let base: Vec<&MappedGenerator> = pool.iter().rev().take(2).collect();
            let base_params = [0.3, -0.2];
            let psi = assemble(&s, &base, Vec::new()).prepare(&base_params);
            let h_psi = observable.apply(&psi);
            for g in &pool {
                let analytic = 2.0 * h_psi.inner(&Observable::new(&g.hermitian).apply(&psi)).im;
                let mut chain = base.clone();
                chain.push(g);
                let ansatz = assemble(&s, &chain, Vec::new());
                let reference = ansatz.reference_state();
                let energy = Energy::new(&ansatz.circuit, &reference, &observable);
                let step = 1e-5;
                let at = |t: f64| energy.energy(&[base_params[0], base_params[1], t]);
                let numeric = (at(step) - at(-step)) / (2.0 * step);
                assert!((analytic - numeric).abs() < 1e-8, "{setup:?} {}: {analytic} vs {numeric}", g.label);
            }
        }
    }
}

#[test]
fn particle_conserving_keeps_every_electron_number() {
    for setup in SPACES {
        let (s, _) = space(setup, 4, 2, 1);
        let a = build(AnsatzKind::ParticleConserving, &AnsatzOptions { layers: 3, ..options() }, &s).expect("ansatz");
        let psi = a.prepare(&spread(a.n_parameters()));
        for spin in 0..2 {
            let mut number = crate::qubit::FermionOperator::zero();
            for p in 0..4 {
                number.add_term(&[(2 * p + spin, true), (2 * p + spin, false)], Complex64::new(1.0, 0.0));
            }
            let n = s.map(&number).expect("number operator");
            let n_squared = s.map(&(&number * &number)).expect("N²");
            let expected = if spin == 0 { 2.0 } else { 1.0 };
            let mean = psi.expectation(&n);
            assert!((mean - expected).abs() < 1e-12, "{setup:?}: ⟨N_{spin}⟩ = {mean}");
            assert!((psi.expectation(&n_squared) - mean * mean).abs() < 1e-12, "{setup:?}: N_{spin} fluctuates");
        }
    }
}

//! The ansatz library against exact energies: UCCSD, k-UpCCGSD and ADAPT-VQE reach FCI (CASCI)
//! on H2, frozen-core LiH and the H4 chain, under every mapping, with and without the two-qubit
//! reduction and tapering; the other families run with their documented shapes.
//!
//! The golden files in `tests/golden/vqe/` hold the active-space integrals and the PySCF FCI
//! (CASCI) energies; `tests/golden/vqe/make_golden.py` regenerates them.

use std::time::Instant;

use qdf_compiler::hir::{AnsatzKind, AnsatzOptions, MappingKind};
use qdf_runtime::circuit::GateCounts;
use qdf_runtime::qubit::{FermionOperator, PauliSum, QubitSpace};
use qdf_runtime::sim::ansatz::{self, Ansatz};
use qdf_runtime::sim::{minimize, Energy, Observable, StateVector, VqeOptions, VqeResult};

mod support;
use support::{golden, Golden};

#[derive(Clone, Copy, Debug)]
struct Setup {
    kind: MappingKind,
    reduction: bool,
    tapering: bool,
}

const JW: Setup = Setup { kind: MappingKind::JordanWigner, reduction: false, tapering: false };
const JW_TAPERED: Setup = Setup { kind: MappingKind::JordanWigner, reduction: false, tapering: true };
const BK: Setup = Setup { kind: MappingKind::BravyiKitaev, reduction: false, tapering: false };
const BK_TAPERED: Setup = Setup { kind: MappingKind::BravyiKitaev, reduction: false, tapering: true };
const PARITY_REDUCED: Setup = Setup { kind: MappingKind::Parity, reduction: true, tapering: false };
const PARITY_TAPERED: Setup = Setup { kind: MappingKind::Parity, reduction: true, tapering: true };

fn space(g: &Golden, s: Setup) -> (QubitSpace, PauliSum) {
    support::space(g, s.kind, s.reduction, s.tapering)
}

fn options() -> AnsatzOptions {
    AnsatzOptions {
        trotter_steps: 1,
        spin_adapted: false,
        ordering: "singles_first".into(),
        k: 1,
        layers: 2,
        rotations: vec!["ry".into(), "rz".into()],
        entanglement: "linear".into(),
        pool: "fermionic".into(),
        gradient_threshold: 1e-3,
        max_operators: 50,
    }
}

const ALL_SPACES: [Setup; 6] = [JW, BK, PARITY_REDUCED, JW_TAPERED, BK_TAPERED, PARITY_TAPERED];

fn vqe(a: &Ansatz, h: &PauliSum, options: &VqeOptions) -> VqeResult {
    let reference = a.reference_state();
    let observable = Observable::new(h);
    let energy = Energy::new(&a.circuit, &reference, &observable);
    minimize(&energy, &a.initial_parameters, options)
}

/// What one run gave.
#[derive(Debug)]
struct Outcome {
    energy: f64,
    n_parameters: usize,
}

/// Builds `kind` on `setup` (grows it, for ADAPT), optimises with `vqe_options` and prints the
/// measurement.
fn run(g: &Golden, setup: Setup, kind: AnsatzKind, o: &AnsatzOptions, vqe_options: &VqeOptions) -> Outcome {
    let start = Instant::now();
    let (s, h) = space(g, setup);
    let outcome = if kind == AnsatzKind::Adapt {
        let r = ansatz::adapt(&h, &s, o, vqe_options).expect("adapt");
        assert!(r.converged, "{} {setup:?}: ADAPT stopped at {} operators", g.name, r.params.len());
        Outcome { energy: r.energy, n_parameters: r.params.len() }
    } else {
        let a = ansatz::build(kind, o, &s).expect("ansatz");
        let r = vqe(&a, &h, vqe_options);
        assert!(r.converged, "{} {kind:?} {setup:?}: {r:?}", g.name);
        Outcome { energy: r.energy, n_parameters: a.n_parameters() }
    };
    eprintln!(
        "{} {kind:?} {} {setup:?} ({} qubits): {} parameters, E = {:.10}, error {:.2e}, {:.2?}",
        g.name,
        if kind == AnsatzKind::Adapt { o.pool.as_str() } else { "" },
        s.n_qubits(),
        outcome.n_parameters,
        outcome.energy,
        outcome.energy - g.e_fci,
        start.elapsed()
    );
    outcome
}

fn assert_reaches_fci(g: &Golden, setup: Setup, kind: AnsatzKind, o: &AnsatzOptions, tolerance: f64) -> Outcome {
    let outcome = run(g, setup, kind, o, &VqeOptions { max_iter: 1000, ..VqeOptions::default() });
    let e = outcome.energy;
    assert!(e > g.e_fci - 1e-9, "{} {kind:?} {setup:?}: {e} below FCI {}, not variational", g.name, g.e_fci);
    assert!(e - g.e_fci < tolerance, "{} {kind:?} {setup:?}: {e} vs FCI {}", g.name, g.e_fci);
    outcome
}

fn adapt_options(pool: &str, threshold: f64) -> AnsatzOptions {
    AnsatzOptions { pool: pool.into(), gradient_threshold: threshold, ..options() }
}

#[test]
fn the_reference_has_the_rhf_energy_in_every_space() {
    for name in ["h2_0.74", "lih_1.6", "h4_1.0"] {
        let g = golden(name);
        for setup in ALL_SPACES {
            let (s, h) = space(&g, setup);
            let hf = ansatz::build(AnsatzKind::Hf, &options(), &s).expect("hf");
            assert_eq!(hf.n_parameters(), 0);
            assert_eq!(hf.logical.counts(), GateCounts { one_qubit: hf.reference.count_ones() as usize, two_qubit: 0 });
            let e = hf.reference_state().expectation(&h);
            assert!((e - g.e_hf).abs() < 1e-9, "{name} {setup:?}: ⟨HF|H|HF⟩ = {e}, RHF {}", g.e_hf);
        }
    }
}

/// H2/STO-3G at 0.74 Å: every correlated family reaches FCI within 1e-6 Ha under every mapping,
/// with and without tapering. (Measured: 1e-14 or better everywhere.)
#[test]
fn h2_reaches_fci_in_every_space() {
    let g = golden("h2_0.74");
    for setup in ALL_SPACES {
        assert_reaches_fci(&g, setup, AnsatzKind::Uccsd, &options(), 1e-6);
        assert_reaches_fci(&g, setup, AnsatzKind::Uccsd, &AnsatzOptions { spin_adapted: true, ..options() }, 1e-6);
        assert_reaches_fci(&g, setup, AnsatzKind::Kupccgsd, &options(), 1e-6);
        assert_reaches_fci(&g, setup, AnsatzKind::Adapt, &adapt_options("fermionic", 1e-6), 1e-6);
        assert_reaches_fci(&g, setup, AnsatzKind::Adapt, &adapt_options("qubit_excitation", 1e-6), 1e-6);
    }
}

/// LiH/STO-3G at 1.6 Å, frozen core, (2e, 4o): within 1e-4 Ha of CASCI in every space.
/// (Measured: UCCSD 1.6e-13, k-UpCCGSD (k = 1) 2e-11, ADAPT 3e-14 with either pool.)
#[test]
fn frozen_core_lih_reaches_casci_in_every_space() {
    let g = golden("lih_1.6");
    for setup in ALL_SPACES {
        assert_reaches_fci(&g, setup, AnsatzKind::Uccsd, &options(), 1e-4);
        assert_reaches_fci(&g, setup, AnsatzKind::Kupccgsd, &options(), 1e-4);
        assert_reaches_fci(&g, setup, AnsatzKind::Adapt, &adapt_options("fermionic", 1e-5), 1e-4);
        assert_reaches_fci(&g, setup, AnsatzKind::Adapt, &adapt_options("qubit_excitation", 1e-5), 1e-4);
    }
}

/// The H4 chain (1.0 Å spacing, STO-3G, (4e, 4o)): within 1e-4 Ha of FCI. One Trotter step of
/// UCCSD is not exact for four electrons: measured 8.0e-5 above FCI in every space (two steps:
/// 8.0e-5 too); k-UpCCGSD needs k = 2 (2e-11; k = 1 stalls at 1.5e-2); ADAPT with a 1e-5
/// threshold: 3.4e-6 (fermionic, 17 operators), 2.7e-6 (qubit excitations, 17 operators).
#[test]
fn h4_chain_reaches_fci() {
    let g = golden("h4_1.0");
    for setup in [JW, BK_TAPERED, PARITY_TAPERED] {
        let uccsd = assert_reaches_fci(&g, setup, AnsatzKind::Uccsd, &options(), 1e-4);
        assert_eq!(uccsd.n_parameters, if setup.tapering { 14 } else { 26 });
        assert_reaches_fci(&g, setup, AnsatzKind::Uccsd, &AnsatzOptions { trotter_steps: 2, ..options() }, 1e-4);
        assert_reaches_fci(&g, setup, AnsatzKind::Adapt, &adapt_options("fermionic", 1e-5), 1e-4);
        assert_reaches_fci(&g, setup, AnsatzKind::Adapt, &adapt_options("qubit_excitation", 1e-5), 1e-4);
    }
    for setup in [JW, BK, PARITY_REDUCED] {
        assert_reaches_fci(&g, setup, AnsatzKind::Kupccgsd, &AnsatzOptions { k: 2, ..options() }, 1e-4);
    }
}

/// Tapering H4 removes point-group symmetries, and with them every generalised single between
/// orbitals of different irreps (8 of each k-UpCCGSD layer's 18 generators). Products of those
/// singles are what lets the untapered ansatz reach FCI; without them k-UpCCGSD stalls 6.1e-3
/// Ha above FCI (measured for k = 2, 3, 4 under every tapered mapping), still variational.
#[test]
fn tapered_kupccgsd_loses_the_symmetry_breaking_singles() {
    let g = golden("h4_1.0");
    for setup in [JW_TAPERED, BK_TAPERED, PARITY_TAPERED] {
        let (s, _) = space(&g, setup);
        let a = ansatz::build(AnsatzKind::Kupccgsd, &AnsatzOptions { k: 2, ..options() }, &s).expect("k-UpCCGSD");
        assert_eq!((a.n_parameters(), a.dropped.len()), (20, 16), "{setup:?}");
        assert!(a.dropped.iter().all(|d| !d.contains("2^ 3^")), "pair doubles are symmetric: {:?}", a.dropped);
        let e = assert_reaches_fci(&g, setup, AnsatzKind::Kupccgsd, &AnsatzOptions { k: 2, ..options() }, 1e-2).energy;
        assert!(e - g.e_fci > 1e-3, "{setup:?}: {e}");
    }
}

/// The UCCSD optimum does not depend on the mapping (each factor is the same unitary on Fock
/// space), nor on tapering (which keeps the reference's sector).
#[test]
fn uccsd_energies_agree_across_spaces() {
    for name in ["lih_1.6", "h4_1.0"] {
        let g = golden(name);
        let energies: Vec<f64> = ALL_SPACES
            .iter()
            .map(|&setup| run(&g, setup, AnsatzKind::Uccsd, &options(), &VqeOptions::default()).energy)
            .collect();
        for (setup, e) in ALL_SPACES.iter().zip(&energies) {
            assert!((e - energies[0]).abs() < 1e-8, "{name} {setup:?}: {e} vs {}", energies[0]);
        }
    }
}

/// Singlet spin adaptation reaches the same energies with fewer parameters: H2 2 instead of 3,
/// LiH 9 instead of 15, H4 14 instead of 26.
#[test]
fn spin_adapted_uccsd_needs_fewer_parameters() {
    let singlet = AnsatzOptions { spin_adapted: true, ..options() };
    for (name, full, adapted) in [("h2_0.74", 3, 2), ("lih_1.6", 15, 9), ("h4_1.0", 26, 14)] {
        let g = golden(name);
        let a = run(&g, JW, AnsatzKind::Uccsd, &options(), &VqeOptions::default());
        let b = run(&g, JW, AnsatzKind::Uccsd, &singlet, &VqeOptions::default());
        assert_eq!((a.n_parameters, b.n_parameters), (full, adapted), "{name}");
        // Measured: equal to 1e-13 for H2 and LiH; H4's singlet product is another Trotter
        // ordering, 3e-7 above the spin-orbital one.
        assert!((a.energy - b.energy).abs() < 1e-6, "{name}: {} vs {}", a.energy, b.energy);
    }
    let h2 = golden("h2_0.74");
    assert_reaches_fci(&h2, JW, AnsatzKind::Uccsd, &singlet, 1e-6);
}

/// Tapering H2 keeps one qubit; the singles change the point-group irrep of the reference, so
/// they do not commute with a tapered symmetry and are dropped, with the reason, leaving the
/// double.
#[test]
fn tapering_drops_symmetry_breaking_excitations() {
    let g = golden("h2_0.74");
    let (s, _) = space(&g, JW_TAPERED);
    assert_eq!(s.n_qubits(), 1);
    let a = ansatz::build(AnsatzKind::Uccsd, &options(), &s).expect("uccsd");
    assert_eq!(a.parameters, vec!["2^ 3^ 1 0".to_string()]);
    assert_eq!(a.dropped.len(), 2);
    assert!(a.dropped.iter().all(|d| d.contains("does not commute with the removed symmetry")), "{:?}", a.dropped);
    assert!(a.dropped[0].starts_with("2^ 0:"), "{:?}", a.dropped);
    let (full, _) = space(&g, JW);
    assert!(ansatz::build(AnsatzKind::Uccsd, &options(), &full).expect("uccsd").dropped.is_empty());
}

/// The hardware-efficient and particle-conserving families have their documented parameter
/// counts, and reach FCI where they are expressive enough.
#[test]
fn hardware_efficient_and_particle_conserving_run() {
    let h2 = golden("h2_0.74");
    let lih = golden("lih_1.6");
    let h4 = golden("h4_1.0");
    // (layers + 1) · qubits · |rotations|.
    let hea =
        |g: &Golden, setup, o: &AnsatzOptions| run(g, setup, AnsatzKind::HardwareEfficient, o, &VqeOptions::default());
    assert_eq!(hea(&h2, JW, &options()).n_parameters, 3 * 4 * 2);
    assert_eq!(hea(&h2, JW_TAPERED, &options()).n_parameters, 3 * 2);
    let rx_full = AnsatzOptions { layers: 1, rotations: vec!["rx".into()], entanglement: "full".into(), ..options() };
    assert_eq!(hea(&lih, PARITY_REDUCED, &rx_full).n_parameters, 2 * 6);
    // Measured 2e-12 above FCI.
    assert_reaches_fci(&h2, JW, AnsatzKind::HardwareEfficient, &options(), 1e-6);
    // LiH: 48 parameters end 1.8e-3 Ha above CASCI (a local minimum), never below it.
    let e = hea(&lih, JW, &options()).energy;
    assert!(e > lih.e_fci - 1e-9 && e < lih.e_hf + 1e-9, "{e}");

    // 2 · layers · (n_spatial − 1).
    let pc = |g: &Golden, setup, layers| {
        run(g, setup, AnsatzKind::ParticleConserving, &AnsatzOptions { layers, ..options() }, &VqeOptions::default())
    };
    assert_eq!(pc(&h2, JW, 2).n_parameters, 2 * 2);
    assert_eq!(pc(&lih, BK, 3).n_parameters, 2 * 3 * 3);
    let two_layers = pc(&h4, JW, 2);
    assert_eq!(two_layers.n_parameters, 2 * 2 * 3);
    // Measured: 2.3e-2 Ha above FCI with two layers; four layers reach it (3e-11).
    assert!(two_layers.energy - h4.e_fci < 0.05);
    assert_reaches_fci(&h4, JW, AnsatzKind::ParticleConserving, &AnsatzOptions { layers: 4, ..options() }, 1e-6);
}

/// `Σ_p n_pσ` over every spin orbital of spin `spin`.
fn number_operator(n_spatial: u32, spin: u32) -> FermionOperator {
    let mut n = FermionOperator::zero();
    for p in 0..n_spatial {
        n.add_term(&[(2 * p + spin, true), (2 * p + spin, false)], num_complex::Complex64::new(1.0, 0.0));
    }
    n
}

/// A deterministic spread of parameters in about (−0.8, 0.8).
fn test_params(n: usize) -> Vec<f64> {
    (0..n).map(|k| 0.8 * ((k as f64 + 1.0) * 2.9).sin()).collect()
}

#[test]
fn particle_conserving_keeps_the_electron_numbers_exactly() {
    let g = golden("h4_1.0");
    for setup in [JW, BK, PARITY_REDUCED] {
        let (s, _) = space(&g, setup);
        let a = ansatz::build(AnsatzKind::ParticleConserving, &AnsatzOptions { layers: 3, ..options() }, &s)
            .expect("particle-conserving");
        let psi = a.prepare(&test_params(a.n_parameters()));
        for (spin, electrons) in [(0, g.n_alpha), (1, g.n_beta)] {
            let number = number_operator(g.n_spatial, spin);
            let n = s.map(&number).expect("N");
            let n2 = s.map(&(&number * &number)).expect("N²");
            let mean = psi.expectation(&n);
            assert!((mean - f64::from(electrons)).abs() < 1e-12, "{setup:?}: ⟨N_{spin}⟩ = {mean}");
            assert!((psi.expectation(&n2) - mean * mean).abs() < 1e-12, "{setup:?}: N_{spin} fluctuates");
        }
    }
}

/// Every ansatz's logical circuit, run from |0…0⟩ on the dense simulator, prepares its rotation
/// circuit's state up to a global phase, for random parameters.
#[test]
fn logical_circuits_prepare_the_same_states() {
    let kinds = [
        (AnsatzKind::Uccsd, options()),
        (AnsatzKind::Uccsd, AnsatzOptions { spin_adapted: true, ordering: "doubles_first".into(), ..options() }),
        (AnsatzKind::Kupccgsd, AnsatzOptions { k: 2, trotter_steps: 2, ..options() }),
        (AnsatzKind::HardwareEfficient, AnsatzOptions { entanglement: "circular".into(), ..options() }),
        (AnsatzKind::ParticleConserving, options()),
    ];
    for name in ["h2_0.74", "lih_1.6"] {
        let g = golden(name);
        for setup in ALL_SPACES {
            let (s, h) = space(&g, setup);
            let mut ansatzes: Vec<Ansatz> =
                kinds.iter().map(|(kind, o)| ansatz::build(*kind, o, &s).expect("ansatz")).collect();
            let grown =
                ansatz::adapt(&h, &s, &adapt_options("qubit_excitation", 1e-3), &VqeOptions::default()).expect("adapt");
            ansatzes.push(grown.ansatz);
            for a in &ansatzes {
                let params = test_params(a.n_parameters());
                let mut logical = StateVector::zero(a.n_qubits());
                a.logical.apply(&params, &mut logical);
                let overlap = logical.inner(&a.prepare(&params)).norm();
                assert!(
                    (overlap - 1.0).abs() < 1e-12,
                    "{name} {setup:?} {:?}: |⟨logical|ψ⟩| = {overlap}",
                    a.parameters
                );
            }
        }
    }
}

/// H2 UCCSD under Jordan–Wigner: 3 parameters (2 singles of 2 strings, 1 double of 8). Each
/// weight-w string costs 2(w − 1) CNOTs and 2·(its X and Y count) + 1 one-qubit gates: singles
/// (X Z Y, weight 3) 4 CNOTs and 5 gates, doubles (weight 4, no Z) 6 CNOTs and 9 gates; plus two
/// X gates for |HF⟩ = |0011⟩. Tapered to one qubit, the double is one single-qubit rotation.
#[test]
fn h2_uccsd_gate_counts() {
    let g = golden("h2_0.74");
    let (s, _) = space(&g, JW);
    let a = ansatz::build(AnsatzKind::Uccsd, &options(), &s).expect("uccsd");
    assert_eq!(a.n_parameters(), 3);
    assert_eq!(a.circuit.rotations().len(), 2 * 2 + 8);
    assert_eq!(a.logical.counts(), GateCounts { one_qubit: 2 + 4 * 5 + 8 * 9, two_qubit: 4 * 4 + 8 * 6 });
    let (tapered, _) = space(&g, JW_TAPERED);
    let t = ansatz::build(AnsatzKind::Uccsd, &options(), &tapered).expect("uccsd");
    assert_eq!(t.circuit.rotations().len(), 1);
    assert_eq!(t.logical.counts().two_qubit, 0);
    assert_eq!(t.logical.counts().one_qubit, 1 + t.reference.count_ones() as usize);
}

/// ADAPT records its growth: energies fall, gradients end below the threshold, and a cap on
/// operators ends the run unconverged with exactly that many.
#[test]
fn adapt_records_its_growth() {
    let g = golden("h4_1.0");
    let (s, h) = space(&g, JW);
    let r = ansatz::adapt(&h, &s, &adapt_options("fermionic", 1e-3), &VqeOptions::default()).expect("adapt");
    assert!(r.converged);
    assert!((r.energies[0] - g.e_hf).abs() < 1e-9);
    assert!(r.energies.windows(2).all(|w| w[1] <= w[0] + 1e-12), "{:?}", r.energies);
    assert_eq!(r.energies.len(), r.params.len() + 1);
    assert_eq!(r.max_gradients.len(), r.params.len() + 1);
    assert!(*r.max_gradients.last().expect("a check") < 1e-3);
    assert_eq!(r.ansatz.parameters.len(), r.params.len());
    assert_eq!(r.ansatz.initial_parameters, r.params);
    // The first choice is the double with the largest gradient: the HOMO pair to the LUMO pair.
    assert_eq!(r.ansatz.parameters[0], "4^ 5^ 3 2");

    let capped = AnsatzOptions { max_operators: 3, ..adapt_options("fermionic", 1e-6) };
    let c = ansatz::adapt(&h, &s, &capped, &VqeOptions::default()).expect("adapt");
    assert!(!c.converged);
    assert_eq!(c.params.len(), 3);
    assert_eq!(c.ansatz.parameters[..], r.ansatz.parameters[..3]);
}

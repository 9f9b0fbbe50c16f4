//! Qubit mappings, reductions and tapering against OpenFermion, PennyLane and PySCF.
//!
//! The golden files in `tests/golden/qubit/` come from `make_golden.py` there: PySCF's MO
//! integrals of H2, LiH, BeH2 and H2O in STO-3G (full space), OpenFermion's Jordan–Wigner and
//! Bravyi–Kitaev Hamiltonians of those integrals, PennyLane's parity-mapped ones (block spin
//! order), PySCF's FCI energies, PennyLane's count of Z2 symmetry generators, and OpenFermion's normal ordering of a few ladder words. The tests map the
//! stored integrals, so SCF sign conventions play no part. Every comparison is absolute, at 1e-10.

use std::collections::BTreeMap;

use ndarray::{Array2, Array4};
use num_complex::Complex64;
use qdf_compiler::hir::MappingKind;
use qdf_runtime::qubit::jordan_wigner::{jordan_wigner, lowest_eigenvalue, Sector};
use qdf_runtime::qubit::{map_hamiltonian, FermionOperator, Ladder, PauliString, PauliSum, QubitSpace};
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/qubit");
const TOL: f64 = 1e-10;
/// OpenFermion drops terms below this when it sums (`EQ_TOLERANCE`).
const OPENFERMION_DROP: f64 = 1e-8;
const MOLECULES: [&str; 4] = ["h2", "lih", "beh2", "h2o"];

struct Molecule {
    n: usize,
    n_alpha: u32,
    n_beta: u32,
    core: f64,
    h1: Array2<f64>,
    eri: Array4<f64>,
    e_hf: f64,
    e_fci: f64,
    jw: Vec<(PauliString, f64)>,
    bk: Vec<(PauliString, f64)>,
    parity: Vec<(PauliString, f64)>,
    pennylane_z2_generators: usize,
}

fn read(name: &str) -> Value {
    let path = format!("{DIR}/{name}.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("golden JSON")
}

fn numbers(v: &Value, key: &str) -> Vec<f64> {
    v[key].as_array().unwrap_or_else(|| panic!("{key} missing")).iter().map(|x| x.as_f64().expect("number")).collect()
}

fn count(v: &Value, key: &str) -> u64 {
    v[key].as_u64().unwrap_or_else(|| panic!("{key} missing"))
}

/// "X0 Y1 Z3" as OpenFermion prints it.
fn parse_string(text: &str) -> PauliString {
    text.split_whitespace().fold(PauliString::IDENTITY, |s, factor| {
        let (p, q) = factor.split_at(1);
        let single = PauliString::single(p.chars().next().expect("letter"), q.parse().expect("qubit"));
        PauliString { x: s.x | single.x, z: s.z | single.z }
    })
}

fn pauli_terms(v: &Value, key: &str) -> Vec<(PauliString, f64)> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} missing"))
        .iter()
        .map(|t| (parse_string(t[0].as_str().expect("string")), t[1].as_f64().expect("coefficient")))
        .collect()
}

fn load(name: &'static str) -> Molecule {
    let v = read(name);
    let n = count(&v, "n_spatial") as usize;
    Molecule {
        n,
        n_alpha: count(&v, "n_alpha") as u32,
        n_beta: count(&v, "n_beta") as u32,
        core: v["core_energy"].as_f64().expect("core"),
        h1: Array2::from_shape_vec((n, n), numbers(&v, "h1")).expect("h1"),
        eri: Array4::from_shape_vec((n, n, n, n), numbers(&v, "eri")).expect("eri"),
        e_hf: v["e_hf"].as_f64().expect("e_hf"),
        e_fci: v["e_fci"].as_f64().expect("e_fci"),
        jw: pauli_terms(&v, "jw"),
        bk: pauli_terms(&v, "bk"),
        parity: pauli_terms(&v, "parity"),
        pennylane_z2_generators: count(&v, "pennylane_z2_generators") as usize,
    }
}

/// Term-by-term comparison: every string within [`TOL`], a missing term counting as zero, and the
/// same strings above OpenFermion's drop threshold. Returns the largest difference.
fn compare(ours: &PauliSum, golden: &[(PauliString, f64)]) -> Result<f64, String> {
    let mut both: BTreeMap<PauliString, (f64, f64)> = BTreeMap::new();
    for &(s, c) in &ours.terms {
        both.entry(s).or_default().0 += c;
    }
    for &(s, c) in golden {
        both.entry(s).or_default().1 += c;
    }
    let mut worst = 0.0f64;
    for (s, (a, b)) in &both {
        if (a - b).abs() > TOL {
            return Err(format!("[{s}]: ours {a}, reference {b}"));
        }
        worst = worst.max((a - b).abs());
    }
    let kept = ours.terms.iter().filter(|(_, c)| c.abs() >= OPENFERMION_DROP).count();
    if kept != golden.len() {
        return Err(format!("{kept} terms above {OPENFERMION_DROP:e}, the reference has {}", golden.len()));
    }
    Ok(worst)
}

/// Jordan–Wigner and Bravyi–Kitaev against OpenFermion; parity against PennyLane's
/// `parity_transform` in the block spin order.
#[test]
fn mappings_equal_openfermion_and_pennylane_term_by_term() {
    for name in MOLECULES {
        let m = load(name);
        let mappings =
            [(MappingKind::JordanWigner, &m.jw), (MappingKind::BravyiKitaev, &m.bk), (MappingKind::Parity, &m.parity)];
        for (kind, golden) in mappings {
            let h = map_hamiltonian(kind, m.core, m.h1.view(), m.eri.view()).expect("mapping");
            assert_eq!(h.n_qubits as usize, 2 * m.n);
            let worst = compare(&h, golden).unwrap_or_else(|e| panic!("{name} {kind:?}: {e}"));
            eprintln!("{name} {kind:?}: {} terms, max |Δc| {worst:.1e}", golden.len());
        }
        // The original entry point is the same mapping.
        let legacy = jordan_wigner(m.core, m.h1.view(), m.eri.view()).expect("JW");
        compare(&legacy, &m.jw).unwrap_or_else(|e| panic!("{name} jordan_wigner: {e}"));
    }
}

#[test]
fn the_comparison_catches_wrong_terms() {
    let m = load("lih");
    let mut h = PauliSum::new(12);
    h.terms = m.bk.clone();
    assert!(compare(&h, &m.bk).is_ok());
    assert!(compare(&h, &m.jw).is_err(), "BK is not JW");
    let mut off = h.clone();
    off.terms[7].1 += 2e-10;
    assert!(compare(&off, &m.bk).is_err());
    let mut missing = h.clone();
    missing.terms.remove(3);
    assert!(compare(&missing, &m.bk).is_err());
}

/// Every mapping, with and without the two-qubit reduction and tapering: the lowest eigenvalue in
/// the (n_alpha, n_beta) sector is PySCF's FCI energy, and the reference state's energy is the
/// Hartree–Fock energy.
#[test]
fn reduced_and_tapered_spaces_keep_the_fci_and_hartree_fock_energies() {
    let setups = [
        (MappingKind::JordanWigner, false, false),
        (MappingKind::JordanWigner, false, true),
        (MappingKind::BravyiKitaev, false, false),
        (MappingKind::BravyiKitaev, false, true),
        (MappingKind::Parity, false, false),
        (MappingKind::Parity, true, false),
        (MappingKind::Parity, false, true),
        (MappingKind::Parity, true, true),
    ];
    for name in MOLECULES {
        let m = load(name);
        let jw = jordan_wigner(m.core, m.h1.view(), m.eri.view()).expect("JW");
        let sector = Sector::Spin { n_alpha: m.n_alpha as usize, n_beta: m.n_beta as usize };
        let e_jw = lowest_eigenvalue(&jw, sector).expect("JW sector");
        assert!((e_jw - m.e_fci).abs() < TOL, "{name}: JW sector {e_jw} vs FCI {}", m.e_fci);
        for (kind, reduce, taper) in setups {
            let label = format!("{name} {kind:?} reduction={reduce} tapering={taper}");
            let (space, h) = QubitSpace::build(
                kind,
                reduce,
                taper,
                m.n as u32,
                m.n_alpha,
                m.n_beta,
                m.core,
                m.h1.view(),
                m.eri.view(),
            )
            .unwrap_or_else(|e| panic!("{label}: {e}"));
            assert_eq!(h.n_qubits, space.n_qubits(), "{label}");
            let e = space.lowest_eigenvalue(&h, m.n_alpha, m.n_beta).expect("sector");
            assert!((e - m.e_fci).abs() < TOL, "{label}: {e} vs FCI {}", m.e_fci);
            let e_ref = h.diagonal_element(space.reference_state());
            assert!((e_ref - m.e_hf).abs() < TOL, "{label}: reference {e_ref} vs HF {}", m.e_hf);
            // Tapering removes PennyLane's number of generators in all, the reduction included.
            let removed = space.n_qubits_mapped() - space.n_qubits();
            let expected = if taper {
                m.pennylane_z2_generators
            } else if reduce {
                2
            } else {
                0
            };
            assert_eq!(removed as usize, expected, "{label}");
            eprintln!(
                "{label}: {} → {} qubits, {} terms, |ΔE| {:.1e}",
                2 * m.n,
                h.n_qubits,
                h.terms.len(),
                (e - m.e_fci).abs()
            );
        }
    }
}

#[test]
fn tapering_h2_and_water_removes_the_expected_qubits() {
    for (name, symmetries, qubits) in [("h2", 3, 1), ("h2o", 4, 10)] {
        let m = load(name);
        for kind in [MappingKind::JordanWigner, MappingKind::BravyiKitaev, MappingKind::Parity] {
            let (space, _) = QubitSpace::build(
                kind,
                false,
                true,
                m.n as u32,
                m.n_alpha,
                m.n_beta,
                m.core,
                m.h1.view(),
                m.eri.view(),
            )
            .expect("space");
            assert_eq!(space.symmetries().len(), symmetries, "{name} {kind:?}");
            assert_eq!(space.n_qubits(), qubits, "{name} {kind:?}");
            assert_eq!(space.n_qubits_before_tapering(), 2 * m.n as u32);
            // The symmetries are Z strings that commute with every term of the mapped Hamiltonian.
            let mapped = map_hamiltonian(kind, m.core, m.h1.view(), m.eri.view()).expect("mapping");
            for &(tau, sign) in space.symmetries() {
                assert_eq!(tau.x, 0);
                assert!(sign == 1 || sign == -1);
                assert!(mapped.terms.iter().all(|(s, _)| s.commutes_with(tau)), "{name} {kind:?} [{tau}]");
            }
        }
    }
}

fn ladder_sum(v: &Value) -> FermionOperator {
    let mut op = FermionOperator::zero();
    for t in v.as_array().expect("terms") {
        let word: Vec<Ladder> = t[0]
            .as_array()
            .expect("word")
            .iter()
            .map(|l| (l[0].as_u64().expect("mode") as u32, l[1].as_u64().expect("action") == 1))
            .collect();
        op.add_term(&word, Complex64::new(t[1].as_f64().expect("re"), t[2].as_f64().expect("im")));
    }
    op
}

fn assert_same(ours: &FermionOperator, theirs: &FermionOperator, what: &str) {
    let mut difference = ours - theirs;
    difference.simplify(1e-14);
    assert!(difference.is_empty(), "{what}: ours {ours:?}, OpenFermion {theirs:?}");
    assert_eq!(ours.len(), theirs.len(), "{what}");
}

#[test]
fn normal_ordering_and_adjoints_equal_openfermion() {
    let cases = read("fermion_algebra");
    for (i, case) in cases.as_array().expect("cases").iter().enumerate() {
        let op = ladder_sum(&case["input"]);
        let mut ordered = op.normal_ordered();
        ordered.simplify(1e-14);
        assert_same(&ordered, &ladder_sum(&case["normal_ordered"]), &format!("case {i} normal order"));
        assert_same(
            &op.hermitian_conjugate(),
            &ladder_sum(&case["hermitian_conjugated"]),
            &format!("case {i} adjoint"),
        );
    }
}

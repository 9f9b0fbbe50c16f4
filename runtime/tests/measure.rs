//! Measurement planning against outside references and against direct simulation.
//!
//! `tests/golden/measure/measure_golden.json` comes from `make_golden.py` beside it: the
//! Jordan–Wigner Hamiltonians of H2O and LiH (STO-3G, full space; PySCF + OpenFermion) and the
//! group counts of OpenFermion's and PennyLane's groupers on them. Validity is checked without
//! references: every group (qubit-wise) commutes, every term appears once, every diagonalising
//! circuit maps its terms to the recorded signed Z strings (tableau and state-vector checks), and
//! the plan's estimator and variances equal ⟨ψ|H|ψ⟩ and ⟨O²⟩ − ⟨O⟩² computed directly.

use std::collections::BTreeMap;

use num_complex::Complex64;
use qdf_runtime::measure::estimate::outcome_probabilities;
use qdf_runtime::measure::graph::qubit_wise_commute;
use qdf_runtime::measure::{
    allocate_shots, expectation, group_variances, plan, shots_for_precision, standard_error, Allocation, Grouping,
    MeasurementPlan,
};
use qdf_runtime::qubit::{PauliString, PauliSum};
use qdf_runtime::sim::StateVector;
use serde_json::Value;

const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/measure/measure_golden.json");

/// A seeded pseudo-random stream (splitmix64).
struct Stream(u64);

impl Stream {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn random_state(n: u32, rng: &mut Stream) -> StateVector {
    let amplitudes = (0..1usize << n).map(|_| Complex64::new(rng.uniform() - 0.5, rng.uniform() - 0.5)).collect();
    let mut state = StateVector::from_amplitudes(amplitudes);
    state.normalize();
    state
}

/// A random Hamiltonian: strings of every weight, some repeated, sometimes the identity.
fn random_hamiltonian(n: u32, terms: usize, rng: &mut Stream) -> PauliSum {
    let mask = (1u64 << n) - 1;
    let mut h = PauliSum::new(n);
    for k in 0..terms {
        let string = match rng.below(10) {
            0 => PauliString::IDENTITY,
            1 if k > 0 => h.terms[rng.below(k as u64) as usize].0,
            2 => PauliString { x: 0, z: rng.next() & mask },
            _ => PauliString { x: rng.next() & mask, z: rng.next() & mask },
        };
        h.add(string, 2.0 * rng.uniform() - 1.0);
    }
    h
}

/// "X0 Y1 Z3" (OpenFermion's printing; "" is the identity).
fn parse_pauli(text: &str) -> PauliString {
    let mut s = PauliString::IDENTITY;
    for factor in text.split_whitespace() {
        let (letter, qubit) = factor.split_at(1);
        let bit = 1u64 << qubit.parse::<u32>().expect("qubit");
        match letter {
            "X" => s.x |= bit,
            "Y" => (s.x, s.z) = (s.x | bit, s.z | bit),
            "Z" => s.z |= bit,
            other => panic!("not a Pauli letter: {other}"),
        }
    }
    s
}

fn golden() -> BTreeMap<String, Value> {
    let text = std::fs::read_to_string(GOLDEN).unwrap_or_else(|e| panic!("{GOLDEN}: {e}"));
    serde_json::from_str(&text).expect("golden JSON")
}

fn molecule(case: &Value) -> PauliSum {
    let mut h = PauliSum::new(case["n_qubits"].as_u64().expect("n_qubits") as u32);
    for term in case["terms"].as_array().expect("terms") {
        h.add(parse_pauli(term[0].as_str().expect("string")), term[1].as_f64().expect("coefficient"));
    }
    h
}

/// `⟨ψ|P|ψ⟩` (real for a Pauli string).
fn pauli_expectation(p: PauliString, state: &StateVector) -> f64 {
    let mut image = state.clone();
    image.apply_pauli(p);
    state.inner(&image).re
}

/// `Σ c_i P_i |ψ⟩`.
fn apply_sum(terms: &[(PauliString, f64)], state: &StateVector) -> StateVector {
    let mut total = vec![Complex64::new(0.0, 0.0); state.amplitudes().len()];
    for &(p, c) in terms {
        let mut image = state.clone();
        image.apply_pauli(p);
        for (t, a) in total.iter_mut().zip(image.amplitudes()) {
            *t += c * a;
        }
    }
    StateVector::from_amplitudes(total)
}

/// Everything a plan promises, checked from scratch. With a state: the estimator, the variances
/// and (for registers up to `dense_qubits`) `U P U† |ψ⟩ = d/c · Z |ψ⟩` for every term.
fn check_plan(name: &str, h: &PauliSum, plan: &MeasurementPlan, state: Option<&StateVector>, dense_qubits: u32) {
    let grouping = plan.grouping();
    assert_eq!(plan.n_qubits(), h.n_qubits, "{name}");
    let constant: f64 = h.terms.iter().filter(|(s, _)| *s == PauliString::IDENTITY).map(|(_, c)| c).sum();
    assert_eq!(plan.constant(), constant, "{name}: constant");
    // Every non-identity term exactly once (as a multiset: random Hamiltonians repeat strings).
    let key = |&(s, c): &(PauliString, f64)| (s.x, s.z, c.to_bits());
    let mut expected: Vec<_> = h.terms.iter().filter(|(s, _)| *s != PauliString::IDENTITY).map(key).collect();
    let mut planned: Vec<_> = plan.groups().iter().flat_map(|g| g.terms().iter().map(key)).collect();
    expected.sort_unstable();
    planned.sort_unstable();
    assert_eq!(planned, expected, "{name}: terms");
    for (g, group) in plan.groups().iter().enumerate() {
        let terms = group.terms();
        assert!(!terms.is_empty(), "{name}: group {g} is empty");
        assert_eq!(group.circuit().n_qubits(), h.n_qubits, "{name}");
        for (i, &(a, _)) in terms.iter().enumerate() {
            for &(b, _) in &terms[i + 1..] {
                match grouping {
                    Grouping::PerTerm => panic!("{name}: group {g} holds two terms"),
                    Grouping::QubitWise => assert!(qubit_wise_commute(a, b), "{name}: {a} and {b}"),
                    Grouping::FullyCommuting => assert!(a.commutes_with(b), "{name}: {a} and {b}"),
                }
            }
        }
        if grouping == Grouping::QubitWise {
            assert_eq!(group.circuit().counts().two_qubit, 0, "{name}: qubit-wise circuits are single-qubit");
        }
        assert_eq!(group.diagonal().len(), terms.len());
        for (&(p, c), &(z, d)) in terms.iter().zip(group.diagonal()) {
            let (negative, image) = group.circuit().conjugate_pauli(p).expect("Clifford");
            assert_eq!((image, z.x), (z, 0), "{name}: {p} maps to {image}");
            assert_eq!(d, if negative { -c } else { c }, "{name}: sign of {p}");
        }
    }
    let Some(state) = state else { return };
    // The estimator with infinitely many shots is ⟨ψ|H|ψ⟩.
    let direct: f64 = h.terms.iter().map(|&(p, c)| c * pauli_expectation(p, state)).sum();
    let planned = expectation(plan, state);
    assert!((planned - direct).abs() < 1e-12, "{name} {grouping:?}: {planned} vs {direct}");
    // Var_g = ‖O_g ψ‖² − ⟨ψ|O_g|ψ⟩², covariances included.
    let variances = group_variances(plan, Some(state));
    for (group, &variance) in plan.groups().iter().zip(&variances) {
        let image = apply_sum(group.terms(), state);
        let mean = state.inner(&image).re;
        let direct = image.norm_sqr() - mean * mean;
        assert!((variance - direct).abs() < 1e-10 * (1.0 + direct), "{name}: variance {variance} vs {direct}");
    }
    if h.n_qubits <= dense_qubits {
        let z_state = |z: PauliString, s: &StateVector| {
            let mut out = s.clone();
            out.apply_pauli(z);
            out
        };
        for group in plan.groups() {
            let inverse = group.circuit().inverse();
            for (&(p, c), &(z, d)) in group.terms().iter().zip(group.diagonal()) {
                // U P U† ψ against (d / c) Z ψ.
                let mut lhs = state.clone();
                inverse.apply(&[], &mut lhs);
                lhs.apply_pauli(p);
                group.circuit().apply(&[], &mut lhs);
                let rhs = z_state(z, state);
                let sign = d / c;
                let difference = lhs
                    .amplitudes()
                    .iter()
                    .zip(rhs.amplitudes())
                    .map(|(a, b)| (a - sign * b).norm())
                    .fold(0.0, f64::max);
                assert!(difference < 1e-12, "{name}: U {p} U† ≠ {sign} {z} (by {difference})");
            }
        }
    }
}

#[test]
fn random_hamiltonians_are_grouped_validly() {
    let mut rng = Stream(2024);
    for trial in 0..48 {
        let n = 1 + trial % 8;
        let h = random_hamiltonian(n, 1 + rng.below(60) as usize, &mut rng);
        let state = random_state(n, &mut rng);
        let mut counts = Vec::new();
        for grouping in [Grouping::PerTerm, Grouping::QubitWise, Grouping::FullyCommuting] {
            let p = plan(&h, grouping).expect("plan");
            check_plan(&format!("trial {trial}"), &h, &p, Some(&state), 8);
            counts.push(p.groups().len());
        }
        // Fully commuting groups are coarser than qubit-wise ones, which are coarser than terms.
        assert!(counts[2] <= counts[1] && counts[1] <= counts[0], "trial {trial}: {counts:?}");
    }
}

#[test]
fn empty_and_constant_hamiltonians_need_no_groups() {
    let mut h = PauliSum::new(3);
    for grouping in [Grouping::PerTerm, Grouping::QubitWise, Grouping::FullyCommuting] {
        let empty = plan(&h, grouping).expect("plan");
        assert!(empty.groups().is_empty() && empty.constant() == 0.0);
    }
    h.add(PauliString::IDENTITY, -1.5);
    let constant = plan(&h, Grouping::FullyCommuting).expect("plan");
    assert!(constant.groups().is_empty());
    assert_eq!(expectation(&constant, &StateVector::zero(3)), -1.5);
    let shots = shots_for_precision(&group_variances(&constant, None), &[], Allocation::Uniform, 1e-3).expect("shots");
    assert_eq!(shots.total, 0);
}

/// Group counts of the references: (best OpenFermion or PennyLane qubit-wise, best PennyLane
/// fully commuting).
fn reference_counts(case: &Value) -> (usize, usize) {
    let counts = |v: &Value| -> Vec<usize> {
        match v {
            Value::Array(a) => a.iter().filter_map(Value::as_u64).map(|c| c as usize).collect(),
            Value::Object(o) => o.values().filter_map(Value::as_u64).map(|c| c as usize).collect(),
            _ => Vec::new(),
        }
    };
    let qwc = counts(&case["openfermion_qwc"]).into_iter().chain(counts(&case["pennylane"]["qwc"])).min();
    let fc = counts(&case["pennylane"]["commuting"]).into_iter().min();
    (qwc.expect("qubit-wise reference counts"), fc.expect("commuting reference counts"))
}

#[test]
fn molecular_hamiltonians_are_grouped_validly_and_as_tightly_as_the_references() {
    let mut rng = Stream(17);
    for (name, case) in golden() {
        let h = molecule(&case);
        assert!(h.terms.len() > 600, "{name}: {} terms", h.terms.len());
        let state = random_state(h.n_qubits, &mut rng);
        let (best_qwc, best_fc) = reference_counts(&case);
        let qwc = plan(&h, Grouping::QubitWise).expect("plan");
        check_plan(&name, &h, &qwc, Some(&state), 0);
        let fc = plan(&h, Grouping::FullyCommuting).expect("plan");
        check_plan(&name, &h, &fc, Some(&state), 0);
        let (ours_qwc, ours_fc) = (qwc.groups().len(), fc.groups().len());
        println!("{name}: qubit-wise {ours_qwc} (references ≥ {best_qwc}), fully commuting {ours_fc} (≥ {best_fc})");
        // Within 10% of the best reference count.
        assert!(10 * ours_qwc <= 11 * best_qwc, "{name}: {ours_qwc} qubit-wise groups, best reference {best_qwc}");
        assert!(10 * ours_fc <= 11 * best_fc, "{name}: {ours_fc} commuting groups, best reference {best_fc}");
        // The largest commuting group's circuit stays small: at most 2n² two-qubit gates.
        let n = h.n_qubits as usize;
        assert!(fc.groups().iter().all(|g| g.circuit().counts().two_qubit <= 2 * n * n), "{name}");
    }
}

#[test]
fn grouping_is_deterministic() {
    let case = &golden()["lih"];
    let h = molecule(case);
    for grouping in [Grouping::QubitWise, Grouping::FullyCommuting] {
        let a = plan(&h, grouping).expect("plan");
        let b = plan(&h, grouping).expect("plan");
        let terms = |p: &MeasurementPlan| p.groups().iter().map(|g| g.terms().to_vec()).collect::<Vec<_>>();
        assert_eq!(terms(&a), terms(&b));
        assert!(a.groups().iter().zip(b.groups()).all(|(x, y)| x.circuit() == y.circuit()));
    }
}

#[test]
fn shot_counts_on_water_follow_the_formulas_and_exceed_one_over_epsilon_squared() {
    let case = &golden()["h2o"];
    let h = molecule(case);
    // Hartree–Fock: the lowest n_electrons spin orbitals occupied.
    let hf = StateVector::basis(h.n_qubits, (1 << case["n_electrons"].as_u64().expect("n_electrons")) - 1);
    let epsilon = 1.6e-3;
    for grouping in [Grouping::QubitWise, Grouping::FullyCommuting] {
        let p = plan(&h, grouping).expect("plan");
        let groups = p.groups().len() as f64;
        for variances in [group_variances(&p, Some(&hf)), group_variances(&p, None)] {
            let weights = p.coefficient_weights();
            let total = |a| shots_for_precision(&variances, &weights, a, epsilon).expect("shots");
            let (uniform, weighted, optimal) =
                (total(Allocation::Uniform), total(Allocation::Weighted), total(Allocation::VarianceOptimal));
            let sum: f64 = variances.iter().sum();
            let root_sum: f64 = variances.iter().map(|v| v.sqrt()).sum();
            let exact_optimal = root_sum * root_sum / (epsilon * epsilon);
            let exact_weighted = weights.iter().sum::<f64>()
                * variances.iter().zip(&weights).map(|(v, w)| v / w).sum::<f64>()
                / (epsilon * epsilon);
            assert_eq!(uniform.total as f64, groups * (sum / (epsilon * epsilon)).ceil(), "{grouping:?}");
            for (plan, exact) in [(&optimal, exact_optimal), (&weighted, exact_weighted)] {
                let total = plan.total as f64;
                assert!(total >= exact * (1.0 - 1e-12) && total <= exact + groups, "{grouping:?}: {total} vs {exact}");
            }
            for plan in [&uniform, &weighted, &optimal] {
                assert!(plan.standard_error <= epsilon * (1.0 + 1e-12), "{grouping:?}");
                assert!(plan.total as f64 > 1.0 / (epsilon * epsilon), "{grouping:?}: {} shots", plan.total);
            }
            assert!(optimal.total <= uniform.total && optimal.total <= weighted.total, "{grouping:?}");
            // Spending the optimal total under each allocation reproduces the ordering of errors.
            let budget = |a| allocate_shots(&variances, &weights, a, optimal.total).expect("shots").standard_error;
            assert!(budget(Allocation::VarianceOptimal) <= budget(Allocation::Uniform) * (1.0 + 1e-12));
        }
    }
}

/// Draws an outcome from a cumulative distribution.
fn sample(cumulative: &[f64], rng: &mut Stream) -> u64 {
    let u = rng.uniform() * cumulative[cumulative.len() - 1];
    cumulative.partition_point(|&c| c <= u).min(cumulative.len() - 1) as u64
}

#[test]
fn sampled_estimates_scatter_as_the_standard_error_predicts() {
    // LiH (12 qubits) grouped fully commuting, in its Hartree–Fock determinant plus a random
    // admixture: products of X/Y terms are diagonal there, so the terms of a group covary strongly
    // and leaving the covariances out of Var_g would mispredict the scatter.
    let case = &golden()["lih"];
    let h = molecule(case);
    let mut rng = Stream(99);
    let noise = random_state(h.n_qubits, &mut rng);
    let mut amplitudes: Vec<Complex64> = noise.amplitudes().iter().map(|a| 0.5 * a).collect();
    amplitudes[(1 << case["n_electrons"].as_u64().expect("n_electrons")) - 1] += 1.0;
    let mut state = StateVector::from_amplitudes(amplitudes);
    state.normalize();
    let p = plan(&h, Grouping::FullyCommuting).expect("plan");
    let variances = group_variances(&p, Some(&state));
    let exact = expectation(&p, &state);
    // The covariance-free variances, Σ c_i² (1 − ⟨P_i⟩²), differ markedly.
    let independent: Vec<f64> = p
        .groups()
        .iter()
        .map(|g| g.terms().iter().map(|&(s, c)| c * c * (1.0 - pauli_expectation(s, &state).powi(2))).sum())
        .collect();
    let tables: Vec<(Vec<f64>, Vec<f64>)> = p
        .groups()
        .iter()
        .map(|g| {
            let cumulative = outcome_probabilities(g, &state)
                .iter()
                .scan(0.0, |acc, q| {
                    *acc += q;
                    Some(*acc)
                })
                .collect();
            let values = (0..1u64 << h.n_qubits).map(|b| g.eigenvalue(b)).collect();
            (cumulative, values)
        })
        .collect();
    let repetitions = 8000;
    for allocation in [Allocation::Uniform, Allocation::Weighted, Allocation::VarianceOptimal] {
        let shots = allocate_shots(&variances, &p.coefficient_weights(), allocation, 40 * p.groups().len() as u64)
            .expect("shots");
        let predicted = shots.standard_error;
        let naive = standard_error(&independent, &shots.per_group).expect("error");
        assert!((naive / predicted - 1.0).abs() > 0.1, "{allocation:?}: covariances barely matter here");
        let estimates: Vec<f64> = (0..repetitions)
            .map(|_| {
                let mut e = p.constant();
                for ((cumulative, values), &m) in tables.iter().zip(&shots.per_group) {
                    let sum: f64 = (0..m).map(|_| values[sample(cumulative, &mut rng) as usize]).sum();
                    e += sum / m as f64;
                }
                e
            })
            .collect();
        let mean = estimates.iter().sum::<f64>() / repetitions as f64;
        let spread = (estimates.iter().map(|e| (e - mean) * (e - mean)).sum::<f64>() / (repetitions - 1) as f64).sqrt();
        println!("{allocation:?}: predicted σ {predicted:.5}, sampled {spread:.5}, without covariances {naive:.5}");
        // The sample standard deviation of 8000 near-normal draws is within ~0.8% of σ (one
        // standard deviation; somewhat more for these skewed outcomes); allow 4%, well below the
        // 11% or more by which the covariance-free prediction is off.
        assert!((spread / predicted - 1.0).abs() < 0.04, "{allocation:?}: sampled {spread}, predicted {predicted}");
        assert!((mean - exact).abs() < 5.0 * predicted / (repetitions as f64).sqrt(), "{allocation:?}: mean {mean}");
    }
}

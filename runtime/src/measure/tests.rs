use num_complex::Complex64;

use super::colouring::{
    best_colouring, dsatur, first_fit, iterated_greedy, largest_first, recursive_largest_first, Colouring,
};
use super::diagonalise::{commuting_circuit, diagonal_images, qubit_wise_circuit};
use super::graph::{qubit_wise_commute, ConflictGraph};
use super::*;
use crate::circuit::Gate;
use crate::sim::StateVector;

/// A seeded pseudo-random stream (splitmix64), enough for test inputs.
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
}

fn p(text: &str) -> PauliString {
    text.split_whitespace().fold(PauliString::IDENTITY, |acc, factor| {
        let (letter, qubit) = factor.split_at(1);
        let single = PauliString::single(letter.chars().next().expect("letter"), qubit.parse().expect("qubit"));
        PauliString { x: acc.x | single.x, z: acc.z | single.z }
    })
}

fn edges(n: usize, list: &[(usize, usize)]) -> ConflictGraph {
    ConflictGraph::new(n, |i, j| list.contains(&(i, j)) || list.contains(&(j, i)))
}

fn cycle(n: usize) -> ConflictGraph {
    ConflictGraph::new(n, |i, j| j == i + 1 || (i == 0 && j == n - 1))
}

fn petersen() -> ConflictGraph {
    // Outer 5-cycle 0..5, inner pentagram 5..10, spokes i — i+5.
    let mut list = Vec::new();
    for i in 0..5 {
        list.push((i, (i + 1) % 5));
        list.push((5 + i, 5 + (i + 2) % 5));
        list.push((i, i + 5));
    }
    edges(10, &list)
}

/// The crown graph: K_{k,k} without a perfect matching. Bipartite, but first-fit in the order
/// a0 b0 a1 b1 … needs k colours.
fn crown(k: usize) -> ConflictGraph {
    ConflictGraph::new(2 * k, |i, j| (i % 2 != j % 2) && i / 2 != j / 2)
}

fn heuristics(graph: &ConflictGraph) -> Vec<(&'static str, Colouring)> {
    vec![
        ("largest first", largest_first(graph)),
        ("dsatur", dsatur(graph)),
        ("rlf", recursive_largest_first(graph)),
        ("best", best_colouring(graph)),
    ]
}

#[test]
fn qubit_wise_commutation_compares_letters_where_both_act() {
    assert!(qubit_wise_commute(p("X0 Z1"), p("X0 Z2")));
    assert!(qubit_wise_commute(p("Y3"), p("Z0 Y3")));
    assert!(!qubit_wise_commute(p("X0 X1"), p("Y0 Y1")), "XX and YY commute, but not qubit-wise");
    assert!(p("X0 X1").commutes_with(p("Y0 Y1")));
    assert!(qubit_wise_commute(PauliString::IDENTITY, p("X0 Y1 Z2")));
}

#[test]
fn heuristics_colour_known_graphs_properly_and_optimally_where_easy() {
    // (graph, chromatic number)
    let cases = [
        ("empty 5", ConflictGraph::new(5, |_, _| false), 1),
        ("K6", ConflictGraph::new(6, |_, _| true), 6),
        ("C6", cycle(6), 2),
        ("C7", cycle(7), 3),
        ("Petersen", petersen(), 3),
        ("crown 6", crown(6), 2),
    ];
    for (name, graph, chromatic) in cases {
        for (heuristic, colouring) in heuristics(&graph) {
            assert!(colouring.is_proper(&graph), "{name}: {heuristic} is not proper");
            assert!(colouring.n_colours() >= chromatic, "{name}: {heuristic} beats the chromatic number");
            if heuristic == "best" || heuristic == "dsatur" {
                // DSATUR is exact on bipartite graphs and cycles; these small cases are easy.
                assert_eq!(colouring.n_colours(), chromatic, "{name}: {heuristic}");
            }
        }
    }
    let crown_order: Vec<usize> = (0..12).collect();
    assert_eq!(first_fit(&crown(6), &crown_order).n_colours(), 6, "the crown graph defeats plain first-fit");
    assert_eq!(first_fit(&ConflictGraph::new(0, |_, _| false), &[]).n_colours(), 0);
    assert_eq!(best_colouring(&ConflictGraph::new(0, |_, _| false)).n_colours(), 0);
}

#[test]
fn heuristics_are_proper_on_random_graphs_and_iterated_greedy_never_hurts() {
    let mut rng = Stream(7);
    for trial in 0..40 {
        let n = 1 + rng.below(90) as usize;
        let density = 1 + rng.below(9);
        let graph = ConflictGraph::new(n, |_, _| rng.below(10) < density);
        for (heuristic, colouring) in heuristics(&graph) {
            assert!(colouring.is_proper(&graph), "trial {trial}: {heuristic}");
            let improved = iterated_greedy(&graph, &colouring, 20);
            assert!(improved.is_proper(&graph), "trial {trial}: iterated greedy after {heuristic}");
            assert!(improved.n_colours() <= colouring.n_colours(), "trial {trial}: {heuristic}");
        }
        // Colours are numbered in order of their lowest vertex.
        let classes = best_colouring(&graph).classes();
        assert!(classes.windows(2).all(|w| w[0][0] < w[1][0]), "trial {trial}");
    }
}

/// Checks `U P U† = (d / c) · Z` for the term `(P, c)` and its image `(Z, d)` by applying both
/// sides to every basis state.
fn assert_diagonalised(circuit: &LogicalCircuit, (term, c): (PauliString, f64), image: (PauliString, f64)) {
    let sign = image.1 / c;
    let n = circuit.n_qubits();
    let inverse = circuit.inverse();
    for b in 0..1u64 << n {
        let mut state = StateVector::basis(n, b);
        inverse.apply(&[], &mut state);
        state.apply_pauli(term);
        circuit.apply(&[], &mut state);
        let parity = if (image.0.z & b).count_ones() % 2 == 1 { -1.0 } else { 1.0 };
        let expected = StateVector::basis(n, b);
        let overlap = expected.inner(&state);
        assert!(
            (overlap - Complex64::new(parity * sign, 0.0)).norm() < 1e-12,
            "{term}: ⟨{b}|U P U†|{b}⟩ = {overlap}, want {} for {}",
            parity * sign,
            image.0
        );
    }
}

#[test]
fn qubit_wise_circuits_rotate_x_and_y_to_z() {
    let terms = [(p("X0 Y1"), 1.0), (p("X0 Z2"), 1.0), (p("Y1 Z2"), 1.0), (p("Z2"), 1.0)];
    let strings: Vec<PauliString> = terms.iter().map(|t| t.0).collect();
    let circuit = qubit_wise_circuit(3, &strings);
    assert_eq!(circuit.gates(), &[Gate::H(0), Gate::Sdg(1), Gate::H(1)]);
    for (&term, image) in terms.iter().zip(diagonal_images(&circuit, &terms)) {
        assert_diagonalised(&circuit, term, image);
    }
}

/// A random Clifford circuit of `gates` gates.
fn random_clifford(n: u32, gates: usize, rng: &mut Stream) -> LogicalCircuit {
    let mut circuit = LogicalCircuit::new(n, 0);
    for _ in 0..gates {
        let q = rng.below(u64::from(n)) as u32;
        match rng.below(if n > 1 { 4 } else { 2 }) {
            0 => circuit.push(Gate::H(q)),
            1 => circuit.push(Gate::S(q)),
            other => {
                let r = (q + 1 + rng.below(u64::from(n) - 1) as u32) % n;
                circuit.push(if other == 2 { Gate::Cnot { control: q, target: r } } else { Gate::Cz(q, r) });
            }
        }
    }
    circuit
}

#[test]
fn commuting_circuits_diagonalise_random_stabiliser_sets() {
    // Conjugating Z-only strings by a random Clifford gives commuting sets of every rank, with
    // dependent members, identities on some qubits and no qubit-wise structure.
    let mut rng = Stream(11);
    for trial in 0..60 {
        let n = 1 + rng.below(6) as u32;
        let scramble = random_clifford(n, 4 + 4 * n as usize, &mut rng);
        let rank = 1 + rng.below(u64::from(n)) as u32;
        let size = 1 + rng.below(12) as usize;
        let mut terms = Vec::new();
        for k in 0..size {
            let z = rng.next() & ((1 << rank) - 1);
            if z == 0 {
                continue;
            }
            let (_, s) = scramble.conjugate_pauli(PauliString { x: 0, z }).expect("Clifford");
            terms.push((s, 1.0 + k as f64));
        }
        let strings: Vec<PauliString> = terms.iter().map(|t| t.0).collect();
        let circuit = commuting_circuit(n, &strings);
        let counts = circuit.counts();
        let k = u64::from(rank);
        let bound = (k * (u64::from(n) - k) + k * (k - 1) / 2 + k * (u64::from(n) - k)) as usize;
        assert!(counts.two_qubit <= bound, "trial {trial}: {} two-qubit gates", counts.two_qubit);
        for (&(term, c), image) in terms.iter().zip(diagonal_images(&circuit, &terms)) {
            assert_eq!(image.0.x, 0, "trial {trial}: {term}");
            assert_diagonalised(&circuit, (term, c), image);
        }
    }
}

#[test]
fn full_stabiliser_groups_of_six_qubits_are_diagonalised() {
    // All 64 elements of a maximal commuting group: rank n, the hardest case for step 2.
    let mut rng = Stream(5);
    for trial in 0..5 {
        let scramble = random_clifford(6, 40, &mut rng);
        let terms: Vec<(PauliString, f64)> =
            (1..64u64).map(|z| (scramble.conjugate_pauli(PauliString { x: 0, z }).expect("Clifford").1, 0.5)).collect();
        let strings: Vec<PauliString> = terms.iter().map(|t| t.0).collect();
        let circuit = commuting_circuit(6, &strings);
        for (&(term, _), image) in terms.iter().zip(diagonal_images(&circuit, &terms)) {
            assert_eq!(image.0.x, 0, "trial {trial}: {term}");
        }
        for &(term, c) in terms.iter().step_by(9) {
            let image = diagonal_images(&circuit, &[(term, c)])[0];
            assert_diagonalised(&circuit, (term, c), image);
        }
    }
}

#[test]
#[should_panic(expected = "do not commute")]
fn a_non_commuting_set_is_a_programming_error() {
    commuting_circuit(2, &[p("X0"), p("Z0")]);
}

#[test]
fn plans_refuse_terms_outside_the_register_and_non_finite_coefficients() {
    let mut h = PauliSum::new(2);
    h.add(p("X0 Z2"), 1.0);
    assert_eq!(
        plan(&h, Grouping::QubitWise).map(|_| ()),
        Err(PlanError::TermOutsideRegister { term: "X0 Z2".into(), n_qubits: 2 })
    );
    let mut h = PauliSum::new(2);
    h.add(p("X0"), f64::NAN);
    assert_eq!(
        plan(&h, Grouping::FullyCommuting).map(|_| ()),
        Err(PlanError::NonFiniteCoefficient { term: "X0".into() })
    );
}

#[test]
fn a_small_plan_groups_and_signs_as_worked_by_hand() {
    // H = 0.5 + X0 X1 + Y0 Y1 + Z0 Z1: the three commute pairwise but not qubit-wise.
    let mut h = PauliSum::new(2);
    for (s, c) in [("", 0.5), ("X0 X1", 1.0), ("Y0 Y1", 1.0), ("Z0 Z1", 1.0)] {
        h.add(p(s), c);
    }
    let qwc = plan(&h, Grouping::QubitWise).expect("plan");
    assert_eq!(qwc.constant(), 0.5);
    assert_eq!(qwc.groups().len(), 3);
    let fc = plan(&h, Grouping::FullyCommuting).expect("plan");
    assert_eq!(fc.groups().len(), 1);
    let per_term = plan(&h, Grouping::PerTerm).expect("plan");
    assert_eq!(per_term.groups().len(), 3);
    // The Bell basis diagonalises XX, YY, ZZ. XX·YY = −ZZ, so the images are the Z strings of
    // two generators and their product, with signs whose product is −1.
    let group = &fc.groups()[0];
    assert_eq!(group.terms().len(), 3);
    let images = group.diagonal();
    assert_eq!(images[2].0, PauliString { x: 0, z: images[0].0.z ^ images[1].0.z });
    assert_eq!(images[0].1 * images[1].1 * images[2].1, -1.0);
    // XX + YY + ZZ is 1 on the triplet and −3 on the singlet; |q1 q0⟩ = |01⟩ is half of each:
    // ⟨XX + YY + ZZ⟩ = −1 with variance 4. Measured apart, XX and YY have variance 1 each and ZZ
    // none: the covariance ⟨XX·YY⟩ − ⟨XX⟩⟨YY⟩ = ⟨−ZZ⟩ = 1 makes up the rest (4 = 1 + 1 + 2·1).
    let state = StateVector::basis(2, 0b01);
    for plan in [&qwc, &fc, &per_term] {
        assert!((expectation(plan, &state) + 0.5).abs() < 1e-14);
    }
    let variances = group_variances(&fc, Some(&state));
    assert!((variances[0] - 4.0).abs() < 1e-14, "{variances:?}");
    let separate = group_variances(&qwc, Some(&state));
    for (got, want) in separate.iter().zip([1.0, 1.0, 0.0]) {
        assert!((got - want).abs() < 1e-14, "{separate:?}");
    }
    assert_eq!(group_variances(&fc, None), vec![9.0]);
    assert_eq!(fc.coefficient_weights(), vec![3.0]);
}

#[test]
fn shot_counts_match_hand_computed_values() {
    let variances = [4.0, 1.0];
    let plan = |allocation, weights: &[f64]| shots_for_precision(&variances, weights, allocation, 0.1).expect("shots");
    // Uniform: Σ Var / ε² = 500 per group.
    let uniform = plan(Allocation::Uniform, &[]);
    assert_eq!((uniform.per_group.clone(), uniform.total), (vec![500, 500], 1000));
    assert!((uniform.standard_error - 0.1).abs() < 1e-15);
    // Optimal: m_g = sqrt(Var_g) (2 + 1) / ε²: 600 and 300, M = (Σ sqrt Var)² / ε² = 900.
    let optimal = plan(Allocation::VarianceOptimal, &[]);
    assert_eq!((optimal.per_group.clone(), optimal.total), (vec![600, 300], 900));
    assert!((optimal.standard_error - 0.1).abs() < 1e-15);
    // Weighted by (3, 1): Σ Var/w = 4/3 + 1 = 7/3; m = (3, 1) · (7/3) / ε² = 700, 233.3 → 234.
    let weighted = plan(Allocation::Weighted, &[3.0, 1.0]);
    assert_eq!((weighted.per_group.clone(), weighted.total), (vec![700, 234], 934));
    assert!(weighted.standard_error <= 0.1);
    // Equal weights reproduce the uniform allocation.
    assert_eq!(plan(Allocation::Weighted, &[2.0, 2.0]).per_group, vec![500, 500]);
    // One group of unit variance: the textbook 1/ε².
    let single = shots_for_precision(&[1.0], &[1.0], Allocation::Uniform, 1e-3).expect("shots");
    assert_eq!(single.total, 1_000_000);
    // Zero-variance groups still get one shot; no groups need nothing.
    let zero = shots_for_precision(&[0.0, 1.0], &[], Allocation::VarianceOptimal, 0.5).expect("shots");
    assert_eq!(zero.per_group, vec![1, 4]);
    let none = shots_for_precision(&[], &[], Allocation::Uniform, 0.5).expect("shots");
    assert_eq!((none.total, none.standard_error), (0, 0.0));
}

#[test]
fn budgets_are_spread_exactly_and_reach_the_matching_error() {
    let variances = [4.0, 1.0];
    let optimal = allocate_shots(&variances, &[], Allocation::VarianceOptimal, 900).expect("shots");
    assert_eq!(optimal.per_group, vec![600, 300]);
    assert!((optimal.standard_error - 0.1).abs() < 1e-15);
    let uniform = allocate_shots(&variances, &[], Allocation::Uniform, 1001).expect("shots");
    assert_eq!(uniform.per_group, vec![501, 500]);
    assert_eq!(standard_error(&[4.0, 1.0], &[500, 500]), Ok(0.1));
    // Tiny shares are raised to one shot and the excess taken from the largest surplus.
    let skewed = allocate_shots(&[1e-12, 1e-12, 100.0], &[], Allocation::VarianceOptimal, 10).expect("shots");
    assert_eq!((skewed.per_group.clone(), skewed.total), (vec![1, 1, 8], 10));
    let flat = allocate_shots(&[0.0, 0.0, 0.0], &[], Allocation::VarianceOptimal, 7).expect("shots");
    assert_eq!(flat.per_group.iter().sum::<u64>(), 7);
    let mut rng = Stream(3);
    for _ in 0..50 {
        let groups = 1 + rng.below(20) as usize;
        let variances: Vec<f64> = (0..groups).map(|_| rng.below(1000) as f64 / 100.0).collect();
        let weights: Vec<f64> = (0..groups).map(|_| 0.1 + rng.below(100) as f64).collect();
        let total = groups as u64 + rng.below(5000);
        for allocation in [Allocation::Uniform, Allocation::Weighted, Allocation::VarianceOptimal] {
            let plan = allocate_shots(&variances, &weights, allocation, total).expect("shots");
            assert_eq!(plan.per_group.iter().sum::<u64>(), total);
            assert!(plan.per_group.iter().all(|&m| m >= 1));
        }
    }
}

#[test]
fn invalid_shot_inputs_are_typed_errors() {
    for precision in [0.0, -1e-3, f64::NAN, f64::INFINITY] {
        let result = shots_for_precision(&[1.0], &[1.0], Allocation::Uniform, precision).map(|_| ());
        assert!(matches!(result, Err(ShotError::InvalidPrecision(_))), "{precision}");
    }
    assert_eq!(
        shots_for_precision(&[1.0, -1.0], &[], Allocation::Uniform, 0.1),
        Err(ShotError::InvalidVariance { group: 1, value: -1.0 })
    );
    assert!(matches!(
        shots_for_precision(&[f64::NAN], &[], Allocation::VarianceOptimal, 0.1),
        Err(ShotError::InvalidVariance { group: 0, .. })
    ));
    assert_eq!(
        shots_for_precision(&[1.0, 1.0], &[1.0], Allocation::Weighted, 0.1),
        Err(ShotError::LengthMismatch { groups: 2, other: 1 })
    );
    assert_eq!(
        shots_for_precision(&[1.0, 1.0], &[1.0, 0.0], Allocation::Weighted, 0.1),
        Err(ShotError::ZeroWeight { group: 1 })
    );
    assert_eq!(
        shots_for_precision(&[1.0], &[f64::INFINITY], Allocation::Weighted, 0.1),
        Err(ShotError::InvalidWeight { group: 0, value: f64::INFINITY })
    );
    assert_eq!(shots_for_precision(&[1e6], &[], Allocation::Uniform, 1e-12), Err(ShotError::TooManyShots));
    assert_eq!(shots_for_precision(&[1.0], &[], Allocation::Uniform, 1e-300), Err(ShotError::TooManyShots));
    let exact = shots_for_precision(&[0.0], &[], Allocation::VarianceOptimal, 1e-300).expect("zero variance");
    assert_eq!(exact.per_group, vec![1], "a zero-variance group needs one shot at any precision");
    assert_eq!(
        allocate_shots(&[1.0, 1.0, 1.0], &[], Allocation::Uniform, 2),
        Err(ShotError::TooFewShots { total: 2, groups: 3 })
    );
    assert_eq!(standard_error(&[1.0, 1.0], &[3, 0]), Err(ShotError::UnmeasuredGroup { group: 1 }));
    assert_eq!(standard_error(&[1.0], &[3, 3]), Err(ShotError::LengthMismatch { groups: 1, other: 2 }));
}

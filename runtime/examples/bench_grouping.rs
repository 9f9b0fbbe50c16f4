//! Times measurement grouping and reports group counts, circuit sizes and shot counts.
//!
//! ```text
//! cargo run --release -p qdf-runtime --example bench_grouping [golden.json]
//! cargo run --release -p qdf-runtime --example bench_grouping --random TERMS QUBITS [seed]
//! ```
//!
//! With a golden file (default `runtime/tests/golden/measure/measure_golden.json`, written by
//! `make_golden.py` beside it) every molecule's Hamiltonian is grouped qubit-wise and fully
//! commuting: the conflict graph's build time, each heuristic's colours and time, `plan`'s total
//! time, the diagonalising circuits' two-qubit gates and depth, and the shots needed for chemical
//! accuracy (1.6 mHa) from the variance bound and from the Hartree–Fock state (up to 20 qubits),
//! next to the naive `1/ε²`. With `--random`, the same timings for TERMS random strings on QUBITS qubits.

use std::process::ExitCode;
use std::time::Instant;

use qdf_runtime::measure::colouring::{
    best_colouring, dsatur, iterated_greedy, iterated_greedy_rounds, largest_first, recursive_largest_first, Colouring,
};
use qdf_runtime::measure::graph::ConflictGraph;
use qdf_runtime::measure::{group_variances, plan, shots_for_precision, Allocation, Grouping, MeasurementPlan};
use qdf_runtime::qubit::{PauliString, PauliSum};
use qdf_runtime::sim::StateVector;
use serde_json::Value;

const DEFAULT_GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/measure/measure_golden.json");
const CHEMICAL_ACCURACY: f64 = 1.6e-3;
const SHOT_TABLE_MAX_QUBITS: u32 = 20;

type Heuristic = fn(&ConflictGraph) -> Colouring;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--random") {
        let number = |i: usize| args.get(i).and_then(|a| a.parse::<u64>().ok());
        let (Some(terms), Some(qubits)) = (number(1), number(2)) else {
            eprintln!("usage: bench_grouping --random TERMS QUBITS [seed]");
            return ExitCode::FAILURE;
        };
        let h = random_hamiltonian(terms as usize, qubits.min(64) as u32, number(3).unwrap_or(1));
        println!("random: {} terms on {} qubits", h.terms.len(), h.n_qubits);
        time_groupings(&h);
        return ExitCode::SUCCESS;
    }
    let path = args.first().map_or(DEFAULT_GOLDEN, String::as_str);
    let golden: Value = match std::fs::read_to_string(path).map(|t| serde_json::from_str(&t)) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let Some(molecules) = golden.as_object() else {
        eprintln!("{path}: not a JSON object");
        return ExitCode::FAILURE;
    };
    for (name, case) in molecules {
        let Some(h) = hamiltonian(case) else {
            eprintln!("{name}: malformed terms");
            return ExitCode::FAILURE;
        };
        println!("{name}: {} qubits, {} terms", h.n_qubits, h.terms.len());
        println!("  references: openfermion qwc {}, pennylane {}", case["openfermion_qwc"], case["pennylane"]);
        time_groupings(&h);
        shot_table(&h, case["n_electrons"].as_u64().unwrap_or(0) as u32);
    }
    ExitCode::SUCCESS
}

fn hamiltonian(case: &Value) -> Option<PauliSum> {
    let mut h = PauliSum::new(case["n_qubits"].as_u64()? as u32);
    for term in case["terms"].as_array()? {
        h.add(parse_pauli(term[0].as_str()?)?, term[1].as_f64()?);
    }
    Some(h)
}

/// "X0 Y1 Z3" (OpenFermion's printing; "" is the identity).
fn parse_pauli(text: &str) -> Option<PauliString> {
    let mut s = PauliString::IDENTITY;
    for factor in text.split_whitespace() {
        let (letter, qubit) = factor.split_at(1);
        let qubit: u32 = qubit.parse().ok().filter(|&q| q < 64)?;
        let bit = 1u64 << qubit;
        match letter {
            "X" => s.x |= bit,
            "Y" => (s.x, s.z) = (s.x | bit, s.z | bit),
            "Z" => s.z |= bit,
            _ => return None,
        }
    }
    Some(s)
}

fn random_hamiltonian(terms: usize, n_qubits: u32, seed: u64) -> PauliSum {
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mask = if n_qubits == 64 { u64::MAX } else { (1u64 << n_qubits) - 1 };
    let mut h = PauliSum::new(n_qubits);
    for _ in 0..terms {
        let string = PauliString { x: next() & mask, z: next() & mask };
        h.add(string, (next() >> 11) as f64 / (1u64 << 53) as f64 - 0.5);
    }
    h.simplify(0.0);
    h
}

fn seconds(start: Instant) -> String {
    format!("{:.3} s", start.elapsed().as_secs_f64())
}

fn time_groupings(h: &PauliSum) {
    let strings: Vec<PauliString> = h.terms.iter().map(|&(s, _)| s).filter(|&s| s != PauliString::IDENTITY).collect();
    for (label, qubit_wise, grouping) in
        [("qubit-wise", true, Grouping::QubitWise), ("fully commuting", false, Grouping::FullyCommuting)]
    {
        let start = Instant::now();
        let graph = ConflictGraph::for_strings(&strings, qubit_wise);
        println!("  {label}: conflict graph {}", seconds(start));
        let heuristics: [(&str, Heuristic); 3] =
            [("largest first", largest_first), ("dsatur", dsatur), ("rlf", recursive_largest_first)];
        for (name, heuristic) in heuristics {
            let start = Instant::now();
            let colouring = heuristic(&graph);
            let plain = seconds(start);
            let start = Instant::now();
            let rounds = iterated_greedy_rounds(&graph, colouring.n_colours());
            let improved = iterated_greedy(&graph, &colouring, rounds);
            println!(
                "    {name:<14} {:>5} colours ({plain}), {rounds:>3} rounds of iterated greedy {:>5} ({})",
                colouring.n_colours(),
                improved.n_colours(),
                seconds(start)
            );
        }
        let start = Instant::now();
        let best = best_colouring(&graph);
        println!("    best_colouring {:>5} colours ({})", best.n_colours(), seconds(start));
        let start = Instant::now();
        match plan(h, grouping) {
            Ok(p) => {
                let elapsed = seconds(start);
                let two_qubit: Vec<usize> = p.groups().iter().map(|g| g.circuit().counts().two_qubit).collect();
                let depth: Vec<usize> = p.groups().iter().map(|g| g.circuit().depth()).collect();
                println!(
                    "    plan: {} groups in {elapsed}; circuits: two-qubit gates max {} mean {:.1}, depth max {}",
                    p.groups().len(),
                    two_qubit.iter().max().unwrap_or(&0),
                    two_qubit.iter().sum::<usize>() as f64 / two_qubit.len().max(1) as f64,
                    depth.iter().max().unwrap_or(&0)
                );
            }
            Err(e) => println!("    plan failed: {e}"),
        }
    }
}

/// Shots for chemical accuracy under each grouping and allocation, from the variance bound and in
/// the Hartree–Fock determinant (the lowest `n_electrons` spin orbitals occupied). Skipped above
/// [`SHOT_TABLE_MAX_QUBITS`] (the variances need the state vector).
fn shot_table(h: &PauliSum, n_electrons: u32) {
    if h.n_qubits > SHOT_TABLE_MAX_QUBITS || n_electrons > h.n_qubits {
        return;
    }
    let hf = StateVector::basis(h.n_qubits, (1u64 << n_electrons) - 1);
    println!("  shots for ε = {CHEMICAL_ACCURACY} Ha (naive 1/ε² = {:.3e}):", 1.0 / CHEMICAL_ACCURACY.powi(2));
    for grouping in [Grouping::PerTerm, Grouping::QubitWise, Grouping::FullyCommuting] {
        let Ok(p) = plan(h, grouping) else { continue };
        for (label, state) in [("bound", None), ("HF state", Some(&hf))] {
            let variances = group_variances(&p, state);
            let row: Vec<String> = [Allocation::Uniform, Allocation::Weighted, Allocation::VarianceOptimal]
                .into_iter()
                .map(|a| total_shots(&p, &variances, a))
                .collect();
            println!(
                "    {grouping:?} ({} groups), {label}: uniform {}, weighted {}, optimal {}",
                p.groups().len(),
                row[0],
                row[1],
                row[2]
            );
        }
    }
}

fn total_shots(p: &MeasurementPlan, variances: &[f64], allocation: Allocation) -> String {
    match shots_for_precision(variances, &p.coefficient_weights(), allocation, CHEMICAL_ACCURACY) {
        Ok(shots) => format!("{:.3e}", shots.total as f64),
        Err(e) => e.to_string(),
    }
}

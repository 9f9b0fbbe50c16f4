use super::*;

/// A seeded pseudo-random stream (xorshift), enough for test inputs.
struct Stream(u64);

impl Stream {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
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

fn random_string(n: u32, rng: &mut Stream) -> PauliString {
    let mask = (1u64 << n) - 1;
    PauliString { x: rng.next() & mask, z: rng.next() & mask }
}

fn max_difference(a: &StateVector, b: &StateVector) -> f64 {
    a.amplitudes().iter().zip(b.amplitudes()).map(|(u, v)| (u - v).norm()).fold(0.0, f64::max)
}

fn random_gate(n: u32, rng: &mut Stream, clifford: bool) -> Gate {
    let q = rng.below(u64::from(n)) as u32;
    let r = (q + 1 + rng.below(u64::from(n) - 1) as u32) % n;
    let angle = if clifford {
        Angle::Fixed(std::f64::consts::FRAC_PI_2 * rng.below(4) as f64)
    } else {
        Angle::Fixed(6.0 * rng.uniform() - 3.0)
    };
    match rng.below(9) {
        0 => Gate::H(q),
        1 => Gate::S(q),
        2 => Gate::Sdg(q),
        3 => Gate::X(q),
        4 => Gate::Rx(q, angle),
        5 => Gate::Ry(q, angle),
        6 => Gate::Rz(q, angle),
        7 => Gate::Cnot { control: q, target: r },
        _ => Gate::Cz(q, r),
    }
}

#[test]
fn single_gates_have_their_textbook_matrices() {
    let c = |re: f64, im: f64| Complex64::new(re, im);
    let h = std::f64::consts::FRAC_1_SQRT_2;
    let matrix = |gate: Gate, n: u32| {
        let mut circuit = LogicalCircuit::new(n, 0);
        circuit.push(gate);
        circuit.unitary(&[])
    };
    assert_eq!(matrix(Gate::S(0), 1), vec![c(1.0, 0.0), c(0.0, 0.0), c(0.0, 0.0), c(0.0, 1.0)]);
    let hadamard = matrix(Gate::H(0), 1);
    for (got, want) in hadamard.iter().zip([h, h, h, -h]) {
        assert!((got - c(want, 0.0)).norm() < 1e-15);
    }
    // CNOT with control qubit 0 (least significant) and target qubit 1: |01⟩ ↔ |11⟩ in (q1 q0).
    let cnot = matrix(Gate::Cnot { control: 0, target: 1 }, 2);
    let expected = [[1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0], [0, 1, 0, 0]];
    for (row, want) in expected.iter().enumerate() {
        for (column, &w) in want.iter().enumerate() {
            assert_eq!(cnot[row * 4 + column], c(f64::from(w), 0.0), "CNOT[{row}][{column}]");
        }
    }
    let ry = matrix(Gate::Ry(0, Angle::Fixed(0.6)), 1);
    let (s, co) = 0.3f64.sin_cos();
    for (got, want) in ry.iter().zip([co, -s, s, co]) {
        assert!((got - c(want, 0.0)).norm() < 1e-15, "RY(0.6) = [[cos, −sin], [sin, cos]] of 0.3");
    }
}

#[test]
fn lowered_pauli_rotations_equal_the_exponential() {
    let mut rng = Stream(0x9e37_79b9_7f4a_7c15);
    for _ in 0..200 {
        let n = 1 + rng.below(5) as u32;
        let string = random_string(n, &mut rng);
        if string == PauliString::IDENTITY {
            // A global phase: the circuit adds nothing.
            continue;
        }
        let theta = 4.0 * rng.uniform() - 2.0;
        let mut circuit = LogicalCircuit::new(n, 1);
        circuit.push_pauli_rotation(string, Angle::Parameter { index: 0, weight: 0.5 });
        let weight = string.weight() as usize;
        assert_eq!(circuit.counts().two_qubit, 2 * weight.saturating_sub(1), "{string}");
        let start = random_state(n, &mut rng);
        let mut want = start.clone();
        want.apply_pauli_rotation(string, 0.5 * theta);
        let mut got = start;
        circuit.apply(&[theta], &mut got);
        assert!(max_difference(&got, &want) < 1e-12, "exp(−iθ/4 · {string})");
    }
}

#[test]
fn inverse_undoes_the_circuit() {
    let mut rng = Stream(42);
    let n = 4;
    let mut circuit = LogicalCircuit::new(n, 0);
    for _ in 0..60 {
        circuit.push(random_gate(n, &mut rng, false));
    }
    let start = random_state(n, &mut rng);
    let mut state = start.clone();
    circuit.apply(&[], &mut state);
    circuit.inverse().apply(&[], &mut state);
    assert!(max_difference(&state, &start) < 1e-12);
}

#[test]
fn clifford_conjugation_agrees_with_dense_simulation() {
    let mut rng = Stream(7);
    for _ in 0..100 {
        let n = 1 + rng.below(4) as u32;
        let n = n.max(2);
        let mut circuit = LogicalCircuit::new(n, 0);
        for _ in 0..rng.below(25) {
            circuit.push(random_gate(n, &mut rng, true));
        }
        let p = random_string(n, &mut rng);
        let (negative, q) = circuit.conjugate_pauli(p).expect("all gates are Clifford");
        // U P U† |ψ⟩ = ±Q |ψ⟩ for a random |ψ⟩.
        let psi = random_state(n, &mut rng);
        let mut lhs = psi.clone();
        circuit.inverse().apply(&[], &mut lhs);
        lhs.apply_pauli(p);
        circuit.apply(&[], &mut lhs);
        let mut rhs = psi;
        rhs.apply_pauli(q);
        if negative {
            rhs.amplitudes_mut().iter_mut().for_each(|u| *u = -*u);
        }
        assert!(
            max_difference(&lhs, &rhs) < 1e-12,
            "U {p} U† = {}{q} for {:?}",
            if negative { "-" } else { "" },
            circuit
        );
    }
}

#[test]
fn conjugation_refuses_non_clifford_rotations() {
    let mut circuit = LogicalCircuit::new(1, 1);
    circuit.push(Gate::Rz(0, Angle::Fixed(0.3)));
    assert_eq!(circuit.conjugate_pauli(PauliString::single('X', 0)), None);
    let mut circuit = LogicalCircuit::new(1, 1);
    circuit.push(Gate::Rz(0, Angle::Parameter { index: 0, weight: 1.0 }));
    assert_eq!(circuit.conjugate_pauli(PauliString::single('X', 0)), None);
}

#[test]
fn depth_counts_layers_of_parallel_gates() {
    let mut circuit = LogicalCircuit::new(4, 0);
    circuit.push(Gate::H(0));
    circuit.push(Gate::H(1));
    circuit.push(Gate::H(2));
    assert_eq!(circuit.depth(), 1);
    circuit.push(Gate::Cnot { control: 0, target: 1 });
    circuit.push(Gate::Cnot { control: 2, target: 3 });
    assert_eq!(circuit.depth(), 2);
    circuit.push(Gate::Cz(1, 2));
    assert_eq!(circuit.depth(), 3);
    assert_eq!(circuit.counts(), GateCounts { one_qubit: 3, two_qubit: 3 });
}

//! Trapped-ion lowering: native gate matrices against qiskit-ionq's (golden/native), and every
//! lowered circuit against its logical circuit's unitary, up to a global phase, for random
//! circuits and every ansatz family on every target.

use ndarray::{Array2, Array4};
use num_complex::Complex64;
use qdf_compiler::hir::{AnsatzKind, AnsatzOptions, MappingKind};
use qdf_runtime::circuit::{Angle, Gate, LogicalCircuit};
use qdf_runtime::native::{self, GateMatrix, NativeCircuit, NativeGate, Target};
use qdf_runtime::qubit::{PauliString, QubitSpace};
use qdf_runtime::sim::ansatz;

mod support;
use support::SplitMix as Rng;

const TARGETS: [Target; 3] = [Target::IonqMs, Target::IonqZz, Target::Quantinuum];

/// The dense unitary of the native gates followed by the final frames (row-major).
fn native_unitary(circuit: &NativeCircuit) -> Vec<Complex64> {
    let dim = 1usize << circuit.n_qubits;
    let mut u = vec![Complex64::new(0.0, 0.0); dim * dim];
    for column in 0..dim {
        let mut state = vec![Complex64::new(0.0, 0.0); dim];
        state[column] = Complex64::new(1.0, 0.0);
        let mut gates: Vec<GateMatrix> = circuit.gates.iter().map(NativeGate::matrix).collect();
        for (q, &f) in circuit.frames.iter().enumerate() {
            let rz = [
                [Complex64::from_polar(1.0, -f / 2.0), Complex64::new(0.0, 0.0)],
                [Complex64::new(0.0, 0.0), Complex64::from_polar(1.0, f / 2.0)],
            ];
            gates.push(GateMatrix::One(q as u32, rz));
        }
        for gate in gates {
            apply(&mut state, &gate);
        }
        for (row, amplitude) in state.into_iter().enumerate() {
            u[row * dim + column] = amplitude;
        }
    }
    u
}

fn apply(state: &mut [Complex64], gate: &GateMatrix) {
    match gate {
        GateMatrix::One(q, m) => {
            let bit = 1usize << q;
            for b in (0..state.len()).filter(|b| b & bit == 0) {
                let (x, y) = (state[b], state[b | bit]);
                state[b] = m[0][0] * x + m[0][1] * y;
                state[b | bit] = m[1][0] * x + m[1][1] * y;
            }
        }
        GateMatrix::Two([q0, q1], m) => {
            let (b0, b1) = (1usize << q0, 1usize << q1);
            for b in (0..state.len()).filter(|b| b & (b0 | b1) == 0) {
                let idx = [b, b | b0, b | b1, b | b0 | b1];
                let old = idx.map(|i| state[i]);
                for (r, &i) in idx.iter().enumerate() {
                    state[i] = (0..4).map(|c| m[r][c] * old[c]).sum();
                }
            }
        }
    }
}

/// Largest entry difference after removing the best global phase.
fn phase_distance(a: &[Complex64], b: &[Complex64]) -> f64 {
    let inner: Complex64 = a.iter().zip(b).map(|(x, y)| y.conj() * x).sum();
    let phase = inner / inner.norm();
    a.iter().zip(b).map(|(x, y)| (x - phase * y).norm()).fold(0.0, f64::max)
}

fn check_equivalent(circuit: &LogicalCircuit, params: &[f64], what: &str) -> Vec<NativeCircuit> {
    let logical = circuit.unitary(params);
    TARGETS
        .iter()
        .map(|&target| {
            let native = native::compile(circuit, params, target);
            let distance = phase_distance(&native_unitary(&native), &logical);
            assert!(distance < 1e-9, "{what} on {target:?}: distance {distance:e}");
            check_ranges(&native);
            native
        })
        .collect()
}

fn check_ranges(native: &NativeCircuit) {
    let turn = |x: f64| (0.0..1.0).contains(&x);
    for gate in &native.gates {
        let ok = match *gate {
            NativeGate::Gpi { phase, .. } | NativeGate::Gpi2 { phase, .. } => turn(phase),
            NativeGate::Ms { phases, angle, .. } => turn(phases[0]) && turn(phases[1]) && angle > 0.0 && angle <= 0.25,
            NativeGate::Zz { angle, .. } => angle > 0.0 && angle <= 0.25 + 1e-15,
            NativeGate::U1q { .. } | NativeGate::Rzz { .. } => true,
        };
        assert!(ok, "{gate:?} out of range");
        let matches_target = match native.target {
            Target::IonqMs => !matches!(gate, NativeGate::Zz { .. } | NativeGate::U1q { .. } | NativeGate::Rzz { .. }),
            Target::IonqZz => !matches!(gate, NativeGate::Ms { .. } | NativeGate::U1q { .. } | NativeGate::Rzz { .. }),
            Target::Quantinuum => matches!(gate, NativeGate::U1q { .. } | NativeGate::Rzz { .. }),
        };
        assert!(matches_target, "{gate:?} on {:?}", native.target);
    }
}

#[test]
fn gate_matrices_equal_qiskit_ionq() {
    let golden: serde_json::Value =
        serde_json::from_str(include_str!("golden/native/gate_matrices.json")).expect("golden JSON");
    let cases = golden["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 14);
    for case in cases {
        let p: Vec<f64> = case["params"].as_array().expect("params").iter().map(|x| x.as_f64().expect("f64")).collect();
        let gate = match case["gate"].as_str().expect("gate") {
            "gpi" => NativeGate::Gpi { qubit: 0, phase: p[0] },
            "gpi2" => NativeGate::Gpi2 { qubit: 0, phase: p[0] },
            "ms" => NativeGate::Ms { qubits: [0, 1], phases: [p[0], p[1]], angle: p[2] },
            "zz" => NativeGate::Zz { qubits: [0, 1], angle: p[0] },
            other => panic!("unknown gate {other}"),
        };
        let entry = |i: usize, j: usize| {
            Complex64::new(case["re"][i][j].as_f64().expect("re"), case["im"][i][j].as_f64().expect("im"))
        };
        let ours: Vec<(usize, usize, Complex64)> = match gate.matrix() {
            GateMatrix::One(_, m) => (0..2).flat_map(|i| (0..2).map(move |j| (i, j, m[i][j]))).collect(),
            GateMatrix::Two(_, m) => (0..4).flat_map(|i| (0..4).map(move |j| (i, j, m[i][j]))).collect(),
        };
        for (i, j, value) in ours {
            assert!((value - entry(i, j)).norm() < 1e-12, "{gate:?} entry ({i},{j}): {value} vs {}", entry(i, j));
        }
    }
}

#[test]
fn quantinuum_gates_are_the_documented_rotations() {
    // U1q(π/2, 2πφ) = GPI2(φ) and RZZ(2πθ) = ZZ(θ), exactly.
    for (phi, theta) in [(0.1, 0.07), (0.63, 0.25)] {
        let (GateMatrix::One(_, a), GateMatrix::One(_, b)) = (
            NativeGate::U1q { qubit: 0, theta: std::f64::consts::FRAC_PI_2, phi: std::f64::consts::TAU * phi }.matrix(),
            NativeGate::Gpi2 { qubit: 0, phase: phi }.matrix(),
        ) else {
            panic!("one-qubit matrices")
        };
        assert!((0..2).all(|i| (0..2).all(|j| (a[i][j] - b[i][j]).norm() < 1e-14)));
        let (GateMatrix::Two(_, c), GateMatrix::Two(_, d)) = (
            NativeGate::Rzz { qubits: [0, 1], theta: std::f64::consts::TAU * theta }.matrix(),
            NativeGate::Zz { qubits: [0, 1], angle: theta }.matrix(),
        ) else {
            panic!("two-qubit matrices")
        };
        assert!((0..4).all(|i| (0..4).all(|j| (c[i][j] - d[i][j]).norm() < 1e-14)));
    }
}

/// The angles this file's random circuits draw.
impl Rng {
    fn angle(&mut self) -> f64 {
        // Mix generic angles with Clifford ones, which exercise the special cases.
        match self.below(3) {
            0 => (self.below(8) as f64 - 4.0) * std::f64::consts::FRAC_PI_4,
            _ => (self.next() as f64 / u64::MAX as f64 - 0.5) * 8.0,
        }
    }
}

fn random_circuit(rng: &mut Rng, n: u32, length: usize) -> (LogicalCircuit, Vec<f64>) {
    let n_parameters = 3;
    let mut circuit = LogicalCircuit::new(n, n_parameters);
    for _ in 0..length {
        let q = rng.below(n as u64) as u32;
        let other = (q + 1 + rng.below(n as u64 - 1) as u32) % n;
        let angle = if rng.below(2) == 0 {
            Angle::Fixed(rng.angle())
        } else {
            Angle::Parameter { index: rng.below(n_parameters as u64) as usize, weight: rng.angle() }
        };
        let gate = match rng.below(11) {
            0 => Gate::H(q),
            1 => Gate::S(q),
            2 => Gate::Sdg(q),
            3 => Gate::X(q),
            4 => Gate::Rx(q, angle),
            5 => Gate::Ry(q, angle),
            6 => Gate::Rz(q, angle),
            7 => Gate::Cz(q, other),
            _ => Gate::Cnot { control: q, target: other },
        };
        circuit.push(gate);
        if rng.below(6) == 0 {
            // Repeat a gate or its inverse now and then, so fusion and cancellation have work.
            circuit.push(gate);
        }
    }
    let params = (0..n_parameters).map(|_| rng.angle()).collect();
    (circuit, params)
}

#[test]
fn random_circuits_lower_to_the_same_unitary() {
    let mut rng = Rng(7);
    for trial in 0..300 {
        let n = 2 + (trial % 4) as u32;
        let (circuit, params) = random_circuit(&mut rng, n, 5 + trial % 40);
        check_equivalent(&circuit, &params, &format!("random circuit {trial}"));
    }
}

#[test]
fn pauli_rotations_save_one_entangling_gate() {
    let mut rng = Rng(11);
    for string in ["X0 Y1", "Z0 X2 Y3", "Y0 Z1 Z2 X3 Y4", "X1 X2 Y3 Z4 Z5 Y6"] {
        let p = string.split_whitespace().fold(PauliString::IDENTITY, |acc, letter| {
            let single = PauliString::single(letter.as_bytes()[0] as char, letter[1..].parse().expect("qubit"));
            PauliString { x: acc.x | single.x, z: acc.z | single.z }
        });
        let weight = string.split_whitespace().count();
        let mut circuit = LogicalCircuit::new(7, 1);
        circuit.push_pauli_rotation(p, Angle::Parameter { index: 0, weight: 1.0 });
        let params = [rng.angle() + 0.1];
        for native in check_equivalent(&circuit, &params, string) {
            let two = native.gates.iter().filter(|g| g.is_two_qubit()).count();
            assert_eq!(two, 2 * (weight - 2) + 1, "{string} on {:?}", native.target);
        }
    }
}

#[test]
fn cnot_costs_as_in_the_notes() {
    let mut circuit = LogicalCircuit::new(2, 0);
    circuit.push(Gate::Cnot { control: 0, target: 1 });
    let natives = check_equivalent(&circuit, &[], "CNOT");
    let count = |n: &NativeCircuit| {
        let two = n.gates.iter().filter(|g| g.is_two_qubit()).count();
        (n.gates.len() - two, two)
    };
    assert_eq!(count(&natives[0]), (3, 1), "Aria: {:?}", natives[0].gates);
    assert_eq!(count(&natives[1]), (2, 1), "Forte: {:?}", natives[1].gates);
    assert_eq!(count(&natives[2]), (2, 1), "Quantinuum: {:?}", natives[2].gates);
}

#[test]
fn inverse_pairs_cancel_and_neighbours_fuse() {
    let mut circuit = LogicalCircuit::new(3, 0);
    for gate in [
        Gate::Cnot { control: 0, target: 1 },
        Gate::Rz(0, Angle::Fixed(0.3)),
        Gate::Rx(1, Angle::Fixed(0.4)),
        Gate::Cnot { control: 0, target: 1 },
        Gate::H(2),
        Gate::Cz(1, 2),
        Gate::Cz(2, 1),
    ] {
        circuit.push(gate);
    }
    for native in check_equivalent(&circuit, &[], "cancelling pairs") {
        assert_eq!(native.gates.iter().filter(|g| g.is_two_qubit()).count(), 0, "{:?}", native.gates);
    }
    // Two CZs on one pair with diagonal gates between fuse into one interaction.
    let mut circuit = LogicalCircuit::new(2, 0);
    for gate in [Gate::Cz(0, 1), Gate::Rz(1, Angle::Fixed(0.7)), Gate::S(0), Gate::Cz(1, 0), Gate::Cz(0, 1)] {
        circuit.push(gate);
    }
    for native in check_equivalent(&circuit, &[], "fusing CZs") {
        assert_eq!(native.gates.iter().filter(|g| g.is_two_qubit()).count(), 1, "{:?}", native.gates);
    }
}

#[test]
fn arbitrary_single_qubit_unitaries_cost_at_most_two_pulses() {
    let mut rng = Rng(3);
    for _ in 0..50 {
        let mut circuit = LogicalCircuit::new(1, 0);
        for _ in 0..6 {
            circuit.push(Gate::Ry(0, Angle::Fixed(rng.angle())));
            circuit.push(Gate::Rz(0, Angle::Fixed(rng.angle())));
            circuit.push(Gate::H(0));
        }
        let natives = check_equivalent(&circuit, &[], "single-qubit product");
        assert!(natives[0].gates.len() <= 2 && natives[1].gates.len() <= 2 && natives[2].gates.len() <= 1);
    }
}

fn integrals(n: usize) -> (Array2<f64>, Array4<f64>) {
    let h1 = Array2::from_shape_fn((n, n), |(p, q)| if p == q { p as f64 - 1.5 } else { 0.1 / (1.0 + (p + q) as f64) });
    let eri = Array4::from_shape_fn((n, n, n, n), |(p, q, r, s)| if p == q && r == s { 0.3 } else { 0.0 });
    (h1, eri)
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

#[test]
fn every_ansatz_lowers_to_the_same_unitary() {
    let setups = [
        (MappingKind::JordanWigner, false, false),
        (MappingKind::BravyiKitaev, false, false),
        (MappingKind::Parity, true, true),
    ];
    let kinds = [
        AnsatzKind::Hf,
        AnsatzKind::Uccsd,
        AnsatzKind::Kupccgsd,
        AnsatzKind::HardwareEfficient,
        AnsatzKind::ParticleConserving,
    ];
    for (kind_of_mapping, reduce, taper) in setups {
        let (h1, eri) = integrals(3);
        let (space, _) = QubitSpace::build(kind_of_mapping, reduce, taper, 3, 1, 1, 0.0, h1.view(), eri.view())
            .expect("qubit space");
        for kind in kinds {
            let built = ansatz::build(kind, &options(), &space).expect("ansatz");
            let n = built.logical.n_parameters();
            let params: Vec<f64> = (0..n).map(|k| 0.7 * ((k as f64 + 1.0) * 1.618).sin()).collect();
            let natives = check_equivalent(&built.logical, &params, &format!("{kind:?} on {kind_of_mapping:?}"));
            let logical_two = built.logical.counts().two_qubit;
            for native in natives {
                assert!(native.gates.iter().filter(|g| g.is_two_qubit()).count() <= logical_two);
            }
        }
    }
}

#[test]
fn estimates_count_time_fidelity_and_price() {
    let device = qdf_compiler::hir::Device {
        name: "ionq.aria".into(),
        qubits: 25,
        native_gates: vec!["gpi".into(), "gpi2".into(), "ms".into()],
        connectivity: "all_to_all".into(),
        fidelity_1q: 0.9995,
        fidelity_2q: 0.996,
        fidelity_spam: 0.9961,
        time_1q: Some(135e-6),
        time_2q: Some(600e-6),
        time_readout: None,
        t1: None,
        t2: Some(1.0),
        max_shots: Some(10_000),
        price_1q: Some(0.000220),
        price_2q: Some(0.000975),
        price_minimum: Some(97.50),
        backend: Some("qpu.aria-1".into()),
    };
    let mut cnot = LogicalCircuit::new(2, 0);
    cnot.push(Gate::Cnot { control: 0, target: 1 });
    let e = native::estimate(&cnot, &device).expect("estimate");
    assert_eq!((e.one_qubit, e.two_qubit, e.depth), (3, 1, 3));
    // GPI2 on q0, MS, then GPI2 on both in parallel: 135 + 600 + 135 µs.
    assert!((e.duration.expect("times") - 870e-6).abs() < 1e-12);
    let expected = 0.9995f64.powi(3) * 0.996 * 0.9961f64.powi(2) * (-2.0 * 870e-6f64).exp();
    assert!((e.fidelity - expected).abs() < 1e-14);
    let cost = native::job_cost(&e, &device, 2, 1000).expect("cost");
    assert_eq!(cost.shots, 2000);
    assert!((cost.usd.expect("prices") - 2.0 * 97.50).abs() < 1e-9, "minimum per circuit");
    let big = native::job_cost(&e, &device, 1, 10_000).expect("cost");
    assert!((big.usd.expect("prices") - 97.50f64.max(10_000.0 * (3.0 * 0.000220 + 0.000975))).abs() < 1e-9);
    assert!(matches!(native::job_cost(&e, &device, 1, 10_001), Err(native::NativeError::TooManyShots { .. })));
    let wide = LogicalCircuit::new(26, 0);
    assert!(matches!(native::estimate(&wide, &device), Err(native::NativeError::TooManyQubits { needed: 26, .. })));
    let other = qdf_compiler::hir::Device { native_gates: vec!["cx".into()], ..device };
    assert!(matches!(native::estimate(&cnot, &other), Err(native::NativeError::UnsupportedDevice { .. })));
}

//! Noise on trapped-ion native circuits: the noiseless model against the pure state of the
//! logical circuit, single-qubit and two-qubit channels against their closed forms, the density
//! matrix against seeded trajectories (within 3 standard errors), physicality of ρ, and readout
//! mitigation and zero-noise extrapolation on small circuits; and, against qiskit.quantum_info
//! (`tests/golden/noise/make_golden.py`), final density matrices, noisy expectation values and the
//! depolarising channels' average gate fidelities at 1e-12, on 2 to 4 qubits and embedded in a
//! 9-qubit register that is updated on several threads.

use faer::{c64, Mat, Side};
use qdf_compiler::hir::NoiseModel;
use qdf_runtime::circuit::{Angle, Gate, LogicalCircuit};
use qdf_runtime::native::{self, NativeCircuit, NativeGate, Target};
use qdf_runtime::noise::{
    apply_readout_error, damp_for_readout, fold_two_qubit_gates, mitigate_readout, noisy_expectation, richardson,
    simulate_density, simulate_trajectories, zero_noise_extrapolate, zne_variance_factor, ChannelModel, DensityMatrix,
    NoiseError, NoiseMethod,
};
use qdf_runtime::qubit::{PauliString, PauliSum};
use qdf_runtime::sim::statevector::StateVector;
use qdf_runtime::svsim::pauli_sum::PauliSumKernel;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

const TARGETS: [Target; 3] = [Target::IonqMs, Target::IonqZz, Target::Quantinuum];

fn model(depolarizing_1q: f64, depolarizing_2q: f64, readout_error: f64) -> NoiseModel {
    NoiseModel {
        depolarizing_1q,
        depolarizing_2q,
        readout_error,
        dephasing: false,
        t2: None,
        time_1q: None,
        time_2q: None,
    }
}

fn channels(m: &NoiseModel) -> ChannelModel {
    ChannelModel::from_model(m).expect("valid model")
}

/// A sum from OpenFermion-style strings such as `"X0 Y1 Z3"` (empty: identity).
fn sum(n_qubits: u32, terms: &[(&str, f64)]) -> PauliSum {
    let mut h = PauliSum::new(n_qubits);
    for &(text, c) in terms {
        let mut p = PauliString::IDENTITY;
        for factor in text.split_whitespace() {
            let (letter, qubit) = factor.split_at(1);
            let single = PauliString::single(letter.chars().next().expect("letter"), qubit.parse().expect("qubit"));
            p = PauliString { x: p.x | single.x, z: p.z | single.z };
        }
        h.add(p, c);
    }
    h
}

fn one_gate(n_qubits: u32, gate: NativeGate) -> NativeCircuit {
    NativeCircuit { target: Target::IonqMs, n_qubits, gates: vec![gate], frames: vec![0.0; n_qubits as usize] }
}

/// A three-qubit logical circuit with every gate kind.
fn logical() -> LogicalCircuit {
    let mut c = LogicalCircuit::new(3, 0);
    for g in [
        Gate::H(0),
        Gate::Ry(1, Angle::Fixed(0.7)),
        Gate::Cnot { control: 0, target: 2 },
        Gate::Rx(2, Angle::Fixed(-1.1)),
        Gate::S(1),
        Gate::Cz(1, 2),
        Gate::Rz(0, Angle::Fixed(0.4)),
        Gate::Cnot { control: 2, target: 1 },
        Gate::Sdg(2),
        Gate::X(0),
    ] {
        c.push(g);
    }
    c
}

fn observable() -> PauliSum {
    sum(3, &[("Z0", 0.5), ("X1", -0.3), ("Y0 Z2", 0.8), ("X0 Y1 Z2", 0.25), ("Z1 Z2", -0.6), ("", 0.1)])
}

#[test]
fn noiseless_model_reproduces_the_pure_state() {
    let circuit = logical();
    let mut state = StateVector::zero(3);
    circuit.apply(&[], &mut state);
    let h = observable();
    let exact = PauliSumKernel::from_sum(&h).expectation(&state);
    let pure: Vec<f64> = state.amplitudes().iter().map(|u| u.norm_sqr()).collect();
    for target in TARGETS {
        let native = native::compile(&circuit, &[], target);
        let rho = simulate_density(&native, &ChannelModel::noiseless()).expect("small");
        assert!((rho.expectation_sum(&h).expect("fits") - exact).abs() < 1e-12, "{target:?}");
        for (p, q) in rho.probabilities().iter().zip(&pure) {
            assert!((p - q).abs() < 1e-12);
        }
        // Every noiseless trajectory is the pure state: the standard error vanishes.
        let traj = simulate_trajectories(&native, &ChannelModel::noiseless(), &h, 4, 1).expect("small");
        assert!((traj.mean - exact).abs() < 1e-12 && traj.standard_error < 1e-12, "{target:?}");
    }
}

#[test]
fn single_qubit_depolarizing_shrinks_z_by_one_minus_four_thirds_p() {
    let p = 0.03;
    let circuit = one_gate(1, NativeGate::Gpi { qubit: 0, phase: 0.0 });
    let rho = simulate_density(&circuit, &channels(&model(p, 0.0, 0.0))).expect("small");
    let z = rho.expectation(PauliString::single('Z', 0)).expect("fits");
    assert!((z + (1.0 - 4.0 * p / 3.0)).abs() < 1e-14, "{z}");
}

#[test]
fn two_qubit_depolarizing_shrinks_zz_by_one_minus_sixteen_fifteenths_p() {
    let p = 0.05;
    // MS(0, 0, ¼)|00⟩ = (|00⟩ − i|11⟩)/√2: ⟨Z0 Z1⟩ = 1, ⟨Z0⟩ = 0, ⟨Y0 X1⟩ = −1.
    let ms = NativeGate::Ms { qubits: [0, 1], phases: [0.0, 0.0], angle: 0.25 };
    let rho = simulate_density(&one_gate(2, ms), &channels(&model(0.0, p, 0.0))).expect("small");
    let lambda = 1.0 - 16.0 * p / 15.0;
    let value = |text: &str| rho.expectation_sum(&sum(2, &[(text, 1.0)])).expect("fits");
    assert!((value("Z0 Z1") - lambda).abs() < 1e-14);
    assert!((value("Y0 X1") + lambda).abs() < 1e-14);
    assert!(value("Z0").abs() < 1e-14);
}

#[test]
fn dephasing_decays_coherence_by_exp_minus_t_over_t2() {
    let noise = NoiseModel { dephasing: true, t2: Some(1.0), time_1q: Some(0.2), ..model(0.0, 0.0, 0.0) };
    // GPI2(¼) = RY(π/2): |0⟩ → |+⟩.
    let circuit = one_gate(1, NativeGate::Gpi2 { qubit: 0, phase: 0.25 });
    let rho = simulate_density(&circuit, &channels(&noise)).expect("small");
    let x = rho.expectation(PauliString::single('X', 0)).expect("fits");
    assert!((x - (-0.2f64).exp()).abs() < 1e-14, "{x}");
    // Without T2 (or with dephasing off) nothing dephases.
    let off = ChannelModel::from_model(&NoiseModel { t2: None, ..noise.clone() }).expect("valid");
    assert_eq!(off.dephasing_1q, 0.0);
}

#[test]
fn readout_error_flips_each_bit_symmetrically() {
    let e = 0.02;
    let circuit = one_gate(2, NativeGate::Gpi { qubit: 0, phase: 0.0 });
    let rho = simulate_density(&circuit, &ChannelModel::noiseless()).expect("small");
    let mut probs = rho.probabilities();
    apply_readout_error(&mut probs, e).expect("power of two");
    let expected = [e * (1.0 - e), (1.0 - e) * (1.0 - e), e * e, e * (1.0 - e)];
    for (p, q) in probs.iter().zip(expected) {
        assert!((p - q).abs() < 1e-15);
    }
    // ⟨Z0⟩ = −1 reads as −(1 − 2e); ⟨Z0 Z1⟩ = −1 as −(1 − 2e)².
    let measured = damp_for_readout(&sum(2, &[("Z0", 1.0), ("Z0 Z1", 10.0)]), e);
    let value = rho.expectation_sum(&measured).expect("fits");
    assert!((value + (1.0 - 2.0 * e) + 10.0 * (1.0 - 2.0 * e).powi(2)).abs() < 1e-13);
    // Readout mitigation recovers the exact probabilities.
    mitigate_readout(&mut probs, e).expect("invertible");
    for (p, q) in probs.iter().zip(rho.probabilities()) {
        assert!((p - q).abs() < 1e-14);
    }
    assert_eq!(mitigate_readout(&mut probs, 0.5), Err(NoiseError::SingularConfusion));
}

fn random_circuit(rng: &mut ChaCha8Rng, n_qubits: u32, n_gates: usize) -> NativeCircuit {
    let mut uniform = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    let mut gates = Vec::new();
    for _ in 0..n_gates {
        let a = (uniform() * n_qubits as f64) as u32;
        let b = (a + 1 + (uniform() * (n_qubits - 1) as f64) as u32) % n_qubits;
        let gate = match (uniform() * 6.0) as u32 {
            0 => NativeGate::Gpi { qubit: a, phase: uniform() },
            1 => NativeGate::Gpi2 { qubit: a, phase: uniform() },
            2 => NativeGate::U1q { qubit: a, theta: 6.0 * uniform(), phi: 6.0 * uniform() },
            3 => NativeGate::Ms { qubits: [a, b], phases: [uniform(), uniform()], angle: 0.25 * uniform() },
            4 => NativeGate::Zz { qubits: [a, b], angle: 0.25 * uniform() },
            _ => NativeGate::Rzz { qubits: [a, b], theta: 3.0 * uniform() },
        };
        gates.push(gate);
    }
    let frames = (0..n_qubits).map(|_| 6.0 * uniform()).collect();
    NativeCircuit { target: Target::IonqMs, n_qubits, gates, frames }
}

fn device_like() -> NoiseModel {
    NoiseModel {
        depolarizing_1q: 0.02,
        depolarizing_2q: 0.06,
        readout_error: 0.01,
        dephasing: true,
        t2: Some(1.0),
        time_1q: Some(0.05),
        time_2q: Some(0.2),
    }
}

#[test]
fn density_matrix_and_trajectories_agree_within_three_standard_errors() {
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let noise = channels(&device_like());
    let h = observable();
    for case in 0..6 {
        let circuit = random_circuit(&mut rng, 3, 14);
        let exact = simulate_density(&circuit, &noise).expect("small").expectation_sum(&h).expect("fits");
        let traj = simulate_trajectories(&circuit, &noise, &h, 400, 100 + case).expect("small");
        let gap = (traj.mean - exact).abs();
        assert!(
            gap <= 3.0 * traj.standard_error + 1e-12,
            "case {case}: {} vs {exact}, se {}",
            traj.mean,
            traj.standard_error
        );
        assert!(traj.standard_error > 0.0);
        // The same seed gives the same estimate.
        assert_eq!(simulate_trajectories(&circuit, &noise, &h, 400, 100 + case).expect("small"), traj);
    }
}

fn dense(rho: &DensityMatrix) -> Mat<c64> {
    let dim = 1usize << rho.n_qubits();
    Mat::from_fn(dim, dim, |r, c| {
        let e = rho.element(r, c);
        c64::new(e.re, e.im)
    })
}

#[test]
fn noisy_density_matrix_is_a_state() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let noise = channels(&device_like());
    for _ in 0..4 {
        let rho = simulate_density(&random_circuit(&mut rng, 3, 20), &noise).expect("small");
        assert!((rho.trace() - 1.0).abs() < 1e-12);
        let dim = 1usize << rho.n_qubits();
        for r in 0..dim {
            for c in 0..dim {
                assert!((rho.element(r, c) - rho.element(c, r).conj()).norm() < 1e-12);
            }
        }
        let values = dense(&rho).self_adjoint_eigenvalues(Side::Lower).expect("eigenvalues");
        let smallest = values.iter().copied().fold(f64::INFINITY, f64::min);
        assert!(smallest >= -1e-12, "{smallest}");
        // Noise leaves the state mixed: purity below one.
        let purity: f64 =
            (0..dim).flat_map(|r| (0..dim).map(move |c| (r, c))).map(|(r, c)| rho.element(r, c).norm_sqr()).sum();
        assert!(purity < 0.99, "{purity}");
    }
}

#[test]
fn folding_keeps_the_unitary_and_zero_noise_extrapolation_removes_most_error() {
    // Bell-like: MS(0, 0, ¼) then MS again on (1, 2): ⟨Z0 Z1⟩ decays as λ^{n} with n two-qubit
    // gates acting on the pair, so folding k times gives λ^{(1+2k)·n}.
    let gates = vec![
        NativeGate::Ms { qubits: [0, 1], phases: [0.0, 0.0], angle: 0.25 },
        NativeGate::Zz { qubits: [1, 2], angle: 0.2 },
        NativeGate::Gpi2 { qubit: 2, phase: 0.3 },
    ];
    let circuit = NativeCircuit { target: Target::IonqMs, n_qubits: 3, gates, frames: vec![0.0, 0.4, 0.0] };
    let h = sum(3, &[("Z0 Z1", 1.0), ("Y0 X1", 0.5), ("Z2", 0.7)]);
    let ideal =
        simulate_density(&circuit, &ChannelModel::noiseless()).expect("small").expectation_sum(&h).expect("fits");
    for k in 1..3 {
        let folded = simulate_density(&fold_two_qubit_gates(&circuit, k), &ChannelModel::noiseless()).expect("small");
        assert!((folded.expectation_sum(&h).expect("fits") - ideal).abs() < 1e-12);
        assert_eq!(fold_two_qubit_gates(&circuit, k).gates.len(), 3 + 4 * k);
    }
    let noise = channels(&model(0.0, 0.02, 0.0));
    let raw = simulate_density(&circuit, &noise).expect("small").expectation_sum(&h).expect("fits");
    let mitigated = zero_noise_extrapolate(&circuit, &noise, &h, &[0, 1, 2]).expect("three scales");
    assert!((raw - ideal).abs() > 0.02, "{raw} {ideal}");
    assert!((mitigated - ideal).abs() < (raw - ideal).abs() / 50.0, "{mitigated} {raw} {ideal}");
}

#[test]
fn richardson_is_exact_for_polynomials() {
    // v(s) = 2 − 3s + 0.5s², sampled at 1, 3, 5: the value at 0 is 2.
    let v = |s: f64| 2.0 - 3.0 * s + 0.5 * s * s;
    let points: Vec<(f64, f64)> = [1.0, 3.0, 5.0].iter().map(|&s| (s, v(s))).collect();
    assert!((richardson(&points).expect("distinct") - 2.0).abs() < 1e-12);
    assert_eq!(richardson(&points[..1]), Err(NoiseError::TooFewScales(1)));
    assert_eq!(richardson(&[(1.0, 0.0), (1.0, 1.0)]), Err(NoiseError::RepeatedScale(1.0)));
}

#[test]
fn extrapolation_multiplies_the_shots_a_precision_needs() {
    // Weights 15/8, −5/4, 3/8 over three scales: 3·(225 + 100 + 9)/64.
    assert!((zne_variance_factor(&[1, 3, 5]).expect("scales") - 3.0 * 334.0 / 64.0).abs() < 1e-12);
    // Two scales, weights 3/2 and −1/2: 2·(9 + 1)/4.
    assert!((zne_variance_factor(&[1, 3]).expect("scales") - 5.0).abs() < 1e-12);
    assert_eq!(zne_variance_factor(&[3]), Err(NoiseError::TooFewScales(1)));
}

#[test]
fn inputs_outside_the_contract_are_typed_errors() {
    assert_eq!(DensityMatrix::zero(14), Err(NoiseError::TooManyQubits { n_qubits: 14, max: 13 }));
    assert!(matches!(
        ChannelModel::from_model(&model(1.5, 0.0, 0.0)),
        Err(NoiseError::InvalidProbability { name: "depolarizing_1q", .. })
    ));
    let bad_t2 = NoiseModel { dephasing: true, t2: Some(0.0), time_1q: Some(1.0), ..model(0.0, 0.0, 0.0) };
    assert!(matches!(ChannelModel::from_model(&bad_t2), Err(NoiseError::InvalidTime { name: "t2", .. })));
    let circuit = one_gate(1, NativeGate::Gpi { qubit: 0, phase: 0.0 });
    let wide = sum(2, &[("Z1", 1.0)]);
    let noiseless = ChannelModel::noiseless();
    assert!(matches!(
        simulate_trajectories(&circuit, &noiseless, &wide, 10, 0),
        Err(NoiseError::ObservableTooWide { .. })
    ));
    assert_eq!(simulate_trajectories(&circuit, &noiseless, &sum(1, &[]), 1, 0), Err(NoiseError::TooFewTrajectories(1)));
    let rho = simulate_density(&circuit, &noiseless).expect("small");
    assert!(matches!(rho.expectation_sum(&wide), Err(NoiseError::ObservableTooWide { .. })));
    assert!(matches!(apply_readout_error(&mut [0.5, 0.25, 0.25], 0.1), Err(NoiseError::ProbabilityLength { .. })));
}

#[test]
fn noisy_expectation_is_exact_when_small_and_sampled_beyond_thirteen_qubits() {
    let (p, e) = (0.05, 0.02);
    let noise = channels(&model(p, 0.0, e));
    // X on qubit 0, depolarised: ⟨Z0⟩ = −(1 − 4p/3), read as −(1 − 4p/3)(1 − 2e).
    let closed = -(1.0 - 4.0 * p / 3.0) * (1.0 - 2.0 * e);
    let h = sum(1, &[("Z0", 1.0)]);
    let small =
        noisy_expectation(&one_gate(2, NativeGate::Gpi { qubit: 0, phase: 0.0 }), &noise, &h, 2, 0).expect("small");
    assert_eq!(small.method, NoiseMethod::DensityMatrix);
    assert!((small.value - closed).abs() < 1e-14 && small.standard_error == 0.0);
    let wide = one_gate(14, NativeGate::Gpi { qubit: 0, phase: 0.0 });
    let large = noisy_expectation(&wide, &noise, &h, 300, 3).expect("trajectories");
    assert_eq!(large.method, NoiseMethod::Trajectories);
    assert!(large.standard_error > 0.0);
    assert!((large.value - closed).abs() <= 3.0 * large.standard_error, "{large:?} vs {closed}");
}

/// The reference cases written by `tests/golden/noise/make_golden.py` with qiskit.quantum_info.
const GOLDEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/noise");

fn golden_cases() -> Vec<serde_json::Value> {
    let mut paths: Vec<_> = std::fs::read_dir(GOLDEN)
        .expect("golden directory")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 4, "the golden cases are missing: run make_golden.py");
    paths
        .iter()
        .map(|path| serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json"))
        .collect()
}

fn number(v: &serde_json::Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("`{key}` is a number"))
}

fn qubit(v: &serde_json::Value, key: &str) -> u32 {
    v[key].as_u64().unwrap_or_else(|| panic!("`{key}` is a qubit")) as u32
}

fn pair(v: &serde_json::Value) -> [u32; 2] {
    let q = v["qubits"].as_array().expect("two qubits");
    [0, 1].map(|i| q[i].as_u64().expect("a qubit") as u32)
}

fn golden_gate(g: &serde_json::Value) -> NativeGate {
    match g["gate"].as_str().expect("gate name") {
        "gpi" => NativeGate::Gpi { qubit: qubit(g, "qubit"), phase: number(g, "phase") },
        "gpi2" => NativeGate::Gpi2 { qubit: qubit(g, "qubit"), phase: number(g, "phase") },
        "u1q" => NativeGate::U1q { qubit: qubit(g, "qubit"), theta: number(g, "theta"), phi: number(g, "phi") },
        "ms" => {
            let phases = g["phases"].as_array().expect("two phases");
            NativeGate::Ms {
                qubits: pair(g),
                phases: [0, 1].map(|i| phases[i].as_f64().expect("a phase")),
                angle: number(g, "angle"),
            }
        }
        "zz" => NativeGate::Zz { qubits: pair(g), angle: number(g, "angle") },
        "rzz" => NativeGate::Rzz { qubits: pair(g), theta: number(g, "theta") },
        other => panic!("unknown golden gate {other}"),
    }
}

fn golden_circuit(case: &serde_json::Value) -> NativeCircuit {
    let gates: Vec<NativeGate> = case["gates"].as_array().expect("gates").iter().map(golden_gate).collect();
    let target = if gates.iter().any(|g| matches!(g, NativeGate::U1q { .. } | NativeGate::Rzz { .. })) {
        Target::Quantinuum
    } else if gates.iter().any(|g| matches!(g, NativeGate::Zz { .. })) {
        Target::IonqZz
    } else {
        Target::IonqMs
    };
    let frames = case["frames"].as_array().expect("frames").iter().map(|f| f.as_f64().expect("frame")).collect();
    NativeCircuit { target, n_qubits: qubit(case, "n_qubits"), gates, frames }
}

fn golden_model(case: &serde_json::Value) -> NoiseModel {
    let m = &case["model"];
    NoiseModel {
        depolarizing_1q: number(m, "depolarizing_1q"),
        depolarizing_2q: number(m, "depolarizing_2q"),
        readout_error: number(m, "readout_error"),
        dephasing: m["dephasing"].as_bool().expect("dephasing"),
        t2: m["t2"].as_f64(),
        time_1q: m["time_1q"].as_f64(),
        time_2q: m["time_2q"].as_f64(),
    }
}

fn golden_sum(n_qubits: u32, terms: &serde_json::Value) -> PauliSum {
    let terms: Vec<(&str, f64)> = terms
        .as_array()
        .expect("terms")
        .iter()
        .map(|t| (t[0].as_str().expect("string"), t[1].as_f64().expect("coefficient")))
        .collect();
    sum(n_qubits, &terms)
}

#[test]
fn density_matrices_match_qiskit() {
    for case in golden_cases() {
        let name = case["name"].as_str().expect("name");
        let rho = simulate_density(&golden_circuit(&case), &channels(&golden_model(&case))).expect("small");
        let (re, im) = (case["rho_re"].as_array().expect("rows"), case["rho_im"].as_array().expect("rows"));
        let dim = 1usize << rho.n_qubits();
        assert_eq!(re.len(), dim, "{name}");
        for r in 0..dim {
            for c in 0..dim {
                let want =
                    num_complex::Complex64::new(re[r][c].as_f64().expect("number"), im[r][c].as_f64().expect("number"));
                let got = rho.element(r, c);
                assert!((got - want).norm() < 1e-12, "{name}: ρ[{r}][{c}] = {got}, qiskit {want}");
            }
        }
    }
}

#[test]
fn noisy_expectations_match_qiskit() {
    for case in golden_cases() {
        let name = case["name"].as_str().expect("name");
        let circuit = golden_circuit(&case);
        let noise = channels(&golden_model(&case));
        let rho = simulate_density(&circuit, &noise).expect("small");
        for obs in case["observables"].as_array().expect("observables") {
            let h = golden_sum(circuit.n_qubits, &obs["terms"]);
            let exact = rho.expectation_sum(&h).expect("fits");
            assert!((exact - number(obs, "exact")).abs() < 1e-12, "{name}: exact {exact} vs {}", obs["exact"]);
            let measured = noisy_expectation(&circuit, &noise, &h, 1, 0).expect("small");
            assert_eq!(measured.method, NoiseMethod::DensityMatrix);
            assert!(
                (measured.value - number(obs, "measured")).abs() < 1e-12,
                "{name}: measured {} vs {}",
                measured.value,
                obs["measured"]
            );
        }
    }
}

/// qdf's depolarising probability `p` is the total probability of a non-identity Pauli, so the
/// channel's average gate fidelity is `1 − p·d/(d + 1)`: with the shrink factor `s` of every
/// non-identity Pauli expectation, `F = (d·(1 + (d² − 1)s)/d² + 1)/(d + 1)`. qiskit computes it
/// from the Kraus form.
#[test]
fn depolarizing_probability_has_qiskit_average_gate_fidelity() {
    for case in golden_cases() {
        let m = golden_model(&case);
        let fidelity = &case["average_gate_fidelity"];
        for (k, p, key) in [(1u32, m.depolarizing_1q, "depolarizing_1q"), (2, m.depolarizing_2q, "depolarizing_2q")] {
            let mut rho = DensityMatrix::zero(k).expect("small");
            let zs = if k == 1 {
                rho.depolarize_one(0, p);
                sum(1, &[("Z0", 1.0)])
            } else {
                rho.depolarize_two([0, 1], p);
                sum(2, &[("Z0 Z1", 1.0)])
            };
            let shrink = rho.expectation_sum(&zs).expect("fits");
            let d = f64::from(1u32 << k);
            let average = (d * (1.0 + (d * d - 1.0) * shrink) / (d * d) + 1.0) / (d + 1.0);
            assert!((average - number(fidelity, key)).abs() < 1e-12, "{key} = {p}: {average} vs {}", fidelity[key]);
            assert!((average - (1.0 - p * d / (d + 1.0))).abs() < 1e-12);
        }
    }
}

/// `text` with every qubit index raised by `offset`: `"X0 Y1"` → `"X5 Y6"` for 5.
fn shifted(text: &str, offset: u32) -> String {
    let factors = text.split_whitespace().map(|f| {
        let (letter, qubit) = f.split_at(1);
        format!("{letter}{}", qubit.parse::<u32>().expect("qubit") + offset)
    });
    factors.collect::<Vec<_>>().join(" ")
}

/// The golden circuits moved onto the top qubits of a 9-qubit register, which the density-matrix
/// simulator updates on several threads: ρ is the golden ρ on those qubits times |0…0⟩⟨0…0| on
/// the rest, and the measured values are the golden ones.
#[test]
fn threaded_registers_match_qiskit_on_embedded_circuits() {
    const N: u32 = 9;
    for case in golden_cases() {
        let name = case["name"].as_str().expect("name");
        let small = golden_circuit(&case);
        let offset = N - small.n_qubits;
        let gates = small
            .gates
            .iter()
            .map(|g| match *g {
                NativeGate::Gpi { qubit, phase } => NativeGate::Gpi { qubit: qubit + offset, phase },
                NativeGate::Gpi2 { qubit, phase } => NativeGate::Gpi2 { qubit: qubit + offset, phase },
                NativeGate::U1q { qubit, theta, phi } => NativeGate::U1q { qubit: qubit + offset, theta, phi },
                NativeGate::Ms { qubits, phases, angle } => {
                    NativeGate::Ms { qubits: qubits.map(|q| q + offset), phases, angle }
                }
                NativeGate::Zz { qubits, angle } => NativeGate::Zz { qubits: qubits.map(|q| q + offset), angle },
                NativeGate::Rzz { qubits, theta } => NativeGate::Rzz { qubits: qubits.map(|q| q + offset), theta },
            })
            .collect();
        let mut frames = vec![0.0; offset as usize];
        frames.extend(&small.frames);
        let circuit = NativeCircuit { target: small.target, n_qubits: N, gates, frames };
        let noise = channels(&golden_model(&case));
        let rho = simulate_density(&circuit, &noise).expect("fits");
        let (re, im) = (case["rho_re"].as_array().expect("rows"), case["rho_im"].as_array().expect("rows"));
        let low = (1usize << offset) - 1;
        for r in 0..1usize << N {
            for c in 0..1usize << N {
                let got = rho.element(r, c);
                if r & low != 0 || c & low != 0 {
                    assert_eq!(got, num_complex::Complex64::new(0.0, 0.0), "{name}: ρ[{r}][{c}]");
                    continue;
                }
                let (gr, gc) = (r >> offset, c >> offset);
                let want =
                    num_complex::Complex64::new(re[gr][gc].as_f64().expect("re"), im[gr][gc].as_f64().expect("im"));
                assert!((got - want).norm() < 1e-12, "{name}: ρ[{r}][{c}] = {got}, qiskit {want}");
            }
        }
        for obs in case["observables"].as_array().expect("observables") {
            let terms: Vec<(String, f64)> = obs["terms"]
                .as_array()
                .expect("terms")
                .iter()
                .map(|t| (shifted(t[0].as_str().expect("string"), offset), t[1].as_f64().expect("coefficient")))
                .collect();
            let borrowed: Vec<(&str, f64)> = terms.iter().map(|(t, c)| (t.as_str(), *c)).collect();
            let measured = noisy_expectation(&circuit, &noise, &sum(N, &borrowed), 1, 0).expect("fits");
            assert!((measured.value - number(obs, "measured")).abs() < 1e-12, "{name}: {}", measured.value);
        }
    }
}

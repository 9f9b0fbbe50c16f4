//! Measured energies against the exact ones: unbiased shot noise with the standard error it
//! reports, reproducible draws, parameter-shift gradients against adjoint ones, a noiseless
//! device equal to shot noise alone, a noisy device against the density-matrix expectation,
//! trajectories against the density matrix, readout mitigation and zero-noise extrapolation,
//! and the shot cap.

use super::*;
use crate::noise::noisy_expectation;
use crate::qubit::PauliString;
use crate::sim::compiled::CompiledEnergy;
use crate::sim::vqe::EnergyFunction;
use qdf_compiler::hir::NoiseModel;

fn string(spec: &str) -> PauliString {
    let mut p = PauliString::default();
    for token in spec.split_whitespace() {
        let q = PauliString::single(token.as_bytes()[0] as char, token[1..].parse().expect("qubit"));
        p = p.mul(q).1;
    }
    p
}

/// A two-qubit Hamiltonian with terms in three qubit-wise groups, and an ansatz whose first
/// parameter drives two rotations (as a UCC excitation does) and whose second a weighted one.
pub(crate) fn problem() -> (Ansatz, PauliSum) {
    let mut h = PauliSum::new(2);
    for (s, c) in [("", -0.4), ("Z0", 0.5), ("Z1", 0.3), ("Z0 Z1", 0.15), ("X0 X1", 0.2), ("Y0 Y1", 0.1), ("X0", 0.05)]
    {
        h.add(string(s), c);
    }
    h.simplify(0.0);
    let rotations = [
        PauliRotation::parametrised(string("X0 Y1"), 0, 1.0),
        PauliRotation::parametrised(string("Y0 X1"), 0, -1.0),
        PauliRotation::parametrised(string("Y0"), 1, 0.5),
    ];
    let mut circuit = RotationCircuit::new(2, 2);
    let mut logical = LogicalCircuit::new(2, 2);
    logical.push(Gate::X(0));
    for r in rotations {
        circuit.push(r);
        logical.push_pauli_rotation(r.string, r.angle);
    }
    let ansatz = Ansatz {
        circuit,
        reference: 0b01,
        initial_parameters: vec![0.0, 0.0],
        logical,
        parameters: vec!["pair".into(), "single".into()],
        dropped: Vec::new(),
    };
    (ansatz, h)
}

pub(crate) fn settings(shots: u64, seed: u64) -> MeasuredSettings {
    MeasuredSettings {
        shots_per_evaluation: Some(shots),
        grouping: Grouping::QubitWise,
        allocation: Allocation::VarianceOptimal,
        device: None,
        remote: None,
        seed,
        shot_cap: None,
    }
}

const PARAMS: [f64; 2] = [0.37, -0.81];

/// The device noise of `channels` on `target`, by density matrix and without mitigation.
fn device(target: Target, channels: ChannelModel) -> DeviceNoise {
    DeviceNoise { target, channels, trajectories: None, mitigation: Mitigation::default() }
}

/// Depolarising and readout channels without dephasing.
fn channels(depolarizing_1q: f64, depolarizing_2q: f64, readout_error: f64) -> ChannelModel {
    let model = NoiseModel {
        depolarizing_1q,
        depolarizing_2q,
        readout_error,
        dephasing: false,
        t2: None,
        time_1q: None,
        time_2q: None,
    };
    ChannelModel::from_model(&model).expect("valid")
}

#[test]
fn shot_noise_is_unbiased_with_the_standard_error_it_reports() {
    let (ansatz, h) = problem();
    let exact = CompiledEnergy::new(&ansatz, &h).energy(&PARAMS);
    let mut measured = MeasuredEnergy::new(&ansatz, &h, settings(2000, 11)).expect("plan");
    let estimates: Vec<Estimate> = (0..400).map(|_| measured.estimate(&PARAMS).expect("no cap")).collect();
    let n = estimates.len() as f64;
    let mean = estimates.iter().map(|e| e.value).sum::<f64>() / n;
    let spread = (estimates.iter().map(|e| (e.value - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let reported = estimates.iter().map(|e| e.standard_error).sum::<f64>() / n;
    // The mean of 400 estimates is within 4 standard errors of the exact energy…
    assert!((mean - exact).abs() < 4.0 * spread / n.sqrt(), "mean {mean} vs exact {exact} (spread {spread})");
    // …and the reported standard error matches the observed spread.
    assert!((reported / spread - 1.0).abs() < 0.15, "reported {reported} vs observed {spread}");
    assert_eq!(measured.shots_used(), 400 * 2000);
    assert_eq!(measured.evaluations(), 400);
}

#[test]
fn the_same_seed_draws_the_same_shots() {
    let (ansatz, h) = problem();
    let run = |seed| MeasuredEnergy::new(&ansatz, &h, settings(500, seed)).expect("plan").estimate(&PARAMS);
    assert_eq!(run(3), run(3));
    assert_ne!(run(3), run(4));
}

#[test]
fn parameter_shift_gradients_match_adjoint_gradients() {
    let (ansatz, h) = problem();
    let mut exact = [0.0; 2];
    CompiledEnergy::new(&ansatz, &h).energy_and_gradient(&PARAMS, &mut exact);
    let mut measured = MeasuredEnergy::new(&ansatz, &h, settings(4_000_000, 5)).expect("plan");
    assert_eq!(measured.shift_count(), 3);
    let shifted = measured.gradient(&PARAMS).expect("no cap");
    // Six evaluations of 4e6 shots: each derivative carries an error of about 1e-3.
    for (s, e) in shifted.iter().zip(exact) {
        assert!((s - e).abs() < 3e-3, "parameter shift {shifted:?} vs adjoint {exact:?}");
    }
    assert_eq!(measured.evaluations(), 6);
}

#[test]
fn a_noiseless_device_measures_the_distributions_of_the_pure_state() {
    let (ansatz, h) = problem();
    let channels = channels(0.0, 0.0, 0.0);
    let shots_only = MeasuredEnergy::new(&ansatz, &h, settings(10_000, 9)).expect("plan");
    let mut psi = shots_only.reference.clone();
    shots_only.rotations.circuit.apply(&shots_only.rotations.angles(&PARAMS), &mut psi);
    for target in [Target::IonqMs, Target::IonqZz, Target::Quantinuum] {
        let device = device(target, channels);
        let on_device =
            MeasuredEnergy::new(&ansatz, &h, MeasuredSettings { device: Some(device.clone()), ..settings(10_000, 9) })
                .expect("plan");
        let gates = on_device.ansatz_gates.as_ref().expect("the gate path");
        let native = native::compile(&gates.circuit, &gates.angles(&PARAMS), target);
        let rho = simulate_density(&native, &device.channels).expect("simulates");
        for (g, group) in shots_only.plan.groups().iter().enumerate() {
            let exact = measure::estimate::outcome_probabilities(group, &psi);
            let measured = measured_probabilities(&rho, &on_device.basis[0][g], &device).expect("simulates");
            for (a, b) in exact.iter().zip(&measured) {
                assert!((a - b).abs() < 1e-12, "{target:?}, group {g}: {exact:?} vs {measured:?}");
            }
        }
    }
}

#[test]
fn device_noise_biases_the_estimate_and_shots_scatter_around_the_noisy_value() {
    let (ansatz, h) = problem();
    let channels = channels(0.01, 0.05, 0.02);
    let device = Some(device(Target::IonqMs, channels));
    // The noisy circuits' exact outcome distributions (no shots)…
    let exact_noisy = MeasuredSettings { device: device.clone(), shots_per_evaluation: None, ..settings(1, 2) };
    let noisy = MeasuredEnergy::new(&ansatz, &h, exact_noisy).expect("plan").estimate(&PARAMS).expect("no cap");
    let noiseless = CompiledEnergy::new(&ansatz, &h).energy(&PARAMS);
    assert!((noisy.value - noiseless).abs() > 0.005, "the noise must matter: {noisy:?} vs {noiseless}");
    // …are what a million shots scatter around.
    let mut measured =
        MeasuredEnergy::new(&ansatz, &h, MeasuredSettings { device, ..settings(1_000_000, 2) }).expect("plan");
    let e = measured.estimate(&PARAMS).expect("no cap");
    assert!((e.value - noisy.value).abs() < 4.0 * e.standard_error, "{e:?} vs {noisy:?}");
}

#[test]
fn the_shot_cap_reserves_the_final_estimate() {
    let (ansatz, h) = problem();
    let capped = MeasuredSettings { shot_cap: Some(3_500), ..settings(1_000, 1) };
    let mut measured = MeasuredEnergy::new(&ansatz, &h, capped).expect("plan");
    assert!(measured.estimate(&PARAMS).is_ok());
    assert!(measured.estimate(&PARAMS).is_ok());
    // A third would leave nothing for the result.
    assert_eq!(measured.estimate(&PARAMS), Err(MeasureError::BudgetExhausted { used: 2_000, cap: 3_500 }));
    assert!(measured.gradient(&PARAMS).is_err());
    assert!(measured.final_estimate(&PARAMS).is_ok());
    assert_eq!(measured.shots_used(), 3_000);
}

#[test]
fn fewer_shots_than_groups_is_refused() {
    let (ansatz, h) = problem();
    let err = MeasuredEnergy::new(&ansatz, &h, settings(2, 1)).expect_err("three groups");
    assert!(matches!(err, MeasureError::TooFewShots { shots: 2, .. }), "{err:?}");
}

/// Without shots the noisy circuit's outcome distributions are used exactly. On a diagonal
/// observable (no basis change to add noise) that is the density matrix's expectation value.
#[test]
fn without_shots_the_device_noise_is_measured_exactly() {
    let (ansatz, full) = problem();
    let mut h = PauliSum::new(2);
    for &(p, c) in full.terms.iter().filter(|(p, _)| p.x == 0) {
        h.add(p, c);
    }
    let channels = channels(0.01, 0.05, 0.02);
    let native = native::compile(&ansatz.logical, &PARAMS, Target::IonqZz);
    let predicted = noisy_expectation(&native, &channels, &h, 0, 0).expect("density").value;
    let device = Some(device(Target::IonqZz, channels));
    let exact = MeasuredSettings { device, shots_per_evaluation: None, ..settings(1, 2) };
    let mut measured = MeasuredEnergy::new(&ansatz, &h, exact).expect("plan");
    let e = measured.estimate(&PARAMS).expect("no cap");
    assert!((e.value - predicted).abs() < 1e-12 && e.standard_error == 0.0, "{e:?} vs {predicted}");
    assert_eq!(measured.shots_used(), 0);
}

/// Trajectories average to the density matrix: without shots their mean is within 4 of its
/// reported standard errors of the exact noisy energy, and with shots too (the standard error
/// then counts both the trajectories and the shots).
#[test]
fn trajectories_agree_with_the_density_matrix_within_their_standard_error() {
    let (ansatz, h) = problem();
    let channels = channels(0.02, 0.08, 0.03);
    let exact_noisy = MeasuredSettings {
        device: Some(device(Target::IonqMs, channels)),
        shots_per_evaluation: None,
        ..settings(1, 2)
    };
    let density =
        MeasuredEnergy::new(&ansatz, &h, exact_noisy.clone()).expect("plan").estimate(&PARAMS).expect("no cap");
    for shots in [None, Some(200_000)] {
        let sampled = MeasuredSettings {
            device: Some(DeviceNoise { trajectories: Some(2_000), ..device(Target::IonqMs, channels) }),
            shots_per_evaluation: shots,
            ..exact_noisy.clone()
        };
        let mut measured = MeasuredEnergy::new(&ansatz, &h, sampled).expect("plan");
        let e = measured.estimate(&PARAMS).expect("no cap");
        assert!(e.standard_error > 0.0 && e.standard_error < 0.01, "{shots:?}: {e:?}");
        assert!((e.value - density.value).abs() < 4.0 * e.standard_error, "{shots:?}: {e:?} vs {density:?}");
        assert_eq!(measured.shots_used(), shots.unwrap_or(0));
    }
}

/// Readout mitigation undoes a readout error exactly: with readout error alone, the mitigated
/// exact-distribution estimate is the noiseless energy, and the unmitigated one is not.
#[test]
fn readout_mitigation_undoes_the_readout_error() {
    let (ansatz, h) = problem();
    let noiseless = CompiledEnergy::new(&ansatz, &h).energy(&PARAMS);
    let run = |readout: bool, shots: Option<u64>| {
        let noise = DeviceNoise {
            mitigation: Mitigation { readout, zne_scales: Vec::new() },
            ..device(Target::IonqMs, channels(0.0, 0.0, 0.05))
        };
        let s = MeasuredSettings { device: Some(noise), shots_per_evaluation: shots, ..settings(1, 4) };
        MeasuredEnergy::new(&ansatz, &h, s).expect("plan").estimate(&PARAMS).expect("no cap")
    };
    let raw = run(false, None);
    assert!((raw.value - noiseless).abs() > 1e-4, "{raw:?} vs {noiseless}");
    let mitigated = run(true, None);
    assert!((mitigated.value - noiseless).abs() < 1e-12, "{mitigated:?} vs {noiseless}");
    // With shots the mitigated estimate scatters around the noiseless energy, more widely.
    let (raw, mitigated) = (run(false, Some(400_000)), run(true, Some(400_000)));
    assert!((mitigated.value - noiseless).abs() < 4.0 * mitigated.standard_error, "{mitigated:?} vs {noiseless}");
    assert!(mitigated.standard_error > raw.standard_error, "{mitigated:?} vs {raw:?}");
}

/// Zero-noise extrapolation from folded circuits removes most of a two-qubit depolarising bias,
/// and its standard error is the Richardson-weighted combination of the scales'.
#[test]
fn zero_noise_extrapolation_removes_most_of_the_two_qubit_noise_bias() {
    let (ansatz, h) = problem();
    let noiseless = CompiledEnergy::new(&ansatz, &h).energy(&PARAMS);
    let run = |zne_scales: Vec<u32>, shots: Option<u64>| {
        let noise = DeviceNoise {
            mitigation: Mitigation { readout: false, zne_scales },
            ..device(Target::IonqMs, channels(0.0, 0.02, 0.0))
        };
        let s = MeasuredSettings { device: Some(noise), shots_per_evaluation: shots, ..settings(1, 6) };
        let mut measured = MeasuredEnergy::new(&ansatz, &h, s).expect("plan");
        (measured.estimate(&PARAMS).expect("no cap"), measured.shots_used())
    };
    let (raw, _) = run(Vec::new(), None);
    let (extrapolated, _) = run(vec![1, 3, 5], None);
    let (bias, left) = ((raw.value - noiseless).abs(), (extrapolated.value - noiseless).abs());
    assert!(bias > 1e-3 && left < bias / 10.0, "raw {raw:?}, extrapolated {extrapolated:?}, noiseless {noiseless}");
    // 3e5 shots split over three scales; Richardson weights (15/8, −5/4, 3/8) widen the error.
    let (single, _) = run(Vec::new(), Some(300_000));
    let (zne, used) = run(vec![1, 3, 5], Some(300_000));
    assert_eq!(used, 300_000);
    assert!(zne.standard_error > 2.0 * single.standard_error, "{zne:?} vs {single:?}");
    assert!((zne.value - extrapolated.value).abs() < 4.0 * zne.standard_error, "{zne:?} vs {extrapolated:?}");
}

#[test]
fn one_noise_scale_and_an_unreadable_readout_error_are_refused() {
    let (ansatz, h) = problem();
    let refused = |noise: DeviceNoise| {
        MeasuredEnergy::new(&ansatz, &h, MeasuredSettings { device: Some(noise), ..settings(1_000, 1) }).is_err()
    };
    let base = device(Target::IonqMs, channels(0.0, 0.0, 0.5));
    assert!(refused(DeviceNoise { mitigation: Mitigation { readout: true, zne_scales: Vec::new() }, ..base.clone() }));
    assert!(refused(DeviceNoise { mitigation: Mitigation { readout: false, zne_scales: vec![3] }, ..base.clone() }));
    assert!(refused(DeviceNoise { trajectories: Some(1), ..base.clone() }));
    assert!(!refused(base));
}

/// One parameter's parameter-shift derivative is that component of the adjoint gradient: within
/// shot noise with shots, to rounding on exact distributions (state path and noiseless device
/// alike), at `2R_j` evaluations.
#[test]
fn one_partial_derivative_matches_its_adjoint_component() {
    let (ansatz, h) = problem();
    let mut exact = [0.0; 2];
    CompiledEnergy::new(&ansatz, &h).energy_and_gradient(&PARAMS, &mut exact);
    // Parameter 0 drives two rotations, parameter 1 one.
    for (j, pairs) in [(0, 2), (1, 1)] {
        let mut measured = MeasuredEnergy::new(&ansatz, &h, settings(4_000_000, 21 + j as u64)).expect("plan");
        let shifted = measured.partial_derivative(&PARAMS, j).expect("no cap");
        // Each derivative carries an error of about 1e-3 (4e6 shots per evaluation).
        assert!((shifted - exact[j]).abs() < 3e-3, "∂E/∂θ_{j}: parameter shift {shifted} vs adjoint {}", exact[j]);
        assert_eq!(measured.evaluations(), 2 * pairs);
        assert_eq!(measured.shots_used(), 2 * pairs * 4_000_000);

        let exact_distributions = MeasuredSettings { shots_per_evaluation: None, ..settings(1, 1) };
        let mut measured = MeasuredEnergy::new(&ansatz, &h, exact_distributions.clone()).expect("plan");
        let shifted = measured.partial_derivative(&PARAMS, j).expect("no cap");
        assert!((shifted - exact[j]).abs() < 1e-12, "∂E/∂θ_{j}: {shifted} vs {}", exact[j]);
        let noiseless =
            MeasuredSettings { device: Some(device(Target::IonqMs, channels(0.0, 0.0, 0.0))), ..exact_distributions };
        let mut measured = MeasuredEnergy::new(&ansatz, &h, noiseless).expect("plan");
        let shifted = measured.partial_derivative(&PARAMS, j).expect("no cap");
        assert!((shifted - exact[j]).abs() < 1e-9, "device ∂E/∂θ_{j}: {shifted} vs {}", exact[j]);
    }
}

/// A partial derivative whose pairs do not fit in the cap (with the final estimate's reserve)
/// measures nothing.
#[test]
fn a_partial_derivative_beyond_the_cap_measures_nothing() {
    let (ansatz, h) = problem();
    // Parameter 0 needs 4 evaluations and the reserve 1: 5 000 shots; 4 999 leave it unmeasured.
    let capped = MeasuredSettings { shot_cap: Some(4_999), ..settings(1_000, 1) };
    let mut measured = MeasuredEnergy::new(&ansatz, &h, capped).expect("plan");
    assert_eq!(measured.partial_derivative(&PARAMS, 0), Err(MeasureError::BudgetExhausted { used: 0, cap: 4_999 }));
    assert_eq!((measured.evaluations(), measured.shots_used()), (0, 0));
    // Parameter 1 needs 2 and the reserve 1.
    assert!(measured.partial_derivative(&PARAMS, 1).is_ok());
    assert_eq!(measured.shots_used(), 2_000);
}

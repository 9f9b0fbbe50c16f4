//! Measured ADAPT-VQE against exact ADAPT-VQE on H2 and frozen-core LiH (STO-3G): the pool
//! gradients measured by parameter shift choose the operator the exact gradients choose, a run
//! with shots reaches FCI within the shot noise, its draws are reproducible, and a point's shot
//! budget stops it with the final energy still measured.
//!
//! The golden files in `tests/golden/vqe/` hold the active-space integrals and the PySCF FCI
//! (CASCI) energies; `tests/golden/vqe/make_golden.py` regenerates them.

use qdf_compiler::hir::{AnsatzOptions, MappingKind, NoiseModel};
use qdf_runtime::measure::{Allocation, Grouping};
use qdf_runtime::native::Target;
use qdf_runtime::noise::ChannelModel;
use qdf_runtime::qubit::PauliSum;
use qdf_runtime::sim::ansatz::{self, MeasuredAdaptError, MeasuredAdaptResult, MeasuredAdaptSettings};
use qdf_runtime::sim::measured::{DeviceNoise, MeasuredSettings, Mitigation};
use qdf_runtime::sim::optimize::{OptimizeError, OptimizerSettings};
use qdf_runtime::sim::{Ansatz, CompiledEnergy, EnergyFunction, VqeOptions};

mod support;
use support::{golden, space, Golden};

fn options(pool: &str, gradient_threshold: f64, max_operators: u32) -> AnsatzOptions {
    AnsatzOptions {
        trotter_steps: 1,
        spin_adapted: false,
        ordering: "singles_first".into(),
        k: 1,
        layers: 1,
        rotations: vec!["ry".into()],
        entanglement: "linear".into(),
        pool: pool.into(),
        gradient_threshold,
        max_operators,
    }
}

/// Shot noise alone (`shots: None`: exact outcome distributions), SPSA as `qdf run` seeds it.
fn settings(
    shots: Option<u64>,
    shot_cap: Option<u64>,
    seed: u64,
    optimizer: &str,
    max_iter: u64,
) -> MeasuredAdaptSettings {
    MeasuredAdaptSettings {
        measurement: MeasuredSettings {
            shots_per_evaluation: shots,
            grouping: Grouping::QubitWise,
            allocation: Allocation::VarianceOptimal,
            device: None,
            remote: None,
            seed,
            shot_cap,
        },
        optimizer: OptimizerSettings {
            kind: optimizer.into(),
            max_iter,
            tolerance: 1e-6,
            learning_rate: 0.2,
            seed: seed ^ 0x5350_5341,
        },
    }
}

/// The exact `|∂E/∂θ|` at `θ = 0` of the one operator `a` grew from the reference: its pool
/// gradient in the first scan.
fn exact_first_gradient(a: &Ansatz, h: &PauliSum) -> f64 {
    assert_eq!(a.n_parameters(), 1, "one operator grown");
    let mut gradient = [0.0];
    CompiledEnergy::new(a, h).energy_and_gradient(&[0.0], &mut gradient);
    gradient[0].abs()
}

/// The spaces compared: Jordan–Wigner on the full register, and parity with the two-qubit
/// reduction and tapering.
const SPACES: [(MappingKind, bool, bool); 2] =
    [(MappingKind::JordanWigner, false, false), (MappingKind::Parity, true, true)];

/// With exact outcome distributions the parameter-shift pool gradients are the exact ones: the
/// first scan's largest gradient and choice agree with exact ADAPT to rounding, for both pools.
#[test]
fn exact_distributions_choose_as_exact_adapt() {
    for name in ["h2_0.74", "lih_1.6"] {
        let g = golden(name);
        for (mapping, reduction, tapering) in SPACES {
            let (s, h) = space(&g, mapping, reduction, tapering);
            for pool in ["fermionic", "qubit_excitation"] {
                let o = options(pool, 1e-6, 1);
                let exact = ansatz::adapt(&h, &s, &o, &VqeOptions::default()).expect("exact ADAPT");
                let measured =
                    ansatz::adapt_measured(&h, &s, &o, &settings(None, None, 1, "cobyla", 40)).expect("measured");
                eprintln!(
                    "{name} {mapping:?} {pool}: exact {} |g| {:.6}, measured {} |g| {:.6}, {} evaluations",
                    exact.ansatz.parameters[0],
                    exact.max_gradients[0],
                    measured.ansatz.parameters[0],
                    measured.max_gradients[0],
                    measured.evaluations
                );
                // The choice has the largest exact gradient (LiH's two π-pair doubles tie, and
                // rounding may break the tie either way).
                assert!((measured.max_gradients[0] - exact.max_gradients[0]).abs() < 1e-9, "{name} {pool}");
                assert!((exact_first_gradient(&measured.ansatz, &h) - exact.max_gradients[0]).abs() < 1e-9);
                if name == "h2_0.74" {
                    assert_eq!(measured.ansatz.parameters, exact.ansatz.parameters, "{name} {mapping:?} {pool}");
                }
                assert_eq!(measured.shots, 0);
                // The only operator is re-optimised to the exact optimum within COBYLA's tolerance.
                assert!((measured.noiseless_energy - exact.energies[1]).abs() < 1e-5, "{name} {pool}");
                assert!((measured.energy - measured.noiseless_energy).abs() < 1e-12);
            }
        }
    }
}

/// With a million shots per evaluation the measured pool gradients still choose the exact
/// ADAPT's first operator, and its measured gradient is the exact one within the shot noise.
#[test]
fn many_shots_choose_the_first_operator_of_exact_adapt() {
    for name in ["h2_0.74", "lih_1.6"] {
        let g = golden(name);
        let (s, h) = space(&g, MappingKind::JordanWigner, false, false);
        let o = options("fermionic", 1e-6, 1);
        let exact = ansatz::adapt(&h, &s, &o, &VqeOptions::default()).expect("exact ADAPT");
        let measured =
            ansatz::adapt_measured(&h, &s, &o, &settings(Some(1_000_000), None, 7, "spsa", 5)).expect("measured");
        eprintln!(
            "{name}: exact {} |g| {:.5}, measured {} |g| {:.5}",
            exact.ansatz.parameters[0],
            exact.max_gradients[0],
            measured.ansatz.parameters[0],
            measured.max_gradients[0]
        );
        // One of the operators with the largest exact gradient (LiH's π-pair doubles tie).
        let chosen = exact_first_gradient(&measured.ansatz, &h);
        assert!((chosen - exact.max_gradients[0]).abs() < 1e-9, "{name}: {} chosen", measured.ansatz.parameters[0]);
        let relative = (measured.max_gradients[0] - exact.max_gradients[0]).abs() / exact.max_gradients[0];
        assert!(relative < 0.05, "{name}: {} vs {}", measured.max_gradients[0], exact.max_gradients[0]);
        assert_eq!(measured.shots, measured.evaluations * 1_000_000);
    }
}

fn h2_with_shots(seed: u64) -> (Golden, MeasuredAdaptResult) {
    let g = golden("h2_0.74");
    let (s, h) = space(&g, MappingKind::JordanWigner, false, false);
    let r =
        ansatz::adapt_measured(&h, &s, &options("fermionic", 1e-2, 3), &settings(Some(20_000), None, seed, "spsa", 60))
            .expect("measured ADAPT");
    (g, r)
}

/// H2 with 2e4 shots per evaluation: the double is chosen first, the noiseless energy of the
/// grown circuit is within a few mHa of FCI, the measured energy within the shot noise of it, and
/// every evaluation (pool gradients included) took its shots.
#[test]
fn h2_with_shots_reaches_fci_within_the_shot_noise() {
    let (g, r) = h2_with_shots(11);
    eprintln!(
        "H2: {:?}, E = {:.6} ± {:.6}, noiseless {:.6}, FCI {:.6}, {} evaluations, {} iterations, converged {}",
        r.ansatz.parameters,
        r.energy,
        r.standard_error,
        r.noiseless_energy,
        g.e_fci,
        r.evaluations,
        r.iterations,
        r.converged
    );
    assert_eq!(r.ansatz.parameters[0], "2^ 3^ 1 0");
    assert!(r.noiseless_energy - g.e_fci < 5e-3 && r.noiseless_energy > g.e_fci - 1e-9, "{}", r.noiseless_energy);
    assert!((r.energy - r.noiseless_energy).abs() < 4.0 * r.standard_error, "{} ± {}", r.energy, r.standard_error);
    assert!(r.standard_error > 0.0);
    assert_eq!(r.shots, r.evaluations * 20_000);
    assert_eq!(r.energies.len(), r.params.len());
    assert!(r.stopped.is_none());
    // The same seed draws the same shots; another draws others.
    let (_, again) = h2_with_shots(11);
    assert_eq!((again.params.clone(), again.energy, again.evaluations), (r.params.clone(), r.energy, r.evaluations));
    let (_, other) = h2_with_shots(12);
    assert_ne!(other.energy, r.energy);
}

/// A point's shot cap covers the whole run: it stops inside the cap, says why, and the energy
/// of the circuit it kept is still measured (with the reserved shots).
#[test]
fn the_shot_cap_stops_the_run_inside_it() {
    let g = golden("h2_0.74");
    let (s, h) = space(&g, MappingKind::JordanWigner, false, false);
    let o = options("fermionic", 1e-6, 5);
    // Enough for the first scan (2 × (2 + 2 + 8) evaluations) and part of one re-optimisation.
    let cap = 60 * 10_000;
    let r = ansatz::adapt_measured(&h, &s, &o, &settings(Some(10_000), Some(cap), 3, "spsa", 100)).expect("runs");
    eprintln!("capped: {:?}, {} shots, stopped {:?}", r.ansatz.parameters, r.shots, r.stopped);
    assert!(r.shots <= cap && r.shots == r.evaluations * 10_000);
    assert!(r.stopped.as_deref().is_some_and(|s| s.contains("re-optimising step 1")), "{:?}", r.stopped);
    assert!(!r.converged);
    assert_eq!(r.ansatz.parameters, ["2^ 3^ 1 0"]);
    assert!((r.energy - r.noiseless_energy).abs() < 4.0 * r.standard_error);

    // Too few shots for the first scan: no operator, the reference's energy measured.
    let cap = 10 * 10_000;
    let r = ansatz::adapt_measured(&h, &s, &o, &settings(Some(10_000), Some(cap), 3, "spsa", 100)).expect("runs");
    assert!(r.params.is_empty() && r.max_gradients.is_empty());
    assert!(r.stopped.as_deref().is_some_and(|s| s.contains("pool gradients of step 1")), "{:?}", r.stopped);
    assert!(r.shots <= cap);
    assert!((r.noiseless_energy - g.e_hf).abs() < 1e-9);
    assert!((r.energy - g.e_hf).abs() < 4.0 * r.standard_error, "{} ± {} vs HF {}", r.energy, r.standard_error, g.e_hf);
}

/// On a depolarising device (exact noisy distributions by density matrix) the pool gradients are
/// damped but still choose the double, and the measured energy lies above the noiseless one (the
/// gate path reaches FCI exactly when the channels are switched off).
#[test]
fn device_noise_damps_the_gradients_and_raises_the_energy() {
    let g = golden("h2_0.74");
    let (s, h) = space(&g, MappingKind::JordanWigner, false, false);
    let o = options("fermionic", 1e-6, 1);
    let exact = ansatz::adapt(&h, &s, &o, &VqeOptions::default()).expect("exact ADAPT");
    let model = NoiseModel {
        depolarizing_1q: 1e-3,
        depolarizing_2q: 1e-2,
        readout_error: 0.0,
        dephasing: false,
        t2: None,
        time_1q: None,
        time_2q: None,
    };
    let device = DeviceNoise {
        target: Target::IonqMs,
        channels: ChannelModel::from_model(&model).expect("channels"),
        trajectories: None,
        mitigation: Mitigation::default(),
    };
    let mut noisy = settings(None, None, 2, "cobyla", 40);
    noisy.measurement.device = Some(device.clone());
    let quiet = NoiseModel { depolarizing_1q: 0.0, depolarizing_2q: 0.0, ..model };
    let mut noiseless = settings(None, None, 2, "cobyla", 40);
    noiseless.measurement.device =
        Some(DeviceNoise { channels: ChannelModel::from_model(&quiet).expect("channels"), ..device });
    let r = ansatz::adapt_measured(&h, &s, &o, &noiseless).expect("measured ADAPT");
    assert!((r.max_gradients[0] - exact.max_gradients[0]).abs() < 1e-9);
    assert!((r.energy - g.e_fci).abs() < 1e-6 && (r.energy - r.noiseless_energy).abs() < 1e-9, "{}", r.energy);
    let r = ansatz::adapt_measured(&h, &s, &o, &noisy).expect("measured ADAPT");
    eprintln!(
        "device: {:?} |g| {:.5} (exact {:.5}), E = {:.6}, noiseless {:.6}",
        r.ansatz.parameters, r.max_gradients[0], exact.max_gradients[0], r.energy, r.noiseless_energy
    );
    assert_eq!(r.ansatz.parameters, exact.ansatz.parameters);
    assert!(r.max_gradients[0] < exact.max_gradients[0] && r.max_gradients[0] > 0.8 * exact.max_gradients[0]);
    // Noise inside the circuit also moves the optimum: the noiseless energy there is above FCI.
    assert!(
        r.energy > r.noiseless_energy && r.noiseless_energy > g.e_fci + 1e-3,
        "{} vs {}",
        r.energy,
        r.noiseless_energy
    );
    assert_eq!(r.standard_error, 0.0);
    assert_eq!(r.shots, 0);
}

/// Quasi-Newton re-optimisers need exact energies and are refused.
#[test]
fn quasi_newton_reoptimisation_is_refused() {
    let g = golden("h2_0.74");
    let (s, h) = space(&g, MappingKind::JordanWigner, false, false);
    let err =
        ansatz::adapt_measured(&h, &s, &options("fermionic", 1e-6, 2), &settings(Some(10_000), None, 1, "lbfgs", 10))
            .expect_err("refused");
    assert_eq!(err, MeasuredAdaptError::Optimize(OptimizeError::NeedsExactEnergies("lbfgs".into())));
}

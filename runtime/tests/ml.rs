//! The learning stack: descriptors, MLP (dfdx), kernel ridge regression, splits and metrics.

// A failed unwrap is a failed test, with the error in the message.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use qdf_runtime::ml::features::{coulomb_eigenvalues, coulomb_upper_triangle, inverse_distances};
use qdf_runtime::ml::{
    fit, metrics, split_points, train_krr, train_mlp, Activation, Atom, CmpOp, CoulombForm, FeatureKind, Kernel,
    KrrSpec, MlError, MlpSpec, ModelSpec, Regressor, Split, SplitRule, Standardizer, TrainedMlp,
};

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}

fn assert_all_close(actual: &[f64], expected: &[f64], tol: f64) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert!(close(*a, *e, tol), "index {i}: {a} vs {e} (all: {actual:?} vs {expected:?})");
    }
}

fn h2(r: f64) -> Vec<Atom> {
    vec![(1, [0.0, 0.0, 0.0]), (1, [0.0, 0.0, r])]
}

/// O at the origin, the hydrogens at (0, ±1.2, 1.6) bohr: r(OH) = 2.0, r(HH) = 2.4.
fn water() -> Vec<Atom> {
    vec![(8, [0.0, 0.0, 0.0]), (1, [0.0, 1.2, 1.6]), (1, [0.0, -1.2, 1.6])]
}

fn bits(values: &[f64]) -> Vec<u64> {
    values.iter().map(|v| v.to_bits()).collect()
}

fn temp_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("qdf-ml-test-{}-{name}", std::process::id()))
}

// ---------------------------------------------------------------- features

#[test]
fn h2_features_by_hand() {
    assert_all_close(&inverse_distances(&h2(1.4)).unwrap(), &[1.0 / 1.4], 1e-15);
    // M = [[0.5, 1/1.4], [1/1.4, 0.5]] for two protons.
    assert_all_close(&coulomb_upper_triangle(&h2(1.4)).unwrap(), &[0.5, 1.0 / 1.4, 0.5], 1e-15);
    assert_all_close(&coulomb_eigenvalues(&h2(1.4)).unwrap(), &[0.5 + 1.0 / 1.4, 0.5 - 1.0 / 1.4], 1e-13);
}

#[test]
fn water_features_by_hand() {
    let atoms = water();
    assert_all_close(&inverse_distances(&atoms).unwrap(), &[0.5, 0.5, 1.0 / 2.4], 1e-14);
    let a = 0.5 * 8f64.powf(2.4);
    let (b, c, d) = (8.0 / 2.0, 0.5, 1.0 / 2.4);
    assert_all_close(&coulomb_upper_triangle(&atoms).unwrap(), &[a, b, b, c, d, c], 1e-14);
    // M = [[a, b, b], [b, c, d], [b, d, c]]: (0, 1, −1) gives c − d; the symmetric block
    // [[a, √2 b], [√2 b, c + d]] gives the other two.
    let mid = (a + c + d) / 2.0;
    let half_gap = (((a - c - d) / 2.0).powi(2) + 2.0 * b * b).sqrt();
    let expected = [mid + half_gap, mid - half_gap, c - d];
    let mut sorted = expected;
    sorted.sort_by(|x, y| y.total_cmp(x));
    assert_all_close(&coulomb_eigenvalues(&atoms).unwrap(), &sorted, 1e-12);
}

#[test]
fn feature_kinds_and_errors() {
    assert_eq!(FeatureKind::from_name("inverse_distances"), Ok(FeatureKind::InverseDistances));
    assert_eq!(
        FeatureKind::from_name("coulomb_matrix"),
        Ok(FeatureKind::CoulombMatrix(CoulombForm::SortedEigenvalues))
    );
    assert!(matches!(FeatureKind::from_name("soap"), Err(MlError::UnknownChoice { .. })));
    assert_eq!(FeatureKind::InverseDistances.len(3), 3);
    assert_eq!(FeatureKind::CoulombMatrix(CoulombForm::UpperTriangle).len(3), 6);
    assert_eq!(inverse_distances(&h2(1.0)[..1]), Err(MlError::TooFewAtoms { needed: 2, found: 1 }));
    assert_eq!(inverse_distances(&[]), Err(MlError::TooFewAtoms { needed: 2, found: 0 }));
    assert_eq!(inverse_distances(&h2(0.0)), Err(MlError::CoincidentAtoms { i: 0, j: 1 }));
    assert!(matches!(inverse_distances(&h2(f64::NAN)), Err(MlError::NonFinite { .. })));

    let rows = FeatureKind::InverseDistances.compute_all(&[h2(1.0), h2(2.0)]).unwrap();
    assert_eq!(rows, vec![vec![1.0], vec![0.5]]);
    assert!(FeatureKind::InverseDistances.compute_all(&[h2(1.0), water()]).is_err());
    // Sorted eigenvalues compare different molecules: the smaller one is zero-padded.
    let rows = FeatureKind::CoulombMatrix(CoulombForm::SortedEigenvalues).compute_all(&[h2(1.4), water()]).unwrap();
    assert_eq!(rows[0].len(), 3);
    assert_eq!(rows[0][2], 0.0);
    assert!(matches!(FeatureKind::InverseDistances.compute_all(&[]), Err(MlError::Empty { .. })));
}

#[test]
fn standardizer_uses_training_statistics_only() {
    let train = vec![vec![1.0, 10.0], vec![3.0, 10.0]];
    let s = Standardizer::fit(&train).unwrap();
    assert_eq!(s.mean, vec![2.0, 10.0]);
    // The second feature is constant: it is centred but keeps scale 1.
    assert_eq!(s.std, vec![1.0, 1.0]);
    assert_eq!(s.transform(&[5.0, 12.0]).unwrap(), vec![3.0, 2.0]);
    assert_eq!(s.transform_all(&train).unwrap(), vec![vec![-1.0, 0.0], vec![1.0, 0.0]]);
    assert!(matches!(s.transform(&[1.0]), Err(MlError::LengthMismatch { .. })));
    assert!(matches!(Standardizer::fit(&[]), Err(MlError::Empty { .. })));
    assert!(matches!(Standardizer::fit(&[vec![1.0], vec![1.0, 2.0]]), Err(MlError::RaggedFeatures { row: 1, .. })));
}

// ---------------------------------------------------------------- MLP

/// A Morse-like H2 curve: E(r) = D (1 − e^{−a (r − r_e)})² − D − 1, hartree, r in bohr.
fn morse(r: f64) -> f64 {
    let (d, a, re) = (0.17, 1.0, 1.4);
    d * (1.0 - (-a * (r - re)).exp()).powi(2) - d - 1.0
}

/// Inverse-distance rows and Morse energies on `n` bond lengths in [1.0, 4.0] bohr.
fn morse_data(n: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
    let rs: Vec<f64> = (0..n).map(|i| 1.0 + 3.0 * i as f64 / (n - 1) as f64).collect();
    let x = FeatureKind::InverseDistances.compute_all(&rs.iter().map(|&r| h2(r)).collect::<Vec<_>>()).unwrap();
    (x, rs.iter().map(|&r| morse(r)).collect())
}

fn small_spec(seed: u64) -> MlpSpec {
    MlpSpec {
        hidden: vec![16, 16],
        activation: Activation::Silu,
        epochs: 400,
        learning_rate: 1e-2,
        batch_size: None,
        weight_decay: 0.0,
        seed,
    }
}

#[test]
fn mlp_learns_a_morse_curve() {
    let (x, y) = morse_data(40);
    // Hold out every fourth point to check the fit between training points too.
    let train: Vec<usize> = (0..40).filter(|i| i % 4 != 1).collect();
    let test: Vec<usize> = (0..40).filter(|i| i % 4 == 1).collect();
    let pick = |idx: &[usize]| {
        (idx.iter().map(|&i| x[i].clone()).collect::<Vec<_>>(), idx.iter().map(|&i| y[i]).collect::<Vec<_>>())
    };
    let (x_train, y_train) = pick(&train);
    let (x_test, y_test) = pick(&test);

    let model = train_mlp(&x_train, &y_train, &small_spec(7)).unwrap();
    let history = model.loss_history();
    assert_eq!(history.len(), 400);
    assert!(history[399] < history[0] * 1e-3, "loss {} -> {}", history[0], history[399]);

    let fit_train = metrics(&model.predict(&x_train).unwrap(), &y_train).unwrap();
    let fit_test = metrics(&model.predict(&x_test).unwrap(), &y_test).unwrap();
    // The curve spans 170 mHa; a small network should be within a few mHa everywhere.
    assert!(fit_train.mae < 2e-3, "train {fit_train:?}");
    assert!(fit_test.max_abs_error < 5e-3, "test {fit_test:?}");
}

#[test]
fn mlp_with_every_activation_and_minibatches_trains() {
    let (x, y) = morse_data(20);
    for activation in [Activation::Relu, Activation::Silu, Activation::Tanh, Activation::Gelu] {
        let spec = MlpSpec { activation, epochs: 60, batch_size: Some(6), weight_decay: 1e-4, ..small_spec(3) };
        let model = train_mlp(&x, &y, &spec).unwrap();
        let h = model.loss_history();
        assert!(h.iter().all(|v| v.is_finite()));
        assert!(h[h.len() - 1] < h[0], "{activation}: {} -> {}", h[0], h[h.len() - 1]);
        assert_eq!(model.widths(), &[1, 16, 16, 1]);
    }
}

#[test]
fn mlp_is_deterministic_for_a_seed() {
    let (x, y) = morse_data(21);
    for batch_size in [None, Some(5)] {
        let spec = MlpSpec { epochs: 50, batch_size, ..small_spec(11) };
        let a = train_mlp(&x, &y, &spec).unwrap();
        let b = train_mlp(&x, &y, &spec).unwrap();
        assert_eq!(bits(&a.predict(&x).unwrap()), bits(&b.predict(&x).unwrap()));
        assert_eq!(bits(a.weight(0).unwrap()), bits(b.weight(0).unwrap()));
        assert_eq!(bits(a.loss_history()), bits(b.loss_history()));
        assert_eq!(a, b);

        let c = train_mlp(&x, &y, &MlpSpec { seed: 12, ..spec.clone() }).unwrap();
        assert_ne!(bits(&a.predict(&x).unwrap()), bits(&c.predict(&x).unwrap()));
    }
}

#[test]
fn mlp_safetensors_round_trip() {
    let (x, y) = morse_data(12);
    let spec = MlpSpec { hidden: vec![8, 5], epochs: 30, activation: Activation::Tanh, ..small_spec(5) };
    let model = train_mlp(&x, &y, &spec).unwrap();
    let path = temp_path("round-trip.safetensors");
    model.save_safetensors(&path).unwrap();
    let loaded = TrainedMlp::load_safetensors(&path).unwrap();
    assert_eq!(bits(&model.predict(&x).unwrap()), bits(&loaded.predict(&x).unwrap()));
    assert_eq!(loaded.widths(), &[1, 8, 5, 1]);
    assert_eq!(loaded.activation(), Activation::Tanh);

    // PyTorch's layout: layer{i}.weight is [out, in], f64, row-major.
    let bytes = std::fs::read(&path).unwrap();
    let file = safetensors::SafeTensors::deserialize(&bytes).unwrap();
    let w1 = file.tensor("layer1.weight").unwrap();
    assert_eq!(w1.shape(), &[5, 8]);
    assert_eq!(w1.dtype(), safetensors::Dtype::F64);
    let first = f64::from_le_bytes(w1.data()[..8].try_into().unwrap());
    assert_eq!(first.to_bits(), model.weight(1).unwrap()[0].to_bits());
    assert_eq!(file.tensor("layer2.bias").unwrap().shape(), &[1]);
    assert_eq!(file.tensor("normalizer.input_mean").unwrap().shape(), &[1]);
    std::fs::remove_file(&path).unwrap();

    assert!(matches!(TrainedMlp::from_safetensors(b"not a safetensors file"), Err(MlError::Format(_))));
    assert!(matches!(TrainedMlp::load_safetensors(&temp_path("missing.safetensors")), Err(MlError::Io { .. })));
}

#[test]
fn mlp_rejects_bad_input_without_panicking() {
    let spec = small_spec(0);
    assert_eq!(train_mlp(&[], &[], &spec), Err(MlError::Empty { what: "the training set" }));
    assert!(matches!(train_mlp(&[vec![1.0]], &[], &spec), Err(MlError::LengthMismatch { .. })));
    assert!(matches!(train_mlp(&[vec![]], &[1.0], &spec), Err(MlError::Empty { .. })));
    assert!(matches!(
        train_mlp(&[vec![1.0], vec![1.0, 2.0]], &[1.0, 2.0], &spec),
        Err(MlError::RaggedFeatures { row: 1, expected: 1, found: 2 })
    ));
    assert!(matches!(train_mlp(&[vec![f64::NAN]], &[1.0], &spec), Err(MlError::NonFinite { .. })));
    assert!(matches!(
        train_mlp(&[vec![1.0]], &[1.0], &MlpSpec { hidden: vec![4, 0], ..spec.clone() }),
        Err(MlError::InvalidSpec(_))
    ));
    assert!(matches!(
        train_mlp(&[vec![1.0]], &[1.0], &MlpSpec { learning_rate: 0.0, ..spec.clone() }),
        Err(MlError::InvalidSpec(_))
    ));
    assert!(matches!(
        train_mlp(&[vec![1.0]], &[1.0], &MlpSpec { batch_size: Some(0), ..spec.clone() }),
        Err(MlError::InvalidSpec(_))
    ));

    // An absurd learning rate diverges: a typed error, not a model full of NaN.
    let (x, y) = morse_data(10);
    assert!(matches!(
        train_mlp(&x, &y, &MlpSpec { learning_rate: 1e300, epochs: 50, ..spec.clone() }),
        Err(MlError::Diverged { .. })
    ));

    // One point, a linear model, zero epochs: all fine.
    let model = train_mlp(&[vec![1.0]], &[-1.1], &MlpSpec { hidden: vec![], epochs: 0, ..spec }).unwrap();
    assert_eq!(model.widths(), &[1, 1]);
    assert_eq!(model.predict(&[]).unwrap(), Vec::<f64>::new());
    assert!(matches!(model.predict(&[vec![1.0, 2.0]]), Err(MlError::RaggedFeatures { .. })));
}

// ---------------------------------------------------------------- kernel ridge regression

#[test]
fn krr_interpolates_training_points_as_ridge_vanishes() {
    let x: Vec<Vec<f64>> = (0..6).map(|i| vec![i as f64 * 0.7, (i as f64).sin()]).collect();
    let y: Vec<f64> = x.iter().map(|r| -1.0 + 0.1 * r[0] * r[0] - 0.05 * r[1]).collect();
    for kernel in [Kernel::Rbf, Kernel::Laplacian] {
        let spec = KrrSpec { kernel, length_scale: 0.8, regularization: 1e-12 };
        let model = train_krr(&x, &y, &spec).unwrap();
        assert_all_close(&model.predict(&x).unwrap(), &y, 1e-9);
        // Deterministic: a second fit gives the same bits.
        let again = train_krr(&x, &y, &spec).unwrap();
        assert_eq!(bits(model.alpha()), bits(again.alpha()));
    }
}

#[test]
fn krr_matches_a_hand_solved_three_point_case() {
    // x = 0, 1, 2; y = 1, −2, 1 (mean 0); RBF with ℓ = 1; λ = 0.1.
    // K = [[1, a, b], [a, 1, a], [b, a, 1]], a = e^{−1/2}, b = e^{−2}. By symmetry α = (p, q, p):
    //   (1 + λ + b) p + a q = 1,   2 a p + (1 + λ) q = −2.
    let (a, b, lambda) = ((-0.5f64).exp(), (-2.0f64).exp(), 0.1);
    let (m11, m12, m21, m22) = (1.0 + lambda + b, a, 2.0 * a, 1.0 + lambda);
    let det = m11 * m22 - m12 * m21;
    let p = (1.0 * m22 - m12 * -2.0) / det;
    let q = (m11 * -2.0 - m21 * 1.0) / det;

    let x = vec![vec![0.0], vec![1.0], vec![2.0]];
    let model =
        train_krr(&x, &[1.0, -2.0, 1.0], &KrrSpec { kernel: Kernel::Rbf, length_scale: 1.0, regularization: lambda })
            .unwrap();
    assert_eq!(model.offset(), 0.0);
    assert_all_close(model.alpha(), &[p, q, p], 1e-13);
    // At x = 0.5 the kernel row is (e^{−1/8}, e^{−1/8}, e^{−9/8}).
    let expected = (p + q) * (-0.125f64).exp() + p * (-1.125f64).exp();
    assert_all_close(&model.predict(&[vec![0.5]]).unwrap(), &[expected], 1e-13);
}

#[test]
fn krr_laplacian_two_point_case_and_errors() {
    // y = (1, −1) antisymmetric: α = (p, −p), p = 1 / (1 + λ − k), k = e^{−|Δx|₁/ℓ}.
    let x = vec![vec![0.0, 0.0], vec![1.0, -1.0]];
    let (lambda, ell) = (0.5, 2.0);
    let k = (-2.0f64 / ell).exp();
    let p = 1.0 / (1.0 + lambda - k);
    let model =
        train_krr(&x, &[1.0, -1.0], &KrrSpec { kernel: Kernel::Laplacian, length_scale: ell, regularization: lambda })
            .unwrap();
    assert_all_close(model.alpha(), &[p, -p], 1e-14);
    assert_all_close(&model.predict(&x[..1]).unwrap(), &[p * (1.0 - k)], 1e-14);

    let spec = KrrSpec { kernel: Kernel::Rbf, length_scale: 1.0, regularization: 0.0 };
    assert!(matches!(train_krr(&[], &[], &spec), Err(MlError::Empty { .. })));
    assert!(matches!(
        train_krr(&x, &[1.0, 2.0], &KrrSpec { length_scale: 0.0, ..spec.clone() }),
        Err(MlError::InvalidSpec(_))
    ));
    // Two identical points with no ridge: the kernel matrix is singular.
    assert!(matches!(train_krr(&[vec![1.0], vec![1.0]], &[1.0, 2.0], &spec), Err(MlError::NotPositiveDefinite { .. })));
    assert!(matches!(model.predict(&[vec![1.0]]), Err(MlError::RaggedFeatures { .. })));
    assert_eq!(Kernel::from_name("laplacian"), Ok(Kernel::Laplacian));
}

// ---------------------------------------------------------------- splits

#[test]
fn random_split_is_seeded_and_covers_every_point() {
    let rule = SplitRule::Random { test: 0.25 };
    let a = split_points(20, &[], &rule, 7).unwrap();
    assert_eq!(a.test.len(), 5);
    assert_eq!(a.train.len(), 15);
    let mut all: Vec<usize> = a.train.iter().chain(&a.test).copied().collect();
    all.sort_unstable();
    assert_eq!(all, (0..20).collect::<Vec<_>>());
    assert!(a.test.windows(2).all(|w| w[0] < w[1]) && a.train.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(split_points(20, &[], &rule, 7).unwrap(), a);
    assert_ne!(split_points(20, &[], &rule, 8).unwrap(), a);

    // At least one point on each side, whatever the fraction.
    let tiny = split_points(3, &[], &SplitRule::Random { test: 0.01 }, 1).unwrap();
    assert_eq!((tiny.train.len(), tiny.test.len()), (2, 1));
    let huge = split_points(3, &[], &SplitRule::Random { test: 0.99 }, 1).unwrap();
    assert_eq!((huge.train.len(), huge.test.len()), (1, 2));

    assert!(matches!(split_points(1, &[], &rule, 0), Err(MlError::InvalidSpec(_))));
    assert!(matches!(split_points(0, &[], &rule, 0), Err(MlError::InvalidSpec(_))));
    for test in [0.0, 1.0, -0.5, f64::NAN] {
        assert!(matches!(split_points(10, &[], &SplitRule::Random { test }, 0), Err(MlError::InvalidSpec(_))));
    }
}

#[test]
fn condition_splits_hold_out_matching_points() {
    // r = 1.0, 1.5, …, 3.0 (5 points); the `==` case goes through a unit conversion.
    let r: Vec<f64> = (0..5).map(|i| 1.0 + 0.5 * i as f64).collect();
    let angle = [0.0, 0.0, 0.0, 0.0, 0.0];
    let scan: [(&str, &[f64]); 2] = [("theta", &angle), ("r", &r)];
    let split = |op: &str, value: f64| {
        split_points(
            5,
            &scan,
            &SplitRule::Condition { variable: "r".into(), op: CmpOp::from_symbol(op).unwrap(), value },
            0,
        )
    };
    let expect = |train: &[usize], test: &[usize]| Split { train: train.to_vec(), test: test.to_vec() };
    assert_eq!(split(">", 2.0).unwrap(), expect(&[0, 1, 2], &[3, 4]));
    assert_eq!(split(">=", 2.0).unwrap(), expect(&[0, 1], &[2, 3, 4]));
    assert_eq!(split("<", 2.0).unwrap(), expect(&[2, 3, 4], &[0, 1]));
    assert_eq!(split("<=", 2.0).unwrap(), expect(&[3, 4], &[0, 1, 2]));
    let two_in_bohr = (2.0 * 0.529_177_210_903) / 0.529_177_210_903;
    assert_eq!(split("==", two_in_bohr).unwrap(), expect(&[0, 1, 3, 4], &[2]));
    assert_eq!(split("!=", 2.0).unwrap(), expect(&[2], &[0, 1, 3, 4]));
    // `>` excludes a value equal within round-off.
    assert_eq!(split(">", 2.0 - 1e-13).unwrap(), expect(&[0, 1, 2], &[3, 4]));

    assert!(matches!(split(">", 10.0), Err(MlError::EmptySplitSide { side: "test", .. })));
    assert!(matches!(split(">", 0.0), Err(MlError::EmptySplitSide { side: "training", .. })));
    let unknown = SplitRule::Condition { variable: "phi".into(), op: CmpOp::Gt, value: 0.0 };
    assert_eq!(
        split_points(5, &scan, &unknown, 0),
        Err(MlError::UnknownScanVariable { name: "phi".into(), available: vec!["theta".into(), "r".into()] })
    );
    assert!(matches!(split_points(6, &scan, &unknown, 0), Err(MlError::UnknownScanVariable { .. })));
    let short = SplitRule::Condition { variable: "r".into(), op: CmpOp::Gt, value: 2.0 };
    assert!(matches!(split_points(6, &scan, &short, 0), Err(MlError::LengthMismatch { .. })));
    assert!(matches!(CmpOp::from_symbol("=>"), Err(MlError::UnknownChoice { .. })));
}

#[test]
fn split_rules_come_from_the_hir() {
    use qdf_compiler::hir;
    let rule = SplitRule::from_hir(&hir::Split::Condition {
        strategy: "extrapolate".into(),
        variable: "r".into(),
        op: ">=".into(),
        value: 3.78,
    })
    .unwrap();
    assert_eq!(rule, SplitRule::Condition { variable: "r".into(), op: CmpOp::Ge, value: 3.78 });
    assert_eq!(SplitRule::from_hir(&hir::Split::Random { test: 0.2 }).unwrap(), SplitRule::Random { test: 0.2 });
}

// ---------------------------------------------------------------- metrics

#[test]
fn metrics_on_known_vectors() {
    let truth = [1.001, 2.0, 2.997];
    let predicted = [1.0, 2.0, 3.0];
    // Errors (prediction − truth): −0.001, 0, +0.003.
    let m = metrics(&predicted, &truth).unwrap();
    assert_eq!(m.n, 3);
    assert!(close(m.mae, 0.004 / 3.0, 1e-9));
    assert!(close(m.rmse, (1e-5f64 / 3.0).sqrt(), 1e-9));
    assert!(close(m.max_abs_error, 0.003, 1e-9));
    assert!(close(m.mean_error, 0.002 / 3.0, 1e-9));
    assert!(close(m.npe, 0.004, 1e-9));
    assert!(close(m.within_chemical_accuracy, 2.0 / 3.0, 1e-15));

    let exact = metrics(&truth, &truth).unwrap();
    assert_eq!((exact.mae, exact.rmse, exact.max_abs_error, exact.within_chemical_accuracy), (0.0, 0.0, 0.0, 1.0));
    assert!(matches!(metrics(&[], &[]), Err(MlError::Empty { .. })));
    assert!(matches!(metrics(&[1.0], &[1.0, 2.0]), Err(MlError::LengthMismatch { .. })));
    assert!(matches!(metrics(&[f64::INFINITY], &[1.0]), Err(MlError::NonFinite { .. })));
}

// ---------------------------------------------------------------- the language's model blocks

#[test]
fn model_specs_come_from_the_hir() {
    use qdf_compiler::hir;
    let model = hir::Model {
        name: "delta".into(),
        kind: "krr".into(),
        features: "coulomb_matrix".into(),
        target: hir::Target { baseline: Some("hf".into()) },
        hidden: vec![64, 64],
        activation: "silu".into(),
        kernel: "laplacian".into(),
        regularization: 1e-6,
        length_scale: 2.0,
    };
    let spec = ModelSpec::from_parts(&model, 1000, 1e-3, None, 0.0, 7).unwrap();
    assert_eq!(spec, ModelSpec::Krr(KrrSpec { kernel: Kernel::Laplacian, length_scale: 2.0, regularization: 1e-6 }));
    let (x, y) = morse_data(8);
    let fitted = fit(&spec, &x, &y).unwrap();
    assert_eq!(fitted.n_features(), 1);
    assert_all_close(&fitted.predict(&x).unwrap(), &y, 1e-4);

    let mlp = hir::Model { kind: "mlp".into(), activation: "gelu".into(), hidden: vec![32, 16], ..model.clone() };
    let ModelSpec::Mlp(spec) = ModelSpec::from_parts(&mlp, 20, 1e-2, Some(4), 1e-5, 3).unwrap() else {
        panic!("expected an MLP spec");
    };
    assert_eq!(spec.hidden, vec![32, 16]);
    assert_eq!(spec.activation, Activation::Gelu);
    assert_eq!((spec.epochs, spec.batch_size, spec.seed), (20, Some(4), 3));
    let bad = hir::Model { activation: "softplus".into(), ..mlp };
    assert!(matches!(ModelSpec::from_parts(&bad, 1, 1e-3, None, 0.0, 0), Err(MlError::UnknownChoice { .. })));
}

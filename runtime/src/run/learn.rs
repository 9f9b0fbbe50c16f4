//! Training a model on a dataset's records and scoring it against the truth on held-out points:
//! one "arm" per label source. A comparison is the same protocol repeated for several labels.

use qdf_compiler::hir;

use super::store::PointRecord;
use crate::ml::{self, FeatureKind, Metrics, ModelSpec, Regressor, SplitRule, Standardizer, TrainedModel};

/// The training protocol, as the IR's training task holds it.
#[derive(Clone, Debug)]
pub struct Protocol<'a> {
    pub model: &'a hir::Model,
    pub split: &'a hir::Split,
    pub epochs: u64,
    pub learning_rate: f64,
    pub batch_size: Option<u64>,
    pub weight_decay: f64,
    pub seed: u64,
}

/// One trained arm: which points it trained and tested on, its energy predictions at every point,
/// and its scores on the test points.
#[derive(Debug)]
pub struct Arm {
    pub label: String,
    pub train: Vec<usize>,
    pub test: Vec<usize>,
    /// Predicted total energy at every point (hartree), baseline added back for Δ targets.
    pub predictions: Vec<f64>,
    pub test_metrics: Metrics,
    pub model: TrainedModel,
}

/// Trains `protocol` on `records` (the dataset's successful points, in order) with `label`
/// energies as targets, and scores the test points against `truth` energies. Failure contract:
/// a reason for people when a label is missing at some point, the split is impossible, or the
/// model cannot be fitted.
pub fn train_arm(records: &[&PointRecord], protocol: &Protocol<'_>, label: &str, truth: &str) -> Result<Arm, String> {
    let energies = |method: &str| -> Result<Vec<f64>, String> {
        records
            .iter()
            .map(|r| {
                r.energy(method).ok_or_else(|| format!("point {} of {} has no `{method}` energy", r.point, r.molecule))
            })
            .collect()
    };
    let labels = energies(label)?;
    let truth_energies = energies(truth)?;
    let baseline = match &protocol.model.target.baseline {
        Some(method) => energies(method)?,
        None => vec![0.0; records.len()],
    };
    let targets: Vec<f64> = labels.iter().zip(&baseline).map(|(e, b)| e - b).collect();

    let kind = FeatureKind::from_name(&protocol.model.features).map_err(|e| e.to_string())?;
    let geometries: Vec<Vec<ml::Atom>> = records
        .iter()
        .map(|r| {
            r.symbols
                .iter()
                .zip(&r.positions_bohr)
                .map(|(symbol, &position)| (atomic_number(symbol), position))
                .collect()
        })
        .collect();
    let features = kind.compute_all(&geometries).map_err(|e| e.to_string())?;

    let names: Vec<String> =
        records.first().map(|r| r.scan.iter().map(|(n, _)| n.clone()).collect()).unwrap_or_default();
    let columns: Vec<Vec<f64>> =
        (0..names.len()).map(|i| records.iter().map(|r| r.scan.get(i).map_or(f64::NAN, |s| s.1)).collect()).collect();
    let scan: Vec<(&str, &[f64])> = names.iter().map(String::as_str).zip(columns.iter().map(Vec::as_slice)).collect();
    let rule = SplitRule::from_hir(protocol.split).map_err(|e| e.to_string())?;
    let split = ml::split_points(records.len(), &scan, &rule, protocol.seed).map_err(|e| e.to_string())?;

    let train_x: Vec<Vec<f64>> = split.train.iter().map(|&i| features[i].clone()).collect();
    let standardizer = Standardizer::fit(&train_x).map_err(|e| e.to_string())?;
    let train_x = standardizer.transform_all(&train_x).map_err(|e| e.to_string())?;
    let train_y: Vec<f64> = split.train.iter().map(|&i| targets[i]).collect();
    let spec = ModelSpec::from_parts(
        protocol.model,
        protocol.epochs,
        protocol.learning_rate,
        protocol.batch_size,
        protocol.weight_decay,
        protocol.seed,
    )
    .map_err(|e| e.to_string())?;
    let model = ml::fit(&spec, &train_x, &train_y).map_err(|e| e.to_string())?;
    let all_x = standardizer.transform_all(&features).map_err(|e| e.to_string())?;
    let predictions: Vec<f64> =
        model.predict(&all_x).map_err(|e| e.to_string())?.iter().zip(&baseline).map(|(p, b)| p + b).collect();
    let test_predictions: Vec<f64> = split.test.iter().map(|&i| predictions[i]).collect();
    let test_truth: Vec<f64> = split.test.iter().map(|&i| truth_energies[i]).collect();
    let test_metrics = ml::metrics(&test_predictions, &test_truth).map_err(|e| e.to_string())?;
    Ok(Arm { label: label.to_string(), train: split.train, test: split.test, predictions, test_metrics, model })
}

fn atomic_number(symbol: &str) -> u8 {
    qdf_stdlib::element_by_symbol(symbol).map_or(0, |e| e.z)
}

//! Executing an experiment IR into a run directory.
//!
//! ```text
//! <run>/spec.qdf, manifest.json, report.md, plots/*.svg
//! <run>/<dataset>/points.jsonl, points.extxyz, points.npz and fcidump/<molecule>_<point>.fcidump
//!                  (on request)
//! <run>/<training>/predictions.csv, metrics.json, model.safetensors (mlp)
//! <run>/<comparison>/comparison.csv
//! ```
//!
//! Points are computed in order and each is persisted before the next starts; a rerun reuses
//! every stored point whose VQE node hash matches, so a crash or Ctrl-C loses at most one point.
//! Everything derived (extxyz, trainings, report) is rewritten from the stored points.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use qdf_compiler::hir::Execute;
use qdf_compiler::ir::{ExperimentIr, NodeId, Task};

use super::learn::{train_arm, Arm, Protocol};
use super::plan::Plan;
use super::point::{compute_point, Wants};
use super::report::{markdown_table, plot_svg, Curve};
use super::store::{write_atomically, PointRecord, Store};
use super::vqe::Backends;
use crate::ionq::{IonqClient, IONQ_API_ROOT};
use crate::ml::Metrics;

/// Where and what to run.
#[derive(Clone, Debug)]
pub struct RunOptions {
    pub run_dir: PathBuf,
    /// The spec's text, copied into the run directory and hashed into the manifest.
    pub spec_text: String,
}

/// Progress reporting, implemented by the command line with progress bars.
pub trait Observer {
    /// A stage of `total` steps begins.
    fn stage(&mut self, name: &str, total: u64);
    /// One step of the current stage is done.
    fn step(&mut self, message: &str);
    /// The current stage is finished.
    fn finish_stage(&mut self);
    /// Something worth telling that does not stop the run (a failed point).
    fn warn(&mut self, message: &str);
}

/// What a run produced.
#[derive(Debug, Default)]
pub struct RunSummary {
    pub run_dir: PathBuf,
    pub datasets: Vec<DatasetSummary>,
    /// Per comparison: its name and (label, test metrics) rows.
    pub comparisons: Vec<(String, Vec<(String, Metrics)>)>,
    pub report: PathBuf,
}

#[derive(Debug, Default)]
pub struct DatasetSummary {
    pub name: String,
    pub points: usize,
    pub computed: usize,
    pub reused: usize,
    pub failed: usize,
}

/// Why a run stopped.
#[derive(Debug)]
pub enum RunError {
    /// Ctrl-C: every finished point is on disk.
    Interrupted {
        completed: usize,
    },
    Io(String),
    Plan(String),
    /// A generate executes on IonQ's cloud and the environment holds no key (nothing computed).
    Ionq(String),
}

impl std::fmt::Display for RunError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RunError::Interrupted { completed } => {
                write!(f, "interrupted; {completed} finished points are saved and a rerun continues from them")
            }
            RunError::Io(e) => write!(f, "{e}"),
            RunError::Plan(e) => write!(f, "{e}"),
            RunError::Ionq(e) => write!(f, "{e} (nothing was computed)"),
        }
    }
}

impl std::error::Error for RunError {}

fn io(path: &Path) -> impl Fn(std::io::Error) -> RunError + '_ {
    move |e| RunError::Io(format!("{}: {e}", path.display()))
}

/// Runs `ir`. Checks that the runtime supports everything first; stops between points when
/// `cancel` is set.
pub fn run_experiment(
    ir: &ExperimentIr,
    options: &RunOptions,
    observer: &mut dyn Observer,
    cancel: &Arc<AtomicBool>,
) -> Result<RunSummary, RunError> {
    let backends = Backends { cancel: Arc::clone(cancel), ionq: ionq_client(ir)? };
    let plan = Plan::new(ir).map_err(|e| RunError::Plan(e.to_string()))?;
    let dir = &options.run_dir;
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let spec_path = dir.join("spec.qdf");
    write_atomically(&spec_path, options.spec_text.as_bytes()).map_err(io(&spec_path))?;
    let started = Instant::now();
    let mut timings: Vec<(String, f64)> = Vec::new();
    let mut summary = RunSummary { run_dir: dir.clone(), ..RunSummary::default() };
    let mut report = format!("# {}\n\n", ir.experiment.name);
    if let Some(description) = &ir.experiment.description {
        let _ = writeln!(report, "{description}\n");
    }
    let plots = dir.join("plots");

    // Datasets: every point, persisted one by one.
    let mut dataset_records: Vec<(NodeId, Vec<PointRecord>)> = Vec::new();
    let mut completed = 0;
    for dataset in &plan.datasets {
        let stage_start = Instant::now();
        let node = &ir.nodes[dataset.node as usize];
        let Task::Dataset { output, record, formats, .. } = &node.task else { unreachable!("dataset node") };
        let wants = Wants::new(record, formats);
        let fcidump_dir = dir.join(output).join("fcidump");
        let store_path = dir.join(output).join("points.jsonl");
        let mut store = Store::open(&store_path).map_err(io(&store_path))?;
        let mut stats = DatasetSummary { name: node.label.clone(), points: dataset.points.len(), ..Default::default() };
        observer.stage(&format!("dataset {}", node.label), dataset.points.len() as u64);
        let mut warm: Option<Vec<f64>> = None;
        let mut records = Vec::with_capacity(dataset.points.len());
        for job in &dataset.points {
            if cancel.load(Ordering::SeqCst) {
                return Err(RunError::Interrupted { completed });
            }
            let key = &ir.nodes[job.vqe as usize].hash;
            let molecule = molecule_of(&ir.nodes[job.geometry as usize].label);
            let fcidump_path = fcidump_dir.join(format!("{molecule}_{:04}.fcidump", job.index));
            // A stored point is reused only with every file it should have.
            let stored = store
                .find(key)
                .filter(|r| wants.satisfied_by(r) && !(wants.fcidump && r.is_ok() && !fcidump_path.exists()));
            let record = match stored {
                Some(record) => {
                    stats.reused += 1;
                    record.clone()
                }
                None => {
                    let start = if job.warm_start_from.is_some() { warm.as_deref() } else { None };
                    let output = compute_point(ir, job, molecule, &wants, start, &backends);
                    // A point cut short by Ctrl-C (IonQ jobs cancelled) is not a result.
                    if cancel.load(Ordering::SeqCst) && !output.record.is_ok() {
                        return Err(RunError::Interrupted { completed });
                    }
                    // The file first: a stored record promises its file exists.
                    if let Some(text) = &output.fcidump {
                        write_atomically(&fcidump_path, text.as_bytes()).map_err(io(&fcidump_path))?;
                    }
                    store.append(output.record.clone()).map_err(io(&store_path))?;
                    stats.computed += 1;
                    output.record
                }
            };
            if !record.is_ok() {
                stats.failed += 1;
                observer.warn(&format!(
                    "{}[{}]: {}",
                    record.molecule,
                    record.point,
                    record.error.as_deref().unwrap_or("failed")
                ));
            }
            warm = record.vqe.as_ref().map(|v| v.params.clone()).or(warm);
            completed += 1;
            observer.step(&format!("{}[{}]", record.molecule, record.point));
            records.push(record);
        }
        observer.finish_stage();
        let xyz_path = dir.join(output).join("points.extxyz");
        write_atomically(&xyz_path, extxyz(&records).as_bytes()).map_err(io(&xyz_path))?;
        if formats.iter().any(|f| f == "npz") {
            let npz_path = dir.join(output).join("points.npz");
            let bytes = super::npz::npz(&records).map_err(|e| RunError::Io(format!("{}: {e}", npz_path.display())))?;
            write_atomically(&npz_path, &bytes).map_err(io(&npz_path))?;
        }
        report.push_str(&dataset_section(&node.label, &records, &plots)?);
        timings.push((format!("dataset {}", node.label), stage_start.elapsed().as_secs_f64()));
        dataset_records.push((dataset.node, records));
        summary.datasets.push(stats);
    }

    // Trainings and comparisons.
    let records_of = |training: NodeId| -> Vec<&PointRecord> {
        let dataset = ir.nodes[training as usize].inputs[0];
        dataset_records
            .iter()
            .find(|(id, _)| *id == dataset)
            .map(|(_, r)| r.iter().filter(|r| r.is_ok()).collect())
            .unwrap_or_default()
    };
    for &training in &plan.trainings {
        let stage_start = Instant::now();
        let node = &ir.nodes[training as usize];
        let Task::Training { labels, .. } = &node.task else { unreachable!("training node") };
        let records = records_of(training);
        let protocol = protocol_of(&node.task);
        let truth = truth_of(&records);
        observer.stage(&format!("training {}", node.label), 1);
        let arm = train_arm(&records, &protocol, labels, truth)
            .map_err(|e| RunError::Plan(format!("training {}: {e}", node.label)))?;
        observer.step(&node.label);
        observer.finish_stage();
        save_training(&dir.join(&node.label), &records, &arm, truth)?;
        report.push_str(&training_section(&node.label, &records, &arm, truth, &plots)?);
        timings.push((format!("training {}", node.label), stage_start.elapsed().as_secs_f64()));
    }
    for &comparison in &plan.comparisons {
        let stage_start = Instant::now();
        let node = &ir.nodes[comparison as usize];
        let Task::Comparison { labels, truth, .. } = &node.task else { unreachable!("comparison node") };
        let training = node.inputs[0];
        let records = records_of(training);
        let protocol = protocol_of(&ir.nodes[training as usize].task);
        observer.stage(&format!("comparison {}", node.label), labels.len() as u64);
        let mut arms = Vec::new();
        for label in labels {
            let arm = train_arm(&records, &protocol, label, truth)
                .map_err(|e| RunError::Plan(format!("comparison {} ({label} labels): {e}", node.label)))?;
            observer.step(label);
            arms.push(arm);
        }
        observer.finish_stage();
        let mut csv = String::from("label,n_test,mae_mha,rmse_mha,max_error_mha,within_chemical_accuracy\n");
        for arm in &arms {
            let m = &arm.test_metrics;
            let _ = writeln!(
                csv,
                "{},{},{},{},{},{}",
                arm.label,
                m.n,
                m.mae * 1e3,
                m.rmse * 1e3,
                m.max_abs_error * 1e3,
                m.within_chemical_accuracy
            );
        }
        let csv_path = dir.join(&node.label).join("comparison.csv");
        write_atomically(&csv_path, csv.as_bytes()).map_err(io(&csv_path))?;
        let refs: Vec<&Arm> = arms.iter().collect();
        report.push_str(&comparison_section(&node.label, &records, &refs, truth, &plots)?);
        summary
            .comparisons
            .push((node.label.clone(), arms.iter().map(|a| (a.label.clone(), a.test_metrics.clone())).collect()));
        timings.push((format!("comparison {}", node.label), stage_start.elapsed().as_secs_f64()));
    }

    let report_path = dir.join("report.md");
    write_atomically(&report_path, report.as_bytes()).map_err(io(&report_path))?;
    summary.report = report_path;
    let manifest = serde_json::json!({
        "qdf_version": env!("CARGO_PKG_VERSION"),
        "experiment": ir.experiment.name,
        "seed": ir.experiment.seed,
        "spec_blake3": qdf_compiler::ir::content_hash(options.spec_text.as_bytes()),
        "ir_hash": ir.hash,
        "datasets": summary.datasets.iter().map(|d| serde_json::json!({
            "name": d.name, "points": d.points, "computed": d.computed, "reused": d.reused, "failed": d.failed,
        })).collect::<Vec<_>>(),
        "timings_seconds": timings
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::json!(v)))
            .chain([("total".to_string(), serde_json::json!(started.elapsed().as_secs_f64()))])
            .collect::<serde_json::Map<_, _>>(),
    });
    let manifest_path = dir.join("manifest.json");
    let text = serde_json::to_string_pretty(&manifest).map_err(|e| RunError::Io(e.to_string()))?;
    write_atomically(&manifest_path, text.as_bytes()).map_err(io(&manifest_path))?;
    Ok(summary)
}

/// The molecule name of a geometry node's label (`h2[3] geometry`).
/// IonQ's API root; `QDF_IONQ_API_ROOT` points qdf at another server (a proxy, or a test's).
const IONQ_ROOT_VARIABLE: &str = "QDF_IONQ_API_ROOT";

/// A client for IonQ's cloud when a generate executes there, with the key from `IONQ_API_KEY`.
/// Failure contract: [`RunError::Ionq`] when the key is missing.
fn ionq_client(ir: &ExperimentIr) -> Result<Option<Arc<IonqClient>>, RunError> {
    let wanted = ir.nodes.iter().any(|n| matches!(&n.task, Task::Vqe { execute: Execute::Ionq, .. }));
    if !wanted {
        return Ok(None);
    }
    let root = std::env::var(IONQ_ROOT_VARIABLE).unwrap_or_else(|_| IONQ_API_ROOT.to_string());
    IonqClient::from_env(&root).map(|c| Some(Arc::new(c))).map_err(|e| RunError::Ionq(format!("`execute = ionq`: {e}")))
}

fn molecule_of(label: &str) -> &str {
    label.split('[').next().unwrap_or(label)
}

fn protocol_of(task: &Task) -> Protocol<'_> {
    let Task::Training { model, split, epochs, learning_rate, batch_size, weight_decay, seed, .. } = task else {
        unreachable!("training node")
    };
    Protocol {
        model,
        split,
        epochs: *epochs,
        learning_rate: *learning_rate,
        batch_size: *batch_size,
        weight_decay: *weight_decay,
        seed: *seed,
    }
}

/// The best reference a training is scored against when the spec names none: FCI or CASCI when
/// computed, else the VQE energies.
fn truth_of(records: &[&PointRecord]) -> &'static str {
    ["fci", "casci"].into_iter().find(|m| records.iter().all(|r| r.energy(m).is_some())).unwrap_or("vqe")
}

/// Extended XYZ, one frame per successful point: positions in Å, energies (hartree) and scan
/// values as frame properties, as ASE reads them.
fn extxyz(records: &[PointRecord]) -> String {
    let mut out = String::new();
    for r in records.iter().filter(|r| r.is_ok()) {
        let _ = writeln!(out, "{}", r.symbols.len());
        let gradients = r.properties.gradients.as_deref().unwrap_or_default();
        let columns: String = gradients.iter().map(|(method, _)| format!(":forces_{method}:R:3")).collect();
        let mut info =
            format!("Properties=species:S:1:pos:R:3{columns} pbc=\"F F F\" molecule={} point={}", r.molecule, r.point);
        for (method, energy) in &r.energies {
            let _ = write!(info, " energy_{method}={energy:.12}");
        }
        for (name, value) in &r.scan {
            let _ = write!(info, " scan_{name}={value:.12}");
        }
        let _ = writeln!(out, "{info}");
        for (atom, (symbol, p)) in r.symbols.iter().zip(&r.positions_bohr).enumerate() {
            let a = p.map(|x| x * qdf_compiler::units::BOHR_IN_ANGSTROM);
            let _ = write!(out, "{symbol:<2} {:16.10} {:16.10} {:16.10}", a[0], a[1], a[2]);
            // Forces in the file's units: hartree per angstrom.
            for (_, g) in gradients {
                let f = g[atom].map(|x| -x / qdf_compiler::units::BOHR_IN_ANGSTROM);
                let _ = write!(out, " {:16.10} {:16.10} {:16.10}", f[0], f[1], f[2]);
            }
            out.push('\n');
        }
    }
    out
}

/// The x coordinate of a point in plots: its first scan variable, or its index.
fn x_of(record: &PointRecord) -> f64 {
    record.scan.first().map_or(record.point as f64, |(_, v)| *v)
}

fn x_label(records: &[PointRecord]) -> String {
    records.first().and_then(|r| r.scan.first()).map_or("point".to_string(), |(n, _)| format!("{n} (atomic units)"))
}

fn save_plot(plots: &Path, name: &str, svg: Result<String, String>) -> Result<String, RunError> {
    let svg = svg.map_err(RunError::Plan)?;
    let path = plots.join(format!("{name}.svg"));
    write_atomically(&path, svg.as_bytes()).map_err(io(&path))?;
    Ok(format!("![{name}](plots/{name}.svg)\n\n"))
}

fn dataset_section(name: &str, records: &[PointRecord], plots: &Path) -> Result<String, RunError> {
    let ok: Vec<&PointRecord> = records.iter().filter(|r| r.is_ok()).collect();
    let mut out = format!("## Dataset `{name}`\n\n{} points, {} failed.\n\n", records.len(), records.len() - ok.len());
    for r in records.iter().filter(|r| !r.is_ok()) {
        let _ = writeln!(out, "- point {} of {}: {}", r.point, r.molecule, r.error.as_deref().unwrap_or("failed"));
    }
    let methods: Vec<String> =
        ok.first().map(|r| r.energies.iter().map(|(m, _)| m.clone()).collect()).unwrap_or_default();
    let curves: Vec<Curve> = methods
        .iter()
        .map(|m| Curve {
            label: m.to_uppercase(),
            points: ok.iter().filter_map(|r| r.energy(m).map(|e| (x_of(r), e))).collect(),
            markers: m == "vqe",
        })
        .collect();
    if !ok.is_empty() {
        let owned: Vec<PointRecord> = ok.iter().map(|r| (*r).clone()).collect();
        out.push_str(&save_plot(
            plots,
            &format!("{name}_energies"),
            plot_svg(&format!("{name}: potential energy curves"), &x_label(&owned), "energy (hartree)", &curves),
        )?);
        // Label quality: every method's error against the best reference, over all points.
        let truth = truth_of(&ok);
        let mut rows = Vec::new();
        for m in methods.iter().filter(|m| *m != truth) {
            let predicted: Vec<f64> = ok.iter().filter_map(|r| r.energy(m)).collect();
            let reference: Vec<f64> = ok.iter().filter_map(|r| r.energy(truth)).collect();
            if let Ok(s) = crate::ml::metrics(&predicted, &reference) {
                rows.push(vec![
                    m.clone(),
                    format!("{:.4}", s.mae * 1e3),
                    format!("{:.4}", s.rmse * 1e3),
                    format!("{:.4}", s.max_abs_error * 1e3),
                ]);
            }
        }
        let _ = writeln!(out, "Label quality against `{truth}` (mHa):\n");
        out.push_str(&markdown_table(&["labels", "MAE", "RMSE", "max error"], &rows));
        out.push('\n');
    }
    Ok(out)
}

fn arm_rows(arms: &[&Arm]) -> Vec<Vec<String>> {
    arms.iter()
        .map(|a| {
            let m = &a.test_metrics;
            vec![
                a.label.clone(),
                m.n.to_string(),
                format!("{:.4}", m.mae * 1e3),
                format!("{:.4}", m.rmse * 1e3),
                format!("{:.4}", m.max_abs_error * 1e3),
                format!("{:.0}%", m.within_chemical_accuracy * 100.0),
            ]
        })
        .collect()
}

fn prediction_curves(records: &[&PointRecord], arms: &[&Arm], truth: &str) -> Vec<Curve> {
    let mut curves = vec![Curve {
        label: truth.to_uppercase(),
        points: records.iter().filter_map(|r| r.energy(truth).map(|e| (x_of(r), e))).collect(),
        markers: false,
    }];
    for arm in arms {
        curves.push(Curve {
            label: format!("model on {} labels", arm.label),
            points: records.iter().zip(&arm.predictions).map(|(r, p)| (x_of(r), *p)).collect(),
            markers: false,
        });
    }
    curves
}

/// A report section for trained arms: the intro, the test-error table and the prediction plot.
fn arms_section(
    name: &str,
    intro: &str,
    plot_title: &str,
    records: &[&PointRecord],
    arms: &[&Arm],
    truth: &str,
    plots: &Path,
) -> Result<String, RunError> {
    let mut out = format!("{intro}\n\n");
    out.push_str(&markdown_table(
        &["labels", "test points", "MAE", "RMSE", "max error", "within 1.6 mHa"],
        &arm_rows(arms),
    ));
    out.push('\n');
    let owned: Vec<PointRecord> = records.iter().map(|r| (*r).clone()).collect();
    let curves = prediction_curves(records, arms, truth);
    out.push_str(&save_plot(plots, name, plot_svg(plot_title, &x_label(&owned), "energy (hartree)", &curves))?);
    Ok(out)
}

fn training_section(
    name: &str,
    records: &[&PointRecord],
    arm: &Arm,
    truth: &str,
    plots: &Path,
) -> Result<String, RunError> {
    let intro = format!("## Training `{name}`\n\nTest-set errors against `{truth}` (mHa):");
    arms_section(name, &intro, &format!("{name}: model predictions"), records, &[arm], truth, plots)
}

fn comparison_section(
    name: &str,
    records: &[&PointRecord],
    arms: &[&Arm],
    truth: &str,
    plots: &Path,
) -> Result<String, RunError> {
    let held_out = arms.first().map_or(0, |a| a.test.len());
    let intro = format!(
        "## Comparison `{name}`\n\nThe same model and split trained on each label source, scored against `{truth}` on the {held_out} held-out points (mHa):"
    );
    arms_section(name, &intro, &format!("{name}: models by label source"), records, arms, truth, plots)
}

fn save_training(dir: &Path, records: &[&PointRecord], arm: &Arm, truth: &str) -> Result<(), RunError> {
    let mut csv = String::from("molecule,point,scan,split,label_energy,predicted_energy,truth_energy\n");
    for (i, r) in records.iter().enumerate() {
        let split = if arm.test.contains(&i) { "test" } else { "train" };
        let scan: Vec<String> = r.scan.iter().map(|(n, v)| format!("{n}={v}")).collect();
        let _ = writeln!(
            csv,
            "{},{},{},{split},{},{},{}",
            r.molecule,
            r.point,
            scan.join(";"),
            r.energy(&arm.label).unwrap_or(f64::NAN),
            arm.predictions[i],
            r.energy(truth).unwrap_or(f64::NAN)
        );
    }
    let path = dir.join("predictions.csv");
    write_atomically(&path, csv.as_bytes()).map_err(io(&path))?;
    let m = &arm.test_metrics;
    let metrics = serde_json::json!({
        "labels": arm.label, "truth": truth, "n_test": m.n, "mae": m.mae, "rmse": m.rmse,
        "max_abs_error": m.max_abs_error, "mean_error": m.mean_error, "npe": m.npe,
        "within_chemical_accuracy": m.within_chemical_accuracy,
    });
    let path = dir.join("metrics.json");
    write_atomically(&path, serde_json::to_string_pretty(&metrics).unwrap_or_default().as_bytes())
        .map_err(io(&path))?;
    if let crate::ml::TrainedModel::Mlp(mlp) = &arm.model {
        mlp.save_safetensors(&dir.join("model.safetensors")).map_err(|e| RunError::Io(e.to_string()))?;
    }
    Ok(())
}

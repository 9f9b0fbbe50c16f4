//! `qdf run` of ADAPT-VQE on measured energies, end to end: H2/STO-3G at three bond lengths
//! with 2e4 shots per evaluation, pool gradients by parameter shift and SPSA re-optimisation.
//! Each point grows at least one operator, reaches FCI within a few millihartree noiselessly,
//! records a measured energy within its shot noise of the noiseless one, accounts for every
//! evaluation's shots, and a second run draws the same shots.

use std::path::Path;

mod support;
use support::{qdf, scratch};

const SPEC: &str = "\
experiment h2_adapt_shots { seed = 5 }

molecule h2 {
  geometry = xyz {
    H 0 0 0
    H 0 0 {r}
  }
  scan r = linspace(0.6 angstrom, 1.0 angstrom, 3)
  basis = \"sto-3g\"
}

active_space cas {
  molecule = h2
  electrons = 2
  orbitals = 2
}

ansatz grow {
  kind = adapt
  space = cas
  mapping = jordan_wigner
  pool = fermionic
  gradient_threshold = 1e-2
  max_operators = 3
}

generate data {
  ansatz = grow
  optimizer = spsa { max_iter = 60  learning_rate = 0.2 }
  noise = shots
  shots = 2e4
  references = [hf, fci]
  record = [energy, params]
}

generate budget {
  ansatz = grow
  optimizer = spsa { max_iter = 60  learning_rate = 0.2 }
  noise = shots
  shots = 2e6 per_point
  references = [hf, fci]
}
";

/// Runs the spec into `dir/out` and returns the records of both datasets as written.
fn run(dir: &Path) -> (String, String) {
    std::fs::create_dir_all(dir).expect("scratch");
    let spec = dir.join("adapt_shots.qdf");
    std::fs::write(&spec, SPEC).expect("spec");
    let out_dir = dir.join("out");
    let out = qdf(&["run", &spec.display().to_string(), "--output", &out_dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let read = |dataset: &str| std::fs::read_to_string(out_dir.join(dataset).join("points.jsonl")).expect("points");
    (read("data"), read("budget"))
}

fn energy(record: &serde_json::Value, method: &str) -> f64 {
    record["energies"].as_array().expect("energies").iter().find(|e| e[0] == method).expect(method)[1]
        .as_f64()
        .expect("f64")
}

#[test]
fn adapt_on_measured_energies_reaches_fci_within_the_shot_noise() {
    let dir = scratch("adapt-measured");
    let (text, budget) = run(&dir);
    let points: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).expect("record")).collect();
    assert_eq!(points.len(), 3);
    for p in &points {
        assert_eq!(p["status"], "ok", "{p}");
        let vqe = &p["vqe"];
        let operators = vqe["operators"].as_array().expect("operators");
        // The double excitation first: the singles have no gradient at Hartree–Fock.
        assert_eq!(operators.first().and_then(|o| o.as_str()), Some("2^ 3^ 1 0"), "{vqe}");
        assert_eq!(vqe["params"].as_array().expect("params").len(), operators.len());
        let (measured, fci) = (energy(p, "vqe"), energy(p, "fci"));
        let noiseless = vqe["noiseless_energy"].as_f64().expect("noiseless energy");
        let error = vqe["standard_error"].as_f64().expect("standard error");
        assert!(noiseless - fci < 5e-3 && noiseless > fci - 1e-9, "noiseless {noiseless} vs FCI {fci}");
        assert!(error > 0.0 && (measured - noiseless).abs() < 4.0 * error, "{measured} ± {error} vs {noiseless}");
        // Every evaluation, pool gradients included, took 2e4 shots.
        let evaluations = vqe["evaluations"].as_u64().expect("evaluations");
        assert_eq!(vqe["shots"].as_u64(), Some(evaluations * 20_000));
        // At least one scan of 2 × (2 + 2 + 8) shifted evaluations and one SPSA re-optimisation
        // of 60 iterations with its final estimate.
        assert!(evaluations >= 24 + 121, "{evaluations}");
        assert!(vqe["gradient_norm"].as_f64().is_some_and(f64::is_finite));
        assert!(vqe.get("stopped").is_none(), "{vqe}");
        eprintln!(
            "r = {}: {} operators, E = {measured:.6} ± {error:.6}, noiseless {noiseless:.6}, FCI {fci:.6}, \
             {evaluations} evaluations, converged {}",
            p["scan"][0][1],
            operators.len(),
            vqe["converged"]
        );
    }
    // `2e6 per_point`: the planner's ADAPT count for SPSA of 60 iterations, 3 operators and a
    // pool of 3 operators with 12 rotations in all, 4 scans × 24 + 3 × 121 + 1 = 460
    // evaluations, divides the shots: 4347 per evaluation, all of them within the cap.
    for line in budget.lines() {
        let p: serde_json::Value = serde_json::from_str(line).expect("record");
        let vqe = &p["vqe"];
        let (evaluations, shots) = (vqe["evaluations"].as_u64().expect("evaluations"), vqe["shots"].as_u64());
        assert_eq!(shots, Some(evaluations * 4347), "{vqe}");
        assert!(evaluations * 4347 <= 2_000_000);
        let noiseless = vqe["noiseless_energy"].as_f64().expect("noiseless energy");
        assert!(noiseless - energy(&p, "fci") < 5e-3, "{vqe}");
        eprintln!("per point: {evaluations} evaluations, {shots:?} shots, stopped {}", vqe["stopped"]);
    }
    // The draws are seeded from the work: a second run records the same points.
    let again = scratch("adapt-measured-again");
    assert_eq!(run(&again), (text, budget));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::remove_dir_all(&again).ok();
}

//! End-to-end tests of `qdf run` on the shipped H2 example: real numbers, resumption, determinism,
//! and refusal (before any compute) of what the runtime does not execute.

use std::path::Path;
use std::process::Output;

mod support;
use support::{qdf, scratch};

fn run_h2(dir: &Path) -> Output {
    let out = qdf(&["run", "examples/h2_dissociation.qdf", "--output", &dir.display().to_string(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    out
}

fn records(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("data/points.jsonl"))
        .expect("points.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("record"))
        .collect()
}

fn energy(record: &serde_json::Value, method: &str) -> f64 {
    record["energies"].as_array().expect("energies").iter().find(|e| e[0] == method).expect(method)[1]
        .as_f64()
        .expect("f64")
}

#[test]
fn h2_run_produces_real_data_models_and_a_report() {
    let dir = scratch("h2");
    let out = run_h2(&dir);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json summary");
    assert_eq!(summary["datasets"][0]["computed"], 21);
    let points = records(&dir);
    assert_eq!(points.len(), 21);
    for p in &points {
        assert_eq!(p["status"], "ok");
        // Noiseless UCCSD is exact for H2: VQE reaches FCI.
        assert!((energy(p, "vqe") - energy(p, "fci")).abs() < 1e-6, "{p}");
        assert!(energy(p, "hf") > energy(p, "mp2") && energy(p, "mp2") > energy(p, "fci") - 1e-12);
    }
    // Near equilibrium (0.7 Å, point 2) the STO-3G FCI energy is -1.1361894 Ha (PySCF).
    assert!((energy(&points[2], "fci") - -1.136_189_454_7).abs() < 1e-6, "{}", energy(&points[2], "fci"));
    // Both arms of the comparison are scored on the 5 stretched points; VQE labels beat MP2 labels.
    let arms = summary["comparisons"][0]["arms"].as_array().expect("arms");
    let mae =
        |label: &str| arms.iter().find(|a| a["labels"] == label).expect(label)["mae_hartree"].as_f64().expect("mae");
    assert_eq!(arms[0]["n_test"], 5);
    assert!(mae("vqe") < mae("mp2"), "vqe {} mp2 {}", mae("vqe"), mae("mp2"));
    for file in [
        "manifest.json",
        "report.md",
        "spec.qdf",
        "data/points.extxyz",
        "fit/model.safetensors",
        "fit/predictions.csv",
        "labels/comparison.csv",
        "plots/labels.svg",
    ] {
        assert!(dir.join(file).is_file(), "{file} missing");
    }
    let xyz = std::fs::read_to_string(dir.join("data/points.extxyz")).expect("extxyz");
    assert_eq!(xyz.matches("Properties=species:S:1:pos:R:3").count(), 21);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn reruns_reuse_finished_points_and_datasets_are_deterministic() {
    let (a, b) = (scratch("a"), scratch("b"));
    run_h2(&a);
    run_h2(&b);
    let first = std::fs::read(a.join("data/points.jsonl")).expect("a");
    assert_eq!(first, std::fs::read(b.join("data/points.jsonl")).expect("b"), "same spec and seed, same bytes");
    // Simulate an interrupted run: keep the first 8 points, tear the 9th mid-line.
    let text = String::from_utf8(first.clone()).expect("utf8");
    let lines: Vec<&str> = text.lines().collect();
    let torn = format!("{}\n{}", lines[..8].join("\n"), &lines[8][..40]);
    std::fs::write(a.join("data/points.jsonl"), torn).expect("write");
    let out = run_h2(&a);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        (summary["datasets"][0]["reused"].as_u64(), summary["datasets"][0]["computed"].as_u64()),
        (Some(8), Some(13))
    );
    assert_eq!(std::fs::read(a.join("data/points.jsonl")).expect("a"), first, "resumed data equals a clean run");
    let out = run_h2(&a);
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(summary["datasets"][0]["reused"], 21);
    std::fs::remove_dir_all(&a).ok();
    std::fs::remove_dir_all(&b).ok();
}

#[test]
fn what_cannot_be_computed_is_rejected_before_any_compute() {
    let dir = scratch("refused");
    std::fs::create_dir_all(&dir).expect("scratch");
    let spec = dir.join("refused.qdf");
    std::fs::write(
        &spec,
        "import std.targets.ionq\n\
         molecule h2 { geometry = xyz { H 0 0 0  H 0 0 0.74 } }\n\
         active_space cas { molecule = h2  electrons = 2  orbitals = 2 }\n\
         ansatz grow { kind = adapt  space = cas }\n\
         ansatz ucc { kind = uccsd  space = cas }\n\
         generate data { ansatz = grow  device = ionq.aria  execute = ionq  shots = 1e4 }\n\
         generate noisy { ansatz = ucc  noise = shots  shots = 1e4  record = [energy, gradients] }\n\
         generate exact { ansatz = ucc  record = [energy, counts] }\n",
    )
    .expect("spec");
    let out_dir = dir.join("out");
    let out = qdf(&["run", &spec.display().to_string(), "--output", &out_dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for refused in ["QDF6013", "ADAPT-VQE on IonQ", "QDF6016", "`gradients` are finite differences", "`counts` are"] {
        assert!(err.contains(refused), "{refused}: {err}");
    }
    assert!(!out_dir.exists(), "no run directory for a refused run");
    std::fs::remove_dir_all(&dir).ok();
}

/// Issue 6 end to end: the same UCCSD labels exact, with shot noise (SPSA on measured energies),
/// on IonQ Aria's noise model, and on it with error mitigation. Measured records carry a fresh estimate with its standard
/// error, the noiseless energy at the same parameters and the shots taken; shot noise is
/// unbiased, device noise is not; the draws are reproducible.
#[test]
fn measured_labels_carry_shot_noise_and_device_noise() {
    let dir = scratch("noise");
    let out = qdf(&["run", "examples/h2_noise_study.qdf", "--output", &dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let read = |dataset: &str| -> Vec<serde_json::Value> {
        let text = std::fs::read_to_string(dir.join(dataset).join("points.jsonl")).expect("points");
        text.lines().map(|l| serde_json::from_str(l).expect("json")).collect()
    };
    for r in read("exact") {
        assert!((energy(&r, "vqe") - energy(&r, "fci")).abs() < 1e-8, "{r}");
        assert!(r["vqe"].get("shots").is_none() && r["vqe"].get("standard_error").is_none());
    }
    let mut pulls = Vec::new();
    for r in read("shot_noise") {
        let vqe = &r["vqe"];
        let (measured, fci) = (energy(&r, "vqe"), energy(&r, "fci"));
        let noiseless = vqe["noiseless_energy"].as_f64().expect("noiseless energy");
        let error = vqe["standard_error"].as_f64().expect("standard error");
        // 2e4 shots over five qubit-wise groups: a few millihartree.
        assert!(error > 5e-4 && error < 1e-2, "standard error {error}");
        // SPSA found the minimum of the noiseless landscape to well within the noise…
        assert!(noiseless - fci < 1e-3 && noiseless >= fci - 1e-10, "noiseless {noiseless} vs FCI {fci}");
        pulls.push((measured - noiseless) / error);
        // The recorded energy is the Hamiltonian's constant plus each group's mean score over
        // the recorded outcomes of the final measurement.
        let terms = r["properties"]["hamiltonian"]["terms"].as_array().expect("hamiltonian terms");
        assert_eq!(terms.len(), 15, "H2 in Jordan–Wigner: the identity and 14 strings");
        let constant = terms.iter().find(|t| t[0] == "").map(|t| t[1].as_f64().expect("coefficient"));
        let mut recomputed = constant.expect("an identity term");
        let groups = r["properties"]["counts"].as_array().expect("counts");
        assert_eq!(groups.len(), 5);
        for group in groups {
            let shots = group["shots"].as_u64().expect("shots");
            let mut drawn = 0;
            for outcome in group["outcomes"].as_array().expect("outcomes") {
                let (bits, count) = (outcome[0].as_str().expect("bits"), outcome[1].as_u64().expect("count"));
                let score: f64 = group["observable"]
                    .as_array()
                    .expect("observable")
                    .iter()
                    .map(|zd| {
                        // `Z0 Z2`: the parity of those bits, qubit 0 the rightmost character.
                        let z = zd[0].as_str().expect("z string");
                        let odd = z
                            .split_whitespace()
                            .filter(|q| {
                                bits.as_bytes()[bits.len() - 1 - q[1..].parse::<usize>().expect("qubit")] == b'1'
                            })
                            .count()
                            % 2
                            == 1;
                        let d = zd[1].as_f64().expect("d");
                        if odd {
                            -d
                        } else {
                            d
                        }
                    })
                    .sum();
                recomputed += score * count as f64 / shots as f64;
                drawn += count;
            }
            assert_eq!(drawn, shots);
        }
        assert!((recomputed - measured).abs() < 1e-12, "recomputed {recomputed} vs recorded {measured}");
        // …with 150 iterations of two evaluations and the final measurement, 2e4 shots each.
        assert_eq!(vqe["shots"], 301 * 20_000);
        assert_eq!(vqe["evaluations"], 301);
    }
    // Shot noise is unbiased: the pulls scatter around zero with unit width.
    let mean = pulls.iter().sum::<f64>() / pulls.len() as f64;
    assert!(mean.abs() < 3.0 / (pulls.len() as f64).sqrt() && pulls.iter().all(|p| p.abs() < 4.0), "{pulls:?}");
    for r in read("aria") {
        let vqe = &r["vqe"];
        let (measured, noiseless) = (energy(&r, "vqe"), vqe["noiseless_energy"].as_f64().expect("noiseless"));
        let error = vqe["standard_error"].as_f64().expect("standard error");
        // Aria's gate and readout errors pull every energy up, far beyond the shot noise.
        assert!(measured - noiseless > 0.05 && measured - noiseless > 20.0 * error, "{measured} vs {noiseless}");
    }
    // Mitigation (readout undone, zero-noise extrapolation from scales 1, 3, 5) removes most of
    // that bias and pays for it in spread: Richardson weights widen the standard error.
    let bias_and_error = |dataset: &str| -> (f64, f64) {
        let points = read(dataset);
        let n = points.len() as f64;
        points.iter().fold((0.0, 0.0), |(b, e), r| {
            let vqe = &r["vqe"];
            let noiseless = vqe["noiseless_energy"].as_f64().expect("noiseless");
            (b + (energy(r, "vqe") - noiseless) / n, e + vqe["standard_error"].as_f64().expect("error") / n)
        })
    };
    let ((raw_bias, raw_error), (mitigated_bias, mitigated_error)) =
        (bias_and_error("aria"), bias_and_error("aria_mitigated"));
    assert!(mitigated_bias.abs() < raw_bias / 4.0, "bias {mitigated_bias} vs unmitigated {raw_bias}");
    assert!(mitigated_error > 2.0 * raw_error, "standard error {mitigated_error} vs unmitigated {raw_error}");
    // The same spec draws the same shots.
    let again = scratch("noise-again");
    let out = qdf(&["run", "examples/h2_noise_study.qdf", "--output", &again.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    for dataset in ["shot_noise", "aria", "aria_mitigated"] {
        let file = |d: &Path| std::fs::read(d.join(dataset).join("points.jsonl")).expect("points");
        assert_eq!(file(&dir), file(&again), "{dataset} is reproducible");
    }
    std::fs::remove_dir_all(&dir).ok();
    std::fs::remove_dir_all(&again).ok();
}

/// Device noise on more qubits than the density matrix holds (14: water, every orbital active)
/// runs by trajectories: the point is measured, not refused, with a standard error that counts
/// the trajectories, and reruns draw the same trajectories and shots.
#[test]
fn device_noise_beyond_the_density_matrix_runs_by_trajectories() {
    let dir = scratch("trajectories");
    let run = |out: &Path| {
        let out = qdf(&["run", "tests/fixtures/water_trajectories.qdf", "--output", &out.display().to_string()]);
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    };
    run(&dir);
    let record: serde_json::Value = serde_json::from_str(
        std::fs::read_to_string(dir.join("forte").join("points.jsonl"))
            .expect("points")
            .lines()
            .next()
            .expect("a point"),
    )
    .expect("json");
    assert_eq!(record["status"], "ok", "{record}");
    assert_eq!(record["qubits"], 14);
    let vqe = &record["vqe"];
    // One SPSA iteration (two energies) and the final measurement, 5e4 shots each.
    assert_eq!(vqe["evaluations"], 3);
    assert_eq!(vqe["shots"], 150_000);
    let error = vqe["standard_error"].as_f64().expect("standard error");
    assert!(error > 0.0 && error < 1.0, "standard error {error}");
    assert!(energy(&record, "vqe").is_finite());
    let again = scratch("trajectories-again");
    run(&again);
    let file = |d: &Path| std::fs::read(d.join("forte").join("points.jsonl")).expect("points");
    assert_eq!(file(&dir), file(&again), "trajectories are reproducible");
    std::fs::remove_dir_all(&dir).ok();
    std::fs::remove_dir_all(&again).ok();
}

/// `record = [gradients]`: central finite differences of every recorded energy agree with
/// PySCF's gradients (RHF, MP2, CCSD, CASCI analytic; CCSD(T) from its energies) to 2e-7
/// hartree/bohr (the truncation error is ~4e-8), and the exact VQE's (UCCSD in a two-electron
/// space, which is CASCI there) with CASCI's.
#[test]
fn gradients_match_pyscf_gradients() {
    let dir = scratch("gradients");
    let out = qdf(&["run", "tests/fixtures/lih_gradients.qdf", "--output", &dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string("runtime/tests/golden/gradients/gradients.json").expect("golden"),
    )
    .expect("json");
    let text = std::fs::read_to_string(dir.join("forces").join("points.jsonl")).expect("points");
    let record: serde_json::Value = serde_json::from_str(text.lines().next().expect("a point")).expect("json");
    assert_eq!(record["status"], "ok", "{record}");
    let gradients = record["properties"]["gradients"].as_array().expect("gradients");
    let methods: Vec<&str> = gradients.iter().map(|g| g[0].as_str().expect("method")).collect();
    assert_eq!(methods, ["hf", "mp2", "ccsd", "ccsd_t", "casci", "vqe"]);
    for g in gradients {
        let method = g[0].as_str().expect("method");
        let reference = &golden[if method == "vqe" { "casci" } else { method }];
        for atom in 0..2 {
            for axis in 0..3 {
                let (ours, theirs) =
                    (g[1][atom][axis].as_f64().expect("ours"), reference[atom][axis].as_f64().expect("theirs"));
                assert!((ours - theirs).abs() < 2e-7, "{method} atom {atom} axis {axis}: {ours} vs PySCF {theirs}");
            }
        }
    }
    // extxyz carries the forces, −∂E/∂R in hartree per angstrom, one column triple per method.
    let xyz = std::fs::read_to_string(dir.join("forces").join("points.extxyz")).expect("extxyz");
    let lines: Vec<&str> = xyz.lines().collect();
    assert!(lines[1].starts_with("Properties=species:S:1:pos:R:3:forces_hf:R:3:forces_mp2:R:3"), "{}", lines[1]);
    let hydrogen: Vec<f64> = lines[3].split_whitespace().skip(1).map(|x| x.parse().expect("number")).collect();
    assert_eq!(hydrogen.len(), 3 + 3 * 6);
    let vqe_z = gradients[5][1][1][2].as_f64().expect("vqe gradient");
    assert!((hydrogen[3 + 3 * 5 + 2] + vqe_z / 0.529_177_210_903).abs() < 1e-9, "{hydrogen:?}");
    std::fs::remove_dir_all(&dir).ok();
}

/// The issue-4 features end to end: an MP2 natural-orbital space chosen per point, CCSD(T) among
/// the references, active-space RDMs recorded and one FCIDUMP per point.
#[test]
fn natural_orbital_example_records_spaces_rdms_and_fcidumps() {
    let dir = scratch("n2");
    let out = qdf(&["run", "examples/n2_natural_orbitals.qdf", "--output", &dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(dir.join("scan_data/points.jsonl")).expect("points");
    let records: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(records.len(), 14);
    for r in &records {
        assert_eq!(r["status"], "ok", "{r}");
        let orbitals = r["active_orbitals"].as_u64().expect("orbitals");
        assert!((1..=4).contains(&orbitals), "max_orbitals = 4 bounds the space: {orbitals}");
        let rdm1 = r["properties"]["rdm1"].as_array().expect("rdm1 recorded");
        assert_eq!(rdm1.len() as u64, orbitals);
        let trace: f64 = (0..rdm1.len()).map(|i| rdm1[i][i].as_f64().expect("number")).sum();
        assert!((trace - r["active_electrons"].as_f64().expect("electrons")).abs() < 1e-8, "Tr γ = N_active");
        let energy = |m: &str| {
            r["energies"].as_array().expect("energies").iter().find(|e| e[0] == m).expect(m)[1].as_f64().expect("e")
        };
        assert!(energy("ccsd_t") < energy("ccsd") && energy("ccsd") < energy("hf"), "{r}");
        let index = r["point"].as_u64().expect("point");
        let dump =
            std::fs::read_to_string(dir.join(format!("scan_data/fcidump/n2_{index:04}.fcidump"))).expect("FCIDUMP");
        assert!(dump.contains(&format!("NORB={orbitals:4}")), "{}", &dump[..80]);
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// An open shell with a UHF reference: UMP2 below UHF, dipoles of the SCF and CASCI densities
/// recorded, and a point whose UHF does not converge (as in PySCF at r = 1.4 Å) kept as a failed
/// record with the reason while the run goes on.
#[test]
fn open_shell_example_records_dipoles_and_keeps_going_past_a_failed_point() {
    let dir = scratch("oh");
    let out = qdf(&["run", "examples/oh_radical.qdf", "--output", &dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(dir.join("scan_data/points.jsonl")).expect("points");
    let records: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(records.len(), 13);
    let failed: Vec<&serde_json::Value> = records.iter().filter(|r| r["status"] != "ok").collect();
    assert!(failed.len() <= 1, "{failed:?}");
    for r in &failed {
        assert!(r["error"].as_str().expect("reason").contains("not converged"), "{r}");
    }
    for r in records.iter().filter(|r| r["status"] == "ok") {
        let dipoles = r["properties"]["dipoles"].as_array().expect("dipoles");
        assert_eq!(dipoles.len(), 2, "hf and casci dipoles");
        let z = dipoles[0][1][2].as_f64().expect("mu_z");
        assert!(z > 0.3 && z < 1.5, "OH dipole along the bond, O at the origin: {z}");
        let s2 = r["properties"]["spin_square"].as_f64().expect("<S^2>");
        // A doublet's S(S+1) = 0.75, plus UHF spin contamination that grows as the bond stretches.
        assert!((0.7499..1.2).contains(&s2), "{s2}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Issue 5 end to end: every ansatz family under every mapping, with and without tapering and the
/// two-qubit reduction, reaches the exact energy of the (2e, 3o) space at each point; ADAPT
/// records the operators it chose.
#[test]
fn every_ansatz_and_mapping_runs_and_reaches_casci() {
    let dir = scratch("tour");
    let out = qdf(&["run", "examples/lih_ansatz_tour.qdf", "--output", &dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let expected_qubits = [
        ("ucc_jw", 6),
        ("singlet_ucc_bk_tapered", 3),
        ("kupccgsd_parity", 4),
        ("adapt_jw_tapered", 3),
        ("adapt_qubit_pool", 6),
        ("hardware_efficient_parity", 4),
        ("particle_conserving_jw", 6),
    ];
    for (dataset, qubits) in expected_qubits {
        let text = std::fs::read_to_string(dir.join(dataset).join("points.jsonl")).expect("points");
        let records: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
        assert_eq!(records.len(), 3, "{dataset}");
        for r in &records {
            assert_eq!(r["status"], "ok", "{dataset}: {r}");
            assert_eq!(r["qubits"], qubits, "{dataset}");
            let energy = |method: &str| {
                r["energies"].as_array().expect("energies").iter().find(|e| e[0] == method).expect(method)[1]
                    .as_f64()
                    .expect("number")
            };
            let (vqe, casci, hf) = (energy("vqe"), energy("casci"), energy("hf"));
            assert!((vqe - casci).abs() < 1e-6, "{dataset} point {}: VQE {vqe} vs CASCI {casci}", r["point"]);
            assert!(hf - casci > 5e-4, "the space is correlated: HF {hf}, CASCI {casci}");
            if dataset.starts_with("adapt") {
                let operators = r["vqe"]["operators"].as_array().expect("ADAPT records its operators");
                assert_eq!(operators.len(), r["vqe"]["params"].as_array().expect("params").len());
            }
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

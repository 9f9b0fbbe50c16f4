//! qdf's side of the simulator benchmark (/work/shared/bench/SPEC.md): the "layers", "expect" and
//! "vqe-grad" workloads read from the shared JSON inputs, checked against the reference values,
//! then timed (one warm-up, then repeated runs; median and min). Prints one JSON record per line
//! in the peers' `raw.jsonl` format, so `bench/sim_vs_peers.sh` tabulates all libraries together.
//!
//! usage: bench_sim <inputs dir>
//! `SIMBENCH_LAYER_NS` (default 12,16,20,24) picks the layer sizes, as for the peers;
//! `SIMBENCH_WORKLOADS` (default layers,expect,vqe-grad) picks the workloads;
//! `SIMBENCH_REPS_SCALE` (default 1) multiplies the repetition counts (for profiling).

use std::time::Instant;

use num_complex::Complex64;
use qdf_runtime::sim::StateVector;
use qdf_runtime::svsim::adjoint::{energy_and_gradient, AdjointPlan};
use qdf_runtime::svsim::pauli_sum::PauliSumKernel;
use qdf_runtime::svsim::{apply_gate, Program, Template};
use serde_json::{json, Value};

#[path = "bench_inputs/mod.rs"]
mod bench_inputs;
use bench_inputs::{gates, hamiltonian, load, reset};

struct Timing {
    median: f64,
    min: f64,
    runs: usize,
}

/// One warm-up, then `reps` runs times `SIMBENCH_REPS_SCALE` (stopping after 60 s with at least 3).
fn time(reps: usize, mut f: impl FnMut()) -> Timing {
    let scale = std::env::var("SIMBENCH_REPS_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let reps = reps * scale;
    f();
    let start = Instant::now();
    let mut ts = Vec::new();
    while ts.len() < reps && (ts.len() < 3 || start.elapsed().as_secs_f64() < 60.0) {
        let t = Instant::now();
        f();
        ts.push(t.elapsed().as_secs_f64());
    }
    ts.sort_by(f64::total_cmp);
    Timing { median: ts[ts.len() / 2], min: ts[0], runs: ts.len() }
}

fn reps_for(n: u32) -> usize {
    match n {
        12 => 50,
        16 => 30,
        20 => 15,
        24 => 5,
        _ => 10,
    }
}

fn record(workload: &str, variant: &str, n: u32, t: &Timing, check: Value, extra: Value) {
    let rec = json!({
        "lib": "qdf", "workload": workload, "variant": variant, "n": n,
        "median_s": t.median, "min_s": t.min, "n_runs": t.runs,
        "n_discarded": 0, "contaminated": false, "contam_used_max": 0.0, "check": check, "extra": extra,
    });
    println!("{rec}");
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).ok_or("usage: bench_sim <inputs dir>")?;
    let refs = load(dir, "reference_values.json")?;
    let ns: Vec<u32> = std::env::var("SIMBENCH_LAYER_NS")
        .unwrap_or_else(|_| "12,16,20,24".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let workloads = std::env::var("SIMBENCH_WORKLOADS").unwrap_or_else(|_| "layers,expect,vqe-grad".into());
    let wanted = |w: &str| workloads.split(',').any(|s| s.trim() == w);

    for &n in ns.iter().filter(|_| wanted("layers")) {
        let spec = load(dir, &format!("layers_n{n}.json"))?;
        let gs = gates(&spec)?;
        let t0 = Instant::now();
        let template = Template::new(n, 0, gs.clone()).map_err(|e| e.to_string())?;
        let program = Program::compile(template);
        let compile = t0.elapsed().as_secs_f64();
        let mut state = StateVector::zero(n);
        let r = &refs["layers"][n.to_string()];
        let expected =
            Complex64::new(r["amp0_re"].as_f64().unwrap_or(f64::NAN), r["amp0_im"].as_f64().unwrap_or(f64::NAN));
        let t = time(reps_for(n), || {
            reset(&mut state);
            program.run(&mut state, &[]);
        });
        let err = (state.amplitudes()[0] - expected).norm();
        if err > 1e-10 {
            return Err(format!("layers n={n}: amp0 off by {err:e}"));
        }
        let passes = if n > qdf_runtime::svsim::plan::TILE_QUBITS { program.n_stages() } else { 1 };
        record(
            "layers",
            &format!("fused+blocked ({} ops, {} stages)", program.n_ops(), program.n_stages()),
            n,
            &t,
            json!(err),
            json!({"compile_s": compile, "passes": passes}),
        );
        if n <= 20 {
            let t = time(reps_for(n).min(10), || {
                reset(&mut state);
                for g in &gs {
                    apply_gate(&mut state, g, &[]);
                }
            });
            record(
                "layers",
                "interpreter (gate by gate)",
                n,
                &t,
                json!((state.amplitudes()[0] - expected).norm()),
                json!({}),
            );
        }
    }

    for n in [16u32, 20] {
        if !ns.contains(&n) || !wanted("expect") {
            continue;
        }
        let spec = load(dir, &format!("layers_n{n}.json"))?;
        let terms = hamiltonian(&load(dir, &format!("ham_n{n}_100.json"))?)?;
        let program = Program::compile(Template::new(n, 0, gates(&spec)?).map_err(|e| e.to_string())?);
        let kernel = PauliSumKernel::new(n, &terms);
        let mut state = StateVector::zero(n);
        program.run(&mut state, &[]);
        let expected = refs["expect"][n.to_string()]["energy"].as_f64().unwrap_or(f64::NAN);
        let mut e = 0.0;
        let t = time(reps_for(n) * 2, || e = kernel.expectation(&state));
        if (e - expected).abs() > 1e-10 {
            return Err(format!("expect n={n}: {e} vs {expected}"));
        }
        record(
            "expect",
            &format!("chunk pairs ({} X masks, {} state reads)", kernel.n_groups(), kernel.state_reads()),
            n,
            &t,
            json!(e - expected),
            json!({"passes": kernel.state_reads(), "x_masks": kernel.n_groups()}),
        );
        let t = time(reps_for(n), || {
            reset(&mut state);
            program.run(&mut state, &[]);
            e = kernel.expectation(&state);
        });
        record("expect", "circuit+expectation (total)", n, &t, json!(e - expected), json!({}));
    }

    if !wanted("vqe-grad") {
        return Ok(());
    }
    let spec = load(dir, "vqe_hea_n12_L8.json")?;
    let terms = hamiltonian(&load(dir, "ham_n12_200.json")?)?;
    let params: Vec<f64> = spec["params"].as_array().ok_or("no params")?.iter().filter_map(Value::as_f64).collect();
    let program = Program::compile(Template::new(12, params.len(), gates(&spec)?).map_err(|e| e.to_string())?);
    let kernel = PauliSumKernel::new(12, &terms);
    let r = &refs["vqe_grad"]["12"];
    let ref_grad: Vec<f64> =
        r["grad"].as_array().ok_or("no reference gradient")?.iter().filter_map(Value::as_f64).collect();
    let check = |energy: f64, grad: &[f64]| -> Result<Value, String> {
        let de = energy - r["energy"].as_f64().unwrap_or(f64::NAN);
        let dg = grad.iter().zip(&ref_grad).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        if de.abs() > 1e-10 || dg > 1e-9 || ref_grad.len() != grad.len() {
            return Err(format!("vqe-grad: dE {de:e}, max|dg| {dg:e}"));
        }
        Ok(json!({"dE": de, "max|dg|": dg}))
    };
    // The backward sweep planned once (structure, as the peers' pre-built circuits), then each
    // call binds the parameters.
    let mut plan = AdjointPlan::new(&program);
    let mut grad = vec![0.0; params.len()];
    let mut energy = 0.0;
    let t = time(30, || energy = plan.energy_and_gradient_into(&kernel, &params, &mut grad));
    record("vqe-grad", "adjoint + energy (plan reused)", 12, &t, check(energy, &grad)?, json!({}));
    let mut out = (0.0, Vec::new());
    let t = time(30, || out = energy_and_gradient(&program, &kernel, &params));
    record("vqe-grad", "adjoint + energy (plan per call)", 12, &t, check(out.0, &out.1)?, json!({}));
    Ok(())
}

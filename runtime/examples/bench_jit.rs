//! The Cranelift JIT against the interpreted engine on the shared simulator workloads
//! (/work/shared/bench/SPEC.md): "layers" (fixed angles), "expect" (100-term Pauli sums) and the
//! parametrised "vqe" ansatz circuit (96 run-time angles). Each workload is read from the JSON
//! inputs, every path is checked against the reference values (the ansatz: against the
//! interpreter), then timed interleaved (each path once per round) after a warm-up; medians and
//! minima are printed with the JIT's compile time, which is paid once. Circuits are run by the
//! JIT as compiled by default (stages chosen by the cost model) and with every stage compiled.
//!
//! usage: bench_jit <inputs dir> [layer sizes, default 12,16,20,24] [repetitions, default 15]

use std::time::Instant;

use num_complex::Complex64;
use qdf_runtime::sim::StateVector;
use qdf_runtime::svsim::jit::{JitPauliSum, JitProgram, Routing};
use qdf_runtime::svsim::pauli_sum::PauliSumKernel;
use qdf_runtime::svsim::{Program, Template};
use serde_json::Value;

#[path = "bench_inputs/mod.rs"]
mod bench_inputs;
use bench_inputs::{gates, hamiltonian, load, reset};

/// Median and minimum of a sample, in seconds.
fn stats(mut ts: Vec<f64>) -> (f64, f64) {
    ts.sort_by(f64::total_cmp);
    (ts[ts.len() / 2], ts[0])
}

/// One warm-up of each, then `reps` rounds running each of `runs` once, timed; (median, min) of
/// each.
fn interleaved(reps: usize, runs: &mut [&mut dyn FnMut()]) -> Vec<(f64, f64)> {
    runs.iter_mut().for_each(|f| f());
    let mut times = vec![Vec::new(); runs.len()];
    for _ in 0..reps {
        for (f, ts) in runs.iter_mut().zip(&mut times) {
            let t = Instant::now();
            f();
            ts.push(t.elapsed().as_secs_f64());
        }
    }
    times.into_iter().map(stats).collect()
}

fn report(workload: &str, n: u32, label: &str, compile: f64, interp: (f64, f64), jit: (f64, f64), note: &str) {
    println!(
        "{workload:<7} n={n:<2} {label:<13} interpreter {:>9.3} ms (min {:>9.3})  JIT {:>9.3} ms (min {:>9.3})  \
         interp/JIT {:>5.2} (min {:>5.2})  compile {:>7.2} ms  {note}",
        1e3 * interp.0,
        1e3 * interp.1,
        1e3 * jit.0,
        1e3 * jit.1,
        interp.0 / jit.0,
        interp.1 / jit.1,
        1e3 * compile,
    );
}

/// Runs `program` from |0…0⟩ by the interpreter and by each JIT, checks them against `check`,
/// then times them interleaved and reports each JIT against the interpreter.
fn compare_circuit(
    workload: &str,
    program: &Program,
    params: &[f64],
    reps: usize,
    check: impl Fn(&StateVector, &StateVector) -> Result<(), String>,
) -> Result<StateVector, String> {
    let n = program.template().n_qubits();
    let mut jits = Vec::new();
    for routing in [Routing::CostModel, Routing::AllStages] {
        let t0 = Instant::now();
        let jit = JitProgram::compile_with(program, routing).map_err(|e| e.to_string())?;
        jits.push((routing, jit, t0.elapsed().as_secs_f64()));
    }
    let mut si = StateVector::zero(n);
    program.run(&mut si, params);
    let mut states = Vec::new();
    for (_, jit, _) in &jits {
        let mut s = StateVector::zero(n);
        jit.run(&mut s, params);
        check(&si, &s)?;
        states.push(s);
    }
    let (first, second) = states.split_at_mut(1);
    let (s0, s1) = (&mut first[0], &mut second[0]);
    let mut run_i = || {
        reset(&mut si);
        program.run(&mut si, params);
    };
    let mut run_0 = || {
        reset(s0);
        jits[0].1.run(s0, params);
    };
    let mut run_1 = || {
        reset(s1);
        jits[1].1.run(s1, params);
    };
    let t = interleaved(reps, &mut [&mut run_i, &mut run_0, &mut run_1]);
    for (k, (routing, jit, compile)) in jits.iter().enumerate() {
        let label = match routing {
            Routing::CostModel => "(cost model)",
            Routing::AllStages => "(all stages)",
        };
        let note =
            format!("{} ops, {} of {} stages compiled", program.n_ops(), jit.n_compiled_stages(), program.n_stages());
        report(workload, n, label, *compile, t[0], t[k + 1], &note);
    }
    Ok(si)
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).ok_or("usage: bench_jit <inputs dir> [layer sizes] [repetitions]")?;
    let ns: Vec<u32> =
        args.get(2).map_or("12,16,20,24", String::as_str).split(',').filter_map(|s| s.trim().parse().ok()).collect();
    let reps: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(15);
    let refs = load(dir, "reference_values.json")?;

    for &n in &ns {
        let spec = load(dir, &format!("layers_n{n}.json"))?;
        let program = Program::compile(Template::new(n, 0, gates(&spec)?).map_err(|e| e.to_string())?);
        let r = &refs["layers"][n.to_string()];
        let expected =
            Complex64::new(r["amp0_re"].as_f64().unwrap_or(f64::NAN), r["amp0_im"].as_f64().unwrap_or(f64::NAN));
        let check = |si: &StateVector, sj: &StateVector| {
            for (path, s) in [("interpreter", si), ("JIT", sj)] {
                let err = (s.amplitudes()[0] - expected).norm();
                if err > 1e-10 {
                    return Err(format!("layers n={n}: {path} amp0 off by {err:e}"));
                }
            }
            Ok(())
        };
        let state = compare_circuit("layers", &program, &[], if n >= 24 { reps.min(3) } else { reps }, check)?;

        if n == 16 || n == 20 {
            let terms = hamiltonian(&load(dir, &format!("ham_n{n}_100.json"))?)?;
            let kernel = PauliSumKernel::new(n, &terms);
            let t0 = Instant::now();
            let jit_sum = JitPauliSum::compile(n, &terms).map_err(|e| e.to_string())?;
            let compile = t0.elapsed().as_secs_f64();
            let expected = refs["expect"][n.to_string()]["energy"].as_f64().unwrap_or(f64::NAN);
            let (ei, ej) = (kernel.expectation(&state), jit_sum.expectation(&state));
            if (ei - expected).abs() > 1e-10 || (ej - expected).abs() > 1e-10 {
                return Err(format!("expect n={n}: interpreter {ei}, JIT {ej}, reference {expected}"));
            }
            let (mut sum_i, mut sum_j) = (0.0, 0.0);
            let t = interleaved(
                reps * 2,
                &mut [&mut || sum_i += kernel.expectation(&state), &mut || sum_j += jit_sum.expectation(&state)],
            );
            let note = format!("{} groups (sums of all runs {sum_i:.6e} / {sum_j:.6e})", jit_sum.n_groups());
            report("expect", n, "", compile, t[0], t[1], &note);
        }
    }

    // The parametrised ansatz: every angle bound at run time.
    let spec = load(dir, "vqe_hea_n12_L8.json")?;
    let params: Vec<f64> = spec["params"].as_array().ok_or("no params")?.iter().filter_map(Value::as_f64).collect();
    let program = Program::compile(Template::new(12, params.len(), gates(&spec)?).map_err(|e| e.to_string())?);
    let check = |si: &StateVector, sj: &StateVector| {
        let d = si.amplitudes().iter().zip(sj.amplitudes()).map(|(a, b)| (a - b).norm()).fold(0.0, f64::max);
        if d > 1e-12 {
            return Err(format!("vqe ansatz: JIT differs from the interpreter by {d:e}"));
        }
        Ok(())
    };
    compare_circuit("vqe", &program, &params, reps * 4, check)?;
    Ok(())
}

//! Times qdf's FCI on the active space of any FCIDUMP; `bench_fci.py` beside it times PySCF's
//! `fci.direct_spin1` on the same file (and writes the issue's benchmark file, water/cc-pVDZ
//! CAS(10e, 10o), with `--make PATH`).
//!
//! ```text
//! python3 runtime/examples/bench_fci.py --make /tmp/h2o_ccpvdz_cas1010.FCIDUMP
//! cargo run --release -p qdf-runtime --example bench_fci /tmp/h2o_ccpvdz_cas1010.FCIDUMP [repeats] [threads]
//! ```
//!
//! Prints `stage  seconds` lines for `read`, `setup` (strings, tables, diagonal), `solve`
//! (Davidson) and `fci` (setup + solve), each the fastest of `repeats` runs (default 3), then the
//! energy and the Davidson iterations. `threads` (default 0: all cores) is passed to the solver.

use std::process::ExitCode;
use std::time::Instant;

use qdf_runtime::chem::fci::{FciOptions, FciProblem};
use qdf_runtime::chem::fcidump;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: bench_fci FCIDUMP [repeats] [threads]");
        return ExitCode::FAILURE;
    };
    let number = |i: usize, default: usize| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let (repeats, threads) = (number(1, 3).max(1), number(2, 0));
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let options = FciOptions { n_threads: threads, ..FciOptions::default() };
    let mut best = [f64::INFINITY; 4];
    let mut outcome = None;
    for _ in 0..repeats {
        let start = Instant::now();
        let h = match fcidump::read(&text) {
            Ok((h, _)) => h,
            Err(e) => {
                eprintln!("{path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let read = start.elapsed().as_secs_f64();
        let start = Instant::now();
        let result = FciProblem::new(&h, &options).and_then(|p| {
            let setup = start.elapsed().as_secs_f64();
            p.solve(&options).map(|r| (setup, r, p.dimension()))
        });
        let (setup, r, dimension) = match result {
            Ok(x) => x,
            Err(e) => {
                eprintln!("{path}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let fci = start.elapsed().as_secs_f64();
        for (b, t) in best.iter_mut().zip([read, setup, fci - setup, fci]) {
            *b = b.min(t);
        }
        outcome = Some((r.energy, r.iterations, dimension));
    }
    for (stage, t) in ["read", "setup", "solve", "fci"].iter().zip(best) {
        println!("{stage}\t{t:.3}");
    }
    if let Some((energy, iterations, dimension)) = outcome {
        println!("energy\t{energy:.12}\niterations\t{iterations}\ndeterminants\t{dimension}");
    }
    ExitCode::SUCCESS
}

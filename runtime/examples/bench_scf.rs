//! Times qdf's integrals and RHF on the issue's benchmark molecules; `bench/scf_vs_pyscf.sh` runs
//! it beside its PySCF twin (`bench/scf_pyscf.py`, same geometries and basis files) and prints
//! the ratios.
//!
//! ```text
//! cargo run --release -p qdf-runtime --example bench_scf [repeats]
//! ```
//!
//! Prints one tab-separated line per case and stage: `case  stage  seconds  energy`, where the
//! stages are `integrals` (S, T, V and the full ERI array), `scf` (RHF from the atomic guess) and
//! `total` (both), each the fastest of `repeats` runs (default 3), which is robust to a busy
//! machine.

use std::time::{Duration, Instant};

use qdf_runtime::chem::basis::AoBasis;
use qdf_runtime::chem::integrals::AoIntegrals;
use qdf_runtime::chem::scf::{run_scf, ScfOptions};
use qdf_runtime::chem::Atom;

/// PySCF's `param.BOHR`, Å per bohr.
const BOHR: f64 = 0.52917721092;

fn molecule(atoms: &[(u8, [f64; 3])]) -> Vec<Atom> {
    atoms.iter().map(|&(z, p)| Atom { z, position: p.map(|x| x / BOHR) }).collect()
}

fn water() -> Vec<Atom> {
    molecule(&[(8, [0.0, 0.0, 0.1173]), (1, [0.0, 0.7572, -0.4692]), (1, [0.0, -0.7572, -0.4692])])
}

fn benzene() -> Vec<Atom> {
    molecule(&[
        (6, [0.0, 1.3970, 0.0]),
        (6, [1.2098, 0.6985, 0.0]),
        (6, [1.2098, -0.6985, 0.0]),
        (6, [0.0, -1.3970, 0.0]),
        (6, [-1.2098, -0.6985, 0.0]),
        (6, [-1.2098, 0.6985, 0.0]),
        (1, [0.0, 2.4810, 0.0]),
        (1, [2.1486, 1.2405, 0.0]),
        (1, [2.1486, -1.2405, 0.0]),
        (1, [0.0, -2.4810, 0.0]),
        (1, [-2.1486, -1.2405, 0.0]),
        (1, [-2.1486, 1.2405, 0.0]),
    ])
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let repeats: usize = std::env::args().nth(1).map(|s| s.parse()).transpose()?.unwrap_or(3).max(1);
    for (name, atoms, basis_name) in [("water/cc-pVDZ", water(), "cc-pvdz"), ("benzene/6-31G*", benzene(), "6-31g*")] {
        let basis = AoBasis::new(&atoms, basis_name)?;
        let (mut integrals, mut scf, mut total) = (Duration::MAX, Duration::MAX, Duration::MAX);
        let mut energy = f64::NAN;
        for _ in 0..repeats {
            let start = Instant::now();
            let ints = AoIntegrals::new(&basis);
            let middle = Instant::now();
            let result = run_scf(&basis, &ints, 0, 1, &ScfOptions::default())?;
            let end = Instant::now();
            integrals = integrals.min(middle - start);
            scf = scf.min(end - middle);
            total = total.min(end - start);
            energy = result.energy;
            drop(ints);
        }
        for (stage, time) in [("integrals", integrals), ("scf", scf), ("total", total)] {
            println!("{name}\t{stage}\t{:.4}\t{energy:.10}", time.as_secs_f64());
        }
    }
    Ok(())
}

//! Times qdf's molecular qubit Hamiltonians from an FCIDUMP's integrals; `bench/qubit_openfermion.py`
//! times OpenFermion on the same file (and writes the issue's benchmark file, water/6-31G, full
//! space, 13 orbitals and 26 qubits, with `--make PATH`). `bench/qubit_vs_openfermion.sh` runs both.
//!
//! ```text
//! python3 bench/qubit_openfermion.py --make /tmp/h2o_631g.FCIDUMP
//! cargo run --release -p qdf-runtime --example bench_qubit /tmp/h2o_631g.FCIDUMP [repeats]
//! ```
//!
//! Prints `stage  seconds  terms  terms≥1e-8` lines, each time the fastest of `repeats` runs
//! (default 5): `jw`, `bk` and `parity` (the mapped Hamiltonian from the integrals, as
//! `qubit::map_hamiltonian`), `fermion_jw` (through an explicit `FermionOperator`, the path
//! OpenFermion takes) and `tapered_parity` (`QubitSpace` with the two-qubit reduction and
//! tapering, symmetry search included). The mapping is serial, so the thread count does not
//! matter. `terms≥1e-8` is comparable with OpenFermion's count, which drops smaller terms as it
//! sums.

use std::process::ExitCode;
use std::time::Instant;

use qdf_compiler::hir::MappingKind;
use qdf_runtime::chem::fcidump;
use qdf_runtime::qubit::encoding::DROP_TOLERANCE;
use qdf_runtime::qubit::{map_hamiltonian, Encoding, FermionOperator, PauliSum, QubitError, QubitSpace};

/// A named Hamiltonian build.
type Stage<'a> = (&'static str, Box<dyn Fn() -> Result<PauliSum, QubitError> + 'a>);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: bench_qubit FCIDUMP [repeats]");
        return ExitCode::FAILURE;
    };
    let repeats = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(5usize).max(1);
    let h = match std::fs::read_to_string(path)
        .map_err(|e| e.to_string())
        .and_then(|text| fcidump::read(&text).map(|(h, _)| h).map_err(|e| e.to_string()))
    {
        Ok(h) => h,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (h1, eri) = (h.h1.view(), h.eri.view());
    let n = h.n_orbitals() as u32;
    let stages: [Stage; 5] = [
        ("jw", Box::new(|| map_hamiltonian(MappingKind::JordanWigner, h.core_energy, h1, eri))),
        ("bk", Box::new(|| map_hamiltonian(MappingKind::BravyiKitaev, h.core_energy, h1, eri))),
        ("parity", Box::new(|| map_hamiltonian(MappingKind::Parity, h.core_energy, h1, eri))),
        (
            "fermion_jw",
            Box::new(|| {
                let op = FermionOperator::from_integrals(h.core_energy, h1, eri)?;
                Encoding::new(MappingKind::JordanWigner, 2 * n)?.map_hermitian(&op, DROP_TOLERANCE)
            }),
        ),
        (
            "tapered_parity",
            Box::new(|| {
                let (na, nb) = (h.n_alpha as u32, h.n_beta as u32);
                QubitSpace::build(MappingKind::Parity, true, true, n, na, nb, h.core_energy, h1, eri).map(|(_, q)| q)
            }),
        ),
    ];
    for (stage, build) in &stages {
        let mut best = f64::INFINITY;
        let mut result = None;
        for _ in 0..repeats {
            let start = Instant::now();
            let q = match build() {
                Ok(q) => q,
                Err(e) => {
                    eprintln!("{stage}: {e}");
                    return ExitCode::FAILURE;
                }
            };
            best = best.min(start.elapsed().as_secs_f64());
            result = Some(q);
        }
        if let Some(q) = result {
            let kept = q.terms.iter().filter(|(_, c)| c.abs() >= 1e-8).count();
            println!("{stage}\t{best:.4}\t{}\t{kept}\t{} qubits", q.terms.len(), q.n_qubits);
        }
    }
    ExitCode::SUCCESS
}

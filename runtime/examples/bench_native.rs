//! Trapped-ion lowering benchmark: UCCSD circuits (Jordan–Wigner) for H2, frozen-core LiH and
//! frozen-core BeH2, lowered for IonQ Aria (MS) and Forte (ZZ). Prints one JSON line per
//! molecule and target with qdf's native gate counts and lowering time (best of 5), and writes each
//! logical circuit with its parameters bound as OpenQASM 2 into the directory given as the first
//! argument, for bench/native_vs_qiskit_ionq.py to lower with qiskit-ionq.
//!
//! Run: cargo run --release -p qdf-runtime --example bench_native -- /tmp/native_bench

use std::fmt::Write;
use std::time::Instant;

use ndarray::{Array2, Array4};
use qdf_compiler::hir::{AnsatzKind, AnsatzOptions, MappingKind};
use qdf_runtime::circuit::{Gate, LogicalCircuit};
use qdf_runtime::native::{self, Target};
use qdf_runtime::qubit::QubitSpace;
use qdf_runtime::sim::ansatz;

/// The circuit as OpenQASM 2 with `params` bound.
fn qasm2(circuit: &LogicalCircuit, params: &[f64]) -> String {
    let mut out = format!("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[{}];\n", circuit.n_qubits());
    for gate in circuit.gates() {
        let _ = match *gate {
            Gate::H(q) => writeln!(out, "h q[{q}];"),
            Gate::S(q) => writeln!(out, "s q[{q}];"),
            Gate::Sdg(q) => writeln!(out, "sdg q[{q}];"),
            Gate::X(q) => writeln!(out, "x q[{q}];"),
            Gate::Rx(q, a) => writeln!(out, "rx({:.17}) q[{q}];", a.value(params)),
            Gate::Ry(q, a) => writeln!(out, "ry({:.17}) q[{q}];", a.value(params)),
            Gate::Rz(q, a) => writeln!(out, "rz({:.17}) q[{q}];", a.value(params)),
            Gate::Cnot { control, target } => writeln!(out, "cx q[{control}],q[{target}];"),
            Gate::Cz(a, b) => writeln!(out, "cz q[{a}],q[{b}];"),
        };
    }
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let directory = std::env::args().nth(1).unwrap_or_else(|| "/tmp/native_bench".to_string());
    std::fs::create_dir_all(&directory)?;
    let options = AnsatzOptions {
        trotter_steps: 1,
        spin_adapted: false,
        ordering: "singles_first".into(),
        k: 1,
        layers: 1,
        rotations: vec!["ry".into()],
        entanglement: "linear".into(),
        pool: "fermionic".into(),
        gradient_threshold: 1e-3,
        max_operators: 1,
    };
    // (name, spatial orbitals, electrons per spin): the UCCSD circuit depends only on these.
    for (name, n, electrons) in [("h2", 2u32, 1u32), ("lih_frozen_core", 5, 1), ("beh2_frozen_core", 6, 2)] {
        let h1 = Array2::from_shape_fn((n as usize, n as usize), |(p, q)| if p == q { p as f64 } else { 0.01 });
        let eri = Array4::from_elem((n as usize, n as usize, n as usize, n as usize), 0.01);
        let (space, _) = QubitSpace::build(
            MappingKind::JordanWigner,
            false,
            false,
            n,
            electrons,
            electrons,
            0.0,
            h1.view(),
            eri.view(),
        )?;
        let built = ansatz::build(AnsatzKind::Uccsd, &options, &space)?;
        let logical = built.logical;
        let params: Vec<f64> =
            (0..logical.n_parameters()).map(|k| 0.2 * ((k as f64 + 1.0) * 1.618_034).sin()).collect();
        std::fs::write(format!("{directory}/{name}.qasm"), qasm2(&logical, &params))?;
        let counts = logical.counts();
        for (label, target) in [("aria", Target::IonqMs), ("forte", Target::IonqZz)] {
            let mut best = f64::INFINITY;
            let mut native = native::compile(&logical, &params, target);
            for _ in 0..5 {
                let start = Instant::now();
                native = native::compile(&logical, &params, target);
                best = best.min(start.elapsed().as_secs_f64());
            }
            let two = native.gates.iter().filter(|g| g.is_two_qubit()).count();
            println!(
                "{{\"molecule\": \"{name}\", \"target\": \"{label}\", \"qubits\": {}, \"logical_1q\": {}, \"logical_cx\": {}, \"qdf_1q\": {}, \"qdf_2q\": {two}, \"qdf_seconds\": {best:.6}}}",
                logical.n_qubits(),
                counts.one_qubit,
                counts.two_qubit,
                native.gates.len() - two,
            );
        }
    }
    Ok(())
}

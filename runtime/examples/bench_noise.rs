//! Noisy-simulation benchmark: a layered native circuit (a GPi2 and a GPi on every qubit, then MS
//! gates on neighbouring pairs, per layer) under depolarising, dephasing-free Aria-like noise,
//! simulated as an exact density matrix at 8–12 qubits and by 100 Monte-Carlo trajectories at
//! 14–18 qubits. Prints one JSON line per size with the best of 3 wall times.
//!
//! Run: cargo run --release -p qdf-runtime --example bench_noise

use std::time::Instant;

use qdf_compiler::hir::NoiseModel;
use qdf_runtime::native::{NativeCircuit, NativeGate, Target};
use qdf_runtime::noise::{simulate_density, simulate_trajectories, ChannelModel};
use qdf_runtime::qubit::{PauliString, PauliSum};

/// `layers` layers on `n` qubits with fixed, irregular phases.
fn circuit(n: u32, layers: u32) -> NativeCircuit {
    let mut gates = Vec::new();
    for layer in 0..layers {
        for q in 0..n {
            let phase = 0.037 * f64::from(q + 3 * layer) % 1.0;
            gates.push(NativeGate::Gpi2 { qubit: q, phase });
            gates.push(NativeGate::Gpi { qubit: q, phase: (phase + 0.31) % 1.0 });
        }
        for q in (layer % 2..n - 1).step_by(2) {
            gates.push(NativeGate::Ms { qubits: [q, q + 1], phases: [0.1, 0.7], angle: 0.25 });
        }
    }
    NativeCircuit { target: Target::IonqMs, n_qubits: n, gates, frames: vec![0.0; n as usize] }
}

/// The best of three wall times of `f`, milliseconds.
fn best_of_three(mut f: impl FnMut()) -> f64 {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1e3
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let model = NoiseModel {
        depolarizing_1q: 7.5e-4,
        depolarizing_2q: 5e-3,
        readout_error: 0.0039,
        dephasing: false,
        t2: None,
        time_1q: None,
        time_2q: None,
    };
    let channels = ChannelModel::from_model(&model)?;
    let layers = 10;
    for n in [8, 10, 12] {
        let c = circuit(n, layers);
        let ms = best_of_three(|| {
            simulate_density(&c, &channels).expect("fits");
        });
        println!(r#"{{"method": "density_matrix", "qubits": {n}, "gates": {}, "ms": {ms:.1}}}"#, c.gates.len());
    }
    for n in [14, 16, 18] {
        let c = circuit(n, layers);
        let mut h = PauliSum::new(n);
        h.add(PauliString::single('Z', 0), 1.0);
        let ms = best_of_three(|| {
            simulate_trajectories(&c, &channels, &h, 100, 7).expect("fits");
        });
        println!(r#"{{"method": "trajectories_100", "qubits": {n}, "gates": {}, "ms": {ms:.1}}}"#, c.gates.len());
    }
    Ok(())
}

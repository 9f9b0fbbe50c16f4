//! Reading the shared simulator workloads (/work/shared/bench/SPEC.md) for qdf's benchmark
//! examples (`bench_sim`, `bench_jit`): JSON inputs, gate lists, Pauli sums, and the `|0…0⟩` reset.

use num_complex::Complex64;
use qdf_runtime::qubit::PauliString;
use qdf_runtime::sim::StateVector;
use qdf_runtime::svsim::{Angle, Gate};
use serde_json::Value;

/// A JSON input file of the workloads. Failure contract: an unreadable or malformed file is a
/// message naming it.
pub fn load(dir: &str, name: &str) -> Result<Value, String> {
    let path = format!("{dir}/{name}");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))
}

/// The gates of a workload file: fixed `angle`s, or `param_index` read at run time.
pub fn gates(spec: &Value) -> Result<Vec<Gate>, String> {
    let list = spec["gates"].as_array().ok_or("no gates")?;
    list.iter()
        .map(|g| {
            let qs: Vec<u32> = g["qubits"]
                .as_array()
                .ok_or("gate without qubits")?
                .iter()
                .map(|q| q.as_u64().map(|q| q as u32).ok_or("bad qubit"))
                .collect::<Result<_, _>>()?;
            let angle = match (g["param_index"].as_u64(), g["angle"].as_f64()) {
                (Some(k), _) => Angle::param(k as usize),
                (None, Some(t)) => Angle::Fixed(t),
                (None, None) => Angle::Fixed(0.0),
            };
            let arity = if matches!(g["gate"].as_str(), Some("CNOT" | "CZ")) { 2 } else { 1 };
            if qs.len() != arity {
                return Err(format!("gate {g} has {} qubits", qs.len()));
            }
            Ok(match g["gate"].as_str().ok_or("gate without name")? {
                "RX" => Gate::Rx(qs[0], angle),
                "RY" => Gate::Ry(qs[0], angle),
                "RZ" => Gate::Rz(qs[0], angle),
                "CNOT" => Gate::Cnot(qs[0], qs[1]),
                "CZ" => Gate::Cz(qs[0], qs[1]),
                other => return Err(format!("unknown gate {other}")),
            })
        })
        .collect()
}

/// The Pauli terms of a Hamiltonian file (`ops`: `[qubit, letter]` pairs).
pub fn hamiltonian(ham: &Value) -> Result<Vec<(PauliString, f64)>, String> {
    let list = ham["terms"].as_array().ok_or("no terms")?;
    list.iter()
        .map(|t| {
            let mut p = PauliString::IDENTITY;
            for op in t["ops"].as_array().ok_or("no ops")? {
                let q = op[0].as_u64().ok_or("bad qubit")? as u32;
                let letter = op[1].as_str().and_then(|s| s.chars().next()).ok_or("bad letter")?;
                let s = PauliString::single(letter, q);
                p.x |= s.x;
                p.z |= s.z;
            }
            Ok((p, t["coeff"].as_f64().ok_or("bad coefficient")?))
        })
        .collect()
}

/// `|ψ⟩ ← |0…0⟩`.
pub fn reset(state: &mut StateVector) {
    let a = state.amplitudes_mut();
    a.fill(Complex64::new(0.0, 0.0));
    a[0] = Complex64::new(1.0, 0.0);
}

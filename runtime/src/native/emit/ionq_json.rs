//! IonQ API v0.4 job bodies (`POST /jobs`): `ionq.circuit.v1` for one circuit and
//! `ionq.multi-circuit.v1` for several, in the `native` gateset (lowered circuits) or the `qis`
//! gateset (logical circuits, rotations in radians). Qubit `q` is IonQ's qubit `q`; IonQ reports
//! probabilities with qubit 0 as the least significant bit, the convention of this crate.

use serde_json::{json, Value};

use super::super::gate::NativeGate;
use super::super::lower::NativeCircuit;
use crate::circuit::{Gate, LogicalCircuit};

/// Where and how a job runs.
#[derive(Clone, Debug, PartialEq)]
pub struct JobSettings {
    /// `simulator`, `qpu.aria-1`, `qpu.forte-1`, …
    pub backend: String,
    pub shots: u64,
    pub name: String,
    /// A noise model for the simulator backend (`aria-1`, …) with its seed.
    pub noise: Option<(String, u64)>,
    /// Error mitigation by debiasing (IonQ needs at least 500 shots for it).
    pub debiasing: bool,
}

fn native_gate(gate: &NativeGate) -> Value {
    match *gate {
        NativeGate::Gpi { qubit, phase } => json!({"gate": "gpi", "target": qubit, "phase": phase}),
        NativeGate::Gpi2 { qubit, phase } => json!({"gate": "gpi2", "target": qubit, "phase": phase}),
        NativeGate::Ms { qubits, phases, angle } => {
            json!({"gate": "ms", "targets": qubits, "phases": phases, "angle": angle})
        }
        NativeGate::Zz { qubits, angle } => json!({"gate": "zz", "targets": qubits, "angle": angle}),
        NativeGate::U1q { .. } | NativeGate::Rzz { .. } => {
            unreachable!("Quantinuum gate {gate:?} in an IonQ job")
        }
    }
}

/// The `native` gateset circuit of `circuit`. Failure contract: panics on a circuit lowered for
/// Quantinuum (a programming error: callers pick an IonQ target).
pub fn native_circuit(circuit: &NativeCircuit) -> Value {
    Value::Array(circuit.gates.iter().map(native_gate).collect())
}

/// The `qis` gateset circuit of `circuit` with `params` bound. Failure contract: panics if
/// `params` is shorter than the circuit's parameter count.
pub fn qis_circuit(circuit: &LogicalCircuit, params: &[f64]) -> Value {
    let rotation = |name: &str, q: u32, angle: f64| json!({"gate": name, "targets": [q], "rotation": angle});
    let gates = circuit.gates().iter().map(|gate| match *gate {
        Gate::H(q) => json!({"gate": "h", "targets": [q]}),
        Gate::S(q) => json!({"gate": "s", "targets": [q]}),
        Gate::Sdg(q) => json!({"gate": "si", "targets": [q]}),
        Gate::X(q) => json!({"gate": "x", "targets": [q]}),
        Gate::Rx(q, a) => rotation("rx", q, a.value(params)),
        Gate::Ry(q, a) => rotation("ry", q, a.value(params)),
        Gate::Rz(q, a) => rotation("rz", q, a.value(params)),
        Gate::Cnot { control, target } => json!({"gate": "x", "controls": [control], "targets": [target]}),
        Gate::Cz(a, b) => json!({"gate": "z", "controls": [a], "targets": [b]}),
    });
    Value::Array(gates.collect())
}

/// A job body for named circuits in one gateset (`native` or `qis`), each given as its qubit count
/// and gate list: `ionq.circuit.v1` for one, `ionq.multi-circuit.v1` for more.
pub fn job(settings: &JobSettings, gateset: &str, circuits: &[(String, u32, Value)]) -> Value {
    let qubits = circuits.iter().map(|(_, n, _)| *n).max().unwrap_or(0);
    let input = match circuits {
        [(_, _, gates)] => json!({"gateset": gateset, "qubits": qubits, "circuit": gates}),
        _ => json!({
            "gateset": gateset,
            "qubits": qubits,
            "circuits": circuits.iter().map(|(name, _, gates)| json!({"name": name, "circuit": gates})).collect::<Vec<_>>(),
        }),
    };
    let kind = if circuits.len() == 1 { "ionq.circuit.v1" } else { "ionq.multi-circuit.v1" };
    let mut body = json!({
        "type": kind,
        "backend": settings.backend,
        "shots": settings.shots,
        "name": settings.name,
        "input": input,
        "settings": {"error_mitigation": {"debiasing": settings.debiasing}},
    });
    if let Some((model, seed)) = &settings.noise {
        body["noise"] = json!({"model": model, "seed": seed});
    }
    body
}

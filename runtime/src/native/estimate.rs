//! What a lowered circuit costs on a device: native gate counts, depth, duration of one shot,
//! expected fidelity, and for a job the QPU time and the price.
//!
//! Expected fidelity `F = f1^N1 · f2^N2 · f_spam^n · exp(−n · t / T2)` for `n` qubits and one
//! shot's duration `t` (the last factor only when the device gives T2 and gate times): gate errors
//! as independent depolarising events, readout error per measured qubit, dephasing while the
//! circuit runs. Prices are per gate per shot with a minimum per circuit (Azure Quantum's IonQ
//! pricing).

use qdf_compiler::hir::Device;

use super::gate::Target;
use super::lower::NativeCircuit;
use crate::circuit::LogicalCircuit;

/// Why a circuit cannot run on a device.
#[derive(Clone, Debug, PartialEq)]
pub enum NativeError {
    /// The device's `native_gates` name no trapped-ion gate set this compiler targets.
    UnsupportedDevice {
        device: String,
        native_gates: Vec<String>,
    },
    TooManyQubits {
        device: String,
        needed: u32,
        available: u32,
    },
    TooManyShots {
        device: String,
        shots: u64,
        max_shots: u64,
    },
}

impl std::fmt::Display for NativeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NativeError::UnsupportedDevice { device, native_gates } => write!(
                f,
                "device `{device}` has native gates [{}]; the trapped-ion compiler needs ms, zz or rzz",
                native_gates.join(", ")
            ),
            NativeError::TooManyQubits { device, needed, available } => {
                write!(f, "the circuit needs {needed} qubits; device `{device}` has {available}")
            }
            NativeError::TooManyShots { device, shots, max_shots } => {
                write!(f, "{shots} shots per circuit; device `{device}` allows at most {max_shots}")
            }
        }
    }
}

impl std::error::Error for NativeError {}

/// A circuit's figures on one device.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct NativeEstimate {
    pub target: Target,
    pub qubits: u32,
    pub one_qubit: usize,
    pub two_qubit: usize,
    pub depth: usize,
    /// Seconds per shot (gates on the critical path, then readout); `None` without gate times.
    pub duration: Option<f64>,
    pub fidelity: f64,
}

/// The price and QPU time of running circuits.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct JobCost {
    pub shots: u64,
    /// `None` when the device gives no gate times.
    pub qpu_seconds: Option<f64>,
    /// `None` when the device gives no prices.
    pub usd: Option<f64>,
}

/// Parameter values for estimates: generic (no angle is a multiple of π/4), so no rotation
/// vanishes or becomes Clifford by accident and the counts are those of a typical point.
fn generic_parameters(n: usize) -> Vec<f64> {
    (0..n).map(|i| 0.3 + 0.6180339887498949 * (i as f64 + 1.0) % 1.7).collect()
}

/// The target a device's gates select. Failure contract: [`NativeError::UnsupportedDevice`].
pub fn target_of(device: &Device) -> Result<Target, NativeError> {
    Target::for_native_gates(&device.native_gates).ok_or_else(|| NativeError::UnsupportedDevice {
        device: device.name.clone(),
        native_gates: device.native_gates.clone(),
    })
}

/// Lowers `circuit` (at generic parameter values) for `device` and estimates it. Failure contract:
/// a device without a supported gate set, or with fewer qubits than the circuit, is an error.
pub fn estimate(circuit: &LogicalCircuit, device: &Device) -> Result<NativeEstimate, NativeError> {
    let target = target_of(device)?;
    if circuit.n_qubits() > device.qubits {
        return Err(NativeError::TooManyQubits {
            device: device.name.clone(),
            needed: circuit.n_qubits(),
            available: device.qubits,
        });
    }
    let native = super::compile(circuit, &generic_parameters(circuit.n_parameters()), target);
    Ok(estimate_native(&native, device))
}

/// Counts, depth, duration and fidelity of an already lowered circuit on `device`.
pub fn estimate_native(native: &NativeCircuit, device: &Device) -> NativeEstimate {
    let two_qubit = native.gates.iter().filter(|g| g.is_two_qubit()).count();
    let one_qubit = native.gates.len() - two_qubit;
    let n = native.n_qubits as usize;
    let (mut layers, mut clock) = (vec![0usize; n], vec![0.0f64; n]);
    let times = device.time_1q.zip(device.time_2q);
    for gate in &native.gates {
        let (a, b) = gate.qubits();
        let (a, b) = (a as usize, b.map(|b| b as usize));
        let step = times.map_or(0.0, |(t1, t2)| if b.is_some() { t2 } else { t1 });
        let start_layer = b.map_or(layers[a], |b| layers[a].max(layers[b]));
        let start_time = b.map_or(clock[a], |b| clock[a].max(clock[b]));
        for q in std::iter::once(a).chain(b) {
            layers[q] = start_layer + 1;
            clock[q] = start_time + step;
        }
    }
    let depth = layers.into_iter().max().unwrap_or(0);
    let duration = times.map(|_| clock.into_iter().fold(0.0, f64::max) + device.time_readout.unwrap_or(0.0));
    let mut fidelity = device.fidelity_1q.powi(one_qubit as i32)
        * device.fidelity_2q.powi(two_qubit as i32)
        * device.fidelity_spam.powi(native.n_qubits as i32);
    if let (Some(t), Some(t2)) = (duration, device.t2) {
        fidelity *= (-(native.n_qubits as f64) * t / t2).exp();
    }
    NativeEstimate { target: native.target, qubits: native.n_qubits, one_qubit, two_qubit, depth, duration, fidelity }
}

/// QPU time and price of running `circuits` circuits like `estimate`, `shots` shots each.
/// Failure contract: [`NativeError::TooManyShots`] when `shots` exceeds the device's limit.
pub fn job_cost(estimate: &NativeEstimate, device: &Device, circuits: u64, shots: u64) -> Result<JobCost, NativeError> {
    if let Some(max_shots) = device.max_shots {
        if shots > max_shots {
            return Err(NativeError::TooManyShots { device: device.name.clone(), shots, max_shots });
        }
    }
    let per_circuit = device.price_1q.zip(device.price_2q).map(|(p1, p2)| {
        let gates = estimate.one_qubit as f64 * p1 + estimate.two_qubit as f64 * p2;
        (shots as f64 * gates).max(device.price_minimum.unwrap_or(0.0))
    });
    Ok(JobCost {
        shots: circuits * shots,
        qpu_seconds: estimate.duration.map(|t| t * (circuits * shots) as f64),
        usd: per_circuit.map(|usd| usd * circuits as f64),
    })
}

//! The native gates of trapped-ion machines and the targets that run them.
//!
//! IonQ gates take phases and angles in turns (1 turn = 2π): `GPI(φ) = σ_φ`,
//! `GPI2(φ) = exp(−iπ/4·σ_φ)`, `MS(φ0, φ1, θ) = exp(−iπθ·σ_φ0 ⊗ σ_φ1)` and
//! `ZZ(θ) = exp(−iπθ·Z ⊗ Z)`, with `σ_φ = cos(2πφ) X + sin(2πφ) Y`. Quantinuum gates take radians:
//! `U1q(θ, φ) = exp(−iθ/2·(cos φ X + sin φ Y))` and `RZZ(θ) = exp(−iθ/2·Z ⊗ Z)`. Two-qubit
//! matrices are little-endian: basis index `2·b(qubits[1]) + b(qubits[0])`.

use std::f64::consts::{FRAC_PI_4, TAU};

use num_complex::Complex64;

use super::su2::{self, Mat2};

/// A native gate set: which entangling gate the lowering targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// IonQ Aria: GPI, GPI2, MS.
    IonqMs,
    /// IonQ Forte, Forte Enterprise and Tempo: GPI, GPI2, ZZ.
    IonqZz,
    /// Quantinuum H-series: U1q, RZZ (RZ is virtual).
    Quantinuum,
}

impl Target {
    /// The target whose gates a device's `native_gates` list names: `ms` picks MS, `zz` picks ZZ,
    /// `rzz` or `u1q` picks Quantinuum. `None` when the list names none of them.
    pub fn for_native_gates(names: &[String]) -> Option<Target> {
        let has = |g: &str| names.iter().any(|n| n.eq_ignore_ascii_case(g));
        if has("zz") {
            Some(Target::IonqZz)
        } else if has("ms") {
            Some(Target::IonqMs)
        } else if has("rzz") || has("u1q") {
            Some(Target::Quantinuum)
        } else {
            None
        }
    }
}

/// One native gate. IonQ phases are normalised to `[0, 1)` turns; MS and ZZ angles lie in
/// `(0, ¼]` turns; Quantinuum angles are radians.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum NativeGate {
    Gpi { qubit: u32, phase: f64 },
    Gpi2 { qubit: u32, phase: f64 },
    Ms { qubits: [u32; 2], phases: [f64; 2], angle: f64 },
    Zz { qubits: [u32; 2], angle: f64 },
    U1q { qubit: u32, theta: f64, phi: f64 },
    Rzz { qubits: [u32; 2], theta: f64 },
}

/// A native gate's operator: one qubit or two.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum GateMatrix {
    One(u32, Mat2),
    /// Little-endian in `(qubits[0], qubits[1])`.
    Two([u32; 2], [[Complex64; 4]; 4]),
}

/// `x` reduced into `[0, 1)`.
pub fn normalise_turns(x: f64) -> f64 {
    let r = x.rem_euclid(1.0);
    // rem_euclid can round up to exactly 1.0 for tiny negative inputs.
    if r >= 1.0 {
        0.0
    } else {
        r
    }
}

impl NativeGate {
    pub fn is_two_qubit(&self) -> bool {
        matches!(self, NativeGate::Ms { .. } | NativeGate::Zz { .. } | NativeGate::Rzz { .. })
    }

    /// The qubits the gate acts on.
    pub fn qubits(&self) -> (u32, Option<u32>) {
        match *self {
            NativeGate::Gpi { qubit, .. } | NativeGate::Gpi2 { qubit, .. } | NativeGate::U1q { qubit, .. } => {
                (qubit, None)
            }
            NativeGate::Ms { qubits, .. } | NativeGate::Zz { qubits, .. } | NativeGate::Rzz { qubits, .. } => {
                (qubits[0], Some(qubits[1]))
            }
        }
    }

    pub fn matrix(&self) -> GateMatrix {
        let c = Complex64::new;
        match *self {
            NativeGate::Gpi { qubit, phase } => {
                let e = Complex64::from_polar(1.0, TAU * phase);
                GateMatrix::One(qubit, [[c(0.0, 0.0), e.conj()], [e, c(0.0, 0.0)]])
            }
            NativeGate::Gpi2 { qubit, phase } => GateMatrix::One(qubit, su2::equatorial(FRAC_PI_4 * 2.0, TAU * phase)),
            NativeGate::U1q { qubit, theta, phi } => GateMatrix::One(qubit, su2::equatorial(theta, phi)),
            NativeGate::Ms { qubits, phases, angle } => {
                // exp(−iπθ·A) with A = σ_φ0 ⊗ σ_φ1, A² = I: cos(πθ)·I − i·sin(πθ)·A. A maps
                // |b0 b1⟩ to e^{±i2πφ0}·e^{±i2πφ1}|¬b0 ¬b1⟩ (+ for a 0 → 1 flip).
                let (cos, sin) = ((std::f64::consts::PI * angle).cos(), (std::f64::consts::PI * angle).sin());
                let mut m = [[c(0.0, 0.0); 4]; 4];
                for (column, row) in (0..4usize).map(|column| (column, column ^ 3)) {
                    m[column][column] = c(cos, 0.0);
                    let sign = |bit: usize| if column >> bit & 1 == 0 { 1.0 } else { -1.0 };
                    let phase = TAU * (sign(0) * phases[0] + sign(1) * phases[1]);
                    m[row][column] = c(0.0, -sin) * Complex64::from_polar(1.0, phase);
                }
                GateMatrix::Two(qubits, m)
            }
            NativeGate::Zz { qubits, angle } => GateMatrix::Two(qubits, zz_matrix(TAU * angle)),
            NativeGate::Rzz { qubits, theta } => GateMatrix::Two(qubits, zz_matrix(theta)),
        }
    }
}

/// `exp(−iθ/2·Z ⊗ Z)`.
fn zz_matrix(theta: f64) -> [[Complex64; 4]; 4] {
    let mut m = [[Complex64::new(0.0, 0.0); 4]; 4];
    for (k, row) in m.iter_mut().enumerate() {
        let parity = if (k & 1) ^ (k >> 1 & 1) == 0 { 1.0 } else { -1.0 };
        row[k] = Complex64::from_polar(1.0, -theta / 2.0 * parity);
    }
    m
}

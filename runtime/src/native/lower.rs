//! Stage two: the Ising form becomes a target's native gates with virtual-Z frame tracking.
//!
//! Each qubit keeps one pending 2×2 unitary: everything applied to it that has not been emitted,
//! virtual `RZ` frames included. When an interaction or the end of the circuit needs it, the
//! pending unitary `RZ(c) · RY(b) · RZ(a)` is emitted as pulses on the equatorial axis
//! `¼ − a/2π` turns: nothing for `b = 0`, one GPI2 for `b = π/2`, one GPI for `b = π`, two GPI2
//! otherwise (`RY(b) = RX(−π/2) · RZ(b) · RX(π/2)`), or one `U1q` on Quantinuum. The `RZ` left over
//! is carried on as a frame: it commutes with ZZ and RZZ and shifts the phases of MS.
//!
//! - ZZ (Forte): a negative angle is made positive by `RZZ(θ) = RY(−π)_q · RZZ(−θ) · RY(π)_q` on
//!   the qubit whose pulses that costs least.
//! - MS (Aria): `RZZ(θ) = (W†⊗W†) · RXX(±θ) · (W⊗W)` with `W = RY(±π/2)` per qubit, the sign
//!   chosen to make the qubit's pending pulses cheapest; a negative angle becomes a half-turn
//!   phase shift, `MS(φ0 + ½, φ1, θ) = MS(φ0, φ1, −θ)`.
//! - RZZ (Quantinuum) takes any angle.
//!
//! The final frames are returned rather than emitted: before a Z-basis measurement they change
//! nothing. All phases are normalised into `[0, 1)` turns.

use std::f64::consts::{FRAC_PI_2, PI, TAU};

use super::gate::{normalise_turns, NativeGate, Target};
use super::ising::IsingOp;
use super::su2::{self, Mat2, Zyz, ANGLE_EPS};

/// A lowered circuit: native gates in time order, then a virtual `RZ(frames[q])` on each qubit.
/// The gates followed by the frames equal the logical circuit up to a global phase.
#[derive(Clone, Debug, PartialEq)]
pub struct NativeCircuit {
    pub target: Target,
    pub n_qubits: u32,
    pub gates: Vec<NativeGate>,
    /// Each qubit's final frame in radians.
    pub frames: Vec<f64>,
}

/// Pulses needed for the body of `m`: 0, 1 or 2 on IonQ; 0 or 1 on Quantinuum.
fn pulse_cost(target: Target, m: &Mat2) -> usize {
    let b = Zyz::of(m).b;
    if b < ANGLE_EPS {
        0
    } else if target == Target::Quantinuum || (b - FRAC_PI_2).abs() < ANGLE_EPS || (b - PI).abs() < ANGLE_EPS {
        1
    } else {
        2
    }
}

struct Lowering {
    target: Target,
    gates: Vec<NativeGate>,
    pending: Vec<Mat2>,
}

impl Lowering {
    /// Emits the pulses of `m = RZ(c) · RY(b) · RZ(a)` on `q` and returns the `RZ` angle left over:
    /// `m = RZ(left) · pulses` up to a global phase.
    fn emit_block(&mut self, q: u32, m: &Mat2) -> f64 {
        let Zyz { a, b, c } = Zyz::of(m);
        let turns = |x: f64| normalise_turns(x / TAU);
        if b < ANGLE_EPS {
            return a + c;
        }
        if self.target == Target::Quantinuum {
            self.gates.push(NativeGate::U1q { qubit: q, theta: b, phi: (FRAC_PI_2 - a).rem_euclid(TAU) });
            return a + c;
        }
        if (b - FRAC_PI_2).abs() < ANGLE_EPS {
            self.gates.push(NativeGate::Gpi2 { qubit: q, phase: turns(FRAC_PI_2 - a) });
            a + c
        } else if (b - PI).abs() < ANGLE_EPS {
            self.gates.push(NativeGate::Gpi { qubit: q, phase: turns(FRAC_PI_2 - a) });
            a + c
        } else {
            self.gates.push(NativeGate::Gpi2 { qubit: q, phase: turns(-a) });
            self.gates.push(NativeGate::Gpi2 { qubit: q, phase: turns(PI - a - b) });
            a + b + c
        }
    }

    fn interaction(&mut self, a: u32, b: u32, theta: f64) {
        match self.target {
            Target::Quantinuum => {
                for q in [a, b] {
                    let left = self.emit_block(q, &self.pending[q as usize].clone());
                    self.pending[q as usize] = su2::rz(left);
                }
                self.gates.push(NativeGate::Rzz { qubits: [a, b], theta });
            }
            Target::IonqZz => self.zz(a, b, theta),
            Target::IonqMs => self.ms(a, b, theta),
        }
    }

    fn zz(&mut self, a: u32, b: u32, theta: f64) {
        // The qubit that takes RY(π) before (and RY(−π) after) when the angle is negative.
        let flipped = (theta < 0.0).then(|| {
            let extra = |q: u32| {
                let m = &self.pending[q as usize];
                pulse_cost(self.target, &su2::mul(&su2::ry(PI), m)) as i64 - pulse_cost(self.target, m) as i64
            };
            if extra(b) < extra(a) {
                b
            } else {
                a
            }
        });
        for q in [a, b] {
            let pending = self.pending[q as usize];
            if flipped == Some(q) {
                let zyz = Zyz::of(&pending);
                let left = self.emit_block(q, &su2::mul(&su2::ry(PI), &zyz.body()));
                self.pending[q as usize] = su2::mul(&su2::mul(&su2::rz(zyz.c), &su2::ry(-PI)), &su2::rz(left));
            } else {
                let left = self.emit_block(q, &pending);
                self.pending[q as usize] = su2::rz(left);
            }
        }
        self.gates.push(NativeGate::Zz { qubits: [a, b], angle: theta.abs() / TAU });
    }

    fn ms(&mut self, a: u32, b: u32, theta: f64) {
        let mut phases = [0.0; 2];
        let mut sign = 1.0;
        for (slot, q) in [a, b].into_iter().enumerate() {
            let zyz = Zyz::of(&self.pending[q as usize]);
            let body = zyz.body();
            let candidate = |s: f64| su2::mul(&su2::ry(s * FRAC_PI_2), &body);
            let s = if pulse_cost(self.target, &candidate(-1.0)) < pulse_cost(self.target, &candidate(1.0)) {
                -1.0
            } else {
                1.0
            };
            sign *= s;
            let left = self.emit_block(q, &candidate(s));
            phases[slot] = -left / TAU;
            self.pending[q as usize] = su2::mul(&su2::mul(&su2::rz(zyz.c), &su2::ry(-s * FRAC_PI_2)), &su2::rz(left));
        }
        let angle = sign * theta;
        if angle < 0.0 {
            phases[0] += 0.5;
        }
        let phases = [normalise_turns(phases[0]), normalise_turns(phases[1])];
        self.gates.push(NativeGate::Ms { qubits: [a, b], phases, angle: angle.abs() / TAU });
    }
}

/// Lowers the Ising form `ops` on `n_qubits` qubits to `target`'s native gates.
pub fn lower(ops: &[IsingOp], n_qubits: u32, target: Target) -> NativeCircuit {
    let mut lowering = Lowering { target, gates: Vec::new(), pending: vec![su2::identity(); n_qubits as usize] };
    for op in ops {
        match *op {
            IsingOp::Local(q, ref m) => lowering.pending[q as usize] = su2::mul(m, &lowering.pending[q as usize]),
            IsingOp::Zz(a, b, theta) => lowering.interaction(a, b, theta),
        }
    }
    let mut frames = Vec::with_capacity(n_qubits as usize);
    for q in 0..n_qubits {
        let pending = lowering.pending[q as usize];
        frames.push(lowering.emit_block(q, &pending));
    }
    NativeCircuit { target, n_qubits, gates: lowering.gates, frames }
}

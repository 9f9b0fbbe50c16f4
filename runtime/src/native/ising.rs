//! Stage one of the lowering, common to every target: a logical circuit with its parameters bound
//! becomes single-qubit blocks and `RZZ` interactions ("Ising form").
//!
//! Passes, all in one sweep over the gates:
//! - Pauli-rotation synthesis: `CNOT(a,b) · RZ_b(θ) · CNOT(a,b)`, with only diagonal single-qubit
//!   gates between them, is one `RZZ(θ)`, so a parity ladder of weight `k` costs `2(k − 2) + 1`
//!   entangling gates instead of `2(k − 1)`;
//! - every other `CNOT` and `CZ` is `RZZ(π/2)` between single-qubit gates
//!   (`CZ = RZ(−π/2) ⊗ RZ(−π/2) · RZZ(π/2)` up to a global phase, `CNOT = H_t · CZ · H_t`);
//! - single-qubit merging: consecutive single-qubit gates on a qubit are one 2×2 block;
//! - commutation: a block's trailing `RZ` commutes with `RZZ` and is carried past it;
//! - fusion and cancellation: an `RZZ` on the pair of the previous `RZZ`, with only diagonal gates
//!   between, adds its angle to it; angles are reduced into `(−π/2, π/2]` with `RZZ(π) ∝ Z ⊗ Z`,
//!   and an interaction that reduces to zero is removed and the blocks before it are reopened.

use std::f64::consts::{FRAC_1_SQRT_2, FRAC_PI_2, PI, TAU};

use num_complex::Complex64;

use super::su2::{self, Mat2, Zyz, ANGLE_EPS};
use crate::circuit::{Gate, LogicalCircuit};

/// One operation of the Ising form.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum IsingOp {
    /// A single-qubit unitary.
    Local(u32, Mat2),
    /// `RZZ(θ) = exp(−iθ/2·Z ⊗ Z)`, `θ ∈ (−π/2, π/2]`, nonzero.
    Zz(u32, u32, f64),
}

/// The single-qubit matrix of a one-qubit logical gate with its angle bound.
fn one_qubit_matrix(gate: &Gate, params: &[f64]) -> Mat2 {
    let c = |re: f64, im: f64| Complex64::new(re, im);
    let h = FRAC_1_SQRT_2;
    match *gate {
        Gate::H(_) => [[c(h, 0.0), c(h, 0.0)], [c(h, 0.0), c(-h, 0.0)]],
        Gate::S(_) => su2::rz(FRAC_PI_2),
        Gate::Sdg(_) => su2::rz(-FRAC_PI_2),
        Gate::X(_) => [[c(0.0, 0.0), c(1.0, 0.0)], [c(1.0, 0.0), c(0.0, 0.0)]],
        Gate::Rx(_, a) => su2::equatorial(a.value(params), 0.0),
        Gate::Ry(_, a) => su2::ry(a.value(params)),
        Gate::Rz(_, a) => su2::rz(a.value(params)),
        Gate::Cnot { .. } | Gate::Cz(..) => unreachable!("two-qubit gate {gate:?} has no 2×2 matrix"),
    }
}

/// The `RZ` angle of a diagonal one-qubit gate on `qubit`, if it is one.
fn diagonal_angle(gate: &Gate, qubit: u32, params: &[f64]) -> Option<f64> {
    match *gate {
        Gate::Rz(q, a) if q == qubit => Some(a.value(params)),
        Gate::S(q) if q == qubit => Some(FRAC_PI_2),
        Gate::Sdg(q) if q == qubit => Some(-FRAC_PI_2),
        _ => None,
    }
}

/// For each gate, the index of the next gate on each of its qubits.
fn next_on_qubits(circuit: &LogicalCircuit) -> Vec<[usize; 2]> {
    let gates = circuit.gates();
    let mut next = vec![[usize::MAX; 2]; gates.len()];
    let mut upcoming = vec![usize::MAX; circuit.n_qubits() as usize];
    for (i, gate) in gates.iter().enumerate().rev() {
        let (a, b) = gate.qubits();
        next[i][0] = upcoming[a as usize];
        upcoming[a as usize] = i;
        if let Some(b) = b {
            next[i][1] = upcoming[b as usize];
            upcoming[b as usize] = i;
        }
    }
    next
}

/// The next gate on `qubit` after gate `i` (which acts on it).
fn next_on(gates: &[Gate], next: &[[usize; 2]], i: usize, qubit: u32) -> usize {
    if gates[i].qubits().0 == qubit {
        next[i][0]
    } else {
        next[i][1]
    }
}

/// Finds the closing `CNOT(a,b)` of a parity pair opened at gate `i`: the index of the closing
/// gate, the summed `RZ` angle on `b` between them and the indices of the gates on `b` it absorbs.
/// `None` when anything but diagonal single-qubit gates sits between them on `a` or `b`.
fn parity_pair(gates: &[Gate], next: &[[usize; 2]], i: usize, params: &[f64]) -> Option<(usize, f64, Vec<usize>)> {
    let Gate::Cnot { control, target } = gates[i] else { return None };
    let mut on_target = Vec::new();
    let mut angle = 0.0;
    let mut j = next_on(gates, next, i, target);
    while j != usize::MAX {
        if let Some(phi) = diagonal_angle(&gates[j], target, params) {
            angle += phi;
            on_target.push(j);
            j = next[j][0];
        } else {
            break;
        }
    }
    if j == usize::MAX || gates[j] != (Gate::Cnot { control, target }) {
        return None;
    }
    let mut k = next_on(gates, next, i, control);
    while k != j {
        if k == usize::MAX || diagonal_angle(&gates[k], control, params).is_none() {
            return None;
        }
        k = next[k][0];
    }
    Some((j, angle, on_target))
}

/// The Ising form under construction: emitted operations, a per-qubit history of the operations
/// that touch it, and each qubit's pending (not yet emitted) single-qubit unitary.
struct Builder {
    ops: Vec<Option<IsingOp>>,
    history: Vec<Vec<usize>>,
    pending: Vec<Mat2>,
}

impl Builder {
    fn local(&mut self, q: u32, m: &Mat2) {
        self.pending[q as usize] = su2::mul(m, &self.pending[q as usize]);
    }

    fn push(&mut self, op: IsingOp, qubits: &[u32]) {
        let index = self.ops.len();
        self.ops.push(Some(op));
        for &q in qubits {
            self.history[q as usize].push(index);
        }
    }

    /// `RZ(π)` on both qubits for each half turn taken off `theta`, which ends in `(−π/2, π/2]`.
    fn reduce(&mut self, a: u32, b: u32, theta: f64) -> f64 {
        let mut theta = (theta + PI).rem_euclid(TAU) - PI;
        if theta > FRAC_PI_2 + ANGLE_EPS || theta <= -FRAC_PI_2 + ANGLE_EPS {
            theta -= PI * theta.signum();
            self.local(a, &su2::rz(PI));
            self.local(b, &su2::rz(PI));
        }
        theta
    }

    /// The last operation on `q` when it is the interaction on `{a, b}`.
    fn last_interaction(&self, q: u32, a: u32, b: u32) -> Option<usize> {
        let &last = self.history[q as usize].last()?;
        match self.ops[last] {
            Some(IsingOp::Zz(x, y, _)) if (x, y) == (a, b) || (x, y) == (b, a) => Some(last),
            _ => None,
        }
    }

    fn rzz(&mut self, a: u32, b: u32, theta: f64) {
        let diagonal = |q: u32| Zyz::of(&self.pending[q as usize]).is_diagonal();
        if diagonal(a) && diagonal(b) {
            if let (Some(k), Some(l)) = (self.last_interaction(a, a, b), self.last_interaction(b, a, b)) {
                if k == l {
                    self.fuse(k, a, b, theta);
                    return;
                }
            }
        }
        let theta = self.reduce(a, b, theta);
        if theta.abs() < ANGLE_EPS {
            return;
        }
        for q in [a, b] {
            let zyz = Zyz::of(&self.pending[q as usize]);
            if !zyz.is_diagonal() {
                self.push(IsingOp::Local(q, zyz.body()), &[q]);
                self.pending[q as usize] = su2::rz(zyz.c);
            }
        }
        self.push(IsingOp::Zz(a, b, theta), &[a, b]);
    }

    /// Adds `theta` to the interaction `k` on `{a, b}`; removes it when the sum vanishes and
    /// reopens the single-qubit blocks before it.
    fn fuse(&mut self, k: usize, a: u32, b: u32, theta: f64) {
        let Some(IsingOp::Zz(x, y, previous)) = self.ops[k] else { unreachable!("fuse on a non-interaction") };
        let total = self.reduce(a, b, previous + theta);
        if total.abs() >= ANGLE_EPS {
            self.ops[k] = Some(IsingOp::Zz(x, y, total));
            return;
        }
        self.ops[k] = None;
        for q in [a, b] {
            self.history[q as usize].pop();
            if let Some(&last) = self.history[q as usize].last() {
                if let Some(IsingOp::Local(_, m)) = self.ops[last] {
                    self.pending[q as usize] = su2::mul(&self.pending[q as usize], &m);
                    self.ops[last] = None;
                    self.history[q as usize].pop();
                }
            }
        }
    }
}

/// The Ising form of `circuit` with `params` bound: interactions and single-qubit blocks, each
/// qubit's final block last. Failure contract: panics if `params` is shorter than the circuit's
/// parameter count (a programming error).
pub fn to_ising(circuit: &LogicalCircuit, params: &[f64]) -> Vec<IsingOp> {
    assert!(params.len() >= circuit.n_parameters(), "{} parameters for {}", params.len(), circuit.n_parameters());
    let n = circuit.n_qubits() as usize;
    let gates = circuit.gates();
    let next = next_on_qubits(circuit);
    let mut builder = Builder {
        ops: Vec::with_capacity(gates.len()),
        history: vec![Vec::new(); n],
        pending: vec![su2::identity(); n],
    };
    let mut absorbed = vec![false; gates.len()];
    let h = one_qubit_matrix(&Gate::H(0), params);
    for (i, gate) in gates.iter().enumerate() {
        if absorbed[i] {
            continue;
        }
        match *gate {
            Gate::Cnot { control, target } => {
                if let Some((closing, angle, on_target)) = parity_pair(gates, &next, i, params) {
                    absorbed[closing] = true;
                    for j in on_target {
                        absorbed[j] = true;
                    }
                    builder.rzz(control, target, angle);
                } else {
                    builder.local(target, &h);
                    builder.rzz(control, target, FRAC_PI_2);
                    builder.local(control, &su2::rz(-FRAC_PI_2));
                    builder.local(target, &su2::rz(-FRAC_PI_2));
                    builder.local(target, &h);
                }
            }
            Gate::Cz(a, b) => {
                builder.rzz(a, b, FRAC_PI_2);
                builder.local(a, &su2::rz(-FRAC_PI_2));
                builder.local(b, &su2::rz(-FRAC_PI_2));
            }
            one => builder.local(one.qubits().0, &one_qubit_matrix(&one, params)),
        }
    }
    let mut ops: Vec<IsingOp> = builder.ops.into_iter().flatten().collect();
    for (q, m) in builder.pending.iter().enumerate() {
        ops.push(IsingOp::Local(q as u32, *m));
    }
    ops
}

//! Gate fusion: a template's gates become fewer operations, each one pass over a tile.
//!
//! Runs of single-qubit gates on one qubit become one 2×2 matrix. A CNOT or CZ absorbs the
//! single-qubit gates on its target that touch it without another gate on that qubit in between
//! (before: moved forward past gates on other qubits; after: moved back), becoming a *select*
//! gate: `M0` on the target where the control is 0, `M1` where it is 1. A layer of rotations and
//! a CNOT ladder thus costs one pass per qubit and no separate CNOT passes.
//!
//! Fusion is structural: it records which gates make up each operation, and the matrices are
//! multiplied when parameters are bound ([`FusedOp::bind`]), so one plan serves every parameter
//! vector.

use super::gate::{mul2, Gate, Mat2, IDENTITY2, PAULI_X, PAULI_Z};
use crate::qubit::PauliString;

/// What a fused operation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FusedKind {
    /// A 2×2 matrix on qubit `q`.
    One { q: u32 },
    /// `M0`/`M1` on `t` by the value of control `c`.
    Select { c: u32, t: u32 },
    /// `exp(−i θ/2 · P)`.
    Pauli { p: PauliString },
}

/// One fused operation: its kind and the template gates it is made of, in circuit order.
#[derive(Clone, Debug, PartialEq)]
pub struct FusedOp {
    pub kind: FusedKind,
    pub parts: Vec<usize>,
}

/// A fused operation with its numbers bound (global qubits).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BoundOp {
    One {
        q: u32,
        m: Mat2,
    },
    Select {
        c: u32,
        t: u32,
        m0: Mat2,
        m1: Mat2,
    },
    /// `α + β P`.
    Pauli {
        p: PauliString,
        alpha: num_complex::Complex64,
        beta: num_complex::Complex64,
    },
}

impl FusedOp {
    /// The qubits the operation acts on, as a mask.
    pub fn support(&self) -> u64 {
        match self.kind {
            FusedKind::One { q } => 1 << q,
            FusedKind::Select { c, t } => (1 << c) | (1 << t),
            FusedKind::Pauli { p } => p.x | p.z,
        }
    }

    /// Multiplies out the matrices for `params`. Failure contract: panics if a part is not a
    /// gate this kind can hold (a fusion bug) or a parameter index is out of range.
    pub fn bind(&self, gates: &[Gate], params: &[f64]) -> BoundOp {
        match self.kind {
            FusedKind::One { q } => {
                let m = self.parts.iter().fold(IDENTITY2, |acc, &g| {
                    let u = gates[g].matrix1(params).expect("fused single-qubit part");
                    mul2(&u, &acc)
                });
                BoundOp::One { q, m }
            }
            FusedKind::Select { c, t } => {
                let (mut m0, mut m1) = (IDENTITY2, IDENTITY2);
                for &g in &self.parts {
                    let (u0, u1) = match gates[g] {
                        Gate::Cnot(..) => (IDENTITY2, PAULI_X),
                        Gate::Cz(..) => (IDENTITY2, PAULI_Z),
                        ref other => {
                            let u = other.matrix1(params).expect("fused target part");
                            (u, u)
                        }
                    };
                    m0 = mul2(&u0, &m0);
                    m1 = mul2(&u1, &m1);
                }
                BoundOp::Select { c, t, m0, m1 }
            }
            FusedKind::Pauli { p } => {
                let theta = gates[self.parts[0]].angle().expect("Pauli rotation angle").value(params);
                let (s, co) = (0.5 * theta).sin_cos();
                BoundOp::Pauli {
                    p,
                    alpha: num_complex::Complex64::new(co, 0.0),
                    beta: num_complex::Complex64::new(0.0, -s),
                }
            }
        }
    }
}

/// Fuses `gates` (already checked against the register size).
pub fn fuse(n_qubits: u32, gates: &[Gate]) -> Vec<FusedOp> {
    let mut ops: Vec<Option<FusedOp>> = Vec::new();
    // The last operation touching each qubit.
    let mut last: Vec<Option<usize>> = vec![None; n_qubits as usize];
    for (i, gate) in gates.iter().enumerate() {
        let target = match *gate {
            Gate::Cnot(c, t) => Some(fuse_select(&mut ops, &mut last, i, c, t, |k| k == FusedKind::Select { c, t })),
            Gate::Cz(a, b) => {
                Some(fuse_select(&mut ops, &mut last, i, a, b, |k| k == FusedKind::Select { c: a, t: b }))
            }
            Gate::PauliRotation(p, _) => {
                ops.push(Some(FusedOp { kind: FusedKind::Pauli { p }, parts: vec![i] }));
                Some(ops.len() - 1)
            }
            _ => None,
        };
        let index = match target {
            Some(index) => index,
            None => {
                // A single-qubit gate: join the last operation on its qubit when that is a run on
                // the same qubit or a select gate targeting it.
                let q = single_qubit(gate);
                match last[q as usize] {
                    Some(p) if joins_single(ops[p].as_ref(), q) => {
                        if let Some(op) = ops[p].as_mut() {
                            op.parts.push(i);
                        }
                        p
                    }
                    _ => {
                        ops.push(Some(FusedOp { kind: FusedKind::One { q }, parts: vec![i] }));
                        ops.len() - 1
                    }
                }
            }
        };
        let support = gates[i].support();
        for (q, slot) in last.iter_mut().enumerate() {
            if support >> q & 1 == 1 {
                *slot = Some(index);
            }
        }
    }
    ops.into_iter().flatten().collect()
}

fn single_qubit(gate: &Gate) -> u32 {
    gate.support().trailing_zeros()
}

fn joins_single(op: Option<&FusedOp>, q: u32) -> bool {
    match op.map(|o| o.kind) {
        Some(FusedKind::One { q: r }) => r == q,
        Some(FusedKind::Select { t, .. }) => t == q,
        _ => false,
    }
}

/// Adds the two-qubit gate `i` (control `c`, target `t`) and returns the index of the operation
/// that holds it: the previous select gate on the same pair when nothing came between, else a new
/// select gate that takes over a pending single-qubit run on the target.
fn fuse_select(
    ops: &mut Vec<Option<FusedOp>>,
    last: &mut [Option<usize>],
    i: usize,
    c: u32,
    t: u32,
    same_pair: impl Fn(FusedKind) -> bool,
) -> usize {
    if let (Some(p), Some(r)) = (last[c as usize], last[t as usize]) {
        if p == r {
            if let Some(op) = ops[p].as_mut() {
                if same_pair(op.kind) {
                    op.parts.push(i);
                    return p;
                }
            }
        }
    }
    let mut parts = Vec::new();
    if let Some(p) = last[t as usize] {
        // A run on the target alone moves forward past gates on other qubits into the new gate.
        if matches!(ops[p].as_ref().map(|o| o.kind), Some(FusedKind::One { q }) if q == t) {
            if let Some(run) = ops[p].take() {
                parts = run.parts;
            }
        }
    }
    parts.push(i);
    ops.push(Some(FusedOp { kind: FusedKind::Select { c, t }, parts }));
    ops.len() - 1
}

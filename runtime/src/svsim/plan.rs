//! Cache blocking: fused operations grouped into stages, each one pass over memory.
//!
//! A stage picks `m` local qubits (a tile of `2^m` amplitudes fits in the per-core L2 cache) and
//! takes every pending operation that acts only on them and does not depend on a deferred one;
//! then each tile of the state gets all of the stage's operations while it is in cache. The first
//! choice is the lowest `m` qubits, whose tiles are contiguous and need no copy; otherwise the
//! local set keeps the lowest [`LOW_QUBITS`] qubits (so tiles are runs of contiguous amplitudes)
//! and grows greedily with the qubits of the pending operations ([`super::tiles`]).
//!
//! An operation on more qubits than a tile holds (a long Pauli rotation) runs as its own stage
//! over the whole state.

use super::fusion::{BoundOp, FusedOp};

/// Local qubits per tile for large states (`2^15` amplitudes, 512 KiB).
pub const TILE_QUBITS: u32 = 15;

/// Low qubits every gathered tile keeps, so it is made of runs of `2^LOW_QUBITS` amplitudes.
pub const LOW_QUBITS: u32 = 4;

/// How a stage walks the state.
#[derive(Clone, Debug, PartialEq)]
pub enum StageKind {
    /// Tiles are the contiguous chunks of `2^m` amplitudes; local qubit `k` is qubit `k`.
    Contiguous { m: u32 },
    /// Tiles are gathered; local qubit `k` is the `k`-th set bit of `local`.
    Gathered { local: u64 },
    /// One operation on the whole state.
    Whole,
}

/// A stage: how it walks the state and which fused operations it applies, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Stage {
    pub kind: StageKind,
    pub ops: Vec<usize>,
}

/// Groups `ops` (fused, on `n` qubits) into stages with tiles of `tile_qubits` qubits.
pub fn schedule(n: u32, ops: &[FusedOp], tile_qubits: u32) -> Vec<Stage> {
    let m = tile_qubits.min(n);
    let low = LOW_QUBITS.min(m);
    let mut pending: Vec<usize> = (0..ops.len()).collect();
    let mut stages = Vec::new();
    while let Some(&first) = pending.first() {
        let support = ops[first].support();
        if support >> m != 0 && (support | low_mask(low)).count_ones() > m {
            stages.push(Stage { kind: StageKind::Whole, ops: vec![first] });
            pending.remove(0);
            continue;
        }
        let contiguous = low_mask(m);
        let (local, taken, rest) = if support & !contiguous == 0 {
            take(&pending, ops, contiguous, m, false)
        } else {
            take(&pending, ops, low_mask(low), m, true)
        };
        let kind = if local & !contiguous == 0 {
            StageKind::Contiguous { m }
        } else {
            StageKind::Gathered { local: pad(local, m, n) }
        };
        stages.push(Stage { kind, ops: taken });
        pending = rest;
    }
    stages
}

fn low_mask(bits: u32) -> u64 {
    if bits >= 64 {
        u64::MAX
    } else {
        (1u64 << bits) - 1
    }
}

/// Takes, in order, the pending operations that fit the local set (growing it up to `m` qubits
/// when `grow`) and commute past every operation left behind.
fn take(pending: &[usize], ops: &[FusedOp], mut local: u64, m: u32, grow: bool) -> (u64, Vec<usize>, Vec<usize>) {
    let mut blocked = 0u64;
    let (mut taken, mut rest) = (Vec::new(), Vec::new());
    for &i in pending {
        let s = ops[i].support();
        let fits = s & blocked == 0 && (s & !local == 0 || (grow && (local | s).count_ones() <= m));
        if fits {
            local |= s;
            taken.push(i);
        } else {
            blocked |= s;
            rest.push(i);
        }
    }
    (local, taken, rest)
}

/// Adds the lowest missing qubits until `local` has `m` (or `n`) qubits.
fn pad(mut local: u64, m: u32, n: u32) -> u64 {
    let mut q = 0;
    while local.count_ones() < m.min(n) && q < n {
        local |= 1 << q;
        q += 1;
    }
    local
}

/// `op` with its qubits renumbered to positions within `local` (bit `k` of a tile index is the
/// `k`-th set bit of `local`).
pub fn localize(op: BoundOp, local: u64) -> BoundOp {
    let pos = |q: u32| (local & ((1u64 << q) - 1)).count_ones();
    let compress = |mask: u64| {
        let mut out = 0u64;
        let mut rest = mask;
        while rest != 0 {
            let q = rest.trailing_zeros();
            out |= 1 << pos(q);
            rest &= rest - 1;
        }
        out
    };
    match op {
        BoundOp::One { q, m } => BoundOp::One { q: pos(q), m },
        BoundOp::Select { c, t, m0, m1 } => BoundOp::Select { c: pos(c), t: pos(t), m0, m1 },
        BoundOp::Pauli { p, alpha, beta } => {
            BoundOp::Pauli { p: crate::qubit::PauliString { x: compress(p.x), z: compress(p.z) }, alpha, beta }
        }
    }
}

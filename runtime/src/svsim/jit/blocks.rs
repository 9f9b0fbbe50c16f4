//! Register blocking: a stage's operations regrouped into blocks of at most [`REGISTER_QUBITS`]
//! qubits, each applied in one sweep of the tile with the block's amplitudes in registers.
//!
//! Operations on disjoint qubits commute, so an operation may move before another as long as it
//! shares no qubit with any operation it passes. Each step starts from the first pending
//! operation (so every step makes progress), tries every way to complete its qubits to a set of
//! [`REGISTER_QUBITS`] among the stage's qubits, and keeps the set that takes the most pending
//! operations (an operation is taken when it lies inside the set and shares no qubit with an
//! operation left behind before it). A CNOT ladder over many layers thus becomes triangles and
//! strips of several operations per sweep instead of one sweep per operation.

/// Qubits per register block: `2^3` amplitudes, one 128-bit register each, leave room for the
/// temporaries of a 2×2 update among the 16 vector registers of x86-64.
pub const REGISTER_QUBITS: u32 = 3;

/// One sweep over the tile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Step {
    /// Operations (indices, in an order equivalent to the stage's) inside the qubit mask `qubits`.
    Block { qubits: u64, ops: Vec<usize> },
    /// One operation on more qubits than a block holds (a wide Pauli rotation).
    Wide(usize),
}

/// Groups operations with the given supports (stage-local qubit masks) into steps.
pub(super) fn schedule(supports: &[u64], max_qubits: u32) -> Vec<Step> {
    let all = supports.iter().fold(0u64, |a, &s| a | s);
    let mut pending: Vec<usize> = (0..supports.len()).collect();
    let mut steps = Vec::new();
    while let Some(&first) = pending.first() {
        let seed = supports[first];
        if seed.count_ones() > max_qubits {
            steps.push(Step::Wide(first));
            pending.remove(0);
            continue;
        }
        let mut best: Option<(u64, Vec<usize>, Vec<usize>)> = None;
        for qubits in completions(seed, all & !seed, max_qubits) {
            let (taken, rest) = take(&pending, supports, qubits);
            if best.as_ref().is_none_or(|(_, t, _)| taken.len() > t.len()) {
                best = Some((qubits, taken, rest));
            }
        }
        let (_, taken, rest) = best.expect("the seed itself is a candidate");
        let qubits = taken.iter().fold(0u64, |a, &i| a | supports[i]);
        steps.push(Step::Block { qubits, ops: taken });
        pending = rest;
    }
    steps
}

/// `seed` completed in every way to `min(max, |seed| + |others|)` qubits with qubits of `others`.
fn completions(seed: u64, others: u64, max: u32) -> Vec<u64> {
    let want = (max - seed.count_ones()).min(others.count_ones());
    let pool: Vec<u64> = (0..64).filter(|q| others >> q & 1 == 1).map(|q| 1u64 << q).collect();
    let mut out = Vec::new();
    extend(seed, &pool, want, &mut out);
    out
}

fn extend(set: u64, pool: &[u64], want: u32, out: &mut Vec<u64>) {
    if want == 0 {
        out.push(set);
        return;
    }
    for (i, &bit) in pool.iter().enumerate() {
        extend(set | bit, &pool[i + 1..], want - 1, out);
    }
}

/// Splits `pending` into the operations that can run now inside `qubits` and the rest, each in
/// order.
fn take(pending: &[usize], supports: &[u64], qubits: u64) -> (Vec<usize>, Vec<usize>) {
    let mut blocked = 0u64;
    let (mut taken, mut rest) = (Vec::new(), Vec::new());
    for &i in pending {
        let s = supports[i];
        if s & blocked == 0 && s & !qubits == 0 {
            taken.push(i);
        } else {
            blocked |= s;
            rest.push(i);
        }
    }
    (taken, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Replays the steps and checks that every operation runs once, after every earlier
    /// operation it shares a qubit with.
    fn check_order(supports: &[u64], steps: &[Step]) {
        let order: Vec<usize> = steps
            .iter()
            .flat_map(|s| match s {
                Step::Block { ops, .. } => ops.clone(),
                Step::Wide(i) => vec![*i],
            })
            .collect();
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..supports.len()).collect::<Vec<_>>());
        for (a, &i) in order.iter().enumerate() {
            for &j in &order[a + 1..] {
                assert!(j > i || supports[i] & supports[j] == 0, "op {j} moved before op {i}");
            }
        }
    }

    #[test]
    fn ladder_blocks_respect_dependencies_and_save_sweeps() {
        // Ten layers of a CNOT ladder on 8 qubits: a gate on qubit 0 and select gates (q, q+1).
        let mut supports = Vec::new();
        for _ in 0..10 {
            supports.push(1);
            supports.extend((0..7).map(|q| 3u64 << q));
        }
        let steps = schedule(&supports, REGISTER_QUBITS);
        check_order(&supports, &steps);
        assert!(steps.len() * 2 <= supports.len(), "{} sweeps for {} ops", steps.len(), supports.len());
        for s in &steps {
            if let Step::Block { qubits, .. } = s {
                assert!(qubits.count_ones() <= REGISTER_QUBITS);
            }
        }
    }

    #[test]
    fn wide_operations_run_alone() {
        let supports = [0b1, 0b1111_0000, 0b11];
        let steps = schedule(&supports, 3);
        check_order(&supports, &steps);
        assert!(steps.contains(&Step::Wide(1)));
    }
}

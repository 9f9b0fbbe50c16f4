//! Drawing measurement outcomes: `shots` outcomes from a distribution over bit strings, and
//! symmetric readout errors applied to the drawn outcomes.
//!
//! Two exact samplers of the same multinomial law, chosen by cost: with many shots per outcome,
//! one binomial draw per outcome conditioned on the shots left (`O(2^n)` draws); with few shots
//! over a large register (a trajectory's share of a group), one uniform draw per shot located in
//! the cumulative distribution (`O(2^n)` additions and `O(shots · n)` comparisons). Both take
//! every random number from the caller's seeded generator, so a seed gives the same outcomes on
//! every machine.

use rand_chacha::rand_core::RngCore;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Binomial, Distribution};

/// `shots` outcomes drawn from `probabilities` (normalised by their sum; negative entries count
/// as zero), as `(outcome, count)` pairs, ascending, with nonzero counts. Never fails; no shots,
/// or no probability mass, draw nothing.
pub fn multinomial(probabilities: &[f64], shots: u64, rng: &mut ChaCha8Rng) -> Vec<(u64, u64)> {
    // A binomial draw per outcome costs far more than a binary search per shot.
    if shots.saturating_mul(64) < probabilities.len() as u64 {
        by_cumulative(probabilities, shots, rng)
    } else {
        by_binomials(probabilities, shots, rng)
    }
}

/// One binomial draw per outcome, conditioned on the shots and the mass left.
fn by_binomials(probabilities: &[f64], shots: u64, rng: &mut ChaCha8Rng) -> Vec<(u64, u64)> {
    let mut left = shots;
    let mut mass: f64 = probabilities.iter().map(|p| p.max(0.0)).sum();
    let mut counts = Vec::new();
    if mass <= 0.0 {
        return counts;
    }
    for (outcome, &p) in probabilities.iter().enumerate() {
        if left == 0 {
            break;
        }
        let p = p.max(0.0);
        let count = if p >= mass {
            left
        } else if p <= 0.0 {
            0
        } else {
            Binomial::new(left, (p / mass).min(1.0)).map(|b| b.sample(rng)).unwrap_or(0)
        };
        mass -= p;
        if count > 0 {
            counts.push((outcome as u64, count));
            left -= count;
        }
    }
    counts
}

/// One uniform draw per shot, located in the cumulative distribution by binary search.
fn by_cumulative(probabilities: &[f64], shots: u64, rng: &mut ChaCha8Rng) -> Vec<(u64, u64)> {
    let mut total = 0.0;
    let cumulative: Vec<f64> = probabilities
        .iter()
        .map(|p| {
            total += p.max(0.0);
            total
        })
        .collect();
    if total <= 0.0 {
        return Vec::new();
    }
    let mut drawn: Vec<u64> = (0..shots)
        .map(|_| {
            let u = uniform(rng) * total;
            // The first outcome whose cumulative mass exceeds u; rounding at the top end stays in
            // range.
            cumulative.partition_point(|&c| c <= u).min(probabilities.len() - 1) as u64
        })
        .collect();
    drawn.sort_unstable();
    tally(&drawn)
}

/// Each bit of each drawn outcome flipped with probability `e` (a symmetric readout error on
/// every qubit of an `n_qubits` register), as `(outcome, count)` pairs, ascending: the same law
/// as drawing from the distribution with the confusion matrix applied. Never fails.
pub fn flip_bits(outcomes: &[(u64, u64)], n_qubits: u32, e: f64, rng: &mut ChaCha8Rng) -> Vec<(u64, u64)> {
    if e <= 0.0 {
        return outcomes.to_vec();
    }
    let mut read: Vec<u64> = Vec::with_capacity(outcomes.iter().map(|&(_, n)| n as usize).sum());
    for &(outcome, count) in outcomes {
        for _ in 0..count {
            let flips = (0..n_qubits).filter(|_| uniform(rng) < e).fold(0u64, |m, q| m | 1 << q);
            read.push(outcome ^ flips);
        }
    }
    read.sort_unstable();
    tally(&read)
}

/// Sorted outcomes as `(outcome, count)` runs.
fn tally(sorted: &[u64]) -> Vec<(u64, u64)> {
    let mut counts: Vec<(u64, u64)> = Vec::new();
    for &b in sorted {
        match counts.last_mut() {
            Some((last, n)) if *last == b => *n += 1,
            _ => counts.push((b, 1)),
        }
    }
    counts
}

/// A uniform draw in `[0, 1)` with 53 random bits.
fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
mod tests;

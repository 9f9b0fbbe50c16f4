//! Seeded random numbers with value-stable algorithms.
//!
//! Only ChaCha8's raw `u64` stream is taken from a crate (rand_chacha documents it as
//! reproducible); the uniform floats, bounded integers and the shuffle are written here so that a
//! dependency upgrade cannot change a dataset split or an initial weight.

use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Independent streams of one seed, one per purpose, so that changing e.g. the batch size does
/// not change the initial weights.
pub(crate) mod stream {
    pub const SPLIT: u64 = 1;
    pub const INIT: u64 = 2;
    pub const SHUFFLE: u64 = 3;
}

#[derive(Clone, Debug)]
pub(crate) struct Rng(ChaCha8Rng);

impl Rng {
    pub(crate) fn new(seed: u64, stream: u64) -> Self {
        let mut inner = ChaCha8Rng::seed_from_u64(seed);
        inner.set_stream(stream);
        Rng(inner)
    }

    /// A uniform float in [0, 1) with 53 random bits.
    pub(crate) fn next_f64(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A uniform float in [-bound, bound).
    pub(crate) fn symmetric(&mut self, bound: f64) -> f64 {
        (2.0 * self.next_f64() - 1.0) * bound
    }

    /// A uniform integer in [0, n), without modulo bias. `n` must be positive.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        debug_assert!(n > 0);
        // Reject the lowest (2^64 mod n) values so the accepted range is a multiple of n.
        let threshold = n.wrapping_neg() % n;
        loop {
            let v = self.0.next_u64();
            if v >= threshold {
                return v % n;
            }
        }
    }

    /// Fisher–Yates shuffle.
    pub(crate) fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

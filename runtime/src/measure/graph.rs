//! Conflict graphs over Pauli strings, as bit-set adjacency rows.
//!
//! Two terms may share a measurement group when they commute (fully or qubit-wise); they
//! *conflict* when they do not. Grouping is then colouring the conflict graph: a colour class is a
//! set of pairwise commuting terms (a clique of the commutation graph). Row `v` holds one bit per
//! vertex, so neighbourhood intersections and degrees are word-wise ANDs and popcounts.

use crate::qubit::PauliString;

/// Whether `a` and `b` commute qubit by qubit: on every qubit where both act, they act with the
/// same letter. Qubit-wise commuting strings are diagonal in one product basis.
pub fn qubit_wise_commute(a: PauliString, b: PauliString) -> bool {
    let both = (a.x | a.z) & (b.x | b.z);
    ((a.x ^ b.x) | (a.z ^ b.z)) & both == 0
}

/// An undirected graph on vertices `0..n` with bit-set adjacency rows.
#[derive(Clone, Debug)]
pub struct ConflictGraph {
    n: usize,
    words: usize,
    rows: Vec<u64>,
    degrees: Vec<usize>,
}

impl ConflictGraph {
    /// The graph with an edge between `i ≠ j` wherever `conflict(i, j)` (asked once per pair,
    /// `i < j`; the relation must be symmetric).
    pub fn new(n: usize, mut conflict: impl FnMut(usize, usize) -> bool) -> Self {
        let words = n.div_ceil(64);
        let mut rows = vec![0u64; n * words];
        for i in 0..n {
            for j in i + 1..n {
                if conflict(i, j) {
                    rows[i * words + j / 64] |= 1 << (j % 64);
                    rows[j * words + i / 64] |= 1 << (i % 64);
                }
            }
        }
        let degrees =
            rows.chunks(words.max(1)).take(n).map(|row| row.iter().map(|w| w.count_ones() as usize).sum()).collect();
        ConflictGraph { n, words, rows, degrees }
    }

    /// Strings conflict when they do not commute (`qubit_wise` false) or do not commute qubit-wise.
    pub fn for_strings(strings: &[PauliString], qubit_wise: bool) -> Self {
        if qubit_wise {
            Self::new(strings.len(), |i, j| !qubit_wise_commute(strings[i], strings[j]))
        } else {
            Self::new(strings.len(), |i, j| !strings[i].commutes_with(strings[j]))
        }
    }

    pub fn len(&self) -> usize {
        self.n
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Words per adjacency row (and per vertex set over this graph).
    pub fn words(&self) -> usize {
        self.words
    }

    /// The neighbourhood of `v` as a bit set.
    pub fn row(&self, v: usize) -> &[u64] {
        &self.rows[v * self.words..(v + 1) * self.words]
    }

    pub fn adjacent(&self, a: usize, b: usize) -> bool {
        self.row(a)[b / 64] >> (b % 64) & 1 == 1
    }

    pub fn degree(&self, v: usize) -> usize {
        self.degrees[v]
    }

    /// The neighbours of `v`, in increasing order.
    pub fn neighbours(&self, v: usize) -> impl Iterator<Item = usize> + '_ {
        members(self.row(v))
    }
}

/// The members of a bit set, in increasing order.
pub(crate) fn members(set: &[u64]) -> impl Iterator<Item = usize> + '_ {
    set.iter().enumerate().flat_map(|(w, &word)| {
        let mut bits = word;
        std::iter::from_fn(move || {
            (bits != 0).then(|| {
                let b = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                w * 64 + b
            })
        })
    })
}

/// `|a ∩ b|`.
pub(crate) fn intersection_size(a: &[u64], b: &[u64]) -> usize {
    a.iter().zip(b).map(|(x, y)| (x & y).count_ones() as usize).sum()
}

pub(crate) fn contains(set: &[u64], v: usize) -> bool {
    set[v / 64] >> (v % 64) & 1 == 1
}

pub(crate) fn insert(set: &mut [u64], v: usize) {
    set[v / 64] |= 1 << (v % 64);
}

pub(crate) fn remove(set: &mut [u64], v: usize) {
    set[v / 64] &= !(1 << (v % 64));
}

//! Graph-colouring heuristics for grouping: fewer colours means fewer measurement circuits.
//!
//! Minimum colouring is NP-hard, so [`best_colouring`] runs several classic heuristics, improves
//! each by iterated greedy recolouring, and keeps the fewest colours:
//!
//! - largest first (Welsh and Powell 1967): first-fit in order of decreasing degree;
//! - DSATUR (Brélaz 1979): colour next the vertex whose neighbours already use the most distinct
//!   colours, ties by degree among the uncoloured vertices;
//! - recursive largest first (Leighton 1979): build one colour class at a time, each time adding
//!   the candidate with the most neighbours among the vertices already excluded from the class;
//! - iterated greedy (Culberson and Luo 1996): first-fit over the vertices listed class by class
//!   never needs more colours than there are classes, so reordering the classes (reversed, by size,
//!   shuffled) and recolouring can only merge classes.
//!
//! Everything is deterministic: ties go to the lowest vertex index and the shuffles use a fixed
//! seed. Costs for `n` vertices with `w = ⌈n/64⌉` words a row and `k` colours: largest first and
//! each greedy round `O(Σ_v (w + min(deg v, n − deg v, 4k)))` ([`first_fit_cost`]), DSATUR
//! `O(n² + E)`, recursive largest first `O(n²·w)` at worst. [`best_colouring`] skips recursive
//! largest first above [`RLF_MAX_VERTICES`] vertices and gives iterated greedy a fixed work budget
//! (large graphs get fewer rounds) and a patience (it stops once it stalls). The graph itself takes
//! `n²/8` bytes: 12.5 MB for 10,000 terms.

use super::graph::{contains, insert, intersection_size, members, remove, ConflictGraph};

/// Recursive largest first is skipped for larger graphs (its cost grows as `n³/64`).
pub const RLF_MAX_VERTICES: usize = 8_000;

/// The most rounds of iterated greedy recolouring after each heuristic.
pub const ITERATED_GREEDY_ROUNDS: usize = 1000;

/// Iterated greedy stops after this many rounds without fewer colours.
pub const ITERATED_GREEDY_PATIENCE: usize = 200;

/// The fewest rounds, however large the graph.
pub const ITERATED_GREEDY_MIN_ROUNDS: usize = 4;

/// The work budget of one iterated greedy run, in [`first_fit_cost`] units: a few tenths of a
/// second per heuristic (release build).
pub const ITERATED_GREEDY_WORK: usize = 250_000_000;

/// A class scan tests about this many words per class before it finds a neighbour (an estimate,
/// used to choose [`first_fit`]'s way per vertex).
const CLASS_SCAN_COST: usize = 4;

/// The fixed seed of the iterated greedy shuffles.
const SHUFFLE_SEED: u64 = 0x5eed_c010_0b1e;

/// A proper colouring: `colour[v]` in `0..n_colours`, colours numbered in order of their lowest
/// vertex.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Colouring {
    colour: Vec<usize>,
    n_colours: usize,
}

impl Colouring {
    /// Renumbers the colours `raw` (any labels) in order of their lowest vertex.
    fn normalised(raw: &[usize]) -> Self {
        let mut relabel = vec![usize::MAX; raw.iter().max().map_or(0, |&m| m + 1)];
        let mut n_colours = 0;
        let colour = raw
            .iter()
            .map(|&c| {
                if relabel[c] == usize::MAX {
                    relabel[c] = n_colours;
                    n_colours += 1;
                }
                relabel[c]
            })
            .collect();
        Colouring { colour, n_colours }
    }

    pub fn n_colours(&self) -> usize {
        self.n_colours
    }

    pub fn colour(&self, v: usize) -> usize {
        self.colour[v]
    }

    /// The colour classes, each in increasing vertex order, ordered by their lowest vertex.
    pub fn classes(&self) -> Vec<Vec<usize>> {
        let mut classes = vec![Vec::new(); self.n_colours];
        for (v, &c) in self.colour.iter().enumerate() {
            classes[c].push(v);
        }
        classes
    }

    /// Whether no edge of `graph` joins two vertices of one colour.
    pub fn is_proper(&self, graph: &ConflictGraph) -> bool {
        self.colour.len() == graph.len()
            && (0..graph.len()).all(|v| graph.neighbours(v).all(|u| self.colour[u] != self.colour[v]))
    }
}

/// First-fit: each vertex of `order` in turn takes the lowest colour none of its coloured
/// neighbours has. Failure contract: panics unless `order` is a permutation of the vertices.
///
/// Three ways to find that colour, all giving the same answer, whichever is cheapest for the
/// vertex: scan the colour classes (bit sets) for the first one disjoint from its neighbourhood,
/// when there are few classes; mark its neighbours' colours, when it has few neighbours; or count,
/// per colour, its coloured non-neighbours, when it has many neighbours (qubit-wise conflict graphs
/// are dense): a colour is free exactly when its whole class is non-neighbours.
pub fn first_fit(graph: &ConflictGraph, order: &[usize]) -> Colouring {
    let (n, words) = (graph.len(), graph.words());
    assert_eq!(order.len(), n, "first-fit order is not a permutation");
    const NONE: usize = usize::MAX;
    let mut colour = vec![NONE; n];
    let mut class_size: Vec<usize> = Vec::new();
    // The members of class c are bits c·words .. (c + 1)·words.
    let mut class_bits: Vec<u64> = Vec::new();
    // Per colour: the step that last touched it, and (dense mode) its non-neighbours at that step.
    let mut stamp = vec![NONE; n];
    let mut count = vec![0usize; n];
    let mut coloured = vec![0u64; words];
    let mut open = vec![0u64; words];
    let mut touched: Vec<usize> = Vec::new();
    for (step, &v) in order.iter().enumerate() {
        assert_eq!(colour[v], NONE, "vertex {v} listed twice");
        let (degree, classes) = (graph.degree(v), class_size.len());
        let row = graph.row(v);
        let c = if CLASS_SCAN_COST * classes <= degree.min(n - degree) {
            (0..classes)
                .find(|&c| class_bits[c * words..(c + 1) * words].iter().zip(row).all(|(a, b)| a & b == 0))
                .unwrap_or(classes)
        } else if degree <= n - degree {
            for u in graph.neighbours(v) {
                if colour[u] != NONE {
                    stamp[colour[u]] = step;
                }
            }
            (0..classes).find(|&c| stamp[c] != step).unwrap_or(classes)
        } else {
            touched.clear();
            for ((o, &c), &r) in open.iter_mut().zip(&coloured).zip(row) {
                *o = c & !r;
            }
            for u in members(&open) {
                let c = colour[u];
                if stamp[c] != step {
                    stamp[c] = step;
                    count[c] = 0;
                    touched.push(c);
                }
                count[c] += 1;
            }
            touched.iter().copied().filter(|&c| count[c] == class_size[c]).min().unwrap_or(classes)
        };
        if c == classes {
            class_size.push(0);
            class_bits.resize((classes + 1) * words, 0);
        }
        class_size[c] += 1;
        insert(&mut class_bits[c * words..(c + 1) * words], v);
        colour[v] = c;
        insert(&mut coloured, v);
    }
    Colouring::normalised(&colour)
}

/// The work of one [`first_fit`] pass with at most `n_colours` classes: per vertex, a row of
/// words plus the cheapest of its three ways.
pub fn first_fit_cost(graph: &ConflictGraph, n_colours: usize) -> usize {
    let n = graph.len();
    (0..n).map(|v| graph.words() + graph.degree(v).min(n - graph.degree(v)).min(CLASS_SCAN_COST * n_colours)).sum()
}

/// The iterated greedy rounds [`best_colouring`] runs from a colouring with `n_colours` colours:
/// [`ITERATED_GREEDY_WORK`] over the cost of a round, clamped to
/// [`ITERATED_GREEDY_MIN_ROUNDS`]..=[`ITERATED_GREEDY_ROUNDS`]. Deterministic.
pub fn iterated_greedy_rounds(graph: &ConflictGraph, n_colours: usize) -> usize {
    (ITERATED_GREEDY_WORK / first_fit_cost(graph, n_colours).max(1))
        .clamp(ITERATED_GREEDY_MIN_ROUNDS, ITERATED_GREEDY_ROUNDS)
}

/// Largest first: first-fit by decreasing degree (ties: lower index first).
pub fn largest_first(graph: &ConflictGraph) -> Colouring {
    let degree: Vec<usize> = (0..graph.len()).map(|v| graph.degree(v)).collect();
    let mut order: Vec<usize> = (0..graph.len()).collect();
    order.sort_by_key(|&v| std::cmp::Reverse(degree[v]));
    first_fit(graph, &order)
}

/// DSATUR: repeatedly colour the uncoloured vertex with the most distinct neighbour colours
/// (ties: most uncoloured neighbours, then lowest index) with its lowest free colour.
pub fn dsatur(graph: &ConflictGraph) -> Colouring {
    let n = graph.len();
    const NONE: usize = usize::MAX;
    let mut colour = vec![NONE; n];
    // neighbour_colours[v]: bit set of the colours among v's neighbours (grown on demand).
    let mut neighbour_colours: Vec<Vec<u64>> = vec![Vec::new(); n];
    let mut saturation = vec![0usize; n];
    let mut open_degree: Vec<usize> = (0..n).map(|v| graph.degree(v)).collect();
    for _ in 0..n {
        let mut pick = NONE;
        for v in (0..n).filter(|&v| colour[v] == NONE) {
            if pick == NONE || (saturation[v], open_degree[v]) > (saturation[pick], open_degree[pick]) {
                pick = v;
            }
        }
        let used = &neighbour_colours[pick];
        // The lowest colour missing from the set: the first clear bit.
        let c = used
            .iter()
            .position(|&w| w != u64::MAX)
            .map_or(used.len() * 64, |w| w * 64 + used[w].trailing_ones() as usize);
        colour[pick] = c;
        for u in graph.neighbours(pick) {
            if colour[u] != NONE {
                continue;
            }
            open_degree[u] -= 1;
            let set = &mut neighbour_colours[u];
            if set.len() <= c / 64 {
                set.resize(c / 64 + 1, 0);
            }
            if !contains(set, c) {
                insert(set, c);
                saturation[u] += 1;
            }
        }
    }
    Colouring::normalised(&colour)
}

/// Recursive largest first: one class at a time, starting from the uncoloured vertex with the
/// most uncoloured neighbours; then, while some vertex can still join, add the one with the most
/// neighbours among the vertices the class already excludes (ties: fewest neighbours among the
/// remaining candidates, then lowest index).
pub fn recursive_largest_first(graph: &ConflictGraph) -> Colouring {
    let (n, words) = (graph.len(), graph.words());
    let mut open = vec![0u64; words];
    for v in 0..n {
        insert(&mut open, v);
    }
    let mut colour = vec![0usize; n];
    let mut next_colour = 0;
    let mut candidates = vec![0u64; words];
    let mut excluded = vec![0u64; words];
    while let Some(start) =
        members(&open).max_by_key(|&v| (intersection_size(graph.row(v), &open), std::cmp::Reverse(v)))
    {
        for w in 0..words {
            candidates[w] = open[w] & !graph.row(start)[w];
            excluded[w] = open[w] & graph.row(start)[w];
        }
        remove(&mut candidates, start);
        let mut class = vec![start];
        while let Some(u) = members(&candidates).max_by_key(|&u| {
            let row = graph.row(u);
            (
                intersection_size(row, &excluded),
                std::cmp::Reverse(intersection_size(row, &candidates)),
                std::cmp::Reverse(u),
            )
        }) {
            class.push(u);
            let row = graph.row(u);
            for w in 0..words {
                excluded[w] |= candidates[w] & row[w];
                candidates[w] &= !row[w];
            }
            remove(&mut candidates, u);
        }
        for &v in &class {
            colour[v] = next_colour;
            remove(&mut open, v);
        }
        next_colour += 1;
    }
    Colouring::normalised(&colour)
}

/// Iterated greedy: up to `rounds` times, list the vertices class by class (classes reversed, by
/// decreasing size, by increasing size, or shuffled, in turn) and recolour first-fit, stopping
/// early after [`ITERATED_GREEDY_PATIENCE`] rounds without fewer colours; returns the best
/// colouring seen (never worse than `start`). Failure contract: panics if `start` does not colour
/// `graph`'s vertices.
pub fn iterated_greedy(graph: &ConflictGraph, start: &Colouring, rounds: usize) -> Colouring {
    let mut rng = SplitMix(SHUFFLE_SEED);
    let mut best = start.clone();
    let mut current = start.clone();
    let mut last_gain = 0;
    for round in 0..rounds {
        if round - last_gain >= ITERATED_GREEDY_PATIENCE {
            break;
        }
        let mut classes = current.classes();
        match round % 4 {
            0 => classes.reverse(),
            1 => classes.sort_by_key(|c| std::cmp::Reverse(c.len())),
            2 => classes.sort_by_key(Vec::len),
            _ => rng.shuffle(&mut classes),
        }
        let order: Vec<usize> = classes.concat();
        current = first_fit(graph, &order);
        if current.n_colours() < best.n_colours() {
            best = current.clone();
            last_gain = round;
        }
    }
    best
}

/// The fewest colours found by largest first, DSATUR and recursive largest first (the latter up
/// to [`RLF_MAX_VERTICES`] vertices), each improved by [`iterated_greedy_rounds`] rounds of
/// iterated greedy; ties go to the heuristic listed first. Deterministic.
pub fn best_colouring(graph: &ConflictGraph) -> Colouring {
    let mut starts = vec![largest_first(graph), dsatur(graph)];
    if graph.len() <= RLF_MAX_VERTICES {
        starts.push(recursive_largest_first(graph));
    }
    let mut best: Option<Colouring> = None;
    for start in &starts {
        let improved = iterated_greedy(graph, start, iterated_greedy_rounds(graph, start.n_colours()));
        if best.as_ref().is_none_or(|b| improved.n_colours() < b.n_colours()) {
            best = Some(improved);
        }
    }
    best.unwrap_or_else(|| Colouring::normalised(&[]))
}

/// splitmix64 (Steele, Lea and Flood 2014): a fixed, dependency-free stream for the shuffles, so
/// a crate upgrade cannot change a grouping.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Fisher–Yates (the modulo bias of `next() % (i + 1)` is below 2⁻⁴⁰ here and harmless).
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

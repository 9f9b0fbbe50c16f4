//! Electron-repulsion integrals `(μν|λσ) = ∫∫ μ(1) ν(1) r₁₂⁻¹ λ(2) σ(2)` (chemists' notation) by
//! McMurchie–Davidson (McMurchie & Davidson, J. Comput. Phys. 26, 218 (1978); HJO eq. 9.9.33):
//!
//! ```text
//! (ab|cd) = 2π^{5/2} / (p q √(p+q)) K_ab K_cd
//!           Σ_{tuv} E^{ab}_{tuv} Σ_{τνφ} (−1)^{τ+ν+φ} E^{cd}_{τνφ} R_{t+τ, u+ν, v+φ}(pq/(p+q), P − Q)
//! ```
//!
//! Only the unique shell quartets `(IJ|KL)` with `I ≥ J`, `K ≥ L`, `IJ ≥ KL` are computed and the
//! other seven permutations filled in. Quartets whose Schwarz bound
//! `|(ij|kl)| ≤ √(ij|ij) √(kl|kl)` is below [`SCHWARZ_THRESHOLD`] are left zero, as are primitive
//! pairs whose Gaussian factor `K = exp(−μ R_AB²)` is below [`PRIMITIVE_PAIR_THRESHOLD`]; both
//! cut-offs are far below the accuracy SCF energies need.
//!
//! The bra pairs are shared out over rayon's threads when there is enough work, and the full array
//! is then filled in parallel from the unique blocks; each integral is computed by exactly one
//! thread with the same operations in the same order whatever the thread count, so the result is
//! bitwise deterministic.

use ndarray::Array4;
use rayon::prelude::*;

use super::boys::boys;
use super::hermite::{cartesian_components, hermite_indices, hermite_r, r_index, HermiteE};
use super::spherical::{transforms_by_l, SphericalTransform};
use super::{assert_supported, Primitive};
use crate::chem::basis::AoBasis;

/// Shell quartets with a Schwarz bound below this are skipped (hartree).
pub const SCHWARZ_THRESHOLD: f64 = 1e-15;
/// Primitive pairs with `exp(−μ R_AB²)` below this are dropped.
pub const PRIMITIVE_PAIR_THRESHOLD: f64 = 1e-22;
/// Below this many primitive quartets (roughly) the work stays on the calling thread.
const PARALLEL_WORK: usize = 200_000;

/// One primitive pair of a shell pair, with its Hermite expansion.
#[derive(Debug)]
struct PairPrimitive {
    p: f64,
    center: [f64; 3],
    /// `K c_a c_b`.
    coef: f64,
    /// `E^{ab}_{tuv}` over the spherical AOs `a`, `b`, `[ab][h]` row-major over the Hermite list of
    /// `la + lb`.
    e: Vec<f64>,
    /// `(−1)^{t+u+v} E^{ab}_{tuv}` transposed, `[h][ab]`, for use in the ket.
    e_signed_t: Vec<f64>,
}

/// A shell pair `I ≥ J` with its primitive pairs.
#[derive(Debug)]
struct ShellPair {
    l_sum: usize,
    /// Spherical AOs of I and of J.
    counts: (usize, usize),
    primitives: Vec<PairPrimitive>,
}

impl ShellPair {
    fn new(basis: &AoBasis, transforms: &[SphericalTransform], i: usize, j: usize) -> Self {
        let (a, b) = (&basis.shells[i], &basis.shells[j]);
        let (la, lb) = (usize::from(a.l), usize::from(b.l));
        let (ta, tb) = (&transforms[la], &transforms[lb]);
        let comps_a = cartesian_components(la);
        let comps_b = cartesian_components(lb);
        let hermite = hermite_indices(la + lb);
        let nh = hermite.len();
        let signs: Vec<f64> = hermite.iter().map(|&[t, u, v]| if (t + u + v) % 2 == 0 { 1.0 } else { -1.0 }).collect();
        let mut primitives = Vec::with_capacity(a.exponents.len() * b.exponents.len());
        let mut cartesian = vec![0.0; comps_a.len() * comps_b.len() * nh];
        let mut half = vec![0.0; comps_a.len() * tb.rows * nh];
        for (&alpha, &ca) in a.exponents.iter().zip(&a.coefficients) {
            for (&beta, &cb) in b.exponents.iter().zip(&b.coefficients) {
                let prim = Primitive::new(alpha, a.center, beta, b.center);
                let coef = prim.k * ca * cb;
                if prim.k < PRIMITIVE_PAIR_THRESHOLD || coef == 0.0 {
                    continue;
                }
                let e_xyz: [HermiteE; 3] = std::array::from_fn(|x| {
                    HermiteE::new(la, lb, prim.p, prim.center[x] - a.center[x], prim.center[x] - b.center[x])
                });
                let mut k = 0;
                for ca_xyz in &comps_a {
                    for cb_xyz in &comps_b {
                        for &[t, u, v] in &hermite {
                            cartesian[k] = e_xyz[0].get(ca_xyz[0], cb_xyz[0], t)
                                * e_xyz[1].get(ca_xyz[1], cb_xyz[1], u)
                                * e_xyz[2].get(ca_xyz[2], cb_xyz[2], v);
                            k += 1;
                        }
                    }
                }
                let e = to_spherical(ta, tb, nh, &cartesian, &mut half);
                let n_ab = ta.rows * tb.rows;
                let e_signed_t = (0..nh * n_ab).map(|k| e[(k % n_ab) * nh + k / n_ab] * signs[k / n_ab]).collect();
                primitives.push(PairPrimitive { p: prim.p, center: prim.center, coef, e, e_signed_t });
            }
        }
        ShellPair { l_sum: la + lb, counts: (ta.rows, tb.rows), primitives }
    }

    fn function_pairs(&self) -> usize {
        self.counts.0 * self.counts.1
    }
}

/// `E^{ab}_h` over Cartesian `a`, `b` (`[a][b][h]`) to spherical `a`, `b`:
/// `Σ_{a'b'} T_a[a][a'] T_b[b][b'] E^{a'b'}_h`. `half` is scratch of `cols_a · rows_b · nh`.
fn to_spherical(
    ta: &SphericalTransform,
    tb: &SphericalTransform,
    nh: usize,
    cartesian: &[f64],
    half: &mut [f64],
) -> Vec<f64> {
    // half[a'][b][h] = Σ_b' T_b[b][b'] E[a'][b'][h]
    half.fill(0.0);
    for a in 0..ta.cols {
        for b in 0..tb.rows {
            let out = &mut half[(a * tb.rows + b) * nh..(a * tb.rows + b + 1) * nh];
            for (bp, &t) in tb.row(b).iter().enumerate() {
                if t != 0.0 {
                    let src = &cartesian[(a * tb.cols + bp) * nh..(a * tb.cols + bp + 1) * nh];
                    out.iter_mut().zip(src).for_each(|(o, s)| *o += t * s);
                }
            }
        }
    }
    let mut e = vec![0.0; ta.rows * tb.rows * nh];
    for a in 0..ta.rows {
        for (ap, &t) in ta.row(a).iter().enumerate() {
            if t != 0.0 {
                let src = &half[ap * tb.rows * nh..(ap + 1) * tb.rows * nh];
                let out = &mut e[a * tb.rows * nh..(a + 1) * tb.rows * nh];
                out.iter_mut().zip(src).for_each(|(o, s)| *o += t * s);
            }
        }
    }
    e
}

/// Index maps from (bra Hermite index, ket Hermite index) to the dense `R` array, per
/// `(l_bra, l_ket)`.
#[derive(Debug)]
struct HermiteMaps {
    max_l: usize,
    maps: Vec<Vec<usize>>,
    counts: Vec<usize>,
}

impl HermiteMaps {
    fn new(max_l: usize) -> Self {
        let lists: Vec<Vec<[usize; 3]>> = (0..=max_l).map(hermite_indices).collect();
        let mut maps = Vec::with_capacity((max_l + 1) * (max_l + 1));
        for (l_bra, bra) in lists.iter().enumerate() {
            for (l_ket, ket) in lists.iter().enumerate() {
                let d = l_bra + l_ket + 1;
                let mut map = Vec::with_capacity(bra.len() * ket.len());
                for h1 in bra {
                    for h2 in ket {
                        map.push(r_index(d, h1[0] + h2[0], h1[1] + h2[1], h1[2] + h2[2]));
                    }
                }
                maps.push(map);
            }
        }
        HermiteMaps { max_l, maps, counts: lists.iter().map(Vec::len).collect() }
    }

    fn map(&self, l_bra: usize, l_ket: usize) -> &[usize] {
        &self.maps[l_bra * (self.max_l + 1) + l_ket]
    }
}

/// Scratch space for one thread.
#[derive(Debug)]
struct Workspace {
    boys: Vec<f64>,
    r: Vec<f64>,
    scratch: Vec<f64>,
    w: Vec<f64>,
}

impl Workspace {
    fn new(max_pair_l: usize, max_functions: usize) -> Self {
        let d = 2 * max_pair_l + 1;
        let nh = hermite_indices(max_pair_l).len();
        Workspace {
            boys: vec![0.0; 2 * max_pair_l + 1],
            r: vec![0.0; d * d * d],
            scratch: vec![0.0; d * d * d],
            w: vec![0.0; nh * max_functions],
        }
    }
}

/// `(bra|ket)` for one shell quartet into `out`, `[ab][cd]` row-major, spherical AOs.
fn quartet(bra: &ShellPair, ket: &ShellPair, maps: &HermiteMaps, ws: &mut Workspace, out: &mut [f64]) {
    let (l_bra, l_ket) = (bra.l_sum, ket.l_sum);
    let l_total = l_bra + l_ket;
    let nh_bra = maps.counts[l_bra];
    let nh_ket = maps.counts[l_ket];
    let n_ab = bra.function_pairs();
    let n_cd = ket.function_pairs();
    let map = maps.map(l_bra, l_ket);
    let out = &mut out[..n_ab * n_cd];
    out.fill(0.0);
    // 2 π^{5/2}
    let two_pi_52 = 2.0 * std::f64::consts::PI.powf(2.5);
    let w = &mut ws.w[..nh_bra * n_cd];
    for bp in &bra.primitives {
        w.fill(0.0);
        for kp in &ket.primitives {
            let p_plus_q = bp.p + kp.p;
            let alpha = bp.p * kp.p / p_plus_q;
            let pq = [bp.center[0] - kp.center[0], bp.center[1] - kp.center[1], bp.center[2] - kp.center[2]];
            let t = alpha * (pq[0] * pq[0] + pq[1] * pq[1] + pq[2] * pq[2]);
            let prefactor = two_pi_52 / (bp.p * kp.p * p_plus_q.sqrt()) * bp.coef * kp.coef;
            boys(l_total, t, &mut ws.boys);
            if l_total == 0 {
                w[0] += prefactor * ws.boys[0];
                continue;
            }
            hermite_r(l_total, alpha, pq, &ws.boys, &mut ws.r, &mut ws.scratch);
            // W[h1][cd] += Σ_h2 prefactor R[h1 + h2] (−1)^{h2} E^{cd}_{h2}, as row updates (which
            // vectorise) in a fixed order.
            for (map_row, w_row) in map.chunks_exact(nh_ket).zip(w.chunks_exact_mut(n_cd)) {
                for (&index, e_row) in map_row.iter().zip(kp.e_signed_t.chunks_exact(n_cd)) {
                    let r = prefactor * ws.r[index];
                    w_row.iter_mut().zip(e_row).for_each(|(w, e)| *w += r * e);
                }
            }
        }
        // out[ab][cd] += Σ_h1 E^{ab}_{h1} W[h1][cd]
        for ab in 0..n_ab {
            let e = &bp.e[ab * nh_bra..(ab + 1) * nh_bra];
            let out_row = &mut out[ab * n_cd..(ab + 1) * n_cd];
            for (h1, &e_value) in e.iter().enumerate() {
                if e_value == 0.0 {
                    continue;
                }
                let w_row = &w[h1 * n_cd..(h1 + 1) * n_cd];
                for (o, &w_value) in out_row.iter_mut().zip(w_row) {
                    *o += e_value * w_value;
                }
            }
        }
    }
}

/// `(bra|ket)` as [`quartet`] gives it, `[ab][cd]` row-major, computed as `(ket|bra)` and transposed
/// when that is cheaper: the work per primitive quartet grows with the ket's function count, so
/// the side with fewer functions (or primitives) should be the ket.
fn oriented_quartet(bra: &ShellPair, ket: &ShellPair, maps: &HermiteMaps, ws: &mut Workspace) -> Vec<f64> {
    let (n_ab, n_cd) = (bra.function_pairs(), ket.function_pairs());
    let mut values = vec![0.0; n_ab * n_cd];
    let cost = |x: &ShellPair, y: &ShellPair| {
        let (nh_x, nh_y) = (maps.counts[x.l_sum], maps.counts[y.l_sum]);
        let (kx, ky) = (x.primitives.len(), y.primitives.len());
        kx * ky * nh_x * nh_y * y.function_pairs() + kx * x.function_pairs() * nh_x * y.function_pairs()
    };
    if cost(ket, bra) < cost(bra, ket) {
        let mut swapped = vec![0.0; n_ab * n_cd];
        quartet(ket, bra, maps, ws, &mut swapped);
        for (cd, row) in swapped.chunks_exact(n_ab).enumerate() {
            for (ab, &value) in row.iter().enumerate() {
                values[ab * n_cd + cd] = value;
            }
        }
    } else {
        quartet(bra, ket, maps, ws, &mut values);
    }
    values
}

/// The electron-repulsion integrals of `basis` as a dense `nao⁴` array, `eri[[μ, ν, λ, σ]] = (μν|λσ)`.
///
/// Failure contract: as [`super::one_electron::one_electron`].
pub fn electron_repulsion(basis: &AoBasis) -> Array4<f64> {
    electron_repulsion_with_threads(basis, None)
}

/// [`electron_repulsion`] on `threads` threads (`None`: one for small jobs, else rayon's global
/// pool). The result does not depend on the thread count, bit for bit.
pub fn electron_repulsion_with_threads(basis: &AoBasis, threads: Option<usize>) -> Array4<f64> {
    assert_supported(basis);
    let transforms = transforms_by_l(basis);
    let mut pairs = Vec::new();
    for i in 0..basis.shells.len() {
        for j in 0..=i {
            pairs.push(ShellPair::new(basis, &transforms, i, j));
        }
    }
    let work: usize = pairs.iter().map(|p| p.primitives.len()).sum::<usize>().pow(2) / 2;
    let threads = match threads {
        Some(threads) => threads.max(1),
        None if work < PARALLEL_WORK => 1,
        None => return assemble(basis, &pairs),
    };
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool.install(|| assemble(basis, &pairs)),
        // No threads to be had: the calling thread's pool gives the same numbers.
        Err(_) => assemble(basis, &pairs),
    }
}

/// Computes the unique quartet blocks on the current rayon pool and fills the full array.
fn assemble(basis: &AoBasis, pairs: &[ShellPair]) -> Array4<f64> {
    let max_pair_l = pairs.iter().map(|p| p.l_sum).max().unwrap_or(0);
    let max_functions = pairs.iter().map(ShellPair::function_pairs).max().unwrap_or(1);
    let maps = HermiteMaps::new(max_pair_l);

    // Schwarz factors √max|(ab|ab)| per shell pair.
    let schwarz: Vec<f64> = pairs
        .par_iter()
        .map_init(
            || (Workspace::new(max_pair_l, max_functions), vec![0.0; max_functions * max_functions]),
            |(ws, block), pair| {
                quartet(pair, pair, &maps, ws, block);
                let n = pair.function_pairs();
                (0..n).map(|k| block[k * n + k].abs()).fold(0.0, f64::max).sqrt()
            },
        )
        .collect();

    // One row of blocks per bra pair: `(ket, values)` for the kets that pass the Schwarz test.
    // Largest rows first, for load balance; the order does not change any value.
    let rows: Vec<Vec<(usize, Vec<f64>)>> = (0..pairs.len())
        .into_par_iter()
        .rev()
        .map_init(
            || Workspace::new(max_pair_l, max_functions),
            |ws, bra| {
                let mut row = Vec::new();
                for ket in 0..=bra {
                    if schwarz[bra] * schwarz[ket] < SCHWARZ_THRESHOLD {
                        continue;
                    }
                    row.push((ket, oriented_quartet(&pairs[bra], &pairs[ket], &maps, ws)));
                }
                row
            },
        )
        .collect();
    let mut blocks: Vec<Option<&[f64]>> = vec![None; pairs.len() * (pairs.len() + 1) / 2];
    for (row, bra) in rows.iter().zip((0..pairs.len()).rev()) {
        for (ket, values) in row {
            blocks[bra * (bra + 1) / 2 + ket] = Some(values);
        }
    }
    fill(basis, pairs, &blocks)
}

/// The full `nao⁴` array from the unique blocks (`blocks[bra(bra+1)/2 + ket]`, `None` where
/// screened), filled in parallel over the first index's shells, each element written once.
fn fill(basis: &AoBasis, pairs: &[ShellPair], blocks: &[Option<&[f64]>]) -> Array4<f64> {
    let n = basis.nao;
    let mut eri = Array4::zeros((n, n, n, n));
    let data = eri.as_slice_mut().expect("a fresh Array4 is contiguous");
    let shells = &basis.shells;
    let pair_index = |i: usize, j: usize| if i >= j { i * (i + 1) / 2 + j } else { j * (j + 1) / 2 + i };
    let mut slices = Vec::with_capacity(shells.len());
    let mut rest = data;
    for shell in shells {
        let (head, tail) = rest.split_at_mut(shell.ao_count() * n * n * n);
        slices.push(head);
        rest = tail;
    }
    slices.into_par_iter().enumerate().for_each(|(si, slice)| {
        let ni = shells[si].ao_count();
        for (sj, shell_j) in shells.iter().enumerate() {
            let nj = shell_j.ao_count();
            let p1 = pair_index(si, sj);
            for sk in 0..shells.len() {
                let nk = shells[sk].ao_count();
                for sl in 0..=sk {
                    let nl = shells[sl].ao_count();
                    let p2 = pair_index(sk, sl);
                    let Some(values) = blocks[p1.max(p2) * (p1.max(p2) + 1) / 2 + p1.min(p2)] else { continue };
                    // Strides of a, b, c, d of (si sj | sk sl) in the stored block.
                    let (block_bra, block_ket) =
                        if p1 >= p2 { (&pairs[p1], &pairs[p2]) } else { (&pairs[p2], &pairs[p1]) };
                    let (n_ket1, n_ket2) = block_ket.counts;
                    let ket_strides = [n_ket2, 1];
                    let bra_strides = [block_bra.counts.1 * n_ket1 * n_ket2, n_ket1 * n_ket2];
                    let (first, second) =
                        if p1 >= p2 { (bra_strides, ket_strides) } else { (ket_strides, bra_strides) };
                    let [sa, sb] = if si < sj { [first[1], first[0]] } else { first };
                    let [sc, sd] = if sk < sl { [second[1], second[0]] } else { second };
                    let (oj, ok, ol) = (shell_j.ao_offset, shells[sk].ao_offset, shells[sl].ao_offset);
                    for a in 0..ni {
                        for b in 0..nj {
                            let row = &mut slice[(a * n + oj + b) * n * n..(a * n + oj + b + 1) * n * n];
                            let base = a * sa + b * sb;
                            for c in 0..nk {
                                for d in 0..nl {
                                    let value = values[base + c * sc + d * sd];
                                    row[(ok + c) * n + ol + d] = value;
                                    row[(ol + d) * n + ok + c] = value;
                                }
                            }
                        }
                    }
                }
            }
        }
    });
    eri
}

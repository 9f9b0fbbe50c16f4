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
//! The bra pairs are shared out over threads (scoped std threads) when there is enough work; each
//! integral is computed by exactly one thread with the same operations in the same order whatever
//! the thread count, so the result is bitwise deterministic.

use ndarray::Array4;

use super::boys::boys;
use super::hermite::{cartesian_components, hermite_indices, hermite_r, r_index, HermiteE};
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
    /// `E^{ab}_{tuv}`, `[ab][h]` row-major over the Hermite list of `la + lb`.
    e: Vec<f64>,
    /// `(−1)^{t+u+v} E^{ab}_{tuv}`, for use in the ket.
    e_signed: Vec<f64>,
}

/// A shell pair `I ≥ J` with its primitive pairs.
#[derive(Debug)]
struct ShellPair {
    l_sum: usize,
    /// Cartesian functions of I and of J.
    counts: (usize, usize),
    /// First AO of I and of J.
    offsets: (usize, usize),
    primitives: Vec<PairPrimitive>,
}

impl ShellPair {
    fn new(basis: &AoBasis, i: usize, j: usize) -> Self {
        let (a, b) = (&basis.shells[i], &basis.shells[j]);
        let (la, lb) = (usize::from(a.l), usize::from(b.l));
        let comps_a = cartesian_components(la);
        let comps_b = cartesian_components(lb);
        let hermite = hermite_indices(la + lb);
        let mut primitives = Vec::with_capacity(a.exponents.len() * b.exponents.len());
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
                let mut e = Vec::with_capacity(comps_a.len() * comps_b.len() * hermite.len());
                for ca_xyz in &comps_a {
                    for cb_xyz in &comps_b {
                        for &[t, u, v] in &hermite {
                            e.push(
                                e_xyz[0].get(ca_xyz[0], cb_xyz[0], t)
                                    * e_xyz[1].get(ca_xyz[1], cb_xyz[1], u)
                                    * e_xyz[2].get(ca_xyz[2], cb_xyz[2], v),
                            );
                        }
                    }
                }
                let signs: Vec<f64> =
                    hermite.iter().map(|&[t, u, v]| if (t + u + v) % 2 == 0 { 1.0 } else { -1.0 }).collect();
                let e_signed = e.iter().enumerate().map(|(k, &x)| x * signs[k % hermite.len()]).collect();
                primitives.push(PairPrimitive { p: prim.p, center: prim.center, coef, e, e_signed });
            }
        }
        ShellPair {
            l_sum: la + lb,
            counts: (comps_a.len(), comps_b.len()),
            offsets: (a.ao_offset, b.ao_offset),
            primitives,
        }
    }

    fn function_pairs(&self) -> usize {
        self.counts.0 * self.counts.1
    }
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
    gathered: Vec<f64>,
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
            gathered: vec![0.0; nh * nh],
            w: vec![0.0; nh * max_functions],
        }
    }
}

/// `(bra|ket)` for one shell quartet into `out`, `[ab][cd]` row-major, Cartesian components.
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
            // Gather prefactor · R[h1 + h2] into a dense nh_bra × nh_ket matrix once.
            let rm = &mut ws.gathered[..nh_bra * nh_ket];
            for (value, &index) in rm.iter_mut().zip(map) {
                *value = prefactor * ws.r[index];
            }
            // W[h1][cd] += Σ_h2 R[h1][h2] (−1)^{h2} E^{cd}_{h2}
            for (r_row, w_row) in rm.chunks_exact(nh_ket).zip(w.chunks_exact_mut(n_cd)) {
                for (w_value, e) in w_row.iter_mut().zip(kp.e_signed.chunks_exact(nh_ket)) {
                    *w_value += r_row.iter().zip(e).map(|(r, e)| r * e).sum::<f64>();
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

/// The electron-repulsion integrals of `basis` as a dense `nao⁴` array, `eri[[μ, ν, λ, σ]] = (μν|λσ)`.
///
/// Failure contract: as [`super::one_electron::one_electron`].
pub fn electron_repulsion(basis: &AoBasis) -> Array4<f64> {
    electron_repulsion_with_threads(basis, None)
}

/// [`electron_repulsion`] on `threads` threads (`None`: one for small jobs, else all cores).
/// The result does not depend on the thread count, bit for bit.
pub fn electron_repulsion_with_threads(basis: &AoBasis, threads: Option<usize>) -> Array4<f64> {
    assert_supported(basis);
    let n = basis.nao;
    let mut eri = Array4::zeros((n, n, n, n));
    let mut pairs = Vec::new();
    for i in 0..basis.shells.len() {
        for j in 0..=i {
            pairs.push(ShellPair::new(basis, i, j));
        }
    }
    let max_pair_l = pairs.iter().map(|p| p.l_sum).max().unwrap_or(0);
    let max_functions = pairs.iter().map(ShellPair::function_pairs).max().unwrap_or(1);
    let maps = HermiteMaps::new(max_pair_l);

    // Schwarz factors √max|(ab|ab)| per shell pair.
    let mut ws = Workspace::new(max_pair_l, max_functions);
    let mut block = vec![0.0; max_functions * max_functions];
    let schwarz: Vec<f64> = pairs
        .iter()
        .map(|pair| {
            quartet(pair, pair, &maps, &mut ws, &mut block);
            let n = pair.function_pairs();
            (0..n).map(|k| block[k * n + k].abs()).fold(0.0, f64::max).sqrt()
        })
        .collect();

    let work: usize = pairs.iter().map(|p| p.primitives.len()).sum::<usize>().pow(2) / 2;
    let threads = match threads {
        Some(threads) => threads,
        None if work < PARALLEL_WORK => 1,
        None => std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
    }
    .clamp(1, pairs.len().max(1));

    // Each thread takes bra pairs k ≡ thread (mod threads) and returns its blocks in order.
    let compute = |thread: usize| -> Vec<(usize, usize, Vec<f64>)> {
        let mut ws = Workspace::new(max_pair_l, max_functions);
        let mut blocks = Vec::new();
        for bra in (thread..pairs.len()).step_by(threads) {
            for ket in 0..=bra {
                if schwarz[bra] * schwarz[ket] < SCHWARZ_THRESHOLD {
                    continue;
                }
                let size = pairs[bra].function_pairs() * pairs[ket].function_pairs();
                let mut values = vec![0.0; size];
                quartet(&pairs[bra], &pairs[ket], &maps, &mut ws, &mut values);
                blocks.push((bra, ket, values));
            }
        }
        blocks
    };
    let results: Vec<Vec<(usize, usize, Vec<f64>)>> = if threads == 1 {
        vec![compute(0)]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads).map(|t| scope.spawn(move || compute(t))).collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        })
    };

    let data = eri.as_slice_mut().expect("a fresh Array4 is contiguous");
    for (bra, ket, values) in results.iter().flatten() {
        scatter(data, n, &pairs[*bra], &pairs[*ket], values);
    }
    eri
}

/// Writes one quartet block into all eight symmetry-related places.
fn scatter(data: &mut [f64], n: usize, bra: &ShellPair, ket: &ShellPair, values: &[f64]) {
    let (na, nb) = bra.counts;
    let (nc, nd) = ket.counts;
    let (oa, ob) = bra.offsets;
    let (oc, od) = ket.offsets;
    let at = |i: usize, j: usize, k: usize, l: usize| ((i * n + j) * n + k) * n + l;
    for a in 0..na {
        for b in 0..nb {
            let (i, j) = (oa + a, ob + b);
            for c in 0..nc {
                for d in 0..nd {
                    let (k, l) = (oc + c, od + d);
                    let value = values[((a * nb + b) * nc + c) * nd + d];
                    for index in [
                        at(i, j, k, l),
                        at(j, i, k, l),
                        at(i, j, l, k),
                        at(j, i, l, k),
                        at(k, l, i, j),
                        at(l, k, i, j),
                        at(k, l, j, i),
                        at(l, k, j, i),
                    ] {
                        data[index] = value;
                    }
                }
            }
        }
    }
}

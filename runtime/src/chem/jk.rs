//! Coulomb and exchange matrices of AO densities, the inner loop of every SCF iteration.
//!
//! `J[P]_μν = Σ_λσ (μν|λσ) P_λσ`, `K[P]_μν = Σ_λσ (μλ|νσ) P_λσ` over the AO electron-repulsion
//! integrals. Only the unique integrals `(ij|kl)` with `i ≥ j`, `k ≥ l`, `ij ≥ kl` are read (an
//! eighth of the array), each one added into every place its seven symmetric copies would go:
//! with `v` scaled by ½ for each of `i = j`, `k = l`, `ij = kl`, and accumulators `A`, `B` that
//! collect half of the permutations (the other half are their transposes),
//!
//! ```text
//! A_ij += 2v P_kl,  A_kl += 2v P_ij                              J = A + Aᵀ
//! B_ik += v P_jl,   B_jk += v P_il,   B_il += v P_jk,   B_jl += v P_ik      K = B + Bᵀ
//! ```
//!
//! The pairs `ij` are cut into a fixed number of chunks of about equal work, summed on rayon's
//! threads into per-chunk accumulators that are added in chunk order, so the result does not
//! depend on the thread count, bit for bit.
//!
//! Failure contract: none; the inputs are the caller's: `p` is `nao × nao` and symmetric (for a
//! non-symmetric `p` the result is that of `(P + Pᵀ)/2`), `eri` is `nao⁴` with the 8-fold
//! permutational symmetry of real orbitals (as [`super::AoIntegrals::eri`] has). A shape mismatch
//! panics (a programming error, never user input).

use ndarray::{Array2, Array4};
use rayon::prelude::*;

/// Number of work chunks (fixed, so that results do not depend on the thread count).
const CHUNKS: usize = 48;

/// Coulomb matrix `J[P]_μν = Σ_λσ (μν|λσ) P_λσ`.
pub fn coulomb(eri: &Array4<f64>, p: &Array2<f64>) -> Array2<f64> {
    contract(eri, p, Want { coulomb: true, exchange: false }).0
}

/// Exchange matrix `K[P]_μν = Σ_λσ (μλ|νσ) P_λσ`.
pub fn exchange(eri: &Array4<f64>, p: &Array2<f64>) -> Array2<f64> {
    contract(eri, p, Want { coulomb: false, exchange: true }).1
}

/// `(J[P], K[P])` in one pass over the integrals, cheaper than [`coulomb`] and [`exchange`] apart.
pub fn coulomb_exchange(eri: &Array4<f64>, p: &Array2<f64>) -> (Array2<f64>, Array2<f64>) {
    contract(eri, p, Want { coulomb: true, exchange: true })
}

#[derive(Clone, Copy)]
struct Want {
    coulomb: bool,
    exchange: bool,
}

/// Per-chunk accumulators (`n × n`, row-major; unwanted ones stay empty).
struct Accumulators {
    a: Vec<f64>,
    b: Vec<f64>,
}

fn contract(eri: &Array4<f64>, p: &Array2<f64>, want: Want) -> (Array2<f64>, Array2<f64>) {
    let n = p.nrows();
    assert_eq!(p.dim(), (n, n), "density must be square");
    assert_eq!(eri.dim(), (n, n, n, n), "ERI and density sizes differ");
    let sym: Vec<f64> = (0..n * n).map(|k| 0.5 * (p[[k / n, k % n]] + p[[k % n, k / n]])).collect();
    let eri = eri.as_standard_layout();
    let eri = eri.as_slice().expect("standard layout is contiguous");

    // Pairs ij = i(i+1)/2 + j in order; chunk c holds the pairs [bounds[c], bounds[c+1]).
    let pairs: Vec<(usize, usize)> = (0..n).flat_map(|i| (0..=i).map(move |j| (i, j))).collect();
    let total: f64 = (0..pairs.len()).map(|ij| (ij + 1) as f64).sum();
    let mut bounds = vec![0];
    let mut done = 0.0;
    for ij in 0..pairs.len() {
        done += (ij + 1) as f64;
        if done >= total * bounds.len() as f64 / CHUNKS as f64 && bounds.len() < CHUNKS {
            bounds.push(ij + 1);
        }
    }
    bounds.push(pairs.len());
    bounds.dedup();

    let partials: Vec<Accumulators> = bounds
        .par_windows(2)
        .map(|range| {
            let mut acc = Accumulators {
                a: if want.coulomb { vec![0.0; n * n] } else { Vec::new() },
                b: if want.exchange { vec![0.0; n * n] } else { Vec::new() },
            };
            let mut v = vec![0.0; n];
            for &(i, j) in &pairs[range[0]..range[1]] {
                add_pair(eri, &sym, n, i, j, want, &mut v, &mut acc);
            }
            acc
        })
        .collect();

    let mut a = vec![0.0; if want.coulomb { n * n } else { 0 }];
    let mut b = vec![0.0; if want.exchange { n * n } else { 0 }];
    for part in &partials {
        a.iter_mut().zip(&part.a).for_each(|(x, y)| *x += y);
        b.iter_mut().zip(&part.b).for_each(|(x, y)| *x += y);
    }
    let symmetrised = |m: &[f64]| {
        if m.is_empty() {
            Array2::zeros((n, n))
        } else {
            Array2::from_shape_fn((n, n), |(r, c)| m[r * n + c] + m[c * n + r])
        }
    };
    (symmetrised(&a), symmetrised(&b))
}

/// Adds the contributions of all unique `(ij|kl)`, `kl ≤ ij`, for one pair `i ≥ j`.
#[allow(clippy::too_many_arguments)]
fn add_pair(eri: &[f64], p: &[f64], n: usize, i: usize, j: usize, want: Want, v: &mut [f64], acc: &mut Accumulators) {
    let s_ij = if i == j { 0.5 } else { 1.0 };
    let (p_i, p_j) = (&p[i * n..(i + 1) * n], &p[j * n..(j + 1) * n]);
    let p_ij = p[i * n + j];
    let mut a_ij = 0.0;
    for k in 0..=i {
        let len = if k < i { k + 1 } else { j + 1 };
        let start = ((i * n + j) * n + k) * n;
        let v = &mut v[..len];
        for (out, &x) in v.iter_mut().zip(&eri[start..start + len]) {
            *out = s_ij * x;
        }
        if len == k + 1 {
            v[k] *= 0.5; // k = l
        }
        if k == i {
            v[j] *= 0.5; // kl = ij
        }
        let p_k = &p[k * n..k * n + len];
        if want.coulomb {
            a_ij += 2.0 * dot(v, p_k);
            let row = &mut acc.a[k * n..k * n + len];
            let scale = 2.0 * p_ij;
            row.iter_mut().zip(v.iter()).for_each(|(r, x)| *r += scale * x);
        }
        if want.exchange {
            acc.b[i * n + k] += dot(v, &p_j[..len]);
            acc.b[j * n + k] += dot(v, &p_i[..len]);
            let (p_jk, p_ik) = (p_j[k], p_i[k]);
            let row_i = &mut acc.b[i * n..i * n + len];
            row_i.iter_mut().zip(v.iter()).for_each(|(r, x)| *r += p_jk * x);
            let row_j = &mut acc.b[j * n..j * n + len];
            row_j.iter_mut().zip(v.iter()).for_each(|(r, x)| *r += p_ik * x);
        }
    }
    if want.coulomb {
        acc.a[i * n + j] += a_ij;
    }
}

/// `Σ_k a_k b_k` with four independent partial sums (vectorises; fixed order).
#[inline]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut s = [0.0; 4];
    let (ca, cb) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..4 {
            s[k] += x[k] * y[k];
        }
    }
    let tail: f64 = ra.iter().zip(rb).map(|(x, y)| x * y).sum();
    (s[0] + s[1]) + (s[2] + s[3]) + tail
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chem::basis::AoBasis;
    use crate::chem::integrals::electron_repulsion;
    use crate::chem::Atom;

    /// The plain sums over the full array, as the definitions read.
    fn naive(eri: &Array4<f64>, p: &Array2<f64>) -> (Array2<f64>, Array2<f64>) {
        let n = p.nrows();
        let mut j = Array2::zeros((n, n));
        let mut k = Array2::zeros((n, n));
        for a in 0..n {
            for b in 0..n {
                for c in 0..n {
                    for d in 0..n {
                        j[[a, b]] += eri[[a, b, c, d]] * p[[c, d]];
                        k[[a, b]] += eri[[a, c, b, d]] * p[[c, d]];
                    }
                }
            }
        }
        (j, k)
    }

    #[test]
    fn equals_the_definitions_and_ignores_the_thread_count() {
        let atoms = [
            Atom { z: 8, position: [0.1, 0.0, -0.2] },
            Atom { z: 1, position: [0.0, 1.43, 1.1] },
            Atom { z: 1, position: [0.2, -1.5, 1.0] },
        ];
        let basis = AoBasis::new(&atoms, "6-31g").expect("defined");
        let eri = electron_repulsion(&basis);
        let n = basis.nao;
        let p = Array2::from_shape_fn((n, n), |(a, b)| ((a * 7 + b * 7 + a * b) % 11) as f64 / 11.0 - 0.4);
        let (j0, k0) = naive(&eri, &p);
        let (j, k) = coulomb_exchange(&eri, &p);
        let err = |x: &Array2<f64>, y: &Array2<f64>| x.iter().zip(y).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        assert!(err(&j, &j0) < 1e-12 && err(&k, &k0) < 1e-12);
        assert!(j == coulomb(&eri, &p) && k == exchange(&eri, &p));
        let serial = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool");
        let (j1, k1) = serial.install(|| coulomb_exchange(&eri, &p));
        assert!(j1 == j && k1 == k);
    }
}

//! Spin-summed one- and two-particle reduced density matrices of a CI vector, in PySCF's
//! `fci.direct_spin1.make_rdm12` convention:
//!
//! ```text
//! γ_pq     = ⟨Ψ| E_pq |Ψ⟩                         = Σ_σ ⟨a†_pσ a_qσ⟩
//! Γ_pqrs   = Σ_στ ⟨Ψ| a†_pσ a†_rτ a_sτ a_qσ |Ψ⟩     = ⟨E_pq E_rs⟩ − δ_qr γ_ps
//! E        = E_core + Σ_pq h_pq γ_pq + ½ Σ_pqrs (pq|rs) Γ_pqrs
//! ```
//!
//! With the intermediate `X[pq, I] = ⟨I|E_pq|Ψ⟩`, built from the single-replacement tables,
//! `⟨E_pq E_rs⟩ = Σ_I ⟨Ψ|E_pq|I⟩⟨I|E_rs|Ψ⟩ = Σ_I X[qp, I] X[rs, I]` (real CI vectors), one
//! matrix product per block of determinants. Blocks have a fixed size and their products are
//! added in block order, so the result does not depend on the thread count. Cost: O(n_det · n⁴);
//! memory: n⁴ per thread plus one block of X.

use ndarray::{Array2, Array4, ArrayView2, ArrayViewMut2};

use super::{par_map_ordered, FciError, FciProblem};
use crate::chem::active::ActiveHamiltonian;

/// Determinants per block of the intermediate X (whole alpha rows, at least one row).
const BLOCK_DETERMINANTS: usize = 4096;

impl FciProblem {
    /// Spin-summed (γ, Γ) of a normalised row-major CI vector, as PySCF's
    /// `fci.direct_spin1.make_rdm12` returns them (see the module documentation).
    ///
    /// Failure contract: [`FciError::Shape`] when `c.len()` is not [`Self::dimension`].
    pub fn rdm12(&self, c: &[f64]) -> Result<(Array2<f64>, Array4<f64>), FciError> {
        let (na, nb) = self.shape();
        if c.len() != na * nb {
            return Err(FciError::Shape {
                detail: format!("CI vector of length {} for {} determinants", c.len(), na * nb),
            });
        }
        let n = self.n_orb;
        let n2 = n * n;
        let rows = (BLOCK_DETERMINANTS / nb.max(1)).max(1);
        let blocks: Vec<(usize, usize)> = (0..na).step_by(rows).map(|a0| (a0, (a0 + rows).min(na))).collect();
        let threads = self.threads_for(na * nb);
        let mut products = vec![0.0; n2 * n2];
        let mut gamma = vec![0.0; n2];
        par_map_ordered(
            &blocks,
            threads,
            |&(a0, a1)| self.rdm_block(c, a0, a1),
            |(m, g)| {
                products.iter_mut().zip(&m).for_each(|(x, v)| *x += v);
                gamma.iter_mut().zip(&g).for_each(|(x, v)| *x += v);
            },
        );
        let rdm1 = Array2::from_shape_fn((n, n), |(p, q)| 0.5 * (gamma[p * n + q] + gamma[q * n + p]));
        let rdm2 = Array4::from_shape_fn((n, n, n, n), |(p, q, r, s)| {
            let v = products[(q * n + p) * n2 + r * n + s];
            if q == r {
                v - rdm1[[p, s]]
            } else {
                v
            }
        });
        Ok((rdm1, rdm2))
    }

    /// ⟨E_qp E_rs⟩ summed over the determinants of alpha rows `a0..a1` (as an n² × n² row-major
    /// matrix indexed [qp, rs]) and their part of γ.
    fn rdm_block(&self, c: &[f64], a0: usize, a1: usize) -> (Vec<f64>, Vec<f64>) {
        let nb = self.beta.len();
        let n2 = self.n_orb * self.n_orb;
        let width = (a1 - a0) * nb;
        // x[pq, I] = ⟨I|E_pq|Ψ⟩: a link E_p'q'|I⟩ = s|J⟩ gives ⟨I|E_q'p'|J⟩ = s.
        let mut x = vec![0.0; n2 * width];
        for ia in a0..a1 {
            let base = (ia - a0) * nb;
            for l in self.alpha.links_of(ia) {
                let src = &c[l.target as usize * nb..(l.target as usize + 1) * nb];
                let dst = &mut x[l.qp as usize * width + base..l.qp as usize * width + base + nb];
                dst.iter_mut().zip(src).for_each(|(d, s)| *d += l.sign * s);
            }
            for ib in 0..nb {
                for l in self.beta.links_of(ib) {
                    x[l.qp as usize * width + base + ib] += l.sign * c[ia * nb + l.target as usize];
                }
            }
        }
        let block = &c[a0 * nb..a1 * nb];
        let gamma: Vec<f64> = x.chunks(width).map(|row| super::dot(row, block)).collect();
        let xv = ArrayView2::from_shape((n2, width), &x).expect("n² × width by construction");
        let mut m = vec![0.0; n2 * n2];
        let mv = ArrayViewMut2::from_shape((n2, n2), &mut m).expect("n² × n² by construction");
        let mut mv = mv;
        ndarray::linalg::general_mat_mul(1.0, &xv, &xv.t(), 0.0, &mut mv);
        (m, gamma)
    }
}

/// `E_core + Σ h_pq γ_pq + ½ Σ (pq|rs) Γ_pqrs`: the energy the density matrices give in `h`.
///
/// Failure contract: [`FciError::Shape`] when γ is not n × n or Γ not n⁴ for `h`'s n orbitals.
pub fn energy_from_rdms(h: &ActiveHamiltonian, rdm1: &Array2<f64>, rdm2: &Array4<f64>) -> Result<f64, FciError> {
    let n = h.n_orbitals();
    if rdm1.dim() != (n, n) || rdm2.dim() != (n, n, n, n) || h.eri.dim() != (n, n, n, n) {
        return Err(FciError::Shape { detail: format!("γ {:?}, Γ {:?} for {n} orbitals", rdm1.dim(), rdm2.dim()) });
    }
    let one: f64 = h.h1.iter().zip(rdm1.iter()).map(|(a, b)| a * b).sum();
    let two: f64 = h.eri.iter().zip(rdm2.iter()).map(|(a, b)| a * b).sum();
    Ok(h.core_energy + one + 0.5 * two)
}

#[cfg(test)]
mod tests {
    use super::super::tests::synthetic;
    use super::super::{fci, FciOptions};
    use super::*;

    /// Γ from its definition, one operator string at a time on the dense CI vector.
    fn rdm2_by_definition(p: &FciProblem, c: &[f64]) -> Array4<f64> {
        let n = p.n_orb;
        let (na, nb) = p.shape();
        // e[pq] = E_pq applied to c, as a full vector.
        let apply = |v: &[f64], pq: usize| -> Vec<f64> {
            let mut out = vec![0.0; v.len()];
            for ia in 0..na {
                for ib in 0..nb {
                    let ci = v[ia * nb + ib];
                    for l in p.alpha.links_of(ia).iter().filter(|l| l.pq as usize == pq) {
                        out[l.target as usize * nb + ib] += l.sign * ci;
                    }
                    for l in p.beta.links_of(ib).iter().filter(|l| l.pq as usize == pq) {
                        out[ia * nb + l.target as usize] += l.sign * ci;
                    }
                }
            }
            out
        };
        let e1: Vec<Vec<f64>> = (0..n * n).map(|pq| apply(c, pq)).collect();
        let g1: Vec<f64> = (0..n * n).map(|pq| c.iter().zip(&e1[pq]).map(|(a, b)| a * b).sum()).collect();
        Array4::from_shape_fn((n, n, n, n), |(a, b, r, s)| {
            let ers = &e1[r * n + s];
            let epq_ers = apply(ers, a * n + b);
            let v: f64 = c.iter().zip(&epq_ers).map(|(x, y)| x * y).sum();
            if b == r {
                v - g1[a * n + s]
            } else {
                v
            }
        })
    }

    #[test]
    fn rdm12_equals_the_definition_and_gives_the_energy() {
        for &(n, na, nb) in &[(4, 2, 2), (5, 3, 1), (4, 0, 2), (3, 3, 3)] {
            let h = synthetic(n, na, nb, 21 + n as u64);
            let options = FciOptions { dense_limit: usize::MAX, ..FciOptions::default() };
            let problem = FciProblem::new(&h, &options).expect("valid");
            let r = fci(&h, &options).expect("FCI");
            let c = r.civec.as_slice().expect("standard layout");
            let (g1, g2) = problem.rdm12(c).expect("rdm12");
            let reference = rdm2_by_definition(&problem, c);
            let d2 = (&g2 - &reference).iter().fold(0.0f64, |m, v| m.max(v.abs()));
            let d1 = (&g1 - &r.rdm1).iter().fold(0.0f64, |m, v| m.max(v.abs()));
            assert!(d1 < 1e-12 && d2 < 1e-12, "({n}, {na}, {nb}): Δγ {d1}, ΔΓ {d2}");
            let e = energy_from_rdms(&h, &g1, &g2).expect("shapes");
            assert!((e - r.energy).abs() < 1e-10, "({n}, {na}, {nb}): {e} vs {}", r.energy);
            // Γ_pqrs = Γ_rspq and partial traces: Σ_r Γ_pqrr = (N − 1) γ_pq.
            let electrons = (na + nb) as f64;
            for p in 0..n {
                for q in 0..n {
                    let trace: f64 = (0..n).map(|r| g2[[p, q, r, r]]).sum();
                    assert!((trace - (electrons - 1.0) * g1[[p, q]]).abs() < 1e-10);
                }
            }
        }
    }

    #[test]
    fn rdm12_bits_do_not_depend_on_the_thread_count() {
        let h = synthetic(8, 4, 4, 9);
        let one = FciOptions { n_threads: 1, ..FciOptions::default() };
        let p1 = FciProblem::new(&h, &one).expect("valid");
        let p3 = FciProblem::new(&h, &FciOptions { n_threads: 3, ..one }).expect("valid");
        let c: Vec<f64> = (0..p1.dimension()).map(|i| (i as f64 * 0.37).sin()).collect();
        assert_eq!(p1.rdm12(&c).expect("rdm12"), p3.rdm12(&c).expect("rdm12"));
        assert!(matches!(p1.rdm12(&c[1..]), Err(FciError::Shape { .. })));
    }
}

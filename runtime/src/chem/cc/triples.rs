//! The perturbative triples correction `(T)` on closed-shell CCSD amplitudes (Raghavachari,
//! Trucks, Pople & Head-Gordon, Chem. Phys. Lett. 157, 479 (1989)), in the spin-adapted form of
//! Rendell, Lee & Komornicki, Chem. Phys. Lett. 178, 462 (1991):
//!
//! ```text
//! W_ijk^abc = P [ Σ_d (ia|bd) t_kj^cd − Σ_l (ia|jl) t_lk^bc ]
//! V_ijk^abc = W_ijk^abc + (ia|jb) t_k^c + (ia|kc) t_j^b + (jb|kc) t_i^a
//!                       + f_kc t_ij^ab + f_jb t_ik^ac + f_ia t_jk^bc
//! E_(T) = Σ_ijk Σ_abc (4 W_ijk^abc + W_ijk^bca + W_ijk^cab)(V_ijk^abc − V_ijk^cba) / (3 D_ijk^abc)
//! ```
//!
//! where `P` sums the six simultaneous permutations of the pairs `(ia), (jb), (kc)` and
//! `D = ε_i + ε_j + ε_k − ε_a − ε_b − ε_c`. Orbitals are canonical: the Fock matrix enters only
//! through its diagonal and its occupied–virtual block.
//!
//! `W` and `V` are unchanged by a simultaneous permutation of `(ijk)` and `(abc)`, so the block of
//! one occupied triple `i ≥ j ≥ k` gives those of its permutations by permuting `a, b, c`. Each
//! block costs six `v² × v × v` and six `v × o × v²` matrix products; the triples run in
//! parallel and their energies are summed in a fixed order, so the result does not depend on the
//! thread count.

use faer::Par;
use ndarray::{s, Array3, Array4, ArrayView3, Zip};
use rayon::prelude::*;

use super::ccsd::CcsdResult;
use super::contract::{gemm, to_standard};
use super::eris::MoIntegrals;

/// The six orderings of three positions.
const PERMUTATIONS: [[usize; 3]; 6] = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];

/// `E_(T)`, hartree, for the CCSD amplitudes `ccsd` of `mo`.
///
/// Panics if `ccsd` was not computed from `mo` (amplitude shapes disagree): a programming error.
pub fn triples_correction(mo: &MoIntegrals, ccsd: &CcsdResult) -> f64 {
    let (o, v) = (mo.n_occ, mo.n_vir);
    assert_eq!(ccsd.t1.dim(), (o, v), "amplitudes belong to these integrals");
    let blocks = Blocks::new(mo, ccsd);
    let triples: Vec<[usize; 3]> =
        (0..o).flat_map(|i| (0..=i).flat_map(move |j| (0..=j).map(move |k| [i, j, k]))).collect();
    let energies: Vec<f64> = triples.par_iter().map(|&ijk| blocks.triple_energy(ijk)).collect();
    energies.iter().sum()
}

/// Amplitudes and integrals laid out so that every product reads contiguous matrices.
struct Blocks<'a> {
    mo: &'a MoIntegrals,
    ccsd: &'a CcsdResult,
    /// `−(ia|jl)` at `[i, j, a, l]`.
    minus_ovoo: Array4<f64>,
    /// `t_lr^yz` at `[r, l, y, z]`.
    t2_by_second: Array4<f64>,
}

impl<'a> Blocks<'a> {
    fn new(mo: &'a MoIntegrals, ccsd: &'a CcsdResult) -> Self {
        Blocks {
            mo,
            ccsd,
            minus_ovoo: -to_standard(mo.ovoo.view().permuted_axes([0, 2, 1, 3])),
            t2_by_second: to_standard(ccsd.t2.view().permuted_axes([1, 0, 2, 3])),
        }
    }

    /// `Y_pqr^xyz = Σ_d (px|yd) t_rq^zd − Σ_l (px|ql) t_lr^yz` into `y` (`[x, y, z]`).
    fn unpermuted(&self, [p, q, r]: [usize; 3], y: &mut Array3<f64>) {
        let (o, v) = (self.mo.n_occ, self.mo.n_vir);
        let out = y.as_slice_mut().expect("fresh array");
        // (px|yd) as (xy, d); t_rq^zd = t2[q, r, d, z] as (d, z).
        let ovvv = self.mo.ovvv.slice(s![p, .., .., ..]);
        let t2 = self.ccsd.t2.slice(s![q, r, .., ..]);
        gemm(
            ovvv.as_slice().expect("row of ovvv"),
            t2.as_slice().expect("row of t2"),
            out,
            (v * v, v, v),
            false,
            Par::Seq,
        );
        // −(px|ql) as (x, l); t_lr^yz as (l, yz).
        let ovoo = self.minus_ovoo.slice(s![p, q, .., ..]);
        let t2 = self.t2_by_second.slice(s![r, .., .., ..]);
        gemm(ovoo.as_slice().expect("row"), t2.as_slice().expect("row"), out, (v, o, v * v), true, Par::Seq);
    }

    /// `Σ` over the distinct orderings of `ijk` of `Σ_abc (4W + W_bca + W_cab)(V − V_cba)/(3D)`.
    fn triple_energy(&self, ijk: [usize; 3]) -> f64 {
        let v = self.mo.n_vir;
        let mut w = Array3::<f64>::zeros((v, v, v));
        let mut y = Array3::<f64>::zeros((v, v, v));
        for sigma in PERMUTATIONS {
            self.unpermuted([ijk[sigma[0]], ijk[sigma[1]], ijk[sigma[2]]], &mut y);
            // w[a0, a1, a2] += y[a_σ0, a_σ1, a_σ2].
            w += &y.view().permuted_axes(inverse(sigma));
        }
        let vv = self.disconnected(ijk, &w);
        let eo = self.mo.occupied_energies();
        let ev = self.mo.virtual_energies();
        let e_occ = eo[ijk[0]] + eo[ijk[1]] + eo[ijk[2]];
        let d = Array3::from_shape_fn((v, v, v), |(a, b, c)| e_occ - ev[a] - ev[b] - ev[c]);

        let mut seen: Vec<[usize; 3]> = Vec::with_capacity(6);
        let mut energy = 0.0;
        for pi in PERMUTATIONS {
            let occupied = [ijk[pi[0]], ijk[pi[1]], ijk[pi[2]]];
            if seen.contains(&occupied) {
                continue;
            }
            seen.push(occupied);
            energy += ordered_energy(w.view().permuted_axes(pi), vv.view().permuted_axes(pi), d.view());
        }
        energy
    }

    /// `V = W + (ia|jb) t_k^c + (ia|kc) t_j^b + (jb|kc) t_i^a + f_kc t_ij^ab + f_jb t_ik^ac + f_ia t_jk^bc`.
    fn disconnected(&self, [i, j, k]: [usize; 3], w: &Array3<f64>) -> Array3<f64> {
        let (ovov, t1, t2) = (&self.mo.ovov, &self.ccsd.t1, &self.ccsd.t2);
        let f = self.mo.fock_ov();
        let mut out = w.clone();
        out.indexed_iter_mut().for_each(|((a, b, c), x)| {
            *x += ovov[[i, a, j, b]] * t1[[k, c]] + ovov[[i, a, k, c]] * t1[[j, b]] + ovov[[j, b, k, c]] * t1[[i, a]];
            *x += f[[k, c]] * t2[[i, j, a, b]] + f[[j, b]] * t2[[i, k, a, c]] + f[[i, a]] * t2[[j, k, b, c]];
        });
        out
    }
}

/// `σ⁻¹` of a permutation of three positions.
fn inverse(sigma: [usize; 3]) -> [usize; 3] {
    let mut out = [0; 3];
    for (m, &n) in sigma.iter().enumerate() {
        out[n] = m;
    }
    out
}

/// `Σ_abc (4 W_abc + W_bca + W_cab)(V_abc − V_cba) / (3 D_abc)` for one occupied ordering.
fn ordered_energy(w: ArrayView3<'_, f64>, v: ArrayView3<'_, f64>, d: ArrayView3<'_, f64>) -> f64 {
    // view.permuted_axes(p)[x] = view[y] with y[p[m]] = x[m].
    let w_bca = w.permuted_axes([2, 0, 1]);
    let w_cab = w.permuted_axes([1, 2, 0]);
    let v_cba = v.permuted_axes([2, 1, 0]);
    Zip::from(&w)
        .and(&w_bca)
        .and(&w_cab)
        .and(&v)
        .and(&v_cba)
        .and(&d)
        .fold(0.0, |acc, w, wb, wc, v, vc, d| acc + (4.0 * w + wb + wc) * (v - vc) / (3.0 * d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_undoes_a_permutation() {
        for sigma in PERMUTATIONS {
            let inv = inverse(sigma);
            assert_eq!([sigma[inv[0]], sigma[inv[1]], sigma[inv[2]]], [0, 1, 2]);
        }
    }
}

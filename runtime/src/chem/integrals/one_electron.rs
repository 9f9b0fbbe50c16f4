//! One-electron integrals over contracted Cartesian Gaussians by McMurchie–Davidson:
//! overlap `S_μν = ⟨μ|ν⟩`, kinetic energy `T_μν = ⟨μ|−½∇²|ν⟩` and nuclear attraction
//! `V_μν = ⟨μ| −Σ_C Z_C / |r − R_C| |ν⟩` (point nuclei, as PySCF's default).
//!
//! Per primitive pair and Cartesian direction (HJO §9.3 and §9.9):
//!
//! ```text
//! S_ij = E^{ij}_0 √(π/p)
//! T_ij = −½ [ j(j−1) S_{i,j−2} − 2b(2j+1) S_ij + 4b² S_{i,j+2} ]      (−½ d²/dx² on the ket)
//! S    = K Sx Sy Sz,     T = K (Tx Sy Sz + Sx Ty Sz + Sx Sy Tz)
//! V    = −Σ_C Z_C K (2π/p) Σ_{tuv} E^{ij}_t E^{kl}_u E^{mn}_v R_{tuv}(p, P − C)      (HJO 9.9.32)
//! ```
//!
//! The Cartesian blocks are mapped to spherical AOs by [`super::spherical`].

use ndarray::Array2;

use super::boys::boys;
use super::hermite::{cartesian_components, hermite_indices, hermite_r, r_index, HermiteE};
use super::spherical::{store_pair_block, transforms_by_l};
use super::{assert_supported, Primitive};
use crate::chem::basis::{AoBasis, Shell};

/// Overlap, kinetic and nuclear-attraction matrices, computed in one pass over shell pairs.
#[derive(Clone, Debug, PartialEq)]
pub struct OneElectron {
    pub overlap: Array2<f64>,
    pub kinetic: Array2<f64>,
    pub nuclear: Array2<f64>,
}

/// `S`, `T` and `V` for `basis` (nuclei: the basis's atoms).
///
/// Failure contract: panics only for a hand-built [`AoBasis`] with shells above
/// [`crate::chem::basis::MAX_ANGULAR_MOMENTUM`], which [`AoBasis::new`] never makes.
pub fn one_electron(basis: &AoBasis) -> OneElectron {
    assert_supported(basis);
    let n = basis.nao;
    let mut out =
        OneElectron { overlap: Array2::zeros((n, n)), kinetic: Array2::zeros((n, n)), nuclear: Array2::zeros((n, n)) };
    let charges: Vec<(f64, [f64; 3])> = basis.atoms.iter().map(|a| (f64::from(a.z), a.position)).collect();
    let transforms = transforms_by_l(basis);
    for (i, a) in basis.shells.iter().enumerate() {
        for b in &basis.shells[..=i] {
            let (s, t, v) = shell_pair(a, b, &charges);
            let (ta, tb) = (&transforms[usize::from(a.l)], &transforms[usize::from(b.l)]);
            store_pair_block(&mut out.overlap, a, b, ta, tb, &s);
            store_pair_block(&mut out.kinetic, a, b, ta, tb, &t);
            store_pair_block(&mut out.nuclear, a, b, ta, tb, &v);
        }
    }
    out
}

/// Overlap matrix only.
pub fn overlap(basis: &AoBasis) -> Array2<f64> {
    one_electron(basis).overlap
}

/// The `(S, T, V)` blocks of one shell pair, Cartesian components row-major (`a` slow).
fn shell_pair(a: &Shell, b: &Shell, charges: &[(f64, [f64; 3])]) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let (la, lb) = (usize::from(a.l), usize::from(b.l));
    let comps_a = cartesian_components(la);
    let comps_b = cartesian_components(lb);
    let size = comps_a.len() * comps_b.len();
    let (mut s, mut t, mut v) = (vec![0.0; size], vec![0.0; size], vec![0.0; size]);
    let l_sum = la + lb;
    let hermite = hermite_indices(l_sum);
    let d = l_sum + 1;
    let mut f = vec![0.0; l_sum + 1];
    let mut r = vec![0.0; d * d * d];
    let mut scratch = r.clone();
    let pi = std::f64::consts::PI;
    for (&alpha, &ca) in a.exponents.iter().zip(&a.coefficients) {
        for (&beta, &cb) in b.exponents.iter().zip(&b.coefficients) {
            let prim = Primitive::new(alpha, a.center, beta, b.center);
            let p = prim.p;
            let coef = ca * cb * prim.k;
            if coef == 0.0 {
                continue;
            }
            // E up to j + 2 for the kinetic energy.
            let e: [HermiteE; 3] = std::array::from_fn(|x| {
                HermiteE::new(la, lb + 2, p, prim.center[x] - a.center[x], prim.center[x] - b.center[x])
            });
            let s_factor = coef * (pi / p).powf(1.5);
            let overlap_1d = |x: usize, i: usize, j: usize| e[x].get(i, j, 0);
            let kinetic_1d = |x: usize, i: usize, j: usize| {
                let jf = j as f64;
                let mut value =
                    -2.0 * beta * (2.0 * jf + 1.0) * overlap_1d(x, i, j) + 4.0 * beta * beta * overlap_1d(x, i, j + 2);
                if j >= 2 {
                    value += jf * (jf - 1.0) * overlap_1d(x, i, j - 2);
                }
                -0.5 * value
            };
            for (ia, ca_xyz) in comps_a.iter().enumerate() {
                for (ib, cb_xyz) in comps_b.iter().enumerate() {
                    let sx: [f64; 3] = std::array::from_fn(|x| overlap_1d(x, ca_xyz[x], cb_xyz[x]));
                    let tx: [f64; 3] = std::array::from_fn(|x| kinetic_1d(x, ca_xyz[x], cb_xyz[x]));
                    let k = ia * comps_b.len() + ib;
                    s[k] += s_factor * sx[0] * sx[1] * sx[2];
                    t[k] += s_factor * (tx[0] * sx[1] * sx[2] + sx[0] * tx[1] * sx[2] + sx[0] * sx[1] * tx[2]);
                }
            }
            for &(z, c) in charges {
                let pc = [prim.center[0] - c[0], prim.center[1] - c[1], prim.center[2] - c[2]];
                boys(l_sum, p * (pc[0] * pc[0] + pc[1] * pc[1] + pc[2] * pc[2]), &mut f);
                hermite_r(l_sum, p, pc, &f, &mut r, &mut scratch);
                let v_factor = -z * coef * 2.0 * pi / p;
                for (ia, ca_xyz) in comps_a.iter().enumerate() {
                    for (ib, cb_xyz) in comps_b.iter().enumerate() {
                        let mut sum = 0.0;
                        for &[tt, u, w] in &hermite {
                            if tt > ca_xyz[0] + cb_xyz[0] || u > ca_xyz[1] + cb_xyz[1] || w > ca_xyz[2] + cb_xyz[2] {
                                continue;
                            }
                            sum += e[0].get(ca_xyz[0], cb_xyz[0], tt)
                                * e[1].get(ca_xyz[1], cb_xyz[1], u)
                                * e[2].get(ca_xyz[2], cb_xyz[2], w)
                                * r[r_index(d, tt, u, w)];
                        }
                        v[ia * comps_b.len() + ib] += v_factor * sum;
                    }
                }
            }
        }
    }
    (s, t, v)
}

//! Dipole integrals `⟨μ| r_x − O_x |ν⟩` (and y, z): PySCF's `int1e_r` after
//! `mol.set_common_orig(O)`, no electron charge included.
//!
//! Per primitive pair, along the moment's direction (HJO eq. 9.5.32; the other two directions
//! contribute plain overlaps):
//!
//! ```text
//! M_ij = (E^{ij}_1 + X_PO E^{ij}_0) √(π/p)
//! ```

use ndarray::Array2;

use super::hermite::{cartesian_components, HermiteE};
use super::spherical::{store_pair_block, transforms_by_l};
use super::{assert_supported, Primitive};
use crate::chem::basis::{AoBasis, Shell};

/// The matrices of `x − O_x`, `y − O_y`, `z − O_z` over the AOs of `basis`, origin `origin` (bohr).
///
/// Failure contract: panics only for a hand-built [`AoBasis`] with shells above
/// [`crate::chem::basis::MAX_ANGULAR_MOMENTUM`], which [`AoBasis::new`] never makes.
pub fn dipole(basis: &AoBasis, origin: [f64; 3]) -> [Array2<f64>; 3] {
    assert_supported(basis);
    let n = basis.nao;
    let mut out: [Array2<f64>; 3] = std::array::from_fn(|_| Array2::zeros((n, n)));
    let transforms = transforms_by_l(basis);
    for (i, a) in basis.shells.iter().enumerate() {
        for b in &basis.shells[..=i] {
            let blocks = shell_pair(a, b, origin);
            let (ta, tb) = (&transforms[usize::from(a.l)], &transforms[usize::from(b.l)]);
            for (matrix, block) in out.iter_mut().zip(&blocks) {
                store_pair_block(matrix, a, b, ta, tb, block);
            }
        }
    }
    out
}

/// The three Cartesian moment blocks of one shell pair, `[a][b]` row-major.
fn shell_pair(a: &Shell, b: &Shell, origin: [f64; 3]) -> [Vec<f64>; 3] {
    let (la, lb) = (usize::from(a.l), usize::from(b.l));
    let comps_a = cartesian_components(la);
    let comps_b = cartesian_components(lb);
    let size = comps_a.len() * comps_b.len();
    let mut out: [Vec<f64>; 3] = std::array::from_fn(|_| vec![0.0; size]);
    for (&alpha, &ca) in a.exponents.iter().zip(&a.coefficients) {
        for (&beta, &cb) in b.exponents.iter().zip(&b.coefficients) {
            let prim = Primitive::new(alpha, a.center, beta, b.center);
            let p = prim.p;
            let factor = ca * cb * prim.k * (std::f64::consts::PI / p).powf(1.5);
            if factor == 0.0 {
                continue;
            }
            let e: [HermiteE; 3] = std::array::from_fn(|x| {
                HermiteE::new(la, lb, p, prim.center[x] - a.center[x], prim.center[x] - b.center[x])
            });
            for (ia, ca_xyz) in comps_a.iter().enumerate() {
                for (ib, cb_xyz) in comps_b.iter().enumerate() {
                    let s: [f64; 3] = std::array::from_fn(|x| e[x].get(ca_xyz[x], cb_xyz[x], 0));
                    let m: [f64; 3] = std::array::from_fn(|x| {
                        e[x].get(ca_xyz[x], cb_xyz[x], 1) + (prim.center[x] - origin[x]) * s[x]
                    });
                    let k = ia * comps_b.len() + ib;
                    out[0][k] += factor * m[0] * s[1] * s[2];
                    out[1][k] += factor * s[0] * m[1] * s[2];
                    out[2][k] += factor * s[0] * s[1] * m[2];
                }
            }
        }
    }
    out
}

//! Fock matrices of a pair of spin densities, Roothaan's effective ROHF operator, the DIIS
//! commutator error, and PySCF's virtual-space level shift. Never fails; shapes are the caller's.

use ndarray::Array2;

use super::linalg::trace_product;
use crate::chem::integrals::AoIntegrals;
use crate::chem::jk::{coulomb, coulomb_exchange, exchange};

/// `Fα = h + J[P] − K[Pα]`, `Fβ = h + J[P] − K[Pβ]` of a pair of spin densities.
pub(super) struct FockMatrices {
    pub(super) alpha: Array2<f64>,
    pub(super) beta: Array2<f64>,
}

impl FockMatrices {
    /// One pass over the integrals for a closed shell (`J[P] = 2 J[Pα]`, `K` from the same pass);
    /// one Coulomb and two exchange builds otherwise.
    pub(super) fn new(ints: &AoIntegrals, pa: &Array2<f64>, pb: &Array2<f64>) -> Self {
        // Closed shell: Pα = Pβ, so Kβ = Kα (the comparison is exact for densities built alike).
        if pa == pb {
            let (j, k) = coulomb_exchange(&ints.eri, pa);
            let alpha = &ints.hcore + &(j * 2.0) - k;
            return FockMatrices { beta: alpha.clone(), alpha };
        }
        let hj = &ints.hcore + &coulomb(&ints.eri, &(pa + pb));
        let alpha = &hj - &exchange(&ints.eri, pa);
        let beta = hj - exchange(&ints.eri, pb);
        FockMatrices { alpha, beta }
    }

    /// `½ Tr[Pα (h + Fα)] + ½ Tr[Pβ (h + Fβ)]`.
    pub(super) fn electronic_energy(&self, h: &Array2<f64>, pa: &Array2<f64>, pb: &Array2<f64>) -> f64 {
        0.5 * (trace_product(pa, h)
            + trace_product(pa, &self.alpha)
            + trace_product(pb, h)
            + trace_product(pb, &self.beta))
    }
}

/// Roothaan's effective Fock operator in PySCF's canonicalisation (`scf.rohf.get_roothaan_fock`;
/// see the module documentation of [`super`]).
pub(super) fn roothaan_fock(fock: &FockMatrices, pa: &Array2<f64>, pb: &Array2<f64>, s: &Array2<f64>) -> Array2<f64> {
    let n = s.nrows();
    let fc = (&fock.alpha + &fock.beta) * 0.5;
    let pc = pb.dot(s);
    let po = (pa - pb).dot(s);
    let pv = Array2::eye(n) - pa.dot(s);
    let sandwich = |left: &Array2<f64>, f: &Array2<f64>, right: &Array2<f64>| left.t().dot(f).dot(right);
    let mut g = sandwich(&pc, &fc, &pc) * 0.5;
    g += &(sandwich(&po, &fc, &po) * 0.5);
    g += &(sandwich(&pv, &fc, &pv) * 0.5);
    g += &sandwich(&po, &fock.beta, &pc);
    g += &sandwich(&po, &fock.alpha, &pv);
    g += &sandwich(&pv, &fc, &pc);
    &g + &g.t()
}

/// The DIIS error `Xᵀ (F P S − S P F) X` (zero at self-consistency).
pub(super) fn diis_error(f: &Array2<f64>, p: &Array2<f64>, s: &Array2<f64>, x: &Array2<f64>) -> Array2<f64> {
    let fps = f.dot(p).dot(s);
    let commutator = &fps - &fps.t();
    x.t().dot(&commutator).dot(x)
}

/// PySCF's `scf.hf.level_shift`: `F + Δ (S − S D S)` with `D` a density whose occupied orbitals
/// have eigenvalue 1 (`P/2` for RHF and ROHF, `Pσ` for UHF), so virtual orbitals move up by `Δ`.
pub(super) fn level_shift(f: &mut Array2<f64>, s: &Array2<f64>, d: &Array2<f64>, shift: f64) {
    let sds = s.dot(d).dot(s);
    f.scaled_add(shift, s);
    f.scaled_add(-shift, &sds);
}

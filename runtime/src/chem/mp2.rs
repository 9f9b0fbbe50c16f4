//! Second-order Møller–Plesset correlation energy on an RHF reference.
//!
//! ```text
//! E_MP2 = Σ_{ij ∈ occ} Σ_{ab ∈ vir} (ia|jb) [2 (ia|jb) − (ib|ja)] / (ε_i + ε_j − ε_a − ε_b)
//! ```
//!
//! (Møller & Plesset, Phys. Rev. 46, 618 (1934); Szabo & Ostlund eq. 6.74 in spatial orbitals.)
//! The opposite-spin part is `Σ (ia|jb)² / Δ`, the same-spin part `Σ (ia|jb)[(ia|jb) − (ib|ja)] / Δ`.
//! `(ia|jb)` comes from four quarter transformations of the AO integrals, each a matrix product,
//! `O(n⁵)` in all. With `frozen_core = k` the `k` lowest occupied orbitals are left out of `i, j`
//! (PySCF's `frozen=k`).

use std::fmt;

use ndarray::{s, Array2, Array4, ArrayView2};

use super::integrals::AoIntegrals;
use super::scf::ScfResult;

/// The MP2 correlation energy and its spin components, hartree.
#[derive(Clone, Debug, PartialEq)]
pub struct Mp2Result {
    /// `E_MP2`, the correlation energy.
    pub correlation_energy: f64,
    /// `E_SCF + E_MP2`.
    pub total_energy: f64,
    /// Opposite-spin part of the correlation energy.
    pub opposite_spin: f64,
    /// Same-spin part of the correlation energy.
    pub same_spin: f64,
    /// Number of frozen core orbitals.
    pub frozen_core: usize,
}

/// Why MP2 was not computed.
#[derive(Clone, Debug, PartialEq)]
pub enum Mp2Error {
    /// MP2 here needs a closed-shell reference (`n_alpha == n_beta`).
    NotRhf,
    /// More orbitals frozen than are occupied.
    TooManyFrozen { frozen: usize, occupied: usize },
}

impl fmt::Display for Mp2Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mp2Error::NotRhf => write!(f, "MP2 needs a closed-shell RHF reference"),
            Mp2Error::TooManyFrozen { frozen, occupied } => {
                write!(f, "cannot freeze {frozen} core orbitals with only {occupied} occupied")
            }
        }
    }
}

impl std::error::Error for Mp2Error {}

/// RHF-MP2 correlation energy with the `frozen_core` lowest orbitals frozen.
pub fn mp2(integrals: &AoIntegrals, scf: &ScfResult, frozen_core: usize) -> Result<Mp2Result, Mp2Error> {
    // A closed-shell ROHF solution is the RHF one (the effective Fock operator is then F).
    if scf.n_alpha != scf.n_beta {
        return Err(Mp2Error::NotRhf);
    }
    let n_occ = scf.n_alpha;
    if frozen_core > n_occ {
        return Err(Mp2Error::TooManyFrozen { frozen: frozen_core, occupied: n_occ });
    }
    let c_occ = scf.mo_coeff.slice(s![.., frozen_core..n_occ]);
    let c_vir = scf.mo_coeff.slice(s![.., n_occ..]);
    let ovov = ovov_integrals(&integrals.eri, c_occ, c_vir);
    let eps = &scf.mo_energy;
    let (no, nv) = (c_occ.ncols(), c_vir.ncols());
    let (mut opposite_spin, mut same_spin) = (0.0, 0.0);
    for i in 0..no {
        let ei = eps[frozen_core + i];
        for j in 0..no {
            let ej = eps[frozen_core + j];
            for a in 0..nv {
                let ea = eps[n_occ + a];
                for b in 0..nv {
                    let denominator = ei + ej - ea - eps[n_occ + b];
                    let iajb = ovov[[i, a, j, b]];
                    let ibja = ovov[[i, b, j, a]];
                    opposite_spin += iajb * iajb / denominator;
                    same_spin += iajb * (iajb - ibja) / denominator;
                }
            }
        }
    }
    let correlation_energy = opposite_spin + same_spin;
    Ok(Mp2Result {
        correlation_energy,
        total_energy: scf.energy + correlation_energy,
        opposite_spin,
        same_spin,
        frozen_core,
    })
}

/// `(ia|jb) = Σ_μνλσ C_μi C_νa C_λj C_σb (μν|λσ)` by quarter transformations, as `[i, a, j, b]`.
pub fn ovov_integrals(eri: &Array4<f64>, c_occ: ArrayView2<'_, f64>, c_vir: ArrayView2<'_, f64>) -> Array4<f64> {
    let n = eri.shape()[0];
    let (no, nv) = (c_occ.ncols(), c_vir.ncols());
    let eri = eri.as_standard_layout();
    let flat = |rows: usize, cols: usize| (rows, cols);
    // (μ, νλσ) → (i, νλσ)
    let eri_matrix = eri.view().into_shape_with_order(flat(n, n * n * n)).expect("standard layout reshapes");
    let step1 = c_occ.t().dot(&eri_matrix);
    // For each i: (ν, λσ) → (a, λσ); then for each (i, a): (λ, σ) → (j, σ) → (j, b).
    let mut out = Array4::zeros((no, nv, no, nv));
    for i in 0..no {
        let block = step1.row(i).into_shape_with_order(flat(n, n * n)).expect("contiguous row reshapes");
        let step2: Array2<f64> = c_vir.t().dot(&block);
        for a in 0..nv {
            let ls = step2.row(a).into_shape_with_order(flat(n, n)).expect("contiguous row reshapes");
            let jb = c_occ.t().dot(&ls).dot(&c_vir);
            out.slice_mut(s![i, a, .., ..]).assign(&jb);
        }
    }
    out
}

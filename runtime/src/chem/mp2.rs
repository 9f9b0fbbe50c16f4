//! Second-order Møller–Plesset perturbation theory: RHF-MP2, UMP2, and the unrelaxed RHF-MP2
//! one-particle density matrix.
//!
//! ```text
//! RHF:  E_MP2 = Σ_{ij ∈ occ} Σ_{ab ∈ vir} (ia|jb) [2 (ia|jb) − (ib|ja)] / (ε_i + ε_j − ε_a − ε_b)
//! UHF:  E_MP2 = ½ Σ_{σ} Σ_{ijab ∈ σ} (ia|jb)[(ia|jb) − (ib|ja)] / D  +  Σ_{ia ∈ α, jb ∈ β} (ia|jb)² / D
//! ```
//!
//! (Møller & Plesset, Phys. Rev. 46, 618 (1934); Szabo & Ostlund eq. 6.74 in spatial orbitals.)
//! For RHF the opposite-spin part is `Σ (ia|jb)² / Δ`, the same-spin part
//! `Σ (ia|jb)[(ia|jb) − (ib|ja)] / Δ`; for UHF the same-spin part is the αα plus ββ terms.
//! `(ia|jb)` comes from four quarter transformations of the AO integrals, each a matrix product,
//! `O(n⁵)` in all. With `frozen_core = k` the `k` lowest occupied orbitals (of each spin) are left
//! out of `i, j` (PySCF's `frozen=k`).
//!
//! The unrelaxed one-particle density matrix ([`mp2_rdm1`], PySCF's `mp.MP2(mf).make_rdm1()`), in
//! the MO basis and spin-traced, with `t_ij^ab = (ia|jb)/D` and `u_ij^ab = 2 t_ij^ab − t_ij^ba`:
//!
//! ```text
//! γ_ij = 2 δ_ij − Σ_kab (t_ki^ab u_kj^ab + t_kj^ab u_ki^ab)          (active occupied)
//! γ_ab =          Σ_kjc (t_kj^ca u_kj^cb + t_kj^cb u_kj^ca)          (virtual)
//! ```
//!
//! the occupied–virtual block zero, frozen core orbitals doubly occupied.

use std::fmt;

use ndarray::{s, Array2, Array4, ArrayView1, ArrayView2, Axis};

use super::integrals::AoIntegrals;
use super::scf::{ScfMethod, ScfResult};

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
    /// Number of frozen core orbitals (per spin).
    pub frozen_core: usize,
}

/// Why MP2 was not computed.
#[derive(Clone, Debug, PartialEq)]
pub enum Mp2Error {
    /// RHF-MP2 needs a closed-shell restricted reference (`n_alpha == n_beta`, not UHF).
    NotRhf,
    /// UMP2 needs canonical spin orbitals: a UHF or RHF reference, not ROHF.
    RohfReference,
    /// More orbitals frozen than are occupied.
    TooManyFrozen { frozen: usize, occupied: usize },
}

impl fmt::Display for Mp2Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mp2Error::NotRhf => write!(f, "MP2 needs a closed-shell RHF reference; use UMP2 on UHF for open shells"),
            Mp2Error::RohfReference => {
                write!(f, "UMP2 needs a UHF (or RHF) reference; ROHF orbitals are not canonical spin orbitals")
            }
            Mp2Error::TooManyFrozen { frozen, occupied } => {
                write!(f, "cannot freeze {frozen} core orbitals with only {occupied} occupied")
            }
        }
    }
}

impl std::error::Error for Mp2Error {}

/// RHF-MP2 correlation energy with the `frozen_core` lowest orbitals frozen.
///
/// Failure contract: [`Mp2Error::NotRhf`] for an open-shell or UHF reference,
/// [`Mp2Error::TooManyFrozen`] when `frozen_core` exceeds the occupied orbitals.
pub fn mp2(integrals: &AoIntegrals, scf: &ScfResult, frozen_core: usize) -> Result<Mp2Result, Mp2Error> {
    let block = RestrictedBlock::new(integrals, scf, frozen_core)?;
    let (no, nv) = (block.eps_occ.len(), block.eps_vir.len());
    let (mut opposite_spin, mut same_spin) = (0.0, 0.0);
    for i in 0..no {
        for j in 0..no {
            for a in 0..nv {
                for b in 0..nv {
                    let denominator = block.denominator(i, j, a, b);
                    let iajb = block.ovov[[i, a, j, b]];
                    let ibja = block.ovov[[i, b, j, a]];
                    opposite_spin += iajb * iajb / denominator;
                    same_spin += iajb * (iajb - ibja) / denominator;
                }
            }
        }
    }
    Ok(result(scf, opposite_spin, same_spin, frozen_core))
}

/// UMP2 correlation energy (PySCF's `mp.UMP2`) on a UHF reference (an RHF one gives the RHF-MP2
/// value), with the `frozen_core` lowest orbitals of each spin frozen.
///
/// Failure contract: [`Mp2Error::RohfReference`] for ROHF, [`Mp2Error::TooManyFrozen`] when
/// `frozen_core` exceeds the occupied orbitals of either spin.
pub fn ump2(integrals: &AoIntegrals, scf: &ScfResult, frozen_core: usize) -> Result<Mp2Result, Mp2Error> {
    if scf.method == ScfMethod::Rohf {
        return Err(Mp2Error::RohfReference);
    }
    let occupied = scf.n_alpha.min(scf.n_beta);
    if frozen_core > occupied {
        return Err(Mp2Error::TooManyFrozen { frozen: frozen_core, occupied });
    }
    let (c_beta, e_beta) = match &scf.beta {
        Some(beta) => (&beta.mo_coeff, &beta.mo_energy),
        None => (&scf.mo_coeff, &scf.mo_energy),
    };
    let alpha = Spin::new(&scf.mo_coeff, &scf.mo_energy, frozen_core, scf.n_alpha);
    let beta = Spin::new(c_beta, e_beta, frozen_core, scf.n_beta);
    let eri = &integrals.eri;
    let same = |spin: &Spin<'_>| {
        let ovov = ovov_mixed(eri, spin.c_occ, spin.c_vir, spin.c_occ, spin.c_vir);
        let mut sum = 0.0;
        for ((i, a, j, b), &iajb) in ovov.indexed_iter() {
            let denominator = spin.eps_occ[i] + spin.eps_occ[j] - spin.eps_vir[a] - spin.eps_vir[b];
            sum += iajb * (iajb - ovov[[i, b, j, a]]) / denominator;
        }
        0.5 * sum
    };
    let same_spin = same(&alpha) + same(&beta);
    let ovov = ovov_mixed(eri, alpha.c_occ, alpha.c_vir, beta.c_occ, beta.c_vir);
    let mut opposite_spin = 0.0;
    for ((i, a, j, b), &iajb) in ovov.indexed_iter() {
        let denominator = alpha.eps_occ[i] + beta.eps_occ[j] - alpha.eps_vir[a] - beta.eps_vir[b];
        opposite_spin += iajb * iajb / denominator;
    }
    Ok(result(scf, opposite_spin, same_spin, frozen_core))
}

/// The unrelaxed, spin-traced RHF-MP2 one-particle density matrix in the MO basis (`nmo × nmo`,
/// PySCF's `mp.MP2(mf, frozen=k).make_rdm1()`): frozen core orbitals doubly occupied, the
/// occupied–virtual block zero; its trace is the electron count.
///
/// Failure contract: as [`mp2`].
pub fn mp2_rdm1(integrals: &AoIntegrals, scf: &ScfResult, frozen_core: usize) -> Result<Array2<f64>, Mp2Error> {
    let block = RestrictedBlock::new(integrals, scf, frozen_core)?;
    let (no, nv) = (block.eps_occ.len(), block.eps_vir.len());
    // t[k, i, a, b] and u = 2 t − t with a, b swapped.
    let t = Array4::from_shape_fn((no, no, nv, nv), |(k, i, a, b)| {
        block.ovov[[k, a, i, b]] / block.denominator(k, i, a, b)
    });
    let u = Array4::from_shape_fn((no, no, nv, nv), |(k, i, a, b)| 2.0 * t[[k, i, a, b]] - t[[k, i, b, a]]);
    // Occupied: Σ_k T_k U_kᵀ with T_k = t[k] as (i, ab).
    let mut occ = Array2::<f64>::zeros((no, no));
    for k in 0..no {
        let tk = t.index_axis(Axis(0), k).into_shape_with_order((no, nv * nv)).expect("standard layout");
        let uk = u.index_axis(Axis(0), k).into_shape_with_order((no, nv * nv)).expect("standard layout");
        occ += &tk.dot(&uk.t());
    }
    // Virtual: Uᵀ T with rows (k, j, c).
    let rows = no * no * nv;
    let t_flat = t.view().into_shape_with_order((rows, nv)).expect("standard layout");
    let u_flat = u.view().into_shape_with_order((rows, nv)).expect("standard layout");
    let vir = u_flat.t().dot(&t_flat);

    let nmo = scf.mo_coeff.ncols();
    let n_occ = scf.n_alpha;
    let mut rdm1 = Array2::<f64>::zeros((nmo, nmo));
    for i in 0..n_occ {
        rdm1[[i, i]] = 2.0;
    }
    let mut occ_block = rdm1.slice_mut(s![frozen_core..n_occ, frozen_core..n_occ]);
    occ_block -= &occ;
    occ_block -= &occ.t();
    let mut vir_block = rdm1.slice_mut(s![n_occ.., n_occ..]);
    vir_block += &vir;
    vir_block += &vir.t();
    Ok(rdm1)
}

/// `(ia|jb) = Σ_μνλσ C_μi C_νa C_λj C_σb (μν|λσ)` by quarter transformations, as `[i, a, j, b]`.
pub fn ovov_integrals(eri: &Array4<f64>, c_occ: ArrayView2<'_, f64>, c_vir: ArrayView2<'_, f64>) -> Array4<f64> {
    ovov_mixed(eri, c_occ, c_vir, c_occ, c_vir)
}

/// `(ia|jb)` with `i`, `a`, `j`, `b` from four (possibly different) coefficient blocks, as
/// `[i, a, j, b]`: the α–β integrals of UMP2. Shapes are the caller's (`nao` rows each).
pub fn ovov_mixed(
    eri: &Array4<f64>,
    c_i: ArrayView2<'_, f64>,
    c_a: ArrayView2<'_, f64>,
    c_j: ArrayView2<'_, f64>,
    c_b: ArrayView2<'_, f64>,
) -> Array4<f64> {
    let n = eri.shape()[0];
    let (ni, na, nj, nb) = (c_i.ncols(), c_a.ncols(), c_j.ncols(), c_b.ncols());
    let eri = eri.as_standard_layout();
    // (μ, νλσ) → (i, νλσ)
    let eri_matrix = eri.view().into_shape_with_order((n, n * n * n)).expect("standard layout reshapes");
    let step1 = c_i.t().dot(&eri_matrix);
    // For each i: (ν, λσ) → (a, λσ); then for each (i, a): (λ, σ) → (j, σ) → (j, b).
    let mut out = Array4::zeros((ni, na, nj, nb));
    for i in 0..ni {
        let block = step1.row(i).into_shape_with_order((n, n * n)).expect("contiguous row reshapes");
        let step2: Array2<f64> = c_a.t().dot(&block);
        for a in 0..na {
            let ls = step2.row(a).into_shape_with_order((n, n)).expect("contiguous row reshapes");
            let jb = c_j.t().dot(&ls).dot(&c_b);
            out.slice_mut(s![i, a, .., ..]).assign(&jb);
        }
    }
    out
}

fn result(scf: &ScfResult, opposite_spin: f64, same_spin: f64, frozen_core: usize) -> Mp2Result {
    let correlation_energy = opposite_spin + same_spin;
    Mp2Result {
        correlation_energy,
        total_energy: scf.energy + correlation_energy,
        opposite_spin,
        same_spin,
        frozen_core,
    }
}

/// Active occupied and virtual orbitals of one spin.
struct Spin<'a> {
    c_occ: ArrayView2<'a, f64>,
    c_vir: ArrayView2<'a, f64>,
    eps_occ: ArrayView1<'a, f64>,
    eps_vir: ArrayView1<'a, f64>,
}

impl<'a> Spin<'a> {
    fn new(c: &'a Array2<f64>, eps: &'a ndarray::Array1<f64>, frozen: usize, occupied: usize) -> Self {
        Spin {
            c_occ: c.slice(s![.., frozen..occupied]),
            c_vir: c.slice(s![.., occupied..]),
            eps_occ: eps.slice(s![frozen..occupied]),
            eps_vir: eps.slice(s![occupied..]),
        }
    }
}

/// The `(ia|jb)` block and orbital energies of an RHF reference.
struct RestrictedBlock<'a> {
    ovov: Array4<f64>,
    eps_occ: ArrayView1<'a, f64>,
    eps_vir: ArrayView1<'a, f64>,
}

impl<'a> RestrictedBlock<'a> {
    fn new(integrals: &AoIntegrals, scf: &'a ScfResult, frozen_core: usize) -> Result<Self, Mp2Error> {
        // A closed-shell ROHF solution is the RHF one (the effective Fock operator is then F).
        if scf.n_alpha != scf.n_beta || scf.beta.is_some() {
            return Err(Mp2Error::NotRhf);
        }
        if frozen_core > scf.n_alpha {
            return Err(Mp2Error::TooManyFrozen { frozen: frozen_core, occupied: scf.n_alpha });
        }
        let spin = Spin::new(&scf.mo_coeff, &scf.mo_energy, frozen_core, scf.n_alpha);
        let ovov = ovov_integrals(&integrals.eri, spin.c_occ, spin.c_vir);
        Ok(RestrictedBlock { ovov, eps_occ: spin.eps_occ, eps_vir: spin.eps_vir })
    }

    fn denominator(&self, i: usize, j: usize, a: usize, b: usize) -> f64 {
        self.eps_occ[i] + self.eps_occ[j] - self.eps_vir[a] - self.eps_vir[b]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chem::scf::{run_scf_with, ScfOptions};
    use crate::chem::{AoBasis, Atom};

    fn water() -> (AoIntegrals, ScfResult, ScfResult) {
        let atoms = [
            Atom { z: 8, position: [0.0; 3] },
            Atom { z: 1, position: [0.0, 1.43, 1.1] },
            Atom { z: 1, position: [0.0, -1.43, 1.1] },
        ];
        let basis = AoBasis::new(&atoms, "6-31g").expect("defined");
        let ints = AoIntegrals::new(&basis);
        let options = ScfOptions::default();
        let rhf = run_scf_with(&basis, &ints, 0, 1, ScfMethod::Rhf, &options).expect("converges");
        let uhf = run_scf_with(&basis, &ints, 0, 1, ScfMethod::Uhf, &options).expect("converges");
        (ints, rhf, uhf)
    }

    #[test]
    fn ump2_of_a_closed_shell_is_rhf_mp2() {
        let (ints, rhf, uhf) = water();
        for frozen in [0, 1] {
            let restricted = mp2(&ints, &rhf, frozen).expect("RHF");
            for reference in [&rhf, &uhf] {
                let unrestricted = ump2(&ints, reference, frozen).expect("UHF");
                assert!((restricted.correlation_energy - unrestricted.correlation_energy).abs() < 1e-9);
                assert!((restricted.same_spin - unrestricted.same_spin).abs() < 1e-9);
            }
        }
        assert_eq!(mp2(&ints, &uhf, 0), Err(Mp2Error::NotRhf));
        assert_eq!(ump2(&ints, &rhf, 6), Err(Mp2Error::TooManyFrozen { frozen: 6, occupied: 5 }));
    }

    #[test]
    fn rdm1_is_symmetric_and_holds_every_electron() {
        let (ints, rhf, _) = water();
        let rdm1 = mp2_rdm1(&ints, &rhf, 1).expect("RHF");
        let trace: f64 = rdm1.diag().sum();
        assert!((trace - 10.0).abs() < 1e-10, "trace {trace}");
        assert!((&rdm1 - &rdm1.t()).iter().all(|d| d.abs() < 1e-12));
        assert_eq!(rdm1[[0, 0]], 2.0);
    }
}

//! The molecular-orbital quantities a closed-shell coupled-cluster calculation reads: the Fock
//! matrix and the blocks of `(pq|rs)` over correlated orbitals, occupied (`o`) and virtual (`v`).

use ndarray::{s, Array1, Array2, Array4, ArrayView1, ArrayView2, CowArray};

use super::contract::{gemm, parallelism, to_standard};
use super::CcError;
use crate::chem::integrals::AoIntegrals;
use crate::chem::scf::ScfResult;

/// Fock matrix and two-electron integrals over the correlated MOs of a closed-shell reference,
/// chemists' notation, real orbitals. Occupied indices `i, j, k, l`, virtual `a, b, c, d`, both
/// counted from the first correlated orbital of their kind.
#[derive(Clone, Debug, PartialEq)]
pub struct MoIntegrals {
    /// Correlated (not frozen) doubly occupied orbitals.
    pub n_occ: usize,
    /// Virtual orbitals.
    pub n_vir: usize,
    /// Lowest orbitals left out of the correlation treatment.
    pub frozen_core: usize,
    /// Reference (SCF) total energy, hartree.
    pub reference_energy: f64,
    /// `f_pq = Cᵀ F C` over the correlated orbitals, occupied first.
    pub fock: Array2<f64>,
    /// Diagonal of `fock` (the orbital energies for canonical orbitals).
    pub mo_energy: Array1<f64>,
    /// `oooo[i, j, k, l] = (ij|kl)`.
    pub oooo: Array4<f64>,
    /// `ovoo[i, a, j, k] = (ia|jk)`.
    pub ovoo: Array4<f64>,
    /// `ovov[i, a, j, b] = (ia|jb)`.
    pub ovov: Array4<f64>,
    /// `oovv[i, j, a, b] = (ij|ab)`.
    pub oovv: Array4<f64>,
    /// `ovvv[i, a, b, c] = (ia|bc)`.
    pub ovvv: Array4<f64>,
    /// `vvvv[a, b, c, d] = (ac|bd)`: physicists' order `⟨ab|cd⟩`, the layout the
    /// particle–particle ladder reads as one `(ab) × (cd)` matrix.
    pub vvvv: Array4<f64>,
}

impl MoIntegrals {
    /// Transforms `integrals` to the MOs of `scf`, leaving out the `frozen_core` lowest ones.
    ///
    /// Errors: [`CcError::OpenShell`] unless `n_alpha == n_beta`; [`CcError::NoCorrelatedOccupied`]
    /// if `frozen_core` leaves no occupied orbital; [`CcError::NoVirtual`] if every MO is occupied.
    pub fn new(integrals: &AoIntegrals, scf: &ScfResult, frozen_core: usize) -> Result<Self, CcError> {
        // A closed-shell ROHF solution is the RHF one (its effective Fock operator is F).
        if scf.n_alpha != scf.n_beta {
            return Err(CcError::OpenShell { n_alpha: scf.n_alpha, n_beta: scf.n_beta });
        }
        let occupied = scf.n_alpha;
        if frozen_core >= occupied {
            return Err(CcError::NoCorrelatedOccupied { frozen: frozen_core, occupied });
        }
        let n_mo = scf.mo_coeff.ncols();
        if n_mo <= occupied {
            return Err(CcError::NoVirtual { orbitals: n_mo, occupied });
        }
        let c = scf.mo_coeff.slice(s![.., frozen_core..]);
        let fock = c.t().dot(&scf.fock).dot(&c);
        let mo_energy = fock.diag().to_owned();
        let (o, m) = (occupied - frozen_core, n_mo - frozen_core);
        let mo = ao_to_mo(&integrals.eri, c);
        let block = |p: std::ops::Range<usize>,
                     q: std::ops::Range<usize>,
                     r: std::ops::Range<usize>,
                     t: std::ops::Range<usize>| { mo.slice(s![p, q, r, t]).to_owned() };
        Ok(MoIntegrals {
            n_occ: o,
            n_vir: m - o,
            frozen_core,
            reference_energy: scf.energy,
            fock,
            mo_energy,
            oooo: block(0..o, 0..o, 0..o, 0..o),
            ovoo: block(0..o, o..m, 0..o, 0..o),
            ovov: block(0..o, o..m, 0..o, o..m),
            oovv: block(0..o, 0..o, o..m, o..m),
            ovvv: block(0..o, o..m, o..m, o..m),
            vvvv: to_standard(mo.slice(s![o..m, o..m, o..m, o..m]).permuted_axes([0, 2, 1, 3])),
        })
    }

    /// Occupied–virtual block of the Fock matrix, `f[i, a]`.
    pub fn fock_ov(&self) -> ArrayView2<'_, f64> {
        self.fock.slice(s![..self.n_occ, self.n_occ..])
    }

    /// Occupied orbital energies.
    pub fn occupied_energies(&self) -> ArrayView1<'_, f64> {
        self.mo_energy.slice(s![..self.n_occ])
    }

    /// Virtual orbital energies.
    pub fn virtual_energies(&self) -> ArrayView1<'_, f64> {
        self.mo_energy.slice(s![self.n_occ..])
    }
}

/// `(pq|rs) = Σ C_μp C_νq C_λr C_σs (μν|λσ)` over all columns of `c`, by four quarter
/// transformations, each one matrix product over the last index followed by moving the new index
/// to the front: `[μνλσ] → [sμνλ] → [rsμν] → [qrsμ] → [pqrs]`.
fn ao_to_mo(eri: &Array4<f64>, c: ArrayView2<'_, f64>) -> Array4<f64> {
    let m = c.ncols();
    let c = c.as_standard_layout();
    let c = c.as_slice().expect("standard layout");
    let mut x = eri.as_standard_layout();
    for _ in 0..4 {
        let (d0, d1, d2, d3) = x.dim();
        let mut y = Array4::<f64>::zeros((d0, d1, d2, m));
        gemm(
            x.as_slice().expect("standard layout"),
            c,
            y.as_slice_mut().expect("fresh array"),
            (d0 * d1 * d2, d3, m),
            false,
            parallelism(d0 * d1 * d2, d3, m),
        );
        x = CowArray::from(to_standard(y.view().permuted_axes([3, 0, 1, 2])));
    }
    x.into_owned()
}

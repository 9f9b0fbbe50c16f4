//! One-particle properties of a CASCI state in the AO basis: its density matrix, natural
//! orbitals and dipole moment, as PySCF's `mc.make_rdm1()`, `mc.cas_natorb()` and
//! `scf.hf.dip_moment(mol, mc.make_rdm1())` give them.
//!
//! ```text
//! P        = 2 C_core C_coreᵀ + C_act γ C_actᵀ          γ the spin-summed active 1-RDM
//! γ        = U diag(n) Uᵀ,   n descending              active natural occupations
//! μ        = Σ_A Z_A (R_A − O) − Tr(P r_O)              r_O the dipole integrals about O
//! ```
//!
//! Failure contract: inconsistent shapes and non-finite input are [`ActiveError`]s, never panics.

use ndarray::{Array1, Array2, Axis};

use super::active::{ActiveError, ActiveSpace};
use super::properties::{dipole_moment, natural_orbitals};
use super::Atom;

/// The CASCI density matrix in the AO basis, `P = 2 C_core C_coreᵀ + C_act γ C_actᵀ`.
///
/// Failure contract: as [`check`].
pub fn casci_ao_density(
    mo_coeff: &Array2<f64>,
    space: &ActiveSpace,
    rdm1: &Array2<f64>,
) -> Result<Array2<f64>, ActiveError> {
    check(mo_coeff, space, rdm1)?;
    let c_core = mo_coeff.select(Axis(1), &space.core);
    let c_act = mo_coeff.select(Axis(1), &space.active);
    Ok(c_core.dot(&c_core.t()) * 2.0 + c_act.dot(rdm1).dot(&c_act.t()))
}

/// All orbitals of a CASCI with occupations, as PySCF's `mc.cas_natorb()` orders them when the
/// core and active MOs are contiguous: the core MOs (occupation 2), the active natural orbitals
/// (occupations descending, from [`natural_orbitals`]), then every other MO (occupation 0) in
/// index order. Core and virtual MOs are kept as they are. Active natural orbitals of equal
/// occupation are defined only up to a rotation among themselves.
///
/// Returns (occupations, AO × MO coefficients).
///
/// Failure contract: as [`check`]; [`ActiveError::Eigen`] if the eigensolver fails.
pub fn casci_natural_orbitals(
    mo_coeff: &Array2<f64>,
    space: &ActiveSpace,
    rdm1: &Array2<f64>,
) -> Result<(Array1<f64>, Array2<f64>), ActiveError> {
    check(mo_coeff, space, rdm1)?;
    let c_act = mo_coeff.select(Axis(1), &space.active);
    let (active_occupations, active_orbitals) =
        natural_orbitals(rdm1, &c_act).map_err(|e| ActiveError::Eigen { detail: e.to_string() })?;
    let rest: Vec<usize> =
        (0..mo_coeff.ncols()).filter(|i| !space.core.contains(i) && !space.active.contains(i)).collect();
    let core = mo_coeff.select(Axis(1), &space.core);
    let virtuals = mo_coeff.select(Axis(1), &rest);
    let coefficients = ndarray::concatenate(Axis(1), &[core.view(), active_orbitals.view(), virtuals.view()])
        .expect("row counts agree by construction");
    let occupations = std::iter::repeat_n(2.0, space.core.len())
        .chain(active_occupations.iter().copied())
        .chain(std::iter::repeat_n(0.0, rest.len()))
        .collect();
    Ok((occupations, coefficients))
}

/// The CASCI dipole moment (atomic units, e·bohr) about `origin`: nuclear − Tr(P r) with `P`
/// from [`casci_ao_density`] and `dipole_integrals` the matrices of `r − origin`
/// (`integrals::dipole::dipole(basis, origin)`), as PySCF's
/// `scf.hf.dip_moment(mol, mc.make_rdm1(), unit="AU", origin=origin)`.
///
/// Failure contract: as [`check`]; [`ActiveError::Shape`] when the dipole matrices are not
/// AO × AO for `mo_coeff`.
pub fn casci_dipole(
    mo_coeff: &Array2<f64>,
    space: &ActiveSpace,
    rdm1: &Array2<f64>,
    dipole_integrals: &[Array2<f64>; 3],
    atoms: &[Atom],
    origin: [f64; 3],
) -> Result<[f64; 3], ActiveError> {
    let nao = mo_coeff.nrows();
    if dipole_integrals.iter().any(|m| m.dim() != (nao, nao)) {
        return Err(ActiveError::Shape {
            detail: format!("dipole integrals {:?} for {nao} AOs", dipole_integrals[0].dim()),
        });
    }
    let density = casci_ao_density(mo_coeff, space, rdm1)?;
    Ok(dipole_moment(atoms, &density, dipole_integrals, origin))
}

/// Checks that `rdm1` is n_active × n_active and `space` fits `mo_coeff`.
///
/// Failure contract: [`ActiveError::Shape`] for a wrong 1-RDM shape, the errors of
/// [`ActiveSpace::validate`] otherwise, [`ActiveError::NonFinite`] for NaN or infinity.
fn check(mo_coeff: &Array2<f64>, space: &ActiveSpace, rdm1: &Array2<f64>) -> Result<(), ActiveError> {
    space.validate(mo_coeff.ncols())?;
    let m = space.active.len();
    if rdm1.dim() != (m, m) {
        return Err(ActiveError::Shape { detail: format!("1-RDM is {:?} for {m} active orbitals", rdm1.dim()) });
    }
    if !rdm1.iter().chain(mo_coeff.iter()).all(|v| v.is_finite()) {
        return Err(ActiveError::NonFinite { what: "1-RDM or MO coefficients" });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn density_orbitals_and_dipole_of_a_small_space() {
        // Orthonormal MOs = AOs; core 0, active 2 and 1 (in that order), virtual 3.
        let c = Array2::<f64>::eye(4);
        let space = ActiveSpace { core: vec![0], active: vec![2, 1], n_alpha: 1, n_beta: 1 };
        let gamma = ndarray::arr2(&[[1.8, 0.2], [0.2, 0.2]]);
        let p = casci_ao_density(&c, &space, &gamma).expect("valid");
        assert_eq!(p[[0, 0]], 2.0);
        assert_eq!((p[[2, 2]], p[[1, 1]], p[[1, 2]], p[[3, 3]]), (1.8, 0.2, 0.2, 0.0));
        let (occupations, orbitals) = casci_natural_orbitals(&c, &space, &gamma).expect("valid");
        assert_eq!(orbitals.dim(), (4, 4));
        assert_eq!((occupations[0], occupations[3]), (2.0, 0.0));
        assert_eq!(
            (orbitals.column(0).to_vec(), orbitals.column(3).to_vec()),
            (vec![1.0, 0.0, 0.0, 0.0], vec![0.0, 0.0, 0.0, 1.0])
        );
        assert!(occupations[1] > 1.8 && occupations[1] > occupations[2] && (occupations.sum() - 4.0).abs() < 1e-12);
        // The natural orbitals reproduce P.
        let back = orbitals.dot(&Array2::from_diag(&occupations)).dot(&orbitals.t());
        assert!((&back - &p).iter().all(|v| v.abs() < 1e-12));
        // One proton at z = 1 and the density's z-moment: μ_z = 1 − Σ P_ij z_ij.
        let z = Array2::from_diag(&ndarray::arr1(&[0.0, 0.5, 1.0, 2.0]));
        let zero = Array2::<f64>::zeros((4, 4));
        let atoms = [Atom { z: 1, position: [0.0, 0.0, 1.0] }];
        let mu = casci_dipole(&c, &space, &gamma, &[zero.clone(), zero.clone(), z], &atoms, [0.0; 3]).expect("valid");
        assert!((mu[2] - (1.0 - (0.2 * 0.5 + 1.8))).abs() < 1e-14 && mu[0] == 0.0);
        assert!(matches!(casci_ao_density(&c, &space, &Array2::eye(3)), Err(ActiveError::Shape { .. })));
        let short = [zero.clone(), zero, Array2::zeros((3, 3))];
        assert!(matches!(casci_dipole(&c, &space, &gamma, &short, &atoms, [0.0; 3]), Err(ActiveError::Shape { .. })));
        let mut nan = gamma.clone();
        nan[[0, 0]] = f64::NAN;
        assert!(matches!(casci_natural_orbitals(&c, &space, &nan), Err(ActiveError::NonFinite { .. })));
    }
}

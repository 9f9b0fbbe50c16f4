//! One-electron properties of a density: the dipole moment, Mulliken populations, and natural
//! orbitals of a one-particle density matrix.
//!
//! ```text
//! μ = Σ_A Z_A (R_A − O) − Tr[P (r − O)]                 (PySCF's mf.dip_moment(unit='AU'))
//! q_μ = (P S)_μμ,   Q_A = Z_A − Σ_{μ ∈ A} q_μ           (PySCF's mf.mulliken_pop())
//! γ U = U n,  C_NO = C U,  n descending                  (natural orbitals)
//! ```
//!
//! Densities are total (`Pα + Pβ`) AO densities; atomic units throughout. The dipole integrals
//! are an input (`integrals::dipole(basis, origin)`, PySCF's `int1e_r` after
//! `mol.set_common_orig(origin)`), so a caller computes them once per geometry.
//!
//! Failure contract: shapes are the caller's (every matrix `nao × nao`; a mismatch panics on
//! indexing, a programming error); [`natural_orbitals`] reports an eigensolver failure as
//! [`ScfError::Eigensolver`].

use ndarray::{Array1, Array2, Axis};

use super::basis::AoBasis;
use super::scf::{eigh, fix_orbital_signs, ScfError};
use super::Atom;

/// The dipole moment (atomic units, e·bohr) of nuclei `atoms` and electrons of total AO density
/// `density` about `origin`; `dipole_integrals` must be `⟨μ|r − origin|ν⟩` for the same origin.
/// For a charged molecule the result depends on the origin, as in PySCF.
pub fn dipole_moment(
    atoms: &[Atom],
    density: &Array2<f64>,
    dipole_integrals: &[Array2<f64>; 3],
    origin: [f64; 3],
) -> [f64; 3] {
    std::array::from_fn(|x| {
        let nuclear: f64 = atoms.iter().map(|a| f64::from(a.z) * (a.position[x] - origin[x])).sum();
        let electronic: f64 = density.iter().zip(dipole_integrals[x].iter()).map(|(p, r)| p * r).sum();
        nuclear - electronic
    })
}

/// Mulliken analysis of a total AO density.
#[derive(Clone, Debug, PartialEq)]
pub struct Mulliken {
    /// Gross population of each AO, `(P S)_μμ`; they sum to the electron count.
    pub ao_populations: Array1<f64>,
    /// Charge of each atom, `Z_A − Σ_{μ ∈ A} q_μ`.
    pub atomic_charges: Array1<f64>,
}

/// Mulliken populations and charges (PySCF's `mf.mulliken_pop()`) of the total AO density
/// `density` over the overlap `overlap` of `basis`.
pub fn mulliken(basis: &AoBasis, density: &Array2<f64>, overlap: &Array2<f64>) -> Mulliken {
    let ao_populations = Array1::from_shape_fn(basis.nao, |mu| density.row(mu).dot(&overlap.column(mu)));
    let mut atomic_charges: Array1<f64> = basis.atoms.iter().map(|a| f64::from(a.z)).collect();
    for (mu, atom) in basis.ao_atoms().into_iter().enumerate() {
        atomic_charges[atom] -= ao_populations[mu];
    }
    Mulliken { ao_populations, atomic_charges }
}

/// Natural orbitals of a one-particle density matrix `rdm1_mo` given over the orbitals
/// `mo_coeff` (`nao × nmo` columns; `rdm1_mo` is `nmo × nmo`, symmetric): the occupation numbers
/// in descending order, and the natural orbitals as AO coefficients (`nao × nmo`, one per
/// column, in the MO sign convention of [`fix_orbital_signs`]).
///
/// Failure contract: [`ScfError::Eigensolver`] if the eigensolver fails (not expected for finite
/// input).
pub fn natural_orbitals(rdm1_mo: &Array2<f64>, mo_coeff: &Array2<f64>) -> Result<(Array1<f64>, Array2<f64>), ScfError> {
    let (values, vectors) = eigh(rdm1_mo.view())?;
    let occupations = values.slice(ndarray::s![..;-1]).to_owned();
    let mut orbitals = mo_coeff.dot(&vectors);
    orbitals.invert_axis(Axis(1));
    let mut orbitals = orbitals.as_standard_layout().into_owned();
    fix_orbital_signs(&mut orbitals);
    Ok((occupations, orbitals))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chem::integrals::{dipole, AoIntegrals};
    use crate::chem::scf::{run_scf, ScfOptions};

    #[test]
    fn natural_orbitals_of_a_hartree_fock_density_are_its_orbitals() {
        let rdm1 = Array2::from_diag(&ndarray::array![0.0, 2.0, 1.0]);
        let c = ndarray::array![[1.0, 0.0, 0.0], [0.0, -1.0, 0.0], [0.0, 0.0, 1.0]];
        let (n, no) = natural_orbitals(&rdm1, &c).expect("diagonalises");
        assert_eq!(n.to_vec(), vec![2.0, 1.0, 0.0]);
        assert_eq!(no, ndarray::array![[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]);
    }

    /// Populations sum to the electron count, charges to the molecular charge; a neutral
    /// molecule's dipole does not depend on the origin.
    #[test]
    fn populations_and_origin_independence() {
        let atoms = [
            Atom { z: 8, position: [0.1, 0.0, 0.0] },
            Atom { z: 1, position: [0.0, 1.43, 1.1] },
            Atom { z: 1, position: [0.0, -1.5, 1.1] },
        ];
        let basis = AoBasis::new(&atoms, "sto-3g").expect("defined");
        let ints = AoIntegrals::new(&basis);
        let scf = run_scf(&basis, &ints, 0, 1, &ScfOptions::default()).expect("converges");
        let m = mulliken(&basis, &scf.density, &ints.overlap);
        assert!((m.ao_populations.sum() - 10.0).abs() < 1e-10);
        assert!(m.atomic_charges.sum().abs() < 1e-10 && m.atomic_charges[0] < 0.0);
        let origin = [0.3, -1.0, 2.0];
        let at_zero = dipole_moment(&atoms, &scf.density, &dipole(&basis, [0.0; 3]), [0.0; 3]);
        let shifted = dipole_moment(&atoms, &scf.density, &dipole(&basis, origin), origin);
        for x in 0..3 {
            assert!((at_zero[x] - shifted[x]).abs() < 1e-9, "{at_zero:?} vs {shifted:?}");
        }
    }
}

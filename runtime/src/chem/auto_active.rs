//! Automatic active spaces from RHF-MP2 natural orbitals (Jensen, Jørgensen, Ågren, Olsen,
//! J. Chem. Phys. 88, 3834 (1988)): the unrelaxed MP2 one-particle density is diagonalised,
//! natural orbitals whose occupation lies in `[low, high]` are active, those above `high` doubly
//! occupied, those below `low` empty; the CASCI then runs in the natural-orbital basis.
//!
//! ```text
//! γ^MP2 = U diag(n) Uᵀ,  n₀ ≥ n₁ ≥ …        natural orbitals C_NO = C U
//! core   = { i : n_i > high }             active = { i : low ≤ n_i ≤ high }
//! N_act  = N − 2 |core|
//! ```
//!
//! With more than `max_orbitals` candidates the window is narrowed from whichever end is closer
//! to a whole occupation (the top orbital joins the core when 2 − n_top ≤ n_bottom, otherwise the
//! bottom one is left empty), so the active orbitals stay contiguous in occupation order and are
//! the most fractionally occupied ones. PySCF does the same with `mp.MP2(mf).make_rdm1()`,
//! `numpy.linalg.eigh` and `mcscf.CASCI(mf, ncas, nelecas)` on `mo_coeff = C_NO`
//! (`runtime/tests/golden/active/make_golden_casci.py`).
//!
//! Natural orbitals of (nearly) equal occupation are defined only up to a rotation among
//! themselves; energies are invariant to it when the whole degenerate set is on one side of each
//! cut, orbitals are not. A cut through a degenerate set is not detected.

use std::fmt;

use ndarray::{Array1, Array2};

use super::active::{ActiveError, ActiveSpace};
use super::integrals::AoIntegrals;
use super::mp2::{mp2_rdm1, Mp2Error};
use super::properties::natural_orbitals;
use super::scf::{ScfError, ScfResult};

/// Default lower occupation bound of an active natural orbital.
pub const DEFAULT_LOW_OCCUPATION: f64 = 0.02;
/// Default upper occupation bound of an active natural orbital.
pub const DEFAULT_HIGH_OCCUPATION: f64 = 1.98;

/// An active space chosen from natural-orbital occupations, with the orbitals it refers to.
#[derive(Clone, Debug, PartialEq)]
pub struct NaturalOrbitalSpace {
    /// Natural orbitals (AO × MO), occupation descending: the `mo_coeff` to build the active
    /// Hamiltonian with.
    pub mo_coeff: Array2<f64>,
    /// MP2 natural occupations, descending; they sum to the electron count.
    pub occupations: Array1<f64>,
    /// Indices into the columns of `mo_coeff`: core `0..k`, active `k..k + m`.
    pub space: ActiveSpace,
}

/// Why no natural-orbital active space was chosen.
#[derive(Clone, Debug, PartialEq)]
pub enum NaturalOrbitalError {
    /// The bounds are not `0 ≤ low ≤ high ≤ 2`, or not finite; or `max_orbitals` is 0.
    Bounds { low: f64, high: f64, max_orbitals: usize },
    /// MP2 could not run (open shell, too many frozen orbitals).
    Mp2(Mp2Error),
    /// Diagonalising the MP2 density failed.
    Eigen(ScfError),
    /// No occupation lies within the bounds, or the chosen electrons do not fit the orbitals.
    Space(ActiveError),
}

impl fmt::Display for NaturalOrbitalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NaturalOrbitalError::Bounds { low, high, max_orbitals } => write!(
                f,
                "natural-orbital selection needs 0 ≤ low ≤ high ≤ 2 and at least one orbital \
                 (low {low}, high {high}, max_orbitals {max_orbitals})"
            ),
            NaturalOrbitalError::Mp2(e) => write!(f, "natural-orbital selection: {e}"),
            NaturalOrbitalError::Eigen(e) => write!(f, "natural-orbital selection: {e}"),
            NaturalOrbitalError::Space(e) => write!(f, "natural-orbital selection: {e}"),
        }
    }
}

impl std::error::Error for NaturalOrbitalError {}

/// The RHF-MP2 natural-orbital active space (see the module documentation) with `frozen_core`
/// orbitals frozen in MP2 (they come out doubly occupied, hence core). `integrals` must be those
/// `scf` was solved with.
///
/// Failure contract: [`NaturalOrbitalError::Bounds`] for bad bounds; [`NaturalOrbitalError::Mp2`]
/// for an open-shell reference or too many frozen orbitals; [`NaturalOrbitalError::Space`] when
/// no occupation lies within the bounds; [`NaturalOrbitalError::Eigen`] if the eigensolver fails.
pub fn mp2_natural_orbital_space(
    integrals: &AoIntegrals,
    scf: &ScfResult,
    frozen_core: usize,
    low: f64,
    high: f64,
    max_orbitals: usize,
) -> Result<NaturalOrbitalSpace, NaturalOrbitalError> {
    if !(low.is_finite() && high.is_finite() && 0.0 <= low && low <= high && high <= 2.0 && max_orbitals > 0) {
        return Err(NaturalOrbitalError::Bounds { low, high, max_orbitals });
    }
    let rdm1 = mp2_rdm1(integrals, scf, frozen_core).map_err(NaturalOrbitalError::Mp2)?;
    let (occupations, mo_coeff) = natural_orbitals(&rdm1, &scf.mo_coeff).map_err(NaturalOrbitalError::Eigen)?;
    let occupations: Array1<f64> = occupations.iter().copied().collect();
    let (n_core, n_active) = select_by_occupation(occupations.as_slice().expect("collected"), low, high, max_orbitals);
    let n_electrons = scf.n_alpha + scf.n_beta;
    let space = if n_active == 0 {
        Err(ActiveError::Index { detail: format!("no natural occupation within [{low}, {high}]") })
    } else {
        ActiveSpace::around_fermi_level(
            mo_coeff.ncols(),
            scf.n_alpha,
            scf.n_beta,
            n_electrons.saturating_sub(2 * n_core),
            n_active,
        )
    }
    .map_err(NaturalOrbitalError::Space)?;
    Ok(NaturalOrbitalSpace { mo_coeff, occupations, space })
}

/// (core count, active count) for occupations sorted descending: see the module documentation.
fn select_by_occupation(occupations: &[f64], low: f64, high: f64, max_orbitals: usize) -> (usize, usize) {
    let mut first = occupations.iter().take_while(|&&n| n > high).count();
    let mut end = first + occupations[first..].iter().take_while(|&&n| n >= low).count();
    while end - first > max_orbitals {
        if 2.0 - occupations[first] <= occupations[end - 1] {
            first += 1;
        } else {
            end -= 1;
        }
    }
    (first, end - first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_by_occupation_and_narrowing() {
        let n = [2.0, 1.999, 1.96, 1.9, 0.1, 0.03, 0.01, 0.0];
        assert_eq!(select_by_occupation(&n, 0.02, 1.98, 10), (2, 4));
        // Narrowed: 0.03 (closest to 0) goes first, then 1.96 (2 − 1.96 = 0.04 ≤ 0.1).
        assert_eq!(select_by_occupation(&n, 0.02, 1.98, 3), (2, 3));
        assert_eq!(select_by_occupation(&n, 0.02, 1.98, 2), (3, 2));
        assert_eq!(select_by_occupation(&n, 0.5, 1.5, 4), (4, 0));
        assert_eq!(select_by_occupation(&n, 0.0, 2.0, 100), (0, 8));
    }
}

//! Coupled cluster on a closed-shell (RHF) reference: CCSD and the perturbative triples `(T)`.
//!
//! ```text
//! AoIntegrals + ScfResult ─▶ MoIntegrals::new (frozen core) ─▶ ccsd ─▶ CcsdResult ─▶ triples_correction
//! ```
//!
//! - [`eris`]: the MO Fock matrix and the `oooo … vvvv` integral blocks.
//! - [`mod@ccsd`]: the spin-adapted CCSD equations (Hirata et al. 2004), Jacobi updates with DIIS.
//! - [`triples`]: `(T)` (Raghavachari et al. 1989; spin-adapted as Rendell, Lee & Komornicki 1991).
//! - [`contract`]: index-string contractions evaluated as matrix products (faer).
//! - [`diis`]: DIIS over amplitude vectors.
//!
//! Energies match PySCF's `cc.CCSD(mf, frozen=k)` and `ccsd_t()` to 1e-8 Eh at tight
//! convergence (`runtime/tests/cc_golden.rs`).

pub mod ccsd;
pub mod contract;
pub mod diis;
pub mod eris;
pub mod triples;

use std::fmt;

pub use ccsd::{ccsd, CcsdResult};
pub use eris::MoIntegrals;
pub use triples::triples_correction;

/// Convergence settings for [`ccsd`]; the defaults are PySCF's.
#[derive(Clone, Debug, PartialEq)]
pub struct CcsdOptions {
    /// Most amplitude updates before giving up (PySCF `max_cycle`).
    pub max_iterations: usize,
    /// Converged when the correlation energy changes by less than this (PySCF `conv_tol`), hartree …
    pub energy_tolerance: f64,
    /// … and the amplitude step is shorter than this (PySCF `conv_tol_normt`).
    pub amplitude_tolerance: f64,
    /// Number of amplitude vectors DIIS extrapolates over; 0 or 1 disables DIIS.
    pub diis_space: usize,
}

impl Default for CcsdOptions {
    fn default() -> Self {
        CcsdOptions { max_iterations: 50, energy_tolerance: 1e-7, amplitude_tolerance: 1e-5, diis_space: 6 }
    }
}

/// Why a coupled-cluster calculation produced no result.
#[derive(Clone, Debug, PartialEq)]
pub enum CcError {
    /// The reference is open-shell; these equations need `n_alpha == n_beta`.
    OpenShell { n_alpha: usize, n_beta: usize },
    /// Freezing `frozen` core orbitals leaves none of the `occupied` ones to correlate.
    NoCorrelatedOccupied { frozen: usize, occupied: usize },
    /// All `orbitals` MOs are occupied: there is nothing to excite into.
    NoVirtual { orbitals: usize, occupied: usize },
    /// The amplitude equations did not converge within `iterations` updates.
    NotConverged { iterations: usize, last_energy_change: f64, amplitude_change: f64 },
}

impl fmt::Display for CcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CcError::OpenShell { n_alpha, n_beta } => write!(
                f,
                "closed-shell coupled cluster needs an RHF reference, got {n_alpha} alpha and {n_beta} beta electrons"
            ),
            CcError::NoCorrelatedOccupied { frozen, occupied } => {
                write!(f, "freezing {frozen} core orbitals leaves none of the {occupied} occupied ones to correlate")
            }
            CcError::NoVirtual { orbitals, occupied } => {
                write!(f, "all {orbitals} orbitals are occupied ({occupied}): no virtual orbitals to excite into")
            }
            CcError::NotConverged { iterations, last_energy_change, amplitude_change } => write!(
                f,
                "CCSD did not converge in {iterations} iterations (last energy change {last_energy_change:.3e} Eh, \
                 amplitude step {amplitude_change:.3e})"
            ),
        }
    }
}

impl std::error::Error for CcError {}

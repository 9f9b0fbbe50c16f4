//! Electronic structure: AO basis, Gaussian integrals, Hartree–Fock and MP2, written after
//! PySCF's layout (one module per method, plain functions over `ndarray` arrays).
//!
//! ```text
//! atoms + basis name ─▶ basis::AoBasis ─▶ integrals::AoIntegrals ─▶ scf::rhf / scf::rohf ─▶ ScfResult ─▶ mp2::mp2
//! ```
//!
//! - [`basis`]: shells on atoms, normalised as PySCF does; AO order is PySCF's.
//! - [`integrals`]: S, T, V, (μν|λσ) by McMurchie–Davidson; the Boys function; E_nuc.
//! - [`scf`]: RHF, ROHF and UHF with DIIS, level shift and a retry ladder; the MO sign convention.
//! - [`mod@mp2`]: RHF-MP2 and UMP2 correlation energies; the RHF-MP2 one-particle density.
//! - [`properties`]: dipole moments, Mulliken populations, natural orbitals.
//! - [`active`]: active-space Hamiltonians; [`fci`]: exact diagonalisation within them.
//!
//! Units: bohr and hartree throughout. Numbers are checked against PySCF by
//! `runtime/tests/scf_golden.rs`, whose golden data `runtime/tests/golden/scf/make_golden.py`
//! regenerates.
//!
//! Failure contracts: user-reachable problems (a basis that lacks an element, an impossible
//! electron count, an SCF that does not converge) are typed errors, never panics. Panics are
//! reserved for programming errors and are documented where they can happen.

pub mod active;
pub mod auto_active;
pub mod basis;
pub mod casci;
pub mod cc;
pub mod fci;
pub mod fcidump;
pub mod integrals;
pub mod jk;
pub mod mp2;
pub mod properties;
pub mod scf;

pub use basis::{AoBasis, BasisError};
pub use cc::{ccsd, triples_correction, CcError, CcsdOptions, CcsdResult, MoIntegrals};
pub use integrals::AoIntegrals;
pub use mp2::{mp2, mp2_rdm1, ump2, Mp2Error, Mp2Result};
pub use properties::{dipole_moment, mulliken, natural_orbitals};
pub use scf::{
    electron_counts, rhf, rohf, run_scf, run_scf_with, uhf, Guess, ScfError, ScfMethod, ScfOptions, ScfResult,
};

/// A nucleus: atomic number and position in bohr.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Atom {
    pub z: u8,
    /// Cartesian position, bohr.
    pub position: [f64; 3],
}

impl From<(u8, [f64; 3])> for Atom {
    fn from((z, position): (u8, [f64; 3])) -> Self {
        Atom { z, position }
    }
}

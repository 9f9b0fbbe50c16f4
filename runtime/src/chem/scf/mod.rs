//! Hartree–Fock: restricted closed-shell (RHF), restricted open-shell (ROHF) and unrestricted
//! (UHF).
//!
//! Equations (Szabo & Ostlund, *Modern Quantum Chemistry* (1989), §3.4 and §3.8; Roothaan, Rev.
//! Mod. Phys. 23, 69 (1951) and 32, 179 (1960); Pople & Nesbet, J. Chem. Phys. 22, 571 (1954)),
//! with spin densities `Pα = C_α C_αᵀ`, `Pβ = C_β C_βᵀ` (occupied columns), `P = Pα + Pβ`:
//!
//! ```text
//! J[P]_μν = Σ_λσ (μν|λσ) P_λσ          K[P]_μν = Σ_λσ (μλ|νσ) P_λσ
//! Fα = h + J[P] − K[Pα]                Fβ = h + J[P] − K[Pβ]             (RHF: F = Fα = Fβ)
//! E  = ½ Tr[Pα (h + Fα)] + ½ Tr[Pβ (h + Fβ)] + E_nuc
//! F C = S C ε                          solved as (Xᵀ F X) C' = C' ε, C = X C', X = S^{−1/2}
//! ```
//!
//! UHF solves `Fα Cα = S Cα εα` and `Fβ Cβ = S Cβ εβ` separately (PySCF's `scf.UHF`). ROHF
//! diagonalises Roothaan's effective Fock operator in PySCF's canonicalisation
//! (`scf.rohf.get_roothaan_fock`): with `F_c = (Fα + Fβ)/2` and the projectors `p_c = Pβ S`
//! (doubly occupied), `p_o = (Pα − Pβ) S` (singly occupied), `p_v = 1 − Pα S` (virtual),
//! `F_eff = G + Gᵀ` with
//! `G = ½ p_cᵀ F_c p_c + ½ p_oᵀ F_c p_o + ½ p_vᵀ F_c p_v + p_oᵀ Fβ p_c + p_oᵀ Fα p_v + p_vᵀ F_c p_c`.
//! For a closed shell `F_eff = F`. Total energies do not depend on this choice; orbital energies of
//! open shells do.
//!
//! Iterations start from the [`Guess`] (by default the superposition of atomic densities, SAD)
//! and are accelerated by Pulay's DIIS on the Fock matrix with the error vector
//! `e = Xᵀ (F P S − S P F) X` (UHF: both spins' Fock matrices extrapolated together with the
//! stacked error `(eα, eβ)` built from `Pα`, `Pβ`). An optional level shift
//! ([`ScfOptions::level_shift`]) raises the virtual orbitals of the extrapolated Fock matrix during
//! the iterations only. Converged when `|ΔE| <` [`ScfOptions::energy_tolerance`] and
//! `max |e_ij| <` [`ScfOptions::error_tolerance`]. Orbitals and energies are then taken from one
//! last diagonalisation of the (unextrapolated, unshifted) Fock matrix of the converged density.
//! [`run_scf`] and [`run_scf_with`] retry a failed DIIS run with a level shift (see [`RETRY_LEVEL_SHIFT`]).
//!
//! **MO sign convention** (see [`fix_orbital_signs`]): in every MO, the coefficient of largest
//! magnitude is positive; among coefficients whose magnitudes are within [`SIGN_TOLERANCE`] of the
//! largest, the one with the lowest AO index decides. Hamiltonians built from these orbitals are
//! compared coefficient by coefficient with OpenFermion/PySCF under the same convention.
//! Degenerate MOs are determined only up to a rotation within their degenerate subspace, which no
//! sign convention fixes.
//!
//! Failure contract: impossible electron counts, a method that cannot describe the spin state, a
//! linearly dependent basis and non-convergence are [`ScfError`]s; nothing here panics on user
//! input.
//!
//! Submodules: `linalg` (eigensolver, orthogonalisation, sign convention), `guess` (SAD),
//! `diis`, `fock` (Fock builds, Roothaan operator, level shift), `iterate` (the SCF loop).

mod diis;
mod fock;
mod guess;
mod iterate;
mod linalg;

use std::fmt;

use ndarray::{Array1, Array2};

use super::basis::AoBasis;
use super::integrals::AoIntegrals;
use super::Atom;

pub use guess::atomic_guess;
pub use iterate::spin_square;
pub use linalg::{eigh, fix_orbital_signs, LINEAR_DEPENDENCE_THRESHOLD, SIGN_TOLERANCE};

/// The level shift (hartree) of the second attempt of [`run_scf`] / [`run_scf_with`] when
/// plain DIIS does not converge.
pub const RETRY_LEVEL_SHIFT: f64 = 0.3;

/// Convergence settings.
#[derive(Clone, Debug, PartialEq)]
pub struct ScfOptions {
    /// Most Fock builds before giving up.
    pub max_iterations: usize,
    /// Converged when the energy changes by less than this between iterations (hartree).
    pub energy_tolerance: f64,
    /// … and the largest element of the orthogonalised DIIS error `Xᵀ(FPS − SPF)X` is below this.
    pub error_tolerance: f64,
    /// Number of Fock/error pairs DIIS extrapolates over; 0 or 1 disables DIIS.
    pub diis_space: usize,
    /// Where the iterations start.
    pub guess: Guess,
    /// Level shift Δ (hartree, PySCF's `mf.level_shift`): during the iterations the virtual
    /// orbitals of the (extrapolated) Fock matrix are raised by Δ, `F + Δ (S − S D S)` with
    /// `D = P/2` (RHF, ROHF) or `Pσ` (UHF). The final orbitals and energies are unshifted.
    /// 0 (the default) disables it.
    pub level_shift: f64,
}

impl Default for ScfOptions {
    fn default() -> Self {
        ScfOptions {
            max_iterations: 100,
            energy_tolerance: 1e-10,
            error_tolerance: 1e-8,
            diis_space: 8,
            guess: Guess::Atomic,
            level_shift: 0.0,
        }
    }
}

/// The initial density.
#[derive(Clone, Debug, PartialEq)]
pub enum Guess {
    /// Superposition of atomic densities (SAD): spherically averaged, spin-restricted atomic
    /// Hartree–Fock densities of the neutral atoms, each in its own basis (PySCF's
    /// `init_guess='atom'`, see [`atomic_guess`]); split `Pα = Pβ = P/2`. Robust, and lands open
    /// shells in the usual ground state.
    Atomic,
    /// Orbitals of the core Hamiltonian `h`, occupied by aufbau.
    Core,
    /// A total AO density `P` (`nao × nao`), e.g. the previous point of a scan; split
    /// `Pα = Pβ = P/2`.
    Density(Array2<f64>),
}

/// Which Hartree–Fock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScfMethod {
    /// Restricted closed shell: one set of doubly occupied orbitals.
    Rhf,
    /// Restricted open shell: doubly and singly (α) occupied orbitals of one set.
    Rohf,
    /// Unrestricted: separate α and β orbitals.
    Uhf,
}

/// The β orbitals of an unrestricted solution.
#[derive(Clone, Debug, PartialEq)]
pub struct SpinOrbitals {
    /// Orbital energies, ascending.
    pub mo_energy: Array1<f64>,
    /// MO coefficients, `nao × nmo`, in the sign convention of the module.
    pub mo_coeff: Array2<f64>,
    /// Occupation numbers, 1 or 0.
    pub mo_occ: Array1<f64>,
    /// The Fock matrix of this spin at the converged density, AO basis.
    pub fock: Array2<f64>,
}

/// A converged SCF solution. For UHF, `mo_energy`, `mo_coeff`, `mo_occ` and `fock` are those of
/// the α spin and [`ScfResult::beta`] holds the β ones.
#[derive(Clone, Debug, PartialEq)]
pub struct ScfResult {
    pub method: ScfMethod,
    /// Total energy `E_elec + E_nuc`, hartree.
    pub energy: f64,
    /// Electronic energy, hartree.
    pub electronic_energy: f64,
    pub nuclear_repulsion: f64,
    /// Orbital energies, ascending (ROHF: eigenvalues of the effective Fock operator; UHF: α).
    pub mo_energy: Array1<f64>,
    /// MO coefficients, `nao × nmo`, one MO per column, in the sign convention of the module
    /// (UHF: α).
    pub mo_coeff: Array2<f64>,
    /// Occupation numbers: 2 (doubly), 1 (singly, α), 0 (UHF: α occupations, 1 or 0).
    pub mo_occ: Array1<f64>,
    /// Total AO density `P = Pα + Pβ` (PySCF's `make_rdm1`).
    pub density: Array2<f64>,
    pub density_alpha: Array2<f64>,
    pub density_beta: Array2<f64>,
    /// The Fock matrix of the converged density (ROHF: Roothaan's effective Fock; UHF: `Fα`), AO
    /// basis.
    pub fock: Array2<f64>,
    /// UHF only: the β orbitals, energies, occupations and Fock matrix.
    pub beta: Option<SpinOrbitals>,
    pub n_alpha: usize,
    pub n_beta: usize,
    /// `⟨S²⟩` of the determinant (PySCF's `mf.spin_square()[0]`): `S(S+1)` for RHF and ROHF,
    /// larger for a spin-contaminated UHF.
    pub spin_square: f64,
    /// Always true in an `Ok` result; kept so records can store it.
    pub converged: bool,
    /// Fock builds done (in the attempt that converged).
    pub iterations: usize,
    /// The level shift of the attempt that converged, hartree.
    pub level_shift: f64,
    /// Energy change of the last iteration.
    pub last_energy_change: f64,
    /// Largest element of the last DIIS error.
    pub last_error: f64,
}

/// Why an SCF produced no solution.
#[derive(Clone, Debug, PartialEq)]
pub enum ScfError {
    /// The molecule has no electrons, or the charge leaves a negative count.
    NoElectrons { electrons: i64 },
    /// The electron count and the multiplicity `2S + 1` do not fit (parity, or `2S > N`).
    MultiplicityMismatch { electrons: i64, multiplicity: u32 },
    /// RHF was asked for an open shell; use ROHF or UHF.
    OpenShell { n_alpha: usize, n_beta: usize },
    /// ROHF was asked for more β than α electrons (the convention is `n_alpha ≥ n_beta`).
    MoreBetaThanAlpha { n_alpha: usize, n_beta: usize },
    /// More occupied orbitals than basis functions.
    TooFewOrbitals { occupied: usize, nmo: usize },
    /// The overlap matrix is (nearly) singular.
    LinearDependence { smallest_eigenvalue: f64 },
    /// The symmetric eigensolver did not converge (not expected for finite input).
    Eigensolver,
    /// A [`Guess::Density`] of the wrong shape.
    GuessShape { expected: usize, rows: usize, cols: usize },
    /// The level-shifted iterations settled on a determinant whose occupied orbitals are not the
    /// lowest of its own (unshifted) Fock matrix: an excited state, not reported as a solution.
    NotAufbau { energy: f64, level_shift: f64 },
    /// No solution within the iteration limit. The energy is that of the last density;
    /// `iterations` counts the Fock builds of every attempt, `level_shift` is the last attempt's.
    NotConverged { iterations: usize, last_energy_change: f64, last_error: f64, energy: f64, level_shift: f64 },
}

impl fmt::Display for ScfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScfError::NoElectrons { electrons } => write!(f, "the molecule has {electrons} electrons"),
            ScfError::MultiplicityMismatch { electrons, multiplicity } => {
                write!(f, "{electrons} electrons cannot have multiplicity {multiplicity}")
            }
            ScfError::OpenShell { n_alpha, n_beta } => {
                write!(f, "RHF needs a closed shell, not {n_alpha} α and {n_beta} β electrons; use ROHF or UHF")
            }
            ScfError::MoreBetaThanAlpha { n_alpha, n_beta } => {
                write!(f, "ROHF needs at least as many α as β electrons, not {n_alpha} α and {n_beta} β")
            }
            ScfError::TooFewOrbitals { occupied, nmo } => {
                write!(f, "{occupied} occupied orbitals do not fit in {nmo} basis functions")
            }
            ScfError::LinearDependence { smallest_eigenvalue } => write!(
                f,
                "the basis is linearly dependent (smallest overlap eigenvalue {smallest_eigenvalue:.3e} below \
                 {LINEAR_DEPENDENCE_THRESHOLD:e})"
            ),
            ScfError::Eigensolver => write!(f, "the symmetric eigensolver did not converge"),
            ScfError::GuessShape { expected, rows, cols } => {
                write!(f, "the guess density is {rows} × {cols}, not {expected} × {expected}")
            }
            ScfError::NotAufbau { energy, level_shift } => write!(
                f,
                "the SCF with level shift {level_shift} Eh converged to a non-aufbau (excited) determinant at \
                 {energy:.10} Eh"
            ),
            ScfError::NotConverged { iterations, last_energy_change, last_error, energy, level_shift } => write!(
                f,
                "SCF not converged after {iterations} iterations (last energy change {last_energy_change:.3e} Eh, \
                 DIIS error {last_error:.3e}, energy {energy:.10} Eh, level shift {level_shift} Eh)"
            ),
        }
    }
}

impl std::error::Error for ScfError {}

/// `(n_alpha, n_beta)` for a molecule of `atoms` with `charge` and `multiplicity = 2S + 1`.
///
/// Failure contract: [`ScfError::NoElectrons`] for a count ≤ 0, [`ScfError::MultiplicityMismatch`]
/// when the multiplicity is 0, exceeds `N + 1`, or has the wrong parity.
pub fn electron_counts(atoms: &[Atom], charge: i32, multiplicity: u32) -> Result<(usize, usize), ScfError> {
    let electrons = atoms.iter().map(|a| i64::from(a.z)).sum::<i64>() - i64::from(charge);
    if electrons <= 0 {
        return Err(ScfError::NoElectrons { electrons });
    }
    let unpaired = i64::from(multiplicity) - 1;
    if multiplicity == 0 || unpaired > electrons || (electrons - unpaired) % 2 != 0 {
        return Err(ScfError::MultiplicityMismatch { electrons, multiplicity });
    }
    let n_beta = (electrons - unpaired) / 2;
    let n_alpha = n_beta + unpaired;
    // Both fit in usize: 0 ≤ n_beta ≤ n_alpha ≤ electrons ≤ 255 · atoms.
    Ok((n_alpha as usize, n_beta as usize))
}

/// RHF for singlets, ROHF otherwise: the SCF a `.qdf` molecule asks for, with the retry ladder
/// of [`run_scf_with`]. `integrals` must be those of `basis`.
///
/// Failure contract: as [`run_scf_with`].
pub fn run_scf(
    basis: &AoBasis,
    integrals: &AoIntegrals,
    charge: i32,
    multiplicity: u32,
    options: &ScfOptions,
) -> Result<ScfResult, ScfError> {
    let (n_alpha, n_beta) = electron_counts(&basis.atoms, charge, multiplicity)?;
    let method = if n_alpha == n_beta { ScfMethod::Rhf } else { ScfMethod::Rohf };
    run_scf_with(basis, integrals, charge, multiplicity, method, options)
}

/// The SCF of `method` for `charge` and `multiplicity`, with a retry ladder: first `options` as
/// given; if that does not converge and its level shift is below [`RETRY_LEVEL_SHIFT`], once more
/// from the same guess with that level shift. `integrals` must be those of `basis`.
///
/// Failure contract: the errors of [`electron_counts`]; [`ScfError::OpenShell`] for RHF with
/// `multiplicity > 1`; [`ScfError::NotConverged`] (iterations summed over the attempts) when no
/// attempt converges; [`ScfError::NotAufbau`] when the level-shifted attempt lands on an excited
/// determinant; the linear-algebra and guess errors of [`ScfError`].
pub fn run_scf_with(
    basis: &AoBasis,
    integrals: &AoIntegrals,
    charge: i32,
    multiplicity: u32,
    method: ScfMethod,
    options: &ScfOptions,
) -> Result<ScfResult, ScfError> {
    let (n_alpha, n_beta) = electron_counts(&basis.atoms, charge, multiplicity)?;
    let attempt = |options: &ScfOptions| match method {
        ScfMethod::Rhf if n_alpha != n_beta => Err(ScfError::OpenShell { n_alpha, n_beta }),
        ScfMethod::Rhf => rhf(basis, integrals, n_alpha + n_beta, options),
        ScfMethod::Rohf => rohf(basis, integrals, n_alpha, n_beta, options),
        ScfMethod::Uhf => uhf(basis, integrals, n_alpha, n_beta, options),
    };
    match attempt(options) {
        Err(ScfError::NotConverged { iterations, .. }) if options.level_shift < RETRY_LEVEL_SHIFT => {
            let shifted = ScfOptions { level_shift: RETRY_LEVEL_SHIFT, ..options.clone() };
            attempt(&shifted).map_err(|e| match e {
                ScfError::NotConverged { iterations: more, last_energy_change, last_error, energy, level_shift } => {
                    ScfError::NotConverged {
                        iterations: iterations + more,
                        last_energy_change,
                        last_error,
                        energy,
                        level_shift,
                    }
                }
                other => other,
            })
        }
        other => other,
    }
}

/// Restricted closed-shell Hartree–Fock for `n_electrons` (even) electrons. `integrals` must be
/// those of `basis` (the basis is needed for the atomic guess). One attempt, no retry.
///
/// Failure contract: [`ScfError::OpenShell`] for an odd count; otherwise as [`uhf`].
pub fn rhf(
    basis: &AoBasis,
    integrals: &AoIntegrals,
    n_electrons: usize,
    options: &ScfOptions,
) -> Result<ScfResult, ScfError> {
    if n_electrons % 2 != 0 {
        return Err(ScfError::OpenShell { n_alpha: n_electrons.div_ceil(2), n_beta: n_electrons / 2 });
    }
    iterate::solve(basis, integrals, n_electrons / 2, n_electrons / 2, ScfMethod::Rhf, options)
}

/// Restricted open-shell Hartree–Fock with `n_alpha ≥ n_beta` (a closed shell gives the RHF
/// solution, labelled ROHF). One attempt, no retry.
///
/// Failure contract: [`ScfError::MoreBetaThanAlpha`] for `n_alpha < n_beta`; otherwise as [`uhf`].
pub fn rohf(
    basis: &AoBasis,
    integrals: &AoIntegrals,
    n_alpha: usize,
    n_beta: usize,
    options: &ScfOptions,
) -> Result<ScfResult, ScfError> {
    if n_alpha < n_beta {
        return Err(ScfError::MoreBetaThanAlpha { n_alpha, n_beta });
    }
    iterate::solve(basis, integrals, n_alpha, n_beta, ScfMethod::Rohf, options)
}

/// Unrestricted Hartree–Fock (PySCF's `scf.UHF`) for `n_alpha` α and `n_beta` β electrons. From
/// the spin-symmetric guesses a closed shell stays at the RHF solution. One attempt, no retry.
///
/// Failure contract: [`ScfError::NoElectrons`], [`ScfError::TooFewOrbitals`],
/// [`ScfError::GuessShape`], [`ScfError::LinearDependence`], [`ScfError::Eigensolver`], and
/// [`ScfError::NotConverged`] after [`ScfOptions::max_iterations`] Fock builds, and, with a level
/// shift, [`ScfError::NotAufbau`].
pub fn uhf(
    basis: &AoBasis,
    integrals: &AoIntegrals,
    n_alpha: usize,
    n_beta: usize,
    options: &ScfOptions,
) -> Result<ScfResult, ScfError> {
    iterate::solve(basis, integrals, n_alpha, n_beta, ScfMethod::Uhf, options)
}

#[cfg(test)]
mod tests;

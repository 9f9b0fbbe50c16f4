//! Hartree–Fock: restricted closed-shell (RHF) and restricted open-shell (ROHF).
//!
//! Equations (Szabo & Ostlund, *Modern Quantum Chemistry* (1989), §3.4; Roothaan, Rev. Mod. Phys.
//! 23, 69 (1951) and 32, 179 (1960)), with spin densities `Pα = C_α C_αᵀ`, `Pβ = C_β C_βᵀ`
//! (occupied columns), `P = Pα + Pβ`:
//!
//! ```text
//! J[P]_μν = Σ_λσ (μν|λσ) P_λσ          K[P]_μν = Σ_λσ (μλ|νσ) P_λσ
//! Fα = h + J[P] − K[Pα]                Fβ = h + J[P] − K[Pβ]             (RHF: F = Fα = Fβ)
//! E  = ½ Tr[Pα (h + Fα)] + ½ Tr[Pβ (h + Fβ)] + E_nuc
//! F C = S C ε                          solved as (Xᵀ F X) C' = C' ε, C = X C', X = S^{−1/2}
//! ```
//!
//! ROHF diagonalises Roothaan's effective Fock operator in PySCF's canonicalisation
//! (`scf.rohf.get_roothaan_fock`): with `F_c = (Fα + Fβ)/2` and the projectors `p_c = Pβ S`
//! (doubly occupied), `p_o = (Pα − Pβ) S` (singly occupied), `p_v = 1 − Pα S` (virtual),
//! `F_eff = G + Gᵀ` with
//! `G = ½ p_cᵀ F_c p_c + ½ p_oᵀ F_c p_o + ½ p_vᵀ F_c p_v + p_oᵀ Fβ p_c + p_oᵀ Fα p_v + p_vᵀ F_c p_c`.
//! For a closed shell `F_eff = F`. Total energies do not depend on this choice; orbital energies of
//! open shells do.
//!
//! Iterations start from the core-Hamiltonian guess and are accelerated by Pulay's DIIS (Pulay,
//! Chem. Phys. Lett. 73, 393 (1980); J. Comput. Chem. 3, 556 (1982)) on the Fock matrix with the
//! error vector `e = Xᵀ (F P S − S P F) X`. Converged when `|ΔE| <` [`ScfOptions::energy_tolerance`]
//! and `max |e_ij| <` [`ScfOptions::error_tolerance`]. Orbitals and energies are then taken from
//! one last diagonalisation of the (unextrapolated) Fock matrix of the converged density.
//!
//! **MO sign convention** (see [`fix_orbital_signs`]): in every MO, the coefficient of largest
//! magnitude is positive; among coefficients whose magnitudes are within [`SIGN_TOLERANCE`] of the
//! largest, the one with the lowest AO index decides. Hamiltonians built from these orbitals are
//! compared coefficient by coefficient with OpenFermion/PySCF under the same convention.
//! Degenerate MOs are determined only up to a rotation within their degenerate subspace, which no
//! sign convention fixes.
//!
//! Failure contract: impossible electron counts, a linearly dependent basis and non-convergence
//! are [`ScfError`]s; nothing here panics on user input.

use std::fmt;

use faer::diag::Diag;
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::evd::{self_adjoint_evd, self_adjoint_evd_scratch, ComputeEigenvectors};
use faer::{Mat, Par};
use ndarray::{s, Array1, Array2, ArrayView2, Axis};

use super::basis::{AoBasis, Shell};
use super::integrals::AoIntegrals;
use super::jk::{coulomb, exchange};
use super::Atom;

/// Coefficients within this (absolute) distance of an MO's largest magnitude tie for deciding its
/// sign; the lowest AO index among them wins.
pub const SIGN_TOLERANCE: f64 = 1e-6;

/// Smallest overlap eigenvalue accepted for symmetric orthogonalisation.
pub const LINEAR_DEPENDENCE_THRESHOLD: f64 = 1e-10;

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
}

impl Default for ScfOptions {
    fn default() -> Self {
        ScfOptions {
            max_iterations: 100,
            energy_tolerance: 1e-10,
            error_tolerance: 1e-8,
            diis_space: 8,
            guess: Guess::Atomic,
        }
    }
}

/// The initial density.
#[derive(Clone, Debug, PartialEq)]
pub enum Guess {
    /// Superposition of spherically averaged atomic Hartree–Fock densities (PySCF's
    /// `init_guess='atom'`): robust, and lands open shells in the usual ground state.
    Atomic,
    /// Orbitals of the core Hamiltonian `h`, occupied by aufbau.
    Core,
    /// A total AO density `P` (`nao × nao`), e.g. the previous point of a scan; split
    /// `Pα = Pβ = P/2` for ROHF.
    Density(Array2<f64>),
}

/// Which Hartree–Fock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScfMethod {
    Rhf,
    Rohf,
}

/// A converged SCF solution.
#[derive(Clone, Debug, PartialEq)]
pub struct ScfResult {
    pub method: ScfMethod,
    /// Total energy `E_elec + E_nuc`, hartree.
    pub energy: f64,
    /// Electronic energy, hartree.
    pub electronic_energy: f64,
    pub nuclear_repulsion: f64,
    /// Orbital energies, ascending (ROHF: eigenvalues of the effective Fock operator).
    pub mo_energy: Array1<f64>,
    /// MO coefficients, `nao × nmo`, one MO per column, in the sign convention of the module.
    pub mo_coeff: Array2<f64>,
    /// Occupation numbers: 2 (doubly), 1 (singly, α), 0.
    pub mo_occ: Array1<f64>,
    /// Total AO density `P = Pα + Pβ` (PySCF's `make_rdm1`).
    pub density: Array2<f64>,
    pub density_alpha: Array2<f64>,
    pub density_beta: Array2<f64>,
    /// The Fock matrix of the converged density (ROHF: Roothaan's effective Fock), AO basis.
    pub fock: Array2<f64>,
    pub n_alpha: usize,
    pub n_beta: usize,
    /// Always true in an `Ok` result; kept so records can store it.
    pub converged: bool,
    /// Fock builds done.
    pub iterations: usize,
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
    /// RHF was asked for an open shell; use ROHF.
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
    /// No solution within the iteration limit. The energy is that of the last density.
    NotConverged { iterations: usize, last_energy_change: f64, last_error: f64, energy: f64 },
}

impl fmt::Display for ScfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScfError::NoElectrons { electrons } => write!(f, "the molecule has {electrons} electrons"),
            ScfError::MultiplicityMismatch { electrons, multiplicity } => {
                write!(f, "{electrons} electrons cannot have multiplicity {multiplicity}")
            }
            ScfError::OpenShell { n_alpha, n_beta } => {
                write!(f, "RHF needs a closed shell, not {n_alpha} α and {n_beta} β electrons; use ROHF")
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
            ScfError::NotConverged { iterations, last_energy_change, last_error, energy } => write!(
                f,
                "SCF not converged after {iterations} iterations (last energy change {last_energy_change:.3e} Eh, \
                 DIIS error {last_error:.3e}, energy {energy:.10} Eh)"
            ),
        }
    }
}

impl std::error::Error for ScfError {}

/// `(n_alpha, n_beta)` for a molecule of `atoms` with `charge` and `multiplicity = 2S + 1`.
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

/// RHF for singlets, ROHF otherwise: the SCF a `.qdf` molecule asks for. `integrals` must be
/// those of `basis`.
pub fn run_scf(
    basis: &AoBasis,
    integrals: &AoIntegrals,
    charge: i32,
    multiplicity: u32,
    options: &ScfOptions,
) -> Result<ScfResult, ScfError> {
    let (n_alpha, n_beta) = electron_counts(&basis.atoms, charge, multiplicity)?;
    if n_alpha == n_beta {
        rhf(basis, integrals, n_alpha + n_beta, options)
    } else {
        rohf(basis, integrals, n_alpha, n_beta, options)
    }
}

/// Restricted closed-shell Hartree–Fock for `n_electrons` (even) electrons. `integrals` must be
/// those of `basis` (the basis is needed for the atomic guess).
pub fn rhf(
    basis: &AoBasis,
    integrals: &AoIntegrals,
    n_electrons: usize,
    options: &ScfOptions,
) -> Result<ScfResult, ScfError> {
    if n_electrons % 2 != 0 {
        return Err(ScfError::OpenShell { n_alpha: n_electrons.div_ceil(2), n_beta: n_electrons / 2 });
    }
    scf(basis, integrals, n_electrons / 2, n_electrons / 2, ScfMethod::Rhf, options)
}

/// Restricted open-shell Hartree–Fock with `n_alpha ≥ n_beta` (a closed shell gives the RHF
/// solution, labelled ROHF).
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
    scf(basis, integrals, n_alpha, n_beta, ScfMethod::Rohf, options)
}

fn scf(
    basis: &AoBasis,
    ints: &AoIntegrals,
    n_alpha: usize,
    n_beta: usize,
    method: ScfMethod,
    options: &ScfOptions,
) -> Result<ScfResult, ScfError> {
    let nao = ints.nao;
    if n_alpha + n_beta == 0 {
        return Err(ScfError::NoElectrons { electrons: 0 });
    }
    if n_alpha > nao {
        return Err(ScfError::TooFewOrbitals { occupied: n_alpha, nmo: nao });
    }
    let s = &ints.overlap;
    let x = inverse_sqrt(s)?;
    let h = &ints.hcore;

    let (mut pa, mut pb) = match &options.guess {
        Guess::Core => {
            let (_, c) = diagonalise(h, &x)?;
            spin_densities(&c, n_alpha, n_beta)
        }
        Guess::Atomic => {
            let p = atomic_guess(basis)? * 0.5;
            (p.clone(), p)
        }
        Guess::Density(p) => {
            if p.dim() != (nao, nao) {
                return Err(ScfError::GuessShape { expected: nao, rows: p.nrows(), cols: p.ncols() });
            }
            let half = p * 0.5;
            (half.clone(), half)
        }
    };

    let mut diis = Diis::new(options.diis_space);
    let mut previous_energy = f64::NAN;
    let mut last_energy_change = f64::INFINITY;
    let mut last_error = f64::INFINITY;
    let mut energy = f64::NAN;
    for iteration in 1..=options.max_iterations {
        let fock = FockMatrices::new(ints, &pa, &pb);
        let electronic = fock.electronic_energy(h, &pa, &pb);
        energy = electronic + ints.nuclear_repulsion;
        let f_eff = match method {
            ScfMethod::Rhf => fock.alpha.clone(),
            ScfMethod::Rohf => roothaan_fock(&fock, &pa, &pb, s),
        };
        let p = &pa + &pb;
        let error = diis_error(&f_eff, &p, s, &x);
        last_error = error.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        last_energy_change = energy - previous_energy;
        previous_energy = energy;
        if iteration > 1 && last_energy_change.abs() < options.energy_tolerance && last_error < options.error_tolerance
        {
            let (mo_energy, mut mo_coeff) = diagonalise(&f_eff, &x)?;
            fix_orbital_signs(&mut mo_coeff);
            let (density_alpha, density_beta) = spin_densities(&mo_coeff, n_alpha, n_beta);
            let mo_occ = Array1::from_shape_fn(mo_coeff.ncols(), |i| {
                f64::from(u8::from(i < n_alpha)) + f64::from(u8::from(i < n_beta))
            });
            return Ok(ScfResult {
                method,
                energy,
                electronic_energy: electronic,
                nuclear_repulsion: ints.nuclear_repulsion,
                mo_energy,
                mo_coeff,
                mo_occ,
                density: &density_alpha + &density_beta,
                density_alpha,
                density_beta,
                fock: f_eff,
                n_alpha,
                n_beta,
                converged: true,
                iterations: iteration,
                last_energy_change,
                last_error,
            });
        }
        let f_next = diis.extrapolate(f_eff, error);
        let (_, c) = diagonalise(&f_next, &x)?;
        (pa, pb) = spin_densities(&c, n_alpha, n_beta);
    }
    Err(ScfError::NotConverged { iterations: options.max_iterations, last_energy_change, last_error, energy })
}

/// Superposition of atomic densities: the block-diagonal total density whose blocks are the
/// spherically averaged, spin-restricted Hartree–Fock densities of the neutral atoms in their own
/// basis (PySCF's `init_guess='atom'`, `scf.atom_hf`). Each element is solved once.
pub fn atomic_guess(basis: &AoBasis) -> Result<Array2<f64>, ScfError> {
    let mut p = Array2::zeros((basis.nao, basis.nao));
    let mut solved: Vec<(u8, Array2<f64>)> = Vec::new();
    for (index, atom) in basis.atoms.iter().enumerate() {
        let shells: Vec<&Shell> = basis.shells.iter().filter(|s| s.atom == index).collect();
        let Some(first) = shells.first() else { continue };
        let offset = first.ao_offset;
        let density = match solved.iter().find(|(z, _)| *z == atom.z) {
            Some((_, density)) => density.clone(),
            None => {
                let density = atomic_density(atom.z, &shells)?;
                solved.push((atom.z, density.clone()));
                density
            }
        };
        let n = density.nrows();
        p.slice_mut(s![offset..offset + n, offset..offset + n]).assign(&density);
    }
    Ok(p)
}

/// Electrons per angular momentum (s, p, d, f) of the neutral atom `z` by the Madelung
/// (aufbau) order, which is PySCF's `NRSRHF_CONFIGURATION` for every element with only s and p
/// valence shells.
fn electrons_per_l(z: u8) -> [u32; 4] {
    // (l, capacity) in Madelung order, up to 7p.
    const ORDER: [(usize, u32); 19] = [
        (0, 2),
        (0, 2),
        (1, 6),
        (0, 2),
        (1, 6),
        (0, 2),
        (2, 10),
        (1, 6),
        (0, 2),
        (2, 10),
        (1, 6),
        (0, 2),
        (3, 14),
        (2, 10),
        (1, 6),
        (0, 2),
        (3, 14),
        (2, 10),
        (1, 6),
    ];
    let mut left = u32::from(z);
    let mut out = [0; 4];
    for (l, capacity) in ORDER {
        let take = left.min(capacity);
        out[l] += take;
        left -= take;
    }
    out
}

/// Spherically averaged, spin-restricted atomic Hartree–Fock with fractional occupations: each
/// angular momentum's electrons fill its radial orbitals from the bottom, shared equally over
/// the `2l + 1` components, so the density stays spherical and the Fock matrix block-diagonal in
/// `(l, m)`. Returns the total density in the atom's AO order.
fn atomic_density(z: u8, shells: &[&Shell]) -> Result<Array2<f64>, ScfError> {
    let mut nao = 0;
    let mut atom_shells = Vec::with_capacity(shells.len());
    for shell in shells {
        atom_shells.push(Shell { atom: 0, center: [0.0; 3], ao_offset: nao, ..(*shell).clone() });
        nao += shell.ao_count();
    }
    let atom_basis =
        AoBasis { name: String::new(), atoms: vec![Atom { z, position: [0.0; 3] }], shells: atom_shells, nao };
    let ints = AoIntegrals::new(&atom_basis);
    let electrons = electrons_per_l(z);

    // Per angular momentum: the AO indices of each component m, radial function by radial function.
    let mut channels: Vec<(usize, Vec<Vec<usize>>)> = Vec::new();
    for l in 0..=3_u8 {
        let of_l: Vec<&Shell> = atom_basis.shells.iter().filter(|s| s.l == l).collect();
        if of_l.is_empty() {
            continue;
        }
        let components = (0..2 * usize::from(l) + 1).map(|m| of_l.iter().map(|s| s.ao_offset + m).collect()).collect();
        channels.push((usize::from(l), components));
    }

    let occupied_density = |f: &Array2<f64>| -> Result<Array2<f64>, ScfError> {
        let mut p = Array2::zeros((nao, nao));
        for (l, components) in &channels {
            let indices = &components[0];
            let block = |m: &Array2<f64>| {
                Array2::from_shape_fn((indices.len(), indices.len()), |(i, j)| m[[indices[i], indices[j]]])
            };
            let x = inverse_sqrt(&block(&ints.overlap))?;
            let (_, c) = diagonalise(&block(f), &x)?;
            let capacity = 2.0 * (2 * l + 1) as f64;
            let mut left = f64::from(electrons[*l]);
            for k in 0..c.ncols() {
                if left <= 0.0 {
                    break;
                }
                let occupation = left.min(capacity);
                left -= occupation;
                let per_component = occupation / (2 * l + 1) as f64;
                for component in components {
                    for (i, &mu) in component.iter().enumerate() {
                        for (j, &nu) in component.iter().enumerate() {
                            p[[mu, nu]] += per_component * c[[i, k]] * c[[j, k]];
                        }
                    }
                }
            }
        }
        Ok(p)
    };

    let mut p = occupied_density(&ints.hcore)?;
    let mut diis = Diis::new(8);
    let mut previous = f64::INFINITY;
    for _ in 0..100 {
        let f = &ints.hcore + &coulomb(&ints.eri, &p) - &(exchange(&ints.eri, &p) * 0.5);
        let energy = 0.5 * trace_product(&p, &(&ints.hcore + &f));
        if (energy - previous).abs() < 1e-10 {
            break;
        }
        previous = energy;
        let fps = f.dot(&p).dot(&ints.overlap);
        let error = &fps - &fps.t();
        p = occupied_density(&diis.extrapolate(f, error))?;
    }
    Ok(p)
}

/// `Fα`, `Fβ` of a pair of spin densities.
struct FockMatrices {
    alpha: Array2<f64>,
    beta: Array2<f64>,
}

impl FockMatrices {
    fn new(ints: &AoIntegrals, pa: &Array2<f64>, pb: &Array2<f64>) -> Self {
        let p = pa + pb;
        let j = coulomb(&ints.eri, &p);
        let hj = &ints.hcore + &j;
        let alpha = &hj - &exchange(&ints.eri, pa);
        // Closed shell: Pα = Pβ, so Kβ = Kα (the comparison is exact for densities built alike).
        let beta = if pa == pb { alpha.clone() } else { &hj - &exchange(&ints.eri, pb) };
        FockMatrices { alpha, beta }
    }

    /// `½ Tr[Pα (h + Fα)] + ½ Tr[Pβ (h + Fβ)]`.
    fn electronic_energy(&self, h: &Array2<f64>, pa: &Array2<f64>, pb: &Array2<f64>) -> f64 {
        0.5 * (trace_product(pa, &(h + &self.alpha)) + trace_product(pb, &(h + &self.beta)))
    }
}

/// `Tr[A B]` for symmetric `B`: `Σ_ij A_ij B_ij`.
fn trace_product(a: &Array2<f64>, b: &Array2<f64>) -> f64 {
    a.iter().zip(b.iter()).map(|(x, y)| x * y).sum()
}

/// Roothaan's effective Fock operator, PySCF's canonicalisation (see the module documentation).
fn roothaan_fock(fock: &FockMatrices, pa: &Array2<f64>, pb: &Array2<f64>, s: &Array2<f64>) -> Array2<f64> {
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

/// `Xᵀ (F P S − S P F) X`.
fn diis_error(f: &Array2<f64>, p: &Array2<f64>, s: &Array2<f64>, x: &Array2<f64>) -> Array2<f64> {
    let fps = f.dot(p).dot(s);
    let commutator = &fps - &fps.t();
    x.t().dot(&commutator).dot(x)
}

/// `Pα = C[:, :nα] C[:, :nα]ᵀ`, `Pβ` likewise.
fn spin_densities(c: &Array2<f64>, n_alpha: usize, n_beta: usize) -> (Array2<f64>, Array2<f64>) {
    let density = |n: usize| {
        let occ = c.slice(s![.., ..n]);
        occ.dot(&occ.t())
    };
    let pa = density(n_alpha);
    let pb = if n_beta == n_alpha { pa.clone() } else { density(n_beta) };
    (pa, pb)
}

/// Solves `F C = S C ε` as `(Xᵀ F X) C' = C' ε`, `C = X C'`; eigenvalues ascending.
fn diagonalise(f: &Array2<f64>, x: &Array2<f64>) -> Result<(Array1<f64>, Array2<f64>), ScfError> {
    let f_orth = x.t().dot(f).dot(x);
    let (e, c) = eigh(f_orth.view())?;
    Ok((e, x.dot(&c)))
}

/// `S^{−1/2}` by symmetric (Löwdin) orthogonalisation.
fn inverse_sqrt(s: &Array2<f64>) -> Result<Array2<f64>, ScfError> {
    let (w, u) = eigh(s.view())?;
    let smallest = w.iter().copied().fold(f64::INFINITY, f64::min);
    if smallest.is_nan() || smallest < LINEAR_DEPENDENCE_THRESHOLD {
        return Err(ScfError::LinearDependence { smallest_eigenvalue: smallest });
    }
    let scaled = &u * &w.mapv(|v| 1.0 / v.sqrt());
    Ok(scaled.dot(&u.t()))
}

/// Eigenvalues (ascending) and eigenvectors (columns) of the symmetric matrix `a`, whose lower
/// triangle is read. Sequential faer, so results do not depend on the machine's thread count.
pub fn eigh(a: ArrayView2<'_, f64>) -> Result<(Array1<f64>, Array2<f64>), ScfError> {
    let n = a.nrows();
    let m = Mat::from_fn(n, n, |i, j| a[[i, j]]);
    let mut u = Mat::<f64>::zeros(n, n);
    let mut w = Diag::<f64>::zeros(n);
    let scratch = self_adjoint_evd_scratch::<f64>(n, ComputeEigenvectors::Yes, Par::Seq, Default::default());
    let mut buffer = MemBuffer::new(scratch);
    self_adjoint_evd(
        m.as_ref(),
        w.as_mut(),
        Some(u.as_mut()),
        Par::Seq,
        MemStack::new(&mut buffer),
        Default::default(),
    )
    .map_err(|_| ScfError::Eigensolver)?;
    let values = w.column_vector();
    Ok((Array1::from_shape_fn(n, |i| values[i]), Array2::from_shape_fn((n, n), |(i, j)| u[(i, j)])))
}

/// Applies the MO sign convention to every column of `c`: the coefficient of largest magnitude
/// is made positive; coefficients within [`SIGN_TOLERANCE`] of that magnitude tie, and the one
/// with the lowest row (AO) index among them decides.
pub fn fix_orbital_signs(c: &mut Array2<f64>) {
    for mut column in c.axis_iter_mut(Axis(1)) {
        let largest = column.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        if let Some(&pivot) = column.iter().find(|v| v.abs() >= largest - SIGN_TOLERANCE) {
            if pivot < 0.0 {
                column.mapv_inplace(|v| -v);
            }
        }
    }
}

/// Pulay's DIIS on Fock matrices.
struct Diis {
    space: usize,
    focks: Vec<Array2<f64>>,
    errors: Vec<Array2<f64>>,
}

impl Diis {
    fn new(space: usize) -> Self {
        Diis { space, focks: Vec::new(), errors: Vec::new() }
    }

    /// Stores `(fock, error)` and returns `Σ_i c_i F_i` minimising `|Σ_i c_i e_i|` subject to
    /// `Σ_i c_i = 1` (Pulay 1982, eq. 6), solved as PySCF does: through the eigendecomposition of
    /// the bordered matrix, dropping eigenvalues below 1e-14 in magnitude.
    fn extrapolate(&mut self, fock: Array2<f64>, error: Array2<f64>) -> Array2<f64> {
        if self.space < 2 {
            return fock;
        }
        if self.focks.len() == self.space {
            self.focks.remove(0);
            self.errors.remove(0);
        }
        self.focks.push(fock);
        self.errors.push(error);
        let m = self.focks.len();
        if m < 2 {
            return self.focks[m - 1].clone();
        }
        let mut b = Array2::<f64>::zeros((m + 1, m + 1));
        for i in 0..m {
            b[[0, i + 1]] = 1.0;
            b[[i + 1, 0]] = 1.0;
            for j in 0..=i {
                let value = trace_product(&self.errors[i], &self.errors[j]);
                b[[i + 1, j + 1]] = value;
                b[[j + 1, i + 1]] = value;
            }
        }
        let Ok((w, v)) = eigh(b.view()) else {
            return self.focks[m - 1].clone();
        };
        // c = V diag(1/w) Vᵀ g with g = (1, 0, …, 0).
        let mut coefficients = Array1::<f64>::zeros(m + 1);
        for (k, &wk) in w.iter().enumerate() {
            if wk.abs() > 1e-14 {
                let scale = v[[0, k]] / wk;
                coefficients.scaled_add(scale, &v.column(k));
            }
        }
        let mut out = Array2::zeros(self.focks[0].raw_dim());
        for (i, f) in self.focks.iter().enumerate() {
            out.scaled_add(coefficients[i + 1], f);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chem::basis::AoBasis;

    #[test]
    fn electron_counting() {
        let water = [
            Atom { z: 8, position: [0.0; 3] },
            Atom { z: 1, position: [0.0, 1.4, 1.1] },
            Atom { z: 1, position: [0.0, -1.4, 1.1] },
        ];
        assert_eq!(electron_counts(&water, 0, 1), Ok((5, 5)));
        assert_eq!(electron_counts(&water, 1, 2), Ok((5, 4)));
        assert_eq!(electron_counts(&water, 0, 3), Ok((6, 4)));
        assert_eq!(
            electron_counts(&water, 0, 2),
            Err(ScfError::MultiplicityMismatch { electrons: 10, multiplicity: 2 })
        );
        assert_eq!(electron_counts(&water, 10, 1), Err(ScfError::NoElectrons { electrons: 0 }));
        assert_eq!(
            electron_counts(&water, 0, 13),
            Err(ScfError::MultiplicityMismatch { electrons: 10, multiplicity: 13 })
        );
    }

    #[test]
    fn sign_convention_ties_go_to_the_lowest_index() {
        let mut c = ndarray::array![[-0.5, 0.6, 0.1], [0.5 + 1e-12, -0.6 - 1e-13, -0.9]];
        fix_orbital_signs(&mut c);
        assert!(c[[0, 0]] > 0.0 && c[[0, 1]] > 0.0 && c[[1, 2]] > 0.0);
    }

    #[test]
    fn non_convergence_is_an_error_value() {
        let atoms = [Atom { z: 1, position: [0.0; 3] }, Atom { z: 1, position: [0.0, 0.0, 1.4] }];
        let basis = AoBasis::new(&atoms, "sto-3g").expect("defined");
        let ints = AoIntegrals::new(&basis);
        let options = ScfOptions { max_iterations: 1, ..ScfOptions::default() };
        match rhf(&basis, &ints, 2, &options) {
            Err(ScfError::NotConverged { iterations: 1, .. }) => {}
            other => panic!("expected NotConverged, got {other:?}"),
        }
        let defaults = ScfOptions::default();
        assert_eq!(rhf(&basis, &ints, 3, &defaults), Err(ScfError::OpenShell { n_alpha: 2, n_beta: 1 }));
        assert!(matches!(rhf(&basis, &ints, 6, &defaults), Err(ScfError::TooFewOrbitals { .. })));
        let bad_guess = ScfOptions { guess: Guess::Density(Array2::zeros((3, 3))), ..ScfOptions::default() };
        assert_eq!(rhf(&basis, &ints, 2, &bad_guess), Err(ScfError::GuessShape { expected: 2, rows: 3, cols: 3 }));
    }

    #[test]
    fn guesses_agree_on_the_solution() {
        let atoms = [
            Atom { z: 8, position: [0.0; 3] },
            Atom { z: 1, position: [0.0, 1.43, 1.1] },
            Atom { z: 1, position: [0.0, -1.43, 1.1] },
        ];
        let basis = AoBasis::new(&atoms, "6-31g").expect("defined");
        let ints = AoIntegrals::new(&basis);
        let atomic = rhf(&basis, &ints, 10, &ScfOptions::default()).expect("converges");
        let core = ScfOptions { guess: Guess::Core, ..ScfOptions::default() };
        let from_core = rhf(&basis, &ints, 10, &core).expect("converges");
        assert!((atomic.energy - from_core.energy).abs() < 1e-10);
        let restart = ScfOptions { guess: Guess::Density(atomic.density.clone()), ..ScfOptions::default() };
        let restarted = rhf(&basis, &ints, 10, &restart).expect("converges");
        assert!((atomic.energy - restarted.energy).abs() < 1e-10);
        assert!(restarted.iterations <= 3, "{} iterations from the converged density", restarted.iterations);
        // The guess density holds every electron of the neutral atoms.
        let p = atomic_guess(&basis).expect("atoms converge");
        assert!((trace_product(&p, &ints.overlap) - 10.0).abs() < 1e-10);
    }

    #[test]
    fn aufbau_configurations() {
        assert_eq!(electrons_per_l(1), [1, 0, 0, 0]);
        assert_eq!(electrons_per_l(8), [4, 4, 0, 0]);
        assert_eq!(electrons_per_l(20), [8, 12, 0, 0]);
        assert_eq!(electrons_per_l(36), [8, 18, 10, 0]);
    }
}

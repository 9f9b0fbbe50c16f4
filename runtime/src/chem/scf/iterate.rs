//! The SCF loop shared by RHF, ROHF and UHF: guess, Fock build, DIIS, level shift,
//! diagonalisation, until self-consistent; then the final orbitals and `⟨S²⟩`.
//!
//! Per iteration: one Coulomb and one or two exchange builds, and a handful of `nao³` products
//! (the DIIS error, the diagonalisation, the new densities); nothing is rebuilt that the loop
//! already has.

use ndarray::{s, Array1, Array2, ArrayView2};

use super::diis::Diis;
use super::fock::{diis_error, level_shift, roothaan_fock, FockMatrices};
use super::guess::atomic_guess_from;
use super::linalg::{diagonalise, fix_orbital_signs, inverse_sqrt, occupied_density};
use super::{Guess, ScfError, ScfMethod, ScfOptions, ScfResult, SpinOrbitals};
use crate::chem::basis::AoBasis;
use crate::chem::integrals::AoIntegrals;

/// `⟨S²⟩` of the single determinant with occupied α orbitals `c_alpha` and occupied β orbitals
/// `c_beta` (columns, AO basis) over the overlap `s` (PySCF's `scf.uhf.spin_square`):
/// `(nα + nβ)/2 + (nα − nβ)²/4 − Σ_ij |⟨φ^α_i|φ^β_j⟩|²`. Never fails; shapes are the caller's.
pub fn spin_square(c_alpha: ArrayView2<'_, f64>, c_beta: ArrayView2<'_, f64>, s: &Array2<f64>) -> f64 {
    let (na, nb) = (c_alpha.ncols() as f64, c_beta.ncols() as f64);
    let overlap = c_alpha.t().dot(s).dot(&c_beta);
    let paired: f64 = overlap.iter().map(|v| v * v).sum();
    0.5 * (na + nb) + 0.25 * (na - nb) * (na - nb) - paired
}

/// Runs `method` for `n_alpha`, `n_beta` electrons (one attempt). Failure contract: as
/// [`super::uhf`].
pub(super) fn solve(
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
    if n_alpha.max(n_beta) > nao {
        return Err(ScfError::TooFewOrbitals { occupied: n_alpha.max(n_beta), nmo: nao });
    }
    let s = &ints.overlap;
    let x = inverse_sqrt(s)?;
    let h = &ints.hcore;
    let (mut pa, mut pb) = initial_densities(basis, ints, &x, n_alpha, n_beta, &options.guess)?;

    let mut diis = Diis::new(options.diis_space);
    let mut previous_energy = f64::NAN;
    let mut last_energy_change = f64::INFINITY;
    let mut last_error = f64::INFINITY;
    let mut energy = f64::NAN;
    for iteration in 1..=options.max_iterations {
        let fock = FockMatrices::new(ints, &pa, &pb);
        let electronic = fock.electronic_energy(h, &pa, &pb);
        energy = electronic + ints.nuclear_repulsion;
        // The matrices the orbitals diagonalise, each with the density its error and level
        // shift use: one restricted operator with P (shift D = P/2), or Fα with Pα and Fβ with Pβ.
        let total;
        let (focks, densities): (Vec<Array2<f64>>, Vec<&Array2<f64>>) = match method {
            ScfMethod::Rhf | ScfMethod::Rohf => {
                total = &pa + &pb;
                let f = if method == ScfMethod::Rhf { fock.alpha } else { roothaan_fock(&fock, &pa, &pb, s) };
                (vec![f], vec![&total])
            }
            ScfMethod::Uhf => (vec![fock.alpha, fock.beta], vec![&pa, &pb]),
        };
        let errors: Vec<Array2<f64>> = focks.iter().zip(&densities).map(|(f, p)| diis_error(f, p, s, &x)).collect();
        last_error = errors.iter().flatten().fold(0.0_f64, |m, v| m.max(v.abs()));
        last_energy_change = energy - previous_energy;
        previous_energy = energy;
        if iteration > 1 && last_energy_change.abs() < options.energy_tolerance && last_error < options.error_tolerance
        {
            let state = Converged {
                energy,
                electronic,
                iterations: iteration,
                last_energy_change,
                last_error,
                level_shift: options.level_shift,
            };
            let problem = Problem { ints, x: &x, method, n_alpha, n_beta };
            return finish(&problem, focks, (&pa, &pb), state);
        }
        // As PySCF (`diis_start_cycle = 1`), the Fock matrix of the guess density stays out of the
        // DIIS subspace: a poor guess would otherwise steer the first extrapolations.
        let mut next = if iteration == 1 { focks } else { diis.extrapolate(focks, errors) };
        if options.level_shift.abs() > MIN_LEVEL_SHIFT {
            let spin_block = if method == ScfMethod::Uhf { 1.0 } else { 0.5 };
            for (f, p) in next.iter_mut().zip(&densities) {
                level_shift(f, s, &(*p * spin_block), options.level_shift);
            }
        }
        let orbitals: Vec<Array2<f64>> =
            next.iter().map(|f| diagonalise(f, &x).map(|(_, c)| c)).collect::<Result<_, _>>()?;
        (pa, pb) = match method {
            ScfMethod::Uhf => (occupied_density(&orbitals[0], n_alpha), occupied_density(&orbitals[1], n_beta)),
            ScfMethod::Rhf | ScfMethod::Rohf => restricted_densities(&orbitals[0], n_alpha, n_beta),
        };
    }
    Err(ScfError::NotConverged {
        iterations: options.max_iterations,
        last_energy_change,
        last_error,
        energy,
        level_shift: options.level_shift,
    })
}

/// `Pα`, `Pβ` of the guess.
fn initial_densities(
    basis: &AoBasis,
    ints: &AoIntegrals,
    x: &Array2<f64>,
    n_alpha: usize,
    n_beta: usize,
    guess: &Guess,
) -> Result<(Array2<f64>, Array2<f64>), ScfError> {
    let nao = ints.nao;
    match guess {
        Guess::Core => {
            let (_, c) = diagonalise(&ints.hcore, x)?;
            Ok(restricted_densities(&c, n_alpha, n_beta))
        }
        Guess::Atomic => {
            let p = atomic_guess_from(basis, ints)? * 0.5;
            Ok((p.clone(), p))
        }
        Guess::Density(p) => {
            if p.dim() != (nao, nao) {
                return Err(ScfError::GuessShape { expected: nao, rows: p.nrows(), cols: p.ncols() });
            }
            let half = p * 0.5;
            Ok((half.clone(), half))
        }
    }
}

/// `Pα`, `Pβ` from one set of orbitals: the lowest `n_alpha` and `n_beta` columns.
fn restricted_densities(c: &Array2<f64>, n_alpha: usize, n_beta: usize) -> (Array2<f64>, Array2<f64>) {
    let pa = occupied_density(c, n_alpha);
    let pb = if n_beta == n_alpha { pa.clone() } else { occupied_density(c, n_beta) };
    (pa, pb)
}

/// What is being solved.
struct Problem<'a> {
    ints: &'a AoIntegrals,
    /// `S^{−1/2}`.
    x: &'a Array2<f64>,
    method: ScfMethod,
    n_alpha: usize,
    n_beta: usize,
}

/// What the converged iteration measured.
struct Converged {
    energy: f64,
    electronic: f64,
    iterations: usize,
    last_energy_change: f64,
    last_error: f64,
    level_shift: f64,
}

/// Level shifts at or below this (hartree) are ignored, as in PySCF.
const MIN_LEVEL_SHIFT: f64 = 1e-4;

/// A level-shifted run whose final (aufbau) densities differ from the converged ones by more than
/// this (largest element) converged to an excited determinant. Converged aufbau solutions differ
/// by about the DIIS error over the HOMO–LUMO gap.
const AUFBAU_TOLERANCE: f64 = 1e-4;

/// Final orbitals from the unshifted Fock matrices of the converged density `(Pα, Pβ)`, and the
/// result. Failure contract: [`ScfError::NotAufbau`] when a level shift is on and the lowest
/// orbitals of the unshifted Fock do not reproduce the converged density; eigensolver errors.
fn finish(
    problem: &Problem<'_>,
    mut focks: Vec<Array2<f64>>,
    converged: (&Array2<f64>, &Array2<f64>),
    state: Converged,
) -> Result<ScfResult, ScfError> {
    let &Problem { ints, x, method, n_alpha, n_beta } = problem;
    let solve_spin = |f: &Array2<f64>| -> Result<(Array1<f64>, Array2<f64>), ScfError> {
        let (e, mut c) = diagonalise(f, x)?;
        fix_orbital_signs(&mut c);
        Ok((e, c))
    };
    let occupations = |n: usize, nmo: usize| Array1::from_shape_fn(nmo, |i| f64::from(u8::from(i < n)));
    // `focks` holds one matrix per spin block: [F_eff] restricted, [Fα, Fβ] unrestricted.
    let beta_fock = if method == ScfMethod::Uhf { focks.pop() } else { None };
    let fock = focks.swap_remove(0);
    let (mo_energy, mo_coeff) = solve_spin(&fock)?;
    let nmo = mo_coeff.ncols();
    let (beta, density_alpha, density_beta, mo_occ) = match beta_fock {
        Some(fock_beta) => {
            let (e_beta, c_beta) = solve_spin(&fock_beta)?;
            let pa = occupied_density(&mo_coeff, n_alpha);
            let pb = occupied_density(&c_beta, n_beta);
            let beta = SpinOrbitals {
                mo_energy: e_beta,
                mo_occ: occupations(n_beta, c_beta.ncols()),
                mo_coeff: c_beta,
                fock: fock_beta,
            };
            (Some(beta), pa, pb, occupations(n_alpha, nmo))
        }
        None => {
            let (pa, pb) = restricted_densities(&mo_coeff, n_alpha, n_beta);
            let occ =
                Array1::from_shape_fn(nmo, |i| f64::from(u8::from(i < n_alpha)) + f64::from(u8::from(i < n_beta)));
            (None, pa, pb, occ)
        }
    };
    let moved = |a: &Array2<f64>, b: &Array2<f64>| (a - b).iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    if state.level_shift.abs() > MIN_LEVEL_SHIFT
        && moved(&density_alpha, converged.0).max(moved(&density_beta, converged.1)) > AUFBAU_TOLERANCE
    {
        return Err(ScfError::NotAufbau { energy: state.energy, level_shift: state.level_shift });
    }
    let c_beta = beta.as_ref().map_or(&mo_coeff, |b| &b.mo_coeff);
    let s2 = spin_square(mo_coeff.slice(s![.., ..n_alpha]), c_beta.slice(s![.., ..n_beta]), &ints.overlap);
    Ok(ScfResult {
        method,
        energy: state.energy,
        electronic_energy: state.electronic,
        nuclear_repulsion: ints.nuclear_repulsion,
        mo_energy,
        mo_coeff,
        mo_occ,
        density: &density_alpha + &density_beta,
        density_alpha,
        density_beta,
        fock,
        beta,
        n_alpha,
        n_beta,
        spin_square: s2,
        converged: true,
        iterations: state.iterations,
        level_shift: state.level_shift,
        last_energy_change: state.last_energy_change,
        last_error: state.last_error,
    })
}

//! Nuclear gradients of a point's energies (`record = [gradients]`) by central finite
//! differences: every energy the point records — its references and the VQE's — is recomputed
//! with each nucleus displaced by `±h` along each axis, and `∂E/∂R = (E(R + h) − E(R − h)) / 2h`
//! with `h` = [`STEP_BOHR`].
//!
//! The truncation error is about `h²/6 · ∂³E/∂R³`, near 1e-7 Ha/bohr; the displaced points are
//! converged tighter than the point itself (SCF to 1e-12 Ha, CCSD to 1e-11 Ha) so that their
//! convergence errors, divided by `2h`, stay below that. The VQE restarts from the point's
//! optimum with the point's optimiser, so its energy is differentiated at a stationary point.
//! Where an energy has no derivative the gradient is left out with the reason: a VQE that did
//! not converge at the point, ADAPT-VQE choosing other operators at a displaced geometry. A
//! natural-orbital space that changes size under the displacement fails the point (every
//! active-space energy would jump). Only exact energies are differentiated: `qdf run` refuses
//! `gradients` for generates that measure their energies before any compute.

use qdf_compiler::ir::{ExperimentIr, Task};
use rayon::prelude::*;

use super::plan::PointJob;
use super::point::{reference_energies, ActiveProblem, Problem};
use super::store::VqeRecord;
use super::vqe::{solve, Backends};
use crate::chem::fci::{fci, FciOptions};
use crate::chem::{Atom, CcsdOptions, ScfOptions};

/// The displacement of the central differences, bohr.
pub const STEP_BOHR: f64 = 1e-3;

/// `∂E/∂R` (hartree/bohr) of each method, one `[x, y, z]` per atom, in the point's atom order.
pub type Gradients = Vec<(String, Vec<[f64; 3]>)>;

/// The gradients of the point `job` (at `nuclei`, with `active_orbitals` active orbitals, whose
/// VQE gave `vqe`), and the methods left out with why. Failure contract: a displaced point
/// whose SCF, references or VQE fail, or whose natural-orbital space changes size, is an error
/// message naming the displacement.
pub fn nuclear_gradients(
    ir: &ExperimentIr,
    job: &PointJob,
    nuclei: &[Atom],
    active_orbitals: usize,
    vqe: &VqeRecord,
    backends: &Backends,
) -> Result<(Gradients, Vec<(String, String)>), String> {
    let displacements: Vec<(usize, usize, f64)> =
        (0..nuclei.len()).flat_map(|a| (0..3).flat_map(move |k| [(a, k, STEP_BOHR), (a, k, -STEP_BOHR)])).collect();
    let energies: Vec<Displaced> = displacements
        .par_iter()
        .map(|&(a, k, step)| {
            let mut displaced = nuclei.to_vec();
            displaced[a].position[k] += step;
            energies_at(ir, job, displaced, active_orbitals, vqe, backends)
                .map_err(|e| format!("gradient, atom {} moved {step:+} bohr along {}: {e}", a + 1, ["x", "y", "z"][k]))
        })
        .collect::<Result<_, _>>()?;
    let mut skipped: Vec<(String, String)> = Vec::new();
    if !vqe.converged {
        skipped.push(("vqe".into(), "the VQE did not converge at the point".into()));
    }
    for d in &energies {
        if let Some(reason) = &d.vqe_unusable {
            if !skipped.iter().any(|(m, _)| m == "vqe") {
                skipped.push(("vqe".into(), reason.clone()));
            }
        }
    }
    let methods: Vec<&String> = energies[0].energies.iter().map(|(m, _)| m).collect();
    let mut gradients: Gradients = Vec::new();
    for method in methods.into_iter().filter(|m| !skipped.iter().any(|(s, _)| &s == m)) {
        let energy = |d: &Displaced| d.energies.iter().find(|(m, _)| m == method).map(|(_, e)| *e);
        let mut per_atom = vec![[0.0; 3]; nuclei.len()];
        for (pair, d) in displacements.chunks_exact(2).zip(energies.chunks_exact(2)) {
            let (a, k, _) = pair[0];
            let (plus, minus) = (energy(&d[0]), energy(&d[1]));
            per_atom[a][k] = match (plus, minus) {
                (Some(p), Some(m)) => (p - m) / (2.0 * STEP_BOHR),
                _ => return Err(format!("gradient: `{method}` missing at a displaced geometry")),
            };
        }
        gradients.push((method.clone(), per_atom));
    }
    Ok((gradients, skipped))
}

/// The energies of one displaced geometry, and why its VQE energy cannot be differentiated, if
/// it cannot.
struct Displaced {
    energies: Vec<(String, f64)>,
    vqe_unusable: Option<String>,
}

/// SCFs for the difference quotients: converged well below the truncation error times `2h`.
fn tight_scf() -> ScfOptions {
    ScfOptions { energy_tolerance: 1e-12, error_tolerance: 1e-10, max_iterations: 200, ..ScfOptions::default() }
}

/// CCSD for the difference quotients, likewise.
fn tight_ccsd() -> CcsdOptions {
    CcsdOptions { energy_tolerance: 1e-11, amplitude_tolerance: 1e-8, max_iterations: 200, ..CcsdOptions::default() }
}

/// Every energy of the point recomputed at `nuclei`: the references in the generate's order,
/// then the VQE's, restarted from the point's parameters. Failure contract: as
/// [`nuclear_gradients`].
fn energies_at(
    ir: &ExperimentIr,
    job: &PointJob,
    nuclei: Vec<Atom>,
    active_orbitals: usize,
    vqe: &VqeRecord,
    backends: &Backends,
) -> Result<Displaced, String> {
    let problem = ActiveProblem::at(ir, job, nuclei, &tight_scf())?;
    if problem.space.active.len() != active_orbitals {
        return Err(format!(
            "the natural-orbital selection chose {} active orbitals instead of {active_orbitals}",
            problem.space.active.len()
        ));
    }
    let unrestricted = problem.unrestricted(ir, job)?;
    let needs_exact = job.references.iter().any(
        |&r| matches!(&ir.nodes[r as usize].task, Task::Reference { method } if method == "casci" || method == "fci"),
    );
    let exact = match needs_exact {
        true => Some(fci(&problem.hamiltonian, &FciOptions::default()).map_err(|e| format!("FCI: {e}"))?.energy),
        false => None,
    };
    let references = Problem {
        integrals: &problem.integrals,
        restricted: &problem.restricted,
        reference_scf: unrestricted.as_ref().unwrap_or(&problem.restricted),
        frozen: problem.frozen,
    };
    let mut energies = reference_energies(ir, job, &references, exact, &tight_ccsd())?;
    let solved = solve(ir, job, &problem.hamiltonian, Some(&vqe.params), backends)?;
    let vqe_unusable = if vqe.operators.is_some() && solved.record.operators != vqe.operators {
        Some("ADAPT-VQE chose other operators at a displaced geometry".to_string())
    } else if !solved.record.converged {
        Some("the VQE did not converge at a displaced geometry".to_string())
    } else {
        None
    };
    energies.push(("vqe".into(), solved.energy));
    Ok(Displaced { energies, vqe_unusable })
}

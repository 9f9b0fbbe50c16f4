//! One geometry point, end to end: integrals, SCF, references, active space, Jordan–Wigner
//! Hamiltonian, UCCSD and VQE. A failure at any step (an SCF that does not converge, say) becomes
//! a record with status `failed` and the reason; it never stops the run.

use qdf_compiler::hir::{AnsatzKind, Optimizer};
use qdf_compiler::ir::{ExperimentIr, NodeId, Task};

use super::plan::PointJob;
use super::store::{PointRecord, VqeRecord};
use crate::chem::active::{active_hamiltonian, ActiveSpace};
use crate::chem::fci::{fci, FciOptions};
use crate::chem::scf::Guess;
use crate::chem::{mp2, run_scf, AoBasis, AoIntegrals, Atom, ScfOptions, ScfResult};
use crate::qubit::jordan_wigner::jordan_wigner;
use crate::sim::{minimize, Energy, Observable, Uccsd, VqeOptions};

/// Computes the point `job` of a dataset named `molecule`. `warm_start` holds the parameters of
/// the neighbouring point, used when they fit this point's circuit. Never fails: problems are
/// recorded in the returned record.
pub fn compute_point(ir: &ExperimentIr, job: &PointJob, molecule: &str, warm_start: Option<&[f64]>) -> PointRecord {
    let task = |id: NodeId| &ir.nodes[id as usize].task;
    let Task::Geometry { atoms, charge, multiplicity, scan } = task(job.geometry) else {
        unreachable!("the plan pairs points with geometry nodes")
    };
    let Task::Scf { basis, .. } = task(job.scf) else { unreachable!("scf node") };
    let Task::ActiveSpace { electrons, orbitals, .. } = task(job.active_space) else {
        unreachable!("active space node")
    };
    let mut record = PointRecord {
        key: ir.nodes[job.vqe as usize].hash.clone(),
        molecule: molecule.to_string(),
        point: job.index,
        scan: scan.clone(),
        symbols: atoms.iter().map(|a| a.symbol.clone()).collect(),
        positions_bohr: atoms.iter().map(|a| a.position).collect(),
        charge: *charge,
        multiplicity: *multiplicity,
        basis: basis.clone(),
        active_electrons: *electrons,
        active_orbitals: *orbitals,
        qubits: 2 * orbitals,
        status: "ok".into(),
        error: None,
        energies: Vec::new(),
        vqe: None,
        scf_iterations: None,
    };
    if let Err(reason) = fill(ir, job, &mut record, warm_start) {
        record.status = "failed".into();
        record.error = Some(reason);
    }
    record
}

fn fill(ir: &ExperimentIr, job: &PointJob, record: &mut PointRecord, warm_start: Option<&[f64]>) -> Result<(), String> {
    let task = |id: NodeId| &ir.nodes[id as usize].task;
    let Task::Geometry { atoms, charge, multiplicity, .. } = task(job.geometry) else { unreachable!("geometry node") };
    let Task::Scf { basis, basis_file, .. } = task(job.scf) else { unreachable!("scf node") };
    let Task::ActiveSpace { frozen_orbitals, electrons, orbital_indices, .. } = task(job.active_space) else {
        unreachable!("active space node")
    };
    let nuclei: Vec<Atom> = atoms.iter().map(|a| Atom { z: a.z, position: a.position }).collect();
    // A basis file's content travels in the IR; a shipped basis is named.
    let ao_basis = match basis_file {
        Some(set) => AoBasis::from_basis_set(&nuclei, set),
        None => AoBasis::new(&nuclei, basis),
    }
    .map_err(|e| format!("basis set {basis}: {e}"))?;
    let integrals = AoIntegrals::new(&ao_basis);
    let scf = lowest_scf(&ao_basis, &integrals, *charge, *multiplicity)?;
    record.scf_iterations = Some(scf.iterations);

    // The active space: the given orbitals, with the remaining doubly occupied ones as core.
    let unpaired = (*multiplicity - 1) as usize;
    let active_electrons = *electrons as usize;
    let n_alpha = (active_electrons + unpaired) / 2;
    let n_beta = active_electrons - n_alpha;
    let n_core = (scf.n_alpha + scf.n_beta - active_electrons) / 2;
    let active: Vec<usize> = orbital_indices.iter().map(|&i| i as usize).collect();
    let core: Vec<usize> = (0..scf.mo_coeff.ncols()).filter(|i| !active.contains(i)).take(n_core).collect();
    let space = ActiveSpace { core, active, n_alpha, n_beta };
    let hamiltonian =
        active_hamiltonian(&integrals.hcore, &integrals.eri, integrals.nuclear_repulsion, &scf.mo_coeff, &space)
            .map_err(|e| format!("active space: {e}"))?;

    let mut exact: Option<f64> = None;
    for &reference in &job.references {
        let Task::Reference { method } = task(reference) else { unreachable!("reference node") };
        let energy = match method.as_str() {
            "hf" => scf.energy,
            "mp2" => {
                let result = mp2(&integrals, &scf, *frozen_orbitals as usize).map_err(|e| format!("MP2: {e}"))?;
                result.total_energy
            }
            // FCI in the active space is CASCI; solved once even when both are asked for.
            "casci" | "fci" => match exact {
                Some(e) => e,
                None => {
                    let e = fci(&hamiltonian, &FciOptions::default()).map_err(|e| format!("FCI: {e}"))?.energy;
                    *exact.insert(e)
                }
            },
            other => return Err(format!("no solver for the `{other}` reference")),
        };
        record.energies.push((method.clone(), energy));
    }

    let Task::Circuit { ansatz, options } = task(job.circuit) else { unreachable!("circuit node") };
    let Task::Vqe { optimizer, .. } = task(job.vqe) else { unreachable!("vqe node") };
    let qubit_hamiltonian = jordan_wigner(hamiltonian.core_energy, hamiltonian.h1.view(), hamiltonian.eri.view())
        .map_err(|e| format!("Jordan–Wigner: {e}"))?;
    let n_spatial = hamiltonian.h1.nrows() as u32;
    let steps = if *ansatz == AnsatzKind::Uccsd { options.trotter_steps as usize } else { 1 };
    let uccsd = Uccsd::with_trotter_steps(n_spatial, n_alpha as u32, n_beta as u32, steps);
    let reference = uccsd.reference_state();
    let observable = Observable::new(&qubit_hamiltonian);
    let energy = Energy::new(uccsd.circuit(), &reference, &observable);
    let (vqe_energy, result) = if *ansatz == AnsatzKind::Hf {
        // The Hartree–Fock state: the circuit at zero parameters, nothing to optimise.
        let e = energy.energy(&vec![0.0; energy.n_parameters()]);
        (e, VqeRecord { params: Vec::new(), iterations: 0, converged: true, gradient_norm: 0.0 })
    } else {
        let initial = match warm_start {
            Some(params) if params.len() == energy.n_parameters() => params.to_vec(),
            _ => vec![0.0; energy.n_parameters()],
        };
        let r = minimize(&energy, &initial, &vqe_options(optimizer));
        let record = VqeRecord {
            params: r.params,
            iterations: r.iterations as usize,
            converged: r.converged,
            gradient_norm: r.gradient_norm,
        };
        (r.energy, record)
    };
    record.energies.push(("vqe".into(), vqe_energy));
    record.qubits = qubit_hamiltonian.n_qubits;
    record.vqe = Some(result);
    Ok(())
}

/// SCF from the atomic and the core-Hamiltonian guesses, keeping the lower converged energy. One
/// guess alone can land on a higher-energy SCF solution along a bond-breaking scan (seen for
/// stretched H4 from the atomic guess), which would poison every quantity built on it. Failure
/// contract: when neither converges, the atomic guess's error is returned.
fn lowest_scf(basis: &AoBasis, integrals: &AoIntegrals, charge: i32, multiplicity: u32) -> Result<ScfResult, String> {
    let atomic = run_scf(basis, integrals, charge, multiplicity, &ScfOptions::default());
    let core =
        run_scf(basis, integrals, charge, multiplicity, &ScfOptions { guess: Guess::Core, ..ScfOptions::default() });
    match (atomic, core) {
        (Ok(a), Ok(c)) => Ok(if c.energy < a.energy - 1e-9 { c } else { a }),
        (Ok(a), Err(_)) => Ok(a),
        (Err(_), Ok(c)) => Ok(c),
        (Err(e), Err(_)) => Err(format!("SCF: {e}")),
    }
}

fn vqe_options(optimizer: &Optimizer) -> VqeOptions {
    VqeOptions {
        max_iter: optimizer.max_iter,
        gradient_tolerance: optimizer.tolerance.max(1e-12),
        ..VqeOptions::default()
    }
}

//! One geometry point, end to end: integrals, SCF, references, active space, qubit Hamiltonian
//! and VQE ([`super::vqe`]). A failure at any step (an SCF that does not converge, say) becomes
//! a record with status `failed` and the reason; it never stops the run.

use qdf_compiler::hir::Mapping;
use qdf_compiler::ir::{ExperimentIr, NodeId, Task};

use super::gradients::nuclear_gradients;
use super::plan::PointJob;
use super::store::{PointRecord, Properties, QubitHamiltonianRecord};
use super::vqe::Backends;
use crate::chem::active::{active_hamiltonian, ActiveHamiltonian, ActiveSpace};
use crate::chem::auto_active::mp2_natural_orbital_space;
use crate::chem::casci::casci_dipole;
use crate::chem::fci::{fci, fci_with_rdm2, FciOptions};
use crate::chem::fcidump;
use crate::chem::integrals::dipole;
use crate::chem::scf::Guess;
use crate::chem::{
    ccsd, dipole_moment, mp2, run_scf_with, triples_correction, ump2, AoBasis, AoIntegrals, Atom, CcsdOptions,
    CcsdResult, MoIntegrals, ScfMethod, ScfOptions, ScfResult,
};
use crate::qubit::{PauliSum, QubitSpace};

/// What a dataset asks each point to produce beyond energies and VQE parameters.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Wants {
    pub dipole: bool,
    pub rdm1: bool,
    pub rdm2: bool,
    /// The active-space Hamiltonian as an FCIDUMP file (`formats = [..., fcidump]`).
    pub fcidump: bool,
    /// The qubit Hamiltonian.
    pub hamiltonian: bool,
    /// The final measurement's outcome counts.
    pub counts: bool,
    /// Nuclear gradients of every energy.
    pub gradients: bool,
}

impl Wants {
    /// From a dataset's `record` and `formats`.
    pub fn new(record: &[String], formats: &[String]) -> Self {
        let has = |list: &[String], item: &str| list.iter().any(|x| x == item);
        Wants {
            dipole: has(record, "dipole"),
            rdm1: has(record, "rdm1"),
            rdm2: has(record, "rdm2"),
            fcidump: has(formats, "fcidump"),
            hamiltonian: has(record, "hamiltonian"),
            counts: has(record, "counts"),
            gradients: has(record, "gradients"),
        }
    }
}

impl Wants {
    /// Whether a stored `record` already holds everything asked for (a failed point holds
    /// nothing, and recomputing it would fail the same way).
    pub fn satisfied_by(&self, record: &PointRecord) -> bool {
        let p = &record.properties;
        !record.is_ok()
            || ((!self.dipole || !p.dipoles.is_empty())
                && (!self.rdm1 || p.rdm1.is_some())
                && (!self.rdm2 || p.rdm2.is_some())
                && (!self.hamiltonian || p.hamiltonian.is_some())
                && (!self.counts || p.counts.is_some())
                && (!self.gradients || p.gradients.is_some()))
    }
}

/// One computed point: its record and, when asked for, its FCIDUMP text.
#[derive(Clone, Debug)]
pub struct PointOutput {
    pub record: PointRecord,
    pub fcidump: Option<String>,
}

/// Computes the point `job` of a dataset named `molecule`. `warm_start` holds the parameters of
/// the neighbouring point, used when they fit this point's circuit. Never fails: problems are
/// recorded in the returned record.
pub fn compute_point(
    ir: &ExperimentIr,
    job: &PointJob,
    molecule: &str,
    wants: &Wants,
    warm_start: Option<&[f64]>,
    backends: &Backends,
) -> PointOutput {
    let task = |id: NodeId| &ir.nodes[id as usize].task;
    let Task::Geometry { atoms, charge, multiplicity, scan } = task(job.geometry) else {
        unreachable!("the plan pairs points with geometry nodes")
    };
    let Task::Scf { basis, .. } = task(job.scf) else { unreachable!("scf node") };
    let Task::ActiveSpace { electrons, orbitals, .. } = task(job.active_space) else {
        unreachable!("active space node")
    };
    let record = PointRecord {
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
        properties: Properties::default(),
    };
    let mut out = PointOutput { record, fcidump: None };
    if let Err(reason) = fill(ir, job, wants, &mut out, warm_start, backends) {
        out.record.status = "failed".into();
        out.record.error = Some(reason);
        out.fcidump = None;
    }
    out
}

/// The mean-field solutions and the active-space Hamiltonian of one point: everything the
/// references, the qubit Hamiltonian and the shot planner start from.
pub struct ActiveProblem {
    pub nuclei: Vec<Atom>,
    pub ao_basis: AoBasis,
    pub integrals: AoIntegrals,
    /// RHF, or ROHF for open shells: the orbitals of the active space.
    pub restricted: ScfResult,
    /// The orbitals the active space indexes (canonical, or MP2 natural orbitals).
    pub orbitals: ndarray::Array2<f64>,
    pub space: ActiveSpace,
    pub hamiltonian: ActiveHamiltonian,
    /// MP2 natural-orbital occupations, when the space was chosen from them.
    pub natural_occupations: Option<Vec<f64>>,
    pub frozen: usize,
    /// How tightly the SCFs were converged (the UHF reference too).
    pub scf_options: ScfOptions,
}

impl std::fmt::Debug for ActiveProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The integrals are large; the shape says what the problem is.
        f.debug_struct("ActiveProblem")
            .field("basis_functions", &self.orbitals.nrows())
            .field("space", &self.space)
            .field("frozen", &self.frozen)
            .finish_non_exhaustive()
    }
}

impl ActiveProblem {
    /// The UHF solution when the molecule asks for `scf = uhf` (for the `hf` and `mp2`
    /// references), else `None`. Failure contract: an SCF that does not converge is an error
    /// message.
    pub fn unrestricted(&self, ir: &ExperimentIr, job: &PointJob) -> Result<Option<ScfResult>, String> {
        let task = |id: NodeId| &ir.nodes[id as usize].task;
        let Task::Geometry { charge, multiplicity, .. } = task(job.geometry) else { unreachable!("geometry node") };
        let Task::Scf { method, .. } = task(job.scf) else { unreachable!("scf node") };
        if method != "uhf" {
            return Ok(None);
        }
        lowest_scf(&self.ao_basis, &self.integrals, *charge, *multiplicity, ScfMethod::Uhf, &self.scf_options).map(Some)
    }

    /// Builds the basis, integrals, restricted SCF and active space of `job`'s point (a UHF
    /// reference, which only the `hf` and `mp2` references use, is [`ActiveProblem::unrestricted`]'s
    /// job). Failure contract:
    /// an unsupported basis element, an SCF that does not converge or an inconsistent active
    /// space is an error message naming the step; nothing panics on valid IR.
    pub fn new(ir: &ExperimentIr, job: &PointJob) -> Result<ActiveProblem, String> {
        let Task::Geometry { atoms, .. } = &ir.nodes[job.geometry as usize].task else { unreachable!("geometry node") };
        let nuclei: Vec<Atom> = atoms.iter().map(|a| Atom { z: a.z, position: a.position }).collect();
        Self::at(ir, job, nuclei, &ScfOptions::default())
    }

    /// As [`ActiveProblem::new`], with the nuclei at `nuclei` (the point's atoms, displaced) and
    /// the SCFs converged to `scf_options`' tolerances. Failure contract: as
    /// [`ActiveProblem::new`].
    pub fn at(
        ir: &ExperimentIr,
        job: &PointJob,
        nuclei: Vec<Atom>,
        scf_options: &ScfOptions,
    ) -> Result<ActiveProblem, String> {
        let task = |id: NodeId| &ir.nodes[id as usize].task;
        let Task::Geometry { charge, multiplicity, .. } = task(job.geometry) else { unreachable!("geometry node") };
        let Task::Scf { basis, basis_file, .. } = task(job.scf) else { unreachable!("scf node") };
        let Task::ActiveSpace { frozen_orbitals, electrons, orbital_indices, natural_orbitals, .. } =
            task(job.active_space)
        else {
            unreachable!("active space node")
        };
        let frozen = *frozen_orbitals as usize;
        // A basis file's content travels in the IR; a shipped basis is named.
        let ao_basis = match basis_file {
            Some(set) => AoBasis::from_basis_set(&nuclei, set),
            None => AoBasis::new(&nuclei, basis),
        }
        .map_err(|e| format!("basis set {basis}: {e}"))?;
        let integrals = AoIntegrals::new(&ao_basis);

        // Active spaces take restricted orbitals.
        let restricted_method = if *multiplicity == 1 { ScfMethod::Rhf } else { ScfMethod::Rohf };
        let restricted = lowest_scf(&ao_basis, &integrals, *charge, *multiplicity, restricted_method, scf_options)?;

        // The active space: natural orbitals chosen here, or the compiler's orbitals with the
        // remaining doubly occupied ones as core.
        let (orbitals, space, natural_occupations) = match natural_orbitals {
            Some(selection) => {
                let chosen = mp2_natural_orbital_space(
                    &integrals,
                    &restricted,
                    frozen,
                    selection.min_occupation,
                    selection.max_occupation,
                    selection.max_orbitals as usize,
                )
                .map_err(|e| format!("natural-orbital active space: {e}"))?;
                (chosen.mo_coeff, chosen.space, Some(chosen.occupations.to_vec()))
            }
            None => {
                let active: Vec<usize> = orbital_indices.iter().map(|&i| i as usize).collect();
                let space = ActiveSpace::from_indices(
                    restricted.mo_coeff.ncols(),
                    restricted.n_alpha,
                    restricted.n_beta,
                    *electrons as usize,
                    &active,
                )
                .map_err(|e| format!("active space: {e}"))?;
                (restricted.mo_coeff.clone(), space, None)
            }
        };
        let hamiltonian =
            active_hamiltonian(&integrals.hcore, &integrals.eri, integrals.nuclear_repulsion, &orbitals, &space)
                .map_err(|e| format!("active space: {e}"))?;
        Ok(ActiveProblem {
            nuclei,
            ao_basis,
            integrals,
            restricted,
            orbitals,
            space,
            hamiltonian,
            natural_occupations,
            frozen,
            scf_options: scf_options.clone(),
        })
    }
}

fn fill(
    ir: &ExperimentIr,
    job: &PointJob,
    wants: &Wants,
    out: &mut PointOutput,
    warm_start: Option<&[f64]>,
    backends: &Backends,
) -> Result<(), String> {
    let record = &mut out.record;
    let task = |id: NodeId| &ir.nodes[id as usize].task;
    let problem = ActiveProblem::new(ir, job)?;
    let unrestricted = problem.unrestricted(ir, job)?;
    let ActiveProblem {
        nuclei,
        ao_basis,
        integrals,
        restricted,
        orbitals,
        space,
        hamiltonian,
        natural_occupations,
        frozen,
        ..
    } = problem;
    let reference_scf = unrestricted.as_ref().unwrap_or(&restricted);
    record.scf_iterations = Some(reference_scf.iterations);
    if reference_scf.method == ScfMethod::Uhf {
        record.properties.spin_square = Some(reference_scf.spin_square);
    }
    record.properties.natural_occupations = natural_occupations;
    record.active_electrons = (space.n_alpha + space.n_beta) as u32;
    record.active_orbitals = space.active.len() as u32;
    record.qubits = 2 * record.active_orbitals;
    if wants.fcidump {
        let mut text = Vec::new();
        fcidump::write(&hamiltonian, &mut text).map_err(|e| e.to_string())?;
        out.fcidump = Some(String::from_utf8(text).map_err(|e| format!("FCIDUMP: {e}"))?);
    }

    // The exact active-space state, solved at most once: for casci/fci and for the properties.
    let needs_exact = wants.rdm1
        || wants.rdm2
        || job
            .references
            .iter()
            .any(|&r| matches!(task(r), Task::Reference { method } if method == "casci" || method == "fci"));
    let exact = if needs_exact {
        let options = FciOptions::default();
        let solved = if wants.rdm2 {
            fci_with_rdm2(&hamiltonian, &options).map(|(r, rdm2)| (r, Some(rdm2)))
        } else {
            fci(&hamiltonian, &options).map(|r| (r, None))
        };
        Some(solved.map_err(|e| format!("FCI: {e}"))?)
    } else {
        None
    };

    let exact_energy = exact.as_ref().map(|(solved, _)| solved.energy);
    let references = Problem { integrals: &integrals, restricted: &restricted, reference_scf, frozen };
    record.energies = reference_energies(ir, job, &references, exact_energy, &CcsdOptions::default())?;

    if wants.dipole {
        let r = dipole(&ao_basis, [0.0; 3]);
        let scf_dipole = dipole_moment(&nuclei, &reference_scf.density, &r, [0.0; 3]);
        record.properties.dipoles.push(("hf".into(), scf_dipole));
        if let Some((solved, _)) = &exact {
            let mu = casci_dipole(&orbitals, &space, &solved.rdm1, &r, &nuclei, [0.0; 3])
                .map_err(|e| format!("CASCI dipole: {e}"))?;
            record.properties.dipoles.push(("casci".into(), mu));
        }
    }
    if let Some((solved, rdm2)) = &exact {
        if wants.rdm1 {
            record.properties.rdm1 = Some(solved.rdm1.rows().into_iter().map(|row| row.to_vec()).collect());
        }
        if wants.rdm2 {
            record.properties.rdm2 = rdm2.as_ref().map(|g| g.iter().copied().collect());
        }
    }

    let solved = super::vqe::solve(ir, job, &hamiltonian, warm_start, backends)?;
    record.energies.push(("vqe".into(), solved.energy));
    record.qubits = solved.qubits;
    record.vqe = Some(solved.record);
    if wants.hamiltonian {
        let h = &solved.hamiltonian;
        let terms = h.terms.iter().map(|(p, c)| (p.to_string(), *c)).collect();
        record.properties.hamiltonian = Some(QubitHamiltonianRecord { n_qubits: h.n_qubits, terms });
    }
    if wants.counts {
        record.properties.counts = Some(solved.counts.ok_or("record `counts`: this VQE measured no shots")?);
    }
    if wants.gradients {
        let vqe = record.vqe.as_ref().expect("set just above");
        let (gradients, skipped) = nuclear_gradients(ir, job, &nuclei, space.active.len(), vqe, backends)?;
        record.properties.gradients = Some(gradients);
        if !skipped.is_empty() {
            record.properties.gradients_skipped = Some(skipped);
        }
    }
    Ok(())
}

/// What the classical references of a point are computed from.
pub(crate) struct Problem<'a> {
    pub integrals: &'a AoIntegrals,
    /// The restricted SCF (CCSD and CCSD(T) start from it).
    pub restricted: &'a ScfResult,
    /// The SCF the `hf` and `mp2` references use: the restricted one, or UHF with `scf = uhf`.
    pub reference_scf: &'a ScfResult,
    pub frozen: usize,
}

/// The point's reference energies in the order its generate lists them. `exact` is the exact
/// active-space energy (needed when `casci` or `fci` is asked for). Failure contract: a solver
/// that fails (MP2 of a broken reference, CCSD that does not converge) is an error message
/// naming it; `casci`/`fci` without `exact` is a programming error and panics.
pub(crate) fn reference_energies(
    ir: &ExperimentIr,
    job: &PointJob,
    problem: &Problem<'_>,
    exact: Option<f64>,
    ccsd_options: &CcsdOptions,
) -> Result<Vec<(String, f64)>, String> {
    let Problem { integrals, restricted, reference_scf, frozen } = *problem;
    let mut energies = Vec::with_capacity(job.references.len());
    let mut coupled_cluster: Option<(MoIntegrals, CcsdResult)> = None;
    for &reference in &job.references {
        let Task::Reference { method } = &ir.nodes[reference as usize].task else { unreachable!("reference node") };
        let energy = match method.as_str() {
            "hf" => reference_scf.energy,
            "mp2" => {
                let result = match reference_scf.method {
                    ScfMethod::Uhf => ump2(integrals, reference_scf, frozen),
                    _ => mp2(integrals, reference_scf, frozen),
                };
                result.map_err(|e| format!("MP2: {e}"))?.total_energy
            }
            "ccsd" | "ccsd_t" => {
                if coupled_cluster.is_none() {
                    let mo = MoIntegrals::new(integrals, restricted, frozen).map_err(|e| format!("CCSD: {e}"))?;
                    let cc = ccsd(&mo, ccsd_options).map_err(|e| format!("CCSD: {e}"))?;
                    coupled_cluster = Some((mo, cc));
                }
                let (mo, cc) = coupled_cluster.as_ref().expect("solved just above");
                if method == "ccsd" {
                    cc.total_energy
                } else {
                    cc.total_energy + triples_correction(mo, cc)
                }
            }
            // FCI in the active space is CASCI.
            "casci" | "fci" => exact.expect("solved when casci or fci is asked for"),
            other => return Err(format!("no solver for the `{other}` reference")),
        };
        energies.push((method.clone(), energy));
    }
    Ok(energies)
}

/// The active-space Hamiltonian in the qubit space `mapping` asks for (mapping, two-qubit
/// reduction, tapering), with the space that maps the ansatz the same way. Shared by `qdf run`,
/// the planner and `qdf build`, so all three see the same qubits. Failure contract: a space the
/// mapping cannot build (more than 64 qubits, say) is an error message.
pub fn qubit_space(mapping: &Mapping, active: &ActiveHamiltonian) -> Result<(QubitSpace, PauliSum), String> {
    QubitSpace::build(
        mapping.kind,
        mapping.two_qubit_reduction,
        mapping.tapering,
        active.h1.nrows() as u32,
        active.n_alpha as u32,
        active.n_beta as u32,
        active.core_energy,
        active.h1.view(),
        active.eri.view(),
    )
    .map_err(|e| format!("qubit Hamiltonian: {e}"))
}

/// The SCF of `method` from the atomic and the core-Hamiltonian guesses, keeping the lower
/// converged energy. One guess alone can land on a higher-energy SCF solution along a
/// bond-breaking scan (seen for stretched H4 from the atomic guess), which would poison every
/// quantity built on it. Failure contract: when neither converges, the atomic guess's error
/// (iterations, last energy change, DIIS error) is returned.
fn lowest_scf(
    basis: &AoBasis,
    integrals: &AoIntegrals,
    charge: i32,
    multiplicity: u32,
    method: ScfMethod,
    options: &ScfOptions,
) -> Result<ScfResult, String> {
    let solve = |guess: Guess| {
        run_scf_with(basis, integrals, charge, multiplicity, method, &ScfOptions { guess, ..options.clone() })
    };
    match (solve(Guess::Atomic), solve(Guess::Core)) {
        (Ok(a), Ok(c)) => Ok(if c.energy < a.energy - 1e-9 { c } else { a }),
        (Ok(a), Err(_)) => Ok(a),
        (Err(_), Ok(c)) => Ok(c),
        (Err(e), Err(_)) => Err(format!("SCF: {e}")),
    }
}

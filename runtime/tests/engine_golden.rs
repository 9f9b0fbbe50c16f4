//! The whole electronic-structure engine against PySCF, across molecules and basis sets: RHF, UHF,
//! ROHF, MP2, UMP2, CCSD, CCSD(T), CASCI and SCF dipole moments. Golden data:
//! `golden/engine/pyscf_engine.json`, written by `golden/engine/make_golden.py` from the shipped
//! basis files (d and f shells, Pople, Dunning and Ahlrichs sets, second- and fourth-row atoms,
//! open shells).

use std::sync::OnceLock;

use qdf_runtime::chem::active::{active_hamiltonian, ActiveSpace};
use qdf_runtime::chem::fci::{fci, FciOptions};
use qdf_runtime::chem::integrals::dipole;
use qdf_runtime::chem::{
    ccsd, dipole_moment, mp2, run_scf_with, triples_correction, ump2, AoBasis, AoIntegrals, Atom, CcsdOptions,
    MoIntegrals, ScfMethod, ScfOptions, ScfResult,
};
use serde_json::Value;

/// Energies, hartree.
const ENERGY_TOL: f64 = 1e-8;
/// Dipole components, e·bohr.
const DIPOLE_TOL: f64 = 1e-6;

fn golden() -> &'static Value {
    static DATA: OnceLock<Value> = OnceLock::new();
    DATA.get_or_init(|| {
        let text = include_str!("golden/engine/pyscf_engine.json");
        serde_json::from_str(text).expect("golden JSON")
    })
}

fn case(name: &str) -> &'static Value {
    golden()["cases"].as_array().expect("cases").iter().find(|c| c["name"] == name).expect("case in golden file")
}

fn number(v: &Value) -> f64 {
    v.as_f64().expect("number")
}

/// The molecule of a golden case: basis, integrals and its settings.
struct Molecule {
    basis: AoBasis,
    integrals: AoIntegrals,
    charge: i32,
    multiplicity: u32,
    frozen: usize,
}

fn molecule(c: &Value) -> Molecule {
    let atoms: Vec<Atom> = c["atoms"]
        .as_array()
        .expect("atoms")
        .iter()
        .map(|a| {
            let p = a["position"].as_array().expect("position");
            Atom { z: a["z"].as_u64().expect("z") as u8, position: [number(&p[0]), number(&p[1]), number(&p[2])] }
        })
        .collect();
    let basis_name = c["basis"].as_str().expect("basis");
    let basis = AoBasis::new(&atoms, basis_name).expect("basis defines every element");
    assert_eq!(basis.nao as u64, c["nao"].as_u64().expect("nao"), "AO count");
    let integrals = AoIntegrals::new(&basis);
    assert!((integrals.nuclear_repulsion - number(&c["nuclear_repulsion"])).abs() < 1e-10);
    Molecule {
        basis,
        integrals,
        charge: c["charge"].as_i64().expect("charge") as i32,
        multiplicity: c["multiplicity"].as_u64().expect("multiplicity") as u32,
        frozen: c["frozen"].as_u64().expect("frozen") as usize,
    }
}

fn scf(m: &Molecule, method: ScfMethod) -> ScfResult {
    let options =
        ScfOptions { energy_tolerance: 1e-12, error_tolerance: 1e-9, max_iterations: 300, ..Default::default() };
    run_scf_with(&m.basis, &m.integrals, m.charge, m.multiplicity, method, &options).expect("SCF converges")
}

fn assert_close(what: &str, got: f64, expected: f64, tol: f64) {
    assert!(
        (got - expected).abs() < tol,
        "{what}: qdf {got:.12} vs PySCF {expected:.12} (diff {:.2e})",
        got - expected
    );
}

fn check_dipole(what: &str, m: &Molecule, scf: &ScfResult, expected: &Value) {
    let r = dipole(&m.basis, [0.0; 3]);
    let mu = dipole_moment(&m.basis.atoms, &scf.density, &r, [0.0; 3]);
    for (x, e) in mu.iter().zip(expected.as_array().expect("dipole")) {
        assert_close(what, *x, number(e), DIPOLE_TOL);
    }
}

/// CASCI of the golden case's window around the Fermi level, on `scf`'s orbitals.
fn check_casci(name: &str, m: &Molecule, scf: &ScfResult, expected: &Value) {
    let electrons = expected["electrons"].as_u64().expect("electrons") as usize;
    let orbitals = expected["orbitals"].as_u64().expect("orbitals") as usize;
    let space = ActiveSpace::around_fermi_level(scf.mo_coeff.ncols(), scf.n_alpha, scf.n_beta, electrons, orbitals)
        .expect("space fits");
    let i = &m.integrals;
    let h = active_hamiltonian(&i.hcore, &i.eri, i.nuclear_repulsion, &scf.mo_coeff, &space).expect("active");
    let options = FciOptions { tol: 1e-7, ..FciOptions::default() };
    let e = fci(&h, &options).expect("FCI converges").energy;
    assert_close(&format!("{name} CASCI({electrons}e,{orbitals}o)"), e, number(&expected["energy"]), ENERGY_TOL);
}

/// Every number recorded for one closed-shell case.
fn closed_shell(name: &str) {
    let c = case(name);
    let m = molecule(c);
    let rhf = scf(&m, ScfMethod::Rhf);
    assert_close(&format!("{name} RHF"), rhf.energy, number(&c["rhf"]["energy"]), ENERGY_TOL);
    check_dipole(&format!("{name} RHF dipole"), &m, &rhf, &c["rhf"]["dipole"]);
    let pt2 = mp2(&m.integrals, &rhf, m.frozen).expect("MP2");
    assert_close(&format!("{name} MP2"), pt2.correlation_energy, number(&c["mp2"]), ENERGY_TOL);
    if let Some(expected) = c.get("ccsd") {
        let mo = MoIntegrals::new(&m.integrals, &rhf, m.frozen).expect("MO integrals");
        let options = CcsdOptions {
            energy_tolerance: 1e-11,
            amplitude_tolerance: 1e-9,
            max_iterations: 200,
            ..CcsdOptions::default()
        };
        let cc = ccsd(&mo, &options).expect("CCSD converges");
        assert_close(&format!("{name} CCSD"), cc.correlation_energy, number(expected), ENERGY_TOL);
        let t = triples_correction(&mo, &cc);
        assert_close(&format!("{name} (T)"), t, number(&c["ccsd_t"]), ENERGY_TOL);
    }
    if let Some(expected) = c.get("casci") {
        check_casci(name, &m, &rhf, expected);
    }
}

/// Every number recorded for one open-shell case.
fn open_shell(name: &str) {
    let c = case(name);
    let m = molecule(c);
    let uhf = scf(&m, ScfMethod::Uhf);
    assert_close(&format!("{name} UHF"), uhf.energy, number(&c["uhf"]["energy"]), ENERGY_TOL);
    assert_close(&format!("{name} <S^2>"), uhf.spin_square, number(&c["uhf"]["s2"]), 1e-6);
    check_dipole(&format!("{name} UHF dipole"), &m, &uhf, &c["uhf"]["dipole"]);
    let pt2 = ump2(&m.integrals, &uhf, m.frozen).expect("UMP2");
    assert_close(&format!("{name} UMP2"), pt2.correlation_energy, number(&c["ump2"]), ENERGY_TOL);
    let rohf = scf(&m, ScfMethod::Rohf);
    assert_close(&format!("{name} ROHF"), rohf.energy, number(&c["rohf"]["energy"]), ENERGY_TOL);
    check_dipole(&format!("{name} ROHF dipole"), &m, &rohf, &c["rohf"]["dipole"]);
    if let Some(expected) = c.get("casci") {
        check_casci(name, &m, &rohf, expected);
    }
}

#[test]
fn water_cc_pvdz() {
    closed_shell("h2o");
}

#[test]
fn water_cc_pvtz_f_functions() {
    closed_shell("h2o_tz");
}

#[test]
fn ammonia_6_31g_star_star() {
    closed_shell("nh3");
}

#[test]
fn methane_6_311g_star_star() {
    closed_shell("ch4");
}

#[test]
fn nitrogen_6_31g_star() {
    closed_shell("n2");
}

#[test]
fn hydrogen_fluoride_aug_cc_pvdz() {
    closed_shell("hf");
}

#[test]
fn carbon_monoxide_def2_svp() {
    closed_shell("co");
}

#[test]
fn lithium_hydride_3_21g_full_ci() {
    closed_shell("lih");
}

#[test]
fn hydrogen_chloride_def2_tzvp() {
    closed_shell("hcl");
}

#[test]
fn hydrogen_bromide_def2_svp() {
    closed_shell("hbr");
}

#[test]
fn water_cation_doublet_6_31g_star() {
    open_shell("h2o_cation");
}

#[test]
fn oxygen_triplet_cc_pvdz() {
    open_shell("o2");
}

#[test]
fn methylene_triplet_6_31g_star() {
    open_shell("ch2");
}

#[test]
fn hydroxyl_radical_aug_cc_pvdz() {
    open_shell("oh");
}

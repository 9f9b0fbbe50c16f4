//! qdf's closed-shell CCSD and CCSD(T) against PySCF.
//!
//! The golden data `golden/cc/pyscf_cc.json` comes from `golden/cc/make_golden.py` (PySCF with the
//! shipped basis files, geometries in bohr copied into the JSON, `cc.CCSD(mf, frozen=k)` converged
//! to `conv_tol=1e-12`, `conv_tol_normt=1e-10`); no Python runs here. Energies must agree to
//! 1e-8 Eh.

use qdf_runtime::chem::cc::{ccsd, triples_correction, CcError, CcsdOptions, MoIntegrals};
use qdf_runtime::chem::{run_scf, AoIntegrals, Atom, ScfOptions, ScfResult};
use serde_json::Value;

const GOLDEN: &str = include_str!("golden/cc/pyscf_cc.json");

const ENERGY_TOLERANCE: f64 = 1e-8;

fn cases() -> Vec<Value> {
    let golden: Value = serde_json::from_str(GOLDEN).expect("golden JSON parses");
    golden["cases"].as_array().expect("cases").clone()
}

fn atoms(case: &Value) -> Vec<Atom> {
    case["atoms"]
        .as_array()
        .expect("atoms")
        .iter()
        .map(|a| {
            let p: Vec<f64> =
                a["position"].as_array().expect("position").iter().map(|x| x.as_f64().expect("f64")).collect();
            Atom { z: a["z"].as_u64().expect("z") as u8, position: [p[0], p[1], p[2]] }
        })
        .collect()
}

fn tight_scf() -> ScfOptions {
    ScfOptions { energy_tolerance: 1e-12, error_tolerance: 1e-10, max_iterations: 200, ..ScfOptions::default() }
}

fn tight_cc() -> CcsdOptions {
    CcsdOptions { energy_tolerance: 1e-11, amplitude_tolerance: 1e-9, max_iterations: 200, ..CcsdOptions::default() }
}

fn scf_of(atoms: &[Atom], basis: &str, charge: i32, multiplicity: u32) -> (AoIntegrals, ScfResult) {
    let (basis, ints) = AoIntegrals::for_molecule(atoms, basis).expect("basis builds");
    let scf = run_scf(&basis, &ints, charge, multiplicity, &tight_scf()).expect("SCF converges");
    (ints, scf)
}

#[test]
fn ccsd_and_triples_match_pyscf() {
    let (mut worst_ccsd, mut worst_t, mut checked) = (0.0f64, 0.0f64, 0);
    for case in cases() {
        let name = format!("{}/{}", case["molecule"].as_str().expect("name"), case["basis"].as_str().expect("basis"));
        let (ints, scf) = scf_of(&atoms(&case), case["basis"].as_str().expect("basis"), 0, 1);
        let err = (scf.energy - case["energy"].as_f64().expect("energy")).abs();
        assert!(err < ENERGY_TOLERANCE, "{name}: RHF energy off by {err:e}");
        for (frozen, golden) in case["frozen"].as_object().expect("frozen") {
            let frozen: usize = frozen.parse().expect("frozen count");
            let mo = MoIntegrals::new(&ints, &scf, frozen).expect("closed shell with virtuals");
            let result = ccsd(&mo, &tight_cc()).unwrap_or_else(|e| panic!("{name} frozen={frozen}: {e}"));
            let e_t = triples_correction(&mo, &result);
            let d_ccsd = (result.correlation_energy - golden["e_ccsd"].as_f64().expect("e_ccsd")).abs();
            let d_t = (e_t - golden["e_t"].as_f64().expect("e_t")).abs();
            println!(
                "{name:>22} frozen={frozen} E_CCSD = {:.12} |Δ| = {d_ccsd:.1e}  E_(T) = {e_t:.12} |Δ| = {d_t:.1e}  ({} iterations)",
                result.correlation_energy, result.iterations
            );
            assert!(d_ccsd < ENERGY_TOLERANCE, "{name} frozen={frozen}: CCSD off by {d_ccsd:e}");
            assert!(d_t < ENERGY_TOLERANCE, "{name} frozen={frozen}: (T) off by {d_t:e}");
            assert!((result.total_energy - scf.energy - result.correlation_energy).abs() < 1e-12);
            worst_ccsd = worst_ccsd.max(d_ccsd);
            worst_t = worst_t.max(d_t);
            checked += 1;
        }
    }
    println!("worst |Δ|: CCSD {worst_ccsd:.1e}, (T) {worst_t:.1e}");
    assert_eq!(checked, 16, "frozen-core cases in the golden file");
}

#[test]
fn references_without_correlation_space_are_errors() {
    let oh = [Atom { z: 8, position: [0.0; 3] }, Atom { z: 1, position: [0.0, 0.0, 1.8324] }];
    let (ints, scf) = scf_of(&oh, "sto-3g", 0, 2);
    assert_eq!(MoIntegrals::new(&ints, &scf, 0), Err(CcError::OpenShell { n_alpha: 5, n_beta: 4 }));

    let h2 = [Atom { z: 1, position: [0.0; 3] }, Atom { z: 1, position: [0.0, 0.0, 1.4] }];
    let (ints, scf) = scf_of(&h2, "sto-3g", 0, 1);
    assert_eq!(MoIntegrals::new(&ints, &scf, 1), Err(CcError::NoCorrelatedOccupied { frozen: 1, occupied: 1 }));

    let helium = [Atom { z: 2, position: [0.0; 3] }];
    let (ints, scf) = scf_of(&helium, "sto-3g", 0, 1);
    assert_eq!(MoIntegrals::new(&ints, &scf, 0), Err(CcError::NoVirtual { orbitals: 1, occupied: 1 }));
}

#[test]
fn too_few_iterations_is_an_error_value() {
    let water = [
        Atom { z: 8, position: [0.0; 3] },
        Atom { z: 1, position: [0.0, 1.430523, 1.107270] },
        Atom { z: 1, position: [0.0, -1.430523, 1.107270] },
    ];
    let (ints, scf) = scf_of(&water, "sto-3g", 0, 1);
    let mo = MoIntegrals::new(&ints, &scf, 0).expect("closed shell");
    let options = CcsdOptions { max_iterations: 2, ..CcsdOptions::default() };
    match ccsd(&mo, &options) {
        Err(CcError::NotConverged { iterations: 2, last_energy_change, amplitude_change }) => {
            assert!(last_energy_change.abs() > 0.0 && amplitude_change > options.amplitude_tolerance);
        }
        other => panic!("expected NotConverged after 2 iterations, got {other:?}"),
    }
}

//! qdf's AO integrals over d and f shells against PySCF (`cart=False`).
//!
//! The golden data `golden/integrals/pyscf_integrals.json` comes from
//! `golden/integrals/make_golden.py` (PySCF with the shipped basis files, geometries in bohr copied
//! into the JSON); no Python runs here. Cases: water/cc-pVDZ, a distorted water/cc-pVTZ (f shells),
//! a bent HCNO/6-31G*. Checked: AO labels, S, T, V, dipole integrals, 4000 sampled ERIs, and the
//! Coulomb and exchange matrices of a random symmetric density (which weigh in every ERI).

use ndarray::Array2;
use qdf_runtime::chem::basis::AoBasis;
use qdf_runtime::chem::integrals::{dipole, electron_repulsion, one_electron};
use qdf_runtime::chem::jk::{coulomb, coulomb_exchange, exchange};
use qdf_runtime::chem::Atom;
use serde_json::Value;

const GOLDEN: &str = include_str!("golden/integrals/pyscf_integrals.json");

/// Observed errors are near 1e-14 for one-electron integrals and ERIs.
const TOLERANCE: f64 = 1e-12;
/// J and K sum nao² ERIs times O(1) densities.
const JK_TOLERANCE: f64 = 1e-10;

fn cases() -> Vec<Value> {
    let golden: Value = serde_json::from_str(GOLDEN).expect("golden JSON parses");
    golden["cases"].as_array().expect("cases").clone()
}

fn label(case: &Value) -> String {
    format!("{}/{}", case["molecule"].as_str().unwrap_or("?"), case["basis"].as_str().unwrap_or("?"))
}

fn f64_of(value: &Value) -> f64 {
    value.as_f64().expect("a number")
}

fn vector(value: &Value) -> Vec<f64> {
    value.as_array().expect("array").iter().map(f64_of).collect()
}

fn matrix(value: &Value) -> Array2<f64> {
    let rows: Vec<Vec<f64>> = value.as_array().expect("rows").iter().map(vector).collect();
    Array2::from_shape_fn((rows.len(), rows[0].len()), |(i, j)| rows[i][j])
}

fn basis(case: &Value) -> AoBasis {
    let atoms: Vec<Atom> = case["atoms"]
        .as_array()
        .expect("atoms")
        .iter()
        .map(|a| {
            let p = vector(&a["position"]);
            Atom { z: a["z"].as_u64().expect("z") as u8, position: [p[0], p[1], p[2]] }
        })
        .collect();
    let basis = AoBasis::new(&atoms, case["basis"].as_str().expect("basis")).expect("basis builds");
    assert_eq!(basis.nao as u64, case["nao"].as_u64().expect("nao"), "{}", label(case));
    basis
}

fn max_abs_diff(a: &Array2<f64>, b: &Array2<f64>) -> f64 {
    assert_eq!(a.dim(), b.dim());
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max)
}

fn check(case: &Value, name: &str, ours: &Array2<f64>, theirs: &Array2<f64>, tolerance: f64) {
    let err = max_abs_diff(ours, theirs);
    println!("{:>18} {name:10} max |Δ| = {err:.2e}", label(case));
    assert!(err < tolerance, "{} {name}: max |Δ| = {err:e}", label(case));
}

#[test]
fn ao_labels_follow_pyscf() {
    for case in cases() {
        // PySCF writes "0 O 3dxy"; qdf leaves out the principal quantum number.
        let theirs: Vec<String> = case["ao_labels"]
            .as_array()
            .expect("labels")
            .iter()
            .map(|l| {
                let parts: Vec<&str> = l.as_str().expect("label").split_whitespace().collect();
                format!("{} {} {}", parts[0], parts[1], parts[2].trim_start_matches(|c: char| c.is_ascii_digit()))
            })
            .collect();
        assert_eq!(basis(&case).ao_labels(), theirs, "{}", label(&case));
    }
}

#[test]
fn one_electron_and_dipole_integrals_match_pyscf() {
    for case in cases() {
        let basis = basis(&case);
        let ints = one_electron(&basis);
        for (name, ours) in [("overlap", &ints.overlap), ("kinetic", &ints.kinetic), ("nuclear", &ints.nuclear)] {
            check(&case, name, ours, &matrix(&case[name]), TOLERANCE);
        }
        let origin = vector(&case["dipole_origin"]);
        let ours = dipole(&basis, [origin[0], origin[1], origin[2]]);
        let theirs = case["dipole"].as_array().expect("three matrices");
        for (x, name) in ["dipole x", "dipole y", "dipole z"].iter().enumerate() {
            check(&case, name, &ours[x], &matrix(&theirs[x]), TOLERANCE);
        }
    }
}

#[test]
fn electron_repulsion_and_jk_match_pyscf() {
    for case in cases() {
        let basis = basis(&case);
        let eri = electron_repulsion(&basis);
        let mut err: f64 = 0.0;
        for sample in case["eri_sample"].as_array().expect("samples") {
            let s = sample.as_array().expect("quartet");
            let index = |k: usize| s[k].as_u64().expect("index") as usize;
            err = err.max((eri[[index(0), index(1), index(2), index(3)]] - f64_of(&s[4])).abs());
        }
        println!("{:>18} eri sample max |Δ| = {err:.2e}", label(&case));
        assert!(err < TOLERANCE, "{} ERIs: max |Δ| = {err:e}", label(&case));
        let d = matrix(&case["density"]);
        let (j, k) = coulomb_exchange(&eri, &d);
        check(&case, "coulomb", &coulomb(&eri, &d), &matrix(&case["coulomb"]), JK_TOLERANCE);
        check(&case, "exchange", &exchange(&eri, &d), &matrix(&case["exchange"]), JK_TOLERANCE);
        check(&case, "J (joint)", &j, &matrix(&case["coulomb"]), JK_TOLERANCE);
        check(&case, "K (joint)", &k, &matrix(&case["exchange"]), JK_TOLERANCE);
    }
}

//! Golden tests for `qdf_compiler::geometry`.
//!
//! `geometry_golden/zmatrix.json` is written by
//! `geometry_golden/make_zmatrix_golden.py` from PySCF's `from_zmatrix`
//! (via `gto.Mole(unit="Angstrom").atom_coords()`, in bohr).

use qdf_compiler::geometry::{parse_xyz, zmatrix_to_cartesian, ZmatrixRow};
use serde_json::Value;

const GOLDEN: &str = include_str!("geometry_golden/zmatrix.json");
const TOL: f64 = 1e-10;

struct Case {
    name: String,
    rows: Vec<ZmatrixRow>,
    reference: Vec<[f64; 3]>,
}

fn internal(v: &Value) -> Option<(usize, f64)> {
    if v.is_null() {
        return None;
    }
    let pair = v.as_array().expect("[ref, value]");
    let reference = pair[0].as_u64().expect("reference index") as usize;
    let value = pair[1].as_f64().expect("value");
    Some((reference, value))
}

fn cases() -> Vec<Case> {
    let golden: Value = serde_json::from_str(GOLDEN).expect("golden JSON");
    assert_eq!(golden["units"]["bond"], "bohr");
    assert_eq!(golden["units"]["angle"], "radian");
    golden["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|case| Case {
            name: case["name"].as_str().expect("name").to_string(),
            rows: case["rows"]
                .as_array()
                .expect("rows")
                .iter()
                .map(|row| ZmatrixRow {
                    bond: internal(&row["bond"]),
                    angle: internal(&row["angle"]),
                    dihedral: internal(&row["dihedral"]),
                })
                .collect(),
            reference: case["cartesian_bohr"]
                .as_array()
                .expect("cartesian_bohr")
                .iter()
                .map(|xyz| {
                    let v: Vec<f64> =
                        xyz.as_array().expect("xyz").iter().map(|x| x.as_f64().expect("coordinate")).collect();
                    [v[0], v[1], v[2]]
                })
                .collect(),
        })
        .collect()
}

fn sub(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn distance(a: [f64; 3], b: [f64; 3]) -> f64 {
    let d = sub(a, b);
    (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt()
}

/// Signed volume (b - a) · ((c - a) × (d - a)).
fn triple(a: [f64; 3], b: [f64; 3], c: [f64; 3], d: [f64; 3]) -> f64 {
    let (u, v, w) = (sub(b, a), sub(c, a), sub(d, a));
    u[0] * (v[1] * w[2] - v[2] * w[1]) + u[1] * (v[2] * w[0] - v[0] * w[2]) + u[2] * (v[0] * w[1] - v[1] * w[0])
}

fn convert(case: &Case) -> Vec<[f64; 3]> {
    let coords = zmatrix_to_cartesian(&case.rows).unwrap_or_else(|e| panic!("{}: unexpected error: {e}", case.name));
    assert_eq!(coords.len(), case.reference.len(), "{}", case.name);
    coords
}

#[test]
fn golden_has_the_requested_cases() {
    let names: Vec<String> = cases().into_iter().map(|c| c.name).collect();
    for want in [
        "water",
        "ammonia",
        "methane",
        "hydrogen_peroxide_120",
        "hydrogen_peroxide_minus_60",
        "ethane_staggered",
        "chain6",
    ] {
        assert!(names.iter().any(|n| n == want), "missing case {want}");
    }
}

#[test]
fn zmatrix_distance_matrices_match_pyscf() {
    for case in cases() {
        let ours = convert(&case);
        let n = ours.len();
        for i in 0..n {
            for j in 0..i {
                let (a, b) = (distance(ours[i], ours[j]), distance(case.reference[i], case.reference[j]));
                assert!((a - b).abs() < TOL, "{}: |r{i} - r{j}| = {a}, PySCF {b}", case.name);
            }
        }
    }
}

#[test]
fn zmatrix_chirality_matches_pyscf() {
    let mut nonzero = 0;
    for case in cases() {
        let (ours, theirs) = (convert(&case), &case.reference);
        let n = ours.len();
        for i in 0..n {
            for j in i + 1..n {
                for k in j + 1..n {
                    for l in k + 1..n {
                        let a = triple(ours[i], ours[j], ours[k], ours[l]);
                        let b = triple(theirs[i], theirs[j], theirs[k], theirs[l]);
                        assert!((a - b).abs() < TOL, "{}: volume({i},{j},{k},{l}) = {a}, PySCF {b}", case.name);
                        if b.abs() > 1e-3 {
                            nonzero += 1;
                        }
                    }
                }
            }
        }
    }
    // The check must not pass vacuously on planar geometries.
    assert!(nonzero > 100, "only {nonzero} chiral quadruples");
}

#[test]
fn hydrogen_peroxide_enantiomers_differ() {
    let all = cases();
    let volume = |name: &str| {
        let case = all.iter().find(|c| c.name == name).expect("case");
        let c = convert(case);
        triple(c[0], c[1], c[2], c[3])
    };
    let (plus, minus) = (volume("hydrogen_peroxide_120"), volume("hydrogen_peroxide_minus_60"));
    assert!(plus.abs() > 0.1 && minus.abs() > 0.1);
    assert!(plus.signum() != minus.signum());
}

#[test]
fn zmatrix_raw_coordinates_match_pyscf() {
    for case in cases() {
        let ours = convert(&case);
        for (i, (a, b)) in ours.iter().zip(&case.reference).enumerate() {
            for axis in 0..3 {
                assert!((a[axis] - b[axis]).abs() < TOL, "{}: atom {i} axis {axis}: {a:?} vs PySCF {b:?}", case.name);
            }
        }
    }
}

#[test]
fn xyz_round_trip_of_golden_geometry() {
    // Write the golden methane in angstrom as an XYZ file and read it back.
    const BOHR_IN_ANGSTROM: f64 = 0.529_177_210_92;
    let all = cases();
    let case = all.iter().find(|c| c.name == "methane").expect("methane");
    let mut text = format!("{}\nmethane from PySCF\n", case.reference.len());
    for (i, xyz) in case.reference.iter().enumerate() {
        let symbol = if i == 0 { "C" } else { "H" };
        text += &format!(
            "{symbol} {:.12} {:.12} {:.12}\n",
            xyz[0] * BOHR_IN_ANGSTROM,
            xyz[1] * BOHR_IN_ANGSTROM,
            xyz[2] * BOHR_IN_ANGSTROM
        );
    }
    let frames = parse_xyz(&text).expect("valid xyz");
    assert_eq!(frames.len(), 1);
    assert_eq!(frames[0].comment, "methane from PySCF");
    for (atom, xyz) in frames[0].atoms.iter().zip(&case.reference) {
        for (angstrom, bohr) in atom.position.iter().zip(xyz) {
            assert!((angstrom / BOHR_IN_ANGSTROM - bohr).abs() < 1e-10);
        }
    }
}

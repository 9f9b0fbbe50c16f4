//! Properties of the shipped basis sets that do not need PySCF: every file
//! parses, the data model's invariants hold, and textbook AO counts come out.

use qdf_stdlib::basis::{basis_names, basis_source, load_basis, Harmonics};

#[test]
fn every_shipped_basis_loads_with_its_canonical_name() {
    assert_eq!(
        basis_names(),
        [
            "sto-3g",
            "3-21g",
            "6-31g",
            "6-31g*",
            "6-31g**",
            "6-311g**",
            "cc-pvdz",
            "cc-pvtz",
            "aug-cc-pvdz",
            "def2-svp",
            "def2-tzvp"
        ]
    );
    for &name in basis_names() {
        let basis = load_basis(name).unwrap_or_else(|| panic!("{name} does not load"));
        assert_eq!(basis.name, name);
        assert!(basis_source(name).is_some_and(|s| s.contains("Basis Set Exchange")));
    }
}

#[test]
fn shells_uphold_their_invariants() {
    for &name in basis_names() {
        let basis = load_basis(name).expect("shipped");
        assert!(basis.elements.keys().all(|&z| (1..=36).contains(&z)), "{name}");
        for (z, shells) in &basis.elements {
            assert!(!shells.is_empty(), "{name} Z={z}");
            for s in shells {
                assert!(!s.exponents.is_empty(), "{name} Z={z}");
                assert!(s.exponents.iter().all(|&e| e.is_finite() && e > 0.0), "{name} Z={z}");
                assert!(!s.coefficients.is_empty(), "{name} Z={z}");
                for c in &s.coefficients {
                    assert_eq!(c.len(), s.exponents.len(), "{name} Z={z}");
                    assert!(c.iter().all(|x| x.is_finite()), "{name} Z={z}");
                }
            }
        }
    }
}

#[test]
fn element_coverage() {
    for name in ["sto-3g", "3-21g", "6-31g", "6-31g*", "6-31g**", "def2-svp", "def2-tzvp"] {
        let basis = load_basis(name).expect("shipped");
        assert!((1..=36).all(|z| basis.defines(z)), "{name} defines H..Kr");
    }
    let cc = load_basis("cc-pvdz").expect("shipped");
    assert!(!cc.defines(19), "BSE's cc-pVDZ has no potassium");
    assert!((1..=36).filter(|&z| z != 19).all(|z| cc.defines(z)));
    assert!(!cc.defines(0) && !cc.defines(37));
    assert_eq!(cc.function_count(19, Harmonics::Spherical), None);
    let aug = load_basis("aug-cc-pvdz").expect("shipped");
    assert!(!aug.defines(19) && !aug.defines(20) && aug.defines(21));
    let pople_tz = load_basis("6-311g**").expect("shipped");
    assert!((21..=30).all(|z| !pople_tz.defines(z)), "BSE's 6-311G** has no Sc..Zn");
    assert!(pople_tz.defines(20) && pople_tz.defines(31));
}

#[test]
fn textbook_ao_counts() {
    let count = |name: &str, z: u8, h: Harmonics| load_basis(name).expect("shipped").function_count(z, h);
    use Harmonics::{Cartesian as Cart, Spherical as Sph};
    // STO-3G: one function per occupied atomic orbital.
    assert_eq!(count("sto-3g", 1, Sph), Some(1));
    assert_eq!(count("sto-3g", 8, Sph), Some(5));
    assert_eq!(count("sto-3g", 17, Sph), Some(9));
    // 6-31G: split valence, [3s2p] for C; 6-31G* adds one d (5 or 6 functions).
    assert_eq!(count("6-31g", 1, Sph), Some(2));
    assert_eq!(count("6-31g", 6, Sph), Some(9));
    assert_eq!(count("6-31g*", 1, Sph), Some(2));
    assert_eq!(count("6-31g*", 6, Sph), Some(14));
    assert_eq!(count("6-31g*", 6, Cart), Some(15));
    // cc-pVDZ: [2s1p] for H, [3s2p1d] for C.
    assert_eq!(count("cc-pvdz", 1, Sph), Some(5));
    assert_eq!(count("cc-pvdz", 6, Sph), Some(14));
    assert_eq!(count("cc-pvdz", 6, Cart), Some(15));
    // 3-21G: [3s2p] for C; 6-31G** adds p on H; 6-311G**: [4s3p1d] for C.
    assert_eq!(count("3-21g", 6, Sph), Some(9));
    assert_eq!(count("6-31g**", 1, Sph), Some(5));
    assert_eq!(count("6-31g**", 6, Cart), Some(15));
    assert_eq!(count("6-311g**", 1, Sph), Some(6));
    assert_eq!(count("6-311g**", 6, Sph), Some(18));
    // cc-pVTZ: [3s2p1d] for H, [4s3p2d1f] for C; aug-cc-pVDZ: [3s2p] H, [4s3p2d] C.
    assert_eq!(count("cc-pvtz", 1, Sph), Some(14));
    assert_eq!(count("cc-pvtz", 6, Sph), Some(30));
    assert_eq!(count("cc-pvtz", 6, Cart), Some(35));
    assert_eq!(count("aug-cc-pvdz", 1, Sph), Some(9));
    assert_eq!(count("aug-cc-pvdz", 6, Sph), Some(23));
    // def2-SVP: [2s1p] H, [3s2p1d] C; def2-TZVP: [3s1p] H, [5s3p2d1f] C.
    assert_eq!(count("def2-svp", 1, Sph), Some(5));
    assert_eq!(count("def2-svp", 6, Sph), Some(14));
    assert_eq!(count("def2-tzvp", 1, Sph), Some(6));
    assert_eq!(count("def2-tzvp", 6, Sph), Some(31));
}

#[test]
fn sp_shells_are_split_and_general_contractions_kept() {
    // 6-31G carbon: S(6) + SP(3) + SP(1) -> S, S, P, S, P.
    let c = load_basis("6-31g").expect("shipped").shells(6).expect("C");
    let momenta: Vec<u8> = c.iter().map(|s| s.angular_momentum).collect();
    assert_eq!(momenta, [0, 0, 1, 0, 1]);
    assert_eq!(c[1].exponents, c[2].exponents);
    assert!((c[1].exponents[0] - 7.86827235).abs() < 1e-12);
    assert!((c[2].coefficients[0][0] - 0.06899906659).abs() < 1e-15);

    // cc-pVDZ carbon: one S shell with 9 primitives and 3 contractions.
    let c = load_basis("cc-pvdz").expect("shipped").shells(6).expect("C");
    assert_eq!(c[0].angular_momentum, 0);
    assert_eq!((c[0].primitive_count(), c[0].contraction_count()), (9, 3));
    assert_eq!(c[0].coefficients[2][8], 1.0);
}

#[test]
fn declared_harmonics_follow_bse() {
    let declared = |name| load_basis(name).expect("shipped").declared_harmonics;
    assert_eq!(declared("sto-3g"), Harmonics::Spherical);
    assert_eq!(declared("6-31g"), Harmonics::Cartesian);
    assert_eq!(declared("6-31g*"), Harmonics::Cartesian);
    assert_eq!(declared("cc-pvdz"), Harmonics::Spherical);
    for name in ["3-21g", "6-31g**", "6-311g**"] {
        assert_eq!(declared(name), Harmonics::Cartesian, "{name}");
    }
    for name in ["cc-pvtz", "aug-cc-pvdz", "def2-svp", "def2-tzvp"] {
        assert_eq!(declared(name), Harmonics::Spherical, "{name}");
    }
}

#[test]
fn highest_angular_momentum_per_set() {
    // f functions in cc-pVTZ and def2-TZVP for C; g in cc-pVTZ for Sc..Zn.
    let max_l = |name: &str, z: u8| {
        load_basis(name).expect("shipped").shells(z).expect("defined").iter().map(|s| s.angular_momentum).max()
    };
    assert_eq!(max_l("cc-pvtz", 6), Some(3));
    assert_eq!(max_l("cc-pvtz", 30), Some(4));
    assert_eq!(max_l("cc-pvtz", 36), Some(3));
    assert_eq!(max_l("def2-tzvp", 6), Some(3));
    assert_eq!(max_l("6-31g**", 1), Some(1));
    assert_eq!(max_l("3-21g", 6), Some(1));
}

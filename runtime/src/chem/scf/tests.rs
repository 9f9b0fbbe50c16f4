use ndarray::Array2;

use super::*;
use crate::chem::basis::AoBasis;

fn water() -> [Atom; 3] {
    [
        Atom { z: 8, position: [0.0; 3] },
        Atom { z: 1, position: [0.0, 1.43, 1.1] },
        Atom { z: 1, position: [0.0, -1.43, 1.1] },
    ]
}

#[test]
fn electron_counting() {
    let water = water();
    assert_eq!(electron_counts(&water, 0, 1), Ok((5, 5)));
    assert_eq!(electron_counts(&water, 1, 2), Ok((5, 4)));
    assert_eq!(electron_counts(&water, 0, 3), Ok((6, 4)));
    assert_eq!(electron_counts(&water, 0, 2), Err(ScfError::MultiplicityMismatch { electrons: 10, multiplicity: 2 }));
    assert_eq!(electron_counts(&water, 10, 1), Err(ScfError::NoElectrons { electrons: 0 }));
    assert_eq!(electron_counts(&water, 0, 13), Err(ScfError::MultiplicityMismatch { electrons: 10, multiplicity: 13 }));
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
    // The ladder retries once with a level shift and counts both attempts.
    match run_scf(&basis, &ints, 0, 1, &options) {
        Err(ScfError::NotConverged { iterations: 2, level_shift, .. }) => assert_eq!(level_shift, RETRY_LEVEL_SHIFT),
        other => panic!("expected NotConverged, got {other:?}"),
    }
    let defaults = ScfOptions::default();
    assert_eq!(rhf(&basis, &ints, 3, &defaults), Err(ScfError::OpenShell { n_alpha: 2, n_beta: 1 }));
    assert!(matches!(rhf(&basis, &ints, 6, &defaults), Err(ScfError::TooFewOrbitals { .. })));
    let bad_guess = ScfOptions { guess: Guess::Density(Array2::zeros((3, 3))), ..ScfOptions::default() };
    assert_eq!(rhf(&basis, &ints, 2, &bad_guess), Err(ScfError::GuessShape { expected: 2, rows: 3, cols: 3 }));
    assert_eq!(
        run_scf_with(&basis, &ints, 1, 2, ScfMethod::Rhf, &defaults),
        Err(ScfError::OpenShell { n_alpha: 1, n_beta: 0 })
    );
}

#[test]
fn guesses_agree_on_the_solution() {
    let basis = AoBasis::new(&water(), "6-31g").expect("defined");
    let ints = AoIntegrals::new(&basis);
    let atomic = rhf(&basis, &ints, 10, &ScfOptions::default()).expect("converges");
    let core = ScfOptions { guess: Guess::Core, ..ScfOptions::default() };
    let from_core = rhf(&basis, &ints, 10, &core).expect("converges");
    assert!((atomic.energy - from_core.energy).abs() < 1e-10);
    let restart = ScfOptions { guess: Guess::Density(atomic.density.clone()), ..ScfOptions::default() };
    let restarted = rhf(&basis, &ints, 10, &restart).expect("converges");
    assert!((atomic.energy - restarted.energy).abs() < 1e-10);
    assert!(restarted.iterations <= 3, "{} iterations from the converged density", restarted.iterations);
}

/// A level shift changes the path, not the solution, nor the final (unshifted) orbital energies.
#[test]
fn level_shift_leaves_the_solution_unchanged() {
    let basis = AoBasis::new(&water(), "6-31g").expect("defined");
    let ints = AoIntegrals::new(&basis);
    let cation = |method, level_shift| {
        let options = ScfOptions { level_shift, ..ScfOptions::default() };
        run_scf_with(&basis, &ints, 1, 2, method, &options).expect("converges")
    };
    for method in [ScfMethod::Rohf, ScfMethod::Uhf] {
        let plain = cation(method, 0.0);
        let shifted = cation(method, 0.5);
        assert_eq!(shifted.level_shift, 0.5);
        assert!((plain.energy - shifted.energy).abs() < 1e-10, "{method:?}");
        let err = (&plain.mo_energy - &shifted.mo_energy).iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        assert!(err < 1e-6, "{method:?}: orbital energies moved by {err:e}");
    }
}

/// For a closed shell UHF from the spin-symmetric guess is RHF, with ⟨S²⟩ = 0; an open-shell UHF
/// lies below ROHF and is spin-contaminated.
#[test]
fn uhf_against_rhf_and_rohf() {
    let basis = AoBasis::new(&water(), "6-31g").expect("defined");
    let ints = AoIntegrals::new(&basis);
    let defaults = ScfOptions::default();
    let rhf = run_scf_with(&basis, &ints, 0, 1, ScfMethod::Rhf, &defaults).expect("converges");
    let uhf = run_scf_with(&basis, &ints, 0, 1, ScfMethod::Uhf, &defaults).expect("converges");
    assert!((rhf.energy - uhf.energy).abs() < 1e-10);
    assert!(uhf.spin_square.abs() < 1e-10 && rhf.spin_square.abs() < 1e-10);
    let beta = uhf.beta.expect("UHF has β orbitals");
    assert!((&beta.mo_energy - &rhf.mo_energy).iter().all(|d| d.abs() < 1e-6));

    let rohf = run_scf_with(&basis, &ints, 0, 3, ScfMethod::Rohf, &defaults).expect("converges");
    let uhf = run_scf_with(&basis, &ints, 0, 3, ScfMethod::Uhf, &defaults).expect("converges");
    assert!(uhf.energy < rohf.energy);
    assert!((rohf.spin_square - 2.0).abs() < 1e-10, "ROHF ⟨S²⟩ = {}", rohf.spin_square);
    assert!(uhf.spin_square > 2.0 && uhf.spin_square < 2.1, "UHF ⟨S²⟩ = {}", uhf.spin_square);
    assert_eq!(uhf.mo_occ.sum(), 6.0);
}

/// Without DIIS, plain Roothaan iterations on stretched water oscillate for ever; the retry with
/// a level shift converges to the DIIS solution.
#[test]
fn the_retry_ladder_rescues_an_oscillating_scf() {
    let atoms = [
        Atom { z: 8, position: [0.0; 3] },
        Atom { z: 1, position: [0.0, 2.9, 2.2] },
        Atom { z: 1, position: [0.0, -2.9, 2.2] },
    ];
    let basis = AoBasis::new(&atoms, "6-31g").expect("defined");
    let ints = AoIntegrals::new(&basis);
    let reference = run_scf(&basis, &ints, 0, 1, &ScfOptions::default()).expect("converges");
    assert_eq!(reference.level_shift, 0.0);
    let plain = ScfOptions { diis_space: 0, max_iterations: 300, guess: Guess::Core, ..ScfOptions::default() };
    assert!(matches!(rhf(&basis, &ints, 10, &plain), Err(ScfError::NotConverged { .. })));
    let rescued = run_scf(&basis, &ints, 0, 1, &plain).expect("the level shift converges");
    assert_eq!(rescued.level_shift, RETRY_LEVEL_SHIFT);
    assert!((rescued.energy - reference.energy).abs() < 1e-9, "{} vs {}", rescued.energy, reference.energy);
}

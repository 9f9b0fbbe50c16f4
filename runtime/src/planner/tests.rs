use super::*;
use qdf_compiler::{compile, NoFiles};

use crate::qubit::PauliString;

fn plans(source: &str, options: &PlanOptions) -> Vec<GeneratePlan> {
    let compilation = compile("planner_test.qdf", source, &NoFiles);
    let errors: Vec<&str> =
        compilation.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.message.as_str()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let ir = compilation.ir.expect("compiles");
    plan_experiment(&ir, options, &mut |_, _, _| {}).expect("plannable")
}

fn h2(generate: &str, mapping: &str) -> String {
    format!(
        "molecule h2 {{ geometry = xyz {{ H 0 0 0  H 0 0 0.74 }} }}\n\
         active_space cas {{ molecule = h2 }}\n\
         mapping m {{ {mapping} }}\n\
         ansatz ucc {{ kind = uccsd  space = cas  mapping = m }}\n\
         generate data {{ ansatz = ucc  {generate} }}\n"
    )
}

/// The single-shot variance of `Σ c P` over the group's strings in `state`, computed densely.
fn variance(terms: &[(PauliString, f64)], state: &StateVector) -> f64 {
    let mut applied = StateVector::basis(state.n_qubits(), 0);
    applied.amplitudes_mut().iter_mut().for_each(|u| *u = num_complex::Complex64::new(0.0, 0.0));
    for &(p, c) in terms {
        let mut v = state.clone();
        v.apply_pauli(p);
        for (u, w) in applied.amplitudes_mut().iter_mut().zip(v.amplitudes()) {
            *u += c * w;
        }
    }
    let mean = state.inner(&applied).re;
    applied.norm_sqr() - mean * mean
}

#[test]
fn h2_plan_counts_qubits_parameters_groups_and_shots() {
    let source = h2("noise = shots  shots = 1e6  precision = 1 millihartree", "kind = jordan_wigner");
    let plan = &plans(&source, &PlanOptions::default())[0];
    assert_eq!(plan.points.len(), 1);
    assert!(plan.points[0].failed.is_none(), "{:?}", plan.points[0].failed);
    assert_eq!((plan.qubits_mapped, plan.qubits), (4, 4));
    assert_eq!(plan.parameters, 3, "H2 UCCSD: two singles and one double");
    // Jordan–Wigner H2/STO-3G: 14 non-identity strings; qubit-wise, the Z strings share one
    // setting and XXYY, XYYX, YXXY, YYXX need one each.
    assert_eq!(plan.terms, 14);
    assert_eq!(plan.groups, 5);
    assert_eq!(plan.points[0].variances, "ground_state");
    // A single-excitation-free ground state: the double's eight rotations dominate the gates.
    assert!(plan.gates.two_qubit > 0 && plan.depth > 0);

    // Independently: the exact ground state, the grouped variances and the optimal total
    // (Σ_g sqrt(Var_g))² / ε², against the planner's count.
    let compilation = compile("planner_test.qdf", &source, &NoFiles);
    let ir = compilation.ir.expect("compiles");
    let job = &Plan::new(&ir).expect("plan").datasets[0].points[0];
    let problem = ActiveProblem::new(&ir, job).expect("SCF converges");
    let a = &problem.hamiltonian;
    let h = crate::qubit::jordan_wigner::jordan_wigner(a.core_energy, a.h1.view(), a.eri.view()).expect("maps");
    let exact = crate::qubit::jordan_wigner::lowest_eigenvalue(&h, crate::qubit::jordan_wigner::Sector::Particles(2))
        .expect("sector");
    let start = StateVector::basis(4, crate::qubit::jordan_wigner::hartree_fock_state(1, 1));
    let (energy, state) = ground_state::ground_state(&Observable::new(&h), &start, 1e-10).expect("Lanczos");
    assert!((energy - exact).abs() < 1e-9);
    let z_terms: Vec<(PauliString, f64)> =
        h.terms.iter().copied().filter(|(p, _)| p.x == 0 && *p != PauliString::IDENTITY).collect();
    let mut deviations = vec![variance(&z_terms, &state).max(0.0).sqrt()];
    for (p, c) in h.terms.iter().copied().filter(|(p, _)| p.x != 0) {
        deviations.push(variance(&[(p, c)], &state).max(0.0).sqrt());
    }
    let optimal = deviations.iter().sum::<f64>().powi(2) / 1e-6;
    let needed = plan.shots_needed.expect("precision given") as f64;
    assert!(needed >= optimal && needed <= optimal * 1.01 + 5.0, "planner {needed}, by hand {optimal}");
    assert_eq!(plan.shots_given, Some(1_000_000));
    assert!(plan.findings.is_empty(), "{:?}", plan.findings);
}

#[test]
fn too_few_shots_marginal_shots_and_a_small_budget_are_findings() {
    let too_few = &plans(
        &h2("noise = shots  shots = 100  precision = 1 millihartree", "kind = jordan_wigner"),
        &PlanOptions::default(),
    )[0];
    assert_eq!(too_few.findings.len(), 1, "{:?}", too_few.findings);
    assert_eq!(too_few.findings[0].code, Code::PrecisionUnreachable);
    assert!(too_few.standard_error.expect("shots given") > 1e-3);

    let needed = too_few.shots_needed.expect("precision given");
    let marginal = format!("noise = shots  shots = {}  precision = 1 millihartree", needed + needed / 10);
    let marginal = &plans(&h2(&marginal, "kind = jordan_wigner"), &PlanOptions::default())[0];
    assert_eq!(marginal.findings.iter().map(|f| f.code).collect::<Vec<_>>(), vec![Code::PrecisionMarginal]);

    let budget = "noise = shots  shots = 1e5  budget = 1e6 shots  optimizer = adam { max_iter = 10 }";
    let over = &plans(&h2(budget, "kind = jordan_wigner"), &PlanOptions::default())[0];
    // 10 iterations × (1 + 2R) evaluations × 1e5 shots, R rotations ≥ 3.
    assert!(over.total_shots.expect("shots") >= 10 * 7 * 100_000);
    assert_eq!(over.findings.iter().map(|f| f.code).collect::<Vec<_>>(), vec![Code::BudgetExceeded]);
}

#[test]
fn tapering_and_the_two_qubit_reduction_shrink_the_register() {
    let reduced =
        &plans(&h2("noise = shots  shots = 1e5", "kind = parity  two_qubit_reduction = on"), &PlanOptions::default())
            [0];
    assert_eq!((reduced.qubits_mapped, reduced.qubits_before_tapering, reduced.qubits), (4, 2, 2));
    let tapered =
        &plans(&h2("noise = shots  shots = 1e5", "kind = jordan_wigner  tapering = on"), &PlanOptions::default())[0];
    assert_eq!((tapered.qubits_mapped, tapered.qubits_before_tapering, tapered.qubits), (4, 4, 1));
}

#[test]
fn quick_planning_skips_exact_and_large_generates() {
    let exact = &plans(&h2("", "kind = jordan_wigner"), &PlanOptions { quick: Some(QuickLimits::default()) })[0];
    assert!(exact.skipped.is_some() && exact.points.is_empty());
    let water = "molecule w { geometry = xyz { O 0 0 0  H 0 0.757 0.587  H 0 -0.757 0.587 }  basis = \"cc-pvtz\" }\n\
                 active_space cas { molecule = w  electrons = 4  orbitals = 4 }\n\
                 ansatz ucc { kind = uccsd  space = cas }\n\
                 generate data { ansatz = ucc  noise = shots  shots = 1e5  precision = 1 millihartree }\n";
    let large = &plans(water, &PlanOptions { quick: Some(QuickLimits::default()) })[0];
    let reason = large.skipped.as_deref().expect("cc-pVTZ water has 58 basis functions, beyond the quick limit");
    assert!(reason.contains("basis functions"), "{reason}");
}

#[test]
fn a_device_adds_native_counts_fidelity_time_and_cost() {
    let source = format!(
        "import std.targets.ionq\n{}",
        h2(
            "device = ionq.aria  noise = shots  shots = 1e4  optimizer = adam { max_iter = 10 }",
            "kind = jordan_wigner"
        )
    );
    let plan = &plans(&source, &PlanOptions::default())[0];
    let native = plan.native.as_ref().expect("a device is named");
    assert_eq!(native.target, crate::native::Target::IonqMs);
    // One MS per entangling step of the CNOT ladders, fewer where RZZ synthesis merges them.
    assert!(native.two_qubit > 0 && native.two_qubit <= plan.gates.two_qubit, "{native:?}");
    assert!(native.fidelity > 0.0 && native.fidelity < 1.0);
    let total = plan.total_shots.expect("shots given") as f64;
    let duration = native.duration.expect("Aria has gate times");
    assert!((plan.qpu_seconds.expect("times") - total * duration).abs() <= 1e-9 * total * duration);
    let usd = plan.usd.expect("Aria has prices");
    let by_hand = total * (native.one_qubit as f64 * 0.000220 + native.two_qubit as f64 * 0.000975);
    assert!((usd - by_hand).abs() <= 1e-9 * by_hand, "{usd} vs {by_hand}");
}

/// Zero-noise extrapolation over scales 1, 3, 5 needs 3·Σw² ≈ 15.7 times the shots for the same
/// precision, and the same shots give a standard error √15.7 times wider: plan and run agree.
#[test]
fn zero_noise_extrapolation_multiplies_the_shots_a_precision_needs() {
    let options = PlanOptions::default();
    let noise = "noise quiet { depolarizing_2q = 0.01  readout_error = 0.01 }\n";
    let plain = &plans(
        &format!("{noise}{}", h2("noise = quiet  shots = 1e5  precision = 1 millihartree", "kind = jordan_wigner")),
        &options,
    )[0];
    let zne = "noise = quiet  shots = 1e5  precision = 1 millihartree  mitigation = [zne]";
    let mitigated = &plans(&format!("{noise}{}", h2(zne, "kind = jordan_wigner")), &options)[0];
    let factor = 3.0 * 334.0 / 64.0;
    let (needed, mitigated_needed) =
        (plain.shots_needed.expect("precision") as f64, mitigated.shots_needed.expect("precision") as f64);
    assert!((mitigated_needed / needed - factor).abs() < 1e-3, "{needed} → {mitigated_needed}");
    let (error, mitigated_error) = (plain.standard_error.expect("shots"), mitigated.standard_error.expect("shots"));
    assert!((mitigated_error / error - factor.sqrt()).abs() < 1e-9, "{error} → {mitigated_error}");
}

//! The Cranelift JIT against the interpreter: compiled stage kernels must reproduce
//! `Program::run` and compiled Pauli sums `PauliSumKernel::expectation`, to 1e-12, on random
//! templates (every gate kind, fixed and run-time angles, wide Pauli rotations), random states and
//! random sums, including states larger than a tile (gathered and whole-state stages).

use num_complex::Complex64;
use qdf_runtime::qubit::{PauliString, PauliSum};
use qdf_runtime::sim::StateVector;
use qdf_runtime::svsim::gate::mul2;
use qdf_runtime::svsim::jit::{JitError, JitPauliSum, JitProgram, Routing};
use qdf_runtime::svsim::pauli_sum::PauliSumKernel;
use qdf_runtime::svsim::{Angle, Gate, Program, Template};

mod support;
use support::SplitMix as Rng;

/// The angles this file's random circuits draw.
impl Rng {
    fn angle(&mut self) -> f64 {
        (self.uniform() - 0.5) * 4.0 * std::f64::consts::PI
    }
}

fn random_state(rng: &mut Rng, n: u32) -> StateVector {
    let amps = (0..1usize << n).map(|_| Complex64::new(rng.uniform() - 0.5, rng.uniform() - 0.5)).collect();
    let mut s = StateVector::from_amplitudes(amps);
    s.normalize();
    s
}

/// A random Pauli string on `n` qubits with about `density` of them non-identity.
fn random_pauli(rng: &mut Rng, n: u32, density: f64, letters: &[char]) -> PauliString {
    let mut p = PauliString::IDENTITY;
    for q in 0..n {
        if rng.uniform() < density {
            let s = PauliString::single(letters[rng.below(letters.len() as u64) as usize], q);
            p.x |= s.x;
            p.z |= s.z;
        }
    }
    p
}

/// A random template: every gate kind, angles fixed or read (scaled) from the parameters.
fn random_template(rng: &mut Rng, n: u32, n_params: usize, n_gates: usize) -> Template {
    let mut gates = Vec::new();
    while gates.len() < n_gates {
        let q = rng.below(u64::from(n)) as u32;
        let angle = if n_params > 0 && rng.below(2) == 0 {
            Angle::Param { index: rng.below(n_params as u64) as usize, scale: [1.0, -0.5, 2.0][rng.below(3) as usize] }
        } else {
            Angle::Fixed(rng.angle())
        };
        let other = (q + 1 + rng.below(u64::from(n.max(2) - 1)) as u32) % n;
        let gate = match rng.below(16) {
            0 => Gate::H(q),
            1 => Gate::X(q),
            2 => Gate::Y(q),
            3 => Gate::Z(q),
            4 => Gate::S(q),
            5 => Gate::Sdg(q),
            6 => Gate::T(q),
            7 => Gate::Rx(q, angle),
            8 => Gate::Ry(q, angle),
            9 => Gate::Rz(q, angle),
            10 => Gate::Phase(q, angle),
            11 => {
                let (a, b) = (Angle::Fixed(rng.angle()), Angle::Fixed(rng.angle()));
                let m = mul2(&Gate::Rz(q, a).matrix1(&[]).expect("1q"), &Gate::Ry(q, b).matrix1(&[]).expect("1q"));
                Gate::Unitary(q, m)
            }
            12 | 13 if n > 1 => Gate::Cnot(q, other),
            14 if n > 1 => Gate::Cz(q, other),
            _ => {
                let density = [0.3, 0.6, 1.0][rng.below(3) as usize];
                let p = random_pauli(rng, n, density, &['X', 'Y', 'Z']);
                if p.x | p.z == 0 {
                    continue;
                }
                Gate::PauliRotation(p, angle)
            }
        };
        gates.push(gate);
    }
    Template::new(n, n_params, gates).expect("valid random template")
}

fn max_diff(a: &StateVector, b: &StateVector) -> f64 {
    a.amplitudes().iter().zip(b.amplitudes()).map(|(x, y)| (x - y).norm()).fold(0.0, f64::max)
}

/// Runs `program` by the interpreter and by the JIT (every tiled stage compiled, and stages
/// chosen by the cost model) on the same random states and parameters.
fn check_program(rng: &mut Rng, program: &Program, runs: usize) {
    let all = JitProgram::compile_with(program, Routing::AllStages).expect("JIT compiles");
    let chosen = JitProgram::compile(program).expect("JIT compiles");
    let t = program.template();
    for _ in 0..runs {
        let params: Vec<f64> = (0..t.n_params()).map(|_| rng.angle()).collect();
        let start = random_state(rng, t.n_qubits());
        let mut expected = start.clone();
        program.run(&mut expected, &params);
        for jit in [&all, &chosen] {
            let mut got = start.clone();
            jit.run(&mut got, &params);
            let d = max_diff(&expected, &got);
            let stages = format!("{} of {} stages compiled", jit.n_compiled_stages(), program.n_stages());
            assert!(d <= 1e-12, "n={} ({stages}): JIT differs by {d:e}", t.n_qubits());
        }
    }
}

#[test]
fn jit_matches_interpreter_on_small_registers() {
    let mut rng = Rng(11);
    for n in 1..=6 {
        for n_params in [0, 3] {
            let t = random_template(&mut rng, n, n_params, 60);
            check_program(&mut rng, &Program::compile(t), 3);
        }
    }
}

#[test]
fn jit_matches_interpreter_with_gathered_and_whole_stages() {
    let mut rng = Rng(12);
    for n in [7, 9, 11] {
        let t = random_template(&mut rng, n, 4, 150);
        let program = Program::with_tile_qubits(t, 6);
        assert!(program.n_stages() > 2, "small tiles give several stages");
        check_program(&mut rng, &program, 2);
    }
}

#[test]
fn jit_matches_interpreter_on_a_parallel_layered_circuit() {
    // 15 qubits (threads on) with the default tiles: layers of real rotations (fixed and by
    // run-time parameters) and CNOT or CZ ladders.
    let n = 15;
    let mut gates = Vec::new();
    let mut k = 0;
    for layer in 0..3 {
        for q in 0..n {
            gates.push(Gate::Ry(q, Angle::Fixed(0.3 + 0.1 * f64::from(q))));
            gates.push(Gate::Ry(q, Angle::param(k)));
            k += 1;
        }
        for q in 0..n - 1 {
            gates.push(if layer % 2 == 0 { Gate::Cnot(q, q + 1) } else { Gate::Cz(q + 1, q) });
        }
    }
    let mut rng = Rng(13);
    let program = Program::compile(Template::new(n, k, gates).expect("valid"));
    // Real rotations by parameters and CNOT/CZ: the cost model compiles every stage.
    let jit = JitProgram::compile(&program).expect("JIT compiles");
    assert_eq!(jit.n_compiled_stages(), program.n_stages());
    check_program(&mut rng, &program, 2);
}

#[test]
fn one_compiled_program_serves_many_parameter_vectors() {
    let mut rng = Rng(14);
    let t = random_template(&mut rng, 8, 5, 80);
    check_program(&mut rng, &Program::with_tile_qubits(t, 6), 6);
}

#[test]
#[should_panic(expected = "too few parameters")]
fn too_few_parameters_panic_as_in_the_interpreter() {
    let t = Template::new(2, 1, vec![Gate::Rx(0, Angle::param(0))]).expect("valid");
    let jit = JitProgram::compile(&Program::compile(t)).expect("JIT compiles");
    jit.run(&mut StateVector::zero(2), &[]);
}

fn random_sum(rng: &mut Rng, n: u32, n_terms: usize, letters: &[char]) -> Vec<(PauliString, f64)> {
    let mut terms: Vec<(PauliString, f64)> =
        (0..n_terms).map(|_| (random_pauli(rng, n, 0.5, letters), rng.uniform() - 0.5)).collect();
    terms.push((PauliString::IDENTITY, 0.75));
    if let Some(&t) = terms.first() {
        terms.push((t.0, 0.25));
    }
    terms
}

fn check_sum(rng: &mut Rng, n: u32, terms: &[(PauliString, f64)]) {
    let jit = JitPauliSum::compile(n, terms).expect("JIT compiles");
    let reference = PauliSumKernel::new(n, terms);
    for _ in 0..2 {
        let state = random_state(rng, n);
        let (e, r) = (jit.expectation(&state), reference.expectation(&state));
        assert!((e - r).abs() <= 1e-12, "n={n}: JIT {e} vs interpreter {r}");
    }
}

#[test]
fn jit_expectation_matches_interpreter() {
    let mut rng = Rng(21);
    for n in 1..=9 {
        for (n_terms, letters) in [(30, &['X', 'Y', 'Z'][..]), (10, &['Z']), (20, &['Y', 'Y', 'Y', 'X'])] {
            let terms = random_sum(&mut rng, n, n_terms, letters);
            check_sum(&mut rng, n, &terms);
        }
    }
    // Many terms per group (only two X masks), and a parallel state.
    let n = 15;
    let mut terms = random_sum(&mut rng, n, 40, &['Z']);
    terms.extend(random_sum(&mut rng, n, 40, &['Z']).into_iter().map(|(mut p, c)| {
        p.x |= 0b1010_0110;
        (p, c)
    }));
    terms.extend(random_sum(&mut rng, n, 60, &['X', 'Y', 'Z']));
    check_sum(&mut rng, n, &terms);
}

#[test]
fn jit_expectation_of_a_pauli_sum_and_of_constants() {
    let mut sum = PauliSum::new(3);
    sum.add(PauliString::IDENTITY, 1.5);
    sum.add(PauliString::single('Y', 2), 0.5);
    let jit = JitPauliSum::from_sum(&sum).expect("JIT compiles");
    // |+i⟩ on qubit 2 (Y eigenvalue +1): 1.5 + 0.5.
    let r = std::f64::consts::FRAC_1_SQRT_2;
    let mut amps = vec![Complex64::new(0.0, 0.0); 8];
    amps[0] = Complex64::new(r, 0.0);
    amps[4] = Complex64::new(0.0, r);
    let e = jit.expectation(&StateVector::from_amplitudes(amps));
    assert!((e - 2.0).abs() < 1e-14, "{e}");
    assert_eq!(jit.n_groups(), 2);
    let empty = JitPauliSum::compile(3, &[]).expect("JIT compiles");
    assert_eq!(empty.expectation(&StateVector::zero(3)), 0.0);
}

#[test]
fn jit_pauli_sum_rejects_strings_outside_the_register() {
    let err = JitPauliSum::compile(2, &[(PauliString::single('X', 0), 1.0), (PauliString::single('Z', 5), 1.0)])
        .expect_err("qubit 5 is outside 2 qubits");
    assert_eq!(err, JitError::QubitOutOfRange { term: 1, n_qubits: 2 });
    assert_eq!(err.to_string(), "Pauli term 1 acts outside the 2-qubit register");
}

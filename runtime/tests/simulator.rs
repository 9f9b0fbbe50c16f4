//! The svsim engine against dense-matrix application: every gate kind, fusion and cache blocking
//! on random circuits (1e-12), the fused program against the gate-by-gate interpreter, grouped
//! Pauli sums against dense `⟨ψ|P|ψ⟩`, adjoint gradients against finite differences and the
//! parameter-shift rule, and seeded sampling against exact expectation values.
//!
//! The reference here builds each gate's full `2^n × 2^n` matrix from its definition (Kronecker
//! structure written out entry by entry) and multiplies; it shares no code with the kernels.

use num_complex::Complex64;
use qdf_runtime::qubit::PauliString;
use qdf_runtime::sim::StateVector;
use qdf_runtime::svsim::adjoint::{energy_and_gradient, parameter_shift_gradient, AdjointPlan};
use qdf_runtime::svsim::pauli_sum::PauliSumKernel;
use qdf_runtime::svsim::sampling::{estimate, sample, seeded};
use qdf_runtime::svsim::{apply_gate, Angle, Gate, Program, Template};
use rand_chacha::rand_core::RngCore;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;

type Dense = Vec<Vec<Complex64>>;

fn c(re: f64, im: f64) -> Complex64 {
    Complex64::new(re, im)
}

fn uniform(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

fn below(rng: &mut ChaCha8Rng, n: u32) -> u32 {
    (rng.next_u64() % u64::from(n)) as u32
}

/// The 2×2 matrix of a single-qubit gate, from its textbook definition.
fn textbook(gate: &Gate, params: &[f64]) -> [[Complex64; 2]; 2] {
    let angle = |a: &Angle| match *a {
        Angle::Fixed(t) => t,
        Angle::Param { index, scale } => scale * params[index],
    };
    let r = 0.5f64.sqrt();
    match gate {
        Gate::H(_) => [[c(r, 0.0), c(r, 0.0)], [c(r, 0.0), c(-r, 0.0)]],
        Gate::X(_) => [[c(0.0, 0.0), c(1.0, 0.0)], [c(1.0, 0.0), c(0.0, 0.0)]],
        Gate::Y(_) => [[c(0.0, 0.0), c(0.0, -1.0)], [c(0.0, 1.0), c(0.0, 0.0)]],
        Gate::Z(_) => [[c(1.0, 0.0), c(0.0, 0.0)], [c(0.0, 0.0), c(-1.0, 0.0)]],
        Gate::S(_) => [[c(1.0, 0.0), c(0.0, 0.0)], [c(0.0, 0.0), c(0.0, 1.0)]],
        Gate::Sdg(_) => [[c(1.0, 0.0), c(0.0, 0.0)], [c(0.0, 0.0), c(0.0, -1.0)]],
        Gate::T(_) => {
            [[c(1.0, 0.0), c(0.0, 0.0)], [c(0.0, 0.0), Complex64::from_polar(1.0, std::f64::consts::FRAC_PI_4)]]
        }
        Gate::Rx(_, a) => {
            let t = angle(a) / 2.0;
            [[c(t.cos(), 0.0), c(0.0, -t.sin())], [c(0.0, -t.sin()), c(t.cos(), 0.0)]]
        }
        Gate::Ry(_, a) => {
            let t = angle(a) / 2.0;
            [[c(t.cos(), 0.0), c(-t.sin(), 0.0)], [c(t.sin(), 0.0), c(t.cos(), 0.0)]]
        }
        Gate::Rz(_, a) => {
            let t = angle(a) / 2.0;
            [[Complex64::from_polar(1.0, -t), c(0.0, 0.0)], [c(0.0, 0.0), Complex64::from_polar(1.0, t)]]
        }
        Gate::Phase(_, a) => [[c(1.0, 0.0), c(0.0, 0.0)], [c(0.0, 0.0), Complex64::from_polar(1.0, angle(a))]],
        Gate::Unitary(_, m) => *m,
        _ => unreachable!("not a single-qubit gate"),
    }
}

/// The dense Pauli matrix: `P[r][col] = i^{ny} (−1)^{|col ∧ z|}` when `r = col ⊕ x`.
fn pauli_dense(n: u32, p: PauliString) -> Dense {
    let dim = 1usize << n;
    let ny = (p.x & p.z).count_ones();
    let i_ny = [c(1.0, 0.0), c(0.0, 1.0), c(-1.0, 0.0), c(0.0, -1.0)][(ny % 4) as usize];
    let mut m = vec![vec![c(0.0, 0.0); dim]; dim];
    for col in 0..dim {
        let s = if (col as u64 & p.z).count_ones() % 2 == 1 { -1.0 } else { 1.0 };
        m[col ^ p.x as usize][col] = i_ny * s;
    }
    m
}

/// The full matrix of `gate` on `n` qubits (written entry by entry, indices are the point).
#[allow(clippy::needless_range_loop)]
fn gate_dense(n: u32, gate: &Gate, params: &[f64]) -> Dense {
    let dim = 1usize << n;
    let mut m = vec![vec![c(0.0, 0.0); dim]; dim];
    match *gate {
        Gate::Cnot(ctl, tgt) => {
            for col in 0..dim {
                let row = if col >> ctl & 1 == 1 { col ^ (1 << tgt) } else { col };
                m[row][col] = c(1.0, 0.0);
            }
        }
        Gate::Cz(a, b) => {
            for (col, row) in m.iter_mut().enumerate() {
                row[col] = if col >> a & 1 == 1 && col >> b & 1 == 1 { c(-1.0, 0.0) } else { c(1.0, 0.0) };
            }
        }
        Gate::PauliRotation(p, a) => {
            let t = match a {
                Angle::Fixed(t) => t,
                Angle::Param { index, scale } => scale * params[index],
            } / 2.0;
            let pd = pauli_dense(n, p);
            for r in 0..dim {
                for col in 0..dim {
                    m[r][col] = c(0.0, -t.sin()) * pd[r][col] + if r == col { c(t.cos(), 0.0) } else { c(0.0, 0.0) };
                }
            }
        }
        ref g => {
            let q = g.support().trailing_zeros();
            let u = textbook(g, params);
            for r in 0..dim {
                for col in 0..dim {
                    if r & !(1 << q) == col & !(1 << q) {
                        m[r][col] = u[r >> q & 1][col >> q & 1];
                    }
                }
            }
        }
    }
    m
}

fn matvec(m: &Dense, v: &[Complex64]) -> Vec<Complex64> {
    m.iter().map(|row| row.iter().zip(v).map(|(a, b)| a * b).sum()).collect()
}

fn random_pauli(rng: &mut ChaCha8Rng, n: u32, max_weight: u32) -> PauliString {
    loop {
        let mut p = PauliString::IDENTITY;
        for _ in 0..1 + below(rng, max_weight) {
            let q = below(rng, n);
            let letter = ['X', 'Y', 'Z'][below(rng, 3) as usize];
            let s = PauliString::single(letter, q);
            p.x = (p.x & !(1 << q)) | s.x;
            p.z = (p.z & !(1 << q)) | s.z;
        }
        if p != PauliString::IDENTITY {
            return p;
        }
    }
}

/// A random circuit using every gate kind; angles are fixed or parameters with scales.
fn random_gates(rng: &mut ChaCha8Rng, n: u32, count: usize, n_params: usize) -> Vec<Gate> {
    let mut gates = Vec::new();
    for _ in 0..count {
        let q = below(rng, n);
        let mut other = below(rng, n - 1);
        if other >= q {
            other += 1;
        }
        let angle = if n_params > 0 && below(rng, 3) > 0 {
            Angle::Param {
                index: below(rng, n_params as u32) as usize,
                scale: [1.0, -0.5, 2.0][below(rng, 3) as usize],
            }
        } else {
            Angle::Fixed(uniform(rng) * 6.3)
        };
        let t = uniform(rng);
        let unitary = [
            [c(t.cos(), 0.0), Complex64::from_polar(t.sin(), 0.3)],
            [-Complex64::from_polar(t.sin(), -0.3), c(t.cos(), 0.0)],
        ];
        gates.push(match below(rng, 14) {
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
            11 => Gate::Unitary(q, unitary),
            12 => {
                if below(rng, 2) == 0 {
                    Gate::Cnot(q, other)
                } else {
                    Gate::Cz(q, other)
                }
            }
            _ => Gate::PauliRotation(random_pauli(rng, n, 4), angle),
        });
    }
    gates
}

fn random_state(rng: &mut ChaCha8Rng, n: u32) -> StateVector {
    let amps = (0..1usize << n).map(|_| c(uniform(rng) - 0.5, uniform(rng) - 0.5)).collect();
    let mut s = StateVector::from_amplitudes(amps);
    s.normalize();
    s
}

fn max_diff(a: &[Complex64], b: &[Complex64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).norm()).fold(0.0, f64::max)
}

#[test]
fn every_gate_kernel_agrees_with_its_dense_matrix() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    for n in [1u32, 2, 5, 7] {
        let n_eff = n.max(2);
        let params: Vec<f64> = (0..4).map(|_| uniform(&mut rng) * 6.0).collect();
        for gate in random_gates(&mut rng, n_eff, 120, 4) {
            let state = random_state(&mut rng, n_eff);
            let expected = matvec(&gate_dense(n_eff, &gate, &params), state.amplitudes());
            let mut got = state.clone();
            apply_gate(&mut got, &gate, &params);
            assert!(max_diff(got.amplitudes(), &expected) < 1e-12, "{gate:?} on {n_eff} qubits");
        }
    }
}

#[test]
fn fused_blocked_programs_agree_with_dense_application() {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    // Tiles of 6 qubits on 7..9 qubits force gathered stages; 15 keeps one contiguous stage.
    for (n, tile) in [(4u32, 15u32), (7, 6), (8, 6), (9, 7), (9, 15)] {
        let params: Vec<f64> = (0..5).map(|_| uniform(&mut rng) * 6.0).collect();
        let gates = random_gates(&mut rng, n, 80, 5);
        let start = random_state(&mut rng, n);
        let mut expected = start.amplitudes().to_vec();
        for g in &gates {
            expected = matvec(&gate_dense(n, g, &params), &expected);
        }
        let program = Program::with_tile_qubits(Template::new(n, 5, gates).expect("valid template"), tile);
        assert!(program.n_ops() < 80, "fusion merged nothing");
        let mut got = start.clone();
        program.run(&mut got, &params);
        assert!(max_diff(got.amplitudes(), &expected) < 1e-12, "n = {n}, tile = {tile}");
    }
}

/// A layered RX/RZ/CNOT-ladder circuit as in the benchmark, larger than a tile.
fn layers(n: u32, depth: usize, rng: &mut ChaCha8Rng) -> Vec<Gate> {
    let mut gates = Vec::new();
    for _ in 0..depth {
        gates.extend((0..n).map(|q| Gate::Rx(q, Angle::Fixed(uniform(rng) * 6.3))));
        gates.extend((0..n).map(|q| Gate::Rz(q, Angle::Fixed(uniform(rng) * 6.3))));
        gates.extend((0..n - 1).map(|q| Gate::Cnot(q, q + 1)));
    }
    gates
}

#[test]
fn fused_program_agrees_with_the_gate_by_gate_interpreter() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    for (n, tile) in [(12u32, 7u32), (14, 8), (16, 15)] {
        let mut gates = layers(n, 5, &mut rng);
        gates.extend(random_gates(&mut rng, n, 60, 3));
        let params = [0.3, -1.2, 2.5];
        let mut expected = StateVector::zero(n);
        for g in &gates {
            apply_gate(&mut expected, g, &params);
        }
        let program = Program::with_tile_qubits(Template::new(n, 3, gates).expect("valid template"), tile);
        assert!(program.n_stages() > 1, "no cache blocking exercised");
        let mut got = StateVector::zero(n);
        program.run(&mut got, &params);
        assert!(max_diff(got.amplitudes(), expected.amplitudes()) < 1e-12, "n = {n}");
    }
}

#[test]
fn templates_reject_bad_gates() {
    assert!(Template::new(3, 0, vec![Gate::Cnot(1, 1)]).is_err());
    assert!(Template::new(3, 0, vec![Gate::H(3)]).is_err());
    assert!(Template::new(3, 1, vec![Gate::Rx(0, Angle::param(1))]).is_err());
    assert!(Template::new(3, 0, vec![Gate::PauliRotation(PauliString::IDENTITY, Angle::Fixed(1.0))]).is_err());
}

fn random_terms(rng: &mut ChaCha8Rng, n: u32, count: usize) -> Vec<(PauliString, f64)> {
    let mut terms: Vec<(PauliString, f64)> =
        (0..count).map(|_| (random_pauli(rng, n, n), uniform(rng) * 2.0 - 1.0)).collect();
    // Terms sharing X masks (with different Z masks), a repeated string and a constant.
    let shared = terms[0].0;
    terms.push((PauliString { x: shared.x, z: shared.z ^ 1 }, 0.37));
    terms.push((shared, -0.2));
    terms.push((PauliString::IDENTITY, 0.8));
    terms
}

#[test]
fn grouped_pauli_sums_agree_with_dense_expectation_and_action() {
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    // One and two qubits take the amplitude-by-amplitude and single-block paths.
    for n in [1u32, 2, 3, 6, 9] {
        let terms = random_terms(&mut rng, n, 40);
        let state = random_state(&mut rng, n);
        let mut h_psi = vec![c(0.0, 0.0); 1 << n];
        for &(p, coeff) in &terms {
            for (o, v) in h_psi.iter_mut().zip(matvec(&pauli_dense(n, p), state.amplitudes())) {
                *o += coeff * v;
            }
        }
        let exact: f64 = state.amplitudes().iter().zip(&h_psi).map(|(a, b)| (a.conj() * b).re).sum();
        let kernel = PauliSumKernel::new(n, &terms);
        assert!(kernel.n_groups() < terms.len());
        assert!((kernel.expectation(&state) - exact).abs() < 1e-12, "n = {n}");
        assert!(max_diff(kernel.apply(&state).amplitudes(), &h_psi) < 1e-12, "n = {n}");
    }
}

#[test]
fn adjoint_gradient_agrees_with_finite_differences_and_parameter_shift() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let n = 5;
    // Parameter k drives gate k alone (for parameter shift); random fixed gates in between.
    let mut gates = Vec::new();
    for k in 0..12 {
        let q = below(&mut rng, n);
        let scale = [1.0, -0.5, 2.0][k % 3];
        let a = Angle::Param { index: k, scale };
        gates.push(match k % 5 {
            0 => Gate::Rx(q, a),
            1 => Gate::Ry(q, a),
            2 => Gate::Rz(q, a),
            3 => Gate::Phase(q, a),
            _ => Gate::PauliRotation(random_pauli(&mut rng, n, 3), a),
        });
        gates.extend(random_gates(&mut rng, n, 3, 0));
    }
    let template = Template::new(n, 12, gates).expect("valid template");
    let program = Program::compile(template.clone());
    let h = PauliSumKernel::new(n, &random_terms(&mut rng, n, 25));
    let params: Vec<f64> = (0..12).map(|_| uniform(&mut rng) * 6.0 - 3.0).collect();
    let energy = |p: &[f64]| {
        let mut s = StateVector::zero(n);
        program.run(&mut s, p);
        h.expectation(&s)
    };
    let (e, grad) = energy_and_gradient(&program, &h, &params);
    assert!((e - energy(&params)).abs() < 1e-12);
    let step = 1e-5;
    for k in 0..12 {
        let mut p = params.clone();
        p[k] += step;
        let plus = energy(&p);
        p[k] -= 2.0 * step;
        let fd = (plus - energy(&p)) / (2.0 * step);
        assert!((grad[k] - fd).abs() < 1e-7, "parameter {k}: adjoint {} vs finite difference {fd}", grad[k]);
    }
    let shift = parameter_shift_gradient(&template, &params, energy).expect("one rotation per parameter");
    for k in 0..12 {
        assert!((grad[k] - shift[k]).abs() < 1e-11, "parameter {k}");
    }
    // A parameter read twice cannot be shifted with the two-term rule.
    let shared = Template::new(2, 1, vec![Gate::Rx(0, Angle::param(0)), Gate::Ry(1, Angle::param(0))]).expect("valid");
    assert!(parameter_shift_gradient(&shared, &[0.1], |_| 0.0).is_err());
}

#[test]
fn seeded_sampling_is_reproducible_and_unbiased() {
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let n = 6;
    let state = random_state(&mut rng, n);
    let a = sample(&state, 1000, &mut seeded(42));
    assert_eq!(a, sample(&state, 1000, &mut seeded(42)));
    assert_ne!(a, sample(&state, 1000, &mut seeded(43)));
    // Outcome frequencies of a basis state are exact; of |+⟩ close to 1/2.
    assert!(sample(&StateVector::basis(3, 5), 50, &mut seeded(1)).iter().all(|&b| b == 5));
    let mut plus = StateVector::zero(1);
    apply_gate(&mut plus, &Gate::H(0), &[]);
    let ones = sample(&plus, 40_000, &mut seeded(2)).iter().filter(|&&b| b == 1).count() as f64 / 40_000.0;
    assert!((ones - 0.5).abs() < 4.0 * 0.5 / 200.0, "frequency {ones}");
    // A shot-based estimate with basis rotations lands within 4 standard errors of the exact value.
    let terms = random_terms(&mut rng, n, 12);
    let exact = PauliSumKernel::new(n, &terms).expectation(&state);
    let shots = 20_000;
    let est = estimate(&state, &terms, shots, &mut seeded(7));
    let bound: f64 =
        terms.iter().filter(|(p, _)| p.x | p.z != 0).map(|(_, c)| c.abs()).sum::<f64>() / (shots as f64).sqrt();
    assert!((est - exact).abs() < 4.0 * bound, "estimate {est} vs exact {exact}");
    assert_eq!(est, estimate(&state, &terms, shots, &mut seeded(7)));
}

#[test]
fn large_grouped_pauli_sums_split_across_threads_agree_with_term_by_term_application() {
    // 2^15 and 2^18 amplitudes: X masks reaching the top qubit, groups of several terms sharing a
    // high X part, masks inside one block (1..3), inside a chunk (up to 2^15) and across chunks,
    // so chunk pairs, their owners, partner sub-chunks and the parallel path are all used. The
    // reference applies one string at a time with the StateVector Pauli kernel.
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    for n in [15u32, 18] {
        let state = random_state(&mut rng, n);
        let top = 1u64 << (n - 1);
        let mut masks = vec![0u64, 1, 2, 3, 0b1100, 0b10110, 1 << 14 | 5, top, top | 0x2b7, top >> 1 | 3];
        masks.extend((0..6).map(|_| (rng.next_u64() & (top - 1)) | top >> below(&mut rng, 4)));
        let mut terms = Vec::new();
        for x in masks {
            for _ in 0..1 + below(&mut rng, 3) {
                let z = rng.next_u64() & ((1 << n) - 1);
                terms.push((PauliString { x, z }, uniform(&mut rng) - 0.5));
            }
        }
        terms.push((PauliString::IDENTITY, 0.3));
        let kernel = PauliSumKernel::new(n, &terms);
        let mut exact = 0.0;
        let mut h_psi = vec![c(0.0, 0.0); 1 << n];
        for &(p, coeff) in &terms {
            let mut v = state.clone();
            v.apply_pauli(p);
            exact += coeff * state.inner(&v).re;
            for (o, u) in h_psi.iter_mut().zip(v.amplitudes()) {
                *o += coeff * u;
            }
        }
        assert!((kernel.expectation(&state) - exact).abs() < 1e-12, "n = {n}");
        assert!(max_diff(kernel.apply(&state).amplitudes(), &h_psi) < 1e-12, "n = {n}");
    }
}

#[test]
fn adjoint_steps_about_every_axis_agree_with_finite_differences_and_reused_plans() {
    // Rotations about X, Y and Z (and phase gates) on qubits 0 and 1 (inside a block of four
    // amplitudes) and higher ones, with fixed gates in between; one qubit takes the generic Pauli
    // step, 14 qubits the parallel step.
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    for n in [1u32, 3, 14] {
        let mut gates = Vec::new();
        let mut k = 0;
        for &q in [0u32, 1, 2, n - 1].iter().filter(|&&q| q < n) {
            for axis in 0..4 {
                let a = Angle::Param { index: k, scale: [1.0, -0.5][k % 2] };
                gates.push(match axis {
                    0 => Gate::Rx(q, a),
                    1 => Gate::Ry(q, a),
                    2 => Gate::Rz(q, a),
                    _ => Gate::Phase(q, a),
                });
                k += 1;
                gates.push(Gate::H(q));
                if n > 1 {
                    gates.push(Gate::Cnot(q, (q + 1) % n));
                    gates.push(Gate::Cz((q + 2) % n, q));
                }
            }
        }
        let program = Program::compile(Template::new(n, k, gates).expect("valid template"));
        let h = PauliSumKernel::new(n, &random_terms(&mut rng, n, 12));
        let energy = |p: &[f64]| {
            let mut s = StateVector::zero(n);
            program.run(&mut s, p);
            h.expectation(&s)
        };
        let mut plan = AdjointPlan::new(&program);
        let mut grad = vec![0.0; k];
        for _ in 0..2 {
            let params: Vec<f64> = (0..k).map(|_| uniform(&mut rng) * 6.0 - 3.0).collect();
            let e = plan.energy_and_gradient_into(&h, &params, &mut grad);
            assert!((e - energy(&params)).abs() < 1e-12, "n = {n}");
            assert_eq!((e, grad.clone()), energy_and_gradient(&program, &h, &params), "n = {n}");
            for j in 0..k {
                let step = 1e-5;
                let mut p = params.clone();
                p[j] += step;
                let plus = energy(&p);
                p[j] -= 2.0 * step;
                let fd = (plus - energy(&p)) / (2.0 * step);
                assert!((grad[j] - fd).abs() < 1e-7, "n = {n}, parameter {j}: adjoint {} vs {fd}", grad[j]);
            }
        }
    }
}

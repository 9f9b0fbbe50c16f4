//! [`JitProgram`]: a [`Program`] whose stages run as native kernels.

use num_complex::Complex64;
use rayon::prelude::*;

use super::backend::Backend;
use super::call::Code;
use super::coef::{raw_entries, Coefs};
use super::{stage, JitError};
use crate::sim::statevector::{StateVector, PARALLEL_MIN_QUBITS};
use crate::svsim::fusion::BoundOp;
use crate::svsim::plan::StageKind;
use crate::svsim::{run_stage, tiles, Program};

/// How one stage runs.
#[derive(Debug)]
enum StageCode {
    /// Kernel `index` of the code, with the stage's coefficient table.
    Kernel { index: usize, coefs: Coefs },
    /// The interpreter's path: a stage over the whole state, or one whose operations leave the
    /// compiled code nothing to fold (dense complex matrices), where the interpreter's wider
    /// vectors win (see `stage::jit_pays`).
    Interpreted,
}

/// Which tiled stages get native kernels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Routing {
    /// Those the compiled code is expected to run faster than the interpreter: stages whose
    /// operations leave something to fold (fixed zeros and ±1, real entries); stages of dense
    /// complex matrices run on the interpreter's wider (AVX2) kernels.
    CostModel,
    /// Every tiled stage (for tests and for measuring the compiled code itself).
    AllStages,
}

/// A compiled [`Program`]: same semantics as [`Program::run`], one native kernel per stage where
/// that pays.
#[derive(Debug)]
pub struct JitProgram {
    program: Program,
    stages: Vec<StageCode>,
    code: Code,
    arch: pulp::Arch,
}

/// The raw entries of a stage's operations, in order.
fn stage_raw(ops: &[BoundOp]) -> Vec<Complex64> {
    let mut raw = Vec::new();
    for op in ops {
        raw_entries(op, &mut raw);
    }
    raw
}

impl JitProgram {
    /// Compiles the tiled stages of `program` to native kernels (those the compiled code is
    /// expected to run faster than the interpreter; the others, and stages over the whole state,
    /// run on the interpreter's path). Errors: the host is not
    /// supported by Cranelift, or code generation fails ([`JitError`]).
    pub fn compile(program: &Program) -> Result<JitProgram, JitError> {
        Self::compile_with(program, Routing::CostModel)
    }

    /// As [`Self::compile`], choosing the compiled stages by `routing`. Errors: as
    /// [`Self::compile`].
    pub fn compile_with(program: &Program, routing: Routing) -> Result<JitProgram, JitError> {
        let n_params = program.template().n_params();
        // Structure and fixed entries: see `coef.rs`.
        let nan = program.bind_stages(&vec![f64::NAN; n_params]);
        let probes: Vec<_> = [0.377, 1.913, 4.021]
            .iter()
            .map(|&seed| {
                let params: Vec<f64> = (0..n_params).map(|k| 3.0 * (seed + 1.7 * k as f64).sin() + 0.1).collect();
                program.bind_stages(&params)
            })
            .collect();
        let mut backend = Backend::new()?;
        let mut stages = Vec::with_capacity(nan.len());
        for (s, (kind, ops)) in nan.iter().enumerate() {
            let tile_qubits = match *kind {
                StageKind::Contiguous { m } => m,
                StageKind::Gathered { local } => local.count_ones(),
                StageKind::Whole => {
                    stages.push(StageCode::Interpreted);
                    continue;
                }
            };
            let probe_raw: Vec<Vec<Complex64>> = probes.iter().map(|p| stage_raw(&p[s].1)).collect();
            let mut coefs = Coefs::new(&stage_raw(ops), &probe_raw);
            if routing == Routing::CostModel && !stage::jit_pays(ops, &coefs) {
                stages.push(StageCode::Interpreted);
                continue;
            }
            let index = stage::define(&mut backend, tile_qubits, ops, &mut coefs)?;
            stages.push(StageCode::Kernel { index, coefs });
        }
        let code = backend.finish()?;
        Ok(JitProgram { program: program.clone(), stages, code, arch: pulp::Arch::new() })
    }

    /// The number of stages that run compiled code (the rest run on the interpreter's path).
    pub fn n_compiled_stages(&self) -> usize {
        self.stages.iter().filter(|s| matches!(s, StageCode::Kernel { .. })).count()
    }

    /// The program this was compiled from.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// `|ψ⟩ ← U(params)|ψ⟩`, as [`Program::run`]. Failure contract: panics if `params` is shorter
    /// than the template's parameter count or the state has another qubit count (programming
    /// errors).
    pub fn run(&self, state: &mut StateVector, params: &[f64]) {
        let template = self.program.template();
        assert!(params.len() >= template.n_params(), "too few parameters for the template");
        assert_eq!(state.n_qubits(), template.n_qubits(), "state and template differ in qubit count");
        let n = state.n_qubits();
        let parallel = n >= PARALLEL_MIN_QUBITS;
        for ((kind, ops), code) in self.program.bind_stages(params).into_iter().zip(&self.stages) {
            let (index, table) = match code {
                StageCode::Interpreted => {
                    run_stage(self.arch, state, n, &kind, &ops, parallel);
                    continue;
                }
                StageCode::Kernel { index, coefs } => (*index, coefs.fill(&stage_raw(&ops))),
            };
            let kernel = |tile: &mut [Complex64]| self.code.run_stage(index, tile, &table);
            match kind {
                StageKind::Contiguous { m } => {
                    let a = state.amplitudes_mut();
                    let len = 1usize << m;
                    if parallel && a.len() > len {
                        a.par_chunks_mut(len).for_each(kernel);
                    } else {
                        a.chunks_mut(len).for_each(kernel);
                    }
                }
                StageKind::Gathered { local } => {
                    tiles::for_each_tile(state.amplitudes_mut(), n, local, parallel, kernel)
                }
                StageKind::Whole => unreachable!("whole-state stages are interpreted"),
            }
        }
    }
}

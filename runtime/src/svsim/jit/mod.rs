//! Cranelift-compiled kernels for the state-vector engine: circuit stages and Pauli-sum
//! expectation values.
//!
//! - [`JitProgram`]: one native function per cache-blocked stage of a [`super::Program`]. It
//!   applies all of the stage's operations to one tile; the tiles are walked by the same machinery
//!   as the interpreter (contiguous chunks, gathered tiles, rayon for large states). Inside a tile
//!   the operations are regrouped into *register blocks* (`blocks.rs`): a few qubits whose `2^k`
//!   amplitudes are loaded into vector registers
//!   (one `f64x2` per amplitude), transformed by every operation of the block and stored once, so
//!   a block of several operations costs one sweep of the tile instead of one per operation.
//!   Qubit numbers, strides, loop bounds and the operations themselves are immediates; matrix
//!   entries that do not depend on the parameters are folded at compile time (zeros and ±1 vanish
//!   from the code, so a CNOT inside a block is a register renaming) and the others are read from
//!   a small table filled per run (`coef.rs`). Stages over the whole state (a Pauli rotation wider
//!   than a tile) run on the interpreter's path, and so, by default ([`Routing`]), do stages of
//!   dense complex matrices: Cranelift emits 128-bit vectors only, so a dense 2×2 update needs
//!   8 vector multiplies per amplitude pair where the interpreter's AVX2 kernels need half as many
//!   per pair, and measured on the layered benchmark the compiled stages were about 15% slower.
//! - [`JitPauliSum`]: `⟨ψ|H|ψ⟩` with terms grouped by X mask, one native function and one pass
//!   over the state per group.
//!
//! The only `unsafe` code is in `call.rs`, which owns the compiled code and calls into it.
mod backend;
mod blocks;
mod call;
mod coef;
mod emit;
mod pauli;
mod program;
mod stage;

use std::fmt;

pub use pauli::JitPauliSum;
pub use program::{JitProgram, Routing};

/// Why a kernel could not be compiled.
#[derive(Clone, Debug, PartialEq)]
pub enum JitError {
    /// Cranelift has no backend for this processor, or rejected its settings.
    UnsupportedHost(String),
    /// Code generation or loading the code into memory failed.
    Codegen(String),
    /// A Pauli string acts on a qubit outside the register.
    QubitOutOfRange { term: usize, n_qubits: u32 },
}

impl fmt::Display for JitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JitError::UnsupportedHost(why) => write!(f, "the JIT does not support this host: {why}"),
            JitError::Codegen(why) => write!(f, "JIT code generation failed: {why}"),
            JitError::QubitOutOfRange { term, n_qubits } => {
                write!(f, "Pauli term {term} acts outside the {n_qubits}-qubit register")
            }
        }
    }
}

impl std::error::Error for JitError {}

//! The native kernel of one stage: every operation of the stage applied to one tile of
//! `2^tile_qubits` amplitudes, `extern "C" fn(tile: *mut f64, table: *const f64)`.
//!
//! The operations are regrouped into register blocks (`blocks.rs`). A block over the qubit set
//! `Q` is one loop over the tile indices with the bits of `Q` clear (`i ← ((i | Q) + 1) & !Q`);
//! its body loads the `2^|Q|` amplitudes `i + deposit(j, Q)` (offsets are immediates), applies the
//! block's operations to those values and stores them. A Pauli rotation wider than a block gets a
//! loop of its own over amplitude pairs, its signs from a population count.

use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types, InstBuilder, Value};
use cranelift_frontend::FunctionBuilder;

use super::backend::Backend;
use super::blocks::{self, Step, REGISTER_QUBITS};
use super::call::Shape;
use super::coef::{raw_count, Coef, Coefs};
use super::emit::{mem, negate_if, Lincomb, C64};
use super::JitError;
use crate::svsim::fusion::BoundOp;
use crate::svsim::tiles::deposit;

/// The qubits `op` acts on (stage-local mask).
fn support(op: &BoundOp) -> u64 {
    match *op {
        BoundOp::One { q, .. } => 1 << q,
        BoundOp::Select { c, t, .. } => (1 << c) | (1 << t),
        BoundOp::Pauli { p, .. } => p.x | p.z,
    }
}

/// Interpreter cost of a dense 2×2 update of one amplitude pair, in units of one 128-bit
/// multiply of the JIT code. The interpreter's AVX2 kernels handle two pairs per 256-bit
/// instruction; measured on the layered benchmark (dense complex matrices: 8 multiplies per pair
/// in the JIT code), the interpreter was about 15% faster, so a pair costs it about 7 units, half
/// that for a diagonal matrix. Its Pauli-rotation loop is scalar.
const INTERPRETER_DENSE: f64 = 7.0;
const INTERPRETER_PAULI: f64 = 12.0;

/// Whether the stage's compiled code is expected to beat the interpreter's kernels: the number of
/// multiplications left after folding fixed zeros and ±1 (per amplitude pair, summed over the
/// operations) against the interpreter's cost for the same operations.
pub(super) fn jit_pays(ops: &[BoundOp], coefs: &Coefs) -> bool {
    let mut raw = 0;
    let (mut jit, mut interpreter) = (0.0, 0.0);
    let products = |first: usize| {
        (first..first + 4)
            .map(|k| [false, true].iter().filter(|&&im| !coefs.is_free(Coef { raw: k, phase: 0 }, im)).count())
            .sum::<usize>() as f64
    };
    let diagonal = |first: usize| coefs.is_zero(first + 1) && coefs.is_zero(first + 2);
    for op in ops {
        let (j, i) = match op {
            BoundOp::One { .. } => (products(raw), if diagonal(raw) { 0.5 } else { 1.0 } * INTERPRETER_DENSE),
            BoundOp::Select { .. } => (
                0.5 * (products(raw) + products(raw + 4)),
                if diagonal(raw) && diagonal(raw + 4) { 0.5 } else { 1.0 } * INTERPRETER_DENSE,
            ),
            BoundOp::Pauli { .. } => (2.0 * products_pauli(coefs, raw), INTERPRETER_PAULI),
        };
        jit += j;
        interpreter += i;
        raw += raw_count(op);
    }
    jit < interpreter
}

/// Multiplications per amplitude of a Pauli rotation `α + βP` in registers.
fn products_pauli(coefs: &Coefs, raw: usize) -> f64 {
    let terms = [Coef { raw, phase: 0 }, Coef { raw: raw + 1, phase: 0 }];
    terms.iter().map(|&c| [false, true].iter().filter(|&&im| !coefs.is_free(c, im)).count()).sum::<usize>() as f64
}

/// Defines the kernel for a stage with tiles of `2^tile_qubits` amplitudes and operations `ops`
/// (bound, in the stage's local numbering; only their structure is used), recording the
/// coefficients it reads in `coefs`. Returns the function's index in the backend.
pub(super) fn define(
    backend: &mut Backend,
    tile_qubits: u32,
    ops: &[BoundOp],
    coefs: &mut Coefs,
) -> Result<usize, JitError> {
    let supports: Vec<u64> = ops.iter().map(support).collect();
    let steps = blocks::schedule(&supports, REGISTER_QUBITS.min(tile_qubits));
    let raw_base: Vec<usize> = ops
        .iter()
        .scan(0, |next, op| {
            let base = *next;
            *next += raw_count(op);
            Some(base)
        })
        .collect();
    let amplitudes = 1usize << tile_qubits;
    backend.define(&[types::I64, types::I64], &[], |b, args| {
        let (tile, table) = (args[0], args[1]);
        let mut lin = Lincomb::new(coefs, table);
        for step in &steps {
            match step {
                Step::Block { qubits, ops: members } => {
                    let block_ops: Vec<&BoundOp> = members.iter().map(|&i| &ops[i]).collect();
                    let bases: Vec<usize> = members.iter().map(|&i| raw_base[i]).collect();
                    emit_block(b, &mut lin, tile, tile_qubits, *qubits, &block_ops, &bases);
                }
                Step::Wide(i) => {
                    let BoundOp::Pauli { p, .. } = ops[*i] else { unreachable!("only Pauli rotations are wide") };
                    lin.coefs.begin_op();
                    emit_wide_pauli(b, &mut lin, tile, tile_qubits, p.x, p.z, raw_base[*i]);
                }
            }
        }
        b.ins().return_(&[]);
        Shape::Stage { amplitudes, slots: lin.coefs.n_slots() }
    })
}

/// Position of qubit `q` within the mask `qubits`.
fn position(qubits: u64, q: u32) -> u32 {
    (qubits & ((1u64 << q) - 1)).count_ones()
}

/// `mask` (a subset of `qubits`) renumbered to positions within `qubits`.
fn compress(mask: u64, qubits: u64) -> usize {
    (0..64).filter(|&q| mask >> q & 1 == 1).fold(0, |out, q| out | 1 << position(qubits, q))
}

/// A loop over the tile indices `i` with the bits of `skip` clear, from 0 up to `2^tile_qubits`:
/// `body` receives `i` and emits the iteration. The table pointer is carried through the loop as
/// a block parameter (passed back through a `select` on the loop condition, which the optimiser
/// cannot see through), so coefficient loads (pure, see `emit.rs`) are placed at their uses
/// inside the loop instead of being hoisted out of it and spilled.
fn emit_loop(
    b: &mut FunctionBuilder,
    lin: &mut Lincomb,
    tile_qubits: u32,
    skip: u64,
    body: impl FnOnce(&mut FunctionBuilder, &mut Lincomb, Value),
) {
    let header = b.create_block();
    b.append_block_param(header, types::I64);
    b.append_block_param(header, types::I64);
    let exit = b.create_block();
    let start = b.ins().iconst(types::I64, 0);
    let outer_table = lin.table;
    b.ins().jump(header, &[start.into(), outer_table.into()]);
    b.switch_to_block(header);
    let (i, table) = (b.block_params(header)[0], b.block_params(header)[1]);
    lin.table = table;
    lin.reset();
    body(b, lin, i);
    lin.table = outer_table;
    let filled = b.ins().bor_imm(i, skip as i64);
    let bumped = b.ins().iadd_imm(filled, 1);
    let next = b.ins().band_imm(bumped, !skip as i64);
    let more = b.ins().icmp_imm(IntCC::NotEqual, next, 1i64 << tile_qubits);
    let carried = b.ins().select(more, table, outer_table);
    b.ins().brif(more, header, &[next.into(), carried.into()], exit, &[]);
    b.switch_to_block(exit);
}

/// The address of amplitude `i` of the tile.
fn address(b: &mut FunctionBuilder, tile: Value, i: Value) -> Value {
    let bytes = b.ins().ishl_imm(i, 4);
    b.ins().iadd(tile, bytes)
}

/// One register block: load the `2^|qubits|` amplitudes of each index group, apply the block's
/// operations to them, store the ones that changed. Each operation's results are also stored as
/// soon as they are computed: the stores are ordered side effects, so the optimiser (which places
/// pure arithmetic at its first use) computes the operations in order, and each coefficient and
/// temporary lives only while its operation is computed; loads of stored values are forwarded
/// from registers, and a store is two cheap L1 writes per pair.
fn emit_block(
    b: &mut FunctionBuilder,
    lin: &mut Lincomb,
    tile: Value,
    tile_qubits: u32,
    qubits: u64,
    members: &[&BoundOp],
    raw_base: &[usize],
) {
    let offsets: Vec<i32> =
        (0..1usize << qubits.count_ones()).map(|j| (16 * deposit(j, qubits as usize)) as i32).collect();
    emit_loop(b, lin, tile_qubits, qubits, |b, lin, i| {
        let base = address(b, tile, i);
        let mut r: Vec<Value> = offsets.iter().map(|&o| b.ins().load(C64, mem(), base, o)).collect();
        let mut stored = r.clone();
        for (op, &raw) in members.iter().zip(raw_base) {
            lin.coefs.begin_op();
            apply_in_registers(b, lin, &mut r, qubits, op, raw);
            for ((&o, &v), old) in offsets.iter().zip(&r).zip(stored.iter_mut()) {
                if v != *old {
                    b.ins().store(mem(), v, base, o);
                    *old = v;
                }
            }
        }
    });
}

/// Applies one operation to the block's amplitudes `r` (bit `k` of an index into `r` is the
/// `k`-th qubit of `qubits`); its raw entries start at `raw`.
fn apply_in_registers(
    b: &mut FunctionBuilder,
    lin: &mut Lincomb,
    r: &mut [Value],
    qubits: u64,
    op: &BoundOp,
    raw: usize,
) {
    let c = |k: usize| Coef { raw: raw + k, phase: 0 };
    let mut pair = |b: &mut FunctionBuilder, r: &mut [Value], lo: usize, hi: usize, first: usize| {
        let (u, v) = (r[lo], r[hi]);
        r[lo] = lin.emit(b, &[(c(first), u), (c(first + 1), v)]);
        r[hi] = lin.emit(b, &[(c(first + 2), u), (c(first + 3), v)]);
    };
    match *op {
        BoundOp::One { q, .. } => {
            let bit = 1 << position(qubits, q);
            for j in (0..r.len()).filter(|j| j & bit == 0) {
                pair(b, r, j, j | bit, 0);
            }
        }
        BoundOp::Select { c: control, t, .. } => {
            let (cbit, tbit) = (1 << position(qubits, control), 1 << position(qubits, t));
            for j in (0..r.len()).filter(|j| j & tbit == 0) {
                pair(b, r, j, j | tbit, if j & cbit == 0 { 0 } else { 4 });
            }
        }
        BoundOp::Pauli { p, .. } => {
            // (α + βP)ψ at j: α ψ_j + β i^{ny} (−1)^{|j'∧z|} ψ_{j'} with j' = j ⊕ x.
            let (x, z) = (compress(p.x, qubits), compress(p.z, qubits));
            let ny = (p.x & p.z).count_ones();
            let old = r.to_vec();
            for (j, slot) in r.iter_mut().enumerate() {
                let partner = j ^ x;
                let phase = (ny + 2 * ((partner & z).count_ones() & 1)) % 4;
                let beta = Coef { raw: raw + 1, phase: phase as u8 };
                *slot = lin.emit(b, &[(c(0), old[j]), (beta, old[partner])]);
            }
        }
    }
}

/// A Pauli rotation `α + βP` wider than a block, over the whole tile: pairs `(b, b ⊕ x)` with
/// bit `h` (the highest of `x`) of `b` clear, or single amplitudes when `x = 0`.
fn emit_wide_pauli(
    b: &mut FunctionBuilder,
    lin: &mut Lincomb,
    tile: Value,
    tile_qubits: u32,
    x: u64,
    z: u64,
    raw: usize,
) {
    let ny = (x & z).count_ones();
    let alpha = Coef { raw, phase: 0 };
    let beta = Coef { raw: raw + 1, phase: (ny % 4) as u8 };
    let skip = if x == 0 { 0 } else { 1u64 << (63 - x.leading_zeros()) };
    emit_loop(b, lin, tile_qubits, skip, |b, lin, i| {
        let masked = b.ins().band_imm(i, z as i64);
        let parity = b.ins().popcnt(masked);
        let base = address(b, tile, i);
        let u = b.ins().load(C64, mem(), base, 0);
        if x == 0 {
            // (α ± β) ψ_b with the sign of (−1)^{|b∧z|}.
            let a = lin.emit(b, &[(alpha, u)]);
            let t = lin.emit(b, &[(beta, u)]);
            let t = negate_if(b, t, parity);
            let out = b.ins().fadd(a, t);
            b.ins().store(mem(), out, base, 0);
            return;
        }
        let j = b.ins().bxor_imm(i, x as i64);
        let partner = address(b, tile, j);
        let v = b.ins().load(C64, mem(), partner, 0);
        // u' = α u + β i^{ny} s_b (−1)^{ny} v, v' = α v + β i^{ny} s_b u.
        let (au, av) = (lin.emit(b, &[(alpha, u)]), lin.emit(b, &[(alpha, v)]));
        let (tv, tu) = (lin.emit(b, &[(beta, v)]), lin.emit(b, &[(beta, u)]));
        let parity_u = if ny % 2 == 1 { b.ins().bxor_imm(parity, 1) } else { parity };
        let tv = negate_if(b, tv, parity_u);
        let tu = negate_if(b, tu, parity);
        let (nu, nv) = (b.ins().fadd(au, tv), b.ins().fadd(av, tu));
        b.ins().store(mem(), nu, base, 0);
        b.ins().store(mem(), nv, partner, 0);
    });
}

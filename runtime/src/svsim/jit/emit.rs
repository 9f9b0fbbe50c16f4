//! Complex arithmetic on `f64x2` values (`[re, im]` of one amplitude) in Cranelift IR.

use std::collections::HashMap;

use cranelift_codegen::ir::{types, ConstantData, Endianness, InstBuilder, MemFlags, Type, Value};
use cranelift_frontend::FunctionBuilder;

use super::coef::{Coef, Coefs, Part};

/// One complex amplitude.
pub(super) const C64: Type = types::F64X2;

/// Flags for loads and stores of amplitudes: in bounds by construction, not necessarily 16-byte
/// aligned.
pub(super) fn mem() -> MemFlags {
    MemFlags::new().with_notrap()
}

/// Flags for coefficient loads: also read-only while the kernel runs, so they are pure values
/// that the optimiser may place at their uses and merge.
pub(super) fn table_mem() -> MemFlags {
    mem().with_readonly().with_can_move()
}

fn little() -> MemFlags {
    MemFlags::new().with_endianness(Endianness::Little)
}

/// `[im, re]` from `[re, im]`.
pub(super) fn swap(b: &mut FunctionBuilder, v: Value) -> Value {
    let bytes = b.ins().bitcast(types::I8X16, little(), v);
    let lanes: Vec<u8> = (8..16).chain(0..8).collect();
    let mask = b.func.dfg.immediates.push(ConstantData::from(lanes));
    let swapped = b.ins().shuffle(bytes, bytes, mask);
    b.ins().bitcast(C64, little(), swapped)
}

/// `v` with its sign bits flipped where `sign` (an `i64`) has bit 0 set: `(−1)^sign · v`.
pub(super) fn negate_if(b: &mut FunctionBuilder, v: Value, sign: Value) -> Value {
    let bit = b.ins().ishl_imm(sign, 63);
    let mask = b.ins().splat(types::I64X2, bit);
    let bits = b.ins().bitcast(types::I64X2, little(), v);
    let flipped = b.ins().bxor(bits, mask);
    b.ins().bitcast(C64, little(), flipped)
}

/// `[0, 0]`.
pub(super) fn zero(b: &mut FunctionBuilder) -> Value {
    let c = b.func.dfg.constants.insert(ConstantData::from(vec![0u8; 16]));
    b.ins().vconst(C64, c)
}

/// Emits sums of coefficient × amplitude products against one stage's coefficient table.
pub(super) struct Lincomb<'a> {
    pub coefs: &'a mut Coefs,
    pub table: Value,
    swapped: HashMap<Value, Value>,
}

impl<'a> Lincomb<'a> {
    pub(super) fn new(coefs: &'a mut Coefs, table: Value) -> Self {
        Lincomb { coefs, table, swapped: HashMap::new() }
    }

    /// Forgets swapped values (call when starting a new loop body, whose values do not dominate
    /// later code).
    pub(super) fn reset(&mut self) {
        self.swapped.clear();
    }

    fn swap_of(&mut self, b: &mut FunctionBuilder, v: Value) -> Value {
        if let Some(&s) = self.swapped.get(&v) {
            return s;
        }
        let s = swap(b, v);
        self.swapped.insert(v, s);
        s
    }

    /// `Σ c_k · v_k` with zero and unit factors folded away.
    pub(super) fn emit(&mut self, b: &mut FunctionBuilder, terms: &[(Coef, Value)]) -> Value {
        let mut acc: Option<Value> = None;
        for &(c, v) in terms {
            for imag in [false, true] {
                let part = self.coefs.part(c, imag);
                if part == Part::Zero {
                    continue;
                }
                let x = if imag { self.swap_of(b, v) } else { v };
                acc = Some(match (part, acc) {
                    (Part::Unit { negative: false }, None) => x,
                    (Part::Unit { negative: true }, None) => b.ins().fneg(x),
                    (Part::Unit { negative: false }, Some(a)) => b.ins().fadd(a, x),
                    (Part::Unit { negative: true }, Some(a)) => b.ins().fsub(a, x),
                    (Part::Slot(k), acc) => {
                        let f = b.ins().load(C64, table_mem(), self.table, (16 * k) as i32);
                        match acc {
                            None => b.ins().fmul(f, x),
                            Some(a) => b.ins().fma(f, x, a),
                        }
                    }
                    (Part::Zero, _) => unreachable!("zero parts are skipped"),
                });
            }
        }
        acc.unwrap_or_else(|| zero(b))
    }
}

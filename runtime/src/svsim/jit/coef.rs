//! Matrix entries of a stage's operations as the compiled code sees them.
//!
//! Each bound operation contributes *raw entries* in a fixed order (`One`: `m` row by row;
//! `Select`: `m0` then `m1`; `Pauli`: `α`, `β`). The code multiplies an amplitude `v = [re, im]`
//! by a complex coefficient `c` as `[c.re, c.re]·v + [−c.im, c.im]·swap(v)`, so it needs those two
//! vectors per coefficient. Which raw components are fixed is found by binding the program with
//! NaN parameters (a component computed from any parameter comes out NaN; binding is a fixed
//! sequence of products and sums) and with a few ordinary parameter vectors (see [`Coefs::new`]);
//! fixed components that are 0 or ±1 disappear from the code,
//! other vectors live in a per-stage table of 16-byte slots: fixed values written at compile time,
//! parameter-dependent ones rewritten from the bound operations before every run.

use std::collections::HashMap;

use num_complex::Complex64;

use crate::svsim::fusion::BoundOp;

/// The raw entries of `op`, in the order described in the module note.
pub(super) fn raw_entries(op: &BoundOp, out: &mut Vec<Complex64>) {
    match op {
        BoundOp::One { m, .. } => out.extend(m.iter().flatten()),
        BoundOp::Select { m0, m1, .. } => out.extend(m0.iter().chain(m1.iter()).flatten()),
        BoundOp::Pauli { alpha, beta, .. } => out.extend([*alpha, *beta]),
    }
}

/// The number of raw entries of `op`.
pub(super) fn raw_count(op: &BoundOp) -> usize {
    match op {
        BoundOp::One { .. } => 4,
        BoundOp::Select { .. } => 8,
        BoundOp::Pauli { .. } => 2,
    }
}

/// The coefficient `i^phase · raw[raw]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Coef {
    pub raw: usize,
    pub phase: u8,
}

/// One real number the code needs: `±` the real or imaginary part of a raw entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Scalar {
    raw: usize,
    imag: bool,
    negate: bool,
}

/// How a real number `s` fills a vector: `[s, s]` multiplies `v`, `[−s, s]` multiplies `swap(v)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Form {
    Splat,
    NegPos,
}

/// A vector factor as the code applies it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Part {
    /// The product vanishes.
    Zero,
    /// `±v` (only for [`Form::Splat`]).
    Unit { negative: bool },
    /// Loaded from table slot `k`.
    Slot(usize),
}

/// The coefficient table of one stage.
#[derive(Clone, Debug)]
pub(super) struct Coefs {
    /// Per raw entry: its real and imaginary parts where they do not depend on the parameters.
    fixed: Vec<[Option<f64>; 2]>,
    /// Slot values known at compile time (parameter-dependent slots hold zeros here).
    table: Vec<[f64; 2]>,
    /// Parameter-dependent slots: where each one's value comes from.
    runtime: Vec<(usize, Scalar, Form)>,
    /// Slots shared by the current operation (see [`Coefs::begin_op`]).
    shared: HashMap<Key, usize>,
}

/// What makes two slots of one operation the same.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Key {
    Fixed(u64, Form),
    Runtime(Scalar, Form),
}

impl Coefs {
    /// From the raw entries bound with NaN parameters (`probe_nan`) and with other parameter
    /// vectors (`probes`, at least one). A component is fixed when it is a number in the first
    /// (no parameter reached it) and the same in the first probe; it is also fixed, at zero, when
    /// it is exactly zero in every probe: products like `cos θ · 0` are NaN in the first binding,
    /// yet zero for every θ (a real rotation's imaginary parts), and a non-zero trigonometric
    /// function of the parameters does not vanish at several unrelated parameter vectors.
    pub(super) fn new(probe_nan: &[Complex64], probes: &[Vec<Complex64>]) -> Self {
        let component = |k: usize, part: fn(&Complex64) -> f64| {
            let first = part(&probe_nan[k]);
            if !first.is_nan() && first.to_bits() == part(&probes[0][k]).to_bits() {
                Some(first)
            } else if probes.iter().all(|p| part(&p[k]) == 0.0) {
                Some(0.0)
            } else {
                None
            }
        };
        let fixed = (0..probe_nan.len()).map(|k| [component(k, |c| c.re), component(k, |c| c.im)]).collect();
        Coefs { fixed, table: Vec::new(), runtime: Vec::new(), shared: HashMap::new() }
    }

    /// Starts a new operation: equal vectors share a slot only within one operation, so a value
    /// loaded from the table is live only while the operation that needs it is computed.
    pub(super) fn begin_op(&mut self) {
        self.shared.clear();
    }

    /// The number of table slots.
    pub(super) fn n_slots(&self) -> usize {
        self.table.len()
    }

    /// Whether the factor [`Self::part`] would return for `c` needs no multiplication (it is
    /// zero or ±1 for every parameter vector).
    pub(super) fn is_free(&self, c: Coef, imag: bool) -> bool {
        let (from_imag, _) = component(c.phase, imag);
        match self.fixed[c.raw][usize::from(from_imag)] {
            Some(v) => v == 0.0 || (!imag && v.abs() == 1.0),
            None => false,
        }
    }

    /// Whether raw entry `raw` is zero for every parameter vector.
    pub(super) fn is_zero(&self, raw: usize) -> bool {
        self.fixed[raw] == [Some(0.0); 2]
    }

    /// The factor applying the real (`imag == false`, [`Form::Splat`], to `v`) or imaginary
    /// (`imag == true`, [`Form::NegPos`], to `swap(v)`) part of `c`.
    pub(super) fn part(&mut self, c: Coef, imag: bool) -> Part {
        let (from_imag, negate) = component(c.phase, imag);
        let form = if imag { Form::NegPos } else { Form::Splat };
        let scalar = Scalar { raw: c.raw, imag: from_imag, negate };
        match self.fixed[c.raw][usize::from(from_imag)] {
            Some(v) => {
                let v = if negate { -v } else { v };
                if v == 0.0 {
                    Part::Zero
                } else if form == Form::Splat && v.abs() == 1.0 {
                    Part::Unit { negative: v < 0.0 }
                } else {
                    let next = self.table.len();
                    let slot = *self.shared.entry(Key::Fixed(v.to_bits(), form)).or_insert(next);
                    if slot == next {
                        self.table.push(vector(v, form));
                    }
                    Part::Slot(slot)
                }
            }
            None => {
                let next = self.table.len();
                let slot = *self.shared.entry(Key::Runtime(scalar, form)).or_insert(next);
                if slot == next {
                    self.table.push([0.0; 2]);
                    self.runtime.push((slot, scalar, form));
                }
                Part::Slot(slot)
            }
        }
    }

    /// The table for one run, from the stage's raw entries bound with the run's parameters.
    pub(super) fn fill(&self, raw: &[Complex64]) -> Vec<[f64; 2]> {
        let mut table = self.table.clone();
        for &(slot, s, form) in &self.runtime {
            let v = if s.imag { raw[s.raw].im } else { raw[s.raw].re };
            table[slot] = vector(if s.negate { -v } else { v }, form);
        }
        table
    }
}

/// Which part of a raw entry `r` gives the real (`imag == false`) or imaginary part of
/// `i^phase · r`, and whether it is negated: Re and Im of `i^k·r` are `(re, im)`, `(−im, re)`,
/// `(−re, −im)`, `(im, −re)` for `k = 0, 1, 2, 3`.
fn component(phase: u8, imag: bool) -> (bool, bool) {
    match (phase % 4, imag) {
        (0, false) => (false, false),
        (0, true) => (true, false),
        (1, false) => (true, true),
        (1, true) => (false, false),
        (2, false) => (false, true),
        (2, true) => (true, true),
        (3, false) => (true, false),
        _ => (false, true),
    }
}

fn vector(v: f64, form: Form) -> [f64; 2] {
    match form {
        Form::Splat => [v, v],
        Form::NegPos => [-v, v],
    }
}

//! Clifford circuits that map every string of a commuting set to a Z-only string.
//!
//! Qubit-wise commuting sets need one basis change per qubit: `H` where the set acts with X,
//! `S†` then `H` where it acts with Y (`H S† · Y · S H = Z`).
//!
//! A fully commuting set is handled in the symplectic picture (a string is a row `(x | z)` over
//! GF(2); conjugating by a Clifford gate is a column operation on all rows at once; multiplying
//! rows, i.e. choosing other generators of the same group, changes nothing). The construction:
//!
//! 1. Gaussian elimination picks `k` independent rows (generators) of the set.
//! 2. Make the X block rank `k`: after eliminating on X, the rows with no X part are Z-only; their
//!    restriction to the columns that are not X pivots has full rank (a Z-only row supported on X
//!    pivots alone would anticommute with some generator), so `H` on one such pivot column per
//!    Z-only row moves them into the X block without touching the X pivots.
//! 3. Reduce the X block to `x_i = e_{p_i}` (one pivot qubit `p_i` per generator): row operations
//!    give reduced echelon form, then `CNOT(p_i → c)` clears every other X bit `c` of row `i`
//!    (no other row has an X bit at `p_i`, so no other row's X part changes).
//! 4. Clear the Z block: `S(p_i)` clears `z_i[p_i]`; `CZ(p_i, c)` toggles `z_i[c]` and, when `c` is
//!    the pivot `p_j`, also `z_j[p_i]`, which commutation keeps equal to `z_i[p_j]`. Each row is
//!    then `X_{p_i}`.
//! 5. `H` on every pivot: each generator becomes `Z_{p_i}`, so every product of generators, i.e.
//!    every string of the set, becomes a Z-only string (with a sign that [`diagonal_images`] reads
//!    off the finished circuit).
//!
//! This is the construction of Gokhale et al. (arXiv:1907.13623) and Crawford et al.
//! (Quantum 5, 385 (2021)), derived here from the tableau rules. It uses at most `k(n − k)`
//! CNOTs and `k(k − 1)/2 + k(n − k)` CZs for `k` generators on `n` qubits.

use super::graph::qubit_wise_commute;
use crate::circuit::{Gate, LogicalCircuit};
use crate::qubit::PauliString;

/// The single-qubit basis change of a qubit-wise commuting set. Failure contract: panics if the
/// strings do not commute qubit-wise or act outside `n_qubits` (programming errors).
pub fn qubit_wise_circuit(n_qubits: u32, strings: &[PauliString]) -> LogicalCircuit {
    let mut circuit = LogicalCircuit::new(n_qubits, 0);
    let mut basis = PauliString::IDENTITY;
    for &s in strings {
        assert!(qubit_wise_commute(basis, s), "{s} does not commute qubit-wise with the set");
        basis = PauliString { x: basis.x | s.x, z: basis.z | s.z };
    }
    let outside = if n_qubits >= 64 { 0 } else { (basis.x | basis.z) >> n_qubits };
    assert_eq!(outside, 0, "a string acts outside the {n_qubits}-qubit register");
    for q in 0..n_qubits {
        match basis.at(q) {
            'X' => circuit.push(Gate::H(q)),
            'Y' => {
                circuit.push(Gate::Sdg(q));
                circuit.push(Gate::H(q));
            }
            _ => {}
        }
    }
    circuit
}

/// A Clifford circuit diagonalising a commuting set: the single-qubit basis change when the set
/// commutes qubit-wise, the symplectic construction of the module docs otherwise. Failure
/// contract: panics if two strings do not commute or a string acts outside `n_qubits`
/// (programming errors).
pub fn commuting_circuit(n_qubits: u32, strings: &[PauliString]) -> LogicalCircuit {
    let qubit_wise =
        strings.iter().enumerate().all(|(i, &a)| strings[i + 1..].iter().all(|&b| qubit_wise_commute(a, b)));
    if qubit_wise {
        return qubit_wise_circuit(n_qubits, strings);
    }
    for (i, &a) in strings.iter().enumerate() {
        for &b in &strings[i + 1..] {
            assert!(a.commutes_with(b), "{a} and {b} do not commute");
        }
    }
    let mut tableau = Tableau { rows: independent_rows(strings), circuit: LogicalCircuit::new(n_qubits, 0) };
    tableau.fill_x_block();
    let pivots = tableau.reduce_x_block();
    tableau.clear_z_block(&pivots, n_qubits);
    for &p in &pivots {
        tableau.apply(Gate::H(p));
    }
    debug_assert!(tableau.rows.iter().all(|r| r.x == 0), "generators not diagonalised");
    tableau.circuit
}

/// `U P U†` for every string: `(Z-only string, coefficient with its sign folded in)`. Failure
/// contract: panics if `circuit` is not Clifford or leaves a string off-diagonal (programming
/// errors: the circuits of this module are Clifford and diagonalise their sets).
pub fn diagonal_images(circuit: &LogicalCircuit, terms: &[(PauliString, f64)]) -> Vec<(PauliString, f64)> {
    terms
        .iter()
        .map(|&(s, c)| {
            let (negative, image) = circuit.conjugate_pauli(s).expect("diagonalising circuits are Clifford");
            assert_eq!(image.x, 0, "{s} maps to {image}, which is not diagonal");
            (image, if negative { -c } else { c })
        })
        .collect()
}

/// Independent rows spanning the strings (reduced over GF(2), so they are products of the
/// strings; phases are irrelevant to the circuit).
fn independent_rows(strings: &[PauliString]) -> Vec<PauliString> {
    let mut basis: Vec<(u128, PauliString)> = Vec::new();
    for &s in strings {
        let mut v = symplectic(s);
        let mut row = s;
        for &(b, r) in &basis {
            let pivot = 1u128 << (127 - b.leading_zeros());
            if v & pivot != 0 {
                v ^= b;
                row = product(row, r);
            }
        }
        if v != 0 {
            basis.push((v, row));
            // Keep the basis sorted by decreasing pivot so one pass reduces a new vector.
            basis.sort_by_key(|&(b, _)| std::cmp::Reverse(127 - b.leading_zeros()));
        }
    }
    basis.into_iter().map(|(_, r)| r).collect()
}

/// A string as one 128-bit vector, x in the high word.
fn symplectic(s: PauliString) -> u128 {
    (u128::from(s.x) << 64) | u128::from(s.z)
}

/// Generators under construction and the circuit applied to them so far (signs are ignored: the
/// finished circuit is conjugated exactly afterwards).
struct Tableau {
    rows: Vec<PauliString>,
    circuit: LogicalCircuit,
}

impl Tableau {
    /// Appends a Clifford gate and conjugates every row by it (symplectic part only).
    fn apply(&mut self, gate: Gate) {
        let bit = |m: u64, q: u32| m >> q & 1;
        for r in &mut self.rows {
            match gate {
                Gate::H(q) => {
                    let (xq, zq) = (bit(r.x, q), bit(r.z, q));
                    r.x = (r.x & !(1 << q)) | zq << q;
                    r.z = (r.z & !(1 << q)) | xq << q;
                }
                Gate::S(q) => r.z ^= bit(r.x, q) << q,
                Gate::Cnot { control, target } => {
                    r.x ^= bit(r.x, control) << target;
                    r.z ^= bit(r.z, target) << control;
                }
                Gate::Cz(a, b) => {
                    r.z ^= bit(r.x, a) << b;
                    r.z ^= bit(r.x, b) << a;
                }
                other => unreachable!("{other:?} is not used by the construction"),
            }
        }
        self.circuit.push(gate);
    }

    /// Step 2: Hadamards so that the X block has full row rank.
    fn fill_x_block(&mut self) {
        let (with_x, z_only) = x_echelon(&self.rows);
        let x_pivots = with_x.iter().fold(0u64, |m, r| m | 1 << r.x.trailing_zeros());
        // Reduced echelon form of the Z-only rows restricted to the columns that are not X pivots.
        let mut free_rows: Vec<u64> = Vec::new();
        for row in z_only {
            let mut z = row.z & !x_pivots;
            for &b in &free_rows {
                if z >> b.trailing_zeros() & 1 == 1 {
                    z ^= b;
                }
            }
            assert!(z != 0, "a Z-only generator lies on the X pivots: the set does not commute");
            let q = z.trailing_zeros();
            for b in &mut free_rows {
                if *b >> q & 1 == 1 {
                    *b ^= z;
                }
            }
            free_rows.push(z);
        }
        for q in free_rows.iter().map(|b| b.trailing_zeros()).collect::<Vec<_>>() {
            self.apply(Gate::H(q));
        }
    }

    /// Step 3: row-reduce the X block to `x_i = e_{p_i} + (non-pivot bits)`, then clear the
    /// non-pivot bits with CNOTs. Returns the pivot qubits `p_i` (row `i` has pivot `p_i`).
    fn reduce_x_block(&mut self) -> Vec<u32> {
        let (with_x, z_only) = x_echelon(&self.rows);
        assert!(z_only.is_empty(), "the X block is not full rank");
        self.rows = with_x;
        let pivots: Vec<u32> = self.rows.iter().map(|r| r.x.trailing_zeros()).collect();
        for (i, &p) in pivots.iter().enumerate() {
            let others = self.rows[i].x & !(1 << p);
            for c in (0..64).filter(|c| others >> c & 1 == 1) {
                self.apply(Gate::Cnot { control: p, target: c });
            }
        }
        pivots
    }

    /// Step 4: `S` and `CZ` on the pivots until every row is `X_{p_i}`.
    fn clear_z_block(&mut self, pivots: &[u32], n_qubits: u32) {
        for (i, &p) in pivots.iter().enumerate() {
            if self.rows[i].z >> p & 1 == 1 {
                self.apply(Gate::S(p));
            }
            for c in (0..n_qubits).filter(|&c| c != p) {
                if self.rows[i].z >> c & 1 == 1 {
                    self.apply(Gate::Cz(p, c));
                }
            }
        }
    }
}

/// The product of two strings, phase dropped (the sum of their symplectic vectors).
fn product(a: PauliString, b: PauliString) -> PauliString {
    PauliString { x: a.x ^ b.x, z: a.z ^ b.z }
}

/// Reduced row echelon form on the X block: the rows with an X part, each with a pivot (its lowest
/// X bit) that no other row has, and the rows left with no X part. Row operations only, so the
/// rows generate the same group (up to phases).
fn x_echelon(rows: &[PauliString]) -> (Vec<PauliString>, Vec<PauliString>) {
    let mut with_x: Vec<PauliString> = Vec::with_capacity(rows.len());
    let mut z_only = Vec::new();
    for &row in rows {
        let mut r = row;
        for &b in &with_x {
            if r.x >> b.x.trailing_zeros() & 1 == 1 {
                r = product(r, b);
            }
        }
        if r.x == 0 {
            z_only.push(r);
            continue;
        }
        // The new pivot lies above every pivot it is cleared from, so their pivots stay lowest.
        let p = r.x.trailing_zeros();
        for b in &mut with_x {
            if b.x >> p & 1 == 1 {
                *b = product(*b, r);
            }
        }
        with_x.push(r);
    }
    (with_x, z_only)
}

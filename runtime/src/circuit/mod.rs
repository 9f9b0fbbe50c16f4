//! Logical circuits: the gate-level form of ansatzes and measurement circuits, before any device
//! lowering. They are what gate counts and depths are reported on, what the trapped-ion compiler
//! takes as input, and what measurement planning emits as diagonalising Clifford circuits.
//!
//! Gates: `H`, `S`, `S†`, `X`, `RX`/`RY`/`RZ(φ) = exp(−i φ/2 · P)` with a fixed or parametrised
//! angle, `CNOT` and `CZ`. Conventions are those of [`crate::qubit::pauli`] (qubit `q` is bit `q`
//! of a basis index). A circuit `G_1 … G_m` applies `G_1` first: its unitary is `G_m ⋯ G_1`.
//!
//! Failure contract: building a circuit panics on programming errors (a qubit or parameter the
//! circuit does not have, a two-qubit gate on one qubit); nothing here fails on valid input.

use num_complex::Complex64;

use crate::qubit::PauliString;
use crate::sim::StateVector;

/// A rotation angle: fixed, or a fixed multiple of one circuit parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Angle {
    Fixed(f64),
    /// `weight · θ[index]`.
    Parameter {
        index: usize,
        weight: f64,
    },
}

impl Angle {
    /// The angle's value for the parameter vector `params`.
    pub fn value(self, params: &[f64]) -> f64 {
        match self {
            Angle::Fixed(phi) => phi,
            Angle::Parameter { index, weight } => weight * params[index],
        }
    }

    fn negated(self) -> Angle {
        match self {
            Angle::Fixed(phi) => Angle::Fixed(-phi),
            Angle::Parameter { index, weight } => Angle::Parameter { index, weight: -weight },
        }
    }
}

/// One logical gate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Gate {
    H(u32),
    S(u32),
    Sdg(u32),
    X(u32),
    Rx(u32, Angle),
    Ry(u32, Angle),
    Rz(u32, Angle),
    Cnot { control: u32, target: u32 },
    Cz(u32, u32),
}

impl Gate {
    /// The qubits the gate acts on (one or two).
    pub fn qubits(&self) -> (u32, Option<u32>) {
        match *self {
            Gate::H(q) | Gate::S(q) | Gate::Sdg(q) | Gate::X(q) | Gate::Rx(q, _) | Gate::Ry(q, _) | Gate::Rz(q, _) => {
                (q, None)
            }
            Gate::Cnot { control, target } => (control, Some(target)),
            Gate::Cz(a, b) => (a, Some(b)),
        }
    }

    pub fn is_two_qubit(&self) -> bool {
        self.qubits().1.is_some()
    }

    /// The gate's parameter, if its angle depends on one.
    pub fn parameter(&self) -> Option<usize> {
        match *self {
            Gate::Rx(_, Angle::Parameter { index, .. })
            | Gate::Ry(_, Angle::Parameter { index, .. })
            | Gate::Rz(_, Angle::Parameter { index, .. }) => Some(index),
            _ => None,
        }
    }

    /// The lower-case OpenQASM name: `h`, `s`, `sdg`, `x`, `rx`, `ry`, `rz`, `cx`, `cz`.
    pub fn name(&self) -> &'static str {
        match self {
            Gate::H(_) => "h",
            Gate::S(_) => "s",
            Gate::Sdg(_) => "sdg",
            Gate::X(_) => "x",
            Gate::Rx(..) => "rx",
            Gate::Ry(..) => "ry",
            Gate::Rz(..) => "rz",
            Gate::Cnot { .. } => "cx",
            Gate::Cz(..) => "cz",
        }
    }
}

/// Gate counts of a circuit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct GateCounts {
    pub one_qubit: usize,
    pub two_qubit: usize,
}

/// A circuit on `n_qubits` qubits with `n_parameters` parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct LogicalCircuit {
    n_qubits: u32,
    n_parameters: usize,
    gates: Vec<Gate>,
}

impl LogicalCircuit {
    pub fn new(n_qubits: u32, n_parameters: usize) -> Self {
        LogicalCircuit { n_qubits, n_parameters, gates: Vec::new() }
    }

    pub fn n_qubits(&self) -> u32 {
        self.n_qubits
    }

    pub fn n_parameters(&self) -> usize {
        self.n_parameters
    }

    pub fn gates(&self) -> &[Gate] {
        &self.gates
    }

    /// Appends `gate`. Failure contract: panics if it names a qubit or parameter the circuit does
    /// not have, or a two-qubit gate acts twice on one qubit.
    pub fn push(&mut self, gate: Gate) {
        let (a, b) = gate.qubits();
        assert!(a < self.n_qubits, "{gate:?} acts outside the {}-qubit circuit", self.n_qubits);
        if let Some(b) = b {
            assert!(b < self.n_qubits, "{gate:?} acts outside the {}-qubit circuit", self.n_qubits);
            assert_ne!(a, b, "{gate:?} acts twice on one qubit");
        }
        if let Some(p) = gate.parameter() {
            assert!(p < self.n_parameters, "{gate:?} names parameter {p} of {}", self.n_parameters);
        }
        self.gates.push(gate);
    }

    /// Appends every gate of `other` (same width; its parameters are this circuit's).
    pub fn extend(&mut self, other: &LogicalCircuit) {
        for &gate in &other.gates {
            self.push(gate);
        }
    }

    /// Appends `exp(−i φ/2 · P)` in the textbook form: a basis change on each qubit of `P`
    /// (`H` for X, `RX(π/2)` for Y), a CNOT ladder computing the parity onto `P`'s highest qubit,
    /// `RZ(φ)` there, and the ladder and basis change undone: `2(w − 1)` CNOTs for weight `w`.
    /// The identity string is a global phase and adds nothing.
    pub fn push_pauli_rotation(&mut self, string: PauliString, angle: Angle) {
        let support: Vec<u32> = (0..64).filter(|q| (string.x | string.z) >> q & 1 == 1).collect();
        let Some(&last) = support.last() else { return };
        let half_pi = std::f64::consts::FRAC_PI_2;
        for &q in &support {
            match string.at(q) {
                'X' => self.push(Gate::H(q)),
                'Y' => self.push(Gate::Rx(q, Angle::Fixed(half_pi))),
                _ => {}
            }
        }
        for pair in support.windows(2) {
            self.push(Gate::Cnot { control: pair[0], target: pair[1] });
        }
        self.push(Gate::Rz(last, angle));
        for pair in support.windows(2).rev() {
            self.push(Gate::Cnot { control: pair[0], target: pair[1] });
        }
        for &q in &support {
            match string.at(q) {
                'X' => self.push(Gate::H(q)),
                'Y' => self.push(Gate::Rx(q, Angle::Fixed(-half_pi))),
                _ => {}
            }
        }
    }

    /// The inverse circuit (gates reversed, each inverted).
    pub fn inverse(&self) -> LogicalCircuit {
        let gates = self
            .gates
            .iter()
            .rev()
            .map(|&g| match g {
                Gate::S(q) => Gate::Sdg(q),
                Gate::Sdg(q) => Gate::S(q),
                Gate::Rx(q, a) => Gate::Rx(q, a.negated()),
                Gate::Ry(q, a) => Gate::Ry(q, a.negated()),
                Gate::Rz(q, a) => Gate::Rz(q, a.negated()),
                other => other,
            })
            .collect();
        LogicalCircuit { n_qubits: self.n_qubits, n_parameters: self.n_parameters, gates }
    }

    pub fn counts(&self) -> GateCounts {
        let two_qubit = self.gates.iter().filter(|g| g.is_two_qubit()).count();
        GateCounts { one_qubit: self.gates.len() - two_qubit, two_qubit }
    }

    /// Circuit depth: the number of layers when every gate starts as soon as its qubits are free.
    pub fn depth(&self) -> usize {
        let mut busy = vec![0usize; self.n_qubits as usize];
        for gate in &self.gates {
            let (a, b) = gate.qubits();
            let start = b.map_or(busy[a as usize], |b| busy[a as usize].max(busy[b as usize]));
            busy[a as usize] = start + 1;
            if let Some(b) = b {
                busy[b as usize] = start + 1;
            }
        }
        busy.into_iter().max().unwrap_or(0)
    }

    /// Applies the circuit to `state`. Failure contract: panics if the state has fewer qubits than
    /// the circuit or `params` is shorter than the parameter count.
    pub fn apply(&self, params: &[f64], state: &mut StateVector) {
        assert!(state.n_qubits() >= self.n_qubits, "state narrower than the circuit");
        assert!(params.len() >= self.n_parameters, "{} parameters for {}", params.len(), self.n_parameters);
        for gate in &self.gates {
            apply_gate(gate, params, state);
        }
    }

    /// The circuit's unitary as a dense row-major `2^n × 2^n` matrix, for tests and small checks.
    /// Failure contract: panics above 12 qubits.
    pub fn unitary(&self, params: &[f64]) -> Vec<Complex64> {
        assert!(self.n_qubits <= 12, "dense unitary of {} qubits", self.n_qubits);
        let dim = 1usize << self.n_qubits;
        let mut matrix = vec![Complex64::new(0.0, 0.0); dim * dim];
        for column in 0..dim {
            let mut state = StateVector::basis(self.n_qubits, column as u64);
            self.apply(params, &mut state);
            for (row, amplitude) in state.amplitudes().iter().enumerate() {
                matrix[row * dim + column] = *amplitude;
            }
        }
        matrix
    }

    /// `U P U†` for a Clifford circuit `U`, as `(negative, string)`: the sign is `−1` when
    /// `negative`. `None` when the circuit holds a rotation whose angle is a parameter or not a
    /// multiple of π/2 (not a Clifford gate). Uses the stabiliser-tableau update rules of
    /// Aaronson and Gottesman (2004), one gate at a time.
    pub fn conjugate_pauli(&self, string: PauliString) -> Option<(bool, PauliString)> {
        let mut p = SignedPauli { negative: false, x: string.x, z: string.z };
        for gate in &self.gates {
            for step in clifford_steps(gate)? {
                p.apply(step);
            }
        }
        Some((p.negative, PauliString { x: p.x, z: p.z }))
    }
}

/// The elementary Clifford steps the tableau update knows.
#[derive(Clone, Copy)]
enum Step {
    H(u32),
    S(u32),
    X(u32),
    Cnot(u32, u32),
}

/// A Clifford gate as elementary steps (in application order), or `None` for a non-Clifford one.
fn clifford_steps(gate: &Gate) -> Option<Vec<Step>> {
    let quarter_turns = |angle: &Angle| -> Option<i64> {
        let Angle::Fixed(phi) = *angle else { return None };
        let turns = phi / std::f64::consts::FRAC_PI_2;
        let rounded = turns.round();
        ((turns - rounded).abs() < 1e-12).then_some((rounded as i64).rem_euclid(4))
    };
    Some(match *gate {
        Gate::H(q) => vec![Step::H(q)],
        Gate::S(q) => vec![Step::S(q)],
        Gate::Sdg(q) => vec![Step::S(q); 3],
        Gate::X(q) => vec![Step::X(q)],
        // RZ(kπ/2) = S^k up to a global phase; RX = H RZ H; RY(φ) = S RX(φ) S†.
        Gate::Rz(q, a) => vec![Step::S(q); quarter_turns(&a)? as usize],
        Gate::Rx(q, a) => {
            let k = quarter_turns(&a)? as usize;
            [vec![Step::H(q)], vec![Step::S(q); k], vec![Step::H(q)]].concat()
        }
        Gate::Ry(q, a) => {
            let k = quarter_turns(&a)? as usize;
            [vec![Step::S(q); 3], vec![Step::H(q)], vec![Step::S(q); k], vec![Step::H(q)], vec![Step::S(q)]].concat()
        }
        Gate::Cnot { control, target } => vec![Step::Cnot(control, target)],
        Gate::Cz(a, b) => vec![Step::H(b), Step::Cnot(a, b), Step::H(b)],
    })
}

/// `±P` with the letters of [`PauliString`] (both bits set is Y).
struct SignedPauli {
    negative: bool,
    x: u64,
    z: u64,
}

impl SignedPauli {
    /// `P ← G P G†` for one step.
    fn apply(&mut self, step: Step) {
        let bit = |m: u64, q: u32| m >> q & 1 == 1;
        match step {
            Step::H(q) => {
                self.negative ^= bit(self.x, q) && bit(self.z, q);
                let (xq, zq) = (self.x >> q & 1, self.z >> q & 1);
                self.x = (self.x & !(1 << q)) | zq << q;
                self.z = (self.z & !(1 << q)) | xq << q;
            }
            Step::S(q) => {
                self.negative ^= bit(self.x, q) && bit(self.z, q);
                self.z ^= (self.x >> q & 1) << q;
            }
            Step::X(q) => self.negative ^= bit(self.z, q),
            Step::Cnot(c, t) => {
                let (xc, zc, xt, zt) = (bit(self.x, c), bit(self.z, c), bit(self.x, t), bit(self.z, t));
                self.negative ^= xc && zt && (xt == zc);
                if xc {
                    self.x ^= 1 << t;
                }
                if zt {
                    self.z ^= 1 << c;
                }
            }
        }
    }
}

fn apply_gate(gate: &Gate, params: &[f64], state: &mut StateVector) {
    let h = std::f64::consts::FRAC_1_SQRT_2;
    let c = |re: f64, im: f64| Complex64::new(re, im);
    match *gate {
        Gate::H(q) => apply_one_qubit(state, q, [[c(h, 0.0), c(h, 0.0)], [c(h, 0.0), c(-h, 0.0)]]),
        Gate::S(q) => apply_one_qubit(state, q, [[c(1.0, 0.0), c(0.0, 0.0)], [c(0.0, 0.0), c(0.0, 1.0)]]),
        Gate::Sdg(q) => apply_one_qubit(state, q, [[c(1.0, 0.0), c(0.0, 0.0)], [c(0.0, 0.0), c(0.0, -1.0)]]),
        Gate::X(q) => state.apply_pauli(PauliString::single('X', q)),
        Gate::Rx(q, a) => state.apply_pauli_rotation(PauliString::single('X', q), a.value(params)),
        Gate::Ry(q, a) => state.apply_pauli_rotation(PauliString::single('Y', q), a.value(params)),
        Gate::Rz(q, a) => state.apply_pauli_rotation(PauliString::single('Z', q), a.value(params)),
        Gate::Cnot { control, target } => {
            let (cm, tm) = (1usize << control, 1usize << target);
            let amplitudes = state.amplitudes_mut();
            for b in 0..amplitudes.len() {
                if b & cm != 0 && b & tm == 0 {
                    amplitudes.swap(b, b | tm);
                }
            }
        }
        Gate::Cz(a, b) => {
            // CZ = diag(1, 1, 1, −1): flip the sign where both bits are set.
            let mask = (1usize << a) | (1usize << b);
            for (k, u) in state.amplitudes_mut().iter_mut().enumerate() {
                if k & mask == mask {
                    *u = -*u;
                }
            }
        }
    }
}

/// `|ψ⟩ ← (U on qubit q)|ψ⟩` for the 2×2 matrix `u` (row-major).
fn apply_one_qubit(state: &mut StateVector, q: u32, u: [[Complex64; 2]; 2]) {
    let bit = 1usize << q;
    let amplitudes = state.amplitudes_mut();
    for b in 0..amplitudes.len() {
        if b & bit == 0 {
            let (a0, a1) = (amplitudes[b], amplitudes[b | bit]);
            amplitudes[b] = u[0][0] * a0 + u[0][1] * a1;
            amplitudes[b | bit] = u[1][0] * a0 + u[1][1] * a1;
        }
    }
}

#[cfg(test)]
mod tests;

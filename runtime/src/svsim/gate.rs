//! Gates of a circuit template and their 2×2 matrices.
//!
//! A template fixes the structure of a circuit (which gate acts on which qubits); rotation angles
//! are either fixed or read from a parameter vector when the circuit runs, so one compiled plan
//! serves every parameter value of a variational loop.
//!
//! Rotations follow the usual convention `R_P(θ) = exp(−i θ/2 · P)`: `Rz(θ) = diag(e^{−iθ/2}, e^{iθ/2})`.

use num_complex::Complex64;

use crate::qubit::PauliString;

/// A 2×2 complex matrix, row major.
pub type Mat2 = [[Complex64; 2]; 2];

const ZERO: Complex64 = Complex64::new(0.0, 0.0);
const ONE: Complex64 = Complex64::new(1.0, 0.0);

/// The identity.
pub const IDENTITY2: Mat2 = [[ONE, ZERO], [ZERO, ONE]];
/// Pauli X.
pub const PAULI_X: Mat2 = [[ZERO, ONE], [ONE, ZERO]];
/// Pauli Z.
pub const PAULI_Z: Mat2 = [[ONE, ZERO], [ZERO, Complex64::new(-1.0, 0.0)]];

/// A rotation angle: fixed when the template is built, or `scale · θ[index]` at run time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Angle {
    Fixed(f64),
    Param { index: usize, scale: f64 },
}

impl Angle {
    /// The parameter `θ[index]` itself.
    pub fn param(index: usize) -> Self {
        Angle::Param { index, scale: 1.0 }
    }

    /// The angle's value for `params`. Failure contract: panics if the parameter index is out of
    /// range (templates are checked against their parameter count by [`super::Template::new`]).
    pub fn value(self, params: &[f64]) -> f64 {
        match self {
            Angle::Fixed(t) => t,
            Angle::Param { index, scale } => scale * params[index],
        }
    }
}

/// One gate of a circuit template. Qubit `q` is bit `q` of a basis index.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Gate {
    H(u32),
    X(u32),
    Y(u32),
    Z(u32),
    S(u32),
    Sdg(u32),
    T(u32),
    Rx(u32, Angle),
    Ry(u32, Angle),
    Rz(u32, Angle),
    /// `diag(1, e^{iφ})`.
    Phase(u32, Angle),
    /// A fixed single-qubit unitary.
    Unitary(u32, Mat2),
    /// Control, target.
    Cnot(u32, u32),
    Cz(u32, u32),
    /// `exp(−i θ/2 · P)` for a Pauli string `P` (diagonal when `P` has no X or Y factor).
    PauliRotation(PauliString, Angle),
}

impl Gate {
    /// The qubits the gate acts on (a Pauli rotation: its support), as a bit mask.
    pub fn support(&self) -> u64 {
        match *self {
            Gate::H(q)
            | Gate::X(q)
            | Gate::Y(q)
            | Gate::Z(q)
            | Gate::S(q)
            | Gate::Sdg(q)
            | Gate::T(q)
            | Gate::Rx(q, _)
            | Gate::Ry(q, _)
            | Gate::Rz(q, _)
            | Gate::Phase(q, _)
            | Gate::Unitary(q, _) => 1 << q,
            Gate::Cnot(a, b) | Gate::Cz(a, b) => (1 << a) | (1 << b),
            Gate::PauliRotation(p, _) => p.x | p.z,
        }
    }

    /// The angle of a parametrised gate.
    pub fn angle(&self) -> Option<Angle> {
        match *self {
            Gate::Rx(_, a) | Gate::Ry(_, a) | Gate::Rz(_, a) | Gate::Phase(_, a) | Gate::PauliRotation(_, a) => Some(a),
            _ => None,
        }
    }

    /// The matrix of a single-qubit gate, `None` for two-qubit gates and Pauli rotations.
    pub fn matrix1(&self, params: &[f64]) -> Option<Mat2> {
        let c = |re: f64, im: f64| Complex64::new(re, im);
        let r = std::f64::consts::FRAC_1_SQRT_2;
        Some(match *self {
            Gate::H(_) => [[c(r, 0.0), c(r, 0.0)], [c(r, 0.0), c(-r, 0.0)]],
            Gate::X(_) => PAULI_X,
            Gate::Y(_) => [[ZERO, c(0.0, -1.0)], [c(0.0, 1.0), ZERO]],
            Gate::Z(_) => PAULI_Z,
            Gate::S(_) => [[ONE, ZERO], [ZERO, c(0.0, 1.0)]],
            Gate::Sdg(_) => [[ONE, ZERO], [ZERO, c(0.0, -1.0)]],
            Gate::T(_) => [[ONE, ZERO], [ZERO, c(r, r)]],
            Gate::Rx(_, a) => {
                let (s, co) = (0.5 * a.value(params)).sin_cos();
                [[c(co, 0.0), c(0.0, -s)], [c(0.0, -s), c(co, 0.0)]]
            }
            Gate::Ry(_, a) => {
                let (s, co) = (0.5 * a.value(params)).sin_cos();
                [[c(co, 0.0), c(-s, 0.0)], [c(s, 0.0), c(co, 0.0)]]
            }
            Gate::Rz(_, a) => {
                let (s, co) = (0.5 * a.value(params)).sin_cos();
                [[c(co, -s), ZERO], [ZERO, c(co, s)]]
            }
            Gate::Phase(_, a) => [[ONE, ZERO], [ZERO, Complex64::from_polar(1.0, a.value(params))]],
            Gate::Unitary(_, m) => m,
            Gate::Cnot(..) | Gate::Cz(..) | Gate::PauliRotation(..) => return None,
        })
    }

    /// The Pauli string `P` of a rotation `exp(−i θ/2 · P)` (Rx, Ry, Rz and Pauli rotations), the
    /// generator adjoint differentiation needs.
    pub fn generator(&self) -> Option<PauliString> {
        match *self {
            Gate::Rx(q, _) => Some(PauliString::single('X', q)),
            Gate::Ry(q, _) => Some(PauliString::single('Y', q)),
            Gate::Rz(q, _) => Some(PauliString::single('Z', q)),
            Gate::PauliRotation(p, _) => Some(p),
            _ => None,
        }
    }
}

/// `a · b`.
pub fn mul2(a: &Mat2, b: &Mat2) -> Mat2 {
    let mut out = [[ZERO; 2]; 2];
    for (i, row) in out.iter_mut().enumerate() {
        for (j, entry) in row.iter_mut().enumerate() {
            *entry = a[i][0] * b[0][j] + a[i][1] * b[1][j];
        }
    }
    out
}

/// The conjugate transpose.
pub fn dagger2(a: &Mat2) -> Mat2 {
    [[a[0][0].conj(), a[1][0].conj()], [a[0][1].conj(), a[1][1].conj()]]
}

//! 2×2 unitaries for the single-qubit passes: products, the rotations `RZ` and `RY`, and the
//! Z-Y-Z Euler decomposition that every lowering step is written in.
//!
//! Conventions: `RZ(φ) = diag(e^{−iφ/2}, e^{iφ/2})`, `RY(φ) = exp(−iφ/2·Y)`; matrices are
//! row-major; a product `a · b` applies `b` first.

use num_complex::Complex64;

/// A row-major 2×2 complex matrix.
pub type Mat2 = [[Complex64; 2]; 2];

/// Angles below this (radians) count as zero when a rotation is classified.
pub const ANGLE_EPS: f64 = 1e-10;

pub fn identity() -> Mat2 {
    let (one, zero) = (Complex64::new(1.0, 0.0), Complex64::new(0.0, 0.0));
    [[one, zero], [zero, one]]
}

pub fn mul(a: &Mat2, b: &Mat2) -> Mat2 {
    let entry = |i: usize, j: usize| a[i][0] * b[0][j] + a[i][1] * b[1][j];
    [[entry(0, 0), entry(0, 1)], [entry(1, 0), entry(1, 1)]]
}

pub fn rz(phi: f64) -> Mat2 {
    let zero = Complex64::new(0.0, 0.0);
    [[Complex64::from_polar(1.0, -phi / 2.0), zero], [zero, Complex64::from_polar(1.0, phi / 2.0)]]
}

pub fn ry(phi: f64) -> Mat2 {
    let (c, s) = ((phi / 2.0).cos(), (phi / 2.0).sin());
    [[Complex64::new(c, 0.0), Complex64::new(-s, 0.0)], [Complex64::new(s, 0.0), Complex64::new(c, 0.0)]]
}

/// `exp(−iθ/2·(cos φ X + sin φ Y))`: a rotation by `θ` about the equatorial axis at angle `φ`.
pub fn equatorial(theta: f64, phi: f64) -> Mat2 {
    let (c, s) = ((theta / 2.0).cos(), (theta / 2.0).sin());
    let minus_i_s = Complex64::new(0.0, -s);
    [
        [Complex64::new(c, 0.0), minus_i_s * Complex64::from_polar(1.0, -phi)],
        [minus_i_s * Complex64::from_polar(1.0, phi), Complex64::new(c, 0.0)],
    ]
}

/// Euler angles of `u = e^{iδ} · RZ(c) · RY(b) · RZ(a)` with `b ∈ [0, π]`: time order `RZ(a)`,
/// `RY(b)`, `RZ(c)`. `u` must be unitary (a programming error otherwise; nothing is checked).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Zyz {
    pub a: f64,
    pub b: f64,
    pub c: f64,
}

impl Zyz {
    pub fn of(u: &Mat2) -> Zyz {
        // Remove the global phase: v = u / sqrt(det u) is in SU(2) up to a sign, and the sign
        // shifts a and c by 2π together, which is again a global phase.
        let det = u[0][0] * u[1][1] - u[0][1] * u[1][0];
        let root = det.sqrt();
        let v = [[u[0][0] / root, u[0][1] / root], [u[1][0] / root, u[1][1] / root]];
        let (cos_half, sin_half) = (v[1][1].norm(), v[1][0].norm());
        let b = 2.0 * sin_half.atan2(cos_half);
        // v11 = cos(b/2)·e^{i(a+c)/2} and v10 = sin(b/2)·e^{i(c−a)/2}; when one of them vanishes
        // only the other combination is defined and the free one is set to zero.
        let half_sum = if cos_half > 1e-12 { v[1][1].arg() } else { 0.0 };
        let half_diff = if sin_half > 1e-12 { v[1][0].arg() } else { 0.0 };
        Zyz { a: half_sum - half_diff, b, c: half_sum + half_diff }
    }

    /// The non-diagonal part `RY(b) · RZ(a)`.
    pub fn body(&self) -> Mat2 {
        mul(&ry(self.b), &rz(self.a))
    }

    /// Whether the unitary is diagonal (`b = 0`): it commutes with `RZZ` and costs no pulse.
    pub fn is_diagonal(&self) -> bool {
        self.b < ANGLE_EPS
    }
}

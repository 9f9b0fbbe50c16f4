//! McMurchie–Davidson machinery: Hermite expansion coefficients `E` of Gaussian overlap
//! distributions and Hermite Coulomb integrals `R`.
//!
//! References: McMurchie & Davidson, J. Comput. Phys. 26, 218 (1978); Helgaker, Jørgensen &
//! Olsen, *Molecular Electronic-Structure Theory* (2000) (HJO), §9.5 and §9.9.
//!
//! A product of two Cartesian Gaussians `x_A^i exp(−a x_A²) · x_B^j exp(−b x_B²)` (one Cartesian
//! direction) is expanded in Hermite Gaussians `Λ_t` centred at `P = (aA + bB)/p`, `p = a + b`:
//!
//! ```text
//! Ω_ij = K · Σ_{t=0}^{i+j} E^{ij}_t Λ_t ,      K = exp(−μ X_AB²),  μ = ab/p        (HJO 9.5.1)
//! ```
//!
//! Here the Gaussian factor `K` is kept out of `E` (so `E^{00}_0 = 1`) and multiplied in once per
//! primitive pair by the callers.

/// Cartesian exponents `(lx, ly, lz)` of the components of a shell of angular momentum `l`, in
/// PySCF's (libcint's) order: `lx` descending, then `ly` descending — for p `x, y, z`; for d
/// `xx, xy, xz, yy, yz, zz`.
pub fn cartesian_components(l: usize) -> Vec<[usize; 3]> {
    let mut out = Vec::with_capacity((l + 1) * (l + 2) / 2);
    for lx in (0..=l).rev() {
        for ly in (0..=l - lx).rev() {
            out.push([lx, ly, l - lx - ly]);
        }
    }
    out
}

/// Hermite indices `(t, u, v)` with `t + u + v ≤ l`, in a fixed order.
pub fn hermite_indices(l: usize) -> Vec<[usize; 3]> {
    let mut out = Vec::with_capacity((l + 1) * (l + 2) * (l + 3) / 6);
    for t in 0..=l {
        for u in 0..=l - t {
            for v in 0..=l - t - u {
                out.push([t, u, v]);
            }
        }
    }
    out
}

/// One-dimensional Hermite expansion coefficients `E^{ij}_t` for `i ≤ i_max`, `j ≤ j_max`,
/// `t ≤ i + j`, by the Obara–Saika-type recursions (HJO eqs. 9.5.6–9.5.7)
///
/// ```text
/// E^{i+1,j}_t = E^{ij}_{t−1} / (2p) + X_PA E^{ij}_t + (t+1) E^{ij}_{t+1}
/// E^{i,j+1}_t = E^{ij}_{t−1} / (2p) + X_PB E^{ij}_t + (t+1) E^{ij}_{t+1}
/// ```
///
/// with `E^{00}_0 = 1` (the factor `K` left out).
#[derive(Clone, Debug)]
pub struct HermiteE {
    j_dim: usize,
    t_dim: usize,
    values: Vec<f64>,
}

impl HermiteE {
    /// Coefficients for exponents `a`, `b` with `x_pa = P − A` and `x_pb = P − B` along this
    /// direction, and `p = a + b`.
    pub fn new(i_max: usize, j_max: usize, p: f64, x_pa: f64, x_pb: f64) -> Self {
        let j_dim = j_max + 1;
        let t_dim = i_max + j_max + 1;
        let mut e = HermiteE { j_dim, t_dim, values: vec![0.0; (i_max + 1) * j_dim * t_dim] };
        let one_over_2p = 0.5 / p;
        e.values[0] = 1.0;
        for i in 0..=i_max {
            for j in 0..=j_max {
                if i == 0 && j == 0 {
                    continue;
                }
                // Step up in i from (i-1, 0) along the first column, otherwise in j from (i, j-1).
                let (from_i, from_j, x) = if j == 0 { (i - 1, 0, x_pa) } else { (i, j - 1, x_pb) };
                let source_max_t = from_i + from_j;
                for t in 0..=i + j {
                    let mut value = 0.0;
                    if t > 0 && t - 1 <= source_max_t {
                        value += one_over_2p * e.get(from_i, from_j, t - 1);
                    }
                    if t <= source_max_t {
                        value += x * e.get(from_i, from_j, t);
                    }
                    if t < source_max_t {
                        value += (t + 1) as f64 * e.get(from_i, from_j, t + 1);
                    }
                    let index = e.index(i, j, t);
                    e.values[index] = value;
                }
            }
        }
        e
    }

    #[inline]
    fn index(&self, i: usize, j: usize, t: usize) -> usize {
        (i * self.j_dim + j) * self.t_dim + t
    }

    /// `E^{ij}_t`; zero for `t > i + j`.
    #[inline]
    pub fn get(&self, i: usize, j: usize, t: usize) -> f64 {
        if t > i + j {
            0.0
        } else {
            self.values[self.index(i, j, t)]
        }
    }
}

/// Hermite Coulomb integrals `R_{tuv}(α, X, Y, Z)` for `t + u + v ≤ l`, from the Boys function
/// values `boys[n] = F_n(α |R|²)`, `n ≤ l`, by the recursion (HJO eqs. 9.9.18–9.9.20)
///
/// ```text
/// R^n_{000}     = (−2α)^n F_n(α R²)
/// R^n_{t+1,u,v} = t R^{n+1}_{t−1,u,v} + X R^{n+1}_{tuv}     (likewise for u with Y, v with Z)
/// R_{tuv}       = R^0_{tuv}
/// ```
///
/// Output in `r`, a dense `(l+1)³` array indexed by [`r_index`]; `scratch` must be as long.
pub fn hermite_r(l: usize, alpha: f64, xyz: [f64; 3], boys: &[f64], r: &mut [f64], scratch: &mut [f64]) {
    let d = l + 1;
    let size = d * d * d;
    let (r, scratch) = (&mut r[..size], &mut scratch[..size]);
    // Level n = l lives in whichever buffer makes level 0 land in `r`.
    let (mut current, mut next): (&mut [f64], &mut [f64]) = if l % 2 == 0 { (r, scratch) } else { (scratch, r) };
    let minus_2_alpha = -2.0 * alpha;
    let mut factor = minus_2_alpha.powi(l as i32);
    current[0] = factor * boys[l];
    for n in (0..l).rev() {
        factor /= minus_2_alpha;
        let max = l - n;
        next[0] = factor * boys[n];
        for t in 0..=max {
            for u in 0..=max - t {
                for v in 0..=max - t - u {
                    if t + u + v == 0 {
                        continue;
                    }
                    let value = if t > 0 {
                        let mut value = xyz[0] * current[r_index(d, t - 1, u, v)];
                        if t > 1 {
                            value += (t - 1) as f64 * current[r_index(d, t - 2, u, v)];
                        }
                        value
                    } else if u > 0 {
                        let mut value = xyz[1] * current[r_index(d, t, u - 1, v)];
                        if u > 1 {
                            value += (u - 1) as f64 * current[r_index(d, t, u - 2, v)];
                        }
                        value
                    } else {
                        let mut value = xyz[2] * current[r_index(d, t, u, v - 1)];
                        if v > 1 {
                            value += (v - 1) as f64 * current[r_index(d, t, u, v - 2)];
                        }
                        value
                    };
                    next[r_index(d, t, u, v)] = value;
                }
            }
        }
        std::mem::swap(&mut current, &mut next);
    }
}

/// Index of `R_{tuv}` in the dense array [`hermite_r`] fills for `l = d − 1`.
#[inline]
pub fn r_index(d: usize, t: usize, u: usize, v: usize) -> usize {
    (t * d + u) * d + v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pyscf_cartesian_order() {
        assert_eq!(cartesian_components(1), vec![[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
        assert_eq!(cartesian_components(2), vec![[2, 0, 0], [1, 1, 0], [1, 0, 1], [0, 2, 0], [0, 1, 1], [0, 0, 2]]);
        assert_eq!(hermite_indices(2).len(), 10);
    }

    /// The expansion must reproduce the product x_A^i x_B^j as a polynomial identity at the
    /// level of the overlap: Σ_t E^{ij}_t ∫Λ_t = E^{ij}_0 √(π/p), checked against direct
    /// numerical quadrature of ∫ x_A^i x_B^j exp(−a x_A² − b x_B²) dx.
    #[test]
    fn overlap_from_e_matches_quadrature() {
        let (a, b, xa, xb) = (0.7, 1.3, 0.2, -0.9);
        let p = a + b;
        let xp = (a * xa + b * xb) / p;
        let e = HermiteE::new(3, 3, p, xp - xa, xp - xb);
        let k = (-a * b / p * (xa - xb) * (xa - xb)).exp();
        for i in 0..=3 {
            for j in 0..=3 {
                let expected = quadrature(|x| {
                    (x - xa).powi(i as i32)
                        * (x - xb).powi(j as i32)
                        * (-a * (x - xa).powi(2) - b * (x - xb).powi(2)).exp()
                });
                let got = k * e.get(i, j, 0) * (std::f64::consts::PI / p).sqrt();
                assert!((got - expected).abs() < 1e-12, "{i} {j}: {got} vs {expected}");
            }
        }
    }

    fn quadrature(f: impl Fn(f64) -> f64) -> f64 {
        // Composite Simpson on [-12, 12]; the integrands are smooth and decay like exp(-2x²).
        let n = 20_000;
        let h = 24.0 / n as f64;
        let mut sum = f(-12.0) + f(12.0);
        for k in 1..n {
            let x = -12.0 + k as f64 * h;
            sum += if k % 2 == 1 { 4.0 } else { 2.0 } * f(x);
        }
        sum * h / 3.0
    }
}

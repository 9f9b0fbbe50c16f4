//! Cartesian-to-spherical transformation of shells, in libcint's (PySCF's `cart=False`) convention.
//!
//! A spherical AO of angular momentum `l ≥ 2` is `R(r) · r^l Y_lm(θ, φ)` with `Y_lm` a real
//! spherical harmonic normalised on the unit sphere (`∫ Y_lm² dΩ = 1`), written as a combination
//! of the Cartesian monomials `x^{lx} y^{ly} z^{lz}` of [`cartesian_components`]'s order; the AOs of
//! a shell run over `m = −l, …, l`. The real solid harmonics come from Helgaker, Jørgensen & Olsen,
//! *Molecular Electronic-Structure Theory* (2000), eq. 6.4.47–6.4.50, whose sign convention is
//! libcint's; their normalisation is computed here exactly from the angular integrals of
//! monomials.
//!
//! For `l ≤ 1` the transformation is the identity: libcint orders p as `x, y, z` and folds the
//! angular factors of s and p into the radial coefficients ([`crate::chem::basis`] does the same).

use ndarray::Array2;

use super::hermite::cartesian_components;
use crate::chem::basis::{AoBasis, Shell};

/// The transformation of a shell of angular momentum `l`: `rows × cols` with `rows = 2l + 1`
/// spherical AOs and `cols = (l+1)(l+2)/2` Cartesian components, row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct SphericalTransform {
    pub rows: usize,
    pub cols: usize,
    pub coefficients: Vec<f64>,
}

impl SphericalTransform {
    /// The transformation for angular momentum `l`. Failure contract: none (any `l` works; the
    /// coefficients lose accuracy only far beyond the `l ≤ 3` the basis code admits).
    pub fn new(l: usize) -> Self {
        let components = cartesian_components(l);
        let cols = components.len();
        if l <= 1 {
            let mut coefficients = vec![0.0; cols * cols];
            for k in 0..cols {
                coefficients[k * cols + k] = 1.0;
            }
            return SphericalTransform { rows: cols, cols, coefficients };
        }
        let rows = 2 * l + 1;
        let mut coefficients = Vec::with_capacity(rows * cols);
        for m in -(l as i64)..=(l as i64) {
            let row = solid_harmonic(l, m, &components);
            let norm = sphere_norm_squared(&row, &components).sqrt();
            coefficients.extend(row.iter().map(|c| c / norm));
        }
        SphericalTransform { rows, cols, coefficients }
    }

    /// Row `m + l` (one spherical AO) as Cartesian coefficients.
    pub fn row(&self, index: usize) -> &[f64] {
        &self.coefficients[index * self.cols..(index + 1) * self.cols]
    }
}

/// [`SphericalTransform::new`] for every `l` up to the basis's highest.
pub fn transforms_by_l(basis: &AoBasis) -> Vec<SphericalTransform> {
    let max_l = basis.shells.iter().map(|s| usize::from(s.l)).max().unwrap_or(0);
    (0..=max_l).map(SphericalTransform::new).collect()
}

/// Maps the Cartesian block `cartesian` (`[a][b]` row-major) of the shell pair `a`, `b` to
/// spherical AOs, `T_a · block · T_bᵀ`, and writes it and its transpose into the symmetric
/// `matrix`. Panics if the shapes do not match the shells (a programming error).
pub fn store_pair_block(
    matrix: &mut Array2<f64>,
    a: &Shell,
    b: &Shell,
    ta: &SphericalTransform,
    tb: &SphericalTransform,
    cartesian: &[f64],
) {
    // half[a_cart][b_sph] = Σ_b' block[a_cart][b'] T_b[b_sph][b']
    let mut half = vec![0.0; ta.cols * tb.rows];
    for (block_row, half_row) in cartesian.chunks_exact(tb.cols).zip(half.chunks_exact_mut(tb.rows)) {
        for (h, t_row) in half_row.iter_mut().zip(tb.coefficients.chunks_exact(tb.cols)) {
            *h = block_row.iter().zip(t_row).map(|(x, y)| x * y).sum();
        }
    }
    for (ia, t_row) in ta.coefficients.chunks_exact(ta.cols).enumerate() {
        for ib in 0..tb.rows {
            let value: f64 = t_row.iter().enumerate().map(|(k, t)| t * half[k * tb.rows + ib]).sum();
            let (mu, nu) = (a.ao_offset + ia, b.ao_offset + ib);
            matrix[[mu, nu]] = value;
            matrix[[nu, mu]] = value;
        }
    }
}

/// The unnormalised real solid harmonic `S_lm` (HJO eq. 6.4.47) as coefficients of `components`:
///
/// ```text
/// S_lm ∝ Σ_t Σ_{u ≤ t} Σ_v (−1)^{t+v−v_m} (1/4)^t C(l,t) C(l−t,|m|+t) C(t,u) C(|m|,2v)
///        x^{2t+|m|−2(u+v)} y^{2(u+v)} z^{l−2t−|m|}
/// ```
///
/// with `t ≤ (l−|m|)/2`, `v_m = 0` for `m ≥ 0` and `½` for `m < 0`, and `v` running over
/// `v_m, v_m + 1, …` while `2v ≤ |m|`. Here `2v` is carried as an integer.
fn solid_harmonic(l: usize, m: i64, components: &[[usize; 3]]) -> Vec<f64> {
    let am = m.unsigned_abs() as usize;
    let two_vm = usize::from(m < 0);
    let mut row = vec![0.0; components.len()];
    for t in 0..=(l - am) / 2 {
        for u in 0..=t {
            for two_v in (two_vm..=am).step_by(2) {
                let sign = if (t + (two_v - two_vm) / 2) % 2 == 0 { 1.0 } else { -1.0 };
                let value = sign
                    * 0.25_f64.powi(t as i32)
                    * binomial(l, t)
                    * binomial(l - t, am + t)
                    * binomial(t, u)
                    * binomial(am, two_v);
                let powers = [2 * t + am - 2 * u - two_v, 2 * u + two_v, l - 2 * t - am];
                if let Some(k) = components.iter().position(|c| *c == powers) {
                    row[k] += value;
                }
            }
        }
    }
    row
}

/// `∫ (Σ_k c_k x^{a_k} y^{b_k} z^{c_k})² dΩ` over the unit sphere.
fn sphere_norm_squared(row: &[f64], components: &[[usize; 3]]) -> f64 {
    let mut sum = 0.0;
    for (ci, a) in row.iter().zip(components) {
        for (cj, b) in row.iter().zip(components) {
            if *ci != 0.0 && *cj != 0.0 {
                sum += ci * cj * sphere_monomial([a[0] + b[0], a[1] + b[1], a[2] + b[2]]);
            }
        }
    }
    sum
}

/// `∫ x^a y^b z^c dΩ = 2 Γ((a+1)/2) Γ((b+1)/2) Γ((c+1)/2) / Γ((a+b+c+3)/2)` for even `a, b, c`,
/// zero otherwise.
fn sphere_monomial(powers: [usize; 3]) -> f64 {
    if powers.iter().any(|p| p % 2 == 1) {
        return 0.0;
    }
    let total: usize = powers.iter().sum();
    2.0 * powers.iter().map(|&p| gamma_half(p + 1)).product::<f64>() / gamma_half(total + 3)
}

/// `Γ(k/2)` for a positive integer `k`.
fn gamma_half(k: usize) -> f64 {
    let (mut value, mut x) = if k % 2 == 0 { (1.0, 1.0) } else { (std::f64::consts::PI.sqrt(), 0.5) };
    while x < k as f64 / 2.0 - 0.25 {
        value *= x;
        x += 1.0;
    }
    value
}

fn binomial(n: usize, k: usize) -> f64 {
    if k > n {
        return 0.0;
    }
    (0..k).fold(1.0, |acc, i| acc * (n - i) as f64 / (i + 1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// libcint's `g_c2s` entries (PySCF `gto.cart2sph(l)`), a few per shell.
    #[test]
    fn matches_libcint_coefficients() {
        let d = SphericalTransform::new(2);
        assert_eq!((d.rows, d.cols), (5, 6));
        // m = −2 (xy), m = 0 (−xx − yy + 2zz), m = 2 (xx − yy).
        assert!((d.row(0)[1] - 1.092_548_430_592_079).abs() < 1e-15);
        assert!((d.row(2)[0] + 0.315_391_565_252_520_05).abs() < 1e-15);
        assert!((d.row(2)[5] - 0.630_783_130_505_040_1).abs() < 1e-15);
        assert!((d.row(4)[3] + 0.546_274_215_296_039_5).abs() < 1e-15);
        let f = SphericalTransform::new(3);
        assert_eq!((f.rows, f.cols), (7, 10));
        // m = −3: 3x²y − y³; m = 0: z(2z² − 3x² − 3y²); m = 3: x³ − 3xy².
        assert!((f.row(0)[1] - 1.770_130_769_779_930_5).abs() < 1e-15);
        assert!((f.row(0)[6] + 0.590_043_589_926_643_5).abs() < 1e-15);
        assert!((f.row(3)[2] + 1.119_528_997_770_346).abs() < 1e-15);
        assert!((f.row(3)[9] - 0.746_352_665_180_230_8).abs() < 1e-15);
        assert!((f.row(6)[0] - 0.590_043_589_926_643_5).abs() < 1e-15);
        assert!((f.row(6)[3] + 1.770_130_769_779_930_5).abs() < 1e-15);
    }

    #[test]
    fn low_l_is_the_identity() {
        assert_eq!(SphericalTransform::new(0).coefficients, vec![1.0]);
        let p = SphericalTransform::new(1);
        assert_eq!(p.coefficients, vec![1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0]);
    }
}

//! The Boys function
//!
//! ```text
//! F_m(T) = ∫₀¹ t^{2m} exp(−T t²) dt ,   m = 0, 1, 2, …,  T ≥ 0
//! ```
//!
//! which every Coulomb-type Gaussian integral reduces to (Boys, Proc. R. Soc. A 200, 542 (1950);
//! Helgaker, Jørgensen & Olsen, *Molecular Electronic-Structure Theory* (2000), §9.8).
//!
//! Evaluation, accurate to a few units in the 15th significant digit for every `T ≥ 0` and every
//! order up to [`MAX_ORDER`] (tested against 40-digit references to 1e-14 relative):
//! - `T < 36`: a table of `F_m` on a grid of step 0.05, built once on first use from the
//!   convergent series `F_m(T) = e^{−T} Σ_k (2T)^k / ((2m+1)(2m+3)⋯(2m+2k+1))` (HJO eq. 9.8.12) for the
//!   highest order followed by the stable downward recursion
//!   `F_m = (2T F_{m+1} + e^{−T}) / (2m+1)` (HJO eq. 9.8.14); at run time a seven-term Taylor
//!   expansion about the nearest grid point, `F_m(T) = Σ_k F_{m+k}(T_i) (T_i − T)^k / k!`
//!   (HJO eq. 9.8.9), gives the highest order asked for and the downward recursion the rest;
//! - `T ≥ 36`: the asymptotic `F_0(T) = ½ √(π/T)` (the neglected `erfc(√T)` is below 1e-16
//!   relative) and the upward recursion `F_{m+1} = ((2m+1) F_m − e^{−T}) / (2T)`, stable there
//!   because `(2m+1) F_m ≫ e^{−T}` for every `m ≤ MAX_ORDER`.

use std::sync::OnceLock;

/// The highest order [`boys`] evaluates: enough for (gg|gg) electron repulsion integrals
/// (`4 l_max = 16`) with room for first and second derivatives.
pub const MAX_ORDER: usize = 24;

/// Below this `T` the table is used; from it on, the asymptotic form.
const ASYMPTOTIC_FROM: f64 = 36.0;
/// Grid step of the table; the Taylor expansion is used at most half a step away.
const STEP: f64 = 0.05;
/// Terms of the Taylor expansion: the error bound is `(STEP/2)^7 / 7! ≈ 1.2e-15` relative.
const TAYLOR_TERMS: usize = 7;
/// Orders stored per grid point.
const TABLE_ORDERS: usize = MAX_ORDER + TAYLOR_TERMS;
const GRID_POINTS: usize = (ASYMPTOTIC_FROM / STEP) as usize + 2;

/// `1/k!` for the Taylor terms.
const INVERSE_FACTORIAL: [f64; TAYLOR_TERMS] = [1.0, 1.0, 1.0 / 2.0, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0];

/// `1/(2m+1)` for the downward recursion.
const INVERSE_ODD: [f64; MAX_ORDER] = {
    let mut out = [0.0; MAX_ORDER];
    let mut m = 0;
    while m < MAX_ORDER {
        out[m] = 1.0 / (2 * m + 1) as f64;
        m += 1;
    }
    out
};

/// `F_m(T_i)` for every grid point `T_i = i · STEP` and `m < TABLE_ORDERS`, row-major by point.
fn table() -> &'static [f64] {
    static TABLE: OnceLock<Vec<f64>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut values = vec![0.0; GRID_POINTS * TABLE_ORDERS];
        for (i, row) in values.chunks_exact_mut(TABLE_ORDERS).enumerate() {
            boys_by_series(i as f64 * STEP, row);
        }
        values
    })
}

/// `F_0 … F_{out.len()−1}` at `t` from the series for the highest order and downward recursion.
/// Exact to rounding for any `t` but slow for large `t` (about `t` terms); used to build the table.
fn boys_by_series(t: f64, out: &mut [f64]) {
    let top = out.len() - 1;
    let exp_t = (-t).exp();
    let two_t = 2.0 * t;
    let mut denominator = (2 * top + 1) as f64;
    let mut term = 1.0 / denominator;
    let mut sum = term;
    // The terms first grow (while 2m+2k+1 < 2T) and then fall faster than geometrically.
    for _ in 0..10_000 {
        denominator += 2.0;
        term *= two_t / denominator;
        sum += term;
        if term < sum * 1e-17 {
            break;
        }
    }
    out[top] = exp_t * sum;
    for m in (0..top).rev() {
        out[m] = (two_t * out[m + 1] + exp_t) / (2 * m + 1) as f64;
    }
}

/// Fills `out[0..=m_max]` with `F_0(t) … F_{m_max}(t)`.
///
/// Failure contract: `t` must be finite and non-negative and `m_max ≤ MAX_ORDER`, and `out` must
/// hold `m_max + 1` values; anything else is a programming error and panics (negative `t` down
/// to −1e-13, from rounding, is treated as 0).
pub fn boys(m_max: usize, t: f64, out: &mut [f64]) {
    assert!(m_max <= MAX_ORDER, "Boys function order {m_max} above {MAX_ORDER}");
    assert!(t.is_finite() && t >= -1e-13, "Boys function argument {t}");
    let out = &mut out[..=m_max];
    let t = t.max(0.0);
    if t < ASYMPTOTIC_FROM {
        let table = table();
        let i = (t / STEP + 0.5) as usize;
        let delta = i as f64 * STEP - t;
        let row = &table[i * TABLE_ORDERS..(i + 1) * TABLE_ORDERS];
        // Horner form of Σ_k F_{m+k}(T_i) δ^k / k!; no divisions on this hot path.
        let mut value = row[m_max + TAYLOR_TERMS - 1] * INVERSE_FACTORIAL[TAYLOR_TERMS - 1];
        for k in (0..TAYLOR_TERMS - 1).rev() {
            value = value * delta + row[m_max + k] * INVERSE_FACTORIAL[k];
        }
        out[m_max] = value;
        if m_max > 0 {
            let exp_t = (-t).exp();
            let two_t = 2.0 * t;
            for m in (0..m_max).rev() {
                out[m] = (two_t * out[m + 1] + exp_t) * INVERSE_ODD[m];
            }
        }
    } else {
        out[0] = 0.5 * (std::f64::consts::PI / t).sqrt();
        if m_max > 0 {
            let exp_t = (-t).exp();
            let inv_two_t = 0.5 / t;
            for m in 0..m_max {
                out[m + 1] = ((2 * m + 1) as f64 * out[m] - exp_t) * inv_two_t;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(m, T, F_m(T))`, the values from mpmath at 40 digits:
    /// `gammainc(m + 1/2, 0, T) / (2 T^(m + 1/2))`, kept to the digits mpmath printed.
    #[allow(clippy::excessive_precision)]
    const REFERENCE: [(usize, f64, f64); 20] = [
        (0, 0.0, 1.0),
        (0, 1e-10, 0.999_999_999_966_666_666_67),
        (0, 0.001, 0.999_666_766_642_861_771_72),
        (0, 0.5, 0.855_624_391_892_148_803_17),
        (1, 0.5, 0.249_093_732_179_515_379_57),
        (0, 1.0, 0.746_824_132_812_427_025_4),
        (2, 2.5, 0.039_287_837_054_570_144_553),
        (5, 5.0, 0.001_758_861_805_438_179_919_3),
        (8, 10.3, 0.000_013_036_770_448_971_328_055),
        (0, 17.9, 0.209_468_356_027_110_437_69),
        (3, 24.999, 0.000_021_272_423_893_795_435_078),
        (12, 30.0, 2.350_350_634_524_345_107_8e-11),
        (0, 35.99, 0.147_725_006_362_469_179_81),
        (6, 36.01, 1.100_117_748_442_597_362_4e-8),
        (0, 50.0, 0.125_331_413_731_550_025_12),
        (4, 80.0, 1.587_483_849_520_229_936_2e-8),
        (12, 100.0, 6.842_168_273_278_292_862_8e-18),
        (0, 1000.0, 0.028_024_956_081_989_643_497),
        (16, 7.3, 0.000_034_314_065_035_386_377_6),
        (10, 0.026, 0.046_502_024_996_005_513_43),
    ];

    #[test]
    fn matches_high_precision_references() {
        let mut f = [0.0; MAX_ORDER + 1];
        for &(m, t, expected) in &REFERENCE {
            // Ask for a higher order too, so that the recursions are exercised.
            for m_max in [m, m + 3, MAX_ORDER] {
                boys(m_max, t, &mut f);
                let rel = (f[m] - expected).abs() / expected;
                assert!(rel < 1e-14, "F_{m}({t}) with m_max {m_max}: {} vs {expected}, rel {rel:e}", f[m]);
            }
        }
    }

    #[test]
    fn agrees_with_the_series_everywhere_below_the_asymptotic_range() {
        let mut fast = [0.0; MAX_ORDER + 1];
        let mut exact = [0.0; MAX_ORDER + 1];
        let mut t = 0.0;
        while t < 40.0 {
            boys(MAX_ORDER, t, &mut fast);
            boys_by_series(t, &mut exact);
            for m in 0..=MAX_ORDER {
                let rel = (fast[m] - exact[m]).abs() / exact[m];
                assert!(rel < 1e-14, "F_{m}({t}): {} vs {}, rel {rel:e}", fast[m], exact[m]);
            }
            t += 0.0137;
        }
    }

    #[test]
    fn zero_argument_is_one_over_two_m_plus_one() {
        let mut f = [0.0; MAX_ORDER + 1];
        boys(MAX_ORDER, 0.0, &mut f);
        for (m, value) in f.iter().enumerate() {
            assert!((value - 1.0 / (2 * m + 1) as f64).abs() < 1e-16);
        }
    }
}

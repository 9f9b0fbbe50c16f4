//! Coulomb and exchange matrices of AO densities, the inner loop of every SCF iteration.
//!
//! `J[P]_μν = Σ_λσ (μν|λσ) P_λσ`, `K[P]_μν = Σ_λσ (μλ|νσ) P_λσ` over the AO electron-repulsion
//! integrals. Failure contract: none; shapes are the caller's (`p` is `nao × nao`, `eri` is
//! `nao⁴`), and a mismatch panics on indexing (a programming error, never user input).

use ndarray::{Array2, Array4};

/// Coulomb matrix `J[P]_μν = Σ_λσ (μν|λσ) P_λσ`.
pub fn coulomb(eri: &Array4<f64>, p: &Array2<f64>) -> Array2<f64> {
    let n = p.nrows();
    let p = p.as_standard_layout();
    let p_flat = p.as_slice().unwrap_or(&[]);
    let eri = eri.as_standard_layout();
    let eri_flat = eri.as_slice().unwrap_or(&[]);
    Array2::from_shape_fn((n, n), |(mu, nu)| {
        let row = &eri_flat[(mu * n + nu) * n * n..(mu * n + nu + 1) * n * n];
        row.iter().zip(p_flat).map(|(a, b)| a * b).sum()
    })
}

/// Exchange matrix `K[P]_μν = Σ_λσ (μλ|νσ) P_λσ`.
pub fn exchange(eri: &Array4<f64>, p: &Array2<f64>) -> Array2<f64> {
    let n = p.nrows();
    let p = p.as_standard_layout();
    let p_flat = p.as_slice().unwrap_or(&[]);
    let eri = eri.as_standard_layout();
    let eri_flat = eri.as_slice().unwrap_or(&[]);
    let mut k = Array2::zeros((n, n));
    for mu in 0..n {
        for lambda in 0..n {
            let p_row = &p_flat[lambda * n..(lambda + 1) * n];
            // eri[mu, lambda, :, :] is a contiguous n × n block indexed [nu][sigma].
            let block = &eri_flat[(mu * n + lambda) * n * n..(mu * n + lambda + 1) * n * n];
            for nu in 0..n {
                let row = &block[nu * n..(nu + 1) * n];
                k[[mu, nu]] += row.iter().zip(p_row).map(|(a, b)| a * b).sum::<f64>();
            }
        }
    }
    k
}

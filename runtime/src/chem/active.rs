//! Active-space Hamiltonians: doubly occupied core orbitals folded into an effective one-electron
//! operator, as PySCF's `mcscf.CASCI.get_h1eff()` and `get_h2eff()` define them.
//!
//! With `C` the MO coefficients (columns are MOs), `h` the AO core Hamiltonian and `(μν|λσ)` the
//! AO electron-repulsion integrals in chemists' notation:
//!
//! ```text
//! D_μν     = 2 Σ_{c ∈ core} C_μc C_νc                        core density
//! V_μν     = Σ_λσ [(μν|λσ) − ½ (μλ|σν)] D_λσ                 core Coulomb − ½ exchange
//! E_core   = E_nuc + Σ_μν D_μν (h_μν + ½ V_μν)
//! h1_tu    = Σ_μν C_μt (h_μν + V_μν) C_νu                     t, u ∈ active
//! (tu|vw)  = Σ C_μt C_νu C_λv C_σw (μν|λσ)                   four quarter transforms
//! ```
//!
//! so that `E_core + Σ h1_tu E_tu + ½ Σ (tu|vw) (E_tu E_vw − δ_uv E_tw)` is the Hamiltonian of the
//! active electrons in the field of the frozen core (Helgaker, Jørgensen, Olsen, *Molecular
//! Electronic-Structure Theory*, §10.8; Roos, Taylor, Siegbahn 1980).
//!
//! Failure contract: inconsistent shapes, indices or electron counts are [`ActiveError`]s, never
//! panics. Cost: O(n⁴) for the core potential, O(n⁴ m) for the first quarter transform.

use std::fmt;

use ndarray::{Array2, Array4, ArrayView2, Axis};

/// Which MOs are doubly occupied (frozen and inactive alike) and which are active, with the
/// number of active electrons of each spin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveSpace {
    /// Doubly occupied MO indices (0-based).
    pub core: Vec<usize>,
    /// Active MO indices (0-based), in the order the active Hamiltonian uses.
    pub active: Vec<usize>,
    pub n_alpha: usize,
    pub n_beta: usize,
}

impl ActiveSpace {
    /// PySCF's default CASCI choice: `n_active_orbitals` orbitals just above a doubly occupied
    /// core of the lowest `(n_electrons − n_active_electrons) / 2` MOs. The spin polarisation
    /// `n_alpha_total − n_beta_total` stays in the active space.
    pub fn around_fermi_level(
        n_mo: usize,
        n_alpha_total: usize,
        n_beta_total: usize,
        n_active_electrons: usize,
        n_active_orbitals: usize,
    ) -> Result<Self, ActiveError> {
        let (n_core, n_alpha, n_beta) = split_electrons(n_alpha_total, n_beta_total, n_active_electrons)?;
        if n_core + n_active_orbitals > n_mo {
            return Err(ActiveError::Index {
                detail: format!("{n_core} core + {n_active_orbitals} active orbitals exceed the {n_mo} MOs"),
            });
        }
        let space = ActiveSpace {
            core: (0..n_core).collect(),
            active: (n_core..n_core + n_active_orbitals).collect(),
            n_alpha,
            n_beta,
        };
        space.validate(n_mo)?;
        Ok(space)
    }

    /// PySCF's `mcscf.sort_mo` choice: the listed MOs (0-based; PySCF's `caslst` minus its base)
    /// are active, in the order given, and the lowest `(n_electrons − n_active_electrons) / 2` of
    /// the remaining MOs, in index order, are the doubly occupied core. The spin polarisation
    /// stays in the active space.
    ///
    /// Failure contract: [`ActiveError::Electrons`] for counts that leave no doubly occupied core
    /// or cannot hold the spin excess; [`ActiveError::Index`] for an index out of range, a
    /// repeated index, an empty list, or too few remaining MOs to hold the core.
    pub fn from_indices(
        n_mo: usize,
        n_alpha_total: usize,
        n_beta_total: usize,
        n_active_electrons: usize,
        active: &[usize],
    ) -> Result<Self, ActiveError> {
        let (n_core, n_alpha, n_beta) = split_electrons(n_alpha_total, n_beta_total, n_active_electrons)?;
        let mut listed = vec![false; n_mo];
        for &i in active {
            match listed.get_mut(i) {
                Some(seen) => *seen = true,
                None => {
                    return Err(ActiveError::Index { detail: format!("active orbital {i} out of range (0..{n_mo})") })
                }
            }
        }
        let core: Vec<usize> = (0..n_mo).filter(|&i| !listed[i]).take(n_core).collect();
        if core.len() < n_core {
            return Err(ActiveError::Index {
                detail: format!("{n_core} core orbitals do not fit beside {} active ones in {n_mo} MOs", active.len()),
            });
        }
        let space = ActiveSpace { core, active: active.to_vec(), n_alpha, n_beta };
        space.validate(n_mo)?;
        Ok(space)
    }

    /// Checks indices (in range, no repeats, core and active disjoint) and electron counts.
    pub fn validate(&self, n_mo: usize) -> Result<(), ActiveError> {
        let mut seen = vec![false; n_mo];
        for (&i, role) in self.core.iter().map(|i| (i, "core")).chain(self.active.iter().map(|i| (i, "active"))) {
            if i >= n_mo {
                return Err(ActiveError::Index { detail: format!("{role} orbital {i} out of range (0..{n_mo})") });
            }
            if seen[i] {
                return Err(ActiveError::Index { detail: format!("orbital {i} listed twice") });
            }
            seen[i] = true;
        }
        if self.active.is_empty() {
            return Err(ActiveError::Index { detail: "no active orbitals".into() });
        }
        let m = self.active.len();
        if self.n_alpha > m || self.n_beta > m {
            return Err(ActiveError::Electrons {
                detail: format!("({}α, {}β) electrons do not fit in {m} active orbitals", self.n_alpha, self.n_beta),
            });
        }
        Ok(())
    }
}

/// (core orbitals, active alpha, active beta) for a closed-shell core under `n_active_electrons`
/// active electrons, the spin excess `n_alpha_total − n_beta_total` kept active.
fn split_electrons(
    n_alpha_total: usize,
    n_beta_total: usize,
    n_active_electrons: usize,
) -> Result<(usize, usize, usize), ActiveError> {
    let n_electrons = n_alpha_total + n_beta_total;
    let spin = n_alpha_total.checked_sub(n_beta_total).ok_or(ActiveError::Electrons {
        detail: format!("n_alpha ({n_alpha_total}) < n_beta ({n_beta_total}); put the excess spin in alpha"),
    })?;
    if n_active_electrons > n_electrons || (n_electrons - n_active_electrons) % 2 != 0 {
        return Err(ActiveError::Electrons {
            detail: format!("{n_active_electrons} active electrons out of {n_electrons} leave no doubly occupied core"),
        });
    }
    if n_active_electrons < spin || (n_active_electrons - spin) % 2 != 0 {
        return Err(ActiveError::Electrons {
            detail: format!("{n_active_electrons} active electrons cannot hold a spin excess of {spin}"),
        });
    }
    Ok(((n_electrons - n_active_electrons) / 2, (n_active_electrons + spin) / 2, (n_active_electrons - spin) / 2))
}

/// The active-space Hamiltonian `E_core + Σ h1_pq E_pq + ½ Σ (pq|rs) (E_pq E_rs − δ_qr E_ps)`.
#[derive(Clone, Debug, PartialEq)]
pub struct ActiveHamiltonian {
    /// Nuclear repulsion plus the energy of the core electrons.
    pub core_energy: f64,
    /// Active one-electron integrals with the core's Coulomb and exchange folded in.
    pub h1: Array2<f64>,
    /// Active two-electron integrals (pq|rs), chemists' notation, all n⁴ elements.
    pub eri: Array4<f64>,
    pub n_alpha: usize,
    pub n_beta: usize,
}

impl ActiveHamiltonian {
    /// Number of active orbitals.
    pub fn n_orbitals(&self) -> usize {
        self.h1.nrows()
    }
}

/// Why an active-space Hamiltonian could not be built.
#[derive(Clone, Debug, PartialEq)]
pub enum ActiveError {
    /// Array shapes disagree with each other.
    Shape { detail: String },
    /// An orbital index is out of range, repeated, or the active space is empty.
    Index { detail: String },
    /// The electron counts do not fit the orbitals.
    Electrons { detail: String },
    /// An input holds NaN or infinity.
    NonFinite { what: &'static str },
    /// A symmetric eigensolver (for natural orbitals) did not converge.
    Eigen { detail: String },
}

impl fmt::Display for ActiveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ActiveError::Shape { detail } => write!(f, "active space: inconsistent shapes: {detail}"),
            ActiveError::Index { detail } => write!(f, "active space: {detail}"),
            ActiveError::Electrons { detail } => write!(f, "active space: {detail}"),
            ActiveError::NonFinite { what } => write!(f, "active space: {what} is not finite"),
            ActiveError::Eigen { detail } => write!(f, "active space: eigensolver failed: {detail}"),
        }
    }
}

impl std::error::Error for ActiveError {}

/// Builds the active-space Hamiltonian from AO integrals and MO coefficients (see the module
/// documentation for the equations).
pub fn active_hamiltonian(
    hcore: &Array2<f64>,
    eri: &Array4<f64>,
    e_nuc: f64,
    mo_coeff: &Array2<f64>,
    space: &ActiveSpace,
) -> Result<ActiveHamiltonian, ActiveError> {
    let n = hcore.nrows();
    if hcore.ncols() != n {
        return Err(ActiveError::Shape { detail: format!("hcore is {:?}, not square", hcore.dim()) });
    }
    if eri.dim() != (n, n, n, n) {
        return Err(ActiveError::Shape { detail: format!("eri is {:?}, hcore is {n}×{n}", eri.dim()) });
    }
    if mo_coeff.nrows() != n {
        return Err(ActiveError::Shape {
            detail: format!("mo_coeff has {} rows, hcore is {n}×{n}", mo_coeff.nrows())
        });
    }
    space.validate(mo_coeff.ncols())?;
    for (what, ok) in [
        ("e_nuc", e_nuc.is_finite()),
        ("hcore", hcore.iter().all(|v| v.is_finite())),
        ("eri", eri.iter().all(|v| v.is_finite())),
        ("mo_coeff", mo_coeff.iter().all(|v| v.is_finite())),
    ] {
        if !ok {
            return Err(ActiveError::NonFinite { what });
        }
    }

    let c_core = mo_coeff.select(Axis(1), &space.core);
    let c_act = mo_coeff.select(Axis(1), &space.active);
    let eri = eri.as_standard_layout();
    let eri_flat = eri.as_slice().expect("standard layout");

    // Core density and potential. D is symmetric, so K_μν = Σ_λσ (μλ|σν) D_λσ reads the ERI
    // with the same stride pattern as J after the (λσ) ↔ (σν) relabelling below.
    let density = c_core.dot(&c_core.t()) * 2.0;
    let d = density.as_standard_layout();
    let d = d.as_slice().expect("standard layout");
    let mut v = Array2::<f64>::zeros((n, n));
    for mu in 0..n {
        for nu in 0..n {
            let mut j = 0.0;
            let mut k = 0.0;
            let row_j = &eri_flat[(mu * n + nu) * n * n..(mu * n + nu + 1) * n * n];
            for (x, dx) in row_j.iter().zip(d) {
                j += x * dx;
            }
            for lam in 0..n {
                // (μλ|σν) for σ = 0..n has stride n: index ((μ n + λ) n + σ) n + ν.
                let base = (mu * n + lam) * n * n + nu;
                for sig in 0..n {
                    k += eri_flat[base + sig * n] * d[lam * n + sig];
                }
            }
            v[[mu, nu]] = j - 0.5 * k;
        }
    }
    let core_energy = e_nuc + (&density * &(hcore + &(&v * 0.5))).sum();
    let h1 = c_act.t().dot(&(hcore + &v)).dot(&c_act);
    let eri_act = transform_eri(eri_flat, n, c_act.view());
    Ok(ActiveHamiltonian { core_energy, h1, eri: eri_act, n_alpha: space.n_alpha, n_beta: space.n_beta })
}

/// `(pq|rs) = Σ C_μp C_νq C_λr C_σs (μν|λσ)` in four quarter transforms. Each step contracts the
/// last axis with `C` (one matrix product) and rotates the new axis to the front, so after four
/// steps the axes are back in order: (μνλσ) → (sμνλ) → (rsμν) → (qrsμ) → (pqrs).
fn transform_eri(eri: &[f64], n: usize, c: ArrayView2<'_, f64>) -> Array4<f64> {
    let m = c.ncols();
    // `dims` are the current axis lengths; the data is row-major. The first step reads the input
    // in place, so the only n⁴ array in memory is the caller's.
    let mut data: Vec<f64> = Vec::new();
    let mut dims = [n, n, n, n];
    for step in 0..4 {
        let rows = dims[0] * dims[1] * dims[2];
        let source: &[f64] = if step == 0 { eri } else { &data };
        let a = ArrayView2::from_shape((rows, dims[3]), source).expect("length matches dims by construction");
        // product[i, s] = Σ_σ a[i, σ] C[σ, s]; rotated so that out[s, i] = product[i, s].
        let product = a.dot(&c);
        data = product.t().as_standard_layout().into_owned().into_raw_vec_and_offset().0;
        dims = [m, dims[0], dims[1], dims[2]];
    }
    Array4::from_shape_vec((m, m, m, m), data).expect("length is m⁴ by construction")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn around_fermi_level_matches_pyscf_defaults() {
        let s = ActiveSpace::around_fermi_level(7, 5, 5, 4, 4).expect("valid");
        assert_eq!(s.core, vec![0, 1, 2]);
        assert_eq!(s.active, vec![3, 4, 5, 6]);
        assert_eq!((s.n_alpha, s.n_beta), (2, 2));
        let t = ActiveSpace::around_fermi_level(6, 3, 2, 3, 4).expect("valid doublet");
        assert_eq!((t.core.len(), t.n_alpha, t.n_beta), (1, 2, 1));
        assert!(ActiveSpace::around_fermi_level(7, 5, 5, 3, 4).is_err(), "odd core");
        assert!(ActiveSpace::around_fermi_level(7, 5, 5, 4, 5).is_err(), "past the last MO");
        assert!(ActiveSpace::around_fermi_level(7, 2, 3, 1, 4).is_err(), "beta excess");
    }

    #[test]
    fn from_indices_matches_pyscf_sort_mo() {
        // mcscf.sort_mo(mc, mo, [2, 4, 5, 7]) with ncore = 3: caslst − 1 active, the first
        // three of the rest (0, 2, 5) the core.
        let s = ActiveSpace::from_indices(13, 5, 5, 4, &[1, 3, 4, 6]).expect("valid");
        assert_eq!(s.core, vec![0, 2, 5]);
        assert_eq!(s.active, vec![1, 3, 4, 6]);
        assert_eq!((s.n_alpha, s.n_beta), (2, 2));
        let t = ActiveSpace::from_indices(6, 3, 2, 3, &[5, 1, 2]).expect("doublet, order kept");
        assert_eq!((t.core.clone(), t.active.clone(), t.n_alpha, t.n_beta), (vec![0], vec![5, 1, 2], 2, 1));
        assert!(ActiveSpace::from_indices(7, 5, 5, 4, &[1, 3, 3, 6]).is_err(), "repeated");
        assert!(ActiveSpace::from_indices(7, 5, 5, 4, &[1, 3, 4, 7]).is_err(), "out of range");
        assert!(ActiveSpace::from_indices(7, 5, 5, 3, &[1, 3, 4, 6]).is_err(), "odd core");
        assert!(ActiveSpace::from_indices(7, 5, 5, 4, &[]).is_err(), "empty");
        assert!(ActiveSpace::from_indices(5, 5, 5, 2, &[0, 1]).is_err(), "no room for the core");
        assert!(ActiveSpace::from_indices(7, 5, 5, 6, &[1, 2]).is_err(), "electrons do not fit");
    }

    #[test]
    fn inconsistent_input_is_an_error() {
        let h = Array2::<f64>::eye(2);
        let eri = Array4::<f64>::zeros((2, 2, 2, 2));
        let c = Array2::<f64>::eye(2);
        let ok = ActiveSpace { core: vec![], active: vec![0, 1], n_alpha: 1, n_beta: 1 };
        assert!(active_hamiltonian(&h, &eri, 0.0, &c, &ok).is_ok());
        let bad = [
            ActiveSpace { core: vec![0], active: vec![0, 1], n_alpha: 1, n_beta: 1 },
            ActiveSpace { core: vec![], active: vec![0, 2], n_alpha: 1, n_beta: 1 },
            ActiveSpace { core: vec![], active: vec![0, 1], n_alpha: 3, n_beta: 1 },
            ActiveSpace { core: vec![], active: vec![], n_alpha: 0, n_beta: 0 },
        ];
        for space in &bad {
            assert!(active_hamiltonian(&h, &eri, 0.0, &c, space).is_err(), "{space:?}");
        }
        let eri3 = Array4::<f64>::zeros((3, 3, 3, 3));
        assert!(matches!(active_hamiltonian(&h, &eri3, 0.0, &c, &ok), Err(ActiveError::Shape { .. })));
        assert!(matches!(active_hamiltonian(&h, &eri, f64::NAN, &c, &ok), Err(ActiveError::NonFinite { .. })));
    }

    #[test]
    fn quarter_transforms_equal_the_naive_sum() {
        let n = 3;
        let m = 2;
        let eri = Array4::from_shape_fn((n, n, n, n), |(a, b, c, d)| ((a + 2 * b + 3 * c + 5 * d) as f64 * 0.37).sin());
        let c = Array2::from_shape_fn((n, m), |(i, j)| ((i * 3 + j) as f64 * 0.71).cos());
        let fast = transform_eri(eri.as_slice().expect("standard"), n, c.view());
        for (p, q, r, s) in itertools(m) {
            let mut naive = 0.0;
            for (a, b, cc, d) in itertools(n) {
                naive += c[[a, p]] * c[[b, q]] * c[[cc, r]] * c[[d, s]] * eri[[a, b, cc, d]];
            }
            assert!((fast[[p, q, r, s]] - naive).abs() < 1e-12);
        }
    }

    fn itertools(n: usize) -> impl Iterator<Item = (usize, usize, usize, usize)> {
        (0..n * n * n * n).map(move |i| (i / (n * n * n), i / (n * n) % n, i / n % n, i % n))
    }
}

//! Closed-shell CCSD: the spin-adapted amplitude equations of Hirata, Podeszwa, Tobita &
//! Bartlett, J. Chem. Phys. 120, 2581 (2004), eqs. 35–45 (the set PySCF's `rccsd` solves), in
//! spatial orbitals with `t1[i, a] = t_i^a`, `t2[i, j, a, b] = t_ij^ab = t_ji^ba`.
//!
//! Each sweep evaluates the right-hand sides with the current amplitudes and divides by the
//! orbital-energy denominators (the Jacobi update); DIIS extrapolates the sequence. The
//! `(ab|cd)` term is contracted with `τ = t2 + t1 t1` directly, so the `vvvv` intermediate of
//! the paper is never stored.

use ndarray::{s, Array1, Array2, Array4, ArrayBase, ArrayView1, Data, Dimension, Ix2, Ix4};

use super::contract::{contract, to_standard};
use super::diis::AmplitudeDiis;
use super::eris::MoIntegrals;
use super::{CcError, CcsdOptions};

/// Converged CCSD amplitudes and energy.
#[derive(Clone, Debug, PartialEq)]
pub struct CcsdResult {
    /// `E_CCSD − E_ref`, hartree.
    pub correlation_energy: f64,
    /// `E_ref + E_corr`, hartree.
    pub total_energy: f64,
    /// `t1[i, a]`, correlated occupied × virtual.
    pub t1: Array2<f64>,
    /// `t2[i, j, a, b]`.
    pub t2: Array4<f64>,
    /// Amplitude updates done.
    pub iterations: usize,
    /// Energy change of the last update.
    pub last_energy_change: f64,
    /// Norm of the last amplitude step (PySCF's `normt`).
    pub last_amplitude_change: f64,
}

fn c2<SA, SB, DA, DB>(spec: &str, a: &ArrayBase<SA, DA>, b: &ArrayBase<SB, DB>) -> Array2<f64>
where
    SA: Data<Elem = f64>,
    SB: Data<Elem = f64>,
    DA: Dimension,
    DB: Dimension,
{
    contract::<_, _, _, _, Ix2>(spec, a, b)
}

fn c4<SA, SB, DA, DB>(spec: &str, a: &ArrayBase<SA, DA>, b: &ArrayBase<SB, DB>) -> Array4<f64>
where
    SA: Data<Elem = f64>,
    SB: Data<Elem = f64>,
    DA: Dimension,
    DB: Dimension,
{
    contract::<_, _, _, _, Ix4>(spec, a, b)
}

/// Integral combinations that do not change during the iterations.
struct Fixed<'a> {
    mo: &'a MoIntegrals,
    /// `2 (kc|ld) − (kd|lc)`, indexed `[k, c, l, d]`.
    l_ovov: Array4<f64>,
    /// `2 (kd|ac) − (kc|ad)`, indexed `[k, d, a, c]`.
    l_ovvv: Array4<f64>,
    /// `2 (lc|ki) − (kc|li)`, indexed `[l, c, k, i]`.
    l_ovoo: Array4<f64>,
    /// `ε_i + ε_j − ε_a − ε_b`.
    d2: Array4<f64>,
    /// `ε_i − ε_a`.
    d1: Array2<f64>,
}

impl<'a> Fixed<'a> {
    fn new(mo: &'a MoIntegrals) -> Self {
        let (o, v) = (mo.n_occ, mo.n_vir);
        let (eo, ev) = (mo.occupied_energies(), mo.virtual_energies());
        let exchange = |x: &Array4<f64>, axes: [usize; 4]| 2.0 * x - x.view().permuted_axes(axes);
        Fixed {
            mo,
            l_ovov: exchange(&mo.ovov, [0, 3, 2, 1]),
            l_ovvv: exchange(&mo.ovvv, [0, 3, 2, 1]),
            l_ovoo: exchange(&mo.ovoo, [2, 1, 0, 3]),
            d2: Array4::from_shape_fn((o, o, v, v), |(i, j, a, b)| eo[i] + eo[j] - ev[a] - ev[b]),
            d1: Array2::from_shape_fn((o, v), |(i, a)| eo[i] - ev[a]),
        }
    }
}

/// `τ[i, j, a, b] = t2[i, j, a, b] + t1[i, a] t1[j, b]`.
fn tau(t1: &Array2<f64>, t2: &Array4<f64>) -> Array4<f64> {
    let mut tau = t2.clone();
    tau.indexed_iter_mut().for_each(|((i, j, a, b), x)| *x += t1[[i, a]] * t1[[j, b]]);
    tau
}

/// `2 t2[k, j, c, b] − t2[k, j, b, c]`.
fn theta(t2: &Array4<f64>) -> Array4<f64> {
    2.0 * t2 - t2.view().permuted_axes([0, 1, 3, 2])
}

/// `E = 2 Σ f_ia t_i^a + Σ [2 (ia|jb) − (ib|ja)] τ_ij^ab`.
fn energy(fixed: &Fixed<'_>, t1: &Array2<f64>, t2: &Array4<f64>) -> f64 {
    let tau = tau(t1, t2);
    let singles = 2.0 * (&fixed.mo.fock_ov() * t1).sum();
    // l_ovov[i, a, j, b] pairs with τ[i, j, a, b].
    let doubles: f64 = (&fixed.l_ovov.view().permuted_axes([0, 2, 1, 3]) * &tau).sum();
    singles + doubles
}

/// `X − diag(ε)` for the occupied or virtual block: the diagonal part moves to the left-hand
/// side of the equations, where it becomes the denominators `d1`, `d2`.
fn off_diagonal(mut x: Array2<f64>, eps: ArrayView1<'_, f64>) -> Array2<f64> {
    x.diag_mut().zip_mut_with(&eps, |x, e| *x -= e);
    x
}

/// One Jacobi update: the new `(t1, t2)` from the CCSD equations at `(t1, t2)`.
fn update(fixed: &Fixed<'_>, t1: &Array2<f64>, t2: &Array4<f64>) -> (Array2<f64>, Array4<f64>) {
    let mo = fixed.mo;
    let o = mo.n_occ;
    let fov = mo.fock_ov();
    let fock_oo = mo.fock.slice(s![..o, ..o]);
    let fock_vv = mo.fock.slice(s![o.., o..]);
    let tau = tau(t1, t2);
    let theta = theta(t2);

    // One-particle intermediates (eqs. 37–41).
    let f_oo = &fock_oo + &c2("kcld,ilcd->ki", &fixed.l_ovov, &tau);
    let f_vv = &fock_vv - &c2("kcld,klad->ac", &fixed.l_ovov, &tau);
    let f_ov = &fov + &c2("kcld,ld->kc", &fixed.l_ovov, t1);
    let l_oo = &f_oo + &c2("kc,ic->ki", &fov, t1) + c2("lcki,lc->ki", &fixed.l_ovoo, t1);
    let l_vv = &f_vv - &c2("kc,ka->ac", &fov, t1) + c2("kdac,kd->ac", &fixed.l_ovvv, t1);
    let f_oo = off_diagonal(f_oo, mo.occupied_energies());
    let f_vv = off_diagonal(f_vv, mo.virtual_energies());
    let l_oo = off_diagonal(l_oo, mo.occupied_energies());
    let l_vv = off_diagonal(l_vv, mo.virtual_energies());

    // Singles (eq. 35).
    let mut r1 = fov.to_owned();
    r1 += &c2("ac,ic->ia", &f_vv, t1);
    r1 -= &c2("ki,ka->ia", &f_oo, t1);
    r1 += &c2("kc,kica->ia", &f_ov, &theta);
    // Σ_kc (F_kc − 2 f_kc) t_i^c t_k^a.
    let fov_t1 = c2("kc,ic->ki", &(&f_ov - &(2.0 * &fov)), t1);
    r1 += &c2("ki,ka->ia", &fov_t1, t1);
    r1 += &(2.0 * c2("kcia,kc->ia", &mo.ovov, t1));
    r1 -= &c2("kiac,kc->ia", &mo.oovv, t1);
    r1 += &c2("kdac,ikcd->ia", &fixed.l_ovvv, &tau);
    r1 -= &c2("lcki,klac->ia", &fixed.l_ovoo, &tau);
    r1 /= &fixed.d1;

    // Doubles (eq. 36), as the half `x` with t2_new = x[ijab] + x[jiba].
    let mut x = 0.5 * &mo.ovov.view().permuted_axes([0, 2, 1, 3]);
    x += &c4("iacb,jc->ijab", &mo.ovvv, t1);
    x -= &c4("kibj,ka->ijab", &c4("kibc,jc->kibj", &mo.oovv, t1), t1);
    x -= &c4("iajk,kb->ijab", &mo.ovoo, t1);
    x -= &c4("kaij,kb->ijab", &c4("kcia,jc->kaij", &mo.ovov, t1), t1);

    // Hole–hole ladder with W_klij (eq. 42).
    let mut w_oooo = to_standard(mo.oooo.view().permuted_axes([0, 2, 1, 3]));
    w_oooo += &c4("lcki,jc->klij", &mo.ovoo, t1);
    w_oooo += &c4("kclj,ic->klij", &mo.ovoo, t1);
    w_oooo += &c4("kcld,ijcd->klij", &mo.ovov, &tau);
    x += &(0.5 * c4("klij,klab->ijab", &w_oooo, &tau));

    // Particle–particle ladder with W_abcd (eq. 43), the t1 parts through (kd|ac) τ_ij^cd.
    x += &(0.5 * c4("abcd,ijcd->ijab", &mo.vvvv, &tau));
    x -= &c4("kaij,kb->ijab", &c4("kdac,ijcd->kaij", &mo.ovvv, &tau), t1);

    x += &c4("ac,ijcb->ijab", &l_vv, t2);
    x -= &c4("ki,kjab->ijab", &l_oo, t2);

    // Ring terms with W_akic and W_akci (eqs. 44–45).
    let mut w_voov = to_standard(mo.ovov.view().permuted_axes([3, 0, 2, 1]));
    w_voov += &c4("kcad,id->akic", &mo.ovvv, t1);
    w_voov -= &c4("kcli,la->akic", &mo.ovoo, t1);
    w_voov -= &(0.5 * c4("ldkc,ilda->akic", &mo.ovov, t2));
    w_voov -= &(0.5 * c4("lckd,ilad->akic", &mo.ovov, t2));
    w_voov -= &c4("lkci,la->akic", &c4("ldkc,id->lkci", &mo.ovov, t1), t1);
    w_voov += &c4("ldkc,ilad->akic", &mo.ovov, t2);
    let mut w_vovo = to_standard(mo.oovv.view().permuted_axes([2, 0, 3, 1]));
    w_vovo += &c4("kdac,id->akci", &mo.ovvv, t1);
    w_vovo -= &c4("lcki,la->akci", &mo.ovoo, t1);
    w_vovo -= &(0.5 * c4("lckd,ilda->akci", &mo.ovov, t2));
    w_vovo -= &c4("lcki,la->akci", &c4("lckd,id->lcki", &mo.ovov, t1), t1);
    x += &c4("akic,kjcb->ijab", &w_voov, &theta);
    x -= &c4("akci,kjcb->ijab", &w_vovo, t2);
    x -= &c4("bkci,kjac->ijab", &w_vovo, t2);

    let mut r2 = &x + &x.view().permuted_axes([1, 0, 3, 2]);
    r2 /= &fixed.d2;
    (r1, r2)
}

/// `(t1, t2)` as one vector, `t1` first.
fn flatten(t1: &Array2<f64>, t2: &Array4<f64>) -> Array1<f64> {
    t1.iter().chain(t2.iter()).copied().collect()
}

/// The inverse of [`flatten`] for amplitudes of `o` occupied and `v` virtual orbitals.
fn unflatten(vector: &Array1<f64>, o: usize, v: usize) -> (Array2<f64>, Array4<f64>) {
    let (ov, data) = (o * v, vector.as_slice().expect("contiguous"));
    let t1 = Array2::from_shape_vec((o, v), data[..ov].to_vec()).expect("length o·v");
    let t2 = Array4::from_shape_vec((o, o, v, v), data[ov..].to_vec()).expect("length o²v²");
    (t1, t2)
}

/// PySCF's amplitude norm: `t1` in full, `t2` over its unique pairs `(ia) ≥ (jb)`.
fn amplitude_norm(t1: &Array2<f64>, t2: &Array4<f64>) -> f64 {
    let (o, v) = t1.dim();
    let full: f64 = t2.iter().map(|x| x * x).sum();
    let diagonal: f64 = (0..o).flat_map(|i| (0..v).map(move |a| (i, a))).map(|(i, a)| t2[[i, i, a, a]].powi(2)).sum();
    (t1.iter().map(|x| x * x).sum::<f64>() + 0.5 * (full + diagonal)).sqrt()
}

/// The MP2 amplitudes `t1 = f_ia / (ε_i − ε_a)`, `t2 = (ia|jb) / D_ij^ab`: where the iterations
/// start.
fn mp2_guess(fixed: &Fixed<'_>) -> (Array2<f64>, Array4<f64>) {
    let t1 = &fixed.mo.fock_ov() / &fixed.d1;
    let t2 = &fixed.mo.ovov.view().permuted_axes([0, 2, 1, 3]) / &fixed.d2;
    (t1, t2)
}

/// Solves the CCSD equations over `mo`, from the MP2 amplitudes.
///
/// Converged when the energy changes by less than `options.energy_tolerance` and the amplitude
/// step is shorter than `options.amplitude_tolerance` in the same update. Errors:
/// [`CcError::NotConverged`] after `options.max_iterations` updates without both.
pub fn ccsd(mo: &MoIntegrals, options: &CcsdOptions) -> Result<CcsdResult, CcError> {
    let fixed = Fixed::new(mo);
    let (o, v) = (mo.n_occ, mo.n_vir);
    let (mut t1, mut t2) = mp2_guess(&fixed);
    let mut e = energy(&fixed, &t1, &t2);
    let mut diis = AmplitudeDiis::new(options.diis_space);
    let (mut de, mut step) = (f64::INFINITY, f64::INFINITY);
    for iteration in 1..=options.max_iterations {
        let (n1, n2) = update(&fixed, &t1, &t2);
        step = amplitude_norm(&(&n1 - &t1), &(&n2 - &t2));
        let next = flatten(&n1, &n2);
        let error = &next - &flatten(&t1, &t2);
        (t1, t2) = unflatten(&diis.extrapolate(next, error), o, v);
        let e_new = energy(&fixed, &t1, &t2);
        de = e_new - e;
        e = e_new;
        if de.abs() < options.energy_tolerance && step < options.amplitude_tolerance {
            return Ok(CcsdResult {
                correlation_energy: e,
                total_energy: mo.reference_energy + e,
                t1,
                t2,
                iterations: iteration,
                last_energy_change: de,
                last_amplitude_change: step,
            });
        }
    }
    Err(CcError::NotConverged { iterations: options.max_iterations, last_energy_change: de, amplitude_change: step })
}

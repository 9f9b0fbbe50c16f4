//! Full configuration interaction in an active space: determinant strings, a direct σ = H·c build
//! and a Davidson eigensolver.
//!
//! A determinant is a pair of occupation strings (alpha, beta), bit `p` of a string is spatial
//! orbital `p`, and |Iα Iβ⟩ = Π_{p∈Iα}↑ a†_{pα} Π_{q∈Iβ}↑ a†_{qβ} |0⟩ (alpha creators first, each
//! group in ascending orbital order). Strings are ordered by their integer value, as PySCF's
//! `cistring` orders them, so a CI vector `c[Iα, Iβ]` here equals PySCF's up to an overall sign.
//!
//! The Hamiltonian is written with the spin-summed excitation operators E_pq = E^α_pq + E^β_pq:
//!
//! ```text
//! H = E_core + Σ_pq k_pq E_pq + ½ Σ_pqrs (pq|rs) E_pq E_rs,     k_pq = h_pq − ½ Σ_r (pr|rq)
//!   = E_core + H^α + H^β + Σ_pqrs (pq|rs) E^α_pq E^β_rs,
//! H^σ = Σ_pq k_pq E^σ_pq + ½ Σ_pqrs (pq|rs) E^σ_pq E^σ_rs
//! ```
//!
//! (Knowles and Handy, Chem. Phys. Lett. 111, 315 (1984); Olsen et al., J. Chem. Phys. 89, 2185
//! (1988)). The same-spin operators H^α and H^β act on strings only, so they are built once as
//! sparse matrices over strings. The opposite-spin term is evaluated row by row of the CI matrix:
//! for a target alpha string Iα with single replacements ⟨Iα|E^α_pq|Jα⟩ = s,
//!
//! ```text
//! Y[rs, Jβ]   = Σ_(pq,Jα,s) s (pq|rs) c[Jα, Jβ]                 (one matrix product)
//! σ[Iα, Iβ]  += Σ_(rs,Jβ,t) t Y[rs, Jβ]    over ⟨Iβ|E^β_rs|Jβ⟩ = t
//! ```
//!
//! so every σ row is gathered independently (threads split the rows; the result does not depend
//! on the thread count) and no n_det × n² intermediate is stored. Cost per σ: O(n_det · n² · L)
//! with L = k(n − k + 1) single replacements per string.
//!
//! Failure contract: inconsistent input (shapes, electron counts, non-symmetric integrals,
//! non-finite numbers, a space too large for the configured limit) and non-convergence are
//! [`FciError`]s; nothing here panics on user input.

use std::fmt;

use faer::{Mat, Side};
use ndarray::{Array2, Array4, ArrayView2, ArrayViewMut2};

use super::active::ActiveHamiltonian;

mod rdm;

pub use rdm::energy_from_rdms;

/// Settings of the FCI solver.
#[derive(Clone, Debug, PartialEq)]
pub struct FciOptions {
    /// Davidson stops when the residual norm ‖Hx − θx‖ falls below this (the energy error is
    /// about its square over the gap).
    pub tol: f64,
    pub max_iter: usize,
    /// Davidson subspace size before a restart; memory is 2 × this many CI vectors.
    pub max_space: usize,
    /// Spaces with at most this many determinants are diagonalised densely.
    pub dense_limit: usize,
    /// Refuse spaces with more determinants than this (8 bytes each per stored vector).
    pub max_determinants: usize,
    /// Worker threads for σ; 0 takes the machine's available parallelism.
    pub n_threads: usize,
}

impl Default for FciOptions {
    fn default() -> Self {
        FciOptions {
            tol: 1e-9,
            max_iter: 200,
            max_space: 16,
            dense_limit: 200,
            max_determinants: 100_000_000,
            n_threads: 0,
        }
    }
}

/// The FCI ground state.
#[derive(Clone, Debug, PartialEq)]
pub struct FciResult {
    /// Total energy, including the active Hamiltonian's core energy.
    pub energy: f64,
    /// CI coefficients `c[Iα, Iβ]`, normalised, rows and columns in the order of the strings.
    pub civec: Array2<f64>,
    pub alpha_strings: Vec<u64>,
    pub beta_strings: Vec<u64>,
    /// Spin-summed active one-particle density matrix γ_pq = ⟨Ψ|E_pq|Ψ⟩ (symmetric).
    pub rdm1: Array2<f64>,
    /// Davidson iterations (0 for the dense path).
    pub iterations: usize,
    pub residual_norm: f64,
}

/// Why FCI failed.
#[derive(Clone, Debug, PartialEq)]
pub enum FciError {
    /// Array shapes disagree.
    Shape { detail: String },
    /// More electrons of one spin than orbitals.
    Electrons { n_alpha: usize, n_beta: usize, n_orbitals: usize },
    /// More than 64 orbitals, or more determinants than the configured limit.
    TooLarge { detail: String },
    /// An integral is NaN or infinite.
    NonFinite,
    /// The integrals lack the symmetry a Hermitian Hamiltonian needs.
    NotSymmetric { detail: String },
    /// Davidson did not reach the tolerance.
    NotConverged { iterations: usize, residual_norm: f64, energy: f64 },
    /// The dense or subspace eigensolver failed.
    Eigen { detail: String },
}

impl fmt::Display for FciError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FciError::Shape { detail } => write!(f, "FCI: inconsistent shapes: {detail}"),
            FciError::Electrons { n_alpha, n_beta, n_orbitals } => {
                write!(f, "FCI: ({n_alpha}α, {n_beta}β) electrons do not fit in {n_orbitals} orbitals")
            }
            FciError::TooLarge { detail } => write!(f, "FCI: space too large: {detail}"),
            FciError::NonFinite => write!(f, "FCI: the integrals hold NaN or infinity"),
            FciError::NotSymmetric { detail } => write!(f, "FCI: integrals not symmetric: {detail}"),
            FciError::NotConverged { iterations, residual_norm, energy } => write!(
                f,
                "FCI: Davidson not converged after {iterations} iterations \
                 (residual {residual_norm:.3e}, energy {energy})"
            ),
            FciError::Eigen { detail } => write!(f, "FCI: eigensolver failed: {detail}"),
        }
    }
}

impl std::error::Error for FciError {}

/// Exact ground state of `h` in its (n_alpha, n_beta) sector.
pub fn fci(h: &ActiveHamiltonian, options: &FciOptions) -> Result<FciResult, FciError> {
    FciProblem::new(h, options)?.solve(options)
}

/// The ground state of `h` with its spin-summed two-particle density matrix Γ_pqrs =
/// Σ_στ ⟨a†_pσ a†_rτ a_sτ a_qσ⟩ (PySCF's `make_rdm12` convention; see [`FciProblem::rdm12`]).
///
/// Failure contract: as [`fci`].
pub fn fci_with_rdm2(h: &ActiveHamiltonian, options: &FciOptions) -> Result<(FciResult, Array4<f64>), FciError> {
    let problem = FciProblem::new(h, options)?;
    let result = problem.solve(options)?;
    let (_, rdm2) = problem.rdm12(result.civec.as_slice().expect("standard layout by construction"))?;
    Ok((result, rdm2))
}

/// All `n_electrons`-bit strings over `n_orbitals` bits, in increasing integer order. Empty when
/// there are none (more electrons than orbitals, or more than 64 orbitals).
pub fn occupation_strings(n_orbitals: usize, n_electrons: usize) -> Vec<u64> {
    if n_orbitals > 64 || n_electrons > n_orbitals {
        return Vec::new();
    }
    if n_electrons == 0 {
        return vec![0];
    }
    // Gosper's hack, in u128 so that the step past the last 64-bit string cannot overflow.
    let limit = 1u128 << n_orbitals;
    let mut s: u128 = (1u128 << n_electrons) - 1;
    let mut out = Vec::new();
    while s < limit {
        out.push(s as u64);
        let c = s & s.wrapping_neg();
        let r = s + c;
        s = (((r ^ s) >> 2) / c) | r;
    }
    out
}

/// A single replacement a†_p a_q |I⟩ = sign |J⟩ (p = q included).
#[derive(Clone, Copy, Debug)]
struct Link {
    /// p·n + q.
    pq: u32,
    /// q·n + p, the index of the adjoint replacement.
    qp: u32,
    target: u32,
    sign: f64,
}

/// The strings of one spin and their single-replacement table.
#[derive(Clone, Debug)]
struct StringSpace {
    strings: Vec<u64>,
    /// `links[i * per_string..(i + 1) * per_string]` are string i's replacements.
    links: Vec<Link>,
    per_string: usize,
}

impl StringSpace {
    fn new(n_orb: usize, n_el: usize) -> Self {
        let strings = occupation_strings(n_orb, n_el);
        let binom = binomials(n_orb);
        let per_string = n_el * (n_orb - n_el + 1);
        let mut links = Vec::with_capacity(strings.len() * per_string);
        for &s in &strings {
            for q in 0..n_orb {
                if s >> q & 1 == 0 {
                    continue;
                }
                let without = s ^ (1 << q);
                let below_q = (s & ((1u64 << q) - 1)).count_ones();
                for p in 0..n_orb {
                    if p != q && s >> p & 1 == 1 {
                        continue;
                    }
                    let target = without | (1 << p);
                    let below_p = (without & low_mask(p)).count_ones();
                    let sign = if (below_q + below_p) % 2 == 0 { 1.0 } else { -1.0 };
                    links.push(Link {
                        pq: (p * n_orb + q) as u32,
                        qp: (q * n_orb + p) as u32,
                        target: rank(target, &binom) as u32,
                        sign,
                    });
                }
            }
        }
        StringSpace { strings, links, per_string }
    }

    fn len(&self) -> usize {
        self.strings.len()
    }

    fn links_of(&self, i: usize) -> &[Link] {
        &self.links[i * self.per_string..(i + 1) * self.per_string]
    }
}

fn low_mask(p: usize) -> u64 {
    if p >= 64 {
        u64::MAX
    } else {
        (1u64 << p) - 1
    }
}

/// binom[n][k] for n, k ≤ max_n (saturating, only small values are used for addressing).
fn binomials(max_n: usize) -> Vec<Vec<u64>> {
    let mut b = vec![vec![0u64; max_n + 2]; max_n + 2];
    for n in 0..=max_n + 1 {
        b[n][0] = 1;
        for k in 1..=n {
            b[n][k] = b[n - 1][k - 1].saturating_add(b[n - 1][k]);
        }
    }
    b
}

/// Position of a fixed-weight string in increasing integer order (combinatorial number system:
/// Σ_i C(p_i, i + 1) over its set bits p_0 < p_1 < …).
fn rank(s: u64, binom: &[Vec<u64>]) -> u64 {
    let mut r = 0;
    let mut bits = s;
    let mut i = 1;
    while bits != 0 {
        let p = bits.trailing_zeros() as usize;
        r += binom[p][i];
        bits &= bits - 1;
        i += 1;
    }
    r
}

fn binomial_u128(n: usize, k: usize) -> u128 {
    if k > n {
        return 0;
    }
    let k = k.min(n - k);
    let mut r: u128 = 1;
    for i in 0..k {
        r = r * (n - i) as u128 / (i + 1) as u128;
    }
    r
}

/// A same-spin operator H^σ as a sparse matrix over strings (rows sorted by column).
#[derive(Clone, Debug)]
struct SparseStrings {
    offsets: Vec<usize>,
    cols: Vec<u32>,
    vals: Vec<f64>,
}

impl SparseStrings {
    /// H^σ = Σ k_pq E_pq + ½ Σ (pq|rs) E_pq E_rs on one spin's strings. Column I is computed as
    /// H^σ|I⟩ and stored as row I, which is the same because H^σ is symmetric.
    fn same_spin(space: &StringSpace, k: &[f64], eri: &[f64], n: usize) -> Self {
        let n2 = n * n;
        let mut acc = vec![0.0; space.len()];
        let mut seen = vec![false; space.len()];
        let mut touched: Vec<u32> = Vec::new();
        let mut offsets = Vec::with_capacity(space.len() + 1);
        let mut cols = Vec::new();
        let mut vals = Vec::new();
        offsets.push(0);
        for i in 0..space.len() {
            let mut add = |j: u32, v: f64| {
                if !seen[j as usize] {
                    seen[j as usize] = true;
                    touched.push(j);
                }
                acc[j as usize] += v;
            };
            for l1 in space.links_of(i) {
                add(l1.target, k[l1.pq as usize] * l1.sign);
                for l2 in space.links_of(l1.target as usize) {
                    add(l2.target, 0.5 * eri[l2.pq as usize * n2 + l1.pq as usize] * l1.sign * l2.sign);
                }
            }
            touched.sort_unstable();
            for &j in &touched {
                cols.push(j);
                vals.push(acc[j as usize]);
                acc[j as usize] = 0.0;
                seen[j as usize] = false;
            }
            touched.clear();
            offsets.push(cols.len());
        }
        SparseStrings { offsets, cols, vals }
    }

    fn row(&self, i: usize) -> (&[u32], &[f64]) {
        let (a, b) = (self.offsets[i], self.offsets[i + 1]);
        (&self.cols[a..b], &self.vals[a..b])
    }
}

/// An FCI problem set up for repeated σ builds: strings, replacement tables, same-spin operators
/// and the diagonal.
#[derive(Clone, Debug)]
pub struct FciProblem {
    n_orb: usize,
    core_energy: f64,
    alpha: StringSpace,
    beta: StringSpace,
    h_alpha: SparseStrings,
    h_beta: SparseStrings,
    /// (pq|rs) as an n² × n² row-major matrix.
    eri: Vec<f64>,
    diag: Vec<f64>,
    n_threads: usize,
}

impl FciProblem {
    /// Validates `h` and prepares the tables. Fails on inconsistent shapes or electron counts,
    /// non-finite or non-symmetric integrals, or a space larger than `options.max_determinants`.
    pub fn new(h: &ActiveHamiltonian, options: &FciOptions) -> Result<Self, FciError> {
        let n = h.h1.nrows();
        if h.h1.ncols() != n {
            return Err(FciError::Shape { detail: format!("h1 is {:?}, not square", h.h1.dim()) });
        }
        if h.eri.dim() != (n, n, n, n) {
            return Err(FciError::Shape { detail: format!("eri is {:?}, h1 is {n}×{n}", h.eri.dim()) });
        }
        if h.n_alpha > n || h.n_beta > n {
            return Err(FciError::Electrons { n_alpha: h.n_alpha, n_beta: h.n_beta, n_orbitals: n });
        }
        if n > 64 {
            return Err(FciError::TooLarge { detail: format!("{n} orbitals (at most 64)") });
        }
        let n_det = binomial_u128(n, h.n_alpha) * binomial_u128(n, h.n_beta);
        if n_det > options.max_determinants as u128 || n_det > u32::MAX as u128 {
            return Err(FciError::TooLarge {
                detail: format!("{n_det} determinants (limit {})", options.max_determinants.min(u32::MAX as usize)),
            });
        }
        if !h.core_energy.is_finite() || h.h1.iter().chain(h.eri.iter()).any(|v| !v.is_finite()) {
            return Err(FciError::NonFinite);
        }
        check_symmetry(h)?;

        let eri: Vec<f64> = h.eri.iter().copied().collect(); // logical (row-major) order
        let n2 = n * n;
        let mut k = vec![0.0; n2];
        for p in 0..n {
            for q in 0..n {
                let mut v = h.h1[[p, q]];
                for r in 0..n {
                    v -= 0.5 * eri[(p * n + r) * n2 + r * n + q];
                }
                k[p * n + q] = v;
            }
        }
        let alpha = StringSpace::new(n, h.n_alpha);
        let h_alpha = SparseStrings::same_spin(&alpha, &k, &eri, n);
        let (beta, h_beta) = if h.n_beta == h.n_alpha {
            (alpha.clone(), h_alpha.clone())
        } else {
            let beta = StringSpace::new(n, h.n_beta);
            let h_beta = SparseStrings::same_spin(&beta, &k, &eri, n);
            (beta, h_beta)
        };
        let diag = diagonal(&alpha.strings, &beta.strings, h, n);
        let n_threads = if options.n_threads == 0 {
            std::thread::available_parallelism().map_or(1, |p| p.get())
        } else {
            options.n_threads
        };
        Ok(FciProblem { n_orb: n, core_energy: h.core_energy, alpha, beta, h_alpha, h_beta, eri, diag, n_threads })
    }

    /// Number of determinants.
    pub fn dimension(&self) -> usize {
        self.alpha.len() * self.beta.len()
    }

    /// (alpha strings, beta strings): the row and column order of a CI matrix.
    pub fn shape(&self) -> (usize, usize) {
        (self.alpha.len(), self.beta.len())
    }

    /// The diagonal ⟨I|H|I⟩ without the core energy, row-major over (alpha, beta).
    pub fn diagonal(&self) -> &[f64] {
        &self.diag
    }

    /// σ = (H − E_core) c for a row-major CI vector. Lengths must equal [`Self::dimension`]
    /// (a shorter slice is a programming error and panics).
    pub fn sigma(&self, c: &[f64], sigma: &mut [f64]) {
        let (na, nb) = self.shape();
        assert!(c.len() == na * nb && sigma.len() == na * nb, "CI vector length");
        let threads = self.threads_for(na * nb);
        // H^α and the opposite-spin term, row by row of σ.
        par_rows(sigma, nb, threads, |first, out| self.sigma_rows(c, first, out));
        // H^β acts on the columns of c: on the transpose it is the same sparse-rows product as
        // H^α, which keeps the inner loops contiguous.
        let ct = transpose(c, na, nb);
        let mut tau = vec![0.0; na * nb];
        par_rows(&mut tau, na, threads, |first, out| {
            for (row, t) in out.chunks_mut(na).enumerate() {
                t.fill(0.0);
                sparse_rows_times(&self.h_beta, first + row, &ct, na, t);
            }
        });
        par_rows(sigma, nb, threads, |first, out| {
            for (row, s) in out.chunks_mut(nb).enumerate() {
                let ia = first + row;
                for (ib, x) in s.iter_mut().enumerate() {
                    *x += tau[ib * na + ia];
                }
            }
        });
    }

    fn threads_for(&self, n_det: usize) -> usize {
        // Below a few thousand determinants a thread costs more than it saves.
        if n_det < 4096 {
            1
        } else {
            self.n_threads.max(1)
        }
    }

    /// H^α and opposite-spin contributions to σ rows `first..first + out.len() / nb`
    /// (overwritten).
    fn sigma_rows(&self, c: &[f64], first: usize, out: &mut [f64]) {
        let nb = self.beta.len();
        let n2 = self.n_orb * self.n_orb;
        let la = self.alpha.per_string;
        let mut at = Array2::<f64>::zeros((la, n2));
        let mut b = Array2::<f64>::zeros((la, nb));
        let mut y = Array2::<f64>::zeros((n2, nb));
        for (row, s) in out.chunks_mut(nb).enumerate() {
            let ia = first + row;
            s.fill(0.0);
            // Alpha same-spin: σ[Iα, :] += Σ_J H^α[Iα, J] c[J, :].
            sparse_rows_times(&self.h_alpha, ia, c, nb, s);
            // Opposite spin, see the module documentation.
            if la == 0 || n2 == 0 {
                continue;
            }
            {
                let at = at.as_slice_mut().expect("standard layout");
                let b = b.as_slice_mut().expect("standard layout");
                for (l, link) in self.alpha.links_of(ia).iter().enumerate() {
                    let qp = link.qp as usize;
                    at[l * n2..(l + 1) * n2].copy_from_slice(&self.eri[qp * n2..(qp + 1) * n2]);
                    let src = &c[link.target as usize * nb..(link.target as usize + 1) * nb];
                    for (x, cv) in b[l * nb..(l + 1) * nb].iter_mut().zip(src) {
                        *x = link.sign * cv;
                    }
                }
            }
            matmul_tn(at.view(), b.view(), y.view_mut());
            let y = y.as_slice().expect("standard layout");
            for (ib, x) in s.iter_mut().enumerate() {
                let mut acc = 0.0;
                for link in self.beta.links_of(ib) {
                    acc += link.sign * y[link.qp as usize * nb + link.target as usize];
                }
                *x += acc;
            }
        }
    }

    /// Spin-summed γ_pq = ⟨c|E_pq|c⟩ for a normalised row-major CI vector.
    pub fn rdm1(&self, c: &[f64]) -> Array2<f64> {
        let n = self.n_orb;
        let (na, nb) = self.shape();
        let mut g = vec![0.0; n * n];
        for ia in 0..na {
            for ib in 0..nb {
                let ci = c[ia * nb + ib];
                if ci == 0.0 {
                    continue;
                }
                for l in self.alpha.links_of(ia) {
                    g[l.pq as usize] += l.sign * ci * c[l.target as usize * nb + ib];
                }
                for l in self.beta.links_of(ib) {
                    g[l.pq as usize] += l.sign * ci * c[ia * nb + l.target as usize];
                }
            }
        }
        let g = Array2::from_shape_vec((n, n), g).expect("n² entries");
        (&g + &g.t()) * 0.5
    }

    /// The ground state: dense diagonalisation for small spaces, Davidson otherwise.
    pub fn solve(&self, options: &FciOptions) -> Result<FciResult, FciError> {
        let dim = self.dimension();
        let (vector, eigenvalue, iterations, residual_norm) = if dim <= options.dense_limit {
            let (e, v) = self.dense_ground_state()?;
            (v, e, 0, 0.0)
        } else {
            let guess = perturbed_guess(&self.diag);
            let davidson =
                DavidsonOptions { tol: options.tol, max_iter: options.max_iter, max_space: options.max_space };
            let r = davidson_lowest(&mut |x: &[f64], y: &mut [f64]| self.sigma(x, y), &self.diag, &guess, &davidson)?;
            (r.eigenvector, r.eigenvalue, r.iterations, r.residual_norm)
        };
        let rdm1 = self.rdm1(&vector);
        let (na, nb) = self.shape();
        Ok(FciResult {
            energy: eigenvalue + self.core_energy,
            civec: Array2::from_shape_vec((na, nb), vector).expect("dimension entries"),
            alpha_strings: self.alpha.strings.clone(),
            beta_strings: self.beta.strings.clone(),
            rdm1,
            iterations,
            residual_norm,
        })
    }

    /// The Hamiltonian matrix (without the core energy), built column by column from σ.
    pub fn dense_matrix(&self) -> Array2<f64> {
        let dim = self.dimension();
        let mut h = Array2::<f64>::zeros((dim, dim));
        let mut e = vec![0.0; dim];
        let mut s = vec![0.0; dim];
        for j in 0..dim {
            e[j] = 1.0;
            self.sigma(&e, &mut s);
            e[j] = 0.0;
            h.column_mut(j).iter_mut().zip(&s).for_each(|(x, v)| *x = *v);
        }
        h
    }

    fn dense_ground_state(&self) -> Result<(f64, Vec<f64>), FciError> {
        let h = self.dense_matrix();
        let (values, vectors) = symmetric_eigen(h.view())?;
        Ok((values[0], vectors.column(0).to_vec()))
    }
}

/// `out += Σ_j H[i, j] · m[j, :]` for a row-major matrix `m` with `width` columns.
fn sparse_rows_times(h: &SparseStrings, i: usize, m: &[f64], width: usize, out: &mut [f64]) {
    let (cols, vals) = h.row(i);
    for (&j, &v) in cols.iter().zip(vals) {
        let src = &m[j as usize * width..(j as usize + 1) * width];
        for (x, mj) in out.iter_mut().zip(src) {
            *x += v * mj;
        }
    }
}

/// The transpose of a row-major `rows × cols` matrix.
fn transpose(m: &[f64], rows: usize, cols: usize) -> Vec<f64> {
    let mut t = vec![0.0; m.len()];
    // Blocked so that both sides stay in cache.
    const B: usize = 32;
    for i0 in (0..rows).step_by(B) {
        for j0 in (0..cols).step_by(B) {
            for i in i0..(i0 + B).min(rows) {
                for j in j0..(j0 + B).min(cols) {
                    t[j * rows + i] = m[i * cols + j];
                }
            }
        }
    }
    t
}

/// Runs `f(first_row, rows)` over contiguous chunks of a row-major matrix with `width` columns,
/// on `threads` scoped threads. Each row is computed the same way whatever the split, so the
/// result does not depend on the thread count.
fn par_rows(data: &mut [f64], width: usize, threads: usize, f: impl Fn(usize, &mut [f64]) + Sync) {
    let n_rows = data.len().checked_div(width).unwrap_or(0);
    let per = n_rows.div_ceil(threads.max(1)).max(1);
    if per >= n_rows || width == 0 {
        f(0, data);
        return;
    }
    let f = &f;
    std::thread::scope(|scope| {
        for (k, chunk) in data.chunks_mut(per * width).enumerate() {
            scope.spawn(move || f(k * per, chunk));
        }
    });
}

/// Maps `f` over `items` on up to `threads` scoped threads and hands the results to `fold` in
/// item order (in waves of `threads` items), so the fold sees the same sequence whatever the
/// thread count.
fn par_map_ordered<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync, mut fold: impl FnMut(R)) {
    if threads <= 1 {
        items.iter().for_each(|item| fold(f(item)));
        return;
    }
    let f = &f;
    for wave in items.chunks(threads) {
        let results: Vec<R> = std::thread::scope(|scope| {
            let handles: Vec<_> = wave.iter().map(|item| scope.spawn(move || f(item))).collect();
            // A worker panics only on a programming error; pass it on.
            handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        });
        results.into_iter().for_each(&mut fold);
    }
}

/// `y = aᵀ b` with ndarray's matrix product (matrixmultiply handles the transposed strides).
fn matmul_tn(a: ArrayView2<'_, f64>, b: ArrayView2<'_, f64>, mut y: ArrayViewMut2<'_, f64>) {
    ndarray::linalg::general_mat_mul(1.0, &a.t(), &b, 0.0, &mut y);
}

fn check_symmetry(h: &ActiveHamiltonian) -> Result<(), FciError> {
    let n = h.h1.nrows();
    let scale = h.h1.iter().chain(h.eri.iter()).fold(1.0f64, |m, v| m.max(v.abs()));
    let tol = 1e-8 * scale;
    for p in 0..n {
        for q in 0..n {
            if (h.h1[[p, q]] - h.h1[[q, p]]).abs() > tol {
                return Err(FciError::NotSymmetric { detail: format!("h1[{p},{q}] ≠ h1[{q},{p}]") });
            }
            for r in 0..n {
                for s in 0..n {
                    let v = h.eri[[p, q, r, s]];
                    if (v - h.eri[[r, s, p, q]]).abs() > tol || (v - h.eri[[q, p, s, r]]).abs() > tol {
                        return Err(FciError::NotSymmetric {
                            detail: format!("(pq|rs) ≠ (rs|pq) or (qp|sr) at ({p}{q}|{r}{s})"),
                        });
                    }
                }
            }
        }
    }
    Ok(())
}

/// ⟨I|H|I⟩ − E_core = Σ_{i∈I} h_ii + ½ Σ_{i,j same spin} [(ii|jj) − (ij|ji)] + Σ_{i∈Iα, j∈Iβ} (ii|jj).
fn diagonal(alpha: &[u64], beta: &[u64], h: &ActiveHamiltonian, n: usize) -> Vec<f64> {
    let jmat = Array2::from_shape_fn((n, n), |(i, j)| h.eri[[i, i, j, j]]);
    let kmat = Array2::from_shape_fn((n, n), |(i, j)| h.eri[[i, j, j, i]]);
    let occ = |s: u64| (0..n).filter(move |&i| s >> i & 1 == 1);
    let same = |s: u64| {
        let mut e = 0.0;
        for i in occ(s) {
            e += h.h1[[i, i]];
            for j in occ(s) {
                e += 0.5 * (jmat[[i, j]] - kmat[[i, j]]);
            }
        }
        e
    };
    let eb: Vec<f64> = beta.iter().map(|&s| same(s)).collect();
    let mut diag = Vec::with_capacity(alpha.len() * beta.len());
    for &sa in alpha {
        let ea = same(sa);
        let mut w = vec![0.0; n];
        for i in occ(sa) {
            for (j, wj) in w.iter_mut().enumerate() {
                *wj += jmat[[i, j]];
            }
        }
        for (&sb, &eb) in beta.iter().zip(&eb) {
            let cross: f64 = occ(sb).map(|j| w[j]).sum();
            diag.push(ea + eb + cross);
        }
    }
    diag
}

/// The lowest-diagonal determinant plus a small deterministic admixture of all others, so that
/// the start vector overlaps every symmetry and spin sector and Davidson finds the true lowest
/// state of the (n_alpha, n_beta) sector rather than the lowest of the start's symmetry.
pub(crate) fn perturbed_guess(diag: &[f64]) -> Vec<f64> {
    let n = diag.len();
    let mut best = 0;
    for (i, d) in diag.iter().enumerate() {
        if d.total_cmp(&diag[best]).is_lt() {
            best = i;
        }
    }
    let eps = 1e-3 / (n as f64).sqrt();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut v: Vec<f64> = (0..n)
        .map(|_| {
            // splitmix64
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            eps * ((z >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0)
        })
        .collect();
    if n > 0 {
        v[best] = 1.0;
    }
    v
}

/// Settings of [`davidson_lowest`].
#[derive(Clone, Debug, PartialEq)]
pub struct DavidsonOptions {
    /// Converged when ‖Hx − θx‖ < tol.
    pub tol: f64,
    pub max_iter: usize,
    /// Subspace size at which the solver restarts from the current and previous Ritz vectors.
    pub max_space: usize,
}

/// The lowest eigenpair found by [`davidson_lowest`].
#[derive(Clone, Debug, PartialEq)]
pub struct DavidsonResult {
    pub eigenvalue: f64,
    /// Normalised.
    pub eigenvector: Vec<f64>,
    pub iterations: usize,
    pub residual_norm: f64,
}

/// Lowest eigenpair of a real symmetric operator given as `apply(x, y)`: y = Hx, with its
/// diagonal as the preconditioner (Davidson, J. Comput. Phys. 17, 87 (1975)), starting from
/// `guess`. Restarts keep the current and the previous Ritz vector (no extra products).
pub fn davidson_lowest(
    apply: &mut dyn FnMut(&[f64], &mut [f64]),
    diag: &[f64],
    guess: &[f64],
    options: &DavidsonOptions,
) -> Result<DavidsonResult, FciError> {
    let n = diag.len();
    if guess.len() != n || n == 0 {
        return Err(FciError::Shape { detail: format!("guess of length {} for dimension {n}", guess.len()) });
    }
    let max_space = options.max_space.max(3);
    let mut basis: Vec<Vec<f64>> = Vec::new();
    let mut images: Vec<Vec<f64>> = Vec::new();
    let mut sub: Vec<Vec<f64>> = Vec::new();

    let mut first = guess.to_vec();
    if !orthonormalise(&mut first, &basis) {
        return Err(FciError::Shape { detail: "zero guess vector".into() });
    }
    push(apply, first, &mut basis, &mut images, &mut sub);
    let mut previous: Option<(Vec<f64>, Vec<f64>)> = None;
    let mut last = (f64::NAN, f64::INFINITY);
    for iteration in 1..=options.max_iter {
        let k = basis.len();
        let s = Array2::from_shape_fn((k, k), |(i, j)| sub[i][j]);
        let (theta, y) = symmetric_eigen(s.view())?;
        let (theta, y) = (theta[0], y.column(0).to_vec());
        let mut x = vec![0.0; n];
        let mut hx = vec![0.0; n];
        for (i, &yi) in y.iter().enumerate() {
            axpy(yi, &basis[i], &mut x);
            axpy(yi, &images[i], &mut hx);
        }
        let norm = dot(&x, &x).sqrt();
        x.iter_mut().for_each(|v| *v /= norm);
        hx.iter_mut().for_each(|v| *v /= norm);
        let residual: Vec<f64> = hx.iter().zip(&x).map(|(h, v)| h - theta * v).collect();
        let rnorm = dot(&residual, &residual).sqrt();
        last = (theta, rnorm);
        if rnorm < options.tol {
            return Ok(DavidsonResult {
                eigenvalue: theta,
                eigenvector: x,
                iterations: iteration,
                residual_norm: rnorm,
            });
        }
        if k >= max_space {
            basis.clear();
            images.clear();
            sub.clear();
            push_known(x.clone(), hx.clone(), &mut basis, &mut images, &mut sub);
            if let Some((mut px, mut phx)) = previous.take() {
                let overlap = dot(&px, &x);
                axpy(-overlap, &x, &mut px);
                axpy(-overlap, &hx, &mut phx);
                let pn = dot(&px, &px).sqrt();
                if pn > 1e-6 {
                    px.iter_mut().for_each(|v| *v /= pn);
                    phx.iter_mut().for_each(|v| *v /= pn);
                    push_known(px, phx, &mut basis, &mut images, &mut sub);
                }
            }
        }
        let mut t: Vec<f64> = residual
            .iter()
            .zip(diag)
            .map(|(r, d)| {
                let denom = theta - d;
                let denom = if denom.abs() < 1e-8 { 1e-8f64.copysign(denom) } else { denom };
                r / denom
            })
            .collect();
        if !orthonormalise(&mut t, &basis) {
            t = residual;
            if !orthonormalise(&mut t, &basis) {
                break;
            }
        }
        push(apply, t, &mut basis, &mut images, &mut sub);
        previous = Some((x, hx));
    }
    Err(FciError::NotConverged { iterations: options.max_iter, residual_norm: last.1, energy: last.0 })
}

fn push(
    apply: &mut dyn FnMut(&[f64], &mut [f64]),
    v: Vec<f64>,
    basis: &mut Vec<Vec<f64>>,
    images: &mut Vec<Vec<f64>>,
    sub: &mut Vec<Vec<f64>>,
) {
    let mut w = vec![0.0; v.len()];
    apply(&v, &mut w);
    push_known(v, w, basis, images, sub);
}

/// Appends a basis vector with its image and extends the (symmetrised) subspace matrix.
fn push_known(
    v: Vec<f64>,
    w: Vec<f64>,
    basis: &mut Vec<Vec<f64>>,
    images: &mut Vec<Vec<f64>>,
    sub: &mut Vec<Vec<f64>>,
) {
    basis.push(v);
    images.push(w);
    let k = basis.len();
    for row in sub.iter_mut() {
        row.push(0.0);
    }
    sub.push(vec![0.0; k]);
    for i in 0..k {
        let s = 0.5 * (dot(&basis[i], &images[k - 1]) + dot(&basis[k - 1], &images[i]));
        sub[i][k - 1] = s;
        sub[k - 1][i] = s;
    }
}

/// Gram–Schmidt twice against `basis`, then normalises; false if nothing independent is left.
fn orthonormalise(v: &mut [f64], basis: &[Vec<f64>]) -> bool {
    let start = dot(v, v).sqrt();
    if start == 0.0 || !start.is_finite() {
        return false;
    }
    for _ in 0..2 {
        for b in basis {
            let o = dot(b, v);
            axpy(-o, b, v);
        }
    }
    let norm = dot(v, v).sqrt();
    if norm < 1e-10 * start {
        return false;
    }
    v.iter_mut().for_each(|x| *x /= norm);
    true
}

/// Dot product accurate to a few ulps of the result whatever the length: a plain running sum
/// over millions of determinants loses ~√n·ε·|E| (1e-11 Eh at 10⁶ determinants), which is
/// visible at the 1e-10 level this module promises. Blocks of 256 are summed in 4 lanes and the
/// block sums are added with Neumaier's compensation.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut sum = 0.0f64;
    let mut compensation = 0.0f64;
    for (xa, xb) in a.chunks(256).zip(b.chunks(256)) {
        let mut lanes = [0.0f64; 4];
        let mut ia = xa.chunks_exact(4);
        let mut ib = xb.chunks_exact(4);
        for (u, v) in (&mut ia).zip(&mut ib) {
            for k in 0..4 {
                lanes[k] += u[k] * v[k];
            }
        }
        let tail: f64 = ia.remainder().iter().zip(ib.remainder()).map(|(x, y)| x * y).sum();
        let block = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]) + tail;
        let t = sum + block;
        compensation += if sum.abs() >= block.abs() { (sum - t) + block } else { (block - t) + sum };
        sum = t;
    }
    sum + compensation
}

fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    y.iter_mut().zip(x).for_each(|(yi, xi)| *yi += alpha * xi);
}

/// Eigenvalues (ascending) and eigenvectors (columns) of a real symmetric matrix, via faer.
pub(crate) fn symmetric_eigen(a: ArrayView2<'_, f64>) -> Result<(Vec<f64>, Array2<f64>), FciError> {
    let n = a.nrows();
    let m = Mat::<f64>::from_fn(n, n, |i, j| 0.5 * (a[[i, j]] + a[[j, i]]));
    let evd = m.self_adjoint_eigen(Side::Lower).map_err(|e| FciError::Eigen { detail: format!("{e:?}") })?;
    let s = evd.S().column_vector();
    let u = evd.U();
    let values: Vec<f64> = (0..n).map(|i| s[i]).collect();
    let vectors = Array2::from_shape_fn((n, n), |(i, j)| u[(i, j)]);
    Ok((values, vectors))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array4;

    /// A random-looking but valid Hamiltonian: symmetric h and (pq|rs) = Σ_L B^L_pq B^L_rs with
    /// symmetric B^L, which has the full 8-fold symmetry and is positive semidefinite.
    pub(crate) fn synthetic(n: usize, n_alpha: usize, n_beta: usize, seed: u64) -> ActiveHamiltonian {
        let mut state = seed;
        let mut rnd = move || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((state >> 11) as f64 / (1u64 << 53) as f64) - 0.5
        };
        let mut h1 = Array2::from_shape_fn((n, n), |_| rnd());
        h1 = (&h1 + &h1.t()) * 0.5;
        for p in 0..n {
            h1[[p, p]] += p as f64 * 0.5 - 2.0;
        }
        let n_aux = 2 * n;
        let mut bs = Vec::new();
        for _ in 0..n_aux {
            let b = Array2::from_shape_fn((n, n), |_| rnd() * 0.4);
            bs.push((&b + &b.t()) * 0.5);
        }
        let eri = Array4::from_shape_fn((n, n, n, n), |(p, q, r, s)| bs.iter().map(|b| b[[p, q]] * b[[r, s]]).sum());
        ActiveHamiltonian { core_energy: 1.5, h1, eri, n_alpha, n_beta }
    }

    /// ⟨J|H|I⟩ from spin-orbital Slater–Condon rules, with H in the form
    /// Σ h_pq a†a + ½ Σ (pq|rs) a†_p a†_r a_s a_q, applied to one determinant at a time.
    fn slater_condon_matrix(h: &ActiveHamiltonian) -> Array2<f64> {
        let n = h.n_orbitals();
        let alpha = occupation_strings(n, h.n_alpha);
        let beta = occupation_strings(n, h.n_beta);
        // Spin-orbital bitstrings in the determinant order: alpha orbitals 0..n, beta n..2n.
        let dets: Vec<u128> =
            alpha.iter().flat_map(|&a| beta.iter().map(move |&b| a as u128 | (b as u128) << n)).collect();
        let index: std::collections::HashMap<u128, usize> = dets.iter().enumerate().map(|(i, &d)| (d, i)).collect();
        let spatial = |so: usize| so % n;
        let spin = |so: usize| so / n;
        let apply = |ops: &[(usize, bool)], det: u128| -> Option<(f64, u128)> {
            // ops act right to left.
            let mut d = det;
            let mut sign = 1.0;
            for &(p, dagger) in ops.iter().rev() {
                let occupied = d >> p & 1 == 1;
                if occupied == dagger {
                    return None;
                }
                if (d & ((1u128 << p) - 1)).count_ones() % 2 == 1 {
                    sign = -sign;
                }
                d ^= 1u128 << p;
            }
            Some((sign, d))
        };
        let dim = dets.len();
        let mut m = Array2::zeros((dim, dim));
        let nso = 2 * n;
        for (i, &d) in dets.iter().enumerate() {
            for p in 0..nso {
                for q in 0..nso {
                    if spin(p) != spin(q) {
                        continue;
                    }
                    if let Some((s, t)) = apply(&[(p, true), (q, false)], d) {
                        m[[index[&t], i]] += s * h.h1[[spatial(p), spatial(q)]];
                    }
                }
            }
            for p in 0..nso {
                for q in 0..nso {
                    for r in 0..nso {
                        for s_ in 0..nso {
                            if spin(p) != spin(q) || spin(r) != spin(s_) {
                                continue;
                            }
                            if let Some((s, t)) = apply(&[(p, true), (r, true), (s_, false), (q, false)], d) {
                                let v = h.eri[[spatial(p), spatial(q), spatial(r), spatial(s_)]];
                                m[[index[&t], i]] += 0.5 * s * v;
                            }
                        }
                    }
                }
            }
        }
        m
    }

    #[test]
    fn strings_are_in_increasing_order_and_ranked() {
        let s = occupation_strings(5, 2);
        assert_eq!(s.len(), 10);
        assert!(s.windows(2).all(|w| w[0] < w[1]));
        let b = binomials(5);
        for (i, &x) in s.iter().enumerate() {
            assert_eq!(rank(x, &b), i as u64);
        }
        assert_eq!(occupation_strings(3, 0), vec![0]);
        assert_eq!(occupation_strings(64, 64), vec![u64::MAX]);
        assert!(occupation_strings(3, 4).is_empty());
    }

    #[test]
    fn sigma_equals_slater_condon_and_diagonal_matches() {
        for &(n, na, nb) in &[(4, 2, 2), (4, 2, 1), (5, 3, 1), (3, 0, 2), (3, 3, 3)] {
            let h = synthetic(n, na, nb, 11 + n as u64);
            let p = FciProblem::new(&h, &FciOptions::default()).expect("valid");
            let from_sigma = p.dense_matrix();
            let reference = slater_condon_matrix(&h);
            let diff = (&from_sigma - &reference).iter().fold(0.0f64, |m, v| m.max(v.abs()));
            assert!(diff < 1e-12, "({n}, {na}, {nb}): max |Δ| = {diff}");
            for (i, d) in p.diagonal().iter().enumerate() {
                assert!((d - reference[[i, i]]).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn davidson_agrees_with_dense() {
        for &(n, na, nb) in &[(6, 3, 3), (7, 3, 2), (6, 2, 4)] {
            let h = synthetic(n, na, nb, 5);
            let dense = fci(&h, &FciOptions { dense_limit: usize::MAX, ..FciOptions::default() }).expect("dense");
            let one = FciOptions { dense_limit: 0, n_threads: 1, tol: 1e-10, ..FciOptions::default() };
            let davidson = fci(&h, &one).expect("davidson");
            assert!((dense.energy - davidson.energy).abs() < 1e-11, "{} vs {}", dense.energy, davidson.energy);
            let overlap: f64 = dense.civec.iter().zip(davidson.civec.iter()).map(|(a, b)| a * b).sum();
            assert!((overlap.abs() - 1.0).abs() < 1e-9);
            let diff = (&dense.rdm1 - &davidson.rdm1).iter().fold(0.0f64, |m, v| m.max(v.abs()));
            assert!(diff < 1e-8);
            assert!((dense.rdm1.diag().sum() - (na + nb) as f64).abs() < 1e-12);
        }
    }

    #[test]
    fn sigma_bits_do_not_depend_on_the_thread_count() {
        // 4900 determinants: above the threading threshold.
        let h = synthetic(8, 4, 4, 9);
        let one = FciOptions { n_threads: 1, ..FciOptions::default() };
        let p1 = FciProblem::new(&h, &one).expect("valid");
        let p3 = FciProblem::new(&h, &FciOptions { n_threads: 3, ..one }).expect("valid");
        let c: Vec<f64> = (0..p1.dimension()).map(|i| (i as f64 * 0.37).sin()).collect();
        let mut s1 = vec![0.0; c.len()];
        let mut s3 = vec![1.0; c.len()];
        p1.sigma(&c, &mut s1);
        p3.sigma(&c, &mut s3);
        assert_eq!(s1, s3);
    }

    #[test]
    fn inconsistent_input_is_an_error_not_a_panic() {
        let h = synthetic(3, 1, 1, 1);
        let too_many = ActiveHamiltonian { n_alpha: 4, ..h.clone() };
        assert!(matches!(fci(&too_many, &FciOptions::default()), Err(FciError::Electrons { .. })));
        let shape = ActiveHamiltonian { eri: Array4::zeros((2, 2, 2, 2)), ..h.clone() };
        assert!(matches!(fci(&shape, &FciOptions::default()), Err(FciError::Shape { .. })));
        let mut asym = h.clone();
        asym.h1[[0, 1]] += 0.1;
        assert!(matches!(fci(&asym, &FciOptions::default()), Err(FciError::NotSymmetric { .. })));
        let mut nan = h.clone();
        nan.eri[[0, 0, 0, 0]] = f64::NAN;
        assert!(matches!(fci(&nan, &FciOptions::default()), Err(FciError::NonFinite)));
        let limit = FciOptions { max_determinants: 4, ..FciOptions::default() };
        assert!(matches!(fci(&h, &limit), Err(FciError::TooLarge { .. })));
        let stingy = FciOptions { dense_limit: 0, max_iter: 1, ..FciOptions::default() };
        assert!(matches!(fci(&synthetic(5, 2, 2, 3), &stingy), Err(FciError::NotConverged { .. })));
    }

    #[test]
    fn empty_and_full_spaces() {
        let h = synthetic(3, 0, 0, 2);
        let r = fci(&h, &FciOptions::default()).expect("vacuum");
        assert_eq!(r.energy, 1.5);
        let full = synthetic(3, 3, 3, 2);
        let r = fci(&full, &FciOptions::default()).expect("one determinant");
        assert!((r.rdm1.diag().sum() - 6.0).abs() < 1e-12);
    }
}

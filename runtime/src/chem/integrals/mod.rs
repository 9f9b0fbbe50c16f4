//! Gaussian integrals over the AO basis: overlap, kinetic, nuclear attraction, electron repulsion
//! (McMurchie–Davidson), the Boys function, and the nuclear repulsion energy.
//!
//! - [`boys`]: `F_m(T)` for all `T ≥ 0`.
//! - [`hermite`]: Hermite expansion coefficients and Hermite Coulomb integrals.
//! - [`mod@one_electron`]: `S`, `T`, `V`.
//! - [`two_electron`]: `(μν|λσ)` with 8-fold permutational symmetry and Schwarz screening.
//! - [`spherical`]: libcint's Cartesian-to-spherical transformation of d and f shells.
//! - [`dipole`]: `⟨μ| r − O |ν⟩`.
//!
//! [`AoIntegrals`] bundles everything the SCF and the active-space code need. All quantities are
//! in atomic units; AO order is [`AoBasis`]'s (PySCF's).

pub mod boys;
pub mod dipole;
pub mod hermite;
pub mod one_electron;
pub mod spherical;
pub mod two_electron;

use ndarray::{Array2, Array4};

use super::basis::{AoBasis, BasisError, MAX_ANGULAR_MOMENTUM};
use super::Atom;

pub use dipole::dipole;
pub use one_electron::{one_electron, overlap, OneElectron};
pub use two_electron::{electron_repulsion, electron_repulsion_with_threads};

/// The AO integrals of one molecular geometry.
#[derive(Clone, Debug, PartialEq)]
pub struct AoIntegrals {
    /// Number of AOs.
    pub nao: usize,
    /// `S_μν = ⟨μ|ν⟩`.
    pub overlap: Array2<f64>,
    /// `T_μν = ⟨μ|−½∇²|ν⟩`.
    pub kinetic: Array2<f64>,
    /// Nuclear attraction `V_μν = ⟨μ|−Σ_C Z_C/|r − R_C||ν⟩`.
    pub nuclear: Array2<f64>,
    /// Core Hamiltonian `h = T + V`.
    pub hcore: Array2<f64>,
    /// `eri[[μ, ν, λ, σ]] = (μν|λσ)`, chemists' notation.
    pub eri: Array4<f64>,
    /// `Σ_{A<B} Z_A Z_B / R_AB`, hartree.
    pub nuclear_repulsion: f64,
}

impl AoIntegrals {
    /// All integrals for `basis`.
    pub fn new(basis: &AoBasis) -> Self {
        let OneElectron { overlap, kinetic, nuclear } = one_electron(basis);
        let hcore = &kinetic + &nuclear;
        AoIntegrals {
            nao: basis.nao,
            overlap,
            kinetic,
            nuclear,
            hcore,
            eri: electron_repulsion(basis),
            nuclear_repulsion: nuclear_repulsion(&basis.atoms),
        }
    }

    /// Builds the basis `basis` on `atoms` and computes all integrals.
    pub fn for_molecule(atoms: &[Atom], basis: &str) -> Result<(AoBasis, Self), BasisError> {
        let basis = AoBasis::new(atoms, basis)?;
        let integrals = Self::new(&basis);
        Ok((basis, integrals))
    }
}

/// `E_nuc = Σ_{A<B} Z_A Z_B / |R_A − R_B|` for point nuclei, hartree. Infinite if two nuclei
/// coincide ([`AoBasis::new`] rejects such geometries).
pub fn nuclear_repulsion(atoms: &[Atom]) -> f64 {
    let mut energy = 0.0;
    for (i, a) in atoms.iter().enumerate() {
        for b in &atoms[..i] {
            let r2: f64 = (0..3).map(|x| (a.position[x] - b.position[x]).powi(2)).sum();
            energy += f64::from(a.z) * f64::from(b.z) / r2.sqrt();
        }
    }
    energy
}

/// Panics on a shell above [`MAX_ANGULAR_MOMENTUM`] (only a hand-built basis can have one).
fn assert_supported(basis: &AoBasis) {
    for shell in &basis.shells {
        assert!(
            shell.l <= MAX_ANGULAR_MOMENTUM,
            "shell of angular momentum {} in a hand-built AoBasis: the engine supports l <= {MAX_ANGULAR_MOMENTUM}",
            shell.l
        );
    }
}

/// The Gaussian product of two primitives `exp(−a r_A²) exp(−b r_B²) = K exp(−p r_P²)`.
#[derive(Clone, Copy, Debug)]
struct Primitive {
    /// `p = a + b`.
    p: f64,
    /// `P = (a A + b B) / p`.
    center: [f64; 3],
    /// `K = exp(−ab/p |A − B|²)`.
    k: f64,
}

impl Primitive {
    fn new(a: f64, center_a: [f64; 3], b: f64, center_b: [f64; 3]) -> Self {
        let p = a + b;
        let center = std::array::from_fn(|x| (a * center_a[x] + b * center_b[x]) / p);
        let r2: f64 = (0..3).map(|x| (center_a[x] - center_b[x]).powi(2)).sum();
        Primitive { p, center, k: (-a * b / p * r2).exp() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn water() -> Vec<Atom> {
        vec![
            Atom { z: 8, position: [0.0, 0.0, 0.0] },
            Atom { z: 1, position: [0.0, 1.43, 1.1] },
            Atom { z: 1, position: [0.0, -1.43, 1.1] },
        ]
    }

    #[test]
    fn aos_are_normalised_and_matrices_symmetric() {
        let basis = AoBasis::new(&water(), "6-31g").expect("defined");
        let ints = AoIntegrals::new(&basis);
        for i in 0..ints.nao {
            assert!((ints.overlap[[i, i]] - 1.0).abs() < 1e-14, "S[{i},{i}] = {}", ints.overlap[[i, i]]);
            for j in 0..ints.nao {
                assert_eq!(ints.hcore[[i, j]], ints.hcore[[j, i]]);
            }
        }
    }

    #[test]
    fn thread_count_does_not_change_a_bit() {
        let basis = AoBasis::new(&water(), "6-31g").expect("defined");
        let serial = electron_repulsion_with_threads(&basis, Some(1));
        for threads in [2, 3, 7] {
            assert!(serial == electron_repulsion_with_threads(&basis, Some(threads)), "{threads} threads");
        }
    }

    #[test]
    fn eri_has_eightfold_symmetry() {
        let basis = AoBasis::new(&water(), "sto-3g").expect("defined");
        let eri = electron_repulsion(&basis);
        let n = basis.nao;
        for i in 0..n {
            for j in 0..n {
                for k in 0..n {
                    for l in 0..n {
                        let v = eri[[i, j, k, l]];
                        assert_eq!(v, eri[[j, i, k, l]]);
                        assert_eq!(v, eri[[k, l, i, j]]);
                        assert_eq!(v, eri[[i, j, l, k]]);
                    }
                }
            }
        }
    }

    /// For one normalised primitive s function of exponent α, (ss|ss) = 2 √(α/π) = √(4α/π).
    #[test]
    fn single_primitive_self_repulsion() {
        use qdf_stdlib::basis::{BasisSet, Harmonics, Shell};
        let alpha = 0.8;
        let mut elements = std::collections::BTreeMap::new();
        elements.insert(1, vec![Shell { angular_momentum: 0, exponents: vec![alpha], coefficients: vec![vec![1.0]] }]);
        let set = BasisSet { name: "one".into(), declared_harmonics: Harmonics::Spherical, elements };
        let basis = AoBasis::from_basis_set(&[Atom { z: 1, position: [0.3, -0.2, 0.1] }], &set).expect("valid");
        let eri = electron_repulsion(&basis);
        let expected = (4.0 * alpha / std::f64::consts::PI).sqrt();
        assert!((eri[[0, 0, 0, 0]] - expected).abs() < 1e-14, "{} vs {expected}", eri[[0, 0, 0, 0]]);
    }
}

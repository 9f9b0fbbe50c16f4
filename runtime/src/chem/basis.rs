//! The atomic-orbital basis of a molecule: shells placed on atoms, normalised as PySCF does.
//!
//! Conventions (the golden tests hold them to PySCF's):
//! - **Shell order**: atoms in input order; on each atom the basis set's shells sorted stably by
//!   angular momentum (all s, then all p, …), which is the order PySCF's NWChem parser gives. A
//!   general contraction (several coefficient columns) becomes one [`Shell`] per column.
//! - **AO order within a shell**: PySCF's real spherical harmonics (`cart=False`, its default):
//!   `px, py, pz` for p, and `m = −l, …, l` for d and f (d: `xy, yz, z², xz, x²−y²`). Shells up to
//!   f are supported ([`MAX_ANGULAR_MOMENTUM`]). The integral engine works with the Cartesian
//!   components `x^{lx} y^{ly} z^{lz}` and maps them to spherical AOs with libcint's coefficients
//!   ([`crate::chem::integrals::spherical`]); for s and p that map is the identity.
//! - **Normalisation** (PySCF `gto.mole.make_bas_env`): each primitive coefficient is multiplied
//!   by the radial norm `gto_norm(l, α) = 1/√(∫₀^∞ r^{2l+2} e^{−2αr²} dr)` and the contraction is
//!   rescaled so that `∫ R(r)² r^{2l+2} dr = 1`. For s and p the angular factor of libcint's
//!   functions (`1/√(4π)` for s, `√(3/(4π))` for p) is folded into the coefficients, so every s and
//!   p AO is a plain Cartesian Gaussian `N x^{lx} y^{ly} z^{lz} e^{−α r²}` of unit norm. For d and f
//!   the coefficients stay radial and the Cartesian-to-spherical coefficients carry the angular
//!   normalisation, so that each spherical AO `R(r) r^l Y_lm` has unit norm.
//!
//! Failure contract: [`AoBasis::new`] returns a [`BasisError`] (unknown basis name, an element the
//! basis does not define, a g or higher shell, a non-finite position, two nuclei at one point); it
//! never panics.

use std::fmt;

use qdf_stdlib::basis::BasisSet;

use super::Atom;

/// The highest angular momentum supported (3: s, p, d and f shells).
pub const MAX_ANGULAR_MOMENTUM: u8 = 3;

/// One contracted shell on one atom.
#[derive(Clone, Debug, PartialEq)]
pub struct Shell {
    /// Angular momentum: 0 for s, 1 for p, 2 for d, 3 for f.
    pub l: u8,
    /// Index of the atom the shell sits on, in [`AoBasis::atoms`].
    pub atom: usize,
    /// The atom's position, bohr.
    pub center: [f64; 3],
    /// Primitive exponents, bohr⁻², in the basis file's order.
    pub exponents: Vec<f64>,
    /// Coefficients of the primitives as Cartesian Gaussians `x^{lx} y^{ly} z^{lz} e^{−αr²}`: radial
    /// normalisation folded in, and for s and p the angular factor too (see the module
    /// documentation).
    pub coefficients: Vec<f64>,
    /// Index of the shell's first AO.
    pub ao_offset: usize,
}

impl Shell {
    /// Number of AOs: `2l + 1` (spherical harmonics).
    pub fn ao_count(&self) -> usize {
        2 * usize::from(self.l) + 1
    }

    /// Number of Cartesian components `(l+1)(l+2)/2` the integral engine works with.
    pub fn cartesian_count(&self) -> usize {
        let l = usize::from(self.l);
        (l + 1) * (l + 2) / 2
    }
}

/// The AO basis of one molecular geometry.
#[derive(Clone, Debug, PartialEq)]
pub struct AoBasis {
    /// Canonical name of the basis set (`"sto-3g"`).
    pub name: String,
    /// The atoms, positions in bohr.
    pub atoms: Vec<Atom>,
    /// Shells in AO order.
    pub shells: Vec<Shell>,
    /// Number of AOs.
    pub nao: usize,
}

/// Why a basis could not be built.
#[derive(Clone, Debug, PartialEq)]
pub enum BasisError {
    /// No shipped basis set has this name.
    UnknownBasis { name: String },
    /// The basis set does not define this element.
    ElementNotInBasis { basis: String, z: u8 },
    /// The basis set gives this element a shell of angular momentum above [`MAX_ANGULAR_MOMENTUM`].
    UnsupportedAngularMomentum { basis: String, z: u8, l: u8 },
    /// An atom's position is not finite.
    NonFinitePosition { atom: usize },
    /// Two nuclei closer than 1e-6 bohr.
    CoincidentAtoms { first: usize, second: usize },
    /// No atoms.
    NoAtoms,
}

impl fmt::Display for BasisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BasisError::UnknownBasis { name } => write!(f, "unknown basis set \"{name}\""),
            BasisError::ElementNotInBasis { basis, z } => {
                write!(f, "basis set {basis} does not define {} (Z = {z})", element_symbol(*z))
            }
            BasisError::UnsupportedAngularMomentum { basis, z, l } => write!(
                f,
                "basis set {basis} has a shell of angular momentum {} on {} (Z = {z}); the integral code supports \
                 s, p, d and f shells",
                angular_letter(*l),
                element_symbol(*z)
            ),
            BasisError::NonFinitePosition { atom } => write!(f, "atom {atom} has a position that is not finite"),
            BasisError::CoincidentAtoms { first, second } => {
                write!(f, "atoms {first} and {second} are at the same position")
            }
            BasisError::NoAtoms => write!(f, "a molecule needs at least one atom"),
        }
    }
}

impl std::error::Error for BasisError {}

fn element_symbol(z: u8) -> String {
    qdf_stdlib::element_by_z(z).map_or_else(|| format!("element {z}"), |e| e.symbol.to_string())
}

fn angular_letter(l: u8) -> char {
    b"spdfghiklmnoqrtuvwxyz".get(usize::from(l)).map_or('?', |&c| char::from(c))
}

impl AoBasis {
    /// The basis `basis` (any spelling [`qdf_stdlib::canonical_basis_name`] accepts) on `atoms`.
    pub fn new(atoms: &[Atom], basis: &str) -> Result<Self, BasisError> {
        let set = qdf_stdlib::load_basis(basis).ok_or_else(|| BasisError::UnknownBasis { name: basis.to_string() })?;
        Self::from_basis_set(atoms, set)
    }

    /// The basis set `set` on `atoms`.
    pub fn from_basis_set(atoms: &[Atom], set: &BasisSet) -> Result<Self, BasisError> {
        if atoms.is_empty() {
            return Err(BasisError::NoAtoms);
        }
        let mut shells = Vec::new();
        let mut nao = 0;
        for (index, atom) in atoms.iter().enumerate() {
            if atom.position.iter().any(|x| !x.is_finite()) {
                return Err(BasisError::NonFinitePosition { atom: index });
            }
            for (other, earlier) in atoms[..index].iter().enumerate() {
                let r2: f64 = (0..3).map(|x| (atom.position[x] - earlier.position[x]).powi(2)).sum();
                if r2 < 1e-12 {
                    return Err(BasisError::CoincidentAtoms { first: other, second: index });
                }
            }
            let element_shells = set
                .elements
                .get(&atom.z)
                .ok_or_else(|| BasisError::ElementNotInBasis { basis: set.name.clone(), z: atom.z })?;
            let mut sorted: Vec<_> = element_shells.iter().collect();
            sorted.sort_by_key(|shell| shell.angular_momentum); // stable: file order within each l
            for shell in sorted {
                let l = shell.angular_momentum;
                if l > MAX_ANGULAR_MOMENTUM {
                    return Err(BasisError::UnsupportedAngularMomentum { basis: set.name.clone(), z: atom.z, l });
                }
                for column in &shell.coefficients {
                    let coefficients = normalised_coefficients(l, &shell.exponents, column);
                    let new = Shell {
                        l,
                        atom: index,
                        center: atom.position,
                        exponents: shell.exponents.clone(),
                        coefficients,
                        ao_offset: nao,
                    };
                    nao += new.ao_count();
                    shells.push(new);
                }
            }
        }
        Ok(AoBasis { name: set.name.clone(), atoms: atoms.to_vec(), shells, nao })
    }

    /// The atom each AO sits on.
    pub fn ao_atoms(&self) -> Vec<usize> {
        self.shells.iter().flat_map(|s| std::iter::repeat_n(s.atom, s.ao_count())).collect()
    }

    /// PySCF-style labels, `"0 O 2px"`-like but without principal quantum numbers: atom index,
    /// element symbol, and PySCF's component names (`s`; `px`, `py`, `pz`; `dxy`, `dyz`, `dz^2`,
    /// `dxz`, `dx2-y2`; `f-3` … `f+3`).
    pub fn ao_labels(&self) -> Vec<String> {
        let mut labels = Vec::with_capacity(self.nao);
        for shell in &self.shells {
            let symbol = element_symbol(self.atoms[shell.atom].z);
            let parts: &[&str] = match shell.l {
                0 => &["s"],
                1 => &["px", "py", "pz"],
                2 => &["dxy", "dyz", "dz^2", "dxz", "dx2-y2"],
                3 => &["f-3", "f-2", "f-1", "f+0", "f+1", "f+2", "f+3"],
                _ => &["?"],
            };
            for part in parts {
                labels.push(format!("{} {symbol} {part}", shell.atom));
            }
        }
        labels
    }
}

/// `∫₀^∞ r^n e^{−α r²} dr = Γ((n+1)/2) / (2 α^{(n+1)/2})` (PySCF `gto.mole.gaussian_int`).
fn gaussian_int(n: u32, alpha: f64) -> f64 {
    let half = f64::from(n + 1) / 2.0;
    gamma_half_integer(n + 1) / (2.0 * alpha.powf(half))
}

/// `Γ(k/2)` for a positive integer `k`, exactly as products of halves (and `√π`).
fn gamma_half_integer(k: u32) -> f64 {
    let (mut value, mut x) = if k % 2 == 0 { (1.0, 1.0) } else { (std::f64::consts::PI.sqrt(), 0.5) };
    while x < f64::from(k) / 2.0 - 0.25 {
        value *= x;
        x += 1.0;
    }
    value
}

/// The angular factor libcint gives the Cartesian s and p functions (`CINTcommon_fac_sp`).
fn angular_factor(l: u8) -> f64 {
    match l {
        0 => 0.5 / std::f64::consts::PI.sqrt(),
        1 => (3.0 / (4.0 * std::f64::consts::PI)).sqrt(),
        // d and f are normalised by the Cartesian-to-spherical coefficients instead.
        _ => 1.0,
    }
}

/// PySCF's normalisation of one contraction (see the module documentation).
fn normalised_coefficients(l: u8, exponents: &[f64], raw: &[f64]) -> Vec<f64> {
    let n = 2 * u32::from(l) + 2;
    let mut c: Vec<f64> =
        exponents.iter().zip(raw).map(|(&alpha, &c)| c / gaussian_int(n, 2.0 * alpha).sqrt()).collect();
    // Σ_pq c_p c_q ∫ r^{2l+2} e^{−(α_p+α_q) r²} dr, as PySCF's `_nomalize_contracted_ao`.
    let mut norm = 0.0;
    for (&ap, &cp) in exponents.iter().zip(&c) {
        for (&aq, &cq) in exponents.iter().zip(&c) {
            norm += cp * cq * gaussian_int(n, ap + aq);
        }
    }
    let scale = angular_factor(l) / norm.sqrt();
    for value in &mut c {
        *value *= scale;
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn water() -> Vec<Atom> {
        vec![
            Atom { z: 8, position: [0.0, 0.0, 0.0] },
            Atom { z: 1, position: [0.0, 1.4, 1.1] },
            Atom { z: 1, position: [0.0, -1.4, 1.1] },
        ]
    }

    #[test]
    fn gamma_of_halves() {
        let pi = std::f64::consts::PI;
        assert!((gamma_half_integer(1) - pi.sqrt()).abs() < 1e-15);
        assert!((gamma_half_integer(2) - 1.0).abs() < 1e-15);
        assert!((gamma_half_integer(3) - pi.sqrt() / 2.0).abs() < 1e-15);
        assert!((gamma_half_integer(5) - 3.0 * pi.sqrt() / 4.0).abs() < 1e-15);
        assert!((gamma_half_integer(8) - 6.0).abs() < 1e-15);
    }

    #[test]
    fn water_631g_has_pyscf_ao_order() {
        let basis = AoBasis::new(&water(), "6-31G").expect("defined");
        assert_eq!(basis.nao, 13);
        let ls: Vec<u8> = basis.shells.iter().map(|s| s.l).collect();
        assert_eq!(ls, vec![0, 0, 0, 1, 1, 0, 0, 0, 0]);
        assert_eq!(basis.ao_labels()[3], "0 O px");
        assert_eq!(basis.ao_atoms(), vec![0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 2]);
    }

    #[test]
    fn water_cc_pvtz_labels_d_and_f() {
        let basis = AoBasis::new(&water(), "cc-pvtz").expect("defined");
        assert_eq!(basis.nao, 58);
        let labels = basis.ao_labels();
        // O: 4s 3p (9) then 2d (10) then 1f.
        assert_eq!(labels[13], "0 O dxy");
        assert_eq!(labels[17], "0 O dx2-y2");
        assert_eq!(labels[23], "0 O f-3");
        assert_eq!(labels[29], "0 O f+3");
    }

    #[test]
    fn typed_errors_not_panics() {
        let atoms = [Atom { z: 1, position: [0.0; 3] }];
        assert_eq!(AoBasis::new(&atoms, "nope"), Err(BasisError::UnknownBasis { name: "nope".into() }));
        let scandium = [Atom { z: 21, position: [0.0; 3] }];
        let err = AoBasis::new(&scandium, "cc-pvtz").expect_err("g shell");
        assert_eq!(err, BasisError::UnsupportedAngularMomentum { basis: "cc-pvtz".into(), z: 21, l: 4 });
        assert!(err.to_string().contains("g on Sc"), "{err}");
        let krypton_in_sto = [Atom { z: 55, position: [0.0; 3] }];
        let err = AoBasis::new(&krypton_in_sto, "sto-3g").expect_err("undefined");
        assert_eq!(err, BasisError::ElementNotInBasis { basis: "sto-3g".into(), z: 55 });
        assert!(err.to_string().contains("Cs"), "{err}");
        let nan = [Atom { z: 1, position: [f64::NAN, 0.0, 0.0] }];
        assert_eq!(AoBasis::new(&nan, "sto-3g"), Err(BasisError::NonFinitePosition { atom: 0 }));
        assert_eq!(AoBasis::new(&[], "sto-3g"), Err(BasisError::NoAtoms));
        let twice = [Atom { z: 1, position: [0.0; 3] }, Atom { z: 1, position: [0.0; 3] }];
        assert_eq!(AoBasis::new(&twice, "sto-3g"), Err(BasisError::CoincidentAtoms { first: 0, second: 1 }));
    }
}

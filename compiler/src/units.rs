//! Units and dimensions.
//!
//! Every quantity in a spec is checked for its dimension and normalised when it is read: lengths to
//! bohr, energies to hartree, angles to radians (atomic units), times to seconds, money to US
//! dollars, shot counts to shots. Conversion factors follow PySCF's `pyscf.data.nist`, so that a
//! geometry written in ångström gives the same bohr coordinates in qdf and in PySCF.

use std::fmt;

use serde::Serialize;

/// Bohr radius in ångström, as PySCF uses it.
pub const BOHR_IN_ANGSTROM: f64 = 0.529_177_210_92;
/// Hartree in electronvolt (PySCF's `HARTREE2EV`).
pub const HARTREE_IN_EV: f64 = 27.211_386_02;
/// Hartree in kcal/mol (PySCF's `HARTREE2J * AVOGADRO / 4184`).
pub const HARTREE_IN_KCAL_PER_MOL: f64 = 627.509_473_045_195_8;
/// Hartree in kJ/mol.
pub const HARTREE_IN_KJ_PER_MOL: f64 = 2_625.499_635_221_099_7;
/// Hartree in wavenumbers (cm⁻¹).
pub const HARTREE_IN_WAVENUMBER: f64 = 219_474.631_115_585_27;

/// The base dimensions qdf knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Base {
    Length = 0,
    Energy = 1,
    Angle = 2,
    Time = 3,
    Shots = 4,
    Money = 5,
}

const BASE_NAMES: [&str; 6] = ["length", "energy", "angle", "time", "shots", "money"];

/// A dimension: integer exponents of the base dimensions. `Dim::NONE` is a pure number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Dim([i8; 6]);

impl Dim {
    pub const NONE: Dim = Dim([0; 6]);
    pub const LENGTH: Dim = Dim::base(Base::Length);
    pub const ENERGY: Dim = Dim::base(Base::Energy);
    pub const ANGLE: Dim = Dim::base(Base::Angle);
    pub const TIME: Dim = Dim::base(Base::Time);
    pub const SHOTS: Dim = Dim::base(Base::Shots);
    pub const MONEY: Dim = Dim::base(Base::Money);

    const fn base(base: Base) -> Dim {
        let mut exps = [0; 6];
        exps[base as usize] = 1;
        Dim(exps)
    }

    pub fn is_none(self) -> bool {
        self == Dim::NONE
    }

    /// The dimension of a product. Exponents saturate, which no real spec reaches.
    pub fn mul(self, other: Dim) -> Dim {
        let mut exps = self.0;
        for (e, o) in exps.iter_mut().zip(other.0) {
            *e = e.saturating_add(o);
        }
        Dim(exps)
    }

    /// The dimension of a quotient.
    pub fn div(self, other: Dim) -> Dim {
        let mut exps = self.0;
        for (e, o) in exps.iter_mut().zip(other.0) {
            *e = e.saturating_sub(o);
        }
        Dim(exps)
    }
}

impl fmt::Display for Dim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_none() {
            return f.write_str("a plain number");
        }
        let mut first = true;
        for (exp, name) in self.0.iter().zip(BASE_NAMES) {
            if *exp == 0 {
                continue;
            }
            if !first {
                f.write_str("·")?;
            }
            first = false;
            f.write_str(name)?;
            if *exp != 1 {
                write!(f, "^{exp}")?;
            }
        }
        Ok(())
    }
}

/// A unit: its dimension and the factor that converts a value in it to the normalised unit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Unit {
    pub name: &'static str,
    pub dim: Dim,
    pub to_normal: f64,
}

const fn unit(name: &'static str, dim: Dim, to_normal: f64) -> Unit {
    Unit { name, dim, to_normal }
}

/// Every unit name qdf accepts. Names are case-sensitive (`mHa` and `MHa` differ in real life).
pub const UNITS: &[Unit] = &[
    unit("bohr", Dim::LENGTH, 1.0),
    unit("a0", Dim::LENGTH, 1.0),
    unit("angstrom", Dim::LENGTH, 1.0 / BOHR_IN_ANGSTROM),
    unit("Å", Dim::LENGTH, 1.0 / BOHR_IN_ANGSTROM),
    unit("nm", Dim::LENGTH, 10.0 / BOHR_IN_ANGSTROM),
    unit("pm", Dim::LENGTH, 0.01 / BOHR_IN_ANGSTROM),
    unit("hartree", Dim::ENERGY, 1.0),
    unit("Ha", Dim::ENERGY, 1.0),
    unit("Eh", Dim::ENERGY, 1.0),
    unit("millihartree", Dim::ENERGY, 1e-3),
    unit("mHa", Dim::ENERGY, 1e-3),
    unit("mEh", Dim::ENERGY, 1e-3),
    unit("microhartree", Dim::ENERGY, 1e-6),
    unit("eV", Dim::ENERGY, 1.0 / HARTREE_IN_EV),
    unit("meV", Dim::ENERGY, 1e-3 / HARTREE_IN_EV),
    unit("kcal_per_mol", Dim::ENERGY, 1.0 / HARTREE_IN_KCAL_PER_MOL),
    unit("kJ_per_mol", Dim::ENERGY, 1.0 / HARTREE_IN_KJ_PER_MOL),
    unit("wavenumber", Dim::ENERGY, 1.0 / HARTREE_IN_WAVENUMBER),
    unit("radian", Dim::ANGLE, 1.0),
    unit("rad", Dim::ANGLE, 1.0),
    unit("degree", Dim::ANGLE, std::f64::consts::PI / 180.0),
    unit("deg", Dim::ANGLE, std::f64::consts::PI / 180.0),
    unit("turn", Dim::ANGLE, std::f64::consts::TAU),
    unit("second", Dim::TIME, 1.0),
    unit("s", Dim::TIME, 1.0),
    unit("millisecond", Dim::TIME, 1e-3),
    unit("ms", Dim::TIME, 1e-3),
    unit("microsecond", Dim::TIME, 1e-6),
    unit("us", Dim::TIME, 1e-6),
    unit("µs", Dim::TIME, 1e-6),
    unit("nanosecond", Dim::TIME, 1e-9),
    unit("ns", Dim::TIME, 1e-9),
    unit("shots", Dim::SHOTS, 1.0),
    unit("shot", Dim::SHOTS, 1.0),
    unit("per_point", Dim::SHOTS, 1.0),
    unit("per_evaluation", Dim::SHOTS, 1.0),
    unit("usd", Dim::MONEY, 1.0),
];

/// Looks a unit up by name. Failure contract: `None` for a name not in [`UNITS`].
pub fn lookup(name: &str) -> Option<&'static Unit> {
    UNITS.iter().find(|u| u.name == name)
}

/// The normalised unit's name for a base dimension, for messages: "1.398 bohr".
pub fn normal_unit_name(dim: Dim) -> &'static str {
    match dim {
        d if d == Dim::LENGTH => "bohr",
        d if d == Dim::ENERGY => "hartree",
        d if d == Dim::ANGLE => "radian",
        d if d == Dim::TIME => "second",
        d if d == Dim::SHOTS => "shots",
        d if d == Dim::MONEY => "usd",
        _ => "",
    }
}

/// An example unit of a dimension, for "write `1.6 millihartree`" hints.
pub fn example_unit(dim: Dim) -> &'static str {
    match dim {
        d if d == Dim::LENGTH => "angstrom",
        d if d == Dim::ENERGY => "millihartree",
        d if d == Dim::ANGLE => "degree",
        d if d == Dim::TIME => "microsecond",
        d if d == Dim::SHOTS => "shots",
        d if d == Dim::MONEY => "usd",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_match_pyscf_constants() {
        let angstrom = lookup("angstrom").unwrap();
        // Reference values: `0.74 / pyscf.data.nist.BOHR` and `1000 / (HARTREE2J * AVOGADRO / 4184)`.
        assert!((0.74 * angstrom.to_normal - 1.398_397_332_178_145_8).abs() < 1e-15);
        let kcal = lookup("kcal_per_mol").unwrap();
        assert!((kcal.to_normal * 1000.0 - 1.593_601_440_225_55).abs() < 1e-13);
        assert_eq!(lookup("degree").unwrap().to_normal * 180.0, std::f64::consts::PI);
        assert!(lookup("Angstrom").is_none());
    }

    #[test]
    fn unit_names_are_unique() {
        for (i, a) in UNITS.iter().enumerate() {
            assert!(UNITS[i + 1..].iter().all(|b| b.name != a.name), "{} twice", a.name);
        }
    }

    #[test]
    fn dimensions_compose_and_print() {
        assert_eq!(Dim::ENERGY.div(Dim::LENGTH).to_string(), "length^-1·energy");
        assert_eq!(Dim::LENGTH.mul(Dim::LENGTH).to_string(), "length^2");
        assert_eq!(Dim::LENGTH.div(Dim::LENGTH), Dim::NONE);
    }
}

//! Z-matrix (internal coordinates) to Cartesian conversion.
//!
//! Units: bond lengths in bohr, angles and dihedrals in radians, references
//! are 0-based indices of earlier atoms. The output is in bohr.
//!
//! # Orientation
//!
//! The placement reproduces `pyscf.gto.mole.from_zmatrix` (PySCF 2.x) exactly,
//! up to floating-point rounding:
//!
//! * atom 0 at the origin;
//! * atom 1 on the **+x** axis, at `(r, 0, 0)`;
//! * atom 2 in the xz-plane with **z > 0** (for an angle strictly between 0 and π);
//! * atoms 3.. from bond, angle and dihedral.
//!
//! # Dihedral sign
//!
//! For row `i` with references `(b, a, d)` the dihedral is the standard (IUPAC)
//! torsion of the chain `i–b–a–d`: looking along the `b → a` bond, it is
//! positive when the projection of `b → i` must be turned clockwise to
//! cover the projection of `a → d`. This is the sign PySCF uses, so the two
//! agree on chirality (checked against PySCF in `tests/geometry.rs`).
//!
//! # Degenerate geometry
//!
//! An angle of (within [`ANGLE_TOLERANCE`] of) 0 or π is accepted: the atom lies
//! on the line through its bond and angle references, and its dihedral (still
//! required in rows 3.., and still required to be finite) is ignored — as in
//! PySCF. Such an angle makes three atoms collinear, so a later row that uses
//! those three atoms as its references cannot define a dihedral and fails with
//! [`ZmatrixErrorKind::CollinearReferences`]. PySCF silently picks an arbitrary
//! plane in that case; here it is an error.

use std::fmt;

/// How close (in radians) an angle must be to 0 or π to count as exactly 0 or π.
/// Same threshold as PySCF's `from_zmatrix`.
pub const ANGLE_TOLERANCE: f64 = 1e-7;

/// Reference atoms whose bond and angle directions make an angle whose sine is
/// below this value are treated as collinear (the dihedral is undefined).
pub const COLLINEAR_TOLERANCE: f64 = 1e-7;

/// Two reference atoms closer than this (bohr) are treated as coincident.
pub const COINCIDENT_TOLERANCE: f64 = 1e-8;

/// One row of a Z-matrix, in the units of this module.
///
/// `bond = Some((j, r))`: distance `r` (bohr) to atom `j`.
/// `angle = Some((k, θ))`: angle `θ` (radians) between this atom, `j` and `k`,
/// with the vertex at `j`.
/// `dihedral = Some((l, φ))`: torsion `φ` (radians) of the chain this atom–`j`–`k`–`l`.
///
/// Row 0 has none of them, row 1 only `bond`, row 2 `bond` and `angle`, and
/// rows 3.. all three.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct ZmatrixRow {
    /// Bond reference (0-based) and length in bohr.
    pub bond: Option<(usize, f64)>,
    /// Angle reference (0-based) and angle in radians; the vertex is the bond reference.
    pub angle: Option<(usize, f64)>,
    /// Dihedral reference (0-based) and torsion in radians.
    pub dihedral: Option<(usize, f64)>,
}

/// Which internal coordinate of a row an error refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InternalCoordinate {
    /// The bond length and its reference atom.
    Bond,
    /// The bond angle and its reference atom.
    Angle,
    /// The dihedral angle and its reference atom.
    Dihedral,
}

impl InternalCoordinate {
    /// Lower-case name: `bond`, `angle` or `dihedral`.
    pub fn name(self) -> &'static str {
        match self {
            InternalCoordinate::Bond => "bond",
            InternalCoordinate::Angle => "angle",
            InternalCoordinate::Dihedral => "dihedral",
        }
    }
}

impl fmt::Display for InternalCoordinate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a Z-matrix row could not be converted.
#[derive(Debug, Clone, PartialEq)]
pub enum ZmatrixErrorKind {
    /// The row lacks an internal coordinate its position requires
    /// (row 1 needs a bond, row 2 also an angle, rows 3.. also a dihedral).
    MissingCoordinate(InternalCoordinate),
    /// The row has an internal coordinate its position does not allow
    /// (row 0 has none, row 1 only a bond, row 2 no dihedral).
    UnexpectedCoordinate(InternalCoordinate),
    /// A reference names this atom itself or a later one.
    ReferenceNotEarlier {
        /// Which coordinate carries the reference.
        coordinate: InternalCoordinate,
        /// The 0-based atom it names.
        reference: usize,
    },
    /// Two internal coordinates of the row name the same atom.
    RepeatedReference {
        /// The earlier coordinate naming it.
        first: InternalCoordinate,
        /// The later coordinate naming it.
        second: InternalCoordinate,
        /// The 0-based atom named twice.
        reference: usize,
    },
    /// The bond length is zero, negative, or not finite.
    InvalidBondLength(f64),
    /// The angle is not finite.
    NonFiniteAngle(f64),
    /// The angle is finite but outside `[0, π]`.
    AngleOutOfRange(f64),
    /// The dihedral is not finite.
    NonFiniteDihedral(f64),
    /// Two reference atoms of the row sit at the same point, so a direction is undefined.
    CoincidentReferences {
        /// First 0-based atom.
        first: usize,
        /// Second 0-based atom.
        second: usize,
    },
    /// The bond, angle and dihedral references lie on one line, so the
    /// dihedral is undefined (typically after an angle of 0 or π earlier on).
    CollinearReferences {
        /// Bond reference (0-based).
        bond: usize,
        /// Angle reference (0-based).
        angle: usize,
        /// Dihedral reference (0-based).
        dihedral: usize,
    },
    /// The computed position, or a distance between reference atoms, overflowed
    /// (for example, with bond lengths near `f64::MAX`).
    NonFinitePosition,
}

/// A Z-matrix conversion failure: the 0-based row and the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct ZmatrixError {
    /// 0-based index of the offending row.
    pub row: usize,
    /// What is wrong with it.
    pub kind: ZmatrixErrorKind,
}

impl fmt::Display for ZmatrixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Z-matrix row {}: ", self.row)?;
        match &self.kind {
            ZmatrixErrorKind::MissingCoordinate(c) => write!(
                f,
                "missing {c}: row 1 needs a bond, row 2 a bond and an angle, later rows a bond, an angle and a dihedral"
            ),
            ZmatrixErrorKind::UnexpectedCoordinate(c) => write!(
                f,
                "unexpected {c}: row 0 has no internal coordinates, row 1 only a bond, row 2 a bond and an angle"
            ),
            ZmatrixErrorKind::ReferenceNotEarlier {
                coordinate,
                reference,
            } => write!(
                f,
                "{coordinate} refers to atom {reference}, which is not an earlier atom"
            ),
            ZmatrixErrorKind::RepeatedReference {
                first,
                second,
                reference,
            } => write!(
                f,
                "{first} and {second} both refer to atom {reference}; the references of a row must be distinct"
            ),
            ZmatrixErrorKind::InvalidBondLength(r) => {
                write!(f, "bond length {r} is not a positive finite number")
            }
            ZmatrixErrorKind::NonFiniteAngle(a) => write!(f, "angle {a} is not finite"),
            ZmatrixErrorKind::AngleOutOfRange(a) => {
                write!(f, "angle {a} rad is outside [0, π]")
            }
            ZmatrixErrorKind::NonFiniteDihedral(d) => write!(f, "dihedral {d} is not finite"),
            ZmatrixErrorKind::CoincidentReferences { first, second } => write!(
                f,
                "reference atoms {first} and {second} are at the same position"
            ),
            ZmatrixErrorKind::CollinearReferences {
                bond,
                angle,
                dihedral,
            } => write!(
                f,
                "reference atoms {bond}, {angle} and {dihedral} are collinear, so the dihedral is undefined (was an earlier angle 0 or 180 degrees?)"
            ),
            ZmatrixErrorKind::NonFinitePosition => {
                write!(f, "the computed position is not finite (overflow)")
            }
        }
    }
}

impl std::error::Error for ZmatrixError {}

/// Converts a Z-matrix to Cartesian coordinates (bohr), one per row.
///
/// See the [module documentation](self) for units, orientation and the
/// dihedral sign convention. An empty slice gives an empty vector.
///
/// # Errors
///
/// Returns the first failing row (0-based) and a [`ZmatrixErrorKind`]; rows
/// are checked in order, and within a row in this order:
///
/// 1. presence: [`MissingCoordinate`](ZmatrixErrorKind::MissingCoordinate) /
///    [`UnexpectedCoordinate`](ZmatrixErrorKind::UnexpectedCoordinate)
///    for the row's position (bond, then angle, then dihedral);
/// 2. references: [`ReferenceNotEarlier`](ZmatrixErrorKind::ReferenceNotEarlier)
///    (itself or a later atom), then
///    [`RepeatedReference`](ZmatrixErrorKind::RepeatedReference);
/// 3. values: [`InvalidBondLength`](ZmatrixErrorKind::InvalidBondLength)
///    (not positive or not finite), [`NonFiniteAngle`](ZmatrixErrorKind::NonFiniteAngle),
///    [`AngleOutOfRange`](ZmatrixErrorKind::AngleOutOfRange) (outside `[0, π]`),
///    [`NonFiniteDihedral`](ZmatrixErrorKind::NonFiniteDihedral);
/// 4. geometry: [`CoincidentReferences`](ZmatrixErrorKind::CoincidentReferences),
///    [`CollinearReferences`](ZmatrixErrorKind::CollinearReferences) (only when the
///    angle is not 0 or π, within [`ANGLE_TOLERANCE`]; sine below
///    [`COLLINEAR_TOLERANCE`]), and
///    [`NonFinitePosition`](ZmatrixErrorKind::NonFinitePosition) on overflow.
///
/// Never panics, whatever the input values.
pub fn zmatrix_to_cartesian(rows: &[ZmatrixRow]) -> Result<Vec<[f64; 3]>, ZmatrixError> {
    let mut coords: Vec<[f64; 3]> = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let err = |kind| ZmatrixError { row: i, kind };
        check_shape(i, row).map_err(err)?;
        check_values(row).map_err(err)?;
        let position = place(&coords, row).map_err(err)?;
        if !position.iter().all(|x| x.is_finite()) {
            return Err(err(ZmatrixErrorKind::NonFinitePosition));
        }
        coords.push(position);
    }
    Ok(coords)
}

/// Presence of each coordinate for the row position, and the references.
fn check_shape(i: usize, row: &ZmatrixRow) -> Result<(), ZmatrixErrorKind> {
    use InternalCoordinate::{Angle, Bond, Dihedral};
    let slots = [(Bond, row.bond, 1), (Angle, row.angle, 2), (Dihedral, row.dihedral, 3)];
    for (coordinate, value, first_row) in slots {
        match (value.is_some(), i >= first_row) {
            (false, true) => return Err(ZmatrixErrorKind::MissingCoordinate(coordinate)),
            (true, false) => return Err(ZmatrixErrorKind::UnexpectedCoordinate(coordinate)),
            _ => {}
        }
    }
    let refs: Vec<(InternalCoordinate, usize)> = slots.iter().filter_map(|&(c, v, _)| v.map(|(r, _)| (c, r))).collect();
    for &(coordinate, reference) in &refs {
        if reference >= i {
            return Err(ZmatrixErrorKind::ReferenceNotEarlier { coordinate, reference });
        }
    }
    for (k, &(second, reference)) in refs.iter().enumerate() {
        if let Some(&(first, _)) = refs[..k].iter().find(|&&(_, r)| r == reference) {
            return Err(ZmatrixErrorKind::RepeatedReference { first, second, reference });
        }
    }
    Ok(())
}

fn check_values(row: &ZmatrixRow) -> Result<(), ZmatrixErrorKind> {
    if let Some((_, r)) = row.bond {
        if !(r.is_finite() && r > 0.0) {
            return Err(ZmatrixErrorKind::InvalidBondLength(r));
        }
    }
    if let Some((_, a)) = row.angle {
        if !a.is_finite() {
            return Err(ZmatrixErrorKind::NonFiniteAngle(a));
        }
        if !(0.0..=std::f64::consts::PI).contains(&a) {
            return Err(ZmatrixErrorKind::AngleOutOfRange(a));
        }
    }
    if let Some((_, d)) = row.dihedral {
        if !d.is_finite() {
            return Err(ZmatrixErrorKind::NonFiniteDihedral(d));
        }
    }
    Ok(())
}

/// Places the atom of `row`, given the (already validated) row and the earlier atoms.
fn place(coords: &[[f64; 3]], row: &ZmatrixRow) -> Result<[f64; 3], ZmatrixErrorKind> {
    let Some((b, r)) = row.bond else {
        return Ok([0.0; 3]);
    };
    let Some((a, theta)) = row.angle else {
        return Ok([r, 0.0, 0.0]);
    };
    let origin = coords[b];
    let v1 = sub(coords[a], origin);
    let n1 = norm(v1);
    if !n1.is_finite() {
        return Err(ZmatrixErrorKind::NonFinitePosition);
    }
    if n1 < COINCIDENT_TOLERANCE {
        return Err(ZmatrixErrorKind::CoincidentReferences { first: b.min(a), second: b.max(a) });
    }
    let v1 = scale(v1, 1.0 / n1);
    let c = match row.dihedral {
        None => {
            // Row 2: the first two atoms lie on the x axis, so v1 = ±x and
            // v1 × z is a well-defined rotation axis (PySCF's choice).
            let axis = cross(v1, [0.0, 0.0, 1.0]);
            scale(rotate(v1, axis, theta), r)
        }
        Some((d, phi)) => {
            if theta < ANGLE_TOLERANCE {
                scale(v1, r)
            } else if std::f64::consts::PI - theta < ANGLE_TOLERANCE {
                scale(v1, -r)
            } else {
                let v2 = sub(coords[d], coords[a]);
                let n2 = norm(v2);
                if !n2.is_finite() {
                    return Err(ZmatrixErrorKind::NonFinitePosition);
                }
                if n2 < COINCIDENT_TOLERANCE {
                    return Err(ZmatrixErrorKind::CoincidentReferences { first: a.min(d), second: a.max(d) });
                }
                let normal = cross(v2, scale(v1, -1.0));
                let nn = norm(normal);
                if !nn.is_finite() {
                    return Err(ZmatrixErrorKind::NonFinitePosition);
                }
                if nn / n2 < COLLINEAR_TOLERANCE {
                    return Err(ZmatrixErrorKind::CollinearReferences { bond: b, angle: a, dihedral: d });
                }
                let normal = scale(rotate(normal, v1, -phi), 1.0 / nn);
                scale(rotate(v1, normal, theta), r)
            }
        }
    };
    Ok(add(origin, c))
}

fn add(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}

fn sub(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn scale(a: [f64; 3], s: f64) -> [f64; 3] {
    [a[0] * s, a[1] * s, a[2] * s]
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
}

fn norm(a: [f64; 3]) -> f64 {
    dot(a, a).sqrt()
}

/// Rotates `v` by `angle` (right-handed) about `axis` (any nonzero length):
/// Rodrigues' formula, the same matrix as `pyscf.symm.rotation_mat`.
fn rotate(v: [f64; 3], axis: [f64; 3], angle: f64) -> [f64; 3] {
    let u = scale(axis, 1.0 / norm(axis));
    let (s, c) = angle.sin_cos();
    add(add(scale(v, c), scale(cross(u, v), s)), scale(u, (1.0 - c) * dot(u, v)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::{FRAC_PI_2, PI};
    use InternalCoordinate::{Angle, Bond, Dihedral};

    fn row(bond: Option<(usize, f64)>, angle: Option<(usize, f64)>, dihedral: Option<(usize, f64)>) -> ZmatrixRow {
        ZmatrixRow { bond, angle, dihedral }
    }

    /// Three atoms in a right angle: O at the origin, H on +x, H on +z.
    fn bent3() -> Vec<ZmatrixRow> {
        vec![row(None, None, None), row(Some((0, 1.0)), None, None), row(Some((0, 1.0)), Some((1, FRAC_PI_2)), None)]
    }

    fn err(rows: &[ZmatrixRow]) -> ZmatrixError {
        match zmatrix_to_cartesian(rows) {
            Ok(c) => panic!("expected an error, got {c:?}"),
            Err(e) => e,
        }
    }

    fn close(a: [f64; 3], b: [f64; 3]) -> bool {
        a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
    }

    #[test]
    fn empty_and_single() {
        assert_eq!(zmatrix_to_cartesian(&[]), Ok(vec![]));
        assert_eq!(zmatrix_to_cartesian(&bent3()[..1]), Ok(vec![[0.0; 3]]));
    }

    #[test]
    fn orientation_matches_pyscf_convention() {
        let c = zmatrix_to_cartesian(&bent3()).expect("valid");
        assert!(close(c[1], [1.0, 0.0, 0.0]));
        assert!(close(c[2], [0.0, 0.0, 1.0]));
        // Bond to atom 1, angle at atom 1 towards atom 0: also z > 0.
        let mut rows = bent3();
        rows[2] = row(Some((1, 1.0)), Some((0, FRAC_PI_2)), None);
        let c = zmatrix_to_cartesian(&rows).expect("valid");
        assert!(close(c[2], [1.0, 0.0, 1.0]));
    }

    #[test]
    fn dihedral_sign() {
        // Atom 3 bonded to 2, angle at 2 with 0, dihedral with 1: chain 3-2-0-1.
        let mut rows = bent3();
        rows.push(row(Some((2, 1.0)), Some((0, FRAC_PI_2)), Some((1, FRAC_PI_2))));
        let c = zmatrix_to_cartesian(&rows).expect("valid");
        // Looking down 2 -> 0 (from +z, x to the right, y up), the bond 2 -> 3
        // must turn clockwise by 90 degrees onto 0 -> 1 (+x): it points to +y.
        assert!(close(c[3], [0.0, 1.0, 1.0]), "{:?}", c[3]);
        rows[3].dihedral = Some((1, -FRAC_PI_2));
        let c = zmatrix_to_cartesian(&rows).expect("valid");
        assert!(close(c[3], [0.0, -1.0, 1.0]), "{:?}", c[3]);
    }

    #[test]
    fn missing_and_unexpected_coordinates() {
        let e = err(&[row(Some((0, 1.0)), None, None)]);
        assert_eq!(e.row, 0);
        assert_eq!(e.kind, ZmatrixErrorKind::UnexpectedCoordinate(Bond));

        let e = err(&[row(None, None, None), row(None, None, None)]);
        assert_eq!((e.row, e.kind), (1, ZmatrixErrorKind::MissingCoordinate(Bond)));

        let e = err(&[row(None, None, None), row(Some((0, 1.0)), Some((0, 1.0)), None)]);
        assert_eq!((e.row, e.kind), (1, ZmatrixErrorKind::UnexpectedCoordinate(Angle)));

        let mut rows = bent3();
        rows[2].angle = None;
        let e = err(&rows);
        assert_eq!((e.row, e.kind), (2, ZmatrixErrorKind::MissingCoordinate(Angle)));

        let mut rows = bent3();
        rows[2].dihedral = Some((1, 0.0));
        let e = err(&rows);
        assert_eq!((e.row, e.kind), (2, ZmatrixErrorKind::UnexpectedCoordinate(Dihedral)));

        let mut rows = bent3();
        rows.push(row(Some((0, 1.0)), Some((1, 1.0)), None));
        let e = err(&rows);
        assert_eq!((e.row, e.kind), (3, ZmatrixErrorKind::MissingCoordinate(Dihedral)));
    }

    #[test]
    fn references_must_be_earlier_and_distinct() {
        let e = err(&[row(None, None, None), row(Some((1, 1.0)), None, None)]);
        assert_eq!((e.row, e.kind), (1, ZmatrixErrorKind::ReferenceNotEarlier { coordinate: Bond, reference: 1 }));

        let mut rows = bent3();
        rows.push(row(Some((2, 1.0)), Some((0, 1.0)), Some((7, 0.0))));
        let e = err(&rows);
        assert_eq!((e.row, e.kind), (3, ZmatrixErrorKind::ReferenceNotEarlier { coordinate: Dihedral, reference: 7 }));

        let mut rows = bent3();
        rows[2].angle = Some((0, 1.0));
        let e = err(&rows);
        assert_eq!(
            (e.row, e.kind),
            (2, ZmatrixErrorKind::RepeatedReference { first: Bond, second: Angle, reference: 0 })
        );

        let mut rows = bent3();
        rows.push(row(Some((2, 1.0)), Some((0, 1.0)), Some((2, 0.0))));
        let e = err(&rows);
        assert_eq!(
            (e.row, e.kind),
            (3, ZmatrixErrorKind::RepeatedReference { first: Bond, second: Dihedral, reference: 2 })
        );
    }

    #[test]
    fn bad_values() {
        for r in [0.0, -1.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.0] {
            let e = err(&[row(None, None, None), row(Some((0, r)), None, None)]);
            assert_eq!(e.row, 1);
            assert!(matches!(e.kind, ZmatrixErrorKind::InvalidBondLength(x) if x.to_bits() == r.to_bits()), "{e:?}");
        }
        for a in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let mut rows = bent3();
            rows[2].angle = Some((1, a));
            let e = err(&rows);
            assert_eq!(e.row, 2);
            assert!(matches!(e.kind, ZmatrixErrorKind::NonFiniteAngle(_)), "{e:?}");
        }
        for a in [-1e-9, PI + 1e-9, 4.0, -PI] {
            let mut rows = bent3();
            rows[2].angle = Some((1, a));
            let e = err(&rows);
            assert_eq!((e.row, e.kind), (2, ZmatrixErrorKind::AngleOutOfRange(a)));
        }
        let mut rows = bent3();
        rows.push(row(Some((2, 1.0)), Some((0, 1.0)), Some((1, f64::NAN))));
        let e = err(&rows);
        assert_eq!(e.row, 3);
        assert!(matches!(e.kind, ZmatrixErrorKind::NonFiniteDihedral(d) if d.is_nan()));
    }

    #[test]
    fn linear_then_dihedral_is_collinear() {
        // 0, 1, 2 on the x axis (angle π), then a dihedral over them.
        let rows = [
            row(None, None, None),
            row(Some((0, 1.0)), None, None),
            row(Some((1, 1.0)), Some((0, PI)), None),
            row(Some((2, 1.0)), Some((1, 2.0)), Some((0, 0.5))),
        ];
        let e = err(&rows);
        assert_eq!((e.row, e.kind), (3, ZmatrixErrorKind::CollinearReferences { bond: 2, angle: 1, dihedral: 0 }));
        // Angle 0 in row 2 collapses atom 2 onto the 0-1 line as well.
        let mut rows = rows;
        rows[2] = row(Some((0, 2.0)), Some((1, 0.0)), None);
        let c = zmatrix_to_cartesian(&rows[..3]).expect("valid");
        assert!(close(c[2], [2.0, 0.0, 0.0]));
        let e = err(&rows);
        assert!(matches!(e.kind, ZmatrixErrorKind::CollinearReferences { .. }));
        assert_eq!(e.row, 3);
    }

    #[test]
    fn linear_angle_in_later_rows_ignores_dihedral() {
        let mut rows = bent3();
        rows.push(row(Some((0, 2.0)), Some((1, PI)), Some((2, 1.234))));
        rows.push(row(Some((0, 3.0)), Some((1, 0.0)), Some((2, -2.0))));
        let c = zmatrix_to_cartesian(&rows).expect("valid");
        assert!(close(c[3], [-2.0, 0.0, 0.0]));
        assert!(close(c[4], [3.0, 0.0, 0.0]));
        // Atoms 0, 1, 3 are now collinear: a dihedral over them fails.
        rows.push(row(Some((3, 1.0)), Some((0, 1.0)), Some((1, 0.0))));
        let e = err(&rows);
        assert_eq!((e.row, e.kind), (5, ZmatrixErrorKind::CollinearReferences { bond: 3, angle: 0, dihedral: 1 }));
        // Nearly (but not within tolerance) linear is accepted.
        let mut rows = bent3();
        rows.push(row(Some((2, 1.0)), Some((0, PI - 1e-3)), Some((1, 0.3))));
        assert!(zmatrix_to_cartesian(&rows).is_ok());
    }

    #[test]
    fn coincident_references() {
        // Atom 3 lands exactly on atom 1 (angle 0, same distance from atom 0).
        let mut rows = bent3();
        rows.push(row(Some((0, 1.0)), Some((1, 0.0)), Some((2, 0.0))));
        rows.push(row(Some((3, 1.0)), Some((1, 1.0)), Some((0, 0.0))));
        let e = err(&rows);
        assert_eq!((e.row, e.kind), (4, ZmatrixErrorKind::CoincidentReferences { first: 1, second: 3 }));
        let mut rows = bent3();
        rows.push(row(Some((0, 1.0)), Some((1, 0.0)), Some((2, 0.0))));
        // Dihedral reference 3 sits where atom 1 is, away from the angle
        // reference 0: fine.
        rows.push(row(Some((2, 1.0)), Some((0, 1.0)), Some((3, 0.0))));
        assert!(zmatrix_to_cartesian(&rows).is_ok());
        // Now the dihedral reference coincides with the angle reference 1.
        rows[4] = row(Some((2, 1.0)), Some((1, 1.0)), Some((3, 0.0)));
        let e = err(&rows);
        assert_eq!((e.row, e.kind), (4, ZmatrixErrorKind::CoincidentReferences { first: 1, second: 3 }));
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let rows = [
            row(None, None, None),
            row(Some((0, f64::MAX)), None, None),
            row(Some((1, f64::MAX)), Some((0, 0.0)), None),
        ];
        let e = err(&rows);
        assert_eq!((e.row, e.kind), (2, ZmatrixErrorKind::NonFinitePosition));
    }

    #[test]
    fn never_panics_on_odd_values() {
        let values = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            1e-300,
            1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            PI,
            FRAC_PI_2,
            1e-8,
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..5000 {
            let n = (next() % 7) as usize;
            let mut rows = Vec::new();
            for _ in 0..n {
                let mut coord = || {
                    if next() % 5 == 0 {
                        None
                    } else {
                        let r = (next() % 8) as usize;
                        Some((r, values[(next() % values.len() as u64) as usize]))
                    }
                };
                rows.push(row(coord(), coord(), coord()));
            }
            if let Ok(c) = zmatrix_to_cartesian(&rows) {
                assert_eq!(c.len(), rows.len());
                assert!(c.iter().flatten().all(|x| x.is_finite()));
            }
        }
    }

    #[test]
    fn error_display_names_the_row() {
        let e = err(&[row(None, None, None), row(Some((0, -1.0)), None, None)]);
        assert_eq!(e.to_string(), "Z-matrix row 1: bond length -1 is not a positive finite number");
    }
}

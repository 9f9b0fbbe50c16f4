//! Geometry math: Z-matrix to Cartesian conversion and `.xyz` file reading.
//!
//! Both modules are pure: they take numbers or text and do no I/O.
//!
//! * [`zmatrix`]: [`zmatrix_to_cartesian`] turns [`ZmatrixRow`]s (0-based
//!   references, bohr, radians) into Cartesian coordinates in bohr, with the
//!   orientation and dihedral sign of PySCF's `from_zmatrix` (atom 0 at the
//!   origin, atom 1 on +x, atom 2 in the xz-plane with z > 0). Failures are a
//!   [`ZmatrixError`] naming the 0-based row and a [`ZmatrixErrorKind`].
//! * [`xyz_file`]: [`parse_xyz`] reads standard XYZ text (ångström) into all of
//!   its [`XyzFrame`]s. Failures are an [`XyzError`] with a 1-based line and
//!   column, a stable [`XyzErrorKind`] and a message.
//!
//! Neither function panics, whatever its input.

pub mod xyz_file;
pub mod zmatrix;

pub use xyz_file::{parse_xyz, XyzAtom, XyzError, XyzErrorKind, XyzFrame};
pub use zmatrix::{
    zmatrix_to_cartesian, InternalCoordinate, ZmatrixError, ZmatrixErrorKind, ZmatrixRow, ANGLE_TOLERANCE,
    COINCIDENT_TOLERANCE, COLLINEAR_TOLERANCE,
};

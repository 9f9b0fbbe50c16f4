//! Descriptors of a geometry, and their standardisation.
//!
//! A geometry is a list of [`Atom`]s, `(Z, [x, y, z])` with coordinates in bohr, in a fixed order
//! (the order of the `.qdf` geometry block). Every descriptor is in atomic units.
//!
//! - Inverse distances: `1/r_ij` for `i < j`, row by row of the upper triangle:
//!   `(0,1), (0,2), …, (0,n-1), (1,2), …`. Lossless for a fixed atom order; n(n-1)/2 values.
//! - Coulomb matrix (Rupp, Tkatchenko, Müller, von Lilienfeld, PRL 108, 058301 (2012)):
//!   `M_ii = Z_i^2.4 / 2`, `M_ij = Z_i Z_j / r_ij`. Two forms:
//!   - [`CoulombForm::SortedEigenvalues`] (what `features = coulomb_matrix` means in the
//!     language): the n eigenvalues of M in descending order. Invariant to atom order, so it
//!     compares different molecules; geometries with fewer atoms are padded with zeros.
//!   - [`CoulombForm::UpperTriangle`]: `M_ij` for `i <= j`, row by row, n(n+1)/2 values, for a
//!     fixed atom order (lossless).

use faer::{Mat, Side};

use super::MlError;

/// An atom: nuclear charge and position in bohr.
pub type Atom = (u8, [f64; 3]);

/// Below this separation (bohr) two atoms count as coincident.
const MIN_DISTANCE: f64 = 1e-8;

/// Which form of the Coulomb matrix to return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoulombForm {
    /// Eigenvalues in descending order (atom-order invariant).
    SortedEigenvalues,
    /// The upper triangle including the diagonal, row by row (fixed atom order).
    UpperTriangle,
}

/// A descriptor, as named by `features = …` in a model block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeatureKind {
    InverseDistances,
    CoulombMatrix(CoulombForm),
}

impl FeatureKind {
    /// The language's names: `inverse_distances`, `coulomb_matrix` (sorted eigenvalues).
    pub fn from_name(name: &str) -> Result<Self, MlError> {
        match name {
            "inverse_distances" => Ok(FeatureKind::InverseDistances),
            "coulomb_matrix" => Ok(FeatureKind::CoulombMatrix(CoulombForm::SortedEigenvalues)),
            other => Err(MlError::UnknownChoice { field: "feature set", value: other.to_owned() }),
        }
    }

    /// The descriptor length for a geometry of `n_atoms` atoms.
    pub fn len(self, n_atoms: usize) -> usize {
        match self {
            FeatureKind::InverseDistances => n_atoms * n_atoms.saturating_sub(1) / 2,
            FeatureKind::CoulombMatrix(CoulombForm::SortedEigenvalues) => n_atoms,
            FeatureKind::CoulombMatrix(CoulombForm::UpperTriangle) => n_atoms * (n_atoms + 1) / 2,
        }
    }

    /// The descriptor of one geometry.
    pub fn compute(self, atoms: &[Atom]) -> Result<Vec<f64>, MlError> {
        match self {
            FeatureKind::InverseDistances => inverse_distances(atoms),
            FeatureKind::CoulombMatrix(CoulombForm::SortedEigenvalues) => coulomb_eigenvalues(atoms),
            FeatureKind::CoulombMatrix(CoulombForm::UpperTriangle) => coulomb_upper_triangle(atoms),
        }
    }

    /// The descriptors of many geometries, as equal-length rows.
    ///
    /// Fixed-order descriptors need every geometry to list the same elements in the same order
    /// (anything else would silently compare unrelated distances); sorted eigenvalues are padded
    /// with zeros to the largest geometry.
    pub fn compute_all(self, geometries: &[Vec<Atom>]) -> Result<Vec<Vec<f64>>, MlError> {
        let first = geometries.first().ok_or(MlError::Empty { what: "the list of geometries" })?;
        let fixed_order = !matches!(self, FeatureKind::CoulombMatrix(CoulombForm::SortedEigenvalues));
        if fixed_order {
            for (index, geometry) in geometries.iter().enumerate() {
                let same = geometry.len() == first.len() && geometry.iter().zip(first).all(|(a, b)| a.0 == b.0);
                if !same {
                    return Err(MlError::InvalidSpec(format!(
                        "geometry {index} lists different atoms from geometry 0; this descriptor needs a fixed atom order"
                    )));
                }
            }
        }
        let mut rows = geometries.iter().map(|g| self.compute(g)).collect::<Result<Vec<_>, _>>()?;
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        for row in &mut rows {
            row.resize(width, 0.0);
        }
        Ok(rows)
    }
}

fn check_atoms(atoms: &[Atom], needed: usize) -> Result<(), MlError> {
    if atoms.len() < needed {
        return Err(MlError::TooFewAtoms { needed, found: atoms.len() });
    }
    if let Some(index) = atoms.iter().position(|(_, r)| r.iter().any(|c| !c.is_finite())) {
        return Err(MlError::NonFinite { what: "the atom positions", index });
    }
    Ok(())
}

fn distance(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    let d = [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
    (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt()
}

/// `1/r_ij` for `i < j`, in bohr⁻¹, upper triangle row by row. Needs at least two atoms.
pub fn inverse_distances(atoms: &[Atom]) -> Result<Vec<f64>, MlError> {
    check_atoms(atoms, 2)?;
    let n = atoms.len();
    let mut out = Vec::with_capacity(n * (n - 1) / 2);
    for i in 0..n {
        for j in i + 1..n {
            let r = distance(&atoms[i].1, &atoms[j].1);
            if r < MIN_DISTANCE {
                return Err(MlError::CoincidentAtoms { i, j });
            }
            out.push(1.0 / r);
        }
    }
    Ok(out)
}

/// The full Coulomb matrix, row-major `n × n`. Needs at least one atom.
pub fn coulomb_matrix(atoms: &[Atom]) -> Result<Vec<Vec<f64>>, MlError> {
    check_atoms(atoms, 1)?;
    let n = atoms.len();
    let mut m = vec![vec![0.0; n]; n];
    for i in 0..n {
        let zi = f64::from(atoms[i].0);
        m[i][i] = 0.5 * zi.powf(2.4);
        for j in i + 1..n {
            let r = distance(&atoms[i].1, &atoms[j].1);
            if r < MIN_DISTANCE {
                return Err(MlError::CoincidentAtoms { i, j });
            }
            let v = zi * f64::from(atoms[j].0) / r;
            m[i][j] = v;
            m[j][i] = v;
        }
    }
    Ok(m)
}

/// The Coulomb matrix's upper triangle including the diagonal, row by row.
pub fn coulomb_upper_triangle(atoms: &[Atom]) -> Result<Vec<f64>, MlError> {
    let m = coulomb_matrix(atoms)?;
    Ok(m.iter().enumerate().flat_map(|(i, row)| row[i..].iter().copied()).collect())
}

/// The Coulomb matrix's eigenvalues, in descending order.
pub fn coulomb_eigenvalues(atoms: &[Atom]) -> Result<Vec<f64>, MlError> {
    let m = coulomb_matrix(atoms)?;
    let n = m.len();
    let mat = Mat::from_fn(n, n, |i, j| m[i][j]);
    let mut values = mat
        .self_adjoint_eigenvalues(Side::Lower)
        .map_err(|e| MlError::Backend(format!("Coulomb matrix eigenvalues: {e:?}")))?;
    values.reverse();
    Ok(values)
}

/// Per-feature mean and standard deviation, fitted on the training rows and then applied,
/// unchanged, to training and test rows alike (so no test information leaks into training).
///
/// The standard deviation is the population one (divide by n). A feature that is constant over
/// the training set (standard deviation below 1e-12 of its magnitude) keeps a scale of 1: it is
/// only centred, so round-off is not blown up into an O(1) signal.
#[derive(Clone, Debug, PartialEq)]
pub struct Standardizer {
    pub mean: Vec<f64>,
    pub std: Vec<f64>,
}

impl Standardizer {
    /// Fits on `x` (rows of equal length, finite, at least one).
    pub fn fit(x: &[Vec<f64>]) -> Result<Self, MlError> {
        if x.is_empty() {
            return Err(MlError::Empty { what: "the rows to standardise" });
        }
        let width = super::check_rows(x, None)?;
        let n = x.len() as f64;
        let mut mean = vec![0.0; width];
        for row in x {
            for (m, v) in mean.iter_mut().zip(row) {
                *m += v;
            }
        }
        for m in &mut mean {
            *m /= n;
        }
        let mut var = vec![0.0; width];
        for row in x {
            for ((s, v), m) in var.iter_mut().zip(row).zip(&mean) {
                *s += (v - m) * (v - m);
            }
        }
        let std = var
            .iter()
            .zip(&mean)
            .map(|(s, m)| {
                let sd = (s / n).sqrt();
                if sd <= 1e-12 * m.abs().max(1.0) {
                    1.0
                } else {
                    sd
                }
            })
            .collect();
        Ok(Standardizer { mean, std })
    }

    /// The number of features it was fitted on.
    pub fn len(&self) -> usize {
        self.mean.len()
    }

    /// Whether it was fitted on zero-width rows.
    pub fn is_empty(&self) -> bool {
        self.mean.is_empty()
    }

    /// `(x - mean) / std`, feature by feature.
    pub fn transform(&self, row: &[f64]) -> Result<Vec<f64>, MlError> {
        if row.len() != self.mean.len() {
            return Err(MlError::LengthMismatch {
                what: "features per row",
                expected: self.mean.len(),
                found: row.len(),
            });
        }
        Ok(row.iter().zip(&self.mean).zip(&self.std).map(|((v, m), s)| (v - m) / s).collect())
    }

    /// [`Standardizer::transform`] over many rows.
    pub fn transform_all(&self, x: &[Vec<f64>]) -> Result<Vec<Vec<f64>>, MlError> {
        x.iter()
            .enumerate()
            .map(|(row, values)| {
                self.transform(values).map_err(|_| MlError::RaggedFeatures {
                    row,
                    expected: self.mean.len(),
                    found: values.len(),
                })
            })
            .collect()
    }
}

//! The `npz` dataset format: every point of a dataset as NumPy arrays in one archive
//! (`points.npz`), for `np.load`.
//!
//! Row `i` of every array is the dataset's `i`-th record, failed points included, so arrays line up
//! with `points.jsonl`. A value a record does not have is NaN (floats), -1 (counts) or 0 (atomic
//! numbers). Ragged data (molecule sets with different atom counts, parameter vectors of different
//! lengths, active spaces of different sizes) is padded to the largest record with the same fill.
//! Optional families of arrays (VQE, dipoles, density matrices, ...) appear only when some record
//! has them. Array names are method and variable names with every character outside
//! `[A-Za-z0-9_]` replaced by `_`, so each is a valid `np.load(...)[name]` key.
//!
//! The archive is what `np.savez` writes: a zip of `<name>.npy` entries, stored uncompressed. Every
//! dtype is spelled little-endian and every entry carries the same fixed timestamp, so the same
//! records give the same bytes on any machine.

use std::collections::HashSet;
use std::io::{Cursor, Write};

use npyz::{DType, TypeStr, WriterBuilder};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::store::{PointRecord, VqeRecord};

/// The archive of `records` (one row per record, in order), as the bytes of a `.npz` file.
///
/// Failure contract: returns `Err` with a sentence, never panics, when a record names an atom
/// that is not a chemical element, when two method or scan-variable names become the same array
/// name once sanitised (`ccsd(t)` and `ccsd_t_`), when a record's `rdm2` does not hold `n⁴` values,
/// or when the zip container cannot hold the arrays (an entry or the archive beyond zip64's
/// limits). No I/O happens here; the caller writes the bytes.
pub fn npz(records: &[PointRecord]) -> Result<Vec<u8>, String> {
    let arrays = arrays(records)?;
    let mut seen = HashSet::new();
    if let Some(clash) = arrays.iter().find(|a| !seen.insert(a.name.as_str())) {
        return Err(format!(
            "two method or scan-variable names both become the npz array name `{}` (names keep only [A-Za-z0-9_])",
            clash.name
        ));
    }
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for array in &arrays {
        let npy = array.npy().map_err(|e| format!("npz array `{}`: {e}", array.name))?;
        let options = SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .last_modified_time(DateTime::default())
            .unix_permissions(0o644)
            .large_file(npy.len() as u64 >= u64::from(u32::MAX));
        zip.start_file(format!("{}.npy", array.name), options)
            .and_then(|()| zip.write_all(&npy).map_err(Into::into))
            .map_err(|e| format!("npz array `{}`: {e}", array.name))?;
    }
    let cursor = zip.finish().map_err(|e| format!("npz archive: {e}"))?;
    Ok(cursor.into_inner())
}

/// One array of the archive: its name, its shape and its values in C order.
#[derive(Debug)]
struct Array {
    name: String,
    shape: Vec<u64>,
    values: Values,
}

#[derive(Debug)]
enum Values {
    F64(Vec<f64>),
    I64(Vec<i64>),
    Bool(Vec<bool>),
    /// Fixed-width Unicode (`<U{width}`), as NumPy stores `str` arrays.
    Text(Vec<String>),
}

impl Array {
    fn new(name: String, shape: &[usize], values: Values) -> Array {
        Array { name, shape: shape.iter().map(|&d| d as u64).collect(), values }
    }

    /// The array as a `.npy` file.
    fn npy(&self) -> std::io::Result<Vec<u8>> {
        match &self.values {
            Values::F64(v) => npy(&self.shape, "<f8", v.iter().copied()),
            Values::I64(v) => npy(&self.shape, "<i8", v.iter().copied()),
            Values::Bool(v) => npy(&self.shape, "|b1", v.iter().copied()),
            Values::Text(v) => {
                let width = v.iter().map(|s| s.chars().count()).max().unwrap_or(0).max(1);
                npy(&self.shape, &format!("<U{width}"), v.iter().cloned())
            }
        }
    }
}

fn npy<T: npyz::Serialize>(
    shape: &[u64],
    dtype: &str,
    values: impl IntoIterator<Item = T>,
) -> std::io::Result<Vec<u8>> {
    let dtype: TypeStr = dtype.parse().map_err(std::io::Error::other)?;
    let mut out = Vec::new();
    let mut writer = npyz::WriteOptions::new().dtype(DType::Plain(dtype)).shape(shape).writer(&mut out).begin_nd()?;
    writer.extend(values)?;
    writer.finish()?;
    Ok(out)
}

/// Every array for `records`, in archive order.
fn arrays(records: &[PointRecord]) -> Result<Vec<Array>, String> {
    let p = records.len();
    let column_i64 = |name: &str, f: &dyn Fn(&PointRecord) -> i64| {
        Array::new(name.into(), &[p], Values::I64(records.iter().map(f).collect()))
    };
    let mut out = vec![
        column_i64("point", &|r| r.point as i64),
        Array::new("ok".into(), &[p], Values::Bool(records.iter().map(PointRecord::is_ok).collect())),
        Array::new("molecule".into(), &[p], Values::Text(records.iter().map(|r| r.molecule.clone()).collect())),
        column_i64("charge", &|r| i64::from(r.charge)),
        column_i64("multiplicity", &|r| i64::from(r.multiplicity)),
        column_i64("active_electrons", &|r| i64::from(r.active_electrons)),
        column_i64("active_orbitals", &|r| i64::from(r.active_orbitals)),
        column_i64("qubits", &|r| i64::from(r.qubits)),
    ];
    out.extend(geometry(records)?);
    for method in first_seen(records.iter().map(|r| r.energies.iter().map(|(m, _)| m.as_str()))) {
        out.push(column_f64(&format!("energy_{}", sanitise(method)), records, |r| r.energy(method)));
    }
    for variable in first_seen(records.iter().map(|r| r.scan.iter().map(|(v, _)| v.as_str()))) {
        let value = |r: &PointRecord| r.scan.iter().find(|(v, _)| v == variable).map(|(_, x)| *x);
        out.push(column_f64(&format!("scan_{}", sanitise(variable)), records, value));
    }
    out.extend(vqe(records));
    out.extend(properties(records)?);
    Ok(out)
}

/// `atomic_numbers` `[P, A]` (0 padding) and `positions_bohr` `[P, A, 3]` (NaN padding), `A` the
/// most atoms of any record.
fn geometry(records: &[PointRecord]) -> Result<[Array; 2], String> {
    let atoms = records.iter().map(|r| r.symbols.len().max(r.positions_bohr.len())).max().unwrap_or(0);
    let mut numbers = vec![0i64; records.len() * atoms];
    let mut positions = vec![f64::NAN; records.len() * atoms * 3];
    for (i, r) in records.iter().enumerate() {
        for (a, symbol) in r.symbols.iter().enumerate() {
            let element = qdf_stdlib::element_by_symbol(symbol).ok_or_else(|| {
                format!("{}[{}]: `{symbol}` is not a chemical element (npz stores atomic numbers)", r.molecule, r.point)
            })?;
            numbers[i * atoms + a] = i64::from(element.z);
        }
        for (a, xyz) in r.positions_bohr.iter().enumerate() {
            positions[(i * atoms + a) * 3..][..3].copy_from_slice(xyz);
        }
    }
    let p = records.len();
    Ok([
        Array::new("atomic_numbers".into(), &[p, atoms], Values::I64(numbers)),
        Array::new("positions_bohr".into(), &[p, atoms, 3], Values::F64(positions)),
    ])
}

/// The VQE arrays, when any record has a VQE result: parameters (NaN-padded), gradient norm,
/// iterations and convergence always; the measured-run quantities when any record has them.
fn vqe(records: &[PointRecord]) -> Vec<Array> {
    if records.iter().all(|r| r.vqe.is_none()) {
        return Vec::new();
    }
    let p = records.len();
    let params: Vec<Option<&[f64]>> = records.iter().map(|r| r.vqe.as_ref().map(|v| v.params.as_slice())).collect();
    let (k, padded) = pad_rows(&params);
    let mut out = vec![
        Array::new("vqe_params".into(), &[p, k], Values::F64(padded)),
        column_f64("vqe_gradient_norm", records, |r| r.vqe.as_ref().map(|v| v.gradient_norm)),
        column_count("vqe_iterations", records, |r| r.vqe.as_ref().map(|v| v.iterations as u64)),
        Array::new(
            "vqe_converged".into(),
            &[p],
            Values::Bool(records.iter().map(|r| r.vqe.as_ref().is_some_and(|v| v.converged)).collect()),
        ),
    ];
    let any = |f: fn(&VqeRecord) -> bool| records.iter().filter_map(|r| r.vqe.as_ref()).any(f);
    if any(|v| v.standard_error.is_some()) {
        out.push(column_f64("vqe_standard_error", records, |r| r.vqe.as_ref().and_then(|v| v.standard_error)));
    }
    if any(|v| v.noiseless_energy.is_some()) {
        out.push(column_f64("vqe_noiseless_energy", records, |r| r.vqe.as_ref().and_then(|v| v.noiseless_energy)));
    }
    if any(|v| v.shots.is_some()) {
        out.push(column_count("vqe_shots", records, |r| r.vqe.as_ref().and_then(|v| v.shots)));
    }
    if any(|v| v.evaluations.is_some()) {
        out.push(column_count("vqe_evaluations", records, |r| r.vqe.as_ref().and_then(|v| v.evaluations)));
    }
    out
}

/// Dipoles by method `[P, 3]`, nuclear gradients by method `[P, A, 3]`, `rdm1` `[P, n, n]`,
/// `rdm2` `[P, n, n, n, n]`, `spin_square` `[P]` and `natural_occupations` `[P, m]`, each when any
/// record has it; NaN where a record has not, and past each record's own size.
fn properties(records: &[PointRecord]) -> Result<Vec<Array>, String> {
    let p = records.len();
    let mut out = Vec::new();
    for method in first_seen(records.iter().map(|r| r.properties.dipoles.iter().map(|(m, _)| m.as_str()))) {
        let mut values = vec![f64::NAN; p * 3];
        for (i, r) in records.iter().enumerate() {
            if let Some((_, d)) = r.properties.dipoles.iter().find(|(m, _)| m == method) {
                values[i * 3..][..3].copy_from_slice(d);
            }
        }
        out.push(Array::new(format!("dipole_{}", sanitise(method)), &[p, 3], Values::F64(values)));
    }
    let atoms = records.iter().map(|r| r.positions_bohr.len()).max().unwrap_or(0);
    for method in first_seen(records.iter().map(|r| r.properties.gradients.iter().flatten().map(|(m, _)| m.as_str()))) {
        let mut values = vec![f64::NAN; p * atoms * 3];
        for (i, r) in records.iter().enumerate() {
            let found = r.properties.gradients.iter().flatten().find(|(m, _)| m == method);
            for (a, g) in found.iter().flat_map(|(_, g)| g.iter()).enumerate() {
                values[(i * atoms + a) * 3..][..3].copy_from_slice(g);
            }
        }
        out.push(Array::new(format!("gradient_{}", sanitise(method)), &[p, atoms, 3], Values::F64(values)));
    }
    if records.iter().any(|r| r.properties.rdm1.is_some()) {
        let n = records
            .iter()
            .filter_map(|r| r.properties.rdm1.as_ref())
            .map(|m| m.iter().map(Vec::len).chain([m.len()]).max().unwrap_or(0))
            .max()
            .unwrap_or(0);
        let mut values = vec![f64::NAN; p * n * n];
        for (i, r) in records.iter().enumerate() {
            for (row, entries) in r.properties.rdm1.iter().flatten().enumerate() {
                values[(i * n + row) * n..][..entries.len()].copy_from_slice(entries);
            }
        }
        out.push(Array::new("rdm1".into(), &[p, n, n], Values::F64(values)));
    }
    if records.iter().any(|r| r.properties.rdm2.is_some()) {
        out.push(rdm2(records)?);
    }
    if records.iter().any(|r| r.properties.spin_square.is_some()) {
        out.push(column_f64("spin_square", records, |r| r.properties.spin_square));
    }
    if records.iter().any(|r| r.properties.natural_occupations.is_some()) {
        let rows: Vec<Option<&[f64]>> = records.iter().map(|r| r.properties.natural_occupations.as_deref()).collect();
        let (m, values) = pad_rows(&rows);
        out.push(Array::new("natural_occupations".into(), &[p, m], Values::F64(values)));
    }
    Ok(out)
}

/// `rdm2` `[P, n, n, n, n]` from each record's row-major `n_r⁴` values, NaN past `n_r`.
fn rdm2(records: &[PointRecord]) -> Result<Array, String> {
    let mut sizes = Vec::with_capacity(records.len());
    for r in records {
        let len = r.properties.rdm2.as_ref().map_or(0, Vec::len);
        let n = (0..=len).find(|n| n * n * n * n >= len).unwrap_or(0);
        if n * n * n * n != len {
            return Err(format!("{}[{}]: rdm2 holds {len} values, not n⁴ for any n", r.molecule, r.point));
        }
        sizes.push(n);
    }
    let n = sizes.iter().copied().max().unwrap_or(0);
    let p = records.len();
    let mut values = vec![f64::NAN; p * n.pow(4)];
    for ((i, r), &own) in records.iter().enumerate().zip(&sizes) {
        for (k, &x) in r.properties.rdm2.iter().flatten().enumerate() {
            // Γ_pqrs at row-major index k of the record's own n⁴ block, moved into the padded one.
            let (pq, rs) = (k / (own * own), k % (own * own));
            let [pp, q, rr, s] = [pq / own, pq % own, rs / own, rs % own];
            values[(((i * n + pp) * n + q) * n + rr) * n + s] = x;
        }
    }
    Ok(Array::new("rdm2".into(), &[p, n, n, n, n], Values::F64(values)))
}

/// One float per record, NaN where `f` has none.
fn column_f64(name: &str, records: &[PointRecord], f: impl Fn(&PointRecord) -> Option<f64>) -> Array {
    Array::new(name.into(), &[records.len()], Values::F64(records.iter().map(|r| f(r).unwrap_or(f64::NAN)).collect()))
}

/// One count per record, -1 where `f` has none.
fn column_count(name: &str, records: &[PointRecord], f: impl Fn(&PointRecord) -> Option<u64>) -> Array {
    let values = records.iter().map(|r| f(r).map_or(-1, |c| i64::try_from(c).unwrap_or(i64::MAX))).collect();
    Array::new(name.into(), &[records.len()], Values::I64(values))
}

/// Rows of different lengths (or none) as one C-order `[rows, width]` block, NaN-padded; returns
/// the width (the longest row) with the values.
fn pad_rows(rows: &[Option<&[f64]>]) -> (usize, Vec<f64>) {
    let width = rows.iter().flatten().map(|r| r.len()).max().unwrap_or(0);
    let mut values = vec![f64::NAN; rows.len() * width];
    for (i, row) in rows.iter().enumerate() {
        if let Some(row) = row {
            values[i * width..][..row.len()].copy_from_slice(row);
        }
    }
    (width, values)
}

/// The distinct names of all lists, in order of first appearance.
fn first_seen<'a, L: Iterator<Item = &'a str>>(lists: impl Iterator<Item = L>) -> Vec<&'a str> {
    let mut names: Vec<&str> = Vec::new();
    for name in lists.flatten() {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// `name` with every character outside `[A-Za-z0-9_]` replaced by `_`.
fn sanitise(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect()
}

#[cfg(test)]
mod tests;

//! FCIDUMP files (Knowles and Handy, Comput. Phys. Commun. 54, 75 (1989)), as Molpro writes them
//! and PySCF's `tools.fcidump.from_integrals` / `tools.fcidump.read` handle them:
//!
//! ```text
//!  &FCI NORB=   4,NELEC= 4,MS2=0,
//!   ORBSYM=1,1,1,1,
//!   ISYM=1,
//!  &END
//!  0.6744086764591236e0    1    1    1    1      (ij|kl), 1-based, i ≥ j, k ≥ l, ij ≥ kl
//!  …
//!  -1.2524635783552443e0    1    1    0    0    h_ij, i ≥ j
//!  0.7137539936876182e0    0    0    0    0      core energy
//! ```
//!
//! The writer follows PySCF's order and drops values with |v| ≤ 1e-15 (its `TOL`); values are
//! written with 17 significant digits, so a file read back gives the same numbers bit for bit.
//!
//! The reader accepts the namelist on one or several lines, any case, `&FCI … &END`, `&FCI … /`
//! or `$FCI … $END`, with or without spaces and trailing commas; unknown keys are ignored except
//! `IUHF`/`UHF`, whose spin-unrestricted layout is refused. Values may use Fortran `D` exponents.
//! Each integral fills all of its 8 symmetry partners (h_ij both); a later line overrides an
//! earlier one; absent integrals are zero. `value i 0 0 0` lines (orbital energies) are skipped.
//!
//! Failure contract: every problem with the text is an [`FcidumpError`] naming its 1-based line;
//! nothing here panics on input.

use std::fmt;
use std::io::Write;

use ndarray::{Array2, Array4};

use super::active::ActiveHamiltonian;

/// Values with magnitude at or below this are not written (PySCF's `fcidump.TOL`).
pub const WRITE_THRESHOLD: f64 = 1e-15;

/// The most orbitals a file may declare (the FCI solver's limit; the ERI array is NORB⁴).
pub const MAX_ORBITALS: usize = 64;

/// The namelist of an FCIDUMP file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FcidumpHeader {
    pub norb: usize,
    pub nelec: usize,
    /// 2 S_z = n_alpha − n_beta.
    pub ms2: i64,
    /// One irreducible-representation label per orbital (all 1 when absent).
    pub orbsym: Vec<i64>,
    pub isym: i64,
}

/// Why an FCIDUMP could not be read or written.
#[derive(Clone, Debug, PartialEq)]
pub enum FcidumpError {
    /// The namelist is missing, unterminated or inconsistent; `line` is where it starts (or
    /// the offending line).
    Header { line: usize, detail: String },
    /// An integral line could not be understood.
    Line { line: usize, detail: String },
    /// The Hamiltonian to write holds NaN or infinity, or has inconsistent shapes.
    Invalid { detail: String },
    /// The writer failed.
    Io { detail: String },
}

impl fmt::Display for FcidumpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FcidumpError::Header { line, detail } => write!(f, "FCIDUMP line {line}: header: {detail}"),
            FcidumpError::Line { line, detail } => write!(f, "FCIDUMP line {line}: {detail}"),
            FcidumpError::Invalid { detail } => write!(f, "FCIDUMP: cannot write: {detail}"),
            FcidumpError::Io { detail } => write!(f, "FCIDUMP: write failed: {detail}"),
        }
    }
}

impl std::error::Error for FcidumpError {}

/// Writes `h` (its NORB, NELEC = n_alpha + n_beta, MS2 = n_alpha − n_beta) in PySCF's layout:
/// header, unique (ij|kl), unique h_ij, core energy.
///
/// Failure contract: [`FcidumpError::Invalid`] for non-finite values or shapes that disagree;
/// [`FcidumpError::Io`] when `out` fails.
pub fn write(h: &ActiveHamiltonian, out: &mut impl Write) -> Result<(), FcidumpError> {
    let n = h.h1.nrows();
    if h.h1.ncols() != n || h.eri.dim() != (n, n, n, n) {
        return Err(FcidumpError::Invalid { detail: format!("h1 {:?}, eri {:?}", h.h1.dim(), h.eri.dim()) });
    }
    if !h.core_energy.is_finite() || h.h1.iter().chain(h.eri.iter()).any(|v| !v.is_finite()) {
        return Err(FcidumpError::Invalid { detail: "an integral is NaN or infinite".into() });
    }
    let io = |e: std::io::Error| FcidumpError::Io { detail: e.to_string() };
    let ms2 = h.n_alpha as i64 - h.n_beta as i64;
    let mut text = String::new();
    text.push_str(&format!(" &FCI NORB={n:4},NELEC={:2},MS2={ms2},\n", h.n_alpha + h.n_beta));
    text.push_str(&format!("  ORBSYM={}\n", "1,".repeat(n)));
    text.push_str("  ISYM=1,\n &END\n");
    let mut line = |v: f64, i: usize, j: usize, k: usize, l: usize| {
        if v.abs() > WRITE_THRESHOLD || (i, j, k, l) == (0, 0, 0, 0) {
            text.push_str(&format!(" {v:.16e} {i:4} {j:4} {k:4} {l:4}\n"));
        }
    };
    // PySCF's loop: i ≥ j, k ≤ i, k ≥ l, pair(ij) ≥ pair(kl).
    for i in 0..n {
        for j in 0..=i {
            for k in 0..=i {
                for l in 0..=k {
                    if i * (i + 1) / 2 + j >= k * (k + 1) / 2 + l {
                        line(h.eri[[i, j, k, l]], i + 1, j + 1, k + 1, l + 1);
                    }
                }
            }
        }
    }
    for i in 0..n {
        for j in 0..=i {
            line(h.h1[[i, j]], i + 1, j + 1, 0, 0);
        }
    }
    line(h.core_energy, 0, 0, 0, 0);
    out.write_all(text.as_bytes()).map_err(io)
}

/// Reads an FCIDUMP (see the module documentation) into an active Hamiltonian with
/// n_alpha = (NELEC + MS2) / 2, n_beta = (NELEC − MS2) / 2, and its header.
///
/// Failure contract: [`FcidumpError::Header`] for a missing or unterminated namelist, a missing
/// or malformed NORB or NELEC, NORB above [`MAX_ORBITALS`], electron counts that do not fit, an
/// ORBSYM of the wrong length, or a spin-unrestricted file; [`FcidumpError::Line`] for an
/// integral line without five fields, an unreadable number, or an index out of range or in a
/// pattern that is none of (ij|kl), h_ij, orbital energy, core energy.
pub fn read(text: &str) -> Result<(ActiveHamiltonian, FcidumpHeader), FcidumpError> {
    let lines: Vec<&str> = text.lines().collect();
    let (header, body_start) = read_header(&lines)?;
    let n = header.norb;
    let mut h1 = Array2::<f64>::zeros((n, n));
    let mut eri = Array4::<f64>::zeros((n, n, n, n));
    let mut core_energy = 0.0;
    for (index, raw) in lines.iter().enumerate().skip(body_start) {
        let number = index + 1;
        let fields: Vec<&str> = raw.split_whitespace().collect();
        if fields.is_empty() {
            continue;
        }
        let error = |detail: String| FcidumpError::Line { line: number, detail };
        if fields.len() != 5 {
            return Err(error(format!("expected `value i j k l`, found {} fields", fields.len())));
        }
        let value = parse_float(fields[0]).ok_or_else(|| error(format!("`{}` is not a number", fields[0])))?;
        let mut idx = [0usize; 4];
        for (slot, field) in idx.iter_mut().zip(&fields[1..]) {
            *slot = field
                .parse::<usize>()
                .ok()
                .filter(|&i| i <= n)
                .ok_or_else(|| error(format!("orbital index `{field}` is not in 0..={n}")))?;
        }
        match idx {
            [0, 0, 0, 0] => core_energy = value,
            [i, 0, 0, 0] if i > 0 => {} // an orbital energy
            [i, j, 0, 0] if i > 0 && j > 0 => {
                h1[[i - 1, j - 1]] = value;
                h1[[j - 1, i - 1]] = value;
            }
            [i, j, k, l] if i > 0 && j > 0 && k > 0 && l > 0 => {
                let (i, j, k, l) = (i - 1, j - 1, k - 1, l - 1);
                for (a, b, c, d) in [(i, j, k, l), (k, l, i, j)] {
                    for (p, q) in [(a, b), (b, a)] {
                        for (r, s) in [(c, d), (d, c)] {
                            eri[[p, q, r, s]] = value;
                        }
                    }
                }
            }
            _ => return Err(error(format!("index pattern {idx:?} is none of (ij|kl), h_ij, ε_i, E_core"))),
        }
    }
    let n_alpha = (header.nelec as i64 + header.ms2) / 2;
    let n_beta = (header.nelec as i64 - header.ms2) / 2;
    let h = ActiveHamiltonian { core_energy, h1, eri, n_alpha: n_alpha as usize, n_beta: n_beta as usize };
    Ok((h, header))
}

/// A float in Fortran or C notation (`1.5D-3`, `1.5d-3`, `1.5E-3`, `.5`), finite.
fn parse_float(field: &str) -> Option<f64> {
    let v: f64 = field.replace(['D', 'd'], "e").parse().ok()?;
    v.is_finite().then_some(v)
}

/// The namelist and the index of the first line after it.
fn read_header(lines: &[&str]) -> Result<(FcidumpHeader, usize), FcidumpError> {
    let start = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
    let header_error = |line: usize, detail: String| FcidumpError::Header { line, detail };
    let first = lines.get(start).map(|l| l.trim_start().to_ascii_uppercase()).unwrap_or_default();
    let opener = ["&FCI", "$FCI"].into_iter().find(|o| first.starts_with(o));
    let Some(opener) = opener else {
        return Err(header_error(start + 1, "the file does not start with `&FCI`".into()));
    };
    let mut namelist = String::new();
    let mut end = None;
    for (index, raw) in lines.iter().enumerate().skip(start) {
        let mut upper = raw.to_ascii_uppercase();
        if index == start {
            upper = upper.trim_start()[opener.len()..].to_string();
        }
        let close = ["&END", "$END", "/"].iter().filter_map(|t| upper.find(t)).min();
        if let Some(at) = close {
            namelist.push_str(&upper[..at]);
            end = Some(index + 1);
            break;
        }
        namelist.push_str(&upper);
        namelist.push(' ');
    }
    let Some(body_start) = end else {
        return Err(header_error(start + 1, "the namelist is not closed by `&END` or `/`".into()));
    };
    let entries = namelist_entries(&namelist).map_err(|detail| header_error(start + 1, detail))?;
    let get = |key: &str| entries.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_slice());
    let integer = |key: &str, values: &[String]| -> Result<i64, FcidumpError> {
        match values {
            [one] => one.parse::<i64>().map_err(|_| header_error(start + 1, format!("{key}={one} is not an integer"))),
            _ => Err(header_error(start + 1, format!("{key} needs one integer, found {values:?}"))),
        }
    };
    let required = |key: &str| -> Result<i64, FcidumpError> {
        integer(key, get(key).ok_or_else(|| header_error(start + 1, format!("{key} is missing")))?)
    };
    let norb = required("NORB")?;
    let nelec = required("NELEC")?;
    let ms2 = get("MS2").map(|v| integer("MS2", v)).transpose()?.unwrap_or(0);
    let isym = get("ISYM").map(|v| integer("ISYM", v)).transpose()?.unwrap_or(1);
    if !(1..=MAX_ORBITALS as i64).contains(&norb) {
        return Err(header_error(start + 1, format!("NORB={norb} is not in 1..={MAX_ORBITALS}")));
    }
    let n_alpha2 = nelec + ms2;
    let n_beta2 = nelec - ms2;
    if nelec < 0 || n_alpha2 < 0 || n_beta2 < 0 || n_alpha2 % 2 != 0 || n_alpha2 / 2 > norb || n_beta2 / 2 > norb {
        return Err(header_error(
            start + 1,
            format!("NELEC={nelec}, MS2={ms2} give no valid (alpha, beta) counts in {norb} orbitals"),
        ));
    }
    if get("IUHF").is_some_and(|v| v.iter().any(|x| x != "0"))
        || get("UHF").is_some_and(|v| v.iter().any(|x| x.contains('T')))
    {
        return Err(header_error(start + 1, "spin-unrestricted (IUHF/UHF) files are not supported".into()));
    }
    let orbsym = match get("ORBSYM") {
        None => vec![1; norb as usize],
        Some(values) => {
            let symbols: Vec<i64> = values
                .iter()
                .map(|v| {
                    v.parse::<i64>()
                        .map_err(|_| header_error(start + 1, format!("ORBSYM entry `{v}` is not an integer")))
                })
                .collect::<Result<_, _>>()?;
            if symbols.len() != norb as usize {
                return Err(header_error(start + 1, format!("ORBSYM has {} entries for NORB={norb}", symbols.len())));
            }
            symbols
        }
    };
    let header = FcidumpHeader { norb: norb as usize, nelec: nelec as usize, ms2, orbsym, isym };
    Ok((header, body_start))
}

/// `KEY=v1,v2 … KEY2=…` (commas and spaces alike separate values) as (key, values) pairs.
fn namelist_entries(text: &str) -> Result<Vec<(String, Vec<String>)>, String> {
    let spaced = text.replace('=', " = ").replace(',', " ");
    let words: Vec<&str> = spaced.split_whitespace().collect();
    let mut entries: Vec<(String, Vec<String>)> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if words.get(i + 1) == Some(&"=") {
            let key = words[i];
            if !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!("`{key}` is not a namelist key"));
            }
            entries.push((key.to_string(), Vec::new()));
            i += 2;
        } else if words[i] == "=" {
            return Err("`=` without a key".into());
        } else {
            let Some((_, values)) = entries.last_mut() else {
                return Err(format!("`{}` before any `KEY=`", words[i]));
            };
            values.push(words[i].to_string());
            i += 1;
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> ActiveHamiltonian {
        let n = 3;
        let h1 = Array2::from_shape_fn((n, n), |(i, j)| -1.0 / (1.0 + i as f64 + j as f64));
        let pair = |a: usize, b: usize| a.max(b) * (a.max(b) + 1) / 2 + a.min(b);
        let eri = Array4::from_shape_fn((n, n, n, n), |(i, j, k, l)| {
            let (x, y) = (pair(i, j), pair(k, l));
            let v = 0.1 * (x.max(y) * (x.max(y) + 1) / 2 + x.min(y)) as f64 + 0.03;
            if (x.max(y), x.min(y)) == (pair(2, 1), pair(1, 0)) {
                0.0
            } else {
                v.sin() / 3.0
            }
        });
        ActiveHamiltonian { core_energy: 0.7137539936876182, h1, eri, n_alpha: 2, n_beta: 1 }
    }

    #[test]
    fn write_then_read_is_exact() {
        let h = small();
        let mut out = Vec::new();
        write(&h, &mut out).expect("writes");
        let text = String::from_utf8(out).expect("ascii");
        assert!(text.starts_with(" &FCI NORB=   3,NELEC= 3,MS2=1,\n  ORBSYM=1,1,1,\n  ISYM=1,\n &END\n"));
        let (back, header) = read(&text).expect("reads");
        assert_eq!(back, h);
        assert_eq!(header, FcidumpHeader { norb: 3, nelec: 3, ms2: 1, orbsym: vec![1, 1, 1], isym: 1 });
        // (32|21) and its partners are zero, so not written: 21 unique pairs minus one.
        assert_eq!(text.lines().skip(4).filter(|l| l.split_whitespace().nth(3).is_some_and(|k| k != "0")).count(), 20);
    }

    #[test]
    fn namelist_variations_and_fortran_exponents() {
        let body = "0.5D0 1 1 1 1\n-1.25d+0 1 1 0 0\n-0.5 2 1 0 0\n0.25 2 2 1 1\n -3.0 1 0 0 0\n1.5E0 0 0 0 0\n";
        for head in [
            "&FCI NORB=2,NELEC=2,MS2=0,ORBSYM=1,1,ISYM=1,&END\n",
            " &fci norb = 2, nelec = 2,\n  orbsym = 1 1 , isym=1 /\n",
            "$FCI NORB=2 NELEC=2 MS2=0 UHF=.FALSE. IUHF=0\n $END\n",
            "\n &FCI NORB=2,NELEC=2,MS2=0,\n  ORBSYM=1,1,\n  ISYM=1,\n &END\n",
        ] {
            let (h, header) = read(&format!("{head}{body}")).unwrap_or_else(|e| panic!("{head}: {e}"));
            assert_eq!((header.norb, header.nelec, h.n_alpha, h.n_beta), (2, 2, 1, 1), "{head}");
            assert_eq!((h.core_energy, h.h1[[0, 0]], h.h1[[0, 1]], h.h1[[1, 0]]), (1.5, -1.25, -0.5, -0.5));
            assert_eq!((h.eri[[0, 0, 0, 0]], h.eri[[1, 1, 0, 0]], h.eri[[0, 0, 1, 1]]), (0.5, 0.25, 0.25));
        }
    }

    #[test]
    fn malformed_files_are_errors_with_line_numbers() {
        let cases = [
            ("", 1),
            ("NORB=2\n", 1),
            ("&FCI NORB=2,NELEC=2\n1.0 1 1 1 1\n", 1),
            ("&FCI NELEC=2 &END\n", 1),
            ("&FCI NORB=x,NELEC=2 &END\n", 1),
            ("&FCI NORB=65,NELEC=2 &END\n", 1),
            ("&FCI NORB=2,NELEC=5 &END\n", 1),
            ("&FCI NORB=2,NELEC=2,MS2=1 &END\n", 1),
            ("&FCI NORB=2,NELEC=2,ORBSYM=1 &END\n", 1),
            ("&FCI NORB=2,NELEC=2,IUHF=1 &END\n", 1),
            ("&FCI NORB=2,NELEC=2 &END\n1.0 1 1 1\n", 2),
            ("&FCI NORB=2,NELEC=2 &END\n1.0 1 1 1 1\nabc 1 1 1 1\n", 3),
            ("&FCI NORB=2,NELEC=2 &END\n\n1.0 3 1 1 1\n", 3),
            ("&FCI NORB=2,NELEC=2 &END\n1.0 1 0 1 1\n", 2),
            ("&FCI NORB=2,NELEC=2 &END\nnan 1 1 1 1\n", 2),
            ("&FCI NORB=2,NELEC=2 &END\n1.0 -1 1 1 1\n", 2),
        ];
        for (text, line) in cases {
            let error = read(text).expect_err(text);
            let at = match &error {
                FcidumpError::Header { line, .. } | FcidumpError::Line { line, .. } => *line,
                other => panic!("{text}: {other}"),
            };
            assert_eq!(at, line, "{text}: {error}");
        }
        let mut bad = small();
        bad.h1[[0, 0]] = f64::INFINITY;
        assert!(matches!(write(&bad, &mut Vec::new()), Err(FcidumpError::Invalid { .. })));
    }

    /// Property: whatever is done to a valid file (bytes deleted, replaced or duplicated, lines
    /// cut), reading returns a value or an error and never panics. Deterministic (splitmix64).
    #[test]
    fn mangled_files_never_panic() {
        let mut out = Vec::new();
        write(&small(), &mut out).expect("writes");
        let original = out;
        let alphabet = b" \n,=&/$0123456789-+.eEdDNORBELCMS2FIYUHTX";
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move |bound: usize| {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) % bound.max(1) as u64) as usize
        };
        let mut errors = 0;
        for _ in 0..3000 {
            let mut bytes = original.clone();
            for _ in 0..1 + next(4) {
                let at = next(bytes.len());
                match next(4) {
                    0 => {
                        bytes.remove(at);
                    }
                    1 => bytes[at] = alphabet[next(alphabet.len())],
                    2 => bytes.insert(at, alphabet[next(alphabet.len())]),
                    _ => bytes.truncate(at),
                }
            }
            let text = String::from_utf8_lossy(&bytes);
            if read(&text).is_err() {
                errors += 1;
            }
        }
        assert!(errors > 100, "mutations should break some files ({errors})");
    }
}

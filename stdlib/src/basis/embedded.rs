//! The basis sets shipped with qdf, embedded at compile time and parsed on
//! first use.

use std::sync::OnceLock;

use super::BasisSet;

/// One shipped basis: its canonical name, file text and parse cache.
struct Embedded {
    name: &'static str,
    file: &'static str,
    source: &'static str,
    parsed: OnceLock<BasisSet>,
}

impl Embedded {
    const fn new(name: &'static str, file: &'static str, source: &'static str) -> Self {
        Self { name, file, source, parsed: OnceLock::new() }
    }
}

/// Canonical names, in the order of [`EMBEDDED`].
static NAMES: [&str; 11] = [
    "sto-3g",
    "3-21g",
    "6-31g",
    "6-31g*",
    "6-31g**",
    "6-311g**",
    "cc-pvdz",
    "cc-pvtz",
    "aug-cc-pvdz",
    "def2-svp",
    "def2-tzvp",
];

static EMBEDDED: [Embedded; 11] = [
    Embedded::new("sto-3g", "sto-3g.nw", include_str!("../../basis/sto-3g.nw")),
    Embedded::new("3-21g", "3-21g.nw", include_str!("../../basis/3-21g.nw")),
    Embedded::new("6-31g", "6-31g.nw", include_str!("../../basis/6-31g.nw")),
    Embedded::new("6-31g*", "6-31g_st.nw", include_str!("../../basis/6-31g_st.nw")),
    Embedded::new("6-31g**", "6-31g_stst.nw", include_str!("../../basis/6-31g_stst.nw")),
    Embedded::new("6-311g**", "6-311g_stst.nw", include_str!("../../basis/6-311g_stst.nw")),
    Embedded::new("cc-pvdz", "cc-pvdz.nw", include_str!("../../basis/cc-pvdz.nw")),
    Embedded::new("cc-pvtz", "cc-pvtz.nw", include_str!("../../basis/cc-pvtz.nw")),
    Embedded::new("aug-cc-pvdz", "aug-cc-pvdz.nw", include_str!("../../basis/aug-cc-pvdz.nw")),
    Embedded::new("def2-svp", "def2-svp.nw", include_str!("../../basis/def2-svp.nw")),
    Embedded::new("def2-tzvp", "def2-tzvp.nw", include_str!("../../basis/def2-tzvp.nw")),
];

/// Accepted spellings after normalisation (ASCII-lowercased, with `-`, `_` and
/// spaces removed), and the canonical name each stands for. Pople polarisation
/// may be written with stars or in parentheses: `*` = `(d)`, `**` = `(d,p)`.
const ALIASES: [(&str, &str); 14] = [
    ("sto3g", "sto-3g"),
    ("321g", "3-21g"),
    ("631g", "6-31g"),
    ("631g*", "6-31g*"),
    ("631g(d)", "6-31g*"),
    ("631g**", "6-31g**"),
    ("631g(d,p)", "6-31g**"),
    ("6311g**", "6-311g**"),
    ("6311g(d,p)", "6-311g**"),
    ("ccpvdz", "cc-pvdz"),
    ("ccpvtz", "cc-pvtz"),
    ("augccpvdz", "aug-cc-pvdz"),
    ("def2svp", "def2-svp"),
    ("def2tzvp", "def2-tzvp"),
];

/// Canonical (lowercase) names of the shipped basis sets, grouped by family:
/// `["sto-3g", "3-21g", "6-31g", "6-31g*", "6-31g**", "6-311g**", "cc-pvdz",
/// "cc-pvtz", "aug-cc-pvdz", "def2-svp", "def2-tzvp"]`.
pub fn basis_names() -> &'static [&'static str] {
    &NAMES
}

/// The canonical name of the shipped basis set `user` refers to.
///
/// Case-insensitive, ignores surrounding whitespace and the separators `-`, `_`
/// and space, and accepts `(d)` for `*` and `(d,p)` for `**`: "STO-3G", "sto3g"
/// -> "sto-3g"; "6-31G(d)" -> "6-31g*"; "6-311G(d, p)" -> "6-311g**";
/// "cc-pVDZ" -> "cc-pvdz"; "def2-SVP" -> "def2-svp". Returns `None` for a basis
/// that is not shipped (including related but different sets such as "6-311g"
/// or "aug-cc-pvtz"). Never panics.
pub fn canonical_basis_name(user: &str) -> Option<&'static str> {
    let key: String =
        user.trim().chars().filter(|c| !matches!(c, '-' | '_' | ' ')).map(|c| c.to_ascii_lowercase()).collect();
    ALIASES.iter().find(|(alias, _)| *alias == key).map(|&(_, canonical)| canonical)
}

fn embedded(name: &str) -> Option<&'static Embedded> {
    let canonical = canonical_basis_name(name)?;
    EMBEDDED.iter().find(|e| e.name == canonical)
}

/// The NWChem-format text of the shipped basis set `name` (any spelling
/// [`canonical_basis_name`] accepts), exactly as generated from the Basis Set
/// Exchange. `None` if `name` is not a shipped basis. No I/O; never panics.
pub fn basis_source(name: &str) -> Option<&'static str> {
    embedded(name).map(|e| e.source)
}

/// The shipped basis set `name` (any spelling [`canonical_basis_name`]
/// accepts), parsed on first use and cached for the life of the process;
/// thread-safe. Its [`BasisSet::name`] is the canonical name.
///
/// `None` if `name` is not a shipped basis. No I/O. The shipped files are
/// parsed by this crate's tests, so the parse cannot fail at run time; if it
/// did (a corrupted build), this panics naming the file.
pub fn load_basis(name: &str) -> Option<&'static BasisSet> {
    let e = embedded(name)?;
    Some(e.parsed.get_or_init(|| {
        BasisSet::from_nwchem(e.name, e.source)
            .unwrap_or_else(|err| panic!("shipped basis file stdlib/basis/{} does not parse: {err}", e.file))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_the_embedded_table() {
        let embedded: Vec<_> = EMBEDDED.iter().map(|e| e.name).collect();
        assert_eq!(basis_names(), embedded.as_slice());
        for name in basis_names() {
            assert_eq!(canonical_basis_name(name), Some(*name));
        }
    }

    #[test]
    fn every_shipped_file_parses() {
        for e in &EMBEDDED {
            let parsed = BasisSet::from_nwchem(e.name, e.source);
            assert!(parsed.is_ok(), "{}: {:?}", e.file, parsed.err());
        }
    }

    #[test]
    fn aliases() {
        let cases = [
            ("STO-3G", Some("sto-3g")),
            ("sto3g", Some("sto-3g")),
            (" sto_3g ", Some("sto-3g")),
            ("6-31G", Some("6-31g")),
            ("6-31g(d)", Some("6-31g*")),
            ("6-31G(D)", Some("6-31g*")),
            ("6-31G*", Some("6-31g*")),
            ("cc-pVDZ", Some("cc-pvdz")),
            ("CCPVDZ", Some("cc-pvdz")),
            ("3-21G", Some("3-21g")),
            ("6-31G**", Some("6-31g**")),
            ("6-31G(d,p)", Some("6-31g**")),
            ("6-31g(d, p)", Some("6-31g**")),
            ("6-311G**", Some("6-311g**")),
            ("6-311G(d,p)", Some("6-311g**")),
            ("cc-pVTZ", Some("cc-pvtz")),
            ("aug-cc-pVDZ", Some("aug-cc-pvdz")),
            ("def2-SVP", Some("def2-svp")),
            ("def2-TZVP", Some("def2-tzvp")),
            ("def2tzvp", Some("def2-tzvp")),
            ("6-31g***", None),
            ("6-31g(p)", None),
            ("6-311g", None),
            ("aug-cc-pvtz", None),
            ("def2-tzvpp", None),
            ("", None),
            ("sto-3gé", None),
        ];
        for (user, expected) in cases {
            assert_eq!(canonical_basis_name(user), expected, "{user:?}");
        }
    }

    #[test]
    fn load_caches_and_uses_canonical_name() {
        let a = load_basis("6-31G(d)").expect("shipped");
        let b = load_basis("6-31g*").expect("shipped");
        assert!(std::ptr::eq(a, b), "parsed once");
        assert_eq!(a.name, "6-31g*");
        assert!(load_basis("6-311g").is_none());
        assert!(basis_source("nope").is_none());
        assert!(basis_source("sto-3g").is_some_and(|s| s.contains("Basis Set Exchange")));
    }
}

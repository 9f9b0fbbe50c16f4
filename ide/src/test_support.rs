//! Fixtures for the feature tests: a document with a cursor marker, compiled without file access
//! except for the files given.

use qdf_compiler::FileLoader;

use crate::Analysis;

/// The cursor marker in test inputs.
pub(crate) const CURSOR: &str = "$0";

/// The text without its cursor marker, and the marker's offset. Panics (a broken test) when the
/// marker is missing.
pub(crate) fn cursor(input: &str) -> (String, usize) {
    let offset = input.find(CURSOR).expect("the test input has no $0 cursor marker");
    (format!("{}{}", &input[..offset], &input[offset + CURSOR.len()..]), offset)
}

/// Files served to the checker by name.
pub(crate) struct Files(pub &'static [(&'static str, &'static str)]);

impl FileLoader for Files {
    fn load(&self, path: &str) -> Result<String, String> {
        self.0
            .iter()
            .find(|(name, _)| *name == path)
            .map(|(_, text)| text.to_string())
            .ok_or_else(|| "No such file".into())
    }
}

/// The analysis of `text` named `spec.qdf`, with no files to read.
pub(crate) fn analysis(text: &str) -> Analysis {
    Analysis::new("spec.qdf", text, &Files(&[]))
}

/// `text` with each range wrapped in `«...»`, for showing ranges in expectations.
pub(crate) fn mark(text: &str, ranges: &[crate::TextRange]) -> String {
    let mut out = text.to_string();
    let mut sorted = ranges.to_vec();
    sorted.sort_by_key(|r| std::cmp::Reverse(r.start));
    for range in sorted {
        out.insert(range.end, '»');
        out.insert(range.start, '«');
    }
    out
}

/// A small spec using most constructs: an import, a scanned molecule, an active space, a mapping,
/// an ansatz and a generate on a stdlib device with overrides.
pub(crate) const SPEC: &str = r#"import std.targets.ionq

experiment demo {
  seed = 7
}

molecule h2 {
  geometry = xyz {
    H 0 0 0
    H 0 0 {r}
  }
  scan r = linspace(0.5 angstrom, 2.5 angstrom, 5)
  basis = "sto-3g"
}

active_space cas {
  molecule = h2
  electrons = 2
  orbitals = 2
}

mapping tapered {
  kind = parity
  two_qubit_reduction = on
}

ansatz ucc {
  kind = uccsd
  space = cas
  mapping = tapered
}

generate data {
  ansatz = ucc
  device = ionq.aria { fidelity_2q = 0.995 }
  noise = shots
  shots = 1e5 per_evaluation
  precision = 1.6 millihartree
}
"#;

/// [`SPEC`] with the cursor marker put before the `nth` (0-based) occurrence of `needle`, shifted
/// by `shift` bytes into it. Panics (a broken test) when there is no such occurrence.
pub(crate) fn spec_at(needle: &str, nth: usize, shift: usize) -> String {
    let at = SPEC.match_indices(needle).nth(nth).map(|(i, _)| i).expect("needle not in SPEC") + shift;
    format!("{}{CURSOR}{}", &SPEC[..at], &SPEC[at..])
}

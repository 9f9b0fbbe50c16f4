//! End-to-end test of `formats = [npz]`: `qdf run` writes `points.npz` next to `points.jsonl`, and
//! every number in it is bit for bit the one in the JSON Lines records.
//!
//! Numbers are read from the JSONL text with Rust's correctly rounded `f64` parser, not through
//! `serde_json::Value` (whose default float parsing may be off by one ulp), so "the same" means
//! the same bits.

use std::io::Cursor;

use npyz::NpyFile;

mod support;
use support::{qdf, scratch};

const SPEC: &str = r#"
molecule h2 {
  geometry = xyz {
    H 0 0 0
    H 0 0 {r}
  }
  scan r = linspace(0.6 angstrom, 1.0 angstrom, 3)
  basis = "sto-3g"
}

active_space cas {
  molecule = h2
  electrons = 2
  orbitals = 2
}

ansatz ucc {
  kind = uccsd
  space = cas
}

generate data {
  ansatz = ucc
  noise = none
  references = [hf, fci]
  record = [energy, params, dipole]
  formats = [jsonl, npz]
}
"#;

/// The JSON text of `"key"`'s value in a compact JSON line (a bracketed list or a scalar).
fn raw<'a>(line: &'a str, key: &str) -> &'a str {
    let pattern = format!("\"{key}\":");
    let start = line.find(&pattern).unwrap_or_else(|| panic!("{key} in {line}")) + pattern.len();
    let text = &line[start..];
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '[' => depth += 1,
            ']' if depth == 1 => return &text[..=i],
            ']' => depth -= 1,
            ',' | '}' if depth == 0 => return &text[..i],
            _ => {}
        }
    }
    text
}

/// The labels and numbers of a compact JSON list such as `[["hf",-1.1],["fci",-1.13]]`, in order:
/// each number is attached to the label before it.
fn labelled(text: &str) -> Vec<(String, Vec<f64>)> {
    let mut out: Vec<(String, Vec<f64>)> = Vec::new();
    for token in text.split(['[', ']', ',']).filter(|t| !t.is_empty()) {
        match token.strip_prefix('"') {
            Some(label) => out.push((label.trim_end_matches('"').to_string(), Vec::new())),
            None => out.last_mut().expect("a label first").1.push(token.parse().expect("a number")),
        }
    }
    out
}

fn numbers(text: &str) -> Vec<f64> {
    text.split(['[', ']', ',']).filter(|t| !t.is_empty()).map(|t| t.parse().expect("a number")).collect()
}

fn array<T: npyz::Deserialize>(archive: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str) -> (Vec<u64>, Vec<T>) {
    let file = archive.by_name(&format!("{name}.npy")).unwrap_or_else(|e| panic!("{name}: {e}"));
    let npy = NpyFile::new(file).expect("a .npy entry");
    let shape = npy.shape().to_vec();
    (shape, npy.into_vec().expect("the expected dtype"))
}

fn bits(values: &[f64]) -> Vec<u64> {
    values.iter().map(|x| x.to_bits()).collect()
}

#[test]
fn npz_holds_every_number_of_the_jsonl_records() {
    let dir = scratch("npz");
    let spec = dir.join("h2.qdf");
    std::fs::write(&spec, SPEC).expect("spec");
    let run_dir = dir.join("run");
    let out = qdf(&["run", &spec.display().to_string(), "--output", &run_dir.display().to_string()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));

    let jsonl = std::fs::read_to_string(run_dir.join("data/points.jsonl")).expect("points.jsonl");
    let lines: Vec<&str> = jsonl.lines().collect();
    assert_eq!(lines.len(), 3);
    let bytes = std::fs::read(run_dir.join("data/points.npz")).expect("points.npz");
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    let mut names: Vec<&str> = archive.file_names().collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "active_electrons.npy",
            "active_orbitals.npy",
            "atomic_numbers.npy",
            "charge.npy",
            "dipole_casci.npy",
            "dipole_hf.npy",
            "energy_fci.npy",
            "energy_hf.npy",
            "energy_vqe.npy",
            "molecule.npy",
            "multiplicity.npy",
            "ok.npy",
            "point.npy",
            "positions_bohr.npy",
            "qubits.npy",
            "scan_r.npy",
            "vqe_converged.npy",
            "vqe_gradient_norm.npy",
            "vqe_iterations.npy",
            "vqe_params.npy",
        ]
    );

    assert_eq!(array::<i64>(&mut archive, "point"), (vec![3], vec![0, 1, 2]));
    assert_eq!(array::<bool>(&mut archive, "ok").1, [true; 3]);
    assert_eq!(array::<i64>(&mut archive, "qubits").1, [4; 3]);
    assert_eq!(array::<i64>(&mut archive, "atomic_numbers"), (vec![3, 2], vec![1; 6]));
    let (shape, positions) = array::<f64>(&mut archive, "positions_bohr");
    assert_eq!(shape, [3, 2, 3]);
    let (shape, params) = array::<f64>(&mut archive, "vqe_params");
    let k = shape[1] as usize;
    assert_eq!(shape[0], 3);
    let (_, scan) = array::<f64>(&mut archive, "scan_r");

    for (i, line) in lines.iter().enumerate() {
        let stored = numbers(raw(line, "positions_bohr"));
        assert_eq!(bits(&positions[i * 6..][..6]), bits(&stored), "positions of point {i}");
        for (method, energy) in labelled(raw(line, "energies")) {
            let column = array::<f64>(&mut archive, &format!("energy_{method}")).1;
            assert_eq!(column[i].to_bits(), energy[0].to_bits(), "{method} energy of point {i}");
        }
        let stored = numbers(raw(line, "params"));
        assert_eq!(stored.len(), k, "UCCSD for H2 in the same space: the same parameter count everywhere");
        assert_eq!(bits(&params[i * k..][..k]), bits(&stored), "VQE parameters of point {i}");
        let stored = labelled(raw(line, "dipoles"));
        assert_eq!(stored.iter().map(|(m, _)| m.as_str()).collect::<Vec<_>>(), ["hf", "casci"]);
        for (method, dipole) in stored {
            let column = array::<f64>(&mut archive, &format!("dipole_{method}")).1;
            assert_eq!(bits(&column[i * 3..][..3]), bits(&dipole), "{method} dipole of point {i}");
        }
        assert_eq!(bits(&scan[i..=i]), bits(&labelled(raw(line, "scan"))[0].1), "scan value of point {i}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

//! The dataset store: one JSON Lines file per dataset, appended one finished point at a time.
//!
//! Each line is written whole and flushed to disk (`sync_data`) before the next point starts, so a
//! crash or Ctrl-C loses at most the point in progress. A half-written last line (the process died
//! mid-write) is ignored on reading and overwritten by the next append. Records carry the hash of
//! the VQE node they came from as `key`; a rerun skips every point whose key is already stored.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// One geometry point's results, as stored (QCSchema-flavoured: atomic units throughout).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PointRecord {
    /// Hash of the point's VQE node: identifies the work that produced this record.
    pub key: String,
    pub molecule: String,
    pub point: usize,
    /// Scan variable values at this point, normalised (bohr, radians, ...), by name.
    pub scan: Vec<(String, f64)>,
    pub symbols: Vec<String>,
    pub positions_bohr: Vec<[f64; 3]>,
    pub charge: i32,
    pub multiplicity: u32,
    pub basis: String,
    pub active_electrons: u32,
    pub active_orbitals: u32,
    pub qubits: u32,
    /// `ok`, or `failed` with `error` saying why.
    pub status: String,
    pub error: Option<String>,
    /// Energies in hartree by method: `hf`, `mp2`, `fci`/`casci`, `vqe`.
    pub energies: Vec<(String, f64)>,
    pub vqe: Option<VqeRecord>,
    /// Iterations the SCF took.
    pub scf_iterations: Option<usize>,
    /// What the dataset's `record` asks for beyond energies and VQE parameters.
    #[serde(default, skip_serializing_if = "Properties::is_empty")]
    pub properties: Properties,
}

/// Per-point properties a dataset records on request (`record = [dipole, rdm1, rdm2]`), and what
/// an automatic active space chose.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Properties {
    /// Dipole moments (e·bohr, origin at 0) by method: `hf` (the SCF density), `casci` (the exact
    /// active-space state, when it was solved).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dipoles: Vec<(String, [f64; 3])>,
    /// Spin-summed one-particle density matrix `γ_pq` of the exact active-space ground state, in
    /// the active orbitals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rdm1: Option<Vec<Vec<f64>>>,
    /// Spin-summed two-particle density matrix `Γ_pqrs` (PySCF's `make_rdm12` convention) of the
    /// same state, row-major `n⁴` values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rdm2: Option<Vec<f64>>,
    /// `⟨S²⟩` of an unrestricted SCF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spin_square: Option<f64>,
    /// MP2 natural-orbital occupations (descending), when they chose the active space.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub natural_occupations: Option<Vec<f64>>,
    /// The qubit Hamiltonian the VQE minimised (`record = [hamiltonian]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hamiltonian: Option<QubitHamiltonianRecord>,
    /// The outcomes of the final measured evaluation (`record = [counts]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counts: Option<Vec<GroupCountsRecord>>,
    /// Nuclear gradients `∂E/∂R` (hartree/bohr, one `[x, y, z]` per atom) by method
    /// (`record = [gradients]`), by central finite differences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gradients: Option<Vec<(String, Vec<[f64; 3]>)>>,
    /// Methods whose gradient was left out, with why (a VQE that did not converge, say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gradients_skipped: Option<Vec<(String, String)>>,
}

/// A qubit Hamiltonian `Σ c_k P_k` as data: Pauli strings OpenFermion-style (`X0 Y1 Z3`, the
/// empty string for the identity) with real coefficients in hartree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QubitHamiltonianRecord {
    pub n_qubits: u32,
    pub terms: Vec<(String, f64)>,
}

/// What one measurement group gave in the final evaluation at one noise scale. The group's
/// contribution to the energy is the mean over the outcomes of `Σ_i d_i (−1)^{|z_i ∧ b|}` for
/// the `observable`'s `(z_i, d_i)` (readout-corrected when readout mitigation is on); the
/// recorded energy is the constant term plus the groups' contributions (extrapolated over the
/// scales with zero-noise extrapolation).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupCountsRecord {
    /// The noise scale (1 without zero-noise extrapolation).
    pub scale: u32,
    pub group: usize,
    /// The Pauli strings the group measures.
    pub terms: Vec<String>,
    /// The diagonal observable scored on each outcome: Z strings and their coefficients.
    pub observable: Vec<(String, f64)>,
    pub shots: u64,
    /// Outcome bit strings, qubit 0 rightmost (Qiskit's order), with their counts.
    pub outcomes: Vec<(String, u64)>,
}

impl Properties {
    pub fn is_empty(&self) -> bool {
        *self == Properties::default()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VqeRecord {
    pub params: Vec<f64>,
    pub iterations: usize,
    /// Whether the exact gradient norm at `params` is within the optimiser's tolerance.
    pub converged: bool,
    /// `‖∂E/∂θ‖₂` at `params`, exact (adjoint), also for measured runs.
    pub gradient_norm: f64,
    /// ADAPT-VQE: the operators chosen, in order (one per parameter).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operators: Option<Vec<String>>,
    /// Measured runs: the exact, noiseless energy at `params` (the recorded `vqe` energy is the
    /// measured one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noiseless_energy: Option<f64>,
    /// Measured runs: the standard error of the measured `vqe` energy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard_error: Option<f64>,
    /// Measured runs: energy evaluations, the final measurement included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluations: Option<u64>,
    /// Measured runs: shots taken at this point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shots: Option<u64>,
    /// Why the optimiser stopped before its own criterion (the shot budget), if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
    /// Runs on IonQ's cloud: the job ids, in submission order (one per measurement group per
    /// evaluation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jobs: Option<Vec<String>>,
}

impl PointRecord {
    pub fn energy(&self, method: &str) -> Option<f64> {
        self.energies.iter().find(|(m, _)| m == method).map(|(_, e)| *e)
    }

    pub fn is_ok(&self) -> bool {
        self.status == "ok"
    }
}

/// An append-only JSON Lines file of [`PointRecord`]s.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    records: Vec<PointRecord>,
}

impl Store {
    /// Opens (creating if needed) the store at `path` and reads the records already there.
    /// Failure contract: I/O errors are returned; unreadable lines (a torn last write) are skipped.
    pub fn open(path: &Path) -> io::Result<Store> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let mut records = Vec::new();
        if path.exists() {
            let file = File::open(path)?;
            let mut good_len = 0u64;
            for line in BufReader::new(file).lines() {
                let line = line?;
                match serde_json::from_str::<PointRecord>(&line) {
                    Ok(record) => {
                        good_len += line.len() as u64 + 1;
                        records.push(record);
                    }
                    Err(_) => break,
                }
            }
            // Drop a torn tail so the next append starts on a clean line.
            OpenOptions::new().write(true).open(path)?.set_len(good_len)?;
        }
        Ok(Store { path: path.to_path_buf(), records })
    }

    pub fn records(&self) -> &[PointRecord] {
        &self.records
    }

    /// The latest record stored under `key`: a point recomputed (say, to record more properties)
    /// is appended again, and the newer record wins.
    pub fn find(&self, key: &str) -> Option<&PointRecord> {
        self.records.iter().rev().find(|r| r.key == key)
    }

    /// Appends a record and flushes it to disk before returning.
    pub fn append(&mut self, record: PointRecord) -> io::Result<()> {
        let mut line = serde_json::to_string(&record).map_err(io::Error::other)?;
        line.push('\n');
        let mut file = OpenOptions::new().create(true).append(true).open(&self.path)?;
        file.write_all(line.as_bytes())?;
        file.sync_data()?;
        self.records.push(record);
        Ok(())
    }
}

/// Writes `contents` to `path` atomically: a temporary file in the same directory, then a rename.
pub fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{}.tmp", path.file_name().and_then(|n| n.to_str()).unwrap_or("out")));
    {
        let mut file = File::create(&tmp)?;
        file.write_all(contents)?;
        file.sync_data()?;
    }
    fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(key: &str) -> PointRecord {
        PointRecord {
            key: key.into(),
            molecule: "h2".into(),
            point: 0,
            scan: vec![("r".into(), 1.4)],
            symbols: vec!["H".into(), "H".into()],
            positions_bohr: vec![[0.0; 3], [0.0, 0.0, 1.4]],
            charge: 0,
            multiplicity: 1,
            basis: "sto-3g".into(),
            active_electrons: 2,
            active_orbitals: 2,
            qubits: 4,
            status: "ok".into(),
            error: None,
            energies: vec![("hf".into(), -1.1167), ("vqe".into(), -1.1373)],
            vqe: None,
            scf_iterations: Some(3),
            properties: Properties::default(),
        }
    }

    #[test]
    fn appended_records_survive_reopening_and_a_torn_tail_is_dropped() {
        let dir = std::env::temp_dir().join(format!("qdf-store-{}", std::process::id()));
        let path = dir.join("points.jsonl");
        let _ = fs::remove_dir_all(&dir);
        let mut store = Store::open(&path).expect("open");
        store.append(record("a")).expect("append");
        store.append(record("b")).expect("append");
        // Simulate a crash in the middle of writing a third record.
        let mut file = OpenOptions::new().append(true).open(&path).expect("open");
        file.write_all(b"{\"key\":\"c\",\"molec").expect("write");
        drop(file);
        let mut store = Store::open(&path).expect("reopen");
        assert_eq!(store.records().iter().map(|r| r.key.as_str()).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(store.find("b").and_then(|r| r.energy("vqe")), Some(-1.1373));
        store.append(record("c")).expect("append after torn tail");
        let store = Store::open(&path).expect("reopen");
        assert_eq!(store.records().len(), 3);
        fs::remove_dir_all(&dir).ok();
    }
}

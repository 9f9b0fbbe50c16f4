//! What several runtime test binaries share: the VQE goldens of `tests/golden/vqe/` (PySCF's
//! active-space integrals and energies, OpenFermion's Jordan–Wigner Hamiltonian), the qubit
//! spaces built from them, and the seeded stream random-circuit tests draw from. Each binary
//! includes this module and uses part of it.
#![allow(dead_code)]

use std::path::Path;

use ndarray::{Array2, Array4};
use qdf_compiler::hir::MappingKind;
use qdf_runtime::qubit::{PauliString, PauliSum, QubitSpace};

/// One molecule of `tests/golden/vqe/`.
pub struct Golden {
    pub name: String,
    pub n_spatial: u32,
    pub n_alpha: u32,
    pub n_beta: u32,
    pub e_hf: f64,
    pub e_fci: f64,
    /// OpenFermion's Jordan–Wigner qubit Hamiltonian.
    pub hamiltonian: PauliSum,
    pub core_energy: f64,
    pub h1: Array2<f64>,
    pub eri: Array4<f64>,
}

/// `X0 Y1 Z3` as a Pauli string.
pub fn parse_string(text: &str) -> PauliString {
    text.split_whitespace().fold(PauliString::IDENTITY, |acc, factor| {
        let (p, q) = factor.split_at(1);
        let single = PauliString::single(p.chars().next().expect("a Pauli letter"), q.parse().expect("a qubit index"));
        assert_eq!((acc.x | acc.z) & (single.x | single.z), 0, "qubit repeated in {text}");
        PauliString { x: acc.x | single.x, z: acc.z | single.z }
    })
}

/// The golden `name` (`h2`, `lih`, ...).
pub fn golden(name: &str) -> Golden {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/vqe").join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let v: serde_json::Value = serde_json::from_str(&text).expect("golden JSON");
    let int = |k: &str| u32::try_from(v[k].as_u64().expect(k)).expect(k);
    let float = |k: &str| v[k].as_f64().expect(k);
    // h1 is stored as rows, eri flat; both read row-major.
    let numbers = |k: &str| -> Vec<f64> {
        let flat = |x: &serde_json::Value| -> Vec<f64> {
            match x.as_array() {
                Some(row) => row.iter().map(|y| y.as_f64().expect(k)).collect(),
                None => vec![x.as_f64().expect(k)],
            }
        };
        v[k].as_array().expect(k).iter().flat_map(flat).collect()
    };
    let n = int("n_spatial") as usize;
    let mut hamiltonian = PauliSum::new(int("n_qubits"));
    for term in v["terms"].as_array().expect("terms") {
        hamiltonian.add(parse_string(term[0].as_str().expect("string")), term[1].as_f64().expect("coefficient"));
    }
    Golden {
        name: name.to_string(),
        n_spatial: int("n_spatial"),
        n_alpha: int("n_alpha"),
        n_beta: int("n_beta"),
        e_hf: float("e_hf"),
        e_fci: float("e_fci"),
        hamiltonian,
        core_energy: float("core_energy"),
        h1: Array2::from_shape_vec((n, n), numbers("h1")).expect("h1 shape"),
        eri: Array4::from_shape_vec((n, n, n, n), numbers("eri")).expect("eri shape"),
    }
}

/// The qubit space of `g` under `mapping`, with the two-qubit reduction and tapering as asked,
/// and its Hamiltonian.
pub fn space(g: &Golden, mapping: MappingKind, reduction: bool, tapering: bool) -> (QubitSpace, PauliSum) {
    QubitSpace::build(
        mapping,
        reduction,
        tapering,
        g.n_spatial,
        g.n_alpha,
        g.n_beta,
        g.core_energy,
        g.h1.view(),
        g.eri.view(),
    )
    .expect("qubit space")
}

/// A seeded pseudo-random stream (SplitMix64), so a random-circuit test reproduces its failures.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A draw in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// A uniform draw in `[0, 1)` with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

use std::io::Cursor;

use npyz::NpyFile;

use super::npz;
use crate::run::store::{PointRecord, Properties, VqeRecord};

fn record(molecule: &str, point: usize, symbols: &[&str]) -> PointRecord {
    PointRecord {
        key: format!("{molecule}-{point}"),
        molecule: molecule.into(),
        point,
        scan: vec![("r".into(), 1.0 + point as f64)],
        symbols: symbols.iter().map(|s| s.to_string()).collect(),
        positions_bohr: (0..symbols.len()).map(|a| [0.5 * a as f64, -0.25, 1.0 + point as f64]).collect(),
        charge: 0,
        multiplicity: 1,
        basis: "sto-3g".into(),
        active_electrons: 2,
        active_orbitals: 2,
        qubits: 4,
        status: "ok".into(),
        error: None,
        energies: Vec::new(),
        vqe: None,
        scf_iterations: Some(4),
        properties: Properties::default(),
    }
}

/// H2 (exact VQE, dipole, densities), a failed water point, LiH (measured VQE, CCSD(T)).
fn records() -> Vec<PointRecord> {
    let mut h2 = record("h2", 0, &["H", "H"]);
    h2.energies = vec![("hf".into(), -1.1167), ("fci".into(), -1.1373), ("vqe".into(), -1.13729)];
    h2.vqe = Some(VqeRecord {
        params: vec![0.125, -0.0625],
        iterations: 7,
        converged: true,
        gradient_norm: 3e-9,
        ..VqeRecord::default()
    });
    h2.properties.dipoles = vec![("hf".into(), [0.0, 0.0, 0.25])];
    h2.properties.rdm1 = Some(vec![vec![1.96, 0.01], vec![0.01, 0.04]]);
    h2.properties.rdm2 = Some((0..16).map(|k| k as f64).collect());

    let mut water = record("h2o", 1, &["O", "H", "H"]);
    water.scan = vec![("theta".into(), 1.8)];
    water.status = "failed".into();
    water.error = Some("SCF did not converge".into());
    water.scf_iterations = None;
    water.qubits = 8;

    let mut lih = record("lih", 2, &["Li", "H"]);
    lih.charge = 1;
    lih.multiplicity = 2;
    lih.active_orbitals = 1;
    lih.energies = vec![("hf".into(), -7.86), ("ccsd(t)".into(), -7.88), ("vqe".into(), -7.87)];
    lih.vqe = Some(VqeRecord {
        params: vec![0.5],
        iterations: 30,
        gradient_norm: 0.02,
        noiseless_energy: Some(-7.875),
        standard_error: Some(0.004),
        evaluations: Some(61),
        shots: Some(61_000),
        ..VqeRecord::default()
    });
    lih.properties.dipoles = vec![("casci".into(), [0.1, 0.2, -1.5])];
    lih.properties.rdm1 = Some(vec![vec![2.0]]);
    lih.properties.rdm2 = Some(vec![2.0]);
    vec![h2, water, lih]
}

/// A `.npz` read back through the zip and npyz readers.
struct Archive(zip::ZipArchive<Cursor<Vec<u8>>>);

impl Archive {
    fn new(bytes: Vec<u8>) -> Archive {
        Archive(zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive"))
    }

    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .0
            .file_names()
            .map(|f| npyz::npz::array_name_from_file_name(f).expect("only .npy entries").to_string())
            .collect();
        names.sort();
        names
    }

    fn array<T: npyz::Deserialize>(&mut self, name: &str) -> (Vec<u64>, Vec<T>) {
        let file = self.0.by_name(&npyz::npz::file_name_from_array_name(name)).expect(name);
        let npy = NpyFile::new(file).expect("a .npy entry");
        let shape = npy.shape().to_vec();
        (shape, npy.into_vec().expect("values of the expected dtype"))
    }
}

/// Bitwise equality, NaN included.
fn same(actual: &[f64], expected: &[f64]) -> bool {
    actual.len() == expected.len() && actual.iter().zip(expected).all(|(a, e)| a.to_bits() == e.to_bits())
}

const NAN: f64 = f64::NAN;

#[test]
fn every_record_is_a_row_with_nan_padding() {
    let mut archive = Archive::new(npz(&records()).expect("archive"));
    let mut expected = vec![
        "point",
        "ok",
        "molecule",
        "charge",
        "multiplicity",
        "active_electrons",
        "active_orbitals",
        "qubits",
        "atomic_numbers",
        "positions_bohr",
        "energy_hf",
        "energy_fci",
        "energy_vqe",
        "energy_ccsd_t_",
        "scan_r",
        "scan_theta",
        "vqe_params",
        "vqe_gradient_norm",
        "vqe_iterations",
        "vqe_converged",
        "vqe_standard_error",
        "vqe_noiseless_energy",
        "vqe_shots",
        "vqe_evaluations",
        "dipole_hf",
        "dipole_casci",
        "rdm1",
        "rdm2",
    ];
    expected.sort_unstable();
    assert_eq!(archive.names(), expected);

    assert_eq!(archive.array::<i64>("point"), (vec![3], vec![0, 1, 2]));
    assert_eq!(archive.array::<bool>("ok"), (vec![3], vec![true, false, true]));
    assert_eq!(archive.array::<String>("molecule").1, ["h2", "h2o", "lih"]);
    assert_eq!(archive.array::<i64>("charge").1, [0, 0, 1]);
    assert_eq!(archive.array::<i64>("multiplicity").1, [1, 1, 2]);
    assert_eq!(archive.array::<i64>("qubits").1, [4, 8, 4]);
    assert_eq!(archive.array::<i64>("active_orbitals").1, [2, 2, 1]);

    // Three atoms at most: H2 and LiH are padded with Z = 0 and NaN positions.
    assert_eq!(archive.array::<i64>("atomic_numbers"), (vec![3, 3], vec![1, 1, 0, 8, 1, 1, 3, 1, 0]));
    let (shape, positions) = archive.array::<f64>("positions_bohr");
    assert_eq!(shape, [3, 3, 3]);
    #[rustfmt::skip]
    let want = [
        0.0, -0.25, 1.0,   0.5, -0.25, 1.0,   NAN, NAN, NAN,
        0.0, -0.25, 2.0,   0.5, -0.25, 2.0,   1.0, -0.25, 2.0,
        0.0, -0.25, 3.0,   0.5, -0.25, 3.0,   NAN, NAN, NAN,
    ];
    assert!(same(&positions, &want), "{positions:?}");

    let energy = |archive: &mut Archive, method: &str| archive.array::<f64>(&format!("energy_{method}")).1;
    assert!(same(&energy(&mut archive, "hf"), &[-1.1167, NAN, -7.86]));
    assert!(same(&energy(&mut archive, "fci"), &[-1.1373, NAN, NAN]));
    assert!(same(&energy(&mut archive, "vqe"), &[-1.13729, NAN, -7.87]));
    assert!(same(&energy(&mut archive, "ccsd_t_"), &[NAN, NAN, -7.88]));
    assert!(same(&archive.array::<f64>("scan_r").1, &[1.0, NAN, 3.0]));
    assert!(same(&archive.array::<f64>("scan_theta").1, &[NAN, 1.8, NAN]));

    let (shape, params) = archive.array::<f64>("vqe_params");
    assert_eq!(shape, [3, 2]);
    assert!(same(&params, &[0.125, -0.0625, NAN, NAN, 0.5, NAN]), "{params:?}");
    assert!(same(&archive.array::<f64>("vqe_gradient_norm").1, &[3e-9, NAN, 0.02]));
    assert_eq!(archive.array::<i64>("vqe_iterations").1, [7, -1, 30]);
    assert_eq!(archive.array::<bool>("vqe_converged").1, [true, false, false]);
    assert!(same(&archive.array::<f64>("vqe_standard_error").1, &[NAN, NAN, 0.004]));
    assert!(same(&archive.array::<f64>("vqe_noiseless_energy").1, &[NAN, NAN, -7.875]));
    assert_eq!(archive.array::<i64>("vqe_shots").1, [-1, -1, 61_000]);
    assert_eq!(archive.array::<i64>("vqe_evaluations").1, [-1, -1, 61]);

    assert_eq!(archive.array::<f64>("dipole_hf").0, [3, 3]);
    assert!(same(&archive.array::<f64>("dipole_hf").1, &[0.0, 0.0, 0.25, NAN, NAN, NAN, NAN, NAN, NAN]));
    assert!(same(&archive.array::<f64>("dipole_casci").1, &[NAN, NAN, NAN, NAN, NAN, NAN, 0.1, 0.2, -1.5]));

    let (shape, rdm1) = archive.array::<f64>("rdm1");
    assert_eq!(shape, [3, 2, 2]);
    assert!(same(&rdm1, &[1.96, 0.01, 0.01, 0.04, NAN, NAN, NAN, NAN, 2.0, NAN, NAN, NAN]), "{rdm1:?}");
    let (shape, rdm2) = archive.array::<f64>("rdm2");
    assert_eq!(shape, [3, 2, 2, 2, 2]);
    assert!(same(&rdm2[..16], &(0..16).map(|k| k as f64).collect::<Vec<_>>()));
    assert!(rdm2[16..32].iter().all(|x| x.is_nan()));
    // LiH's single active orbital: Γ_0000 first, NaN everywhere else in its block.
    assert_eq!(rdm2[32], 2.0);
    assert!(rdm2[33..].iter().all(|x| x.is_nan()));
}

#[test]
fn optional_families_appear_only_when_some_record_has_them() {
    let mut plain = record("h2", 0, &["H", "H"]);
    plain.energies = vec![("hf".into(), -1.1)];
    let mut archive = Archive::new(npz(&[plain]).expect("archive"));
    assert!(!archive.names().iter().any(|n| n.starts_with("vqe") || n.starts_with("dipole") || n.starts_with("rdm")));
    assert_eq!(archive.array::<f64>("energy_hf"), (vec![1], vec![-1.1]));

    // An empty dataset is still an archive, with zero rows.
    let mut empty = Archive::new(npz(&[]).expect("archive"));
    assert_eq!(empty.array::<f64>("positions_bohr").0, [0, 0, 3]);
}

#[test]
fn the_same_records_give_the_same_bytes() {
    assert_eq!(npz(&records()).expect("archive"), npz(&records()).expect("archive"));
}

#[test]
fn clashing_names_unknown_elements_and_ragged_rdm2_are_errors() {
    let mut clash = record("h2", 0, &["H", "H"]);
    clash.energies = vec![("ccsd(t)".into(), -1.0), ("ccsd_t_".into(), -1.0)];
    let err = npz(&[clash]).expect_err("clash");
    assert!(err.contains("`energy_ccsd_t_`"), "{err}");

    let ghost = record("h2", 0, &["H", "Xx"]);
    let err = npz(&[ghost]).expect_err("not an element");
    assert!(err.contains("`Xx` is not a chemical element"), "{err}");

    let mut ragged = record("h2", 0, &["H", "H"]);
    ragged.properties.rdm2 = Some(vec![0.0; 15]);
    let err = npz(&[ragged]).expect_err("not n⁴");
    assert!(err.contains("15 values"), "{err}");
}

#[test]
fn gradients_are_atoms_by_axes_per_method() {
    let mut h2 = record("h2", 0, &["H", "H"]);
    h2.properties.gradients = Some(vec![("hf".into(), vec![[0.0, 0.0, -0.02], [0.0, 0.0, 0.02]])]);
    let water = record("h2o", 1, &["O", "H", "H"]);
    let mut archive = Archive::new(npz(&[h2, water]).expect("archive"));
    let (shape, values) = archive.array::<f64>("gradient_hf");
    assert_eq!(shape, [2, 3, 3]);
    #[rustfmt::skip]
    let want = [0.0, 0.0, -0.02,  0.0, 0.0, 0.02,  NAN, NAN, NAN,  NAN, NAN, NAN,  NAN, NAN, NAN,  NAN, NAN, NAN];
    assert!(same(&values, &want), "{values:?}");
}

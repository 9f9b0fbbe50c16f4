//! The schema of every declaration kind: its fields, their types, defaults and documentation.
//!
//! This table is the single source of truth for what a block may contain. The checker reads fields
//! through it, `docs/language.md` is tested against it, and editor hover and completion will read
//! it too.

use crate::units::Dim;

/// The kinds of declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DeclKind {
    Experiment,
    Molecule,
    MoleculeSet,
    ActiveSpace,
    Mapping,
    Ansatz,
    Device,
    Noise,
    Generate,
    Model,
    Train,
    Compare,
}

impl DeclKind {
    pub const ALL: [DeclKind; 12] = [
        DeclKind::Experiment,
        DeclKind::Molecule,
        DeclKind::MoleculeSet,
        DeclKind::ActiveSpace,
        DeclKind::Mapping,
        DeclKind::Ansatz,
        DeclKind::Device,
        DeclKind::Noise,
        DeclKind::Generate,
        DeclKind::Model,
        DeclKind::Train,
        DeclKind::Compare,
    ];

    pub fn keyword(self) -> &'static str {
        match self {
            DeclKind::Experiment => "experiment",
            DeclKind::Molecule => "molecule",
            DeclKind::MoleculeSet => "molecule_set",
            DeclKind::ActiveSpace => "active_space",
            DeclKind::Mapping => "mapping",
            DeclKind::Ansatz => "ansatz",
            DeclKind::Device => "device",
            DeclKind::Noise => "noise",
            DeclKind::Generate => "generate",
            DeclKind::Model => "model",
            DeclKind::Train => "train",
            DeclKind::Compare => "compare",
        }
    }

    /// "a molecule", "an experiment", "an ansatz".
    pub fn with_article(self) -> String {
        let keyword = self.keyword();
        let article = if keyword.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        format!("{article} {keyword}")
    }

    pub fn from_keyword(word: &str) -> Option<DeclKind> {
        DeclKind::ALL.into_iter().find(|k| k.keyword() == word)
    }

    /// One sentence saying what the declaration is for.
    pub fn summary(self) -> &'static str {
        match self {
            DeclKind::Experiment => "Names the experiment and fixes its seed; at most one per spec.",
            DeclKind::Molecule => "A molecule: geometry (possibly scanned), basis set, charge and multiplicity.",
            DeclKind::MoleculeSet => "Several molecules treated alike by the declarations that use the set.",
            DeclKind::ActiveSpace => "The orbitals and electrons treated on the quantum computer.",
            DeclKind::Mapping => "How fermionic operators become qubit operators.",
            DeclKind::Ansatz => "The parametrised circuit that prepares trial states.",
            DeclKind::Device => "A quantum device: qubits, native gates, fidelities, timings and prices.",
            DeclKind::Noise => "A noise model, from a device's figures or given explicitly.",
            DeclKind::Generate => "A data-generation run: VQE at every geometry point, with references.",
            DeclKind::Model => "A machine-learning model architecture.",
            DeclKind::Train => "Training a model on generated data.",
            DeclKind::Compare => "The same training repeated with different label sources, scored against the truth.",
        }
    }

    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            DeclKind::Experiment => EXPERIMENT,
            DeclKind::Molecule => MOLECULE,
            DeclKind::MoleculeSet => MOLECULE_SET,
            DeclKind::ActiveSpace => ACTIVE_SPACE,
            DeclKind::Mapping => MAPPING,
            DeclKind::Ansatz => ANSATZ,
            DeclKind::Device => DEVICE,
            DeclKind::Noise => NOISE,
            DeclKind::Generate => GENERATE,
            DeclKind::Model => MODEL,
            DeclKind::Train => TRAIN,
            DeclKind::Compare => COMPARE,
        }
    }

    pub fn field(self, name: &str) -> Option<&'static FieldSpec> {
        self.fields().iter().find(|f| f.name == name)
    }
}

/// What a field accepts. The checker enforces it; docs print it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Ty {
    /// A whole number in `[min, max]`.
    Int { min: i64, max: i64 },
    /// A plain number in `[min, max]`.
    Real { min: f64, max: f64 },
    /// A quantity of this dimension, with a unit.
    Quantity(Dim),
    /// `on`/`off` (also `true`/`false`).
    Bool,
    /// A string in double quotes.
    Text,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// A list of these words.
    Choices(&'static [&'static str]),
    /// A list of whole numbers at least `min`.
    Ints { min: i64 },
    /// The name of a declaration of one of these kinds.
    Ref(&'static [DeclKind]),
    /// A list of names of declarations of this kind.
    Refs(DeclKind),
    /// A value with its own syntax, described in `about`.
    Special(&'static str),
}

/// One field of a declaration kind.
#[derive(Clone, Copy, Debug)]
pub struct FieldSpec {
    pub name: &'static str,
    pub ty: Ty,
    /// The default as written in a spec, or `None` for a required field (or one with no default).
    pub default: Option<&'static str>,
    pub required: bool,
    /// For fields that only apply to some `kind`s (ansatz options, model options).
    pub only_for: Option<&'static [&'static str]>,
    pub doc: &'static str,
}

const fn field(name: &'static str, ty: Ty, default: Option<&'static str>, doc: &'static str) -> FieldSpec {
    FieldSpec { name, ty, default, required: false, only_for: None, doc }
}

const fn required(name: &'static str, ty: Ty, doc: &'static str) -> FieldSpec {
    FieldSpec { name, ty, default: None, required: true, only_for: None, doc }
}

const fn for_kinds(spec: FieldSpec, kinds: &'static [&'static str]) -> FieldSpec {
    FieldSpec { only_for: Some(kinds), ..spec }
}

const fn int(min: i64, max: i64) -> Ty {
    Ty::Int { min, max }
}

const fn real(min: f64, max: f64) -> Ty {
    Ty::Real { min, max }
}

const SEED_MAX: i64 = u32::MAX as i64;
const COUNT_MAX: i64 = 1_000_000_000;

pub const SCF_KINDS: &[&str] = &["rhf", "uhf", "rohf"];
pub const ACTIVE_SELECTIONS: &[&str] = &["canonical", "mp2_natural_orbitals"];
pub const METHODS: &[&str] = &["hf", "mp2", "ccsd", "ccsd_t", "casci", "fci"];
pub const LABELS: &[&str] = &["vqe", "hf", "mp2", "ccsd", "ccsd_t", "casci", "fci"];
pub const MAPPINGS: &[&str] = &["jordan_wigner", "bravyi_kitaev", "parity"];
pub const ANSATZ_KINDS: &[&str] = &["hf", "uccsd", "kupccgsd", "hardware_efficient", "adapt", "particle_conserving"];
pub const OPTIMIZERS: &[&str] = &["lbfgs", "bfgs", "cobyla", "nelder_mead", "spsa", "adam", "gradient_descent"];
pub const NATIVE_GATES: &[&str] = &["gpi", "gpi2", "ms", "zz", "u1q", "rzz"];
pub const NOISE_LEVELS: &[&str] = &["none", "shots", "device"];
pub const EXECUTIONS: &[&str] = &["simulator", "ionq"];
pub const MITIGATIONS: &[&str] = &["readout", "zne"];
pub const GROUPINGS: &[&str] = &["qubit_wise", "commuting", "none"];
pub const SHOT_ALLOCATIONS: &[&str] = &["uniform", "weighted", "variance_optimal"];
pub const RECORDABLE: &[&str] = &["energy", "params", "rdm1", "rdm2", "dipole", "gradients", "counts", "hamiltonian"];
pub const FORMATS: &[&str] = &["jsonl", "extxyz", "npz", "fcidump"];
pub const SPLITS: &[&str] = &["random", "extrapolate", "interpolate"];

const EXPERIMENT: &[FieldSpec] = &[
    field(
        "seed",
        int(0, SEED_MAX),
        Some("0"),
        "Seed of every random choice in the run (shot sampling, initial parameters, data splits, model weights).",
    ),
    field("description", Ty::Text, None, "Free text recorded in every dataset's provenance."),
    field("output", Ty::Text, Some("\"runs/<experiment name>\""), "Directory of the run, relative to the spec."),
];

const MOLECULE: &[FieldSpec] = &[
    required("geometry", Ty::Special("`xyz { ... }`, `zmatrix { ... }` or `file(\"name.xyz\")`"), "The nuclear positions. Plain numbers are in `units`; `{expr}` interpolates an expression, typically a scan variable."),
    field("units", Ty::Choice(&["angstrom", "bohr"]), Some("angstrom"), "Unit of the plain numbers in `geometry` (Z-matrix angles are always degrees)."),
    field("basis", Ty::Special("a basis set name such as `\"cc-pvdz\"`, or `file(\"name.nw\")`"), Some("\"sto-3g\""), "Basis set: the name of a shipped set (sto-3g, 3-21g, 6-31g, 6-31g*, 6-31g**, 6-311g**, cc-pvdz, cc-pvtz, aug-cc-pvdz, def2-svp, def2-tzvp; case-insensitive, `6-31g(d,p)` for `6-31g**`), or `file(\"name.nw\")` to read one from an NWChem (`.nw`) or Gaussian94 (`.gbs`, `.g94`) file, relative to the spec."),
    field("charge", int(-20, 20), Some("0"), "Net charge in units of the elementary charge."),
    field("multiplicity", int(1, 20), Some("1"), "Spin multiplicity 2S+1."),
    field("scf", Ty::Choice(SCF_KINDS), Some("rhf for singlets, rohf otherwise"), "Mean-field method of the `hf` and `mp2` references: restricted closed-shell, unrestricted, or restricted open-shell Hartree–Fock (`mp2` on `uhf` is UMP2). Active spaces (casci, fci and the VQE) always take restricted orbitals: RHF, or ROHF for open shells."),
    field("scan_mode", Ty::Choice(&["grid", "zip"]), Some("grid"), "How several scans combine: every combination (`grid`) or element by element (`zip`, equal lengths)."),
];

const MOLECULE_SET: &[FieldSpec] = &[required("members", Ty::Refs(DeclKind::Molecule), "The molecules in the set.")];

const ACTIVE_SPACE: &[FieldSpec] = &[
    required("molecule", Ty::Ref(&[DeclKind::Molecule, DeclKind::MoleculeSet]), "The molecule (or set) the space belongs to."),
    field("electrons", int(0, 1000), Some("all electrons outside the frozen core"), "Number of active electrons."),
    field("orbitals", int(1, 1000), Some("all orbitals outside the frozen core"), "Number of active spatial orbitals."),
    field("frozen_core", Ty::Special("`on`, `off` or a number of orbitals"), Some("off"), "Doubly occupied orbitals kept out of the active space: `on` freezes PySCF's chemical core (`pyscf.data.elements.chemcore`: none for H–Be, 1 orbital for B–Mg, 5 for Al–Zn, 9 for Ga–Kr), a number freezes that many lowest orbitals."),
    field("orbital_indices", Ty::Ints { min: 1 }, None, "Explicit active orbitals, 1-based in order of orbital energy (as PySCF's `sort_mo`); `4..7` is 4, 5, 6, 7."),
    field("selection", Ty::Special("`canonical`, or `mp2_natural_orbitals` with optional settings: `mp2_natural_orbitals { max_orbitals = 8 }`"), Some("canonical"), "How the active orbitals are chosen: canonical SCF orbitals by counts around the Fermi level (or `orbital_indices`), or RHF-MP2 natural orbitals whose occupation lies between `min_occupation` and `max_occupation`, chosen anew at every geometry point (`electrons`, `orbitals` and `orbital_indices` then follow from the occupations and may not be given)."),
];

const MAPPING: &[FieldSpec] = &[
    required("kind", Ty::Choice(MAPPINGS), "The fermion-to-qubit transformation."),
    field(
        "two_qubit_reduction",
        Ty::Bool,
        Some("off"),
        "Drop the two qubits the parity mapping makes redundant (parity only).",
    ),
    field(
        "tapering",
        Ty::Bool,
        Some("off"),
        "Remove qubits by Z2 symmetries, in the sector of the Hartree–Fock state.",
    ),
];

const UCC: &[&str] = &["uccsd", "kupccgsd"];
const LAYERED: &[&str] = &["hardware_efficient", "particle_conserving"];

const ANSATZ: &[FieldSpec] = &[
    required("kind", Ty::Choice(ANSATZ_KINDS), "The ansatz family."),
    required("space", Ty::Ref(&[DeclKind::ActiveSpace]), "The active space it acts on."),
    field(
        "mapping",
        Ty::Special("a mapping kind (`jordan_wigner`, `bravyi_kitaev`, `parity`) or a `mapping` declaration"),
        Some("jordan_wigner"),
        "How the active-space Hamiltonian becomes a qubit operator.",
    ),
    for_kinds(field("trotter_steps", int(1, 100), Some("1"), "Trotter steps of the exponentiated excitations."), UCC),
    for_kinds(field("spin_adapted", Ty::Bool, Some("off"), "Use singlet spin-adapted excitations."), &["uccsd"]),
    for_kinds(
        field(
            "ordering",
            Ty::Choice(&["singles_first", "doubles_first"]),
            Some("singles_first"),
            "Order of the excitation terms in the product.",
        ),
        &["uccsd"],
    ),
    for_kinds(
        field("k", int(1, 20), Some("1"), "Number of repetitions of the generalised pair-doubles-and-singles block."),
        &["kupccgsd"],
    ),
    for_kinds(field("layers", int(1, 1000), Some("2"), "Number of rotation-plus-entangler layers."), LAYERED),
    for_kinds(
        field("rotations", Ty::Choices(&["rx", "ry", "rz"]), Some("[ry, rz]"), "Single-qubit rotations in each layer."),
        &["hardware_efficient"],
    ),
    for_kinds(
        field(
            "entanglement",
            Ty::Choice(&["linear", "circular", "full"]),
            Some("linear"),
            "Which qubit pairs each layer entangles.",
        ),
        &["hardware_efficient"],
    ),
    for_kinds(
        field(
            "pool",
            Ty::Choice(&["fermionic", "qubit_excitation"]),
            Some("fermionic"),
            "The operator pool ADAPT-VQE grows the ansatz from.",
        ),
        &["adapt"],
    ),
    for_kinds(
        field(
            "gradient_threshold",
            real(0.0, f64::INFINITY),
            Some("1e-3"),
            "ADAPT stops when every pool gradient is below this (hartree per radian).",
        ),
        &["adapt"],
    ),
    for_kinds(field("max_operators", int(1, 10_000), Some("50"), "ADAPT stops after this many operators."), &["adapt"]),
];

const DEVICE: &[FieldSpec] = &[
    field(
        "base",
        Ty::Ref(&[DeclKind::Device]),
        None,
        "A device whose figures this one starts from; every other field overrides.",
    ),
    field("qubits", int(1, 100_000), None, "Number of physical qubits. Required without `base`."),
    field("native_gates", Ty::Choices(NATIVE_GATES), None, "The native gate set. Required without `base`."),
    field(
        "connectivity",
        Ty::Choice(&["all_to_all", "linear"]),
        Some("all_to_all"),
        "Which qubit pairs a two-qubit gate may act on.",
    ),
    field("fidelity_1q", real(0.0, 1.0), None, "Average single-qubit gate fidelity. Required without `base`."),
    field("fidelity_2q", real(0.0, 1.0), None, "Average two-qubit gate fidelity. Required without `base`."),
    field("fidelity_spam", real(0.0, 1.0), Some("1"), "State-preparation-and-measurement fidelity."),
    field("time_1q", Ty::Quantity(Dim::TIME), None, "Duration of a single-qubit gate."),
    field("time_2q", Ty::Quantity(Dim::TIME), None, "Duration of a two-qubit gate."),
    field("time_readout", Ty::Quantity(Dim::TIME), None, "Duration of a measurement."),
    field("t1", Ty::Quantity(Dim::TIME), None, "Energy relaxation time."),
    field("t2", Ty::Quantity(Dim::TIME), None, "Dephasing time."),
    field("max_shots", int(1, COUNT_MAX), None, "Most shots one job may ask for."),
    field("price_1q", Ty::Quantity(Dim::MONEY), None, "Price per single-qubit gate per shot."),
    field("price_2q", Ty::Quantity(Dim::MONEY), None, "Price per two-qubit gate per shot."),
    field("price_minimum", Ty::Quantity(Dim::MONEY), None, "Minimum price of one job."),
    field("backend", Ty::Text, None, "The provider's backend name, e.g. \"qpu.aria-1\"."),
];

/// The device fields a record may override: all but `base` (the record's own base).
pub const DEVICE_OVERRIDES: &[FieldSpec] = DEVICE.split_at(1).1;

const NOISE: &[FieldSpec] = &[
    field("device", Ty::Ref(&[DeclKind::Device]), None, "Take every figure not given here from this device."),
    field("depolarizing_1q", real(0.0, 1.0), None, "Probability of a Pauli error (X, Y or Z, uniformly) after each single-qubit gate."),
    field("depolarizing_2q", real(0.0, 1.0), None, "Probability of a Pauli error (one of the 15 non-identity two-qubit Paulis, uniformly) after each two-qubit gate."),
    field("readout_error", real(0.0, 1.0), None, "Probability that a measured bit flips."),
    field("dephasing", Ty::Bool, Some("on"), "Dephase each gate's qubits over the gate's duration using T2 (idle qubits are not dephased)."),
];

const GENERATE: &[FieldSpec] = &[
    required("ansatz", Ty::Ref(&[DeclKind::Ansatz]), "The ansatz to optimise; it fixes the molecule, active space and mapping."),
    field("optimizer", Ty::Special("an optimizer name, optionally with settings: `lbfgs { max_iter = 200 }`"), Some("lbfgs"), "The classical optimiser of the VQE parameters (`spsa` when energies are measured)."),
    field("device", Ty::Special("a `device` declaration or a device with overrides: `ionq.aria { fidelity_2q = 0.99 }`"), None, "Target device; without one, the VQE runs on an ideal simulator."),
    field("noise", Ty::Special("`none`, `shots`, `device`, or a `noise` declaration"), Some("none"), "What noise the simulation includes: none (exact expectation values), shot noise only, or the device's noise model."),
    field("shots", Ty::Special("a count, optionally `per_evaluation` (the default) or `per_point`"), None, "Measurement shots."),
    field("budget", Ty::Special("a total in `shots` or `usd`"), None, "The most the whole run may spend."),
    field("precision", Ty::Quantity(Dim::ENERGY), None, "Target standard error of each energy evaluation; with `shots`, `qdf plan` (and `qdf check` for small systems) verifies the shots reach it, and without `shots` it decides the shots."),
    field("min_fidelity", real(0.0, 1.0), Some("0.5"), "The planner warns when a circuit's expected fidelity on the `device` (its native gate and SPAM fidelities multiplied) falls below this."),
    field("execute", Ty::Choice(EXECUTIONS), Some("simulator"), "Where energies are measured: on qdf's `simulator` (with the `noise` asked for), or on `ionq`'s cloud, one job per measurement group in the native gateset at the `device`'s `backend` (needs `shots`, and the key in the environment variable `IONQ_API_KEY`)."),
    field("mitigation", Ty::Choices(MITIGATIONS), Some("[]"), "Error mitigation of simulated device noise (`noise = device` or a `noise` declaration): `readout` undoes the device's readout error in the estimator; `zne` extrapolates to zero noise from the circuit with its two-qubit gates folded to each of the `zne_scales`."),
    field("zne_scales", Ty::Ints { min: 1 }, Some("[1, 3, 5]"), "Noise scales of zero-noise extrapolation: odd numbers `1 + 2k` (each two-qubit gate G run as G·(G†·G)^k), distinct, at least two. An evaluation's shots are split evenly over them; Richardson extrapolation to zero noise widens the standard error."),
    field("trajectories", int(2, 1_000_000), Some("100"), "Monte-Carlo trajectories per energy evaluation (and noise scale) where device noise is simulated on more qubits than the exact density matrix holds (13)."),
    field("grouping", Ty::Choice(GROUPINGS), Some("qubit_wise"), "How Hamiltonian terms share measurement settings: `qubit_wise` commuting groups (one single-qubit basis change per qubit), fully `commuting` groups (fewer groups; each needs a Clifford circuit with two-qubit gates), or `none` (every term measured alone)."),
    field("shot_allocation", Ty::Choice(SHOT_ALLOCATIONS), Some("variance_optimal"), "How an evaluation's shots are split over the measurement groups: `uniform`, `weighted` by the groups' coefficient sums, or `variance_optimal` (proportional to each group's standard deviation, which minimises the total)."),
    field("references", Ty::Choices(METHODS), Some("[hf, fci]"), "Classical reference energies computed at every point."),
    field("record", Ty::Choices(RECORDABLE), Some("[energy, params]"), "What each data record stores."),
    field("formats", Ty::Choices(FORMATS), Some("[jsonl, extxyz]"), "Dataset file formats."),
    field("output", Ty::Text, Some("the declaration's name"), "Dataset directory inside the run directory."),
    field("warm_start", Ty::Bool, Some("on"), "Start each point's optimisation from the neighbouring point's parameters."),
];

/// Settings of `selection = mp2_natural_orbitals { ... }` in an `active_space`.
pub const NATURAL_ORBITAL_FIELDS: &[FieldSpec] = &[
    field("min_occupation", real(0.0, 2.0), Some("0.02"), "Natural orbitals occupied less than this stay virtual."),
    field(
        "max_occupation",
        real(0.0, 2.0),
        Some("1.98"),
        "Natural orbitals occupied more than this stay doubly occupied (core).",
    ),
    field(
        "max_orbitals",
        int(1, 64),
        Some("16"),
        "Most active orbitals: beyond it the window narrows from the end closer to a whole occupation.",
    ),
];

pub const OPTIMIZER_FIELDS: &[FieldSpec] = &[
    field("max_iter", int(1, COUNT_MAX), Some("200"), "Most iterations."),
    field(
        "tolerance",
        real(0.0, f64::INFINITY),
        Some("1e-8"),
        "Convergence threshold on the gradient norm (gradient methods) or energy change.",
    ),
    field("learning_rate", real(0.0, f64::INFINITY), Some("0.01"), "Step size (adam, spsa, gradient_descent)."),
];

const MLP: &[&str] = &["mlp"];
const KRR: &[&str] = &["krr"];

const MODEL: &[FieldSpec] = &[
    field(
        "kind",
        Ty::Choice(&["mlp", "krr"]),
        Some("mlp"),
        "A multilayer perceptron (dfdx) or kernel ridge regression.",
    ),
    field(
        "features",
        Ty::Choice(&["inverse_distances", "coulomb_matrix"]),
        Some("inverse_distances"),
        "The descriptor computed from each geometry.",
    ),
    field(
        "target",
        Ty::Special("`energy` or `energy - <method>` (a Δ-learning target)"),
        Some("energy - hf"),
        "What the model predicts.",
    ),
    for_kinds(field("hidden", Ty::Ints { min: 1 }, Some("[64, 64]"), "Widths of the hidden layers."), MLP),
    for_kinds(
        field("activation", Ty::Choice(&["relu", "silu", "tanh", "gelu"]), Some("silu"), "Activation between layers."),
        MLP,
    ),
    for_kinds(field("kernel", Ty::Choice(&["rbf", "laplacian"]), Some("rbf"), "The kernel."), KRR),
    for_kinds(field("regularization", real(0.0, f64::INFINITY), Some("1e-8"), "Ridge parameter."), KRR),
    for_kinds(
        field("length_scale", real(0.0, f64::INFINITY), Some("1"), "Kernel length scale in descriptor units."),
        KRR,
    ),
];

const TRAIN: &[FieldSpec] = &[
    required("data", Ty::Ref(&[DeclKind::Generate]), "The generated dataset."),
    required("model", Ty::Ref(&[DeclKind::Model]), "The model to train."),
    field("labels", Ty::Choice(LABELS), Some("vqe"), "Which energies the model learns."),
    field("split", Ty::Special("`random(test = 0.2)`, `extrapolate(r > 2.0 angstrom)` or `interpolate(r < 1.0 angstrom)`"), Some("random(test = 0.2)"), "Which points are held out for testing: a random fraction, or the points where a condition on a scan variable holds."),
    field("epochs", int(1, COUNT_MAX), Some("1000"), "Training epochs (mlp)."),
    field("learning_rate", real(0.0, f64::INFINITY), Some("1e-3"), "Adam learning rate (mlp)."),
    field("batch_size", int(1, COUNT_MAX), Some("all training points"), "Mini-batch size (mlp)."),
    field("weight_decay", real(0.0, f64::INFINITY), Some("0"), "L2 penalty on the weights (mlp)."),
    field("seed", int(0, SEED_MAX), Some("the experiment's seed"), "Seed of weight initialisation and batching."),
];

const COMPARE: &[FieldSpec] = &[
    required("train", Ty::Ref(&[DeclKind::Train]), "The training protocol repeated for each label source."),
    required("labels", Ty::Choices(LABELS), "The label sources compared."),
    field("truth", Ty::Choice(&["fci", "casci", "ccsd_t"]), Some("fci"), "The reference every arm is scored against."),
    field(
        "metrics",
        Ty::Choices(&["mae", "rmse", "max_error", "within_chemical_accuracy"]),
        Some("[mae, rmse, max_error]"),
        "Scores reported per arm.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_are_unique_per_kind() {
        for kind in DeclKind::ALL {
            let fields = kind.fields();
            for (i, f) in fields.iter().enumerate() {
                assert!(fields[i + 1..].iter().all(|g| g.name != f.name), "{} twice in {kind:?}", f.name);
                assert!(!(f.required && f.default.is_some()), "{}: required with a default", f.name);
            }
            assert_eq!(DeclKind::from_keyword(kind.keyword()), Some(kind));
        }
    }
}

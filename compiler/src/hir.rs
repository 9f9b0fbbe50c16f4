//! The checked spec: every declaration resolved, typed and normalised to atomic units.
//!
//! The checker builds a [`Spec`] only from declarations without errors; references between
//! declarations are indices into the `Spec`'s vectors. Lengths are in bohr, energies in hartree,
//! angles in radians, times in seconds, prices in US dollars.

use serde::Serialize;

use crate::source::Span;

/// Index of a molecule in [`Spec::molecules`].
pub type MoleculeId = usize;

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Spec {
    pub experiment: Experiment,
    pub molecules: Vec<Molecule>,
    pub molecule_sets: Vec<MoleculeSet>,
    pub active_spaces: Vec<ActiveSpace>,
    pub ansatzes: Vec<Ansatz>,
    pub generates: Vec<Generate>,
    pub models: Vec<Model>,
    pub trains: Vec<Train>,
    pub compares: Vec<Compare>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Experiment {
    pub name: String,
    pub seed: u64,
    pub description: Option<String>,
    /// Run directory, relative to the spec.
    pub output: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Atom {
    pub z: u8,
    pub symbol: String,
    /// Cartesian position in bohr.
    pub position: [f64; 3],
}

/// One geometry of a molecule: a point of its scan (or its only geometry).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GeometryPoint {
    /// The scan variables' values at this point, in the order of [`Molecule::scan`], normalised.
    pub scan_values: Vec<f64>,
    pub atoms: Vec<Atom>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScanVariable {
    pub name: String,
    #[serde(skip)]
    pub dim: crate::units::Dim,
    /// The dimension's name, e.g. "length"; "a plain number" for counts.
    pub dimension: String,
    /// Normalised values.
    pub values: Vec<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Molecule {
    pub name: String,
    /// Canonical lowercase name of a shipped basis set, or the path of a basis file as written in
    /// the spec (`basis = file("my.nw")`).
    pub basis: String,
    /// The basis read from a file, restricted to the molecule's elements; `None` for a shipped
    /// basis, which `basis` names.
    pub basis_file: Option<qdf_stdlib::basis::BasisSet>,
    pub charge: i32,
    pub multiplicity: u32,
    /// The mean-field method of the `hf` and `mp2` references.
    pub scf: ScfKind,
    /// Electrons of the neutral atoms minus the charge.
    pub electrons: u32,
    /// Spherical basis functions (= spatial orbitals).
    pub basis_functions: usize,
    /// Doubly occupied orbitals of the chemical frozen core.
    pub chemical_core_orbitals: u32,
    pub scan: Vec<ScanVariable>,
    pub points: Vec<GeometryPoint>,
}

/// Which Hartree–Fock a molecule's references use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ScfKind {
    /// Restricted closed shell.
    Rhf,
    /// Unrestricted.
    Uhf,
    /// Restricted open shell.
    Rohf,
}

impl ScfKind {
    /// The spec's word for it: `rhf`, `uhf`, `rohf`.
    pub fn name(self) -> &'static str {
        match self {
            ScfKind::Rhf => "rhf",
            ScfKind::Uhf => "uhf",
            ScfKind::Rohf => "rohf",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MoleculeSet {
    pub name: String,
    pub members: Vec<MoleculeId>,
}

/// An active space resolved for one molecule.
///
/// With a [`NaturalOrbitalSelection`] the space is chosen at every geometry point by the runtime:
/// `electrons` and `orbitals` are then upper bounds (what the molecule has outside the frozen core,
/// capped at `max_orbitals`) and `orbital_indices` is empty.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResolvedSpace {
    pub molecule: MoleculeId,
    pub frozen_orbitals: u32,
    pub electrons: u32,
    pub orbitals: u32,
    /// Active orbitals, 0-based, ascending.
    pub orbital_indices: Vec<u32>,
    /// Automatic selection from MP2 natural orbitals, if asked for.
    pub natural_orbitals: Option<NaturalOrbitalSelection>,
}

/// `selection = mp2_natural_orbitals { ... }`: RHF-MP2 natural orbitals with occupation in
/// `(min_occupation, max_occupation)` are active, those above `max_occupation` doubly occupied.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct NaturalOrbitalSelection {
    pub min_occupation: f64,
    pub max_occupation: f64,
    pub max_orbitals: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ActiveSpace {
    pub name: String,
    /// One entry per molecule the space applies to (several for a molecule set).
    pub spaces: Vec<ResolvedSpace>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MappingKind {
    JordanWigner,
    BravyiKitaev,
    Parity,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mapping {
    pub kind: MappingKind,
    pub two_qubit_reduction: bool,
    pub tapering: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnsatzKind {
    Hf,
    Uccsd,
    Kupccgsd,
    HardwareEfficient,
    Adapt,
    ParticleConserving,
}

/// Every ansatz option, with defaults filled in; options of other kinds keep their defaults and
/// are ignored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AnsatzOptions {
    pub trotter_steps: u32,
    pub spin_adapted: bool,
    pub ordering: String,
    pub k: u32,
    pub layers: u32,
    pub rotations: Vec<String>,
    pub entanglement: String,
    pub pool: String,
    pub gradient_threshold: f64,
    pub max_operators: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ansatz {
    pub name: String,
    pub kind: AnsatzKind,
    /// Index into [`Spec::active_spaces`].
    pub space: usize,
    pub mapping: Mapping,
    pub options: AnsatzOptions,
}

/// A device with every figure resolved (its `base` chain and overrides applied).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Device {
    /// The name as referred to: `ionq.aria`, or a local declaration's name. For messages only: it
    /// is not serialised, so IR hashes do not depend on how a device is named.
    #[serde(skip)]
    pub name: String,
    pub qubits: u32,
    pub native_gates: Vec<String>,
    pub connectivity: String,
    pub fidelity_1q: f64,
    pub fidelity_2q: f64,
    pub fidelity_spam: f64,
    pub time_1q: Option<f64>,
    pub time_2q: Option<f64>,
    pub time_readout: Option<f64>,
    pub t1: Option<f64>,
    pub t2: Option<f64>,
    pub max_shots: Option<u64>,
    pub price_1q: Option<f64>,
    pub price_2q: Option<f64>,
    pub price_minimum: Option<f64>,
    pub backend: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NoiseModel {
    pub depolarizing_1q: f64,
    pub depolarizing_2q: f64,
    pub readout_error: f64,
    pub dephasing: bool,
    /// T2 and gate times for dephasing, from the device the model was derived from.
    pub t2: Option<f64>,
    pub time_1q: Option<f64>,
    pub time_2q: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "level")]
pub enum Noise {
    /// Exact expectation values.
    None,
    /// Sampling noise only.
    Shots,
    /// The given noise model plus sampling noise.
    Model(NoiseModel),
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Optimizer {
    pub kind: String,
    pub max_iter: u64,
    pub tolerance: f64,
    pub learning_rate: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShotScope {
    PerEvaluation,
    PerPoint,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Shots {
    pub count: u64,
    pub scope: ShotScope,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Budget {
    Shots(u64),
    Usd(f64),
}

/// How Hamiltonian terms are grouped into jointly measured sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    QubitWise,
    Commuting,
    None,
}

/// How an evaluation's shots are split over the measurement groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShotAllocation {
    Uniform,
    Weighted,
    VarianceOptimal,
}

/// Where a generate's energies are measured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Execute {
    /// qdf's simulator, with the generate's `noise`.
    #[default]
    Simulator,
    /// IonQ's cloud API, at the device's backend.
    Ionq,
}

impl Execute {
    pub fn is_simulator(&self) -> bool {
        *self == Execute::Simulator
    }
}

/// Error mitigation of simulated device noise.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Mitigation {
    /// Undo the device's readout error in the estimator.
    pub readout: bool,
    /// Zero-noise extrapolation from these noise scales (odd, distinct, ascending, at least two);
    /// empty for none.
    pub zne_scales: Vec<u32>,
}

impl Mitigation {
    pub fn is_none(&self) -> bool {
        !self.readout && self.zne_scales.is_empty()
    }
}

/// The measurement settings of a generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Measurement {
    pub grouping: Grouping,
    pub allocation: ShotAllocation,
}

/// Where a generate's budget-related fields are written, for diagnostics found after checking
/// (the shot planner needs the qubit Hamiltonian). Not serialised.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GenerateSpans {
    /// The declaration's name.
    pub name: Span,
    pub shots: Option<Span>,
    pub precision: Option<Span>,
    pub budget: Option<Span>,
    pub device: Option<Span>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Generate {
    pub name: String,
    /// Index into [`Spec::ansatzes`].
    pub ansatz: usize,
    pub optimizer: Optimizer,
    pub device: Option<Device>,
    pub noise: Noise,
    pub shots: Option<Shots>,
    pub budget: Option<Budget>,
    /// Target standard error of each energy, hartree.
    pub precision: Option<f64>,
    pub measurement: Measurement,
    pub execute: Execute,
    pub mitigation: Mitigation,
    /// Monte-Carlo trajectories per evaluation where device noise outgrows the density matrix;
    /// `None` for the runtime's default.
    pub trajectories: Option<u64>,
    /// The expected circuit fidelity below which the planner warns. Not in the IR: it changes
    /// no result.
    #[serde(skip)]
    pub min_fidelity: f64,
    pub references: Vec<String>,
    pub record: Vec<String>,
    pub formats: Vec<String>,
    pub output: String,
    pub warm_start: bool,
    #[serde(skip)]
    pub spans: GenerateSpans,
}

/// `energy` or `energy - <method>`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Target {
    pub baseline: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Model {
    /// Not serialised: IR hashes do not depend on declaration names.
    #[serde(skip)]
    pub name: String,
    pub kind: String,
    pub features: String,
    pub target: Target,
    pub hidden: Vec<u32>,
    pub activation: String,
    pub kernel: String,
    pub regularization: f64,
    pub length_scale: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Split {
    /// A seeded random fraction of the points is held out.
    Random { test: f64 },
    /// The points where `variable op value` holds are held out.
    Condition { strategy: String, variable: String, op: String, value: f64 },
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Train {
    pub name: String,
    /// Index into [`Spec::generates`].
    pub data: usize,
    /// Index into [`Spec::models`].
    pub model: usize,
    pub labels: String,
    pub split: Split,
    pub epochs: u64,
    pub learning_rate: f64,
    pub batch_size: Option<u64>,
    pub weight_decay: f64,
    pub seed: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Compare {
    pub name: String,
    /// Index into [`Spec::trains`].
    pub train: usize,
    pub labels: Vec<String>,
    pub truth: String,
    pub metrics: Vec<String>,
}

//! Command-line definitions and dispatch. Each subcommand lives in its own module; rendering of
//! diagnostics lives in `render`, the only place that knows about terminals and JSON.

mod build;
mod check;
mod fmt;
mod ir;
mod loader;
mod lsp;
mod plan;
pub mod render;
mod run;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// qdf checks, compiles and runs .qdf experiment specs: molecules, active spaces, mappings,
/// ansatzes, trapped-ion devices, shot budgets and ML models, turned into quantum-accurate
/// training data.
#[derive(Debug, Parser)]
#[command(name = "qdf", version, propagate_version = true)]
#[command(
    after_help = "Start with `qdf check examples/h2_dissociation.qdf`. The language reference is docs/language.md."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check specs for errors before any compute is spent: syntax, names, fields, units,
    /// geometries, electron counts, active spaces, devices, splits.
    ///
    /// Exits 0 when every spec is free of errors (warnings are allowed), 1 when any spec has
    /// errors, 2 when a file cannot be read.
    #[command(
        after_help = "Examples:\n  qdf check examples/*.qdf\n  qdf check spec.qdf --format json | jq '.files[].diagnostics'"
    )]
    Check {
        /// The .qdf files to check.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// How to print diagnostics: `human` (coloured on a terminal) or `json` for tools.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Print a spec's experiment IR as JSON: the content-hashed DAG of tasks (geometry points,
    /// SCF, active spaces, qubit Hamiltonians, circuits, VQE jobs, datasets, training, report)
    /// that `qdf run` executes.
    ///
    /// Node hashes ignore comments, layout and names, so they identify the work itself. A spec
    /// with errors prints its diagnostics instead and exits 1.
    #[command(after_help = "Example:\n  qdf ir examples/h2_dissociation.qdf | jq '.nodes | length'")]
    Ir {
        /// The .qdf file.
        file: PathBuf,
        /// How to print diagnostics if the spec has errors.
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Run a spec: electronic structure at every geometry point (integrals, RHF, MP2, FCI in the
    /// active space), the Jordan–Wigner qubit Hamiltonian, UCCSD-VQE on an exact state-vector
    /// simulator, datasets (JSON Lines and extended XYZ), model training and comparisons, and a
    /// report with plots.
    ///
    /// Every finished point is saved before the next starts; running again reuses them, so an
    /// interrupted run (Ctrl-C, exit 130) continues where it stopped. Exits 1 when the spec has
    /// errors or asks for what the runtime does not execute yet (nothing is computed then).
    #[command(
        after_help = "Examples:\n  qdf run examples/h2_dissociation.qdf\n  qdf run spec.qdf --output /scratch/run1 --format json"
    )]
    Run {
        /// The .qdf file.
        file: PathBuf,
        /// The run directory (default: the experiment's `output`, relative to the spec).
        #[arg(long)]
        output: Option<PathBuf>,
        /// `human` (progress bars, summary) or `json` (the summary on stdout).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Plan the quantum side of every `generate` before running it: qubits (after the mapping,
    /// reduction and tapering), parameters, logical gate counts and depth, measurement groups,
    /// shots per energy evaluation for the stated `precision`, and total shots over the scan and
    /// the optimiser's evaluations, checked against `shots` and `budget`.
    ///
    /// Planning solves the SCF and maps the Hamiltonian at every point (fast for the active
    /// spaces a simulator can handle). Shot counts use the variances of the exact ground state
    /// in the Hartree–Fock sector (up to 16 qubits; the state-independent bound beyond), because
    /// one over precision squared is wrong for a Hamiltonian of many terms. `qdf check` runs the
    /// same checks on small systems. Exits 1 when the spec has errors or the shots cannot reach
    /// the precision or fit the budget.
    #[command(
        after_help = "Examples:\n  qdf plan examples/water_active_space.qdf\n  qdf plan spec.qdf --format json | jq '.generates[] | {name, shots_per_evaluation, total_shots}'"
    )]
    Plan {
        /// The .qdf file.
        file: PathBuf,
        /// `human` (a table per generate) or `json` (the plans and diagnostics on stdout).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Build the circuits of every `generate` for a trapped-ion device: at each point, the ansatz
    /// followed by each measurement group's basis change, lowered to the device's native gates
    /// (GPi/GPi2/MS for Aria, GPi/GPi2/ZZ for Forte, U1q/RZZ for Quantinuum) with virtual-Z frames,
    /// and written as IonQ v0.4 job JSON (one multi-circuit job per point), OpenQASM 3 (one
    /// program per circuit, the native gates defined in it) or QIR base profile (one module per
    /// circuit, logical gates, for Azure Quantum).
    ///
    /// The device is each generate's `device`, or `--target`. Circuits are bound to the ansatz's
    /// starting parameters, or with `--from-run` to the optimum `qdf run` stored for each point.
    /// Exits 1 when the spec has errors.
    #[command(
        after_help = "Examples:\n  qdf build examples/water_active_space.qdf --emit qasm3\n  qdf build spec.qdf --target ionq.forte --emit ionq-json --from-run runs/water"
    )]
    Build {
        /// The .qdf file.
        file: PathBuf,
        /// A stdlib device to build for instead of each generate's own: `ionq.aria`, `ionq.forte`,
        /// `quantinuum.h2`, …
        #[arg(long)]
        target: Option<String>,
        /// What to write.
        #[arg(long, value_enum)]
        emit: Emit,
        /// The directory to write to (default: `build/<experiment>` next to the spec).
        #[arg(long)]
        output: Option<PathBuf>,
        /// A run directory of this spec: bind each point's circuits to its optimised parameters.
        #[arg(long)]
        from_run: Option<PathBuf>,
    },
    /// Format specs in place: canonical indentation and spacing, comments kept, idempotent.
    ///
    /// With --check nothing is written; the command lists the files that would change and exits
    /// 1 if there are any. Files with syntax errors are left alone (exit 1).
    Fmt {
        /// The .qdf files to format.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Report files that are not formatted instead of rewriting them.
        #[arg(long)]
        check: bool,
    },
    /// Run the language server on stdin and stdout, for editors: diagnostics as you type (the
    /// same as `qdf check`), hover, completion, go to definition, references, rename, outline,
    /// formatting and semantic highlighting.
    ///
    /// Exits 0 after the client's `shutdown` and `exit`, 1 when the client exits without
    /// `shutdown` or closes the connection. See docs/editors.md.
    #[command(after_help = "Editors start it themselves; the VS Code extension is in editors/vscode/.")]
    Lsp,
}

/// What `qdf build` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Emit {
    /// IonQ API v0.4 job bodies, native gateset.
    IonqJson,
    /// OpenQASM 3 with the native gates defined.
    Qasm3,
    /// QIR base profile (LLVM text) for Azure Quantum, in the QIS gate set.
    Qir,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

/// How a command ended when it ran to completion.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    SpecErrors,
    /// Ctrl-C during `qdf run`; finished work is saved.
    Interrupted,
}

/// A failure outside the spec: a file that cannot be read or written.
pub type CliError = String;

pub fn run(cli: Cli) -> Result<Outcome, CliError> {
    match cli.command {
        Command::Check { files, format } => check::run(&files, format),
        Command::Ir { file, format } => ir::run(&file, format),
        Command::Fmt { files, check } => fmt::run(&files, check),
        Command::Plan { file, format } => plan::run(&file, format),
        Command::Build { file, target, emit, output, from_run } => {
            build::run(&file, target.as_deref(), emit, output, from_run.as_deref())
        }
        Command::Run { file, output, format } => run::run(&file, output, format),
        Command::Lsp => lsp::run(),
    }
}

//! Diagnostics as data.
//!
//! Every problem the front end finds is a [`Diagnostic`]: a stable code, a severity, a message, a
//! primary span, secondary labels and an optional help line. Nothing in the compiler renders them;
//! the `qdf` command renders them with ariadne or prints them as JSON, and the language server will
//! convert them. Codes never change meaning once released; the table in `docs/diagnostics.md` lists
//! them all (a test keeps the two in step).

use serde::Serialize;

use crate::source::{FileId, Span};

/// How bad a diagnostic is. Errors make `qdf check` exit with status 1; warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A span with an optional message, pointing into one source file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One problem found in a spec.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub primary: Label,
    pub labels: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error with the code's default severity overridden to [`Severity::Error`].
    pub fn error(code: Code, span: Span, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, span, message)
    }

    /// A warning: reported, but the spec still compiles.
    pub fn warning(code: Code, span: Span, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, span, message)
    }

    fn new(code: Code, severity: Severity, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity,
            message: message.into(),
            primary: Label { span, message: String::new() },
            labels: Vec::new(),
            help: None,
        }
    }

    /// Sets the message shown under the primary span.
    #[must_use]
    pub fn with_primary_message(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    /// Adds a secondary label, e.g. "first declared here".
    #[must_use]
    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label { span, message: message.into() });
        self
    }

    /// Sets the help line: what the user can do about it.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The file the primary span points into.
    pub fn file(&self) -> FileId {
        self.primary.span.file
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

macro_rules! codes {
    ($($(#[doc = $doc:literal])* $name:ident = $code:literal,)*) => {
        /// The stable code of a diagnostic. The numeric ranges group them: `QDF0xxx` syntax,
        /// `QDF1xxx` names, `QDF2xxx` fields and types, `QDF3xxx` units, `QDF4xxx` molecules,
        /// `QDF5xxx` active spaces, `QDF6xxx` data generation, `QDF9xxx` files and imports.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($(#[doc = $doc])* $name,)*
        }

        impl Code {
            /// Every code, in numeric order.
            pub const ALL: &'static [Code] = &[$(Code::$name,)*];

            /// The code as printed: `QDF0001`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$name => $code,)* }
            }

            /// One line saying what the code means.
            #[allow(clippy::too_many_lines)]
            pub fn summary(self) -> &'static str {
                match self { $(Code::$name => concat!($($doc),*).trim_ascii(),)* }
            }
        }

        impl Serialize for Code {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

codes! {
    /// A character that cannot start any token.
    UnexpectedCharacter = "QDF0001",
    /// A string literal without its closing quote on the same line.
    UnterminatedString = "QDF0002",
    /// Something other than `import` or a declaration at the top level.
    ExpectedDeclaration = "QDF0003",
    /// A declaration, scan or import without its name.
    ExpectedName = "QDF0004",
    /// A required punctuation token is missing, such as `=`, `{`, `)` or `]`.
    ExpectedToken = "QDF0005",
    /// A value was expected.
    ExpectedExpression = "QDF0006",
    /// A block was not closed before the next declaration or the end of the file.
    MissingClosingBrace = "QDF0007",
    /// Comparisons and ranges do not chain: `a < b < c`, `1..2..3`.
    ChainedOperator = "QDF0008",
    /// Expressions nested deeper than the parser allows.
    NestingTooDeep = "QDF0009",
    /// Something inside a block that is neither a field nor a scan.
    ExpectedField = "QDF0010",
    /// A geometry block holds something other than atoms.
    ExpectedAtom = "QDF0011",
    /// Two declarations share a name.
    DuplicateDeclaration = "QDF1001",
    /// A name that no declaration or import defines.
    UnknownName = "QDF1002",
    /// A name refers to a declaration of the wrong kind.
    WrongDeclarationKind = "QDF1003",
    /// An import of a module that does not exist.
    UnknownModule = "QDF1004",
    /// Two imports bind the same name.
    DuplicateImport = "QDF1005",
    /// A geometry uses a scan variable the molecule does not define.
    UnknownScanVariable = "QDF1006",
    /// More than one `experiment` declaration in a spec.
    DuplicateExperiment = "QDF1007",
    /// Declarations that refer to each other in a cycle.
    ReferenceCycle = "QDF1008",
    /// A scan variable defined twice in one molecule.
    DuplicateScanVariable = "QDF1009",
    /// A field the declaration kind does not have.
    UnknownField = "QDF2001",
    /// A field given twice in one block.
    DuplicateField = "QDF2002",
    /// A required field is missing.
    MissingField = "QDF2003",
    /// A value of the wrong type for its field or argument.
    TypeMismatch = "QDF2004",
    /// A value of the right type outside the allowed range.
    ValueOutOfRange = "QDF2005",
    /// A word that is not one of the field's allowed choices.
    UnknownChoice = "QDF2006",
    /// A call of a function that does not exist.
    UnknownFunction = "QDF2007",
    /// A call with the wrong number or kind of arguments.
    WrongArguments = "QDF2008",
    /// A field that exists, but not for the chosen kind (e.g. `layers` on a UCCSD ansatz).
    FieldNotForKind = "QDF2009",
    /// Arithmetic that cannot be evaluated: division by zero, a non-finite result.
    InvalidArithmetic = "QDF2010",
    /// A unit name that qdf does not know.
    UnknownUnit = "QDF3001",
    /// Quantities of different dimensions combined, or a value of the wrong dimension.
    DimensionMismatch = "QDF3002",
    /// A bare number where a quantity with a unit is required.
    MissingUnit = "QDF3003",
    /// An element symbol that does not exist.
    UnknownElement = "QDF4001",
    /// Two atoms closer than 0.1 Å.
    AtomsTooClose = "QDF4002",
    /// The electron count does not fit the multiplicity.
    ElectronParity = "QDF4003",
    /// A charge that leaves no electrons or removes more than there are.
    ImpossibleCharge = "QDF4004",
    /// A basis set qdf does not ship.
    UnknownBasis = "QDF4005",
    /// The basis set does not define an element of the molecule.
    BasisMissingElement = "QDF4006",
    /// An atom line with the wrong number of coordinates.
    GeometryShape = "QDF4007",
    /// A geometry that cannot be built (a degenerate Z-matrix, an empty geometry).
    InvalidGeometry = "QDF4008",
    /// `scf = rhf` for a molecule with unpaired electrons.
    ScfNeedsClosedShell = "QDF4009",
    /// More active electrons than the molecule has outside the frozen core.
    ActiveElectronsExceedMolecule = "QDF5001",
    /// More active orbitals than the basis provides outside the frozen core.
    ActiveOrbitalsExceedBasis = "QDF5002",
    /// More active electrons than the active orbitals can hold.
    ActiveElectronsExceedOrbitals = "QDF5003",
    /// The active electrons cannot carry the molecule's spin.
    ActiveSpaceSpin = "QDF5004",
    /// An explicit active orbital index outside the basis, repeated, or inside the frozen core.
    OrbitalIndex = "QDF5005",
    /// The active orbitals leave occupied orbitals neither frozen nor active.
    ActiveSpaceGap = "QDF5006",
    /// `selection = mp2_natural_orbitals` together with fields it decides itself, or with
    /// thresholds out of order.
    ActiveSelectionConflict = "QDF5007",
    /// The circuit needs more qubits than the target device has.
    CircuitTooWide = "QDF6001",
    /// `noise = device` without a `device`.
    NoiseNeedsDevice = "QDF6002",
    /// More shots per job than the device allows.
    ShotsExceedDevice = "QDF6003",
    /// Training or comparison asks for labels the data generation does not compute.
    LabelNotGenerated = "QDF6004",
    /// A data split that leaves the training or the test set empty.
    EmptySplit = "QDF6005",
    /// A reference method the molecule's reference cannot support (CCSD of an open shell, MP2 of
    /// an open shell without `scf = uhf`).
    ReferenceNeedsScf = "QDF6006",
    /// Measurement settings (`grouping`, `shot_allocation`, `precision`) on a generate that
    /// computes exact expectation values, where they change nothing.
    MeasurementUnused = "QDF6007",
    /// The shots per energy evaluation cannot reach the stated precision (found by the planner,
    /// which needs the qubit Hamiltonian).
    PrecisionUnreachable = "QDF6008",
    /// The shots reach the stated precision with little margin.
    PrecisionMarginal = "QDF6009",
    /// The whole scan and optimiser budget needs more shots than the spec's `budget`.
    BudgetExceeded = "QDF6010",
    /// The circuit's expected fidelity on the device is below the generate's `min_fidelity`.
    FidelityLow = "QDF6011",
    /// A quasi-Newton optimiser (`lbfgs`, `bfgs`) on a generate that measures its energies: its
    /// line search needs exact, noise-free energies.
    OptimizerNeedsExactEnergies = "QDF6012",
    /// `execute = ionq` without what IonQ's cloud needs: a device with an IonQ backend and gate
    /// set, and shots; or with simulated noise, which the real machine replaces; or with
    /// ADAPT-VQE, whose pool scans would flood the queue.
    IonqExecution = "QDF6013",
    /// `mitigation` where there is nothing it can mitigate: no simulated device noise (exact or
    /// shot-noise energies, or IonQ's real machine), or `readout` with no readout error.
    MitigationNeedsNoise = "QDF6014",
    /// `zne_scales` that cannot be extrapolated (an even scale, a repeat, fewer than two), or
    /// given without `zne`.
    ZneScales = "QDF6015",
    /// A `record` item the generate cannot produce: `gradients` of measured energies, `counts`
    /// where no shots are drawn.
    RecordUnavailable = "QDF6016",
    /// A file named in the spec could not be read or parsed.
    FileUnreadable = "QDF9001",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_ordered() {
        let mut seen: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        let sorted = {
            let mut s = seen.clone();
            s.sort_unstable();
            s
        };
        assert_eq!(seen, sorted, "codes must be listed in numeric order");
        seen.dedup();
        assert_eq!(seen.len(), Code::ALL.len(), "codes must be unique");
        assert!(Code::ALL.iter().all(|c| !c.summary().is_empty()));
    }
}

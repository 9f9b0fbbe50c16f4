//! The qdf front end: source text to a checked, content-hashed experiment IR.
//!
//! Pipeline: [`syntax`] (lexer and a parser that never fails) → [`check`] (names, schemas, units,
//! chemistry; produces the [`hir::Spec`]) → [`ir`] (the experiment IR, validated and hashed).
//! The crate does no I/O: files named in a spec come through the [`FileLoader`] trait that the
//! caller implements, and stdlib modules are compiled into `qdf-stdlib`.

pub mod check;
pub mod diagnostics;
pub mod fmt;
pub mod geometry;
pub mod hir;
pub mod ir;
pub mod source;
pub mod syntax;
pub mod units;

use diagnostics::Diagnostic;
use source::{FileId, SourceMap};

/// Where the compiler gets files a spec names (`geometry = file("water.xyz")`). The command line
/// reads them relative to the spec's directory; the language server may serve unsaved buffers;
/// tests use a map.
pub trait FileLoader {
    /// The text of the file at `path` as written in the spec. Failure contract: `Err` carries a
    /// reason for people ("No such file or directory"); the compiler reports it with the span of
    /// the path.
    fn load(&self, path: &str) -> Result<String, String>;
}

/// A loader for specs that name no files: every load fails.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoFiles;

impl FileLoader for NoFiles {
    fn load(&self, _path: &str) -> Result<String, String> {
        Err("this spec is compiled without file access".into())
    }
}

/// Everything the front end produced for one spec.
#[derive(Debug)]
pub struct Compilation {
    pub sources: SourceMap,
    pub main: FileId,
    pub parse: syntax::Parse,
    /// In the order found; syntax errors first.
    pub diagnostics: Vec<Diagnostic>,
    /// The checked spec; only declarations without errors are in it.
    pub spec: hir::Spec,
    /// The experiment IR, when the spec has no errors.
    pub ir: Option<ir::ExperimentIr>,
    /// Every declaration and the references the checker resolved to them, for editors.
    pub names: check::names::Names,
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Compiles the spec `text`, displayed as `name`. Never fails: problems are diagnostics, and the IR
/// is built only when there are no errors. In debug builds the IR validator runs on the result and
/// a violation panics, since it is a compiler bug.
pub fn compile(name: &str, text: &str, loader: &dyn FileLoader) -> Compilation {
    let mut checked = check::check(name, text, loader);
    // People read diagnostics top to bottom; the checker finds them in dependency order.
    checked.diagnostics.sort_by_key(|d| (d.primary.span.file, d.primary.span.start));
    let has_errors = checked.diagnostics.iter().any(Diagnostic::is_error);
    let ir = (!has_errors).then(|| ir::lower(&checked.spec));
    if let Some(ir) = &ir {
        debug_assert!(ir::validate(ir).is_ok(), "IR validation failed: {:?}", ir::validate(ir));
    }
    Compilation {
        sources: checked.sources,
        main: checked.main,
        parse: checked.parse,
        diagnostics: checked.diagnostics,
        spec: checked.spec,
        ir,
        names: checked.names,
    }
}

/// The stdlib device `name` (`ionq.forte`, optionally with overrides such as
/// `ionq.aria { fidelity_2q = 0.99 }`), resolved by the checker exactly as a spec's
/// `device = ...` is: the module is imported and the device's `base` chain applied. Failure
/// contract: an unknown module or device, or a bad override, is an error with the checker's
/// messages.
pub fn stdlib_device(name: &str) -> Result<hir::Device, String> {
    let module = name.split(['.', ' ', '{']).next().unwrap_or_default();
    // The smallest spec that names the device: one hydrogen molecule with an `hf` ansatz.
    let text = format!(
        "import std.targets.{module}\n\
         molecule m {{ geometry = xyz {{ H 0 0 0  H 0 0 0.74 }} }}\n\
         active_space a {{ molecule = m }}\n\
         ansatz u {{ kind = hf  space = a }}\n\
         generate g {{ ansatz = u  device = {name} }}\n"
    );
    let compilation = compile(&format!("--target {name}"), &text, &NoFiles);
    let errors: Vec<&str> =
        compilation.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.message.as_str()).collect();
    match compilation.spec.generates.first().and_then(|g| g.device.clone()) {
        Some(device) if errors.is_empty() => Ok(device),
        _ => Err(format!("`{name}` is not a stdlib device: {}", errors.join("; "))),
    }
}

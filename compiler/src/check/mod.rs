//! Semantic checks: names, schemas, types, units and chemistry, continuing after errors.
//!
//! The checker collects every declaration of the spec and of the stdlib modules it imports, then
//! checks the kinds in dependency order (devices and molecules first, comparisons last), so a
//! reference always points at something already checked. A declaration with an error produces no
//! checked value; declarations that use it skip the checks that need it instead of piling up
//! follow-on errors.

mod eval;
mod fields;
mod learning;
mod molecule;
pub mod names;
mod quantum;
pub mod schema;

use std::collections::HashMap;

use crate::diagnostics::{Code, Diagnostic};
use crate::hir;
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::syntax::{self, ast};
use crate::FileLoader;

pub use schema::DeclKind;

/// Index of a declaration in the checker's table (main file and imported modules together).
pub(crate) type DeclId = usize;

pub(crate) struct DeclEntry {
    pub kind: DeclKind,
    pub name: String,
    /// `ionq.aria` for module members, the plain name otherwise.
    pub display_name: String,
    pub file: FileId,
    pub name_span: Span,
    pub syntax: ast::Decl,
}

struct Module {
    alias: String,
    members: Vec<(String, DeclId)>,
    file: FileId,
}

/// Results of checking, per declaration: the index of its checked value in the spec's vector
/// for its kind, or `None` while unchecked or when it had errors.
#[derive(Default)]
struct Checked {
    index: HashMap<DeclId, usize>,
    /// Resolved devices; `None` for one with errors, so they are reported once.
    devices: HashMap<DeclId, Option<hir::Device>>,
    noises: HashMap<DeclId, hir::NoiseModel>,
    mappings: HashMap<DeclId, hir::Mapping>,
}

pub(crate) struct Checker<'a> {
    pub sources: SourceMap,
    main: FileId,
    loader: &'a dyn FileLoader,
    diagnostics: Vec<Diagnostic>,
    decls: Vec<DeclEntry>,
    main_names: HashMap<String, DeclId>,
    modules: Vec<Module>,
    checked: Checked,
    /// Devices whose `base` chain is being resolved, to detect cycles.
    resolving: Vec<DeclId>,
    spec: hir::Spec,
    /// The declarations (indexed like `decls`) and the references resolved to them.
    names: names::Names,
}

/// What checking a spec produced.
pub(crate) struct CheckOutput {
    pub sources: SourceMap,
    pub main: FileId,
    pub parse: syntax::Parse,
    pub diagnostics: Vec<Diagnostic>,
    pub spec: hir::Spec,
    pub names: names::Names,
}

/// Parses and checks the spec `text` named `name`. Never fails; problems are diagnostics.
pub(crate) fn check(name: &str, text: &str, loader: &dyn FileLoader) -> CheckOutput {
    let mut sources = SourceMap::default();
    let main = sources.add(SourceFile::new(name, text));
    let parse = syntax::parse(&sources.get(main).text);
    let mut checker = Checker {
        sources,
        main,
        loader,
        diagnostics: parse.errors().iter().map(|e| e.to_diagnostic(main)).collect(),
        decls: Vec::new(),
        main_names: HashMap::new(),
        modules: Vec::new(),
        checked: Checked::default(),
        resolving: Vec::new(),
        spec: hir::Spec::default(),
        names: names::Names::default(),
    };
    let file = parse.file();
    checker.imports(&file);
    checker.collect(main, &file, None);
    checker.check_all(name);
    CheckOutput {
        sources: checker.sources,
        main,
        parse,
        diagnostics: checker.diagnostics,
        spec: checker.spec,
        names: checker.names,
    }
}

impl<'a> Checker<'a> {
    pub(crate) fn report(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub(crate) fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub(crate) fn loader(&self) -> &'a dyn FileLoader {
        self.loader
    }

    fn imports(&mut self, file: &ast::SourceFile) {
        for import in file.imports() {
            let Some(path) = import.path() else { continue };
            let path_text = path.text();
            let span = self.span(self.main, path.syntax());
            let Some(source) = qdf_stdlib::module_source(&path_text) else {
                let mut d = Diagnostic::error(Code::UnknownModule, span, format!("no module named `{path_text}`"));
                let paths = qdf_stdlib::module_paths();
                d = d.with_help(
                    did_you_mean(&path_text, paths.iter().copied())
                        .unwrap_or_else(|| format!("the stdlib modules are: {}", paths.join(", "))),
                );
                self.report(d);
                continue;
            };
            let alias = match import.alias() {
                Some(alias) => alias.text(),
                None => path.segments().last().map(|t| t.text().to_string()).unwrap_or_default(),
            };
            if let Some(previous) = self.modules.iter().find(|m| m.alias == alias) {
                let first = self.sources.get(previous.file).name.clone();
                self.report(
                    Diagnostic::error(
                        Code::DuplicateImport,
                        span,
                        format!("`{alias}` is already imported (as {first})"),
                    )
                    .with_help("import each module once, or give one of them another name with `as`"),
                );
                continue;
            }
            let module_file = self.sources.add(SourceFile::new(path_text.clone(), source));
            let module_parse = syntax::parse(source);
            for error in module_parse.errors() {
                self.report(error.to_diagnostic(module_file));
            }
            let module_index = self.modules.len();
            self.modules.push(Module { alias, members: Vec::new(), file: module_file });
            self.collect(module_file, &module_parse.file(), Some(module_index));
        }
    }

    /// Records the declarations of `file`, reporting duplicate names.
    fn collect(&mut self, file: FileId, source: &ast::SourceFile, module: Option<usize>) {
        for decl in source.decls() {
            let (Some(keyword), Some(name)) = (decl.keyword(), decl.name()) else { continue };
            let Some(kind) = DeclKind::from_keyword(keyword.text()) else { continue };
            let text = name.text();
            if text.is_empty() {
                continue;
            }
            let name_span = self.span(file, name.syntax());
            let display_name = match module {
                Some(m) => format!("{}.{text}", self.modules[m].alias),
                None => text.clone(),
            };
            let id = self.decls.len();
            let names = match module {
                Some(m) => self.modules[m].members.iter().find(|(n, _)| *n == text).map(|(_, id)| *id),
                None => self.main_names.get(&text).copied(),
            };
            let duplicate = names.is_some();
            if let Some(previous) = names {
                let previous = &self.decls[previous];
                let d = Diagnostic::error(Code::DuplicateDeclaration, name_span, format!("`{text}` is declared twice"))
                    .with_label(previous.name_span, format!("first declared here as {}", previous.kind.with_article()))
                    .with_help("rename one of them");
                self.report(d);
            }
            // A duplicate is still checked, so its own mistakes are reported, but its name keeps
            // referring to the first declaration.
            self.names.declarations.push(names::Declaration {
                kind,
                name: text.clone(),
                display_name: display_name.clone(),
                file,
                name_span,
                span: self.span(file, decl.syntax()),
            });
            self.decls.push(DeclEntry { kind, name: text.clone(), display_name, file, name_span, syntax: decl });
            if duplicate {
                continue;
            }
            match module {
                Some(m) => self.modules[m].members.push((text, id)),
                None => {
                    self.main_names.insert(text, id);
                }
            }
        }
    }

    /// A declaration named `name` visible from `file`.
    pub(crate) fn lookup_local(&self, file: FileId, name: &str) -> Option<DeclId> {
        if file == self.main {
            return self.main_names.get(name).copied();
        }
        let module = self.modules.iter().find(|m| m.file == file)?;
        module.members.iter().find(|(n, _)| n == name).map(|(_, id)| *id)
    }

    /// The members of the module imported as `alias` into `file`.
    pub(crate) fn module_members(&self, file: FileId, alias: &str) -> Option<Vec<(String, DeclId)>> {
        if file != self.main {
            return None;
        }
        self.modules.iter().find(|m| m.alias == alias).map(|m| m.members.clone())
    }

    /// Records that the name at `span` resolved to declaration `id`, for editors.
    pub(crate) fn resolved(&mut self, span: Span, id: DeclId) {
        self.names.resolve(span, id);
    }

    pub(crate) fn decl(&self, id: DeclId) -> &DeclEntry {
        &self.decls[id]
    }

    /// Main-file declarations of one kind, in source order.
    fn main_decls(&self, kind: DeclKind) -> Vec<DeclId> {
        (0..self.decls.len()).filter(|&id| self.decls[id].kind == kind && self.decls[id].file == self.main).collect()
    }

    pub(crate) fn checked_index(&self, id: DeclId) -> Option<usize> {
        self.checked.index.get(&id).copied()
    }

    fn check_all(&mut self, spec_name: &str) {
        self.experiment(spec_name);
        // Devices in modules are checked too, so a broken stdlib figure is found in any spec that
        // imports it; that is cheap.
        for id in 0..self.decls.len() {
            if self.decls[id].kind == DeclKind::Device {
                self.device(id);
            }
        }
        for id in self.main_decls(DeclKind::Noise) {
            self.noise(id);
        }
        // Each kind after its dependencies; checked values go to the spec, indexed by declaration.
        macro_rules! check_into {
            ($kind:expr, $check:ident, $list:ident) => {
                for id in self.main_decls($kind) {
                    if let Some(value) = self.$check(id) {
                        self.checked.index.insert(id, self.spec.$list.len());
                        self.spec.$list.push(value);
                    }
                }
            };
        }
        check_into!(DeclKind::Molecule, molecule, molecules);
        check_into!(DeclKind::MoleculeSet, molecule_set, molecule_sets);
        check_into!(DeclKind::ActiveSpace, active_space, active_spaces);
        for id in self.main_decls(DeclKind::Mapping) {
            if let Some(mapping) = self.mapping(id) {
                self.checked.mappings.insert(id, mapping);
            }
        }
        check_into!(DeclKind::Ansatz, ansatz, ansatzes);
        check_into!(DeclKind::Generate, generate, generates);
        check_into!(DeclKind::Model, model, models);
        check_into!(DeclKind::Train, train, trains);
        check_into!(DeclKind::Compare, compare, compares);
    }

    fn experiment(&mut self, spec_name: &str) {
        let ids = self.main_decls(DeclKind::Experiment);
        let default_name = std::path::Path::new(spec_name)
            .file_stem()
            .map_or_else(|| "experiment".to_string(), |s| s.to_string_lossy().into_owned());
        let mut experiment = hir::Experiment {
            name: default_name.clone(),
            seed: 0,
            description: None,
            output: format!("runs/{default_name}"),
        };
        if let Some(&first) = ids.first() {
            for &extra in &ids[1..] {
                let span = self.decls[extra].name_span;
                let first_span = self.decls[first].name_span;
                self.report(
                    Diagnostic::error(Code::DuplicateExperiment, span, "a spec has at most one `experiment`")
                        .with_label(first_span, "the experiment is declared here")
                        .with_help("merge the two declarations"),
                );
            }
            let fields = self.read_decl(first);
            let name = self.decls[first].name.clone();
            experiment.seed = self.int(&fields, "seed").map_or(0, |s| s as u64);
            experiment.description = self.text(&fields, "description");
            experiment.output = self.text(&fields, "output").unwrap_or_else(|| format!("runs/{name}"));
            experiment.name = name;
        }
        self.spec.experiment = experiment;
    }
}

/// "did you mean `x`?" for the candidate closest to `word`, if any is close enough.
pub(crate) fn did_you_mean<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<String> {
    suggest(word, candidates).map(|s| format!("did you mean `{s}`?"))
}

/// The candidate closest to `word`, if it is close enough to be what the user meant.
pub(crate) fn suggest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let lower = word.to_lowercase();
    let mut best: Option<(&str, f64)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        let score = if candidate.to_lowercase() == lower {
            2.0
        } else {
            strsim::jaro_winkler(&lower, &candidate.to_lowercase())
        };
        if score >= 0.82 && best.is_none_or(|(_, b)| score > b) {
            best = Some((candidate, score));
        }
    }
    best.map(|(c, _)| c)
}

#[cfg(test)]
mod tests;

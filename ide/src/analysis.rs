//! One document compiled as `qdf check` compiles it, with the queries the checker answers.

use qdf_compiler::check::names::Declaration;
use qdf_compiler::syntax::SyntaxNode;
use qdf_compiler::{Compilation, FileLoader};

use crate::TextRange;

/// A document compiled by the real front end: the syntax tree, the checked spec, the diagnostics
/// and the checker's table of declarations and resolved references. Building one costs a full
/// `qdf check` of the text; queries on it are cheap. It is `Send + Sync`, so a front end can build
/// it on a worker thread and share it.
#[derive(Debug)]
pub struct Analysis {
    compilation: Compilation,
}

impl Analysis {
    /// Compiles `text`, displayed as `name` (a path, as `qdf check` shows it; its file stem names
    /// an experiment that declares none), reading files the spec names through `loader`. Never
    /// fails: problems are diagnostics.
    pub fn new(name: &str, text: &str, loader: &dyn FileLoader) -> Self {
        Analysis { compilation: qdf_compiler::compile(name, text, loader) }
    }

    /// The compilation behind the analysis.
    pub fn compilation(&self) -> &Compilation {
        &self.compilation
    }

    /// The document's text.
    pub fn text(&self) -> &str {
        &self.compilation.sources.get(self.compilation.main).text
    }

    pub(crate) fn syntax(&self) -> SyntaxNode {
        self.compilation.parse.syntax()
    }

    /// The index of the declaration named or referred to at `offset` in the document.
    pub(crate) fn declaration_at(&self, offset: usize) -> Option<usize> {
        let offset = u32::try_from(offset).ok()?;
        self.compilation.names.at(self.compilation.main, offset)
    }

    pub(crate) fn declaration(&self, index: usize) -> &Declaration {
        &self.compilation.names.declarations[index]
    }

    /// Whether declaration `index` is written in the document (not in an imported module).
    pub(crate) fn is_local(&self, index: usize) -> bool {
        self.declaration(index).file == self.compilation.main
    }

    /// The document's declarations, in source order.
    pub(crate) fn local_declarations(&self) -> impl Iterator<Item = &Declaration> {
        let main = self.compilation.main;
        self.compilation.names.declarations.iter().filter(move |d| d.file == main)
    }

    /// The ranges in the document that refer to declaration `index`.
    pub(crate) fn reference_ranges(&self, index: usize) -> impl Iterator<Item = TextRange> + '_ {
        let main = self.compilation.main;
        self.compilation.names.references_to(index).filter(move |r| r.span.file == main).map(|r| r.span.range())
    }
}

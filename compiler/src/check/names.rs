//! The declaration table and the references the checker resolved, kept for editors.
//!
//! The checker resolves every name in a value exactly once per evaluation (`path_value` in
//! `eval.rs`); each time a name turns out to be a declaration it is recorded here, so go to
//! definition, find references and rename use the checker's own resolution rules (scan variables
//! shadow declarations, `alias.member` reaches into imports) instead of a second implementation.

use std::collections::HashSet;

use crate::source::{FileId, Span};

use super::schema::DeclKind;

/// One declaration of the spec or of an imported stdlib module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declaration {
    pub kind: DeclKind,
    /// The name as declared: `aria`.
    pub name: String,
    /// The name as the spec refers to it: `ionq.aria` for a module member, the plain name otherwise.
    pub display_name: String,
    pub file: FileId,
    /// The declared name.
    pub name_span: Span,
    /// The whole declaration, keyword to closing brace.
    pub span: Span,
}

/// A name in a value that the checker resolved to a declaration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reference {
    /// The name as written; for `ionq.aria`, the `aria` segment.
    pub span: Span,
    /// Index into [`Names::declarations`].
    pub target: usize,
}

/// Every declaration the checker collected and every reference it resolved, in the order met.
#[derive(Clone, Debug, Default)]
pub struct Names {
    pub declarations: Vec<Declaration>,
    /// Each reference once, even when its expression was evaluated at several geometry points.
    pub references: Vec<Reference>,
    seen: HashSet<Reference>,
}

impl Names {
    /// Records that the name at `span` refers to declaration `target`; repeats are ignored.
    pub(crate) fn resolve(&mut self, span: Span, target: usize) {
        let reference = Reference { span, target };
        if self.seen.insert(reference) {
            self.references.push(reference);
        }
    }

    /// The declaration whose name or reference covers byte `offset` of `file`, if any.
    pub fn at(&self, file: FileId, offset: u32) -> Option<usize> {
        let covers = |span: &Span| span.file == file && span.start <= offset && offset <= span.end;
        self.declarations
            .iter()
            .position(|d| covers(&d.name_span))
            .or_else(|| self.references.iter().find(|r| covers(&r.span)).map(|r| r.target))
    }

    /// The references to declaration `target`, in the order met.
    pub fn references_to(&self, target: usize) -> impl Iterator<Item = &Reference> {
        self.references.iter().filter(move |r| r.target == target)
    }
}

//! Renaming a declaration of the document and every reference the checker resolved to it.
//!
//! A rename is refused rather than allowed to change what the spec means: the new name must be a
//! name (not a reserved word), and no other declaration, scan variable or word in a value may
//! already use it, since a word such as `parity` would otherwise start referring to the renamed
//! declaration.

use std::fmt;

use qdf_compiler::syntax::{tokenize, SyntaxKind};

use crate::syntax_at::clamp;
use crate::{Analysis, TextEdit, TextRange};

/// Why a rename was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenameError {
    /// The offset is not on a declared name or a reference to one.
    NothingToRename,
    /// The declaration is in a stdlib module, which the spec cannot change.
    InModule { module: String },
    /// The new name is not a plain name.
    InvalidName { name: String },
    /// The new name is a reserved word.
    ReservedWord { name: String },
    /// Something in the document already uses the new name.
    Taken { name: String },
    /// The document has syntax errors, so its references may be incomplete.
    SyntaxErrors,
}

impl fmt::Display for RenameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenameError::NothingToRename => f.write_str("there is no declaration here to rename"),
            RenameError::InModule { module } => {
                write!(f, "this declaration belongs to the stdlib module `{module}` and cannot be renamed")
            }
            RenameError::InvalidName { name } => {
                write!(f, "`{name}` is not a valid name: use letters, digits and `_`, starting with a letter or `_`")
            }
            RenameError::ReservedWord { name } => write!(f, "`{name}` is a reserved word"),
            RenameError::Taken { name } => write!(f, "`{name}` is already used in this spec"),
            RenameError::SyntaxErrors => f.write_str("fix the syntax errors before renaming"),
        }
    }
}

impl std::error::Error for RenameError {}

impl Analysis {
    /// The name that a rename at `offset` would change. Failure contract: the same refusals as
    /// [`Analysis::rename`] that do not depend on the new name.
    pub fn prepare_rename(&self, offset: usize) -> Result<TextRange, RenameError> {
        let offset = clamp(self.text(), offset);
        let index = self.renamable(offset)?;
        let ranges = std::iter::once(self.declaration(index).name_span.range()).chain(self.reference_ranges(index));
        ranges.into_iter().find(|r| r.start <= offset && offset <= r.end).ok_or(RenameError::NothingToRename)
    }

    /// The edits that rename the declaration at `offset` (named or referred to there) to
    /// `new_name`, in source order. Failure contract: a [`RenameError`] saying why the rename is
    /// refused; the document is never left meaning something else.
    pub fn rename(&self, offset: usize, new_name: &str) -> Result<Vec<TextEdit>, RenameError> {
        let index = self.renamable(clamp(self.text(), offset))?;
        let tokens = tokenize(new_name);
        match tokens.as_slice() {
            [token] if token.kind == SyntaxKind::IDENT => {}
            [token] if token.kind.is_keyword() => return Err(RenameError::ReservedWord { name: new_name.into() }),
            _ => return Err(RenameError::InvalidName { name: new_name.into() }),
        }
        let old_name = &self.declaration(index).name;
        if new_name != old_name && self.name_in_use(new_name) {
            return Err(RenameError::Taken { name: new_name.into() });
        }
        let mut edits: Vec<TextEdit> = std::iter::once(self.declaration(index).name_span.range())
            .chain(self.reference_ranges(index))
            .map(|range| TextEdit { range, new_text: new_name.to_string() })
            .collect();
        edits.sort_by_key(|e| e.range.start);
        Ok(edits)
    }

    fn renamable(&self, offset: usize) -> Result<usize, RenameError> {
        let index = self.declaration_at(offset).ok_or(RenameError::NothingToRename)?;
        if !self.is_local(index) {
            let module = self.compilation().sources.get(self.declaration(index).file).name.clone();
            return Err(RenameError::InModule { module });
        }
        if !self.compilation().parse.errors().is_empty() {
            return Err(RenameError::SyntaxErrors);
        }
        Ok(index)
    }

    /// Whether a declaration, a scan variable, an import or a word in a value is already called
    /// `name`.
    fn name_in_use(&self, name: &str) -> bool {
        self.local_declarations().any(|d| d.name == name)
            || self.syntax().descendants_with_tokens().filter_map(|e| e.into_token()).any(|token| {
                token.kind() == SyntaxKind::IDENT
                    && token.text() == name
                    && token.parent().is_some_and(|p| matches!(p.kind(), SyntaxKind::PATH | SyntaxKind::NAME))
                    && token.parent().and_then(|p| p.parent()).is_none_or(|f| f.kind() != SyntaxKind::FIELD)
            })
    }
}

#[cfg(test)]
mod tests;

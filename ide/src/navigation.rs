//! Go to definition and find references, over the references the checker resolved.

use crate::syntax_at::clamp;
use crate::{Analysis, TextRange};

/// Where a declaration is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NavigationTarget {
    /// The name as the spec refers to it (`h2`, `ionq.aria`).
    pub name: String,
    /// `None` for a declaration of the document; the module's path (`std.targets.ionq`) for one
    /// in an imported stdlib module, whose text [`qdf_stdlib::module_source`] gives. The ranges
    /// are in that text.
    pub module: Option<String>,
    /// The declared name.
    pub name_range: TextRange,
    /// The whole declaration.
    pub full_range: TextRange,
}

impl Analysis {
    /// The declaration named or referred to at `offset`.
    pub fn definition(&self, offset: usize) -> Option<NavigationTarget> {
        let index = self.declaration_at(clamp(self.text(), offset))?;
        let declaration = self.declaration(index);
        let module = (!self.is_local(index)).then(|| self.compilation().sources.get(declaration.file).name.clone());
        Some(NavigationTarget {
            name: declaration.display_name.clone(),
            module,
            name_range: declaration.name_span.range(),
            full_range: declaration.span.range(),
        })
    }

    /// The ranges in the document that refer to the declaration at `offset`, in source order,
    /// with the declared name first when `include_declaration` is set and it is in the document.
    /// Empty when `offset` is on no declaration or reference.
    pub fn references(&self, offset: usize, include_declaration: bool) -> Vec<TextRange> {
        let Some(index) = self.declaration_at(clamp(self.text(), offset)) else { return Vec::new() };
        let mut ranges: Vec<TextRange> = self.reference_ranges(index).collect();
        ranges.sort_by_key(|r| r.start);
        if include_declaration && self.is_local(index) {
            ranges.insert(0, self.declaration(index).name_span.range());
        }
        ranges
    }
}

#[cfg(test)]
mod tests;

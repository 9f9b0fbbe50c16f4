//! The compiler's diagnostics located in the document, ready for an editor.

use qdf_compiler::diagnostics::{self as compiler, Diagnostic as CompilerDiagnostic};
use qdf_compiler::source::Span;

use crate::{Analysis, TextRange};

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// A secondary location of a diagnostic ("first declared here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The range in the document, or `None` when the label points into another file (an imported
    /// stdlib module); `location` then says where.
    pub range: Option<TextRange>,
    /// `name:line:column` of the label, as `qdf check` would show it.
    pub location: String,
    pub message: String,
}

/// One diagnostic of the document: the same code, severity, message, labels and help that
/// `qdf check` prints for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// `QDF2001`.
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Where it is shown in the document. A diagnostic found in an imported module is shown on
    /// the import that brought the module in (at the start of the document if that is gone).
    pub range: TextRange,
    /// The message under the primary span, when there is one.
    pub primary_message: Option<String>,
    pub labels: Vec<Label>,
    pub help: Option<String>,
}

impl Analysis {
    /// Every diagnostic `qdf check` reports for the document, in the same order.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.compilation().diagnostics.iter().map(|d| self.locate(d)).collect()
    }

    /// A compiler diagnostic located in the document: the checker's, or one found later about
    /// this compilation (the shot planner's findings).
    pub fn locate(&self, d: &CompilerDiagnostic) -> Diagnostic {
        let range = self.document_range(d.primary.span);
        Diagnostic {
            code: d.code.as_str(),
            severity: match d.severity {
                compiler::Severity::Error => Severity::Error,
                compiler::Severity::Warning => Severity::Warning,
            },
            message: d.message.clone(),
            range,
            primary_message: (!d.primary.message.is_empty()).then(|| d.primary.message.clone()),
            labels: d.labels.iter().map(|l| self.label(l)).collect(),
            help: d.help.clone(),
        }
    }

    fn label(&self, label: &compiler::Label) -> Label {
        let compilation = self.compilation();
        let file = compilation.sources.get(label.span.file);
        let position = file.line_col(label.span.start as usize);
        Label {
            range: (label.span.file == compilation.main).then(|| label.span.range()),
            location: format!("{}:{}:{}", file.name, position.line, position.column),
            message: label.message.clone(),
        }
    }

    /// `span` if it is in the document, else the path of the import whose module holds it.
    fn document_range(&self, span: Span) -> TextRange {
        let compilation = self.compilation();
        if span.file == compilation.main {
            return span.range();
        }
        let module = &compilation.sources.get(span.file).name;
        compilation
            .parse
            .file()
            .imports()
            .filter_map(|import| import.path())
            .find(|path| path.text() == *module)
            .map_or(0..0, |path| {
                let range = path.syntax().text_range();
                usize::from(range.start())..usize::from(range.end())
            })
    }
}

#[cfg(test)]
mod tests;

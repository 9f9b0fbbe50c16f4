//! Editor features for `.qdf` specs, over the real compiler and knowing nothing of any editor
//! protocol: the language server (`qdf lsp`) maps them to LSP, and other front ends can reuse them.
//!
//! Positions are byte offsets into the document's text and ranges are byte ranges
//! ([`TextRange`]); converting them to an editor's lines and columns (UTF-16 for LSP) is the front
//! end's job. Two kinds of entry point:
//!
//! - [`Analysis`] compiles a document exactly as `qdf check` does and answers the questions that
//!   need the checker: diagnostics, hover, go to definition, find references, rename.
//! - Free functions that need only the lossless syntax tree, so they stay fast on large specs while
//!   the checker runs elsewhere: [`completion`], [`document_symbols`], [`semantic_tokens`],
//!   [`format`].
//!
//! Failure contract: nothing here panics on any input text or offset; an offset past the end or
//! inside a character is treated as the nearest valid position before it. Features that have no
//! answer at an offset return `None` or an empty list.

mod analysis;
mod completion;
mod diagnostics;
mod docs;
mod format;
mod hover;
mod navigation;
mod rename;
mod schema_at;
mod semantic_tokens;
mod symbols;
mod syntax_at;
#[cfg(test)]
mod test_support;

pub use analysis::Analysis;
pub use completion::{completion, CompletionItem, CompletionKind};
pub use diagnostics::{Diagnostic, Label, Severity};
pub use format::{format, TextEdit};
pub use hover::Hover;
pub use navigation::NavigationTarget;
pub use rename::RenameError;
pub use semantic_tokens::{semantic_tokens, SemanticToken, TokenKind};
pub use symbols::{document_symbols, Symbol, SymbolKind};

/// A byte range in a document's text.
pub type TextRange = std::ops::Range<usize>;

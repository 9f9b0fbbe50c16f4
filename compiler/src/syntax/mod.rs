//! Syntax: the lexer, the parser and typed views over the lossless tree.
//!
//! `parse` never fails. Its tree holds every byte of the input (whitespace and comments as trivia
//! tokens), so printing the tree gives back the text exactly; the formatter and the language server
//! rely on that. Syntax errors come alongside the tree as [`SyntaxError`]s.

pub mod ast;
mod kind;
mod lexer;
mod parser;

use std::ops::Range;

pub use kind::{QdfLanguage, SyntaxElement, SyntaxKind, SyntaxNode, SyntaxToken};
pub use lexer::{tokenize, Token};

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// A syntax error: a code, a byte range in the parsed text, a message and an optional help line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyntaxError {
    pub code: Code,
    pub range: Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl SyntaxError {
    fn new(code: Code, range: Range<usize>, message: impl Into<String>) -> Self {
        SyntaxError { code, range, message: message.into(), help: None }
    }

    fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The error as a diagnostic in `file`.
    pub fn to_diagnostic(&self, file: FileId) -> Diagnostic {
        let diagnostic = Diagnostic::error(self.code, Span::new(file, self.range.clone()), &self.message);
        match &self.help {
            Some(help) => diagnostic.with_help(help),
            None => diagnostic,
        }
    }
}

/// The result of parsing: a tree and the syntax errors found while building it.
#[derive(Clone, Debug)]
pub struct Parse {
    green: rowan::GreenNode,
    errors: Vec<SyntaxError>,
}

impl Parse {
    /// The root of the tree, a `SOURCE_FILE` node.
    pub fn syntax(&self) -> SyntaxNode {
        SyntaxNode::new_root(self.green.clone())
    }

    /// The typed view of the root.
    pub fn file(&self) -> ast::SourceFile {
        ast::SourceFile { syntax: self.syntax() }
    }

    pub fn errors(&self) -> &[SyntaxError] {
        &self.errors
    }

    /// The tree as an indented listing of nodes and tokens with their byte ranges; snapshot tests
    /// compare it.
    pub fn debug_tree(&self) -> String {
        let mut out = format!("{:#?}", self.syntax());
        // rowan ends the listing with a newline; keep one.
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }
}

/// Parses a qdf source text. Never fails: any input gives a tree covering all of it.
pub fn parse(text: &str) -> Parse {
    let tokens = tokenize(text);
    let (green, errors) = parser::Parser::new(tokens, text.len()).parse_file();
    Parse { green, errors }
}

#[cfg(test)]
mod tests;

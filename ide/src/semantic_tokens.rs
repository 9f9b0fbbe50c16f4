//! Semantic highlighting: every meaningful token of the document classified from the syntax tree.
//!
//! Only the tree is needed, so highlighting stays instant on large specs. A single word in a value
//! is classified the way the checker resolves it: a scan variable of the enclosing molecule first,
//! then a declaration of the document, else a plain word such as `uccsd`.

use std::collections::HashSet;

use qdf_compiler::syntax::ast;
use qdf_compiler::syntax::{parse, SyntaxKind, SyntaxNode, SyntaxToken};

use crate::syntax_at::range_of;
use crate::TextRange;

/// What a highlighted token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// `molecule`, `import`, `scan`, `as`, and the geometry words `xyz`, `zmatrix`.
    Keyword,
    /// The name a declaration declares.
    Declaration,
    /// A name referring to a declaration (`h2` in `molecule = h2`, `aria` in `ionq.aria`).
    Reference,
    /// A field name.
    Field,
    /// A scan variable, where declared and where used.
    ScanVariable,
    /// The name of a named argument (`test` in `random(test = 0.2)`).
    Argument,
    /// A module: an import's path, its alias, the first segment of `ionq.aria`.
    Module,
    /// A called function: `linspace`, `file`.
    Function,
    /// A unit after a number: `angstrom`, `millihartree`.
    Unit,
    /// An element symbol in a geometry.
    Element,
    /// A plain word in a value: `uccsd`, `on`, `jordan_wigner`.
    Word,
    Number,
    String,
    Comment,
}

/// One highlighted token. Tokens never span lines (comments and strings end at a line's end).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SemanticToken {
    pub range: TextRange,
    pub kind: TokenKind,
}

/// The highlighted tokens of `text`, in source order; whitespace and punctuation are left out.
pub fn semantic_tokens(text: &str) -> Vec<SemanticToken> {
    let root = parse(text).syntax();
    let declared: HashSet<String> =
        root.children().filter_map(ast::Decl::cast).filter_map(|d| d.name()).map(|n| n.text()).collect();
    root.descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .filter_map(|token| classify(&token, &declared).map(|kind| SemanticToken { range: range_of(&token), kind }))
        .collect()
}

fn classify(token: &SyntaxToken, declared: &HashSet<String>) -> Option<TokenKind> {
    let parent = token.parent()?;
    match token.kind() {
        SyntaxKind::COMMENT => return Some(TokenKind::Comment),
        SyntaxKind::STRING => return Some(TokenKind::String),
        SyntaxKind::ERROR_TOKEN if token.text().starts_with('"') => return Some(TokenKind::String),
        SyntaxKind::NUMBER => return Some(TokenKind::Number),
        _ => {}
    }
    let word = token.kind() == SyntaxKind::IDENT || token.kind().is_keyword();
    if !word {
        return None;
    }
    Some(match parent.kind() {
        SyntaxKind::NAME => match parent.parent()?.kind() {
            SyntaxKind::DECL => TokenKind::Declaration,
            SyntaxKind::FIELD => TokenKind::Field,
            SyntaxKind::SCAN => TokenKind::ScanVariable,
            SyntaxKind::IMPORT => TokenKind::Module,
            SyntaxKind::ARG => TokenKind::Argument,
            _ => return None,
        },
        SyntaxKind::UNIT => TokenKind::Unit,
        SyntaxKind::ATOM => TokenKind::Element,
        SyntaxKind::GEOMETRY => TokenKind::Keyword,
        SyntaxKind::PATH => path_word(token, &parent, declared)?,
        _ if token.kind().is_keyword() => TokenKind::Keyword,
        _ => return None,
    })
}

fn path_word(token: &SyntaxToken, path: &SyntaxNode, declared: &HashSet<String>) -> Option<TokenKind> {
    let holder = path.parent()?;
    match holder.kind() {
        SyntaxKind::IMPORT => return Some(TokenKind::Module),
        SyntaxKind::CALL => return Some(TokenKind::Function),
        _ => {}
    }
    let segments = ast::Path::cast(path.clone())?.segments();
    if segments.len() > 1 {
        return Some(if segments[0] == *token { TokenKind::Module } else { TokenKind::Reference });
    }
    let name = token.text();
    if is_scan_variable(path, name) {
        Some(TokenKind::ScanVariable)
    } else if declared.contains(name) {
        Some(TokenKind::Reference)
    } else {
        Some(TokenKind::Word)
    }
}

/// Whether `name` at `path` is a scan variable: one of the enclosing molecule's inside a
/// geometry, or any molecule's in a split condition (which names the scan of the data's molecule).
fn is_scan_variable(path: &SyntaxNode, name: &str) -> bool {
    let scans_of = |decl: &ast::Decl| -> bool {
        decl.block().is_some_and(|b| {
            b.members().any(|m| matches!(m, ast::Member::Scan(s) if s.name().is_some_and(|n| n.text() == name)))
        })
    };
    if path.ancestors().any(|n| n.kind() == SyntaxKind::INTERP) {
        return path.ancestors().find_map(ast::Decl::cast).is_some_and(|d| scans_of(&d));
    }
    let in_condition = path.ancestors().any(|n| n.kind() == SyntaxKind::ARG_LIST);
    in_condition
        && path.ancestors().last().is_some_and(|root| root.children().filter_map(ast::Decl::cast).any(|d| scans_of(&d)))
}

#[cfg(test)]
mod tests;

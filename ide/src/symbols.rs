//! The outline of a document: imports and declarations, with their fields and scans.

use qdf_compiler::check::schema::DeclKind;
use qdf_compiler::syntax::ast::{self, Item, Member};
use qdf_compiler::syntax::parse;

use crate::syntax_at::node_range;
use crate::TextRange;

/// What a symbol is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SymbolKind {
    /// An import, named by the name it binds.
    Import,
    Declaration(DeclKind),
    Field,
    Scan,
}

/// One entry of the outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub kind: SymbolKind,
    /// A short description: the declaration keyword, the module path, the field's value.
    pub detail: String,
    /// The whole item.
    pub range: TextRange,
    /// The name within it.
    pub selection_range: TextRange,
    pub children: Vec<Symbol>,
}

/// The outline of `text`, in source order. Items the parser could not name are left out.
pub fn document_symbols(text: &str) -> Vec<Symbol> {
    let file = parse(text).file();
    file.items()
        .filter_map(|item| match item {
            Item::Import(import) => import_symbol(&import),
            Item::Decl(decl) => decl_symbol(&decl),
        })
        .collect()
}

fn import_symbol(import: &ast::Import) -> Option<Symbol> {
    let path = import.path()?;
    let (name, selection) = match import.alias() {
        Some(alias) => (alias.text(), node_range(alias.syntax())),
        None => {
            let last = path.segments().pop()?;
            let range = last.text_range();
            (last.text().to_string(), usize::from(range.start())..usize::from(range.end()))
        }
    };
    Some(Symbol {
        name,
        kind: SymbolKind::Import,
        detail: path.text(),
        range: node_range(import.syntax()),
        selection_range: selection,
        children: Vec::new(),
    })
}

fn decl_symbol(decl: &ast::Decl) -> Option<Symbol> {
    let kind = DeclKind::from_keyword(decl.keyword()?.text())?;
    let name = decl.name()?;
    let children = decl.block().map(|b| b.members().filter_map(|m| member_symbol(&m)).collect()).unwrap_or_default();
    Some(Symbol {
        name: name.text(),
        kind: SymbolKind::Declaration(kind),
        detail: kind.keyword().to_string(),
        range: node_range(decl.syntax()),
        selection_range: node_range(name.syntax()),
        children,
    })
}

fn member_symbol(member: &Member) -> Option<Symbol> {
    let (name, value, syntax, kind) = match member {
        Member::Field(field) => (field.name()?, field.value(), field.syntax(), SymbolKind::Field),
        Member::Scan(scan) => (scan.name()?, scan.value(), scan.syntax(), SymbolKind::Scan),
    };
    let detail = value.map(|v| one_line(&v.syntax().to_string())).unwrap_or_default();
    Some(Symbol {
        name: name.text(),
        kind,
        detail,
        range: node_range(syntax),
        selection_range: node_range(name.syntax()),
        children: Vec::new(),
    })
}

/// A value's text on one line, shortened for an outline.
fn one_line(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() > 40 {
        format!("{}…", joined.chars().take(39).collect::<String>())
    } else {
        joined
    }
}

#[cfg(test)]
mod tests;

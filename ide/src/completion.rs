//! Completion from the syntax tree and the compiler's schema: what may be written at the cursor.
//!
//! Only the lossless tree is needed (it covers every byte even mid-edit), so completion stays fast
//! on large specs while the checker runs elsewhere. The place is read from the last significant
//! token before the word being typed:
//!
//! - at the top level: declaration keywords and `import`; after `import`, the stdlib modules;
//! - at the start of a member of a block: the fields the block's schema allows that are not given
//!   yet (only those of its `kind`), and `scan` in a molecule;
//! - in a field's value: the field's choices, the declarations of the kinds it refers to (imported
//!   devices too), basis-set names, functions; after a number, the units of the field's dimension;
//! - after `alias.`: the module's declarations; in a geometry: element symbols; inside `{...}` in a
//!   geometry and in a split condition: scan variables.

use qdf_compiler::check::schema::{self, DeclKind, FieldSpec, Ty};
use qdf_compiler::syntax::ast;
use qdf_compiler::syntax::{parse, SyntaxKind, SyntaxNode, SyntaxToken};
use qdf_compiler::units::{self, Dim};
use rowan::{TextSize, TokenAtOffset};

use crate::docs;
use crate::schema_at::{block_schema, field_spec};
use crate::syntax_at::{clamp, range_of};
use crate::TextRange;

/// What a completion inserts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    Field,
    Declaration,
    Module,
    /// A choice such as `uccsd` or `on`.
    Word,
    Unit,
    Element,
    Function,
    BasisSet,
    ScanVariable,
}

/// One completion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompletionItem {
    pub label: String,
    pub kind: CompletionKind,
    /// A one-line description: the field's type, the declaration's kind, the unit's dimension.
    pub detail: String,
    /// Markdown, when there is more to say.
    pub documentation: Option<String>,
    /// The text that replaces `replace_range`.
    pub insert_text: String,
    /// The word being typed (empty at the cursor when none is).
    pub replace_range: TextRange,
}

/// The completions at `offset` in `text`, filtered by the word being typed (its letters in order,
/// ignoring case). Empty inside comments and where nothing can be written.
pub fn completion(text: &str, offset: usize) -> Vec<CompletionItem> {
    let offset = clamp(text, offset);
    let root = parse(text).syntax();
    let Some(place) = Place::find(&root, offset) else { return Vec::new() };
    let mut items = Vec::new();
    place.complete(&root, &mut items);
    items.retain(|item| {
        let typed = text.get(item.replace_range.start..offset).unwrap_or_default().to_lowercase();
        matches_typed(&item.label.to_lowercase(), &typed)
    });
    items
}

/// Where the cursor is: the word being typed and the significant token before it.
struct Place {
    replace: TextRange,
    offset: usize,
    /// The token being typed, if the cursor is in or just after a word, number or string.
    word: Option<SyntaxToken>,
    prev: Option<SyntaxToken>,
}

impl Place {
    fn find(root: &SyntaxNode, offset: usize) -> Option<Place> {
        let size = TextSize::try_from(offset).ok()?;
        let left = match root.token_at_offset(size) {
            TokenAtOffset::None => None,
            TokenAtOffset::Single(token) => Some(token),
            TokenAtOffset::Between(left, _) => Some(left),
        };
        if let Some(token) = &left {
            let start = usize::from(token.text_range().start());
            if token.kind() == SyntaxKind::COMMENT && offset > start {
                return None;
            }
        }
        let typing = left.filter(|t| {
            let start = usize::from(t.text_range().start());
            offset > start
                && (t.kind() == SyntaxKind::IDENT
                    || t.kind().is_keyword()
                    || t.kind() == SyntaxKind::STRING
                    || (t.kind() == SyntaxKind::ERROR_TOKEN && t.text().starts_with('"')))
        });
        let (replace, before) = match &typing {
            Some(word) => (range_of(word), word.prev_token()),
            None => {
                let before = root.token_at_offset(size).left_biased();
                (offset..offset, before)
            }
        };
        let prev = std::iter::successors(before, SyntaxToken::prev_token).find(|t| !t.kind().is_trivia());
        Some(Place { replace, offset, word: typing, prev })
    }

    fn complete(&self, root: &SyntaxNode, items: &mut Vec<CompletionItem>) {
        let Some(prev) = &self.prev else {
            return top_level(self, None, items);
        };
        let parent = prev.parent();
        if prev.kind() == SyntaxKind::IMPORT_KW || prev.parent_ancestors().any(|n| n.kind() == SyntaxKind::IMPORT) {
            return self.modules(prev, items);
        }
        if prev.kind() == SyntaxKind::DOT && parent.as_ref().is_some_and(|p| p.kind() == SyntaxKind::PATH) {
            return self.module_members(root, prev, items);
        }
        if let Some(geometry) = self.open_ancestor(prev, SyntaxKind::GEOMETRY) {
            if let Some(interp) = self.open_ancestor(prev, SyntaxKind::INTERP) {
                if interp.ancestors().any(|n| n == geometry) {
                    return self.scan_variables(&geometry, items);
                }
            }
            if self.word.as_ref().is_none_or(|w| w.parent().is_some_and(|p| p.kind() == SyntaxKind::ATOM)) {
                return self.elements(items);
            }
            return;
        }
        let Some(block) = self.open_ancestor(prev, SyntaxKind::BLOCK) else {
            return top_level(self, Some(prev), items);
        };
        if prev.kind() == SyntaxKind::NUMBER && !line_break_after(prev, self.offset) {
            if let Some(dims) = expected_units(prev) {
                return self.units(&dims, items);
            }
        }
        if is_member_start(prev, &block, self.offset) {
            return self.fields(&block, items);
        }
        if let Some(args) = self.open_ancestor(prev, SyntaxKind::ARG_LIST) {
            if args.ancestors().any(|n| n == block) {
                return self.call_arguments(root, &args, items);
            }
        }
        if let Some(scan) = prev.parent_ancestors().find(|n| n.kind() == SyntaxKind::SCAN) {
            if scan.parent().as_ref() == Some(&block) {
                return self.functions(&["linspace", "arange"], items);
            }
        }
        if let Some(field) = prev.parent_ancestors().find(|n| n.kind() == SyntaxKind::FIELD) {
            self.field_value(root, &field, prev, items);
        }
    }

    /// The nearest ancestor of `token` of `kind` that is still open at the cursor: it ends after
    /// the cursor, or its closing bracket is missing.
    fn open_ancestor(&self, token: &SyntaxToken, kind: SyntaxKind) -> Option<SyntaxNode> {
        token.parent_ancestors().filter(|n| n.kind() == kind).find(|n| {
            let end = usize::from(n.text_range().end());
            let closer = match kind {
                SyntaxKind::ARG_LIST => SyntaxKind::R_PAREN,
                _ => SyntaxKind::R_BRACE,
            };
            end > self.offset || n.last_token().is_none_or(|t| t.kind() != closer)
        })
    }

    fn item(&self, label: impl Into<String>, kind: CompletionKind, detail: impl Into<String>) -> CompletionItem {
        let label = label.into();
        CompletionItem {
            insert_text: label.clone(),
            label,
            kind,
            detail: detail.into(),
            documentation: None,
            replace_range: self.replace.clone(),
        }
    }

    fn fields(&self, block: &SyntaxNode, items: &mut Vec<CompletionItem>) {
        let Some(schema) = block_schema(block) else { return };
        let given: Vec<String> = ast::Block::cast(block.clone())
            .map(|b| b.fields().filter_map(|f| f.name()).map(|n| n.text()).collect())
            .unwrap_or_default();
        let typed_word = self.word.as_ref().map(|w| w.text().to_string());
        for field in schema.fields.iter().filter(|f| schema.applies(f)) {
            if given.iter().any(|g| g == field.name) && typed_word.as_deref() != Some(field.name) {
                continue;
            }
            let mut item = self.item(field.name, CompletionKind::Field, docs::ty(&field.ty));
            item.insert_text = format!("{} = ", field.name);
            item.documentation = Some(docs::field(field));
            items.push(item);
        }
        if schema.decl == Some(DeclKind::Molecule) {
            let mut item = self.item("scan", CompletionKind::Keyword, "a scan variable");
            item.insert_text = "scan ".into();
            item.documentation = docs::OTHER_KEYWORDS.iter().find(|(k, _)| *k == "scan").map(|(_, d)| (*d).into());
            items.push(item);
        }
    }

    fn field_value(&self, root: &SyntaxNode, field: &SyntaxNode, prev: &SyntaxToken, items: &mut Vec<CompletionItem>) {
        let Some((spec, schema)) = field_spec(field) else {
            return self.declared_names(root, None, items);
        };
        // `target = energy - |`: the baseline method.
        if spec.name == "target" && prev.kind() == SyntaxKind::MINUS {
            return self.words(schema::METHODS, spec, items);
        }
        match (schema.decl, spec.name) {
            (Some(DeclKind::Molecule), "geometry") => {
                for (word, doc) in docs::GEOMETRY_WORDS {
                    let mut item = self.item(*word, CompletionKind::Keyword, "a geometry block");
                    item.documentation = Some((*doc).to_string());
                    items.push(item);
                }
                return self.functions(&["file"], items);
            }
            (Some(DeclKind::Molecule), "basis") => {
                for name in qdf_stdlib::basis_names() {
                    let quoted = format!("\"{name}\"");
                    items.push(self.item(quoted, CompletionKind::BasisSet, "shipped basis set"));
                }
                return self.functions(&["file"], items);
            }
            (Some(DeclKind::ActiveSpace), "frozen_core") => return self.words(&["on", "off"], spec, items),
            (Some(DeclKind::ActiveSpace), "selection") => return self.words(schema::ACTIVE_SELECTIONS, spec, items),
            (Some(DeclKind::Ansatz), "mapping") => {
                self.words(schema::MAPPINGS, spec, items);
                return self.declared_names(root, Some(&[DeclKind::Mapping]), items);
            }
            (Some(DeclKind::Generate), "optimizer") => return self.words(schema::OPTIMIZERS, spec, items),
            (Some(DeclKind::Generate), "device") => {
                self.declared_names(root, Some(&[DeclKind::Device]), items);
                return self.imported(root, Some(&[DeclKind::Device]), items);
            }
            (Some(DeclKind::Generate), "noise") => {
                self.words(schema::NOISE_LEVELS, spec, items);
                return self.declared_names(root, Some(&[DeclKind::Noise]), items);
            }
            (Some(DeclKind::Model), "target") => return self.words(&["energy"], spec, items),
            (Some(DeclKind::Train), "split") => {
                return self.functions(&["random", "extrapolate", "interpolate"], items)
            }
            _ => {}
        }
        self.typed_value(root, spec, items);
    }

    /// Completions from a field's type.
    fn typed_value(&self, root: &SyntaxNode, spec: &FieldSpec, items: &mut Vec<CompletionItem>) {
        match spec.ty {
            Ty::Choice(words) | Ty::Choices(words) => self.words(words, spec, items),
            Ty::Bool => self.words(&["on", "off"], spec, items),
            Ty::Ref(kinds) => {
                self.declared_names(root, Some(kinds), items);
                self.imported(root, Some(kinds), items);
            }
            Ty::Refs(kind) => self.declared_names(root, Some(&[kind]), items),
            _ => {}
        }
    }

    fn words(&self, words: &[&str], spec: &FieldSpec, items: &mut Vec<CompletionItem>) {
        for word in words {
            let mut item = self.item(*word, CompletionKind::Word, format!("a value of `{}`", spec.name));
            item.documentation = Some(spec.doc.to_string());
            items.push(item);
        }
    }

    /// The document's declarations of `kinds` (all kinds when `None`).
    fn declared_names(&self, root: &SyntaxNode, kinds: Option<&[DeclKind]>, items: &mut Vec<CompletionItem>) {
        for decl in root.children().filter_map(ast::Decl::cast) {
            let (Some(keyword), Some(name)) = (decl.keyword(), decl.name()) else { continue };
            let Some(kind) = DeclKind::from_keyword(keyword.text()) else { continue };
            if kinds.is_some_and(|ks| !ks.contains(&kind)) || self.is_being_declared(&name) {
                continue;
            }
            let mut item = self.item(name.text(), CompletionKind::Declaration, kind.keyword());
            item.documentation = Some(kind.summary().to_string());
            items.push(item);
        }
    }

    /// A declaration's own name is no completion for itself.
    fn is_being_declared(&self, name: &ast::Name) -> bool {
        self.word.as_ref().is_some_and(|w| name.token().as_ref() == Some(w))
    }

    /// `alias.member` for the declarations of every imported module of `kinds`.
    fn imported(&self, root: &SyntaxNode, kinds: Option<&[DeclKind]>, items: &mut Vec<CompletionItem>) {
        for import in root.children().filter_map(ast::Import::cast) {
            let Some((alias, path)) = import_binding(&import) else { continue };
            for (kind, name) in module_declarations(&path) {
                if kinds.is_none_or(|ks| ks.contains(&kind)) {
                    items.push(self.item(
                        format!("{alias}.{name}"),
                        CompletionKind::Declaration,
                        format!("{} in {path}", kind.keyword()),
                    ));
                }
            }
        }
    }

    /// After `alias.`: the module's declarations.
    fn module_members(&self, root: &SyntaxNode, dot: &SyntaxToken, items: &mut Vec<CompletionItem>) {
        let Some(alias) =
            std::iter::successors(dot.prev_token(), SyntaxToken::prev_token).find(|t| !t.kind().is_trivia())
        else {
            return;
        };
        let Some(path) = root
            .children()
            .filter_map(ast::Import::cast)
            .filter_map(|i| import_binding(&i))
            .find(|(a, _)| a == alias.text())
            .map(|(_, p)| p)
        else {
            return;
        };
        for (kind, name) in module_declarations(&path) {
            items.push(self.item(name, CompletionKind::Declaration, format!("{} in {path}", kind.keyword())));
        }
    }

    /// The stdlib modules, after `import` or in the path being typed after it (which they
    /// replace whole). Nothing once the path is followed by `as`.
    fn modules(&self, prev: &SyntaxToken, items: &mut Vec<CompletionItem>) {
        if prev.kind() == SyntaxKind::AS_KW || prev.parent().is_some_and(|p| p.kind() == SyntaxKind::NAME) {
            return;
        }
        let path = prev.parent().filter(|p| p.kind() == SyntaxKind::PATH);
        let start = path.map_or(self.replace.start, |p| usize::from(p.text_range().start()));
        let end = self.replace.end.max(self.offset);
        for module in qdf_stdlib::module_paths() {
            let mut item = self.item(*module, CompletionKind::Module, "stdlib module");
            item.replace_range = start..end;
            items.push(item);
        }
    }

    fn elements(&self, items: &mut Vec<CompletionItem>) {
        for element in qdf_stdlib::elements::elements() {
            items.push(self.item(
                element.symbol,
                CompletionKind::Element,
                format!("{}, Z = {}", element.name, element.z),
            ));
        }
    }

    fn scan_variables(&self, within: &SyntaxNode, items: &mut Vec<CompletionItem>) {
        let Some(decl) = within.ancestors().find_map(ast::Decl::cast) else { return };
        for name in scan_names(&decl) {
            items.push(self.item(name, CompletionKind::ScanVariable, "scan variable"));
        }
    }

    /// Inside a call's parentheses: scan variables for a split condition.
    fn call_arguments(&self, root: &SyntaxNode, args: &SyntaxNode, items: &mut Vec<CompletionItem>) {
        let call = args.parent().and_then(ast::Call::cast).and_then(|c| c.path()).map(|p| p.text());
        if matches!(call.as_deref(), Some("extrapolate" | "interpolate")) {
            for decl in root.children().filter_map(ast::Decl::cast) {
                for name in scan_names(&decl) {
                    if !items.iter().any(|i| i.label == name) {
                        items.push(self.item(name, CompletionKind::ScanVariable, "scan variable"));
                    }
                }
            }
        }
    }

    fn functions(&self, names: &[&str], items: &mut Vec<CompletionItem>) {
        for function in names.iter().filter_map(|n| docs::function(n)) {
            let mut item = self.item(function.name, CompletionKind::Function, function.signature);
            item.insert_text = format!("{}(", function.name);
            item.documentation = Some(function.doc.to_string());
            items.push(item);
        }
    }

    /// The units of `dims` (every unit when empty).
    fn units(&self, dims: &[Dim], items: &mut Vec<CompletionItem>) {
        for unit in units::UNITS.iter().filter(|u| dims.is_empty() || dims.contains(&u.dim)) {
            let mut item = self.item(unit.name, CompletionKind::Unit, unit.dim.to_string());
            item.documentation = docs::unit(unit.name);
            items.push(item);
        }
    }
}

/// Declaration keywords and `import`, where a top-level item can start.
fn top_level(place: &Place, prev: Option<&SyntaxToken>, items: &mut Vec<CompletionItem>) {
    // After a declaration keyword comes its name, after `as` the alias: nothing to offer.
    if prev.is_some_and(|p| p.kind().is_keyword() && p.parent().is_some_and(|n| n.kind() != SyntaxKind::PATH)) {
        return;
    }
    for kind in DeclKind::ALL {
        let mut item = place.item(kind.keyword(), CompletionKind::Keyword, "declaration");
        item.insert_text = format!("{} ", kind.keyword());
        item.documentation = Some(kind.summary().to_string());
        items.push(item);
    }
    let mut item = place.item("import", CompletionKind::Keyword, "import a stdlib module");
    item.insert_text = "import ".into();
    item.documentation = docs::OTHER_KEYWORDS.first().map(|(_, d)| (*d).to_string());
    items.push(item);
}

/// The dimensions of the units that may follow the number `number`: `Some(empty)` for any unit
/// (scans, split conditions), `None` where the value is a plain number.
fn expected_units(number: &SyntaxToken) -> Option<Vec<Dim>> {
    if let Some(field) = number.parent_ancestors().find(|n| n.kind() == SyntaxKind::FIELD) {
        let in_call = number.parent_ancestors().take_while(|n| n != &field).any(|n| n.kind() == SyntaxKind::ARG_LIST);
        if in_call {
            return Some(Vec::new());
        }
        let (spec, _) = field_spec(&field)?;
        return match (spec.ty, spec.name) {
            (Ty::Quantity(dim), _) => Some(vec![dim]),
            (Ty::Special(_), "shots") => Some(vec![Dim::SHOTS]),
            (Ty::Special(_), "budget") => Some(vec![Dim::SHOTS, Dim::MONEY]),
            _ => None,
        };
    }
    number.parent_ancestors().any(|n| n.kind() == SyntaxKind::SCAN).then(Vec::new)
}

/// Whether a line break lies between `token` and `offset`.
fn line_break_after(token: &SyntaxToken, offset: usize) -> bool {
    std::iter::successors(token.next_token(), SyntaxToken::next_token)
        .take_while(|t| usize::from(t.text_range().start()) < offset)
        .any(|t| {
            let before_cursor = offset - usize::from(t.text_range().start());
            t.text().get(..before_cursor.min(t.text().len())).unwrap_or_default().contains('\n')
        })
}

/// Whether a new member of `block` may start after `prev`: right after the block's `{`, or after
/// a complete value (a number, string, name or closing bracket) on an earlier line or followed by
/// a space.
fn is_member_start(prev: &SyntaxToken, block: &SyntaxNode, offset: usize) -> bool {
    if prev.kind() == SyntaxKind::L_BRACE && prev.parent().as_ref() == Some(block) {
        return true;
    }
    let ends_value = matches!(
        prev.kind(),
        SyntaxKind::NUMBER
            | SyntaxKind::STRING
            | SyntaxKind::IDENT
            | SyntaxKind::R_PAREN
            | SyntaxKind::R_BRACK
            | SyntaxKind::R_BRACE
    );
    if !ends_value {
        return false;
    }
    // A value ends at a line break, or at a space when the field's value is complete there.
    let end = usize::from(prev.text_range().end());
    end < offset && (line_break_after(prev, offset) || is_field_complete(prev))
}

/// Whether the value `prev` ends is a whole field value (so a space after it starts a member).
fn is_field_complete(prev: &SyntaxToken) -> bool {
    prev.parent_ancestors().find(|n| n.kind() == SyntaxKind::FIELD).is_some_and(|f| {
        let end = usize::from(f.text_range().end());
        end <= usize::from(prev.text_range().end())
    })
}

/// The name an import binds and the module path.
fn import_binding(import: &ast::Import) -> Option<(String, String)> {
    let path = import.path()?;
    let alias = match import.alias() {
        Some(alias) => alias.text(),
        None => path.segments().last()?.text().to_string(),
    };
    Some((alias, path.text()))
}

/// The declarations of a stdlib module.
fn module_declarations(path: &str) -> Vec<(DeclKind, String)> {
    let Some(source) = qdf_stdlib::module_source(path) else { return Vec::new() };
    parse(source)
        .file()
        .decls()
        .filter_map(|d| Some((DeclKind::from_keyword(d.keyword()?.text())?, d.name()?.text())))
        .collect()
}

fn scan_names(decl: &ast::Decl) -> Vec<String> {
    decl.block()
        .map(|b| {
            b.members()
                .filter_map(|m| match m {
                    ast::Member::Scan(scan) => scan.name().map(|n| n.text()),
                    ast::Member::Field(_) => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Whether the letters typed appear in `label` in order.
fn matches_typed(label: &str, typed: &str) -> bool {
    let mut rest = label.chars();
    typed.chars().all(|c| rest.any(|l| l == c))
}

#[cfg(test)]
mod tests;

//! Which part of the compiler's schema governs a place in the tree: the fields a block may hold
//! and the field a value belongs to.

use qdf_compiler::check::schema::{self, DeclKind, FieldSpec};
use qdf_compiler::syntax::ast::{self, Expr};
use qdf_compiler::syntax::{SyntaxKind, SyntaxNode};

/// The schema of one block.
pub(crate) struct BlockSchema {
    pub fields: &'static [FieldSpec],
    /// The declaration kind, for a declaration's own block.
    pub decl: Option<DeclKind>,
    /// What the block is, for people: "molecule `h2`", "optimizer settings".
    pub owner: String,
    /// The block's `kind = ...` word, which decides the fields marked `only_for`.
    pub kind_word: Option<String>,
}

impl BlockSchema {
    pub fn field(&self, name: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// Whether a field applies given the block's `kind` (all do while no kind is written).
    pub fn applies(&self, field: &FieldSpec) -> bool {
        match (field.only_for, &self.kind_word) {
            (Some(kinds), Some(kind)) => kinds.contains(&kind.as_str()),
            _ => true,
        }
    }
}

/// The schema of `block` (a `BLOCK` node): a declaration's fields, or the settings a record
/// overrides (`lbfgs { ... }`, `ionq.aria { ... }`, `mp2_natural_orbitals { ... }`).
pub(crate) fn block_schema(block: &SyntaxNode) -> Option<BlockSchema> {
    let parent = block.parent()?;
    let kind_word = ast::Block::cast(block.clone()).and_then(|b| kind_word(&b));
    if let Some(decl) = ast::Decl::cast(parent.clone()) {
        let kind = DeclKind::from_keyword(decl.keyword()?.text())?;
        let name = decl.name().map(|n| n.text()).unwrap_or_default();
        return Some(BlockSchema {
            fields: kind.fields(),
            decl: Some(kind),
            owner: format!("{} `{name}`", kind.keyword()),
            kind_word,
        });
    }
    let record = ast::Record::cast(parent)?;
    let field = enclosing_field_name(record.syntax())?;
    let (fields, owner) = match field.as_str() {
        "optimizer" => (schema::OPTIMIZER_FIELDS, "optimizer settings"),
        "device" => (schema::DEVICE_OVERRIDES, "device overrides"),
        "selection" => (schema::NATURAL_ORBITAL_FIELDS, "natural-orbital selection settings"),
        _ => return None,
    };
    Some(BlockSchema { fields, decl: None, owner: owner.to_string(), kind_word: None })
}

/// The `kind = word` of a block, if written.
fn kind_word(block: &ast::Block) -> Option<String> {
    let field = block.fields().find(|f| f.name().is_some_and(|n| n.text() == "kind"))?;
    match field.value()? {
        Expr::Path(path) => Some(path.path()?.text()),
        _ => None,
    }
}

/// The name of the field whose value contains `node`.
pub(crate) fn enclosing_field_name(node: &SyntaxNode) -> Option<String> {
    let field = node.ancestors().find(|n| n.kind() == SyntaxKind::FIELD)?;
    ast::Field::cast(field)?.name().map(|n| n.text())
}

/// The schema entry of a `FIELD` node and the schema of its block.
pub(crate) fn field_spec(field: &SyntaxNode) -> Option<(&'static FieldSpec, BlockSchema)> {
    let name = ast::Field::cast(field.clone())?.name()?.text();
    let block = field.parent().filter(|p| p.kind() == SyntaxKind::BLOCK)?;
    let schema = block_schema(&block)?;
    Some((schema.field(&name)?, schema))
}

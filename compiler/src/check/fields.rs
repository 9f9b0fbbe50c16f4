//! Reading a block's fields against its schema.
//!
//! [`Checker::read_decl`] evaluates every field of a declaration once, reporting unknown,
//! duplicate and missing fields; the typed getters then convert one field each, reporting type,
//! range and unit errors against the schema. A getter returns `None` both for an absent field and
//! for one with an error; the caller substitutes the default and carries on, and the error count
//! tells whether the declaration as a whole was valid.

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};
use crate::syntax::ast::Member;
use crate::units::{self, Dim};

use super::eval::{Number, RecordField, Spanned, Value};
use super::schema::{DeclKind, FieldSpec, Ty};
use super::{did_you_mean, suggest, Checker, DeclId};

pub(crate) struct Entry {
    pub name: String,
    pub name_span: Span,
    pub value: Option<Spanned<Value>>,
}

/// The fields of one block, evaluated.
pub(crate) struct Fields {
    pub file: FileId,
    /// Where "missing field" errors point: the declaration's name, or a record's base.
    pub anchor: Span,
    /// What the block is, for messages: "molecule `h2`".
    pub owner: String,
    pub schema: &'static [FieldSpec],
    entries: Vec<Entry>,
}

impl Fields {
    pub fn entry(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name == name)
    }

    pub fn has(&self, name: &str) -> bool {
        self.entry(name).is_some()
    }

    pub fn value(&self, name: &str) -> Option<&Spanned<Value>> {
        self.entry(name)?.value.as_ref()
    }
}

impl Checker<'_> {
    /// Reads the fields of declaration `id`. Scans are read separately by the molecule checker.
    pub(crate) fn read_decl(&mut self, id: DeclId) -> Fields {
        let decl = self.decl(id);
        let (file, anchor, kind, syntax) = (decl.file, decl.name_span, decl.kind, decl.syntax.clone());
        let owner = format!("{} `{}`", kind.keyword(), decl.name);
        let mut entries = Vec::new();
        if let Some(block) = syntax.block() {
            for member in block.members() {
                let field = match member {
                    Member::Field(field) => field,
                    Member::Scan(scan) => {
                        if kind != DeclKind::Molecule {
                            let span = self.span(file, scan.syntax());
                            self.report(
                                Diagnostic::error(Code::UnknownField, span, format!("{owner} cannot hold a `scan`"))
                                    .with_help(
                                        "scans belong in a `molecule`; their points flow to everything that uses it",
                                    ),
                            );
                        }
                        continue;
                    }
                };
                let Some(name) = field.name() else { continue };
                let name_span = self.span(file, name.syntax());
                let value = field.value().and_then(|v| self.eval(file, &v, &[]));
                entries.push(Entry { name: name.text(), name_span, value });
            }
        }
        self.fields(file, anchor, owner, kind.fields(), entries, true)
    }

    /// Reads the overrides of a record such as `lbfgs { max_iter = 200 }` against `schema`.
    pub(crate) fn read_record(
        &mut self,
        file: FileId,
        anchor: Span,
        owner: String,
        schema: &'static [FieldSpec],
        fields: &[RecordField],
    ) -> Fields {
        let entries = fields
            .iter()
            .map(|f| Entry { name: f.name.clone(), name_span: f.name_span, value: f.value.clone() })
            .collect();
        self.fields(file, anchor, owner, schema, entries, false)
    }

    fn fields(
        &mut self,
        file: FileId,
        anchor: Span,
        owner: String,
        schema: &'static [FieldSpec],
        entries: Vec<Entry>,
        check_required: bool,
    ) -> Fields {
        let mut kept: Vec<Entry> = Vec::new();
        for entry in entries {
            if !schema.iter().any(|f| f.name == entry.name) {
                let mut d = Diagnostic::error(
                    Code::UnknownField,
                    entry.name_span,
                    format!("{owner} has no field `{}`", entry.name),
                );
                d = d.with_help(did_you_mean(&entry.name, schema.iter().map(|f| f.name)).unwrap_or_else(|| {
                    format!("the fields are: {}", schema.iter().map(|f| f.name).collect::<Vec<_>>().join(", "))
                }));
                self.report(d);
                continue;
            }
            if let Some(first) = kept.iter().find(|e| e.name == entry.name) {
                let d = Diagnostic::error(
                    Code::DuplicateField,
                    entry.name_span,
                    format!("`{}` is given twice", entry.name),
                )
                .with_label(first.name_span, "first given here")
                .with_help("remove one of them");
                self.report(d);
                continue;
            }
            kept.push(entry);
        }
        if check_required {
            for spec in schema.iter().filter(|f| f.required) {
                if !kept.iter().any(|e| e.name == spec.name) {
                    self.report(
                        Diagnostic::error(
                            Code::MissingField,
                            anchor,
                            format!("{owner} needs the field `{}`", spec.name),
                        )
                        .with_help(format!("`{}`: {}", spec.name, spec.doc)),
                    );
                }
            }
        }
        Fields { file, anchor, owner, schema, entries: kept }
    }

    /// Reports fields that do not apply to the chosen `kind` (e.g. `layers` on a UCCSD ansatz).
    pub(crate) fn check_kind_fields(&mut self, fields: &Fields, kind: &str) {
        for entry in &fields.entries {
            let Some(spec) = fields.schema.iter().find(|f| f.name == entry.name) else { continue };
            if let Some(kinds) = spec.only_for {
                if !kinds.contains(&kind) {
                    self.report(
                        Diagnostic::error(
                            Code::FieldNotForKind,
                            entry.name_span,
                            format!("`{}` does not apply to kind `{kind}`", entry.name),
                        )
                        .with_help(format!(
                            "`{}` applies to: {}",
                            entry.name,
                            kinds.join(", ")
                        )),
                    );
                }
            }
        }
    }

    fn spec_of(fields: &Fields, name: &str) -> &'static FieldSpec {
        fields
            .schema
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("field `{name}` is not in the schema of {}", fields.owner))
    }

    fn mismatch(&mut self, fields: &Fields, name: &str, value: &Spanned<Value>, expected: &str) {
        let spec = Self::spec_of(fields, name);
        let d = Diagnostic::error(
            Code::TypeMismatch,
            value.span,
            format!("`{name}` must be {expected}, found {}", value.value.describe()),
        )
        .with_help(format!("`{name}`: {}", spec.doc));
        self.report(d);
    }

    /// A whole number within the schema's range.
    pub(crate) fn int(&mut self, fields: &Fields, name: &str) -> Option<i64> {
        let value = fields.value(name)?.clone();
        let Ty::Int { min, max } = Self::spec_of(fields, name).ty else { panic!("`{name}` is not an integer field") };
        match value.value {
            Value::Number(n) => self.whole(n, value.span, min, max, &format!("`{name}`")),
            _ => {
                self.mismatch(fields, name, &value, "a whole number");
                None
            }
        }
    }

    /// A plain number within the schema's range.
    pub(crate) fn real(&mut self, fields: &Fields, name: &str) -> Option<f64> {
        let value = fields.value(name)?.clone();
        let Ty::Real { min, max } = Self::spec_of(fields, name).ty else { panic!("`{name}` is not a real field") };
        let n = self.plain_number(fields, name, &value)?;
        self.in_range(name, value.span, n, min, max)
    }

    fn plain_number(&mut self, fields: &Fields, name: &str, value: &Spanned<Value>) -> Option<f64> {
        match value.value {
            Value::Number(n) if n.dim.is_none() => Some(n.value),
            Value::Number(n) => {
                self.report(Diagnostic::error(
                    Code::DimensionMismatch,
                    value.span,
                    format!("`{name}` is a plain number, found a quantity of {}", n.dim),
                ));
                None
            }
            _ => {
                self.mismatch(fields, name, value, "a number");
                None
            }
        }
    }

    pub(crate) fn in_range(&mut self, name: &str, span: Span, x: f64, min: f64, max: f64) -> Option<f64> {
        if x < min || x > max {
            let range = if max.is_infinite() { format!("at least {min}") } else { format!("between {min} and {max}") };
            self.report(Diagnostic::error(Code::ValueOutOfRange, span, format!("`{name}` must be {range}, found {x}")));
            return None;
        }
        Some(x)
    }

    /// A quantity of the schema's dimension, normalised; must be positive.
    pub(crate) fn quantity(&mut self, fields: &Fields, name: &str) -> Option<f64> {
        let value = fields.value(name)?.clone();
        let Ty::Quantity(dim) = Self::spec_of(fields, name).ty else { panic!("`{name}` is not a quantity field") };
        let Value::Number(n) = value.value else {
            self.mismatch(fields, name, &value, &format!("a quantity of {dim}"));
            return None;
        };
        let x = self.expect_dim(name, &value, n, dim)?;
        if x <= 0.0 {
            self.report(Diagnostic::error(Code::ValueOutOfRange, value.span, format!("`{name}` must be positive")));
            return None;
        }
        Some(x)
    }

    /// Checks a number's dimension, reporting a missing unit or a wrong dimension.
    pub(crate) fn expect_dim(&mut self, what: &str, value: &Spanned<Value>, n: Number, dim: Dim) -> Option<f64> {
        if n.dim == dim {
            return Some(n.value);
        }
        if n.dim.is_none() {
            let names: Vec<&str> = units::UNITS.iter().filter(|u| u.dim == dim).map(|u| u.name).collect();
            self.report(
                Diagnostic::error(Code::MissingUnit, value.span, format!("`{what}` needs a unit of {dim}"))
                    .with_help(format!("write the unit after the number; units of {dim}: {}", names.join(", "))),
            );
        } else {
            self.report(Diagnostic::error(
                Code::DimensionMismatch,
                value.span,
                format!("`{what}` must be a quantity of {dim}, found {}", n.dim),
            ));
        }
        None
    }

    /// `on`/`off`/`true`/`false`.
    pub(crate) fn bool(&mut self, fields: &Fields, name: &str) -> Option<bool> {
        let value = fields.value(name)?.clone();
        match &value.value {
            Value::Word(w) if w == "on" || w == "true" => Some(true),
            Value::Word(w) if w == "off" || w == "false" => Some(false),
            _ => {
                self.mismatch(fields, name, &value, "`on` or `off`");
                None
            }
        }
    }

    pub(crate) fn text(&mut self, fields: &Fields, name: &str) -> Option<String> {
        let value = fields.value(name)?.clone();
        match value.value {
            Value::Text(s) => Some(s),
            _ => {
                self.mismatch(fields, name, &value, "a string in double quotes");
                None
            }
        }
    }

    /// One of the schema's words.
    pub(crate) fn choice(&mut self, fields: &Fields, name: &str) -> Option<String> {
        let value = fields.value(name)?.clone();
        let Ty::Choice(choices) = Self::spec_of(fields, name).ty else { panic!("`{name}` is not a choice field") };
        self.word_in(name, &value, choices)
    }

    /// Checks that `value` is one of `choices`.
    pub(crate) fn word_in(&mut self, name: &str, value: &Spanned<Value>, choices: &[&str]) -> Option<String> {
        match &value.value {
            Value::Word(w) if choices.contains(&w.as_str()) => Some(w.clone()),
            Value::Word(w) => {
                let mut d =
                    Diagnostic::error(Code::UnknownChoice, value.span, format!("`{w}` is not a valid `{name}`"));
                d = d.with_help(
                    did_you_mean(w, choices.iter().copied())
                        .unwrap_or_else(|| format!("choose one of: {}", choices.join(", "))),
                );
                self.report(d);
                None
            }
            other => {
                let d = Diagnostic::error(
                    Code::TypeMismatch,
                    value.span,
                    format!("`{name}` must be one of {}, found {}", choices.join(", "), other.describe()),
                );
                self.report(d);
                None
            }
        }
    }

    /// A list of the schema's words; a single word is accepted as a list of one.
    pub(crate) fn choices(&mut self, fields: &Fields, name: &str) -> Option<Vec<String>> {
        let value = fields.value(name)?.clone();
        let Ty::Choices(choices) = Self::spec_of(fields, name).ty else {
            panic!("`{name}` is not a list-of-choices field")
        };
        let items = match value.value {
            Value::List(items) => items,
            Value::Word(_) => vec![value.clone()],
            _ => {
                self.mismatch(fields, name, &value, &format!("a list of {}", choices.join(", ")));
                return None;
            }
        };
        let mut out: Vec<String> = Vec::new();
        let mut ok = true;
        for item in &items {
            match self.word_in(name, item, choices) {
                Some(w) if out.contains(&w) => {
                    self.report(Diagnostic::warning(Code::DuplicateField, item.span, format!("`{w}` is listed twice")));
                }
                Some(w) => out.push(w),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// A list of whole numbers at least the schema's minimum and at most `u32::MAX`.
    pub(crate) fn ints(&mut self, fields: &Fields, name: &str) -> Option<Vec<i64>> {
        let value = fields.value(name)?.clone();
        let Ty::Ints { min } = Self::spec_of(fields, name).ty else {
            panic!("`{name}` is not a list-of-integers field")
        };
        let Value::List(items) = value.value else {
            self.mismatch(fields, name, &value, "a list of whole numbers");
            return None;
        };
        let mut out = Vec::new();
        for item in &items {
            let Value::Number(n) = item.value else {
                self.mismatch(fields, name, item, "a whole number");
                return None;
            };
            // Both list fields (`hidden`, `orbital_indices`) are `u32` in the HIR.
            out.push(self.whole(n, item.span, min, i64::from(u32::MAX), &format!("each of `{name}`"))?);
        }
        Some(out)
    }

    /// A reference to a declaration of one of the schema's kinds.
    pub(crate) fn decl_ref(&mut self, fields: &Fields, name: &str) -> Option<DeclId> {
        let value = fields.value(name)?.clone();
        let kinds: &[DeclKind] = match Self::spec_of(fields, name).ty {
            Ty::Ref(kinds) => kinds,
            _ => panic!("`{name}` is not a reference field"),
        };
        self.resolve_ref(fields.file, name, &value, kinds)
    }

    /// Checks that `value` names a declaration of one of `kinds`.
    pub(crate) fn resolve_ref(
        &mut self,
        file: FileId,
        name: &str,
        value: &Spanned<Value>,
        kinds: &[DeclKind],
    ) -> Option<DeclId> {
        let wanted = kinds.iter().map(|k| format!("`{}`", k.keyword())).collect::<Vec<_>>().join(" or ");
        let article_wanted = format!("{} {wanted}", if kinds[0].with_article().starts_with("an") { "an" } else { "a" });
        match &value.value {
            Value::Decl(id) if kinds.contains(&self.decl(*id).kind) => Some(*id),
            Value::Decl(id) => {
                let found = self.decl(*id);
                let d = Diagnostic::error(
                    Code::WrongDeclarationKind,
                    value.span,
                    format!(
                        "`{name}` must name {article_wanted}, but `{}` is {}",
                        found.display_name,
                        found.kind.with_article()
                    ),
                )
                .with_label(found.name_span, "declared here");
                self.report(d);
                None
            }
            Value::Word(w) => {
                let candidates: Vec<String> = self
                    .decls
                    .iter()
                    .filter(|d| kinds.contains(&d.kind) && d.file == file)
                    .map(|d| d.name.clone())
                    .collect();
                let mut d = Diagnostic::error(Code::UnknownName, value.span, format!("no {wanted} named `{w}`"));
                if let Some(s) = suggest(w, candidates.iter().map(String::as_str)) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                } else if candidates.is_empty() {
                    d = d.with_help(format!("declare one with `{} {w} {{ ... }}`", kinds[0].keyword()));
                }
                self.report(d);
                None
            }
            other => {
                let d = Diagnostic::error(
                    Code::TypeMismatch,
                    value.span,
                    format!("`{name}` must name {article_wanted}, found {}", other.describe()),
                );
                self.report(d);
                None
            }
        }
    }
}

//! Evaluation of expressions to values.
//!
//! Arithmetic, units and the numeric functions (`linspace`, `arange`, `sqrt`, trigonometry) are
//! evaluated here; calls whose meaning depends on the field (`file`, `random`, `extrapolate`,
//! `interpolate`) and comparisons stay symbolic for the field's checker. Failure contract: every
//! problem is reported as a diagnostic and the expression evaluates to `None`; nothing panics.

use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, BinOp, Expr};
use crate::units::{self, Dim};

use super::{did_you_mean, suggest, Checker, DeclId};

/// The most elements a list produced by `linspace`, `arange` or `a..b` may have.
const MAX_GENERATED: usize = 100_000;

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// A number with its dimension, normalised (see [`crate::units`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Number {
    pub value: f64,
    pub dim: Dim,
    /// The unit as written on a literal (kept through negation and scaling by plain numbers), for
    /// fields whose unit carries meaning beyond its dimension, like `2e6 per_point`.
    pub unit: Option<&'static str>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct RecordField {
    pub name: String,
    pub name_span: Span,
    pub value: Option<Spanned<Value>>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CallArg {
    pub name: Option<String>,
    pub value: Spanned<Value>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Number(Number),
    Text(String),
    /// A single name that is neither a declaration nor a scan variable: a choice such as `uccsd`.
    Word(String),
    Decl(DeclId),
    List(Vec<Spanned<Value>>),
    Record {
        base: Box<Spanned<Value>>,
        fields: Vec<RecordField>,
    },
    /// A call kept symbolic: `file(...)`, `random(...)`, `extrapolate(...)`, `interpolate(...)`.
    Call {
        name: String,
        args: Vec<CallArg>,
    },
    Compare {
        lhs: Box<Spanned<Value>>,
        op: BinOp,
        rhs: Box<Spanned<Value>>,
    },
    /// `energy - hf`: a difference of two words, used for Δ-learning targets.
    Difference(String, String),
    Geometry(ast::Geometry),
}

impl Value {
    /// What the value is, for "expected X, found Y" messages.
    pub fn describe(&self) -> String {
        match self {
            Value::Number(n) if n.dim.is_none() => "a number".into(),
            Value::Number(n) => format!("a quantity of {}", n.dim),
            Value::Text(_) => "a string".into(),
            Value::Word(w) => format!("`{w}`"),
            Value::Decl(_) => "a declaration".into(),
            Value::List(_) => "a list".into(),
            Value::Record { .. } => "a block of settings".into(),
            Value::Call { name, .. } => format!("`{name}(...)`"),
            Value::Compare { .. } => "a comparison".into(),
            Value::Difference(a, b) => format!("`{a} - {b}`"),
            Value::Geometry(_) => "a geometry".into(),
        }
    }
}

/// Values of scan variables while a geometry is evaluated at one point.
pub(crate) type Env<'e> = &'e [(String, Number)];

/// Functions evaluated to numbers or lists.
const NUMERIC_FUNCTIONS: &[&str] = &["linspace", "arange", "sqrt", "sin", "cos", "tan", "abs"];
/// Functions kept symbolic for the field that uses them.
const SYMBOLIC_FUNCTIONS: &[&str] = &["file", "random", "extrapolate", "interpolate"];

impl Checker<'_> {
    pub(crate) fn span(&self, file: FileId, node: &crate::syntax::SyntaxNode) -> Span {
        let range = node.text_range();
        Span::new(file, usize::from(range.start())..usize::from(range.end()))
    }

    pub(crate) fn token_span(&self, file: FileId, token: &crate::syntax::SyntaxToken) -> Span {
        let range = token.text_range();
        Span::new(file, usize::from(range.start())..usize::from(range.end()))
    }

    /// Evaluates `expr` in `file` with scan variables `env`.
    pub(crate) fn eval(&mut self, file: FileId, expr: &Expr, env: Env<'_>) -> Option<Spanned<Value>> {
        let span = self.span(file, expr.syntax());
        let value = match expr {
            Expr::Quantity(q) => Value::Number(self.literal(file, q)?),
            Expr::String(s) => Value::Text(s.value()),
            Expr::Paren(p) => return self.eval(file, &p.inner()?, env).map(|v| Spanned { span, ..v }),
            Expr::List(list) => {
                let mut items = Vec::new();
                let mut ok = true;
                for item in list.items() {
                    match self.eval(file, &item, env) {
                        // A range inside a list splices in: `[1, 4..6]` is `[1, 4, 5, 6]`.
                        Some(Spanned { value: Value::List(inner), .. }) if is_range(&item) => items.extend(inner),
                        Some(v) => items.push(v),
                        None => ok = false,
                    }
                }
                if !ok {
                    return None;
                }
                Value::List(items)
            }
            Expr::Geometry(g) => Value::Geometry(g.clone()),
            Expr::Path(p) => self.path_value(file, &p.path()?, env)?,
            Expr::Record(r) => {
                let path = r.path()?;
                let base = self.path_value(file, &path, env)?;
                let base_span = self.span(file, path.syntax());
                let mut fields = Vec::new();
                for field in r.block()?.fields() {
                    let Some(name) = field.name() else { continue };
                    let name_span = self.span(file, name.syntax());
                    let value = field.value().and_then(|v| self.eval(file, &v, env));
                    fields.push(RecordField { name: name.text(), name_span, value });
                }
                Value::Record { base: Box::new(Spanned { value: base, span: base_span }), fields }
            }
            Expr::Call(call) => self.call(file, call, env)?,
            Expr::Prefix(p) => {
                let operand = self.eval(file, &p.operand()?, env)?;
                match operand.value {
                    Value::Number(n) => Value::Number(Number { value: -n.value, ..n }),
                    other => {
                        let message = format!("cannot negate {}", other.describe());
                        self.report(Diagnostic::error(Code::TypeMismatch, span, message));
                        return None;
                    }
                }
            }
            Expr::Binary(b) => self.binary(file, b, span, env)?,
        };
        Some(Spanned { value, span })
    }

    fn literal(&mut self, file: FileId, q: &ast::Quantity) -> Option<Number> {
        let number = q.number()?;
        let parsed: f64 = number.text().parse().ok()?;
        if !parsed.is_finite() {
            let span = self.token_span(file, &number);
            self.report(Diagnostic::error(Code::ValueOutOfRange, span, "number too large"));
            return None;
        }
        let Some(unit) = q.unit() else {
            return Some(Number { value: parsed, dim: Dim::NONE, unit: None });
        };
        let name = unit.text();
        let Some(found) = units::lookup(&name) else {
            let span = self.span(file, unit.syntax());
            let names: Vec<&str> = units::UNITS.iter().map(|u| u.name).collect();
            let mut diagnostic = Diagnostic::error(Code::UnknownUnit, span, format!("unknown unit `{name}`"));
            diagnostic = diagnostic.with_help(did_you_mean(&name, names.iter().copied()).unwrap_or_else(|| {
                "units include angstrom, bohr, hartree, millihartree, eV, kcal_per_mol, degree, microsecond, shots, usd".into()
            }));
            self.report(diagnostic);
            return None;
        };
        Some(Number { value: parsed * found.to_normal, dim: found.dim, unit: Some(found.name) })
    }

    /// A path in value position: a scan variable, a declaration, an imported declaration, or a
    /// bare word whose meaning the field decides.
    pub(crate) fn path_value(&mut self, file: FileId, path: &ast::Path, env: Env<'_>) -> Option<Value> {
        let segments = path.segments();
        let span = self.span(file, path.syntax());
        match segments.as_slice() {
            [single] => {
                let name = single.text();
                if let Some((_, n)) = env.iter().find(|(v, _)| v == name) {
                    return Some(Value::Number(*n));
                }
                if let Some(id) = self.lookup_local(file, name) {
                    let name_span = self.token_span(file, single);
                    self.resolved(name_span, id);
                    return Some(Value::Decl(id));
                }
                Some(Value::Word(name.to_string()))
            }
            [module, member] => {
                let (module, member) = (module.text(), member.text());
                let Some(members) = self.module_members(file, module) else {
                    let mut d = Diagnostic::error(Code::UnknownName, span, format!("no import is named `{module}`"));
                    if let Some(path) = stdlib_module_ending_in(module) {
                        d = d.with_help(format!("add `import {path}` at the top of the spec"));
                    }
                    self.report(d);
                    return None;
                };
                if let Some(id) = members.iter().find(|(n, _)| n == member).map(|(_, id)| *id) {
                    let member_span = self.token_span(file, &segments[1]);
                    self.resolved(member_span, id);
                    return Some(Value::Decl(id));
                }
                let mut d =
                    Diagnostic::error(Code::UnknownName, span, format!("`{module}` has no declaration `{member}`"));
                if let Some(s) = suggest(member, members.iter().map(|(n, _)| n.as_str())) {
                    d = d.with_help(format!("did you mean `{module}.{s}`?"));
                }
                self.report(d);
                None
            }
            _ => {
                self.report(Diagnostic::error(Code::UnknownName, span, format!("unknown name `{}`", path.text())));
                None
            }
        }
    }

    fn call(&mut self, file: FileId, call: &ast::Call, env: Env<'_>) -> Option<Value> {
        let path = call.path()?;
        let name = path.text();
        let name_span = self.span(file, path.syntax());
        let call_span = self.span(file, call.syntax());
        if !NUMERIC_FUNCTIONS.contains(&name.as_str()) && !SYMBOLIC_FUNCTIONS.contains(&name.as_str()) {
            let mut d = Diagnostic::error(Code::UnknownFunction, name_span, format!("unknown function `{name}`"));
            let all = NUMERIC_FUNCTIONS.iter().chain(SYMBOLIC_FUNCTIONS).copied();
            if let Some(help) = did_you_mean(&name, all) {
                d = d.with_help(help);
            }
            self.report(d);
            return None;
        }
        let mut args = Vec::new();
        let mut ok = true;
        for arg in call.args() {
            let value = arg.value().and_then(|v| self.eval(file, &v, env));
            match value {
                Some(value) => args.push(CallArg { name: arg.name().map(|n| n.text()), value }),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        if SYMBOLIC_FUNCTIONS.contains(&name.as_str()) {
            return Some(Value::Call { name, args });
        }
        if let Some(named) = args.iter().find(|a| a.name.is_some()) {
            let span = named.value.span;
            self.report(Diagnostic::error(Code::WrongArguments, span, format!("`{name}` takes no named arguments")));
            return None;
        }
        let numbers: Option<Vec<Number>> = args
            .iter()
            .map(|a| match a.value.value {
                Value::Number(n) => Some(n),
                _ => None,
            })
            .collect();
        let Some(numbers) = numbers else {
            self.report(Diagnostic::error(
                Code::TypeMismatch,
                call_span,
                format!("the arguments of `{name}` must be numbers or quantities"),
            ));
            return None;
        };
        let arity = if matches!(name.as_str(), "linspace" | "arange") { 3 } else { 1 };
        if numbers.len() != arity {
            let usage = match name.as_str() {
                "linspace" => "linspace(start, stop, count)",
                "arange" => "arange(start, stop, step)",
                _ => "one argument",
            };
            self.report(
                Diagnostic::error(
                    Code::WrongArguments,
                    call_span,
                    format!(
                        "`{name}` takes {arity} argument{}, found {}",
                        if arity == 1 { "" } else { "s" },
                        numbers.len()
                    ),
                )
                .with_help(format!("usage: {usage}")),
            );
            return None;
        }
        match name.as_str() {
            "linspace" => self.linspace(&numbers, &args, call_span),
            "arange" => self.arange(&numbers, &args, call_span),
            _ => self.math_function(&name, numbers[0], args[0].value.span),
        }
    }

    fn linspace(&mut self, n: &[Number], args: &[CallArg], span: Span) -> Option<Value> {
        self.same_dim(n[0], args[0].value.span, n[1], args[1].value.span)?;
        let count = self.whole(n[2], args[2].value.span, 1, MAX_GENERATED as i64, "the point count")? as usize;
        let (start, stop) = (n[0].value, n[1].value);
        let values = (0..count).map(|i| {
            if count == 1 {
                start
            } else if i + 1 == count {
                stop
            } else {
                start + (stop - start) * (i as f64) / ((count - 1) as f64)
            }
        });
        Some(numbers_list(values, n[0], span))
    }

    /// numpy's `arange`: `start, start + step, ...` up to but excluding `stop`.
    fn arange(&mut self, n: &[Number], args: &[CallArg], span: Span) -> Option<Value> {
        self.same_dim(n[0], args[0].value.span, n[1], args[1].value.span)?;
        self.same_dim(n[0], args[0].value.span, n[2], args[2].value.span)?;
        let (start, stop, step) = (n[0].value, n[1].value, n[2].value);
        // A count within rounding of a whole number is that number: in radians,
        // `arange(100 degree, 110 degree, 5 degree)` divides to 2.0000000000000004, not 2.
        let steps = (stop - start) / step;
        let count =
            if (steps - steps.round()).abs() <= 1e-9 * steps.abs().max(1.0) { steps.round() } else { steps.ceil() };
        if step == 0.0 || !count.is_finite() {
            self.report(Diagnostic::error(
                Code::ValueOutOfRange,
                args[2].value.span,
                "the step of `arange` must not be zero",
            ));
            return None;
        }
        if count > MAX_GENERATED as f64 {
            self.report(Diagnostic::error(
                Code::ValueOutOfRange,
                span,
                format!("`arange` would make {count} values; the limit is {MAX_GENERATED}"),
            ));
            return None;
        }
        let count = count.max(0.0) as usize;
        Some(numbers_list((0..count).map(|i| start + step * i as f64), n[0], span))
    }

    fn math_function(&mut self, name: &str, x: Number, span: Span) -> Option<Value> {
        let value = match name {
            "sqrt" | "abs" => {
                if name == "sqrt" && !x.dim.is_none() {
                    self.report(Diagnostic::error(
                        Code::DimensionMismatch,
                        span,
                        format!("`sqrt` needs a plain number, found a quantity of {}", x.dim),
                    ));
                    return None;
                }
                if name == "sqrt" && x.value < 0.0 {
                    self.report(Diagnostic::error(Code::InvalidArithmetic, span, "square root of a negative number"));
                    return None;
                }
                return Some(Value::Number(Number {
                    value: if name == "sqrt" { x.value.sqrt() } else { x.value.abs() },
                    ..x
                }));
            }
            _ => {
                if x.dim != Dim::ANGLE {
                    let found =
                        if x.dim.is_none() { "a plain number".to_string() } else { format!("a quantity of {}", x.dim) };
                    self.report(
                        Diagnostic::error(
                            if x.dim.is_none() { Code::MissingUnit } else { Code::DimensionMismatch },
                            span,
                            format!("`{name}` needs an angle, found {found}"),
                        )
                        .with_help("write the angle with its unit, e.g. `52.25 degree` or `0.912 radian`"),
                    );
                    return None;
                }
                match name {
                    "sin" => x.value.sin(),
                    "cos" => x.value.cos(),
                    _ => x.value.tan(),
                }
            }
        };
        Some(Value::Number(Number { value, dim: Dim::NONE, unit: None }))
    }

    fn binary(&mut self, file: FileId, b: &ast::BinExpr, span: Span, env: Env<'_>) -> Option<Value> {
        let op = b.op()?;
        let lhs = self.eval(file, &b.lhs()?, env);
        let rhs = self.eval(file, &b.rhs()?, env);
        let (lhs, rhs) = (lhs?, rhs?);
        if matches!(op, BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne) {
            return Some(Value::Compare { lhs: Box::new(lhs), op, rhs: Box::new(rhs) });
        }
        let (a, b_) = match (&lhs.value, &rhs.value) {
            (Value::Number(a), Value::Number(b_)) => (*a, *b_),
            (Value::Word(a), Value::Word(b_)) if op == BinOp::Sub => {
                return Some(Value::Difference(a.clone(), b_.clone()))
            }
            _ => {
                let message =
                    format!("cannot apply `{}` to {} and {}", op.symbol(), lhs.value.describe(), rhs.value.describe());
                self.report(Diagnostic::error(Code::TypeMismatch, span, message));
                return None;
            }
        };
        let unit = match (a.unit, b_.unit) {
            (Some(u), None) if b_.dim.is_none() => Some(u),
            (None, Some(u)) if a.dim.is_none() && op == BinOp::Mul => Some(u),
            (Some(u), Some(v)) if u == v && matches!(op, BinOp::Add | BinOp::Sub) => Some(u),
            _ => None,
        };
        let value = match op {
            BinOp::Add | BinOp::Sub => {
                self.same_dim(a, lhs.span, b_, rhs.span)?;
                let value = if op == BinOp::Add { a.value + b_.value } else { a.value - b_.value };
                Number { value, dim: a.dim, unit }
            }
            BinOp::Mul => Number { value: a.value * b_.value, dim: a.dim.mul(b_.dim), unit },
            BinOp::Div => {
                if b_.value == 0.0 {
                    self.report(Diagnostic::error(Code::InvalidArithmetic, rhs.span, "division by zero"));
                    return None;
                }
                Number { value: a.value / b_.value, dim: a.dim.div(b_.dim), unit }
            }
            BinOp::Range => return self.int_range(a, lhs.span, b_, rhs.span, span),
            _ => unreachable!("comparisons handled above"),
        };
        if !value.value.is_finite() {
            self.report(Diagnostic::error(Code::InvalidArithmetic, span, "the result is not a finite number"));
            return None;
        }
        Some(Value::Number(value))
    }

    /// `first..last`, inclusive, whole numbers.
    fn int_range(&mut self, a: Number, a_span: Span, b: Number, b_span: Span, span: Span) -> Option<Value> {
        let first = self.whole(a, a_span, i64::MIN, i64::MAX, "a range bound")?;
        let last = self.whole(b, b_span, i64::MIN, i64::MAX, "a range bound")?;
        if last < first {
            self.report(
                Diagnostic::error(Code::ValueOutOfRange, span, format!("the range {first}..{last} is empty"))
                    .with_help("ranges count up and include both ends"),
            );
            return None;
        }
        // `last - first` overflows `i64` for bounds far apart; `abs_diff` is exact (`last >= first`).
        if u128::from(last.abs_diff(first)) >= MAX_GENERATED as u128 {
            self.report(Diagnostic::error(
                Code::ValueOutOfRange,
                span,
                format!("the range has more than {MAX_GENERATED} values"),
            ));
            return None;
        }
        let values = (first..=last).map(|i| i as f64);
        Some(numbers_list(values, Number { value: 0.0, dim: Dim::NONE, unit: None }, span))
    }

    /// Checks that `n` is a plain whole number in `[min, max]`.
    pub(crate) fn whole(&mut self, n: Number, span: Span, min: i64, max: i64, what: &str) -> Option<i64> {
        if !n.dim.is_none() {
            self.report(Diagnostic::error(
                Code::DimensionMismatch,
                span,
                format!("{what} must be a plain number, found a quantity of {}", n.dim),
            ));
            return None;
        }
        if n.value.fract() != 0.0 {
            self.report(Diagnostic::error(
                Code::TypeMismatch,
                span,
                format!("{what} must be a whole number, found {}", n.value),
            ));
            return None;
        }
        if n.value < min as f64 || n.value > max as f64 {
            let range = match (min, max) {
                (i64::MIN, _) => format!("at most {max}"),
                (_, i64::MAX) => format!("at least {min}"),
                _ => format!("between {min} and {max}"),
            };
            self.report(Diagnostic::error(
                Code::ValueOutOfRange,
                span,
                format!("{what} must be {range}, found {}", n.value),
            ));
            return None;
        }
        Some(n.value as i64)
    }

    fn same_dim(&mut self, a: Number, a_span: Span, b: Number, b_span: Span) -> Option<()> {
        if a.dim == b.dim {
            return Some(());
        }
        let describe = |n: Number| if n.dim.is_none() { "a plain number".to_string() } else { n.dim.to_string() };
        let mut d = Diagnostic::error(
            Code::DimensionMismatch,
            b_span,
            format!("expected {}, found {}", describe(a), describe(b)),
        )
        .with_label(a_span, format!("this is {}", describe(a)));
        if b.dim.is_none() && !a.dim.is_none() {
            d = d.with_help(format!("give the unit: e.g. `{} {}`", b.value, units::example_unit(a.dim)));
        }
        self.report(d);
        None
    }
}

fn is_range(expr: &Expr) -> bool {
    matches!(expr, Expr::Binary(b) if b.op() == Some(BinOp::Range))
}

fn numbers_list(values: impl Iterator<Item = f64>, like: Number, span: Span) -> Value {
    Value::List(values.map(|value| Spanned { value: Value::Number(Number { value, ..like }), span }).collect())
}

/// The stdlib module whose last segment is `alias`, to suggest a missing import.
fn stdlib_module_ending_in(alias: &str) -> Option<&'static str> {
    qdf_stdlib::module_paths().iter().copied().find(|p| p.rsplit('.').next() == Some(alias))
}

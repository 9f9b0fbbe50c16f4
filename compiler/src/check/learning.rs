//! Models, training and comparisons: architectures, targets, data splits (checked against the
//! scan so neither side of a split is empty), and labels against what the data generation computes.

use crate::diagnostics::{Code, Diagnostic};
use crate::hir;
use crate::syntax::ast::BinOp;
use crate::units::Dim;

use super::eval::{CallArg, Spanned, Value};
use super::fields::Fields;
use super::schema;
use super::{Checker, DeclId};

impl Checker<'_> {
    pub(crate) fn model(&mut self, id: DeclId) -> Option<hir::Model> {
        let before = self.error_count();
        let fields = self.read_decl(id);
        let kind = self.choice(&fields, "kind").unwrap_or_else(|| "mlp".into());
        self.check_kind_fields(&fields, &kind);
        let target = self.target(&fields);
        let hidden = self.ints(&fields, "hidden").map(|h| h.into_iter().map(|w| w as u32).collect::<Vec<_>>());
        if hidden.as_ref().is_some_and(Vec::is_empty) {
            self.report(Diagnostic::error(
                Code::ValueOutOfRange,
                Self::value_span(&fields, "hidden"),
                "`hidden` needs at least one layer width",
            ));
        }
        let model = hir::Model {
            name: self.decl(id).name.clone(),
            kind,
            features: self.choice(&fields, "features").unwrap_or_else(|| "inverse_distances".into()),
            target: target.unwrap_or(hir::Target { baseline: Some("hf".into()) }),
            hidden: hidden.unwrap_or_else(|| vec![64, 64]),
            activation: self.choice(&fields, "activation").unwrap_or_else(|| "silu".into()),
            kernel: self.choice(&fields, "kernel").unwrap_or_else(|| "rbf".into()),
            regularization: self.real(&fields, "regularization").unwrap_or(1e-8),
            length_scale: self.real(&fields, "length_scale").unwrap_or(1.0),
        };
        (self.error_count() == before).then_some(model)
    }

    fn target(&mut self, fields: &Fields) -> Option<hir::Target> {
        let value = fields.value("target")?.clone();
        match &value.value {
            Value::Word(w) if w == "energy" => Some(hir::Target { baseline: None }),
            Value::Difference(label, baseline) if label == "energy" && schema::METHODS.contains(&baseline.as_str()) => {
                Some(hir::Target { baseline: Some(baseline.clone()) })
            }
            Value::Difference(label, baseline) if label == "energy" => {
                self.report(
                    Diagnostic::error(
                        Code::UnknownChoice,
                        value.span,
                        format!("`{baseline}` is not a reference method"),
                    )
                    .with_help(format!("the baseline is one of: {}", schema::METHODS.join(", "))),
                );
                None
            }
            _ => {
                self.report(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        value.span,
                        format!("`target` must be `energy` or `energy - <method>`, found {}", value.value.describe()),
                    )
                    .with_help("e.g. `target = energy - hf` learns the correlation correction"),
                );
                None
            }
        }
    }

    pub(crate) fn train(&mut self, id: DeclId) -> Option<hir::Train> {
        let before = self.error_count();
        let fields = self.read_decl(id);
        let data = self.decl_ref(&fields, "data");
        let model = self.decl_ref(&fields, "model");
        let labels = self.choice(&fields, "labels").unwrap_or_else(|| "vqe".into());
        let epochs = self.int(&fields, "epochs").unwrap_or(1000) as u64;
        let learning_rate = self.real(&fields, "learning_rate").unwrap_or(1e-3);
        let batch_size = self.int(&fields, "batch_size").map(|b| b as u64);
        let weight_decay = self.real(&fields, "weight_decay").unwrap_or(0.0);
        let seed = self.int(&fields, "seed").map_or(self.spec.experiment.seed, |s| s as u64);
        if self.error_count() > before {
            return None;
        }
        let data = self.checked_index(data?)?;
        let model = self.checked_index(model?)?;
        self.label_generated(&fields, "labels", &labels, data);
        if let Some(baseline) = self.spec.models[model].target.baseline.clone() {
            self.label_generated(&fields, "model", &baseline, data);
        }
        if self.spec.models[model].kind == "krr" {
            for field in ["epochs", "learning_rate", "batch_size", "weight_decay"] {
                if let Some(entry) = fields.entry(field) {
                    self.report(
                        Diagnostic::warning(
                            Code::FieldNotForKind,
                            entry.name_span,
                            format!("`{field}` is ignored: kernel ridge regression is solved in closed form"),
                        )
                        .with_help("remove it, or use `kind = mlp` in the model"),
                    );
                }
            }
        }
        let split = self.split(&fields, data)?;
        let train = hir::Train {
            name: self.decl(id).name.clone(),
            data,
            model,
            labels,
            split,
            epochs,
            learning_rate,
            batch_size,
            weight_decay,
            seed,
        };
        (self.error_count() == before).then_some(train)
    }

    /// Reports a label source the generate block does not compute.
    fn label_generated(&mut self, fields: &Fields, field: &str, label: &str, data: usize) {
        let generate = &self.spec.generates[data];
        if label == "vqe" || generate.references.iter().any(|r| r == label) {
            return;
        }
        let name = generate.name.clone();
        let what = if field == "model" {
            format!("the model's target needs `{label}` energies")
        } else {
            format!("`{label}` labels")
        };
        self.report(
            Diagnostic::error(
                Code::LabelNotGenerated,
                Self::value_span(fields, field),
                format!("{what}, but generate `{name}` does not compute them"),
            )
            .with_help(format!("add `{label}` to the `references` of generate `{name}`")),
        );
    }

    fn split(&mut self, fields: &Fields, data: usize) -> Option<hir::Split> {
        let Some(value) = fields.value("split").cloned() else { return Some(hir::Split::Random { test: 0.2 }) };
        let usage = "`random(test = 0.2)`, `extrapolate(r > 2.0 angstrom)` or `interpolate(r < 1.0 angstrom)`";
        let Value::Call { name, args } = &value.value else {
            self.report(Diagnostic::error(
                Code::TypeMismatch,
                value.span,
                format!("`split` must be {usage}, found {}", value.value.describe()),
            ));
            return None;
        };
        match (name.as_str(), args.as_slice()) {
            ("random", [CallArg { name: Some(arg), value: fraction }]) if arg == "test" => {
                let Value::Number(n) = fraction.value else {
                    self.report(Diagnostic::error(
                        Code::TypeMismatch,
                        fraction.span,
                        "`test` is the held-out fraction, a number between 0 and 1",
                    ));
                    return None;
                };
                if !n.dim.is_none() || n.value <= 0.0 || n.value >= 1.0 {
                    self.report(Diagnostic::error(
                        Code::ValueOutOfRange,
                        fraction.span,
                        format!("`test` must be a fraction strictly between 0 and 1, found {}", n.value),
                    ));
                    return None;
                }
                self.split_sizes(&value, data, |_| None, n.value)?;
                Some(hir::Split::Random { test: n.value })
            }
            ("extrapolate" | "interpolate", [CallArg { name: None, value: condition }]) => {
                self.condition_split(name, condition, data, &value)
            }
            _ => {
                self.report(Diagnostic::error(Code::WrongArguments, value.span, format!("`split` must be {usage}")));
                None
            }
        }
    }

    fn condition_split(
        &mut self,
        strategy: &str,
        condition: &Spanned<Value>,
        data: usize,
        whole: &Spanned<Value>,
    ) -> Option<hir::Split> {
        let Value::Compare { lhs, op, rhs } = &condition.value else {
            self.report(Diagnostic::error(
                Code::TypeMismatch,
                condition.span,
                format!("`{strategy}` takes a condition on a scan variable, e.g. `r > 2.0 angstrom`"),
            ));
            return None;
        };
        let Value::Word(variable) = &lhs.value else {
            self.report(Diagnostic::error(
                Code::TypeMismatch,
                lhs.span,
                "the left side of the condition must be a scan variable",
            ));
            return None;
        };
        let Value::Number(threshold) = rhs.value else {
            self.report(Diagnostic::error(
                Code::TypeMismatch,
                rhs.span,
                "the right side of the condition must be a number or quantity",
            ));
            return None;
        };
        // The variable must be a scan variable of every molecule the data covers.
        let molecules = self.data_molecules(data);
        let mut position = None;
        for &m in &molecules {
            let molecule = &self.spec.molecules[m];
            let Some(index) = molecule.scan.iter().position(|s| s.name == *variable) else {
                let names: Vec<&str> = molecule.scan.iter().map(|s| s.name.as_str()).collect();
                let help = if names.is_empty() {
                    format!("molecule `{}` has no scan", molecule.name)
                } else {
                    format!("its scan variables: {}", names.join(", "))
                };
                self.report(
                    Diagnostic::error(
                        Code::UnknownScanVariable,
                        lhs.span,
                        format!("`{variable}` is not a scan variable of molecule `{}`", molecule.name),
                    )
                    .with_help(help),
                );
                return None;
            };
            let dim = molecule.scan[index].dimension.clone();
            if molecule.scan[index].dim != threshold.dim {
                let found =
                    if threshold.dim.is_none() { "a plain number".to_string() } else { threshold.dim.to_string() };
                let mut d = Diagnostic::error(
                    Code::DimensionMismatch,
                    rhs.span,
                    format!("`{variable}` is a {dim}, but the threshold is {found}"),
                );
                if threshold.dim == Dim::NONE {
                    d = d.with_help(format!("give the threshold its unit, e.g. `{} angstrom`", threshold.value));
                }
                self.report(d);
                return None;
            }
            position = Some(index);
        }
        let index = position?;
        let op_text = op.symbol().to_string();
        let holds = |values: &[f64]| Some(compare(values[index], *op, threshold.value));
        self.split_sizes(whole, data, holds, 0.0)?;
        Some(hir::Split::Condition {
            strategy: strategy.into(),
            variable: variable.clone(),
            op: op_text,
            value: threshold.value,
        })
    }

    /// Checks that a split leaves points on both sides. `held_out` says whether a point (by its scan
    /// values) is a test point, or `None` for a random split of `fraction`.
    fn split_sizes(
        &mut self,
        value: &Spanned<Value>,
        data: usize,
        held_out: impl Fn(&[f64]) -> Option<bool>,
        fraction: f64,
    ) -> Option<()> {
        let molecules = self.data_molecules(data);
        let (mut test, mut total) = (0usize, 0usize);
        for m in molecules {
            for point in &self.spec.molecules[m].points {
                total += 1;
                if held_out(&point.scan_values).unwrap_or(false) {
                    test += 1;
                }
            }
        }
        if fraction > 0.0 {
            test = (fraction * total as f64).round() as usize;
        }
        if test == 0 || test == total {
            let side = if test == 0 { "no test points" } else { "no training points" };
            self.report(
                Diagnostic::error(
                    Code::EmptySplit,
                    value.span,
                    format!("this split leaves {side} among the {total} geometry points"),
                )
                .with_help("move the threshold inside the scanned range, or scan more points"),
            );
            return None;
        }
        Some(())
    }

    /// The molecules a generate block's data covers.
    fn data_molecules(&self, data: usize) -> Vec<usize> {
        let ansatz = &self.spec.ansatzes[self.spec.generates[data].ansatz];
        self.spec.active_spaces[ansatz.space].spaces.iter().map(|s| s.molecule).collect()
    }

    pub(crate) fn compare(&mut self, id: DeclId) -> Option<hir::Compare> {
        let before = self.error_count();
        let fields = self.read_decl(id);
        let train = self.decl_ref(&fields, "train");
        let labels = self.choices(&fields, "labels");
        let truth = self.choice(&fields, "truth").unwrap_or_else(|| "fci".into());
        let metrics =
            self.choices(&fields, "metrics").unwrap_or_else(|| vec!["mae".into(), "rmse".into(), "max_error".into()]);
        if self.error_count() > before {
            return None;
        }
        let train = self.checked_index(train?)?;
        let labels = labels?;
        let data = self.spec.trains[train].data;
        for label in &labels {
            self.label_generated(&fields, "labels", label, data);
        }
        self.label_generated(&fields, "truth", &truth, data);
        (self.error_count() == before).then(|| hir::Compare {
            name: self.decl(id).name.clone(),
            train,
            labels,
            truth,
            metrics,
        })
    }
}

fn compare(x: f64, op: BinOp, threshold: f64) -> bool {
    match op {
        BinOp::Lt => x < threshold,
        BinOp::Le => x <= threshold,
        BinOp::Gt => x > threshold,
        BinOp::Ge => x >= threshold,
        BinOp::Eq => x == threshold,
        _ => x != threshold,
    }
}

//! Rendering diagnostics: ariadne for people, JSON for tools. The only module that formats them.

use std::io::IsTerminal;

use ariadne::{Color, Config, IndexType, Label, Report, ReportKind};
use qdf_compiler::diagnostics::{Diagnostic, Severity};
use qdf_compiler::source::{SourceMap, Span};
use qdf_compiler::Compilation;
use serde_json::{json, Value};

/// One checked file and its diagnostics.
#[derive(Debug)]
pub struct FileReport {
    pub compilation: Compilation,
}

impl FileReport {
    pub fn new(compilation: Compilation) -> Self {
        FileReport { compilation }
    }

    fn path(&self) -> &str {
        &self.compilation.sources.get(self.compilation.main).name
    }

    fn count(&self, severity: Severity) -> usize {
        self.compilation.diagnostics.iter().filter(|d| d.severity == severity).count()
    }
}

/// Prints each diagnostic with its source excerpt to stderr.
pub fn human(report: &FileReport) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", render(&report.compilation.sources, &report.compilation.diagnostics, color));
}

/// Renders diagnostics as ariadne does, without colour when `color` is false. The source cache
/// is built once for all of them, so the cost grows with the number of diagnostics plus the size
/// of the files, not their product.
pub fn render(sources: &SourceMap, diagnostics: &[Diagnostic], color: bool) -> String {
    let mut cache = ariadne::sources(sources.iter().map(|(_, file)| (file.name.clone(), file.text.clone())));
    let mut out = Vec::new();
    for diagnostic in diagnostics {
        if report(sources, diagnostic, color).write(&mut cache, &mut out).is_err() {
            out.extend_from_slice(format!("{}: {}\n", diagnostic.code.as_str(), diagnostic.message).as_bytes());
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A span as ariadne takes it: the file name and a byte range.
type NamedSpan = (String, std::ops::Range<usize>);

fn report(sources: &SourceMap, diagnostic: &Diagnostic, color: bool) -> Report<'static, NamedSpan> {
    let kind = match diagnostic.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
    };
    let name = |span: Span| sources.get(span.file).name.clone();
    let primary = diagnostic.primary.span;
    let accent = if diagnostic.severity == Severity::Error { Color::Red } else { Color::Yellow };
    let primary_message =
        if diagnostic.primary.message.is_empty() { "here" } else { diagnostic.primary.message.as_str() };
    let mut labels = vec![(primary, primary_message, accent)];
    labels.extend(diagnostic.labels.iter().map(|l| (l.span, l.message.as_str(), Color::Blue)));
    // ariadne draws labels of one file together only when they come in source order.
    labels.sort_by_key(|(span, _, _)| (span.file, span.start));
    let mut builder = Report::build(kind, (name(primary), primary.range()))
        .with_config(Config::default().with_color(color).with_index_type(IndexType::Byte))
        .with_code(diagnostic.code.as_str())
        .with_message(&diagnostic.message);
    for (span, message, label_color) in labels {
        builder =
            builder.with_label(Label::new((name(span), span.range())).with_message(message).with_color(label_color));
    }
    if let Some(help) = &diagnostic.help {
        builder = builder.with_help(help);
    }
    builder.finish()
}

/// Prints a spec's diagnostics in `format` when it produced no IR (human output ends with the
/// summary line).
pub(super) fn failure(compilation: Compilation, format: super::Format) {
    let reports = [FileReport::new(compilation)];
    match format {
        super::Format::Human => {
            human(&reports[0]);
            summary(&reports);
        }
        super::Format::Json => json(&reports),
    }
}

/// The closing line: how many files, errors and warnings.
pub fn summary(reports: &[FileReport]) {
    let errors: usize = reports.iter().map(|r| r.count(Severity::Error)).sum();
    let warnings: usize = reports.iter().map(|r| r.count(Severity::Warning)).sum();
    let files = reports.len();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if errors == 0 {
        eprintln!(
            "checked {}: no errors{}",
            plural(files, "file"),
            if warnings > 0 { format!(", {}", plural(warnings, "warning")) } else { String::new() }
        );
    } else {
        eprintln!("checked {}: {}, {}", plural(files, "file"), plural(errors, "error"), plural(warnings, "warning"));
    }
}

/// Prints every file's diagnostics as one JSON document on stdout.
pub fn json(reports: &[FileReport]) {
    let files: Vec<Value> = reports
        .iter()
        .map(|report| {
            let sources = &report.compilation.sources;
            let diagnostics: Vec<Value> =
                report.compilation.diagnostics.iter().map(|d| diagnostic_json(sources, d)).collect();
            json!({
                "path": report.path(),
                "errors": report.count(Severity::Error),
                "warnings": report.count(Severity::Warning),
                "ir_hash": report.compilation.ir.as_ref().map(|ir| ir.hash.clone()),
                "diagnostics": diagnostics,
            })
        })
        .collect();
    println!("{}", serde_json::to_string_pretty(&json!({ "files": files })).unwrap_or_default());
}

fn span_json(sources: &SourceMap, span: Span) -> Value {
    let file = sources.get(span.file);
    let start = file.line_col(span.start as usize);
    let end = file.line_col(span.end as usize);
    json!({
        "file": file.name,
        "start": { "offset": span.start, "line": start.line, "column": start.column, "column_utf16": start.column_utf16 },
        "end": { "offset": span.end, "line": end.line, "column": end.column, "column_utf16": end.column_utf16 },
    })
}

pub(super) fn diagnostic_json(sources: &SourceMap, d: &Diagnostic) -> Value {
    let labels: Vec<Value> =
        d.labels.iter().map(|l| json!({ "span": span_json(sources, l.span), "message": l.message })).collect();
    json!({
        "code": d.code.as_str(),
        "severity": d.severity,
        "message": d.message,
        "span": span_json(sources, d.primary.span),
        "labels": labels,
        "help": d.help,
    })
}

//! Keeps `docs/language.md` and `docs/diagnostics.md` true to the code.
//!
//! - Every declaration kind has a `` ## `keyword` `` section, in `DeclKind::ALL` order, that
//!   states the kind's summary and names every field (and the optimizer settings) in backticks.
//! - Every unit name, every diagnostic code and every stdlib module appears; no unknown `QDFxxxx`
//!   code does.
//! - The tables between `<!-- generated: ID -->` and `<!-- end generated -->` are exactly what
//!   the schema, the unit table, the code table and the stdlib sources give. Run
//!   `UPDATE_DOCS=1 cargo test --test docs` to rewrite them after an intended change, then review
//!   the diff.
//! - Every fenced block tagged `qdf` compiles with no diagnostics at all; a block tagged
//!   `qdf error=QDFxxxx[,QDFyyyy]` produces exactly those codes (with `plan`, also running the
//!   shot planner, whose findings need the qubit Hamiltonian); blocks tagged `qdf-fragment`
//!   are partial and not compiled. Any other tag starting with `qdf` is a mistake.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

use qdf_compiler::check::schema::{self, DeclKind, FieldSpec, Ty};
use qdf_compiler::diagnostics::Code;
use qdf_compiler::syntax::{self, ast};
use qdf_compiler::units::{self, Dim};
use qdf_compiler::{compile, NoFiles};
use qdf_runtime::planner::{self, plan_experiment, PlanOptions};

const LANGUAGE: &str = "docs/language.md";
const DIAGNOSTICS: &str = "docs/diagnostics.md";
const BEGIN: &str = "<!-- generated: ";
const END: &str = "<!-- end generated -->";

fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read(rel: &str) -> String {
    fs::read_to_string(path(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

// ---------------------------------------------------------------------------------------------
// Markdown structure

/// A fenced code block: its info string, its text and the line of its opening fence (1-based).
struct Block {
    info: String,
    text: String,
    line: usize,
}

fn code_blocks(doc: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (i, line) in doc.lines().enumerate() {
        match &mut open {
            None => {
                if let Some(info) = line.strip_prefix("```") {
                    open = Some(Block { info: info.trim().to_string(), text: String::new(), line: i + 1 });
                }
            }
            Some(block) => {
                if line.trim_end() == "```" {
                    blocks.push(open.take().expect("a block is open"));
                } else {
                    block.text.push_str(line);
                    block.text.push('\n');
                }
            }
        }
    }
    assert!(open.is_none(), "a code block is not closed");
    blocks
}

/// The text outside code blocks, line by line, with code lines blanked (so headings inside code
/// do not count).
fn prose_lines(doc: &str) -> Vec<&str> {
    let mut in_code = false;
    doc.lines()
        .map(|line| {
            if line.starts_with("```") {
                in_code = !in_code;
                return "";
            }
            if in_code {
                ""
            } else {
                line
            }
        })
        .collect()
}

/// The `## ` sections: heading text and the section's full text (code included), in order.
fn sections(doc: &str) -> Vec<(String, String)> {
    let prose = prose_lines(doc);
    let lines: Vec<&str> = doc.lines().collect();
    let starts: Vec<usize> = (0..lines.len()).filter(|&i| prose[i].starts_with("## ")).collect();
    starts
        .iter()
        .enumerate()
        .map(|(n, &start)| {
            let end = starts.get(n + 1).copied().unwrap_or(lines.len());
            let heading = prose[start].trim_start_matches("## ").trim().to_string();
            (heading, lines[start + 1..end].join("\n"))
        })
        .collect()
}

fn kind_section(doc: &str, kind: DeclKind) -> String {
    let heading = format!("`{}`", kind.keyword());
    let found: Vec<String> = sections(doc).into_iter().filter(|(h, _)| *h == heading).map(|(_, s)| s).collect();
    assert_eq!(found.len(), 1, "{LANGUAGE} needs exactly one `## {heading}` section, found {}", found.len());
    found.into_iter().next().expect("one section")
}

/// Every `QDFdddd` in `text`.
fn codes_in(text: &str) -> BTreeSet<String> {
    let bytes = text.as_bytes();
    let mut found = BTreeSet::new();
    let mut i = 0;
    while let Some(at) = text[i..].find("QDF") {
        let start = i + at;
        let digits = &bytes[start + 3..(start + 7).min(bytes.len())];
        if digits.len() == 4 && digits.iter().all(u8::is_ascii_digit) {
            found.insert(text[start..start + 7].to_string());
        }
        i = start + 3;
    }
    found
}

// ---------------------------------------------------------------------------------------------
// Generated tables

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn ticks(words: &[&str]) -> String {
    words.iter().map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ")
}

fn type_text(ty: Ty) -> String {
    match ty {
        Ty::Int { min, max } => format!("whole number, {min} to {max}"),
        Ty::Real { min, max } if max.is_infinite() => format!("number ≥ {min}"),
        Ty::Real { min, max } => format!("number, {min} to {max}"),
        Ty::Quantity(dim) => format!("quantity of {dim}"),
        Ty::Bool => "`on` or `off`".into(),
        Ty::Text => "string".into(),
        Ty::Choice(words) => format!("one of {}", ticks(words)),
        Ty::Choices(words) => format!("list of {}", ticks(words)),
        Ty::Ints { min } => format!("list of whole numbers ≥ {min}"),
        Ty::Ref(kinds) => {
            let names: Vec<String> = kinds.iter().map(|k| format!("`{}`", k.keyword())).collect();
            let article = if kinds[0].with_article().starts_with("an ") { "an" } else { "a" };
            format!("name of {article} {}", names.join(" or "))
        }
        Ty::Refs(kind) => format!("list of `{}` names", kind.keyword()),
        Ty::Special(about) => about.to_string(),
    }
}

fn unit_text(ty: Ty) -> String {
    match ty {
        Ty::Quantity(dim) => format!("{dim} → {}", units::normal_unit_name(dim)),
        _ => "—".into(),
    }
}

fn default_text(field: &FieldSpec) -> String {
    match field.default {
        _ if field.required => "required".into(),
        None => "—".into(),
        // Defaults that are descriptions rather than values are shown as prose.
        Some(d) if d.starts_with("all ") || d.starts_with("the ") => d.to_string(),
        Some(d) => format!("`{d}`"),
    }
}

fn field_rows(fields: &[FieldSpec]) -> String {
    let mut out = String::from("| Field | Type | Default | Unit | Meaning |\n|---|---|---|---|---|\n");
    for f in fields {
        let mut meaning = f.doc.to_string();
        if let Some(kinds) = f.only_for {
            let plural = if kinds.len() == 1 { "" } else { "s" };
            let _ = write!(meaning, " Only for kind{plural} {}.", ticks(kinds));
        }
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            f.name,
            cell(&type_text(f.ty)),
            cell(&default_text(f)),
            cell(&unit_text(f.ty)),
            cell(&meaning)
        );
    }
    out
}

fn units_table() -> String {
    let mut out = String::from("| Unit | Dimension | Factor | Normalised to |\n|---|---|---|---|\n");
    for u in units::UNITS {
        let _ = writeln!(out, "| `{}` | {} | {} | `{}` |", u.name, u.dim, u.to_normal, units::normal_unit_name(u.dim));
    }
    out
}

fn codes_table() -> String {
    let mut out = String::from("| Code | Meaning |\n|---|---|\n");
    for code in Code::ALL {
        let _ = writeln!(out, "| `{}` | {} |", code.as_str(), cell(code.summary()));
    }
    out
}

/// A device of a stdlib module: its name and its fields as written.
struct ModuleDevice {
    name: String,
    fields: Vec<(String, String)>,
}

fn module_devices(module: &str) -> Vec<ModuleDevice> {
    let source = qdf_stdlib::module_source(module).expect("a stdlib module");
    let parse = syntax::parse(source);
    assert!(parse.errors().is_empty(), "{module} has syntax errors");
    parse
        .file()
        .decls()
        .filter(|d| d.keyword().is_some_and(|k| k.text() == "device"))
        .map(|d| {
            let name = d.name().expect("a named device").text();
            let fields = d
                .block()
                .expect("a device body")
                .fields()
                .map(|f: ast::Field| {
                    let value = f.value().map(|v| v.syntax().text().to_string()).unwrap_or_default();
                    (f.name().expect("a field name").text(), value.trim().to_string())
                })
                .collect();
            ModuleDevice { name, fields }
        })
        .collect()
}

/// A figure of `device`, following `base` inside the module: the value and whether it is inherited.
fn figure(devices: &[ModuleDevice], device: &ModuleDevice, field: &str) -> Option<(String, bool)> {
    if let Some((_, v)) = device.fields.iter().find(|(n, _)| n == field) {
        return Some((v.clone(), false));
    }
    let (_, base) = device.fields.iter().find(|(n, _)| n == "base")?;
    let base = devices.iter().find(|d| d.name == *base)?;
    figure(devices, base, field).map(|(v, _)| (v, true))
}

fn stdlib_table(module: &str) -> String {
    let alias = module.rsplit('.').next().expect("a module path");
    let devices = module_devices(module);
    let mut out = String::from("| Field |");
    for d in &devices {
        let _ = write!(out, " `{alias}.{}` |", d.name);
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(devices.len()));
    out.push('\n');
    for field in DeclKind::Device.fields() {
        let cells: Vec<Option<(String, bool)>> = devices.iter().map(|d| figure(&devices, d, field.name)).collect();
        if cells.iter().all(Option::is_none) {
            continue;
        }
        let _ = write!(out, "| `{}` |", field.name);
        for c in cells {
            match c {
                None => out.push_str(" — |"),
                Some((v, false)) => {
                    let _ = write!(out, " `{}` |", cell(&v));
                }
                Some((v, true)) => {
                    let _ = write!(out, " *`{}`* |", cell(&v));
                }
            }
        }
        out.push('\n');
    }
    out
}

/// Every generated region of a document: its id and expected content.
fn expected_regions(doc: &str) -> Vec<(String, String)> {
    match doc {
        LANGUAGE => {
            let mut regions: Vec<(String, String)> =
                DeclKind::ALL.iter().map(|k| (format!("fields {}", k.keyword()), field_rows(k.fields()))).collect();
            regions.push(("fields optimizer".into(), field_rows(schema::OPTIMIZER_FIELDS)));
            regions.push(("fields natural_orbitals".into(), field_rows(schema::NATURAL_ORBITAL_FIELDS)));
            regions.push(("units".into(), units_table()));
            for module in qdf_stdlib::module_paths() {
                regions.push((format!("stdlib {module}"), stdlib_table(module)));
            }
            regions
        }
        DIAGNOSTICS => vec![("codes".into(), codes_table())],
        _ => unreachable!("only the two reference documents have generated regions"),
    }
}

/// The generated regions of `text`: id and the byte range of the content between the markers.
fn regions(rel: &str, text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(i) = text[at..].find(BEGIN) {
        let open = at + i;
        let id_end = open + text[open..].find("-->").unwrap_or_else(|| panic!("{rel}: unclosed marker"));
        let id = text[open + BEGIN.len()..id_end].trim().to_string();
        let content_start = id_end + "-->".len() + 1;
        let close = content_start
            + text[content_start..].find(END).unwrap_or_else(|| panic!("{rel}: region `{id}` has no end marker"));
        found.push((id, content_start..close));
        at = close + END.len();
    }
    found
}

#[test]
fn generated_tables_match_the_code() {
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut problems = Vec::new();
    for rel in [LANGUAGE, DIAGNOSTICS] {
        let mut text = read(rel);
        let expected = expected_regions(rel);
        let found = regions(rel, &text);
        let found_ids: Vec<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
        for (id, _) in &expected {
            match found_ids.iter().filter(|f| **f == id).count() {
                0 => problems.push(format!("{rel}: the region `{BEGIN}{id} -->` is missing")),
                1 => {}
                n => problems.push(format!("{rel}: the region `{id}` appears {n} times")),
            }
        }
        for id in &found_ids {
            if !expected.iter().any(|(e, _)| e == id) {
                problems.push(format!("{rel}: unknown generated region `{id}`"));
            }
        }
        // Replace from the end so earlier ranges stay valid.
        let mut stale = false;
        for (id, range) in found.iter().rev() {
            let Some((_, want)) = expected.iter().find(|(e, _)| e == id) else { continue };
            if text[range.clone()] != **want {
                stale = true;
                if update {
                    text.replace_range(range.clone(), want);
                } else {
                    problems.push(format!(
                        "{rel}: the generated table `{id}` is out of date; run `UPDATE_DOCS=1 cargo test --test docs` and review the diff\n--- expected ---\n{want}--- found ---\n{}",
                        &text[range.clone()]
                    ));
                }
            }
        }
        if update && stale {
            fs::write(path(rel), text).expect("rewrite the document");
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

// ---------------------------------------------------------------------------------------------
// Coverage of the language

#[test]
fn every_declaration_kind_has_a_section_naming_every_field() {
    let doc = read(LANGUAGE);
    let headings: Vec<String> = sections(&doc).into_iter().map(|(h, _)| h).collect();
    let order: Vec<usize> = DeclKind::ALL
        .iter()
        .map(|k| {
            let heading = format!("`{}`", k.keyword());
            headings.iter().position(|h| *h == heading).unwrap_or_else(|| panic!("no `## {heading}` section"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "the declaration sections must follow DeclKind::ALL order");
    let mut missing = Vec::new();
    for kind in DeclKind::ALL {
        let section = kind_section(&doc, kind);
        if !section.contains(kind.summary()) {
            missing.push(format!("`{}`: its summary \"{}\"", kind.keyword(), kind.summary()));
        }
        let mut fields: Vec<&FieldSpec> = kind.fields().iter().collect();
        if kind == DeclKind::Generate {
            fields.extend(schema::OPTIMIZER_FIELDS);
        }
        if kind == DeclKind::ActiveSpace {
            fields.extend(schema::NATURAL_ORBITAL_FIELDS);
        }
        for field in fields {
            let row = format!("| `{}` |", field.name);
            if !section.contains(&format!("`{}`", field.name)) || !section.lines().any(|l| l.starts_with(&row)) {
                missing.push(format!("`{}`: field `{}` (a table row and a mention)", kind.keyword(), field.name));
            }
        }
        if kind == DeclKind::Generate {
            for optimizer in schema::OPTIMIZERS {
                if !section.contains(&format!("`{optimizer}`")) {
                    missing.push(format!("`generate`: the optimizer `{optimizer}`"));
                }
            }
        }
        let examples = code_blocks(&section).into_iter().filter(|b| b.info == "qdf").count();
        if examples == 0 {
            missing.push(format!("`{}`: a complete ```qdf example", kind.keyword()));
        }
    }
    assert!(missing.is_empty(), "{LANGUAGE} lacks:\n{}", missing.join("\n"));
}

#[test]
fn every_unit_is_documented() {
    let doc = read(LANGUAGE);
    let missing: Vec<&str> =
        units::UNITS.iter().map(|u| u.name).filter(|name| !doc.contains(&format!("`{name}`"))).collect();
    assert!(missing.is_empty(), "{LANGUAGE} does not name the units {missing:?}");
    for dim in [Dim::LENGTH, Dim::ENERGY, Dim::ANGLE, Dim::TIME, Dim::MONEY] {
        let normal = units::normal_unit_name(dim);
        assert!(doc.contains(&format!("`{normal}`")), "{LANGUAGE} does not say values normalise to `{normal}`");
    }
}

#[test]
fn every_stdlib_module_and_device_is_documented() {
    let doc = read(LANGUAGE);
    for module in qdf_stdlib::module_paths() {
        assert!(doc.contains(&format!("import {module}")), "{LANGUAGE} does not show `import {module}`");
        let alias = module.rsplit('.').next().expect("a module path");
        for device in module_devices(module) {
            let name = format!("`{alias}.{}`", device.name);
            assert!(doc.contains(&name), "{LANGUAGE} does not name {name}");
        }
    }
}

#[test]
fn every_diagnostic_code_is_documented_and_no_other() {
    let doc = read(DIAGNOSTICS);
    let known: BTreeSet<String> = Code::ALL.iter().map(|c| c.as_str().to_string()).collect();
    let found = codes_in(&doc);
    let missing: Vec<&String> = known.difference(&found).collect();
    let unknown: Vec<&String> = found.difference(&known).collect();
    assert!(missing.is_empty(), "{DIAGNOSTICS} does not document {missing:?}");
    assert!(unknown.is_empty(), "{DIAGNOSTICS} mentions codes that do not exist: {unknown:?}");
    let language_unknown: Vec<String> = codes_in(&read(LANGUAGE)).difference(&known).cloned().collect();
    assert!(language_unknown.is_empty(), "{LANGUAGE} mentions codes that do not exist: {language_unknown:?}");
}

/// Every `### QDFxxxx` example section shows a block that produces that code.
#[test]
fn every_diagnostic_example_section_triggers_its_code() {
    let doc = read(DIAGNOSTICS);
    let prose = prose_lines(&doc);
    let lines: Vec<&str> = doc.lines().collect();
    let starts: Vec<usize> = (0..lines.len()).filter(|&i| prose[i].starts_with("### ")).collect();
    let mut problems = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let Some(code) = codes_in(prose[start]).into_iter().next() else { continue };
        let end = starts.get(n + 1).copied().unwrap_or(lines.len());
        let section = lines[start..end].join("\n");
        let triggers =
            code_blocks(&section).iter().any(|b| expected_codes(&b.info).is_some_and(|codes| codes.contains(&code)));
        if !triggers {
            problems.push(format!("`{}` has no ```qdf error={code} block", prose[start]));
        }
    }
    assert!(problems.is_empty(), "{DIAGNOSTICS}:\n{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Examples compile

/// For an info string `qdf error=QDF1002,QDF2001`, the codes; `None` for any other.
fn expected_codes(info: &str) -> Option<BTreeSet<String>> {
    let mut words = info.split_whitespace();
    if words.next() != Some("qdf") {
        return None;
    }
    let codes = words.find_map(|w| w.strip_prefix("error="))?;
    Some(codes.split(',').map(str::to_string).collect())
}

fn check_examples(rel: &str) {
    let doc = read(rel);
    let mut problems = Vec::new();
    let mut compiled = 0;
    for block in code_blocks(&doc) {
        let tag = block.info.split_whitespace().next().unwrap_or("");
        if tag == "qdf-fragment" || !tag.starts_with("qdf") {
            continue;
        }
        let extra: Vec<&str> =
            block.info.split_whitespace().skip(1).filter(|w| !w.starts_with("error=") && *w != "plan").collect();
        if tag != "qdf" || !extra.is_empty() {
            problems.push(format!("{rel}:{}: unknown code block tag `{}`", block.line, block.info));
            continue;
        }
        compiled += 1;
        let name = format!("{}_line_{}.qdf", rel.replace(['/', '.'], "_"), block.line);
        let mut compilation = compile(&name, &block.text, &NoFiles);
        // `plan` examples show the shot planner's findings, which need the qubit Hamiltonian.
        if block.info.split_whitespace().any(|w| w == "plan") {
            let ir = compilation.ir.as_ref().expect("a `plan` example compiles");
            let plans = plan_experiment(ir, &PlanOptions::default(), &mut |_, _, _| {}).expect("plannable IR");
            let found = planner::diagnostics(&compilation.spec, &plans);
            compilation.diagnostics.extend(found);
        }
        let got: BTreeSet<String> = compilation.diagnostics.iter().map(|d| d.code.as_str().to_string()).collect();
        let want = expected_codes(&block.info).unwrap_or_default();
        if got != want {
            let listing: Vec<String> = compilation
                .diagnostics
                .iter()
                .map(|d| format!("  {} {:?}: {}", d.code.as_str(), d.severity, d.message))
                .collect();
            problems.push(format!(
                "{rel}:{}: expected codes {want:?}, got {got:?}\n{}\n{}",
                block.line,
                listing.join("\n"),
                block.text
            ));
        } else if want.is_empty() && compilation.ir.is_none() {
            problems.push(format!("{rel}:{}: compiles without diagnostics but gives no IR", block.line));
        }
    }
    assert!(compiled > 0, "{rel} has no ```qdf examples");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn language_examples_compile() {
    check_examples(LANGUAGE);
}

#[test]
fn diagnostics_examples_compile_or_fail_as_stated() {
    check_examples(DIAGNOSTICS);
}

// ---------------------------------------------------------------------------------------------
// Statements of language.md that tables cannot carry

/// The frozen-core table of the `active_space` section: per-atom counts of `frozen_core = on`.
#[test]
fn frozen_core_table_matches_the_element_data() {
    let doc = read(LANGUAGE);
    let section = kind_section(&doc, DeclKind::ActiveSpace);
    // (first Z, last Z, orbitals), as the table states them.
    let rows = [(1, 4, 0), (5, 12, 1), (13, 30, 5), (31, 36, 9)];
    for (first, last, count) in rows {
        let symbol = |z: u8| qdf_stdlib::element_by_z(z).expect("an element").symbol;
        let row = format!("| {}–{} | {count} ", symbol(first), symbol(last));
        assert!(section.contains(&row), "the frozen-core table has no row starting `{row}`");
        for z in first..=last {
            let element = qdf_stdlib::element_by_z(z).expect("an element");
            assert_eq!(element.frozen_core_orbitals, Some(count), "{} freezes a different count", element.symbol);
        }
    }
}

fn node_hashes(text: &str) -> Vec<String> {
    let compilation = compile("hashes.qdf", text, &NoFiles);
    assert!(!compilation.has_errors(), "{:#?}", compilation.diagnostics);
    compilation.ir.expect("an IR").nodes.into_iter().map(|n| n.hash).collect()
}

/// The last paragraph of language.md: which names reach node hashes and which do not.
#[test]
fn ir_hash_statements_hold() {
    let base = "import std.targets.ionq\n\
        experiment e { seed = 1 }\n\
        molecule h2 { geometry = xyz { H 0 0 0  H 0 0 {r} }  scan r = [0.7 angstrom, 0.9 angstrom, 1.1 angstrom] }\n\
        active_space cas { molecule = h2 }\n\
        mapping jw { kind = jordan_wigner }\n\
        ansatz uc1 { kind = uccsd  space = cas  mapping = jw }\n\
        noise nz { device = ionq.aria }\n\
        generate data { ansatz = uc1  device = ionq.aria  noise = nz }\n\
        model delta { }\n\
        train fit { data = data  model = delta  split = extrapolate(r > 1.0 angstrom) }\n\
        compare cmp { train = fit  labels = [vqe, hf] }\n";
    let hashes = node_hashes(base);
    let unchanged = [
        base.replace("h2", "hydrogen"),
        base.replace("cas", "space"),
        base.replace("jw", "jordan"),
        base.replace("uc1", "singles_doubles"),
        base.replace("nz", "aria_noise"),
        base.replace("cmp", "labels_study"),
        base.replace("import std.targets.ionq", "import std.targets.ionq as iq").replace("ionq.aria", "iq.aria"),
        base.replace("delta", "other"),
        format!("# a comment\n{}", base.replace("  ", "\n    ")),
    ];
    for text in &unchanged {
        assert_eq!(node_hashes(text), hashes, "renaming or reformatting changed a hash:\n{text}");
    }
    let changed = [
        base.replace("{r}", "{d}").replace("scan r", "scan d").replace("(r >", "(d >"),
        base.replace("generate data", "generate dataset").replace("data = data", "data = dataset"),
    ];
    for text in &changed {
        assert_ne!(node_hashes(text), hashes, "language.md says this renaming changes hashes; it does not:\n{text}");
    }
}

/// The derivation of a noise model from a device, as the `noise` section states it.
#[test]
fn device_noise_derivation_holds() {
    use qdf_compiler::hir::Noise;
    use qdf_compiler::ir::Task;
    let text = "import std.targets.ionq\n\
        molecule h2 { geometry = xyz { H 0 0 0  H 0 0 0.74 } }\n\
        active_space cas { molecule = h2 }\n\
        ansatz ucc { kind = uccsd  space = cas }\n\
        generate data { ansatz = ucc  device = ionq.aria  noise = device }\n";
    let compilation = compile("noise.qdf", text, &NoFiles);
    let ir = compilation.ir.expect("an IR");
    let model = ir
        .nodes
        .iter()
        .find_map(|n| match &n.task {
            Task::Vqe { noise: Noise::Model(model), .. } => Some(model.clone()),
            _ => None,
        })
        .expect("a VQE node with a noise model");
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    assert!(close(model.depolarizing_1q, 1.5 * (1.0 - 0.9995)), "{model:?}");
    assert!(close(model.depolarizing_2q, 1.25 * (1.0 - 0.996)), "{model:?}");
    assert!(close(model.readout_error, 1.0 - 0.9961), "{model:?}");
}

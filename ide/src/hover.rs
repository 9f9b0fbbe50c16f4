//! Hover: the documentation of the word under the cursor, with the values the checker resolved.
//!
//! Keywords and fields are documented from the compiler's schema; declarations show what the
//! checker made of them (electrons, basis functions, geometry points, qubits); quantities show
//! their value in the normalised unit; element symbols show the element.

use qdf_compiler::check::schema::DeclKind;
use qdf_compiler::hir::{self, Spec};
use qdf_compiler::syntax::ast;
use qdf_compiler::syntax::{SyntaxKind, SyntaxNode, SyntaxToken};
use qdf_compiler::units;

use crate::docs;
use crate::schema_at::{enclosing_field_name, field_spec};
use crate::syntax_at::{clamp, range_of, token_at};
use crate::{Analysis, TextRange};

/// What to show for the word under the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    /// The word the hover is about.
    pub range: TextRange,
    /// Markdown.
    pub markdown: String,
}

impl Analysis {
    /// The hover at `offset`, or `None` where there is nothing to say (whitespace, punctuation).
    pub fn hover(&self, offset: usize) -> Option<Hover> {
        let offset = clamp(self.text(), offset);
        let token = token_at(&self.syntax(), offset)?;
        let markdown = self.hover_token(&token, offset)?;
        Some(Hover { range: range_of(&token), markdown })
    }

    fn hover_token(&self, token: &SyntaxToken, offset: usize) -> Option<String> {
        let parent = token.parent()?;
        let kind = token.kind();
        if kind.is_decl_keyword() && parent.kind() == SyntaxKind::DECL {
            return DeclKind::from_keyword(token.text()).map(keyword_doc);
        }
        if kind.is_keyword() {
            return docs::OTHER_KEYWORDS.iter().find(|(k, _)| *k == token.text()).map(|(_, doc)| (*doc).to_string());
        }
        match (kind, parent.kind()) {
            (SyntaxKind::NUMBER, SyntaxKind::QUANTITY) => quantity(&parent),
            (SyntaxKind::NUMBER, SyntaxKind::COORD) => coordinate(&parent),
            (SyntaxKind::IDENT, SyntaxKind::UNIT) => {
                parent.parent().and_then(|q| quantity(&q)).or_else(|| docs::unit(token.text()))
            }
            (SyntaxKind::IDENT, SyntaxKind::ATOM) => element(token.text()),
            (SyntaxKind::IDENT, SyntaxKind::GEOMETRY) => {
                docs::GEOMETRY_WORDS.iter().find(|(w, _)| *w == token.text()).map(|(_, d)| (*d).to_string())
            }
            (_, SyntaxKind::NAME) => self.hover_name(token, &parent, offset),
            (_, SyntaxKind::PATH) => self.hover_path(token, &parent, offset),
            _ => None,
        }
    }

    /// A name being declared: a declaration, a field, a scan variable, an argument or an alias.
    fn hover_name(&self, token: &SyntaxToken, name: &SyntaxNode, offset: usize) -> Option<String> {
        let owner = name.parent()?;
        match owner.kind() {
            SyntaxKind::DECL => self.declaration_doc(self.declaration_at(offset)?),
            SyntaxKind::FIELD => {
                let (spec, schema) = field_spec(&owner)?;
                let mut doc = format!("{} — {}", schema.owner, docs::field(spec));
                let value = ast::Field::cast(owner.clone())?.value();
                if let Some(resolved) = value.and_then(|v| quantity(v.syntax())) {
                    doc.push_str(&format!("\n\nValue: {resolved}"));
                }
                Some(doc)
            }
            SyntaxKind::SCAN => self.scan_doc(&owner, token.text()),
            SyntaxKind::ARG => Some(format!("`test`: {}", docs::function("random")?.doc)),
            SyntaxKind::IMPORT => module_doc(&ast::Import::cast(owner)?.path()?.text()),
            _ => None,
        }
    }

    /// A word of a path in a value: a reference, a function, a module, a scan variable or a
    /// choice such as `uccsd`.
    fn hover_path(&self, token: &SyntaxToken, path: &SyntaxNode, offset: usize) -> Option<String> {
        let holder = path.parent()?;
        if holder.kind() == SyntaxKind::IMPORT {
            return module_doc(&ast::Path::cast(path.clone())?.text());
        }
        if let Some(index) = self.declaration_at(offset) {
            return self.declaration_doc(index);
        }
        if holder.kind() == SyntaxKind::CALL {
            let function = docs::function(token.text())?;
            return Some(format!("`{}`\n\n{}", function.signature, function.doc));
        }
        let segments = ast::Path::cast(path.clone())?.segments();
        if segments.len() == 2 && segments[0] == *token {
            let import = self.syntax().children().filter_map(ast::Import::cast).find(|i| {
                let alias = i.alias().map(|a| a.text());
                let last = i.path().and_then(|p| p.segments().last().map(|t| t.text().to_string()));
                alias.or(last).as_deref() == Some(token.text())
            })?;
            return module_doc(&import.path()?.text());
        }
        if let Some(doc) = self.scan_variable_in_scope(path, token.text()) {
            return Some(doc);
        }
        word_doc(path, token.text())
    }

    /// The documentation of declaration `index` with what the checker resolved for it.
    fn declaration_doc(&self, index: usize) -> Option<String> {
        let declaration = self.declaration(index);
        let spec = &self.compilation().spec;
        let mut out = format!("{} `{}`", declaration.kind.keyword(), declaration.display_name);
        out.push_str(&format!("\n\n{}", declaration.kind.summary()));
        let facts = match declaration.kind {
            DeclKind::Molecule => spec.molecules.iter().find(|m| m.name == declaration.name).map(molecule_facts),
            DeclKind::MoleculeSet => spec.molecule_sets.iter().find(|s| s.name == declaration.name).map(|set| {
                let names: Vec<String> = set.members.iter().map(|&m| format!("`{}`", spec.molecules[m].name)).collect();
                vec![format!("members: {}", names.join(", "))]
            }),
            DeclKind::ActiveSpace => {
                spec.active_spaces.iter().find(|a| a.name == declaration.name).map(|a| space_facts(spec, a, None))
            }
            DeclKind::Ansatz => {
                spec.ansatzes.iter().find(|a| a.name == declaration.name).map(|a| ansatz_facts(spec, a))
            }
            DeclKind::Generate => {
                spec.generates.iter().find(|g| g.name == declaration.name).map(|g| generate_facts(spec, g))
            }
            DeclKind::Train => spec.trains.iter().find(|t| t.name == declaration.name).map(|t| {
                vec![
                    format!("data: `{}`, model: `{}`", spec.generates[t.data].name, spec.models[t.model].name),
                    format!("labels: `{}`, epochs: {}, seed: {}", t.labels, t.epochs, t.seed),
                ]
            }),
            DeclKind::Compare => spec.compares.iter().find(|c| c.name == declaration.name).map(|c| {
                vec![format!(
                    "labels: {}, truth: `{}`, metrics: {}",
                    c.labels.join(", "),
                    c.truth,
                    c.metrics.join(", ")
                )]
            }),
            DeclKind::Experiment => (spec.experiment.name == declaration.name)
                .then(|| vec![format!("seed: {}, output: \"{}\"", spec.experiment.seed, spec.experiment.output)]),
            DeclKind::Model => spec.models.iter().find(|m| m.name == declaration.name).map(|m| {
                let target = m.target.baseline.as_ref().map_or("energy".to_string(), |b| format!("energy - {b}"));
                vec![format!("kind: `{}`, features: `{}`, target: `{target}`", m.kind, m.features)]
            }),
            // Devices, noise models and mappings have no entry of their own in the checked spec;
            // their text says what they are.
            DeclKind::Device | DeclKind::Noise | DeclKind::Mapping => {
                let file = self.compilation().sources.get(declaration.file);
                let text = file.text.get(declaration.span.range()).unwrap_or_default();
                out.push_str(&format!("\n\n```qdf\n{text}\n```"));
                None
            }
        };
        if let Some(facts) = facts {
            out.push('\n');
            for fact in facts {
                out.push_str(&format!("\n- {fact}"));
            }
        }
        Some(out)
    }

    /// A scan variable at its `scan` line: its values from the checked molecule.
    fn scan_doc(&self, scan: &SyntaxNode, variable: &str) -> Option<String> {
        let molecule = scan.ancestors().find_map(ast::Decl::cast)?.name()?.text();
        let checked = self.compilation().spec.molecules.iter().find(|m| m.name == molecule);
        let mut out = format!("scan variable `{variable}` of molecule `{molecule}`");
        if let Some(scan) = checked.and_then(|m| m.scan.iter().find(|s| s.name == variable)) {
            out.push_str(&format!("\n\n{}", scan_values(scan)));
        }
        Some(out)
    }

    /// A name in a geometry interpolation or a split condition that is a scan variable.
    fn scan_variable_in_scope(&self, path: &SyntaxNode, name: &str) -> Option<String> {
        let spec = &self.compilation().spec;
        let in_geometry = path.ancestors().any(|n| n.kind() == SyntaxKind::INTERP);
        let molecules: Vec<&hir::Molecule> = if in_geometry {
            let molecule = path.ancestors().find_map(ast::Decl::cast)?.name()?.text();
            spec.molecules.iter().filter(|m| m.name == molecule).collect()
        } else if enclosing_field_name(path).as_deref() == Some("split") {
            let train = path.ancestors().find_map(ast::Decl::cast)?.name()?.text();
            let train = spec.trains.iter().find(|t| t.name == train)?;
            let ansatz = &spec.ansatzes[spec.generates[train.data].ansatz];
            spec.active_spaces[ansatz.space].spaces.iter().map(|s| &spec.molecules[s.molecule]).collect()
        } else {
            return None;
        };
        let (molecule, scan) =
            molecules.iter().find_map(|m| m.scan.iter().find(|s| s.name == name).map(|s| (&m.name, s)))?;
        Some(format!("scan variable `{name}` of molecule `{molecule}`\n\n{}", scan_values(scan)))
    }
}

fn keyword_doc(kind: DeclKind) -> String {
    let fields: Vec<String> = kind
        .fields()
        .iter()
        .map(|f| if f.required { format!("`{}` (required)", f.name) } else { format!("`{}`", f.name) })
        .collect();
    format!("{} declaration\n\n{}\n\nFields: {}", kind.keyword(), kind.summary(), fields.join(", "))
}

/// A quantity literal (`QUANTITY` node) in its normalised unit: "1.6 millihartree = 0.0016 hartree".
fn quantity(node: &SyntaxNode) -> Option<String> {
    let quantity = ast::Quantity::cast(node.clone())?;
    let number: f64 = quantity.number()?.text().parse().ok()?;
    let unit = units::lookup(&quantity.unit()?.text())?;
    let normal = docs::normal_name(unit.dim);
    Some(format!(
        "{} {} = {} {normal} ({})",
        docs::number(number),
        unit.name,
        docs::number(number * unit.to_normal),
        unit.dim
    ))
}

/// A plain coordinate in a geometry, in bohr, read in the molecule's `units`.
fn coordinate(coord: &SyntaxNode) -> Option<String> {
    let coord = ast::Coord::cast(coord.clone())?;
    let magnitude: f64 = coord.number()?.text().parse().ok()?;
    let value = if coord.is_negative() { -magnitude } else { magnitude };
    let geometry = coord.syntax().ancestors().find_map(ast::Geometry::cast)?;
    let block = coord.syntax().ancestors().find_map(ast::Decl::cast)?.block()?;
    let written = block.fields().find(|f| f.name().is_some_and(|n| n.text() == "units")).and_then(|f| f.value());
    let unit_name = match written {
        Some(ast::Expr::Path(p)) => p.path()?.text(),
        _ => "angstrom".to_string(),
    };
    let unit = units::lookup(&unit_name)?;
    let what = match geometry.kind() {
        ast::GeometryKind::Zmatrix => "a Z-matrix value (bond lengths in the molecule's units, angles in degrees)",
        ast::GeometryKind::Xyz => "a Cartesian coordinate",
    };
    let written = format!("{} {}", docs::number(value), unit.name);
    if unit.to_normal == 1.0 {
        return Some(format!("{what}: {written}"));
    }
    Some(format!("{what}: {written} = {} bohr", docs::number(value * unit.to_normal)))
}

fn element(symbol: &str) -> Option<String> {
    let element = qdf_stdlib::element_by_symbol(symbol)?;
    let mut out = format!("{} ({}), Z = {}", element.name, element.symbol, element.z);
    if let Some(mass) = element.mass {
        out.push_str(&format!(", standard atomic weight {}", docs::number(mass)));
    }
    if let Some(core) = element.frozen_core_orbitals {
        out.push_str(&format!(", {core} core orbital{}", if core == 1 { "" } else { "s" }));
    }
    Some(out)
}

fn module_doc(path: &str) -> Option<String> {
    let source = qdf_stdlib::module_source(path)?;
    let file = qdf_compiler::syntax::parse(source).file();
    let members: Vec<String> =
        file.decls().filter_map(|d| Some(format!("{} `{}`", d.keyword()?.text(), d.name()?.text()))).collect();
    Some(format!("module `{path}` (standard library)\n\nDeclarations: {}", members.join(", ")))
}

/// A plain word in a value: the choices of its field.
fn word_doc(path: &SyntaxNode, word: &str) -> Option<String> {
    let field = path.ancestors().find(|n| n.kind() == SyntaxKind::FIELD)?;
    let (spec, _) = field_spec(&field)?;
    Some(format!("`{word}`, a value of {}", docs::field(spec)))
}

fn scan_values(scan: &hir::ScanVariable) -> String {
    let unit = units::normal_unit_name(scan.dim);
    let shown: Vec<String> = scan.values.iter().map(|v| docs::number(*v)).collect();
    let listed = if shown.len() > 8 {
        format!("{}, …, {}", shown[..3].join(", "), shown[shown.len() - 2..].join(", "))
    } else {
        shown.join(", ")
    };
    let unit = if unit.is_empty() { String::new() } else { format!(" {unit}") };
    format!("{} values of {}: {listed}{unit}", scan.values.len(), scan.dimension)
}

fn molecule_facts(m: &hir::Molecule) -> Vec<String> {
    let mut facts = vec![
        format!(
            "electrons: {}, charge {}, multiplicity {}, scf `{}`",
            m.electrons,
            m.charge,
            m.multiplicity,
            m.scf.name()
        ),
        format!("basis: `{}`, {} basis functions", m.basis, m.basis_functions),
    ];
    facts.push(match m.points.as_slice() {
        [single] => format!("atoms: {}", single.atoms.len()),
        points => format!("atoms: {}, geometry points: {}", points.first().map_or(0, |p| p.atoms.len()), points.len()),
    });
    for scan in &m.scan {
        facts.push(format!("scan `{}`: {}", scan.name, scan_values(scan)));
    }
    facts
}

/// Electrons, orbitals and qubits of an active space per molecule; `mapping` refines the qubit
/// count for an ansatz.
fn space_facts(spec: &Spec, space: &hir::ActiveSpace, mapping: Option<&hir::Mapping>) -> Vec<String> {
    space
        .spaces
        .iter()
        .map(|s| {
            let molecule = &spec.molecules[s.molecule].name;
            let bound = if s.natural_orbitals.is_some() { "at most " } else { "" };
            format!(
                "`{molecule}`: {bound}({}e, {}o), frozen core {} orbital{}, {}",
                s.electrons,
                s.orbitals,
                s.frozen_orbitals,
                if s.frozen_orbitals == 1 { "" } else { "s" },
                qubits(s.orbitals, mapping, bound)
            )
        })
        .collect()
}

/// Two qubits per spatial orbital; the parity mapping's two-qubit reduction removes two, and
/// tapering removes a number only known once the Hamiltonian is built.
fn qubits(orbitals: u32, mapping: Option<&hir::Mapping>, bound: &str) -> String {
    let mut count = 2 * orbitals;
    let mut bound = bound;
    if let Some(m) = mapping {
        if m.kind == hir::MappingKind::Parity && m.two_qubit_reduction {
            count = count.saturating_sub(2);
        }
        if m.tapering {
            bound = "at most ";
        }
    }
    format!("{bound}{count} qubits")
}

fn ansatz_facts(spec: &Spec, ansatz: &hir::Ansatz) -> Vec<String> {
    let space = &spec.active_spaces[ansatz.space];
    let mut facts = vec![format!(
        "kind: `{}`, space: `{}`, mapping: `{}`",
        ansatz_word(ansatz.kind),
        space.name,
        mapping_word(ansatz.mapping.kind)
    )];
    facts.extend(space_facts(spec, space, Some(&ansatz.mapping)));
    facts
}

fn generate_facts(spec: &Spec, generate: &hir::Generate) -> Vec<String> {
    let ansatz = &spec.ansatzes[generate.ansatz];
    let points: usize =
        spec.active_spaces[ansatz.space].spaces.iter().map(|s| spec.molecules[s.molecule].points.len()).sum();
    let device = generate
        .device
        .as_ref()
        .map_or("an ideal simulator".to_string(), |d| format!("`{}` ({} qubits)", d.name, d.qubits));
    vec![
        format!("ansatz: `{}`, optimizer: `{}`", ansatz.name, generate.optimizer.kind),
        format!("device: {device}"),
        format!("geometry points: {points}, references: {}", generate.references.join(", ")),
    ]
}

fn ansatz_word(kind: hir::AnsatzKind) -> &'static str {
    match kind {
        hir::AnsatzKind::Hf => "hf",
        hir::AnsatzKind::Uccsd => "uccsd",
        hir::AnsatzKind::Kupccgsd => "kupccgsd",
        hir::AnsatzKind::HardwareEfficient => "hardware_efficient",
        hir::AnsatzKind::Adapt => "adapt",
        hir::AnsatzKind::ParticleConserving => "particle_conserving",
    }
}

fn mapping_word(kind: hir::MappingKind) -> &'static str {
    match kind {
        hir::MappingKind::JordanWigner => "jordan_wigner",
        hir::MappingKind::BravyiKitaev => "bravyi_kitaev",
        hir::MappingKind::Parity => "parity",
    }
}

#[cfg(test)]
mod tests;

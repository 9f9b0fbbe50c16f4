//! Molecules, molecule sets and active spaces: geometry at every scan point, elements, distances,
//! electron counts against multiplicity, basis-set coverage, and active spaces against what the
//! molecule and basis provide.

use qdf_stdlib::basis::{BasisParseError, BasisSet, Harmonics};

use crate::diagnostics::{Code, Diagnostic};
use crate::geometry::{zmatrix_to_cartesian, ZmatrixRow};
use crate::hir;
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, Coordinate, GeometryKind, Member};
use crate::units::{self, Dim, BOHR_IN_ANGSTROM};

use super::eval::{CallArg, Number, Value};
use super::fields::Fields;
use super::schema::{self, DeclKind};
use super::{did_you_mean, suggest, Checker, DeclId};

/// Atoms closer than this (0.1 Å, in bohr) are an error.
const MIN_DISTANCE_BOHR: f64 = 0.1 / BOHR_IN_ANGSTROM;
/// The most geometry points one molecule may expand to.
const MAX_POINTS: usize = 100_000;

/// A basis-file parser: `(name, text)` to a basis set.
type ParseBasis = fn(&str, &str) -> Result<BasisSet, BasisParseError>;

/// The basis set a molecule names.
enum BasisChoice {
    /// A shipped set, by canonical name.
    Shipped(&'static str),
    /// A set read from the file at `path` (as written in the spec).
    File { path: String, set: BasisSet },
}

impl BasisChoice {
    /// The basis data; `None` only if a shipped name fails to load, which the stdlib's tests rule
    /// out.
    fn set(&self) -> Option<&BasisSet> {
        match self {
            BasisChoice::Shipped(name) => qdf_stdlib::load_basis(name),
            BasisChoice::File { set, .. } => Some(set),
        }
    }
}

/// A geometry before scan values are substituted.
enum GeometrySource {
    Inline(ast::Geometry),
    /// From an `.xyz` file: symbols, positions in bohr, and the span of `file(...)`.
    File(Vec<(String, [f64; 3])>, Span),
}

impl Checker<'_> {
    pub(crate) fn molecule(&mut self, id: DeclId) -> Option<hir::Molecule> {
        let before = self.error_count();
        let fields = self.read_decl(id);
        let file = fields.file;
        let name = self.decl(id).name.clone();
        let unit_scale = match self.choice(&fields, "units").as_deref() {
            Some("bohr") => 1.0,
            _ => 1.0 / BOHR_IN_ANGSTROM,
        };
        let basis = self.basis_choice(&fields);
        let charge = self.int(&fields, "charge").unwrap_or(0);
        let multiplicity = self.int(&fields, "multiplicity").unwrap_or(1);
        let scf = self.choice(&fields, "scf");
        let zip = self.choice(&fields, "scan_mode").as_deref() == Some("zip");
        let scan = self.scans(id, &fields, zip)?;
        let geometry = self.geometry_source(&fields)?;
        if let (GeometrySource::File(_, span), Some(first)) = (&geometry, scan.first()) {
            self.report(
                Diagnostic::error(
                    Code::UnknownScanVariable,
                    *span,
                    format!("a geometry read from a file cannot use scan variable `{}`", first.name),
                )
                .with_help("scan an inline `xyz { ... }` or `zmatrix { ... }` geometry instead"),
            );
            return None;
        }
        let points = self.points(file, &geometry, &scan, zip, unit_scale, &name);
        // Electron counts and basis coverage need only the elements, so they are checked even
        // when a coordinate is broken.
        let elements = geometry_elements(&geometry)?;
        let nuclear_charge: i64 = elements.iter().map(|&z| i64::from(z)).sum();
        let electrons = nuclear_charge - charge;
        let anchor = fields.anchor;
        let charge_span = fields.value("charge").map_or(anchor, |v| v.span);
        if electrons < 1 {
            self.report(
                Diagnostic::error(
                    Code::ImpossibleCharge,
                    charge_span,
                    format!("charge {charge} leaves molecule `{name}` with {electrons} electrons"),
                )
                .with_help(format!("the nuclei carry a charge of {nuclear_charge}; the charge must be below that")),
            );
            return None;
        }
        let unpaired = multiplicity - 1;
        if unpaired > electrons || (electrons - unpaired) % 2 != 0 {
            let span = fields.value("multiplicity").map_or(anchor, |v| v.span);
            let allowed =
                if electrons % 2 == 0 { "1 (singlet), 3 (triplet), ..." } else { "2 (doublet), 4 (quartet), ..." };
            self.report(
                Diagnostic::error(
                    Code::ElectronParity,
                    span,
                    format!(
                        "molecule `{name}` has {electrons} electron{}, which cannot have multiplicity {multiplicity}",
                        if electrons == 1 { "" } else { "s" }
                    ),
                )
                .with_label(charge_span, format!("nuclear charge {nuclear_charge}, charge {charge}"))
                .with_help(format!("with {electrons} electrons the multiplicity must be {allowed}")),
            );
            return None;
        }
        let scf = match scf.as_deref() {
            None if unpaired == 0 => hir::ScfKind::Rhf,
            None | Some("rohf") => hir::ScfKind::Rohf,
            Some("uhf") => hir::ScfKind::Uhf,
            Some(_) if unpaired > 0 => {
                let span = fields.value("scf").map_or(anchor, |v| v.span);
                self.report(
                    Diagnostic::error(
                        Code::ScfNeedsClosedShell,
                        span,
                        format!("restricted closed-shell Hartree–Fock cannot describe molecule `{name}` with multiplicity {multiplicity}"),
                    )
                    .with_help("use `scf = rohf` (restricted open shell) or `scf = uhf` (unrestricted)"),
                );
                return None;
            }
            Some(_) => hir::ScfKind::Rhf,
        };
        let basis = basis?;
        let basis_set = basis.set()?;
        let missing: Vec<&str> = {
            let mut missing: Vec<&str> = elements
                .iter()
                .filter(|&&z| !basis_set.defines(z))
                .filter_map(|&z| qdf_stdlib::element_by_z(z).map(|e| e.symbol))
                .collect();
            missing.sort_unstable();
            missing.dedup();
            missing
        };
        if !missing.is_empty() {
            let span = fields.value("basis").map_or(anchor, |v| v.span);
            let shipped = qdf_stdlib::basis_names().join(", ");
            let (message, help) = match &basis {
                BasisChoice::Shipped(name) => (
                    format!("basis set {name} does not define {}", missing.join(", ")),
                    format!("choose a basis set that covers every element; shipped sets: {shipped}"),
                ),
                BasisChoice::File { path, .. } => (
                    format!("basis file \"{path}\" does not define {}", missing.join(", ")),
                    format!("add {} to \"{path}\", or use a shipped basis set: {shipped}", missing.join(", ")),
                ),
            };
            self.report(Diagnostic::error(Code::BasisMissingElement, span, message).with_help(help));
            return None;
        }
        let points = points?;
        if self.error_count() > before {
            return None;
        }
        let first = &points.first()?.atoms;
        let basis_functions =
            first.iter().map(|a| basis_set.function_count(a.z, Harmonics::Spherical).unwrap_or(0)).sum();
        let chemical_core_orbitals = first
            .iter()
            .map(|a| qdf_stdlib::element_by_z(a.z).and_then(|e| e.frozen_core_orbitals).map_or(0, u32::from))
            .sum();
        let (basis, basis_file) = match basis {
            BasisChoice::Shipped(name) => (name.to_string(), None),
            BasisChoice::File { path, set } => (path, Some(set.restricted_to(&elements))),
        };
        Some(hir::Molecule {
            name,
            basis,
            basis_file,
            charge: charge as i32,
            multiplicity: multiplicity as u32,
            scf,
            electrons: electrons as u32,
            basis_functions,
            chemical_core_orbitals,
            scan,
            points,
        })
    }

    /// The basis the molecule names: a shipped set (`basis = "cc-pvdz"`, the default STO-3G) or a
    /// file (`basis = file("my.nw")`). Reports and returns `None` when neither works.
    fn basis_choice(&mut self, fields: &Fields) -> Option<BasisChoice> {
        let Some(value) = fields.value("basis") else { return Some(BasisChoice::Shipped("sto-3g")) };
        let value = value.clone();
        if let Value::Call { name, args } = &value.value {
            if name == "file" {
                let path = self.basis_file_path(args, value.span)?;
                return self.basis_file(&path, value.span).map(|set| BasisChoice::File { path, set });
            }
        }
        let written = self.text(fields, "basis")?;
        match qdf_stdlib::canonical_basis_name(&written) {
            Some(name) => Some(BasisChoice::Shipped(name)),
            None => {
                let names = qdf_stdlib::basis_names();
                let mut d = Diagnostic::error(
                    Code::UnknownBasis,
                    value.span,
                    format!("qdf does not ship the basis set \"{written}\""),
                );
                d = match suggest(&written, names.iter().copied()) {
                    Some(s) => d.with_help(format!("did you mean \"{s}\"?")),
                    None => d.with_help(format!(
                        "shipped basis sets: {}; or read one from a file: `basis = file(\"my_basis.nw\")`",
                        names.join(", ")
                    )),
                };
                self.report(d);
                None
            }
        }
    }

    /// The one string argument of `basis = file(...)`.
    fn basis_file_path(&mut self, args: &[CallArg], call: Span) -> Option<String> {
        match args {
            [arg] if arg.name.is_none() => match &arg.value.value {
                Value::Text(path) => Some(path.clone()),
                _ => {
                    self.report(Diagnostic::error(
                        Code::TypeMismatch,
                        arg.value.span,
                        "`file` takes the path of a basis file as a string",
                    ));
                    None
                }
            },
            _ => {
                self.report(
                    Diagnostic::error(
                        Code::WrongArguments,
                        call,
                        "`file` takes one argument, the path of a basis file",
                    )
                    .with_help("e.g. `basis = file(\"my_basis.nw\")`"),
                );
                None
            }
        }
    }

    /// Reads and parses a basis file through the loader: NWChem for `.nw`, Gaussian94 for `.gbs`
    /// and `.g94`. Problems are reported at `span`, the `file(...)` call, with the file's own line
    /// and column in the help.
    fn basis_file(&mut self, path: &str, span: Span) -> Option<BasisSet> {
        let extension = path.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase()).unwrap_or_default();
        let (format, parse): (&str, ParseBasis) = match extension.as_str() {
            "nw" => ("NWChem", BasisSet::from_nwchem),
            "gbs" | "g94" => ("Gaussian94", BasisSet::from_gaussian94),
            _ => {
                self.report(
                    Diagnostic::error(
                        Code::FileUnreadable,
                        span,
                        format!("cannot tell the format of basis file \"{path}\" from its name"),
                    )
                    .with_help("name an NWChem basis file `.nw`, or a Gaussian94 one `.gbs` or `.g94`"),
                );
                return None;
            }
        };
        let text = self.spec_file(path, span)?;
        match parse(path, &text) {
            Ok(set) => Some(set),
            Err(e) => {
                self.report(
                    Diagnostic::error(
                        Code::FileUnreadable,
                        span,
                        format!("basis file \"{path}\" is not valid {format} basis text"),
                    )
                    .with_help(format!("{path}:{}:{}: {}", e.line, e.column, e.message())),
                );
                None
            }
        }
    }

    /// The scan variables of a molecule, with their values.
    fn scans(&mut self, id: DeclId, fields: &Fields, zip: bool) -> Option<Vec<hir::ScanVariable>> {
        let Some(block) = self.decl(id).syntax.block() else { return Some(Vec::new()) };
        let file = fields.file;
        let mut scan: Vec<(hir::ScanVariable, Span)> = Vec::new();
        let mut ok = true;
        for member in block.members() {
            let Member::Scan(s) = member else { continue };
            let (Some(name), Some(expr)) = (s.name(), s.value()) else { continue };
            let name_span = self.span(file, name.syntax());
            let var = name.text();
            if let Some((_, first)) = scan.iter().find(|(v, _)| v.name == var) {
                let d = Diagnostic::error(
                    Code::DuplicateScanVariable,
                    name_span,
                    format!("scan variable `{var}` is defined twice"),
                )
                .with_label(*first, "first defined here");
                self.report(d);
                ok = false;
                continue;
            }
            let Some(value) = self.eval(file, &expr, &[]) else {
                ok = false;
                continue;
            };
            let items = match value.value {
                Value::List(items) => items,
                Value::Number(_) => vec![value.clone()],
                other => {
                    self.report(
                        Diagnostic::error(
                            Code::TypeMismatch,
                            value.span,
                            format!("a scan needs a list of values, found {}", other.describe()),
                        )
                        .with_help(
                            "e.g. `linspace(0.5 angstrom, 2.5 angstrom, 21)`, `[0.9 angstrom, 1.1 angstrom]` or `1..5`",
                        ),
                    );
                    ok = false;
                    continue;
                }
            };
            if items.is_empty() {
                self.report(Diagnostic::error(
                    Code::ValueOutOfRange,
                    value.span,
                    format!("scan `{var}` has no values"),
                ));
                ok = false;
                continue;
            }
            let mut dim = None;
            let mut values = Vec::with_capacity(items.len());
            for item in &items {
                let Value::Number(n) = item.value else {
                    self.report(Diagnostic::error(
                        Code::TypeMismatch,
                        item.span,
                        format!("scan values must be numbers or quantities, found {}", item.value.describe()),
                    ));
                    ok = false;
                    break;
                };
                match dim {
                    None => dim = Some(n.dim),
                    Some(d) if d != n.dim => {
                        self.report(Diagnostic::error(
                            Code::DimensionMismatch,
                            item.span,
                            format!("scan `{var}` mixes {d} and {}", n.dim),
                        ));
                        ok = false;
                        break;
                    }
                    Some(_) => {}
                }
                values.push(n.value);
            }
            let dim = dim.unwrap_or(Dim::NONE);
            scan.push((hir::ScanVariable { name: var, dim, dimension: dim.to_string(), values }, name_span));
        }
        if zip {
            if let Some(((first, _), rest)) = scan.split_first() {
                for (other, span) in rest {
                    if other.values.len() != first.values.len() {
                        self.report(
                            Diagnostic::error(
                                Code::ValueOutOfRange,
                                *span,
                                format!(
                                    "`scan_mode = zip` needs scans of equal length: `{}` has {} values, `{}` has {}",
                                    other.name,
                                    other.values.len(),
                                    first.name,
                                    first.values.len()
                                ),
                            )
                            .with_help("give every scan the same number of values, or use `scan_mode = grid`"),
                        );
                        ok = false;
                    }
                }
            }
        }
        let total: usize = if zip {
            scan.first().map_or(1, |(s, _)| s.values.len())
        } else {
            scan.iter().map(|(s, _)| s.values.len()).product()
        };
        if total > MAX_POINTS {
            self.report(Diagnostic::error(
                Code::ValueOutOfRange,
                fields.anchor,
                format!("the scans make {total} geometry points; the limit is {MAX_POINTS}"),
            ));
            ok = false;
        }
        ok.then(|| scan.into_iter().map(|(s, _)| s).collect())
    }

    fn geometry_source(&mut self, fields: &Fields) -> Option<GeometrySource> {
        let value = fields.value("geometry")?.clone();
        match value.value {
            Value::Geometry(g) => Some(GeometrySource::Inline(g)),
            Value::Call { name, args } if name == "file" => {
                let path = match args.as_slice() {
                    [arg] if arg.name.is_none() => match &arg.value.value {
                        Value::Text(path) => path.clone(),
                        _ => {
                            self.report(Diagnostic::error(
                                Code::TypeMismatch,
                                arg.value.span,
                                "`file` takes the path of an .xyz file as a string",
                            ));
                            return None;
                        }
                    },
                    _ => {
                        self.report(
                            Diagnostic::error(
                                Code::WrongArguments,
                                value.span,
                                "`file` takes one argument, the path of an .xyz file",
                            )
                            .with_help("e.g. `geometry = file(\"water.xyz\")`"),
                        );
                        return None;
                    }
                };
                self.xyz_file(&path, value.span).map(|atoms| GeometrySource::File(atoms, value.span))
            }
            other => {
                self.report(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        value.span,
                        format!("`geometry` must be a geometry, found {}", other.describe()),
                    )
                    .with_help("write `xyz { ... }`, `zmatrix { ... }` or `file(\"name.xyz\")`"),
                );
                None
            }
        }
    }

    /// The text of a file the spec names, through the loader; an unreadable file is reported
    /// (QDF9001 at `span`) and gives `None`.
    fn spec_file(&mut self, path: &str, span: Span) -> Option<String> {
        match self.loader().load(path) {
            Ok(text) => Some(text),
            Err(reason) => {
                self.report(
                    Diagnostic::error(Code::FileUnreadable, span, format!("cannot read \"{path}\": {reason}"))
                        .with_help("the path is relative to the spec's directory"),
                );
                None
            }
        }
    }

    /// Reads a one-frame `.xyz` file through the loader; positions come back in bohr.
    fn xyz_file(&mut self, path: &str, span: Span) -> Option<Vec<(String, [f64; 3])>> {
        let text = self.spec_file(path, span)?;
        let frames = match crate::geometry::parse_xyz(&text) {
            Ok(frames) => frames,
            Err(e) => {
                self.report(Diagnostic::error(
                    Code::FileUnreadable,
                    span,
                    format!("{path}:{}:{}: {}", e.line, e.column, e.message),
                ));
                return None;
            }
        };
        let [frame] = frames.as_slice() else {
            self.report(
                Diagnostic::error(
                    Code::FileUnreadable,
                    span,
                    format!("\"{path}\" holds {} frames; a molecule's geometry is one frame", frames.len()),
                )
                .with_help("keep one frame in the file; to scan geometries, use `scan` with an inline geometry"),
            );
            return None;
        };
        let scale = 1.0 / BOHR_IN_ANGSTROM;
        Some(frame.atoms.iter().map(|a| (a.symbol.clone(), a.position.map(|x| x * scale))).collect())
    }

    /// Expands the scan and evaluates the geometry at every point.
    fn points(
        &mut self,
        file: FileId,
        geometry: &GeometrySource,
        scan: &[hir::ScanVariable],
        zip: bool,
        unit_scale: f64,
        name: &str,
    ) -> Option<Vec<hir::GeometryPoint>> {
        let combos = scan_combinations(scan, zip);
        let mut points = Vec::with_capacity(combos.len());
        let mut reported_pairs: Vec<(usize, usize)> = Vec::new();
        let undefined_reported = self.error_count();
        for (index, values) in combos.iter().enumerate() {
            let env: Vec<(String, Number)> = scan
                .iter()
                .zip(values)
                .map(|(var, &value)| (var.name.clone(), Number { value, dim: var.dim, unit: None }))
                .collect();
            let before = self.diagnostics.len();
            let atoms = match geometry {
                GeometrySource::Inline(g) => self.inline_geometry(file, g, &env, unit_scale, scan),
                GeometrySource::File(atoms, span) => self.file_atoms(atoms, *span),
            };
            let atoms = atoms.and_then(|(atoms, spans)| self.finite_positions(atoms, spans));
            if index > 0 {
                // Problems that do not depend on the point were reported at the first one.
                let (old, new) = self.diagnostics.split_at(before);
                let fresh: Vec<Diagnostic> = new
                    .iter()
                    .filter(|d| !old.iter().any(|o| o.code == d.code && o.primary.span == d.primary.span))
                    .cloned()
                    .collect();
                self.diagnostics.truncate(before);
                self.diagnostics.extend(fresh);
            }
            let Some((atoms, spans)) = atoms else {
                if self.error_count() > undefined_reported && index == 0 {
                    return None;
                }
                continue;
            };
            self.check_distances(&atoms, &spans, &env, name, &mut reported_pairs);
            points.push(hir::GeometryPoint { scan_values: values.clone(), atoms });
        }
        (points.len() == combos.len()).then_some(points)
    }

    /// Coordinates too large for an `f64` once in bohr (`1e308 angstrom`, or from a Z-matrix) are
    /// reported at the first such atom.
    fn finite_positions(&mut self, atoms: Vec<hir::Atom>, spans: Vec<Span>) -> Option<(Vec<hir::Atom>, Vec<Span>)> {
        let Some(i) = atoms.iter().position(|a| a.position.iter().any(|x| !x.is_finite())) else {
            return Some((atoms, spans));
        };
        self.report(Diagnostic::error(
            Code::InvalidGeometry,
            spans[i],
            format!("atom {} ({}) has a coordinate too large to represent", i + 1, atoms[i].symbol),
        ));
        None
    }

    fn file_atoms(&mut self, atoms: &[(String, [f64; 3])], span: Span) -> Option<(Vec<hir::Atom>, Vec<Span>)> {
        let mut out = Vec::new();
        let mut ok = true;
        for (symbol, position) in atoms {
            match self.element(symbol, span) {
                Some(z) => out.push(hir::Atom { z, symbol: symbol.clone(), position: *position }),
                None => ok = false,
            }
        }
        if out.is_empty() && ok {
            self.report(Diagnostic::error(Code::InvalidGeometry, span, "the geometry has no atoms"));
            return None;
        }
        ok.then(|| (out, vec![span; atoms.len()]))
    }

    /// Looks up an element symbol, reporting unknown ones with a suggestion.
    fn element(&mut self, symbol: &str, span: Span) -> Option<u8> {
        if let Some(element) = qdf_stdlib::element_by_symbol(symbol) {
            return Some(element.z);
        }
        let mut d = Diagnostic::error(Code::UnknownElement, span, format!("unknown element `{symbol}`"));
        if units::lookup(symbol).is_some() {
            d = d.with_help("coordinates in a geometry take no units: write plain numbers and set the molecule's `units`, or interpolate `{0.74 angstrom}`");
        } else if let Some(s) = qdf_stdlib::element_symbol_suggestion(symbol) {
            d = d.with_help(format!("did you mean `{s}`?"));
        } else {
            d = d.with_help("an atom line is an element symbol followed by its coordinates, e.g. `H 0 0 0.74`");
        }
        self.report(d);
        None
    }

    fn inline_geometry(
        &mut self,
        file: FileId,
        g: &ast::Geometry,
        env: &[(String, Number)],
        unit_scale: f64,
        scan: &[hir::ScanVariable],
    ) -> Option<(Vec<hir::Atom>, Vec<Span>)> {
        let kind = g.kind();
        let mut symbols = Vec::new();
        let mut spans = Vec::new();
        let mut rows: Vec<Vec<Slot>> = Vec::new();
        let mut ok = true;
        for atom in g.atoms() {
            let Some(element) = atom.element() else { continue };
            let span = self.token_span(file, &element);
            let symbol = element.text().to_string();
            let z = self.element(&symbol, span);
            let mut coords = Vec::new();
            let mut written = 0;
            for coordinate in atom.coordinates() {
                written += 1;
                match self.coordinate(file, &coordinate, env, scan) {
                    Some(slot) => coords.push(slot),
                    None => ok = false,
                }
            }
            let atom_span = self.span(file, atom.syntax());
            // A word that is not an element (often a unit after a coordinate) was reported; its
            // coordinate count would only repeat that.
            if z.is_some() && !self.atom_shape(kind, rows.len(), written, atom_span, &symbol) {
                ok = false;
            }
            match z {
                Some(z) => symbols.push((z, symbol)),
                None => ok = false,
            }
            spans.push(span);
            rows.push(coords);
        }
        if !ok {
            return None;
        }
        if rows.is_empty() {
            self.report(Diagnostic::error(
                Code::InvalidGeometry,
                self.span(file, g.syntax()),
                "the geometry has no atoms",
            ));
            return None;
        }
        let positions = match kind {
            GeometryKind::Xyz => {
                let mut positions = Vec::with_capacity(rows.len());
                for row in &rows {
                    let mut p = [0.0; 3];
                    for (axis, slot) in row.iter().enumerate() {
                        p[axis] = self.length(slot, unit_scale)?;
                    }
                    positions.push(p);
                }
                positions
            }
            GeometryKind::Zmatrix => self.zmatrix(&rows, &spans, unit_scale)?,
        };
        let atoms = symbols
            .into_iter()
            .zip(positions)
            .map(|((z, symbol), position)| hir::Atom { z, symbol, position })
            .collect();
        Some((atoms, spans))
    }

    /// A coordinate's value. Plain numbers are returned as written; the slot they fill decides
    /// their unit (see [`Slot`]).
    fn coordinate(
        &mut self,
        file: FileId,
        c: &Coordinate,
        env: &[(String, Number)],
        scan: &[hir::ScanVariable],
    ) -> Option<Slot> {
        let span = self.span(file, c.syntax());
        match c {
            Coordinate::Number(n) => {
                let value: f64 = n.number()?.text().parse().ok()?;
                Some(Slot { value: if n.is_negative() { -value } else { value }, dim: None, span })
            }
            Coordinate::Interp(i) => {
                let expr = i.expr()?;
                // Names in a geometry that are not scan variables are most likely missing scans.
                for path in expr.syntax().descendants().filter_map(ast::PathExpr::cast) {
                    let Some(p) = path.path() else { continue };
                    let text = p.text();
                    if !text.contains('.') && !env.iter().any(|(v, _)| *v == text) {
                        let span = self.span(file, p.syntax());
                        let mut d = Diagnostic::error(
                            Code::UnknownScanVariable,
                            span,
                            format!("`{text}` is not a scan variable of this molecule"),
                        );
                        d = d.with_help(
                            did_you_mean(&text, scan.iter().map(|s| s.name.as_str()))
                                .unwrap_or_else(|| format!("define it with `scan {text} = ...` in the molecule")),
                        );
                        self.report(d);
                        return None;
                    }
                }
                let value = self.eval(file, &expr, env)?;
                match value.value {
                    Value::Number(n) => Some(Slot { value: n.value, dim: Some(n.dim), span }),
                    other => {
                        self.report(Diagnostic::error(
                            Code::TypeMismatch,
                            value.span,
                            format!("a coordinate must be a number, found {}", other.describe()),
                        ));
                        None
                    }
                }
            }
        }
    }

    /// The value of a length slot in bohr: plain numbers are in the molecule's `units`.
    fn length(&mut self, slot: &Slot, unit_scale: f64) -> Option<f64> {
        match slot.dim {
            Some(d) if d == Dim::LENGTH => Some(slot.value),
            None => Some(slot.value * unit_scale),
            Some(d) if d.is_none() => Some(slot.value * unit_scale),
            Some(d) => {
                self.report(Diagnostic::error(
                    Code::DimensionMismatch,
                    slot.span,
                    format!("this coordinate must be a length, found a quantity of {d}"),
                ));
                None
            }
        }
    }

    /// The value of an angle slot in radians: plain numbers are in degrees.
    fn angle(&mut self, slot: &Slot) -> Option<f64> {
        match slot.dim {
            Some(d) if d == Dim::ANGLE => Some(slot.value),
            None => Some(slot.value.to_radians()),
            Some(d) if d.is_none() => Some(slot.value.to_radians()),
            Some(d) => {
                self.report(Diagnostic::error(
                    Code::DimensionMismatch,
                    slot.span,
                    format!("this Z-matrix value must be an angle, found a quantity of {d}"),
                ));
                None
            }
        }
    }

    /// Checks an atom line's coordinate count.
    fn atom_shape(&mut self, kind: GeometryKind, index: usize, count: usize, span: Span, symbol: &str) -> bool {
        let expected = match kind {
            GeometryKind::Xyz => 3,
            GeometryKind::Zmatrix => 2 * index.min(3),
        };
        if count == expected {
            return true;
        }
        let help = match (kind, index) {
            (GeometryKind::Xyz, _) => format!("write `{symbol} x y z`"),
            (GeometryKind::Zmatrix, 0) => format!("the first Z-matrix atom stands alone: `{symbol}`"),
            (GeometryKind::Zmatrix, 1) => format!("the second atom gives a bond: `{symbol} 1 <length>`"),
            (GeometryKind::Zmatrix, 2) => {
                format!("the third atom gives a bond and an angle: `{symbol} 1 <length> 2 <angle>`")
            }
            (GeometryKind::Zmatrix, _) => {
                format!("from the fourth atom on: `{symbol} i <length> j <angle> k <dihedral>`")
            }
        };
        self.report(
            Diagnostic::error(
                Code::GeometryShape,
                span,
                format!("this atom has {count} coordinate values; it needs {expected}"),
            )
            .with_help(help),
        );
        false
    }

    fn zmatrix(&mut self, rows: &[Vec<Slot>], spans: &[Span], unit_scale: f64) -> Option<Vec<[f64; 3]>> {
        let mut zrows = Vec::with_capacity(rows.len());
        let mut ok = true;
        for (i, row) in rows.iter().enumerate() {
            let mut refs = Vec::new();
            for pair in row.chunks(2) {
                let [reference, value] = pair else { continue };
                let r = reference.value;
                if reference.dim.is_some() || r.fract() != 0.0 || r < 1.0 || r > i as f64 {
                    self.report(
                        Diagnostic::error(
                            Code::InvalidGeometry,
                            reference.span,
                            format!("a Z-matrix reference must be the number of an earlier atom (1 to {i})"),
                        )
                        .with_help("atoms are numbered from 1 in the order they are written"),
                    );
                    ok = false;
                    continue;
                }
                let value = if refs.is_empty() { self.length(value, unit_scale) } else { self.angle(value) };
                match value {
                    Some(value) => refs.push((r as usize - 1, value)),
                    None => ok = false,
                }
            }
            zrows.push(ZmatrixRow {
                bond: refs.first().copied(),
                angle: refs.get(1).copied(),
                dihedral: refs.get(2).copied(),
            });
        }
        if !ok {
            return None;
        }
        match zmatrix_to_cartesian(&zrows) {
            Ok(positions) => Some(positions),
            Err(e) => {
                let span = spans.get(e.row).copied().unwrap_or(spans[0]);
                self.report(Diagnostic::error(Code::InvalidGeometry, span, format!("cannot place this atom: {e}")));
                None
            }
        }
    }

    fn check_distances(
        &mut self,
        atoms: &[hir::Atom],
        spans: &[Span],
        env: &[(String, Number)],
        name: &str,
        reported: &mut Vec<(usize, usize)>,
    ) {
        for j in 0..atoms.len() {
            for i in 0..j {
                let d = distance(atoms[i].position, atoms[j].position);
                if d >= MIN_DISTANCE_BOHR || reported.contains(&(i, j)) {
                    continue;
                }
                reported.push((i, j));
                let at = if env.is_empty() {
                    String::new()
                } else {
                    let values: Vec<String> =
                        env.iter().map(|(v, n)| format!("{v} = {}", show_scan_value(*n))).collect();
                    format!(" at {}", values.join(", "))
                };
                let d = Diagnostic::error(
                    Code::AtomsTooClose,
                    spans[j],
                    format!(
                        "atoms {} ({}) and {} ({}) of `{name}` are {:.4} Å apart{at}",
                        i + 1,
                        atoms[i].symbol,
                        j + 1,
                        atoms[j].symbol,
                        d * BOHR_IN_ANGSTROM
                    ),
                )
                .with_label(spans[i], "the other atom")
                .with_help("atoms must be at least 0.1 Å apart; check the coordinates and the molecule's `units`");
                self.report(d);
            }
        }
    }

    pub(crate) fn molecule_set(&mut self, id: DeclId) -> Option<hir::MoleculeSet> {
        let before = self.error_count();
        let fields = self.read_decl(id);
        let value = fields.value("members")?.clone();
        let Value::List(items) = value.value else {
            self.report(Diagnostic::error(
                Code::TypeMismatch,
                value.span,
                format!("`members` must be a list of molecules, found {}", value.value.describe()),
            ));
            return None;
        };
        if items.is_empty() {
            self.report(Diagnostic::error(
                Code::ValueOutOfRange,
                value.span,
                "a molecule set needs at least one member",
            ));
            return None;
        }
        let mut members = Vec::new();
        for item in &items {
            let Some(member) = self.resolve_ref(fields.file, "members", item, &[DeclKind::Molecule]) else { continue };
            if let Some(index) = self.checked_index(member) {
                if members.contains(&index) {
                    self.report(Diagnostic::warning(
                        Code::DuplicateField,
                        item.span,
                        format!("`{}` is listed twice", self.decl(member).name),
                    ));
                } else {
                    members.push(index);
                }
            }
        }
        (self.error_count() == before && members.len() == items.len().min(members.len()) && !members.is_empty())
            .then(|| hir::MoleculeSet { name: self.decl(id).name.clone(), members })
    }

    pub(crate) fn active_space(&mut self, id: DeclId) -> Option<hir::ActiveSpace> {
        let before = self.error_count();
        let fields = self.read_decl(id);
        let target = self.decl_ref(&fields, "molecule");
        let electrons = self.int(&fields, "electrons");
        let orbitals = self.int(&fields, "orbitals");
        let frozen = self.frozen_core(&fields);
        let indices = self.ints(&fields, "orbital_indices");
        let selection = self.selection(&fields);
        if self.error_count() > before {
            return None;
        }
        let target = target?;
        let frozen = frozen?;
        let selection = selection?;
        // The molecules the space applies to; unchecked ones had errors already reported.
        let molecules: Vec<usize> = match self.decl(target).kind {
            DeclKind::MoleculeSet => {
                let set = self.checked_index(target)?;
                self.spec.molecule_sets[set].members.clone()
            }
            _ => vec![self.checked_index(target)?],
        };
        let set_name = (self.decl(target).kind == DeclKind::MoleculeSet).then(|| self.decl(target).name.clone());
        let mut spaces = Vec::new();
        for molecule in molecules {
            let space = match selection {
                Some(selection) => {
                    self.natural_orbital_space(&fields, molecule, frozen, selection, set_name.as_deref())
                }
                None => {
                    let request = SpaceRequest { electrons, orbitals, frozen, indices: indices.as_deref() };
                    self.resolve_space(&fields, molecule, &request, set_name.as_deref())
                }
            };
            spaces.extend(space);
        }
        (self.error_count() == before).then(|| hir::ActiveSpace { name: self.decl(id).name.clone(), spaces })
    }

    /// `selection`: `None` inside `Some` for canonical orbitals, the natural-orbital settings
    /// otherwise; `None` after reporting an error.
    fn selection(&mut self, fields: &Fields) -> Option<Option<hir::NaturalOrbitalSelection>> {
        let Some(value) = fields.value("selection").cloned() else { return Some(None) };
        let (kind, overrides) = match &value.value {
            Value::Record { base, fields: overrides } => ((**base).clone(), Some(overrides.clone())),
            _ => (value.clone(), None),
        };
        let kind_name = self.word_in("selection", &kind, schema::ACTIVE_SELECTIONS)?;
        if kind_name == "canonical" {
            if overrides.is_some() {
                self.report(
                    Diagnostic::error(
                        Code::ActiveSelectionConflict,
                        value.span,
                        "`canonical` selection takes no settings",
                    )
                    .with_help("choose orbitals with `electrons`, `orbitals` or `orbital_indices` instead"),
                );
                return None;
            }
            return Some(None);
        }
        let mut selection =
            hir::NaturalOrbitalSelection { min_occupation: 0.02, max_occupation: 1.98, max_orbitals: 16 };
        if let Some(overrides) = overrides {
            let owner = "selection `mp2_natural_orbitals`".to_string();
            let settings = self.read_record(fields.file, kind.span, owner, schema::NATURAL_ORBITAL_FIELDS, &overrides);
            let before = self.error_count();
            selection.min_occupation = self.real(&settings, "min_occupation").unwrap_or(selection.min_occupation);
            selection.max_occupation = self.real(&settings, "max_occupation").unwrap_or(selection.max_occupation);
            selection.max_orbitals = self.int(&settings, "max_orbitals").map_or(selection.max_orbitals, |m| m as u32);
            if self.error_count() > before {
                return None;
            }
        }
        if selection.min_occupation >= selection.max_occupation {
            self.report(
                Diagnostic::error(
                    Code::ActiveSelectionConflict,
                    value.span,
                    format!(
                        "`min_occupation` ({}) must be below `max_occupation` ({})",
                        selection.min_occupation, selection.max_occupation
                    ),
                )
                .with_help("the defaults are 0.02 and 1.98"),
            );
            return None;
        }
        let decided: Vec<&str> =
            ["electrons", "orbitals", "orbital_indices"].into_iter().filter(|f| fields.has(f)).collect();
        if let Some(first) = decided.first() {
            let span = fields.value(first).map_or(value.span, |v| v.span);
            self.report(
                Diagnostic::error(
                    Code::ActiveSelectionConflict,
                    span,
                    format!("`{first}` is decided by `selection = mp2_natural_orbitals` at every point"),
                )
                .with_label(value.span, "natural orbitals chosen here")
                .with_help(format!(
                    "remove {}, or bound the space with `max_orbitals`",
                    decided.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(" and ")
                )),
            );
            return None;
        }
        Some(Some(selection))
    }

    /// The bounds of a natural-orbital active space of one molecule: every electron and orbital
    /// outside the frozen core, at most `max_orbitals` orbitals.
    fn natural_orbital_space(
        &mut self,
        fields: &Fields,
        molecule: usize,
        frozen: Frozen,
        selection: hir::NaturalOrbitalSelection,
        set: Option<&str>,
    ) -> Option<hir::ResolvedSpace> {
        let m = &self.spec.molecules[molecule];
        let about = match set {
            Some(set) => format!("molecule `{}` (in set `{set}`)", m.name),
            None => format!("molecule `{}`", m.name),
        };
        let span = fields.value("selection").map_or(fields.anchor, |v| v.span);
        if m.multiplicity != 1 {
            let multiplicity = m.multiplicity;
            self.report(
                Diagnostic::error(
                    Code::ActiveSelectionConflict,
                    span,
                    format!("MP2 natural orbitals come from RHF-MP2, which needs a closed shell; {about} has multiplicity {multiplicity}"),
                )
                .with_help("choose the space with `electrons` and `orbitals` (or `orbital_indices`) instead"),
            );
            return None;
        }
        let frozen = match frozen {
            Frozen::Chemical => m.chemical_core_orbitals,
            Frozen::Count(n) => n,
        };
        let nbf = m.basis_functions as u32;
        if 2 * frozen >= m.electrons || frozen >= nbf {
            self.report(
                Diagnostic::error(
                    Code::ActiveElectronsExceedMolecule,
                    fields.value("frozen_core").map_or(span, |v| v.span),
                    format!("{frozen} frozen orbitals leave no electrons to correlate in {about}"),
                )
                .with_help("freeze fewer orbitals"),
            );
            return None;
        }
        Some(hir::ResolvedSpace {
            molecule,
            frozen_orbitals: frozen,
            electrons: m.electrons - 2 * frozen,
            orbitals: (nbf - frozen).min(selection.max_orbitals),
            orbital_indices: Vec::new(),
            natural_orbitals: Some(selection),
        })
    }

    fn frozen_core(&mut self, fields: &Fields) -> Option<Frozen> {
        let Some(value) = fields.value("frozen_core").cloned() else { return Some(Frozen::Count(0)) };
        match value.value {
            Value::Word(w) if w == "on" || w == "true" => Some(Frozen::Chemical),
            Value::Word(w) if w == "off" || w == "false" => Some(Frozen::Count(0)),
            Value::Number(n) => self.whole(n, value.span, 0, 10_000, "`frozen_core`").map(|n| Frozen::Count(n as u32)),
            other => {
                self.report(Diagnostic::error(
                    Code::TypeMismatch,
                    value.span,
                    format!("`frozen_core` must be `on`, `off` or a number of orbitals, found {}", other.describe()),
                ));
                None
            }
        }
    }

    /// Resolves and checks an active space for one molecule.
    fn resolve_space(
        &mut self,
        fields: &Fields,
        molecule: usize,
        request: &SpaceRequest<'_>,
        set: Option<&str>,
    ) -> Option<hir::ResolvedSpace> {
        let m = &self.spec.molecules[molecule];
        let (name, total_electrons, nbf, basis, unpaired) =
            (m.name.clone(), m.electrons, m.basis_functions as u32, m.basis.clone(), m.multiplicity - 1);
        let frozen = match request.frozen {
            Frozen::Chemical => m.chemical_core_orbitals,
            Frozen::Count(n) => n,
        };
        let about = match set {
            Some(set) => format!("molecule `{name}` (in set `{set}`)"),
            None => format!("molecule `{name}`"),
        };
        let span_of = |field: &str| fields.value(field).map_or(fields.anchor, |v| v.span);
        if 2 * frozen > total_electrons || frozen >= nbf {
            self.report(
                Diagnostic::error(Code::ActiveElectronsExceedMolecule, span_of("frozen_core"), format!("{frozen} frozen orbitals are too many for {about}: it has {total_electrons} electrons and {nbf} orbitals in {basis}"))
                    .with_help("freeze fewer orbitals"),
            );
            return None;
        }
        let available_electrons = total_electrons - 2 * frozen;
        let available_orbitals = nbf - frozen;
        let electrons = request.electrons.map_or(available_electrons, |e| e as u32);
        let orbitals = match (request.orbitals, request.indices) {
            (Some(o), _) => o as u32,
            (None, Some(indices)) => indices.len() as u32,
            (None, None) => available_orbitals,
        };
        let frozen_note = if frozen > 0 {
            format!(" after freezing {frozen} core orbital{}", if frozen == 1 { "" } else { "s" })
        } else {
            String::new()
        };
        if electrons > available_electrons {
            self.report(
                Diagnostic::error(
                    Code::ActiveElectronsExceedMolecule,
                    span_of("electrons"),
                    format!("{electrons} active electrons, but {about} has {available_electrons}{frozen_note}"),
                )
                .with_help(format!("use at most {available_electrons} active electrons")),
            );
            return None;
        }
        if orbitals > available_orbitals {
            self.report(
                Diagnostic::error(Code::ActiveOrbitalsExceedBasis, span_of("orbitals"), format!("{orbitals} active orbitals, but {basis} gives {about} {available_orbitals} orbitals{frozen_note}"))
                    .with_help(format!("use at most {available_orbitals} active orbitals, or a larger basis set")),
            );
            return None;
        }
        if electrons > 2 * orbitals {
            self.report(
                Diagnostic::error(
                    Code::ActiveElectronsExceedOrbitals,
                    span_of("electrons"),
                    format!("{electrons} electrons do not fit in {orbitals} orbitals"),
                )
                .with_help(format!("{orbitals} spatial orbitals hold at most {} electrons", 2 * orbitals)),
            );
            return None;
        }
        if electrons < unpaired
            || (electrons - unpaired) % 2 != 0
            || (electrons + unpaired) / 2 > orbitals
            || (available_electrons - electrons) % 2 != 0
        {
            let multiplicity = unpaired + 1;
            self.report(
                Diagnostic::error(Code::ActiveSpaceSpin, span_of("electrons"), format!("{electrons} active electrons in {orbitals} orbitals cannot carry multiplicity {multiplicity} of {about}"))
                    .with_help(format!("the electrons left out of the space must pair up in doubly occupied orbitals, and the space must hold the {unpaired} unpaired electron(s)")),
            );
            return None;
        }
        let inactive = (available_electrons - electrons) / 2;
        let orbital_indices = match request.indices {
            None => {
                let start = frozen + inactive;
                if start + orbitals > nbf {
                    self.report(
                        Diagnostic::error(Code::ActiveOrbitalsExceedBasis, span_of("orbitals"), format!("the active space of {about} starts at orbital {} and needs {orbitals} orbitals, but {basis} gives only {nbf}", start + 1))
                            .with_help("use fewer active orbitals or more active electrons"),
                    );
                    return None;
                }
                (start..start + orbitals).collect()
            }
            Some(indices) => self.explicit_indices(fields, indices, frozen, nbf, orbitals, inactive, &about)?,
        };
        Some(hir::ResolvedSpace {
            molecule,
            frozen_orbitals: frozen,
            electrons,
            orbitals,
            orbital_indices,
            natural_orbitals: None,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn explicit_indices(
        &mut self,
        fields: &Fields,
        indices: &[i64],
        frozen: u32,
        nbf: u32,
        orbitals: u32,
        inactive: u32,
        about: &str,
    ) -> Option<Vec<u32>> {
        let span = fields.value("orbital_indices").map_or(fields.anchor, |v| v.span);
        if indices.len() as u32 != orbitals {
            self.report(
                Diagnostic::error(
                    Code::OrbitalIndex,
                    span,
                    format!("{} orbital indices, but `orbitals` is {orbitals}", indices.len()),
                )
                .with_help("give one index per active orbital, or leave `orbitals` out"),
            );
            return None;
        }
        let mut sorted: Vec<u32> = Vec::with_capacity(indices.len());
        for &i in indices {
            if i < 1 || i > i64::from(nbf) {
                self.report(Diagnostic::error(
                    Code::OrbitalIndex,
                    span,
                    format!("orbital {i} does not exist: {about} has orbitals 1 to {nbf}"),
                ));
                return None;
            }
            let i = i as u32;
            if i <= frozen {
                self.report(Diagnostic::error(
                    Code::OrbitalIndex,
                    span,
                    format!("orbital {i} is in the frozen core (orbitals 1 to {frozen})"),
                ));
                return None;
            }
            if sorted.contains(&(i - 1)) {
                self.report(Diagnostic::error(Code::OrbitalIndex, span, format!("orbital {i} is listed twice")));
                return None;
            }
            sorted.push(i - 1);
        }
        sorted.sort_unstable();
        if frozen + inactive + orbitals > nbf {
            self.report(Diagnostic::error(Code::ActiveSpaceGap, span, format!("{about} needs {inactive} doubly occupied inactive orbitals besides the active ones, but the basis has too few")));
            return None;
        }
        Some(sorted)
    }
}

/// One value of an atom line. `dim` is `None` for a plain number, whose unit the slot decides
/// (the molecule's `units` for lengths, degrees for Z-matrix angles), and the evaluated dimension
/// for an interpolation.
struct Slot {
    value: f64,
    dim: Option<Dim>,
    span: Span,
}

#[derive(Clone, Copy)]
enum Frozen {
    Chemical,
    Count(u32),
}

struct SpaceRequest<'a> {
    electrons: Option<i64>,
    orbitals: Option<i64>,
    frozen: Frozen,
    indices: Option<&'a [i64]>,
}

/// The atomic numbers of a geometry's atoms, if every symbol is an element (unknown symbols are
/// reported where the geometry is evaluated).
fn geometry_elements(geometry: &GeometrySource) -> Option<Vec<u8>> {
    match geometry {
        GeometrySource::Inline(g) => {
            g.atoms().map(|a| a.element().and_then(|t| qdf_stdlib::element_by_symbol(t.text())).map(|e| e.z)).collect()
        }
        GeometrySource::File(atoms, _) => {
            atoms.iter().map(|(symbol, _)| qdf_stdlib::element_by_symbol(symbol).map(|e| e.z)).collect()
        }
    }
}

fn scan_combinations(scan: &[hir::ScanVariable], zip: bool) -> Vec<Vec<f64>> {
    if scan.is_empty() {
        return vec![Vec::new()];
    }
    if zip {
        let n = scan[0].values.len();
        return (0..n).map(|i| scan.iter().map(|s| s.values[i]).collect()).collect();
    }
    let mut combos: Vec<Vec<f64>> = vec![Vec::new()];
    for var in scan {
        combos = combos
            .iter()
            .flat_map(|prefix| var.values.iter().map(move |&v| [prefix.as_slice(), &[v]].concat()))
            .collect();
    }
    combos
}

fn distance(a: [f64; 3], b: [f64; 3]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

/// A scan value for messages, in a unit people read: ångström for lengths, degrees for angles.
fn show_scan_value(n: Number) -> String {
    match n.dim {
        d if d == Dim::LENGTH => format!("{:.4} angstrom", n.value * BOHR_IN_ANGSTROM),
        d if d == Dim::ANGLE => format!("{:.2} degree", n.value.to_degrees()),
        d if d.is_none() => format!("{}", n.value),
        d => format!("{} {}", n.value, units::normal_unit_name(d)),
    }
}

//! A deterministic generator of large, realistic `.qdf` specs for the front-end benchmarks.
//!
//! [`valid_spec`] writes one import, one experiment and then "families" of declarations until the
//! text reaches the requested number of lines. A family is what a researcher writes for one
//! molecule: the molecule (an H2, LiH, H2O, NH3 or CH4 geometry, inline XYZ or Z-matrix, scanned
//! with `linspace` over 5–21 points or a list of bond lengths, in one of the shipped bases,
//! sometimes charged or open-shell), an active space that fits it, a mapping, an ansatz, a noise
//! model, a `generate` block on `ionq.aria { fidelity_2q = 0.995 }`, a model, a training run with
//! a split inside the scan range, and a comparison of label sources. Every name carries the
//! family's number, so the whole spec is valid; the benchmark asserts it compiles without errors.
//!
//! [`broken_spec`] damages about 5% of the lines of a valid spec (field-name typos, wrong units,
//! unknown words) so checking can be measured with many diagnostics.
//!
//! The output depends only on the arguments: no clock, no randomness.

/// A generated spec and what it contains.
#[derive(Debug, Clone)]
pub struct GeneratedSpec {
    pub text: String,
    pub lines: usize,
    pub families: usize,
    pub molecules: usize,
    /// Geometry points over all molecules (the product of each molecule's scans).
    pub geometry_points: usize,
}

const BASES: [&str; 4] = ["sto-3g", "6-31g", "6-31g*", "cc-pvdz"];

/// Spread of scan lengths, all within 5..=21.
const POINTS: [usize; 9] = [5, 7, 9, 11, 13, 15, 17, 19, 21];

/// A valid spec of about `target_lines` lines (it stops after the family that reaches the target).
pub fn valid_spec(target_lines: usize) -> GeneratedSpec {
    let mut g = Gen { out: String::with_capacity(target_lines * 32), molecules: 0, points: 0 };
    g.header();
    let mut families = 0;
    while line_count(&g.out) < target_lines {
        g.family(families);
        families += 1;
    }
    let lines = line_count(&g.out);
    GeneratedSpec { text: g.out, lines, families, molecules: g.molecules, geometry_points: g.points }
}

/// The valid spec with about `percent`% of its lines damaged, and how many lines were damaged.
///
/// A quarter of the damaged lines get a quantity in the wrong or an unknown unit (scans, splits,
/// precisions, budgets: `linspace(0.50 hartree, ...)`, `budget = 1e9 usd_per_hour`); the rest are
/// `field = value` lines with a misspelt field name, a misspelt choice or reference, or a string
/// naming nothing shipped. Picks are spread evenly over the file.
pub fn broken_spec(valid: &str, percent: usize) -> (String, usize) {
    let lines: Vec<&str> = valid.lines().collect();
    let with_unit: Vec<usize> = (0..lines.len()).filter(|&i| unit_of(lines[i]).is_some()).collect();
    let fields: Vec<usize> =
        (0..lines.len()).filter(|&i| field_line(lines[i]).is_some() && unit_of(lines[i]).is_none()).collect();
    let wanted = (lines.len() * percent).div_ceil(100);
    let unit_picks = (wanted / 4).min(with_unit.len());
    let field_picks = (wanted - unit_picks).min(fields.len());
    let spread = |from: &[usize], n: usize| -> Vec<usize> { (0..n).map(|j| from[j * from.len() / n]).collect() };
    let mut damage_at = vec![None; lines.len()];
    for i in spread(&with_unit, unit_picks) {
        damage_at[i] = Some(Damage::Unit);
    }
    for (j, i) in spread(&fields, field_picks).into_iter().enumerate() {
        damage_at[i] = Some(Damage::Field(j));
    }
    let mut out = String::with_capacity(valid.len() + wanted * 8);
    let mut broken = 0;
    for (line, damage) in lines.iter().zip(damage_at) {
        match damage {
            Some(d) => {
                out.push_str(&apply(line, d));
                broken += 1;
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    (out, broken)
}

/// The scan range `lo..hi` (ångström) moved by up to 0.09 Å from family to family, so repeated
/// molecule kinds have different geometries (the IR merges identical ones).
fn shifted(k: usize, lo: f64, hi: f64) -> (f64, f64) {
    let shift = 0.01 * ((k / 8) % 10) as f64;
    (lo + shift, hi + shift)
}

pub fn line_count(text: &str) -> usize {
    text.lines().count()
}

#[derive(Clone, Copy)]
enum Damage {
    Unit,
    Field(usize),
}

/// Units in the generated spec and what each is replaced by: a unit of another dimension, or one
/// that does not exist.
const WRONG_UNITS: [(&str, &str); 4] =
    [("angstrom", "hartree"), ("millihartree", "angstrom"), ("degree", "second"), ("shots", "usd_per_hour")];

fn unit_of(line: &str) -> Option<(&'static str, &'static str)> {
    let trimmed = line.trim_start();
    if trimmed.starts_with('#') || !(trimmed.starts_with("scan ") || field_line(line).is_some()) {
        return None;
    }
    WRONG_UNITS.into_iter().find(|(from, _)| trimmed.contains(&format!(" {from}")))
}

/// `(indent, key, value)` of a `  key = value` line inside a block.
fn field_line(line: &str) -> Option<(&str, &str, &str)> {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    if indent.is_empty() || trimmed.starts_with('#') {
        return None;
    }
    let (key, value) = trimmed.split_once(" = ")?;
    (!key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        .then_some((indent, key, value))
}

fn apply(line: &str, damage: Damage) -> String {
    let n = match damage {
        Damage::Unit => {
            let Some((from, to)) = unit_of(line) else { return line.to_string() };
            return line.replacen(&format!(" {from}"), &format!(" {to}"), 1);
        }
        Damage::Field(n) => n,
    };
    let Some((indent, key, value)) = field_line(line) else { return line.to_string() };
    match n % 3 {
        // A misspelt word value (`kind = uccds`, `ansatz = asn_1`), else a field typo.
        1 if value.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && !value.contains(['(', '{', '[']) => {
            format!("{indent}{key} = {}", typo(value))
        }
        // A string that names nothing shipped (`basis = "6-13g"`), else a field typo.
        2 if value.starts_with('"') => format!("{indent}{key} = \"{}\"", typo(value.trim_matches('"'))),
        _ => format!("{indent}{} = {value}", typo(key)),
    }
}

/// Swaps the second and third characters (`basis` -> `bsais`), or doubles the last one.
fn typo(word: &str) -> String {
    let mut chars: Vec<char> = word.chars().collect();
    if chars.len() >= 4 && chars[1] != chars[2] {
        chars.swap(1, 2);
    } else if let Some(&last) = chars.last() {
        chars.push(last);
    }
    chars.into_iter().collect()
}

struct Gen {
    out: String,
    molecules: usize,
    points: usize,
}

/// What a family's molecule looks like, for the declarations that follow it.
struct MoleculeInfo {
    /// The molecule (or molecule set) the active space refers to.
    target: String,
    /// Scan variable, its range in ångström, and whether it is scanned.
    var: &'static str,
    lo: f64,
    hi: f64,
    /// Active space (electrons, orbitals, frozen core on?) that is valid for it in its basis.
    electrons: u32,
    orbitals: u32,
    frozen_core: bool,
}

impl Gen {
    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn header(&mut self) {
        self.line("# Generated benchmark spec: many molecules, each with a full data-generation and");
        self.line("# training pipeline on IonQ Aria. Every name carries its family's number.");
        self.line("import std.targets.ionq");
        self.line("");
        self.line("experiment bench_factory {");
        self.line("  seed = 20240611");
        self.line(
            "  description = \"front-end benchmark: quantum labels against classical labels across small molecules\"",
        );
        self.line("  output = \"runs/bench_factory\"");
        self.line("}");
        self.line("");
    }

    fn family(&mut self, k: usize) {
        let info = match k % 8 {
            0 => self.h2(k),
            1 => self.lih(k),
            2 => self.water_zmatrix(k),
            3 => self.ammonia_xyz(k),
            4 => self.methane(k),
            5 => self.h2_set(k),
            6 => self.water_xyz(k),
            _ => self.ammonia_zmatrix(k),
        };
        self.pipeline(k, &info);
    }

    fn scan_points(k: usize) -> usize {
        POINTS[(k * 7 + k / 8) % POINTS.len()]
    }

    /// `scan var = linspace(lo angstrom, hi angstrom, n)`, or every fifth family a list of values.
    fn scan(&mut self, k: usize, var: &str, lo: f64, hi: f64) -> usize {
        let n = Self::scan_points(k);
        if k % 5 == 4 {
            let n = 5 + k % 3;
            let values: Vec<String> =
                (0..n).map(|i| format!("{:.3} angstrom", lo + (hi - lo) * i as f64 / (n - 1) as f64)).collect();
            self.line(&format!("  scan {var} = [{}]", values.join(", ")));
            n
        } else {
            self.line(&format!("  scan {var} = linspace({lo:.2} angstrom, {hi:.2} angstrom, {n})"));
            n
        }
    }

    fn molecule_tail(&mut self, basis: &str, charge: i32, multiplicity: u32) {
        self.line(&format!("  basis = \"{basis}\""));
        self.line(&format!("  charge = {charge}"));
        self.line(&format!("  multiplicity = {multiplicity}"));
        self.line("}");
        self.line("");
    }

    fn h2(&mut self, k: usize) -> MoleculeInfo {
        // Neutral singlet, cation doublet or neutral triplet, in turn.
        let (charge, multiplicity, electrons, label) = match (k / 8) % 3 {
            0 => (0, 1, 2, "ground-state singlet"),
            1 => (1, 2, 1, "cation, a doublet"),
            _ => (0, 3, 2, "lowest triplet"),
        };
        let name = format!("h2_{k}");
        self.line(&format!("# H2 bond stretch ({label})."));
        self.line(&format!("molecule {name} {{"));
        self.line("  geometry = xyz {");
        self.line("    H 0 0 0");
        self.line("    H 0 0 {r}");
        self.line("  }");
        let (lo, hi) = shifted(k, 0.5, 2.5);
        let n = self.scan(k, "r", lo, hi);
        self.molecule_tail(BASES[k / 8 % 4], charge, multiplicity);
        self.molecules += 1;
        self.points += n;
        MoleculeInfo { target: name, var: "r", lo, hi, electrons, orbitals: 2, frozen_core: false }
    }

    fn lih(&mut self, k: usize) -> MoleculeInfo {
        // Neutral (4 electrons) or the anion doublet (5): 2 or 3 active electrons over the Li 1s core.
        let anion = (k / 8) % 2 == 1;
        let (charge, multiplicity, electrons) = if anion { (-1, 2, 3) } else { (0, 1, 2) };
        let name = format!("lih_{k}");
        self.line("# LiH with the Li 1s orbital frozen.");
        self.line(&format!("molecule {name} {{"));
        self.line("  geometry = xyz {");
        self.line("    Li 0 0 0");
        self.line("    H  0 0 {d}");
        self.line("  }");
        let (lo, hi) = shifted(k, 1.2, 3.0);
        let n = self.scan(k, "d", lo, hi);
        self.molecule_tail(BASES[(k / 8 + 1) % 4], charge, multiplicity);
        self.molecules += 1;
        self.points += n;
        let orbitals = 3 + (k / 8) as u32 % 2;
        MoleculeInfo { target: name, var: "d", lo, hi, electrons, orbitals, frozen_core: true }
    }

    fn water_zmatrix(&mut self, k: usize) -> MoleculeInfo {
        let name = format!("h2o_z_{k}");
        self.line("# Water from a Z-matrix: symmetric O-H stretch at a fixed angle.");
        self.line(&format!("molecule {name} {{"));
        self.line("  geometry = zmatrix {");
        self.line("    O");
        self.line("    H 1 {r}");
        self.line("    H 1 {r} 2 104.5");
        self.line("  }");
        let (lo, hi) = shifted(k, 0.8, 1.6);
        let n = self.scan(k, "r", lo, hi);
        self.molecule_tail(BASES[(k / 8 + 2) % 4], 0, 1);
        self.molecules += 1;
        self.points += n;
        MoleculeInfo { target: name, var: "r", lo, hi, electrons: 4, orbitals: 4, frozen_core: true }
    }

    fn water_xyz(&mut self, k: usize) -> MoleculeInfo {
        let name = format!("h2o_{k}");
        self.line("# Water as Cartesian coordinates, the O-H distance interpolated.");
        self.line(&format!("molecule {name} {{"));
        self.line("  geometry = xyz {");
        self.line("    O 0 0 0");
        self.line("    H 0 {r * sin(52.25 degree)} {-r * cos(52.25 degree)}");
        self.line("    H 0 {-r * sin(52.25 degree)} {-r * cos(52.25 degree)}");
        self.line("  }");
        let (lo, hi) = shifted(k, 0.8, 1.6);
        let n = self.scan(k, "r", lo, hi);
        // 6-31g or sto-3g keep (6e, 5o) well inside the basis.
        self.molecule_tail(BASES[(k / 8) % 2], 0, 1);
        self.molecules += 1;
        self.points += n;
        MoleculeInfo { target: name, var: "r", lo, hi, electrons: 6, orbitals: 5, frozen_core: true }
    }

    fn ammonia_xyz(&mut self, k: usize) -> MoleculeInfo {
        let name = format!("nh3_{k}");
        self.line("# Ammonia: the three N-H bonds stretched together, pyramid angles held.");
        self.line(&format!("molecule {name} {{"));
        self.line("  geometry = xyz {");
        self.line("    N 0 0 0");
        self.line("    H {r * 0.9397} 0 {-r * 0.3420}");
        self.line("    H {-r * 0.4698} {r * 0.8138} {-r * 0.3420}");
        self.line("    H {-r * 0.4698} {-r * 0.8138} {-r * 0.3420}");
        self.line("  }");
        let (lo, hi) = shifted(k, 0.8, 1.5);
        let n = self.scan(k, "r", lo, hi);
        self.molecule_tail(BASES[(k / 8 + 3) % 4], 0, 1);
        self.molecules += 1;
        self.points += n;
        MoleculeInfo { target: name, var: "r", lo, hi, electrons: 6, orbitals: 5, frozen_core: true }
    }

    fn ammonia_zmatrix(&mut self, k: usize) -> MoleculeInfo {
        let name = format!("nh3_z_{k}");
        self.line("# Ammonia from a Z-matrix with dihedrals.");
        self.line(&format!("molecule {name} {{"));
        self.line("  geometry = zmatrix {");
        self.line("    N");
        self.line("    H 1 {r}");
        self.line("    H 1 {r} 2 106.7");
        self.line("    H 1 {r} 2 106.7 3 113.9");
        self.line("  }");
        let (lo, hi) = shifted(k, 0.8, 1.5);
        let n = self.scan(k, "r", lo, hi);
        self.molecule_tail(BASES[(k / 8 + 1) % 4], 0, 1);
        self.molecules += 1;
        self.points += n;
        MoleculeInfo { target: name, var: "r", lo, hi, electrons: 4, orbitals: 4, frozen_core: true }
    }

    fn methane(&mut self, k: usize) -> MoleculeInfo {
        let name = format!("ch4_{k}");
        self.line("# Methane: all four C-H bonds stretched at tetrahedral angles.");
        self.line(&format!("molecule {name} {{"));
        self.line("  geometry = xyz {");
        self.line("    C 0 0 0");
        self.line("    H {r * 0.57735} {r * 0.57735} {r * 0.57735}");
        self.line("    H {-r * 0.57735} {-r * 0.57735} {r * 0.57735}");
        self.line("    H {-r * 0.57735} {r * 0.57735} {-r * 0.57735}");
        self.line("    H {r * 0.57735} {-r * 0.57735} {-r * 0.57735}");
        self.line("  }");
        let (lo, hi) = shifted(k, 0.9, 1.6);
        let n = self.scan(k, "r", lo, hi);
        // STO-3G has 9 orbitals: (8e, 8o) over the frozen C 1s fills it; larger bases take (4e, 4o).
        let basis = BASES[(k / 8 + 2) % 4];
        self.molecule_tail(basis, 0, 1);
        self.molecules += 1;
        self.points += n;
        let (electrons, orbitals) = if basis == "sto-3g" { (8, 8) } else { (4, 4) };
        MoleculeInfo { target: name, var: "r", lo, hi, electrons, orbitals, frozen_core: true }
    }

    /// Two H2 molecules in different bases, scanned alike, treated as one set.
    fn h2_set(&mut self, k: usize) -> MoleculeInfo {
        let mut members = Vec::new();
        let (lo, hi) = shifted(k, 0.6, 2.2);
        for (j, basis) in [BASES[k / 8 % 4], BASES[(k / 8 + 3) % 4]].into_iter().enumerate() {
            let name = format!("h2_{k}_{}", ["a", "b"][j]);
            self.line(&format!("molecule {name} {{"));
            self.line("  geometry = xyz {");
            self.line("    H 0 0 {-r / 2}");
            self.line("    H 0 0 {r / 2}");
            self.line("  }");
            let n = self.scan(k, "r", lo, hi);
            self.line(&format!("  basis = \"{basis}\""));
            self.line("}");
            self.line("");
            self.molecules += 1;
            self.points += n;
            members.push(name);
        }
        let set = format!("h2_pair_{k}");
        self.line(&format!("molecule_set {set} {{ members = [{}] }}", members.join(", ")));
        self.line("");
        MoleculeInfo { target: set, var: "r", lo, hi, electrons: 2, orbitals: 2, frozen_core: false }
    }

    /// Active space, mapping, ansatz, noise, generate, model, train and compare for one molecule.
    fn pipeline(&mut self, k: usize, m: &MoleculeInfo) {
        let v = k / 8; // variant within the molecule kind
        let space = format!("cas_{k}");
        if m.frozen_core {
            self.line(&format!("active_space {space} {{"));
            self.line(&format!("  molecule = {}", m.target));
            self.line("  frozen_core = on");
            self.line(&format!("  electrons = {}", m.electrons));
            self.line(&format!("  orbitals = {}", m.orbitals));
            self.line("}");
        } else {
            self.line(&format!(
                "active_space {space} {{ molecule = {}  electrons = {}  orbitals = {} }}",
                m.target, m.electrons, m.orbitals
            ));
        }
        self.line("");

        // A mapping declaration, or a mapping kind written in the ansatz.
        let mapping = match k % 3 {
            0 => {
                let name = format!("map_{k}");
                self.line(&format!("mapping {name} {{"));
                self.line("  kind = parity");
                self.line("  two_qubit_reduction = on");
                self.line("}");
                self.line("");
                name
            }
            1 => {
                let name = format!("map_{k}");
                self.line(&format!("mapping {name} {{ kind = bravyi_kitaev  tapering = on }}"));
                self.line("");
                name
            }
            _ => "jordan_wigner".to_string(),
        };

        let ansatz = format!("ans_{k}");
        self.line(&format!("ansatz {ansatz} {{"));
        match (k + v) % 5 {
            0 => {
                self.line("  kind = uccsd");
                self.line(&format!("  space = {space}"));
                self.line(&format!("  mapping = {mapping}"));
                self.line("  trotter_steps = 1");
                self.line("  ordering = doubles_first");
            }
            1 => {
                self.line("  kind = kupccgsd");
                self.line(&format!("  space = {space}"));
                self.line(&format!("  mapping = {mapping}"));
                self.line("  k = 2");
            }
            2 => {
                self.line("  kind = hardware_efficient");
                self.line(&format!("  space = {space}"));
                self.line(&format!("  mapping = {mapping}"));
                self.line(&format!("  layers = {}", 2 + k % 4));
                self.line("  rotations = [ry, rz]");
                self.line("  entanglement = circular");
            }
            3 => {
                self.line("  kind = adapt");
                self.line(&format!("  space = {space}"));
                self.line(&format!("  mapping = {mapping}"));
                self.line("  pool = qubit_excitation");
                self.line("  gradient_threshold = 1e-3");
                self.line("  max_operators = 40");
            }
            _ => {
                self.line("  kind = particle_conserving");
                self.line(&format!("  space = {space}"));
                self.line(&format!("  mapping = {mapping}"));
                self.line("  layers = 3");
            }
        }
        self.line("}");
        self.line("");

        let noise = format!("noise_{k}");
        self.line(&format!("noise {noise} {{"));
        if k % 2 == 0 {
            self.line("  device = ionq.aria");
            self.line(&format!("  readout_error = 0.00{}", 3 + k % 5));
        } else {
            self.line("  depolarizing_1q = 3e-4");
            self.line("  depolarizing_2q = 5e-3");
            self.line("  readout_error = 0.004");
            self.line("  dephasing = off");
        }
        self.line("}");
        self.line("");

        let data = format!("data_{k}");
        let optimizer = match k % 4 {
            0 => "lbfgs { max_iter = 200 }".to_string(),
            1 => "spsa { max_iter = 500  learning_rate = 0.05 }".to_string(),
            2 => "bfgs { max_iter = 300  tolerance = 1e-10 }".to_string(),
            _ => "cobyla".to_string(),
        };
        self.line(&format!("generate {data} {{"));
        self.line(&format!("  ansatz = {ansatz}"));
        self.line(&format!("  optimizer = {optimizer}"));
        self.line("  device = ionq.aria { fidelity_2q = 0.995 }");
        self.line(&format!("  noise = {}", if k % 3 == 2 { "device".to_string() } else { noise }));
        self.line(&format!("  shots = {}e4 per_evaluation", 1 + k % 9));
        self.line(&format!("  budget = {}e9 shots", 1 + k % 5));
        self.line("  precision = 1.6 millihartree");
        self.line("  references = [hf, mp2, ccsd, fci]");
        self.line("  record = [energy, params, dipole]");
        self.line("  formats = [jsonl, extxyz]");
        self.line("  warm_start = on");
        self.line("}");
        self.line("");

        let model = format!("model_{k}");
        let baseline = ["hf", "mp2"][k % 2];
        self.line(&format!("model {model} {{"));
        if k % 4 == 3 {
            self.line("  kind = krr");
            self.line("  features = coulomb_matrix");
            self.line("  kernel = laplacian");
            self.line("  regularization = 1e-6");
            self.line("  length_scale = 0.5");
        } else {
            self.line("  kind = mlp");
            self.line("  features = inverse_distances");
            self.line(&format!("  hidden = [{w}, {w}]", w = 16 << (k % 3)));
            self.line("  activation = silu");
        }
        self.line(&format!("  target = energy - {baseline}"));
        self.line("}");
        self.line("");

        // A split inside the scanned range, so both sides have points.
        let train = format!("fit_{k}");
        let split = match k % 3 {
            0 => format!("extrapolate({} > {:.2} angstrom)", m.var, m.lo + 0.75 * (m.hi - m.lo)),
            1 => format!("interpolate({} < {:.2} angstrom)", m.var, m.lo + 0.3 * (m.hi - m.lo)),
            _ => "random(test = 0.25)".to_string(),
        };
        self.line(&format!("train {train} {{"));
        self.line(&format!("  data = {data}"));
        self.line(&format!("  model = {model}"));
        self.line(&format!("  labels = {}", ["vqe", "ccsd", "vqe", "mp2"][k % 4]));
        self.line(&format!("  split = {split}"));
        if k % 4 != 3 {
            // Optimiser settings apply to the MLP; kernel ridge regression is solved in closed form.
            self.line(&format!("  epochs = {}", 500 + 250 * (k % 7)));
            self.line("  learning_rate = 1e-3");
            self.line("  weight_decay = 1e-5");
        }
        self.line("}");
        self.line("");

        let compare = format!("cmp_{k}");
        if k % 2 == 0 {
            self.line(&format!("compare {compare} {{ train = {train}  labels = [mp2, ccsd, vqe]  truth = fci }}"));
        } else {
            self.line(&format!("compare {compare} {{"));
            self.line(&format!("  train = {train}"));
            self.line("  labels = [hf, mp2, vqe]");
            self.line("  truth = fci");
            self.line("  metrics = [mae, rmse, within_chemical_accuracy]");
            self.line("}");
        }
        self.line("");
    }
}

//! The quantum side: devices (with `base` chains and overrides), noise models, mappings, ansatzes
//! and data-generation runs, including what can be known before any compute: whether the circuit
//! fits the device and whether the shots fit its limits.

use crate::diagnostics::{Code, Diagnostic};
use crate::hir;
use crate::source::Span;
use crate::units::Dim;

use super::eval::{Spanned, Value};
use super::fields::Fields;
use super::schema::{self, DeclKind};
use super::{Checker, DeclId};

impl Checker<'_> {
    /// Resolves device `id`, following its `base` chain; memoised, cycles reported.
    pub(crate) fn device(&mut self, id: DeclId) -> Option<hir::Device> {
        if let Some(device) = self.checked.devices.get(&id) {
            return device.clone();
        }
        if self.resolving.contains(&id) {
            let span = self.decl(id).name_span;
            let chain: Vec<String> = self.resolving.iter().map(|&d| self.decl(d).display_name.clone()).collect();
            self.report(Diagnostic::error(
                Code::ReferenceCycle,
                span,
                format!(
                    "devices derive from each other in a cycle: {} -> {}",
                    chain.join(" -> "),
                    self.decl(id).display_name
                ),
            ));
            return None;
        }
        self.resolving.push(id);
        let before = self.error_count();
        let fields = self.read_decl(id);
        let base = self.decl_ref(&fields, "base").map(|base| self.device(base));
        let device = match base {
            Some(None) => None,
            // An unresolvable `base` was reported; missing figures would only repeat it.
            None if fields.has("base") => None,
            Some(Some(base)) => self.device_from_fields(&fields, Some(base), self.decl(id).display_name.clone()),
            None => self.device_from_fields(&fields, None, self.decl(id).display_name.clone()),
        };
        self.resolving.pop();
        let device = device.filter(|_| self.error_count() == before);
        self.checked.devices.insert(id, device.clone());
        device
    }

    /// A device from `fields` on top of `base`. Without a base, the figures a simulation needs are
    /// required.
    fn device_from_fields(&mut self, fields: &Fields, base: Option<hir::Device>, name: String) -> Option<hir::Device> {
        let qubits = self.int(fields, "qubits").map(|q| q as u32);
        let native_gates = self.choices(fields, "native_gates");
        let fidelity_1q = self.real(fields, "fidelity_1q");
        let fidelity_2q = self.real(fields, "fidelity_2q");
        let mut missing = Vec::new();
        if base.is_none() {
            for (field, present) in [
                ("qubits", qubits.is_some()),
                ("native_gates", native_gates.is_some()),
                ("fidelity_1q", fidelity_1q.is_some()),
                ("fidelity_2q", fidelity_2q.is_some()),
            ] {
                if !present && !fields.has(field) {
                    missing.push(field);
                }
            }
        }
        if !missing.is_empty() {
            self.report(
                Diagnostic::error(
                    Code::MissingField,
                    fields.anchor,
                    format!(
                        "{} needs {}",
                        fields.owner,
                        missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
                    ),
                )
                .with_help("give the figures, or start from a known device with `base = ionq.aria`"),
            );
            return None;
        }
        let or = |x: Option<f64>, b: Option<f64>| x.or(b);
        let b = base.as_ref();
        Some(hir::Device {
            name,
            qubits: qubits.or(b.map(|b| b.qubits))?,
            native_gates: native_gates.or(b.map(|b| b.native_gates.clone()))?,
            connectivity: self
                .choice(fields, "connectivity")
                .or(b.map(|b| b.connectivity.clone()))
                .unwrap_or_else(|| "all_to_all".into()),
            fidelity_1q: fidelity_1q.or(b.map(|b| b.fidelity_1q))?,
            fidelity_2q: fidelity_2q.or(b.map(|b| b.fidelity_2q))?,
            fidelity_spam: self.real(fields, "fidelity_spam").or(b.map(|b| b.fidelity_spam)).unwrap_or(1.0),
            time_1q: or(self.quantity(fields, "time_1q"), b.and_then(|b| b.time_1q)),
            time_2q: or(self.quantity(fields, "time_2q"), b.and_then(|b| b.time_2q)),
            time_readout: or(self.quantity(fields, "time_readout"), b.and_then(|b| b.time_readout)),
            t1: or(self.quantity(fields, "t1"), b.and_then(|b| b.t1)),
            t2: or(self.quantity(fields, "t2"), b.and_then(|b| b.t2)),
            max_shots: self.int(fields, "max_shots").map(|s| s as u64).or(b.and_then(|b| b.max_shots)),
            price_1q: or(self.quantity(fields, "price_1q"), b.and_then(|b| b.price_1q)),
            price_2q: or(self.quantity(fields, "price_2q"), b.and_then(|b| b.price_2q)),
            price_minimum: or(self.quantity(fields, "price_minimum"), b.and_then(|b| b.price_minimum)),
            backend: self.text(fields, "backend").or(b.and_then(|b| b.backend.clone())),
        })
    }

    /// A device value in a field: a declaration, or a declaration with overrides.
    fn device_value(&mut self, fields: &Fields, name: &str) -> Option<hir::Device> {
        let value = fields.value(name)?.clone();
        match &value.value {
            Value::Record { base, fields: overrides } => {
                let base_id = self.resolve_ref(fields.file, name, base, &[DeclKind::Device])?;
                let base_device = self.device(base_id)?;
                let display = format!("{} with overrides", base_device.name);
                let owner = format!("the overrides of `{}`", base_device.name);
                let record = self.read_record(fields.file, base.span, owner, schema::DEVICE_OVERRIDES, overrides);
                self.device_from_fields(&record, Some(base_device), display)
            }
            _ => {
                let id = self.resolve_ref(fields.file, name, &value, &[DeclKind::Device])?;
                self.device(id)
            }
        }
    }

    pub(crate) fn noise(&mut self, id: DeclId) -> Option<hir::NoiseModel> {
        let before = self.error_count();
        let fields = self.read_decl(id);
        let device = match self.decl_ref(&fields, "device") {
            Some(device) => Some(self.device(device)?),
            None => None,
        };
        let from_device = device.as_ref().map(noise_from_device);
        let given = |x: Option<f64>, d: fn(&hir::NoiseModel) -> f64| x.or(from_device.as_ref().map(d));
        let depolarizing_1q = self.real(&fields, "depolarizing_1q");
        let depolarizing_2q = self.real(&fields, "depolarizing_2q");
        let readout_error = self.real(&fields, "readout_error");
        let model = hir::NoiseModel {
            depolarizing_1q: given(depolarizing_1q, |m| m.depolarizing_1q).unwrap_or(0.0),
            depolarizing_2q: given(depolarizing_2q, |m| m.depolarizing_2q).unwrap_or(0.0),
            readout_error: given(readout_error, |m| m.readout_error).unwrap_or(0.0),
            dephasing: self.bool(&fields, "dephasing").unwrap_or(true),
            t2: device.as_ref().and_then(|d| d.t2),
            time_1q: device.as_ref().and_then(|d| d.time_1q),
            time_2q: device.as_ref().and_then(|d| d.time_2q),
        };
        (self.error_count() == before).then(|| {
            self.checked.noises.insert(id, model.clone());
            model
        })
    }

    pub(crate) fn mapping(&mut self, id: DeclId) -> Option<hir::Mapping> {
        let before = self.error_count();
        let fields = self.read_decl(id);
        let kind = self.choice(&fields, "kind").and_then(|k| mapping_kind(&k));
        let two_qubit_reduction = self.bool(&fields, "two_qubit_reduction").unwrap_or(false);
        let tapering = self.bool(&fields, "tapering").unwrap_or(false);
        if two_qubit_reduction && kind != Some(hir::MappingKind::Parity) {
            let span = fields.entry("two_qubit_reduction").map_or(fields.anchor, |e| e.name_span);
            self.report(
                Diagnostic::error(Code::FieldNotForKind, span, "`two_qubit_reduction` needs `kind = parity`")
                    .with_help("only the parity mapping makes two qubits redundant"),
            );
        }
        (self.error_count() == before).then_some(hir::Mapping { kind: kind?, two_qubit_reduction, tapering })
    }

    pub(crate) fn ansatz(&mut self, id: DeclId) -> Option<hir::Ansatz> {
        let before = self.error_count();
        let fields = self.read_decl(id);
        let kind = self.choice(&fields, "kind");
        if let Some(kind) = &kind {
            self.check_kind_fields(&fields, kind);
        }
        let space = self.decl_ref(&fields, "space");
        let mapping = self.mapping_value(&fields);
        let options = hir::AnsatzOptions {
            trotter_steps: self.int(&fields, "trotter_steps").unwrap_or(1) as u32,
            spin_adapted: self.bool(&fields, "spin_adapted").unwrap_or(false),
            ordering: self.choice(&fields, "ordering").unwrap_or_else(|| "singles_first".into()),
            k: self.int(&fields, "k").unwrap_or(1) as u32,
            layers: self.int(&fields, "layers").unwrap_or(2) as u32,
            rotations: self.choices(&fields, "rotations").unwrap_or_else(|| vec!["ry".into(), "rz".into()]),
            entanglement: self.choice(&fields, "entanglement").unwrap_or_else(|| "linear".into()),
            pool: self.choice(&fields, "pool").unwrap_or_else(|| "fermionic".into()),
            gradient_threshold: self.real(&fields, "gradient_threshold").unwrap_or(1e-3),
            max_operators: self.int(&fields, "max_operators").unwrap_or(50) as u32,
        };
        if self.error_count() > before {
            return None;
        }
        let kind = match kind?.as_str() {
            "hf" => hir::AnsatzKind::Hf,
            "uccsd" => hir::AnsatzKind::Uccsd,
            "kupccgsd" => hir::AnsatzKind::Kupccgsd,
            "hardware_efficient" => hir::AnsatzKind::HardwareEfficient,
            "adapt" => hir::AnsatzKind::Adapt,
            _ => hir::AnsatzKind::ParticleConserving,
        };
        let space = self.checked_index(space?)?;
        Some(hir::Ansatz { name: self.decl(id).name.clone(), kind, space, mapping: mapping?, options })
    }

    /// The ansatz's `mapping`: a mapping kind, or a `mapping` declaration.
    fn mapping_value(&mut self, fields: &Fields) -> Option<hir::Mapping> {
        let Some(value) = fields.value("mapping").cloned() else {
            return Some(hir::Mapping {
                kind: hir::MappingKind::JordanWigner,
                two_qubit_reduction: false,
                tapering: false,
            });
        };
        match &value.value {
            Value::Word(w) if schema::MAPPINGS.contains(&w.as_str()) => {
                Some(hir::Mapping { kind: mapping_kind(w)?, two_qubit_reduction: false, tapering: false })
            }
            Value::Word(w) if self.lookup_local(fields.file, w).is_none() => {
                self.word_in("mapping", &value, schema::MAPPINGS);
                None
            }
            _ => {
                let id = self.resolve_ref(fields.file, "mapping", &value, &[DeclKind::Mapping])?;
                self.checked.mappings.get(&id).cloned()
            }
        }
    }

    pub(crate) fn generate(&mut self, id: DeclId) -> Option<hir::Generate> {
        let before = self.error_count();
        let fields = self.read_decl(id);
        let ansatz = self.decl_ref(&fields, "ansatz");
        let optimizer = self.optimizer(&fields);
        let device = if fields.has("device") { Some(self.device_value(&fields, "device")) } else { None };
        let noise = self.noise_value(&fields, device.as_ref().and_then(Option::as_ref));
        let shots = self.shots(&fields);
        let budget = self.budget(&fields);
        let precision = self.quantity(&fields, "precision");
        let min_fidelity = self.real(&fields, "min_fidelity").unwrap_or(0.5);
        let grouping = self.choice(&fields, "grouping").map(|g| match g.as_str() {
            "commuting" => hir::Grouping::Commuting,
            "none" => hir::Grouping::None,
            _ => hir::Grouping::QubitWise,
        });
        let allocation = self.choice(&fields, "shot_allocation").map(|a| match a.as_str() {
            "uniform" => hir::ShotAllocation::Uniform,
            "weighted" => hir::ShotAllocation::Weighted,
            _ => hir::ShotAllocation::VarianceOptimal,
        });
        let references = self.choices(&fields, "references").unwrap_or_else(|| vec!["hf".into(), "fci".into()]);
        let record = self.choices(&fields, "record").unwrap_or_else(|| vec!["energy".into(), "params".into()]);
        let formats = self.choices(&fields, "formats").unwrap_or_else(|| vec!["jsonl".into(), "extxyz".into()]);
        let name = self.decl(id).name.clone();
        let output = self.text(&fields, "output").unwrap_or_else(|| name.clone());
        let warm_start = self.bool(&fields, "warm_start").unwrap_or(true);
        let trajectories = self.int(&fields, "trajectories").map(|t| t as u64);
        let mitigation_asked = self.choices(&fields, "mitigation");
        let zne_scales = self.ints(&fields, "zne_scales");
        if self.error_count() > before {
            return None;
        }
        let device = device.flatten();
        let ansatz = self.checked_index(ansatz?)?;
        if let Some(device) = &device {
            self.fits_device(&fields, ansatz, device, shots.as_ref());
        }
        self.references_fit_scf(&fields, ansatz, &references);
        let noise = noise?;
        let measured = noise != hir::Noise::None || shots.is_some();
        if !measured {
            self.measurement_unused(&fields);
        }
        let optimizer = self.optimizer_fits(&fields, optimizer?, measured)?;
        let execute = match self.choice(&fields, "execute").as_deref() {
            Some("ionq") => {
                self.ionq_execution(&fields, device.as_ref(), &noise, shots.as_ref())?;
                hir::Execute::Ionq
            }
            _ => hir::Execute::Simulator,
        };
        let mitigation = self.mitigation(&fields, mitigation_asked, zne_scales, &noise, execute)?;
        let records_fit = self.records_fit(&fields, &record, &noise, shots.as_ref(), precision).is_some();
        if execute == hir::Execute::Ionq && self.spec.ansatzes[ansatz].kind == hir::AnsatzKind::Adapt {
            let span = fields.value("execute").map_or(fields.anchor, |v| v.span);
            self.report(
                Diagnostic::error(
                    Code::IonqExecution,
                    span,
                    "ADAPT-VQE on IonQ's machine: every pool scan would submit two jobs per pool rotation and measurement group",
                )
                .with_help("run ADAPT on the simulator (remove `execute`), or use a fixed ansatz such as `uccsd`"),
            );
            return None;
        }
        if !records_fit {
            return None;
        }
        let spans = hir::GenerateSpans {
            name: self.decl(id).name_span,
            shots: fields.value("shots").map(|v| v.span),
            precision: fields.value("precision").map(|v| v.span),
            budget: fields.value("budget").map(|v| v.span),
            device: fields.value("device").map(|v| v.span),
        };
        let generate = hir::Generate {
            name,
            ansatz,
            optimizer,
            device,
            noise,
            shots,
            budget,
            precision,
            measurement: hir::Measurement {
                grouping: grouping.unwrap_or(hir::Grouping::QubitWise),
                allocation: allocation.unwrap_or(hir::ShotAllocation::VarianceOptimal),
            },
            execute,
            mitigation,
            trajectories,
            min_fidelity,
            references,
            record,
            formats,
            output,
            warm_start,
            spans,
        };
        (self.error_count() == before).then_some(generate)
    }

    fn optimizer(&mut self, fields: &Fields) -> Option<hir::Optimizer> {
        let mut optimizer =
            hir::Optimizer { kind: "lbfgs".into(), max_iter: 200, tolerance: 1e-8, learning_rate: 0.01 };
        let Some(value) = fields.value("optimizer").cloned() else { return Some(optimizer) };
        let (kind, overrides) = match &value.value {
            Value::Record { base, fields: overrides } => ((**base).clone(), Some(overrides.clone())),
            _ => (value.clone(), None),
        };
        optimizer.kind = self.word_in("optimizer", &kind, schema::OPTIMIZERS)?;
        if let Some(overrides) = overrides {
            let owner = format!("optimizer `{}`", optimizer.kind);
            let settings = self.read_record(fields.file, kind.span, owner, schema::OPTIMIZER_FIELDS, &overrides);
            let before = self.error_count();
            optimizer.max_iter = self.int(&settings, "max_iter").map_or(optimizer.max_iter, |m| m as u64);
            optimizer.tolerance = self.real(&settings, "tolerance").unwrap_or(optimizer.tolerance);
            optimizer.learning_rate = self.real(&settings, "learning_rate").unwrap_or(optimizer.learning_rate);
            if self.error_count() > before {
                return None;
            }
        }
        Some(optimizer)
    }

    /// On a measured generate: `spsa` unless an optimiser is named, and an error (QDF6012) for a
    /// named quasi-Newton one, whose line search fails on shot noise.
    fn optimizer_fits(&mut self, fields: &Fields, optimizer: hir::Optimizer, measured: bool) -> Option<hir::Optimizer> {
        if !measured {
            return Some(optimizer);
        }
        let Some(value) = fields.value("optimizer") else {
            return Some(hir::Optimizer { kind: "spsa".into(), ..optimizer });
        };
        if !matches!(optimizer.kind.as_str(), "lbfgs" | "bfgs") {
            return Some(optimizer);
        }
        let span = match &value.value {
            Value::Record { base, .. } => base.span,
            _ => value.span,
        };
        self.report(
            Diagnostic::error(
                Code::OptimizerNeedsExactEnergies,
                span,
                format!("`{}` needs exact energies, but this generate measures them with shots", optimizer.kind),
            )
            .with_help("its line search fails on shot noise: use `optimizer = spsa` (the default for measured runs), `adam`, `gradient_descent`, `nelder_mead` or `cobyla`"),
        );
        None
    }

    /// `execute = ionq` needs a device IonQ runs (a `backend` and an IonQ gate set) and shots,
    /// and takes no simulated noise. Reports QDF6013 and returns `None` otherwise.
    fn ionq_execution(
        &mut self,
        fields: &Fields,
        device: Option<&hir::Device>,
        noise: &hir::Noise,
        shots: Option<&hir::Shots>,
    ) -> Option<()> {
        let span = fields.value("execute").map(|v| v.span)?;
        let ionq_gates = |d: &hir::Device| {
            d.native_gates.iter().any(|g| g == "ms" || g == "zz") && !d.native_gates.iter().any(|g| g == "rzz")
        };
        let problem = match device {
            None => Some((
                "`execute = ionq` needs a `device` to run on",
                "add `device = ionq.aria` (after `import std.targets.ionq`)".to_string(),
            )),
            Some(d) if d.backend.is_none() || !ionq_gates(d) => Some((
                "`execute = ionq` needs an IonQ device with a `backend`",
                format!(
                    "`{}` has {}; use `ionq.aria`, `ionq.forte` or a device based on them",
                    d.name,
                    match &d.backend {
                        Some(b) => format!("the backend \"{b}\" but not IonQ's gate set"),
                        None => "no `backend`".to_string(),
                    }
                ),
            )),
            Some(_) if shots.is_none() => {
                Some(("`execute = ionq` needs `shots`: a QPU measures", "add e.g. `shots = 1000`".to_string()))
            }
            Some(_) if !matches!(noise, hir::Noise::None | hir::Noise::Shots) => Some((
                "simulated noise on a generate that runs on IonQ's machine, whose noise is real",
                "remove `noise` (or use `noise = shots`)".to_string(),
            )),
            Some(_) => None,
        };
        match problem {
            None => Some(()),
            Some((message, help)) => {
                self.report(Diagnostic::error(Code::IonqExecution, span, message).with_help(help));
                None
            }
        }
    }

    /// The generate's error mitigation. Reports QDF6014 when there is nothing to mitigate (no
    /// simulated device noise, IonQ's real machine, or `readout` without a readout error) and
    /// QDF6015 for scales that cannot be extrapolated (even, repeated, fewer than two); `None`
    /// after an error. `zne_scales` without `zne` is a QDF6015 warning.
    fn mitigation(
        &mut self,
        fields: &Fields,
        asked: Option<Vec<String>>,
        scales: Option<Vec<i64>>,
        noise: &hir::Noise,
        execute: hir::Execute,
    ) -> Option<hir::Mitigation> {
        let asked = asked.unwrap_or_default();
        let zne = asked.iter().any(|m| m == "zne");
        let scales_span = fields.value("zne_scales").map(|v| v.span);
        if let (false, Some(span)) = (zne, scales_span) {
            self.report(
                Diagnostic::warning(
                    Code::ZneScales,
                    span,
                    "`zne_scales` without `zne` in `mitigation` changes nothing",
                )
                .with_help("add `mitigation = [zne]`, or remove `zne_scales`"),
            );
        }
        if asked.is_empty() {
            return Some(hir::Mitigation::default());
        }
        let span = fields.value("mitigation").map(|v| v.span)?;
        let problem = match (noise, execute) {
            (_, hir::Execute::Ionq) => Some((
                "mitigation is applied to simulated device noise; this generate runs on IonQ's machine".to_string(),
                "remove `mitigation`, or run on the simulator with `noise = device`".to_string(),
            )),
            (hir::Noise::None | hir::Noise::Shots, _) => Some((
                "nothing to mitigate: this generate simulates no device noise".to_string(),
                "add `noise = device` (the device's figures) or a `noise` declaration".to_string(),
            )),
            (hir::Noise::Model(model), _) if asked.iter().any(|m| m == "readout") && model.readout_error == 0.0 => {
                Some((
                    "`readout` mitigation, but the noise model has no readout error to undo".to_string(),
                    "remove `readout` from `mitigation`, or give the model a `readout_error`".to_string(),
                ))
            }
            _ => None,
        };
        if let Some((message, help)) = problem {
            self.report(Diagnostic::error(Code::MitigationNeedsNoise, span, message).with_help(help));
            return None;
        }
        let mut zne_scales = Vec::new();
        if zne {
            let written = scales.unwrap_or_else(|| vec![1, 3, 5]);
            let span = scales_span.unwrap_or(span);
            let mut sorted = written.clone();
            sorted.sort_unstable();
            sorted.dedup();
            let problem = if let Some(even) = written.iter().find(|s| *s % 2 == 0) {
                Some(format!("noise scale {even} is even: folding G → G·(G†·G)^k reaches only odd scales 1 + 2k"))
            } else if sorted.len() < written.len() {
                Some("a noise scale is listed twice".to_string())
            } else if sorted.len() < 2 {
                Some("zero-noise extrapolation needs at least two noise scales".to_string())
            } else {
                None
            };
            if let Some(message) = problem {
                self.report(
                    Diagnostic::error(Code::ZneScales, span, message)
                        .with_help("use distinct odd scales, e.g. `zne_scales = [1, 3, 5]`"),
                );
                return None;
            }
            zne_scales = sorted.iter().map(|&s| s as u32).collect();
        }
        Some(hir::Mitigation { readout: asked.iter().any(|m| m == "readout"), zne_scales })
    }

    /// Record items the generate cannot produce: `gradients` (finite differences) of measured
    /// energies, `counts` of energies no shots are drawn for. Reports QDF6016 and returns `None`.
    fn records_fit(
        &mut self,
        fields: &Fields,
        record: &[String],
        noise: &hir::Noise,
        shots: Option<&hir::Shots>,
        precision: Option<f64>,
    ) -> Option<()> {
        let measured = *noise != hir::Noise::None || shots.is_some();
        // Shots are drawn when given, or sized for a precision on a measured generate.
        let shots_drawn = shots.is_some() || (measured && precision.is_some());
        let span = fields.value("record").map_or(fields.anchor, |v| v.span);
        let problem = if record.iter().any(|r| r == "gradients") && measured {
            Some((
                "`gradients` are finite differences of exact energies, but this generate measures its energies",
                "record gradients on a generate without `noise` and `shots`",
            ))
        } else if record.iter().any(|r| r == "counts") && !shots_drawn {
            Some((
                "`counts` are the outcomes of measured shots, but this generate draws none",
                "add `shots` (with `noise = shots` or the device's noise), or remove `counts`",
            ))
        } else {
            None
        };
        match problem {
            None => Some(()),
            Some((message, help)) => {
                self.report(Diagnostic::error(Code::RecordUnavailable, span, message).with_help(help));
                None
            }
        }
    }

    fn noise_value(&mut self, fields: &Fields, device: Option<&hir::Device>) -> Option<hir::Noise> {
        let Some(value) = fields.value("noise").cloned() else { return Some(hir::Noise::None) };
        match &value.value {
            Value::Word(w) if w == "none" => Some(hir::Noise::None),
            Value::Word(w) if w == "shots" => {
                if !fields.has("shots") {
                    self.report(
                        Diagnostic::error(
                            Code::MissingField,
                            value.span,
                            "`noise = shots` needs `shots`, the number of measurements",
                        )
                        .with_help("add e.g. `shots = 1e5`"),
                    );
                    return None;
                }
                Some(hir::Noise::Shots)
            }
            Value::Word(w) if w == "device" => match device {
                Some(device) => Some(hir::Noise::Model(noise_from_device(device))),
                None => {
                    if !fields.has("device") {
                        self.report(
                            Diagnostic::error(Code::NoiseNeedsDevice, value.span, "`noise = device` needs a `device` to take the noise figures from")
                                .with_help("add `device = ionq.aria` (after `import std.targets.ionq`), or use a `noise` declaration"),
                        );
                    }
                    None
                }
            },
            Value::Word(w) if self.lookup_local(fields.file, w).is_none() => {
                self.word_in("noise", &value, schema::NOISE_LEVELS);
                None
            }
            _ => {
                let id = self.resolve_ref(fields.file, "noise", &value, &[DeclKind::Noise])?;
                self.checked.noises.get(&id).cloned().map(hir::Noise::Model)
            }
        }
    }

    fn shots(&mut self, fields: &Fields) -> Option<hir::Shots> {
        let value = fields.value("shots")?.clone();
        let Value::Number(n) = value.value else {
            self.report(
                Diagnostic::error(
                    Code::TypeMismatch,
                    value.span,
                    format!("`shots` must be a count, found {}", value.value.describe()),
                )
                .with_help("e.g. `shots = 1e5` or `shots = 2e6 per_point`"),
            );
            return None;
        };
        if !n.dim.is_none() && n.dim != Dim::SHOTS {
            self.report(Diagnostic::error(
                Code::DimensionMismatch,
                value.span,
                format!("`shots` must be a count, found a quantity of {}", n.dim),
            ));
            return None;
        }
        let scope = if n.unit == Some("per_point") { hir::ShotScope::PerPoint } else { hir::ShotScope::PerEvaluation };
        let plain = super::eval::Number { dim: Dim::NONE, ..n };
        let count = self.whole(plain, value.span, 1, i64::MAX, "`shots`")?;
        Some(hir::Shots { count: count as u64, scope })
    }

    fn budget(&mut self, fields: &Fields) -> Option<hir::Budget> {
        let value = fields.value("budget")?.clone();
        match value.value {
            Value::Number(n) if n.dim == Dim::SHOTS && matches!(n.unit, Some("shots" | "shot")) => {
                let plain = super::eval::Number { dim: Dim::NONE, ..n };
                self.whole(plain, value.span, 1, i64::MAX, "`budget`").map(|b| hir::Budget::Shots(b as u64))
            }
            Value::Number(n) if n.dim == Dim::MONEY && n.value > 0.0 => Some(hir::Budget::Usd(n.value)),
            _ => {
                self.report(
                    Diagnostic::error(
                        Code::TypeMismatch,
                        value.span,
                        format!("`budget` must be a total in `shots` or `usd`, found {}", value.value.describe()),
                    )
                    .with_help("e.g. `budget = 1e9 shots` or `budget = 5000 usd`"),
                );
                None
            }
        }
    }

    /// Warns about measurement settings on a generate with exact expectation values (no noise,
    /// no shots), where nothing is measured.
    fn measurement_unused(&mut self, fields: &Fields) {
        for name in ["grouping", "shot_allocation", "precision", "budget"] {
            if let Some(value) = fields.value(name) {
                self.report(
                    Diagnostic::warning(
                        Code::MeasurementUnused,
                        value.span,
                        format!("`{name}` has no effect: this generate computes exact expectation values"),
                    )
                    .with_help("add `shots` (or `noise = shots`/`device`) to measure, or remove the field"),
                );
            }
        }
    }

    /// Checks that every molecule of the generate's active space supports each reference method:
    /// CCSD and CCSD(T) are closed-shell methods, and MP2 of an open shell is UMP2 on a UHF
    /// reference.
    fn references_fit_scf(&mut self, fields: &Fields, ansatz: usize, references: &[String]) {
        let space = &self.spec.active_spaces[self.spec.ansatzes[ansatz].space];
        let span = fields.value("references").map_or(fields.anchor, |v| v.span);
        let mut problems = Vec::new();
        for resolved in &space.spaces {
            let molecule = &self.spec.molecules[resolved.molecule];
            if molecule.multiplicity == 1 {
                continue;
            }
            for method in references {
                let problem = match method.as_str() {
                    "ccsd" | "ccsd_t" => Some((
                        format!("`{method}` needs a closed-shell molecule, but `{}` has multiplicity {}", molecule.name, molecule.multiplicity),
                        "qdf's coupled cluster is restricted closed-shell; use `mp2` (with `scf = uhf`), `casci` or `fci` for open shells",
                    )),
                    "mp2" if molecule.scf != hir::ScfKind::Uhf => Some((
                        format!("`mp2` of the open-shell molecule `{}` needs an unrestricted reference", molecule.name),
                        "add `scf = uhf` to the molecule: open-shell MP2 is UMP2",
                    )),
                    _ => None,
                };
                problems.extend(problem);
            }
        }
        for (message, help) in problems {
            self.report(Diagnostic::error(Code::ReferenceNeedsScf, span, message).with_help(help));
        }
    }

    /// Checks that the generate's circuits fit its device: qubits and shots per job.
    fn fits_device(&mut self, fields: &Fields, ansatz: usize, device: &hir::Device, shots: Option<&hir::Shots>) {
        let ansatz = &self.spec.ansatzes[ansatz];
        let space = &self.spec.active_spaces[ansatz.space];
        let reduction = if ansatz.mapping.two_qubit_reduction { 2 } else { 0 };
        let widest = space.spaces.iter().map(|s| 2 * s.orbitals - reduction).max().unwrap_or(0);
        let span = fields.value("device").map_or(fields.anchor, |v| v.span);
        if widest > device.qubits {
            let tapering = if ansatz.mapping.tapering { " before tapering" } else { "" };
            self.report(
                Diagnostic::error(
                    Code::CircuitTooWide,
                    span,
                    format!("the circuit needs {widest} qubits{tapering}, but {} has {}", device.name, device.qubits),
                )
                .with_help("choose a smaller active space, a mapping with qubit reduction, or a larger device"),
            );
        }
        if let (Some(shots), Some(max)) = (shots, device.max_shots) {
            if shots.scope == hir::ShotScope::PerEvaluation && shots.count > max {
                let span = fields.value("shots").map_or(span, |v| v.span);
                self.report(
                    Diagnostic::error(
                        Code::ShotsExceedDevice,
                        span,
                        format!(
                            "{} shots per evaluation, but {} allows at most {max} per job",
                            shots.count, device.name
                        ),
                    )
                    .with_help("lower the shots, or give them `per_point` so they spread over several jobs"),
                );
            }
        }
    }

    /// The span of a field's value, or the block's anchor when the field is absent.
    pub(crate) fn value_span(fields: &Fields, name: &str) -> Span {
        fields.value(name).map_or(fields.anchor, |v: &Spanned<Value>| v.span)
    }
}

fn mapping_kind(word: &str) -> Option<hir::MappingKind> {
    match word {
        "jordan_wigner" => Some(hir::MappingKind::JordanWigner),
        "bravyi_kitaev" => Some(hir::MappingKind::BravyiKitaev),
        "parity" => Some(hir::MappingKind::Parity),
        _ => None,
    }
}

/// A depolarising noise model from a device's average gate fidelities. The runtime's channel
/// applies one of the `d² − 1` non-identity Paulis with total probability `p`, whose average gate
/// fidelity is `1 − p·d/(d + 1)`; so `p = (1 − F)(d + 1)/d`: `1.5(1 − F)` on one qubit and
/// `1.25(1 − F)` on two.
fn noise_from_device(device: &hir::Device) -> hir::NoiseModel {
    hir::NoiseModel {
        depolarizing_1q: ((1.0 - device.fidelity_1q) * 1.5).min(1.0),
        depolarizing_2q: ((1.0 - device.fidelity_2q) * 1.25).min(1.0),
        readout_error: 1.0 - device.fidelity_spam,
        dephasing: device.t2.is_some(),
        t2: device.t2,
        time_1q: device.time_1q,
        time_2q: device.time_2q,
    }
}

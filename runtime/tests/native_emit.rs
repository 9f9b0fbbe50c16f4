//! Emitted OpenQASM 3 and IonQ job JSON for fixed circuits, compared with the committed files in
//! golden/native/ (rewritten with UPDATE_GOLDEN=1). golden/native/check_qasm3.py parses each
//! OpenQASM 3 program with qiskit.qasm3.loads and checks its unitary, with the final frames, against
//! the logical circuit stored next to it as OpenQASM 2.

use std::path::Path;

use qdf_runtime::circuit::{Angle, Gate, LogicalCircuit};
use qdf_runtime::native::emit::{ionq_json, qasm3};
use qdf_runtime::native::{self, Target};

fn fixed_circuits() -> Vec<(&'static str, LogicalCircuit)> {
    let mut cnot = LogicalCircuit::new(2, 0);
    cnot.push(Gate::Cnot { control: 0, target: 1 });
    let mut mixed = LogicalCircuit::new(3, 0);
    for gate in [
        Gate::H(0),
        Gate::Ry(1, Angle::Fixed(0.37)),
        Gate::Cnot { control: 0, target: 1 },
        Gate::Rz(1, Angle::Fixed(-1.1)),
        Gate::Cnot { control: 1, target: 2 },
        Gate::Rx(2, Angle::Fixed(2.3)),
        Gate::Cz(0, 2),
        Gate::S(1),
        Gate::Cnot { control: 2, target: 0 },
    ] {
        mixed.push(gate);
    }
    vec![("cnot", cnot), ("mixed", mixed)]
}

fn qasm2(circuit: &LogicalCircuit) -> String {
    let mut out = format!("OPENQASM 2.0;\ninclude \"qelib1.inc\";\nqreg q[{}];\n", circuit.n_qubits());
    for gate in circuit.gates() {
        out += &match *gate {
            Gate::H(q) => format!("h q[{q}];\n"),
            Gate::S(q) => format!("s q[{q}];\n"),
            Gate::Sdg(q) => format!("sdg q[{q}];\n"),
            Gate::X(q) => format!("x q[{q}];\n"),
            Gate::Rx(q, a) => format!("rx({:.17}) q[{q}];\n", a.value(&[])),
            Gate::Ry(q, a) => format!("ry({:.17}) q[{q}];\n", a.value(&[])),
            Gate::Rz(q, a) => format!("rz({:.17}) q[{q}];\n", a.value(&[])),
            Gate::Cnot { control, target } => format!("cx q[{control}],q[{target}];\n"),
            Gate::Cz(a, b) => format!("cz q[{a}],q[{b}];\n"),
        };
    }
    out
}

fn check_golden(name: &str, text: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/native").join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, text).expect("write golden");
        return;
    }
    let golden = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(text, golden, "{name} differs from the golden file (UPDATE_GOLDEN=1 rewrites it)");
}

#[test]
fn openqasm3_programs_match_the_checked_goldens() {
    for (name, circuit) in fixed_circuits() {
        check_golden(&format!("{name}.logical.qasm"), &qasm2(&circuit));
        for (label, target) in [("aria", Target::IonqMs), ("forte", Target::IonqZz), ("h2", Target::Quantinuum)] {
            let native = native::compile(&circuit, &[], target);
            check_golden(&format!("{name}.{label}.qasm"), &qasm3::program(&native));
        }
    }
}

#[test]
fn ionq_jobs_carry_native_and_qis_circuits() {
    let circuits = fixed_circuits();
    let settings = ionq_json::JobSettings {
        backend: "qpu.aria-1".into(),
        shots: 1000,
        name: "cnot".into(),
        noise: Some(("aria-1".into(), 7)),
        debiasing: true,
    };
    let native = native::compile(&circuits[0].1, &[], Target::IonqMs);
    let single = ionq_json::job(&settings, "native", &[("cnot".into(), 2, ionq_json::native_circuit(&native))]);
    assert_eq!(single["type"], "ionq.circuit.v1");
    assert_eq!(single["input"]["gateset"], "native");
    assert_eq!(single["input"]["qubits"], 2);
    assert_eq!(single["noise"]["model"], "aria-1");
    let gates = single["input"]["circuit"].as_array().expect("circuit");
    assert_eq!(gates.iter().filter(|g| g["gate"] == "ms").count(), 1);
    assert_eq!(gates.iter().filter(|g| g["gate"] == "gpi2").count(), 3);
    let multi = ionq_json::job(
        &settings,
        "qis",
        &circuits
            .iter()
            .map(|(n, c)| (n.to_string(), c.n_qubits(), ionq_json::qis_circuit(c, &[])))
            .collect::<Vec<_>>(),
    );
    assert_eq!(multi["type"], "ionq.multi-circuit.v1");
    assert_eq!(multi["input"]["qubits"], 3);
    assert_eq!(
        multi["input"]["circuits"][1]["circuit"][2],
        serde_json::json!({"gate": "x", "controls": [0], "targets": [1]})
    );
    check_golden("cnot.aria.job.json", &serde_json::to_string_pretty(&single).expect("JSON"));
}

//! Emitted QIR base-profile modules for fixed circuits, compared with the committed files
//! golden/native/NAME.qir.ll (rewritten with UPDATE_GOLDEN=1). golden/native/check_qir.py parses
//! each module with pyqir, checks its entry-point attributes and measurements, and checks its gate
//! sequence against NAME.logical.qasm read by qiskit (`cnot` and `mixed` are shared with the
//! OpenQASM goldens; `bound.logical.qasm` is the bound parametrised circuit, written by hand).

use std::path::Path;

use qdf_runtime::circuit::{Angle, Gate, LogicalCircuit};
use qdf_runtime::native::emit::qir;

fn circuit(n_qubits: u32, n_parameters: usize, gates: &[Gate]) -> LogicalCircuit {
    let mut circuit = LogicalCircuit::new(n_qubits, n_parameters);
    for &gate in gates {
        circuit.push(gate);
    }
    circuit
}

fn circuits() -> Vec<(&'static str, LogicalCircuit, Vec<f64>)> {
    let cnot = circuit(2, 0, &[Gate::Cnot { control: 0, target: 1 }]);
    let mixed = circuit(
        3,
        0,
        &[
            Gate::H(0),
            Gate::Ry(1, Angle::Fixed(0.37)),
            Gate::Cnot { control: 0, target: 1 },
            Gate::Rz(1, Angle::Fixed(-1.1)),
            Gate::Cnot { control: 1, target: 2 },
            Gate::Rx(2, Angle::Fixed(2.3)),
            Gate::Cz(0, 2),
            Gate::S(1),
            Gate::Cnot { control: 2, target: 0 },
        ],
    );
    let bound = circuit(
        3,
        2,
        &[
            Gate::X(0),
            Gate::H(1),
            Gate::Sdg(1),
            Gate::Rx(2, Angle::Parameter { index: 0, weight: 2.0 }),
            Gate::Cnot { control: 1, target: 2 },
            Gate::Rz(2, Angle::Parameter { index: 1, weight: -0.5 }),
            Gate::Ry(0, Angle::Parameter { index: 0, weight: 1.0 }),
            Gate::Cz(2, 0),
            Gate::S(0),
            Gate::Rz(1, Angle::Fixed(1e-10)),
        ],
    );
    vec![("cnot", cnot, vec![]), ("mixed", mixed, vec![]), ("bound", bound, vec![0.25, -1.5])]
}

#[test]
fn qir_modules_match_the_checked_goldens() {
    for (name, circuit, params) in circuits() {
        let text = qir::program(&circuit, &params);
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/golden/native/{name}.qir.ll"));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &text).expect("write golden");
            continue;
        }
        let golden = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(text, golden, "{name}.qir.ll differs from the golden file (UPDATE_GOLDEN=1 rewrites it)");
    }
}

#[test]
fn only_used_instructions_are_declared() {
    let text = qir::program(&circuits()[0].1, &[]);
    assert!(text.contains("declare void @__quantum__qis__cnot__body(%Qubit*, %Qubit*)"));
    assert!(!text.contains("__quantum__qis__h__body"));
    assert!(text.contains("\"required_num_qubits\"=\"2\" \"required_num_results\"=\"2\""));
}

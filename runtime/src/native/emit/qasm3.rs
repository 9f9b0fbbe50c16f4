//! OpenQASM 3 for lowered circuits, with the native gates defined in the program from `U`, `rz`,
//! `h` and `cx` (exact, global phase included, as in the trapped-ion notes), so any OpenQASM 3
//! reader can simulate the program. Phases are in turns as in IonQ's API. The final virtual-Z
//! frames are not gates: a comment lists them, and the program measures every qubit. Gate parameters
//! are named in alphabetical order because qiskit's OpenQASM 3 importer binds them sorted by name.

use std::fmt::Write;

use super::super::gate::NativeGate;
use super::super::lower::NativeCircuit;

const IONQ_DEFINITIONS: &str = "\
gate gpi(phi) q { U(pi, 2*pi*phi, pi - 2*pi*phi) q; }
gate gpi2(phi) q { U(pi/2, 2*pi*phi - pi/2, pi/2 - 2*pi*phi) q; }
gate ms(phi0, phi1, theta) a, b { rz(-2*pi*phi0) a; rz(-2*pi*phi1) b; h a; h b; cx a, b; rz(2*pi*theta) b; cx a, b; h b; h a; rz(2*pi*phi0) a; rz(2*pi*phi1) b; }
gate zz(theta) a, b { cx a, b; rz(2*pi*theta) b; cx a, b; }
";

const QUANTINUUM_DEFINITIONS: &str = "\
gate u1q(a, b) q { rz(-b) q; rx(a) q; rz(b) q; }
gate rzz_native(theta) a, b { cx a, b; rz(theta) b; cx a, b; }
";

/// The OpenQASM 3 program of `circuit`, measuring every qubit into `c`.
pub fn program(circuit: &NativeCircuit) -> String {
    let mut out = String::from("OPENQASM 3.0;\ninclude \"stdgates.inc\";\n");
    out.push_str(if matches!(circuit.target, super::super::Target::Quantinuum) {
        QUANTINUUM_DEFINITIONS
    } else {
        IONQ_DEFINITIONS
    });
    let frames: Vec<String> = circuit.frames.iter().map(|f| format!("{f:.15}")).collect();
    let n = circuit.n_qubits;
    // Writing into a String cannot fail.
    let _ = writeln!(out, "// final virtual RZ frames (radians) per qubit: [{}]", frames.join(", "));
    let _ = writeln!(out, "qubit[{n}] q;\nbit[{n}] c;");
    for gate in &circuit.gates {
        let _ = match *gate {
            NativeGate::Gpi { qubit, phase } => writeln!(out, "gpi({phase:.15}) q[{qubit}];"),
            NativeGate::Gpi2 { qubit, phase } => writeln!(out, "gpi2({phase:.15}) q[{qubit}];"),
            NativeGate::Ms { qubits: [a, b], phases: [p0, p1], angle } => {
                writeln!(out, "ms({p0:.15}, {p1:.15}, {angle:.15}) q[{a}], q[{b}];")
            }
            NativeGate::Zz { qubits: [a, b], angle } => writeln!(out, "zz({angle:.15}) q[{a}], q[{b}];"),
            NativeGate::U1q { qubit, theta, phi } => writeln!(out, "u1q({theta:.15}, {phi:.15}) q[{qubit}];"),
            NativeGate::Rzz { qubits: [a, b], theta } => writeln!(out, "rzz_native({theta:.15}) q[{a}], q[{b}];"),
        };
    }
    out.push_str("c = measure q;\n");
    out
}

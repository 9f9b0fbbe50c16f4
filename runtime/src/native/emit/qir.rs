//! QIR base profile (LLVM text) for a logical circuit with bound parameters: the form Azure
//! Quantum's IonQ targets take. Gates use the quantum instruction set `__quantum__qis__*__body`
//! (`h`, `s`, `s__adj`, `x`, `rx`, `ry`, `rz`, `cnot`, `cz`); qubits and results are addressed
//! statically (`inttoptr (i64 k to %Qubit*)`); every qubit `q` is measured at the end into result
//! `q`, and the results are recorded as one array, so outcome bit `q` is qubit `q` as elsewhere in
//! this crate.
//!
//! Angles are written as LLVM decimal doubles in Rust's shortest round-trip form, so the parsed
//! value is exactly the bound angle.

use std::fmt::Write;

use crate::circuit::{Gate, LogicalCircuit};

/// The QIR instructions a gate may use, with their LLVM signatures, in declaration order.
const DECLARATIONS: [(&str, &str); 9] = [
    ("h", "%Qubit*"),
    ("s", "%Qubit*"),
    ("s__adj", "%Qubit*"),
    ("x", "%Qubit*"),
    ("rx", "double, %Qubit*"),
    ("ry", "double, %Qubit*"),
    ("rz", "double, %Qubit*"),
    ("cnot", "%Qubit*, %Qubit*"),
    ("cz", "%Qubit*, %Qubit*"),
];

fn qubit(q: u32) -> String {
    format!("%Qubit* inttoptr (i64 {q} to %Qubit*)")
}

fn result(r: u32) -> String {
    format!("%Result* inttoptr (i64 {r} to %Result*)")
}

/// An LLVM `double` literal for `x`: decimal with a point (LLVM requires one), or the exact bit
/// pattern in hexadecimal for infinities and NaN.
fn double(x: f64) -> String {
    if !x.is_finite() {
        return format!("0x{:016X}", x.to_bits());
    }
    let text = format!("{x:?}");
    match text.find('e') {
        Some(e) if !text[..e].contains('.') => format!("{}.0{}", &text[..e], &text[e..]),
        _ => text,
    }
}

/// The instruction name and argument list of `gate` with `params` bound.
fn call(gate: &Gate, params: &[f64]) -> (&'static str, String) {
    let rotation = |q: u32, angle: f64| format!("double {}, {}", double(angle), qubit(q));
    match *gate {
        Gate::H(q) => ("h", qubit(q)),
        Gate::S(q) => ("s", qubit(q)),
        Gate::Sdg(q) => ("s__adj", qubit(q)),
        Gate::X(q) => ("x", qubit(q)),
        Gate::Rx(q, a) => ("rx", rotation(q, a.value(params))),
        Gate::Ry(q, a) => ("ry", rotation(q, a.value(params))),
        Gate::Rz(q, a) => ("rz", rotation(q, a.value(params))),
        Gate::Cnot { control, target } => ("cnot", format!("{}, {}", qubit(control), qubit(target))),
        Gate::Cz(a, b) => ("cz", format!("{}, {}", qubit(a), qubit(b))),
    }
}

/// The QIR base-profile module of `circuit` with `params` bound, entry point `@main`. Failure
/// contract: panics if `params` has fewer values than the circuit has parameters (a programming
/// error: callers bind the optimised parameters).
pub fn program(circuit: &LogicalCircuit, params: &[f64]) -> String {
    assert!(
        params.len() >= circuit.n_parameters(),
        "{} parameters bound for a circuit with {}",
        params.len(),
        circuit.n_parameters()
    );
    let n = circuit.n_qubits();
    let mut used = [false; DECLARATIONS.len()];
    let mut body = String::new();
    // Writing into a String cannot fail.
    for gate in circuit.gates() {
        let (name, args) = call(gate, params);
        if let Some(k) = DECLARATIONS.iter().position(|(d, _)| *d == name) {
            used[k] = true;
        }
        let _ = writeln!(body, "  call void @__quantum__qis__{name}__body({args})");
    }
    for q in 0..n {
        let _ = writeln!(body, "  call void @__quantum__qis__mz__body({}, {})", qubit(q), result(q));
    }
    let _ = writeln!(body, "  call void @__quantum__rt__array_record_output(i64 {n}, i8* null)");
    for q in 0..n {
        let _ = writeln!(body, "  call void @__quantum__rt__result_record_output({}, i8* null)", result(q));
    }

    let mut out = String::from("%Qubit = type opaque\n%Result = type opaque\n\n");
    let _ = write!(out, "define void @main() #0 {{\nentry:\n{body}  ret void\n}}\n\n");
    for ((name, signature), used) in DECLARATIONS.iter().zip(used) {
        if used {
            let _ = writeln!(out, "declare void @__quantum__qis__{name}__body({signature})");
        }
    }
    out.push_str(
        "declare void @__quantum__qis__mz__body(%Qubit*, %Result* writeonly) #1\n\
         declare void @__quantum__rt__array_record_output(i64, i8*)\n\
         declare void @__quantum__rt__result_record_output(%Result*, i8*)\n\n",
    );
    let _ = writeln!(
        out,
        "attributes #0 = {{ \"entry_point\" \"output_labeling_schema\" \"qir_profiles\"=\"base_profile\" \
         \"required_num_qubits\"=\"{n}\" \"required_num_results\"=\"{n}\" }}"
    );
    out.push_str(
        "attributes #1 = { \"irreversible\" }\n\n\
         !llvm.module.flags = !{!0, !1, !2, !3}\n\n\
         !0 = !{i32 1, !\"qir_major_version\", i32 1}\n\
         !1 = !{i32 7, !\"qir_minor_version\", i32 0}\n\
         !2 = !{i32 1, !\"dynamic_qubit_management\", i1 false}\n\
         !3 = !{i32 1, !\"dynamic_result_management\", i1 false}\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::double;

    #[test]
    fn doubles_always_have_a_decimal_point() {
        assert_eq!(double(1.0), "1.0");
        assert_eq!(double(-0.37), "-0.37");
        assert_eq!(double(1e-10), "1.0e-10");
        assert_eq!(double(2.5e-8), "2.5e-8");
        assert_eq!(double(f64::INFINITY), "0x7FF0000000000000");
    }
}

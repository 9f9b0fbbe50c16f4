"""Checks the committed QIR goldens: each NAME.qir.ll parses and verifies with pyqir, its entry
point carries the base-profile attributes for the qubit count of NAME.logical.qasm, its gate calls
are exactly the instructions of NAME.logical.qasm read by qiskit (names, qubits, angles to 1e-15),
every qubit q is measured once into result q after the last gate, and the results are recorded.
The unitary of the gate calls, rebuilt in qiskit, equals that of the logical circuit. Needs pyqir
(pip install pyqir) and qiskit. Run from this directory."""
import glob

import numpy as np
import pyqir
import qiskit.qasm2
from qiskit import QuantumCircuit
from qiskit.quantum_info import Operator

# QIR instruction -> qiskit instruction name; rotations take their angle first.
GATES = {"h": "h", "s": "s", "s__adj": "sdg", "x": "x", "rx": "rx", "ry": "ry", "rz": "rz", "cnot": "cx", "cz": "cz"}

checked = 0
for path in sorted(glob.glob("*.qir.ll")):
    name = path.split(".")[0]
    module = pyqir.Module.from_ir(pyqir.Context(), open(path).read(), name)
    assert module.verify() is None, (path, module.verify())
    logical = qiskit.qasm2.load(f"{name}.logical.qasm")
    n = logical.num_qubits
    (entry,) = [f for f in module.functions if pyqir.is_entry_point(f)]
    assert pyqir.required_num_qubits(entry) == n and pyqir.required_num_results(entry) == n, path
    profile = entry.attributes.func["qir_profiles"].string_value
    assert profile == "base_profile", (path, profile)

    gates, measured, recorded = [], [], []
    for block in entry.basic_blocks:
        for instruction in block.instructions:
            if instruction.opcode != pyqir.Opcode.CALL:
                continue
            callee = instruction.callee.name
            args = instruction.args
            if callee == "__quantum__qis__mz__body":
                measured.append((pyqir.ptr_id(args[0]), pyqir.ptr_id(args[1])))
            elif callee == "__quantum__rt__result_record_output":
                recorded.append(pyqir.ptr_id(args[0]))
            elif callee == "__quantum__rt__array_record_output":
                assert args[0].value == n, path
            else:
                gate = callee.removeprefix("__quantum__qis__").removesuffix("__body")
                assert not measured, f"{path}: {gate} after a measurement"
                angles = [a.value for a in args if isinstance(a, pyqir.FloatConstant)]
                qubits = [pyqir.ptr_id(a) for a in args if not isinstance(a, pyqir.FloatConstant)]
                gates.append((GATES[gate], qubits, angles))
    assert measured == [(q, q) for q in range(n)], (path, measured)
    assert recorded == list(range(n)), (path, recorded)

    reference = [
        (i.operation.name, [logical.find_bit(q).index for q in i.qubits], [float(p) for p in i.operation.params])
        for i in logical.data
    ]
    assert [(g, q) for g, q, _ in gates] == [(g, q) for g, q, _ in reference], path
    for (_, _, got), (_, _, want) in zip(gates, reference):
        assert np.allclose(got, want, rtol=0, atol=1e-15), (path, got, want)

    rebuilt = QuantumCircuit(n)
    for gate, qubits, angles in gates:
        getattr(rebuilt, gate)(*angles, *qubits)
    distance = np.abs(Operator(rebuilt).data - Operator(logical).data).max()
    assert distance < 1e-12, (path, distance)
    checked += 1
print(f"{checked} QIR modules parse with pyqir and match their logical circuits")

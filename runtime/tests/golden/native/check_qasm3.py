"""Checks the committed OpenQASM 3 goldens: each NAME.TARGET.qasm parses with qiskit.qasm3.loads and,
followed by the final virtual-Z frames its comment lists, has the unitary of NAME.logical.qasm up
to a global phase. Needs qiskit and qiskit_qasm3_import. Run from this directory."""
import glob
import re

import numpy as np
import qiskit.qasm2
import qiskit.qasm3
from qiskit.quantum_info import Operator

checked = 0
for path in sorted(glob.glob("*.qasm")):
    name, target, _ = path.split(".")
    if target == "logical":
        continue
    text = open(path).read()
    frames = [float(x) for x in re.search(r"frames \(radians\) per qubit: \[(.*)\]", text).group(1).split(",")]
    program = qiskit.qasm3.loads(text)
    program.remove_final_measurements()
    for q, f in enumerate(frames):
        program.rz(f, q)
    native = Operator(program).data
    logical = Operator(qiskit.qasm2.load(f"{name}.logical.qasm")).data
    inner = np.vdot(logical.ravel(), native.ravel())
    distance = np.abs(native - inner / abs(inner) * logical).max()
    assert distance < 1e-9, (path, distance)
    checked += 1
print(f"{checked} OpenQASM 3 programs equal their logical circuits")

"""Golden matrices of IonQ's native gates from qiskit-ionq (little-endian: qubit 0 is the least
significant bit), checked here against the shared test vectors in
/work/shared/data/ionq_gate_matrices.json. Run: python3 gate_matrices.py > gate_matrices.json"""
import json
import os

import numpy as np
from qiskit_ionq import GPI2Gate, GPIGate, MSGate, ZZGate

CASES = [
    ("gpi", [0.1]), ("gpi", [0.0]), ("gpi", [0.73]),
    ("gpi2", [0.3]), ("gpi2", [0.0]), ("gpi2", [0.25]), ("gpi2", [0.91]),
    ("ms", [0.1, 0.2, 0.25]), ("ms", [0.1, 0.2, 0.1]), ("ms", [0.0, 0.0, 0.25]), ("ms", [0.37, 0.95, 0.07]),
    ("zz", [0.1]), ("zz", [0.25]), ("zz", [0.03]),
]
MAKERS = {"gpi": GPIGate, "gpi2": GPI2Gate, "ms": MSGate, "zz": ZZGate}


def shared_check(out):
    path = "/work/shared/data/ionq_gate_matrices.json"
    if not os.path.exists(path):
        return
    shared = json.load(open(path))["gates"]
    names = {"GPI(0.1)": ("gpi", [0.1]), "GPI2(0.3)": ("gpi2", [0.3]), "MS(0.1,0.2,0.25)": ("ms", [0.1, 0.2, 0.25]),
             "MS(0.1,0.2,0.1)": ("ms", [0.1, 0.2, 0.1]), "MS(0,0,0.25)": ("ms", [0.0, 0.0, 0.25]),
             "ZZ(0.1)": ("zz", [0.1]), "ZZ(0.25)": ("zz", [0.25])}
    for key, (gate, params) in names.items():
        ours = next(np.array(c["re"]) + 1j * np.array(c["im"]) for c in out if c["gate"] == gate and c["params"] == params)
        theirs = np.array(shared[key]["qiskit_ionq_little_endian"])
        assert np.allclose(ours, theirs[..., 0] + 1j * theirs[..., 1], atol=1e-11), key


out = []
for gate, params in CASES:
    m = np.array(MAKERS[gate](*params).to_matrix())
    out.append({"gate": gate, "params": params, "re": m.real.tolist(), "im": m.imag.tolist()})
shared_check(out)
print(json.dumps({"source": "qiskit-ionq, little-endian", "cases": out}, indent=1))

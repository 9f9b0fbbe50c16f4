"""Reference density matrices and noisy expectation values for qdf's noise engine.

Each case is a small native trapped-ion circuit (GPi, GPi2, MS, ZZ, U1q, RZZ on 2-4 qubits, with
final virtual-Z frames) and a qdf noise model. The evolution is done with qiskit.quantum_info
(DensityMatrix, Operator, Kraus), the channels written in their textbook Kraus forms rather than
in qdf's closed forms:

- depolarising with qdf probability p on k qubits: the Pauli channel that applies each of the
  4^k - 1 non-identity Paulis with probability p / (4^k - 1). This is qiskit-aer's
  depolarizing_error(lam, k) with lam = p * 4^k / (4^k - 1) (4p/3 on one qubit, 16p/15 on two);
  its average gate fidelity, from qiskit.quantum_info.average_gate_fidelity, is recorded per
  case and equals 1 - p * d / (d + 1) with d = 2^k;
- dephasing over a gate of duration t with T2: phase damping (qiskit-aer's phase_damping_error)
  with gamma = 1 - exp(-2t/T2), Kraus diag(1, sqrt(1 - gamma)) and diag(0, sqrt(gamma)), so
  coherences decay by exp(-t/T2), on every qubit of the gate;
- readout error e: each measured bit flips with probability e; a Pauli string is measured in its
  own basis (rotated to Z with H or H.Sdg), the outcome distribution of the whole register passes
  through the bit-flip confusion matrix, and the string's value is the parity over its support.

Gate matrices follow the trapped-ion notes (parameters in turns, qubit 0 = least significant bit,
qiskit's qargs order). Run from the repository root: python3 runtime/tests/golden/noise/make_golden.py
"""

import json
import math
import os

import numpy as np
from qiskit.quantum_info import DensityMatrix, Kraus, Operator, Pauli, SparsePauliOp, average_gate_fidelity

HERE = os.path.dirname(os.path.abspath(__file__))
I2 = np.eye(2, dtype=complex)
X = np.array([[0, 1], [1, 0]], dtype=complex)
Y = np.array([[0, -1j], [1j, 0]], dtype=complex)
Z = np.array([[1, 0], [0, -1]], dtype=complex)


def sigma(phi):
    """cos(2 pi phi) X + sin(2 pi phi) Y."""
    return math.cos(2 * math.pi * phi) * X + math.sin(2 * math.pi * phi) * Y


def expm_involution(angle, a):
    """exp(-i angle A) for A with A^2 = I."""
    return math.cos(angle) * np.eye(a.shape[0]) - 1j * math.sin(angle) * a


def gate_matrix(g):
    """(qargs, matrix) of a native gate, the matrix in qiskit's little-endian qargs order."""
    kind = g["gate"]
    if kind == "gpi":
        return [g["qubit"]], sigma(g["phase"])
    if kind == "gpi2":
        return [g["qubit"]], expm_involution(math.pi / 4, sigma(g["phase"]))
    if kind == "u1q":
        axis = math.cos(g["phi"]) * X + math.sin(g["phi"]) * Y
        return [g["qubit"]], expm_involution(g["theta"] / 2, axis)
    if kind == "ms":
        q0, q1 = g["qubits"]
        # sigma_phi0 on qubits[0] (the less significant qarg), sigma_phi1 on qubits[1].
        a = np.kron(sigma(g["phases"][1]), sigma(g["phases"][0]))
        return [q0, q1], expm_involution(math.pi * g["angle"], a)
    if kind == "zz":
        return list(g["qubits"]), expm_involution(math.pi * g["angle"], np.kron(Z, Z))
    if kind == "rzz":
        return list(g["qubits"]), expm_involution(g["theta"] / 2, np.kron(Z, Z))
    raise ValueError(kind)


def paulis(k):
    """The 4^k Pauli matrices on k qubits, identity first."""
    out = [np.eye(1, dtype=complex)]
    for _ in range(k):
        out = [np.kron(p, q) for p in [I2, X, Y, Z] for q in out]
    return out


def depolarizing(p, k):
    """Each non-identity Pauli on k qubits with probability p / (4^k - 1)."""
    ps = paulis(k)
    weights = [1 - p] + [p / (len(ps) - 1)] * (len(ps) - 1)
    return Kraus([math.sqrt(w) * m for w, m in zip(weights, ps)])


def phase_damping(t, t2):
    gamma = 1 - math.exp(-2 * t / t2)
    return Kraus([np.diag([1, math.sqrt(1 - gamma)]).astype(complex), np.diag([0, math.sqrt(gamma)]).astype(complex)])


def rz(theta):
    return np.diag([np.exp(-0.5j * theta), np.exp(0.5j * theta)])


def evolve(n, gates, frames, model):
    rho = DensityMatrix.from_label("0" * n)
    for g in gates:
        qargs, m = gate_matrix(g)
        rho = rho.evolve(Operator(m), qargs=qargs)
        two = len(qargs) == 2
        p = model["depolarizing_2q"] if two else model["depolarizing_1q"]
        if p > 0:
            rho = rho.evolve(depolarizing(p, len(qargs)), qargs=qargs)
        t = model["time_2q"] if two else model["time_1q"]
        if model["dephasing"] and t is not None and model["t2"] is not None:
            for q in qargs:
                rho = rho.evolve(phase_damping(t, model["t2"]), qargs=[q])
    for q, f in enumerate(frames):
        rho = rho.evolve(Operator(rz(f)), qargs=[q])
    return rho


def parse(text, n):
    """An OpenFermion-style string `X0 Y1 Z3` as {qubit: letter}."""
    return {int(f[1:]): f[0] for f in text.split()}


def label(term, n):
    return "".join(term.get(q, "I") for q in reversed(range(n)))


def measured_value(rho, term, n, e):
    """What measuring the string in its own basis reads with bit-flip probability e."""
    if not term:
        return 1.0
    h = np.array([[1, 1], [1, -1]], dtype=complex) / math.sqrt(2)
    sdg = np.diag([1, -1j])
    for q, letter in term.items():
        if letter == "X":
            rho = rho.evolve(Operator(h), qargs=[q])
        elif letter == "Y":
            rho = rho.evolve(Operator(h @ sdg), qargs=[q])
    probs = np.real(rho.probabilities())
    flip = np.array([[1 - e, e], [e, 1 - e]])
    confusion = np.array([[1.0]])
    for _ in range(n):
        confusion = np.kron(flip, confusion)
    probs = confusion @ probs
    support = sum(1 << q for q in term)
    return float(sum(pr * (-1) ** bin(b & support).count("1") for b, pr in enumerate(probs)))


def observables_of(rho, n, observables, e):
    out = []
    for obs in observables:
        terms = [(parse(t, n), c) for t, c in obs]
        op = SparsePauliOp([label(t, n) for t, _ in terms], [c for _, c in terms])
        exact = float(np.real(rho.expectation_value(op)))
        measured = sum(c * measured_value(rho, t, n, e) for t, c in terms)
        out.append({"terms": [[t, c] for t, c in obs], "exact": exact, "measured": measured})
    return out


def model(p1, p2, readout, dephasing=False, t2=None, time_1q=None, time_2q=None):
    return {
        "depolarizing_1q": p1,
        "depolarizing_2q": p2,
        "readout_error": readout,
        "dephasing": dephasing,
        "t2": t2,
        "time_1q": time_1q,
        "time_2q": time_2q,
    }


OBSERVABLES = {
    2: [
        [["Z0", 0.5], ["Z1", -0.25], ["X0 X1", 0.75], ["Y0 Y1", -0.4], ["", 0.1]],
        [["X0 Z1", 1.0], ["Y1", 0.3], ["Z0 Y1", -0.8]],
    ],
    3: [
        [["Z0 Z1", 0.6], ["X0 X1 X2", -0.3], ["Y0 Z2", 0.9], ["X1", 0.2], ["", -1.0]],
        [["Z0 Z1 Z2", 1.0], ["X0 Y1", -0.5], ["Y2", 0.7]],
    ],
    4: [
        [["Z0", 0.2], ["Z3", -0.7], ["X0 X1 Y2 Y3", 0.45], ["Y0 X1 X2 Y3", -0.45], ["Z1 Z2", 0.3], ["", 0.5]],
        [["X0 Z1 Z2 X3", 0.8], ["Y1 Y2", -0.6], ["Z0 Z1 Z2 Z3", 0.25]],
    ],
}

CASES = [
    {
        "name": "ms_two_depolarizing",
        "n_qubits": 2,
        "gates": [
            {"gate": "gpi2", "qubit": 0, "phase": 0.1},
            {"gate": "ms", "qubits": [0, 1], "phases": [0.2, 0.7], "angle": 0.25},
            {"gate": "gpi", "qubit": 1, "phase": 0.3},
            {"gate": "gpi2", "qubit": 1, "phase": 0.85},
            {"gate": "ms", "qubits": [1, 0], "phases": [0.05, 0.4], "angle": 0.13},
            {"gate": "gpi2", "qubit": 0, "phase": 0.6},
        ],
        "frames": [0.3, -1.2],
        "model": model(0.02, 0.05, 0.0),
    },
    {
        "name": "zz_three_dephasing_readout",
        "n_qubits": 3,
        "gates": [
            {"gate": "gpi2", "qubit": 0, "phase": 0.25},
            {"gate": "gpi2", "qubit": 2, "phase": 0.9},
            {"gate": "zz", "qubits": [0, 1], "angle": 0.25},
            {"gate": "gpi", "qubit": 1, "phase": 0.15},
            {"gate": "zz", "qubits": [2, 0], "angle": 0.11},
            {"gate": "gpi2", "qubit": 1, "phase": 0.5},
            {"gate": "zz", "qubits": [1, 2], "angle": 0.37},
            {"gate": "gpi2", "qubit": 0, "phase": 0.75},
        ],
        "frames": [0.0, 0.8, -0.45],
        "model": model(0.004, 0.03, 0.02, dephasing=True, t2=1.0, time_1q=0.05, time_2q=0.2),
    },
    {
        "name": "quantinuum_four_all_channels",
        "n_qubits": 4,
        "gates": [
            {"gate": "u1q", "qubit": 0, "theta": 1.5707963267948966, "phi": 0.3},
            {"gate": "u1q", "qubit": 3, "theta": 0.9, "phi": -1.1},
            {"gate": "rzz", "qubits": [0, 3], "theta": 1.5707963267948966},
            {"gate": "u1q", "qubit": 1, "theta": 2.2, "phi": 0.7},
            {"gate": "rzz", "qubits": [1, 0], "theta": -0.6},
            {"gate": "u1q", "qubit": 2, "theta": 1.5707963267948966, "phi": 2.5},
            {"gate": "rzz", "qubits": [2, 1], "theta": 0.85},
            {"gate": "u1q", "qubit": 3, "theta": 3.0, "phi": 1.9},
            {"gate": "rzz", "qubits": [3, 2], "theta": 1.2},
        ],
        "frames": [0.5, 0.0, -0.3, 2.1],
        "model": model(0.001, 0.012, 0.015, dephasing=True, t2=2.0, time_1q=0.01, time_2q=0.08),
    },
    {
        "name": "mixed_four_aria_like",
        "n_qubits": 4,
        "gates": [
            {"gate": "gpi2", "qubit": 0, "phase": 0.25},
            {"gate": "gpi2", "qubit": 1, "phase": 0.0},
            {"gate": "ms", "qubits": [0, 2], "phases": [0.0, 0.25], "angle": 0.25},
            {"gate": "gpi", "qubit": 3, "phase": 0.6},
            {"gate": "ms", "qubits": [3, 1], "phases": [0.9, 0.1], "angle": 0.2},
            {"gate": "zz", "qubits": [2, 3], "angle": 0.07},
            {"gate": "gpi2", "qubit": 2, "phase": 0.45},
            {"gate": "ms", "qubits": [1, 2], "phases": [0.33, 0.66], "angle": 0.25},
            {"gate": "gpi", "qubit": 0, "phase": 0.125},
        ],
        "frames": [0.0, 0.0, 1.0, 0.0],
        # Aria's figures as qdf derives them (2(1 - F1), 4/3(1 - F2), 1 - F_spam; 135 us, 600 us,
        # T2 = 1 s), scaled up tenfold so the channels are well above rounding.
        "model": model(0.01, 0.05333333333333334, 0.039, dephasing=True, t2=1.0, time_1q=135e-5, time_2q=600e-5),
    },
]


def fidelities(m):
    """qiskit's average gate fidelity of the depolarising channels qdf applies for the model."""
    return {
        "depolarizing_1q": average_gate_fidelity(depolarizing(m["depolarizing_1q"], 1)),
        "depolarizing_2q": average_gate_fidelity(depolarizing(m["depolarizing_2q"], 2)),
    }


def main():
    for case in CASES:
        n = case["n_qubits"]
        rho = evolve(n, case["gates"], case["frames"], case["model"])
        assert abs(rho.trace() - 1) < 1e-12 and rho.is_valid(atol=1e-10)
        out = dict(case)
        out["source"] = "runtime/tests/golden/noise/make_golden.py (qiskit.quantum_info)"
        out["average_gate_fidelity"] = fidelities(case["model"])
        out["rho_re"] = np.real(rho.data).tolist()
        out["rho_im"] = np.imag(rho.data).tolist()
        out["observables"] = observables_of(rho, n, OBSERVABLES[n], case["model"]["readout_error"])
        with open(os.path.join(HERE, case["name"] + ".json"), "w") as f:
            json.dump(out, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()

"""Side by side: qiskit-ionq's transpiler (preset optimisation level 1 plus its TrappedIonOptimizer
passes) against qdf's lowering, on the UCCSD circuits written by runtime/examples/bench_native.rs.
Usage: python3 native_vs_qiskit_ionq.py DIR QDF_JSON_LINES  (see native_vs_qiskit_ionq.sh)."""
import json
import sys
import time
import warnings

warnings.filterwarnings("ignore")

import qiskit.qasm2
from qiskit.transpiler import PassManagerConfig
from qiskit_ionq import IonQProvider, TrappedIonOptimizerPlugin, ionq_backend

# Offline, qiskit-ionq cannot ask the API for a backend's size and falls back to 4 qubits.
ionq_backend.get_n_qubits = lambda name, fallback=4: 36

BACKENDS = {"aria": "qpu.aria-1", "forte": "qpu.forte-1"}


def qiskit_ionq_lower(circuit, target):
    backend = IonQProvider(token="offline").get_backend(BACKENDS[target], gateset="native")
    config = PassManagerConfig.from_backend(backend)
    start = time.perf_counter()
    lowered = TrappedIonOptimizerPlugin().pass_manager(config, optimization_level=1).run(circuit)
    seconds = time.perf_counter() - start
    ops = lowered.count_ops()
    two = ops.get("ms", 0) + ops.get("zz", 0)
    one = ops.get("gpi", 0) + ops.get("gpi2", 0)
    other = {k: v for k, v in ops.items() if k not in ("ms", "zz", "gpi", "gpi2", "barrier", "measure")}
    assert not other, f"non-native gates left: {other}"
    return one, two, seconds


def main():
    directory, qdf_lines = sys.argv[1], sys.argv[2]
    rows = [json.loads(line) for line in open(qdf_lines) if line.startswith("{")]
    header = f"{'circuit':<18}{'target':<7}{'qubits':>6}{'CX':>6} | {'qiskit-ionq 1q':>14}{'2q':>6}{'s':>9} | {'qdf 1q':>7}{'2q':>6}{'s':>10} | {'speed-up':>9}"
    print(header)
    print("-" * len(header))
    ok = True
    for row in rows:
        circuit = qiskit.qasm2.load(f"{directory}/{row['molecule']}.qasm")
        one, two, seconds = qiskit_ionq_lower(circuit, row["target"])
        speedup = seconds / max(row["qdf_seconds"], 1e-9)
        print(f"{row['molecule']:<18}{row['target']:<7}{row['qubits']:>6}{row['logical_cx']:>6} | {one:>14}{two:>6}{seconds:>9.2f} | "
              f"{row['qdf_1q']:>7}{row['qdf_2q']:>6}{row['qdf_seconds']:>10.5f} | {speedup:>8.0f}x", flush=True)
        ok &= row["qdf_1q"] <= one and row["qdf_2q"] <= two and row["qdf_1q"] + row["qdf_2q"] < one + two and speedup >= 100
    print("qdf no higher on any count, lower in total, >= 100x faster:", ok)


main()

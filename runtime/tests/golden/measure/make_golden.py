#!/usr/bin/env python3
"""Regenerates the golden file for runtime/tests/measure.rs (measurement grouping).

    OMP_NUM_THREADS=1 python3 runtime/tests/golden/measure/make_golden.py

Needs PySCF, OpenFermion and PennyLane (checked with PySCF 2.14, OpenFermion 1.8.1, PennyLane
0.45.1). For each molecule (STO-3G, full space, RHF orbitals) `measure_golden.json` holds:

- `n_qubits`, `n_electrons` and `terms`: the Jordan-Wigner Hamiltonian, built as OpenFermion's MolecularData does
  (MO integrals -> spinorb_from_spatial -> InteractionOperator -> get_fermion_operator ->
  jordan_wigner), as [string, coefficient] pairs sorted as OpenFermion sorts its term tuples, the
  string printed as OpenFermion prints it ("X0 Y1 Z3", "" for the identity). The grouping depends
  only on the strings, so the MO sign convention does not matter here.
- `openfermion_qwc`: group counts of openfermion.measurements.group_into_tensor_product_basis_sets
  (randomised; seeds 0..9), the only grouping OpenFermion offers for a qubit Hamiltonian.
- `pennylane`: group counts of pennylane.pauli.compute_partition_indices (the engine behind
  group_observables) for grouping_type "qwc" and "commuting" and every colouring method it offers
  ("lf", "rlf", "dsatur", "gis"), fed the non-identity terms in the order above.

Every partition is checked here to be a valid one (each term exactly once, every pair in a group
(qubit-wise) commuting), so a conversion slip cannot produce a flattering count. Each method runs
under a time limit (TIME_LIMIT seconds); one that runs out is recorded as null. Timings go to
stderr only: the JSON stays deterministic.
"""
import json
import os
import signal
import sys
import time

import numpy as np
from pyscf import ao2mo, gto, scf
from openfermion import InteractionOperator, QubitOperator, get_fermion_operator, jordan_wigner
from openfermion.chem.molecular_data import spinorb_from_spatial
from openfermion.measurements import group_into_tensor_product_basis_sets
import pennylane as qml
from pennylane.pauli import compute_partition_indices

HERE = os.path.dirname(os.path.abspath(__file__))
TIME_LIMIT = 300
OPENFERMION_SEEDS = range(10)
PENNYLANE_METHODS = ["lf", "rlf", "dsatur", "gis"]

MOLECULES = {
    "h2o": "O 0 0 0.1173; H 0 0.7572 -0.4692; H 0 -0.7572 -0.4692",
    "lih": "Li 0 0 0; H 0 0 1.6",
}


def hamiltonian(atom):
    mol = gto.M(atom=atom, basis="sto-3g", unit="Angstrom", verbose=0)
    mf = scf.RHF(mol)
    mf.conv_tol = 1e-12
    mf.kernel()
    assert mf.converged
    c = mf.mo_coeff
    n = c.shape[1]
    h1 = c.T @ mf.get_hcore() @ c
    eri = ao2mo.restore(1, ao2mo.kernel(mol, c), n)
    # OpenFermion's two-body integrals: t[p,q,r,s] = (ps|qr) for a†p a†q ar as.
    one, two = spinorb_from_spatial(h1, eri.transpose(0, 2, 3, 1))
    qubit = jordan_wigner(get_fermion_operator(InteractionOperator(mol.energy_nuc(), one, 0.5 * two)))
    qubit.compress(1e-12)
    terms = []
    for term, coeff in sorted(qubit.terms.items()):
        assert abs(coeff.imag) < 1e-12, (term, coeff)
        terms.append((term, float(coeff.real)))
    return 2 * n, mol.nelectron, terms


def masks(term):
    x = z = 0
    for q, p in term:
        if p in "XY":
            x |= 1 << q
        if p in "YZ":
            z |= 1 << q
    return x, z


def commute(a, b):
    return (bin(a[0] & b[1]).count("1") + bin(a[1] & b[0]).count("1")) % 2 == 0


def qubitwise(a, b):
    both = (a[0] | a[1]) & (b[0] | b[1])
    return ((a[0] ^ b[0]) | (a[1] ^ b[1])) & both == 0


def check_partition(groups, strings, relation):
    seen = sorted(i for g in groups for i in g)
    assert seen == list(range(len(strings))), "not a partition"
    for g in groups:
        for i in g:
            for j in g:
                assert relation(strings[i], strings[j]), (strings[i], strings[j])
    return len(groups)


class Timeout(Exception):
    pass


def on_alarm(signum, frame):
    raise Timeout()


def timed(label, f):
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TIME_LIMIT)
    start = time.time()
    try:
        result = f()
    except Timeout:
        print(f"  {label}: over {TIME_LIMIT} s", file=sys.stderr)
        return None
    finally:
        signal.alarm(0)
    print(f"  {label}: {result} groups in {time.time() - start:.2f} s", file=sys.stderr)
    return result


def pennylane_observable(term):
    factors = [{"X": qml.PauliX, "Y": qml.PauliY, "Z": qml.PauliZ}[p](q) for q, p in term]
    return factors[0] if len(factors) == 1 else qml.prod(*factors)


def case(name, atom):
    n_qubits, n_electrons, terms = hamiltonian(atom)
    measured = [t for t, _ in terms if t]
    strings = [masks(t) for t in measured]
    print(f"{name}: {n_qubits} qubits, {len(measured)} non-identity terms", file=sys.stderr)

    operator = QubitOperator()
    for t, c in terms:
        if t:
            operator += QubitOperator(t, c)

    def openfermion_groups(seed):
        sets = group_into_tensor_product_basis_sets(operator, seed=seed)
        index = {t: i for i, t in enumerate(measured)}
        groups = [[index[t] for t in sub.terms] for sub in sets.values()]
        return check_partition(groups, strings, qubitwise)

    openfermion_qwc = [timed(f"openfermion qwc seed {s}", lambda: openfermion_groups(s)) for s in OPENFERMION_SEEDS]

    observables = [pennylane_observable(t) for t in measured]
    pennylane = {}
    for grouping, relation in [("qwc", qubitwise), ("commuting", commute)]:
        pennylane[grouping] = {}
        for method in PENNYLANE_METHODS:
            pennylane[grouping][method] = timed(
                f"pennylane {grouping} {method}",
                lambda: check_partition(compute_partition_indices(observables, grouping, method), strings, relation),
            )
    return {
        "n_qubits": n_qubits,
        "n_electrons": n_electrons,
        "terms": [[" ".join(f"{p}{q}" for q, p in t), c] for t, c in terms],
        "openfermion_qwc": openfermion_qwc,
        "pennylane": pennylane,
    }


def main():
    if os.environ.get("OMP_NUM_THREADS") != "1":
        sys.exit("run with OMP_NUM_THREADS=1")
    out = {name: case(name, atom) for name, atom in MOLECULES.items()}
    with open(os.path.join(HERE, "measure_golden.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()

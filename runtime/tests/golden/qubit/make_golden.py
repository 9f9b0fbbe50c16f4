#!/usr/bin/env python3
"""Regenerates the golden files for runtime/tests/qubit_golden.rs.

    OMP_NUM_THREADS=1 python3 runtime/tests/golden/qubit/make_golden.py

Needs PySCF, OpenFermion and PennyLane (checked with PySCF 2.14, OpenFermion 1.8.1, PennyLane
0.45). For each molecule (STO-3G, full space, RHF) `<name>.json` holds:

- `n_spatial`, `n_alpha`, `n_beta`;
- `core_energy` (nuclear repulsion), `h1` (n², row-major) and `eri` (n⁴, chemists' (pq|rs),
  row-major): PySCF's MO integrals with values below 1e-8 set to zero, as OpenFermion's
  `spinorb_from_spatial` truncates them, so both sides map the same numbers and the test isolates
  the mapping from SCF sign conventions;
- `e_rhf` (PySCF RHF); `e_hf` (the RHF determinant's energy from the stored integrals) and
  `e_fci` (PySCF FCI with the stored integrals, the (n_alpha, n_beta) sector);
- `jw`, `bk`: OpenFermion's `jordan_wigner` and `bravyi_kitaev(·, n_qubits)` of
  `get_fermion_operator(InteractionOperator(core, one, ½ two))` with `(one, two)` from
  `spinorb_from_spatial(h1, eri.transpose(0, 2, 3, 1))`, as [string, coefficient] pairs, strings
  as OpenFermion prints them ("X0 Y1 Z3", "" for the identity);
- `parity`: PennyLane's `parity_transform` of the same fermion operator with its modes relabelled
  to the block spin order (alpha orbitals first, then beta: mode 2p → p, 2p + 1 → n + p), which is
  qdf's parity mapping (as Qiskit's `ParityMapper`), terms below 1e-8 dropped as OpenFermion does;
- `pennylane_z2_generators`: how many Z2 symmetry generators PennyLane's `symmetry_generators`
  finds for the Jordan–Wigner Hamiltonian (the number of qubits tapering removes).

`fermion_algebra.json` holds OpenFermion's `normal_ordered` and `hermitian_conjugated` of a few
ladder words and products, as [[[mode, 0|1], ...], re, im] terms.
"""
import json
import os

import numpy as np
import pennylane as qml
from openfermion import (
    FermionOperator,
    InteractionOperator,
    bravyi_kitaev,
    get_fermion_operator,
    hermitian_conjugated,
    jordan_wigner,
    normal_ordered,
)
from openfermion.chem.molecular_data import spinorb_from_spatial
from pyscf import ao2mo, fci, gto, scf

HERE = os.path.dirname(os.path.abspath(__file__))
TRUNCATE = 1e-8

MOLECULES = {
    "h2": "H 0 0 0; H 0 0 0.74",
    "lih": "Li 0 0 0; H 0 0 1.6",
    "beh2": "Be 0 0 0; H 0 0 1.33; H 0 0 -1.33",
    "h2o": "O 0 0 0; H 0.96 0 0; H {:.15f} {:.15f} 0".format(
        0.96 * np.cos(np.radians(104.5)), 0.96 * np.sin(np.radians(104.5))
    ),
}


def terms(qubit_operator):
    out = []
    for term, coeff in sorted(qubit_operator.terms.items()):
        assert abs(coeff.imag) < 1e-12, (term, coeff)
        out.append([" ".join(f"{p}{q}" for q, p in term), float(coeff.real)])
    return out


def case(name, atom):
    mol = gto.M(atom=atom, basis="sto-3g", unit="Angstrom", verbose=0)
    mf = scf.RHF(mol)
    mf.conv_tol = 1e-12
    mf.kernel()
    assert mf.converged, name
    c = mf.mo_coeff
    n = c.shape[1]
    h1 = c.T @ mf.get_hcore() @ c
    eri = ao2mo.restore(1, ao2mo.full(mol, c), n)
    h1[np.abs(h1) < TRUNCATE] = 0.0
    eri[np.abs(eri) < TRUNCATE] = 0.0
    core = mol.energy_nuc()
    n_alpha, n_beta = mol.nelec
    solver = fci.direct_spin1.FCI()
    solver.conv_tol = 1e-12
    e_fci, _ = solver.kernel(h1, eri, n, (n_alpha, n_beta), ecore=core)

    e_hf = hf_energy(core, h1, eri, n_alpha, n_beta)
    assert abs(e_hf - mf.e_tot) < 1e-6, (name, e_hf, mf.e_tot)

    one, two = spinorb_from_spatial(h1, eri.transpose(0, 2, 3, 1))
    fermion = get_fermion_operator(InteractionOperator(core, one, 0.5 * two))
    jw = jordan_wigner(fermion)
    bk = bravyi_kitaev(fermion, 2 * n)
    parity = parity_terms(fermion, 2 * n)
    generators = qml.symmetry_generators(qml.from_openfermion(jw, wires=list(range(2 * n))))
    return {
        "n_spatial": n,
        "n_alpha": n_alpha,
        "n_beta": n_beta,
        "core_energy": core,
        "h1": [float(x) for x in h1.ravel()],
        "eri": [float(x) for x in eri.ravel()],
        "e_rhf": float(mf.e_tot),
        "e_hf": float(e_hf),
        "e_fci": float(e_fci),
        "jw": terms(jw),
        "bk": terms(bk),
        "parity": parity,
        "pennylane_z2_generators": len(generators),
    }


def parity_terms(fermion, n_modes):
    def block(j):
        return j // 2 if j % 2 == 0 else n_modes // 2 + j // 2

    relabelled = FermionOperator()
    relabelled.terms = {tuple((block(m), a) for m, a in word): c for word, c in fermion.terms.items()}
    sentence = qml.parity_transform(qml.from_openfermion(relabelled), n_modes, ps=True)
    sentence.simplify(tol=TRUNCATE)
    out = []
    for word, coeff in sentence.items():
        assert abs(coeff.imag) < 1e-12, (word, coeff)
        if abs(coeff) >= TRUNCATE:
            out.append([" ".join(f"{word[q]}{q}" for q in sorted(word.keys())), float(coeff.real)])
    return sorted(out)


def hf_energy(core, h1, eri, n_alpha, n_beta):
    """⟨Φ|H|Φ⟩ for the determinant with the lowest n_alpha / n_beta orbitals occupied."""
    a, b = range(n_alpha), range(n_beta)
    e = core + sum(h1[i, i] for i in a) + sum(h1[i, i] for i in b)
    for occ_i, occ_j, same in ((a, a, True), (b, b, True), (a, b, False), (b, a, False)):
        for i in occ_i:
            for j in occ_j:
                e += 0.5 * (eri[i, i, j, j] - (eri[i, j, j, i] if same else 0.0))
    return e


def ladder_terms(op):
    return [[[[m, a] for m, a in word], c.real, c.imag] for word, c in sorted(op.terms.items())]


def algebra():
    words = [
        FermionOperator("0 0^"),
        FermionOperator("1 0^ 2^ 3", 0.5),
        FermionOperator("3^ 1 2 0^ 1^", 1.0 - 2.0j),
        FermionOperator("2 2^ 2 2^"),
        FermionOperator("0^ 1") * FermionOperator("1^ 0"),
        FermionOperator("4^ 3^ 1 0", 0.25j) * FermionOperator("0^ 1^ 3 4"),
        FermionOperator("2^ 0") * FermionOperator("0^ 2") - FermionOperator("0^ 2") * FermionOperator("2^ 0"),
    ]
    return [
        {
            "input": ladder_terms(op),
            "normal_ordered": ladder_terms(normal_ordered(op)),
            "hermitian_conjugated": ladder_terms(hermitian_conjugated(op)),
        }
        for op in words
    ]


def dump(path, data):
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")


def main():
    for name, atom in MOLECULES.items():
        data = case(name, atom)
        dump(os.path.join(HERE, f"{name}.json"), data)
        counts = [len(data[k]) for k in ("jw", "bk", "parity")]
        print(name, data["n_spatial"], *counts, data["pennylane_z2_generators"], data["e_fci"])
    dump(os.path.join(HERE, "fermion_algebra.json"), algebra())


if __name__ == "__main__":
    main()

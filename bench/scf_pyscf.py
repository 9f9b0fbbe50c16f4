#!/usr/bin/env python3
"""PySCF twin of runtime/examples/bench_scf.rs (run both with bench/scf_vs_pyscf.sh).

Same molecules (Angstrom geometries, converted by PySCF's own constant), same shipped basis
files (stdlib/basis/*.nw parsed by PySCF's NWChem parser), spherical harmonics. Prints
`case  stage  seconds  energy` lines, each the fastest of `repeats` runs (argument, default 3):

* ``integrals``: S, T, V and the ERIs (``int2e``, 8-fold packed, as PySCF's incore SCF uses);
* ``scf``: ``scf.RHF(mol).kernel()`` with its defaults (minao guess, conv_tol 1e-9), which
  computes its own ERIs, minus the ``integrals`` time;
* ``total``: building the molecule and ``scf.RHF(mol).kernel()``.
"""

import sys
import time
from pathlib import Path

from pyscf import gto, scf

ROOT = Path(__file__).resolve().parents[1]
BASIS_FILES = {"cc-pvdz": "cc-pvdz.nw", "6-31g*": "6-31g_st.nw"}

WATER = [("O", (0.0, 0.0, 0.1173)), ("H", (0.0, 0.7572, -0.4692)), ("H", (0.0, -0.7572, -0.4692))]
BENZENE = [
    ("C", (0.0, 1.3970, 0.0)), ("C", (1.2098, 0.6985, 0.0)), ("C", (1.2098, -0.6985, 0.0)),
    ("C", (0.0, -1.3970, 0.0)), ("C", (-1.2098, -0.6985, 0.0)), ("C", (-1.2098, 0.6985, 0.0)),
    ("H", (0.0, 2.4810, 0.0)), ("H", (2.1486, 1.2405, 0.0)), ("H", (2.1486, -1.2405, 0.0)),
    ("H", (0.0, -2.4810, 0.0)), ("H", (-2.1486, -1.2405, 0.0)), ("H", (-2.1486, 1.2405, 0.0)),
]
CASES = [("water/cc-pVDZ", WATER, "cc-pvdz"), ("benzene/6-31G*", BENZENE, "6-31g*")]


def build(atoms, basis_name):
    text = (ROOT / "stdlib" / "basis" / BASIS_FILES[basis_name]).read_text(encoding="ascii")
    basis = {sym: gto.basis.parse(text, symb=sym) for sym in {sym for sym, _ in atoms}}
    return gto.M(atom=atoms, unit="Angstrom", basis=basis, verbose=0)


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    for name, atoms, basis_name in CASES:
        integrals = total = float("inf")
        energy = None
        for _ in range(repeats):
            start = time.perf_counter()
            mol = build(atoms, basis_name)
            energy = scf.RHF(mol).kernel()
            total = min(total, time.perf_counter() - start)
            start = time.perf_counter()
            for key in ("int1e_ovlp", "int1e_kin", "int1e_nuc"):
                mol.intor(key)
            mol.intor("int2e", aosym="s8")
            integrals = min(integrals, time.perf_counter() - start)
        for stage, seconds in (("integrals", integrals), ("scf", total - integrals), ("total", total)):
            print(f"{name}\t{stage}\t{seconds:.4f}\t{energy:.10f}")


if __name__ == "__main__":
    main()

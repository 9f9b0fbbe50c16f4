#!/usr/bin/env python3
"""Regenerate runtime/tests/golden/cc/pyscf_cc.json, the PySCF reference data that
`cargo test -p qdf-runtime --test cc_golden` compares qdf's closed-shell CCSD and CCSD(T) against.

CI has no Python, so the JSON is committed; rerun this script (needs `pip install pyscf`)
whenever the shipped basis files or the cases below change:

    OMP_NUM_THREADS=1 python3 runtime/tests/golden/cc/make_golden.py

Inputs are exactly those of the Rust side: geometries written here in bohr (``unit="Bohr"``) and
copied into the JSON; basis sets from the *shipped* NWChem files (stdlib/basis/*.nw) parsed by
PySCF's own parser; spherical harmonics (``cart=False``).

Per case (molecule, basis) it records the RHF energy (``conv_tol=1e-12``) and, per number of frozen
core orbitals ``k`` (``cc.CCSD(mf, frozen=k)``, converged to ``conv_tol=1e-12``,
``conv_tol_normt=1e-10``): the CCSD correlation energy ``e_ccsd`` and the (T) correction ``e_t``
(``mycc.ccsd_t()``).
"""

import json
from pathlib import Path

import pyscf
from pyscf import cc, gto, scf

ROOT = Path(__file__).resolve().parents[4]  # repository root
BASIS_DIR = ROOT / "stdlib" / "basis"
OUT = Path(__file__).resolve().parent / "pyscf_cc.json"

# (name, [(symbol, z, (x, y, z) in bohr)])
MOLECULES = {
    "h2o_eq": [("O", 8, (0.0, 0.0, 0.0)), ("H", 1, (0.0, 1.430523, 1.107270)), ("H", 1, (0.0, -1.430523, 1.107270))],
    # Both O-H bonds stretched to twice the equilibrium length: strong static correlation.
    "h2o_stretched": [("O", 8, (0.0, 0.0, 0.0)), ("H", 1, (0.0, 2.861046, 2.214540)), ("H", 1, (0.0, -2.861046, 2.214540))],
    # Asymmetric, off the axes.
    "h2o_bent": [("O", 8, (0.1, -0.2, 0.05)), ("H", 1, (0.3, 1.75, 1.25)), ("H", 1, (-0.4, -1.6, 1.45))],
    "lih": [("Li", 3, (0.0, 0.0, 0.0)), ("H", 1, (0.0, 0.0, 3.015))],
    "n2": [("N", 7, (0.0, 0.0, 0.0)), ("N", 7, (0.0, 0.0, 2.074))],
    "hf": [("F", 9, (0.0, 0.0, 0.0)), ("H", 1, (0.0, 0.0, 1.733))],
}

# (molecule, basis, frozen-core counts)
CASES = [
    ("h2o_eq", "6-31g", [0, 1]),
    ("h2o_eq", "cc-pvdz", [0, 1]),
    ("h2o_stretched", "6-31g", [0, 1]),
    ("h2o_bent", "6-31g", [0]),
    ("lih", "6-31g", [0, 1]),
    ("lih", "cc-pvdz", [0]),
    ("n2", "6-31g", [0, 2]),
    ("n2", "cc-pvdz", [2]),
    ("hf", "6-31g", [0, 1]),
    ("hf", "cc-pvdz", [1]),
]


def build(atoms, basis_name):
    text = (BASIS_DIR / f"{basis_name}.nw").read_text(encoding="ascii")
    symbols = sorted({sym for sym, _, _ in atoms})
    basis = {sym: gto.basis.parse(text, symb=sym) for sym in symbols}
    return gto.M(atom=[(sym, pos) for sym, _, pos in atoms], unit="Bohr", basis=basis, verbose=0)


def case(name, basis_name, frozen_counts):
    atoms = MOLECULES[name]
    mol = build(atoms, basis_name)
    mf = scf.RHF(mol)
    mf.conv_tol = 1e-12
    mf.conv_tol_grad = 1e-10
    mf.max_cycle = 200
    e_hf = mf.kernel()
    assert mf.converged, (name, basis_name)
    frozen = {}
    for k in frozen_counts:
        mycc = cc.CCSD(mf, frozen=k if k else None)
        mycc.conv_tol = 1e-12
        mycc.conv_tol_normt = 1e-10
        mycc.max_cycle = 300
        mycc.kernel()
        assert mycc.converged, (name, basis_name, k)
        frozen[str(k)] = {"e_ccsd": mycc.e_corr, "e_t": mycc.ccsd_t()}
    return {
        "molecule": name,
        "basis": basis_name,
        "atoms": [{"z": z, "position": list(pos)} for _, z, pos in atoms],
        "nao": mol.nao_nr(),
        "nocc": mol.nelectron // 2,
        "energy": e_hf,
        "frozen": frozen,
    }


def main():
    cases = []
    for name, basis_name, frozen in CASES:
        cases.append(case(name, basis_name, frozen))
        for k, e in cases[-1]["frozen"].items():
            print(f"{name:14s} {basis_name:8s} frozen={k} E_ccsd = {e['e_ccsd']:.12f}  E_(T) = {e['e_t']:.12f}")
    data = {"pyscf_version": pyscf.__version__, "cases": cases}
    OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="ascii")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

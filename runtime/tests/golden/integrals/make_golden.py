#!/usr/bin/env python3
"""Regenerate runtime/tests/golden/integrals/pyscf_integrals.json, the PySCF reference data that
`cargo test -p qdf-runtime --test integrals_golden` compares qdf's AO integrals against, for
bases with d and f shells (spherical harmonics, PySCF's default ``cart=False``).

CI has no Python, so the JSON is committed; rerun this script (needs `pip install pyscf`)
whenever the shipped basis files or the cases below change:

    OMP_NUM_THREADS=1 python3 runtime/tests/golden/integrals/make_golden.py

Inputs are shared exactly: geometries are written here in bohr (``unit="Bohr"``) and copied into
the JSON; basis sets are the *shipped* NWChem files (stdlib/basis/*.nw) parsed by PySCF's own
parser.

What it records, per case:

* ``overlap``, ``kinetic``, ``nuclear``: ``int1e_ovlp``, ``int1e_kin``, ``int1e_nuc``;
* ``dipole``: ``int1e_r`` with ``mol.set_common_orig(DIPOLE_ORIGIN)`` (x, y, z matrices);
* ``eri_sample``: ``[i, j, k, l, (ij|kl)]`` for seeded random AO quartets (``int2e``);
* ``density``, ``coulomb``, ``exchange``: a seeded random symmetric matrix ``D`` and
  ``J_ij = Σ_kl (ij|kl) D_kl``, ``K_ij = Σ_kl (ik|jl) D_kl`` over all integrals, which weighs
  every ERI into a few numbers per AO pair.
"""

import json
from pathlib import Path

import numpy as np
import pyscf
from pyscf import gto

ROOT = Path(__file__).resolve().parents[4]  # repository root
BASIS_DIR = ROOT / "stdlib" / "basis"
OUT = Path(__file__).resolve().parent / "pyscf_integrals.json"

BASIS_FILES = {"cc-pvdz": "cc-pvdz.nw", "cc-pvtz": "cc-pvtz.nw", "6-31g*": "6-31g_st.nw"}

DIPOLE_ORIGIN = (0.3, -0.2, 0.7)
ERI_SAMPLES = 4000

# (name, basis, [(symbol, z, (x, y, z) in bohr)])
CASES = [
    # Near-equilibrium water: d shells on O, p on H.
    ("h2o_eq", "cc-pvdz", [("O", 8, (0.0, 0.0, 0.0)), ("H", 1, (0.0, 1.430523, 1.107270)), ("H", 1, (0.0, -1.430523, 1.107270))]),
    # A distorted, asymmetric water, off the axes, with f shells on O and d on H.
    ("h2o_bent", "cc-pvtz", [("O", 8, (0.1, -0.2, 0.05)), ("H", 1, (0.3, 1.75, 1.25)), ("H", 1, (-0.4, -1.6, 1.45))]),
    # A bent, non-planar HCNO-like chain with d shells on three heavy atoms.
    ("hcno_bent", "6-31g*", [("H", 1, (-1.9, 0.3, 0.1)), ("C", 6, (0.05, 0.0, -0.1)), ("N", 7, (2.2, 0.4, 0.2)), ("O", 8, (4.4, -0.3, 0.9))]),
]


def build(atoms, basis_name):
    text = (BASIS_DIR / BASIS_FILES[basis_name]).read_text(encoding="ascii")
    symbols = sorted({sym for sym, _, _ in atoms})
    basis = {sym: gto.basis.parse(text, symb=sym) for sym in symbols}
    return gto.M(atom=[(sym, pos) for sym, _, pos in atoms], unit="Bohr", basis=basis, verbose=0)


def case(index, name, basis_name, atoms):
    mol = build(atoms, basis_name)
    assert not mol.cart
    nao = mol.nao_nr()
    rng = np.random.default_rng(1234 + index)
    eri = mol.intor("int2e", aosym="s1")
    quartets = rng.integers(0, nao, size=(ERI_SAMPLES, 4))
    sample = [[int(i), int(j), int(k), int(l), float(eri[i, j, k, l])] for i, j, k, l in quartets]
    d = rng.standard_normal((nao, nao))
    d = (d + d.T) / 2
    with mol.with_common_orig(DIPOLE_ORIGIN):
        dipole = mol.intor("int1e_r")
    return {
        "molecule": name,
        "basis": basis_name,
        "atoms": [{"z": z, "position": list(pos)} for _, z, pos in atoms],
        "nao": nao,
        "ao_labels": mol.ao_labels(),
        "overlap": mol.intor("int1e_ovlp").tolist(),
        "kinetic": mol.intor("int1e_kin").tolist(),
        "nuclear": mol.intor("int1e_nuc").tolist(),
        "dipole_origin": list(DIPOLE_ORIGIN),
        "dipole": dipole.tolist(),
        "eri_sample": sample,
        "density": d.tolist(),
        "coulomb": np.einsum("ijkl,kl->ij", eri, d).tolist(),
        "exchange": np.einsum("ikjl,kl->ij", eri, d).tolist(),
    }


def main():
    cases = [case(k, *c) for k, c in enumerate(CASES)]
    for c in cases:
        print(f"{c['molecule']:10s} {c['basis']:8s} nao = {c['nao']}")
    data = {"pyscf_version": pyscf.__version__, "cases": cases}
    OUT.write_text(json.dumps(data) + "\n", encoding="ascii")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

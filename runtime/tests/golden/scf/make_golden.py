#!/usr/bin/env python3
"""Regenerate runtime/tests/golden/scf/pyscf_scf.json, the PySCF reference data that
`cargo test -p qdf-runtime --test scf_golden` compares qdf's integrals, SCF and MP2 against.

CI has no Python, so the JSON is committed; rerun this script (needs `pip install pyscf`)
whenever the shipped basis files or the cases below change:

    OMP_NUM_THREADS=1 python3 runtime/tests/golden/scf/make_golden.py

Both sides use exactly the same inputs:

* geometries are written here in bohr (``unit="Bohr"``) and copied into the JSON, from which the
  Rust test reads them;
* basis sets are the *shipped* NWChem files (stdlib/basis/*.nw) parsed by PySCF's own NWChem
  parser, not PySCF's bundled copies; spherical harmonics (PySCF's default, ``cart=False``).

What it records, per case (molecule, geometry, basis):

* ``nuclear_repulsion``: ``mol.energy_nuc()``;
* ``energy``: the SCF total energy (RHF for singlets, ROHF otherwise), converged to
  ``conv_tol=1e-12``, ``conv_tol_grad=1e-10``;
* ``mo_energy``: orbital energies (ROHF: eigenvalues of PySCF's Roothaan effective Fock);
* ``mp2``: RHF-MP2 correlation energies by number of frozen core orbitals (``mp.MP2(mf, frozen=k)``);
* ``mo_coeff`` (H2O only, whose orbitals are non-degenerate): the MO coefficients after the qdf sign
  convention (in each MO the coefficient of largest magnitude positive; ties within 1e-6 go to
  the lowest AO index);
* ``integrals`` (selected cases): ``overlap`` (int1e_ovlp), ``kinetic`` (int1e_kin), ``nuclear``
  (int1e_nuc) and, for H2O/STO-3G, the full ``eri`` (int2e, chemists' notation, no symmetry
  packing).
"""

import json
from pathlib import Path

import numpy as np
import pyscf
from pyscf import gto, mp, scf

ROOT = Path(__file__).resolve().parents[4]  # repository root
BASIS_DIR = ROOT / "stdlib" / "basis"
OUT = Path(__file__).resolve().parent / "pyscf_scf.json"

BASIS_FILES = {"sto-3g": "sto-3g.nw", "6-31g": "6-31g.nw"}

# (name, [(symbol, z, (x, y, z) in bohr)], charge, multiplicity)
MOLECULES = [
    ("h2_r1.0", [("H", 1, (0.0, 0.0, 0.0)), ("H", 1, (0.0, 0.0, 1.0))], 0, 1),
    ("h2_r1.4", [("H", 1, (0.0, 0.0, 0.0)), ("H", 1, (0.0, 0.0, 1.4))], 0, 1),
    ("h2_r2.5", [("H", 1, (0.0, 0.0, 0.0)), ("H", 1, (0.0, 0.0, 2.5))], 0, 1),
    ("lih_r2.5", [("Li", 3, (0.0, 0.0, 0.0)), ("H", 1, (0.0, 0.0, 2.5))], 0, 1),
    ("lih_r3.015", [("Li", 3, (0.0, 0.0, 0.0)), ("H", 1, (0.0, 0.0, 3.015))], 0, 1),
    ("lih_r4.0", [("Li", 3, (0.0, 0.0, 0.0)), ("H", 1, (0.0, 0.0, 4.0))], 0, 1),
    # Near-equilibrium water (R = 1.809 bohr, 104.52 degrees) ...
    ("h2o_eq", [("O", 8, (0.0, 0.0, 0.0)), ("H", 1, (0.0, 1.430523, 1.107270)), ("H", 1, (0.0, -1.430523, 1.107270))], 0, 1),
    # ... and a distorted, asymmetric one, off the axes.
    ("h2o_bent", [("O", 8, (0.1, -0.2, 0.05)), ("H", 1, (0.3, 1.75, 1.25)), ("H", 1, (-0.4, -1.6, 1.45))], 0, 1),
    # Open shells for ROHF: OH radical (doublet) and NH (triplet).
    ("oh_doublet", [("O", 8, (0.0, 0.0, 0.0)), ("H", 1, (0.0, 0.0, 1.8324))], 0, 2),
    ("nh_triplet", [("N", 7, (0.0, 0.0, 0.0)), ("H", 1, (0.0, 0.0, 1.9590))], 0, 3),
]

# Frozen-core counts for MP2, per molecule prefix.
FROZEN = {"h2": [0], "lih": [0, 1], "h2o": [0, 1]}

# Cases whose one-electron integrals are recorded; (molecule, basis) -> also the ERIs?
INTEGRALS = {("h2o_eq", "sto-3g"): True, ("h2o_eq", "6-31g"): False, ("lih_r3.015", "6-31g"): False}

SIGN_TOLERANCE = 1e-6


def fix_signs(c):
    """qdf's MO sign convention (runtime/src/chem/scf.rs, fix_orbital_signs)."""
    c = np.array(c, copy=True)
    for k in range(c.shape[1]):
        col = c[:, k]
        largest = np.max(np.abs(col))
        pivot = next(i for i in range(len(col)) if abs(col[i]) >= largest - SIGN_TOLERANCE)
        if col[pivot] < 0:
            c[:, k] = -col
    return c


def build(atoms, basis_name, charge, multiplicity):
    text = (BASIS_DIR / BASIS_FILES[basis_name]).read_text(encoding="ascii")
    symbols = sorted({sym for sym, _, _ in atoms})
    basis = {sym: gto.basis.parse(text, symb=sym) for sym in symbols}
    return gto.M(
        atom=[(sym, pos) for sym, _, pos in atoms],
        unit="Bohr",
        basis=basis,
        charge=charge,
        spin=multiplicity - 1,
        verbose=0,
    )


def case(name, atoms, charge, multiplicity, basis_name):
    mol = build(atoms, basis_name, charge, multiplicity)
    mf = scf.RHF(mol) if multiplicity == 1 else scf.ROHF(mol)
    mf.conv_tol = 1e-12
    mf.conv_tol_grad = 1e-10
    mf.max_cycle = 200
    energy = mf.kernel()
    assert mf.converged, (name, basis_name)
    out = {
        "molecule": name,
        "basis": basis_name,
        "charge": charge,
        "multiplicity": multiplicity,
        "atoms": [{"z": z, "position": list(pos)} for _, z, pos in atoms],
        "nao": mol.nao_nr(),
        "nuclear_repulsion": mol.energy_nuc(),
        "energy": energy,
        "mo_energy": mf.mo_energy.tolist(),
    }
    prefix = name.split("_")[0]
    if multiplicity == 1:
        out["mp2"] = {}
        for frozen in FROZEN[prefix]:
            pt = mp.MP2(mf, frozen=frozen if frozen else None)
            e_corr, _ = pt.kernel()
            out["mp2"][str(frozen)] = e_corr
    if prefix == "h2o":
        out["mo_coeff"] = fix_signs(mf.mo_coeff).tolist()
    if (name, basis_name) in INTEGRALS:
        ints = {
            "overlap": mol.intor("int1e_ovlp").tolist(),
            "kinetic": mol.intor("int1e_kin").tolist(),
            "nuclear": mol.intor("int1e_nuc").tolist(),
        }
        if INTEGRALS[(name, basis_name)]:
            ints["eri"] = mol.intor("int2e", aosym="s1").tolist()
        out["integrals"] = ints
    return out


def main():
    cases = []
    for name, atoms, charge, multiplicity in MOLECULES:
        for basis_name in BASIS_FILES:
            cases.append(case(name, atoms, charge, multiplicity, basis_name))
            print(f"{name:12s} {basis_name:7s} E = {cases[-1]['energy']:.12f}")
    data = {"pyscf_version": pyscf.__version__, "cases": cases}
    OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="ascii")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

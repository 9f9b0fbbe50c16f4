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

``extra_cases`` holds the same records for d-shell bases (cc-pVDZ, 6-31G*: spherical d, as PySCF).

``uhf`` records, per open-shell case, the UHF (``scf.UHF``) energy, ``spin_square``
(``mf.spin_square()[0]``), the alpha and beta orbital energies, and UMP2 correlation energies by
frozen-core count (``mp.UMP2(mf, frozen=k)``).

``mp2_rdm1`` holds the unrelaxed RHF-MP2 one-particle density matrix of water in the MO basis
(``mp.MP2(mf, frozen=k).make_rdm1()``), frozen core included, with the MOs in qdf's sign
convention, and its eigenvalues (natural occupations) in descending order.

``dipoles`` holds dipole moments in atomic units about the origin (``mf.dip_moment(unit='AU')``)
for RHF (water), and UHF and ROHF (OH), with Mulliken charges (``mf.mulliken_pop()[1]``).
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
# d-shell bases, used by the extra, UHF and dipole cases.
D_BASIS_FILES = {"cc-pvdz": "cc-pvdz.nw", "6-31g*": "6-31g_st.nw"}

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

# Open shells for UHF and UMP2: the two above, triplet methylene (R = 2.0367 bohr, 133.9 degrees)
# and triplet O2 (R = 2.2819 bohr).
UHF_MOLECULES = [
    ("oh_doublet", [("O", 8, (0.0, 0.0, 0.0)), ("H", 1, (0.0, 0.0, 1.8324))], 0, 2),
    ("nh_triplet", [("N", 7, (0.0, 0.0, 0.0)), ("H", 1, (0.0, 0.0, 1.9590))], 0, 3),
    ("ch2_triplet", [("C", 6, (0.0, 0.0, 0.0)), ("H", 1, (0.0, 1.8743, 0.7977)), ("H", 1, (0.0, -1.8743, 0.7977))], 0, 3),
    ("o2_triplet", [("O", 8, (0.0, 0.0, 0.0)), ("O", 8, (0.0, 0.0, 2.2819))], 0, 3),
]
UHF_BASES = ["sto-3g", "6-31g", "cc-pvdz"]
UMP2_FROZEN = {"oh": [0, 1], "nh": [0, 1], "ch2": [0, 1], "o2": [0, 2]}

# (molecule, basis) of the d-shell RHF/ROHF cases.
EXTRA_CASES = [("h2o_eq", "cc-pvdz"), ("h2o_eq", "6-31g*"), ("h2o_bent", "cc-pvdz"), ("oh_doublet", "cc-pvdz")]

# (molecule, basis, method) of the dipole cases.
DIPOLES = [
    ("h2o_eq", "6-31g", "rhf"),
    ("h2o_bent", "6-31g", "rhf"),
    ("h2o_bent", "cc-pvdz", "rhf"),
    ("oh_doublet", "6-31g", "uhf"),
    ("oh_doublet", "6-31g", "rohf"),
    ("oh_doublet", "cc-pvdz", "uhf"),
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
    text = (BASIS_DIR / {**BASIS_FILES, **D_BASIS_FILES}[basis_name]).read_text(encoding="ascii")
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


def converged(mf, label):
    mf.conv_tol = 1e-12
    mf.conv_tol_grad = 1e-10
    mf.max_cycle = 200
    mf.kernel()
    assert mf.converged, label
    return mf


def header(name, atoms, charge, multiplicity, basis_name, mol):
    return {
        "molecule": name,
        "basis": basis_name,
        "charge": charge,
        "multiplicity": multiplicity,
        "atoms": [{"z": z, "position": list(pos)} for _, z, pos in atoms],
        "nao": mol.nao_nr(),
        "nuclear_repulsion": mol.energy_nuc(),
    }


def case(name, atoms, charge, multiplicity, basis_name):
    mol = build(atoms, basis_name, charge, multiplicity)
    mf = converged(scf.RHF(mol) if multiplicity == 1 else scf.ROHF(mol), (name, basis_name))
    out = header(name, atoms, charge, multiplicity, basis_name, mol)
    out["energy"] = mf.e_tot
    out["mo_energy"] = mf.mo_energy.tolist()
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


def uhf_case(name, atoms, charge, multiplicity, basis_name):
    mol = build(atoms, basis_name, charge, multiplicity)
    mf = converged(scf.UHF(mol), (name, basis_name))
    out = header(name, atoms, charge, multiplicity, basis_name, mol)
    out["energy"] = mf.e_tot
    out["spin_square"] = mf.spin_square()[0]
    out["mo_energy_alpha"] = mf.mo_energy[0].tolist()
    out["mo_energy_beta"] = mf.mo_energy[1].tolist()
    out["ump2"] = {}
    for frozen in UMP2_FROZEN[name.split("_")[0]]:
        e_corr, _ = mp.UMP2(mf, frozen=frozen if frozen else None).kernel()
        out["ump2"][str(frozen)] = e_corr
    return out


def rdm1_case(name, atoms, basis_name, frozen):
    mol = build(atoms, basis_name, 0, 1)
    mf = converged(scf.RHF(mol), (name, basis_name))
    rdm1 = mp.MP2(mf, frozen=frozen if frozen else None).run().make_rdm1()
    # Into qdf's MO sign convention: gamma_pq picks up the signs of orbitals p and q.
    signs = np.sign(np.einsum("pi,pi->i", fix_signs(mf.mo_coeff), mf.mo_coeff))
    out = header(name, atoms, 0, 1, basis_name, mol)
    out["frozen"] = frozen
    out["rdm1"] = (signs[:, None] * rdm1 * signs[None, :]).tolist()
    out["natural_occupations"] = sorted(np.linalg.eigvalsh(rdm1).tolist(), reverse=True)
    return out


def dipole_case(name, atoms, charge, multiplicity, basis_name, method):
    mol = build(atoms, basis_name, charge, multiplicity)
    mf = converged({"rhf": scf.RHF, "rohf": scf.ROHF, "uhf": scf.UHF}[method](mol), (name, basis_name))
    out = header(name, atoms, charge, multiplicity, basis_name, mol)
    out["method"] = method
    out["energy"] = mf.e_tot
    out["dipole"] = mf.dip_moment(unit="AU", verbose=0).tolist()
    out["mulliken_charges"] = mf.mulliken_pop(verbose=0)[1].tolist()
    return out


def main():
    molecules = {name: (atoms, charge, multiplicity) for name, atoms, charge, multiplicity in MOLECULES}
    cases = []
    for name, atoms, charge, multiplicity in MOLECULES:
        for basis_name in BASIS_FILES:
            cases.append(case(name, atoms, charge, multiplicity, basis_name))
            print(f"{name:12s} {basis_name:7s} E = {cases[-1]['energy']:.12f}")
    extra = []
    for name, basis_name in EXTRA_CASES:
        extra.append(case(name, *molecules[name], basis_name))
        print(f"{name:12s} {basis_name:7s} E = {extra[-1]['energy']:.12f}")
    uhf = []
    for name, atoms, charge, multiplicity in UHF_MOLECULES:
        for basis_name in UHF_BASES:
            uhf.append(uhf_case(name, atoms, charge, multiplicity, basis_name))
            print(f"{name:12s} {basis_name:7s} E(UHF) = {uhf[-1]['energy']:.12f} <S^2> = {uhf[-1]['spin_square']:.6f}")
    rdm1 = [rdm1_case("h2o_bent", molecules["h2o_bent"][0], "6-31g", frozen) for frozen in (0, 1)]
    dipoles = []
    for name, basis_name, method in DIPOLES:
        dipoles.append(dipole_case(name, *molecules[name], basis_name, method))
        print(f"{name:12s} {basis_name:7s} {method:4s} dipole = {dipoles[-1]['dipole']}")
    data = {
        "pyscf_version": pyscf.__version__,
        "cases": cases,
        "extra_cases": extra,
        "uhf": uhf,
        "mp2_rdm1": rdm1,
        "dipoles": dipoles,
    }
    OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="ascii")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

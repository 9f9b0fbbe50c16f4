#!/usr/bin/env python3
"""Regenerates the CASCI golden files of runtime/tests/active_fci_jw.rs: density matrices, natural
orbitals and dipoles of CASCI states, explicit (sort_mo) and MP2-natural-orbital active spaces,
and a PySCF-written FCIDUMP.

    OMP_NUM_THREADS=1 python3 runtime/tests/golden/active/make_golden_casci.py

Needs `pip install pyscf` (checked with PySCF 2.14). Inputs are exactly the Rust side's:
geometries in bohr (`unit="Bohr"`, copied into the JSON as `atoms`: [symbol, Z, [x, y, z]]) and
basis sets from the *shipped* NWChem files (stdlib/basis/*.nw) parsed by PySCF's own parser,
spherical harmonics. RHF with conv_tol 1e-12; MO signs: largest coefficient positive (the rule
of make_golden.py and `chem::scf::fix_orbital_signs`).

Files:

- `casci_<name>.json`, one per case in CASES: `e_rhf`; for the default space around the Fermi
  level (`fermi`: `ncas`, `nelecas`, `e_casci`, spin-summed `rdm1` (ncas²) and `rdm2` (ncas⁴,
  PySCF's make_rdm12: rdm2[p,q,r,s] = <p+ r+ s q>; they depend on the rotation within
  degenerate active MOs, flagged by `degenerate_orbitals`), `natural_occupations` (descending), `dipole`
  (a.u., origin 0, from mc.make_rdm1())); for explicit orbitals (`indices`: `caslst` 1-based as
  sort_mo takes it, never splitting a degenerate pair, `nelecas`, `e_casci`); for MP2 natural orbitals (`natural`: per frozen-core
  count, `low`, `high`, `occupations` (all, descending), `ncore`, `ncas`, `nelecas`, `e_casci`).
- `<fermi case>.FCIDUMP` for the first case: pyscf.tools.fcidump.from_integrals of the CASCI's
  active integrals (h1eff, h2eff, ecore), whose FCI energy is that case's `fermi.e_casci`.
"""
import json
import os
import sys
from pathlib import Path

import numpy as np
from pyscf import gto, mcscf, mp, scf
from pyscf.tools import fcidump

HERE = Path(__file__).resolve().parent
BASIS_DIR = HERE.parents[3] / "stdlib" / "basis"

# Bohr. Water as in runtime/tests/golden/cc; N2 at 1.5 times its equilibrium bond.
WATER = [("O", 8, (0.0, 0.0, 0.0)), ("H", 1, (0.0, 1.430523, 1.107270)), ("H", 1, (0.0, -1.430523, 1.107270))]
N2_STRETCHED = [("N", 7, (0.0, 0.0, 0.0)), ("N", 7, (0.0, 0.0, 3.111))]

# (name, atoms, basis file, (ncas, nelecas) around the Fermi level, (caslst 1-based, nelecas),
#  MP2 natural-orbital selections as (frozen, low, high, max_orbitals))
CASES = [
    ("h2o_631g", WATER, "6-31g", (6, 6), ([2, 4, 5, 6, 7, 9], 6), [(0, 0.02, 1.98, 20), (1, 0.02, 1.98, 20), (0, 0.01, 1.99, 6)]),
    ("n2_stretched_631g", N2_STRETCHED, "6-31g", (6, 6), ([3, 5, 6, 7, 8, 9, 10, 11], 8), [(2, 0.02, 1.98, 20)]),
]


def fix_signs(mo):
    mo = mo.copy()
    for k in range(mo.shape[1]):
        col = np.abs(mo[:, k])
        pivot = np.flatnonzero(col >= col.max() - 1e-6)[0]
        if mo[pivot, k] < 0:
            mo[:, k] *= -1
    return mo


def build(atoms, basis_file):
    text = (BASIS_DIR / f"{basis_file}.nw").read_text(encoding="ascii")
    basis = {sym: gto.basis.parse(text, symb=sym) for sym in sorted({s for s, _, _ in atoms})}
    return gto.M(atom=[(s, p) for s, _, p in atoms], unit="Bohr", basis=basis, verbose=0)


def flat(a):
    return [float(x) for x in np.asarray(a).ravel()]


def casci(mf, ncas, nelecas, mo):
    mc = mcscf.CASCI(mf, ncas, nelecas)
    mc.verbose = 0
    mc.fcisolver.conv_tol = 1e-13
    e = mc.kernel(mo)[0]
    return mc, float(e)


def select(occ, low, high, max_orbitals):
    """The rule of chem::auto_active: core above high, active in [low, high], narrowed from the
    end closer to a whole occupation."""
    first = 0
    while first < len(occ) and occ[first] > high:
        first += 1
    end = first
    while end < len(occ) and occ[end] >= low:
        end += 1
    while end - first > max_orbitals:
        if 2.0 - occ[first] <= occ[end - 1]:
            first += 1
        else:
            end -= 1
    return first, end - first


def case(name, atoms, basis_file, fermi, indices, naturals, write_fcidump):
    mol = build(atoms, basis_file)
    mf = scf.RHF(mol)
    mf.conv_tol = 1e-12
    mf.conv_tol_grad = 1e-10
    mf.kernel()
    assert mf.converged, name
    mo = fix_signs(mf.mo_coeff)
    mf.mo_coeff = mo
    out = {"name": name, "basis": basis_file, "atoms": [[s, z, list(p)] for s, z, p in atoms], "e_rhf": float(mf.e_tot)}

    ncas, nelecas = fermi
    e = mf.mo_energy
    ncore = (mol.nelectron - nelecas) // 2
    assert e[ncore] - e[ncore - 1] > 1e-6 and e[ncore + ncas] - e[ncore + ncas - 1] > 1e-6, name
    mc, e_casci = casci(mf, ncas, nelecas, mo)
    dm1, dm2 = mc.fcisolver.make_rdm12(mc.ci, ncas, mc.nelecas)
    h1, ecore = mc.get_h1eff(mo)
    h2 = mc.get_h2eff(mo)
    from pyscf import ao2mo

    h2 = ao2mo.restore(1, h2, ncas)
    e_rdm = ecore + np.einsum("pq,pq", h1, dm1) + 0.5 * np.einsum("pqrs,pqrs", h2, dm2)
    assert abs(e_rdm - e_casci) < 1e-10, (name, e_rdm, e_casci)
    dipole = scf.hf.dip_moment(mol, mc.make_rdm1(), unit="AU", verbose=0)
    out["fermi"] = {
        "ncas": ncas,
        "nelecas": nelecas,
        "e_casci": e_casci,
        "degenerate_orbitals": bool(np.any(np.abs(np.diff(e[ncore : ncore + ncas])) < 1e-6)),
        "rdm1": flat(dm1),
        "rdm2": flat(dm2),
        "natural_occupations": flat(np.linalg.eigvalsh(dm1)[::-1]),
        "dipole": flat(dipole),
    }
    if write_fcidump:
        fcidump.from_integrals(str(HERE / f"{name}_cas{nelecas}{ncas}.FCIDUMP"), h1, h2, ncas, nelecas, nuc=ecore, ms=0)
        out["fermi"]["fcidump"] = f"{name}_cas{nelecas}{ncas}.FCIDUMP"

    caslst, nelecas = indices
    mc = mcscf.CASCI(mf, len(caslst), nelecas)
    mc.verbose = 0
    mc.fcisolver.conv_tol = 1e-13
    sorted_mo = mc.sort_mo(caslst, mo, base=1)
    out["indices"] = {"caslst": caslst, "nelecas": nelecas, "e_casci": float(mc.kernel(sorted_mo)[0])}

    out["natural"] = []
    for frozen, low, high, max_orbitals in naturals:
        pt = mp.MP2(mf, frozen=frozen if frozen else None)
        pt.kernel()
        occ, u = np.linalg.eigh(pt.make_rdm1())
        occ, u = occ[::-1], u[:, ::-1]
        nos = mo @ u
        ncore, ncas = select(occ, low, high, max_orbitals)
        nelecas = mol.nelectron - 2 * ncore
        _, e = casci(mf, ncas, nelecas, nos)
        out["natural"].append(
            {
                "frozen": frozen,
                "low": low,
                "high": high,
                "max_orbitals": max_orbitals,
                "occupations": flat(occ),
                "ncore": ncore,
                "ncas": ncas,
                "nelecas": nelecas,
                "e_casci": e,
            }
        )
        print(f"{name}: MP2 NOs frozen {frozen} [{low}, {high}] → CAS({nelecas}e, {ncas}o), E = {e:.12f}", file=sys.stderr)

    with open(HERE / f"casci_{name}.json", "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"{name}: E_RHF {mf.e_tot:.12f}, CASCI{fermi} {e_casci:.12f}, indices {out['indices']['e_casci']:.12f}", file=sys.stderr)


def main():
    if os.environ.get("OMP_NUM_THREADS") != "1":
        sys.exit("run with OMP_NUM_THREADS=1")
    for i, (name, atoms, basis_file, fermi, indices, naturals) in enumerate(CASES):
        case(name, atoms, basis_file, fermi, indices, naturals, write_fcidump=(i == 0))


if __name__ == "__main__":
    main()

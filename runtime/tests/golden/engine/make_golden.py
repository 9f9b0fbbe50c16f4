#!/usr/bin/env python3
"""Regenerate runtime/tests/golden/engine/pyscf_engine.json: the cross-method, cross-basis
reference data that `cargo test -p qdf-runtime --test engine_golden` holds qdf's electronic-structure
engine to (energies to 1e-8 Ha, dipole moments to 1e-6 au).

    OMP_NUM_THREADS=2 python3 runtime/tests/golden/engine/make_golden.py

Both sides see exactly the same inputs: geometries in bohr (copied into the JSON), the *shipped*
basis files (stdlib/basis/*.nw) parsed by PySCF's own NWChem parser, spherical harmonics.

Per case, as applicable:
* closed shells: RHF energy and dipole; RHF-MP2, CCSD and CCSD(T) correlation energies with the
  case's frozen core; CASCI in the case's (electrons, orbitals) window around the Fermi level;
* open shells: UHF energy, <S^2> and dipole; ROHF energy and dipole; UMP2 correlation energy on the
  UHF reference; CASCI on ROHF orbitals.
Dipoles are PySCF's `dip_moment(unit="AU")` (origin at 0).
"""

import json
from pathlib import Path

import pyscf
from pyscf import cc, gto, mcscf, mp, scf

ROOT = Path(__file__).resolve().parents[4]
BASIS_DIR = ROOT / "stdlib" / "basis"
OUT = Path(__file__).resolve().parent / "pyscf_engine.json"

FILES = {
    "sto-3g": "sto-3g.nw",
    "3-21g": "3-21g.nw",
    "6-31g*": "6-31g_st.nw",
    "6-31g**": "6-31g_stst.nw",
    "6-311g**": "6-311g_stst.nw",
    "cc-pvdz": "cc-pvdz.nw",
    "cc-pvtz": "cc-pvtz.nw",
    "aug-cc-pvdz": "aug-cc-pvdz.nw",
    "def2-svp": "def2-svp.nw",
    "def2-tzvp": "def2-tzvp.nw",
}

Z = {"H": 1, "Li": 3, "C": 6, "N": 7, "O": 8, "F": 9, "Cl": 17, "Br": 35}

WATER = [("O", (0.0, 0.0, 0.2217)), ("H", (0.0, 1.4309, -0.8867)), ("H", (0.0, -1.4309, -0.8867))]

# name, atoms (bohr), basis, charge, multiplicity, frozen core, CCSD?, CASCI (electrons, orbitals)
CASES = [
    ("h2o", WATER, "cc-pvdz", 0, 1, 1, True, (4, 4)),
    ("h2o_tz", WATER, "cc-pvtz", 0, 1, 1, False, None),
    ("nh3", [("N", (0.0, 0.0, 0.2200)), ("H", (0.0, 1.7720, -0.5133)), ("H", (1.5346, -0.8860, -0.5133)),
             ("H", (-1.5346, -0.8860, -0.5133))], "6-31g**", 0, 1, 1, True, None),
    ("ch4", [("C", (0.0, 0.0, 0.0)), ("H", (1.1860, 1.1860, 1.1860)), ("H", (-1.1860, -1.1860, 1.1860)),
             ("H", (-1.1860, 1.1860, -1.1860)), ("H", (1.1860, -1.1860, -1.1860))], "6-311g**", 0, 1, 1, True, None),
    ("n2", [("N", (0.0, 0.0, 0.0)), ("N", (0.0, 0.0, 2.0740))], "6-31g*", 0, 1, 2, True, (6, 6)),
    ("hf", [("F", (0.0, 0.0, 0.0)), ("H", (0.0, 0.0, 1.7328))], "aug-cc-pvdz", 0, 1, 1, True, None),
    ("co", [("C", (0.0, 0.0, -1.2200)), ("O", (0.0, 0.0, 0.9120))], "def2-svp", 0, 1, 2, True, (6, 6)),
    ("lih", [("Li", (0.0, 0.0, 0.0)), ("H", (0.0, 0.0, 3.0150))], "3-21g", 0, 1, 0, True, (4, 11)),
    ("hcl", [("Cl", (0.0, 0.0, 0.0)), ("H", (0.1, -0.2, 2.4087))], "def2-tzvp", 0, 1, 5, False, None),
    ("hbr", [("Br", (0.0, 0.0, 0.0)), ("H", (0.0, 0.0, 2.6730))], "def2-svp", 0, 1, 0, False, None),
    ("h2o_cation", WATER, "6-31g*", 1, 2, 1, False, (5, 4)),
    ("o2", [("O", (0.0, 0.0, 0.0)), ("O", (0.0, 0.0, 2.2819))], "cc-pvdz", 0, 3, 2, False, (8, 6)),
    ("ch2", [("C", (0.0, 0.0, 0.1800)), ("H", (0.0, 1.8800, -0.5400)), ("H", (0.0, -1.8800, -0.5400))], "6-31g*", 0, 3, 1,
     False, (6, 6)),
    ("oh", [("O", (0.0, 0.0, 0.0)), ("H", (0.0, 0.0, 1.8324))], "aug-cc-pvdz", 0, 2, 1, False, (7, 6)),
]

TIGHT = dict(conv_tol=1e-12, conv_tol_grad=1e-9, max_cycle=300)


def build(atoms, basis_name, charge, multiplicity):
    text = (BASIS_DIR / FILES[basis_name]).read_text(encoding="ascii")
    basis = {sym: gto.basis.parse(text, symb=sym) for sym in {s for s, _ in atoms}}
    return gto.M(atom=[(s, p) for s, p in atoms], unit="Bohr", basis=basis, charge=charge,
                 spin=multiplicity - 1, verbose=0)


def converge(mf):
    for key, value in TIGHT.items():
        setattr(mf, key, value)
    mf.kernel()
    if not mf.converged:  # second-order fallback, as a user would
        mf = mf.newton()
        mf.kernel()
    assert mf.converged
    return mf


def casci(mf, electrons, orbitals, multiplicity):
    unpaired = multiplicity - 1
    nelecas = ((electrons + unpaired) // 2, (electrons - unpaired) // 2)
    mc = mcscf.CASCI(mf, orbitals, nelecas)
    mc.verbose = 0
    mc.fcisolver.conv_tol = 1e-12
    mc.fix_spin_(ss=(unpaired / 2) * (unpaired / 2 + 1))
    energy = mc.kernel()[0]
    return {"electrons": electrons, "orbitals": orbitals, "energy": energy}


def case(name, atoms, basis_name, charge, multiplicity, frozen, do_cc, cas):
    mol = build(atoms, basis_name, charge, multiplicity)
    out = {
        "name": name, "basis": basis_name, "charge": charge, "multiplicity": multiplicity, "frozen": frozen,
        "atoms": [{"z": Z[s], "position": list(p)} for s, p in atoms],
        "nao": mol.nao_nr(), "nuclear_repulsion": mol.energy_nuc(),
    }
    if multiplicity == 1:
        mf = converge(scf.RHF(mol))
        out["rhf"] = {"energy": mf.e_tot, "dipole": list(mf.dip_moment(unit="AU", verbose=0))}
        out["mp2"] = mp.MP2(mf, frozen=frozen or None).kernel()[0]
        if do_cc:
            ccsd = cc.CCSD(mf, frozen=frozen or None)
            ccsd.conv_tol = 1e-12
            ccsd.conv_tol_normt = 1e-10
            ccsd.max_cycle = 200
            ccsd.kernel()
            assert ccsd.converged
            out["ccsd"] = ccsd.e_corr
            out["ccsd_t"] = ccsd.ccsd_t()
        if cas:
            out["casci"] = casci(mf, *cas, multiplicity)
    else:
        uhf = converge(scf.UHF(mol))
        out["uhf"] = {"energy": uhf.e_tot, "s2": uhf.spin_square()[0],
                      "dipole": list(uhf.dip_moment(unit="AU", verbose=0))}
        out["ump2"] = mp.UMP2(uhf, frozen=frozen or None).kernel()[0]
        rohf = converge(scf.ROHF(mol))
        out["rohf"] = {"energy": rohf.e_tot, "dipole": list(rohf.dip_moment(unit="AU", verbose=0))}
        if cas:
            out["casci"] = casci(rohf, *cas, multiplicity)
    return out


def main():
    cases = []
    for spec in CASES:
        cases.append(case(*spec))
        summary = {k: v for k, v in cases[-1].items() if k in ("rhf", "uhf", "rohf")}
        print(f"{spec[0]:11s} {spec[2]:12s} nao={cases[-1]['nao']:3d} " +
              " ".join(f"{k}={v['energy']:.10f}" for k, v in summary.items()))
    data = {"pyscf_version": pyscf.__version__, "cases": cases}
    OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="ascii")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()

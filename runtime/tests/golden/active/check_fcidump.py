#!/usr/bin/env python3
"""Checks that PySCF reads an FCIDUMP written by qdf and finds the same FCI energy as from the
PySCF-written file of the same active space.

    cargo test -p qdf-runtime --test active_fci_jw fcidump   # writes target/tmp/qdf_h2o_631g_cas66.FCIDUMP
    python3 runtime/tests/golden/active/check_fcidump.py [PATH]

Compares header, integrals (to 1e-9, both files come from independent integral codes) and the
FCI energy (pyscf.fci.direct_spin1 on each file) with `casci_h2o_631g.json`'s CASCI energy.
"""
import json
import sys
from pathlib import Path

import numpy as np
from pyscf import ao2mo, fci
from pyscf.tools import fcidump

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parents[2].parent / "target" / "tmp" / "qdf_h2o_631g_cas66.FCIDUMP"


def energy(data):
    norb, nelec, ms2 = data["NORB"], data["NELEC"], data.get("MS2", 0)
    h2 = ao2mo.restore(1, data["H2"], norb)
    solver = fci.direct_spin1.FCI()
    solver.conv_tol = 1e-13
    e, _ = solver.kernel(data["H1"], h2, norb, ((nelec + ms2) // 2, (nelec - ms2) // 2), ecore=data["ECORE"])
    return e


def main():
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    ours = fcidump.read(str(path), verbose=False)
    theirs = fcidump.read(str(HERE / "h2o_631g_cas66.FCIDUMP"), verbose=False)
    golden = json.loads((HERE / "casci_h2o_631g.json").read_text())["fermi"]["e_casci"]
    for key in ("NORB", "NELEC", "MS2", "ISYM", "ORBSYM"):
        assert ours[key] == theirs[key], (key, ours[key], theirs[key])
    d_h1 = np.abs(ours["H1"] - theirs["H1"]).max()
    d_h2 = np.abs(ours["H2"] - theirs["H2"]).max()
    d_core = abs(ours["ECORE"] - theirs["ECORE"])
    e = energy(ours)
    print(f"{path}: max|dh1| {d_h1:.1e}, max|d(pq|rs)| {d_h2:.1e}, |dEcore| {d_core:.1e}, "
          f"E_FCI {e:.12f} vs PySCF CASCI {golden:.12f} (|dE| {abs(e - golden):.1e})")
    assert max(d_h1, d_h2, d_core) < 1e-9 and abs(e - golden) < 1e-9
    print("OK: PySCF reads qdf's FCIDUMP")


if __name__ == "__main__":
    main()

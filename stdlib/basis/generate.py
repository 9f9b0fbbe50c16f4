#!/usr/bin/env python3
"""Regenerate the basis-set data files shipped in qdf-stdlib.

Writes one NWChem-format file per basis set into this directory, exactly as the
Basis Set Exchange (BSE, https://www.basissetexchange.org) formats it, for every
element H..Kr (Z 1..=36) that the basis defines in BSE. Elements the basis does
not define are skipped (and listed on stdout).

Usage (needs `pip install basis-set-exchange`; BSE ships its data, so no network
access is needed):

    python3 stdlib/basis/generate.py

The BSE version is recorded in each file's header comment. After regenerating,
run `python3 stdlib/tests/golden/make_golden.py` (needs PySCF) and
`cargo test -p qdf-stdlib`.
"""

from pathlib import Path

import basis_set_exchange as bse

# canonical qdf name -> (BSE name, plain-ASCII file name)
BASES = {
    "sto-3g": ("sto-3g", "sto-3g.nw"),
    "6-31g": ("6-31g", "6-31g.nw"),
    "6-31g*": ("6-31g*", "6-31g_st.nw"),
    "cc-pvdz": ("cc-pvdz", "cc-pvdz.nw"),
    "3-21g": ("3-21g", "3-21g.nw"),
    "6-31g**": ("6-31g**", "6-31g_stst.nw"),
    "6-311g**": ("6-311g**", "6-311g_stst.nw"),
    "cc-pvtz": ("cc-pvtz", "cc-pvtz.nw"),
    "aug-cc-pvdz": ("aug-cc-pvdz", "aug-cc-pvdz.nw"),
    "def2-svp": ("def2-svp", "def2-svp.nw"),
    "def2-tzvp": ("def2-tzvp", "def2-tzvp.nw"),
}

MAX_Z = 36
OUT_DIR = Path(__file__).resolve().parent


def defined_elements(bse_name):
    """Atomic numbers <= MAX_Z that the latest BSE version of the basis defines."""
    meta = bse.get_metadata()[bse.misc.transform_basis_name(bse_name)]
    version = meta["latest_version"]
    return sorted(z for z in map(int, meta["versions"][version]["elements"]) if z <= MAX_Z)


def main():
    for qdf_name, (bse_name, file_name) in BASES.items():
        zs = defined_elements(bse_name)
        missing = [z for z in range(1, MAX_Z + 1) if z not in zs]
        text = bse.get_basis(bse_name, elements=zs, fmt="nwchem", header=True)
        (OUT_DIR / file_name).write_text(text, encoding="ascii", newline="\n")
        print(f"{qdf_name:11} -> {file_name:15} {len(zs)} elements; not defined in BSE: {missing or 'none'}")
    print(f"BSE version {bse.version()}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Generate zmatrix.json: Z-matrix -> Cartesian reference data from PySCF.

Usage (from this directory, with `pip install pyscf`):

    python3 make_zmatrix_golden.py > zmatrix.json

Each case is written as a PySCF Z-matrix string (1-based references, bond
lengths in angstrom, angles and dihedrals in degrees) and passed to
`pyscf.gto.Mole` with `unit="Angstrom"`, whose `atom_coords()` (bohr) is the
reference output. PySCF builds the Cartesian coordinates with
`pyscf.gto.mole.from_zmatrix` and then scales them by 1/BOHR.

For the Rust side every row is also recorded in `qdf_compiler::geometry::ZmatrixRow`
terms: 0-based references, bond lengths in bohr (angstrom / pyscf.lib.param.BOHR),
angles in radians (degrees * pi / 180). The original angstrom/degree values are
kept next to them.

The output is deterministic: the random case uses a fixed seed.
"""

import json
import math
import random
import sys

import pyscf
from pyscf import gto
from pyscf.data import elements
from pyscf.lib import param

# A row is (symbol, bond, angle, dihedral); each internal coordinate is
# (1-based reference, value in angstrom or degrees) or None.

TETRAHEDRAL = math.degrees(math.acos(-1.0 / 3.0))  # 109.4712206...


def water():
    return [
        ("O", None, None, None),
        ("H", (1, 0.9572), None, None),
        ("H", (1, 0.9572), (2, 104.52), None),
    ]


def water_hydrogen_first():
    # Row 2 bonds to atom 2 and angles at atom 1: exercises the -x branch.
    return [
        ("H", None, None, None),
        ("O", (1, 0.9572), None, None),
        ("H", (2, 0.9572), (1, 104.52), None),
    ]


def ammonia():
    return [
        ("N", None, None, None),
        ("H", (1, 1.0124), None, None),
        ("H", (1, 1.0124), (2, 106.67), None),
        ("H", (1, 1.0124), (2, 106.67), (3, 113.0)),
    ]


def methane():
    r = 1.087
    return [
        ("C", None, None, None),
        ("H", (1, r), None, None),
        ("H", (1, r), (2, TETRAHEDRAL), None),
        ("H", (1, r), (2, TETRAHEDRAL), (3, 120.0)),
        ("H", (1, r), (2, TETRAHEDRAL), (3, -120.0)),
    ]


def hydrogen_peroxide(dihedral):
    return [
        ("H", None, None, None),
        ("O", (1, 0.967), None, None),
        ("O", (2, 1.456), (1, 102.3), None),
        ("H", (3, 0.967), (2, 102.3), (1, dihedral)),
    ]


def ethane_staggered():
    cc, ch, a = 1.535, 1.094, 111.2
    return [
        ("C", None, None, None),
        ("C", (1, cc), None, None),
        ("H", (1, ch), (2, a), None),
        ("H", (1, ch), (2, a), (3, 120.0)),
        ("H", (1, ch), (2, a), (3, -120.0)),
        ("H", (2, ch), (1, a), (3, 180.0)),
        ("H", (2, ch), (1, a), (6, 120.0)),
        ("H", (2, ch), (1, a), (6, -120.0)),
    ]


def chain6():
    # A heteroatom chain with varied dihedrals, including 0 and 180 and a
    # dihedral reference that is not the previous atom.
    return [
        ("C", None, None, None),
        ("C", (1, 1.52), None, None),
        ("O", (2, 1.43), (1, 109.0), None),
        ("N", (3, 1.40), (2, 115.0), (1, 63.5)),
        ("C", (4, 1.47), (3, 108.0), (2, -171.2)),
        ("H", (5, 1.09), (4, 110.0), (3, -37.0)),
        ("H", (4, 1.01), (3, 104.0), (5, 118.0)),
        ("H", (1, 1.09), (2, 110.0), (3, 0.0)),
        ("H", (1, 1.09), (2, 110.0), (3, 180.0)),
    ]


def linear_triatomic():
    # HCN: an angle of 180 degrees in row 2.
    return [
        ("H", None, None, None),
        ("C", (1, 1.066), None, None),
        ("N", (2, 1.153), (1, 180.0), None),
    ]


def linear_in_later_row():
    # A 180 degree angle in row 3 (its dihedral is then ignored), followed by
    # an atom whose references are not collinear. (A dihedral over three
    # collinear references would be rejected by qdf; PySCF silently picks a
    # plane in that case, so it is not a golden case.)
    return [
        ("H", None, None, None),
        ("C", (1, 1.06), None, None),
        ("C", (2, 1.20), (1, 120.0), None),
        ("H", (3, 1.06), (2, 180.0), (1, 33.0)),
        ("H", (4, 1.50), (3, 95.0), (1, -44.0)),
        ("H", (1, 2.20), (2, 0.0), (3, 12.0)),
    ]


def random_case(seed, natoms):
    rng = random.Random(seed)
    rows = [("C", None, None, None), ("C", (1, rng.uniform(1.0, 1.6)), None, None)]
    rows.append(("C", (rng.choice([1, 2]), rng.uniform(1.0, 1.6)), None, None))
    b = rows[2][1][0]
    rows[2] = ("C", rows[2][1], (3 - b, rng.uniform(30.0, 150.0)), None)
    for i in range(3, natoms):
        refs = rng.sample(range(1, i + 1), 3)
        rows.append(
            (
                rng.choice(["C", "H", "N", "O"]),
                (refs[0], rng.uniform(0.9, 1.6)),
                (refs[1], rng.uniform(30.0, 150.0)),
                (refs[2], rng.uniform(-180.0, 180.0)),
            )
        )
    return rows


CASES = [
    ("water", water()),
    ("water_hydrogen_first", water_hydrogen_first()),
    ("ammonia", ammonia()),
    ("methane", methane()),
    ("hydrogen_peroxide_120", hydrogen_peroxide(120.0)),
    ("hydrogen_peroxide_minus_60", hydrogen_peroxide(-60.0)),
    ("ethane_staggered", ethane_staggered()),
    ("chain6", chain6()),
    ("linear_triatomic", linear_triatomic()),
    ("linear_in_later_row", linear_in_later_row()),
    ("random_12", random_case(20240611, 12)),
]


def pyscf_zmatrix(rows):
    lines = []
    for symbol, bond, angle, dihedral in rows:
        fields = [symbol]
        for coord in (bond, angle, dihedral):
            if coord is not None:
                fields += [str(coord[0]), repr(float(coord[1]))]
        lines.append(" ".join(fields))
    return "\n".join(lines)


def internal(coord, scale):
    if coord is None:
        return None
    return [coord[0] - 1, coord[1] * scale]


def case_json(name, rows):
    zmat = pyscf_zmatrix(rows)
    nelec = sum(elements.charge(sym) for sym, *_ in rows)
    mol = gto.M(atom=zmat, unit="Angstrom", basis="sto-3g", spin=nelec % 2)
    coords = mol.atom_coords(unit="Bohr")
    assert coords.shape == (len(rows), 3)
    out_rows = []
    for symbol, bond, angle, dihedral in rows:
        out_rows.append(
            {
                "symbol": symbol,
                "bond": internal(bond, 1.0 / param.BOHR),
                "angle": internal(angle, math.pi / 180.0),
                "dihedral": internal(dihedral, math.pi / 180.0),
                "bond_angstrom": internal(bond, 1.0),
                "angle_degrees": internal(angle, 1.0),
                "dihedral_degrees": internal(dihedral, 1.0),
            }
        )
    return {
        "name": name,
        "pyscf_zmatrix": zmat,
        "rows": out_rows,
        "cartesian_bohr": [[float(x) for x in xyz] for xyz in coords],
    }


def main():
    data = {
        "generator": "compiler/tests/geometry_golden/make_zmatrix_golden.py",
        "pyscf_version": pyscf.__version__,
        "bohr_in_angstrom": param.BOHR,
        "units": {
            "bond": "bohr",
            "angle": "radian",
            "dihedral": "radian",
            "references": "0-based",
            "cartesian_bohr": "bohr",
        },
        "cases": [case_json(name, rows) for name, rows in CASES],
    }
    json.dump(data, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

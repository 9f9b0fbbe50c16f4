#!/usr/bin/env python3
"""Check a `qdf run` dataset's points.npz against its points.jsonl with NumPy.

Usage: python3 tests/golden/npz/check_npz.py <run>/<dataset>

Loads the archive exactly as a user would (`np.load`, no pickle) and checks, record by record,
that every array holds the record's value bit for bit (Python's float parsing is correctly
rounded), NaN / -1 / 0 where the record has none, and padding past each record's own size.
For people: CI has no Python; tests/run_npz.rs makes the same comparison in Rust.
"""
import json
import re
import sys
from pathlib import Path

import numpy as np

from pyscf.data.elements import charge as atomic_number


def key(name):
    return re.sub(r"[^A-Za-z0-9_]", "_", name)


def same(actual, expected):
    """Bitwise equality of float arrays, NaN included."""
    a, e = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    return a.shape == e.shape and a.tobytes() == e.tobytes()


def padded(rows, width, fill=np.nan):
    out = np.full((len(rows), width), fill)
    for i, row in enumerate(rows):
        if row is not None:
            out[i, : len(row)] = row
    return out


def main(dataset):
    records = [json.loads(line) for line in (dataset / "points.jsonl").read_text().splitlines()]
    archive = np.load(dataset / "points.npz", allow_pickle=False)
    names = set(archive.files)
    p = len(records)
    checked = set()

    def get(name, dtype):
        array = archive[name]
        assert array.dtype == np.dtype(dtype), f"{name}: dtype {array.dtype}, expected {dtype}"
        assert array.shape[0] == p, f"{name}: {array.shape[0]} rows, expected {p}"
        checked.add(name)
        return array

    assert (get("point", "<i8") == [r["point"] for r in records]).all()
    assert (get("ok", "bool") == [r["status"] == "ok" for r in records]).all()
    assert list(get("molecule", archive["molecule"].dtype)) == [r["molecule"] for r in records]
    for field in ["charge", "multiplicity", "active_electrons", "active_orbitals", "qubits"]:
        assert (get(field, "<i8") == [r[field] for r in records]).all(), field

    atoms = max(len(r["symbols"]) for r in records)
    numbers = padded([[atomic_number(s) for s in r["symbols"]] for r in records], atoms, 0).astype(np.int64)
    assert (get("atomic_numbers", "<i8") == numbers).all()
    positions = np.full((p, atoms, 3), np.nan)
    for i, r in enumerate(records):
        positions[i, : len(r["positions_bohr"])] = r["positions_bohr"]
    assert same(get("positions_bohr", "<f8"), positions)

    def column(prefix, pairs_of):
        seen = []
        for r in records:
            for name, _ in pairs_of(r):
                if name not in seen:
                    seen.append(name)
        for name in seen:
            values = [dict(pairs_of(r)).get(name, np.nan) for r in records]
            assert same(get(f"{prefix}_{key(name)}", "<f8"), values), f"{prefix}_{name}"

    column("energy", lambda r: r["energies"])
    column("scan", lambda r: r["scan"])

    vqe = [r.get("vqe") for r in records]
    if any(v is not None for v in vqe):
        k = max(len(v["params"]) for v in vqe if v is not None)
        assert same(get("vqe_params", "<f8"), padded([v and v["params"] for v in vqe], k))
        assert same(get("vqe_gradient_norm", "<f8"), [v["gradient_norm"] if v else np.nan for v in vqe])
        assert (get("vqe_iterations", "<i8") == [v["iterations"] if v else -1 for v in vqe]).all()
        assert (get("vqe_converged", "bool") == [bool(v and v["converged"]) for v in vqe]).all()
        for field in ["standard_error", "noiseless_energy"]:
            if any(v and field in v for v in vqe):
                assert same(get(f"vqe_{field}", "<f8"), [v.get(field, np.nan) if v else np.nan for v in vqe])
        for field in ["shots", "evaluations"]:
            if any(v and field in v for v in vqe):
                assert (get(f"vqe_{field}", "<i8") == [v.get(field, -1) if v else -1 for v in vqe]).all()

    props = [r.get("properties", {}) for r in records]
    dipole_methods = []
    for pr in props:
        for m, _ in pr.get("dipoles", []):
            if m not in dipole_methods:
                dipole_methods.append(m)
    for m in dipole_methods:
        values = [dict(pr.get("dipoles", [])).get(m, [np.nan] * 3) for pr in props]
        assert same(get(f"dipole_{key(m)}", "<f8"), values), m
    if any("rdm1" in pr for pr in props):
        n = max(len(pr["rdm1"]) for pr in props if "rdm1" in pr)
        want = np.full((p, n, n), np.nan)
        for i, pr in enumerate(props):
            if "rdm1" in pr:
                m = len(pr["rdm1"])
                want[i, :m, :m] = pr["rdm1"]
        assert same(get("rdm1", "<f8"), want)
    if any("rdm2" in pr for pr in props):
        sizes = [round(len(pr.get("rdm2", [])) ** 0.25) for pr in props]
        n = max(sizes)
        want = np.full((p, n, n, n, n), np.nan)
        for i, pr in enumerate(props):
            if "rdm2" in pr:
                m = sizes[i]
                want[i, :m, :m, :m, :m] = np.reshape(pr["rdm2"], (m, m, m, m))
        assert same(get("rdm2", "<f8"), want)
    if any("spin_square" in pr for pr in props):
        assert same(get("spin_square", "<f8"), [pr.get("spin_square", np.nan) for pr in props])
    if any("natural_occupations" in pr for pr in props):
        width = max(len(pr["natural_occupations"]) for pr in props if "natural_occupations" in pr)
        assert same(get("natural_occupations", "<f8"), padded([pr.get("natural_occupations") for pr in props], width))

    assert names == checked, f"arrays not checked: {sorted(names - checked)}"
    print(f"{dataset / 'points.npz'}: {len(names)} arrays x {p} points match points.jsonl")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))

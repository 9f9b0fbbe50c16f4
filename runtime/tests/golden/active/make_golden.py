#!/usr/bin/env python3
"""Regenerates the golden files for runtime/tests/active_fci_jw.rs.

Run from anywhere with single-threaded BLAS (PySCF's orbitals can flip sign between threaded runs):

    OMP_NUM_THREADS=1 python3 runtime/tests/golden/active/make_golden.py

or, for a larger timing case that is not committed (see the ignored test `fci_benchmark`):

    python3 runtime/tests/golden/active/make_golden.py --bench /tmp/bench.json NCAS NELECAS

Needs `pip install pyscf openfermion` (checked with PySCF 2.14, OpenFermion 1.8). Each case file
holds, for one molecule, geometry and active space:

- `nao`, `hcore` (nao², row-major), `eri` (nao⁴, chemists' (μν|λσ), row-major), `e_nuc`;
- `mo_coeff` (nao × nmo, row-major, columns are MOs) after the sign convention below;
- `core`, `active` (0-based MO indices), `n_alpha`, `n_beta` (active electrons);
- PySCF: `e_rhf`; CASCI: `e_casci`, `ecore`, `h1eff` (ncas²), `h2eff` (ncas⁴, unpacked), `rdm1` (spin-summed);
- `jw`: OpenFermion's jordan_wigner(get_fermion_operator(InteractionOperator)) of the active space,
  as [string, coefficient] pairs, string as OpenFermion prints it ("X0 Y1 Z3", "" for identity).

Cases marked `active_only` carry no AO data: only the active-space Hamiltonian, the CASCI energy and
the 1-RDM (a larger CASCI to exercise the Davidson solver without a big ERI file).

MO sign convention (shared with the Rust RHF, `chem::scf::fix_orbital_signs`): each MO's
largest-magnitude coefficient is positive. Magnitudes within 1e-6 of the largest tie (e.g. H2's
σu = (c, −c)) and the lowest AO index among them wins, so rounding noise cannot pick the pivot.
"""
import json
import os
import sys

import numpy as np
from pyscf import ao2mo, gto, mcscf, scf
from openfermion import InteractionOperator, get_fermion_operator, jordan_wigner

HERE = os.path.dirname(os.path.abspath(__file__))


def fix_signs(mo):
    mo = mo.copy()
    for k in range(mo.shape[1]):
        col = np.abs(mo[:, k])
        pivot = np.flatnonzero(col >= col.max() - 1e-6)[0]
        if mo[pivot, k] < 0:
            mo[:, k] *= -1
    return mo


def spinorb(h1, eri):
    """OpenFermion's spinorb_from_spatial without its 1e-8 truncation (which would make the
    comparison at 1e-10 meaningless). `eri` is chemists' (pq|rs); OpenFermion's two-body tensor
    is t[p,q,r,s] = (ps|qr) for a†p a†q ar as."""
    n = h1.shape[0]
    t = eri.transpose(0, 2, 3, 1)
    one = np.zeros((2 * n, 2 * n))
    two = np.zeros((2 * n,) * 4)
    for a in range(2):
        one[a::2, a::2] = h1
        for b in range(2):
            # a†_{p,a} a†_{q,b} a_{r,b} a_{s,a}
            two[a::2, b::2, b::2, a::2] = t
    return one, two


def jw_terms(ecore, h1, eri):
    one, two = spinorb(h1, eri)
    op = InteractionOperator(ecore, one, 0.5 * two)
    qubit = jordan_wigner(get_fermion_operator(op))
    qubit.compress(1e-12)
    terms = []
    for term, coeff in sorted(qubit.terms.items()):
        assert abs(coeff.imag) < 1e-12, (term, coeff)
        terms.append([" ".join(f"{p}{q}" for q, p in term), float(coeff.real)])
    return terms


def flat(a):
    return [float(x) for x in np.asarray(a).ravel()]


def case(name, atom, basis, ncas, nelecas, active_only=False, jw=True):
    mol = gto.M(atom=atom, basis=basis, unit="Angstrom", verbose=0)
    mf = scf.RHF(mol)
    mf.conv_tol = 1e-12
    mf.kernel()
    assert mf.converged, name
    mo = fix_signs(mf.mo_coeff)
    mc = mcscf.CASCI(mf, ncas, nelecas)
    mc.verbose = 0
    mc.fcisolver.conv_tol = 1e-14
    ncore = mc.ncore
    core = list(range(ncore))
    active = list(range(ncore, ncore + ncas))
    e = mf.mo_energy
    # A cut through a degenerate pair would make the active space depend on the rotation.
    if ncore > 0:
        assert e[ncore] - e[ncore - 1] > 1e-6, name
    if ncore + ncas < len(e):
        assert e[ncore + ncas] - e[ncore + ncas - 1] > 1e-6, name
    e_casci = mc.kernel(mo)[0]
    h1, ecore = mc.get_h1eff(mo)
    h2 = ao2mo.restore(1, mc.get_h2eff(mo), ncas)
    na, nb = mc.nelecas
    rdm1 = mc.fcisolver.make_rdm1(mc.ci, ncas, mc.nelecas)
    out = {
        "name": name,
        "atom": atom,
        "basis": basis,
        "core": core,
        "active": active,
        "n_alpha": int(na),
        "n_beta": int(nb),
        "e_rhf": float(mf.e_tot),
        "e_casci": float(e_casci),
        "ecore": float(ecore),
        "h1eff": flat(h1),
        "h2eff": flat(h2),
        "rdm1": flat(rdm1),
    }
    if not active_only:
        out.update(
            nao=mol.nao,
            nmo=mo.shape[1],
            e_nuc=float(mol.energy_nuc()),
            hcore=flat(mf.get_hcore()),
            eri=flat(mol.intor("int2e")),
            mo_coeff=flat(mo),
        )
    if jw:
        out["jw"] = jw_terms(ecore, h1, h2)
    path = os.path.join(HERE, f"{name}.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    print(f"{name}: E_CASCI = {e_casci:.12f}, {len(out.get('jw', []))} JW terms", file=sys.stderr)


def h2o(r_oh, theta_deg):
    t = np.radians(theta_deg) / 2
    return (
        f"O 0 0 0; H 0 {r_oh * np.sin(t):.10f} {r_oh * np.cos(t):.10f}; "
        f"H 0 {-r_oh * np.sin(t):.10f} {r_oh * np.cos(t):.10f}"
    )


def bench(path, ncas, nelecas):
    """A larger active-only case for timing (not committed): N2/cc-pVDZ at 1.2 Å, PySCF's CASCI
    energy and wall time included. Used by the ignored test `fci_benchmark`."""
    import time

    mol = gto.M(atom="N 0 0 0; N 0 0 1.2", basis="cc-pvdz", verbose=0)
    mf = scf.RHF(mol)
    mf.conv_tol = 1e-12
    mf.kernel()
    mo = fix_signs(mf.mo_coeff)
    mc = mcscf.CASCI(mf, ncas, nelecas)
    mc.verbose = 0
    mc.fcisolver.conv_tol = 1e-12
    start = time.time()
    e = mc.kernel(mo)[0]
    seconds = time.time() - start
    h1, ecore = mc.get_h1eff(mo)
    h2 = ao2mo.restore(1, mc.get_h2eff(mo), ncas)
    na, nb = mc.nelecas
    out = {
        "name": f"n2_ccpvdz_cas{nelecas}_{ncas}",
        "n_alpha": int(na),
        "n_beta": int(nb),
        "e_casci": float(e),
        "pyscf_seconds": seconds,
        "ecore": float(ecore),
        "h1eff": flat(h1),
        "h2eff": flat(h2),
    }
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"{out['name']}: E_CASCI = {e:.12f} in {seconds:.1f} s (PySCF, {os.environ.get('OMP_NUM_THREADS')} threads)")


def main():
    if len(sys.argv) == 5 and sys.argv[1] == "--bench":
        bench(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
        return
    if os.environ.get("OMP_NUM_THREADS") != "1":
        sys.exit("run with OMP_NUM_THREADS=1")
    case("h2_0.74", "H 0 0 0; H 0 0 0.74", "sto-3g", 2, 2)
    case("h2_1.50", "H 0 0 0; H 0 0 1.50", "sto-3g", 2, 2)
    # LiH: Li 1s frozen, (2e, 4o) above it; and the full (4e, 6o) space.
    case("lih_1.60_cas24", "Li 0 0 0; H 0 0 1.60", "sto-3g", 4, 2)
    case("lih_3.00_cas24", "Li 0 0 0; H 0 0 3.00", "sto-3g", 4, 2)
    case("lih_1.60_full", "Li 0 0 0; H 0 0 1.60", "sto-3g", 6, 4)
    # H2O: (4e, 4o) around the Fermi level at equilibrium and stretched; the full (10e, 7o) space.
    case("h2o_eq_cas44", h2o(0.9572, 104.52), "sto-3g", 4, 4)
    case("h2o_stretched_cas44", h2o(1.5, 104.52), "sto-3g", 4, 4)
    case("h2o_eq_full", h2o(0.9572, 104.52), "sto-3g", 7, 10)
    # A larger CASCI, (8e, 8o) in 6-31G, for the Davidson solver (no AO data, no JW terms).
    case("h2o_631g_cas88", h2o(1.2, 104.52), "6-31g", 8, 8, active_only=True, jw=False)


if __name__ == "__main__":
    main()

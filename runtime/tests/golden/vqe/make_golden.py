#!/usr/bin/env python3
"""Regenerate runtime/tests/golden/vqe/*.json, the PySCF + OpenFermion reference data that
`cargo test -p qdf-runtime --test vqe` checks the simulator, the UCCSD ansatz and VQE against.

CI has no Python, so the JSON files are committed; rerun this script (needs
`pip install pyscf openfermion`) when the systems or the conventions below change.

    python3 runtime/tests/golden/vqe/make_golden.py

What each file records
----------------------
* ``n_spatial``, ``n_alpha``, ``n_beta``, ``n_qubits``: the active space.
* ``e_hf``: the PySCF RHF total energy (Hartree).
* ``e_fci``: the exact ground-state energy in the active space (PySCF FCI, or CASCI with
  the frozen core), total energy including nuclear repulsion and the frozen-core energy.
* ``terms``: the Jordan-Wigner qubit Hamiltonian as ``[string, coefficient]`` pairs, the
  string printed like OpenFermion (``"X0 Y1 Z3"``, ``""`` for the identity).
* ``core_energy``, ``h1``, ``eri``: the active-space Hamiltonian the terms were mapped from,
  for tests that map it themselves (other mappings, tapering): the constant (nuclear
  repulsion plus frozen-core energy), the one-electron integrals as ``n_spatial`` rows, and
  the chemists'-notation two-electron integrals (pq|rs) flattened row-major (index
  ``((p*n + q)*n + r)*n + s``).

Conventions (shared with runtime/src/qubit and runtime/src/sim):
* Spin orbitals interleaved as in OpenFermion: spin orbital 2p is spatial orbital p alpha,
  2p+1 is p beta; qubit j is spin orbital j; ``a_j^dagger = (X_j - i Y_j)/2 Z_{j-1}..Z_0``.
* MO signs are fixed before the integrals are transformed: in each MO the coefficient of
  largest magnitude is made positive (ties, as in H2 where both atoms carry the same
  magnitude, go to the lowest AO index: the first AO whose |C| is within 1e-6 of the
  maximum). Fixed signs make the Hamiltonian, and so VQE parameters, continuous along a
  scan, which is what a warm start from a neighbouring geometry relies on.

Checks done here before writing: the lowest eigenvalue of the qubit Hamiltonian in the
(n_alpha, n_beta) sector equals ``e_fci``, and the Hartree-Fock determinant's energy
equals ``e_hf``.
"""

import json
from pathlib import Path

import numpy as np
import openfermion as of
from pyscf import ao2mo, fci, gto, mcscf, scf

HERE = Path(__file__).resolve().parent

# name -> (atoms in angstrom, number of frozen core spatial orbitals, active spatial orbitals)
SYSTEMS = {
    "h2_0.74": ("H 0 0 0; H 0 0 0.74", 0, 2),
    "h2_2.0": ("H 0 0 0; H 0 0 2.0", 0, 2),
    "lih_1.6": ("Li 0 0 0; H 0 0 1.6", 1, 4),
    # A neighbour of lih_1.6 for the warm-start test.
    "lih_1.7": ("Li 0 0 0; H 0 0 1.7", 1, 4),
    "h4_1.0": ("H 0 0 0; H 0 0 1.0; H 0 0 2.0; H 0 0 3.0", 0, 4),
}


def fix_mo_signs(mo_coeff):
    c = mo_coeff.copy()
    for p in range(c.shape[1]):
        mags = np.abs(c[:, p])
        first = int(np.nonzero(mags > mags.max() - 1e-6)[0][0])
        if c[first, p] < 0:
            c[:, p] *= -1
    return c


def pauli_string(term):
    return " ".join(f"{p}{q}" for q, p in sorted(term))


def build(atoms, n_core, n_active):
    mol = gto.M(atom=atoms, basis="sto-3g", unit="angstrom", charge=0, spin=0, verbose=0)
    mf = scf.RHF(mol)
    mf.conv_tol = 1e-12
    mf.kernel()
    assert mf.converged
    mo = fix_mo_signs(mf.mo_coeff)

    n_elec_active = mol.nelectron - 2 * n_core
    cas = mcscf.CASCI(mf, n_active, n_elec_active)
    cas.fcisolver.conv_tol = 1e-12
    cas.verbose = 0
    e_cas = cas.kernel(mo)[0]
    h1, e_core = cas.get_h1eff(mo)
    eri = cas.get_h2eff(mo)
    eri = ao2mo.restore(1, eri, n_active)  # chemist's (pq|rs), full 4-index
    if n_core == 0 and n_active == mol.nao:
        e_fci = fci.FCI(mf, mo).kernel()[0]
        assert abs(e_fci - e_cas) < 1e-9

    # OpenFermion's two-body tensor is <pq|sr>-ordered: T[p,q,r,s] = (ps|qr).
    two_body = np.asarray(eri.transpose(0, 2, 3, 1), order="C")
    one_so, two_so = of.chem.molecular_data.spinorb_from_spatial(h1, two_body)
    op = of.InteractionOperator(e_core, one_so, 0.5 * two_so)
    qubit = of.jordan_wigner(op)
    qubit.compress(1e-12)

    n_qubits = 2 * n_active
    n_alpha = n_beta = n_elec_active // 2
    terms = []
    for term, coeff in sorted(qubit.terms.items(), key=lambda kv: (len(kv[0]), kv[0])):
        assert abs(np.imag(coeff)) < 1e-12
        terms.append([pauli_string(term), float(np.real(coeff))])

    # Check: exact ground state in the particle-number sector and the HF determinant energy.
    sparse = of.get_sparse_operator(qubit, n_qubits=n_qubits)
    e_sector, _ = of.jw_get_ground_state_at_particle_number(sparse, n_elec_active)
    assert abs(e_sector - e_cas) < 1e-8, (e_sector, e_cas)
    hf_occ = [2 * p for p in range(n_alpha)] + [2 * p + 1 for p in range(n_beta)]
    hf = of.jw_configuration_state(hf_occ, n_qubits)
    e_det = float(np.real(np.vdot(hf, sparse @ hf)))
    assert abs(e_det - mf.e_tot) < 1e-8, (e_det, mf.e_tot)

    return {
        "atoms_angstrom": atoms,
        "basis": "sto-3g",
        "frozen_core_orbitals": n_core,
        "n_spatial": n_active,
        "n_alpha": n_alpha,
        "n_beta": n_beta,
        "n_qubits": n_qubits,
        "e_hf": float(mf.e_tot),
        "e_fci": float(e_cas),
        "terms": terms,
        "core_energy": float(e_core),
        "h1": [[float(x) for x in row] for row in h1],
        "eri": [float(x) for x in eri.reshape(-1)],
    }


def main():
    for name, (atoms, n_core, n_active) in SYSTEMS.items():
        data = build(atoms, n_core, n_active)
        path = HERE / f"{name}.json"
        with open(path, "w") as f:
            json.dump(data, f, indent=1)
            f.write("\n")
        print(f"{path.name}: {len(data['terms'])} terms, e_hf={data['e_hf']:.10f} e_fci={data['e_fci']:.10f}")


if __name__ == "__main__":
    main()

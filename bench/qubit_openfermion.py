#!/usr/bin/env python3
"""OpenFermion twin of runtime/examples/bench_qubit.rs: builds and Jordan–Wigner-maps the molecular
Hamiltonian of an FCIDUMP's integrals, fastest of REPEATS runs.

    python3 bench/qubit_openfermion.py --make PATH     # water/6-31G, full space (13 orbitals) → PATH
    python3 bench/qubit_openfermion.py PATH [REPEATS]

`--make` runs PySCF RHF on water (bench_fci.py's geometry, Å) in the shipped 6-31G file
(stdlib/basis/6-31g.nw) and writes all MO integrals with `tools.fcidump.from_scf`.

The timed path is the one the issue names, from the spatial integrals:
`spinorb_from_spatial` → `InteractionOperator(core, one, ½ two)` → `get_fermion_operator` →
`jordan_wigner`. Prints `jw <s>` and `terms <n>`, then, for reference, OpenFermion's direct
`jordan_wigner(InteractionOperator)` path (`jw_direct <s>`, built from the same operator and
checked to give the same terms). OpenFermion drops terms below 1e-8 as it sums.
"""
import sys
import time
from pathlib import Path

from openfermion import InteractionOperator, get_fermion_operator, jordan_wigner
from openfermion.chem.molecular_data import spinorb_from_spatial
from pyscf import ao2mo, gto, scf
from pyscf.tools import fcidump

BASIS = Path(__file__).resolve().parents[1] / "stdlib" / "basis" / "6-31g.nw"


def make(path):
    text = BASIS.read_text(encoding="ascii")
    basis = {s: gto.basis.parse(text, symb=s) for s in ("O", "H")}
    mol = gto.M(atom="O 0 0 0.1173; H 0 0.7572 -0.4692; H 0 -0.7572 -0.4692", basis=basis, verbose=0)
    mf = scf.RHF(mol).run(conv_tol=1e-12)
    fcidump.from_scf(mf, path)
    print(f"orbitals\t{mf.mo_coeff.shape[1]}\nenergy\t{mf.e_tot:.12f}")


def interaction_operator(data):
    norb = data["NORB"]
    eri = ao2mo.restore(1, data["H2"], norb)
    one, two = spinorb_from_spatial(data["H1"], eri.transpose(0, 2, 3, 1))
    return InteractionOperator(data["ECORE"], one, 0.5 * two)


def run(path, repeats):
    data = fcidump.read(path, verbose=False)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        qubit = jordan_wigner(get_fermion_operator(interaction_operator(data)))
        best = min(best, time.perf_counter() - start)
    print(f"jw\t{best:.4f}\nterms\t{len(qubit.terms)}")
    best_direct = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        direct = jordan_wigner(interaction_operator(data))
        best_direct = min(best_direct, time.perf_counter() - start)
    direct.compress(1e-8)
    assert len(direct.terms) == len(qubit.terms), (len(direct.terms), len(qubit.terms))
    print(f"jw_direct\t{best_direct:.4f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--make":
        make(sys.argv[2])
    elif len(sys.argv) in (2, 3):
        run(sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 3)
    else:
        sys.exit(__doc__)

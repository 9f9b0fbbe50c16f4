#!/usr/bin/env python3
"""PySCF twin of bench_fci.rs: times `fci.direct_spin1` on an FCIDUMP (fastest of REPEATS runs).

    python3 runtime/examples/bench_fci.py --make PATH     # water/cc-pVDZ CAS(10e, 10o) → PATH
    python3 runtime/examples/bench_fci.py PATH [REPEATS]

`--make` builds the issue's benchmark: water (bench_scf.rs's geometry, Å) in the shipped
cc-pVDZ file (stdlib/basis/cc-pvdz.nw), RHF, `mcscf.CASCI(mf, 10, 10)`; it prints the CASCI wall
time (integral transformation included) and writes the active integrals with
`tools.fcidump.from_integrals`. The solve uses PySCF's default convergence (energy change
1e-10); energies agree with qdf's to ~1e-9. Set OMP_NUM_THREADS to the thread count being compared.
"""
import sys
import time
from pathlib import Path

from pyscf import ao2mo, fci, gto, mcscf, scf
from pyscf.tools import fcidump

BASIS = Path(__file__).resolve().parents[2] / "stdlib" / "basis" / "cc-pvdz.nw"


def make(path):
    text = BASIS.read_text(encoding="ascii")
    basis = {s: gto.basis.parse(text, symb=s) for s in ("O", "H")}
    mol = gto.M(atom="O 0 0 0.1173; H 0 0.7572 -0.4692; H 0 -0.7572 -0.4692", basis=basis, verbose=0)
    mf = scf.RHF(mol).run(conv_tol=1e-12)
    mc = mcscf.CASCI(mf, 10, 10)
    mc.verbose = 0
    start = time.perf_counter()
    e = mc.kernel()[0]
    seconds = time.perf_counter() - start
    h1, ecore = mc.get_h1eff()
    h2 = mc.get_h2eff()
    fcidump.from_integrals(path, h1, h2, 10, 10, nuc=ecore, ms=0)
    print(f"casci\t{seconds:.3f}\nenergy\t{e:.12f}")


def run(path, repeats):
    data = fcidump.read(path, verbose=False)
    norb, nelec, ms2 = data["NORB"], data["NELEC"], data.get("MS2", 0)
    h2 = ao2mo.restore(1, data["H2"], norb)
    nelecs = ((nelec + ms2) // 2, (nelec - ms2) // 2)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        solver = fci.direct_spin1.FCI()
        e, _ = solver.kernel(data["H1"], h2, norb, nelecs, ecore=data["ECORE"])
        best = min(best, time.perf_counter() - start)
    print(f"fci\t{best:.3f}\nenergy\t{e:.12f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--make":
        make(sys.argv[2])
    elif len(sys.argv) in (2, 3):
        run(sys.argv[1], int(sys.argv[2]) if len(sys.argv) == 3 else 3)
    else:
        sys.exit(__doc__)

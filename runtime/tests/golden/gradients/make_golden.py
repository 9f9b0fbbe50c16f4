"""Analytic nuclear gradients from PySCF for `record = [gradients]` (tests/run.rs compares the
finite differences of `qdf run` with them). LiH in STO-3G at 1.6 angstrom, all electrons
correlated by MP2, CCSD and CCSD(T), and CASCI in a (2e, 2o) space (Li 1s inactive): gradients
in hartree/bohr, in the atom order of tests/fixtures/lih_gradients.qdf.

CCSD(T) is the exception: PySCF's `grad.ccsd_t` differs from the derivative of its own CCSD(T)
energy (`e_tot + ccsd_t()`) by 4.5e-6 hartree/bohr here, as differences of those energies show,
so the golden takes the derivative of PySCF's energies by a fourth-order central difference
(step 2e-3 bohr, error ~1e-10). Run: python3 make_golden.py > gradients.json"""
import json

import pyscf
from pyscf import cc, gto, mcscf, mp, scf

mol = gto.M(atom="Li 0 0 0; H 0 0 1.6", basis="sto-3g", unit="Angstrom", verbose=0)
mf = scf.RHF(mol)
mf.conv_tol = 1e-12
mf.kernel()

out = {"pyscf": pyscf.__version__, "molecule": "LiH, sto-3g, 1.6 angstrom, all-electron MP2/CC, CAS(2e, 2o)"}
out["hf"] = mf.nuc_grad_method().kernel().tolist()

pt = mp.MP2(mf)
pt.kernel()
out["mp2"] = pt.nuc_grad_method().kernel().tolist()

cc_solver = cc.CCSD(mf)
cc_solver.conv_tol = 1e-11
cc_solver.conv_tol_normt = 1e-8
cc_solver.kernel()
out["ccsd"] = cc_solver.nuc_grad_method().kernel().tolist()
def ccsd_t_energy(coords):
    m = gto.M(atom=[("Li", coords[0]), ("H", coords[1])], basis="sto-3g", unit="Bohr", verbose=0)
    hf = scf.RHF(m)
    hf.conv_tol = 1e-12
    hf.kernel()
    solver = cc.CCSD(hf)
    solver.conv_tol = 1e-11
    solver.conv_tol_normt = 1e-8
    solver.kernel()
    return solver.e_tot + solver.ccsd_t()


coords = mol.atom_coords()
step = 2e-3
ccsd_t = []
for atom in range(2):
    row = []
    for axis in range(3):
        def at(d):
            moved = coords.copy()
            moved[atom, axis] += d
            return ccsd_t_energy(moved)
        row.append((-at(2 * step) + 8 * at(step) - 8 * at(-step) + at(-2 * step)) / (12 * step))
    ccsd_t.append(row)
out["ccsd_t"] = ccsd_t

cas = mcscf.CASCI(mf, 2, 2)
cas.kernel()
out["casci"] = cas.nuc_grad_method().kernel().tolist()

print(json.dumps(out, indent=1))

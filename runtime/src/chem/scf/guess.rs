//! The superposition-of-atomic-densities (SAD) guess, PySCF's `init_guess='atom'`
//! (`scf.atom_hf`): every neutral atom is solved once by a spherically averaged, spin-restricted
//! Hartree–Fock in its own basis, and the molecular guess is the block-diagonal sum of those
//! densities. It holds every electron of the neutral atoms (a charged molecule's first Fock
//! build simply sees the neutral density), is free of any orbital guess, and lands open shells in
//! the usual ground state.
//!
//! Failure contract: only the linear-algebra errors of [`ScfError`] (a linearly dependent atomic
//! basis, an eigensolver failure).

use ndarray::{s, Array2, Array4};

use super::diis::Diis;
use super::linalg::{diagonalise, inverse_sqrt, trace_product};
use super::ScfError;
use crate::chem::basis::{AoBasis, Shell};
use crate::chem::integrals::{electron_repulsion, one_electron, AoIntegrals, OneElectron};
use crate::chem::jk::coulomb_exchange;
use crate::chem::Atom;

/// The SAD guess: the total AO density (`nao × nao`), block-diagonal over atoms. Each element is
/// solved once.
pub fn atomic_guess(basis: &AoBasis) -> Result<Array2<f64>, ScfError> {
    sad(basis, None)
}

/// [`atomic_guess`] reading each atom's `(μν|λσ)` from the molecule's integrals `ints` (of
/// `basis`) instead of recomputing them: the one-centre block is the same integrals.
pub(super) fn atomic_guess_from(basis: &AoBasis, ints: &AoIntegrals) -> Result<Array2<f64>, ScfError> {
    sad(basis, Some(&ints.eri))
}

fn sad(basis: &AoBasis, molecular_eri: Option<&Array4<f64>>) -> Result<Array2<f64>, ScfError> {
    let mut p = Array2::zeros((basis.nao, basis.nao));
    let mut solved: Vec<(u8, Array2<f64>)> = Vec::new();
    for (index, atom) in basis.atoms.iter().enumerate() {
        let shells: Vec<&Shell> = basis.shells.iter().filter(|s| s.atom == index).collect();
        let Some(first) = shells.first() else { continue };
        let offset = first.ao_offset;
        let position = match solved.iter().position(|(z, _)| *z == atom.z) {
            Some(position) => position,
            None => {
                let eri = match molecular_eri {
                    Some(eri) => {
                        let n: usize = shells.iter().map(|s| s.ao_count()).sum();
                        let block = offset..offset + n;
                        Some(eri.slice(s![block.clone(), block.clone(), block.clone(), block]).to_owned())
                    }
                    None => None,
                };
                solved.push((atom.z, atomic_density(atom.z, &shells, eri)?));
                solved.len() - 1
            }
        };
        let density = &solved[position].1;
        let n = density.nrows();
        p.slice_mut(s![offset..offset + n, offset..offset + n]).assign(density);
    }
    Ok(p)
}

/// Electrons per angular momentum (s, p, d, f) of the neutral atom `z` by the Madelung
/// (aufbau) order, which is PySCF's `NRSRHF_CONFIGURATION` for every element with only s and p
/// valence shells.
fn electrons_per_l(z: u8) -> [u32; 4] {
    // (l, capacity) in Madelung order, up to 7p.
    const ORDER: [(usize, u32); 19] = [
        (0, 2),
        (0, 2),
        (1, 6),
        (0, 2),
        (1, 6),
        (0, 2),
        (2, 10),
        (1, 6),
        (0, 2),
        (2, 10),
        (1, 6),
        (0, 2),
        (3, 14),
        (2, 10),
        (1, 6),
        (0, 2),
        (3, 14),
        (2, 10),
        (1, 6),
    ];
    let mut left = u32::from(z);
    let mut out = [0; 4];
    for (l, capacity) in ORDER {
        let take = left.min(capacity);
        out[l] += take;
        left -= take;
    }
    out
}

/// Spherically averaged, spin-restricted atomic Hartree–Fock with fractional occupations: each
/// angular momentum's electrons fill its radial orbitals from the bottom, shared equally over
/// the `2l + 1` components, so the density stays spherical and the Fock matrix block-diagonal in
/// `(l, m)`. Returns the total density in the atom's AO order. `eri`: the atom's `(μν|λσ)` if
/// already known, else computed here.
fn atomic_density(z: u8, shells: &[&Shell], eri: Option<Array4<f64>>) -> Result<Array2<f64>, ScfError> {
    let mut nao = 0;
    let mut atom_shells = Vec::with_capacity(shells.len());
    for shell in shells {
        atom_shells.push(Shell { atom: 0, center: [0.0; 3], ao_offset: nao, ..(*shell).clone() });
        nao += shell.ao_count();
    }
    let atom_basis =
        AoBasis { name: String::new(), atoms: vec![Atom { z, position: [0.0; 3] }], shells: atom_shells, nao };
    let OneElectron { overlap, kinetic, nuclear } = one_electron(&atom_basis);
    let hcore = kinetic + nuclear;
    let eri = eri.unwrap_or_else(|| electron_repulsion(&atom_basis));
    let electrons = electrons_per_l(z);

    // Per angular momentum: the AO indices of each component m, radial function by radial function.
    let mut channels: Vec<(usize, Vec<Vec<usize>>)> = Vec::new();
    for l in 0..=3_u8 {
        let of_l: Vec<&Shell> = atom_basis.shells.iter().filter(|s| s.l == l).collect();
        if of_l.is_empty() {
            continue;
        }
        let components = (0..2 * usize::from(l) + 1).map(|m| of_l.iter().map(|s| s.ao_offset + m).collect()).collect();
        channels.push((usize::from(l), components));
    }

    let occupied_density = |f: &Array2<f64>| -> Result<Array2<f64>, ScfError> {
        let mut p = Array2::zeros((nao, nao));
        for (l, components) in &channels {
            let indices = &components[0];
            let block = |m: &Array2<f64>| {
                Array2::from_shape_fn((indices.len(), indices.len()), |(i, j)| m[[indices[i], indices[j]]])
            };
            let x = inverse_sqrt(&block(&overlap))?;
            let (_, c) = diagonalise(&block(f), &x)?;
            let capacity = 2.0 * (2 * l + 1) as f64;
            let mut left = f64::from(electrons[*l]);
            for k in 0..c.ncols() {
                if left <= 0.0 {
                    break;
                }
                let occupation = left.min(capacity);
                left -= occupation;
                let per_component = occupation / (2 * l + 1) as f64;
                for component in components {
                    for (i, &mu) in component.iter().enumerate() {
                        for (j, &nu) in component.iter().enumerate() {
                            p[[mu, nu]] += per_component * c[[i, k]] * c[[j, k]];
                        }
                    }
                }
            }
        }
        Ok(p)
    };

    let mut p = occupied_density(&hcore)?;
    let mut diis = Diis::new(8);
    let mut previous = f64::INFINITY;
    for _ in 0..100 {
        let (j, k) = coulomb_exchange(&eri, &p);
        let f = &hcore + &j - &(k * 0.5);
        let energy = 0.5 * trace_product(&p, &(&hcore + &f));
        if (energy - previous).abs() < 1e-10 {
            break;
        }
        previous = energy;
        let fps = f.dot(&p).dot(&overlap);
        let error = &fps - &fps.t();
        let extrapolated = diis.extrapolate(vec![f], vec![error]);
        p = occupied_density(&extrapolated[0])?;
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aufbau_configurations() {
        assert_eq!(electrons_per_l(1), [1, 0, 0, 0]);
        assert_eq!(electrons_per_l(8), [4, 4, 0, 0]);
        assert_eq!(electrons_per_l(20), [8, 12, 0, 0]);
        assert_eq!(electrons_per_l(36), [8, 18, 10, 0]);
    }

    #[test]
    fn the_guess_holds_every_electron_of_the_neutral_atoms() {
        let atoms = [
            Atom { z: 8, position: [0.0; 3] },
            Atom { z: 1, position: [0.0, 1.43, 1.1] },
            Atom { z: 1, position: [0.0, -1.43, 1.1] },
        ];
        let basis = AoBasis::new(&atoms, "6-31g").expect("defined");
        let ints = AoIntegrals::new(&basis);
        let p = atomic_guess(&basis).expect("atoms converge");
        assert!((trace_product(&p, &ints.overlap) - 10.0).abs() < 1e-10);
        let reused = atomic_guess_from(&basis, &ints).expect("atoms converge");
        assert!((&p - &reused).iter().all(|d| d.abs() < 1e-10));
    }
}

//! The unitary coupled-cluster family: UCCSD (spin-orbital or singlet spin-adapted) and
//! k-UpCCGSD, as Trotterised products of exponentiated excitations on the Hartree–Fock state.
//!
//! **UCCSD.** Spin-orbital: every spin-conserving occupied → virtual single and double
//! ([`excitation::singles`], [`excitation::doubles`]), one parameter each (H2/STO-3G: 3; LiH in
//! (2e, 4o): 15; H4 in (4e, 4o): 26). Singlet spin-adapted (closed shells only), one parameter
//! per spin-summed operator: singles `E_ai − E_ia` with `E_ai = Σ_σ a_aσ† a_iσ`, and doubles
//! `E_ai E_bj − h.c.` for every unordered pair of occupied → virtual spatial pairs
//! `{(i, a), (j, b)}` (the pair repeated included), which spans both singlet couplings of each
//! double; `n_o n_v` singles and `n_o n_v (n_o n_v + 1)/2` doubles (H2: 2; LiH (2e, 4o): 9;
//! H4 (4e, 4o): 14). This is the operator set of OpenFermion's `uccsd_singlet_generator`; each
//! spin-summed operator is applied as the product of its spin-orbital excitations sharing the
//! parameter. `ordering` puts singles or doubles first; `trotter_steps = n` repeats the whole
//! product `n` times with every angle divided by `n`.
//!
//! **k-UpCCGSD** (Lee, Huggins, Head-Gordon and Whaley, J. Chem. Theory Comput. 15, 311 (2019)):
//! `k` layers, each with its own parameters, of generalised paired doubles
//! `a_qα† a_qβ† a_pβ a_pα` and generalised spin-conserving singles `a_qσ† a_pσ` over all spatial
//! pairs `p < q` (occupied or not): `3 n(n−1)/2` parameters per layer for `n` spatial orbitals.
//! Within a layer the paired doubles come first, then the singles (alpha before beta for each
//! pair), as in PennyLane's `kUpCCGSD`; `trotter_steps` repeats each layer's product.
//!
//! UCCSD starts at zero (the Hartree–Fock state). k-UpCCGSD starts from the small angles of
//! [`spread`]: at zero every layer's copy of a generator has the same gradient and the
//! seniority-zero states the paired doubles reach give the singles none, a saddle the optimiser
//! does not leave (H4 stalls 1.1e-2 Ha above FCI from zero; as Lee et al., who start from small
//! random amplitudes).

use qdf_compiler::hir::AnsatzOptions;

use super::error::AnsatzError;
use super::excitation::{self, spin_orbital, Excitation};
use super::generator::{Factor, Generator};
use super::{product, spread, Ansatz, Orbitals};
use crate::qubit::QubitSpace;

/// UCCSD with the options `trotter_steps`, `spin_adapted` and `ordering`. Failure contract:
/// zero Trotter steps or an unknown ordering is [`AnsatzError::Option`], spin adaptation of an
/// open shell [`AnsatzError::SpinAdaptedOpenShell`], a mapping failure [`AnsatzError::Qubit`].
pub(super) fn uccsd(options: &AnsatzOptions, space: &QubitSpace, orbitals: Orbitals) -> Result<Ansatz, AnsatzError> {
    let steps = trotter_steps(options)?;
    let (singles, doubles) = if options.spin_adapted {
        singlet_generators(orbitals)?
    } else {
        let Orbitals { n_spatial, n_alpha, n_beta } = orbitals;
        (
            excitation::singles(n_spatial, n_alpha, n_beta).into_iter().map(Generator::excitation).collect(),
            excitation::doubles(n_spatial, n_alpha, n_beta).into_iter().map(Generator::excitation).collect(),
        )
    };
    let generators: Vec<Generator> = match options.ordering.as_str() {
        "singles_first" => singles.into_iter().chain(doubles).collect(),
        "doubles_first" => doubles.into_iter().chain(singles).collect(),
        other => {
            return Err(AnsatzError::Option {
                option: "ordering",
                value: other.to_string(),
                expected: "singles_first or doubles_first",
            })
        }
    };
    let scale = 1.0 / f64::from(steps);
    let sequence: Vec<(usize, f64)> = (0..steps).flat_map(|_| (0..generators.len()).map(move |g| (g, scale))).collect();
    product(space, &generators, &sequence)
}

/// k-UpCCGSD with the options `k` and `trotter_steps`. Failure contract: `k = 0` or zero Trotter
/// steps is [`AnsatzError::Option`], a mapping failure [`AnsatzError::Qubit`].
pub(super) fn kupccgsd(options: &AnsatzOptions, space: &QubitSpace, orbitals: Orbitals) -> Result<Ansatz, AnsatzError> {
    let steps = trotter_steps(options)?;
    if options.k == 0 {
        return Err(AnsatzError::Option { option: "k", value: "0".into(), expected: "at least one layer" });
    }
    let n = orbitals.n_spatial;
    let scale = 1.0 / f64::from(steps);
    let mut generators = Vec::new();
    let mut sequence = Vec::new();
    for layer in 1..=options.k {
        let first = generators.len();
        let mut doubles = Vec::new();
        let mut singles = Vec::new();
        for p in 0..n {
            for q in p + 1..n {
                let pair = Excitation::Double {
                    from: [spin_orbital(p, 0), spin_orbital(p, 1)],
                    to: [spin_orbital(q, 0), spin_orbital(q, 1)],
                };
                doubles.push(pair);
                for spin in 0..2 {
                    singles.push(Excitation::Single { from: spin_orbital(p, spin), to: spin_orbital(q, spin) });
                }
            }
        }
        for e in doubles.into_iter().chain(singles) {
            generators.push(Generator::new(format!("layer {layer}: {}", e.label()), vec![Factor::excitation(e, 1.0)]));
        }
        let last = generators.len();
        for _ in 0..steps {
            sequence.extend((first..last).map(|g| (g, scale)));
        }
    }
    let mut ansatz = product(space, &generators, &sequence)?;
    ansatz.initial_parameters = spread(ansatz.n_parameters());
    Ok(ansatz)
}

fn trotter_steps(options: &AnsatzOptions) -> Result<u32, AnsatzError> {
    match options.trotter_steps {
        0 => Err(AnsatzError::Option { option: "trotter_steps", value: "0".into(), expected: "at least one step" }),
        steps => Ok(steps),
    }
}

/// The singlet singles and doubles of a closed shell (see the module documentation).
fn singlet_generators(orbitals: Orbitals) -> Result<(Vec<Generator>, Vec<Generator>), AnsatzError> {
    let Orbitals { n_spatial, n_alpha, n_beta } = orbitals;
    if n_alpha != n_beta {
        return Err(AnsatzError::SpinAdaptedOpenShell { n_alpha, n_beta });
    }
    let pairs: Vec<(u32, u32)> = (0..n_alpha).flat_map(|i| (n_alpha..n_spatial).map(move |a| (i, a))).collect();
    let singles = pairs
        .iter()
        .map(|&(i, a)| {
            let factors = (0..2)
                .map(|spin| {
                    Factor::excitation(
                        Excitation::Single { from: spin_orbital(i, spin), to: spin_orbital(a, spin) },
                        1.0,
                    )
                })
                .collect();
            Generator::new(format!("singlet {i}->{a}"), factors)
        })
        .collect();
    let mut doubles = Vec::new();
    for (n, &(i, a)) in pairs.iter().enumerate() {
        for &(j, b) in &pairs[n..] {
            // E_ai E_bj = Σ_στ a_aσ† a_iσ a_bτ† a_jτ = Σ_στ a_aσ† a_bτ† a_jτ a_iσ.
            let mut terms: Vec<(Excitation, f64)> = Vec::new();
            for sigma in 0..2 {
                for tau in 0..2 {
                    let from = [spin_orbital(i, sigma), spin_orbital(j, tau)];
                    let to = [spin_orbital(a, sigma), spin_orbital(b, tau)];
                    let Some((e, sign)) = Excitation::canonical_double(from, to) else { continue };
                    match terms.iter_mut().find(|(f, _)| *f == e) {
                        Some(term) => term.1 += sign,
                        None => terms.push((e, sign)),
                    }
                }
            }
            let factors = terms.into_iter().filter(|(_, c)| *c != 0.0).map(|(e, c)| Factor::excitation(e, c)).collect();
            doubles.push(Generator::new(format!("singlet {i}->{a}, {j}->{b}"), factors));
        }
    }
    Ok((singles, doubles))
}

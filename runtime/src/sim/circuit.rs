//! Parametrised circuits of Pauli rotations, and the energy with its exact (adjoint) gradient.
//!
//! Every ansatz the simulator runs is a sequence of rotations `exp(−i φ_k/2 · P_k)` whose angle
//! is either fixed or a fixed multiple of one parameter, `φ_k = w_k θ_{p(k)}`: UCCSD, k-UpCCGSD
//! and ADAPT after any fermion-to-qubit mapping are exactly that (each excitation a product of
//! commuting rotations sharing one parameter), and so are hardware-efficient circuits, whose
//! single-qubit rotations are weight-one rotations and whose CNOTs are three fixed rotations
//! (`CNOT = e^{iπ/4} exp(−iπ/4 Z_c) exp(−iπ/4 X_t) exp(+iπ/4 Z_c X_t)`).
//!
//! The gradient follows the adjoint method (Jones & Gacon, arXiv:2009.02823): with
//! `|φ_k⟩ = G_k … G_1|ref⟩` and `|λ_k⟩ = G_{k+1}† … G_M† H|ψ⟩`,
//! `∂E/∂φ_k = 2 Re⟨λ_k|(−i/2) P_k|φ_k⟩ = Im⟨λ_k|P_k|φ_k⟩`, and walking `k` from `M` down to 1
//! while undoing each gate on both states costs one forward pass, one `H|ψ⟩` and one fused
//! backward pass: about three times an energy evaluation, independent of the parameter count.
//! Fixed rotations are undone on both states and contribute nothing.

use super::observable::Observable;
use super::statevector::StateVector;
use crate::circuit::Angle;
use crate::qubit::PauliString;

/// `exp(−i φ/2 · string)` with `φ` fixed or `weight · θ[index]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PauliRotation {
    pub string: PauliString,
    pub angle: Angle,
}

impl PauliRotation {
    /// A rotation by `weight · θ[parameter]`.
    pub fn parametrised(string: PauliString, parameter: usize, weight: f64) -> Self {
        PauliRotation { string, angle: Angle::Parameter { index: parameter, weight } }
    }

    /// A rotation by the fixed angle `phi`.
    pub fn fixed(string: PauliString, phi: f64) -> Self {
        PauliRotation { string, angle: Angle::Fixed(phi) }
    }

    /// The rotation angle `φ` for the parameters `params`. Failure contract: panics if the
    /// rotation names a parameter `params` does not have (a programming error).
    pub fn angle(&self, params: &[f64]) -> f64 {
        self.angle.value(params)
    }

    /// The parameter and its weight, for a parametrised rotation.
    pub fn parameter(&self) -> Option<(usize, f64)> {
        match self.angle {
            Angle::Fixed(_) => None,
            Angle::Parameter { index, weight } => Some((index, weight)),
        }
    }
}

/// `U(θ) = G_M … G_1`, applied first to last, each `G_k` a [`PauliRotation`].
#[derive(Clone, Debug, PartialEq)]
pub struct RotationCircuit {
    n_qubits: u32,
    n_parameters: usize,
    rotations: Vec<PauliRotation>,
}

impl RotationCircuit {
    pub fn new(n_qubits: u32, n_parameters: usize) -> Self {
        RotationCircuit { n_qubits, n_parameters, rotations: Vec::new() }
    }

    /// Appends a rotation (applied after the ones already there). Failure contract: panics if it
    /// names a parameter or a qubit the circuit does not have.
    pub fn push(&mut self, rotation: PauliRotation) {
        if let Some((index, _)) = rotation.parameter() {
            assert!(index < self.n_parameters, "parameter {index} out of range ({} parameters)", self.n_parameters);
        }
        let support = rotation.string.x | rotation.string.z;
        assert!(self.n_qubits >= 64 || support >> self.n_qubits == 0, "{} acts outside the circuit", rotation.string);
        self.rotations.push(rotation);
    }

    pub fn n_qubits(&self) -> u32 {
        self.n_qubits
    }

    pub fn n_parameters(&self) -> usize {
        self.n_parameters
    }

    pub fn rotations(&self) -> &[PauliRotation] {
        &self.rotations
    }

    /// `|ψ⟩ ← U(θ)|ψ⟩`.
    pub fn apply(&self, params: &[f64], state: &mut StateVector) {
        self.check_params(params);
        for r in &self.rotations {
            state.apply_pauli_rotation(r.string, r.angle(params));
        }
    }

    /// `|ψ⟩ ← U(θ)†|ψ⟩`.
    pub fn apply_inverse(&self, params: &[f64], state: &mut StateVector) {
        self.check_params(params);
        for r in self.rotations.iter().rev() {
            state.apply_pauli_rotation(r.string, -r.angle(params));
        }
    }

    fn check_params(&self, params: &[f64]) {
        assert_eq!(params.len(), self.n_parameters, "expected {} parameters", self.n_parameters);
    }
}

/// `E(θ) = ⟨ref|U(θ)† H U(θ)|ref⟩` for a circuit, a reference state and a Hamiltonian.
#[derive(Clone, Copy, Debug)]
pub struct Energy<'a> {
    circuit: &'a RotationCircuit,
    reference: &'a StateVector,
    hamiltonian: &'a Observable,
}

impl<'a> Energy<'a> {
    /// Failure contract: panics if the three do not fit one register (the reference must have the
    /// circuit's qubit count, the Hamiltonian no more).
    pub fn new(circuit: &'a RotationCircuit, reference: &'a StateVector, hamiltonian: &'a Observable) -> Self {
        assert_eq!(circuit.n_qubits(), reference.n_qubits(), "circuit and reference state differ in qubit count");
        assert!(hamiltonian.n_qubits() <= reference.n_qubits(), "the Hamiltonian acts on more qubits than the state");
        Energy { circuit, reference, hamiltonian }
    }

    pub fn n_parameters(&self) -> usize {
        self.circuit.n_parameters()
    }

    pub fn circuit(&self) -> &'a RotationCircuit {
        self.circuit
    }

    /// `U(θ)|ref⟩`.
    pub fn state(&self, params: &[f64]) -> StateVector {
        let mut psi = self.reference.clone();
        self.circuit.apply(params, &mut psi);
        psi
    }

    /// `E(θ)`.
    pub fn energy(&self, params: &[f64]) -> f64 {
        self.hamiltonian.expectation(&self.state(params))
    }

    /// `E(θ)`, writing `∂E/∂θ` into `gradient` by adjoint differentiation.
    pub fn energy_and_gradient(&self, params: &[f64], gradient: &mut [f64]) -> f64 {
        assert_eq!(gradient.len(), self.n_parameters(), "gradient buffer of the wrong length");
        let mut phi = self.state(params);
        let mut lambda = self.hamiltonian.apply(&phi);
        let energy = phi.inner(&lambda).re;
        gradient.fill(0.0);
        for r in self.circuit.rotations().iter().rev() {
            let overlap = phi.adjoint_rotation_step(&mut lambda, r.string, r.angle(params));
            if let Some((index, weight)) = r.parameter() {
                gradient[index] += weight * overlap.im;
            }
        }
        energy
    }
}

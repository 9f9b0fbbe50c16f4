//! The exact energy of an ansatz on the fast engine ([`crate::svsim`]): the rotation circuit
//! becomes a template (X gates preparing the reference, then one Pauli rotation per rotation),
//! fused and scheduled once; each evaluation binds the parameters and runs the program, and the
//! gradient comes from adjoint differentiation over the same template.

use super::ansatz::Ansatz;
use super::statevector::StateVector;
use super::vqe::EnergyFunction;
use crate::circuit::Angle as CircuitAngle;
use crate::qubit::PauliSum;
use crate::svsim::adjoint::energy_and_gradient;
use crate::svsim::pauli_sum::PauliSumKernel;
use crate::svsim::{Angle, Gate, Program, Template};

/// `E(θ) = ⟨ref|U(θ)† H U(θ)|ref⟩` compiled for the state-vector engine.
#[derive(Debug)]
pub struct CompiledEnergy {
    program: Program,
    hamiltonian: PauliSumKernel,
}

impl CompiledEnergy {
    /// Compiles `ansatz` against `h`. Failure contract: panics if `h` acts on more qubits than the
    /// ansatz (a programming error: both come from one qubit space).
    pub fn new(ansatz: &Ansatz, h: &PauliSum) -> Self {
        assert!(h.n_qubits <= ansatz.n_qubits(), "the Hamiltonian acts on more qubits than the ansatz");
        let n = ansatz.n_qubits();
        let reference = (0..n).filter(|q| ansatz.reference >> q & 1 == 1).map(Gate::X);
        let rotations = ansatz.circuit.rotations().iter().map(|r| {
            let angle = match r.angle {
                CircuitAngle::Fixed(phi) => Angle::Fixed(phi),
                CircuitAngle::Parameter { index, weight } => Angle::Param { index, scale: weight },
            };
            Gate::PauliRotation(r.string, angle)
        });
        let gates: Vec<Gate> = reference.chain(rotations).collect();
        let template = Template::new(n, ansatz.n_parameters(), gates)
            .expect("an ansatz's rotations act on its register and read its parameters");
        let hamiltonian = PauliSumKernel::new(n, &h.terms);
        CompiledEnergy { program: Program::compile(template), hamiltonian }
    }

    /// `U(θ)|ref⟩`. Failure contract: panics if `params` is shorter than the parameter count.
    pub fn state(&self, params: &[f64]) -> StateVector {
        let mut psi = StateVector::zero(self.program.template().n_qubits());
        self.program.run(&mut psi, params);
        psi
    }

    /// `E(θ)`. Failure contract: as [`Self::state`].
    pub fn energy(&self, params: &[f64]) -> f64 {
        self.hamiltonian.expectation(&self.state(params))
    }
}

impl EnergyFunction for CompiledEnergy {
    fn n_parameters(&self) -> usize {
        self.program.template().n_params()
    }

    fn energy_and_gradient(&self, params: &[f64], gradient: &mut [f64]) -> f64 {
        assert_eq!(gradient.len(), self.n_parameters(), "gradient buffer of the wrong length");
        let (energy, g) = energy_and_gradient(&self.program, &self.hamiltonian, params);
        gradient.copy_from_slice(&g);
        energy
    }
}

//! An ansatz's two forms, built side by side: the [`RotationCircuit`] the simulator runs and
//! differentiates, and the gate-level [`LogicalCircuit`] that gate counts, depths and device
//! compilation start from. Both prepare the same state from `|0…0⟩` up to a global phase; the
//! logical one begins with X gates preparing the reference, the rotation circuit starts from the
//! reference basis state itself.

use crate::circuit::{Angle, Gate, LogicalCircuit};
use crate::qubit::PauliString;
use crate::sim::circuit::{PauliRotation, RotationCircuit};

/// Accumulates the rotations and gates of one ansatz.
#[derive(Debug)]
pub(super) struct CircuitBuilder {
    rotations: RotationCircuit,
    logical: LogicalCircuit,
}

impl CircuitBuilder {
    /// An empty ansatz on `n_qubits` with `n_parameters` parameters, from the basis state
    /// `reference`. Failure contract: a reference with a bit at or above `n_qubits` panics.
    pub(super) fn new(n_qubits: u32, n_parameters: usize, reference: u64) -> Self {
        assert!(n_qubits >= 64 || reference >> n_qubits == 0, "reference {reference:#b} wider than {n_qubits} qubits");
        let mut logical = LogicalCircuit::new(n_qubits, n_parameters);
        for q in (0..n_qubits).filter(|q| reference >> q & 1 == 1) {
            logical.push(Gate::X(q));
        }
        CircuitBuilder { rotations: RotationCircuit::new(n_qubits, n_parameters), logical }
    }

    /// Appends `exp(−i φ/2 · string)`: a native RX, RY or RZ for one qubit, the CNOT-ladder
    /// form of [`LogicalCircuit::push_pauli_rotation`] otherwise. The identity is a global phase
    /// and adds nothing.
    pub(super) fn rotation(&mut self, string: PauliString, angle: Angle) {
        if string == PauliString::IDENTITY {
            return;
        }
        self.rotations.push(PauliRotation { string, angle });
        if string.weight() == 1 {
            let q = (string.x | string.z).trailing_zeros();
            self.logical.push(match string.at(q) {
                'X' => Gate::Rx(q, angle),
                'Y' => Gate::Ry(q, angle),
                _ => Gate::Rz(q, angle),
            });
        } else {
            self.logical.push_pauli_rotation(string, angle);
        }
    }

    /// Appends a CNOT: one gate in the logical circuit, three fixed rotations in the rotation
    /// circuit, `CNOT = e^{iπ/4} exp(−iπ/4 Z_c) exp(−iπ/4 X_t) exp(+iπ/4 Z_c X_t)`.
    pub(super) fn cnot(&mut self, control: u32, target: u32) {
        let half_pi = std::f64::consts::FRAC_PI_2;
        let (z, x) = (PauliString::single('Z', control), PauliString::single('X', target));
        let zx = PauliString { x: x.x, z: z.z };
        // The three factors commute, so their order is free.
        self.rotations.push(PauliRotation::fixed(zx, -half_pi));
        self.rotations.push(PauliRotation::fixed(z, half_pi));
        self.rotations.push(PauliRotation::fixed(x, half_pi));
        self.logical.push(Gate::Cnot { control, target });
    }

    pub(super) fn finish(self) -> (RotationCircuit, LogicalCircuit) {
        (self.rotations, self.logical)
    }
}

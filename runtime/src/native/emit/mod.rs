//! Writers for lowered and logical circuits: IonQ's v0.4 job JSON and OpenQASM 3.

pub mod ionq_json;
pub mod qasm3;

//! Writers for lowered and logical circuits: IonQ's v0.4 job JSON, OpenQASM 3 and QIR (base profile).

pub mod ionq_json;
pub mod qasm3;
pub mod qir;

//! Running an experiment: the plan of jobs from the IR, the crash-safe data store, execution and
//! the report.

pub mod execute;
pub mod gradients;
pub mod learn;
pub mod npz;
pub mod plan;
pub mod point;
pub mod report;
pub mod store;
pub mod vqe;

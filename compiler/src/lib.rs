//! The qdf front end.
pub mod geometry;

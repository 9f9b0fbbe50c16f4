//! The qdf front end: source text to a checked, content-hashed experiment IR.
//!
//! Pipeline: [`syntax`] (lexer and a parser that never fails) → [`check`] (names, schemas, units,
//! chemistry) → [`ir`] (the experiment IR, validated and hashed). The crate does no I/O: files named
//! in a spec come through the [`FileLoader`] trait, and stdlib modules are compiled in.
pub mod diagnostics;
pub mod geometry;
pub mod source;
pub mod syntax;

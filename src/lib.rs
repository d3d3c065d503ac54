//! opmodel: a company's operating model as TOML in git, checked like code.
//!
//! The pipeline (see `STYLE.md`): source -> files -> documents -> schema -> model -> rules -> findings ->
//! renderer. Library code never prints or exits; `cli` does both, through the writers it is given.

pub mod audit;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod config;
pub mod date;
pub mod diff;
pub mod docs;
pub mod document;
pub mod finding;
pub mod git;
pub mod load;
pub mod manifest;
pub mod model;
pub mod owners;
pub mod ownership;
pub mod references;
pub mod render;
pub mod revision;
pub mod rules;
pub mod schema;
pub mod sink;
pub mod source;
pub mod suggest;

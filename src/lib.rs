//! opmodel: a company's operating model as TOML in git, checked like code.
//!
//! The pipeline (see `STYLE.md`): source -> files -> documents -> schema -> model -> rules -> findings ->
//! renderer. Library code never prints or exits; `cli` does both, through the writers it is given.

pub mod activity;
pub mod audit;
pub mod catalog;
pub mod check;
pub mod cli;
pub mod codeowners;
mod config;
mod date;
mod diff;
pub mod docs;
pub mod document;
pub mod finding;
mod git;
mod identity;
mod load;
mod manifest;
pub mod model;
mod names;
mod owners;
mod ownership;
mod references;
pub mod render;
mod revision;
pub mod rules;
pub mod schema;
mod sink;
pub mod source;
mod suggest;

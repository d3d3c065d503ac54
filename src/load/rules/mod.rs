//! The rules reported while reading the model: files, syntax, the schema, ids and references, the manifest's
//! configuration. Declared here, below every stage that reports them; listed with every other rule in
//! `crate::catalog`.

pub mod duplicate_id;
pub mod empty_file;
pub mod id_conflict;
pub mod invalid_config;
pub mod invalid_value;
pub mod missing_field;
pub mod skipped_path;
pub mod toml_syntax;
pub mod unchecked_references;
pub mod unknown_field;
pub mod unknown_reference;
pub mod unreadable_file;
pub mod unused_allow;
pub mod wrong_kind_reference;

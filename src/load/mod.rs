//! Reading the model: the stage between the files and the typed model. For now it holds the declarations of the
//! rules that reading reports (`rules`); the stages themselves are `source`, `document`, `schema`, `manifest`,
//! `references` and `check::load`.

pub mod rules;

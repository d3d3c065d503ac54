//! The audit's three rules, declared next to the logic that reports them (`judge.rs`, `drift.rs`).

pub mod unapproved_change;
pub mod unapproved_drift;
pub mod unowned_change;

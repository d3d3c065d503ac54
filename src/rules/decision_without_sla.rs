use super::{Group, Rule};
use crate::finding::Level;

// STUB: to be written (declaration, docs and check).
pub const RULE: Rule = Rule {
    name: "decision-without-sla",
    level: Level::Warn,
    default_off: false,
    group: Group::Execution,
    summary: "STUB",
    docs: "STUB",
    params: &[],
    check: None,
};

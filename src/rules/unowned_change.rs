use super::{Group, Rule};
use crate::finding::Level;

// STUB: to be written (declaration and docs; the audit in src/audit/ reports it).
pub const RULE: Rule = Rule {
    name: "unowned-change",
    level: Level::Error,
    default_off: false,
    group: Group::Audit,
    summary: "STUB",
    docs: "STUB",
    params: &[],
    check: None,
};

//! The rule registry: every check opmodel can report, declared once, with its docs.
//!
//! A rule lives in its own file: its name, default level, one-line summary, docs ("What it checks / Why it
//! matters / Example / Use instead") and, for model rules, the check itself. `opmodel rules`, `opmodel explain`
//! and `docs/rules.md` all read these declarations.

pub use crate::config::Params;
pub use crate::finding::{Group, Param, Rule};

use crate::date::Date;
use crate::finding::Finding;
use crate::manifest::Manifest;
use crate::model::Model;
use crate::ownership::Ownership;
use crate::source::Files;

pub(crate) mod codeowners_drift;
pub(crate) mod decision_concentration;
pub(crate) mod decision_without_sla;
pub(crate) mod empty_area;
pub(crate) mod escalation_cycle;
pub(crate) mod handoff_to_self;
pub(crate) mod handoff_unowned_team;
pub(crate) mod handoff_without_acceptance;
pub(crate) mod handoff_without_sla;
pub(crate) mod inactive_owner;
pub(crate) mod irreversible_without_approvers;
pub(crate) mod lead_not_member;
pub(crate) mod metric_orphan;
pub(crate) mod metric_stale;
pub(crate) mod metric_without_target;
pub(crate) mod model_unowned;
pub(crate) mod overcommitted;
pub(crate) mod priority_without_metric;
pub(crate) mod priority_without_stop;
pub(crate) mod review_overdue;
pub(crate) mod self_approval;
pub(crate) mod shadowed_area;
pub(crate) mod span_of_control;
pub(crate) mod superseded_without_successor;
pub(crate) mod unowned_path;

/// Everything a model rule reads.
pub struct Context<'a> {
    pub model: &'a Model,
    pub as_of: Date,
    pub params: &'a Params,
    /// Which area owns which repository path.
    pub ownership: &'a Ownership,
    /// The files git tracks under the manifest's folder, relative to it; None outside a git repository.
    pub paths: Option<&'a [Vec<u8>]>,
    /// The repository's CODEOWNERS file (its id in the files, parsed), when it has one.
    pub codeowners: Option<(crate::source::FileId, &'a crate::codeowners::Codeowners)>,
    /// The manifest that selects the model files, and the texts (the manifest's path among them).
    pub manifest: &'a Manifest,
    pub files: &'a Files,
}

/// A model rule's check: reads the context, pushes findings.
pub type Check = fn(&Context<'_>, &mut Vec<Finding>);

/// A model rule's check, declared in the rule's own file next to its `RULE`.
#[derive(Debug, Clone, Copy)]
pub struct ModelCheck {
    pub rule: &'static Rule,
    pub check: Check,
}

/// Every model rule's check, in registry order: what `opmodel check` runs.
pub const CHECKS: &[ModelCheck] = &[
    inactive_owner::CHECK,
    irreversible_without_approvers::CHECK,
    self_approval::CHECK,
    decision_without_sla::CHECK,
    decision_concentration::CHECK,
    escalation_cycle::CHECK,
    review_overdue::CHECK,
    superseded_without_successor::CHECK,
    lead_not_member::CHECK,
    span_of_control::CHECK,
    handoff_without_sla::CHECK,
    handoff_without_acceptance::CHECK,
    handoff_to_self::CHECK,
    handoff_unowned_team::CHECK,
    metric_without_target::CHECK,
    metric_stale::CHECK,
    metric_orphan::CHECK,
    priority_without_metric::CHECK,
    priority_without_stop::CHECK,
    overcommitted::CHECK,
    unowned_path::CHECK,
    model_unowned::CHECK,
    shadowed_area::CHECK,
    empty_area::CHECK,
    codeowners_drift::CHECK,
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_model_check_is_a_registered_rule_once() {
        let mut seen = HashSet::new();
        for check in CHECKS {
            assert!(
                seen.insert(check.rule.name),
                "{} runs twice",
                check.rule.name
            );
            assert!(
                crate::catalog::find(check.rule.name).is_some(),
                "{} is not in all()",
                check.rule.name
            );
            assert!(
                matches!(
                    check.rule.group,
                    Group::Execution | Group::Ownership | Group::Model
                ),
                "{} runs in check but is not a model rule",
                check.rule.name
            );
        }
    }
}

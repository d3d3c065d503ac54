//! The rule registry: every check opmodel can report, declared once, with its docs.
//!
//! A rule lives in its own file: its name, default level, one-line summary, docs ("What it checks / Why it
//! matters / Example / Use instead") and, for model rules, the check itself. `opmodel rules`, `opmodel explain`
//! and `docs/rules.md` all read these declarations.

pub use crate::config::Params;
pub use crate::finding::{Group, Param, Rule};

use crate::date::Date;
use crate::finding::Finding;
use crate::model::Model;
use crate::ownership::Ownership;

pub(crate) mod decision_concentration;
pub(crate) mod decision_without_sla;
pub(crate) mod duplicate_id;
pub(crate) mod empty_area;
pub(crate) mod empty_file;
pub(crate) mod escalation_cycle;
pub(crate) mod handoff_to_self;
pub(crate) mod handoff_unowned_team;
pub(crate) mod handoff_without_acceptance;
pub(crate) mod handoff_without_sla;
pub(crate) mod id_conflict;
pub(crate) mod inactive_owner;
pub(crate) mod invalid_config;
pub(crate) mod invalid_value;
pub(crate) mod irreversible_without_approvers;
pub(crate) mod lead_not_member;
pub(crate) mod metric_orphan;
pub(crate) mod metric_stale;
pub(crate) mod metric_without_target;
pub(crate) mod missing_field;
pub(crate) mod overcommitted;
pub(crate) mod priority_without_metric;
pub(crate) mod priority_without_stop;
pub(crate) mod review_overdue;
pub(crate) mod self_approval;
pub(crate) mod shadowed_area;
pub(crate) mod skipped_path;
pub(crate) mod span_of_control;
pub(crate) mod superseded_without_successor;
pub(crate) mod toml_syntax;
pub(crate) mod unknown_field;
pub(crate) mod unknown_reference;
pub(crate) mod unowned_path;
pub(crate) mod unreadable_file;
pub(crate) mod unused_allow;
pub(crate) mod wrong_kind_reference;

/// Everything a model rule reads.
pub struct Context<'a> {
    pub model: &'a Model,
    pub as_of: Date,
    pub params: &'a Params,
    /// Which area owns which repository path.
    pub ownership: &'a Ownership,
    /// The files git tracks under the manifest's folder, relative to it; None outside a git repository.
    pub paths: Option<&'a [Vec<u8>]>,
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
    shadowed_area::CHECK,
    empty_area::CHECK,
];

/// Every rule, in the order the docs list them.
pub fn all() -> &'static [Rule] {
    const ALL: &[Rule] = &[
        toml_syntax::RULE,
        unreadable_file::RULE,
        skipped_path::RULE,
        empty_file::RULE,
        unknown_field::RULE,
        missing_field::RULE,
        invalid_value::RULE,
        duplicate_id::RULE,
        id_conflict::RULE,
        unknown_reference::RULE,
        wrong_kind_reference::RULE,
        invalid_config::RULE,
        unused_allow::RULE,
        inactive_owner::RULE,
        irreversible_without_approvers::RULE,
        self_approval::RULE,
        decision_without_sla::RULE,
        decision_concentration::RULE,
        escalation_cycle::RULE,
        review_overdue::RULE,
        superseded_without_successor::RULE,
        lead_not_member::RULE,
        span_of_control::RULE,
        handoff_without_sla::RULE,
        handoff_without_acceptance::RULE,
        handoff_to_self::RULE,
        handoff_unowned_team::RULE,
        metric_without_target::RULE,
        metric_stale::RULE,
        metric_orphan::RULE,
        priority_without_metric::RULE,
        priority_without_stop::RULE,
        overcommitted::RULE,
        unowned_path::RULE,
        shadowed_area::RULE,
        empty_area::RULE,
        crate::diff::checks::ownership_transferred::RULE,
        crate::diff::checks::irreversible_changed::RULE,
        crate::diff::checks::made_reversible::RULE,
        crate::diff::checks::approvers_removed::RULE,
        crate::diff::checks::handoff_removed::RULE,
        crate::diff::checks::sla_loosened::RULE,
        crate::diff::checks::target_eased::RULE,
        crate::diff::checks::owner_left_with_ownership::RULE,
        crate::diff::checks::paths_unowned::RULE,
        crate::diff::checks::decision_removed::RULE,
        crate::diff::checks::metric_removed::RULE,
        crate::diff::checks::cadence_loosened::RULE,
        crate::diff::checks::acceptance_removed::RULE,
        crate::diff::checks::irreversible_added::RULE,
        crate::diff::checks::entity_added::RULE,
        crate::diff::checks::entity_removed::RULE,
        crate::diff::checks::entity_changed::RULE,
        crate::audit::rules::unowned_change::RULE,
        crate::audit::rules::unapproved_change::RULE,
        crate::audit::rules::unapproved_drift::RULE,
    ];
    ALL
}

/// Look a rule up by name.
pub fn find(name: &str) -> Option<&'static Rule> {
    all().iter().find(|r| r.name == name)
}

/// Every rule name, for did-you-mean.
pub fn names() -> impl Iterator<Item = &'static str> {
    all().iter().map(|r| r.name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_and_kebab_case() {
        let mut seen = HashSet::new();
        for rule in all() {
            assert!(seen.insert(rule.name), "duplicate rule name {}", rule.name);
            assert!(
                rule.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{} is not kebab-case",
                rule.name
            );
        }
    }

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
                find(check.rule.name).is_some(),
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

    #[test]
    fn every_rule_has_the_four_doc_sections() {
        for rule in all() {
            for section in [
                "## What it checks",
                "## Why it matters",
                "## Example",
                "## Use instead",
            ] {
                assert!(rule.docs.contains(section), "{} lacks {section}", rule.name);
            }
            assert!(
                !rule.summary.ends_with('.'),
                "{}: summary is a phrase, no full stop",
                rule.name
            );
        }
    }
}

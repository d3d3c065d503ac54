//! The catalog: every rule opmodel can report, listed once, found by name. It sits above every module that declares
//! rules (`load::rules`, `rules`, `diff::checks`, `audit::rules`), and none of them imports it: the command layer
//! hands it to `check`, `diff` and `audit` (through `Config`), so the import graph stays free of cycles.

use crate::finding::Rule;

/// Every rule, in the order the docs list them.
pub fn all() -> &'static [Rule] {
    const ALL: &[Rule] = &[
        crate::load::rules::toml_syntax::RULE,
        crate::load::rules::unchecked_references::RULE,
        crate::load::rules::unreadable_file::RULE,
        crate::load::rules::skipped_path::RULE,
        crate::load::rules::empty_file::RULE,
        crate::load::rules::unknown_field::RULE,
        crate::load::rules::missing_field::RULE,
        crate::load::rules::invalid_value::RULE,
        crate::load::rules::duplicate_id::RULE,
        crate::load::rules::id_conflict::RULE,
        crate::load::rules::unknown_reference::RULE,
        crate::load::rules::wrong_kind_reference::RULE,
        crate::load::rules::invalid_config::RULE,
        crate::load::rules::unused_allow::RULE,
        crate::rules::inactive_owner::RULE,
        crate::rules::irreversible_without_approvers::RULE,
        crate::rules::self_approval::RULE,
        crate::rules::decision_without_sla::RULE,
        crate::rules::decision_concentration::RULE,
        crate::rules::escalation_cycle::RULE,
        crate::rules::review_overdue::RULE,
        crate::rules::superseded_without_successor::RULE,
        crate::rules::lead_not_member::RULE,
        crate::rules::span_of_control::RULE,
        crate::rules::handoff_without_sla::RULE,
        crate::rules::handoff_without_acceptance::RULE,
        crate::rules::handoff_to_self::RULE,
        crate::rules::handoff_unowned_team::RULE,
        crate::rules::metric_without_target::RULE,
        crate::rules::metric_stale::RULE,
        crate::rules::metric_orphan::RULE,
        crate::rules::priority_without_metric::RULE,
        crate::rules::priority_without_stop::RULE,
        crate::rules::overcommitted::RULE,
        crate::rules::unowned_path::RULE,
        crate::rules::model_unowned::RULE,
        crate::rules::shadowed_area::RULE,
        crate::rules::empty_area::RULE,
        crate::rules::codeowners_drift::RULE,
        crate::diff::checks::ownership_transferred::RULE,
        crate::diff::checks::irreversible_changed::RULE,
        crate::diff::checks::made_reversible::RULE,
        crate::diff::checks::approvers_removed::RULE,
        crate::diff::checks::handoff_removed::RULE,
        crate::diff::checks::sla_loosened::RULE,
        crate::diff::checks::target_eased::RULE,
        crate::diff::checks::policy_loosened::RULE,
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
        crate::activity::rules::owner_absent::RULE,
        crate::activity::rules::owner_shadowed::RULE,
        crate::activity::rules::heroics::RULE,
        crate::activity::rules::unowned_hotspot::RULE,
        crate::activity::rules::single_contributor::RULE,
        crate::activity::rules::stale_area::RULE,
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

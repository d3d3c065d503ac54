//! The drift checks `diff` runs, in order. Each is declared in the rule registry (`src/rules/<name>.rs`, group
//! `drift`), so `opmodel explain` documents it and `[rules]` sets its level.
//!
//! The catch-all checks (`entity-added`, `entity-removed`, `entity-changed`) come last: they report only what
//! no check before them did.

use super::{Change, DiffContext, Drift};
use crate::rules::{
    acceptance_removed, approvers_removed, cadence_loosened, decision_removed, entity_added,
    entity_changed, entity_removed, handoff_removed, irreversible_added, irreversible_changed,
    made_reversible, metric_removed, owner_left_with_ownership, ownership_transferred,
    paths_unowned, sla_loosened, target_eased, Rule,
};

/// A drift check: reads one change (and both sides through the context) and pushes what it finds to `out`,
/// which already holds what the checks before it found for the same change.
pub type Classify = fn(&DiffContext<'_>, &Change, &mut Vec<Drift>);

/// Every drift check, in the order they run.
pub const CHECKS: &[(Rule, Classify)] = &[
    (ownership_transferred::RULE, ownership_transferred::classify),
    (irreversible_changed::RULE, irreversible_changed::classify),
    (made_reversible::RULE, made_reversible::classify),
    (approvers_removed::RULE, approvers_removed::classify),
    (handoff_removed::RULE, handoff_removed::classify),
    (sla_loosened::RULE, sla_loosened::classify),
    (target_eased::RULE, target_eased::classify),
    (
        owner_left_with_ownership::RULE,
        owner_left_with_ownership::classify,
    ),
    (paths_unowned::RULE, paths_unowned::classify),
    (decision_removed::RULE, decision_removed::classify),
    (metric_removed::RULE, metric_removed::classify),
    (cadence_loosened::RULE, cadence_loosened::classify),
    (acceptance_removed::RULE, acceptance_removed::classify),
    (irreversible_added::RULE, irreversible_added::classify),
    (entity_added::RULE, entity_added::classify),
    (entity_removed::RULE, entity_removed::classify),
    (entity_changed::RULE, entity_changed::classify),
];

#[cfg(test)]
mod tests {
    use super::CHECKS;
    use crate::rules::{self, Group};

    #[test]
    fn every_drift_check_is_registered_once_and_every_drift_rule_runs() {
        let drift_rules: Vec<&str> = rules::all()
            .iter()
            .filter(|r| r.group == Group::Drift)
            .map(|r| r.name)
            .collect();
        let checks: Vec<&str> = CHECKS.iter().map(|(r, _)| r.name).collect();
        assert_eq!(
            drift_rules, checks,
            "the registry and the drift checks list the same checks, in order"
        );
        for (rule, _) in CHECKS {
            assert!(
                rule.check.is_none(),
                "{} is a drift check: `check` runs no model rule",
                rule.name
            );
        }
    }
}

//! The drift checks `diff` runs, in order. Each is declared and implemented in its own file here (group `drift`),
//! listed in the rule registry (`rules::all`), so `opmodel explain` documents it and `[rules]` sets its level.
//!
//! The catch-all checks (`entity-added`, `entity-removed`, `entity-changed`) come last: they report only what
//! no check before them did.

use super::{Change, DiffContext, Drift};
use crate::finding::Rule;

pub mod acceptance_removed;
pub mod approvers_removed;
pub mod cadence_loosened;
pub mod decision_removed;
pub mod entity_added;
pub mod entity_changed;
pub mod entity_removed;
pub mod handoff_removed;
pub mod irreversible_added;
pub mod irreversible_changed;
pub mod made_reversible;
pub mod metric_removed;
pub mod owner_left_with_ownership;
pub mod ownership_transferred;
pub mod paths_unowned;
pub mod policy_loosened;
pub mod sla_loosened;
pub mod target_eased;

/// A drift check: reads one change (and both sides through the context) and pushes what it finds to `out`,
/// which already holds what the checks before it found for the same change.
pub type Classify = fn(&DiffContext<'_>, &Change, &mut Vec<Drift>);

/// A drift check, declared in its own file next to its logic.
#[derive(Debug, Clone, Copy)]
pub struct DriftCheck {
    pub rule: &'static Rule,
    /// Whether the drifts it reports need the sign-off of the people they name. A property of the check, not of
    /// its level: lowering the level in `[rules]` changes what fails the build, never who must sign off.
    pub needs_signoff: bool,
    pub classify: Classify,
}

/// Every drift check, in the order they run.
pub const CHECKS: &[DriftCheck] = &[
    ownership_transferred::CHECK,
    irreversible_changed::CHECK,
    made_reversible::CHECK,
    approvers_removed::CHECK,
    handoff_removed::CHECK,
    sla_loosened::CHECK,
    target_eased::CHECK,
    policy_loosened::CHECK,
    owner_left_with_ownership::CHECK,
    paths_unowned::CHECK,
    decision_removed::CHECK,
    metric_removed::CHECK,
    cadence_loosened::CHECK,
    acceptance_removed::CHECK,
    irreversible_added::CHECK,
    entity_added::CHECK,
    entity_removed::CHECK,
    entity_changed::CHECK,
];

#[cfg(test)]
mod tests {
    use super::CHECKS;
    use crate::rules::Group;

    #[test]
    fn every_drift_check_is_registered_once_and_every_drift_rule_runs() {
        let drift_rules: Vec<&str> = crate::catalog::all()
            .iter()
            .filter(|r| r.group == Group::Drift)
            .map(|r| r.name)
            .collect();
        let checks: Vec<&str> = CHECKS.iter().map(|c| c.rule.name).collect();
        assert_eq!(
            drift_rules, checks,
            "the registry and the drift checks list the same checks, in order"
        );
        for check in CHECKS {
            assert!(
                !crate::rules::CHECKS.iter().any(|c| c.rule == check.rule),
                "{} is a drift check: `check` runs no model rule",
                check.rule.name
            );
            assert_eq!(
                check.needs_signoff,
                check.rule.level == crate::finding::Level::Error,
                "{}: the drift checks that need sign-off are the ones at error by default",
                check.rule.name
            );
        }
    }
}

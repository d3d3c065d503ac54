use super::{Context, Group, ModelCheck, Rule};
use crate::finding::{Finding, Level};
use crate::model::DecisionStatus;

pub const RULE: Rule = Rule {
    name: "review-overdue",
    level: Level::Warn,
    default_off: false,
    group: Group::Execution,
    summary: "An active or proposed decision is past its review date",
    docs: r#"## What it checks
That no decision whose `status` is `active` (the default) or `proposed` has a `review_by` date before
today: the date given by `--as-of`, or today's date (UTC) when it is not given. A decision due today is not
yet overdue. Superseded and retired decisions are not checked.

## Why it matters
A review date is a promise to look again once the facts have changed: "stay on the self-hosted warehouse
for a year, then revisit". When the date passes unnoticed, a temporary choice becomes permanent by default,
and nobody remembers it was meant to be revisited.

## Example
```toml
[[decision]]
id = "data-warehouse-choice"
title = "Stay on the self-hosted warehouse or move to a managed one"
owner = "raj-patel"
reversible = true
sla = "1w"
decided_on = 2024-09-02
review_by = 2025-06-30
```

## Use instead
Review it, then record the outcome: a new `review_by`, or a successor decision.
```toml
[[decision]]
id = "data-warehouse-choice"
title = "Stay on the self-hosted warehouse or move to a managed one"
owner = "raj-patel"
reversible = true
sla = "1w"
decided_on = 2026-11-10
review_by = 2027-11-01
```
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for decision in &ctx.model.decisions {
        if !matches!(
            decision.status,
            DecisionStatus::Active | DecisionStatus::Proposed
        ) {
            continue;
        }
        let Some(review_by) = decision.review_by else {
            continue;
        };
        let days = ctx.as_of.days_since(review_by);
        if days <= 0 {
            continue;
        }
        let overdue = if days == 1 {
            "1 day".to_string()
        } else {
            format!("{days} days")
        };
        let loc = &decision.loc;
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "decision \"{}\" was due for review on {review_by}, {overdue} ago",
                    decision.id
                ),
            )
            .at(loc.file, loc.value("review_by"), format!("{overdue} overdue as of {}", ctx.as_of))
            .help(format!(
                "review it with its owner, {}: if it still holds, set a new `review_by`; if not, record the \
                 decision that replaces it and set `status = \"superseded\"`",
                ctx.model.who(&decision.owner)
            ))
            .about("decision", &decision.id),
        );
    }
}

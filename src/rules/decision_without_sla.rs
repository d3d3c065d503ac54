use super::{Context, Group, ModelCheck, Rule};
use crate::finding::{Finding, Level};
use crate::model::DecisionStatus;

pub const RULE: Rule = Rule {
    name: "decision-without-sla",
    level: Level::Warn,
    default_off: false,
    group: Group::Execution,
    summary: "An active or proposed decision does not say how fast it must be decided",
    docs: r#"## What it checks
That every decision whose `status` is `active` (the default) or `proposed` has an `sla`: a duration such
as `"4h"`, `"2d"` or `"1w"`. Superseded and retired decisions are not checked.

## Why it matters
Without an SLA, "waiting for a decision" has no end: nobody can say when a request is late, and
`escalate_to` never triggers. Slow decisions are how a company stalls without anyone saying no.

## Example
```toml
[[decision]]
id = "hiring-plan"
title = "Open, freeze or cancel a requisition"
owner = "founder"
reversible = true
```

## Use instead
```toml
[[decision]]
id = "hiring-plan"
title = "Open, freeze or cancel a requisition"
owner = "founder"
reversible = true
sla = "3d"
escalate_to = "board-chair"
```
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for decision in &ctx.model.decisions {
        if decision.sla.is_some()
            || !matches!(
                decision.status,
                DecisionStatus::Active | DecisionStatus::Proposed
            )
        {
            continue;
        }
        let loc = &decision.loc;
        let help = match &decision.escalate_to {
            Some(target) => format!(
                "add `sla = \"2d\"` (or \"4h\", \"1w\"): how long {} may take before it goes to {}",
                ctx.model.who(&decision.owner),
                ctx.model.who(target)
            ),
            None => format!(
                "add `sla = \"2d\"` (or \"4h\", \"1w\"): how long {} may take before the request is late",
                ctx.model.who(&decision.owner)
            ),
        };
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "decision \"{}\" does not say how fast it must be decided",
                    decision.id
                ),
            )
            .at(loc.file, loc.span.clone(), "no `sla`")
            .help(help)
            .about("decision", &decision.id),
        );
    }
}

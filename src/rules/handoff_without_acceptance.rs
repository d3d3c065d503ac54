use super::{Context, Group, ModelCheck, Rule};
use crate::finding::{Finding, Level};

pub const RULE: Rule = Rule {
    name: "handoff-without-acceptance",
    level: Level::Warn,
    default_off: false,
    group: Group::Execution,
    summary: "A handoff does not say what \"done\" means for the receiving team",
    docs: r#"## What it checks
That every `[[handoff]]` has a non-empty `acceptance` list: the conditions the receiving team (`to`) checks
before it takes the work over. A missing `acceptance` is labelled on the handoff's header; an empty list
(`acceptance = []`) on the list itself.

## Why it matters
Without acceptance criteria, "handed over" means "sent". The receiving team gets half the information, sends
it back, and the work bounces between teams while each believes the other has it.

## Example
```toml
[[handoff]]
id = "sales-to-cs"
title = "Hand a new customer from sales to customer success"
from = "sales"
to = "customer-success"
owner = "kai-morgan"
sla = "2d"
```

## Use instead
```toml
[[handoff]]
id = "sales-to-cs"
title = "Hand a new customer from sales to customer success"
from = "sales"
to = "customer-success"
owner = "kai-morgan"
sla = "2d"
acceptance = ["Signed order form attached", "Kickoff call booked with the customer's admin"]
```
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for handoff in &ctx.model.handoffs {
        let loc = &handoff.loc;
        let (span, label) = match &handoff.acceptance {
            Some(list) if !list.is_empty() => continue,
            Some(_) => (loc.value("acceptance"), "empty list"),
            None => (loc.span.clone(), "no `acceptance`"),
        };
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "handoff \"{}\" has no acceptance criteria: team \"{}\" cannot tell when the work is really handed over",
                    handoff.id, handoff.to
                ),
            )
            .at(loc.file, span, label)
            .help(format!(
                "add `acceptance = [\"...\"]`: what \"{}\" checks before it takes the work over",
                handoff.to
            ))
            .about("handoff", &handoff.id),
        );
    }
}

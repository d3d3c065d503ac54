use super::{Context, Group, ModelCheck, Rule};
use crate::finding::{Finding, Level};

pub const RULE: Rule = Rule {
    name: "handoff-without-sla",
    level: Level::Warn,
    default_off: false,
    group: Group::Execution,
    summary: "A handoff has no `sla`: how long the receiving team may take",
    docs: r#"## What it checks
That every `[[handoff]]` has an `sla`: how long the receiving team (`to`) may take to take the work over.
The finding is labelled on the handoff's header, since the field is absent.

## Why it matters
Work between teams waits in the gap between them. Without a stated time, "we'll get to it" is a valid answer,
the sending team starts chasing in Slack, and a customer waits while both teams believe they are on time.

## Example
```toml
[[handoff]]
id = "cs-to-engineering-bugs"
title = "Report a customer bug to engineering"
from = "customer-success"
to = "engineering"
owner = "mia-santos"
acceptance = ["An engineer replies in the thread", "A Linear issue exists"]
```

## Use instead
```toml
[[handoff]]
id = "cs-to-engineering-bugs"
title = "Report a customer bug to engineering"
from = "customer-success"
to = "engineering"
owner = "mia-santos"
acceptance = ["An engineer replies in the thread", "A Linear issue exists"]
sla = "1d"
```
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for handoff in &ctx.model.handoffs {
        if handoff.sla.is_some() {
            continue;
        }
        let loc = &handoff.loc;
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "handoff \"{}\" has no sla: nobody knows how long team \"{}\" may take to pick it up",
                    handoff.id, handoff.to
                ),
            )
            .at(loc.file, loc.span.clone(), "no `sla`")
            .help(format!(
                "add `sla = \"2d\"` (or whatever is true): how long \"{}\" may take to take the work over",
                handoff.to
            ))
            .about("handoff", &handoff.id),
        );
    }
}

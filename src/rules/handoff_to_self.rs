use super::{Context, Group, ModelCheck, Rule};
use crate::finding::{Finding, Level};

pub const RULE: Rule = Rule {
    name: "handoff-to-self",
    level: Level::Warn,
    default_off: false,
    group: Group::Execution,
    summary: "A handoff goes from a team to the same team",
    docs: r#"## What it checks
That a `[[handoff]]`'s `from` and `to` name different teams. The finding is labelled on the `to` value, with
the `from` value as a related label. A handoff whose team does not exist is left to `unknown-reference`.

## Why it matters
A handoff is a promise across a team boundary. One that stays inside a team is usually a step of that team's
own process written as a handoff, or a handoff whose real receiver was never named (release sign-off that
should go to the on-call team, say). Either way the model claims a boundary that is not there.

## Example
```toml
[[handoff]]
id = "release-signoff"
title = "Sign off a release for production"
from = "engineering"
to = "engineering"
owner = "raj-patel"
sla = "1d"
acceptance = ["CI is green"]
```

## Use instead
Name the team that really receives the work:
```toml
[[handoff]]
id = "release-signoff"
title = "Sign off a release for production"
from = "engineering"
to = "platform"
owner = "raj-patel"
sla = "1d"
acceptance = ["CI is green", "The on-call engineer has read the release notes"]
```
or, if the work never leaves the team, remove the handoff and describe it in the team's own docs.
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for handoff in &ctx.model.handoffs {
        if handoff.from != handoff.to || ctx.model.team(&handoff.to).is_none() {
            continue;
        }
        let loc = &handoff.loc;
        out.push(
            Finding::new(
                &RULE,
                format!("handoff \"{}\" goes from team \"{}\" to itself", handoff.id, handoff.to),
            )
            .at(loc.file, loc.value("to"), "the same team as `from`")
            .related(loc.file, loc.value("from"), "the handoff starts here")
            .help(format!(
                "set `to` to the team that receives the work; if it never leaves \"{}\", remove the handoff",
                handoff.to
            ))
            .about("handoff", &handoff.id),
        );
    }
}

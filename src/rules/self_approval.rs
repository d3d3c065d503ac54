use super::{Context, Group, ModelCheck, Rule};
use crate::finding::{Finding, Level};
use crate::model::PersonStatus;

pub const RULE: Rule = Rule {
    name: "self-approval",
    level: Level::Error,
    default_off: false,
    group: Group::Execution,
    summary: "A decision's owner is one of its approvers",
    docs: r#"## What it checks
That no decision lists its own `owner` in `approvers`. When the decision is irreversible and the owner is
its only approver, the finding says so: such a decision has no second pair of eyes at all.

## Why it matters
The owner already decides; an approval means something only when it comes from someone else. An owner who
approves their own decision turns the approval into a formality, and an irreversible decision "approved"
that way has no check at all, while the model looks as if it had one.

## Example
```toml
[[decision]]
id = "annual-budget"
title = "Approve the annual budget"
owner = "founder"
reversible = false
approvers = ["founder"]
sla = "2w"
```

## Use instead
```toml
[[decision]]
id = "annual-budget"
title = "Approve the annual budget"
owner = "founder"
reversible = false
approvers = ["board-chair"]
sla = "2w"
```
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let model = ctx.model;
    for decision in &ctx.model.decisions {
        let Some(index) = decision.approvers.iter().position(|a| *a == decision.owner) else {
            continue;
        };
        let loc = &decision.loc;
        let owner = model.who(&decision.owner);
        let only_owner = decision.approvers.iter().all(|a| *a == decision.owner);
        let manager = model
            .person(&decision.owner)
            .and_then(|p| p.manager.as_deref())
            .filter(|m| *m != decision.owner)
            .and_then(|m| model.person(m))
            .filter(|m| m.status == PersonStatus::Active);
        let (message, label, help) = if !decision.reversible && only_owner {
            (
                format!(
                    "decision \"{}\" is irreversible but has no approver other than its owner, {owner}",
                    decision.id
                ),
                "the owner approves their own decision",
                match manager {
                    Some(m) => format!(
                        "in `approvers`, replace \"{}\" with someone else who must sign off before it is \
                         made: for instance `approvers = [\"{}\"]` (the owner's manager)",
                        decision.owner, m.id
                    ),
                    None => format!(
                        "in `approvers`, replace \"{}\" with someone else who must sign off before it is \
                         made (a board member, a finance lead): an irreversible decision needs a second person",
                        decision.owner
                    ),
                },
            )
        } else {
            (
                format!("decision \"{}\" lists its owner, {owner}, as an approver", decision.id),
                "this is the owner",
                format!(
                    "remove \"{}\" from `approvers`: the owner already decides, and an approval counts only \
                     from someone else",
                    decision.owner
                ),
            )
        };
        out.push(
            Finding::new(&RULE, message)
                .at(loc.file, loc.item("approvers", index), label)
                .related(loc.file, loc.value("owner"), "the owner")
                .help(help)
                .about("decision", &decision.id),
        );
    }
}

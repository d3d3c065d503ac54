use super::{Context, Group, ModelCheck, Rule};
use crate::finding::{Finding, Level};
use crate::model::{Decision, Model, PersonStatus};

pub const RULE: Rule = Rule {
    name: "irreversible-without-approvers",
    level: Level::Error,
    default_off: false,
    group: Group::Execution,
    summary: "A decision that cannot be undone has no approvers",
    docs: r#"## What it checks
That every decision with `reversible = false` lists at least one person in `approvers`. The format
requires it; the schema leaves it to this rule so that the finding can explain itself. It applies to every
decision, whatever its `status`: the record of how an irreversible decision was taken matters after it.

## Why it matters
A reversible decision can be made fast and fixed later. One that cannot be undone (a price list sent to
customers, a disclosure, a contract) needs a second person to sign off before it is made. Without named
approvers, the owner decides alone, or everyone assumes someone else approved.

## Example
```toml
[[decision]]
id = "pricing-changes"
title = "Change list prices or packaging"
owner = "founder"
reversible = false
sla = "1w"
```

## Use instead
```toml
[[decision]]
id = "pricing-changes"
title = "Change list prices or packaging"
owner = "founder"
reversible = false
approvers = ["cfo"]
sla = "1w"
```
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for decision in &ctx.model.decisions {
        if decision.reversible || !decision.approvers.is_empty() {
            continue;
        }
        let loc = &decision.loc;
        let reversible = loc.value("reversible");
        let finding = Finding::new(
            &RULE,
            format!(
                "decision \"{}\" is irreversible but has no approvers",
                decision.id
            ),
        );
        let finding = if loc.field("approvers").is_some() {
            finding
                .at(loc.file, loc.value("approvers"), "nobody listed")
                .related(loc.file, reversible, "cannot be undone")
        } else {
            finding.at(
                loc.file,
                reversible,
                "cannot be undone, yet nobody approves it",
            )
        };
        out.push(
            finding
                .help(help(ctx.model, decision))
                .about("decision", &decision.id),
        );
    }
}

/// Suggest the owner's manager as an approver, when there is an active one.
fn help(model: &Model, decision: &Decision) -> String {
    let manager = model
        .person(&decision.owner)
        .and_then(|owner| owner.manager.as_deref())
        .filter(|m| *m != decision.owner)
        .and_then(|m| model.person(m))
        .filter(|m| m.status == PersonStatus::Active);
    match manager {
        Some(m) => format!(
            "name who must sign off before it is made, someone other than the owner: for instance \
             `approvers = [\"{}\"]` (the owner's manager)",
            m.id
        ),
        None => "name who must sign off before it is made, someone other than the owner: \
                 `approvers = [\"<person id>\"]`"
            .to_string(),
    }
}

use super::{Context, Group, ModelCheck, Rule};
use crate::finding::{Finding, Level};
use crate::model::PersonStatus;

pub const RULE: Rule = Rule {
    name: "handoff-unowned-team",
    level: Level::Warn,
    default_off: false,
    group: Group::Execution,
    summary: "A handoff starts or ends at a team whose lead has left",
    docs: r#"## What it checks
For every `[[handoff]]`, the team at each end (`from` and `to`): the finding fires when that team's `lead` is
a person with `status = "left"`. It is labelled on the handoff's `from` or `to` value, with related labels on
the team's `lead` and on the person's `status`. A handoff from a team to itself is checked once.

What it leaves to other rules, so that one problem is reported once:
- a `from` or `to` that names no team: `unknown-reference` (or `wrong-kind-reference` for a person);
- a team whose `lead` names nobody, or a team: `unknown-reference` or `wrong-kind-reference`. (`lead` is
  required, so a team without one is a `missing-field` and is not in the model at all);
- the team itself having a lead who left: `inactive-owner`, reported once on the team. This rule reports each
  handoff that depends on that team, because each one has lost the person who answers for its end.

## Why it matters
A handoff needs someone accountable on both sides: the sending lead makes sure the work leaves complete, the
receiving lead makes sure it is picked up. When one of them has left, work sent across the boundary lands
with nobody, and the handoff's `sla` is a promise no one keeps.

## Example
```toml
[[person]]
id = "tomas-reyes"
name = "Tomás Reyes"
email = "tomas@driftwood.example"
status = "left"

[[team]]
id = "sales"
name = "Sales"
lead = "tomas-reyes"

[[handoff]]
id = "sales-to-cs"
title = "Hand a new customer from sales to customer success"
from = "sales"
to = "customer-success"
owner = "kai-morgan"
sla = "2d"
acceptance = ["Kickoff call booked"]
```

## Use instead
Name an active lead for the team:
```toml
[[team]]
id = "sales"
name = "Sales"
lead = "founder"
```
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for handoff in &ctx.model.handoffs {
        let ends = [
            ("from", &handoff.from, "starts at"),
            ("to", &handoff.to, "ends at"),
        ];
        for (i, (field, team_id, verb)) in ends.into_iter().enumerate() {
            if i == 1 && handoff.to == handoff.from {
                continue;
            }
            let Some(team) = ctx.model.team(team_id) else {
                continue;
            };
            let Some(lead) = ctx.model.person(&team.lead) else {
                continue;
            };
            if lead.status != PersonStatus::Left {
                continue;
            }
            let who = ctx.model.who(&lead.id);
            let loc = &handoff.loc;
            out.push(
                Finding::new(
                    &RULE,
                    format!(
                        "handoff \"{}\" {verb} team \"{}\", whose lead {who} has left",
                        handoff.id, team.id
                    ),
                )
                .at(loc.file, loc.value(field), format!("\"{}\" has no active lead", team.id))
                .related(team.loc.file, team.loc.value("lead"), format!("the lead of \"{}\"", team.id))
                .related(lead.loc.file, lead.loc.value("status"), format!("{who} has left"))
                .help(format!(
                    "name an active person as `lead` of team \"{}\": until then nobody answers for this end of the handoff",
                    team.id
                ))
                .about("handoff", &handoff.id),
            );
        }
    }
}

use super::{Context, Group, ModelCheck, Rule};
use crate::document::Span;
use crate::finding::{Finding, Level};
use crate::model::kinds::Role;
use crate::model::{Loc, Model, PersonStatus};

pub const RULE: Rule = Rule {
    name: "inactive-owner",
    level: Level::Error,
    default_off: false,
    group: Group::Execution,
    summary: "An owner, approver, team lead, escalation target or manager has left the company",
    docs: r#"## What it checks
Every place the model names one accountable person, where that person's entry has `status = "left"`:

- the `owner` of an area, decision, handoff, metric, priority or cadence;
- a decision's `approvers` and its `escalate_to`;
- a team's `lead`;
- a person's `manager`.

Decisions that are `superseded` or `retired`, and people who have left themselves, are not checked: nobody
relies on them any more. References to ids that do not exist are reported by `unknown-reference` instead.

## Why it matters
A name on a role is a promise that someone will act. When that someone has left, the decision waits, the
escalation goes nowhere and the approval cannot be given, while the model still looks complete.

## Example
```toml
[[person]]
id = "tomas-reyes"
name = "Tomás Reyes"
email = "tomas@example.com"
status = "left"

[[decision]]
id = "enterprise-discounts"
title = "Approve discounts above 20% for enterprise deals"
owner = "tomas-reyes"
reversible = true
sla = "2d"
```

## Use instead
```toml
[[decision]]
id = "enterprise-discounts"
title = "Approve discounts above 20% for enterprise deals"
owner = "kai-morgan"   # whoever does the job now
reversible = true
sla = "2d"
```
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

/// One reference to a person, and how to talk about it.
struct Reference<'a> {
    kind: &'static str,
    entity: &'a str,
    loc: &'a Loc,
    span: Span,
    person: &'a str,
    role: Role,
}

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let model = ctx.model;
    // Every field that names one accountable person, as the table of kinds lists them, in model order; each
    // judged as it is met (nearly none names someone who left: nothing is collected).
    for entity in model.entities() {
        // Nobody relies on a person who has left, or on a superseded or retired decision, any more.
        if entity.kind.is_retired(entity.text("status")) {
            continue;
        }
        for field in entity.kind.references {
            let Some(role) = field.role else { continue };
            for (span, person) in entity.named(field) {
                let reference = Reference {
                    kind: entity.kind.name,
                    entity: entity.id,
                    loc: entity.loc,
                    span,
                    person,
                    role,
                };
                judge(model, reference, out);
            }
        }
    }
}

/// The finding for one reference, if it names a person who has left.
fn judge(model: &Model, r: Reference<'_>, out: &mut Vec<Finding>) {
    let Some(person) = model.person(r.person) else {
        return;
    };
    if person.status != PersonStatus::Left {
        return;
    }
    let who = model.who(r.person);
    let subject = if r.kind == "person" {
        model.who(r.entity)
    } else {
        format!("{} \"{}\"", r.kind, r.entity)
    };
    let (message, label, help) = match r.role {
            Role::Owner => (
                format!("{subject} is owned by {who}, who has left"),
                "owner has left",
                "name as `owner` the person who does this job now: someone who has left cannot answer for it"
                    .to_string(),
            ),
            Role::Approver => (
                format!("{subject} lists {who} as an approver, but they have left"),
                "approver has left",
                "replace them with an active approver who can sign off today, or remove them from `approvers`"
                    .to_string(),
            ),
            Role::EscalateTo => (
                format!("{subject} escalates to {who}, who has left"),
                "escalation target has left",
                "set `escalate_to` to an active person who can decide when the owner is stuck".to_string(),
            ),
            Role::Lead => (
                format!("{subject} is led by {who}, who has left"),
                "lead has left",
                "name the team's current lead in `lead`: a team needs one accountable person".to_string(),
            ),
            Role::Manager => (
                format!("{subject} reports to {who}, who has left"),
                "manager has left",
                "set `manager` to the person they report to now".to_string(),
            ),
        };
    out.push(
        Finding::new(&RULE, message)
            .at(r.loc.file, r.span, label)
            .related(
                person.loc.file,
                person.loc.value("status"),
                format!("{who} has left"),
            )
            .help(help)
            .about(r.kind, r.entity),
    );
}

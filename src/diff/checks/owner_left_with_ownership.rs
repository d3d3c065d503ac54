use crate::diff::{Change, DiffContext, Drift, DriftCheck, Op, RawFields};
use crate::finding::Level;
use crate::finding::{Group, Rule};

/// At most this many owned entities are named in the message.
const MAX_NAMED: usize = 5;

pub const RULE: Rule = Rule {
    name: "owner-left-with-ownership",
    level: Level::Error,
    default_off: false,
    group: Group::Drift,
    summary: "A change marks a person as left, or removes them, while they still own entities",
    docs: r#"## What it checks
`opmodel diff` reports a person who is `status = "left"` at head but was not at base, or who is removed,
while entities at head still name them: the `owner` of an area, decision, handoff, metric, priority or
cadence, or the `lead` of a team.

Sign-off: the person's `manager` at base; without one, the lead of their `team` at base. When the base names
neither, the change still needs sign-off, and the help says that nobody is named.

## Why it matters
People leave; their responsibilities do not. Marking someone as left without handing over what they own
creates owners who will never answer: decisions wait, metrics go unreviewed, and nobody notices until
something breaks. The person's manager is the one who must see the handover through.

## Example
At head:
```toml
[[person]]
id = "ana"
name = "Ana Lopez"
email = "ana@example.com"
manager = "carl"
status = "left"

[[decision]]
id = "pricing-exceptions"
title = "Approve a non-standard price for one deal"
owner = "ana"
reversible = true
```
Needs sign-off from Carl, Ana's manager, and `ana` should own nothing.

## Use instead
Hand every entity over in the same change (new `owner` or `lead`), then mark the person as left:
```toml
[[decision]]
id = "pricing-exceptions"
title = "Approve a non-standard price for one deal"
owner = "bob"
reversible = true
```
Levels of drift checks are read from `opmodel.toml` at the base of the comparison.
"#,
    params: &[],
};

/// The drift check: its rule and whether the drift it reports needs the sign-off of the people it names.
pub const CHECK: DriftCheck = DriftCheck {
    rule: &RULE,
    needs_signoff: true,
    classify,
};

pub fn classify(ctx: &DiffContext<'_>, change: &Change, out: &mut Vec<Drift>) {
    if change.kind != "person" {
        return;
    }
    let how = match change.op {
        Op::Removed => "is removed",
        Op::Changed => {
            let Some(status) = change.field("status") else {
                return;
            };
            let left = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_str()) == Some("left");
            if !left(status.new.as_ref()) || left(status.old.as_ref()) {
                return;
            }
            "is marked as left"
        }
        Op::Added => return,
    };
    let owned = ctx.owned_at_head(&change.id);
    if owned.is_empty() {
        return;
    }
    let mut named: Vec<String> = owned
        .iter()
        .take(MAX_NAMED)
        .map(|(kind, id, field)| match *field {
            "lead" => format!("{kind} \"{id}\" (lead)"),
            _ => format!("{kind} \"{id}\""),
        })
        .collect();
    if owned.len() > MAX_NAMED {
        named.push(format!("and {} more", owned.len() - MAX_NAMED));
    }
    let person = ctx.base_entity("person", &change.id);
    let manager = person.and_then(|p| p.text("manager"));
    let team_lead = person
        .and_then(|p| p.text("team"))
        .and_then(|t| ctx.lead_at_base(t))
        .filter(|lead| *lead != change.id);
    let mut drift = Drift::new(
        &RULE,
        format!(
            "{} {how} but still owns {} at head: {}",
            ctx.who(&change.id),
            match owned.len() {
                1 => "1 entity".to_string(),
                n => format!("{n} entities"),
            },
            named.join(", ")
        ),
    )
    .signoff(manager.or(team_lead));
    if change.op == Op::Changed {
        drift = drift.field("status");
    }
    out.push(drift);
}

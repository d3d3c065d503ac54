use crate::date::Duration;
use crate::diff::{Change, DiffContext, Drift, DriftCheck, Op, RawFields};
use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "sla-loosened",
    level: Level::Error,
    default_off: false,
    group: Group::Drift,
    summary: "A change gives a decision or a handoff a longer `sla`, or removes it",
    docs: r#"## What it checks
`opmodel diff` reports a decision or a handoff present on both sides whose `sla` at head is a longer duration
than at base (`"2d"` => `"1w"`), or that no longer has one. Durations are compared in minutes, so `"1w"` and
`"7d"` are the same. A tighter SLA, or one added, is not reported here; an SLA that is not a valid duration on
either side is left to `opmodel check`.

Sign-off: the owner of the decision at base; for a handoff, its owner AND the lead of the sending (`from`) team
at base. Whoever made the change does not count (four eyes): when they were the only signer, their manager
(else their team lead) signs instead.

## Why it matters
An SLA is a promise to whoever waits: the customer, the team downstream. Loosening it is sometimes honest, but
it should be the owner who makes that promise smaller, knowingly, not a line in a larger pull request.

## Example
At base:
```toml
[[handoff]]
id = "cs-to-engineering-bugs"
title = "Report a customer bug to engineering"
from = "customer-success"
to = "engineering"
owner = "mia"
sla = "1d"
```
At head, `sla = "3d"`: needs sign-off from Mia and from the lead of customer-success.

## Use instead
Keep the SLA, or agree the new one with the owner and let them approve the change. Levels of drift checks are
read from `opmodel.toml` at the base of the comparison.
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
    if !matches!(change.kind, "decision" | "handoff") || change.op != Op::Changed {
        return;
    }
    let Some(field) = change.field("sla") else {
        return;
    };
    let Some(before_text) = field.old.as_ref().and_then(|v| v.as_str()) else {
        return;
    };
    let Some(before) = Duration::parse(before_text) else {
        return;
    };
    let message = match field.new.as_ref() {
        None => format!(
            "{} no longer has an sla (it was {before_text})",
            change.name()
        ),
        Some(after) => {
            let Some(after_text) = after.as_str() else {
                return;
            };
            match Duration::parse(after_text) {
                Some(after) if after > before => {
                    format!(
                        "sla of {} loosens from {before_text} to {after_text}",
                        change.name()
                    )
                }
                _ => return,
            }
        }
    };
    let entity = ctx.base_entity(change.kind, &change.id);
    let owner = entity.and_then(|e| e.text("owner"));
    // A handoff's SLA is a promise to the team that sends the work: its lead signs too (a team id stands for
    // its lead among the signers).
    let sender = entity
        .filter(|_| change.kind == "handoff")
        .and_then(|e| e.text("from"));
    out.push(
        Drift::new(&RULE, message)
            .field("sla")
            .signoff([owner, sender].into_iter().flatten()),
    );
}

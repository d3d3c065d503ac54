use crate::diff::{Change, DiffContext, Drift, DriftCheck, Op, RawFields};
use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "handoff-removed",
    level: Level::Error,
    default_off: false,
    group: Group::Drift,
    summary: "A change removes a handoff between two teams",
    docs: r#"## What it checks
`opmodel diff` reports a `[[handoff]]` present at base and absent at head (moving it to another file is not a
removal).

Sign-off: the handoff's owner and the leads of both teams (`from` and `to`) at base.

## Why it matters
Removing a handoff from the model does not stop the work from passing between the teams: it only removes its
owner, its SLA and its definition of done. Both teams depend on it, so both leads have a say.

## Example
At base:
```toml
[[handoff]]
id = "sales-to-onboarding"
title = "Hand a signed customer to onboarding"
from = "sales"
to = "onboarding"
owner = "ana"
sla = "1d"
```
At head the handoff is gone: needs sign-off from Ana and the leads of sales and onboarding.

## Use instead
If the handoff no longer happens, say so in the pull request and ask the owner and both leads to approve. If it
moved, keep its `id`: an entity with the same kind and id is the same handoff, wherever it is written. Levels of
drift checks are read from `opmodel.toml` at the base of the comparison.
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
    if change.kind != "handoff" || change.op != Op::Removed {
        return;
    }
    let Some(before) = ctx.base_entity("handoff", &change.id) else {
        return;
    };
    let (from, to) = (
        before.text("from").unwrap_or("?"),
        before.text("to").unwrap_or("?"),
    );
    let leads = [from, to].into_iter().filter_map(|t| ctx.lead_at_base(t));
    out.push(
        Drift::new(
            &RULE,
            format!(
                "{} (from team \"{from}\" to team \"{to}\") is removed",
                change.name()
            ),
        )
        .signoff(before.text("owner").into_iter().chain(leads)),
    );
}

use crate::diff::{Change, DiffContext, Drift, DriftCheck, Op};
use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "decision-removed",
    level: Level::Warn,
    default_off: false,
    group: Group::Drift,
    summary: "A change removes a decision from the model",
    docs: r#"## What it checks
`opmodel diff` reports a `[[decision]]` present at base and absent at head (moving it to another file is not a
removal). A one-way door (`reversible = false` at base) is also reported by `irreversible-changed`.

Sign-off: none; the check never waits for one, whatever its level. Who to ask: the decision's owner at base.

## Why it matters
A decision that disappears from the model is still taken by someone: only nobody knows who any more. Usually the
intent is to retire it, which the model can say while keeping the record.

## Example
At base:
```toml
[[decision]]
id = "refund-policy"
title = "Refund a customer above the standard limit"
owner = "mia"
reversible = true
```
At head the decision is gone.

## Use instead
Keep the decision and say what happened to it:
```toml
[[decision]]
id = "refund-policy"
title = "Refund a customer above the standard limit"
owner = "mia"
reversible = true
status = "retired"
```
or `status = "superseded"` with `superseded_by`. Levels of drift checks are read from `opmodel.toml` at the
base of the comparison.
"#,
    params: &[],
};

/// The drift check: its rule and whether the drift it reports needs the sign-off of the people it names.
pub const CHECK: DriftCheck = DriftCheck {
    rule: &RULE,
    needs_signoff: false,
    classify,
};

pub fn classify(ctx: &DiffContext<'_>, change: &Change, out: &mut Vec<Drift>) {
    if change.kind != "decision" || change.op != Op::Removed {
        return;
    }
    out.push(
        Drift::new(&RULE, format!("{} is removed", change.name()))
            .signoff(ctx.owners_at_base("decision", &change.id)),
    );
}

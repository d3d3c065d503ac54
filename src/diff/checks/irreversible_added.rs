use crate::diff::{Change, DiffContext, Drift, DriftCheck, Op, RawFields};
use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "irreversible-added",
    level: Level::Warn,
    default_off: false,
    group: Group::Drift,
    summary: "A change adds a one-way door: a new decision with `reversible = false`, or one made irreversible",
    docs: r#"## What it checks
`opmodel diff` reports a decision added with `reversible = false`, and a decision present on both sides whose
`reversible` goes from `true` to `false`.

Sign-off: none; the check never waits for one, whatever its level. Who to ask: the decision's owner (for a new
decision, the owner it names, when the base knows that person; for an existing one, its owner at base).

## Why it matters
One-way doors slow a company down on purpose: each needs approvers and care. Adding one is a commitment for
the approvers it names, who may not know yet; and a model with too many one-way doors stalls.

## Example
At head:
```toml
[[decision]]
id = "vendor-contracts"
title = "Sign a multi-year vendor contract"
owner = "dana"
reversible = false
approvers = ["cfo"]
```

## Use instead
Check that the decision really cannot be undone cheaply, and that its approvers agree to the role. Levels of
drift checks are read from `opmodel.toml` at the base of the comparison.
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
    if change.kind != "decision" {
        return;
    }
    match change.op {
        Op::Added => {
            let Some(after) = ctx.head_entity("decision", &change.id) else {
                return;
            };
            if after.flag("reversible") != Some(false) {
                return;
            }
            out.push(
                Drift::new(
                    &RULE,
                    format!(
                        "{} is added as a one-way door (reversible = false)",
                        change.name()
                    ),
                )
                .signoff(after.text("owner")),
            );
        }
        Op::Changed => {
            let Some(field) = change.field("reversible") else {
                return;
            };
            let was_reversible = field.old.as_ref().and_then(|v| v.as_bool()) == Some(true);
            let is_irreversible = field.new.as_ref().and_then(|v| v.as_bool()) == Some(false);
            if !(was_reversible && is_irreversible) {
                return;
            }
            out.push(
                Drift::new(
                    &RULE,
                    format!(
                        "{} becomes a one-way door (reversible = true => false)",
                        change.name()
                    ),
                )
                .field("reversible")
                .signoff(ctx.owners_at_base("decision", &change.id)),
            );
        }
        Op::Removed => {}
    }
}

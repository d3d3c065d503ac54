use crate::diff::{strings, Change, DiffContext, Drift, DriftCheck, Op, RawFields};
use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "approvers-removed",
    level: Level::Error,
    default_off: false,
    group: Group::Drift,
    summary: "A change removes approvers from a decision",
    docs: r#"## What it checks
`opmodel diff` reports a decision present on both sides that names, at head, fewer of its base approvers:
an approver taken out of `approvers`, or the field removed. Adding approvers is not reported here.

Sign-off: the decision's owner and its approvers at base (including the ones removed).

## Why it matters
Approvers are the check on a decision-maker. Removing one is the quietest way to make a decision easier to
take alone, and the person removed is the one who would object.

## Example
At base:
```toml
[[decision]]
id = "pricing-exceptions"
title = "Approve a non-standard price for one deal"
owner = "ana"
reversible = false
approvers = ["cfo", "ceo"]
```
At head, `approvers = ["cfo"]`: needs sign-off from Ana, the CFO and the CEO.

## Use instead
Agree the change with the owner and the approvers, and let them approve the pull request. Levels of drift
checks are read from `opmodel.toml` at the base of the comparison.
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
    if change.kind != "decision" || change.op != Op::Changed {
        return;
    }
    let Some(field) = change.field("approvers") else {
        return;
    };
    let before = strings(field.old.as_ref());
    let after = strings(field.new.as_ref());
    let removed: Vec<&str> = before
        .iter()
        .copied()
        .filter(|a| !after.contains(a))
        .collect();
    if removed.is_empty() {
        return;
    }
    let names: Vec<String> = removed.iter().map(|id| ctx.who(id)).collect();
    let owner = ctx
        .base_entity("decision", &change.id)
        .and_then(|d| d.text("owner"));
    out.push(
        Drift::new(
            &RULE,
            format!(
                "{} loses {} as approver{}",
                change.name(),
                names.join(", "),
                if removed.len() == 1 { "" } else { "s" }
            ),
        )
        .field("approvers")
        .signoff(owner.into_iter().chain(before)),
    );
}

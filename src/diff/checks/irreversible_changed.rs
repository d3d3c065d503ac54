use crate::diff::{Change, DiffContext, Drift, DriftCheck, Op, RawFields};
use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "irreversible-changed",
    level: Level::Error,
    default_off: false,
    group: Group::Drift,
    summary:
        "A change edits or removes a decision that is a one-way door (`reversible = false` at base)",
    docs: r#"## What it checks
`opmodel diff` reports every change to a decision that has `reversible = false` at base: any field changed,
added or removed, and the decision's removal. Whether a decision is a one-way door is read from the base, so
a change that also sets `reversible = true` is still judged as one (`made-reversible` reports that part too).

Sign-off: every approver of the decision at base; when it has none, its owner at base.

## Why it matters
A one-way door is a decision the company agreed to take with extra care: its approvers are the safeguard.
Editing its owner, its approvers, its SLA or even its rationale without them quietly rewrites what they
approved.

## Example
At base:
```toml
[[decision]]
id = "pricing-exceptions"
title = "Approve a non-standard price for one deal"
owner = "ana"
reversible = false
approvers = ["cfo"]
sla = "2d"
```
At head, `sla = "5d"`: needs sign-off from the CFO, the approver.

## Use instead
Make the change with the approvers: ask them to review the pull request, or record their approval with an
`Approved-by:` trailer. Levels of drift checks are read from `opmodel.toml` at the base of the comparison.
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
    if change.kind != "decision" || change.op == Op::Added {
        return;
    }
    let Some(before) = ctx.base_entity("decision", &change.id) else {
        return;
    };
    if before.flag("reversible") != Some(false) {
        return;
    }
    let approvers = before.list("approvers");
    let signoff: Vec<&str> = if approvers.is_empty() {
        before.text("owner").into_iter().collect()
    } else {
        approvers
    };
    let message = match change.op {
        Op::Removed => format!(
            "{}, a one-way door (reversible = false at base), is removed",
            change.name()
        ),
        _ => {
            let fields: Vec<&str> = change.fields.iter().map(|f| f.field.as_str()).collect();
            format!(
                "{} is a one-way door (reversible = false at base), and its {} changed",
                change.name(),
                fields.join(", ")
            )
        }
    };
    out.push(Drift::new(&RULE, message).signoff(signoff));
}

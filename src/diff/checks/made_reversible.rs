use crate::diff::{shown, Change, DiffContext, Drift, DriftCheck, Op, RawFields};
use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "made-reversible",
    level: Level::Error,
    default_off: false,
    group: Group::Drift,
    summary:
        "A change turns a one-way door into a reversible decision (`reversible = false` => `true`)",
    docs: r#"## What it checks
`opmodel diff` reports a decision whose `reversible` is `false` at base and anything else at head (`true`, or
removed).

Sign-off: the decision's owner and its approvers at base.

## Why it matters
Declaring a decision reversible removes the safeguards a one-way door carries (approvers, extra care). It can
be right — the company learnt the decision is cheap to undo — but it must be the people who hold the decision
today who say so, not a side effect of a pull request.

## Example
At base:
```toml
[[decision]]
id = "vendor-contracts"
title = "Sign a multi-year vendor contract"
owner = "dana"
reversible = false
approvers = ["cfo"]
```
At head, `reversible = true`: needs sign-off from Dana and the CFO.

## Use instead
Ask the owner and the approvers to approve the change; write down why in `rationale`. Levels of drift checks
are read from `opmodel.toml` at the base of the comparison.
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
    let Some(field) = change.field("reversible") else {
        return;
    };
    if field.old.as_ref().and_then(|v| v.as_bool()) != Some(false) {
        return;
    }
    let Some(before) = ctx.base_entity("decision", &change.id) else {
        return;
    };
    let signoff = before
        .text("owner")
        .into_iter()
        .chain(before.list("approvers"));
    out.push(
        Drift::new(
            &RULE,
            format!(
                "{} is no longer a one-way door (reversible = false => {})",
                change.name(),
                shown(field.new.as_ref())
            ),
        )
        .field("reversible")
        .signoff(signoff),
    );
}

use crate::diff::{strings, Change, DiffContext, Drift, DriftCheck, Op, RawFields};
use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "acceptance-removed",
    level: Level::Warn,
    default_off: false,
    group: Group::Drift,
    summary: "A change removes acceptance criteria from a handoff",
    docs: r#"## What it checks
`opmodel diff` reports a handoff present on both sides whose `acceptance` at head lacks criteria it had at
base, or that no longer has `acceptance` at all. New criteria, and reworded ones that keep the old text, are
not reported here (a reworded criterion counts as one removed and one added).

Sign-off: none; the check never waits for one, whatever its level. Who to ask: the handoff's owner and the lead of
the receiving team (`to`) at base.

## Why it matters
Acceptance criteria say what "done" means for the team that receives the work. Dropping one moves work back
onto the receiver without asking them.

## Example
At base:
```toml
[[handoff]]
id = "cs-to-engineering-bugs"
title = "Report a customer bug to engineering"
from = "customer-success"
to = "engineering"
owner = "mia"
acceptance = ["Steps to reproduce", "The customer's plan and account id"]
```
At head, `acceptance = ["Steps to reproduce"]`.

## Use instead
Agree the change with the receiving team's lead, and let them approve the pull request. Levels of drift checks
are read from `opmodel.toml` at the base of the comparison.
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
    if change.kind != "handoff" || change.op != Op::Changed {
        return;
    }
    let Some(field) = change.field("acceptance") else {
        return;
    };
    let before = strings(field.old.as_ref());
    let after = strings(field.new.as_ref());
    let removed: Vec<String> = before
        .iter()
        .filter(|c| !after.contains(c))
        .map(|c| format!("\"{c}\""))
        .collect();
    if removed.is_empty() {
        return;
    }
    let message = if field.new.is_none() {
        format!(
            "{} no longer says what done means (acceptance removed)",
            change.name()
        )
    } else {
        format!(
            "{} drops acceptance criteria: {}",
            change.name(),
            removed.join(", ")
        )
    };
    let handoff = ctx.base_entity("handoff", &change.id);
    let owner = handoff.and_then(|h| h.text("owner"));
    let receiver = handoff
        .and_then(|h| h.text("to"))
        .and_then(|t| ctx.lead_at_base(t));
    out.push(
        Drift::new(&RULE, message)
            .field("acceptance")
            .signoff(owner.into_iter().chain(receiver)),
    );
}

use crate::diff::{Change, DiffContext, Drift, DriftCheck, Op};
use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "entity-changed",
    level: Level::Info,
    default_off: false,
    group: Group::Drift,
    summary: "A change edits fields of an entity that no other drift check reports",
    docs: r#"## What it checks
`opmodel diff` notes, for every entity present on both sides with different fields, the fields that no other
drift check reported (a title reworded, a tag added, an SLA tightened). Values are compared as values: `10` and
`10.0` are the same number, and the order of keys does not matter (the order of an array's items does).

Sign-off: none; the check never waits for one, whatever its level. Who to ask: whoever answers for the entity at
base: its `owner`, a team's `lead`, a person and their `manager`.

## Why it matters
Most edits are routine, which is why this check is `info`: the plan still shows each one, old => new, so a
reviewer sees every field that moved.

## Example
At base `title = "Refunds"`, at head `title = "Refund a customer above the standard limit"`:
```text
decisions
  ~ refund-policy
      title: "Refunds" => "Refund a customer above the standard limit"
```

## Use instead
Nothing to fix. To review every edit:
```toml
[rules]
entity-changed = "warn"
```
Levels of drift checks are read from `opmodel.toml` at the base of the comparison.
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
    if change.op != Op::Changed || out.iter().any(|d| d.field.is_none()) {
        return;
    }
    let rest: Vec<&str> = change
        .fields
        .iter()
        .map(|f| f.field.as_str())
        .filter(|f| !out.iter().any(|d| d.field.as_deref() == Some(*f)))
        .collect();
    if rest.is_empty() {
        return;
    }
    let mut drift = Drift::new(
        &RULE,
        format!("{} changes: {}", change.name(), rest.join(", ")),
    )
    .signoff(ctx.owners_at_base(change.kind, &change.id));
    if let [one] = rest.as_slice() {
        drift = drift.field(one);
    }
    out.push(drift);
}

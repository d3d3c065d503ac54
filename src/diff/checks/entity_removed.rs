use crate::diff::{Change, DiffContext, Drift, DriftCheck, Op};
use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "entity-removed",
    level: Level::Info,
    default_off: false,
    group: Group::Drift,
    summary: "A change removes an entity that no other drift check reports",
    docs: r#"## What it checks
`opmodel diff` notes every entity present at base and absent at head (by kind and id: an entity moved to
another file is not removed), unless another drift check already reports it (such as `handoff-removed`,
`decision-removed`, `metric-removed` or `owner-left-with-ownership`).

Sign-off: none; the check never waits for one, whatever its level. Who to ask: whoever answers for the entity at
base: its `owner`, a team's `lead`, a person and their `manager`.

## Why it matters
A plan lists what it destroys. Removing a team, a priority or a cadence may be routine or may leave references
dangling; `opmodel check` at head reports the dangling ones.

## Example
At base:
```toml
[[cadence]]
id = "monthly-business-review"
name = "Monthly business review"
every = "monthly"
owner = "ana"
```
At head the cadence is gone.

## Use instead
Nothing to fix. To make removals stand out:
```toml
[rules]
entity-removed = "warn"
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
    if change.op == Op::Removed && out.is_empty() {
        out.push(
            Drift::new(&RULE, format!("{} is removed", change.name()))
                .signoff(ctx.owners_at_base(change.kind, &change.id)),
        );
    }
}

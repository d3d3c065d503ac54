use crate::diff::{Change, DiffContext, Drift, DriftCheck, Op};
use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "entity-added",
    level: Level::Info,
    default_off: false,
    group: Group::Drift,
    summary: "A change adds an entity that no other drift check reports",
    docs: r#"## What it checks
`opmodel diff` notes every entity present at head and absent at base (by kind and id: an entity moved to
another file is not added), unless another drift check already reports it (such as `irreversible-added`).

Nobody's sign-off: the base has no owner for a new entity. `opmodel check` judges the new entity itself.

Sign-off: none needed, and nobody is named: in `opmodel audit` the area that owns the file judges the
addition.

Sign-off: none, and nobody is named; in `opmodel audit` the area that owns the file judges the addition.

## Why it matters
A plan lists what it creates. Most additions are routine, which is why this check is `info`; raise it to
`warn` or `error` in a model where every new entity should be reviewed.

## Example
At head, a new person:
```toml
[[person]]
id = "bob"
name = "Bob Stone"
email = "bob@example.com"
```

## Use instead
Nothing to fix. To make additions stand out:
```toml
[rules]
entity-added = "warn"
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

pub fn classify(_ctx: &DiffContext<'_>, change: &Change, out: &mut Vec<Drift>) {
    if change.op == Op::Added && out.is_empty() {
        out.push(Drift::new(&RULE, format!("{} is added", change.name())));
    }
}

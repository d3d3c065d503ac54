use crate::diff::{Change, DiffContext, Drift, DriftCheck, Op};
use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "metric-removed",
    level: Level::Warn,
    default_off: false,
    group: Group::Drift,
    summary: "A change removes a metric from the model",
    docs: r#"## What it checks
`opmodel diff` reports a `[[metric]]` present at base and absent at head (moving it to another file is not a
removal).

Sign-off: none; the check never waits for one, whatever its level. Who to ask: the metric's owner at base.

## Why it matters
A metric that leaves the model stops being reviewed, and the priorities and areas it served lose their
measure. Dropping a number that looks bad is the pattern to catch.

## Example
At base:
```toml
[[metric]]
id = "churn"
name = "Monthly logo churn"
owner = "mia"
target = 2
direction = "decrease"
```
At head the metric is gone.

## Use instead
If the metric no longer matters, say why in the pull request and have its owner approve; if it is replaced,
add the replacement in the same change and point the priorities' `metrics` at it. Levels of drift checks are
read from `opmodel.toml` at the base of the comparison.
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
    if change.kind != "metric" || change.op != Op::Removed {
        return;
    }
    out.push(
        Drift::new(&RULE, format!("{} is removed", change.name()))
            .signoff(ctx.owners_at_base("metric", &change.id)),
    );
}

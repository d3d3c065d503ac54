use crate::diff::{Change, DiffContext, Drift, DriftCheck, Op};
use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "cadence-loosened",
    level: Level::Warn,
    default_off: false,
    group: Group::Drift,
    summary: "A change makes a cadence meet less often, or a metric reviewed less often (or never)",
    docs: r#"## What it checks
`opmodel diff` reports a `[[cadence]]` whose `every` is less frequent at head than at base (`"weekly"` =>
`"monthly"`), and a `[[metric]]` whose `cadence` is less frequent at head, or removed. The order is `daily`,
`weekly`, `monthly`, `quarterly`.

Sign-off: none; the check never waits for one, whatever its level. Who to ask: the owner of the cadence or metric
at base.

## Why it matters
Reviews are how a company notices drift early. Meeting less often is a reasonable trade, but it is also how a
number goes unwatched for a quarter: the owner should make the trade knowingly.

## Example
At base:
```toml
[[cadence]]
id = "pipeline-review"
name = "Pipeline review"
every = "weekly"
owner = "ana"
```
At head, `every = "monthly"`.

## Use instead
Keep the cadence, or agree the new one with its owner. Levels of drift checks are read from `opmodel.toml` at
the base of the comparison.
"#,
    params: &[],
};

/// How often, as a rank: higher is less frequent.
fn rank(value: Option<&serde_json::Value>) -> Option<usize> {
    let text = value?.as_str()?;
    ["daily", "weekly", "monthly", "quarterly"]
        .iter()
        .position(|e| *e == text)
}

/// The drift check: its rule and whether the drift it reports needs the sign-off of the people it names.
pub const CHECK: DriftCheck = DriftCheck {
    rule: &RULE,
    needs_signoff: false,
    classify,
};

pub fn classify(ctx: &DiffContext<'_>, change: &Change, out: &mut Vec<Drift>) {
    if change.op != Op::Changed {
        return;
    }
    let field = match change.kind {
        "cadence" => "every",
        "metric" => "cadence",
        _ => return,
    };
    let Some(moved) = change.field(field) else {
        return;
    };
    let Some(before) = rank(moved.old.as_ref()) else {
        return;
    };
    let old = moved
        .old
        .as_ref()
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    let message = match (moved.new.as_ref(), rank(moved.new.as_ref())) {
        (None, _) if change.kind == "metric" => {
            format!(
                "{} is no longer reviewed on a cadence (it was {old})",
                change.name()
            )
        }
        (Some(new), Some(after)) if after > before => {
            let new = new.as_str().unwrap_or_default();
            match change.kind {
                "cadence" => format!("{} now meets {new} instead of {old}", change.name()),
                _ => format!("{} is now reviewed {new} instead of {old}", change.name()),
            }
        }
        _ => return,
    };
    out.push(
        Drift::new(&RULE, message)
            .field(field)
            .signoff(ctx.owners_at_base(change.kind, &change.id)),
    );
}

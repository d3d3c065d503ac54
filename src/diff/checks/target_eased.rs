use crate::diff::{shown, Change, DiffContext, Drift, DriftCheck, Op, RawFields};
use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "target-eased",
    level: Level::Error,
    default_off: false,
    group: Group::Drift,
    summary: "A change moves a metric's `target` against its `direction`, removes it, or changes the `direction`",
    docs: r#"## What it checks
`opmodel diff` reports a metric present on both sides whose `target` became easier to meet, judged by its
`direction` at base:

- `direction = "increase"` (higher is better): a lower target;
- `direction = "decrease"` (lower is better): a higher target;
- `direction = "hold"` (stay at the target): any move, up or down, since the target is the level to keep;
- no `direction`: any move, as for `hold`, since opmodel cannot tell which way is easier.

A target removed, and a `direction` changed or removed (which redefines what "better" means), count too.
Moving a target the ambitious way is not reported here.

Sign-off: the metric's owner at base. An owner who eases their own target cannot sign it off (four eyes): their
`manager` signs instead, else the lead of their team, else nobody can.

## Why it matters
Easing a target is the quietest way to turn a miss into a hit. It is sometimes right — the target was
unrealistic — but the person who answers for the number should be the one to say so.

## Example
At base:
```toml
[[metric]]
id = "net-revenue-retention"
name = "Net revenue retention"
owner = "ana"
unit = "%"
target = 110
direction = "increase"
```
At head, `target = 100`: needs sign-off from Ana.

## Use instead
Agree the new target with the owner and record why (`description`); let the owner approve the change. Levels
of drift checks are read from `opmodel.toml` at the base of the comparison.
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
    if change.kind != "metric" || change.op != Op::Changed {
        return;
    }
    let Some(before) = ctx.base_entity("metric", &change.id) else {
        return;
    };
    let owner = before.text("owner");
    let direction = before.text("direction");
    if let Some(field) = change.field("target") {
        let old = field.old.as_ref().and_then(|v| v.as_f64());
        let new = field.new.as_ref().and_then(|v| v.as_f64());
        let message = match (old, new) {
            (Some(_), None) => Some(format!(
                "{} no longer has a target (it was {})",
                change.name(),
                shown(field.old.as_ref())
            )),
            (Some(old), Some(new)) => {
                let eased = match direction {
                    Some("increase") => new < old,
                    Some("decrease") => new > old,
                    _ => new != old,
                };
                eased.then(|| {
                    format!(
                        "target of {} eases from {} to {} ({})",
                        change.name(),
                        shown(field.old.as_ref()),
                        shown(field.new.as_ref()),
                        match direction {
                            Some("increase") => "higher is better".to_string(),
                            Some("decrease") => "lower is better".to_string(),
                            Some("hold") =>
                                "direction hold: any move changes the commitment".to_string(),
                            _ => "no direction: any move counts".to_string(),
                        }
                    )
                })
            }
            _ => None,
        };
        if let Some(message) = message {
            out.push(Drift::new(&RULE, message).field("target").signoff(owner));
        }
    }
    if let Some(field) = change.field("direction") {
        if field.old.is_some() {
            out.push(
                Drift::new(
                    &RULE,
                    format!(
                        "direction of {} changes from {} to {}: what counts as better is redefined",
                        change.name(),
                        shown(field.old.as_ref()),
                        shown(field.new.as_ref())
                    ),
                )
                .field("direction")
                .signoff(owner),
            );
        }
    }
}

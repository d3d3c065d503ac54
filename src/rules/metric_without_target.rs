use super::{Context, Group, ModelCheck, Rule};
use crate::finding::{Finding, Level};

pub const RULE: Rule = Rule {
    name: "metric-without-target",
    level: Level::Warn,
    default_off: false,
    group: Group::Execution,
    summary: "A metric has no `target` to judge its number against",
    docs: r#"## What it checks
That every `[[metric]]` has a `target`: the number the owner is aiming for. The finding is labelled on the
metric's header, since the field is absent.

## Why it matters
A metric without a target is reported, not managed. Every review ends with "it went up a bit", nobody can say
whether that is good enough, and the metric cannot tell a priority that is working from one that is not.

## Example
```toml
[[metric]]
id = "mrr"
name = "Monthly recurring revenue"
owner = "founder"
unit = "USD"
direction = "increase"
cadence = "monthly"
```

## Use instead
```toml
[[metric]]
id = "mrr"
name = "Monthly recurring revenue"
owner = "founder"
unit = "USD"
direction = "increase"
target = 250000
cadence = "monthly"
```
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for metric in &ctx.model.metrics {
        if metric.target.is_some() {
            continue;
        }
        let loc = &metric.loc;
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "metric \"{}\" ({}) has no target: nobody can say whether its number is good enough",
                    metric.id, metric.name
                ),
            )
            .at(loc.file, loc.span.clone(), "no `target`")
            .help(format!(
                "add `target = <number>`: the value {} is aiming for, in the metric's unit",
                ctx.model.who(&metric.owner)
            ))
            .about("metric", &metric.id),
        );
    }
}

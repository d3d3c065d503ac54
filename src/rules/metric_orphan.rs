use std::collections::HashSet;

use super::{Context, Group, ModelCheck, Rule};
use crate::finding::{Finding, Level};

pub const RULE: Rule = Rule {
    name: "metric-orphan",
    level: Level::Warn,
    default_off: false,
    group: Group::Execution,
    summary: "A metric serves no priority or area, and no priority lists it",
    docs: r#"## What it checks
That every `[[metric]]` is tied to something it measures: either its own `serves` names a priority or an area,
or some `[[priority]]` lists it in `metrics`. The finding is labelled on the metric's header (or on an empty
`serves = []`). A `serves` whose ids do not exist counts as tied: `unknown-reference` reports those. Being
reviewed by a `[[cadence]]` does not count: a review says when the number is read, not what it is for.

## Why it matters
A metric nobody acts on still costs a review slot every week, and it crowds the dashboard that should show
whether the priorities are working. Either it measures something the company has decided to do, or it can go.

## Example
```toml
[[metric]]
id = "nps"
name = "Net promoter score"
owner = "mia-santos"
target = 40
cadence = "quarterly"
```

## Use instead
```toml
[[metric]]
id = "nps"
name = "Net promoter score"
owner = "mia-santos"
target = 40
cadence = "quarterly"
serves = ["reduce-churn"]
```
or list it in the priority's `metrics`, or delete it.
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    // Collected once: scanning every priority for every metric grew with the square of the model.
    let listed: HashSet<&str> = ctx
        .model
        .priorities
        .iter()
        .flat_map(|p| p.metrics.iter().map(String::as_str))
        .collect();
    for metric in &ctx.model.metrics {
        if listed.contains(metric.id.as_str()) || !metric.serves.is_empty() {
            continue;
        }
        let loc = &metric.loc;
        let (span, label) = match loc.field("serves") {
            Some(field) => (field.value(), "serves nothing"),
            None => (loc.span.clone(), "no `serves`, and no priority lists it"),
        };
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "metric \"{}\" ({}) serves no priority or area, and no priority lists it",
                    metric.id, metric.name
                ),
            )
            .at(loc.file, span, label)
            .help("add `serves = [\"<priority or area id>\"]`, or list the metric in a priority's `metrics`; if nobody acts on it, delete it")
            .about("metric", &metric.id),
        );
    }
}

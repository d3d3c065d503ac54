use super::{Context, Group, ModelCheck, Rule};
use crate::finding::{Finding, Level};

pub const RULE: Rule = Rule {
    name: "priority-without-metric",
    level: Level::Warn,
    default_off: false,
    group: Group::Execution,
    summary: "A priority lists no metric: nothing says whether it is working",
    docs: r#"## What it checks
That every `[[priority]]` lists at least one metric id in `metrics`. The finding is labelled on the
priority's header (or on an empty `metrics = []`). A metric that names the priority in its own `serves` does
not count: the priority itself should say how its progress is measured.

## Why it matters
A priority without a measure is judged by mood. Nobody can tell at the quarterly review whether it worked, so
it is neither finished nor stopped, and it stays on the list for another quarter.

## Example
```toml
[[priority]]
id = "launch-ai-insights"
title = "Launch AI insights"
owner = "lena-fischer"
tier = "committed"
stop_doing = ["The mobile app rewrite"]
```

## Use instead
```toml
[[priority]]
id = "launch-ai-insights"
title = "Launch AI insights"
owner = "lena-fischer"
tier = "committed"
stop_doing = ["The mobile app rewrite"]
metrics = ["ai-insights-weekly-users"]
```
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for priority in &ctx.model.priorities {
        if !priority.metrics.is_empty() {
            continue;
        }
        let loc = &priority.loc;
        let (span, label) = match loc.field("metrics") {
            Some(field) => (field.value(), "empty list"),
            None => (loc.span.clone(), "no `metrics`"),
        };
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "priority \"{}\" has no metric: nothing says whether \"{}\" is working",
                    priority.id, priority.title
                ),
            )
            .at(loc.file, span, label)
            .help("add `metrics = [\"<metric id>\"]`: the numbers that will move if this priority succeeds")
            .about("priority", &priority.id),
        );
    }
}

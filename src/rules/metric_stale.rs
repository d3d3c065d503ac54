use super::{Context, Group, ModelCheck, Rule};
use crate::finding::{Finding, Level};

pub const RULE: Rule = Rule {
    name: "metric-stale",
    level: Level::Warn,
    default_off: false,
    group: Group::Execution,
    summary: "A metric has not been reviewed as often as its `cadence` says",
    docs: r#"## What it checks
For every `[[metric]]` with a `cadence`, that it was reviewed recently enough at the as-of date (`--as-of`,
default today): the days since `last_reviewed` may be at most 1 for `daily`, 7 for `weekly`, 31 for `monthly`
and 92 for `quarterly`. The finding is labelled on `last_reviewed`, with the `cadence` as a related label.

A metric with a `cadence` but no `last_reviewed` is reported too, as never reviewed, labelled on its
`cadence`: a cadence nobody has recorded keeping is not kept. A metric without a `cadence` is not checked (it
promises no rhythm), and neither is one whose `last_reviewed` is after the as-of date.

## Why it matters
A metric that nobody looks at is decoration. The cadence is the owner's promise about how quickly a bad number
will be noticed; once reviews stop, a slipping priority looks fine on paper until the quarter is lost.

## Example
```toml
[[metric]]
id = "weekly-active-teams"
name = "Teams active in the last 7 days"
owner = "lena-fischer"
target = 400
cadence = "weekly"
last_reviewed = 2026-06-15
```

## Use instead
Review it, and record the date:
```toml
[[metric]]
id = "weekly-active-teams"
name = "Teams active in the last 7 days"
owner = "lena-fischer"
target = 400
cadence = "weekly"
last_reviewed = 2026-11-16
```
or set the `cadence` the team really keeps (`"monthly"`).
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for metric in &ctx.model.metrics {
        let Some(cadence) = metric.cadence else {
            continue;
        };
        let loc = &metric.loc;
        let allowed = cadence.days();
        let cadence_words = format!(
            "reviewed {} (at most {allowed} days apart)",
            cadence.as_str()
        );
        let finding = match metric.last_reviewed {
            Some(last) => {
                let days = ctx.as_of.days_since(last);
                if days <= allowed {
                    continue;
                }
                Finding::new(
                    &RULE,
                    format!(
                        "metric \"{}\" was last reviewed {days} days ago ({last}), but its cadence is {} (at most {allowed} days)",
                        metric.id,
                        cadence.as_str()
                    ),
                )
                .at(loc.file, loc.value("last_reviewed"), format!("{days} days before {}", ctx.as_of))
                .related(loc.file, loc.value("cadence"), cadence_words)
            }
            None => Finding::new(
                &RULE,
                format!(
                    "metric \"{}\" has a {} cadence but has never been reviewed: it has no `last_reviewed`",
                    metric.id,
                    cadence.as_str()
                ),
            )
            .at(loc.file, loc.value("cadence"), "no `last_reviewed` to show it is kept"),
        };
        out.push(
            finding
                .help(format!(
                    "review the metric with {} and set `last_reviewed` to that date, or set the `cadence` the team really keeps",
                    ctx.model.who(&metric.owner)
                ))
                .about("metric", &metric.id),
        );
    }
}

use super::{Context, Group, ModelCheck, Rule};
use crate::finding::{Finding, Level};

pub const RULE: Rule = Rule {
    name: "priority-without-stop",
    level: Level::Warn,
    default_off: false,
    group: Group::Execution,
    summary: "A priority does not say what stops to make room for it",
    docs: r#"## What it checks
That every `[[priority]]` has a non-empty `stop_doing` list: what the company stops doing to make room for
it. The finding is labelled on the priority's header (or on an empty `stop_doing = []`). Exploratory
priorities are checked too: exploring also takes people's time from something.

## Why it matters
A priority that cannot say what stops is a theme, not a choice. The new work is added on top of everything
that was already there, the same people are asked to do both, and the priority slips while everything else
does too.

## Example
```toml
[[priority]]
id = "international-expansion"
title = "Open the UK and German markets"
owner = "founder"
tier = "committed"
metrics = ["international-arr"]
```

## Use instead
```toml
[[priority]]
id = "international-expansion"
title = "Open the UK and German markets"
owner = "founder"
tier = "committed"
metrics = ["international-arr"]
stop_doing = ["Outbound to US accounts under 50 seats", "The partner program pilot"]
```
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for priority in &ctx.model.priorities {
        if !priority.stop_doing.is_empty() {
            continue;
        }
        let loc = &priority.loc;
        let (span, label) = match loc.field("stop_doing") {
            Some(field) => (field.value(), "empty list"),
            None => (loc.span.clone(), "no `stop_doing`"),
        };
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "priority \"{}\" does not say what stops to make room for \"{}\"",
                    priority.id, priority.title
                ),
            )
            .at(loc.file, span, label)
            .help("add `stop_doing = [\"...\"]`: the work that stops so the people on this priority have time for it")
            .about("priority", &priority.id),
        );
    }
}

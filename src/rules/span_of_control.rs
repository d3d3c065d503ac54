use super::{Context, Group, ModelCheck, Param, Rule};
use crate::finding::{Finding, Level};
use crate::model::{Person, PersonStatus};

pub const RULE: Rule = Rule {
    name: "span-of-control",
    level: Level::Warn,
    default_off: true,
    group: Group::Execution,
    summary: "A manager has more direct reports than the configured limit",
    docs: r#"## What it checks
For each person, the active people (`status` other than `"left"`) whose `manager` is them. The rule
reports a manager with more than `max_reports` direct reports (default 8).

It is off by default, because the right span depends on the work: turn it on in `opmodel.toml`.
```toml
[rules]
span-of-control = { level = "warn", max_reports = 8 }
```
At most 10 reports are labelled; the help says how many more there are.

## Why it matters
A manager with too many direct reports cannot coach, unblock or decide for all of them: one-to-ones
become monthly, escalations wait, and the manager becomes the bottleneck the org chart hides.

## Example
```toml
# max_reports = 2
[[person]]
id = "omar"
name = "Omar Haddad"
email = "omar@example.com"
manager = "raj"

[[person]]
id = "june"
name = "June Park"
email = "june@example.com"
manager = "raj"

[[person]]
id = "leo"
name = "Leo Grant"
email = "leo@example.com"
manager = "raj"
```

## Use instead
Add a layer (a lead for part of the team), or move some reports to another manager.
```toml
[[person]]
id = "leo"
name = "Leo Grant"
email = "leo@example.com"
manager = "june"
```
"#,
    params: &[Param {
        name: "max_reports",
        default: "8",
        description: "The most active direct reports one manager may have",
    }],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

/// How many reports are labelled at most.
const MAX_LABELS: usize = 10;

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let model = ctx.model;
    let max_reports = ctx.params.get("max_reports").unwrap_or(8.0);
    for manager in &model.people {
        // Only the entry the id resolves to (a duplicate id is reported elsewhere).
        if !model
            .person(&manager.id)
            .is_some_and(|p| std::ptr::eq(p, manager))
        {
            continue;
        }
        let reports: Vec<&Person> = model
            .people
            .iter()
            .filter(|p| {
                p.status == PersonStatus::Active
                    && p.manager.as_deref() == Some(manager.id.as_str())
            })
            .filter(|p| p.id != manager.id)
            .collect();
        if reports.len() as f64 <= max_reports {
            continue;
        }
        let who = model.who(&manager.id);
        let mut finding = Finding::new(
            &RULE,
            format!(
                "{who} has {} direct reports, over the limit of {max_reports}",
                reports.len()
            ),
        )
        .at(
            manager.loc.file,
            manager.loc.value("id"),
            format!("{} direct reports", reports.len()),
        );
        for report in reports.iter().take(MAX_LABELS) {
            finding = finding.related(
                report.loc.file,
                report.loc.value("manager"),
                format!("{} reports to {}", report.id, manager.id),
            );
        }
        let mut help =
            "add a layer (a lead for part of the group), or move some reports to another manager"
                .to_string();
        if reports.len() > MAX_LABELS {
            help.push_str(&format!(
                " (the first {MAX_LABELS} reports are shown; {} more report to {})",
                reports.len() - MAX_LABELS,
                manager.id
            ));
        }
        out.push(finding.help(help).about("person", &manager.id));
    }
}

use std::collections::HashMap;

use super::{Context, Group, ModelCheck, Param, Rule};
use crate::finding::{Finding, Level};
use crate::model::{Decision, DecisionStatus};

/// How many of the person's other decisions are labelled.
const MAX_RELATED: usize = 2;

pub const RULE: Rule = Rule {
    name: "decision-concentration",
    level: Level::Warn,
    default_off: false,
    group: Group::Execution,
    summary: "One person owns or is the escalation target of too many of the active decisions",
    docs: r#"## What it checks
For each person, the active decisions (`status = "active"` or no `status`) they own or escalate to
(`escalate_to`); a decision counts once per person, even when they are both. The rule reports every person
whose share is over `max_share` (default `0.4`, that is 40%).

It needs at least 3 active decisions: with one or two, one person holding most of them says nothing.
Proposed, superseded and retired decisions are not counted.

## Why it matters
When one person decides or breaks the tie on most decisions, every request queues behind their calendar.
This is how a founder-led company stalls: nothing is blocked on purpose, everything waits for the same
person. Moving decisions to owners closer to the work is what lets a company grow past its founder.

## Example
```toml
# 3 of 3 active decisions end at the founder (100%, over the 40% limit)
[[decision]]
id = "pricing-changes"
owner = "founder"
# ...

[[decision]]
id = "refund-policy"
owner = "mia"
escalate_to = "founder"
# ...

[[decision]]
id = "vendor-contracts"
owner = "dana"
escalate_to = "founder"
# ...
```

## Use instead
Delegate: name owners closer to the work, and an escalation target nearer to them than the founder (their
manager, the head of the function).
```toml
[[decision]]
id = "refund-policy"
owner = "mia"
escalate_to = "dana"
# ...
```
Where the concentration is deliberate, raise the limit in `opmodel.toml`:
```toml
[rules]
decision-concentration = { level = "warn", max_share = 0.6 }
```
"#,
    params: &[Param {
        name: "max_share",
        default: "0.4",
        description: "The largest share (0 to 1) of the active decisions one person may own or be the escalation target of",
    }],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

/// Below this many active decisions, a share means nothing.
const MIN_DECISIONS: usize = 3;

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let model = ctx.model;
    let max_share = ctx.params.get("max_share").unwrap_or(0.4);
    let active: Vec<&Decision> = model
        .decisions
        .iter()
        .filter(|d| d.status == DecisionStatus::Active)
        .collect();
    if active.len() < MIN_DECISIONS {
        return;
    }
    // Each person's active decisions, in model order, in one pass: a scan of every decision for every person
    // took most of `check` on a model of thousands of people.
    let mut by_person: HashMap<&str, Vec<&Decision>> = HashMap::new();
    for &d in &active {
        by_person.entry(d.owner.as_str()).or_default().push(d);
        if let Some(target) = d.escalate_to.as_deref().filter(|t| *t != d.owner) {
            by_person.entry(target).or_default().push(d);
        }
    }
    for person in &model.people {
        // Only the entry the id resolves to (a duplicate id is reported elsewhere).
        if !model
            .person(&person.id)
            .is_some_and(|p| std::ptr::eq(p, person))
        {
            continue;
        }
        let Some(theirs) = by_person.get(person.id.as_str()) else {
            continue;
        };
        let share = theirs.len() as f64 / active.len() as f64;
        if share <= max_share {
            continue;
        }
        let Some((first, others)) = theirs.split_first() else {
            continue;
        };
        let who = model.who(&person.id);
        let mut finding = Finding::new(
            &RULE,
            format!(
                "{who} owns or is the escalation target of {} of {} active decisions ({}, over the {} limit)",
                theirs.len(),
                active.len(),
                percent(share),
                percent(max_share)
            ),
        );
        let (span, label) = field(first, &person.id);
        finding = finding.at(first.loc.file, span, label);
        // A few related places make the point; every one would bury the message in source lines.
        for d in others.iter().take(MAX_RELATED) {
            let (span, label) = field(d, &person.id);
            finding = finding.related(d.loc.file, span, label);
        }
        let more = match others.len().saturating_sub(MAX_RELATED) {
            0 => String::new(),
            n => format!(" (and {n} more decisions, not shown)"),
        };
        out.push(
            finding
                .help(format!(
                    "delegate: name owners closer to the work, and escalation targets other than {who}, so that \
                     decisions stop queueing behind one person{more}"
                ))
                .about("person", &person.id),
        );
    }
}

/// The field of `decision` that names `person`: its owner, else its escalation target.
fn field(decision: &Decision, person: &str) -> (crate::document::Span, String) {
    if decision.owner == person {
        (
            decision.loc.value("owner"),
            format!("owns \"{}\"", decision.id),
        )
    } else {
        (
            decision.loc.value("escalate_to"),
            format!("escalation target of \"{}\"", decision.id),
        )
    }
}

/// `0.4` -> `40%`, `0.125` -> `12.5%`.
fn percent(share: f64) -> String {
    let tenths = (share * 1000.0).round() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0}%")
    } else {
        format!("{tenths:.1}%")
    }
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn percentages_read_naturally() {
        assert_eq!(percent(0.4), "40%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.125), "12.5%");
        assert_eq!(percent(2.0 / 3.0), "66.7%");
    }
}

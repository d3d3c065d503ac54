use std::collections::{HashMap, HashSet, VecDeque};

use super::{Context, Group, ModelCheck, Rule};
use crate::document::Span;
use crate::finding::{Finding, Level};
use crate::model::{DecisionStatus, Model};
use crate::source::FileId;

pub const RULE: Rule = Rule {
    name: "escalation-cycle",
    level: Level::Error,
    default_off: false,
    group: Group::Execution,
    summary: "Managers or escalation targets form a loop, so escalation never reaches someone who can decide",
    docs: r#"## What it checks
Where a problem goes when someone is stuck: from each person to their `manager`, and from the `owner` of
each active or proposed decision to its `escalate_to`. If following these steps leads back to where it
started, escalation goes in a circle. Both kinds of step are followed together: Raj escalating a decision
to Lena, whose manager is Raj, is a loop too. A person who is their own manager, and a decision that
escalates to its own owner, are loops of one step.

Each loop is reported once, starting at the person of the loop who comes first in the model (files in path
order, entities in file order), with a label on every step. People whose chain only leads into a loop are
not part of it and are not reported. Steps to ids that do not exist are left to `unknown-reference`.

## Why it matters
Escalation exists to end a disagreement or a wait: it must reach someone who can decide. In a loop there is
nobody above to break the tie, so the question bounces between the same people, typically two co-heads
each entered as the other's manager after a reorganisation.

## Example
```toml
[[person]]
id = "raj-patel"
name = "Raj Patel"
email = "raj@example.com"
manager = "lena-fischer"

[[person]]
id = "lena-fischer"
name = "Lena Fischer"
email = "lena@example.com"
manager = "raj-patel"
```

## Use instead
```toml
[[person]]
id = "raj-patel"
name = "Raj Patel"
email = "raj@example.com"
manager = "founder"

[[person]]
id = "lena-fischer"
name = "Lena Fischer"
email = "lena@example.com"
manager = "founder"
```
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

/// One step of escalation, from one person to another.
#[derive(Clone, Copy)]
struct Step {
    to: usize,
    via: Via,
}

/// What the step is written as: a person's `manager`, or a decision's `escalate_to`.
#[derive(Clone, Copy)]
enum Via {
    Manager(usize),
    Escalation(usize),
}

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let model = ctx.model;
    let graph = steps(model);
    let mut reported: HashSet<Vec<usize>> = HashSet::new();
    for start in 0..graph.len() {
        for first in &graph[start] {
            // A loop through an earlier person was reported from there.
            if first.to < start {
                continue;
            }
            let Some(cycle) = back_to(&graph, start, *first) else {
                continue;
            };
            let people: Vec<usize> = std::iter::once(start)
                .chain(cycle.iter().map(|s| s.to))
                .collect();
            if reported.insert(people) {
                out.push(finding(model, start, &cycle));
            }
        }
    }
}

/// Every person's steps, in model order: their `manager` first, then their decisions' `escalate_to`.
fn steps(model: &Model) -> Vec<Vec<Step>> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, person) in model.people.iter().enumerate() {
        index.entry(person.id.as_str()).or_insert(i);
    }
    let mut graph: Vec<Vec<Step>> = vec![Vec::new(); model.people.len()];
    for (i, person) in model.people.iter().enumerate() {
        if let Some(&to) = person.manager.as_deref().and_then(|m| index.get(m)) {
            graph[i].push(Step {
                to,
                via: Via::Manager(i),
            });
        }
    }
    for (d, decision) in model.decisions.iter().enumerate() {
        if !matches!(
            decision.status,
            DecisionStatus::Active | DecisionStatus::Proposed
        ) {
            continue;
        }
        let (Some(&from), Some(&to)) = (
            index.get(decision.owner.as_str()),
            decision.escalate_to.as_deref().and_then(|e| index.get(e)),
        ) else {
            continue;
        };
        graph[from].push(Step {
            to,
            via: Via::Escalation(d),
        });
    }
    graph
}

/// The shortest loop that takes `first` from `start` and returns to `start`, passing only through people
/// after `start` in model order.
fn back_to(graph: &[Vec<Step>], start: usize, first: Step) -> Option<Vec<Step>> {
    if first.to == start {
        return Some(vec![first]);
    }
    // Each person reached, with the person and step it was reached from.
    let mut came_from: HashMap<usize, (usize, Step)> = HashMap::new();
    let mut queue = VecDeque::from([first.to]);
    while let Some(at) = queue.pop_front() {
        for step in &graph[at] {
            if step.to == start {
                let mut path = vec![*step];
                let mut node = at;
                while let Some(&(prev, taken)) = came_from.get(&node) {
                    path.push(taken);
                    node = prev;
                }
                path.push(first);
                path.reverse();
                return Some(path);
            }
            if step.to > start && step.to != first.to && !came_from.contains_key(&step.to) {
                came_from.insert(step.to, (at, *step));
                queue.push_back(step.to);
            }
        }
    }
    None
}

/// Where a step is written, and how to say it.
struct Written {
    file: FileId,
    span: Span,
    /// `reports to Lena Fischer (lena-fischer)`: the step as part of a sentence.
    words: String,
    label: String,
    kind: &'static str,
    id: String,
}

fn written(model: &Model, step: &Step) -> Written {
    let to = &model.people[step.to].id;
    match step.via {
        Via::Manager(from) => {
            let person = &model.people[from];
            Written {
                file: person.loc.file,
                span: person.loc.value("manager"),
                words: format!("reports to {}", model.who(to)),
                label: format!("{} reports to {to}", person.id),
                kind: "person",
                id: person.id.clone(),
            }
        }
        Via::Escalation(d) => {
            let decision = &model.decisions[d];
            Written {
                file: decision.loc.file,
                span: decision.loc.value("escalate_to"),
                words: format!(
                    "escalates decision \"{}\" to {}",
                    decision.id,
                    model.who(to)
                ),
                label: format!("{} escalates \"{}\" to {to}", decision.owner, decision.id),
                kind: "decision",
                id: decision.id.clone(),
            }
        }
    }
}

fn finding(model: &Model, start: usize, cycle: &[Step]) -> Finding {
    let hops: Vec<Written> = cycle.iter().map(|s| written(model, s)).collect();
    let message = match (cycle, hops.as_slice()) {
        (
            [Step {
                via: Via::Manager(_),
                ..
            }],
            _,
        ) => {
            format!(
                "{} is their own manager, so escalation goes nowhere",
                model.who(&model.people[start].id)
            )
        }
        (
            [Step {
                via: Via::Escalation(d),
                ..
            }],
            _,
        ) => format!(
            "decision \"{}\" escalates to its own owner, {}, so escalation goes nowhere",
            model.decisions[*d].id,
            model.who(&model.people[start].id)
        ),
        (_, [first, rest @ ..]) => {
            let mut text = format!(
                "escalation goes in a circle: {} {}",
                model.who(&model.people[start].id),
                first.words
            );
            for hop in rest {
                text.push_str(", who ");
                text.push_str(&hop.words);
            }
            text
        }
        _ => return Finding::new(&RULE, "escalation goes in a circle"),
    };
    let Some((first, rest)) = hops.split_first() else {
        return Finding::new(&RULE, message);
    };
    let mut finding =
        Finding::new(&RULE, message).at(first.file, first.span.clone(), first.label.clone());
    for hop in rest {
        finding = finding.related(hop.file, hop.span.clone(), hop.label.clone());
    }
    let help = if cycle.len() == 1 {
        match cycle[0].via {
            Via::Manager(_) => "set `manager` to the person they report to, or remove it if nobody is above them",
            Via::Escalation(_) => "set `escalate_to` to someone above the owner who can decide when the owner is stuck",
        }
    } else if cycle.iter().all(|s| matches!(s.via, Via::Manager(_))) {
        "break the circle: give one of these people a manager outside it, or none if they are at the top, so \
         that escalation ends with someone who can decide"
    } else if cycle.iter().all(|s| matches!(s.via, Via::Escalation(_))) {
        "break the circle: make one of these decisions escalate to someone outside it (the owner's manager, \
         the head of the function), so that escalation ends with someone who can decide"
    } else {
        "break the circle: give one of these people a manager outside it, or make one of these decisions \
         escalate to someone outside it, so that escalation ends with someone who can decide"
    };
    finding.help(help).about(first.kind, first.id.clone())
}

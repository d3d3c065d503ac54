use std::collections::{HashSet, VecDeque};

use foldhash::{HashMap, HashMapExt as _};

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
#[derive(Clone, Copy, Debug)]
struct Step {
    to: usize,
    via: Via,
}

/// What the step is written as: a person's `manager`, or a decision's `escalate_to`.
#[derive(Clone, Copy, Debug)]
enum Via {
    Manager(usize),
    Escalation(usize),
}

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let model = ctx.model;
    let graph = steps(model);
    for (start, cycle) in cycles(&graph) {
        out.push(finding(model, start, &cycle));
    }
}

/// Every loop, each with the person it starts at, in model order of that person.
///
/// A loop is reported from its first person in model order, `start`, and passes only through people after
/// `start`: it lies in the strongly connected component of `start` among the people from `start` on. Those
/// components are found by peeling: the components of the whole graph first; from each, its first person's
/// loops are taken, that person is removed and the rest is split into components again. A person whose
/// component is alone (with no step to themselves) is in no loop and costs nothing more. A chain of managers is
/// one pass, and a ring is one pass plus one search around it.
fn cycles(graph: &[Vec<Step>]) -> Vec<(usize, Vec<Step>)> {
    let mut tarjan = Tarjan::new(graph.len());
    // Which component each person is in now (`GONE` once removed or alone).
    let mut region = vec![0usize; graph.len()];
    let mut next_region = 1;
    let mut work: Vec<(usize, Vec<usize>)> = Vec::new();
    let everyone: Vec<usize> = (0..graph.len()).collect();
    let mut split =
        |members: &[usize], region: &mut Vec<usize>, work: &mut Vec<(usize, Vec<usize>)>| {
            let inside = region[members[0]];
            for component in tarjan.components(graph, members, |p| region[p] == inside) {
                let lone = component.len() == 1;
                if lone && !graph[component[0]].iter().any(|s| s.to == component[0]) {
                    region[component[0]] = GONE;
                    continue;
                }
                for &p in &component {
                    region[p] = next_region;
                }
                work.push((next_region, component));
                next_region += 1;
            }
        };
    if !everyone.is_empty() {
        split(&everyone, &mut region, &mut work);
    }
    let mut found: Vec<(usize, Vec<Step>)> = Vec::new();
    let mut reported: HashSet<Vec<usize>> = HashSet::new();
    while let Some((id, members)) = work.pop() {
        let Some(&start) = members.iter().min() else {
            continue;
        };
        for first in &graph[start] {
            let cycle = if first.to == start {
                Some(vec![*first])
            } else if region[first.to] == id {
                back_to(graph, start, *first, |p| region[p] == id)
            } else {
                None
            };
            let Some(cycle) = cycle else {
                continue;
            };
            let people: Vec<usize> = std::iter::once(start)
                .chain(cycle.iter().map(|s| s.to))
                .collect();
            if reported.insert(people) {
                found.push((start, cycle));
            }
        }
        region[start] = GONE;
        let rest: Vec<usize> = members.into_iter().filter(|&p| p != start).collect();
        if !rest.is_empty() {
            for &p in &rest {
                region[p] = id;
            }
            split(&rest, &mut region, &mut work);
        }
    }
    // Each person starts loops in one component only: a stable sort keeps their loops in step order.
    found.sort_by_key(|(start, _)| *start);
    found
}

/// The region of a person in no component left to search.
const GONE: usize = usize::MAX;

/// Tarjan's strongly connected components, iterative (a chain of 100,000 managers must not overflow the stack),
/// with its working memory kept between calls.
struct Tarjan {
    /// Visit order of each person in the current call, `GONE` when not visited.
    index: Vec<usize>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
}

impl Tarjan {
    fn new(people: usize) -> Tarjan {
        Tarjan {
            index: vec![GONE; people],
            low: vec![0; people],
            on_stack: vec![false; people],
            stack: Vec::new(),
        }
    }

    /// The components of `members`, following only steps to people `inside` accepts (all of `members`).
    fn components(
        &mut self,
        graph: &[Vec<Step>],
        members: &[usize],
        inside: impl Fn(usize) -> bool,
    ) -> Vec<Vec<usize>> {
        let mut out = Vec::new();
        let mut counter = 0;
        // The depth-first path: each person and the position of its next step to follow.
        let mut path: Vec<(usize, usize)> = Vec::new();
        for &root in members {
            if self.index[root] != GONE {
                continue;
            }
            self.visit(root, &mut counter, &mut path);
            while let Some(&mut (at, ref mut next)) = path.last_mut() {
                if let Some(step) = graph[at].get(*next) {
                    *next += 1;
                    let to = step.to;
                    if !inside(to) {
                        continue;
                    }
                    if self.index[to] == GONE {
                        self.visit(to, &mut counter, &mut path);
                    } else if self.on_stack[to] {
                        self.low[at] = self.low[at].min(self.index[to]);
                    }
                    continue;
                }
                path.pop();
                if let Some(&(parent, _)) = path.last() {
                    self.low[parent] = self.low[parent].min(self.low[at]);
                }
                if self.low[at] == self.index[at] {
                    let mut component = Vec::new();
                    while let Some(p) = self.stack.pop() {
                        self.on_stack[p] = false;
                        component.push(p);
                        if p == at {
                            break;
                        }
                    }
                    out.push(component);
                }
            }
        }
        for &p in members {
            self.index[p] = GONE;
        }
        out
    }

    fn visit(&mut self, person: usize, counter: &mut usize, path: &mut Vec<(usize, usize)>) {
        self.index[person] = *counter;
        self.low[person] = *counter;
        *counter += 1;
        self.stack.push(person);
        self.on_stack[person] = true;
        path.push((person, 0));
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
/// after `start` in model order, all of them in `start`'s component (`inside`): no other person can lead back.
fn back_to(
    graph: &[Vec<Step>],
    start: usize,
    first: Step,
    inside: impl Fn(usize) -> bool,
) -> Option<Vec<Step>> {
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
            if step.to > start
                && inside(step.to)
                && step.to != first.to
                && !came_from.contains_key(&step.to)
            {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The former search: from every person, a breadth-first search per step, over everyone after them.
    fn every_start(graph: &[Vec<Step>]) -> Vec<(usize, Vec<Step>)> {
        let mut reported: HashSet<Vec<usize>> = HashSet::new();
        let mut out = Vec::new();
        for start in 0..graph.len() {
            for first in &graph[start] {
                if first.to < start {
                    continue;
                }
                let Some(cycle) = back_to(graph, start, *first, |_| true) else {
                    continue;
                };
                let people: Vec<usize> = std::iter::once(start)
                    .chain(cycle.iter().map(|s| s.to))
                    .collect();
                if reported.insert(people) {
                    out.push((start, cycle));
                }
            }
        }
        out
    }

    /// The loops in a comparable form: each start, and each step's target and what it is written as.
    fn plain(found: &[(usize, Vec<Step>)]) -> String {
        format!("{found:?}")
    }

    #[test]
    fn the_component_search_finds_what_a_search_from_every_person_finds() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |below: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) as usize) % below
        };
        let mut with_cycles = 0;
        for _ in 0..3_000 {
            let people = 1 + next(12);
            let mut graph: Vec<Vec<Step>> = vec![Vec::new(); people];
            for (p, steps) in graph.iter_mut().enumerate() {
                if next(4) != 0 {
                    steps.push(Step {
                        to: next(people),
                        via: Via::Manager(p),
                    });
                }
            }
            for d in 0..next(3 * people) {
                let from = next(people);
                let to = next(people);
                graph[from].push(Step {
                    to,
                    via: Via::Escalation(d),
                });
            }
            let expected = plain(&every_start(&graph));
            with_cycles += usize::from(!expected.is_empty());
            assert_eq!(plain(&cycles(&graph)), expected, "{graph:?}");
        }
        assert!(with_cycles > 1_000, "only {with_cycles} graphs had a loop");
    }

    #[test]
    fn a_ring_of_100_000_managers_is_one_loop_and_a_chain_is_none() {
        let people = 100_000;
        let ring: Vec<Vec<Step>> = (0..people)
            .map(|p| {
                vec![Step {
                    to: (p + 1) % people,
                    via: Via::Manager(p),
                }]
            })
            .collect();
        let found = cycles(&ring);
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].0, found[0].1.len()), (0, people));
        let mut chain = ring;
        chain[people - 1].clear();
        assert!(cycles(&chain).is_empty());
    }
}

//! `opmodel report`: the operating model as one handbook for people who never open the TOML. The content is built
//! once, here, as a small document (sections of paragraphs, tables, lists and pictures); `markdown.rs` and
//! `html.rs` only write it down, each escaping model text its own way through `render::text`. The pictures are the
//! ones `opmodel graph` draws (`render::graph`); the findings are those `opmodel check` reports, summarised by rule.

pub mod html;
pub mod markdown;

use std::collections::BTreeMap;

use crate::date::Date;
use crate::finding::{Counts, Finding, Level, Rule};
use crate::model::{DecisionStatus, Direction, Model, Tier};
use crate::render::graph::{self, Graph, View};

/// A piece of a line. Model text is always `Text` or `Code`, and each renderer escapes it; `Alert` is opmodel's
/// own word for a gap in the model or an error, in bold (and red in HTML).
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String),
    Code(String),
    /// opmodel's own words, whose `` `code` `` spans stay code (a rule's summary).
    Words(&'static str),
    Alert(&'static str),
}

/// A line of inlines.
pub type Line = Vec<Inline>;

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Paragraph(Line),
    /// A heading inside a section (a priority's title).
    Heading(Line),
    /// A header of opmodel's words and rows of cells; no cell is empty (a gap is `—`).
    Table {
        head: Vec<&'static str>,
        rows: Vec<Vec<Line>>,
    },
    List(Vec<Line>),
    /// A picture of `opmodel graph`, with what it shows in words.
    Picture {
        graph: Graph,
        caption: &'static str,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub title: &'static str,
    /// The fragment id, as GitHub derives it from the title.
    pub anchor: &'static str,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Handbook {
    pub title: &'static str,
    /// What the document is and when it was made, under the title.
    pub lead: Vec<Line>,
    pub sections: Vec<Section>,
}

fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

fn code(s: impl Into<String>) -> Inline {
    Inline::Code(s.into())
}

fn dash() -> Line {
    vec![text("—")]
}

/// `n thing`/`n things`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The name of a person or team, else the id as written (a reference that names nothing is a finding of `check`).
fn name(model: &Model, id: &str) -> String {
    if let Some(p) = model.person(id) {
        p.name.clone()
    } else if let Some(t) = model.team(id) {
        t.name.clone()
    } else {
        id.to_string()
    }
}

/// Names, comma-separated, or `—`.
fn names(model: &Model, ids: &[String]) -> Line {
    if ids.is_empty() {
        return dash();
    }
    vec![text(
        ids.iter()
            .map(|id| name(model, id))
            .collect::<Vec<_>>()
            .join(", "),
    )]
}

/// Up to `most` items in code, space-separated, then how many more; `—` for none.
fn codes(items: &[String], most: usize) -> Line {
    if items.is_empty() {
        return dash();
    }
    let mut line = Vec::new();
    for (i, item) in items.iter().take(most).enumerate() {
        if i > 0 {
            line.push(text(" "));
        }
        line.push(code(item));
    }
    if items.len() > most {
        line.push(text(format!(" and {} more", items.len() - most)));
    }
    line
}

/// A title with its id in code: `Approve a price · pricing-exceptions`.
fn titled(title: &str, id: &str) -> Line {
    vec![text(title), text(" "), code(id)]
}

/// A number as people read it: integers without `.0` and with thousands separators (`24,000,000`), others as
/// Rust writes them (the shortest exact form).
fn number(value: f64) -> String {
    if value.fract() != 0.0 || value.abs() >= 1e15 {
        return format!("{value}");
    }
    let digits = format!("{}", (value as i64).unsigned_abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if value < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// Build the handbook of `model`, with the findings `check` reported on it, as of `as_of`.
pub fn build(model: &Model, findings: &[Finding], as_of: Date) -> Handbook {
    let counts = Counts::of(findings);
    let lead = vec![
        vec![text(format!(
            "Who decides what, who owns which part of the company, how work moves between teams, and what the \
             company measures, as the operating model says on {as_of}."
        ))],
        vec![text(format!(
            "{}, {}, {}, {}, {}, {}. The model's own checks: {}.",
            count(model.people.len(), "person", "people"),
            count(model.teams.len(), "team", "teams"),
            count(model.decisions.len(), "decision", "decisions"),
            count(model.areas.len(), "area", "areas"),
            count(model.handoffs.len(), "handoff", "handoffs"),
            count(model.metrics.len(), "metric", "metrics"),
            if findings.is_empty() {
                "no problems".to_string()
            } else {
                counts.describe()
            }
        ))],
    ];
    Handbook {
        title: "Operating model handbook",
        lead,
        sections: vec![
            decisions(model),
            areas(model),
            handoffs(model),
            org(model),
            priorities(model),
            findings_by_rule(findings),
        ],
    }
}

fn decisions(model: &Model) -> Section {
    let slas = graph::slas(model, "decision");
    let mut blocks = vec![Block::Paragraph(vec![text(
        "Each row is a kind of decision: who makes it (owner), who must approve it before it takes effect, how \
         long it may take (SLA), and whether it can be undone.",
    )])];
    for (status, heading, empty) in [
        (DecisionStatus::Active, "In force", true),
        (DecisionStatus::Proposed, "Proposed", false),
        (DecisionStatus::Superseded, "Superseded", false),
        (DecisionStatus::Retired, "Retired", false),
    ] {
        let rows: Vec<Vec<Line>> = model
            .decisions
            .iter()
            .filter(|d| d.status == status)
            .map(|d| {
                vec![
                    titled(&d.title, &d.id),
                    vec![text(name(model, &d.owner))],
                    names(model, &d.approvers),
                    match slas.get(d.id.as_str()) {
                        Some(sla) => vec![text(*sla)],
                        None => vec![Inline::Alert("none")],
                    },
                    vec![text(if d.reversible { "yes" } else { "no, one-way" })],
                    d.escalate_to
                        .as_deref()
                        .map_or_else(dash, |e| vec![text(name(model, e))]),
                    d.review_by
                        .map_or_else(dash, |date| vec![text(date.to_string())]),
                ]
            })
            .collect();
        if rows.is_empty() && !empty {
            continue;
        }
        blocks.push(Block::Heading(vec![text(format!(
            "{heading} ({})",
            rows.len()
        ))]));
        if rows.is_empty() {
            blocks.push(Block::Paragraph(vec![text("None.")]));
            continue;
        }
        blocks.push(Block::Table {
            head: vec![
                "Decision",
                "Owner",
                "Approvers",
                "SLA",
                "Reversible",
                "Escalate to",
                "Review by",
            ],
            rows,
        });
    }
    Section {
        title: "Who decides what",
        anchor: "who-decides-what",
        blocks,
    }
}

fn areas(model: &Model) -> Section {
    let rows: Vec<Vec<Line>> = model
        .areas
        .iter()
        .map(|a| {
            let owner = if a.unowned {
                vec![text("nobody (deliberately unowned)")]
            } else {
                vec![text(name(model, &a.owner))]
            };
            let paths = codes(&a.paths, a.paths.len());
            vec![
                titled(&a.title, &a.id),
                owner,
                a.team
                    .as_deref()
                    .map_or_else(dash, |t| vec![text(name(model, t))]),
                names(model, &a.approvers),
                paths,
            ]
        })
        .collect();
    let mut blocks = vec![Block::Paragraph(vec![text(
        "Every part of the repository belongs to an area; its owner answers for it and reviews its changes.",
    )])];
    blocks.push(if rows.is_empty() {
        Block::Paragraph(vec![text("The model has no areas.")])
    } else {
        Block::Table {
            head: vec!["Area", "Owner", "Team", "Approvers", "Paths"],
            rows,
        }
    });
    Section {
        title: "Areas and owners",
        anchor: "areas-and-owners",
        blocks,
    }
}

fn handoffs(model: &Model) -> Section {
    let slas = graph::slas(model, "handoff");
    let rows: Vec<Vec<Line>> = model
        .handoffs
        .iter()
        .map(|h| {
            vec![
                titled(&h.title, &h.id),
                vec![text(name(model, &h.from))],
                vec![text(name(model, &h.to))],
                vec![text(name(model, &h.owner))],
                match slas.get(h.id.as_str()) {
                    Some(sla) => vec![text(*sla)],
                    None => vec![Inline::Alert("missing")],
                },
                match h.acceptance.as_ref().map_or(0, Vec::len) {
                    0 => vec![Inline::Alert("missing")],
                    n => vec![text(count(n, "criterion", "criteria"))],
                },
            ]
        })
        .collect();
    let mut blocks = vec![Block::Paragraph(vec![text(
        "How work moves between teams: what is handed over, how fast the receiving team takes it, and what it \
         must meet to be accepted.",
    )])];
    if rows.is_empty() {
        blocks.push(Block::Paragraph(vec![text("The model has no handoffs.")]));
    } else {
        blocks.push(Block::Picture {
            graph: graph::build(model, View::Handoffs),
            caption: "The handoffs between teams (a missing SLA or acceptance criteria in red)",
        });
        blocks.push(Block::Table {
            head: vec!["Handoff", "From", "To", "Owner", "SLA", "Acceptance"],
            rows,
        });
    }
    Section {
        title: "Handoffs",
        anchor: "handoffs",
        blocks,
    }
}

fn org(model: &Model) -> Section {
    let rows: Vec<Vec<Line>> = model
        .teams
        .iter()
        .map(|t| {
            let mut members: Vec<String> = t.members.clone().unwrap_or_default();
            for p in &model.people {
                if p.team.as_deref() == Some(t.id.as_str()) && !members.contains(&p.id) {
                    members.push(p.id.clone());
                }
            }
            vec![
                titled(&t.name, &t.id),
                vec![text(name(model, &t.lead))],
                t.parent
                    .as_deref()
                    .map_or_else(dash, |p| vec![text(name(model, p))]),
                names(model, &members),
            ]
        })
        .collect();
    let mut blocks = vec![Block::Paragraph(vec![text(
        "The teams, who leads them, who is in them, and who reports to whom.",
    )])];
    if model.people.is_empty() && model.teams.is_empty() {
        blocks.push(Block::Paragraph(vec![text(
            "The model has no people or teams.",
        )]));
    } else {
        blocks.push(Block::Picture {
            graph: graph::build(model, View::Org),
            caption: "Teams with their people; an arrow goes from a manager to a report",
        });
    }
    if !rows.is_empty() {
        blocks.push(Block::Table {
            head: vec!["Team", "Lead", "Part of", "People"],
            rows,
        });
    }
    Section {
        title: "Teams and people",
        anchor: "teams-and-people",
        blocks,
    }
}

fn metric_rows<'m>(model: &'m Model, ids: impl Iterator<Item = &'m str>) -> Vec<Vec<Line>> {
    ids.map(|id| match model.metric(id) {
        None => vec![
            vec![code(id)],
            vec![Inline::Alert("not in the model")],
            dash(),
            dash(),
            dash(),
            dash(),
        ],
        Some(m) => {
            let unit = m.unit.as_deref().unwrap_or_default();
            let with_unit = |v: f64| format!("{} {unit}", number(v)).trim_end().to_string();
            let target = match m.target {
                None => dash(),
                Some(t) => {
                    let direction = match m.direction {
                        Some(Direction::Increase) => " or more",
                        Some(Direction::Decrease) => " or less",
                        Some(Direction::Hold) => ", held",
                        None => "",
                    };
                    vec![text(format!("{}{direction}", with_unit(t)))]
                }
            };
            vec![
                titled(&m.name, &m.id),
                vec![text(name(model, &m.owner))],
                target,
                m.threshold.map_or_else(dash, |t| vec![text(with_unit(t))]),
                match m.cadence {
                    Some(c) => vec![text(c.as_str())],
                    None => vec![Inline::Alert("none")],
                },
                m.last_reviewed
                    .map_or_else(dash, |d| vec![text(d.to_string())]),
            ]
        }
    })
    .collect()
}

const METRIC_HEAD: [&str; 6] = [
    "Metric",
    "Owner",
    "Target",
    "Alarm at",
    "Reviewed",
    "Last review",
];

fn priorities(model: &Model) -> Section {
    let mut blocks = vec![Block::Paragraph(vec![text(
        "What the company is working towards, how each priority is measured, the target and review cadence of \
         each metric, and what the company stops doing to make room.",
    )])];
    let mut shown: Vec<&str> = Vec::new();
    for p in &model.priorities {
        blocks.push(Block::Heading(vec![text(&p.title)]));
        let mut facts = vec![text("Owner: "), text(name(model, &p.owner)), text(". ")];
        if let Some(tier) = p.tier {
            facts.push(text(match tier {
                Tier::Committed => "Committed. ",
                Tier::Exploratory => "Exploratory. ",
            }));
        }
        if let Some(h) = p.horizon {
            facts.push(text(format!("Until {h}. ")));
        }
        facts.push(text("Id "));
        facts.push(code(&p.id));
        facts.push(text("."));
        blocks.push(Block::Paragraph(facts));
        let mut ids: Vec<&str> = p.metrics.iter().map(String::as_str).collect();
        for m in &model.metrics {
            if m.serves.contains(&p.id) && !ids.contains(&m.id.as_str()) {
                ids.push(&m.id);
            }
        }
        shown.extend(&ids);
        if ids.is_empty() {
            blocks.push(Block::Paragraph(vec![
                Inline::Alert("No metric"),
                text(" measures this priority."),
            ]));
        } else {
            blocks.push(Block::Table {
                head: METRIC_HEAD.to_vec(),
                rows: metric_rows(model, ids.into_iter()),
            });
        }
        if !p.stop_doing.is_empty() {
            blocks.push(Block::Paragraph(vec![text("Stop doing:")]));
            blocks.push(Block::List(
                p.stop_doing.iter().map(|s| vec![text(s)]).collect(),
            ));
        }
    }
    let others: Vec<&str> = model
        .metrics
        .iter()
        .map(|m| m.id.as_str())
        .filter(|id| !shown.contains(id))
        .collect();
    if !others.is_empty() {
        blocks.push(Block::Heading(vec![text("Metrics that serve no priority")]));
        blocks.push(Block::Table {
            head: METRIC_HEAD.to_vec(),
            rows: metric_rows(model, others.into_iter()),
        });
    }
    if model.priorities.is_empty() && model.metrics.is_empty() {
        blocks.push(Block::Paragraph(vec![text(
            "The model has no priorities or metrics.",
        )]));
    }
    Section {
        title: "Priorities and metrics",
        anchor: "priorities-and-metrics",
        blocks,
    }
}

/// Most entities a rule's row names before it says how many more.
const SUBJECTS_SHOWN: usize = 5;

fn findings_by_rule(findings: &[Finding]) -> Section {
    let mut by_rule: BTreeMap<&str, (&'static Rule, Level, usize, Vec<String>)> = BTreeMap::new();
    for f in findings {
        let entry = by_rule
            .entry(f.rule.name)
            .or_insert((f.rule, f.level, 0, Vec::new()));
        entry.1 = entry.1.max(f.level);
        entry.2 += 1;
        if let Some(s) = &f.subject {
            if !entry.3.contains(&s.id) {
                entry.3.push(s.id.clone());
            }
        }
    }
    let mut rules: Vec<_> = by_rule.into_values().collect();
    // Worst level first, then the most findings, then by name: a stable order.
    rules.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(b.2.cmp(&a.2))
            .then(a.0.name.cmp(b.0.name))
    });
    let mut blocks = vec![Block::Paragraph(vec![
        text("What "),
        code("opmodel check"),
        text(" reports on this model, one row per rule; "),
        code("opmodel explain RULE"),
        text(" says what a rule asks for and how to fix it."),
    ])];
    if rules.is_empty() {
        blocks.push(Block::Paragraph(vec![text("No problems.")]));
    } else {
        let rows = rules
            .into_iter()
            .map(|(rule, level, n, subjects)| {
                let about = codes(&subjects, SUBJECTS_SHOWN);
                vec![
                    vec![code(rule.name)],
                    match level {
                        Level::Error => vec![Inline::Alert("error")],
                        Level::Warn => vec![text("warning")],
                        Level::Info => vec![text("note")],
                    },
                    vec![text(n.to_string())],
                    vec![Inline::Words(rule.summary)],
                    about,
                ]
            })
            .collect();
        blocks.push(Block::Table {
            head: vec!["Rule", "Level", "Findings", "What it checks", "About"],
            rows,
        });
    }
    Section {
        title: "Current findings",
        anchor: "current-findings",
        blocks,
    }
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(number(24_000_000.0), "24,000,000");
        assert_eq!(number(-1500.0), "-1,500");
        assert_eq!(number(112.0), "112");
        assert_eq!(number(99.5), "99.5");
        assert_eq!(number(1e20), "100000000000000000000");
    }
}

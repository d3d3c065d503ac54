//! The reports of `opmodel activity`: human (the window, a table per area and per person, the unowned folders,
//! then one diagnostic per finding), Markdown for a monthly operating review or a pull-request comment (within
//! GitHub's 65,536 characters), and the JSON document. SARIF and GitHub annotations use the shared renderers.

use serde::Serialize;

use crate::activity::{Activity, AreaRow, Contributor, PersonRow, Share, UnownedRow};
use crate::date::Date;
use crate::finding::Counts;
use crate::render::human::{self, plural, Style};
use crate::render::json;
use crate::render::text::{
    md_cell, md_code as code, md_inline as inline, md_text, neutralize_workflow_commands, terminal,
};

/// Rows of one Markdown table shown before the rest are counted.
const MARKDOWN_ROWS: usize = 50;

/// GitHub refuses comments over 65,536 characters; the rest of the margin is for the closing lines.
const MARKDOWN_MAX_CHARS: usize = 60_000;

fn first_line(a: &Activity) -> String {
    format!(
        "activity from {}{}: {}, judged by the model at {}",
        a.window.label,
        if a.window.first_parent {
            " (first parents only)"
        } else {
            " (every commit)"
        },
        plural(a.stats.commits, "commit", "commits"),
        a.window.end_label
    )
}

fn summary(a: &Activity) -> String {
    let mut parts = vec![plural(a.stats.commits, "commit", "commits")];
    if a.stats.merges_skipped > 0 {
        parts.push(format!(
            "{} without changes of their own",
            plural(a.stats.merges_skipped, "merge", "merges")
        ));
    }
    parts.push(format!(
        "{} changed",
        plural(a.stats.paths_changed, "path", "paths")
    ));
    let verdict = if a.findings.is_empty() {
        "no findings".to_string()
    } else {
        Counts::of(&a.findings).describe()
    };
    format!("{}: {verdict}", parts.join(", "))
}

fn date(d: Option<Date>) -> String {
    d.map_or_else(|| "-".to_string(), |d| d.to_string())
}

fn owner_share(row: &AreaRow) -> String {
    if row.owner.is_none() || row.changes == 0 {
        return "-".into();
    }
    format!(
        "{}%",
        crate::activity::rules::percent(row.owner_changes, row.changes)
    )
}

fn top(share: Option<&Share>, changes: usize) -> String {
    share.map_or_else(
        || "-".into(),
        |s| {
            format!(
                "{} {}",
                short(&s.who),
                crate::activity::rules::share(s.changes, changes)
            )
        },
    )
}

/// A contributor in a table: the person's id, or the unmatched email.
fn short(who: &Contributor) -> String {
    match who {
        Contributor::Person(id) => id.clone(),
        Contributor::Unknown(email) => format!("<{email}>"),
    }
}

/// Lines of a plain-text table, columns padded to their widest cell.
fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| -> String {
        let mut text = String::from("  ");
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            text.push_str(cell);
            if i + 1 < cells.len() {
                text.push_str(&" ".repeat(w - cell.chars().count() + 2));
            }
        }
        format!("{}\n", text.trim_end())
    };
    let mut out = line(headers.iter().map(|h| h.to_string()).collect());
    for row in rows {
        out.push_str(&line(row.iter().map(|c| terminal(c)).collect()));
    }
    out
}

fn area_cells(row: &AreaRow) -> Vec<String> {
    vec![
        row.id.clone(),
        row.owner.clone().unwrap_or_else(|| "(unowned)".into()),
        row.changes.to_string(),
        owner_share(row),
        top(row.top.as_ref(), row.changes),
        date(row.owner_last),
    ]
}

const AREA_HEADERS: [&str; 6] = [
    "area",
    "owner",
    "changes",
    "owner's share",
    "top contributor",
    "owner's last change",
];

fn touched(row: &PersonRow) -> String {
    if row.touched.is_empty() {
        return "-".into();
    }
    row.touched
        .iter()
        .map(|(area, n)| format!("{area} ({n})"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn person_cells(row: &PersonRow) -> Vec<String> {
    vec![
        short(&row.who),
        row.commits.to_string(),
        if row.owns.is_empty() {
            "-".into()
        } else {
            row.owns.join(", ")
        },
        touched(row),
    ]
}

const PERSON_HEADERS: [&str; 4] = ["person", "commits", "owns", "changed (changes)"];

fn unowned_cells(row: &UnownedRow) -> Vec<String> {
    vec![
        row.folder.clone(),
        row.changes.to_string(),
        top(row.top.as_ref(), row.changes),
    ]
}

const UNOWNED_HEADERS: [&str; 3] = ["folder", "changes", "changed most by"];

/// People shown: those who own something or made a commit in the window.
fn people(a: &Activity) -> impl Iterator<Item = &PersonRow> {
    a.people
        .iter()
        .filter(|p| p.commits > 0 || !p.owns.is_empty())
}

/// The human report.
pub fn human(a: &Activity, style: Style) -> String {
    let mut out = format!("{}\n", terminal(&first_line(a)));
    out.push_str(&format!("{}\n", terminal(&a.identities)));
    for note in &a.notes {
        out.push_str(&format!("note: {}\n", terminal(note)));
    }
    out.push_str("\nareas\n");
    let rows: Vec<Vec<String>> = a.areas.iter().map(area_cells).collect();
    out.push_str(&table(&AREA_HEADERS, &rows));
    out.push_str("\npeople\n");
    let rows: Vec<Vec<String>> = people(a).map(person_cells).collect();
    out.push_str(&table(&PERSON_HEADERS, &rows));
    if !a.unowned.is_empty() {
        out.push_str("\nunowned folders, most changed first\n");
        let rows: Vec<Vec<String>> = a.unowned.iter().map(unowned_cells).collect();
        out.push_str(&table(&UNOWNED_HEADERS, &rows));
    }
    out.push('\n');
    let mut renderer = human::Renderer::new(&a.files, style);
    for finding in &a.findings {
        out.push_str(&renderer.render(finding));
        out.push('\n');
    }
    out.push_str(&summary(a));
    out.push('\n');
    neutralize_workflow_commands(&out)
}

fn md_table(out: &mut String, headers: &[&str], rows: Vec<Vec<String>>, what: &str) {
    out.push_str(&format!("| {} |\n", headers.join(" | ")));
    out.push_str(&format!("|{}\n", " --- |".repeat(headers.len())));
    let total = rows.len();
    for (i, row) in rows.into_iter().enumerate() {
        let line = format!("| {} |\n", row.join(" | "));
        if i == MARKDOWN_ROWS || out.len() + line.len() > MARKDOWN_MAX_CHARS {
            out.push_str(&format!(
                "\n*{} more {what} not shown: the JSON report (`--format json`) has every one.*\n",
                total - i
            ));
            return;
        }
        out.push_str(&line);
    }
}

fn md_cells(cells: Vec<String>) -> Vec<String> {
    cells.iter().map(|c| md_cell(&md_text(c))).collect()
}

/// The Markdown report.
pub fn markdown(a: &Activity) -> String {
    let verdict = if a.findings.is_empty() {
        "no findings".to_string()
    } else {
        Counts::of(&a.findings).describe()
    };
    let mut out = format!("## opmodel activity: {verdict}\n\n");
    out.push_str(&format!(
        "From {}{}, judged by the model at {}: {}.\n",
        md_text(&a.window.label),
        if a.window.first_parent {
            " (first parents only)"
        } else {
            ""
        },
        code(&a.window.end_label),
        md_text(&summary(a)),
    ));
    out.push_str(&format!("\n{}\n", inline(&a.identities)));
    for note in &a.notes {
        out.push_str(&format!("\n> {}\n", inline(note)));
    }
    if !a.findings.is_empty() {
        out.push_str(&format!("\n### Findings ({})\n\n", a.findings.len()));
        let rows = a
            .findings
            .iter()
            .map(|f| {
                vec![
                    f.level.as_str().to_string(),
                    format!("`{}`", f.rule.name),
                    md_cell(&inline(&f.message)),
                ]
            })
            .collect();
        md_table(&mut out, &["level", "rule", "finding"], rows, "findings");
    }
    out.push_str("\n### Areas\n\n");
    let rows = a.areas.iter().map(|r| md_cells(area_cells(r))).collect();
    md_table(&mut out, &AREA_HEADERS, rows, "areas");
    out.push_str("\n### People\n\n");
    let rows = people(a).map(|r| md_cells(person_cells(r))).collect();
    md_table(&mut out, &PERSON_HEADERS, rows, "people");
    if !a.unowned.is_empty() {
        out.push_str("\n### Unowned folders\n\n");
        let rows = a
            .unowned
            .iter()
            .map(|r| md_cells(unowned_cells(r)))
            .collect();
        md_table(&mut out, &UNOWNED_HEADERS, rows, "folders");
    }
    out
}

#[derive(Serialize)]
struct Body<'a> {
    window: JsonWindow<'a>,
    identities: &'a str,
    notes: &'a [String],
    summary: JsonSummary,
    areas: Vec<JsonArea<'a>>,
    people: Vec<JsonPerson<'a>>,
    unowned: Vec<JsonUnowned<'a>>,
    findings: Vec<json::JsonFinding<'a>>,
}

#[derive(Serialize)]
struct JsonWindow<'a> {
    label: &'a str,
    end: &'a str,
    end_label: &'a str,
    first_parent: bool,
}

#[derive(Serialize)]
struct JsonSummary {
    commits: usize,
    merges_skipped: usize,
    paths_changed: usize,
    unmatched_commits: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct JsonContributor<'a> {
    /// The person's id; absent for an author the model does not name.
    #[serde(skip_serializing_if = "Option::is_none")]
    person: Option<&'a str>,
    /// The author's email, for an author the model does not name.
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    name: &'a str,
}

impl<'a> JsonContributor<'a> {
    fn of(who: &'a Contributor, name: &'a str) -> JsonContributor<'a> {
        match who {
            Contributor::Person(id) => JsonContributor {
                person: Some(id),
                email: None,
                name,
            },
            Contributor::Unknown(email) => JsonContributor {
                person: None,
                email: Some(email),
                name,
            },
        }
    }
}

#[derive(Serialize)]
struct JsonShare<'a> {
    #[serde(flatten)]
    who: JsonContributor<'a>,
    changes: usize,
}

#[derive(Serialize)]
struct JsonArea<'a> {
    id: &'a str,
    title: &'a str,
    owner: Option<&'a str>,
    changes: usize,
    owner_changes: usize,
    owner_approved: usize,
    contributors: usize,
    top: Option<JsonShare<'a>>,
    owner_last_change: Option<String>,
    last_change: Option<String>,
}

#[derive(Serialize)]
struct JsonPerson<'a> {
    #[serde(flatten)]
    who: JsonContributor<'a>,
    commits: usize,
    owns: &'a [String],
    changed: Vec<JsonTouched<'a>>,
}

#[derive(Serialize)]
struct JsonTouched<'a> {
    area: &'a str,
    changes: usize,
}

#[derive(Serialize)]
struct JsonUnowned<'a> {
    folder: &'a str,
    changes: usize,
    suggested_owner: Option<JsonShare<'a>>,
}

fn json_share(share: Option<&Share>) -> Option<JsonShare<'_>> {
    share.map(|s| JsonShare {
        who: JsonContributor::of(&s.who, &s.name),
        changes: s.changes,
    })
}

/// The JSON document, pretty-printed, with a final newline.
pub fn json(a: &Activity) -> String {
    let counts = Counts::of(&a.findings);
    json::document(
        "activity",
        Body {
            window: JsonWindow {
                label: &a.window.label,
                end: &a.window.end,
                end_label: &a.window.end_label,
                first_parent: a.window.first_parent,
            },
            identities: &a.identities,
            notes: &a.notes,
            summary: JsonSummary {
                commits: a.stats.commits,
                merges_skipped: a.stats.merges_skipped,
                paths_changed: a.stats.paths_changed,
                unmatched_commits: a.stats.unmatched_commits,
                errors: counts.errors,
                warnings: counts.warnings,
                infos: counts.infos,
            },
            areas: a
                .areas
                .iter()
                .map(|r| JsonArea {
                    id: &r.id,
                    title: &r.title,
                    owner: r.owner.as_deref(),
                    changes: r.changes,
                    owner_changes: r.owner_changes,
                    owner_approved: r.owner_approved,
                    contributors: r.contributors,
                    top: json_share(r.top.as_ref()),
                    owner_last_change: r.owner_last.map(|d| d.to_string()),
                    last_change: r.last.map(|d| d.to_string()),
                })
                .collect(),
            people: a
                .people
                .iter()
                .map(|p| JsonPerson {
                    who: JsonContributor::of(&p.who, &p.name),
                    commits: p.commits,
                    owns: &p.owns,
                    changed: p
                        .touched
                        .iter()
                        .map(|(area, changes)| JsonTouched {
                            area,
                            changes: *changes,
                        })
                        .collect(),
                })
                .collect(),
            unowned: a
                .unowned
                .iter()
                .map(|u| JsonUnowned {
                    folder: &u.folder,
                    changes: u.changes,
                    suggested_owner: json_share(u.top.as_ref()),
                })
                .collect(),
            findings: a
                .findings
                .iter()
                .map(|f| json::finding(f, &a.files))
                .collect(),
        },
    )
}

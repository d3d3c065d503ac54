//! The views of a diff: human (a plan), Markdown (a pull-request comment) and JSON (a versioned document).
//! All three are documented in docs/output.md. None decides a level: they show what `compare` classified.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diff::{literal, Change, DiffReport, Drift, FieldChange, Op, SideInfo, Summary};
use crate::document::Span;
use crate::finding::Level;
use crate::render::graph;
use crate::render::human::Style;
use crate::render::json::{self, JsonSpan};
use crate::render::text::{
    md_cell, md_code as code, md_inline, md_text as text, neutralize_workflow_commands, terminal,
};
use crate::source::{FileId, MANIFEST_NAME};

/// Values longer than this go on lines of their own (human) or into `<details>` (Markdown).
const LONG_VALUE: usize = 60;

/// The Markdown view stops before this many bytes: a pull-request comment holds 65,536 characters.
const MAX_MARKDOWN: usize = 60_000;

/// Notes (files a side cannot read) shown in the Markdown view; the rest are counted.
const MAX_NOTES: usize = 20;

/// Characters of one value shown in a Markdown table; the rest is counted.
const MAX_CELL_VALUE: usize = 500;

/// `Comparing main (1a2b3c4) .. working tree`, with how the base was chosen when opmodel chose it.
pub fn first_line(report: &DiffReport) -> String {
    let mut line = format!("Comparing {} .. {}", report.base.label, report.head.label);
    if let Some(note) = &report.note {
        line.push_str(&format!("; {note}"));
    }
    line
}

/// The lines that say a side has no manifest, or that some of its files could not be read.
fn side_notes(report: &DiffReport) -> Vec<String> {
    let mut notes = Vec::new();
    for (side, other, word) in [
        (&report.base, &report.head, "added"),
        (&report.head, &report.base, "removed"),
    ] {
        if !side.has_manifest && other.has_manifest {
            notes.push(format!(
                "{} has no {MANIFEST_NAME}: every entity counts as {word}",
                side.label
            ));
        }
    }
    notes.extend(report.problems.iter().map(|p| format!("warning: {p}")));
    notes
}

/// `3 added, 5 changed, 1 removed; 2 need sign-off`.
pub fn summary_line(summary: &Summary) -> String {
    let signoff = match summary.need_signoff {
        0 => "none needs sign-off".to_string(),
        1 => "1 needs sign-off".to_string(),
        n => format!("{n} need sign-off"),
    };
    format!(
        "{} added, {} changed, {} removed; {signoff}",
        summary.added, summary.changed, summary.removed
    )
}

fn plural_kind(kind: &str) -> String {
    crate::model::kinds::plural(kind)
}

fn paint(text: &str, code: &str, style: Style) -> String {
    if style.color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn value(v: Option<&serde_json::Value>) -> String {
    v.map_or_else(|| "(none)".to_string(), literal)
}

/// The human view: a plan grouped by kind, `+` added, `-` removed, `~` changed with `field: old => new`, each
/// warning and error under its entity, then one summary line. Info-level drifts are what `+ - ~` already say.
pub fn human(report: &DiffReport, style: Style) -> String {
    let mut out = terminal(&first_line(report));
    out.push('\n');
    for note in side_notes(report) {
        out.push_str(&terminal(&note));
        out.push('\n');
    }
    let mut kind: Option<&str> = None;
    for change in &report.changes {
        if kind != Some(change.kind) {
            out.push('\n');
            out.push_str(&paint(&plural_kind(change.kind), "1", style));
            out.push('\n');
            kind = Some(change.kind);
        }
        let (symbol, color) = match change.op {
            Op::Added => ("+", "32"),
            Op::Removed => ("-", "31"),
            Op::Changed => ("~", "33"),
        };
        out.push_str(&format!(
            "  {} {}\n",
            paint(symbol, color, style),
            terminal(&change.id)
        ));
        if change.op == Op::Changed {
            for field in &change.fields {
                out.push_str(&field_line(field, style));
            }
        }
        for drift in change.drifts.iter().filter(|d| d.level > Level::Info) {
            let level = match drift.level {
                Level::Error => paint("error", "1;31", style),
                _ => paint("warn", "33", style),
            };
            out.push_str(&format!(
                "      {level} {}: {}",
                drift.check,
                terminal(&drift.message)
            ));
            if let Some(help) = report.help(drift) {
                out.push_str(&format!(" ({})", terminal(&help)));
            }
            out.push('\n');
        }
    }
    out.push('\n');
    if report.changes.is_empty() {
        out.push_str("no changes to the operating model\n");
    } else {
        out.push_str(&summary_line(&report.summary()));
        out.push('\n');
    }
    neutralize_workflow_commands(&out)
}

fn field_line(field: &FieldChange, style: Style) -> String {
    let (old, new) = (value(field.old.as_ref()), value(field.new.as_ref()));
    let name = terminal(&field.field);
    if old.chars().count() + new.chars().count() <= 2 * LONG_VALUE {
        return format!("      {name}: {old} => {new}\n");
    }
    let mut out = format!("      {name}:\n");
    if field.old.is_some() {
        out.push_str(&format!("        {} {old}\n", paint("-", "31", style)));
    }
    if field.new.is_some() {
        out.push_str(&format!("        {} {new}\n", paint("+", "32", style)));
    }
    out
}

/// The Markdown view, for a pull-request comment: a title, a summary table by level, who must sign off, then
/// each entity (those that need sign-off first, then warnings, then the rest inside `<details>`).
pub fn markdown(report: &DiffReport) -> String {
    let summary = report.summary();
    let mut out = format!(
        "### opmodel diff: {} .. {}\n\n",
        code(&report.base.label),
        code(&report.head.label)
    );
    if let Some(note) = &report.note {
        out.push_str(&format!("{}\n\n", md_inline(note)));
    }
    let notes = side_notes(report);
    for (i, note) in notes.iter().enumerate() {
        // A side with thousands of unreadable files must not push the changes out of the comment.
        let line = format!("> {}\n\n", md_inline(note));
        if i == MAX_NOTES || out.len() + line.len() > MAX_MARKDOWN / 4 {
            out.push_str(&format!(
                "> *{} more not shown: `opmodel diff` lists every one.*\n\n",
                notes.len() - i
            ));
            break;
        }
        out.push_str(&line);
    }
    if report.changes.is_empty() {
        out.push_str("No changes to the operating model.\n");
        return out;
    }
    let count = |level: Level| {
        let drifts = report
            .changes
            .iter()
            .flat_map(|c| &c.drifts)
            .filter(|d| d.level == level)
            .count();
        let entities = report
            .changes
            .iter()
            .filter(|c| c.drifts.iter().any(|d| d.level == level))
            .count();
        (drifts, entities)
    };
    out.push_str("| level | checks | entities |\n| --- | ---: | ---: |\n");
    for (level, words) in [
        (Level::Error, "**error**: needs sign-off"),
        (Level::Warn, "warn"),
        (Level::Info, "info"),
    ] {
        let (drifts, entities) = count(level);
        out.push_str(&format!("| {words} | {drifts} | {entities} |\n"));
    }
    out.push_str(&format!("\n**{}**\n", summary_line(&summary)));

    let mut signers: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for change in &report.changes {
        for drift in change.drifts.iter().filter(|d| d.needs_signoff()) {
            for id in &drift.signoff {
                let what = format!(
                    "{} on {} {}",
                    code(drift.check.name),
                    change.kind,
                    code(&change.id)
                );
                let list = signers.entry(id).or_default();
                if !list.contains(&what) {
                    list.push(what);
                }
            }
        }
    }
    let signers: Vec<Signer> = signers
        .into_iter()
        .map(|(id, what)| Signer {
            who: text(&report.who(id)),
            what,
        })
        .collect();
    // Half the comment at most: the changes they must look at come next.
    sign_off_needed(&mut out, "####", &signers, MAX_MARKDOWN / 2, "opmodel diff");

    out.push_str(&handoff_picture(report));

    // Each entity once: under "Needs sign-off" when a drift needs it (whatever its level), else under its most
    // severe drift; until the comment would be too long.
    let mut left = report.changes.len();
    let section = |c: &Change| match (c.needs_signoff(), c.worst().unwrap_or(Level::Info)) {
        (true, _) => 0,
        (false, Level::Error | Level::Warn) => 1,
        (false, Level::Info) => 2,
    };
    for (i, title) in ["Needs sign-off", "Warnings", "Other changes"]
        .into_iter()
        .enumerate()
    {
        let changes: Vec<&Change> = report.changes.iter().filter(|c| section(c) == i).collect();
        if changes.is_empty() {
            continue;
        }
        let folded = title == "Other changes";
        out.push_str(&format!("\n#### {title} ({})\n\n", changes.len()));
        if folded {
            out.push_str(&format!(
                "<details><summary>{} more {}</summary>\n\n",
                changes.len(),
                if changes.len() == 1 {
                    "change"
                } else {
                    "changes"
                }
            ));
        }
        for change in changes {
            let chunk = markdown_change(report, change);
            if out.len() + chunk.len() > MAX_MARKDOWN {
                if folded {
                    out.push_str("</details>\n");
                }
                out.push_str(&format!(
                    "\n*{left} more {} not shown: the comment would pass GitHub's limit. \
                     `opmodel diff` and `--format json` list every one.*\n",
                    if left == 1 { "change" } else { "changes" }
                ));
                return out;
            }
            out.push_str(&chunk);
            left -= 1;
        }
        if folded {
            out.push_str("</details>\n");
        }
    }
    out
}

/// One line of "Sign-off needed from": who (Markdown, their name and id: no `@` mention, since the comment
/// notifies nobody; the Action requests their review) and what they must look at (Markdown, one item each).
pub struct Signer {
    pub who: String,
    pub what: Vec<String>,
}

/// Items of one signer's line shown before the rest are counted, and the longest such line in bytes.
const SIGNER_ITEMS: usize = 20;
const SIGNER_LINE: usize = 2_000;

/// "Sign-off needed from" under a heading of `level` (`####`): each signer once, with what they must look at,
/// while `out` stays under `limit` bytes; then how many signers (and items) are left out and that `command`
/// lists them all. Nothing when nobody must sign off. Shared by the Markdown of `diff` and of `audit`.
pub fn sign_off_needed(
    out: &mut String,
    level: &str,
    signers: &[Signer],
    limit: usize,
    command: &str,
) {
    if signers.is_empty() {
        return;
    }
    out.push_str(&format!("\n{level} Sign-off needed from\n\n"));
    for (i, signer) in signers.iter().enumerate() {
        let mut line = format!("- **{}**: ", signer.who);
        for (n, what) in signer.what.iter().enumerate() {
            if n == SIGNER_ITEMS || (n > 0 && line.len() + what.len() > SIGNER_LINE) {
                line.push_str(&format!(", and {} more", signer.what.len() - n));
                break;
            }
            if n > 0 {
                line.push_str(", ");
            }
            line.push_str(what);
        }
        line.push('\n');
        if out.len() + line.len() > limit {
            out.push_str(&format!(
                "- and {} more: `{command}` lists them all\n",
                signers.len() - i
            ));
            break;
        }
        out.push_str(&line);
    }
}

/// Handoffs drawn in a diff's picture at most: a larger change is better read as the list below it.
const MAX_PICTURED_HANDOFFS: usize = 40;

/// A Mermaid picture (which GitHub renders) of the handoffs the change adds, removes or alters; empty when it
/// touches none, so the comment of every other change is as before.
fn handoff_picture(report: &DiffReport) -> String {
    if report.handoffs.is_empty() || report.handoffs.len() > MAX_PICTURED_HANDOFFS {
        return String::new();
    }
    let changes: Vec<graph::HandoffChange<'_>> = report
        .handoffs
        .iter()
        .map(|(id, [base, head])| graph::HandoffChange {
            id,
            base: base.as_deref(),
            head: head.as_deref(),
        })
        .collect();
    let picture = graph::handoff_changes(&changes);
    if picture.edges.is_empty() {
        return String::new();
    }
    format!(
        "\n#### Handoffs this change touches\n\n```mermaid\n{}```\n",
        graph::mermaid(&picture)
    )
}

fn markdown_change(report: &DiffReport, change: &Change) -> String {
    let place = change
        .head
        .as_ref()
        .or(change.base.as_ref())
        .map(|(file, span)| {
            let at = where_at(report, *file, span);
            if report.is_base_file(*file) {
                format!(" ({} at {})", text(&at), text(&report.base.label))
            } else {
                format!(" ({})", text(&at))
            }
        });
    // A bare `~` opens strikethrough on GitHub and the `**` around it would show as asterisks.
    let symbol = match change.op {
        Op::Changed => "\\~".to_string(),
        _ => change.op.symbol().to_string(),
    };
    let mut out = format!(
        "**{symbol} {} {}** {}{}\n\n",
        change.kind,
        code(&change.id),
        change.op.as_str(),
        place.unwrap_or_default()
    );
    let mut listed = false;
    for drift in change.drifts.iter().filter(|d| d.level > Level::Info) {
        out.push_str(&markdown_drift(report, drift));
        listed = true;
    }
    if listed {
        out.push('\n');
    }
    if !change.fields.is_empty() {
        let long = change
            .fields
            .iter()
            .any(|f| value(f.old.as_ref()).len().max(value(f.new.as_ref()).len()) > LONG_VALUE);
        let folded = change.op != Op::Changed || long || change.fields.len() > 6;
        if folded {
            out.push_str(&format!(
                "<details><summary>{} {}</summary>\n\n",
                change.fields.len(),
                if change.fields.len() == 1 {
                    "field"
                } else {
                    "fields"
                }
            ));
        }
        out.push_str("| field | base | head |\n| --- | --- | --- |\n");
        for field in &change.fields {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                md_cell(&code(&field.field)),
                field
                    .old
                    .as_ref()
                    .map_or_else(|| "—".to_string(), cell_value),
                field
                    .new
                    .as_ref()
                    .map_or_else(|| "—".to_string(), cell_value),
            ));
        }
        if folded {
            out.push_str("\n</details>\n");
        }
        out.push('\n');
    }
    out
}

/// A value as a table cell: a code span, cut after [`MAX_CELL_VALUE`] characters.
fn cell_value(value: &serde_json::Value) -> String {
    let shown = literal(value);
    let count = shown.chars().count();
    if count <= MAX_CELL_VALUE {
        return md_cell(&code(&shown));
    }
    let cut: String = shown.chars().take(MAX_CELL_VALUE).collect();
    format!(
        "{} … ({} more characters)",
        md_cell(&code(&cut)),
        count - MAX_CELL_VALUE
    )
}

fn markdown_drift(report: &DiffReport, drift: &Drift) -> String {
    let mut line = format!(
        "- **{}** {}: {}",
        drift.level,
        code(drift.check.name),
        md_inline(&drift.message)
    );
    if let Some(help) = report.help(drift) {
        line.push_str(&format!(" — {}", md_inline(&help)));
    }
    line.push('\n');
    line
}

/// `ops/pricing.toml:20`.
fn where_at(report: &DiffReport, file: FileId, span: &Span) -> String {
    let source = report.files.get(file);
    let (line, _) = source.line_col(span.start);
    format!("{}:{line}", source.path)
}

#[derive(Serialize)]
struct DiffBody<'a> {
    base: JsonSide<'a>,
    head: JsonSide<'a>,
    note: Option<&'a str>,
    summary: Summary,
    problems: &'a [String],
    changes: Vec<JsonChange<'a>>,
}

#[derive(Serialize)]
struct JsonSide<'a> {
    label: &'a str,
    commit: Option<String>,
    manifest: bool,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    kind: &'a str,
    id: &'a str,
    op: &'static str,
    base: Option<JsonPlace<'a>>,
    head: Option<JsonPlace<'a>>,
    fields: Vec<JsonField<'a>>,
    drifts: Vec<JsonDrift<'a>>,
}

#[derive(Serialize)]
struct JsonField<'a> {
    field: &'a str,
    old: Option<&'a serde_json::Value>,
    new: Option<&'a serde_json::Value>,
    base: Option<JsonPlace<'a>>,
    head: Option<JsonPlace<'a>>,
}

#[derive(Serialize)]
struct JsonDrift<'a> {
    check: &'a str,
    level: Level,
    message: &'a str,
    field: Option<&'a str>,
    signoff: Vec<JsonPerson<'a>>,
}

#[derive(Serialize)]
struct JsonPerson<'a> {
    id: &'a str,
    name: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonPlace<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    span: JsonSpan,
}

fn side(info: &SideInfo) -> JsonSide<'_> {
    JsonSide {
        label: &info.label,
        commit: info.commit.map(|c| c.to_string()),
        manifest: info.has_manifest,
    }
}

fn place<'a>(report: &'a DiffReport, at: Option<&(FileId, Span)>) -> Option<JsonPlace<'a>> {
    let (file, span) = at?;
    let source = report.files.get(*file);
    let (line, column) = source.line_col(span.start);
    let (end_line, end_column) = source.line_col(span.end);
    Some(JsonPlace {
        file: &source.path,
        line,
        column,
        end_line,
        end_column,
        span: JsonSpan::stored(source, span),
    })
}

/// The JSON document, pretty-printed, with a final newline.
pub fn json(report: &DiffReport) -> String {
    let body = DiffBody {
        base: side(&report.base),
        head: side(&report.head),
        note: report.note.as_deref(),
        summary: report.summary(),
        problems: &report.problems,
        changes: report
            .changes
            .iter()
            .map(|c| JsonChange {
                kind: c.kind,
                id: &c.id,
                op: c.op.as_str(),
                base: place(report, c.base.as_ref()),
                head: place(report, c.head.as_ref()),
                fields: c
                    .fields
                    .iter()
                    .map(|f| JsonField {
                        field: &f.field,
                        old: f.old.as_ref(),
                        new: f.new.as_ref(),
                        base: place(report, f.base.as_ref()),
                        head: place(report, f.head.as_ref()),
                    })
                    .collect(),
                drifts: c
                    .drifts
                    .iter()
                    .map(|d| JsonDrift {
                        check: d.check.name,
                        level: d.level,
                        message: &d.message,
                        field: d.field.as_deref(),
                        signoff: d
                            .signoff
                            .iter()
                            .map(|id| JsonPerson {
                                id,
                                name: report.people.get(id).map(String::as_str),
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    };
    json::document("diff", body)
}

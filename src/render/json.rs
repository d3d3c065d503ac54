//! The JSON report: a versioned document with every finding. The format is documented in docs/output.md.

use serde::Serialize;

use crate::finding::{Counts, Finding, Level};
use crate::render::{position, Totals};
use crate::source::Files;

/// The version of the JSON document's shape. It changes only when a field changes meaning or goes away.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a> {
    version: u32,
    tool: Tool,
    command: &'a str,
    summary: Summary,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    infos: usize,
    files: usize,
    entities: usize,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    level: Level,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    span: Option<JsonSpan>,
    label: Option<&'a str>,
    help: Option<&'a str>,
    entity: Option<JsonEntity<'a>>,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonSpan {
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct JsonEntity<'a> {
    kind: &'a str,
    id: &'a str,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    span: JsonSpan,
    message: &'a str,
}

/// Render the findings of `command` as the JSON document, pretty-printed, with a final newline.
pub fn render(command: &str, findings: &[Finding], files: &Files, totals: Totals) -> String {
    let counts = Counts::of(findings);
    let document = Document {
        version: FORMAT_VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        command,
        summary: Summary {
            errors: counts.errors,
            warnings: counts.warnings,
            infos: counts.infos,
            files: totals.files,
            entities: totals.entities,
        },
        findings: findings.iter().map(|f| finding(f, files)).collect(),
    };
    let mut out = serde_json::to_string_pretty(&document).unwrap_or_default();
    out.push('\n');
    out
}

fn finding<'a>(f: &'a Finding, files: &'a Files) -> JsonFinding<'a> {
    let location = f.location.as_ref();
    let spanned = location.and_then(|l| l.span.clone());
    let pos = spanned.as_ref().and_then(|_| position(f, files));
    JsonFinding {
        rule: f.rule.name,
        level: f.level,
        message: &f.message,
        file: location.map(|l| files.get(l.file).path.as_str()),
        line: pos.map(|p| p.0),
        column: pos.map(|p| p.1),
        end_line: pos.map(|p| p.2),
        end_column: pos.map(|p| p.3),
        span: spanned.map(|s| JsonSpan {
            start: s.start,
            end: s.end,
        }),
        label: location.map(|l| l.label.as_str()).filter(|l| !l.is_empty()),
        help: f.help.as_deref(),
        entity: f.subject.as_ref().map(|s| JsonEntity {
            kind: s.kind,
            id: &s.id,
        }),
        related: f
            .related
            .iter()
            .map(|r| {
                let file = files.get(r.file);
                let (line, column) = file.line_col(r.span.start);
                JsonRelated {
                    file: &file.path,
                    line,
                    column,
                    span: JsonSpan {
                        start: r.span.start,
                        end: r.span.end,
                    },
                    message: &r.text,
                }
            })
            .collect(),
    }
}

//! The JSON reports: one versioned document shape for every command (`version`, `tool`, `command`, then the
//! command's own fields), and the pieces check and audit findings share. The format is documented in
//! docs/output.md.

use serde::Serialize;

use crate::finding::{Counts, Finding, Level};
use crate::render::{position, Totals};
use crate::source::Files;

/// The version of the JSON documents' shape. It changes only when a field changes meaning or goes away.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Document<'a, B: Serialize> {
    version: u32,
    tool: Tool,
    command: &'a str,
    #[serde(flatten)]
    body: B,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

/// A command's report as the JSON document: the shared header, then `body`'s fields; pretty-printed, with a
/// final newline.
pub fn document(command: &str, body: impl Serialize) -> String {
    let mut out = Vec::new();
    match write_document(&mut out, command, body) {
        Ok(()) => String::from_utf8(out).unwrap_or_else(|_| "\n".into()),
        // Serializing these shapes does not fail; if it did, the document would be empty.
        Err(_) => "\n".into(),
    }
}

/// [`document`] written to `out` as it is serialized, for reports too long to hold as one text.
pub fn write_document(
    out: &mut dyn std::io::Write,
    command: &str,
    body: impl Serialize,
) -> std::io::Result<()> {
    let document = Document {
        version: FORMAT_VERSION,
        tool: Tool {
            name: env!("CARGO_PKG_NAME"),
            version: env!("CARGO_PKG_VERSION"),
        },
        command,
        body,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    out.write_all(b"\n")
}

#[derive(Serialize)]
struct CheckBody<'a> {
    summary: Summary,
    findings: Vec<JsonFinding<'a>>,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    infos: usize,
    files: usize,
    entities: usize,
}

/// A finding as check and activity write it in their JSON documents.
#[derive(Serialize)]
pub struct JsonFinding<'a> {
    rule: &'a str,
    level: Level,
    message: &'a str,
    #[serde(flatten)]
    place: FindingPlace<'a>,
    entity: Option<JsonEntity<'a>>,
    related: Vec<JsonRelated<'a>>,
}

/// Where a finding points, its label and its help, as check and audit findings write them.
#[derive(Serialize)]
pub struct FindingPlace<'a> {
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    span: Option<JsonSpan>,
    label: Option<&'a str>,
    help: Option<&'a str>,
}

impl<'a> FindingPlace<'a> {
    pub fn of(f: &'a Finding, files: &'a Files) -> FindingPlace<'a> {
        let location = f.location.as_ref();
        let spanned = location.and_then(|l| l.span.clone());
        let pos = spanned.as_ref().and_then(|_| position(f, files));
        FindingPlace {
            file: location.map(|l| files.get(l.file).path.as_str()),
            line: pos.map(|p| p.0),
            column: pos.map(|p| p.1),
            end_line: pos.map(|p| p.2),
            end_column: pos.map(|p| p.3),
            span: location
                .zip(spanned)
                .map(|(l, s)| JsonSpan::stored(files.get(l.file), &s)),
            label: location.map(|l| l.label.as_str()).filter(|l| !l.is_empty()),
            help: f.help.as_deref(),
        }
    }
}

/// A byte range in a file as stored (a byte-order mark counted).
#[derive(Serialize)]
pub struct JsonSpan {
    pub start: usize,
    pub end: usize,
}

impl JsonSpan {
    pub fn stored(file: &crate::source::SourceFile, span: &std::ops::Range<usize>) -> JsonSpan {
        let stored = file.stored(span);
        JsonSpan {
            start: stored.start,
            end: stored.end,
        }
    }
}

/// An entity by kind and id.
#[derive(Serialize)]
pub struct JsonEntity<'a> {
    pub kind: &'a str,
    pub id: &'a str,
}

/// A finding's second place.
#[derive(Serialize)]
pub struct JsonRelated<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    span: JsonSpan,
    message: &'a str,
}

/// A finding's second places.
pub fn related<'a>(f: &'a Finding, files: &'a Files) -> Vec<JsonRelated<'a>> {
    f.related
        .iter()
        .map(|r| {
            let file = files.get(r.file);
            let (line, column) = file.line_col(r.span.start);
            JsonRelated {
                file: &file.path,
                line,
                column,
                span: JsonSpan::stored(file, &r.span),
                message: &r.text,
            }
        })
        .collect()
}

/// Render the findings of `command` as the JSON document, pretty-printed, with a final newline.
pub fn render(command: &str, findings: &[Finding], files: &Files, totals: Totals) -> String {
    let counts = Counts::of(findings);
    document(
        command,
        CheckBody {
            summary: Summary {
                errors: counts.errors,
                warnings: counts.warnings,
                infos: counts.infos,
                files: totals.files,
                entities: totals.entities,
            },
            findings: findings.iter().map(|f| finding(f, files)).collect(),
        },
    )
}

pub fn finding<'a>(f: &'a Finding, files: &'a Files) -> JsonFinding<'a> {
    JsonFinding {
        rule: f.rule.name,
        level: f.level,
        message: &f.message,
        place: FindingPlace::of(f, files),
        entity: f.subject.as_ref().map(|s| JsonEntity {
            kind: s.kind,
            id: &s.id,
        }),
        related: related(f, files),
    }
}

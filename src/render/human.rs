//! The human report: one miette diagnostic per finding, then one summary line.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity,
    SourceCode,
};

use crate::finding::{Counts, Finding, Level};
use crate::render::text::{neutralize_workflow_commands, terminal as printable};
use crate::render::Totals;
use crate::source::{FileId, Files};

/// How to draw: colors or not, the width to wrap at, and whether to show the findings only (`--quiet`).
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
    /// `-q/--quiet`: the human report is the findings alone, without header, plan, summary or progress.
    pub quiet: bool,
}

impl Style {
    /// No colors, 100 columns: what tests snapshot.
    pub fn plain() -> Style {
        Style {
            color: false,
            width: 100,
            quiet: false,
        }
    }
}

/// Render every finding, then the summary line.
pub fn render(findings: &[Finding], files: &Files, totals: Totals, style: Style) -> String {
    let mut out = String::new();
    for finding in findings {
        out.push_str(&render_one(finding, files, style));
        out.push('\n');
    }
    out.push_str(&summary(findings, totals));
    out.push('\n');
    neutralize_workflow_commands(&out)
}

/// Every finding, and nothing else (`--quiet`): no summary line; nothing at all when there is no finding.
pub fn findings_only(findings: &[Finding], files: &Files, style: Style) -> String {
    let mut out = String::new();
    for finding in findings {
        out.push_str(&render_one(finding, files, style));
        out.push('\n');
    }
    neutralize_workflow_commands(&out)
}

/// One finding as a miette diagnostic.
pub fn render_one(finding: &Finding, files: &Files, style: Style) -> String {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(style.width)
        .with_links(false);
    let diagnostic = FindingDiagnostic::new(finding, files);
    let mut out = String::new();
    if handler.render_report(&mut out, &diagnostic).is_err() {
        out = format!(
            "{}[{}]: {}\n",
            finding.level,
            finding.rule,
            printable(&finding.message)
        );
    }
    out
}

/// `2 errors, 1 warning in 14 files (213 entities)`.
pub fn summary(findings: &[Finding], totals: Totals) -> String {
    let counts = Counts::of(findings);
    let files = plural(totals.files, "file", "files");
    let entities = plural(totals.entities, "entity", "entities");
    if findings.is_empty() {
        format!("no problems in {files} ({entities})")
    } else {
        format!("{} in {files} ({entities})", counts.describe())
    }
}

/// `1 file`, `2 files`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A finding seen through miette's eyes.
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: Option<NamedSource<String>>,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedDiagnostic>,
    message: String,
    help: Option<String>,
}

impl<'a> FindingDiagnostic<'a> {
    fn new(finding: &'a Finding, files: &Files) -> FindingDiagnostic<'a> {
        let home: Option<FileId> = finding.location.as_ref().map(|l| l.file);
        let mut labels = Vec::new();
        let mut source = None;
        if let Some(location) = &finding.location {
            let file = files.get(location.file);
            if let Some(span) = location.span.as_ref().filter(|span| fits(&file.text, span)) {
                source = Some(
                    NamedSource::new(printable(&file.path), printable_source(&file.text))
                        .with_language("toml"),
                );
                labels.push(LabeledSpan::new_primary_with_span(
                    (!location.label.is_empty()).then(|| printable(&location.label)),
                    span.clone(),
                ));
            }
        }
        let mut related = Vec::new();
        for label in &finding.related {
            let file = files.get(label.file);
            let shown = fits(&file.text, &label.span);
            if Some(label.file) == home && source.is_some() && shown {
                labels.push(LabeledSpan::new_with_span(
                    Some(printable(&label.text)),
                    label.span.clone(),
                ));
            } else {
                related.push(RelatedDiagnostic {
                    message: format!(
                        "{} ({})",
                        printable(&label.text),
                        place(files, label.file, Some(&label.span), shown)
                    ),
                    source: shown.then(|| {
                        NamedSource::new(printable(&file.path), printable_source(&file.text))
                            .with_language("toml")
                    }),
                    label: LabeledSpan::new_with_span(
                        Some(printable(&label.text)),
                        label.span.clone(),
                    ),
                });
            }
        }
        // Without a snippet (a finding about a whole file, or a line too long to show), the message says where.
        let message = match (&finding.location, &source) {
            (Some(location), None) => {
                let path = &files.get(location.file).path;
                if location.span.is_none() && finding.message.contains(path.as_str()) {
                    printable(&finding.message)
                } else {
                    format!(
                        "{}: {}",
                        place(files, location.file, location.span.as_ref(), false),
                        printable(&finding.message)
                    )
                }
            }
            _ => printable(&finding.message),
        };
        FindingDiagnostic {
            finding,
            source,
            labels,
            related,
            message,
            help: finding.help.as_deref().map(printable),
        }
    }
}

/// The longest line (in bytes) shown in a snippet; a finding on a longer line names its line and column
/// instead, so one minified or generated line cannot flood the terminal.
const MAX_SNIPPET_LINE: usize = 400;

/// Whether the lines a snippet of `span` shows (the span's lines and one line around) are short enough.
fn fits(text: &str, span: &std::ops::Range<usize>) -> bool {
    let start = span.start.min(text.len());
    let end = span.end.clamp(start, text.len());
    let bytes = text.as_bytes();
    // One line of context before and after, as the snippet shows.
    let line_start = |at: usize| {
        bytes[..at]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |i| i + 1)
    };
    let line_end = |at: usize| {
        bytes[at..]
            .iter()
            .position(|b| *b == b'\n')
            .map_or(bytes.len(), |i| at + i)
    };
    let first = line_start(start);
    let first = if first > 0 {
        line_start(first - 1)
    } else {
        first
    };
    let last = line_end(end);
    let last = if last < bytes.len() {
        line_end(last + 1)
    } else {
        last
    };
    text[first..last]
        .split('\n')
        .all(|line| line.len() <= MAX_SNIPPET_LINE)
}

/// `ops/x.toml:3:7`, or the path alone for a finding about a whole file.
fn place(
    files: &Files,
    file: FileId,
    span: Option<&std::ops::Range<usize>>,
    path_only: bool,
) -> String {
    let file = files.get(file);
    match span {
        Some(span) if !path_only => {
            let (line, column) = file.line_col(span.start);
            format!("{}:{line}:{column}", printable(&file.path))
        }
        _ => printable(&file.path),
    }
}

/// Text from a model file made safe for a terminal: control characters (a NUL, an escape sequence) are
/// shown as `?`, each replaced byte for byte so spans still point at the same places.
fn printable_source(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() && !matches!(c, '\n' | '\t' | '\r') {
                "?".repeat(c.len_utf8())
            } else {
                c.to_string()
            }
        })
        .collect()
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FindingDiagnostic")
            .field("rule", &self.finding.rule)
            .finish()
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

fn severity(level: Level) -> Severity {
    match level {
        Level::Error => Severity::Error,
        Level::Warn => Severity::Warning,
        Level::Info => Severity::Advice,
    }
}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.finding.rule))
    }

    fn severity(&self) -> Option<Severity> {
        Some(severity(self.finding.level))
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
        }
    }
}

/// A second place in another file, shown under the finding.
#[derive(Debug)]
struct RelatedDiagnostic {
    message: String,
    source: Option<NamedSource<String>>,
    label: LabeledSpan,
}

impl fmt::Display for RelatedDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RelatedDiagnostic {}

impl Diagnostic for RelatedDiagnostic {
    fn severity(&self) -> Option<Severity> {
        Some(Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}

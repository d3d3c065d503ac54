//! The human report: one miette diagnostic per finding, then one summary line.

use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, Severity, SourceCode, SourceSpan, SpanContents,
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
    let mut out = findings_shown(findings, files, style);
    out.push_str(&summary(findings, totals));
    out.push('\n');
    neutralize_workflow_commands(&out)
}

/// Every finding, and nothing else (`--quiet`): no summary line; nothing at all when there is no finding.
pub fn findings_only(findings: &[Finding], files: &Files, style: Style) -> String {
    neutralize_workflow_commands(&findings_shown(findings, files, style))
}

fn findings_shown<'f>(
    findings: impl IntoIterator<Item = &'f Finding>,
    files: &Files,
    style: Style,
) -> String {
    let mut renderer = Renderer::new(files, style);
    let mut out = String::new();
    for finding in findings {
        out.push_str(&renderer.render(finding));
        out.push('\n');
    }
    out
}

/// Draws findings one by one, each file's text made printable once for all of them: a file with thousands of
/// findings is not copied, nor read from its start, once per finding.
pub struct Renderer<'f> {
    files: &'f Files,
    handler: GraphicalReportHandler,
    sources: HashMap<FileId, Rc<Snippets>>,
}

impl<'f> Renderer<'f> {
    pub fn new(files: &'f Files, style: Style) -> Renderer<'f> {
        let theme = if style.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(style.width)
            .with_links(false);
        Renderer {
            files,
            handler,
            sources: HashMap::new(),
        }
    }

    /// One finding as a miette diagnostic.
    pub fn render(&mut self, finding: &Finding) -> String {
        let diagnostic = FindingDiagnostic::new(finding, self.files, &mut self.sources);
        let mut out = String::new();
        if self.handler.render_report(&mut out, &diagnostic).is_err() {
            out = format!(
                "{}[{}]: {}\n",
                finding.level,
                finding.rule,
                printable(&finding.message)
            );
        }
        out
    }
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
    source: Option<Rc<Snippets>>,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedDiagnostic>,
    message: String,
    help: Option<String>,
}

impl<'a> FindingDiagnostic<'a> {
    fn new(
        finding: &'a Finding,
        files: &Files,
        sources: &mut HashMap<FileId, Rc<Snippets>>,
    ) -> FindingDiagnostic<'a> {
        let mut snippets = |id: FileId| {
            Rc::clone(sources.entry(id).or_insert_with(|| {
                let file = files.get(id);
                Rc::new(Snippets::new(
                    printable(&file.path),
                    printable_source(&file.text),
                ))
            }))
        };
        let home: Option<FileId> = finding.location.as_ref().map(|l| l.file);
        let mut labels = Vec::new();
        let mut source = None;
        if let Some(location) = &finding.location {
            let file = files.get(location.file);
            if let Some(span) = location.span.as_ref().filter(|span| fits(&file.text, span)) {
                source = Some(snippets(location.file));
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
                    source: shown.then(|| snippets(label.file)),
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
    let hidden = |c: char| c.is_control() && !matches!(c, '\n' | '\t' | '\r');
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(hidden) {
        out.push_str(&rest[..at]);
        let c = rest[at..].chars().next().unwrap_or_default();
        out.push_str(&"?".repeat(c.len_utf8()));
        rest = &rest[at + c.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// A file's printable text for miette's snippets, with its line table.
///
/// miette reads a snippet from a `str` by walking the text from its start to the span (counting lines as it
/// goes): once per finding, that made a file with 20,000 findings take minutes. Here each read gives miette
/// only the lines around the span (from the first context line it asks for, to a line past the last one) and
/// shifts its answer back by the lines skipped: the same snippet (a unit test compares every span of several
/// texts), in time that follows the snippet.
#[derive(Debug)]
struct Snippets {
    name: String,
    text: String,
    /// Where each line starts ('\n' ends a line).
    line_starts: Vec<usize>,
    /// miette also ends a line at a carriage return alone; then lines cannot be counted by '\n' alone, and the
    /// whole text is read.
    lone_cr: bool,
}

impl Snippets {
    fn new(name: String, text: String) -> Snippets {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let bytes = text.as_bytes();
        let lone_cr = bytes
            .iter()
            .enumerate()
            .any(|(i, b)| *b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
        Snippets {
            name,
            text,
            line_starts,
            lone_cr,
        }
    }

    /// The line (0-based) that holds byte `at`.
    fn line_of(&self, at: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= at) - 1
    }
}

impl SourceCode for Snippets {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (skipped, start, end) = if self.lone_cr {
            (0, 0, self.text.len())
        } else {
            // One line more than miette asks for: its walk treats an empty span at the very start of what it
            // reads as ending there.
            let first = self
                .line_of(span.offset())
                .saturating_sub(context_lines_before + 1);
            let last = self.line_of(span.offset() + span.len()) + context_lines_after + 2;
            let end = self
                .line_starts
                .get(last)
                .copied()
                .unwrap_or(self.text.len());
            (first, self.line_starts[first], end)
        };
        let inner = SourceSpan::new((span.offset() - start).into(), span.len());
        let window = self.text.get(start..end).unwrap_or_default();
        let contents = window.read_span(&inner, context_lines_before, context_lines_after)?;
        let shifted = SourceSpan::new(
            (contents.span().offset() + start).into(),
            contents.span().len(),
        );
        Ok(Box::new(
            MietteSpanContents::new_named(
                self.name.clone(),
                contents.data(),
                shifted,
                contents.line() + skipped,
                contents.column(),
                contents.line_count() + skipped,
            )
            .with_language("toml"),
        ))
    }
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
        self.source.as_deref().map(|s| s as &dyn SourceCode)
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
    source: Option<Rc<Snippets>>,
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
        self.source.as_deref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What miette makes of a read, to compare.
    fn read(
        source: &dyn SourceCode,
        span: SourceSpan,
        before: usize,
        after: usize,
    ) -> Option<(Vec<u8>, usize, usize, usize, usize, usize)> {
        let c = source.read_span(&span, before, after).ok()?;
        Some((
            c.data().to_vec(),
            c.span().offset(),
            c.span().len(),
            c.line(),
            c.column(),
            c.line_count(),
        ))
    }

    /// Control characters become `?`, byte for byte; line ends and tabs stay.
    #[test]
    fn printable_source_keeps_every_offset() {
        let text = "a\u{1b}[31mb\u{85}c\td\r\n\u{0}";
        let shown = printable_source(text);
        assert_eq!(shown, "a?[31mb??c\td\r\n?");
        assert_eq!(shown.len(), text.len());
        assert_eq!(printable_source("plain\n"), "plain\n");
    }

    /// Every span of every text below, with every context miette asks for, reads the same lines, line numbers
    /// and columns through the window as from the whole text.
    #[test]
    fn a_snippet_read_through_the_window_is_the_one_read_from_the_whole_text() {
        let texts = [
            "a = 1\nb = 2\n\n[x]\nc = \"d\"\ne = [\n  1,\n]\n",
            "a = 1\r\nb = 2\r\n\r\n[x]\r\nc = 3",
            "\n\n\nx\n\n",
            "one line, no newline",
            "a\rb\nc\r\nd\n",
            "",
        ];
        for text in texts {
            let snippets = Snippets::new("f.toml".into(), text.to_string());
            // Spans inside the text, as findings' are (miette's own read panics on one past its end).
            for offset in 0..=text.len() {
                for len in 0..4.min(text.len() - offset + 1) {
                    for (before, after) in [(0, 0), (1, 1), (2, 3), (3, 0)] {
                        let span = SourceSpan::new(offset.into(), len);
                        assert_eq!(
                            read(&snippets, span, before, after),
                            read(&text, span, before, after),
                            "{text:?} at {offset}+{len}, context {before}/{after}"
                        );
                    }
                }
            }
        }
    }
}

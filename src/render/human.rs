//! The human report: one miette diagnostic per finding, then one summary line.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, Severity,
    SourceCode,
};

use crate::finding::{Counts, Finding, Level};
use crate::render::Totals;
use crate::source::{FileId, Files};

/// How to draw: colors or not, and the width to wrap at.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: usize,
}

impl Style {
    /// No colors, 100 columns: what tests snapshot.
    pub fn plain() -> Style {
        Style {
            color: false,
            width: 100,
        }
    }
}

/// Render every finding, then the summary line.
pub fn render(findings: &[Finding], files: &Files, totals: Totals, style: Style) -> String {
    let mut out = String::new();
    for finding in findings {
        out.push_str(&render_one(finding, files, style));
    }
    out.push_str(&summary(findings, totals));
    out.push('\n');
    out
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
        out = format!("{}[{}]: {}\n", finding.level, finding.rule, finding.message);
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

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A finding seen through miette's eyes.
struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    source: Option<NamedSource<String>>,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedDiagnostic>,
    message: String,
}

impl<'a> FindingDiagnostic<'a> {
    fn new(finding: &'a Finding, files: &Files) -> FindingDiagnostic<'a> {
        let home: Option<FileId> = finding.location.as_ref().map(|l| l.file);
        let mut labels = Vec::new();
        let mut source = None;
        if let Some(location) = &finding.location {
            let file = files.get(location.file);
            if let Some(span) = &location.span {
                source = Some(NamedSource::new(file.path.clone(), file.text.to_string()).with_language("toml"));
                labels.push(LabeledSpan::new_primary_with_span(
                    (!location.label.is_empty()).then(|| location.label.clone()),
                    span.clone(),
                ));
            }
        }
        let mut related = Vec::new();
        for label in &finding.related {
            if Some(label.file) == home && source.is_some() {
                labels.push(LabeledSpan::new_with_span(Some(label.text.clone()), label.span.clone()));
            } else {
                let file = files.get(label.file);
                related.push(RelatedDiagnostic {
                    message: format!("{} ({})", label.text, file.path),
                    source: NamedSource::new(file.path.clone(), file.text.to_string()).with_language("toml"),
                    label: LabeledSpan::new_with_span(Some(label.text.clone()), label.span.clone()),
                });
            }
        }
        // A finding about a whole file shows the file in its message, since there is no snippet.
        let message = match (&finding.location, &source) {
            (Some(location), None) => {
                let path = &files.get(location.file).path;
                if finding.message.contains(path.as_str()) {
                    finding.message.clone()
                } else {
                    format!("{path}: {}", finding.message)
                }
            }
            _ => finding.message.clone(),
        };
        FindingDiagnostic {
            finding,
            source,
            labels,
            related,
            message,
        }
    }
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FindingDiagnostic").field("rule", &self.finding.rule).finish()
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
        self.finding
            .help
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
    source: NamedSource<String>,
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
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}

//! GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per finding, which the
//! runner turns into annotations on the pull request's files. GitHub shows only the first few annotations of
//! each kind per step, so the most important come first. See docs/output.md.

use crate::finding::{Finding, Level};
use crate::source::Files;

/// Render findings as workflow commands, errors first, then warnings, then notes; the order within a level is
/// the order given. `path_prefix` is the manifest's folder relative to the repository root (`""` at the root),
/// since GitHub resolves `file=` from the repository root.
pub fn render(findings: &[Finding], files: &Files, path_prefix: &str) -> String {
    let prefix = match path_prefix.trim_start_matches("./").trim_matches('/') {
        "" | "." => String::new(),
        trimmed => format!("{trimmed}/"),
    };
    let mut out = String::new();
    for finding in most_important_first(findings) {
        out.push_str(&command(finding, files, &prefix));
        out.push('\n');
    }
    out
}

/// The findings by level, highest first; a stable sort keeps the given order within a level.
pub fn most_important_first(findings: &[Finding]) -> Vec<&Finding> {
    let mut ordered: Vec<&Finding> = findings.iter().collect();
    ordered.sort_by_key(|f| std::cmp::Reverse(f.level));
    ordered
}

/// The workflow command's name for a level.
pub fn command_name(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warn => "warning",
        Level::Info => "notice",
    }
}

fn command(finding: &Finding, files: &Files, prefix: &str) -> String {
    let mut properties: Vec<(&str, String)> = Vec::new();
    if let Some(location) = &finding.location {
        let file = files.get(location.file);
        properties.push(("file", format!("{prefix}{}", file.path)));
        match &location.span {
            Some(span) => {
                let (line, column) = file.line_col(span.start);
                let (end_line, end_column) = file.line_col(span.end.max(span.start));
                properties.push(("line", line.to_string()));
                // GitHub takes columns only for an annotation on one line.
                if end_line == line {
                    properties.push(("col", column.to_string()));
                    properties.push(("endLine", end_line.to_string()));
                    properties.push(("endColumn", end_column.to_string()));
                } else {
                    properties.push(("endLine", end_line.to_string()));
                }
            }
            None => properties.push(("line", "1".into())),
        }
    }
    properties.push(("title", format!("opmodel: {}", finding.rule)));
    let properties = properties
        .iter()
        .map(|(name, value)| format!("{name}={}", escape_property(value)))
        .collect::<Vec<_>>()
        .join(",");
    let mut message = finding.message.clone();
    if let Some(help) = &finding.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{} {properties}::{}",
        command_name(finding.level),
        escape_data(&message)
    )
}

/// Escape a command's message: `%`, carriage return and line feed, as the runner decodes them.
pub fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

/// Escape a property value: as the message, plus `:` and `,`, which separate properties.
pub fn escape_property(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' => out.push_str("%3A"),
            ',' => out.push_str("%2C"),
            c => out.push(c),
        }
    }
    out
}

//! GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per finding, which the
//! runner turns into annotations on the pull request's files. GitHub shows only the first few annotations of
//! each kind per step, so the most important come first. See docs/output.md.

use crate::audit::rules::{unapproved_drift, unowned_change};
use crate::finding::{Finding, Level, Rule};
use crate::source::Files;

/// Annotations of one level GitHub shows per step (10 errors, 10 warnings, 10 notices); the rest are dropped
/// silently, so opmodel writes no more than that and says how many it left out.
pub const PER_LEVEL: usize = 10;

/// Render findings as workflow commands, the most important first (see [`most_important_first`]), at most
/// [`PER_LEVEL`] of each level; when some are left out, a last notice says how many and where to read them.
/// `path_prefix` is the manifest's folder relative to the repository root (`""` at the root), since GitHub
/// resolves `file=` from the repository root.
pub fn render(findings: &[Finding], files: &Files, path_prefix: &str) -> String {
    let prefix = match path_prefix.trim_start_matches("./").trim_matches('/') {
        "" | "." => String::new(),
        trimmed => format!("{trimmed}/"),
    };
    let ordered = most_important_first(findings);
    let mut out = String::new();
    let mut left_out = 0;
    for level in [Level::Error, Level::Warn, Level::Info] {
        let group: Vec<&&Finding> = ordered.iter().filter(|f| f.level == level).collect();
        let room = if level == Level::Info {
            // The last notice is opmodel's own when anything is left out.
            let others_left_out = left_out > 0;
            let fits = group.len() <= PER_LEVEL && !others_left_out;
            if fits {
                PER_LEVEL
            } else {
                PER_LEVEL - 1
            }
        } else {
            PER_LEVEL
        };
        for finding in group.iter().take(room) {
            out.push_str(&command(finding, files, &prefix));
            out.push('\n');
        }
        left_out += group.len().saturating_sub(room);
    }
    if left_out > 0 {
        let more = if left_out == 1 {
            "1 more finding".to_string()
        } else {
            format!("{left_out} more findings")
        };
        out.push_str(&format!(
            "::notice title={}::{}\n",
            escape_property(&format!("opmodel: {more}")),
            escape_data(&format!(
                "{more} not shown as annotations: GitHub shows {PER_LEVEL} of each level per step. \
                 opmodel with --format human, --format markdown or --format sarif lists every one."
            ))
        ));
    }
    out
}

/// The findings by level, highest first, and within a level the drifts that need sign-off, then changes nobody
/// owns, then the rest; a stable sort keeps the given order otherwise.
pub fn most_important_first(findings: &[Finding]) -> Vec<&Finding> {
    let mut ordered: Vec<&Finding> = findings.iter().collect();
    ordered.sort_by_key(|f| (std::cmp::Reverse(f.level), weight(f.rule)));
    ordered
}

/// How early a rule's findings come within their level.
fn weight(rule: &Rule) -> u8 {
    if *rule == unapproved_drift::RULE {
        0
    } else if *rule == unowned_change::RULE {
        1
    } else {
        2
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn findings(rule: &'static str, level: Level, n: usize) -> Vec<Finding> {
        let rule = crate::catalog::find(rule).unwrap();
        (0..n)
            .map(|i| Finding::new(rule, format!("{rule} {i}")).level(level))
            .collect()
    }

    fn lines(out: &str) -> Vec<&str> {
        out.lines().collect()
    }

    #[test]
    fn at_most_ten_of_a_level_and_a_notice_says_how_many_more() {
        let mut all = findings("unapproved-change", Level::Error, 12);
        all.extend(findings("unapproved-drift", Level::Error, 3));
        all.extend(findings("decision-without-sla", Level::Warn, 4));
        all.extend(findings("metric-stale", Level::Info, 10));
        let out = render(&all, &Files::default(), "");
        let lines = lines(&out);
        let count = |prefix: &str| lines.iter().filter(|l| l.starts_with(prefix)).count();
        assert_eq!(count("::error "), PER_LEVEL);
        assert_eq!(count("::warning "), 4);
        assert_eq!(count("::notice "), PER_LEVEL, "{out}");
        // Drifts needing sign-off come first; the cut falls on the last of the rest.
        assert!(lines[..3].iter().all(|l| l.contains("unapproved-drift")));
        assert_eq!(
            lines.last().unwrap(),
            &"::notice title=opmodel%3A 6 more findings::6 more findings not shown as annotations: \
              GitHub shows 10 of each level per step. opmodel with --format human, --format markdown \
              or --format sarif lists every one."
        );
    }

    #[test]
    fn no_notice_when_everything_fits() {
        let mut files = Files::default();
        files.add(SourceFile::new("ops/a.toml", "x = 1\n"));
        let mut all = findings("unowned-change", Level::Error, 10);
        all.extend(findings("metric-stale", Level::Info, 10));
        let out = render(&all, &files, "");
        assert_eq!(lines(&out).len(), 20);
        assert!(!out.contains("more finding"));
    }
}

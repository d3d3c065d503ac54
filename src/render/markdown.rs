//! Markdown for people: a job summary (`$GITHUB_STEP_SUMMARY`) or a pull-request comment. A heading with the
//! counts, a table by level, then the findings grouped by level, errors first. See docs/output.md.

use crate::finding::{Counts, Finding, Level};
use crate::render::sarif::help_uri;
use crate::render::text::{md_code as code, md_inline as inline};
use crate::source::Files;

/// Findings of a level shown before the rest fold into `<details>`.
pub const SHOWN_PER_LEVEL: usize = 10;

/// Past this many characters the list stops: GitHub refuses comments over 65,536 characters.
pub const MAX_CHARS: usize = 60_000;

/// Render findings under `heading` (such as `opmodel check`). Paths are prefixed with `path_prefix`, the
/// manifest's folder relative to the repository root (`""` at the root), so they read as repository paths.
pub fn render(heading: &str, findings: &[Finding], files: &Files, path_prefix: &str) -> String {
    let prefix = match path_prefix.trim_start_matches("./").trim_matches('/') {
        "" | "." => String::new(),
        trimmed => format!("{trimmed}/"),
    };
    let counts = Counts::of(findings);
    let mut out = String::new();
    if findings.is_empty() {
        out.push_str(&format!("## {}: no problems\n", inline(heading)));
        return out;
    }
    out.push_str(&format!(
        "## {}: {}\n\n",
        inline(heading),
        counts.describe()
    ));
    out.push_str("| level | findings |\n| --- | ---: |\n");
    out.push_str(&format!("| error | {} |\n", counts.errors));
    out.push_str(&format!("| warning | {} |\n", counts.warnings));
    out.push_str(&format!("| note | {} |\n", counts.infos));

    let mut left = findings.len();
    for (level, title, one, many) in [
        (Level::Error, "Errors", "error", "errors"),
        (Level::Warn, "Warnings", "warning", "warnings"),
        (Level::Info, "Notes", "note", "notes"),
    ] {
        let group: Vec<&Finding> = findings.iter().filter(|f| f.level == level).collect();
        if group.is_empty() {
            continue;
        }
        out.push_str(&format!("\n### {title} ({})\n\n", group.len()));
        for (i, finding) in group.iter().enumerate() {
            if i == SHOWN_PER_LEVEL {
                let rest = group.len() - SHOWN_PER_LEVEL;
                let word = if rest == 1 { one } else { many };
                out.push_str(&format!(
                    "\n<details><summary>{rest} more {word}</summary>\n\n"
                ));
            }
            let item = item(finding, files, &prefix);
            if out.len() + item.len() > MAX_CHARS {
                if i >= SHOWN_PER_LEVEL {
                    out.push_str("\n</details>\n");
                }
                out.push_str(&format!(
                    "\n*{left} more not shown: the report would be too long for a comment. \
                     The annotations and the SARIF upload list every finding.*\n"
                ));
                return out;
            }
            out.push_str(&item);
            left -= 1;
        }
        if group.len() > SHOWN_PER_LEVEL {
            out.push_str("\n</details>\n");
        }
    }
    out
}

/// One finding: the rule (linked to its docs), where, the message, and the help as a sub-item.
fn item(finding: &Finding, files: &Files, prefix: &str) -> String {
    let mut text = format!("- [`{}`]({})", finding.rule, help_uri(finding.rule.name));
    if let Some(location) = &finding.location {
        let file = files.get(location.file);
        let place = match &location.span {
            Some(span) => {
                let (line, column) = file.line_col(span.start);
                format!("{prefix}{}:{line}:{column}", file.path)
            }
            None => format!("{prefix}{}", file.path),
        };
        text.push_str(&format!(" in {}", code(&place)));
    }
    text.push_str(&format!(": {}\n", inline(&finding.message)));
    if let Some(help) = &finding.help {
        text.push_str(&format!("  - help: {}\n", inline(help)));
    }
    text
}

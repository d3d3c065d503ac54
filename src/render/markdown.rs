//! Markdown for people: a job summary (`$GITHUB_STEP_SUMMARY`) or a pull-request comment. A heading with the
//! counts, a table by level, then the findings grouped by level, errors first. See docs/output.md.

use crate::finding::{Counts, Finding, Level};
use crate::render::sarif::help_uri;
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

/// Text from a finding as one line of Markdown: backtick code spans stay code, everything else is escaped so
/// that a name in a model file cannot add links, images, HTML or structure to a comment.
pub fn inline(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| {
            if c == '\n' || c == '\r' || c == '\t' {
                ' '
            } else {
                c
            }
        })
        .collect();
    // Code spans need a closing backtick: with an odd number, every backtick is escaped as text.
    let balanced = text.matches('`').count() % 2 == 0;
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for (i, &c) in chars.iter().enumerate() {
        if c == '`' && balanced {
            in_code = !in_code;
            out.push(c);
        } else if in_code {
            // Inside a code span everything is literal, HTML included.
            out.push(c);
        } else {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '&' => out.push_str("&amp;"),
                '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                    out.push('\\');
                    out.push(c);
                }
                // `@login` in a comment would notify that person: an empty HTML comment breaks the mention.
                '@' if starts_mention(&chars, i) => out.push_str("@<!-- -->"),
                c if c.is_control() => out.push(' '),
                c => out.push(c),
            }
        }
    }
    out
}

/// Whether the `@` at `i` would start a GitHub mention: not inside a word (an email), and a name follows.
fn starts_mention(chars: &[char], i: usize) -> bool {
    let after_word = i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
    let name_follows = chars.get(i + 1).is_some_and(|c| c.is_ascii_alphanumeric());
    !after_word && name_follows
}

/// A path as a code span, with a longer fence when the path itself holds backticks.
fn code(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_stay_and_the_rest_is_escaped() {
        assert_eq!(inline("`owner` of \"x\""), "`owner` of \"x\"");
        assert_eq!(
            inline("a <img src=x> [y](z)"),
            "a &lt;img src=x&gt; \\[y\\](z)"
        );
        assert_eq!(inline("one ` tick"), "one \\` tick");
        assert_eq!(inline("two\nlines"), "two lines");
        assert_eq!(inline("approved by @ana"), "approved by @<!-- -->ana");
        assert_eq!(inline("ana@example.com"), "ana@example.com");
    }

    #[test]
    fn paths_with_backticks_get_a_longer_fence() {
        assert_eq!(code("ops/a.toml:3:1"), "`ops/a.toml:3:1`");
        assert_eq!(code("ops/a`b.toml"), "``ops/a`b.toml``");
    }
}

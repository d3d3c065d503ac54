//! JUnit XML, the test report most CI systems show (GitLab, Jenkins, Azure Pipelines, CircleCI, Buildkite).
//!
//! Shaped like ruff's and cargo-deny's: one `<testsuite>` per file (findings without a file go to a suite named
//! after the command), one `<testcase>` per finding, named `opmodel.RULE`, with the file's repository path as its
//! `classname`. Errors and warnings are `<failure>`s (`type` is the level); a note is a passing test case that
//! carries its message in `<system-out>`. A run without findings is one passing test case, so that a consumer
//! shows the check ran. Model text is escaped for XML, and characters XML 1.0 cannot hold are shown as `\u{..}`.

use std::collections::BTreeMap;

use crate::finding::{Finding, Level};
use crate::render::position;
use crate::source::Files;

/// Render `findings` of `command` as one JUnit XML document. `path_prefix` is the manifest's folder in the
/// repository (`""` at its root), so that paths are repository paths.
pub fn render(command: &str, findings: &[Finding], files: &Files, path_prefix: &str) -> String {
    let prefix = match path_prefix.trim_start_matches("./").trim_matches('/') {
        "" | "." => String::new(),
        trimmed => format!("{trimmed}/"),
    };
    let suite_name = format!("opmodel {command}");
    // Suites in path order; findings without a file first, under the command's name (after a file that did not load).
    let mut suites: BTreeMap<Option<String>, Vec<&Finding>> = BTreeMap::new();
    for finding in findings {
        let path = finding
            .location
            .as_ref()
            .map(|l| format!("{prefix}{}", files.get(l.file).path));
        suites.entry(path).or_default().push(finding);
    }
    let failures = findings.iter().filter(|f| f.level > Level::Info).count();
    let tests = findings.len().max(1);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\">\n",
        attr(&suite_name)
    ));
    if findings.is_empty() {
        out.push_str(&format!(
            "  <testsuite name=\"{0}\" tests=\"1\" failures=\"0\" errors=\"0\">\n    \
             <testcase name=\"no findings\" classname=\"{0}\"/>\n  </testsuite>\n",
            attr(&suite_name)
        ));
    }
    // A file that did not load comes first, as in every format: its error explains the others.
    let mut suites: Vec<(Option<String>, Vec<&Finding>)> = suites.into_iter().collect();
    suites.sort_by_key(|(_, cases)| !cases.iter().any(|f| did_not_load(f)));
    for (path, cases) in &suites {
        let name = path.as_deref().unwrap_or(&suite_name);
        let failed = cases.iter().filter(|f| f.level > Level::Info).count();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\">\n",
            attr(name),
            cases.len()
        ));
        for finding in cases {
            out.push_str(&case(finding, files, name));
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn case(finding: &Finding, files: &Files, classname: &str) -> String {
    let place = position(finding, files);
    let mut head = format!(
        "    <testcase name=\"opmodel.{}\" classname=\"{}\"",
        finding.rule.name,
        attr(classname)
    );
    if let Some((line, ..)) = place {
        head.push_str(&format!(" file=\"{}\" line=\"{line}\"", attr(classname)));
    }
    let mut body = finding.message.clone();
    if let Some((line, column, _, _)) = place {
        body = format!("line {line}, column {column}: {body}");
    }
    if let Some(help) = &finding.help {
        body.push_str(&format!("\nhelp: {help}"));
    }
    match finding.level {
        Level::Error | Level::Warn => format!(
            "{head}>\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
            finding.level,
            attr(&finding.message),
            text(&body)
        ),
        Level::Info => format!(
            "{head}>\n      <system-out>{}</system-out>\n    </testcase>\n",
            text(&body)
        ),
    }
}

/// Text content: `&`, `<` and `>` escaped, characters XML 1.0 cannot hold made visible.
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' => out.push(c),
            c if xml_char(c) => out.push(c),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    out
}

/// An attribute value: text escaping, quotes escaped, and line breaks kept as character references (a parser
/// would fold a literal newline in an attribute into a space).
fn attr(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in text(value).chars() {
        match c {
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c => out.push(c),
        }
    }
    out
}

/// The characters XML 1.0 allows (besides tab, newline and carriage return, which `text` handles), less the C1
/// controls and other characters that are allowed but discouraged and that terminals would act on.
fn xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// A finding that says a file did not load (its syntax, or it could not be read).
fn did_not_load(finding: &Finding) -> bool {
    use crate::load::rules::{toml_syntax, unreadable_file};
    *finding.rule == toml_syntax::RULE || *finding.rule == unreadable_file::RULE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_text_cannot_close_an_element_or_an_attribute() {
        assert_eq!(text("a</failure><x>&"), "a&lt;/failure&gt;&lt;x&gt;&amp;");
        assert_eq!(attr("\"/><x a='"), "&quot;/&gt;&lt;x a=&apos;");
        assert_eq!(
            text("esc\u{1b}[31m bell\u{7} del\u{7f}"),
            "esc\\u{1b}[31m bell\\u{7} del\\u{7f}"
        );
        assert_eq!(attr("two\nlines"), "two&#10;lines");
    }
}

//! `--format markdown`: a report for `$GITHUB_STEP_SUMMARY` or a pull-request comment. Counts first, then the
//! findings by level, errors first; long lists fold into `<details>`; text from the model cannot add links,
//! HTML or mentions.

use std::path::PathBuf;

use opmodel::finding::{Finding, Level};
use opmodel::render::markdown::{render, SHOWN_PER_LEVEL};
use opmodel::source::{Files, SourceFile};

mod support;

#[test]
fn the_stalled_company_as_markdown() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let run = support::opmodel(
        &root,
        &[
            "check",
            "-C",
            "fixtures/stalled",
            "--as-of",
            "2026-11-20",
            "--format",
            "markdown",
        ],
    );
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn no_findings_is_one_line() {
    assert_eq!(
        render("opmodel check", &[], &Files::default(), ""),
        "## opmodel check: no problems\n"
    );
}

#[test]
fn errors_come_first_and_long_lists_fold() {
    let mut files = Files::default();
    let file = files.add(SourceFile::new("ops/a.toml", "[[person]]\n"));
    let mut findings: Vec<Finding> = (0..SHOWN_PER_LEVEL + 2)
        .map(|i| {
            Finding::new(
                opmodel::catalog::find("metric-stale").unwrap(),
                format!("warning {i}"),
            )
            .level(Level::Warn)
            .at(file, 0..10, "")
        })
        .collect();
    findings.push(
        Finding::new(
            opmodel::catalog::find("unknown-reference").unwrap(),
            "the error",
        )
        .at(file, 2..8, ""),
    );
    let out = render("opmodel check", &findings, &files, "");
    assert!(
        out.starts_with("## opmodel check: 1 error, 12 warnings\n"),
        "{out}"
    );
    let error = out.find("the error").unwrap();
    let warning = out.find("warning 0").unwrap();
    assert!(error < warning, "errors first:\n{out}");
    let details = out
        .find("<details><summary>2 more warnings</summary>")
        .expect("folded");
    assert!(out.find("warning 9").unwrap() < details);
    assert!(out.find("warning 10").unwrap() > details);
    assert!(out.trim_end().ends_with("</details>"));
}

#[test]
fn model_text_cannot_add_html_links_or_mentions() {
    let mut files = Files::default();
    let file = files.add(SourceFile::new("ops/a.toml", "[[person]]\n"));
    let finding = Finding::new(
        opmodel::catalog::find("unknown-reference").unwrap(),
        "names \"<img src=x onerror=alert(1)>\", [click](https://evil.example) for @octocat",
    )
    .at(file, 0..10, "")
    .help("fix `owner = \"<id>\"`");
    let out = render("opmodel check", &[finding], &files, "");
    assert!(!out.contains("<img"), "{out}");
    assert!(!out.contains("[click]("), "{out}");
    assert!(out.contains("@<!-- -->octocat"), "{out}");
    assert!(
        out.contains("`owner = \"<id>\"`"),
        "code spans stay as written:\n{out}"
    );
}

/// The fenced blocks of a Markdown text with the given info string.
fn blocks<'a>(text: &'a str, info: &str) -> Vec<&'a str> {
    let fence = format!("```{info}\n");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&fence) {
        let body = &rest[start + fence.len()..];
        let end = body.find("```\n").unwrap_or(body.len());
        out.push(&body[..end]);
        rest = &body[end..];
    }
    out
}

#[test]
fn the_samples_in_the_docs_are_real() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let run = support::opmodel(
        &root,
        &[
            "check",
            "-C",
            "fixtures/stalled",
            "--as-of",
            "2026-11-20",
            "--format",
            "markdown",
        ],
    );
    let text = run.stdout;
    let mut checked = 0;
    for doc in ["README.md", "docs/output.md"] {
        let doc_text = std::fs::read_to_string(root.join(doc)).unwrap();
        for block in blocks(&doc_text, "markdown") {
            assert!(
                text.starts_with(block),
                "{doc}'s Markdown sample is not the start of what opmodel prints:\n{block}"
            );
            checked += 1;
        }
    }
    assert_eq!(
        checked, 2,
        "one sample in the README, one in docs/output.md"
    );
}

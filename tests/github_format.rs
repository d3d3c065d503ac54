//! `--format github`: workflow commands that the Actions runner turns into annotations. Escaping follows the
//! runner's rules (a message cannot start a second command or break a property), and the most important
//! findings come first, since GitHub shows only the first few annotations of each kind per step.

use std::path::PathBuf;

use opmodel::finding::{Finding, Level};
use opmodel::render::github::{escape_data, escape_property, render};
use opmodel::source::{Files, SourceFile};

mod support;

#[test]
fn properties_escape_percent_newlines_colons_and_commas() {
    assert_eq!(escape_property("opmodel: a,b"), "opmodel%3A a%2Cb");
    assert_eq!(escape_property("100%"), "100%25");
    assert_eq!(escape_property("a\r\nb"), "a%0D%0Ab");
    assert_eq!(
        escape_property("%3A"),
        "%253A",
        "an escape in the input is not decoded twice"
    );
    assert_eq!(escape_property("ops/équipe.toml"), "ops/équipe.toml");
}

#[test]
fn messages_escape_percent_and_newlines_but_keep_colons_and_commas() {
    assert_eq!(escape_data("a: b, c"), "a: b, c");
    assert_eq!(escape_data("83% committed"), "83%25 committed");
    assert_eq!(escape_data("one\ntwo\r\nthree"), "one%0Atwo%0D%0Athree");
    assert_eq!(escape_data("::error::injected"), "::error::injected");
}

fn files() -> (Files, usize) {
    let mut files = Files::default();
    let file = files.add(SourceFile::new(
        "ops/a,b:c.toml",
        "[[decision]]\nid = \"x\"\nowner = \"ana\"\n",
    ));
    (files, file)
}

#[test]
fn a_hostile_message_stays_one_annotation() {
    let (files, file) = files();
    let finding = Finding::new(
        opmodel::catalog::find("unknown-reference").unwrap(),
        "names \"x\ny\"\n::error::forged",
    )
    .at(file, 30..35, "here")
    .help("100% sure");
    let out = render(&[finding], &files, "");
    assert_eq!(out.lines().count(), 1, "{out}");
    assert_eq!(
        out,
        "::error file=ops/a%2Cb%3Ac.toml,line=3,col=9,endLine=3,endColumn=14,title=opmodel%3A unknown-reference\
         ::names \"x%0Ay\"%0A::error::forged%0Ahelp: 100%25 sure\n"
    );
}

#[test]
fn errors_come_first_then_warnings_then_notices_in_the_given_order() {
    let (files, file) = files();
    let findings = vec![
        Finding::new(opmodel::catalog::find("metric-stale").unwrap(), "note one")
            .level(Level::Info)
            .at(file, 0..12, ""),
        Finding::new(
            opmodel::catalog::find("decision-without-sla").unwrap(),
            "warning one",
        )
        .level(Level::Warn)
        .at(file, 0..12, ""),
        Finding::new(
            opmodel::catalog::find("unknown-reference").unwrap(),
            "error one",
        )
        .at(file, 22..27, ""),
        Finding::new(
            opmodel::catalog::find("decision-without-sla").unwrap(),
            "warning two",
        )
        .level(Level::Warn)
        .at(file, 13..21, ""),
        Finding::new(
            opmodel::catalog::find("unknown-reference").unwrap(),
            "error two",
        )
        .at(file, 13..21, ""),
    ];
    let out = render(&findings, &files, "");
    let order: Vec<(&str, &str)> = out
        .lines()
        .map(|l| {
            let command = l.split(' ').next().unwrap();
            let message = l.rsplit("::").next().unwrap();
            (command, message)
        })
        .collect();
    assert_eq!(
        order,
        [
            ("::error", "error one"),
            ("::error", "error two"),
            ("::warning", "warning one"),
            ("::warning", "warning two"),
            ("::notice", "note one"),
        ]
    );
}

#[test]
fn places_are_repository_paths_and_file_less_findings_have_no_file() {
    let (files, file) = files();
    let findings = vec![
        Finding::new(
            opmodel::catalog::find("empty-file").unwrap(),
            "holds no entities",
        )
        .level(Level::Error)
        .in_file(file),
        Finding::new(
            opmodel::catalog::find("unapproved-change").unwrap(),
            "commit abc1234 was not approved",
        ),
        // A span over two lines: GitHub takes columns only for an annotation on one line.
        Finding::new(
            opmodel::catalog::find("invalid-value").unwrap(),
            "spans two lines",
        )
        .at(file, 0..20, ""),
    ];
    let out = render(&findings, &files, "company/");
    assert_eq!(
        out,
        "::error file=company/ops/a%2Cb%3Ac.toml,line=1,title=opmodel%3A empty-file::holds no entities\n\
         ::error title=opmodel%3A unapproved-change::commit abc1234 was not approved\n\
         ::error file=company/ops/a%2Cb%3Ac.toml,line=1,endLine=2,title=opmodel%3A invalid-value::spans two lines\n"
    );
}

#[test]
fn the_stalled_company_as_annotations() {
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
            "github",
        ],
    );
    assert_eq!(run.code, 1);
    let text = run.stdout;
    assert!(text.lines().all(|l| l.starts_with("::error ")
        || l.starts_with("::warning ")
        || l.starts_with("::notice ")));
    insta::assert_snapshot!(text);
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
            "github",
        ],
    );
    let text = run.stdout;
    let first = format!("{}\n", text.lines().next().unwrap());
    let mut checked = 0;
    for doc in ["README.md", "docs/output.md"] {
        let doc_text = std::fs::read_to_string(root.join(doc)).unwrap();
        for block in blocks(&doc_text, "text")
            .into_iter()
            .filter(|b| b.starts_with("::"))
        {
            assert_eq!(
                block, first,
                "{doc}'s annotation sample differs from what opmodel prints"
            );
            checked += 1;
        }
    }
    assert_eq!(
        checked, 2,
        "one sample in the README, one in docs/output.md"
    );
}

//! `--output FILE` on `diff` and `audit`: the chosen format goes to the file, the human report to stdout.

use std::path::Path;

mod support;
use support::{skip_without, Repo, Who};

const BOB: Who = ("Bob Stone", "bob@example.com");

const MODEL: &str = r#"
[[person]]
id = "ana"
name = "Ana Lopez"
email = "ana@example.com"

[[person]]
id = "bob"
name = "Bob Stone"
email = "bob@example.com"

[[decision]]
id = "pricing-exceptions"
title = "Approve a non-standard price"
owner = "ana"
reversible = false
approvers = ["bob"]
sla = "2d"
"#;

/// Two commits by Bob: the second hands Ana's one-way door to Bob.
fn repo() -> Repo {
    let repo = Repo::new().by(BOB);
    repo.write("opmodel.toml", "[model]\nversion = 1\n");
    repo.write("ops/model.toml", MODEL);
    repo.commit("initial");
    repo.write(
        "ops/model.toml",
        &MODEL.replace("owner = \"ana\"", "owner = \"bob\""),
    );
    repo.commit("Take over pricing exceptions");
    repo
}

/// Exit code and standard output.
fn opmodel(dir: &Path, args: &[&str]) -> (i32, String) {
    let run = support::opmodel(dir, args);
    (run.code, run.stdout)
}

#[test]
fn diff_writes_the_chosen_format_to_the_file_and_the_plan_to_stdout() {
    skip_without!("git");
    let dir = repo();
    let (code, out) = opmodel(
        dir.path(),
        &[
            "diff",
            "HEAD~1",
            "HEAD",
            "--format",
            "sarif",
            "--output",
            "diff.sarif",
            "--fail-on",
            "error",
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("~ pricing-exceptions"),
        "the human plan on stdout: {out}"
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("diff.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let rules: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"ownership-transferred"), "{rules:?}");
}

#[test]
fn audit_writes_the_chosen_format_to_the_file_and_the_report_to_stdout() {
    skip_without!("git");
    let dir = repo();
    let (code, out) = opmodel(
        dir.path(),
        &[
            "audit",
            "HEAD~1..HEAD",
            "--format",
            "json",
            "--output",
            "audit.json",
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("unapproved-change"),
        "the human report on stdout: {out}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("audit.json")).unwrap())
            .unwrap();
    assert!(
        json["findings"].as_array().is_some_and(|f| !f.is_empty()),
        "{json}"
    );
}

#[test]
fn an_unwritable_output_exits_2() {
    skip_without!("git");
    let dir = repo();
    let (code, _) = opmodel(
        dir.path(),
        &[
            "diff",
            "HEAD~1",
            "HEAD",
            "--format",
            "json",
            "--output",
            "no/such/folder/x.json",
        ],
    );
    assert_eq!(code, 2);
}

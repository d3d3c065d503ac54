//! `--output FILE` on `diff` and `audit`: the chosen format goes to the file, the human report to stdout.

use std::path::Path;
use std::process::Command;

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Bob Stone")
        .env("GIT_AUTHOR_EMAIL", "bob@example.com")
        .env("GIT_COMMITTER_NAME", "Bob Stone")
        .env("GIT_COMMITTER_EMAIL", "bob@example.com")
        .env("GIT_AUTHOR_DATE", "2026-11-01T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-11-01T10:00:00Z")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

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
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    std::fs::create_dir_all(root.join("ops")).unwrap();
    std::fs::write(root.join("opmodel.toml"), "[model]\nversion = 1\n").unwrap();
    std::fs::write(root.join("ops/model.toml"), MODEL).unwrap();
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "initial"]);
    std::fs::write(
        root.join("ops/model.toml"),
        MODEL.replace("owner = \"ana\"", "owner = \"bob\""),
    )
    .unwrap();
    git(
        root,
        &["commit", "-q", "-a", "-m", "Take over pricing exceptions"],
    );
    dir
}

fn opmodel(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_opmodel"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .output()
        .expect("the opmodel binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn diff_writes_the_chosen_format_to_the_file_and_the_plan_to_stdout() {
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

//! One table of level settings run against check, diff and audit alike: every finding of every command gets its
//! level from the same sink (`src/sink.rs`), in the same order: default, `[rules]`, command line, `allow`.
//!
//! Each command is judged on one rule it reports in the scenario below:
//! - check: `decision-without-sla` (warn by default) on decision "pricing", which has no SLA at head;
//! - diff: `sla-loosened` (error by default, needs sign-off) on decision "hiring", whose SLA goes from 2d to 1w;
//! - audit: `unapproved-drift` (error by default) for that same loosened SLA, made by Bob without Ana's sign-off.
//!
//! For diff and audit the settings are read at the base, so each row commits its manifest and `allow` at base.

use std::path::{Path, PathBuf};

mod support;
use support::{skip_without, Opmodel, Repo, Who};

const PEOPLE: &str = r#"[[person]]
id = "ana"
name = "Ana Lopez"
email = "ana@example.com"

[[person]]
id = "bob"
name = "Bob Stone"
email = "bob@example.com"

[[team]]
id = "ops"
name = "Operations"
lead = "ana"
members = ["ana", "bob"]

[[area]]
id = "everything"
title = "The whole repository"
owner = "ana"
team = "ops"
paths = ["**"]
"#;

fn decisions(hiring_sla: &str, allow: &str) -> String {
    format!(
        r#"[[decision]]
id = "pricing"
title = "Set list prices"
owner = "ana"
reversible = true
{allow}

[[decision]]
id = "hiring"
title = "Open a role"
owner = "ana"
reversible = true
sla = "{hiring_sla}"
{allow}
"#
    )
}

const ANA: Who = ("ana", "ana@example.com");
const BOB: Who = ("bob", "bob@example.com");

/// A repository whose base has `rules` in `[rules]` and `allow` on both decisions; Bob then loosens the SLA.
fn scenario(rules: &str, allow: &str) -> (Repo, PathBuf) {
    let repo = Repo::new().by(ANA).dated(1_750_000_000, 0);
    let root = repo.root.clone();
    repo.write(
        "opmodel.toml",
        &format!(
            "[model]\nroot = \"ops\"\n\n[ownership]\nrequired = [\"**\"]\n\n[rules]\n{rules}\n"
        ),
    );
    repo.write("ops/people.toml", PEOPLE);
    repo.write("ops/decisions.toml", &decisions("2d", allow));
    repo.commit("base");
    repo.tag("base");
    // The base checks clean but for the finding the row judges: no row passes by an invalid model.
    let (_, json, _) = run(&root, &["check", "--as-of", "2026-11-20"]);
    let others: Vec<&serde_json::Value> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            !["decision-without-sla", "unused-allow", "invalid-config"]
                .contains(&f["rule"].as_str().unwrap())
        })
        .collect();
    assert!(others.is_empty(), "the base has other findings: {others:?}");
    repo.write("ops/decisions.toml", &decisions("1w", allow));
    repo.commit_as(BOB, "Loosen the hiring SLA");
    (repo, root)
}

struct Outcome {
    code: i32,
    /// The level the judged rule was reported at, or None when it was not reported.
    level: Option<String>,
    stderr: String,
}

fn run(root: &Path, args: &[&str]) -> (i32, serde_json::Value, String) {
    let run = Opmodel::new(root)
        .args(args)
        .args(["--format", "json"])
        .run();
    let json = serde_json::from_str(&run.stdout).unwrap_or(serde_json::Value::Null);
    (run.code, json, run.stderr)
}

fn level_of(findings: &serde_json::Value, rule: &str, about: &str) -> Option<String> {
    findings.as_array()?.iter().find_map(|f| {
        let hit = f["rule"] == rule && f.to_string().contains(about);
        hit.then(|| f["level"].as_str().unwrap().to_string())
    })
}

fn check(root: &Path, flags: &[&str]) -> Outcome {
    let mut args = vec!["check", "--as-of", "2026-11-20"];
    args.extend(flags);
    let (code, json, stderr) = run(root, &args);
    Outcome {
        code,
        level: level_of(&json["findings"], "decision-without-sla", "pricing"),
        stderr,
    }
}

fn diff(root: &Path, flags: &[&str]) -> (Outcome, Option<u64>) {
    let mut args = vec!["diff", "base", "HEAD", "--fail-on", "error"];
    args.extend(flags);
    let (code, json, stderr) = run(root, &args);
    let level = json["changes"].as_array().and_then(|changes| {
        changes
            .iter()
            .flat_map(|c| c["drifts"].as_array().into_iter().flatten())
            .find_map(|d| {
                (d["check"] == "sla-loosened").then(|| d["level"].as_str().unwrap().to_string())
            })
    });
    let need_signoff = json["summary"]["need_signoff"].as_u64();
    (
        Outcome {
            code,
            level,
            stderr,
        },
        need_signoff,
    )
}

fn audit(root: &Path, flags: &[&str]) -> Outcome {
    let mut args = vec!["audit", "base..HEAD"];
    args.extend(flags);
    let (code, json, stderr) = run(root, &args);
    Outcome {
        code,
        level: level_of(&json["findings"], "unapproved-drift", "hiring"),
        stderr,
    }
}

/// One row: what is set, and the level each command then reports its rule at (None: not reported).
struct Row {
    what: &'static str,
    /// `[rules]` lines, with `R` standing for the judged rule of each command.
    rules: &'static str,
    /// Put `allow = [R]` on the decisions.
    allow: bool,
    /// Command-line flags, with `R` likewise.
    flags: &'static [&'static str],
    check: Option<&'static str>,
    diff: Option<&'static str>,
    audit: Option<&'static str>,
}

const TABLE: &[Row] = &[
    Row {
        what: "defaults",
        rules: "",
        allow: false,
        flags: &[],
        check: Some("warn"),
        diff: Some("error"),
        audit: Some("error"),
    },
    Row {
        what: "[rules] R = off",
        rules: "R = \"off\"",
        allow: false,
        flags: &[],
        check: None,
        diff: None,
        audit: None,
    },
    Row {
        what: "[rules] R = info",
        rules: "R = \"info\"",
        allow: false,
        flags: &[],
        check: Some("info"),
        diff: Some("info"),
        audit: Some("info"),
    },
    Row {
        what: "allow = [R] on the entity",
        rules: "",
        allow: true,
        flags: &[],
        check: None,
        diff: None,
        audit: None,
    },
    Row {
        what: "--allow R",
        rules: "",
        allow: false,
        flags: &["--allow", "R"],
        check: None,
        diff: None,
        audit: None,
    },
    Row {
        what: "[rules] R = warn, then --deny warnings",
        rules: "R = \"warn\"",
        allow: false,
        flags: &["--deny", "warnings"],
        check: Some("error"),
        diff: Some("error"),
        audit: Some("error"),
    },
    Row {
        what: "[rules] R = off, then --deny R",
        rules: "R = \"off\"",
        allow: false,
        flags: &["--deny", "R"],
        check: Some("error"),
        diff: Some("error"),
        audit: Some("error"),
    },
    Row {
        what: "--warn R",
        rules: "",
        allow: false,
        flags: &["--warn", "R"],
        check: Some("warn"),
        diff: Some("warn"),
        audit: Some("warn"),
    },
    Row {
        what: "allow = [R] beats --deny R",
        rules: "",
        allow: true,
        flags: &["--deny", "R"],
        check: None,
        diff: None,
        audit: None,
    },
];

fn fill(text: &str, rule: &str) -> String {
    text.replace('R', rule)
}

#[test]
fn every_command_applies_the_same_table() {
    skip_without!("git");
    let rules = [
        ("check", "decision-without-sla"),
        ("diff", "sla-loosened"),
        ("audit", "unapproved-drift"),
    ];
    for row in TABLE {
        for (command, rule) in rules {
            let manifest_rules = fill(row.rules, rule);
            let allow = if row.allow {
                format!("allow = [\"{rule}\"]\nallow_reason = \"agreed in the operating review\"")
            } else {
                String::new()
            };
            let (_tmp, root) = scenario(&manifest_rules, &allow);
            let flags: Vec<String> = row.flags.iter().map(|f| fill(f, rule)).collect();
            let flags: Vec<&str> = flags.iter().map(String::as_str).collect();
            let (got, want) = match command {
                "check" => (check(&root, &flags), row.check),
                "diff" => (diff(&root, &flags).0, row.diff),
                _ => (audit(&root, &flags), row.audit),
            };
            assert_eq!(
                got.level.as_deref(),
                want,
                "{command}, row \"{}\": {rule} (exit {}, stderr {})",
                row.what,
                got.code,
                got.stderr
            );
        }
    }
}

#[test]
fn an_unknown_rule_on_the_command_line_stops_every_command() {
    skip_without!("git");
    let (_tmp, root) = scenario("", "");
    for outcome in [
        check(&root, &["--deny", "sla-loosend"]),
        diff(&root, &["--deny", "sla-loosend"]).0,
        audit(&root, &["--deny", "sla-loosend"]),
    ] {
        assert_eq!(outcome.code, 2);
        assert!(
            outcome
                .stderr
                .contains("there is no rule named `sla-loosend`; did you mean `sla-loosened`?"),
            "{}",
            outcome.stderr
        );
    }
}

#[test]
fn a_rule_that_reads_files_cannot_be_turned_off() {
    skip_without!("git");
    let (_tmp, root) = scenario("toml-syntax = \"off\"", "");
    std::fs::write(root.join("ops/broken.toml"), "[[decision]\n").unwrap();
    let (code, json, _) = run(
        &root,
        &["check", "--as-of", "2026-11-20", "--allow", "toml-syntax"],
    );
    assert_eq!(code, 1);
    let findings = json["findings"].as_array().unwrap();
    assert!(findings
        .iter()
        .any(|f| f["rule"] == "toml-syntax" && f["level"] == "error"));
    assert!(findings.iter().any(|f| f["rule"] == "invalid-config"
        && f["message"] == "the rule `toml-syntax` cannot be configured"));
}

#[test]
fn a_lower_level_changes_what_fails_never_who_signs_off() {
    skip_without!("git");
    // At error (the default), the loosened SLA fails `diff --fail-on error` and needs Ana's sign-off.
    let (_tmp, root) = scenario("", "");
    let (outcome, need_signoff) = diff(&root, &[]);
    assert_eq!((outcome.code, need_signoff), (1, Some(1)));
    // Lowered to a warning at base: the build passes, and Ana must still sign off.
    let (_tmp, root) = scenario("sla-loosened = \"warn\"", "");
    let (outcome, need_signoff) = diff(&root, &[]);
    assert_eq!((outcome.code, need_signoff), (0, Some(1)));
    // The audit still reports the missing sign-off.
    assert_eq!(audit(&root, &[]).level.as_deref(), Some("error"));
}

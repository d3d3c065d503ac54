//! Rule parameters set in `[rules]` change what a rule reports: `max_share` of `decision-concentration`, and
//! `span-of-control`, which is off until configured. Each test builds a small project in a temp folder and
//! reads `opmodel check --format json`.

use std::path::Path;

mod support;

/// Write a project (the manifest with `rules` as its `[rules]` table, and model files) into a temp folder.
fn project(rules: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp folder");
    let manifest = format!("[model]\nversion = 1\nroot = \"ops\"\n\n[rules]\n{rules}\n");
    std::fs::write(dir.path().join("opmodel.toml"), manifest).expect("write the manifest");
    std::fs::create_dir(dir.path().join("ops")).expect("create ops/");
    for (name, text) in files {
        std::fs::write(dir.path().join("ops").join(name), text).expect("write a model file");
    }
    dir
}

/// Run `opmodel check --format json` in `dir` and return the rules of its findings, with their messages.
fn findings(dir: &Path) -> Vec<(String, String)> {
    let run = support::opmodel(
        dir,
        &[
            "--manifest",
            "opmodel.toml",
            "check",
            "--format",
            "json",
            "--as-of",
            "2026-11-20",
        ],
    );
    assert_ne!(run.code, 2, "opmodel could not run: {}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).expect("the report is JSON");
    report["findings"]
        .as_array()
        .expect("the report lists findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn reports(found: &[(String, String)], rule: &str) -> Vec<String> {
    found
        .iter()
        .filter(|(r, _)| r == rule)
        .map(|(_, m)| m.clone())
        .collect()
}

const PEOPLE: &str = r#"
[[person]]
id = "founder"
name = "Wes Calloway"
email = "wes@example.com"

[[person]]
id = "dana"
name = "Dana Kim"
email = "dana@example.com"
manager = "founder"

[[person]]
id = "mia"
name = "Mia Santos"
email = "mia@example.com"
manager = "founder"

[[person]]
id = "raj"
name = "Raj Patel"
email = "raj@example.com"
manager = "founder"
"#;

/// The founder owns or escalates 3 of the 4 active decisions: 75%.
const DECISIONS: &str = r#"
[[decision]]
id = "pricing-experiments"
title = "Run a pricing-page experiment"
owner = "founder"
reversible = true
sla = "1w"

[[decision]]
id = "refund-policy"
title = "Grant refunds and service credits"
owner = "mia"
reversible = true
sla = "3d"
escalate_to = "founder"

[[decision]]
id = "vendor-contracts"
title = "Sign or renew vendor contracts"
owner = "dana"
reversible = true
sla = "1w"
escalate_to = "founder"

[[decision]]
id = "on-call-rota"
title = "Change the on-call rota"
owner = "raj"
reversible = true
sla = "2d"
"#;

#[test]
fn decision_concentration_fires_over_the_default_share() {
    let dir = project(
        "",
        &[("people.toml", PEOPLE), ("decisions.toml", DECISIONS)],
    );
    assert_eq!(
        reports(&findings(dir.path()), "decision-concentration"),
        ["Wes Calloway (founder) owns or is the escalation target of 3 of 4 active decisions (75%, over the 40% limit)"]
    );
}

#[test]
fn a_higher_max_share_lets_the_same_model_pass() {
    let dir = project(
        "decision-concentration = { level = \"warn\", max_share = 0.9 }",
        &[("people.toml", PEOPLE), ("decisions.toml", DECISIONS)],
    );
    let found = findings(dir.path());
    assert!(
        reports(&found, "decision-concentration").is_empty(),
        "{found:?}"
    );
}

#[test]
fn a_lower_max_share_is_reported_with_its_own_limit() {
    let dir = project(
        "decision-concentration = { level = \"warn\", max_share = 0.7 }",
        &[("people.toml", PEOPLE), ("decisions.toml", DECISIONS)],
    );
    let found = reports(&findings(dir.path()), "decision-concentration");
    assert_eq!(found.len(), 1);
    assert!(found[0].ends_with("(75%, over the 70% limit)"), "{found:?}");
}

/// Raj has three active direct reports; a fourth has left and does not count.
const TEAM: &str = r#"
[[person]]
id = "raj"
name = "Raj Patel"
email = "raj@example.com"

[[person]]
id = "omar"
name = "Omar Haddad"
email = "omar@example.com"
manager = "raj"

[[person]]
id = "june"
name = "June Park"
email = "june@example.com"
manager = "raj"

[[person]]
id = "leo"
name = "Leo Grant"
email = "leo@example.com"
manager = "raj"

[[person]]
id = "ines"
name = "Ines Duarte"
email = "ines@example.com"
manager = "raj"
status = "left"
"#;

#[test]
fn span_of_control_is_off_by_default() {
    let dir = project("", &[("people.toml", TEAM)]);
    let found = findings(dir.path());
    assert!(reports(&found, "span-of-control").is_empty(), "{found:?}");
}

#[test]
fn span_of_control_fires_when_configured() {
    let dir = project(
        "span-of-control = { level = \"warn\", max_reports = 2 }",
        &[("people.toml", TEAM)],
    );
    assert_eq!(
        reports(&findings(dir.path()), "span-of-control"),
        ["Raj Patel (raj) has 3 direct reports, over the limit of 2"]
    );
}

#[test]
fn span_of_control_counts_only_active_reports() {
    let dir = project(
        "span-of-control = { level = \"warn\", max_reports = 3 }",
        &[("people.toml", TEAM)],
    );
    let found = findings(dir.path());
    assert!(reports(&found, "span-of-control").is_empty(), "{found:?}");
}

//! The views of the model: `opmodel show` (one entity and everything connected to it) and `opmodel graph`
//! (Mermaid and DOT pictures), on the example company and on hostile models.

use std::path::Path;

mod support;
use support::opmodel;

const EXAMPLE: &str = "fixtures/example";

fn show(args: &[&str]) -> support::Run {
    let mut all = vec!["show", "-C", EXAMPLE];
    all.extend_from_slice(args);
    opmodel(env!("CARGO_MANIFEST_DIR"), &all)
}

#[test]
fn show_a_person_says_what_they_own_decide_approve_and_who_escalates_to_them() {
    let run = show(&["priya-natarajan"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for line in [
        "owns                decision headcount-plan-2027",
        "approves            decision offer-above-band",
        "is escalated to on  decision offer-above-band",
        "manages             person hannah-cho",
        "ops/decisions/hiring.toml:28 escalate_to",
    ] {
        assert!(run.stdout.contains(line), "{line}\n{}", run.stdout);
    }
    insta::assert_snapshot!("show_person", run.stdout);
}

#[test]
fn show_a_decision_gives_its_owner_approvers_consulted_informed_escalation_sla_status_and_review() {
    let run = show(&["pricing-exceptions"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for field in [
        "owner",
        "approvers",
        "consulted",
        "informed",
        "escalate_to",
        "sla",
        "status",
        "review_by",
    ] {
        assert!(
            run.stdout.contains("ops/decisions/pricing.toml")
                && run.stdout.contains(&format!(" {field}\n")),
            "{field}\n{}",
            run.stdout
        );
    }
    insta::assert_snapshot!("show_decision", run.stdout);
}

#[test]
fn show_a_team_gives_its_lead_members_and_handoffs_in_and_out() {
    let run = show(&["onboarding"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("hands off (out)  handoff onboarding-to-support"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("receives (in)    handoff sales-to-onboarding"),
        "{}",
        run.stdout
    );
    insta::assert_snapshot!("show_team", run.stdout);
}

#[test]
fn show_an_area_counts_the_tracked_files_it_owns() {
    let run = show(&["billing-engine"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("owns "), "{}", run.stdout);
    insta::assert_snapshot!("show_area", run.stdout);
}

#[test]
fn show_json_and_markdown() {
    let run = show(&["pricing-exceptions", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["kind"], "decision");
    let owner = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "owner")
        .unwrap();
    assert_eq!(owner["value"], "grace-mbeki");
    assert_eq!(owner["origin"]["file"], "ops/decisions/pricing.toml");
    assert_eq!(owner["origin"]["line"], 7);
    let run = show(&["sales", "--format", "markdown"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("show_team_markdown", run.stdout);
}

#[test]
fn an_unknown_id_exits_2_with_the_id_meant_by_name_email_or_spelling() {
    for (asked, meant) in [
        ("Grace", "grace-mbeki"),
        ("priya.natarajan@northwind.example", "priya-natarajan"),
        ("priyanat", "priya-natarajan"),
        ("salse", "sales"),
        ("billing", "billing-eng"),
    ] {
        let run = show(&[asked]);
        assert_eq!(run.code, 2, "{asked}: {}", run.stdout);
        assert!(
            run.stderr.contains(&format!("did you mean `{meant}`?")),
            "{asked}: {}",
            run.stderr
        );
    }
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const MANIFEST: &str = "[model]\nversion = 1\nroot = \"ops\"\n";

#[test]
fn an_id_of_two_kinds_needs_kind() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "opmodel.toml", MANIFEST);
    write(
        dir.path(),
        "ops/model.toml",
        r#"
[[person]]
id = "ana"
name = "Ana"
email = "ana@example.com"

[[area]]
id = "pricing"
title = "Pricing"
owner = "ana"
paths = ["/pricing/"]

[[decision]]
id = "pricing"
title = "Pricing"
owner = "ana"
reversible = true
"#,
    );
    let run = opmodel(dir.path(), &["show", "pricing"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--kind area or --kind decision"),
        "{}",
        run.stderr
    );
    let run = opmodel(dir.path(), &["show", "pricing", "--kind", "decision"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("decision pricing: Pricing\n"),
        "{}",
        run.stdout
    );
    let run = opmodel(dir.path(), &["show", "pricing", "--kind", "area"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("owned files: unknown (not in a git repository)"),
        "{}",
        run.stdout
    );
}

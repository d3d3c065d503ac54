//! How a finding's level is decided: an entity's `allow`, `[rules]` in the manifest, and the command line
//! (`--allow`, `--warn`, `--deny`, `--deny warnings`), each shown on a small project built in a temp dir and
//! read back from `--format json`.

use std::path::Path;

use serde_json::Value;

mod support;
use support::Opmodel;

const PEOPLE: &str = r#"
[[person]]
id = "ana"
name = "Ana Lopez"
email = "ana@example.com"
team = "sales"

[[person]]
id = "ben"
name = "Ben Okafor"
email = "ben@example.com"
team = "support"
"#;

const TEAMS: &str = r#"
[[team]]
id = "sales"
name = "Sales"
lead = "ana"
members = ["ana"]

[[team]]
id = "support"
name = "Customer support"
lead = "ben"
members = ["ben"]
"#;

/// One handoff with no `sla`: a single `handoff-without-sla` warning, and nothing else.
const ONE_HANDOFF_WITHOUT_SLA: &str = r#"
[[handoff]]
id = "new-customer"
title = "Hand a new customer from sales to support"
from = "sales"
to = "support"
owner = "ana"
acceptance = ["Admin contact named"]
"#;

/// A project: `opmodel.toml` with `[model]` and then `rules` (the text of a `[rules]` table, if any), and
/// the given files under `ops/`.
fn project(rules: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut manifest = String::from("[model]\nversion = 1\nroot = \"ops\"\n");
    if !rules.is_empty() {
        manifest.push_str("\n[rules]\n");
        manifest.push_str(rules);
        manifest.push('\n');
    }
    std::fs::write(dir.path().join("opmodel.toml"), manifest).expect("write the manifest");
    std::fs::create_dir(dir.path().join("ops")).expect("create ops/");
    for (name, text) in files {
        std::fs::write(dir.path().join("ops").join(name), text).expect("write a model file");
    }
    dir
}

/// The handoff project: people, teams and `handoffs`.
fn handoffs(rules: &str, handoffs: &str) -> tempfile::TempDir {
    project(
        rules,
        &[
            ("people.toml", PEOPLE),
            ("teams.toml", TEAMS),
            ("handoffs.toml", handoffs),
        ],
    )
}

struct Run {
    code: i32,
    stderr: String,
    findings: Vec<Value>,
}

impl Run {
    /// The findings of one rule.
    fn of(&self, rule: &str) -> Vec<&Value> {
        self.findings.iter().filter(|f| f["rule"] == rule).collect()
    }

    /// The level of the only finding of `rule`.
    fn level_of(&self, rule: &str) -> &str {
        let found = self.of(rule);
        assert_eq!(
            found.len(),
            1,
            "expected one `{rule}` finding, got {:#?}",
            self.findings
        );
        found[0]["level"].as_str().unwrap_or_default()
    }
}

/// `opmodel check --as-of 2026-11-20 --format json` plus `extra`, in `dir`.
fn check(dir: &Path, extra: &[&str]) -> Run {
    let run = Opmodel::new(dir)
        .args(["check", "--as-of", "2026-11-20", "--format", "json"])
        .args(extra)
        .run();
    let findings = if run.code == 2 {
        Vec::new()
    } else {
        let json: Value = serde_json::from_str(&run.stdout).expect("the report is JSON");
        json["findings"].as_array().cloned().unwrap_or_default()
    };
    Run {
        code: run.code,
        stderr: run.stderr,
        findings,
    }
}

#[test]
fn allow_suppresses_the_named_rule_for_that_entity_only() {
    let dir = handoffs(
        "",
        r#"
[[handoff]]
id = "new-customer"
title = "Hand a new customer from sales to support"
from = "sales"
to = "support"
owner = "ana"
acceptance = ["Admin contact named"]
allow = ["handoff-without-sla"]
allow_reason = "Support picks new customers up at the Monday kickoff; there is no faster path yet."

[[handoff]]
id = "expansion-lead"
title = "Hand an expansion opportunity from support to sales"
from = "support"
to = "sales"
owner = "ben"
acceptance = ["Opportunity created in the CRM"]
"#,
    );
    let run = check(dir.path(), &[]);
    let found = run.of("handoff-without-sla");
    assert_eq!(found.len(), 1, "{:#?}", run.findings);
    assert_eq!(found[0]["entity"]["id"], "expansion-lead");
    assert!(
        run.of("unused-allow").is_empty(),
        "the allow was used: {:#?}",
        run.findings
    );
    assert_eq!(run.code, 0, "a warning does not fail the run");
}

#[test]
fn an_allow_that_suppresses_nothing_is_reported() {
    let dir = handoffs(
        "",
        r#"
[[handoff]]
id = "new-customer"
title = "Hand a new customer from sales to support"
from = "sales"
to = "support"
owner = "ana"
sla = "2d"
acceptance = ["Admin contact named"]
allow = ["handoff-without-sla"]
allow_reason = "There was no sla until the kickoff moved to daily."
"#,
    );
    let run = check(dir.path(), &[]);
    let found = run.of("unused-allow");
    assert_eq!(found.len(), 1, "{:#?}", run.findings);
    assert_eq!(found[0]["level"], "warn");
    assert_eq!(found[0]["label"], "suppresses nothing");
}

#[test]
fn rules_table_sets_the_level_and_the_exit_code() {
    let default = check(handoffs("", ONE_HANDOFF_WITHOUT_SLA).path(), &[]);
    assert_eq!(default.level_of("handoff-without-sla"), "warn");
    assert_eq!(default.code, 0);

    let off = check(
        handoffs(r#"handoff-without-sla = "off""#, ONE_HANDOFF_WITHOUT_SLA).path(),
        &[],
    );
    assert!(
        off.of("handoff-without-sla").is_empty(),
        "{:#?}",
        off.findings
    );
    assert_eq!(off.code, 0);

    let error = check(
        handoffs(r#"handoff-without-sla = "error""#, ONE_HANDOFF_WITHOUT_SLA).path(),
        &[],
    );
    assert_eq!(error.level_of("handoff-without-sla"), "error");
    assert_eq!(error.code, 1, "an error fails the run");

    let table = check(
        handoffs(
            r#"handoff-without-sla = { level = "error" }"#,
            ONE_HANDOFF_WITHOUT_SLA,
        )
        .path(),
        &[],
    );
    assert_eq!(table.level_of("handoff-without-sla"), "error");
    assert_eq!(table.code, 1);

    let info = check(
        handoffs(r#"handoff-without-sla = "info""#, ONE_HANDOFF_WITHOUT_SLA).path(),
        &[],
    );
    assert_eq!(info.level_of("handoff-without-sla"), "info");
    assert_eq!(info.code, 0);
}

#[test]
fn deny_warnings_turns_every_warning_into_an_error() {
    let dir = handoffs("", ONE_HANDOFF_WITHOUT_SLA);
    let run = check(dir.path(), &["--deny", "warnings"]);
    assert_eq!(run.level_of("handoff-without-sla"), "error");
    assert_eq!(run.code, 1);

    // An info stays an info.
    let dir = handoffs(r#"handoff-without-sla = "info""#, ONE_HANDOFF_WITHOUT_SLA);
    let run = check(dir.path(), &["--deny", "warnings"]);
    assert_eq!(run.level_of("handoff-without-sla"), "info");
    assert_eq!(run.code, 0);
}

#[test]
fn the_command_line_overrides_the_manifest() {
    let error_in_manifest = handoffs(r#"handoff-without-sla = "error""#, ONE_HANDOFF_WITHOUT_SLA);
    let warn = check(error_in_manifest.path(), &["--warn", "handoff-without-sla"]);
    assert_eq!(warn.level_of("handoff-without-sla"), "warn");
    assert_eq!(warn.code, 0);

    let allow = check(
        error_in_manifest.path(),
        &["--allow", "handoff-without-sla"],
    );
    assert!(
        allow.of("handoff-without-sla").is_empty(),
        "{:#?}",
        allow.findings
    );
    assert_eq!(allow.code, 0);

    let off_in_manifest = handoffs(r#"handoff-without-sla = "off""#, ONE_HANDOFF_WITHOUT_SLA);
    let deny = check(off_in_manifest.path(), &["--deny", "handoff-without-sla"]);
    assert_eq!(deny.level_of("handoff-without-sla"), "error");
    assert_eq!(deny.code, 1);

    let info_in_manifest = handoffs(r#"handoff-without-sla = "info""#, ONE_HANDOFF_WITHOUT_SLA);
    let warn = check(info_in_manifest.path(), &["--warn", "handoff-without-sla"]);
    assert_eq!(warn.level_of("handoff-without-sla"), "warn");
}

#[test]
fn an_unknown_rule_in_the_manifest_is_invalid_config_with_a_suggestion() {
    let dir = handoffs(r#"handoff-without-sl = "error""#, ONE_HANDOFF_WITHOUT_SLA);
    let run = check(dir.path(), &[]);
    let found = run.of("invalid-config");
    assert_eq!(found.len(), 1, "{:#?}", run.findings);
    assert_eq!(found[0]["file"], "opmodel.toml");
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("`handoff-without-sl`"),
        "{:#?}",
        found[0]
    );
    assert!(
        found[0]["help"]
            .as_str()
            .unwrap_or_default()
            .contains("did you mean `handoff-without-sla`?"),
        "{:#?}",
        found[0]
    );
    assert_eq!(run.code, 1);
    // The misspelt entry changes nothing: the rule keeps its default level.
    assert_eq!(run.level_of("handoff-without-sla"), "warn");
}

#[test]
fn an_unknown_parameter_is_invalid_config_with_a_suggestion() {
    let dir = handoffs(
        "overcommitted = { max_commited_share = 0.9 }",
        ONE_HANDOFF_WITHOUT_SLA,
    );
    let run = check(dir.path(), &[]);
    let found = run.of("invalid-config");
    assert_eq!(found.len(), 1, "{:#?}", run.findings);
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("no parameter `max_commited_share`"),
        "{:#?}",
        found[0]
    );
    assert!(
        found[0]["help"]
            .as_str()
            .unwrap_or_default()
            .contains("did you mean `max_committed_share`?"),
        "{:#?}",
        found[0]
    );
    assert_eq!(run.code, 1);
}

#[test]
fn an_unknown_rule_on_the_command_line_stops_the_run_with_a_suggestion() {
    let dir = handoffs("", ONE_HANDOFF_WITHOUT_SLA);
    for flag in ["--deny", "--warn", "--allow"] {
        let run = check(dir.path(), &[flag, "handoff-without-sl"]);
        assert_eq!(run.code, 2, "{flag}: {}", run.stderr);
        assert!(
            run.stderr.contains("handoff-without-sl"),
            "{flag}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("did you mean `handoff-without-sla`?"),
            "{flag}: {}",
            run.stderr
        );
    }
}

/// Four priorities, three of them committed (75%): above the default limit of 70%.
const PRIORITIES: &str = r#"
[[priority]]
id = "grow-revenue"
title = "Get back to 8% quarter-on-quarter MRR growth"
owner = "ana"
tier = "committed"
metrics = ["mrr"]
stop_doing = ["Custom dashboards built for a single prospect"]

[[priority]]
id = "reduce-churn"
title = "Cut monthly logo churn to 2%"
owner = "ben"
tier = "committed"
metrics = ["mrr"]
stop_doing = ["Quarterly business reviews for small accounts"]

[[priority]]
id = "enterprise-readiness"
title = "SOC 2 Type II and SSO for enterprise deals"
owner = "ana"
tier = "committed"
metrics = ["mrr"]
stop_doing = ["The mobile app rewrite"]

[[priority]]
id = "self-serve-onboarding"
title = "Let small teams sign up and onboard without a call"
owner = "ben"
tier = "exploratory"
metrics = ["mrr"]
stop_doing = ["Manual workspace setup for trials"]

[[metric]]
id = "mrr"
name = "Monthly recurring revenue"
owner = "ana"
target = 250000
cadence = "monthly"
last_reviewed = 2026-11-03
"#;

#[test]
fn overcommitted_limit_is_a_parameter() {
    let files = [
        ("people.toml", PEOPLE),
        ("teams.toml", TEAMS),
        ("goals.toml", PRIORITIES),
    ];

    let default = check(project("", &files).path(), &[]);
    let found = default.of("overcommitted");
    assert_eq!(found.len(), 1, "{:#?}", default.findings);
    assert_eq!(
        found[0]["message"],
        "3 of 4 priorities are committed (75%), above the limit of 70%"
    );
    assert_eq!(found[0]["entity"]["id"], "grow-revenue");
    assert_eq!(found[0]["related"].as_array().map(Vec::len), Some(2));

    let raised = check(
        project("overcommitted = { max_committed_share = 0.9 }", &files).path(),
        &[],
    );
    assert!(
        raised.of("overcommitted").is_empty(),
        "{:#?}",
        raised.findings
    );
    assert!(
        raised.of("invalid-config").is_empty(),
        "{:#?}",
        raised.findings
    );

    let lowered = check(
        project(
            "overcommitted = { level = \"error\", max_committed_share = 0.5 }",
            &files,
        )
        .path(),
        &[],
    );
    assert_eq!(lowered.level_of("overcommitted"), "error");
    assert_eq!(lowered.code, 1);
}

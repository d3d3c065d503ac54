//! `opmodel diff`: each drift check on a change that triggers it and on one that does not, the output formats,
//! the revision forms, and the git situations a user meets (shallow and bare clones, worktrees, uncommitted
//! edits, revisions without a manifest). Every repository is built here, commit by commit, with fixed dates and
//! authors, so commit ids (and the snapshots that show them) are stable.

use std::path::Path;

use serde_json::Value;

mod support;
use support::{opmodel, skip_without, Repo, ANA, DAY};

const MANIFEST: &str = r#"[model]
version = 1
root = "ops"

[ownership]
required = ["**"]
ignore = ["/opmodel.toml", "/ops/", "*.md"]
"#;

/// A small company: every drift scenario edits one thing in it.
const COMPANY: &str = r#"[[person]]
id = "ana"
name = "Ana Lopez"
email = "ana@example.com"
team = "sales"
manager = "cfo"

[[person]]
id = "bob"
name = "Bob Stone"
email = "bob@example.com"
team = "cs"
manager = "cfo"

[[person]]
id = "cfo"
name = "Carl Fo"
email = "carl@example.com"

[[person]]
id = "dana"
name = "Dana Kim"
email = "dana@example.com"
manager = "cfo"

[[team]]
id = "sales"
name = "Sales"
lead = "ana"
members = ["ana"]

[[team]]
id = "cs"
name = "Customer success"
lead = "bob"
members = ["bob"]

[[area]]
id = "billing"
title = "Billing"
owner = "ana"
team = "sales"
paths = ["/billing/"]

[[decision]]
id = "pricing"
title = "Approve a non-standard price for one deal"
owner = "ana"
reversible = false
approvers = ["cfo", "dana"]
sla = "2d"

[[decision]]
id = "refunds"
title = "Refund a customer above the standard limit"
owner = "bob"
reversible = true
sla = "1d"

[[handoff]]
id = "sales-to-cs"
title = "Hand a signed customer to customer success"
from = "sales"
to = "cs"
owner = "ana"
sla = "1d"
acceptance = ["Kick-off call booked", "Contract in the CRM"]

[[metric]]
id = "nrr"
name = "Net revenue retention"
owner = "ana"
unit = "%"
target = 110
direction = "increase"
cadence = "weekly"

[[metric]]
id = "churn"
name = "Monthly logo churn"
owner = "bob"
unit = "%"
target = 2
direction = "decrease"
cadence = "monthly"

[[cadence]]
id = "pipeline-review"
name = "Pipeline review"
every = "weekly"
owner = "ana"
reviews = ["nrr"]
"#;

/// 2026-01-01 at noon: a scenario's first commit is a day later, and each next one a day after that.
const JAN_1_2026_NOON: i64 = 1_767_268_800;

/// An empty repository on branch `main`.
fn empty() -> Repo {
    Repo::new().dated(JAN_1_2026_NOON, DAY)
}

/// A repository whose first commit holds the manifest, the company and a file under billing/.
fn company() -> Repo {
    let repo = empty();
    repo.write("opmodel.toml", MANIFEST);
    repo.write("ops/company.toml", COMPANY);
    repo.write("billing/invoice.rs", "fn main() {}\n");
    repo.write("README.md", "# Example\n");
    repo.commit("The company as it is");
    repo
}

impl Repo {
    /// `opmodel diff ARGS --format json`, parsed; it must succeed.
    fn diff_json(&self, args: &[&str]) -> Value {
        let mut all = vec!["diff"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--format", "json"]);
        let run = self.opmodel(&all);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        serde_json::from_str(&run.stdout).expect("diff --format json prints JSON")
    }
}

/// Every (check, "kind id") the JSON report holds.
fn drifts(report: &Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for change in report["changes"].as_array().unwrap() {
        let entity = format!(
            "{} {}",
            change["kind"].as_str().unwrap(),
            change["id"].as_str().unwrap()
        );
        for drift in change["drifts"].as_array().unwrap() {
            out.push((drift["check"].as_str().unwrap().to_string(), entity.clone()));
        }
    }
    out
}

fn has(report: &Value, check: &str, entity: &str) -> bool {
    drifts(report)
        .iter()
        .any(|(c, e)| c == check && e == entity)
}

fn fired(report: &Value, check: &str) -> bool {
    drifts(report).iter().any(|(c, _)| c == check)
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ omit_expression => true, prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

/// The company, then `change` applied to the working tree: the report of `diff` (HEAD vs the working tree).
/// When it must fire, the human view is snapshotted as `diff__<check>`.
fn scenario(check: &str, fires: bool, change: impl FnOnce(&Repo)) -> (Repo, Value) {
    let repo = company();
    change(&repo);
    let report = repo.diff_json(&[]);
    assert_eq!(
        fired(&report, check),
        fires,
        "{check} should {}fire; drifts: {:?}",
        if fires { "" } else { "not " },
        drifts(&report)
    );
    if fires {
        let human = repo.opmodel(&["diff", "HEAD"]);
        assert_eq!(human.code, 0, "{}", human.stderr);
        snapshot(&format!("diff__{check}"), &human.stdout);
    }
    (repo, report)
}

const CO: &str = "ops/company.toml";

#[test]
fn ownership_transferred() {
    skip_without!("git");
    let (repo, report) = scenario("ownership-transferred", true, |r| {
        r.edit(
            CO,
            "owner = \"ana\"\nreversible = false",
            "owner = \"bob\"\nreversible = false",
        );
        r.edit(CO, "lead = \"bob\"", "lead = \"dana\"");
    });
    assert!(has(&report, "ownership-transferred", "decision pricing"));
    assert!(has(&report, "ownership-transferred", "team cs"));
    // Teams come before decisions: the team's previous lead, then the decision's previous owner, sign off.
    assert_eq!(
        report["changes"][0]["drifts"][0]["signoff"][0]["id"], "bob",
        "{report}"
    );
    assert_eq!(
        report["changes"][1]["drifts"][0]["signoff"][0]["id"], "ana",
        "{report}"
    );
    let markdown = repo.opmodel(&["diff", "--format", "markdown"]);
    snapshot("diff__ownership-transferred.md", &markdown.stdout);
}

#[test]
fn ownership_transferred_not_on_other_fields() {
    skip_without!("git");
    scenario("ownership-transferred", false, |r| {
        r.edit(
            CO,
            "title = \"Refund a customer above the standard limit\"",
            "title = \"Refunds above the limit\"",
        );
    });
}

#[test]
fn irreversible_changed() {
    skip_without!("git");
    let (_, report) = scenario("irreversible-changed", true, |r| {
        r.edit(CO, "sla = \"2d\"", "sla = \"1d\"");
    });
    let drift = &report["changes"][0]["drifts"][0];
    assert_eq!(drift["check"], "irreversible-changed");
    let signers: Vec<&str> = drift["signoff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(signers, ["cfo", "dana"], "every approver at base signs off");
    assert!(
        !fired(&report, "sla-loosened"),
        "a tighter sla is not loosened"
    );
}

#[test]
fn irreversible_changed_not_on_a_reversible_decision() {
    skip_without!("git");
    scenario("irreversible-changed", false, |r| {
        r.edit(
            CO,
            "sla = \"1d\"\n\n[[handoff]]",
            "sla = \"4h\"\n\n[[handoff]]",
        );
    });
}

#[test]
fn made_reversible() {
    skip_without!("git");
    scenario("made-reversible", true, |r| {
        r.edit(CO, "reversible = false", "reversible = true");
    });
}

#[test]
fn made_reversible_not_when_it_stays_a_one_way_door() {
    skip_without!("git");
    scenario("made-reversible", false, |r| {
        r.edit(
            CO,
            "reversible = true",
            "reversible = true\nrationale = \"Cheap to undo\"",
        );
    });
}

#[test]
fn approvers_removed() {
    skip_without!("git");
    scenario("approvers-removed", true, |r| {
        r.edit(
            CO,
            "approvers = [\"cfo\", \"dana\"]",
            "approvers = [\"cfo\"]",
        );
    });
}

#[test]
fn approvers_removed_not_when_one_is_added() {
    skip_without!("git");
    scenario("approvers-removed", false, |r| {
        r.edit(
            CO,
            "approvers = [\"cfo\", \"dana\"]",
            "approvers = [\"cfo\", \"dana\", \"bob\"]",
        );
    });
}

#[test]
fn handoff_removed() {
    skip_without!("git");
    let (repo, report) = scenario("handoff-removed", true, |r| {
        let text = r.read(CO);
        let start = text.find("[[handoff]]").unwrap();
        let end = text.find("[[metric]]").unwrap();
        r.write(CO, &format!("{}{}", &text[..start], &text[end..]));
    });
    let signers: Vec<&str> = report["changes"][0]["drifts"][0]["signoff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        signers,
        ["ana", "bob"],
        "the owner and both teams' leads (ana leads sales, bob leads cs)"
    );
    let markdown = repo.opmodel(&["diff", "--format", "markdown"]);
    snapshot("diff__handoff-removed.md", &markdown.stdout);
    // A removed entity's finding points at its file at head (the whole file), where the pull request shows the
    // removal; its place in the base's text is the related location.
    let sarif: Value =
        serde_json::from_str(&repo.opmodel(&["diff", "--format", "sarif"]).stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    let location = &result["locations"][0];
    assert_eq!(
        location["physicalLocation"]["artifactLocation"]["uri"],
        "ops/company.toml"
    );
    assert_eq!(location["physicalLocation"]["region"]["startLine"], 1);
    let related = &result["relatedLocations"][0];
    let line = COMPANY[..COMPANY.find("[[handoff]]").unwrap()]
        .lines()
        .count()
        + 1;
    assert_eq!(
        related["physicalLocation"]["region"]["startLine"], line,
        "{related}"
    );
    assert!(
        related["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("removed; it was here at "),
        "{related}"
    );
}

#[test]
fn an_entity_removed_with_its_file_points_at_the_manifest_at_head() {
    skip_without!("git");
    let repo = company();
    repo.write(
        "ops/extra.toml",
        "[[decision]]\nid = \"write-offs\"\ntitle = \"Write off a debt\"\nowner = \"ana\"\nreversible = false\n",
    );
    repo.commit("Add refunds");
    repo.remove("ops/extra.toml");
    let run = repo.opmodel(&["diff", "--format", "github"]);
    assert!(
        run.stdout.starts_with("::error file=opmodel.toml,line=1,"),
        "{}{}",
        run.stdout,
        run.stderr
    );
    let sarif: Value =
        serde_json::from_str(&repo.opmodel(&["diff", "--format", "sarif"]).stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "opmodel.toml"
    );
    assert_eq!(
        result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "ops/extra.toml"
    );
}

/// Moving entities to other files, and reordering their fields, is not a change.
#[test]
fn moving_entities_between_files_is_not_a_change() {
    skip_without!("git");
    let repo = company();
    let text = repo.read(CO);
    let start = text.find("[[handoff]]").unwrap();
    let end = text.find("[[metric]]").unwrap();
    repo.write(CO, &format!("{}{}", &text[..start], &text[end..]));
    let handoff = &text[start..end];
    // The same handoff, its fields in another order, in a file of its own.
    let reordered = handoff.replacen("owner = \"ana\"\n", "", 1).replacen(
        "[[handoff]]\n",
        "[[handoff]]\nowner = \"ana\"\n",
        1,
    );
    repo.write("ops/handoffs/sales.toml", &reordered);
    let report = repo.diff_json(&[]);
    assert_eq!(report["changes"], serde_json::json!([]), "{report}");
    let human = repo.opmodel(&["diff"]);
    assert!(
        human
            .stdout
            .ends_with("\nno changes to the operating model\n"),
        "{}",
        human.stdout
    );
    repo.commit("Move the handoff");
    let committed = repo.diff_json(&["HEAD~1", "HEAD"]);
    assert_eq!(committed["changes"], serde_json::json!([]));
}

#[test]
fn sla_loosened() {
    skip_without!("git");
    let (_, report) = scenario("sla-loosened", true, |r| {
        r.edit(
            CO,
            "sla = \"1d\"\n\n[[handoff]]",
            "sla = \"3d\"\n\n[[handoff]]",
        );
        r.edit(CO, "sla = \"1d\"\nacceptance", "acceptance");
    });
    assert!(has(&report, "sla-loosened", "decision refunds"));
    assert!(
        has(&report, "sla-loosened", "handoff sales-to-cs"),
        "an sla removed is loosened"
    );
}

#[test]
fn sla_loosened_not_when_the_same_or_tighter() {
    skip_without!("git");
    scenario("sla-loosened", false, |r| {
        r.edit(
            CO,
            "sla = \"1d\"\n\n[[handoff]]",
            "sla = \"24h\"\n\n[[handoff]]",
        );
        r.edit(CO, "sla = \"1d\"\nacceptance", "sla = \"4h\"\nacceptance");
    });
}

#[test]
fn target_eased() {
    skip_without!("git");
    let (_, report) = scenario("target-eased", true, |r| {
        r.edit(CO, "target = 110", "target = 100");
        r.edit(CO, "target = 2\n", "target = 3\n");
    });
    assert!(
        has(&report, "target-eased", "metric nrr"),
        "increase: lower is easier"
    );
    assert!(
        has(&report, "target-eased", "metric churn"),
        "decrease: higher is easier"
    );
}

#[test]
fn target_eased_not_when_more_ambitious() {
    skip_without!("git");
    scenario("target-eased", false, |r| {
        r.edit(CO, "target = 110", "target = 120");
        r.edit(CO, "target = 2\n", "target = 1.5\n");
    });
}

#[test]
fn target_eased_on_hold_counts_any_move_and_a_direction_flip() {
    skip_without!("git");
    let flip = company();
    flip.edit(CO, "direction = \"decrease\"", "direction = \"hold\"");
    assert!(
        has(&flip.diff_json(&[]), "target-eased", "metric churn"),
        "a direction changed redefines better"
    );
    let repo = company();
    repo.edit(CO, "direction = \"decrease\"", "direction = \"hold\"");
    repo.commit("Hold churn");
    repo.edit(CO, "target = 2\n", "target = 1\n");
    assert!(
        has(&repo.diff_json(&[]), "target-eased", "metric churn"),
        "hold: a move either way counts"
    );
}

#[test]
fn owner_left_with_ownership() {
    skip_without!("git");
    let (_, report) = scenario("owner-left-with-ownership", true, |r| {
        r.edit(
            CO,
            "manager = \"cfo\"\n\n[[person]]\nid = \"bob\"",
            "manager = \"cfo\"\nstatus = \"left\"\n\n[[person]]\nid = \"bob\"",
        );
    });
    let drift = drifts(&report);
    assert!(
        drift.contains(&("owner-left-with-ownership".into(), "person ana".into())),
        "{drift:?}"
    );
}

#[test]
fn owner_left_with_ownership_not_for_someone_who_owns_nothing() {
    skip_without!("git");
    scenario("owner-left-with-ownership", false, |r| {
        r.edit(
            CO,
            "email = \"dana@example.com\"",
            "email = \"dana@example.com\"\nstatus = \"left\"",
        );
    });
}

#[test]
fn owner_left_with_ownership_when_removed() {
    skip_without!("git");
    let repo = company();
    let text = repo.read(CO);
    let start = text.find("[[person]]\nid = \"bob\"").unwrap();
    let end = text.find("[[person]]\nid = \"cfo\"").unwrap();
    repo.write(CO, &format!("{}{}", &text[..start], &text[end..]));
    let report = repo.diff_json(&[]);
    assert!(
        has(&report, "owner-left-with-ownership", "person bob"),
        "{:?}",
        drifts(&report)
    );
}

#[test]
fn paths_unowned() {
    skip_without!("git");
    scenario("paths-unowned", true, |r| {
        r.edit(CO, "paths = [\"/billing/\"]", "paths = [\"/invoicing/\"]");
    });
}

#[test]
fn paths_unowned_not_when_another_area_takes_them() {
    skip_without!("git");
    scenario("paths-unowned", false, |r| {
        r.edit(CO, "paths = [\"/billing/\"]", "paths = [\"/invoicing/\"]");
        r.write(
            "ops/areas.toml",
            "[[area]]\nid = \"payments\"\ntitle = \"Payments\"\nowner = \"bob\"\npaths = [\"/billing/\"]\n",
        );
    });
}

#[test]
fn decision_removed() {
    skip_without!("git");
    scenario("decision-removed", true, |r| {
        let text = r.read(CO);
        let start = text.find("[[decision]]\nid = \"refunds\"").unwrap();
        let end = text.find("[[handoff]]").unwrap();
        r.write(CO, &format!("{}{}", &text[..start], &text[end..]));
    });
}

#[test]
fn decision_removed_not_when_retired() {
    skip_without!("git");
    scenario("decision-removed", false, |r| {
        r.edit(
            CO,
            "reversible = true",
            "reversible = true\nstatus = \"retired\"",
        );
    });
}

#[test]
fn metric_removed() {
    skip_without!("git");
    scenario("metric-removed", true, |r| {
        let text = r.read(CO);
        let start = text.find("[[metric]]\nid = \"churn\"").unwrap();
        let end = text.find("[[cadence]]").unwrap();
        r.write(CO, &format!("{}{}", &text[..start], &text[end..]));
    });
}

#[test]
fn metric_removed_not_when_moved() {
    skip_without!("git");
    scenario("metric-removed", false, |r| {
        let text = r.read(CO);
        let start = text.find("[[metric]]\nid = \"churn\"").unwrap();
        let end = text.find("[[cadence]]").unwrap();
        r.write(CO, &format!("{}{}", &text[..start], &text[end..]));
        r.write("ops/metrics.toml", &text[start..end]);
    });
}

#[test]
fn cadence_loosened() {
    skip_without!("git");
    let (_, report) = scenario("cadence-loosened", true, |r| {
        r.edit(CO, "every = \"weekly\"", "every = \"monthly\"");
        r.edit(CO, "cadence = \"weekly\"\n", "");
    });
    assert!(has(&report, "cadence-loosened", "cadence pipeline-review"));
    assert!(
        has(&report, "cadence-loosened", "metric nrr"),
        "a metric no longer reviewed"
    );
}

#[test]
fn cadence_loosened_not_when_more_frequent() {
    skip_without!("git");
    scenario("cadence-loosened", false, |r| {
        r.edit(CO, "every = \"weekly\"", "every = \"daily\"");
        r.edit(CO, "cadence = \"monthly\"", "cadence = \"weekly\"");
    });
}

#[test]
fn acceptance_removed() {
    skip_without!("git");
    scenario("acceptance-removed", true, |r| {
        r.edit(
            CO,
            "[\"Kick-off call booked\", \"Contract in the CRM\"]",
            "[\"Kick-off call booked\"]",
        );
    });
}

#[test]
fn acceptance_removed_not_when_one_is_added() {
    skip_without!("git");
    scenario("acceptance-removed", false, |r| {
        r.edit(
            CO,
            "[\"Kick-off call booked\", \"Contract in the CRM\"]",
            "[\"Kick-off call booked\", \"Contract in the CRM\", \"Billing contact known\"]",
        );
    });
}

const NEW_DECISION: &str = "\n[[decision]]\nid = \"vendor-contracts\"\ntitle = \"Sign a multi-year vendor contract\"\nowner = \"dana\"\nreversible = false\napprovers = [\"cfo\"]\nsla = \"1w\"\n";

#[test]
fn irreversible_added() {
    skip_without!("git");
    scenario("irreversible-added", true, |r| {
        r.write("ops/vendors.toml", NEW_DECISION);
    });
}

#[test]
fn irreversible_added_not_for_a_reversible_decision() {
    skip_without!("git");
    let (_, report) = scenario("irreversible-added", false, |r| {
        r.write(
            "ops/vendors.toml",
            &NEW_DECISION.replace(
                "reversible = false\napprovers = [\"cfo\"]",
                "reversible = true",
            ),
        );
    });
    assert!(
        has(&report, "entity-added", "decision vendor-contracts"),
        "{:?}",
        drifts(&report)
    );
}

/// The catch-all checks: info-level, one per entity, only for what no other check reported.
#[test]
fn entity_added_removed_and_changed() {
    skip_without!("git");
    let repo = company();
    repo.edit(
        CO,
        "title = \"Refund a customer above the standard limit\"",
        "title = \"Refunds above the limit\"",
    );
    repo.edit(
        CO,
        "name = \"Customer success\"",
        "name = \"Customer Success\"",
    );
    repo.write(
        "ops/people.toml",
        "[[person]]\nid = \"eve\"\nname = \"Eve Ng\"\nemail = \"eve@example.com\"\n",
    );
    let text = repo.read(CO);
    let start = text.find("[[cadence]]").unwrap();
    repo.write(CO, &text[..start]);
    let report = repo.diff_json(&[]);
    let all = drifts(&report);
    assert_eq!(
        all,
        [
            ("entity-added", "person eve"),
            ("entity-changed", "team cs"),
            ("entity-changed", "decision refunds"),
            ("entity-removed", "cadence pipeline-review"),
        ]
        .map(|(c, e)| (c.to_string(), e.to_string())),
    );
    assert!(report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["drifts"][0]["level"] == "info"));
    // With an owner change too, the title is still reported, under entity-changed, and only the title.
    repo.edit(
        CO,
        "owner = \"bob\"\nreversible = true",
        "owner = \"dana\"\nreversible = true",
    );
    let report = repo.diff_json(&[]);
    let refunds = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "refunds")
        .unwrap();
    let checks: Vec<(&str, &str)> = refunds["drifts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["check"].as_str().unwrap(),
                d["field"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        checks,
        [
            ("ownership-transferred", "owner"),
            ("entity-changed", "title")
        ]
    );
}

/// Several checks at once: the human plan and the Markdown comment of a realistic pull request.
#[test]
fn a_larger_change() {
    skip_without!("git");
    let repo = company();
    repo.branch("reorg");
    repo.edit(
        CO,
        "owner = \"ana\"\nreversible = false",
        "owner = \"bob\"\nreversible = false",
    );
    repo.edit(
        CO,
        "approvers = [\"cfo\", \"dana\"]",
        "approvers = [\"cfo\"]",
    );
    repo.edit(CO, "target = 110", "target = 105");
    repo.edit(CO, "every = \"weekly\"", "every = \"monthly\"");
    repo.edit(
        CO,
        "title = \"Refund a customer above the standard limit\"",
        "title = \"Refunds above the limit\"",
    );
    repo.write("ops/vendors.toml", NEW_DECISION);
    repo.commit("Reorganise pricing and reviews");
    repo.edit(
        CO,
        "[\"Kick-off call booked\", \"Contract in the CRM\"]",
        "[\"Kick-off call booked\"]",
    );
    let human = repo.opmodel(&["diff"]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(
        human.stdout.starts_with("Comparing ")
            && human
                .stdout
                .lines()
                .next()
                .unwrap()
                .contains("merge-base of HEAD and main"),
        "the first line says how the base was chosen:\n{}",
        human.stdout
    );
    snapshot("diff__larger-change", &human.stdout);
    // docs/output.md shows an abridged version of this plan: every line it shows is real.
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/output.md"))
        .unwrap();
    let section = &doc[doc
        .find("## `opmodel diff`")
        .expect("docs/output.md documents diff")..];
    let start = section.find("```text\n").unwrap() + "```text\n".len();
    let shown = &section[start..start + section[start..].find("```").unwrap()];
    for line in shown
        .lines()
        .filter(|l| !l.is_empty() && !l.contains(" added, "))
    {
        assert!(
            human.stdout.lines().any(|l| l == line),
            "docs/output.md shows a line opmodel does not print: {line}"
        );
    }
    let markdown = repo.opmodel(&["diff", "--format", "markdown"]);
    snapshot("diff__larger-change.md", &markdown.stdout);
    let report = repo.diff_json(&[]);
    assert_eq!(
        report["summary"]["need_signoff"], 2,
        "{}",
        report["summary"]
    );
    // SARIF and GitHub annotations reuse the findings renderers.
    let sarif = repo.opmodel(&["diff", "--format", "sarif"]);
    assert_eq!(sarif.code, 0, "{}", sarif.stderr);
    let sarif: Value = serde_json::from_str(&sarif.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "ownership-transferred"),
        "{sarif}"
    );
    let github = repo.opmodel(&["diff", "--format", "github"]);
    assert!(
        github.stdout.contains("::error") && github.stdout.contains("ownership-transferred"),
        "{}",
        github.stdout
    );
}

#[test]
fn the_json_document_has_both_spans() {
    skip_without!("git");
    let repo = company();
    repo.write(
        CO,
        &format!(
            "# moved down two lines\n\n{}",
            repo.read(CO).replace("target = 110", "target = 100")
        ),
    );
    let report = repo.diff_json(&["HEAD"]);
    assert_eq!(report["version"], 1);
    assert_eq!(report["command"], "diff");
    assert_eq!(report["base"]["manifest"], true);
    assert_eq!(report["base"]["commit"].as_str().unwrap().len(), 40);
    assert_eq!(report["head"]["label"], "working tree");
    assert_eq!(report["head"]["commit"], Value::Null);
    let change = &report["changes"][0];
    assert_eq!(
        (
            change["kind"].as_str(),
            change["id"].as_str(),
            change["op"].as_str()
        ),
        (Some("metric"), Some("nrr"), Some("changed"))
    );
    let field = &change["fields"][0];
    assert_eq!(
        (
            field["field"].as_str(),
            field["old"].as_i64(),
            field["new"].as_i64()
        ),
        (Some("target"), Some(110), Some(100))
    );
    let (base, head) = (&field["base"], &field["head"]);
    assert_eq!(base["file"], "ops/company.toml");
    assert_eq!(
        head["line"].as_u64().unwrap(),
        base["line"].as_u64().unwrap() + 2,
        "{field}"
    );
    assert_eq!(
        (base["column"].as_u64(), head["column"].as_u64()),
        (Some(10), Some(10))
    );
    let drift = &change["drifts"][0];
    assert_eq!(drift["check"], "target-eased");
    assert_eq!(drift["level"], "error");
    assert_eq!(drift["field"], "target");
    assert_eq!(
        drift["signoff"],
        serde_json::json!([{ "id": "ana", "name": "Ana Lopez" }])
    );
}

#[test]
fn fail_on_sets_the_exit_code() {
    skip_without!("git");
    let repo = company();
    repo.edit(CO, "cadence = \"monthly\"", "cadence = \"quarterly\""); // a warning
    for (fail_on, code) in [
        (None, 0),
        (Some("never"), 0),
        (Some("error"), 0),
        (Some("warn"), 1),
        (Some("info"), 1),
    ] {
        let mut args = vec!["diff"];
        if let Some(level) = fail_on {
            args.extend(["--fail-on", level]);
        }
        assert_eq!(repo.opmodel(&args).code, code, "--fail-on {fail_on:?}");
    }
    repo.edit(CO, "target = 110", "target = 90"); // an error
    assert_eq!(repo.opmodel(&["diff", "--fail-on", "error"]).code, 1);
    let info_only = company();
    info_only.edit(
        CO,
        "name = \"Customer success\"",
        "name = \"Customer Success\"",
    );
    assert_eq!(info_only.opmodel(&["diff", "--fail-on", "warn"]).code, 0);
    assert_eq!(info_only.opmodel(&["diff", "--fail-on", "info"]).code, 1);
}

/// Levels come from the base's manifest: the change being judged cannot lower them.
#[test]
fn levels_come_from_the_base_manifest() {
    skip_without!("git");
    let repo = company();
    repo.write(
        "opmodel.toml",
        &format!("{MANIFEST}\n[rules]\ntarget-eased = \"warn\"\n"),
    );
    repo.commit("target-eased is a warning here");
    repo.write(
        "opmodel.toml",
        &format!("{MANIFEST}\n[rules]\ntarget-eased = \"off\"\nsla-loosened = \"off\"\n"),
    );
    repo.edit(CO, "target = 110", "target = 90");
    repo.edit(
        CO,
        "sla = \"1d\"\n\n[[handoff]]",
        "sla = \"3d\"\n\n[[handoff]]",
    );
    let report = repo.diff_json(&[]);
    let levels: Vec<(String, String)> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["drifts"].as_array().unwrap().iter())
        .map(|d| {
            (
                d["check"].as_str().unwrap().to_string(),
                d["level"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        levels.contains(&("target-eased".into(), "warn".into())),
        "{levels:?}"
    );
    assert!(
        levels.contains(&("sla-loosened".into(), "error".into())),
        "{levels:?}"
    );
}

#[test]
fn explain_and_rules_know_the_drift_checks() {
    skip_without!("git");
    let repo = company();
    let run = repo.opmodel(&["explain", "target-eased"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("# target-eased\n"), "{}", run.stdout);
    let rules = repo.opmodel(&["rules"]);
    for check in ["ownership-transferred", "paths-unowned", "entity-changed"] {
        assert!(
            rules.stdout.contains(check),
            "{check} is listed by `opmodel rules`"
        );
    }
}

#[test]
fn uncommitted_edits_are_compared_with_head() {
    skip_without!("git");
    let repo = company();
    repo.edit(CO, "target = 110", "target = 120");
    repo.commit("Raise the bar");
    repo.edit(CO, "target = 120", "target = 115");
    let report = repo.diff_json(&["HEAD"]);
    assert_eq!(report["head"]["label"], "working tree");
    let field = &report["changes"][0]["fields"][0];
    assert_eq!(
        (field["old"].as_i64(), field["new"].as_i64()),
        (Some(120), Some(115))
    );
    // Staged but not committed counts as well: the working tree is what is on disk.
    repo.git(&["add", "-A"]);
    assert_eq!(
        repo.diff_json(&["HEAD"])["changes"][0]["fields"][0]["new"].as_i64(),
        Some(115)
    );
}

#[test]
fn two_revisions_and_both_range_forms() {
    skip_without!("git");
    let repo = company();
    let main_tip = repo.git(&["rev-parse", "HEAD"]);
    repo.branch("feature");
    repo.edit(CO, "target = 110", "target = 100");
    repo.commit("Ease NRR");
    repo.checkout("main");
    repo.edit(CO, "every = \"weekly\"", "every = \"daily\"");
    repo.commit("Review the pipeline daily");

    // Two dots: the two commits as they are, main's own change shows reversed.
    let two = repo.diff_json(&["main..feature"]);
    let ids: Vec<&str> = two["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["nrr", "pipeline-review"]);
    assert_eq!(two["note"], Value::Null);
    assert_eq!(
        repo.diff_json(&["main", "feature"])["changes"],
        two["changes"]
    );

    // Three dots: from the merge-base, only the feature's change, and the note says so.
    let three = repo.diff_json(&["main...feature"]);
    let ids: Vec<&str> = three["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["nrr"]);
    let short = &main_tip[..7];
    assert_eq!(
        three["note"],
        format!("base: the merge-base of main and feature ({short})")
    );
    let human = repo.opmodel(&["diff", "main...feature"]);
    assert_eq!(
        human.stdout.lines().next().unwrap(),
        format!(
            "Comparing {short} .. feature ({}); base: the merge-base of main and feature ({short})",
            &repo.git(&["rev-parse", "feature"])[..7]
        )
    );
}

#[test]
fn base_left_out_is_the_merge_base_with_the_default_branch() {
    skip_without!("git");
    let repo = company();
    let fork = repo.git(&["rev-parse", "--short=7", "HEAD"]);
    repo.branch("feature");
    repo.edit(CO, "target = 110", "target = 100");
    repo.commit("Ease NRR");
    repo.checkout("main");
    repo.edit(CO, "every = \"weekly\"", "every = \"daily\"");
    repo.commit("Review the pipeline daily");
    repo.checkout("feature");
    let run = repo.opmodel(&["diff"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout.lines().next().unwrap(),
        format!("Comparing {fork} .. working tree; base: the merge-base of HEAD and main ({fork})")
    );
    assert!(
        run.stdout.contains("~ nrr") && !run.stdout.contains("pipeline-review"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_revision_without_a_manifest_counts_everything_as_added() {
    skip_without!("git");
    let repo = empty();
    repo.write("README.md", "# Before opmodel\n");
    repo.commit("Start");
    repo.write("opmodel.toml", MANIFEST);
    repo.write("ops/company.toml", COMPANY);
    repo.commit("Adopt opmodel");
    let run = repo.opmodel(&["diff", "HEAD~1", "HEAD"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with("Comparing HEAD~1 ("), "{}", run.stdout);
    assert!(
        lines[1].starts_with("HEAD~1 (")
            && lines[1].ends_with(") has no opmodel.toml: every entity counts as added"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .ends_with("13 added, 0 changed, 0 removed; none needs sign-off\n"),
        "{}",
        run.stdout
    );
    // The other way round, everything is removed, and removals are judged.
    let back = repo.opmodel(&["diff", "HEAD", "HEAD~1"]);
    assert!(
        back.stdout
            .lines()
            .nth(1)
            .unwrap()
            .ends_with("has no opmodel.toml: every entity counts as removed"),
        "{}",
        back.stdout
    );
    assert!(
        back.stdout.contains("error handoff-removed"),
        "{}",
        back.stdout
    );
    // Neither side has a manifest: nothing to compare, and the message says where it looked.
    let neither = repo.opmodel(&["diff", "HEAD~1", "HEAD~1"]);
    assert_eq!(neither.code, 2);
    assert!(
        neither.stderr.contains("has opmodel.toml"),
        "{}",
        neither.stderr
    );
}

#[test]
fn a_file_that_does_not_parse_is_said() {
    skip_without!("git");
    let repo = company();
    repo.write("ops/broken.toml", "[[person]\nid = \"x\"\n");
    let run = repo.opmodel(&["diff"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("warning: ops/broken.toml at working tree cannot be read (not valid TOML)"),
        "{}",
        run.stdout
    );
}

#[test]
fn unknown_revision_suggests_a_branch() {
    skip_without!("git");
    let repo = company();
    let run = repo.opmodel(&["diff", "mian"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("unknown revision `mian`; did you mean `main`?"),
        "{}",
        run.stderr
    );
    let run = repo.opmodel(&["diff", "mian..HEAD"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `main`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn outside_a_repository() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("opmodel.toml"), MANIFEST).unwrap();
    let run = opmodel(tmp.path(), &["diff", "HEAD~1"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not a git repository"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("help:"), "{}", run.stderr);
}

#[test]
fn shallow_clone_without_the_base_says_how_to_fetch_it() {
    skip_without!("git");
    let repo = company();
    repo.edit(CO, "target = 110", "target = 100");
    repo.commit("Ease NRR");
    let url = format!("file://{}", repo.root.display());
    repo.git_as(
        ANA,
        repo.outer(),
        &["clone", "-q", "--depth", "1", &url, "shallow"],
    );
    let shallow = repo.outer().join("shallow");
    let run = opmodel(&shallow, &["diff", "HEAD~1"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("shallow clone"), "{}", run.stderr);
    assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
    assert!(
        run.stderr.contains("git fetch --unshallow"),
        "{}",
        run.stderr
    );
    // What the clone has, it compares.
    let here = opmodel(&shallow, &["diff", "HEAD"]);
    assert_eq!(here.code, 0, "{}", here.stderr);
}

#[test]
fn bare_repository() {
    skip_without!("git");
    let repo = company();
    let first = repo.git(&["rev-parse", "HEAD"]);
    repo.edit(CO, "target = 110", "target = 100");
    let second = repo.commit("Ease NRR");
    repo.git_as(
        ANA,
        repo.outer(),
        &[
            "clone",
            "-q",
            "--bare",
            repo.root.to_str().unwrap(),
            "bare.git",
        ],
    );
    let run = opmodel(
        repo.outer(),
        &["-C", "bare.git", "diff", &first[..10], &second],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("error target-eased"), "{}", run.stdout);
    // HEAD left out: a bare repository has no working tree, so HEAD is the commit HEAD.
    let run = opmodel(repo.outer(), &["-C", "bare.git", "diff", "HEAD~1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("Comparing HEAD~1 ("),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.lines().next().unwrap().contains(".. HEAD ("),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("error target-eased"), "{}", run.stdout);
}

#[test]
fn linked_worktree() {
    skip_without!("git");
    let repo = company();
    repo.git(&["worktree", "add", "-q", "-b", "feature", "../wt"]);
    let wt = repo.outer().join("wt");
    let text = std::fs::read_to_string(wt.join(CO)).unwrap();
    std::fs::write(
        wt.join(CO),
        text.replace("lead = \"bob\"", "lead = \"dana\""),
    )
    .unwrap();
    let run = opmodel(&wt, &["diff"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("merge-base of HEAD and main"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("error ownership-transferred: lead of team \"cs\""),
        "{}",
        run.stdout
    );
    // The main worktree is untouched: nothing changed there.
    assert!(repo
        .opmodel(&["diff", "HEAD"])
        .stdout
        .contains("no changes"));
    // From a folder inside the worktree, too.
    let run = opmodel(wt.join("ops"), &["diff", "main"]);
    assert!(
        run.stdout.contains("ownership-transferred"),
        "{}{}",
        run.stdout,
        run.stderr
    );
}

#[test]
fn too_many_revisions_is_a_usage_error() {
    skip_without!("git");
    let repo = company();
    let run = repo.opmodel(&["diff", "HEAD", "HEAD", "HEAD"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

/// Thousands of files a side cannot read are counted, not listed: the comment keeps room for the changes.
#[test]
fn many_unreadable_files_do_not_push_the_changes_out_of_the_comment() {
    skip_without!("git");
    let repo = company();
    for i in 0..3000 {
        repo.write(&format!("ops/broken-{i:04}.toml"), "[[decision]\n");
    }
    let text = repo.read(CO);
    repo.write(CO, &text.replacen("owner = \"bob\"", "owner = \"ana\"", 1));
    let run = repo.opmodel(&["diff", "--format", "markdown"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let md = &run.stdout;
    assert!(
        md.chars().count() <= 65_536,
        "{} characters",
        md.chars().count()
    );
    assert!(
        md.contains("> *2980 more not shown: `opmodel diff` lists every one.*"),
        "{md}"
    );
    assert!(md.contains("#### Sign-off needed from"), "{md}");
}

//! The gate's policy cannot be walked around (issue 10, points 3 and 4): the model protects itself, a change that
//! loosens the policy needs the owner of the manifest, and the author of a material drift never signs it off.
//! Each test is an attack that passed before, built commit by commit with the git binary and audited through the
//! real binary.

use serde_json::Value;

mod support;
use support::{skip_without, Opmodel, Repo, Run, Who, ANA, HOUR};

const MANIFEST: &str = r#"[model]
version = 1
root = "ops"

[ownership]
required = ["**"]
ignore = ["*.md"]

[approvals]
trailers = ["Approved-by"]
"#;

/// Ana leads payments (Bob is a member) and reports to Dana; Mia is in support, led by Leo; Sol has no manager
/// and no team.
const PEOPLE: &str = r#"[[person]]
id = "ana"
name = "Ana Lopez"
email = "ana@example.com"
team = "payments"
manager = "ceo"

[[person]]
id = "bob"
name = "Bob Stone"
email = "bob@example.com"
team = "payments"
manager = "ana"

[[person]]
id = "ceo"
name = "Dana Chief"
email = "dana@example.com"

[[person]]
id = "mia"
name = "Mia Wong"
email = "mia@example.com"
team = "support"

[[person]]
id = "leo"
name = "Leo Park"
email = "leo@example.com"
team = "support"

[[person]]
id = "sol"
name = "Sol Reyes"
email = "sol@example.com"

[[team]]
id = "payments"
name = "Payments"
lead = "ana"
members = ["bob"]

[[team]]
id = "support"
name = "Support"
lead = "leo"
members = ["mia"]
"#;

/// The model area belongs to team payments: Bob, a member, may edit its files without Ana's approval.
const AREAS: &str = r#"[[area]]
id = "model"
title = "The operating model"
owner = "ana"
team = "payments"
paths = ["/opmodel.toml", "/ops/"]

[[area]]
id = "billing"
title = "Billing"
owner = "ana"
paths = ["/src/billing/"]
"#;

const WORK: &str = r#"[[metric]]
id = "nrr"
name = "Net revenue retention"
owner = "ana"
unit = "%"
target = 110
direction = "increase"

[[metric]]
id = "uptime"
name = "Uptime"
owner = "sol"
unit = "%"
target = 99.9
direction = "increase"

[[decision]]
id = "pricing"
title = "Approve a non-standard price for one deal"
owner = "ana"
reversible = true

[[handoff]]
id = "cs-to-eng"
title = "Report a customer bug to engineering"
from = "support"
to = "payments"
owner = "mia"
sla = "1d"
"#;

const BOB: Who = ("Bob Stone", "bob@example.com");
const MIA: Who = ("Mia Wong", "mia@example.com");
const SOL: Who = ("Sol Reyes", "sol@example.com");

/// The model at base, committed by Ana and tagged `base`.
fn base() -> Repo {
    let s = Repo::new().dated(1_750_000_000, HOUR);
    s.write("opmodel.toml", MANIFEST);
    s.write("ops/people.toml", PEOPLE);
    s.write("ops/areas.toml", AREAS);
    s.write("ops/work.toml", WORK);
    s.write("src/billing/charge.rs", "fn charge() {}\n");
    s.commit_as(ANA, "The model at base");
    s.tag("base");
    s
}

fn audit(s: &Repo, args: &[&str]) -> Run {
    Opmodel::new(s.path()).arg("audit").args(args).run()
}

/// The exit code, and `rule kind id` (or `rule path`) with the message of each finding.
fn verdict(s: &Repo, args: &[&str]) -> (i32, Vec<String>) {
    let run = audit(s, &[&["--format", "json"], args].concat());
    assert!(
        run.code == 0 || run.code == 1,
        "{}{}",
        run.stdout,
        run.stderr
    );
    let doc: Value = serde_json::from_str(&run.stdout).expect("the JSON report parses");
    let findings = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let what = match (&f["entity"], &f["path"]) {
                (Value::Object(e), _) => format!(
                    "{} {}",
                    e["kind"].as_str().unwrap(),
                    e["id"].as_str().unwrap()
                ),
                (_, Value::String(p)) => p.clone(),
                _ => String::new(),
            };
            format!(
                "{} {what}: {}",
                f["rule"].as_str().unwrap(),
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    (run.code, findings)
}

#[test]
fn the_two_pull_request_manifest_escalation_needs_the_manifest_owner() {
    skip_without!("git");
    let s = base();
    // Pull request 1: Bob, a member of the model area's team, turns the audit's main rule off.
    s.append("opmodel.toml", "\n[rules]\nunapproved-change = \"off\"\n");
    s.commit_as(BOB, "Quieter audits");
    s.tag("pr1");
    let (code, findings) = verdict(&s, &["base..pr1"]);
    assert_eq!(code, 1, "{findings:#?}");
    // Two findings: the manifest changed without its area's owner (a team member is not enough for the
    // manifest), and the policy loosened without her sign-off.
    assert_eq!(findings.len(), 2, "{findings:#?}");
    assert!(
        findings[0].starts_with("unapproved-change opmodel.toml: ")
            && findings[0].ends_with("by Bob Stone <bob@example.com> changes opmodel.toml without the approval of its owner, Ana Lopez (ana)"),
        "{findings:#?}"
    );
    assert!(
        findings[1].starts_with("unapproved-drift manifest opmodel.toml: manifest \"opmodel.toml\": rule `unapproved-change` is turned off (it was error); `policy-loosened` needs the sign-off of Ana Lopez (ana)"),
        "{findings:#?}"
    );
    // Only with the sign-off of the manifest's owner can pull request 1 pass...
    assert_eq!(
        verdict(&s, &["base..pr1", "--approver", "ana"]),
        (0, vec![])
    );
    // ... and only then is pull request 2 judged by the loosened base, where Bob's unapproved change passes.
    s.append("src/billing/charge.rs", "// bob\n");
    s.commit_as(BOB, "Tune the retry policy");
    assert_eq!(verdict(&s, &["pr1..HEAD"]), (0, vec![]));
    let (code, findings) = verdict(&s, &["base..HEAD"]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 3, "judged by the base: {findings:#?}");
}

#[test]
fn every_way_of_loosening_the_policy_is_a_drift_and_tightening_is_not() {
    skip_without!("git");
    let s = base();
    s.edit(
        "opmodel.toml",
        "ignore = [\"*.md\"]",
        "ignore = [\"*.md\", \"src/**\"]",
    );
    s.edit(
        "opmodel.toml",
        "required = [\"**\"]",
        "required = [\"/ops/\"]",
    );
    s.edit(
        "opmodel.toml",
        "trailers = [\"Approved-by\"]",
        "trailers = [\"Approved-by\", \"Looks-good-to\"]",
    );
    s.append(
        "opmodel.toml",
        "\n[rules]\nunapproved-drift = \"warn\"\nspan-of-control = \"error\"\n",
    );
    s.edit(
        "ops/work.toml",
        "owner = \"sol\"\n",
        "owner = \"sol\"\nallow = [\"metric-stale\"]\n",
    );
    s.commit_as(ANA, "Loosen everything");
    let diff = Opmodel::new(s.path())
        .args(["diff", "base..HEAD", "--format", "json"])
        .run();
    let doc: Value = serde_json::from_str(&diff.stdout).expect("the JSON diff parses");
    let mut messages: Vec<String> = doc["changes"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", diff.stdout))
        .iter()
        .flat_map(|c| c["drifts"].as_array().unwrap())
        .filter(|d| d["check"] == "policy-loosened")
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect();
    messages.sort();
    assert_eq!(
        messages,
        [
            "manifest \"opmodel.toml\": [approvals].trailers now also accepts \"Looks-good-to\" as a sign-off",
            "manifest \"opmodel.toml\": [ownership].ignore now exempts \"src/**\" from owners",
            "manifest \"opmodel.toml\": [ownership].required no longer requires an owner for \"**\"",
            "manifest \"opmodel.toml\": rule `unapproved-drift` is lowered from error to warn",
            "metric \"uptime\" now allows \"metric-stale\"",
        ],
        "{}",
        diff.stdout
    );
    // Tightening is no drift: a rule raised, a pattern out of `ignore`. Made by the manifest's owner, nothing is
    // missing (four eyes is for drifts); by anyone else, the manifest's owner approves it as any change to it.
    let t = base();
    t.edit("opmodel.toml", "ignore = [\"*.md\"]", "ignore = []");
    t.append("opmodel.toml", "\n[rules]\nspan-of-control = \"error\"\n");
    t.commit_as(ANA, "Stricter");
    assert_eq!(verdict(&t, &["base..HEAD"]), (0, vec![]));
}

#[test]
fn an_owner_who_eases_their_own_target_is_not_their_own_sign_off() {
    skip_without!("git");
    let s = base();
    s.edit("ops/work.toml", "target = 110", "target = 100");
    s.commit_as(
        ANA,
        "Be realistic about retention\n\nApproved-by: Ana Lopez <ana@example.com>",
    );
    let (code, findings) = verdict(&s, &["base..HEAD"]);
    assert_eq!(code, 1, "{findings:#?}");
    assert_eq!(
        findings,
        ["unapproved-drift metric nrr: target of metric \"nrr\" eases from 110 to 100 (higher is better); Ana Lopez \
          (ana) made the change and cannot sign it off (four eyes): `target-eased` needs the sign-off of their \
          manager, Dana Chief (ceo) instead, and nothing in the range gives it"]
    );
    // Ana's own approval changes nothing; her manager's does.
    assert_eq!(verdict(&s, &["base..HEAD", "--approver", "ana"]).0, 1);
    assert_eq!(
        verdict(&s, &["base..HEAD", "--approver", "ceo"]),
        (0, vec![])
    );
    // Someone else easing Ana's target needs Ana, as before.
    let t = base();
    t.edit("ops/work.toml", "target = 110", "target = 100");
    t.commit_as(BOB, "Be realistic about retention");
    assert_eq!(
        verdict(&t, &["base..HEAD", "--approver", "ana"]),
        (0, vec![])
    );
    assert!(verdict(&t, &["base..HEAD"])
        .1
        .iter()
        .any(|f| f.contains("`target-eased` needs the sign-off of Ana Lopez (ana)")));
}

#[test]
fn without_a_manager_or_a_team_lead_an_authors_own_drift_cannot_be_signed_off() {
    skip_without!("git");
    let s = base();
    s.edit("ops/work.toml", "target = 99.9", "target = 99");
    s.commit_as(SOL, "Uptime: 99 is fine");
    let (code, findings) = verdict(&s, &["base..HEAD"]);
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert!(
        findings[0].ends_with("Sol Reyes (sol) made the change and cannot sign it off (four eyes), and the model at base names no manager or team lead who could instead: it cannot be signed off"),
        "{findings:#?}"
    );
    assert_eq!(verdict(&s, &["base..HEAD", "--approver", "sol"]).0, 1);
}

#[test]
fn a_transfer_needs_the_new_owner_too() {
    skip_without!("git");
    let s = base();
    s.edit(
        "ops/work.toml",
        "id = \"pricing\"\ntitle = \"Approve a non-standard price for one deal\"\nowner = \"ana\"",
        "id = \"pricing\"\ntitle = \"Approve a non-standard price for one deal\"\nowner = \"bob\"",
    );
    s.commit_as(ANA, "Bob decides pricing exceptions from now on");
    let (code, findings) = verdict(&s, &["base..HEAD"]);
    assert_eq!(code, 1, "{findings:#?}");
    assert_eq!(
        findings,
        ["unapproved-drift decision pricing: owner of decision \"pricing\" moves from Ana Lopez (ana) to Bob Stone \
          (bob); `ownership-transferred` needs the sign-off of Bob Stone (bob), and nothing in the range gives it"]
    );
    assert_eq!(
        verdict(&s, &["base..HEAD", "--approver", "bob"]),
        (0, vec![])
    );
}

#[test]
fn a_loosened_handoff_sla_needs_the_lead_of_the_sending_team() {
    skip_without!("git");
    let s = base();
    s.edit("ops/work.toml", "sla = \"1d\"", "sla = \"3d\"");
    s.commit_as(MIA, "Engineering needs more time");
    let (code, findings) = verdict(&s, &["base..HEAD"]);
    assert_eq!(code, 1, "{findings:#?}");
    assert!(
        findings[0].ends_with("`sla-loosened` needs the sign-off of Leo Park (leo), and nothing in the range gives it"),
        "{findings:#?}"
    );
    assert_eq!(
        verdict(&s, &["base..HEAD", "--approver", "leo"]),
        (0, vec![])
    );
}

#[test]
fn explain_says_who_signs_off_every_drift() {
    let dir = tempfile::tempdir().unwrap();
    let run = Opmodel::new(dir.path())
        .args(["rules", "--format", "json"])
        .run();
    let doc: Value = serde_json::from_str(&run.stdout).expect("the rules parse");
    let drifts: Vec<&str> = doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["group"] == "drift")
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert!(drifts.contains(&"policy-loosened"), "{drifts:?}");
    for check in drifts {
        let explain = Opmodel::new(dir.path()).args(["explain", check]).run();
        assert_eq!(explain.code, 0, "{check}: {}", explain.stderr);
        assert!(
            explain.stdout.lines().any(|l| l.starts_with("Sign-off: ")),
            "`opmodel explain {check}` says who signs off:\n{}",
            explain.stdout
        );
    }
    // And docs/audit.md says it once, in one table with a row for each.
    let audit_md =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/audit.md")).unwrap();
    assert_eq!(audit_md.matches("| drift check | who signs off").count(), 1);
    for check in doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["group"] == "drift")
    {
        let name = check["name"].as_str().unwrap();
        assert!(
            audit_md.contains(&format!("`{name}`")),
            "docs/audit.md names {name}"
        );
    }
}

#[test]
fn check_says_the_manifest_must_be_owned_and_ignore_cannot_exempt_it() {
    skip_without!("git");
    let s = Repo::new();
    s.write(
        "opmodel.toml",
        &MANIFEST.replace(
            "ignore = [\"*.md\"]",
            "ignore = [\"*.md\", \"opmodel.toml\"]",
        ),
    );
    s.write("ops/people.toml", PEOPLE);
    s.write(
        "ops/areas.toml",
        &AREAS.replace(
            "paths = [\"/opmodel.toml\", \"/ops/\"]",
            "paths = [\"/docs/\"]",
        ),
    );
    s.write("docs/a.txt", "x\n");
    s.write("src/billing/charge.rs", "fn charge() {}\n");
    s.commit("initial");
    let run = s.opmodel(&["check", "--as-of", "2026-11-20", "--format", "json"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    let found: Vec<(String, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "model-unowned")
        .map(|f| {
            (
                f["message"].as_str().unwrap().into(),
                f["help"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    let about = |start: &str| {
        found
            .iter()
            .find(|(m, _)| m.starts_with(start))
            .unwrap_or_else(|| panic!("{found:#?}"))
    };
    let (_, help) = about("the manifest opmodel.toml is not owned by an area");
    assert!(
        help.starts_with("add \"/opmodel.toml\" to the `paths` of area \"model\""),
        "{help}"
    );
    let (message, help) = about("2 model files");
    assert_eq!(
        message,
        "2 model files are not owned by an area: ops/areas.toml, ops/people.toml"
    );
    assert!(
        help.starts_with("add \"/ops/\" to the `paths` of area \"model\""),
        "{help}"
    );
    // Owned, it checks clean of the rule.
    s.write("ops/areas.toml", AREAS);
    s.write("opmodel.toml", MANIFEST);
    s.commit("own the model");
    let run = s.opmodel(&["check", "--as-of", "2026-11-20"]);
    assert!(!run.stdout.contains("model-unowned"), "{}", run.stdout);
}

#[test]
fn a_manifest_change_needs_the_owner_of_its_area_not_a_member_of_its_team() {
    skip_without!("git");
    let s = base();
    // Bob is a member of team payments, the team of the area that owns opmodel.toml and ops/: a path of that area
    // he may change himself...
    s.write("ops/notes.txt", "the model's notes\n");
    s.commit_as(BOB, "Notes");
    s.tag("notes");
    assert_eq!(verdict(&s, &["base..notes"]), (0, vec![]));
    // ... but not the manifest, even when the change loosens nothing: it is judged like an entity, by its area's
    // owner alone.
    s.edit(
        "opmodel.toml",
        "root = \"ops\"",
        "root = \"ops\"  # the model folder",
    );
    s.commit_as(BOB, "Explain the manifest");
    let (code, findings) = verdict(&s, &["notes..HEAD"]);
    assert_eq!(code, 1, "{findings:#?}");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert!(
        findings[0].starts_with("unapproved-change opmodel.toml: ")
            && findings[0].ends_with("by Bob Stone <bob@example.com> changes opmodel.toml without the approval of its owner, Ana Lopez (ana)"),
        "{findings:#?}"
    );
    // The help names the owner only: the members of the team cannot sign off the manifest.
    let human = audit(&s, &["notes..HEAD"]);
    assert!(human.stdout.contains("--approver ana"), "{}", human.stdout);
    assert!(
        !human.stdout.contains("members of team"),
        "{}",
        human.stdout
    );
    // With the owner's approval (a review, or a trailer in the range), it passes.
    assert_eq!(
        verdict(&s, &["notes..HEAD", "--approver", "ana"]),
        (0, vec![])
    );
    s.commit_as(
        BOB,
        "Record the approval\n\nApproved-by: Ana Lopez <ana@example.com>",
    );
    assert_eq!(verdict(&s, &["notes..HEAD"]), (0, vec![]));
    // Another approver does not do: the team's lead is Ana, a member is not enough.
    let (code, _) = verdict(&s, &["notes..HEAD~1", "--approver", "bob"]);
    assert_eq!(code, 1);
}

#[test]
fn the_manifest_owner_loosening_the_policy_is_not_their_own_sign_off() {
    skip_without!("git");
    let s = base();
    // Ana owns the manifest's area: her own change to it needs nobody...
    s.edit("opmodel.toml", "root = \"ops\"", "root = \"ops\"  # here");
    s.commit_as(ANA, "A comment");
    s.tag("comment");
    assert_eq!(verdict(&s, &["base..comment"]), (0, vec![]));
    // ... but a loosening is an error-level drift, and four eyes hand its sign-off to her manager.
    s.append("opmodel.toml", "\n[rules]\nunapproved-change = \"off\"\n");
    s.commit_as(ANA, "Quieter audits");
    let (code, findings) = verdict(&s, &["comment..HEAD"]);
    assert_eq!(code, 1, "{findings:#?}");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert!(
        findings[0].starts_with("unapproved-drift manifest opmodel.toml: ")
            && findings[0].contains("Dana Chief (ceo)"),
        "{findings:#?}"
    );
    assert_eq!(
        verdict(&s, &["comment..HEAD", "--approver", "ana"]).0,
        1,
        "the author's own approval is not the sign-off"
    );
    assert_eq!(
        verdict(&s, &["comment..HEAD", "--approver", "ceo"]),
        (0, vec![])
    );
}

//! `opmodel audit`: scenario repositories built commit by commit with the git binary (fixed dates and identities,
//! so commit ids and snapshots are stable), audited through the real binary.
//!
//! The model at base: Ana owns billing (team payments: Ana, who leads it, and Bea) and the model files; Bob is an
//! outsider whose manager is Ana; Carl (CFO) and Dana (CEO) approve the irreversible pricing decision.

use std::path::Path;

use serde_json::Value;

mod support;
use support::{skip_without, Opmodel, Repo, Run, Who, ANA, HOUR};

const MANIFEST: &str = r#"[model]
version = 1
root = "ops"

[ownership]
required = ["**"]
ignore = ["*.md", "LICENSE"]

[approvals]
trailers = ["Approved-by", "Reviewed-by"]
"#;

const PEOPLE: &str = r#"[[person]]
id = "ana"
name = "Ana Lopez"
email = ["ana@example.com", "ana.lopez@corp.example"]
github = "ana-l"
team = "payments"

[[person]]
id = "bea"
name = "Bea Kim"
email = "bea@example.com"

[[person]]
id = "bob"
name = "Bob Stone"
email = "bob@example.com"
manager = "ana"

[[person]]
id = "cfo"
name = "Carl Fo"
email = "carl@example.com"
github = "carlfo"

[[person]]
id = "ceo"
name = "Dana Chief"
email = "dana@example.com"

[[team]]
id = "payments"
name = "Payments"
lead = "ana"
members = ["bea"]
"#;

const AREAS: &str = r#"[[area]]
id = "billing"
title = "Billing"
owner = "ana"
team = "payments"
paths = ["/src/billing/"]

[[area]]
id = "model"
title = "The operating model"
owner = "ana"
paths = ["/ops/", "/opmodel.toml"]
"#;

const DECISIONS: &str = r#"[[decision]]
id = "pricing"
title = "Approve a non-standard price for one deal"
owner = "ana"
reversible = false
approvers = ["cfo", "ceo"]
sla = "2d"
"#;

const BEA: Who = ("Bea Kim", "bea@example.com");
const BOB: Who = ("Bob Stone", "bob@example.com");

/// An empty repository whose commits are an hour apart.
fn empty() -> Repo {
    Repo::new().dated(1_750_000_000, HOUR)
}

/// The model at base, committed by Ana and tagged `base`.
fn base() -> Repo {
    let s = empty();
    s.write("opmodel.toml", MANIFEST);
    s.write("ops/people.toml", PEOPLE);
    s.write("ops/areas.toml", AREAS);
    s.write("ops/decisions.toml", DECISIONS);
    s.write("src/billing/charge.rs", "fn charge() {}\n");
    s.write("README.md", "# Northwind\n");
    s.commit_as(ANA, "The model at base");
    s.tag("base");
    s
}

impl Repo {
    fn audit(&self, args: &[&str]) -> Run {
        audit_in(&self.root, args)
    }
}

fn audit_in(dir: &Path, args: &[&str]) -> Run {
    Opmodel::new(dir).arg("audit").args(args).run()
}

fn json(s: &Repo, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let run = s.audit(&all);
    assert!(
        run.code == 0 || run.code == 1,
        "{}{}",
        run.stdout,
        run.stderr
    );
    serde_json::from_str(&run.stdout).expect("the JSON report parses")
}

/// `rule path-or-entity` for each finding, in report order.
fn findings(doc: &Value) -> Vec<String> {
    doc["findings"]
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
            format!("{} {what}", f["rule"].as_str().unwrap())
        })
        .collect()
}

fn snapshot(name: &str, text: &str) {
    insta::with_settings!({ omit_expression => true, prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(name, text);
    });
}

fn assert_clean(run: &Run) {
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains(": no findings\n"), "{}", run.stdout);
}

#[test]
fn the_owner_may_change_what_they_own() {
    skip_without!("git");
    let s = base();
    s.append("src/billing/charge.rs", "// retry twice\n");
    s.commit_as(ANA, "Retry card payments twice");
    let run = s.audit(&["base..HEAD"]);
    assert_clean(&run);
    snapshot("audit__owner_authored", &run.stdout);
}

#[test]
fn a_member_of_the_area_team_may_change_it() {
    skip_without!("git");
    let s = base();
    s.append("src/billing/charge.rs", "// bea\n");
    s.commit_as(BEA, "Log declined cards");
    assert_clean(&s.audit(&["base..HEAD"]));
}

#[test]
fn a_change_by_someone_else_without_approval_is_reported() {
    skip_without!("git");
    let s = base();
    s.append("src/billing/charge.rs", "// bob\n");
    s.commit_as(BOB, "Tune the retry policy");
    let run = s.audit(&["base..HEAD"]);
    assert_eq!(run.code, 1);
    snapshot("audit__unapproved_change", &run.stdout);
    let doc = json(&s, &["base..HEAD"]);
    assert_eq!(findings(&doc), ["unapproved-change src/billing/charge.rs"]);
    let f = &doc["findings"][0];
    assert_eq!(f["commit"]["author_email"], "bob@example.com");
    assert_eq!(f["commit"]["subject"], "Tune the retry policy");
    assert_eq!(f["change"], "modified");
    assert_eq!(f["approvers"][0]["id"], "ana");
    assert_eq!(f["approvers"][0]["name"], "Ana Lopez");
    assert_eq!(f["file"], "src/billing/charge.rs");
    assert_eq!(f["related"][0]["file"], "ops/areas.toml");
    assert_eq!(f["related"][0]["line"], 6);
    assert_eq!(doc["command"], "audit");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["summary"]["commits"], 1);
    assert_eq!(doc["summary"]["errors"], 1);
}

#[test]
fn an_approval_trailer_by_email_login_or_id_approves() {
    skip_without!("git");
    for trailer in [
        "Approved-by: Ana Lopez <ANA.Lopez@corp.example>",
        "approved-by: @Ana-L",
        "Reviewed-by: ana",
    ] {
        let s = base();
        s.append("src/billing/charge.rs", "// bob\n");
        s.commit_as(
            BOB,
            &format!("Tune the retry policy\n\nBecause.\n\n{trailer}\n"),
        );
        assert_clean(&s.audit(&["base..HEAD"]));
    }
}

#[test]
fn an_approval_anywhere_in_the_range_counts() {
    skip_without!("git");
    let s = base();
    s.append("src/billing/charge.rs", "// bob\n");
    s.commit_as(BOB, "Tune the retry policy");
    s.commit_as(BOB, "Record the review\n\nApproved-by: ana\n");
    assert_clean(&s.audit(&["base..HEAD"]));
}

#[test]
fn an_approver_on_the_command_line_approves() {
    skip_without!("git");
    for approver in ["ana", "ANA@example.com", "@ana-l"] {
        let s = base();
        s.append("src/billing/charge.rs", "// bob\n");
        s.commit_as(BOB, "Tune the retry policy");
        assert_clean(&s.audit(&["base..HEAD", "--approver", approver]));
    }
    let s = base();
    s.append("src/billing/charge.rs", "// bob\n");
    s.commit_as(BOB, "Tune the retry policy");
    let run = s.audit(&["base..HEAD", "--approver", "@nobody", "--approver", "cfo"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "note: --approver @nobody names nobody in the model at base: it approves nothing"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_trailer_from_someone_who_is_not_the_owner_does_not_count() {
    skip_without!("git");
    let s = base();
    s.append("src/billing/charge.rs", "// bob\n");
    s.commit_as(
        BOB,
        "Tune the retry policy\n\nApproved-by: Carl Fo <carl@example.com>\nAcked-by: ana\n",
    );
    let run = s.audit(&["base..HEAD"]);
    assert_eq!(run.code, 1);
    let doc = json(&s, &["base..HEAD"]);
    assert_eq!(findings(&doc), ["unapproved-change src/billing/charge.rs"]);
}

#[test]
fn a_change_cannot_grant_itself_approval() {
    skip_without!("git");
    let s = base();
    // Bob joins the team, makes himself owner of billing, and configures the audit away, in the range...
    s.edit(
        "ops/people.toml",
        "members = [\"bea\"]",
        "members = [\"bea\", \"bob\"]",
    );
    s.edit(
        "ops/areas.toml",
        "owner = \"ana\"\nteam",
        "owner = \"bob\"\nteam",
    );
    s.append("opmodel.toml", "\n[rules]\nunapproved-change = \"off\"\n");
    s.commit_as(BOB, "Join payments and take over billing");
    // ... then changes billing: judged by the model at base, where he is none of that.
    s.append("src/billing/charge.rs", "// bob\n");
    s.commit_as(BOB, "Tune the retry policy");
    let run = s.audit(&["base..HEAD"]);
    assert_eq!(run.code, 1);
    snapshot("audit__no_self_granted_approval", &run.stdout);
    let doc = json(&s, &["base..HEAD"]);
    assert_eq!(
        findings(&doc),
        [
            "unapproved-change opmodel.toml",
            "unapproved-change team payments",
            "unapproved-change area billing",
            "unapproved-change src/billing/charge.rs",
            "unapproved-drift area billing",
            "unapproved-drift manifest opmodel.toml",
        ]
    );
}

#[test]
fn a_rename_is_a_deletion_and_an_addition_both_judged() {
    skip_without!("git");
    let s = base();
    std::fs::create_dir_all(s.root.join("src/payments")).unwrap();
    s.git(&["mv", "src/billing/charge.rs", "src/payments/charge.rs"]);
    s.commit_staged(BOB, "Move charging out of billing");
    let run = s.audit(&["base..HEAD"]);
    assert_eq!(run.code, 1);
    snapshot("audit__rename", &run.stdout);
    let doc = json(&s, &["base..HEAD"]);
    assert_eq!(
        findings(&doc),
        [
            "unapproved-change src/billing/charge.rs",
            "unowned-change src/payments/charge.rs"
        ]
    );
    assert_eq!(doc["findings"][0]["change"], "deleted");
    assert_eq!(doc["findings"][1]["change"], "added");
}

#[test]
fn a_deletion_is_judged() {
    skip_without!("git");
    let s = base();
    s.remove("src/billing/charge.rs");
    s.commit_as(BOB, "Remove charging");
    let doc = json(&s, &["base..HEAD"]);
    assert_eq!(findings(&doc), ["unapproved-change src/billing/charge.rs"]);
    let message = doc["findings"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("deletes src/billing/charge.rs"),
        "{message}"
    );
}

/// main: base -> (Ana merges feature); feature: Bob changes billing.
fn merged_side_branch() -> Repo {
    let s = base();
    s.branch("feature");
    s.append("src/billing/charge.rs", "// bob\n");
    s.commit_as(BOB, "Tune the retry policy");
    s.checkout("main");
    s.append("README.md", "More.\n");
    s.commit_as(ANA, "Document billing");
    s.merge_as(ANA, "feature", "Merge the retry policy");
    s
}

#[test]
fn merge_commits_are_skipped_and_their_side_branch_judged() {
    skip_without!("git");
    let s = merged_side_branch();
    let run = s.audit(&["base..HEAD"]);
    assert_eq!(run.code, 1);
    snapshot("audit__merge_without_first_parent", &run.stdout);
    let doc = json(&s, &["base..HEAD"]);
    assert_eq!(findings(&doc), ["unapproved-change src/billing/charge.rs"]);
    assert_eq!(doc["summary"]["commits"], 3);
    assert_eq!(doc["summary"]["merges_skipped"], 1);
    assert_eq!(
        doc["findings"][0]["commit"]["subject"],
        "Tune the retry policy"
    );
}

#[test]
fn with_first_parent_a_merge_is_judged_by_what_it_brings() {
    skip_without!("git");
    let s = merged_side_branch();
    // Ana merged it: the owner brought the change in.
    let run = s.audit(&["base..HEAD", "--first-parent"]);
    assert_clean(&run);
    assert!(
        run.stdout
            .starts_with("audit of 2 commits (first parents only) from base"),
        "{}",
        run.stdout
    );
    let doc = json(&s, &["base..HEAD", "--first-parent"]);
    assert_eq!(doc["summary"]["commits"], 2);
    assert_eq!(doc["summary"]["merges_skipped"], 0);
    assert_eq!(
        doc["summary"]["paths_changed"], 2,
        "README.md, then the merge's src/billing/charge.rs"
    );
    assert_eq!(doc["range"]["first_parent"], true);

    // Merged by someone else, the merge itself is the unapproved change.
    let s = base();
    s.branch("feature");
    s.append("src/billing/charge.rs", "// ana\n");
    s.commit_as(ANA, "Tune the retry policy");
    s.checkout("main");
    s.append("README.md", "More.\n");
    s.commit_as(ANA, "Document billing");
    s.merge_as(BOB, "feature", "Merge the retry policy");
    assert_clean(&s.audit(&["base..HEAD"]));
    let doc = json(&s, &["base..HEAD", "--first-parent"]);
    assert_eq!(findings(&doc), ["unapproved-change src/billing/charge.rs"]);
    assert_eq!(
        doc["findings"][0]["commit"]["subject"],
        "Merge the retry policy"
    );
}

#[cfg(unix)]
#[test]
fn a_path_that_is_not_utf8_is_judged_and_shown_escaped() {
    skip_without!("git");
    use std::os::unix::ffi::OsStrExt;
    let s = base();
    let name = std::ffi::OsStr::from_bytes(b"src/billing/caf\xe9.rs");
    std::fs::write(s.root.join(name), "x\n").unwrap();
    let other = std::ffi::OsStr::from_bytes(b"tools/\xff\xfe.sh");
    std::fs::create_dir_all(s.root.join("tools")).unwrap();
    std::fs::write(s.root.join(other), "x\n").unwrap();
    s.commit_as(BOB, "Add odd names");
    let doc = json(&s, &["base..HEAD"]);
    assert_eq!(
        findings(&doc),
        [
            "unapproved-change src/billing/caf\\xe9.rs",
            "unowned-change tools/\\xff\\xfe.sh"
        ]
    );
    let run = s.audit(&["base..HEAD"]);
    assert!(
        run.stdout.contains("adds src/billing/caf\\xe9.rs without"),
        "{}",
        run.stdout
    );

    // A name that is literally `\xff\xfe.sh` is not shown like the bytes: its backslashes are doubled, the same
    // way in audit and in check (one escaping for every command).
    std::fs::write(s.root.join("tools/\\xff\\xfe.sh"), "x\n").unwrap();
    s.commit_as(BOB, "A name with backslashes");
    let doc = json(&s, &["HEAD~1..HEAD"]);
    assert_eq!(findings(&doc), ["unowned-change tools/\\\\xff\\\\xfe.sh"]);
    let check = s.opmodel(&["check", "--format", "json"]);
    let text = check.stdout;
    assert!(text.contains(r#"tools/\\xff\\xfe.sh"#), "{text}");
    assert!(text.contains(r#"tools/\\\\xff\\\\xfe.sh"#), "{text}");
}

#[test]
fn a_submodule_change_is_judged_by_its_path() {
    skip_without!("git");
    let s = base();
    let commit = "1234567890abcdef1234567890abcdef12345678";
    s.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{commit},vendor/sub"),
    ]);
    s.git(&[
        "update-index",
        "--add",
        "--cacheinfo",
        &format!("160000,{commit},src/billing/sub"),
    ]);
    s.commit_staged(BOB, "Vendor a library");
    let doc = json(&s, &["base..HEAD"]);
    assert_eq!(
        findings(&doc),
        [
            "unapproved-change src/billing/sub",
            "unowned-change vendor/sub"
        ]
    );
}

#[test]
fn a_commit_that_only_touches_ignored_paths_is_clean() {
    skip_without!("git");
    let s = base();
    s.append("README.md", "Bob was here.\n");
    s.write("LICENSE", "MIT\n");
    s.write("docs/guide.md", "# Guide\n");
    s.commit_as(BOB, "Docs");
    let run = s.audit(&["base..HEAD"]);
    assert_clean(&run);
    assert!(
        run.stdout
            .contains("1 commit scanned, 3 paths changed: no findings"),
        "{}",
        run.stdout
    );
}

#[test]
fn model_files_are_judged_entity_by_entity() {
    skip_without!("git");
    let s = base();
    // Bob edits his own entry (his to change), reformats the areas (no change), and adds a decision (judged by
    // the area that owns the model files).
    s.edit(
        "ops/people.toml",
        "name = \"Bob Stone\"",
        "name = \"Robert Stone\"",
    );
    s.edit(
        "ops/areas.toml",
        "title = \"Billing\"",
        "title   =   'Billing'   # reformatted",
    );
    s.write(
        "ops/new.toml",
        "[[decision]]\nid = \"refunds\"\ntitle = \"Refund above the limit\"\nowner = \"bob\"\nreversible = true\n",
    );
    s.commit_as(BOB, "Model tweaks");
    let doc = json(&s, &["base..HEAD"]);
    assert_eq!(findings(&doc), ["unapproved-change decision refunds"]);
    assert_eq!(doc["summary"]["entities_changed"], 2);
    let f = &doc["findings"][0];
    assert_eq!(f["path"], "ops/new.toml");
    assert_eq!(f["approvers"][0]["id"], "ana");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("not in the model at base"),
        "{f}"
    );

    // Moving an entity between files unchanged is no change; editing someone else's entry is.
    let s = base();
    s.edit("ops/decisions.toml", DECISIONS, "");
    s.append("ops/areas.toml", &format!("\n{DECISIONS}"));
    s.edit(
        "ops/people.toml",
        "name = \"Carl Fo\"",
        "name = \"Carl Fox\"",
    );
    s.commit_as(BOB, "Move pricing next to the areas");
    let doc = json(&s, &["base..HEAD"]);
    assert_eq!(findings(&doc), ["unapproved-change person cfo"]);
    // A person's entry is theirs and their manager's: Ana, as Bob's manager, may change Bob's.
    let s = base();
    s.edit(
        "ops/people.toml",
        "name = \"Bob Stone\"",
        "name = \"Robert Stone\"",
    );
    s.commit_as(ANA, "Bob's full name");
    assert_clean(&s.audit(&["base..HEAD"]));
}

#[test]
fn a_model_file_that_does_not_parse_is_judged_as_a_path() {
    skip_without!("git");
    let s = base();
    s.append("ops/decisions.toml", "[[decision\n");
    s.commit_as(BOB, "Break the model");
    let doc = json(&s, &["base..HEAD"]);
    assert_eq!(
        findings(&doc),
        ["unapproved-change ops/decisions.toml"],
        "no drift for the unreadable file's entities"
    );
    let notes = doc["notes"].to_string();
    assert!(notes.contains("ops/decisions.toml at HEAD"), "{notes}");
}

#[test]
fn an_irreversible_decision_needs_all_of_its_approvers() {
    skip_without!("git");
    // A tighter SLA: a change to a one-way door, which Ana (its owner, with nobody above her) may make, but its
    // approvers must sign; a looser one would need a sign-off she cannot give herself (four eyes).
    let edit = |trailers: &str| {
        let s = base();
        s.edit("ops/decisions.toml", "sla = \"2d\"", "sla = \"1d\"");
        s.commit_as(
            ANA,
            &format!("Give pricing exceptions one day\n\n{trailers}"),
        );
        s
    };
    let s = edit("Approved-by: Carl Fo <carl@example.com>\n");
    let run = s.audit(&["base..HEAD"]);
    assert_eq!(run.code, 1);
    snapshot("audit__irreversible_without_all_approvers", &run.stdout);
    let doc = json(&s, &["base..HEAD"]);
    assert_eq!(findings(&doc), ["unapproved-drift decision pricing"]);
    let f = &doc["findings"][0];
    assert_eq!(
        f["approvers"].as_array().unwrap().len(),
        1,
        "only Dana is missing: {f}"
    );
    assert_eq!(f["approvers"][0]["id"], "ceo");
    assert_eq!(f["commit"]["subject"], "Give pricing exceptions one day");
    assert_eq!(
        doc["summary"]["drifts_needing_signoff"], 1,
        "irreversible-changed"
    );

    let s = edit("Approved-by: Carl Fo <carl@example.com>\nApproved-by: @carlfo\nApproved-by: Dana <DANA@example.com>\n");
    assert_clean(&s.audit(&["base..HEAD"]));
    let s = edit("");
    assert_clean(&s.audit(&["base..HEAD", "--approver", "cfo", "--approver", "ceo"]));
}

#[test]
fn levels_come_from_the_rules_at_base() {
    skip_without!("git");
    let s = empty();
    s.write(
        "opmodel.toml",
        &format!("{MANIFEST}\n[rules]\nunowned-change = \"warn\"\n"),
    );
    s.write("ops/people.toml", PEOPLE);
    s.write("ops/areas.toml", AREAS);
    s.commit_as(ANA, "The model at base");
    s.tag("base");
    s.write("infra/deploy.sh", "deploy\n");
    s.commit_as(ANA, "Deploy script");
    let run = s.audit(&["base..HEAD"]);
    assert_eq!(
        run.code, 0,
        "a warning does not fail by default: {}",
        run.stdout
    );
    assert!(run.stdout.contains(": 1 warning\n"), "{}", run.stdout);
    assert_eq!(s.audit(&["base..HEAD", "--fail-on", "warn"]).code, 1);
    assert_eq!(s.audit(&["base..HEAD", "--fail-on", "never"]).code, 0);
}

#[test]
fn the_default_range_starts_at_the_merge_base_with_the_default_branch() {
    skip_without!("git");
    let s = base();
    s.branch("topic");
    s.append("src/billing/charge.rs", "// bob\n");
    s.commit_as(BOB, "Tune the retry policy");
    let run = s.audit(&[]);
    assert_eq!(run.code, 1);
    let base = s.git(&["rev-parse", "--short=7", "base"]);
    assert!(
        run.stdout.starts_with(&format!(
            "audit of 1 commit from {base} to HEAD ({})\nnote: base: the merge-base of HEAD and main ({base})\n",
            s.git(&["rev-parse", "--short=7", "HEAD"])
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn markdown_for_a_pull_request_comment() {
    skip_without!("git");
    let s = base();
    s.append("src/billing/charge.rs", "// bob | `x`\n");
    s.append("src/billing/refund.rs", "// bob\n");
    s.write("infra/deploy.sh", "deploy\n");
    s.commit_as(BOB, "Tune the <retry> policy | *now*");
    s.edit("ops/decisions.toml", "sla = \"2d\"", "sla = \"5d\"");
    s.commit_as(
        ANA,
        "Give pricing exceptions five days\n\nApproved-by: cfo\n",
    );
    let run = s.audit(&["base..HEAD", "--format", "markdown"]);
    assert_eq!(run.code, 1);
    snapshot("audit__markdown", &run.stdout);
    // It starts with who must sign off, each once.
    let md = &run.stdout;
    let rollup = md.find("### Sign-off needed from").expect("a roll-up");
    let details = md.find("\n| level |").expect("details");
    assert!(rollup < details, "{md}");
    assert!(
        md[..rollup].lines().filter(|l| !l.is_empty()).count() == 1,
        "only the title comes before the roll-up:\n{md}"
    );
    let section = &md[rollup..md[rollup..].find("\n\n2 commits").unwrap() + rollup];
    // Ana once, with both files; the decision's approvers once each, with the drift they must sign off.
    assert_eq!(
        section.matches("**Ana Lopez (ana)**").count(),
        1,
        "{section}"
    );
    assert!(
        section.contains("`src/billing/charge.rs`") && section.contains("`src/billing/refund.rs`")
    );
    assert_eq!(
        section.matches("**Dana Chief (ceo)**").count(),
        1,
        "{section}"
    );
    assert!(
        section.contains("`irreversible-changed` on decision `pricing`"),
        "{section}"
    );
    // No mention: the comment notifies nobody (the Action requests the reviews).
    assert!(!section.contains('@'), "{section}");
    // Approvers are not repeated in the tables.
    assert!(!md[details..].contains("who could approve"), "{md}");
    // How to approve names people of the model, with their real login.
    let how = &md[md.find("How to approve").unwrap()..];
    assert!(how.contains("`Approved-by: @ana-l`"), "{how}");
    assert!(!how.contains("ana-lopez"), "{how}");
}

#[test]
fn a_large_audit_fits_a_comment_and_says_what_it_left_out() {
    skip_without!("git");
    let s = empty();
    let people = 1500;
    s.write("opmodel.toml", MANIFEST);
    // Each person owns a decision; at head each decision moves to the next person (a drift that needs sign-off).
    let model = |shift: usize| {
        let mut model = String::new();
        for i in 0..people {
            let owner = (i + shift) % people;
            model.push_str(&format!(
                "[[person]]\nid = \"p{i}\"\nname = \"Person {i}\"\nemail = \"p{i}@example.com\"\n\n\
                 [[decision]]\nid = \"d{i}\"\ntitle = \"Decision {i}\"\nowner = \"p{owner}\"\n\n"
            ));
        }
        model
    };
    s.write("ops/model.toml", &model(0));
    s.write("ops/areas.toml", AREAS);
    s.commit_as(ANA, "The model at base");
    s.tag("base");
    s.write("ops/model.toml", &model(1));
    for i in 0..2000 {
        s.write(&format!("infra/f{i}.sh"), "x\n");
    }
    s.commit_as(BOB, "Change everything");
    let run = s.audit(&["base..HEAD", "--format", "markdown"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let md = &run.stdout;
    assert!(
        md.chars().count() <= 65_536,
        "{} characters",
        md.chars().count()
    );
    assert!(md.len() <= 1 << 20);
    let title_end = md.find('\n').unwrap();
    assert!(
        md[title_end..]
            .trim_start()
            .starts_with("### Sign-off needed from"),
        "{}",
        &md[..500]
    );
    assert!(
        md.contains(" more: `opmodel audit` lists them all"),
        "signers left out are counted"
    );
    assert!(
        md.contains(", and 1980 more"),
        "the unowned files left out are counted"
    );
    assert!(md.contains("more not shown"), "rows left out are counted");
    assert!(md.contains("How to approve"));
    let diff = Opmodel::new(&s.root)
        .args(["diff", "base", "HEAD", "--format", "markdown"])
        .run();
    assert!(
        diff.stdout.chars().count() <= 65_536,
        "{} characters",
        diff.stdout.chars().count()
    );
    assert!(diff.stdout.contains("#### Sign-off needed from"));
    assert!(diff.stdout.contains(" more: `opmodel diff` lists them all"));
}

#[test]
fn a_path_change_points_at_the_changed_file_and_the_base_decides_as_related() {
    skip_without!("git");
    let s = base();
    s.append("src/billing/charge.rs", "// bob\n");
    s.commit_as(BOB, "Tune the retry policy");
    let run = s.audit(&["base..HEAD", "--format", "github"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .starts_with("::error file=src/billing/charge.rs,line=1,"),
        "{}",
        run.stdout
    );
    let run = s.audit(&["base..HEAD", "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&run.stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "unapproved-change");
    let primary = &result["locations"][0]["physicalLocation"];
    assert_eq!(primary["artifactLocation"]["uri"], "src/billing/charge.rs");
    assert_eq!(primary["region"]["startLine"], 1);
    // The area that owns the path at base: `paths = ["/src/billing/"]`, line 6 of ops/areas.toml.
    let related = &result["relatedLocations"][0];
    assert_eq!(
        related["physicalLocation"]["artifactLocation"]["uri"],
        "ops/areas.toml"
    );
    assert_eq!(related["physicalLocation"]["region"]["startLine"], 6);
    assert!(related["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("decided here at base: area \"billing\" owns it"));
    let doc = json(&s, &["base..HEAD"]);
    let finding = &doc["findings"][0];
    assert_eq!(finding["file"], "src/billing/charge.rs");
    assert_eq!(finding["line"], Value::Null, "the whole file");
    assert_eq!(finding["related"][0]["file"], "ops/areas.toml");
    assert_eq!(finding["related"][0]["line"], 6);
}

/// The finding of `rule` about the entity `id` in an audit's JSON.
fn finding_about<'d>(doc: &'d Value, rule: &str, id: &str) -> &'d Value {
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == rule && f["entity"]["id"] == id)
        .unwrap_or_else(|| panic!("no {rule} about {id}: {doc:#}"))
}

#[test]
fn an_entity_moved_to_another_line_at_head_is_shown_on_its_line_at_head() {
    skip_without!("git");
    let s = base();
    // Two decisions before "pricing": it moves from line 1 to line 11 of ops/decisions.toml.
    s.write(
        "ops/decisions.toml",
        &format!(
            "[[decision]]\nid = \"refunds\"\ntitle = \"Refund a customer\"\nowner = \"bob\"\n\n\
             [[decision]]\nid = \"credits\"\ntitle = \"Grant a credit\"\nowner = \"bob\"\n\n{}",
            DECISIONS.replace("for one deal", "for one large deal")
        ),
    );
    s.commit_as(BOB, "Reword pricing, add refunds and credits");
    let doc = json(&s, &["base..HEAD"]);
    let finding = finding_about(&doc, "unapproved-change", "pricing");
    assert_eq!(finding["file"], "ops/decisions.toml");
    assert_eq!(finding["line"], 11, "{finding:#}");
    // Decided by `owner = "ana"`, line 4 at base.
    assert_eq!(finding["related"][0]["file"], "ops/decisions.toml");
    assert_eq!(finding["related"][0]["line"], 4);
    assert!(finding["related"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("decided here at base"));
    let run = s.audit(&["base..HEAD", "--format", "github"]);
    assert!(
        run.stdout.lines().any(
            |l| l.starts_with("::error file=ops/decisions.toml,line=11,") && l.contains("pricing")
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn an_entity_removed_with_its_file_is_shown_on_the_manifest_at_head() {
    skip_without!("git");
    let s = base();
    s.write(
        "ops/extra.toml",
        "# Extra decisions\n\n[[decision]]\nid = \"refunds\"\ntitle = \"Refund a customer\"\nowner = \"ana\"\n",
    );
    s.commit_as(ANA, "Add refunds");
    s.tag("with-refunds");
    s.remove("ops/extra.toml");
    s.commit_as(BOB, "Drop refunds");
    let doc = json(&s, &["with-refunds..HEAD"]);
    let finding = finding_about(&doc, "unapproved-change", "refunds");
    assert_eq!(finding["file"], "opmodel.toml", "{finding:#}");
    assert_eq!(finding["line"], Value::Null);
    // Decided by `owner = "ana"`, line 6 of the file at base.
    assert_eq!(finding["related"][0]["file"], "ops/extra.toml");
    assert_eq!(finding["related"][0]["line"], 6);
    let run = s.audit(&["with-refunds..HEAD", "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&run.stdout).unwrap();
    for result in sarif["runs"][0]["results"].as_array().unwrap() {
        assert_eq!(
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "opmodel.toml",
            "{result:#}"
        );
    }
}

#[test]
fn a_shallow_clone_without_the_base_says_to_fetch_all_history() {
    skip_without!("git");
    let s = base();
    for i in 0..3 {
        s.append("src/billing/charge.rs", &format!("// {i}\n"));
        s.commit_as(ANA, &format!("Change {i}"));
    }
    let clone = s.root.parent().unwrap().join("shallow");
    let url = format!("file://{}", s.root.display());
    s.git(&["clone", "-q", "--depth", "1", &url, clone.to_str().unwrap()]);
    let run = audit_in(&clone, &["HEAD~2..HEAD"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
    let base = s.git(&["rev-parse", "base"]);
    let run = audit_in(&clone, &[&format!("{base}..HEAD")]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
}

#[test]
fn an_empty_range_is_not_an_error() {
    skip_without!("git");
    let s = base();
    let run = s.audit(&["HEAD..HEAD"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let head = s.git(&["rev-parse", "--short=7", "HEAD"]);
    assert_eq!(
        run.stdout,
        format!("note: no commits between HEAD ({head}) and HEAD ({head}): nothing to audit\n")
    );
    let doc = json(&s, &["HEAD..HEAD"]);
    assert_eq!(doc["summary"]["commits"], 0);
    assert_eq!(doc["findings"], Value::Array(vec![]));
}

#[test]
fn an_unknown_revision_is_an_error_with_suggestions() {
    skip_without!("git");
    let s = base();
    let run = s.audit(&["mian..HEAD"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("unknown revision `mian`; did you mean `main`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn outside_a_repository_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let run = audit_in(dir.path(), &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not a git repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_base_without_the_manifest_is_an_error() {
    skip_without!("git");
    let s = empty();
    s.write("src/a.rs", "a\n");
    s.commit_as(ANA, "Before opmodel");
    s.tag("base");
    s.write("opmodel.toml", MANIFEST);
    s.write("ops/people.toml", PEOPLE);
    s.commit_as(ANA, "Adopt opmodel");
    let run = s.audit(&["base..HEAD"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("has no opmodel.toml"), "{}", run.stderr);
    assert!(
        run.stderr.contains("read from the base of the range"),
        "{}",
        run.stderr
    );
}

/// docs/output.md shows the JSON of `a_change_by_someone_else_without_approval_is_reported`: its fields are real
/// (long values there are elided with `…`).
#[test]
fn the_json_example_in_output_md_is_real() {
    skip_without!("git");
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/output.md")).unwrap();
    let block = text
        .split("```json\n")
        .filter(|b| b.contains("\"command\": \"audit\""))
        .map(|b| &b[..b.find("```\n").unwrap()])
        .next()
        .expect("docs/output.md shows the audit's JSON");
    let shown: Value = serde_json::from_str(block).expect("the example is JSON");

    let s = base();
    s.append("src/billing/charge.rs", "// bob\n");
    s.commit_as(BOB, "Tune the retry policy");
    let actual = json(&s, &["base..HEAD"]);

    fn keys(v: &Value) -> Vec<&String> {
        v.as_object().unwrap().keys().collect()
    }
    assert_eq!(keys(&shown), keys(&actual));
    assert_eq!(keys(&shown["findings"][0]), keys(&actual["findings"][0]));
    assert_eq!(
        keys(&shown["findings"][0]["commit"]),
        keys(&actual["findings"][0]["commit"])
    );
    for field in ["command", "notes", "summary"] {
        assert_eq!(shown[field], actual[field], "{field}");
    }
    assert_eq!(
        shown["range"]["base"]["label"],
        actual["range"]["base"]["label"]
    );
    assert_eq!(
        shown["range"]["head"]["label"],
        actual["range"]["head"]["label"]
    );
    let (shown, actual) = (&shown["findings"][0], &actual["findings"][0]);
    for field in [
        "rule",
        "level",
        "message",
        "change",
        "path",
        "entity",
        "approvers",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "span",
        "label",
        "related",
    ] {
        assert_eq!(shown[field], actual[field], "findings[0].{field}");
    }
    for field in ["short_id", "author_name", "author_email", "subject"] {
        assert_eq!(
            shown["commit"][field], actual["commit"][field],
            "findings[0].commit.{field}"
        );
    }
    let help = shown["help"].as_str().unwrap().trim_end_matches('…');
    assert!(actual["help"].as_str().unwrap().starts_with(help));
}

/// A long range: a progress bar on a terminal's standard error (here through `script`, which gives the command a
/// terminal), never when standard error is piped or `CI` is set.
#[test]
fn progress_is_drawn_only_on_a_terminal_outside_ci() {
    skip_without!("git");
    let s = base();
    // 600 commits by Ana, fast: one fast-import stream.
    let mut stream = String::new();
    let mut clock = s.now();
    for i in 0..600 {
        clock += 60;
        let text = format!("// {i}\n");
        stream.push_str(&format!(
            "commit refs/heads/main\ncommitter Ana Lopez <ana@example.com> {clock} +0000\n\
             data 7\nchange\n{}M 100644 inline src/billing/charge.rs\ndata {}\n{text}\n",
            if i == 0 {
                "from refs/heads/main^0\n"
            } else {
                ""
            },
            text.len()
        ));
    }
    s.git_with_stdin(&["fast-import", "--quiet"], &stream);
    s.git(&["reset", "-q", "--hard", "main"]);

    let piped = s.audit(&["base..HEAD"]);
    assert_eq!(piped.code, 0, "{}{}", piped.stdout, piped.stderr);
    assert!(
        piped.stdout.contains("600 commits scanned"),
        "{}",
        piped.stdout
    );
    assert_eq!(piped.stderr, "", "nothing on a piped standard error");

    // The terminal half needs `script` (util-linux).
    skip_without!("script");
    let on_terminal = |ci: bool| support::on_terminal(&s.root, "audit base..HEAD", ci);
    let drawn = on_terminal(false);
    assert!(drawn.contains("600/600 commits"), "{drawn:?}");
    assert!(
        drawn.ends_with("\r\x1b[2K"),
        "the bar is cleared: {drawn:?}"
    );
    assert_eq!(on_terminal(true), "", "no bar in CI");
}

/// With the manifest in a subfolder, paths are judged relative to it, and only the paths under it.
#[test]
fn a_manifest_in_a_subfolder_judges_the_paths_under_it() {
    skip_without!("git");
    let s = empty();
    for (path, text) in [
        ("opmodel.toml", MANIFEST),
        ("ops/people.toml", PEOPLE),
        ("ops/areas.toml", AREAS),
        ("src/billing/charge.rs", "fn charge() {}\n"),
    ] {
        s.write(&format!("company/{path}"), text);
    }
    s.write("elsewhere/tool.sh", "x\n");
    s.commit_as(ANA, "The model at base, in a subfolder");
    s.tag("base");
    s.append("company/src/billing/charge.rs", "// bob\n");
    s.append("elsewhere/tool.sh", "y\n");
    s.commit_as(BOB, "Tune the retry policy");
    let company = s.root.join("company");
    let run = audit_in(&company, &["base..HEAD", "--format", "json"]);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(findings(&doc), ["unapproved-change src/billing/charge.rs"]);
    assert_eq!(doc["summary"]["paths_changed"], 1);
    let run = audit_in(&company, &["base..HEAD", "--format", "github"]);
    assert!(
        run.stdout
            .starts_with("::error file=company/src/billing/charge.rs,line=1,"),
        "{}",
        run.stdout
    );
}

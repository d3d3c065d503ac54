//! `-q/--quiet`: the findings alone (no header, plan, summary line or progress), the exit codes unchanged.

mod support;
use support::{Repo, Who, ANA};

const BOB: Who = ("Bob Stone", "bob@example.com");

const MODEL: &str = r#"[[person]]
id = "ana"
name = "Ana Lopez"
email = "ana@example.com"

[[person]]
id = "bob"
name = "Bob Stone"
email = "bob@example.com"

[[area]]
id = "everything"
title = "Everything"
owner = "ana"
paths = ["*"]

[[decision]]
id = "pricing"
title = "Pricing"
owner = "ana"
reversible = true
sla = "1d"
"#;

fn repo() -> Repo {
    let repo = Repo::new();
    repo.write(
        "opmodel.toml",
        "[model]\nversion = 1\n\n[ownership]\nrequired = [\"**\"]\n",
    );
    repo.write("ops/model.toml", MODEL);
    repo.commit_as(ANA, "the model");
    repo.tag("base");
    repo
}

#[test]
fn quiet_check_prints_the_findings_alone() {
    let repo = repo();
    for args in [&["-q", "check"][..], &["check", "--quiet"]] {
        let clean = repo.opmodel(args);
        assert_eq!(clean.code, 0, "{}", clean.stderr);
        assert_eq!(clean.stdout, "", "a clean model prints nothing");
    }
    let loud = repo.opmodel(&["check"]);
    assert!(loud.stdout.starts_with("no problems in"), "{}", loud.stdout);

    repo.edit("ops/model.toml", "sla = \"1d\"\n", "");
    repo.edit(
        "ops/model.toml",
        "owner = \"ana\"\nreversible",
        "owner = \"nobody\"\nreversible",
    );
    let loud = repo.opmodel(&["check"]);
    let quiet = repo.opmodel(&["check", "-q"]);
    assert_eq!((loud.code, quiet.code), (1, 1));
    assert!(
        loud.stdout.contains("1 error, 1 warning in"),
        "{}",
        loud.stdout
    );
    assert!(
        !quiet.stdout.contains(" in 1 file") && !quiet.stdout.contains("error,"),
        "{}",
        quiet.stdout
    );
    assert!(
        quiet.stdout.contains("unknown-reference") && quiet.stdout.contains("decision-without-sla"),
        "{}",
        quiet.stdout
    );
    // The findings are the same as without --quiet: the loud report is the quiet one and a summary line.
    assert!(loud.stdout.starts_with(&quiet.stdout), "{}", loud.stdout);
    // Machine formats are the same either way.
    assert_eq!(
        repo.opmodel(&["check", "-q", "--format", "json"]).stdout,
        repo.opmodel(&["check", "--format", "json"]).stdout
    );
}

#[test]
fn quiet_diff_and_audit_print_no_plan_header_or_summary() {
    let repo = repo();
    repo.append("README.txt", "hello\n");
    repo.edit("ops/model.toml", "reversible = true", "reversible = false");
    repo.commit_as(BOB, "irreversible pricing");

    let loud = repo.opmodel(&["diff", "base", "HEAD"]);
    let quiet = repo.opmodel(&["diff", "base", "HEAD", "-q"]);
    assert_eq!(loud.code, quiet.code);
    assert!(loud.stdout.contains("~ pricing"), "{}", loud.stdout);
    assert!(!quiet.stdout.contains("~ pricing"), "{}", quiet.stdout);
    assert!(quiet.stdout.contains("irreversible"), "{}", quiet.stdout);

    let loud = repo.opmodel(&["audit", "base..HEAD"]);
    let quiet = repo.opmodel(&["-q", "audit", "base..HEAD"]);
    assert_eq!((loud.code, quiet.code), (1, 1), "{}", loud.stdout);
    assert!(
        loud.stdout.starts_with("audit of 1 commit"),
        "{}",
        loud.stdout
    );
    assert!(loud.stdout.contains("scanned"), "{}", loud.stdout);
    for chatter in ["audit of", "scanned", "identities"] {
        assert!(
            !quiet.stdout.contains(chatter),
            "{chatter}: {}",
            quiet.stdout
        );
    }
    assert!(
        quiet.stdout.contains("unapproved-change"),
        "{}",
        quiet.stdout
    );
}

#[test]
fn quiet_init_prints_nothing() {
    let repo = Repo::new();
    let run = repo.opmodel(&["init", "-q"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(repo.path().join("ops/areas.toml").exists());
}

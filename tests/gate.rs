//! The audit as a gate, tried as an attacker would (issue 10): forged approval trailers, spoofed author emails,
//! evil merges, and under `[approvals] trust = "signatures"` real SSH-signed commits made with `ssh-keygen` and
//! git. Each attack is run under the trust modes it matters for, through the real binary.
//!
//! The model at base: Ana owns billing (`/src/billing/`) and the model; Bob owns tools (`/tools/`). Bob is the
//! attacker.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod support;
use support::{skip_without, Opmodel, Repo, Run, Who, ANA, HOUR};

const BOB: Who = ("Bob Stone", "bob@example.com");

const AREAS: &str = r#"[[area]]
id = "billing"
title = "Billing"
owner = "ana"
paths = ["/src/billing/"]

[[area]]
id = "tools"
title = "Tools"
owner = "bob"
paths = ["/tools/"]

[[area]]
id = "model"
title = "The operating model"
owner = "ana"
paths = ["/ops/", "/opmodel.toml"]
"#;

/// Whether `ssh-keygen` is installed (it has no `--version` to probe with); as `skip_without!` otherwise.
fn ssh_keygen() -> bool {
    support::require("ssh-keygen", &["sh", "-c", "command -v ssh-keygen"])
}

/// The scenario under `trust = "signatures"` with keys for Ana and Bob; `None` (skipped) without git or ssh-keygen.
fn signed_gate() -> Option<Gate> {
    (support::require_tool("git") && ssh_keygen()).then(|| gate_with("signatures", true))
}

/// A key pair made by `ssh-keygen` in the scenario's outer folder.
struct Key {
    /// The private key file.
    path: PathBuf,
    /// The `.pub` line.
    public: String,
}

fn keygen(dir: &Path, name: &str) -> Key {
    let path = dir.join(name);
    let status = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C"])
        .arg(format!("{name}@example.com"))
        .arg("-f")
        .arg(&path)
        .status()
        .expect("ssh-keygen runs");
    assert!(status.success());
    let public = std::fs::read_to_string(path.with_extension("pub"))
        .unwrap()
        .trim()
        .to_owned();
    Key { path, public }
}

/// The scenario: the model at base (committed by Ana, tagged `base`) trusting `trust`, with each person's keys.
struct Gate {
    repo: Repo,
    ana: Option<Key>,
    bob: Option<Key>,
}

fn gate(trust: &str) -> Gate {
    gate_with(trust, false)
}

/// With `keys`, Ana and Bob each get an ed25519 key pair, listed in their `signing_keys` at base.
fn gate_with(trust: &str, keys: bool) -> Gate {
    let repo = Repo::new().dated(1_750_000_000, HOUR);
    let (ana, bob) = if keys {
        (
            Some(keygen(repo.outer(), "ana")),
            Some(keygen(repo.outer(), "bob")),
        )
    } else {
        (None, None)
    };
    let listed = |key: &Option<Key>| match key {
        Some(key) => format!("signing_keys = [\"{}\"]\n", key.public),
        None => String::new(),
    };
    repo.write(
        "opmodel.toml",
        &format!(
            "[model]\nversion = 1\nroot = \"ops\"\n\n[ownership]\nrequired = [\"**\"]\n\n[approvals]\n\
             trailers = [\"Approved-by\"]\ntrust = \"{trust}\"\n"
        ),
    );
    repo.write(
        "ops/people.toml",
        &format!(
            "[[person]]\nid = \"ana\"\nname = \"Ana Lopez\"\nemail = \"ana@example.com\"\ngithub = \"ana-l\"\n{}\n\
             [[person]]\nid = \"bob\"\nname = \"Bob Stone\"\nemail = \"bob@example.com\"\ngithub = \"bob-s\"\n{}",
            listed(&ana),
            listed(&bob)
        ),
    );
    repo.write("ops/areas.toml", AREAS);
    repo.write("src/billing/charge.rs", "fn charge() {}\n");
    repo.write("tools/a.txt", "a\n");
    repo.write("tools/b.txt", "b\n");
    repo.commit_as(ANA, "The model at base");
    repo.tag("base");
    Gate { repo, ana, bob }
}

impl Gate {
    fn audit(&self, args: &[&str]) -> Run {
        // Wide enough that no message wraps.
        Opmodel::new(&self.repo.root)
            .env("COLUMNS", "400")
            .arg("audit")
            .arg("base..HEAD")
            .args(args)
            .run()
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        let run = self.audit(&all);
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
    }

    /// Stage everything and commit as `who`, signed with `key` when given; the commit id.
    fn commit(&self, who: Who, key: Option<&Key>, message: &str) -> String {
        self.repo.git(&["add", "-A"]);
        self.repo.tick();
        let signing = key.map(|k| format!("user.signingkey={}", k.path.display()));
        let mut args = Vec::new();
        if let Some(signing) = &signing {
            args.extend(["-c", "gpg.format=ssh", "-c", signing, "commit", "-S"]);
        } else {
            args.push("commit");
        }
        args.extend(["-q", "--allow-empty", "-m", message]);
        self.repo.git_as(who, &self.repo.root, &args);
        self.repo.git(&["rev-parse", "HEAD"])
    }

    /// Bob's change to Ana's billing code.
    fn bobs_change(&self, who: Who, key: Option<&Key>, message: &str) -> String {
        self.repo.append("src/billing/charge.rs", "// bob\n");
        self.commit(who, key, message)
    }
}

fn ok(run: &Run) {
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
}

fn fails(run: &Run, why: &str) {
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains("changes src/billing/charge.rs without the approval of its owner, Ana Lopez"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(why), "{why:?} not in:\n{}", run.stdout);
}

const FORGED: &str = "Tune the retry policy\n\nApproved-by: Ana Lopez <ana@example.com>\n";

// ---- forged approval trailers

#[test]
fn a_forged_trailer_passes_under_commits_and_the_report_says_nothing_was_verified() {
    skip_without!("git");
    let g = gate("commits");
    g.bobs_change(BOB, None, FORGED);
    let run = g.audit(&[]);
    ok(&run);
    assert!(
        run.stdout.contains(
            "identities: commit authors and trailers as written, not verified (`[approvals] trust = \"commits\"`)"
        ),
        "{}",
        run.stdout
    );
    let json = g.json(&[]);
    assert_eq!(json["trust"]["mode"], "commits");
    assert_eq!(json["trust"]["approvals"][0]["person"], "ana");
    let basis = json["trust"]["approvals"][0]["basis"].as_str().unwrap();
    assert!(basis.contains("as written, not verified"), "{basis}");
}

#[test]
fn a_forged_trailer_fails_under_signatures_even_in_a_commit_signed_by_its_author() {
    let Some(g) = signed_gate() else { return };
    g.bobs_change(BOB, g.bob.as_ref(), FORGED);
    let run = g.audit(&[]);
    fails(&run, "identities: only commits with a valid SSH signature");
    let json = g.json(&[]);
    assert_eq!(json["trust"]["mode"], "signatures");
    assert_eq!(json["trust"]["approvals"], serde_json::json!([]));
    let identity = &json["findings"][0]["author_identity"];
    assert_eq!(identity["person"], "bob");
    let basis = identity["basis"].as_str().unwrap();
    assert!(
        basis.starts_with("signed with bob's key SHA256:"),
        "{basis}"
    );
}

#[test]
fn a_forged_trailer_fails_under_platform() {
    skip_without!("git");
    let g = gate("platform");
    g.bobs_change(BOB, None, FORGED);
    fails(
        &g.audit(&["--author", "@bob-s"]),
        "identities: only the CI platform's --author @bob-s and --approver",
    );
    let run = g.audit(&["--author", "@bob-s"]);
    assert!(
        run.stdout.contains("pass `--approver ana` when the pull request has their review (under `trust = \"platform\"` commit trailers count for nothing)"),
        "{}",
        run.stdout
    );
    let markdown = g
        .audit(&["--author", "@bob-s", "--format", "markdown"])
        .stdout;
    assert!(
        markdown.contains("\nidentities: only the CI platform's --author "),
        "{markdown}"
    );
    // The platform's review is what approves.
    ok(&g.audit(&["--author", "@bob-s", "--approver", "@ana-l"]));
}

// ---- spoofed author emails

#[test]
fn a_spoofed_author_email_in_any_letter_case_passes_under_commits() {
    skip_without!("git");
    let g = gate("commits");
    g.bobs_change(
        ("Ana Lopez", "ANA@Example.COM"),
        None,
        "Tune the retry policy",
    );
    ok(&g.audit(&[]));
}

#[test]
fn a_github_noreply_address_is_its_login() {
    skip_without!("git");
    let g = gate("commits");
    g.bobs_change(
        ("Ana Lopez", "1234+Ana-L@users.noreply.github.com"),
        None,
        "Tune the retry policy",
    );
    ok(&g.audit(&[]));
    g.bobs_change(
        ("Bob Stone", "bob-s@users.noreply.github.com"),
        None,
        "And again",
    );
    let json = g.json(&[]);
    assert_eq!(json["findings"][0]["author_identity"]["person"], "bob");
}

#[test]
fn a_spoofed_author_email_fails_under_signatures() {
    skip_without!("git");
    if !ssh_keygen() {
        return;
    }
    for (signed, why) in [
        (false, "(author not trusted: not signed)"),
        (
            true,
            "(author not trusted: signed by an unknown key SHA256:",
        ),
    ] {
        let g = gate_with("signatures", true);
        let key = if signed { g.bob.as_ref() } else { None };
        g.bobs_change(
            ("Ana Lopez", "ANA@Example.COM"),
            key,
            "Tune the retry policy",
        );
        let run = g.audit(&[]);
        fails(&run, why);
        if signed {
            assert!(
                run.stdout
                    .contains("not one of ana's `signing_keys` at base"),
                "{}",
                run.stdout
            );
        }
        let json = g.json(&[]);
        assert_eq!(
            json["findings"][0]["author_identity"]["person"],
            Value::Null
        );
    }
}

#[test]
fn a_spoofed_author_email_fails_under_platform() {
    skip_without!("git");
    let g = gate("platform");
    g.bobs_change(
        ("Ana Lopez", "ana@example.com"),
        None,
        "Tune the retry policy",
    );
    fails(
        &g.audit(&["--author", "@bob-s"]),
        "by Ana Lopez <ana@example.com> (--author @bob-s, passed by the CI platform) changes",
    );
    // Without --author, no change has an author: not even the owner's own.
    let run = g.audit(&[]);
    fails(&run, "author not trusted: no --author given");
    assert!(
        run.stdout.contains("note: no --author given"),
        "{}",
        run.stdout
    );
    ok(&g.audit(&["--author", "@ana-l"]));
    let json = g.json(&["--author", "@ana-l"]);
    assert_eq!(json["trust"]["author"]["person"], "ana");
    assert_eq!(
        json["trust"]["author"]["basis"],
        "--author @ana-l, passed by the CI platform"
    );
}

#[test]
fn author_outside_platform_is_ignored_and_says_so() {
    skip_without!("git");
    let g = gate("commits");
    g.bobs_change(BOB, None, "Tune the retry policy");
    let run = g.audit(&["--author", "@ana-l"]);
    fails(&run, "note: --author @ana-l counts only under");
}

// ---- evil merges

/// Bob changes his own tools on a side branch and on main, then merges, and in the merge commit (as if resolving
/// a conflict) also changes Ana's billing code.
fn evil_merge(g: &Gate) {
    let r = &g.repo;
    r.branch("side");
    r.append("tools/a.txt", "side\n");
    g.commit(BOB, None, "Side work");
    r.checkout("main");
    r.append("tools/b.txt", "main\n");
    g.commit(BOB, None, "Main work");
    r.tick();
    r.git_as(
        BOB,
        &r.root,
        &["merge", "-q", "--no-ff", "--no-commit", "side"],
    );
    r.append("src/billing/charge.rs", "// slipped into the merge\n");
    g.commit(BOB, None, "Merge branch 'side'");
}

#[test]
fn an_evil_merge_is_judged_without_first_parent() {
    skip_without!("git");
    let g = gate("commits");
    evil_merge(&g);
    let run = g.audit(&[]);
    fails(
        &run,
        "\"Merge branch 'side'\" by Bob Stone <bob@example.com>",
    );
    assert!(
        run.stdout
            .contains("3 commits scanned, 3 paths changed: 1 error"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_evil_merge_is_judged_with_first_parent() {
    skip_without!("git");
    let g = gate("commits");
    evil_merge(&g);
    let run = g.audit(&["--first-parent"]);
    fails(
        &run,
        "\"Merge branch 'side'\" by Bob Stone <bob@example.com>",
    );
}

#[test]
fn a_clean_merge_of_two_edits_of_one_model_file_brings_no_change_of_its_own() {
    skip_without!("git");
    let g = gate("commits");
    let r = &g.repo;
    r.branch("side");
    r.edit("ops/areas.toml", "title = \"Tools\"", "title = \"Tooling\"");
    g.commit(BOB, None, "Rename tools");
    r.checkout("main");
    r.edit(
        "ops/areas.toml",
        "title = \"Billing\"",
        "title = \"Billing and invoicing\"",
    );
    g.commit(ANA, None, "Rename billing");
    r.merge_as(BOB, "side", "Merge branch 'side'");
    let run = g.audit(&[]);
    ok(&run);
    // The merge's file differs from both parents, but no entity in it does: only the two edits were changes.
    assert!(
        run.stdout
            .contains("3 commits scanned, 3 paths changed, 2 model entities changed: no findings"),
        "{}",
        run.stdout
    );
}

// ---- signatures

#[test]
fn under_signatures_a_commit_signed_by_the_owner_is_approved() {
    let Some(g) = signed_gate() else { return };
    g.bobs_change(ANA, g.ana.as_ref(), "Tune the retry policy");
    ok(&g.audit(&[]));
    let json = g.json(&[]);
    assert_eq!(json["findings"], serde_json::json!([]));
}

#[test]
fn under_signatures_the_owner_approves_with_their_own_signed_commit() {
    let Some(g) = signed_gate() else { return };
    g.bobs_change(BOB, g.bob.as_ref(), "Tune the retry policy");
    fails(&g.audit(&[]), "changes src/billing");
    g.commit(
        ANA,
        g.ana.as_ref(),
        "Approve the retry policy\n\nApproved-by: Ana Lopez <ana@example.com>\n",
    );
    ok(&g.audit(&[]));
    let json = g.json(&[]);
    let basis = json["trust"]["approvals"][0]["basis"].as_str().unwrap();
    assert!(basis.contains("signed with ana's key SHA256:"), "{basis}");
}

#[test]
fn under_signatures_a_commit_by_the_owner_signed_with_another_key_is_not_approved() {
    let Some(g) = signed_gate() else { return };
    g.bobs_change(ANA, g.bob.as_ref(), "Tune the retry policy");
    fails(
        &g.audit(&[]),
        "(author not trusted: signed by an unknown key SHA256:",
    );
}

#[test]
fn under_signatures_an_unsigned_commit_by_the_owner_is_not_approved() {
    let Some(g) = signed_gate() else { return };
    g.bobs_change(ANA, None, "Tune the retry policy");
    fails(&g.audit(&[]), "(author not trusted: not signed)");
}

#[test]
fn under_signatures_a_signed_commit_changed_after_signing_is_not_approved() {
    let Some(g) = signed_gate() else { return };
    let r = &g.repo;
    let signed = g.bobs_change(ANA, g.ana.as_ref(), "Tune the retry policy");
    ok(&g.audit(&[]));
    // Bob keeps Ana's signature and message but swaps in his own tree.
    r.git(&["reset", "-q", "--hard", "base"]);
    r.append("src/billing/charge.rs", "// something else entirely\n");
    let bobs = g.commit(BOB, None, "Bob's tree");
    let evil_tree = r.git(&["rev-parse", &format!("{bobs}^{{tree}}")]);
    let original = r.git(&["cat-file", "commit", &signed]);
    let good_tree = r.git(&["rev-parse", &format!("{signed}^{{tree}}")]);
    let object = format!("{original}\n").replacen(&good_tree, &evil_tree, 1);
    let tampered = r.git_with_stdin(&["hash-object", "-t", "commit", "-w", "--stdin"], &object);
    r.git(&["reset", "-q", "--hard", &tampered]);
    fails(
        &g.audit(&[]),
        "(author not trusted: bad signature: the signature by key SHA256:",
    );
}

#[test]
fn under_signatures_a_trailer_in_a_commit_signed_by_someone_else_approves_nothing() {
    let Some(g) = signed_gate() else { return };
    g.bobs_change(BOB, g.bob.as_ref(), "Tune the retry policy");
    // An "approval" commit that claims to be Ana's, signed by Bob.
    g.commit(
        ANA,
        g.bob.as_ref(),
        "Approve the retry policy\n\nApproved-by: Ana Lopez <ana@example.com>\n",
    );
    fails(&g.audit(&[]), "changes src/billing");
    assert_eq!(g.json(&[])["trust"]["approvals"], serde_json::json!([]));
}

#[test]
fn under_signatures_a_malformed_signing_key_trusts_nothing_and_says_why() {
    skip_without!("git");
    let g = gate("signatures");
    g.repo.edit(
        "ops/people.toml",
        "github = \"ana-l\"\n",
        "github = \"ana-l\"\nsigning_keys = [\"ssh-ed25519\"]\n",
    );
    g.commit(ANA, None, "A key cut short");
    g.repo.tag("broken");
    g.bobs_change(ANA, None, "Tune the retry policy");
    let run = Opmodel::new(&g.repo.root)
        .env("COLUMNS", "400")
        .args(["audit", "broken..HEAD"])
        .run();
    fails(&run, "(author not trusted: not signed)");
    assert!(
        run.stdout.contains(
            "note: ana at base: signing key `ssh-ed25519` has no key data after `ssh-ed25519`"
        ),
        "{}",
        run.stdout
    );
}

// ---- .mailmap: read from the base, never from the change

#[test]
fn a_mailmapped_author_is_the_person_the_mailmap_at_base_names() {
    skip_without!("git");
    let g = gate("commits");
    g.repo.write(
        ".mailmap",
        "Ana Lopez <ana@example.com> <ana@laptop.local>\n",
    );
    g.repo.commit_as(ANA, "Map Ana's laptop address");
    g.repo.git(&["tag", "-f", "base"]);
    g.repo
        .append("src/billing/charge.rs", "// ana from her laptop\n");
    g.commit(("Ana", "ana@laptop.local"), None, "Charge twice");
    let run = g.audit(&[]);
    ok(&run);
    let json = g.json(&["--fail-on", "never"]);
    assert_eq!(json["findings"].as_array().map(Vec::len), Some(0), "{json}");
}

#[test]
fn a_mailmap_entry_the_change_adds_does_not_make_its_author_someone_else() {
    skip_without!("git");
    let g = gate("commits");
    // Bob maps his own address to Ana in the same change that edits her code.
    g.repo.write(
        ".mailmap",
        "Ana Lopez <ana@example.com> <bob@example.com>\n",
    );
    g.bobs_change(BOB, None, "Retry card payments");
    let run = g.audit(&[]);
    fails(&run, "by Bob Stone <bob@example.com>");
}

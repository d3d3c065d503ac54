//! The `opmodel-check` hook, run by the real pre-commit framework: a scratch consumer repository points at a
//! copy of this checkout (uncommitted changes included), the hook passes on a clean model and blocks a commit
//! that breaks it.
//!
//! pre-commit builds the hook with `cargo install` and no `--locked`, so this also proves that the dependency
//! requirements build with the newest compatible versions. The first run takes a few minutes; the build
//! directory is kept under `target/pre-commit-hook` so later runs only relink.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod support;
use support::{skip_without, without_git_environment, Repo, ANA};

const MANIFEST: &str = "[model]\nversion = 1\nroot = \"ops\"\n";

const CLEAN_MODEL: &str = r#"[[person]]
id = "ana"
name = "Ana Lopez"
email = "ana@example.com"

[[decision]]
id = "refunds"
title = "Refund a customer above the standard limit"
owner = "ana"
reversible = true
sla = "1d"
"#;

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// A git repository holding this checkout's tracked and new (not ignored) files, committed: pre-commit clones
/// hook repositories at a commit, and this way the hook is built from the code under test.
fn hook_repository(git: &Repo, checkout: &Path, into: &Path) -> String {
    let listed = git.git_as(
        ANA,
        checkout,
        &["ls-files", "-z", "-co", "--exclude-standard"],
    );
    let mut copied = 0;
    for path in listed.split('\0').filter(|p| !p.is_empty()) {
        let from = checkout.join(path);
        // A tracked file deleted in the working tree is not part of the code under test.
        if !from.is_file() {
            continue;
        }
        let to = into.join(path);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&from, &to).unwrap();
        copied += 1;
    }
    assert!(copied > 0, "no files listed in {}", checkout.display());
    git.git_as(ANA, into, &["init", "-q"]);
    git.git_as(ANA, into, &["add", "-A"]);
    git.git_as(ANA, into, &["commit", "-q", "-m", "opmodel under test"]);
    git.git_as(ANA, into, &["rev-parse", "HEAD"])
}

/// A full release build of the hook through pre-commit: minutes, so `cargo test` leaves it out and `.ci/run`
/// runs it (`cargo test --locked -- --ignored`).
#[test]
#[ignore = "slow: .ci/run runs it"]
fn the_hook_passes_a_clean_model_and_blocks_a_broken_one() {
    skip_without!("git");
    skip_without!("pre-commit");
    let checkout = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if !checkout.join(".git").exists() {
        eprintln!("skipped: {} is not a git checkout", checkout.display());
        return;
    }
    let consumer = Repo::new();
    let hooks = consumer.outer().join("opmodel");
    let home = consumer.outer().join("pre-commit-home");
    std::fs::create_dir_all(&hooks).unwrap();
    let rev = hook_repository(&consumer, &checkout, &hooks);

    consumer.write("opmodel.toml", MANIFEST);
    consumer.write("ops/decisions.toml", CLEAN_MODEL);
    consumer.write(
        ".pre-commit-config.yaml",
        &format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: opmodel-check\n",
            hooks.display()
        ),
    );
    consumer.commit("a clean model");

    // Keep the hook's build between runs: cargo install otherwise builds in a fresh temp folder each time.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| checkout.join("target"))
        .join("pre-commit-hook");
    let pre_commit = |args: &[&str]| -> Output {
        let mut command = Command::new("pre-commit");
        without_git_environment(&mut command);
        command
            .args(args)
            .current_dir(consumer.path())
            .env("PRE_COMMIT_HOME", &home)
            .env("CARGO_TARGET_DIR", &target)
            .env("NO_COLOR", "1")
            .output()
            .expect("pre-commit runs")
    };

    let clean = pre_commit(&["run", "opmodel-check", "--all-files"]);
    assert!(
        clean.status.success(),
        "the hook fails on a clean model:\n{}",
        text(&clean)
    );
    assert!(text(&clean).contains("opmodel check"), "{}", text(&clean));

    // Install the hook as a user would, and try to commit a model that names an unknown owner.
    let install = pre_commit(&["install"]);
    assert!(install.status.success(), "{}", text(&install));
    consumer.write(
        "ops/decisions.toml",
        &CLEAN_MODEL.replace("owner = \"ana\"", "owner = \"anna\""),
    );
    consumer.git(&["add", "-A"]);
    let head = consumer.git(&["rev-parse", "HEAD"]);
    let commit = consumer
        .git_command_as(ANA, consumer.path())
        .args(["commit", "-m", "a broken model"])
        .env("PRE_COMMIT_HOME", &home)
        .env("CARGO_TARGET_DIR", &target)
        .env("NO_COLOR", "1")
        .output()
        .expect("git runs");
    let output = text(&commit);
    assert!(
        !commit.status.success(),
        "the commit went through:\n{output}"
    );
    assert!(output.contains("unknown-reference"), "{output}");
    assert!(output.contains("did you mean \"ana\"?"), "{output}");
    assert_eq!(
        consumer.git(&["rev-parse", "HEAD"]),
        head,
        "no commit was made"
    );

    // `pre-commit run` on the staged change fails the same way.
    let broken = pre_commit(&["run", "opmodel-check"]);
    assert!(!broken.status.success(), "{}", text(&broken));
    assert!(
        text(&broken).contains("unknown-reference"),
        "{}",
        text(&broken)
    );
}

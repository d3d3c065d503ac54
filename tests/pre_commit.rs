//! The `opmodel-check` hook, run by the real pre-commit framework: a scratch consumer repository points at a
//! copy of this checkout (uncommitted changes included), the hook passes on a clean model and blocks a commit
//! that breaks it.
//!
//! pre-commit builds the hook with `cargo install` and no `--locked`, so this also proves that the dependency
//! requirements build with the newest compatible versions. The first run takes a few minutes; the build
//! directory is kept under `target/pre-commit-hook` so later runs only relink.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

/// A command with git's environment cleared, so that a test run from inside a git hook cannot leak into the
/// scratch repositories.
fn command(program: &str, dir: &Path) -> Command {
    let mut command = Command::new(program);
    command
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_WORK_TREE")
        .env("GIT_AUTHOR_NAME", "Ana Lopez")
        .env("GIT_AUTHOR_EMAIL", "ana@example.com")
        .env("GIT_COMMITTER_NAME", "Ana Lopez")
        .env("GIT_COMMITTER_EMAIL", "ana@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1");
    command
}

fn git(dir: &Path, args: &[&str]) -> String {
    let output = command("git", dir)
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn pre_commit_installed() -> bool {
    Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A git repository holding this checkout's tracked and new (not ignored) files, committed: pre-commit clones
/// hook repositories at a commit, and this way the hook is built from the code under test.
fn hook_repository(checkout: &Path, into: &Path) -> String {
    let listed = git(checkout, &["ls-files", "-z", "-co", "--exclude-standard"]);
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
    git(into, &["init", "-q"]);
    git(into, &["add", "-A"]);
    git(into, &["commit", "-q", "-m", "opmodel under test"]);
    git(into, &["rev-parse", "HEAD"]).trim().to_string()
}

#[test]
fn the_hook_passes_a_clean_model_and_blocks_a_broken_one() {
    if !pre_commit_installed() {
        eprintln!("skipped: the pre-commit framework is not installed; .ci/run installs it");
        return;
    }
    let checkout = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if !checkout.join(".git").exists() {
        eprintln!("skipped: {} is not a git checkout", checkout.display());
        return;
    }
    let scratch = tempfile::tempdir().unwrap();
    let hooks = scratch.path().join("opmodel");
    let consumer = scratch.path().join("consumer");
    let home = scratch.path().join("pre-commit-home");
    std::fs::create_dir_all(&hooks).unwrap();
    std::fs::create_dir_all(consumer.join("ops")).unwrap();
    let rev = hook_repository(&checkout, &hooks);

    git(&consumer, &["init", "-q"]);
    std::fs::write(consumer.join("opmodel.toml"), MANIFEST).unwrap();
    std::fs::write(consumer.join("ops/decisions.toml"), CLEAN_MODEL).unwrap();
    std::fs::write(
        consumer.join(".pre-commit-config.yaml"),
        format!(
            "repos:\n  - repo: {}\n    rev: {rev}\n    hooks:\n      - id: opmodel-check\n",
            hooks.display()
        ),
    )
    .unwrap();
    git(&consumer, &["add", "-A"]);
    git(&consumer, &["commit", "-q", "-m", "a clean model"]);

    // Keep the hook's build between runs: cargo install otherwise builds in a fresh temp folder each time.
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| checkout.join("target"))
        .join("pre-commit-hook");
    let pre_commit = |args: &[&str]| -> Output {
        command("pre-commit", &consumer)
            .args(args)
            .env("PRE_COMMIT_HOME", &home)
            .env("CARGO_TARGET_DIR", &target)
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
    std::fs::write(
        consumer.join("ops/decisions.toml"),
        CLEAN_MODEL.replace("owner = \"ana\"", "owner = \"anna\""),
    )
    .unwrap();
    git(&consumer, &["add", "-A"]);
    let head = git(&consumer, &["rev-parse", "HEAD"]);
    let commit = command("git", &consumer)
        .args([
            "-c",
            "commit.gpgsign=false",
            "commit",
            "-m",
            "a broken model",
        ])
        .env("PRE_COMMIT_HOME", &home)
        .env("CARGO_TARGET_DIR", &target)
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
        git(&consumer, &["rev-parse", "HEAD"]),
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

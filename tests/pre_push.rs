//! The `opmodel-audit` hook in pre-commit's pre-push stage, with a real `git push` to a local bare remote: it
//! judges exactly what is pushed (PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF; a new branch from its merge-base with
//! the default branch), blocks a push to the default branch that lacks an approval, and lets any other branch
//! reach review while saying who must sign off.
//!
//! The hook runs the binary under test through a `repo: local` hook with `language: system` (the prebuilt-binary
//! setup the README describes), with the entry, stage and flags of `.pre-commit-hooks.yaml`.

use std::path::{Path, PathBuf};
use std::process::Output;

mod support;
use support::{skip_without, Repo, Who, ANA};

const BOB: Who = ("Bob Stone", "bob@example.com");

const MANIFEST: &str = "[model]\nversion = 1\nroot = \"ops\"\n\n[ownership]\nrequired = [\"**\"]\n";

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
title = "The whole repository"
owner = "ana"
paths = ["**"]
"#;

/// The opmodel-audit hook of `.pre-commit-hooks.yaml`, as this repository publishes it.
fn published_hook() -> (String, String) {
    let manifest = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    let hook = manifest
        .split("- id: ")
        .find(|h| h.starts_with("opmodel-audit"))
        .expect("the opmodel-audit hook");
    let field = |name: &str| {
        hook.lines()
            .find_map(|l| l.trim().strip_prefix(&format!("{name}: ")))
            .unwrap_or_else(|| panic!("opmodel-audit has no {name}"))
            .to_string()
    };
    (field("entry"), field("stages"))
}

struct Pushing {
    repo: Repo,
    home: PathBuf,
}

impl Pushing {
    /// A repository with a clean model on `main`, pushed to a bare remote, with the hook installed.
    fn new() -> Pushing {
        let repo = Repo::new();
        let remote = repo.outer().join("remote.git");
        repo.git_as(
            ANA,
            repo.outer(),
            &["init", "-q", "--bare", remote.to_str().unwrap()],
        );
        let (entry, stages) = published_hook();
        assert_eq!(entry, "opmodel audit --pre-push");
        assert_eq!(stages, "[pre-push]");
        let binary = PathBuf::from(env!("CARGO_BIN_EXE_opmodel"));
        repo.write(
            ".pre-commit-config.yaml",
            &format!(
                "repos:\n  - repo: local\n    hooks:\n      - id: opmodel-audit\n        name: opmodel audit\n        \
                 entry: {} {}\n        language: system\n        stages: {stages}\n        always_run: true\n        \
                 pass_filenames: false\n        verbose: true\n",
                binary.display(),
                entry.trim_start_matches("opmodel ")
            ),
        );
        repo.write("opmodel.toml", MANIFEST);
        repo.write("ops/people.toml", MODEL);
        repo.write("src/app.rs", "fn main() {}\n");
        repo.commit("The model");
        repo.git(&["remote", "add", "origin", remote.to_str().unwrap()]);
        repo.git(&["push", "-q", "origin", "main"]);
        let pushing = Pushing {
            home: repo.outer().join("pre-commit-home"),
            repo,
        };
        let install = pushing.pre_commit(&["install", "--hook-type", "pre-push"]);
        assert!(install.status.success(), "{}", text(&install));
        pushing
    }

    fn pre_commit(&self, args: &[&str]) -> Output {
        let mut command = std::process::Command::new("pre-commit");
        support::without_git_environment(&mut command);
        command
            .args(args)
            .current_dir(self.repo.path())
            .env("PRE_COMMIT_HOME", &self.home)
            .env("NO_COLOR", "1")
            .env_remove("CI")
            .output()
            .expect("pre-commit runs")
    }

    /// Bob changes a file Ana owns, without her approval.
    fn unapproved_change(&self, file: &str, subject: &str) {
        self.repo.write(file, subject);
        self.repo.commit_as(BOB, subject);
    }

    fn push(&self, args: &[&str]) -> (bool, String) {
        let output = self
            .repo
            .git_command_as(ANA, self.repo.path())
            .arg("push")
            .args(args)
            .env("PRE_COMMIT_HOME", &self.home)
            .env("NO_COLOR", "1")
            .env_remove("CI")
            .output()
            .expect("git push runs");
        (output.status.success(), text(&output))
    }

    fn remote_has(&self, branch: &str) -> Option<String> {
        let out = self
            .repo
            .git_command_as(ANA, self.repo.path())
            .args(["ls-remote", "origin", &format!("refs/heads/{branch}")])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (!text.is_empty()).then(|| text.split('\t').next().unwrap().to_string())
    }
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn tools() -> bool {
    support::require_tool("git") && support::require_tool("pre-commit")
}

#[test]
fn a_push_to_the_default_branch_without_approval_is_blocked() {
    if !tools() {
        return;
    }
    let p = Pushing::new();
    let before = p.remote_has("main");
    p.unapproved_change("src/app.rs", "Retry payments");
    let (pushed, output) = p.push(&["origin", "main"]);
    assert!(!pushed, "the push went through:\n{output}");
    assert!(output.contains("unapproved-change"), "{output}");
    assert!(output.contains("Retry payments"), "{output}");
    assert_eq!(p.remote_has("main"), before, "the remote did not move");
}

#[test]
fn a_new_branch_reaches_review_and_says_who_must_sign_off() {
    if !tools() {
        return;
    }
    let p = Pushing::new();
    p.repo.git(&["checkout", "-q", "-b", "retry"]);
    p.unapproved_change("src/app.rs", "Retry payments");
    let (pushed, output) = p.push(&["origin", "retry"]);
    assert!(pushed, "a branch must be able to reach review:\n{output}");
    assert!(output.contains("not the default branch"), "{output}");
    assert!(output.contains("unapproved-change"), "{output}");
    assert!(output.contains("Ana Lopez"), "who must sign off:\n{output}");
    assert!(p.remote_has("retry").is_some());
}

#[test]
fn pushing_another_branch_judges_what_is_pushed_not_the_checked_out_branch() {
    if !tools() {
        return;
    }
    let p = Pushing::new();
    // `hotfix` holds an unapproved change; the checked-out branch is the clean `main`.
    p.repo.git(&["checkout", "-q", "-b", "hotfix"]);
    p.unapproved_change("src/app.rs", "Hot fix without review");
    p.repo.git(&["checkout", "-q", "main"]);
    let (pushed, output) = p.push(&["origin", "hotfix:main"]);
    assert!(!pushed, "hotfix went to main unapproved:\n{output}");
    assert!(output.contains("Hot fix without review"), "{output}");
}

#[test]
fn an_incremental_push_judges_only_the_new_commits() {
    if !tools() {
        return;
    }
    let p = Pushing::new();
    p.repo.git(&["checkout", "-q", "-b", "retry"]);
    p.unapproved_change("src/app.rs", "First change");
    let (pushed, _) = p.push(&["origin", "retry"]);
    assert!(pushed);
    p.unapproved_change("src/other.rs", "Second change");
    let (pushed, output) = p.push(&["origin", "retry"]);
    assert!(pushed, "{output}");
    assert!(output.contains("Second change"), "{output}");
    assert!(
        !output.contains("First change"),
        "the commit already pushed is judged again:\n{output}"
    );
}

#[test]
fn without_pre_commit_s_variables_pre_push_says_how_to_run_it() {
    skip_without!("git");
    let repo = Repo::new();
    repo.write("opmodel.toml", MANIFEST);
    repo.write("ops/people.toml", MODEL);
    repo.commit("The model");
    let run = repo.opmodel(&["audit", "--pre-push"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("PRE_COMMIT_FROM_REF"), "{}", run.stderr);
}

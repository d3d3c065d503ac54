//! FIFOs and sockets among the model files (issue 12): each is a `skipped-path` warning and is never opened
//! (opening a FIFO with no writer blocks forever), and the other files are still checked.
//!
//! The binary runs under a deadline, so a regression fails the test instead of hanging the suite.

use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde_json::Value;
use support::{skip_without, Opmodel, Run};

mod support;

const MANIFEST: &str = "[model]\nversion = 1\nroot = \"ops\"\n";

/// A valid file whose decision names `anna`, who does not exist: its `unknown-reference` error proves the
/// file next to the special one was read and checked.
const VALID_WITH_DANGLING: &str = r#"[[person]]
id = "ana"
name = "Ana Lopez"
email = "ana@example.com"

[[decision]]
id = "refunds"
title = "Refund a customer above the standard limit"
owner = "anna"
reversible = true
sla = "1d"
"#;

/// Long enough for a debug build on a busy 2-core machine; a FIFO that is opened blocks far longer.
const DEADLINE: Duration = Duration::from_secs(60);

/// `<tmp>/.git`, `<tmp>/opmodel.toml` and `<tmp>/ops/valid.toml` holding `valid`.
fn project(valid: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    fs::create_dir_all(tmp.path().join(".git")).unwrap();
    fs::create_dir_all(tmp.path().join("ops")).unwrap();
    fs::write(tmp.path().join("opmodel.toml"), MANIFEST).unwrap();
    fs::write(tmp.path().join("ops/valid.toml"), valid).unwrap();
    tmp
}

/// Run `opmodel check ARGS` in `dir`, killing it if it outlives [`DEADLINE`].
fn check(dir: &Path, args: &[&str]) -> Run {
    Opmodel::new(dir)
        .arg("check")
        .args(args)
        .run_within(DEADLINE)
}

/// `mkfifo PATH`; the test checks first that `mkfifo` is installed (`skip_without!`).
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {} failed", path.display());
}

fn findings(run: &Run) -> Vec<Value> {
    let json: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("JSON output: {e}\n{}", run.stdout));
    json["findings"]
        .as_array()
        .expect("a findings array")
        .clone()
}

/// The findings of `rule` about `file`.
fn about<'a>(findings: &'a [Value], rule: &str, file: &str) -> Vec<&'a Value> {
    findings
        .iter()
        .filter(|f| f["rule"] == rule && f["file"] == file)
        .collect()
}

#[test]
fn a_fifo_is_a_skipped_path_and_the_other_files_are_checked() {
    skip_without!("mkfifo");
    let tmp = project(VALID_WITH_DANGLING);
    mkfifo(&tmp.path().join("ops/pipe.toml"));
    let run = check(tmp.path(), &["--format", "json"]);
    assert_eq!(
        run.code, 1,
        "the unknown reference in valid.toml is an error"
    );
    let findings = findings(&run);
    let skipped = about(&findings, "skipped-path", "ops/pipe.toml");
    assert_eq!(skipped.len(), 1, "{findings:#?}");
    assert_eq!(skipped[0]["level"], "warn");
    let message = skipped[0]["message"].as_str().unwrap();
    assert!(message.contains("FIFO"), "{message}");
    assert!(message.contains("not opened"), "{message}");
    assert_eq!(
        about(&findings, "unknown-reference", "ops/valid.toml").len(),
        1,
        "valid.toml was still read and checked: {findings:#?}"
    );
}

#[test]
fn a_fifo_alone_is_a_warning_and_the_run_passes() {
    skip_without!("mkfifo");
    // The reference fixed: next to a special file, which is only a warning, the run exits 0.
    let tmp = project(&VALID_WITH_DANGLING.replace("\"anna\"", "\"ana\""));
    mkfifo(&tmp.path().join("ops/pipe.toml"));
    let run = check(tmp.path(), &[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.stdout.contains("skipped-path"), "{}", run.stdout);
    assert!(run.stdout.contains("ops/pipe.toml"), "{}", run.stdout);
}

#[test]
fn a_socket_is_a_skipped_path() {
    let tmp = project(VALID_WITH_DANGLING);
    let _listener = std::os::unix::net::UnixListener::bind(tmp.path().join("ops/live.toml"))
        .expect("a Unix socket in the temporary folder");
    let run = check(tmp.path(), &["--format", "json"]);
    assert_eq!(run.code, 1);
    let findings = findings(&run);
    let skipped = about(&findings, "skipped-path", "ops/live.toml");
    assert_eq!(skipped.len(), 1, "{findings:#?}");
    assert!(
        skipped[0]["message"].as_str().unwrap().contains("a socket"),
        "{:#?}",
        skipped[0]
    );
    assert_eq!(
        about(&findings, "unknown-reference", "ops/valid.toml").len(),
        1
    );
}

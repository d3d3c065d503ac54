//! FIFOs and sockets among the model files (issue 12): each is a `skipped-path` warning and is never opened
//! (opening a FIFO with no writer blocks forever), and the other files are still checked.
//!
//! The binary runs under a deadline, so a regression fails the test instead of hanging the suite.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

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

struct Run {
    code: i32,
    stdout: String,
}

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
    let mut child = Command::new(env!("CARGO_BIN_EXE_opmodel"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("opmodel runs");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > DEADLINE {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!(
                "opmodel check did not finish within {DEADLINE:?}: it is blocked on a special file"
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // Output is small (a few findings), so the pipe never fills while the child runs.
    let mut stdout = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take().unwrap(), &mut stdout).unwrap();
    Run {
        code: status
            .code()
            .expect("opmodel exits, not killed by a signal"),
        stdout,
    }
}

/// `mkfifo PATH`; `false` (with a message) when there is no `mkfifo`, which fails the test when `CI` is set.
fn mkfifo(path: &Path) -> bool {
    match Command::new("mkfifo").arg(path).status() {
        Ok(status) => {
            assert!(status.success(), "mkfifo {} failed", path.display());
            true
        }
        Err(error) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "mkfifo is needed for this test on CI: {error}"
            );
            eprintln!("skipped: mkfifo is not available ({error})");
            false
        }
    }
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
    let tmp = project(VALID_WITH_DANGLING);
    if !mkfifo(&tmp.path().join("ops/pipe.toml")) {
        return;
    }
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
    // The reference fixed: next to a special file, which is only a warning, the run exits 0.
    let tmp = project(&VALID_WITH_DANGLING.replace("\"anna\"", "\"ana\""));
    if !mkfifo(&tmp.path().join("ops/pipe.toml")) {
        return;
    }
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

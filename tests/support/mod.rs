//! What the integration tests share: a git scenario builder with fixed dates and identities, a runner for the
//! opmodel binary with a fixed environment, and a guard for tests that need an outside tool.
//!
//! Each test file uses it with `mod support;`: every file is its own crate, and uses only part of this module.
#![allow(dead_code)]

use std::cell::Cell;
use std::collections::HashMap;
use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Mutex, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tempfile::TempDir;

// ---- outside tools

/// Whether `tool` is installed (`tool --version` succeeds). When it is not, the test says it is skipped, and
/// fails instead when `CI` is set: CI installs every tool the tests use, so there a missing tool is a broken
/// setup, never a reason to pass.
pub fn require_tool(tool: &str) -> bool {
    require(tool, &[tool, "--version"])
}

/// Whether `what` is installed, as `probe` (a command line) proves by succeeding; otherwise as `require_tool`.
pub fn require(what: &str, probe: &[&str]) -> bool {
    let present = probe_succeeds(probe);
    if !present {
        missing(what, std::env::var_os("CI").is_some());
    }
    present
}

/// Whether the command line `probe` runs and succeeds; asked once per test binary.
pub fn probe_succeeds(probe: &[&str]) -> bool {
    static PROBED: OnceLock<Mutex<HashMap<Vec<String>, bool>>> = OnceLock::new();
    let key: Vec<String> = probe.iter().map(|s| s.to_string()).collect();
    let mut probed = PROBED.get_or_init(Default::default).lock().unwrap();
    *probed.entry(key).or_insert_with(|| {
        Command::new(probe[0])
            .args(&probe[1..])
            .stdin(Stdio::null())
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Say that `what` is missing: a failure in CI, a skip elsewhere.
pub fn missing(what: &str, ci: bool) {
    assert!(
        !ci,
        "{what} is not installed, and CI is set: CI must install it"
    );
    eprintln!("skipped: {what} is not installed");
}

/// Return from the test (skipped) when the tool is not installed; fail when `CI` is set. See `require_tool`.
#[allow(unused_macros)] // Files without outside tools do not use it.
macro_rules! skip_without {
    ($tool:expr) => {
        if !$crate::support::require_tool($tool) {
            return;
        }
    };
}
#[allow(unused_imports)]
pub(crate) use skip_without;

// ---- GitHub's Markdown renderer

/// The start of a cmark-gfm checker (Python): renders standard input as github.com does (GFM extensions, raw
/// HTML kept so that any that gets through is seen) into `html`, and gives `problems`, `mentions(data)` and the
/// parser `Page` to subclass.
const GFM_PRELUDE: &str = r##"
import re, sys, cmarkgfm
from html.parser import HTMLParser
from cmarkgfm.cmark import Options

OPTIONS = Options.CMARK_OPT_UNSAFE
source = sys.stdin.read()
html = cmarkgfm.github_flavored_markdown_to_html(source, options=OPTIONS)
problems = []

def mentions(data):
    # GitHub turns @login into a mention outside code; a comment right after the @ breaks it.
    for m in re.finditer(r"(?:^|[^\w`/])@([A-Za-z0-9][\w-]*)", data):
        if not data[m.end():].startswith("<!--"):
            problems.append("a mention: @" + m.group(1))

HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")

class Page(HTMLParser):
    """Reports a tag not in the checker's ALLOWED and a mention outside code; a checker subclasses it with
    start(tag, attrs) for each tag, heading(text) for each heading, and text(data) for text outside code."""
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.heading_text, self.code = None, 0
    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED:
            problems.append("HTML opmodel did not write: <%s %s>" % (tag, attrs))
        if tag in HEADING_TAGS:
            self.heading_text = ""
        if tag == "code":
            self.code += 1
        self.start(tag, dict(attrs))
    def handle_endtag(self, tag):
        if tag in HEADING_TAGS and self.heading_text is not None:
            self.heading(self.heading_text)
            self.heading_text = None
        if tag == "code":
            self.code -= 1
    def handle_data(self, data):
        if self.heading_text is not None:
            self.heading_text += data
        if not self.code:
            mentions(data)
            self.text(data)
    def start(self, tag, attrs):
        pass
    def heading(self, text):
        pass
    def text(self, data):
        pass
"##;

/// The end of a checker: the table rows that spill out of their table, then every problem, one a line.
const GFM_TABLES: &str = r##"
# GFM drops a row's cells past its header's count: render every table with a header far wider than opmodel's,
# and count the cells each row really has.
lines = source.split("\n")
i = 0
while i < len(lines):
    if lines[i].startswith("|") and i + 1 < len(lines) and re.match(r"^\|( ---:? \|)+$", lines[i + 1]):
        width = lines[i + 1].count("---")
        rows = []
        j = i + 2
        while j < len(lines) and lines[j].startswith("|"):
            rows.append(lines[j])
            j += 1
        wide = "|" + " h |" * 40 + "\n|" + " --- |" * 40 + "\n" + "\n".join(rows) + "\n"
        rendered = cmarkgfm.github_flavored_markdown_to_html(wide, options=OPTIONS)
        for row, body in zip(rows, re.findall(r"<tr>(.*?)</tr>", rendered, re.S)[1:]):
            cells = [c for c in re.findall(r"<td>(.*?)</td>", body, re.S) if c.strip()]
            if len(cells) != width:
                problems.append("a row of %d cells under a header of %d: %s" % (len(cells), width, row))
        i = j
    else:
        i += 1

for p in problems:
    print(p)
"##;

/// Whether cmark-gfm is installed; without it the test says it is skipped, and fails when `CI` is set.
pub fn cmarkgfm_available() -> bool {
    require(
        "the Python package cmarkgfm (`python3 -m pip install cmarkgfm`)",
        &["python3", "-c", "import cmarkgfm"],
    )
}

/// Run a cmark-gfm checker on `markdown`: `body` (Python, after the prelude above, appending to `problems`; its
/// arguments in `sys.argv[1:]`), then the table check. Returns one line per problem it prints.
pub fn gfm_problems(body: &str, args: &[&str], markdown: &str) -> Vec<String> {
    let script = format!("{GFM_PRELUDE}{body}{GFM_TABLES}");
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(&script)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(markdown.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "the cmark-gfm checker failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

// ---- the opmodel binary

/// What a run of the binary printed, and its exit code.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// The opmodel binary, run in a folder with a fixed environment: colors off (`NO_COLOR=1`), 100 columns, no
/// CI variables, no git variables and no user or system git configuration. `env` and `env_remove` change that.
pub struct Opmodel {
    command: Command,
}

impl Opmodel {
    pub fn new(dir: impl AsRef<Path>) -> Opmodel {
        let mut command = Command::new(env!("CARGO_BIN_EXE_opmodel"));
        command
            .current_dir(dir)
            .stdin(Stdio::null())
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100");
        without_ci(&mut command);
        without_git_environment(&mut command);
        Opmodel { command }
    }

    pub fn args<S: AsRef<OsStr>>(mut self, args: impl IntoIterator<Item = S>) -> Opmodel {
        self.command.args(args);
        self
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Opmodel {
        self.command.arg(arg);
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Opmodel {
        self.command.env(key, value);
        self
    }

    pub fn env_remove(mut self, key: &str) -> Opmodel {
        self.command.env_remove(key);
        self
    }

    /// Run it to the end. Fails the test when opmodel panicked or was killed: bad input never does that.
    pub fn run(mut self) -> Run {
        let output = self.command.output().expect("the opmodel binary runs");
        Run::checked(output.status, &output.stdout, &output.stderr)
    }

    /// Run it as `run` does, but kill it and fail the test when it outlives `deadline`: for an input that could
    /// block it (a FIFO opened with no writer), so that a regression fails the test instead of hanging the suite.
    pub fn run_within(mut self, deadline: Duration) -> Run {
        let mut child = self
            .command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the opmodel binary runs");
        // Read both pipes while the child runs, so that a full pipe never blocks it.
        let stdout = drain(child.stdout.take().unwrap());
        let stderr = drain(child.stderr.take().unwrap());
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for opmodel") {
                break status;
            }
            if started.elapsed() > deadline {
                child.kill().expect("kill opmodel");
                child.wait().expect("wait for opmodel");
                panic!("opmodel did not finish within {deadline:?}: it is blocked");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let stdout = stdout.join().expect("read opmodel's standard output");
        let stderr = stderr.join().expect("read opmodel's standard error");
        Run::checked(status, &stdout, &stderr)
    }
}

/// All that `pipe` gives until it closes, read on its own thread.
fn drain(mut pipe: impl Read + Send + 'static) -> JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        pipe.read_to_end(&mut bytes).expect("read a pipe");
        bytes
    })
}

impl Run {
    /// The run that ended with `status`; fails the test when opmodel panicked or was killed by a signal.
    fn checked(status: ExitStatus, stdout: &[u8], stderr: &[u8]) -> Run {
        let run = Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(stdout).into_owned(),
            stderr: String::from_utf8_lossy(stderr).into_owned(),
        };
        assert!(
            run.code != 101 && !run.stderr.contains("panicked"),
            "opmodel panicked:\n{}",
            run.stderr
        );
        assert_ne!(
            run.code, -1,
            "opmodel was killed by a signal:\n{}",
            run.stderr
        );
        run
    }
}

/// `opmodel ARGS` in `dir`, with the fixed environment of `Opmodel`.
pub fn opmodel(dir: impl AsRef<Path>, args: &[&str]) -> Run {
    Opmodel::new(dir).args(args).run()
}

/// Remove what a CI service sets (`CI`, `GITHUB_*`, `RUNNER_*`), so a test sees the same on a laptop and in CI.
fn without_ci(command: &mut Command) {
    command.env_remove("CI");
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy();
        if key.starts_with("GITHUB_") || key.starts_with("RUNNER_") {
            command.env_remove(key.as_ref());
        }
    }
}

/// No git variables (a test run from a git hook has `GIT_DIR` and `GIT_INDEX_FILE` set) and no user or system
/// git configuration, for git and for any program that runs git.
pub fn without_git_environment(command: &mut Command) {
    command
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null");
}

// ---- git scenarios

/// A person: name and email, as git records them.
pub type Who = (&'static str, &'static str);

pub const ANA: Who = ("Ana Lopez", "ana@example.com");

/// 2026-11-01T10:00:00Z, the default date of a scenario's commits.
pub const NOV_1_2026: i64 = 1_793_527_200;

pub const HOUR: i64 = 3_600;
pub const DAY: i64 = 86_400;

/// A git repository built commit by commit with the git binary, in `<tmp>/repo` (the outer folder leaves room
/// for clones and worktrees). Commits are by Ana unless said otherwise, and dated by a clock that starts at
/// NOV_1_2026 and stays there unless `dated` gives it a step: with fixed dates and identities, commit ids (and
/// the snapshots that show them) are stable.
pub struct Repo {
    tmp: TempDir,
    pub root: PathBuf,
    who: Cell<Who>,
    clock: Cell<i64>,
    step: Cell<i64>,
}

impl Repo {
    /// An empty repository on branch `main`.
    pub fn new() -> Repo {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let root = tmp.path().join("repo");
        std::fs::create_dir(&root).expect("create the repository folder");
        let repo = Repo {
            tmp,
            root,
            who: Cell::new(ANA),
            clock: Cell::new(NOV_1_2026),
            step: Cell::new(0),
        };
        repo.git(&["init", "-q"]);
        repo
    }

    /// Date the next commit `start + step`, and each later one `step` after the previous one.
    pub fn dated(self, start: i64, step: i64) -> Repo {
        self.clock.set(start);
        self.step.set(step);
        self
    }

    /// Commit as `who` unless said otherwise.
    pub fn by(self, who: Who) -> Repo {
        self.who.set(who);
        self
    }

    /// The repository folder (as `TempDir::path` would give it).
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The temporary folder that holds the repository.
    pub fn outer(&self) -> &Path {
        self.tmp.path()
    }

    /// The clock: the date (seconds since the epoch) git gives what it records now.
    pub fn now(&self) -> i64 {
        self.clock.get()
    }

    /// Move the clock one step on.
    pub fn tick(&self) {
        self.clock.set(self.clock.get() + self.step.get());
    }

    /// `git ARGS` in the repository as the default person; its standard output, trimmed. Fails on an error.
    pub fn git(&self, args: &[&str]) -> String {
        self.git_as(self.who.get(), &self.root, args)
    }

    /// `git ARGS` in `dir` as `who`, dated now, with no git variables and no user or system configuration.
    pub fn git_as(&self, who: Who, dir: &Path, args: &[&str]) -> String {
        self.git_with_input(who, dir, args, None)
    }

    /// `git ARGS` in the repository with `input` on its standard input (for `git fast-import`).
    pub fn git_with_stdin(&self, args: &[&str], input: &str) -> String {
        self.git_with_input(self.who.get(), &self.root, args, Some(input))
    }

    /// The git binary in `dir` as `who`, dated now, not yet run: for a run that may fail, or needs more settings.
    pub fn git_command_as(&self, who: Who, dir: &Path) -> Command {
        let date = format!("@{} +0000", self.clock.get());
        let mut command = git_command(dir);
        command
            .env("GIT_AUTHOR_NAME", who.0)
            .env("GIT_AUTHOR_EMAIL", who.1)
            .env("GIT_COMMITTER_NAME", who.0)
            .env("GIT_COMMITTER_EMAIL", who.1)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date);
        command
    }

    fn git_with_input(&self, who: Who, dir: &Path, args: &[&str], input: Option<&str>) -> String {
        let mut command = self.git_command_as(who, dir);
        command
            .args(args)
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("git runs");
        if let Some(input) = input {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .expect("write to git's standard input");
        }
        let output = child.wait_with_output().expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    /// Write `text` to `path` (relative to the repository), creating its folders.
    pub fn write(&self, path: &str, text: &str) {
        let path = self.root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.root.join(path)).unwrap()
    }

    /// Add `text` at the end of `path` (an absent file is empty).
    pub fn append(&self, path: &str, text: &str) {
        let old = std::fs::read_to_string(self.root.join(path)).unwrap_or_default();
        self.write(path, &format!("{old}{text}"));
    }

    /// Replace the first `from` in `path` with `to`; `from` must be there.
    pub fn edit(&self, path: &str, from: &str, to: &str) {
        let text = self.read(path);
        assert!(text.contains(from), "{path} does not contain {from:?}");
        self.write(path, &text.replacen(from, to, 1));
    }

    /// Remove a file from the working tree (`commit` then records the deletion).
    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.root.join(path)).unwrap();
    }

    /// Stage everything and commit as the default person, one step after the previous commit; the commit id.
    pub fn commit(&self, message: &str) -> String {
        self.commit_as(self.who.get(), message)
    }

    /// Stage everything and commit as `who`; the commit id.
    pub fn commit_as(&self, who: Who, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.commit_staged(who, message)
    }

    /// Commit what is staged as `who` (empty commits too); the commit id.
    pub fn commit_staged(&self, who: Who, message: &str) -> String {
        self.tick();
        self.git_as(
            who,
            &self.root,
            &["commit", "-q", "--allow-empty", "-m", message],
        );
        self.git(&["rev-parse", "HEAD"])
    }

    /// Create the branch `name` here and switch to it.
    pub fn branch(&self, name: &str) {
        self.git(&["checkout", "-q", "-b", name]);
    }

    /// Switch to the branch (or revision) `name`.
    pub fn checkout(&self, name: &str) {
        self.git(&["checkout", "-q", name]);
    }

    /// Merge `branch` into the current branch as `who` with a merge commit, one step after the previous commit.
    pub fn merge_as(&self, who: Who, branch: &str, message: &str) -> String {
        self.tick();
        self.git_as(
            who,
            &self.root,
            &["merge", "-q", "--no-ff", "-m", message, branch],
        );
        self.git(&["rev-parse", "HEAD"])
    }

    /// A lightweight tag `name` on HEAD.
    pub fn tag(&self, name: &str) {
        self.git(&["tag", name]);
    }

    /// `opmodel ARGS` in the repository.
    pub fn opmodel(&self, args: &[&str]) -> Run {
        opmodel(&self.root, args)
    }
}

/// The git binary in `dir`, on branch `main` by default, without signing, with no git variables and no user or
/// system configuration. Tests that need another identity or date set them on the command.
pub fn git_command(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "protocol.file.allow=always",
        ])
        .current_dir(dir);
    without_git_environment(&mut command);
    command
}

/// What `opmodel ARGS` (standard output discarded) draws on a terminal, run in `dir` through `script` (util-linux),
/// which gives the command a terminal; with `ci`, `CI` is set. For the progress bars of `audit` and `activity`.
pub fn on_terminal(dir: &Path, args: &str, ci: bool) -> String {
    let command = format!("{} {args} > /dev/null", env!("CARGO_BIN_EXE_opmodel"));
    let mut script = Command::new("script");
    script
        .args(["-qec", &command, "/dev/null"])
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("CI");
    if ci {
        script.env("CI", "true");
    }
    let output = script.output().unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}

// ---- Headless Chromium

/// Debian's Chromium, headless, as this machine allows it (no sandbox as root, no background connections, which
/// the closed network refuses), with a fresh profile that lives as long as the command: add the page's arguments.
#[allow(dead_code)]
pub fn chromium() -> (Command, tempfile::TempDir) {
    let profile = tempfile::tempdir().expect("a profile folder");
    let mut command = Command::new("chromium");
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()));
    (command, profile)
}

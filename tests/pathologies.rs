//! Former pathologies: inputs on which an earlier version took many seconds or minutes because its cost grew
//! with the square of the input. Each test runs the binary on such an input, at a size where the old code took
//! many seconds, and asserts the output (exit code, findings, a key line). The time itself is held by `bench/`
//! (docs/performance.md), not by these tests.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use support::{skip_without, Opmodel, Repo, Run};
use tempfile::TempDir;

mod support;

const MANIFEST: &str = "[model]\nversion = 1\nroot = \"ops\"\n";

/// A temporary repository root (`.git` folder, manifest) to write a model into.
struct Project {
    tmp: TempDir,
}

impl Project {
    fn new() -> Project {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        fs::create_dir_all(tmp.path().join(".git")).unwrap();
        fs::write(tmp.path().join("opmodel.toml"), MANIFEST).unwrap();
        Project { tmp }
    }

    fn root(&self) -> &Path {
        self.tmp.path()
    }

    fn write(&self, relative: &str, text: &str) -> PathBuf {
        let path = self.root().join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        path
    }

    fn run(&self, extra: &[&str]) -> Run {
        Opmodel::new(self.root())
            .args(["check", "--as-of", "2026-11-20"])
            .args(extra)
            .run()
    }

    /// The exit code and findings of a JSON run.
    fn findings(&self) -> (i32, Vec<Value>) {
        let run = self.run(&["--format", "json"]);
        let json: Value = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("the JSON report parses: {e}\n{}", run.stderr));
        let findings = json["findings"].as_array().cloned().unwrap_or_default();
        (run.code, findings)
    }
}

/// `people` people in files of at most 5,000 (a model file is at most 1 MiB), each with the `manager` that
/// `manager(i)` names.
fn write_people(project: &Project, people: usize, manager: impl Fn(usize) -> Option<usize>) {
    for (part, first) in (0..people).step_by(5_000).enumerate() {
        let mut text = String::new();
        for i in first..people.min(first + 5_000) {
            write!(
                text,
                "[[person]]\nid = \"p{i}\"\nname = \"Person {i}\"\nemail = \"p{i}@example.com\"\n"
            )
            .unwrap();
            if let Some(m) = manager(i) {
                writeln!(text, "manager = \"p{m}\"").unwrap();
            }
            text.push('\n');
        }
        project.write(&format!("ops/people-{part:02}.toml"), &text);
    }
}

fn rules(findings: &[Value]) -> Vec<&str> {
    findings.iter().filter_map(|f| f["rule"].as_str()).collect()
}

/// A manager chain of 20,000 people ending in a loop of three: the former search from every person along the
/// chain took over 40 seconds. The loop is reported once, from its first person, every hop labelled.
#[test]
fn a_long_manager_chain_ending_in_a_loop_is_one_finding() {
    let project = Project::new();
    let people = 20_000;
    write_people(&project, people, |i| match i {
        _ if i + 1 == people => Some(people - 3),
        _ => Some(i + 1),
    });
    let (code, findings) = project.findings();
    assert_eq!(code, 1);
    assert_eq!(rules(&findings), ["escalation-cycle"], "{findings:#?}");
    let f = &findings[0];
    assert_eq!(
        f["message"],
        "escalation goes in a circle: Person 19997 (p19997) reports to Person 19998 (p19998), who reports to \
         Person 19999 (p19999), who reports to Person 19997 (p19997)"
    );
    let labels: Vec<&str> = std::iter::once(&f["label"])
        .chain(
            f["related"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| &r["message"]),
        )
        .map(|l| l.as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        labels,
        [
            "p19997 reports to p19998",
            "p19998 reports to p19999",
            "p19999 reports to p19997"
        ],
        "{f:#}"
    );
}

/// 3,000 areas and 30,000 tracked files: matching every file against every area's pattern took over 10 seconds.
/// Each area still owns its ten files, and the one file no area matches is still reported.
#[test]
fn thousands_of_areas_over_tens_of_thousands_of_files() {
    skip_without!("git");
    let repo = Repo::new();
    let areas = 3_000;
    repo.write(
        "opmodel.toml",
        "[model]\nversion = 1\nroot = \"ops\"\n\n[ownership]\nrequired = [\"/src/\"]\n",
    );
    let mut text = String::from(
        "[[person]]\nid = \"ana\"\nname = \"Ana Lopez\"\nemail = \"ana@example.com\"\n\n\
         [[area]]\nid = \"model\"\ntitle = \"The model\"\nowner = \"ana\"\npaths = [\"/opmodel.toml\", \"/ops/\"]\n\n",
    );
    for a in 0..areas {
        write!(
            text,
            "[[area]]\nid = \"area-{a}\"\ntitle = \"Area {a}\"\nowner = \"ana\"\npaths = [\"/src/area-{a}/\"]\n\n"
        )
        .unwrap();
    }
    repo.write("ops/areas.toml", &text);
    for a in 0..areas {
        for f in 0..10 {
            repo.write(&format!("src/area-{a}/file-{f}.rs"), "x\n");
        }
    }
    repo.write("src/orphan.rs", "x\n");
    repo.commit("initial");

    let run = repo.opmodel(&["check", "--as-of", "2026-11-20", "--format", "json"]);
    let json: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("the JSON report parses: {e}\n{}", run.stderr));
    let findings = json["findings"].as_array().cloned().unwrap_or_default();
    assert_eq!(run.code, 1);
    assert_eq!(rules(&findings), ["unowned-path"], "{findings:#?}");
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("src/orphan.rs"),
        "{findings:#?}"
    );
}

/// One unclosed `[` followed by 4,000 small tables (140 KB): each following line was its own syntax error,
/// 12,000 findings whose human report took a minute. It is one broken place, reported where it starts.
#[test]
fn an_unclosed_array_before_thousands_of_tables_is_one_finding() {
    let project = Project::new();
    let mut text = String::from(
        "[[person]]\nid = \"ana\"\nname = \"Ana Lopez\"\nemail = \"ana@example.com\"\ntags = [\"x\"\n\n",
    );
    for i in 0..4_000 {
        write!(text, "[table-{i}]\nkey = {i}\nother = \"value {i}\"\n\n").unwrap();
    }
    assert!(text.len() > 140_000);
    project.write("ops/broken.toml", &text);
    let run = project.run(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stdout.matches("toml-syntax").count(),
        1,
        "{}",
        &run.stdout[..run.stdout.len().min(3_000)]
    );
    assert!(
        run.stdout.contains("╭─[ops/broken.toml:7:1]"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("1 error in 1 file (0 entities)\n"),
        "{}",
        run.stdout
    );
    let (code, findings) = project.findings();
    assert_eq!(code, 1);
    assert_eq!(rules(&findings), ["toml-syntax"]);
    assert_eq!(findings[0]["line"], 7);
}

/// The same table header written 20,000 times (80 KB): each repeat looked for an earlier `[[x]]` by reading every
/// line above it again, 5.8 s for this file in JSON. Each repeat is its own broken place, said in the same words.
#[test]
fn a_table_header_written_twenty_thousand_times() {
    let project = Project::new();
    project.write("ops/broken.toml", &"[x]\n".repeat(20_000));
    let (code, findings) = project.findings();
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 19_999);
    for (i, finding) in findings.iter().enumerate() {
        assert_eq!(finding["rule"], "toml-syntax");
        assert_eq!(
            finding["message"],
            "ops/broken.toml is not valid TOML: `[x]` is written twice: if each is one x, write `[[x]]` above each"
        );
        assert_eq!(finding["line"], i + 2);
    }
    // The human report draws each of them with its snippet: miette read the file from its start for every
    // finding, 45 s for this file.
    let run = project.run(&["--color", "never"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout.matches("toml-syntax").count(), 19_999);
    assert!(
        run.stdout.contains(
            " 19999 │ [x]\n 20000 │ [x]\n       ·  ┬\n       ·  ╰── `[x]` is written twice"
        ),
        "{}",
        &run.stdout[run.stdout.len().saturating_sub(2_000)..]
    );
    assert!(run
        .stdout
        .ends_with("19999 errors in 1 file (0 entities)\n"));
}

/// 20,000 bare words and no header (200 KB): each looked for the header above it by reading every line above it
/// again, 8 s for this file. Each is a finding of its own that says how to write the word.
#[test]
fn twenty_thousand_bare_words_without_a_header() {
    let project = Project::new();
    let mut text = String::new();
    for i in 0..20_000 {
        writeln!(text, "key-{i} = ana").unwrap();
    }
    project.write("ops/broken.toml", &text);
    let (code, findings) = project.findings();
    assert_eq!(code, 1);
    assert_eq!(findings.len(), 20_000);
    assert!(findings
        .iter()
        .all(|f| f["message"]
            == "ops/broken.toml is not valid TOML: text is written in quotes: \"ana\""));
    assert_eq!(findings[19_999]["line"], 20_000);
}

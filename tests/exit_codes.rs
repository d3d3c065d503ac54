//! Exit codes and what each says: 0 no error-level finding, 1 at least one, 2 opmodel could not run (with a
//! message that says what to do). Also the JSON report's documented fields, and colors on and off.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use tempfile::TempDir;

mod support;
use support::{Opmodel, Run};

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

/// Run with `NO_COLOR` unset, and `env` set.
fn opmodel(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Opmodel::new(dir).args(args).env_remove("NO_COLOR");
    for (key, value) in env {
        command = command.env(key, value);
    }
    command.run()
}

/// Run with colors off, as a user piping the output would see it.
fn plain(dir: &Path, args: &[&str]) -> Run {
    support::opmodel(dir, args)
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn case(name: &str) -> PathBuf {
    root().join("tests/cases/invalid").join(name)
}

/// A temporary repository (`.git`), with `files` written into it.
fn repository(files: &[(&str, &str)]) -> TempDir {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    fs::create_dir_all(tmp.path().join(".git")).unwrap();
    for (path, text) in files {
        let path = tmp.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    tmp
}

/// Exit 2, nothing on stdout, and stderr says what went wrong and what to do.
fn assert_cannot_run(run: &Run, words: &[&str]) {
    assert_eq!(
        run.code, 2,
        "exit code\nstdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    assert!(
        run.stdout.is_empty(),
        "a run that could not happen printed a report:\n{}",
        run.stdout
    );
    for word in words {
        assert!(
            run.stderr.contains(word),
            "`{word}` is not in stderr:\n{}",
            run.stderr
        );
    }
}

// ---- exit 0 and 1

#[test]
fn the_example_company_is_clean() {
    let run = plain(
        &root(),
        &["check", "-C", "fixtures/example", "--as-of", "2026-11-20"],
    );
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "no problems in 11 files (100 entities)\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_stalled_company_fails_with_many_different_rules() {
    let run = plain(
        &root(),
        &[
            "check",
            "-C",
            "fixtures/stalled",
            "--as-of",
            "2026-11-20",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut rules: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    rules.sort();
    rules.dedup();
    assert!(
        rules.len() >= 10,
        "only {} different rules: {rules:?}",
        rules.len()
    );
}

#[test]
fn a_clean_model_exits_0() {
    let repo = repository(&[("opmodel.toml", MANIFEST), ("ops/model.toml", CLEAN_MODEL)]);
    let run = plain(repo.path(), &["check", "--as-of", "2026-11-20"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("no problems in 1 file (2 entities)"),
        "{}",
        run.stdout
    );
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn warnings_alone_exit_0_and_deny_warnings_makes_them_fail() {
    // A folder named like a model file is a warning (`skipped-path`).
    let repo = repository(&[
        ("opmodel.toml", MANIFEST),
        ("ops/model.toml", CLEAN_MODEL),
        ("ops/x.toml/notes.txt", ""),
    ]);
    let run = plain(repo.path(), &["check", "--as-of", "2026-11-20"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(
        run.stdout.contains("skipped-path") && run.stdout.contains("1 warning"),
        "{}",
        run.stdout
    );
    let run = plain(
        repo.path(),
        &["check", "--as-of", "2026-11-20", "--deny", "warnings"],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
}

#[test]
fn the_done_when_case_reports_all_three_problems_and_exits_1() {
    let run = plain(&case("three-problems"), &["check", "--as-of", "2026-11-20"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    // Each at its exact place: the unclosed string, the quoted boolean, the misspelt team.
    for place in [
        "ops/a-syntax.toml:3:38",
        "ops/b-schema.toml:5:14",
        "ops/c-reference.toml:5:6",
    ] {
        assert!(
            run.stdout.contains(place),
            "`{place}` is not in the report:\n{}",
            run.stdout
        );
    }
    for rule in ["toml-syntax", "invalid-value", "unknown-reference"] {
        assert!(
            run.stdout.contains(rule),
            "`{rule}` is not in the report:\n{}",
            run.stdout
        );
    }
    assert!(run.stdout.contains("3 errors"), "{}", run.stdout);
}

// ---- exit 2: opmodel could not run

#[test]
fn no_manifest() {
    let repo = repository(&[("ops/model.toml", CLEAN_MODEL)]);
    let run = plain(repo.path(), &["check"]);
    assert_cannot_run(&run, &["no opmodel.toml in", "opmodel init", "--manifest"]);
}

#[test]
fn no_manifest_searched_up_to_the_repository_root() {
    let repo = repository(&[("ops/teams/model.toml", CLEAN_MODEL)]);
    let run = plain(&repo.path().join("ops/teams"), &["check"]);
    assert_cannot_run(
        &run,
        &[
            "or any folder above it up to the repository root",
            "opmodel init",
        ],
    );
}

#[test]
fn manifest_option_pointing_nowhere() {
    let repo = repository(&[("opmodel.toml", MANIFEST), ("ops/model.toml", CLEAN_MODEL)]);
    let run = plain(
        repo.path(),
        &["check", "--manifest", "elsewhere/opmodel.toml"],
    );
    assert_cannot_run(
        &run,
        &[
            "elsewhere/opmodel.toml does not exist or is not a file",
            "--manifest",
        ],
    );
}

#[test]
fn model_root_missing() {
    let repo = repository(&[(
        "opmodel.toml",
        "[model]\nversion = 1\nroot = \"operations\"\n",
    )]);
    let run = plain(repo.path(), &["check"]);
    assert_cannot_run(
        &run,
        &[
            "cannot read the model folder",
            "operations",
            "no such file or folder",
            "[model].root",
        ],
    );
}

#[test]
fn model_root_is_a_file() {
    let repo = repository(&[("opmodel.toml", MANIFEST), ("ops", "not a folder")]);
    let run = plain(repo.path(), &["check"]);
    assert_cannot_run(&run, &["is not a folder", "[model].root"]);
}

#[test]
fn directory_option_to_a_missing_folder() {
    let repo = repository(&[]);
    let run = plain(repo.path(), &["check", "-C", "no/such/folder"]);
    assert_cannot_run(&run, &["no/such/folder is not a folder", "-C"]);
}

#[test]
fn bad_as_of_date() {
    let run = plain(
        &root(),
        &["check", "-C", "fixtures/example", "--as-of", "20/11/2026"],
    );
    assert_cannot_run(&run, &["--as-of 20/11/2026: not a date", "YYYY-MM-DD"]);
    let run = plain(
        &root(),
        &["check", "-C", "fixtures/example", "--as-of", "2026-02-30"],
    );
    assert_cannot_run(&run, &["--as-of 2026-02-30: not a date"]);
}

#[test]
fn unknown_flag() {
    let run = plain(&root(), &["check", "--frobnicate"]);
    assert_cannot_run(&run, &["unexpected argument '--frobnicate'", "--help"]);
}

#[test]
fn unknown_format() {
    let run = plain(&root(), &["check", "--format", "xml"]);
    assert_cannot_run(
        &run,
        &["invalid value 'xml' for '--format <FORMAT>'", "human, json"],
    );
}

#[test]
fn unknown_color_choice() {
    let run = plain(&root(), &["--color", "sometimes", "check"]);
    assert_cannot_run(&run, &["invalid value 'sometimes'", "auto, always, never"]);
}

#[test]
fn unknown_subcommand() {
    let run = plain(&root(), &["chek"]);
    assert_cannot_run(&run, &["unrecognized subcommand 'chek'", "check"]);
}

#[test]
fn deny_an_unknown_rule() {
    let run = plain(
        &root(),
        &[
            "check",
            "-C",
            "fixtures/example",
            "--as-of",
            "2026-11-20",
            "--deny",
            "no-such-rule",
        ],
    );
    assert_cannot_run(
        &run,
        &[
            "--deny no-such-rule: there is no rule named `no-such-rule`",
            "opmodel rules",
        ],
    );
    let run = plain(
        &root(),
        &[
            "check",
            "-C",
            "fixtures/example",
            "--as-of",
            "2026-11-20",
            "--warn",
            "review-overdu",
        ],
    );
    assert_cannot_run(&run, &["did you mean `review-overdue`?"]);
}

#[test]
fn manifest_syntax_error() {
    let repo = repository(&[
        ("opmodel.toml", "[model]\nversion = 1\nroot = \"ops\n"),
        ("ops/model.toml", CLEAN_MODEL),
    ]);
    let run = plain(repo.path(), &["check"]);
    // The diagnostic, with its span, and then what to do.
    assert_cannot_run(
        &run,
        &[
            "toml-syntax",
            "the manifest is not valid TOML",
            "[opmodel.toml:3:12]",
            "fix the manifest",
        ],
    );
    assert!(
        run.stderr.contains(" 3 │ root = \"ops"),
        "the snippet shows the line:\n{}",
        run.stderr
    );
}

#[test]
fn manifest_schema_error() {
    let manifest = "[model]\nversion = 1\nroot = \"ops\"\nroots = \"operations\"\n\n[rules]\nreview-overdue = \"sometimes\"\n";
    let repo = repository(&[("opmodel.toml", manifest), ("ops/model.toml", CLEAN_MODEL)]);
    let run = plain(repo.path(), &["check"]);
    assert_cannot_run(
        &run,
        &[
            "unknown-field",
            "the [model] table has an unknown field `roots`",
            "[opmodel.toml:4:1]",
            "did you mean `root`?",
            "invalid-value",
            "[opmodel.toml:7:18]",
            "error: the manifest opmodel.toml has 2 problems",
            "fix the manifest",
        ],
    );
}

#[test]
fn manifest_unknown_table() {
    let manifest = "[model]\nversion = 1\nroot = \"ops\"\n\n[ownershp]\nrequired = [\"**\"]\n";
    let repo = repository(&[("opmodel.toml", manifest), ("ops/model.toml", CLEAN_MODEL)]);
    let run = plain(repo.path(), &["check"]);
    assert_cannot_run(
        &run,
        &[
            "`ownershp` is not a manifest table",
            "[opmodel.toml:5:2]",
            "did you mean `ownership`?",
        ],
    );
}

#[test]
fn manifest_version_from_the_future() {
    let repo = repository(&[
        ("opmodel.toml", "[model]\nversion = 2\nroot = \"ops\"\n"),
        ("ops/model.toml", CLEAN_MODEL),
    ]);
    let run = plain(repo.path(), &["check"]);
    assert_cannot_run(
        &run,
        &["`version` of the [model] table", "[opmodel.toml:2:11]"],
    );
}

// ---- the JSON report

fn json(dir: &Path) -> (i32, Value) {
    let run = plain(dir, &["check", "--as-of", "2026-11-20", "--format", "json"]);
    let value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| {
        panic!(
            "the JSON report parses: {e}\n{}\n{}",
            run.stdout, run.stderr
        )
    });
    (run.code, value)
}

fn find<'a>(findings: &'a [Value], rule: &str) -> &'a Value {
    findings
        .iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no `{rule}` finding in {findings:#?}"))
}

#[test]
fn json_report_has_the_documented_fields() {
    let (code, report) = json(&case("three-problems"));
    assert_eq!(code, 1);
    assert_eq!(report["version"], 1);
    assert_eq!(report["tool"]["name"], "opmodel");
    assert!(report["tool"]["version"].is_string());
    assert_eq!(report["command"], "check");

    let findings = report["findings"].as_array().expect("findings is an array");
    let summary = &report["summary"];
    assert_eq!(summary["errors"], 3);
    assert_eq!(
        summary["files"], 4,
        "people.toml and the three files of the case"
    );
    assert_eq!(
        summary["entities"], 5,
        "the file that does not parse adds none"
    );
    let count = |level: &str| findings.iter().filter(|f| f["level"] == level).count() as u64;
    assert_eq!(summary["errors"].as_u64(), Some(count("error")));
    assert_eq!(summary["warnings"].as_u64(), Some(count("warn")));
    assert_eq!(summary["infos"].as_u64(), Some(count("info")));

    let fields = [
        "rule",
        "level",
        "message",
        "file",
        "line",
        "column",
        "end_line",
        "end_column",
        "span",
        "label",
        "help",
        "entity",
        "related",
    ];
    for finding in findings {
        for field in fields {
            assert!(
                finding.get(field).is_some(),
                "`{field}` is missing from {finding:#}"
            );
        }
        assert!(finding["related"].is_array());
    }

    // ops/c-reference.toml, counted by hand: line 5 is `to = "finanse"`; the lines before it hold
    // 12 + 23 + 56 + 17 = 108 bytes; the value starts after `to = ` (5 bytes) and is 9 bytes long.
    let dangling = find(findings, "unknown-reference");
    assert_eq!(dangling["level"], "error");
    assert_eq!(dangling["file"], "ops/c-reference.toml");
    assert_eq!(
        dangling["message"],
        "`to` of handoff \"signed-contract\" names \"finanse\", which is not a known team"
    );
    assert_eq!(
        (&dangling["line"], &dangling["column"]),
        (&Value::from(5), &Value::from(6))
    );
    assert_eq!(
        (&dangling["end_line"], &dangling["end_column"]),
        (&Value::from(5), &Value::from(15))
    );
    assert_eq!(
        (&dangling["span"]["start"], &dangling["span"]["end"]),
        (&Value::from(113), &Value::from(122))
    );
    assert_eq!(dangling["label"], "no team has this id");
    assert_eq!(dangling["help"], "did you mean \"finance\"?");
    assert_eq!(dangling["entity"]["kind"], "handoff");
    assert_eq!(dangling["entity"]["id"], "signed-contract");

    // ops/b-schema.toml: `reversible = "yes"` on line 5; 13 + 15 + 53 + 14 = 95 bytes before it.
    let schema = find(findings, "invalid-value");
    assert_eq!(schema["file"], "ops/b-schema.toml");
    assert_eq!(
        (&schema["line"], &schema["column"], &schema["end_column"]),
        (&Value::from(5), &Value::from(14), &Value::from(19))
    );
    assert_eq!(
        (&schema["span"]["start"], &schema["span"]["end"]),
        (&Value::from(108), &Value::from(113))
    );
    assert_eq!(schema["help"], "write `reversible = true`, without quotes");

    let syntax = find(findings, "toml-syntax");
    assert_eq!(syntax["file"], "ops/a-syntax.toml");
    assert_eq!(
        (&syntax["line"], &syntax["column"]),
        (&Value::from(3), &Value::from(38))
    );
}

#[test]
fn json_findings_are_sorted_by_file_then_position() {
    for name in [
        "three-problems",
        "several-errors-in-one-file",
        "syntax-error-next-to-valid-file",
    ] {
        let (_, report) = json(&case(name));
        let findings = report["findings"].as_array().unwrap();
        assert!(findings.len() >= 2, "{name}: {findings:#?}");
        let keys: Vec<(Option<String>, u64, u64)> = findings
            .iter()
            .map(|f| {
                (
                    f["file"].as_str().map(String::from),
                    f["span"]["start"].as_u64().unwrap_or(0),
                    f["span"]["end"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(
            keys, sorted,
            "{name}: findings are not in file and position order"
        );
    }
    // The six problems of one file come in the order they are written.
    let (_, report) = json(&case("several-errors-in-one-file"));
    let lines: Vec<u64> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == "ops/decisions.toml")
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [1, 4, 5, 6, 13, 14]);
}

#[test]
fn json_related_places() {
    let (_, report) = json(&case("duplicate-id-two-files"));
    let duplicate = find(report["findings"].as_array().unwrap(), "duplicate-id");
    assert_eq!(duplicate["file"], "ops/decisions/sales.toml");
    assert_eq!(duplicate["label"], "defined again here");
    let related = duplicate["related"].as_array().unwrap();
    assert_eq!(related.len(), 1);
    // `[[decision]]\n` is 13 bytes, then `id = ` (5), then `"pricing-exceptions"` (20).
    assert_eq!(related[0]["file"], "ops/decisions/pricing.toml");
    assert_eq!(
        (&related[0]["line"], &related[0]["column"]),
        (&Value::from(2), &Value::from(6))
    );
    assert_eq!(
        (&related[0]["span"]["start"], &related[0]["span"]["end"]),
        (&Value::from(18), &Value::from(38))
    );
    assert_eq!(related[0]["message"], "first defined here");
}

#[test]
fn json_finding_about_a_whole_file_has_no_position() {
    let repo = repository(&[
        ("opmodel.toml", MANIFEST),
        ("ops/model.toml", CLEAN_MODEL),
        ("ops/empty.toml", ""),
    ]);
    let (code, report) = json(repo.path());
    assert_eq!(code, 0);
    let empty = find(report["findings"].as_array().unwrap(), "empty-file");
    assert_eq!(empty["level"], "info");
    assert_eq!(empty["file"], "ops/empty.toml");
    for field in ["line", "column", "end_line", "end_column", "span", "label"] {
        assert!(
            empty[field].is_null(),
            "`{field}` of a whole-file finding: {empty:#}"
        );
    }
    assert_eq!(report["summary"]["infos"], 1);
}

// ---- colors

#[test]
fn colors_follow_no_color_and_the_color_option() {
    let dir = case("three-problems");
    let args = ["check", "--as-of", "2026-11-20"];
    let escape = '\u{1b}';

    // Piped (as here) with NO_COLOR, and with --color never: no escape codes.
    let run = opmodel(&dir, &args, &[("NO_COLOR", "1")]);
    assert!(!run.stdout.contains(escape), "NO_COLOR: {:?}", run.stdout);
    let run = opmodel(
        &dir,
        &["--color", "never", "check", "--as-of", "2026-11-20"],
        &[],
    );
    assert!(
        !run.stdout.contains(escape),
        "--color never: {:?}",
        run.stdout
    );
    // `auto` with stdout not a terminal: no colors either.
    let run = opmodel(&dir, &args, &[]);
    assert!(
        !run.stdout.contains(escape),
        "--color auto into a pipe: {:?}",
        run.stdout
    );

    // --color always: colors, even into a pipe, and the option wins over NO_COLOR.
    let run = opmodel(
        &dir,
        &["check", "--as-of", "2026-11-20", "--color", "always"],
        &[],
    );
    assert!(
        run.stdout.contains(escape),
        "--color always: {:?}",
        run.stdout
    );
    let run = opmodel(
        &dir,
        &["--color", "always", "check", "--as-of", "2026-11-20"],
        &[("NO_COLOR", "1")],
    );
    assert!(
        run.stdout.contains(escape),
        "--color always with NO_COLOR: {:?}",
        run.stdout
    );
    assert_eq!(run.code, 1);

    // Errors that stop the run follow the same choice.
    let repo = repository(&[("opmodel.toml", "[model]\nroot = \"ops\nversion = 1\n")]);
    let run = opmodel(repo.path(), &["--color", "never", "check"], &[]);
    assert_eq!(run.code, 2);
    assert!(!run.stderr.contains(escape), "{:?}", run.stderr);
}

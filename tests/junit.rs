//! `--format junit`, read by a real JUnit consumer: the `junitparser` Python library (PyPI), which CI systems'
//! tooling uses to read test reports. Skipped with a message when it is absent, failed when `CI` is set.

use std::process::Command;

mod support;

/// Exit code and standard output of opmodel run in this checkout.
fn opmodel(args: &[&str]) -> (i32, String) {
    let run = support::opmodel(env!("CARGO_MANIFEST_DIR"), args);
    (run.code, run.stdout)
}

fn junitparser_available() -> bool {
    support::require(
        "the Python package junitparser",
        &["python3", "-c", "import junitparser"],
    )
}

/// What junitparser reads: `suites failures`, then one line per test case: `suite|name|result|message`.
fn read_with_junitparser(xml: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.xml");
    std::fs::write(&path, xml).unwrap();
    let script = r#"
import sys
from junitparser import JUnitXml, Failure
xml = JUnitXml.fromfile(sys.argv[1])
print(xml.tests, xml.failures)
for suite in xml:
    for case in suite:
        result = [r for r in case.result]
        kind = type(result[0]).__name__ if result else "passed"
        message = result[0].message if result else (case.system_out or "")
        print(f"{suite.name}|{case.name}|{kind}|{message}")
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "junitparser could not read the report: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_stalled_company_as_junit_reads_back_with_every_finding() {
    if !junitparser_available() {
        return;
    }
    let (code, xml) = opmodel(&[
        "check",
        "-C",
        "fixtures/stalled",
        "--as-of",
        "2026-11-20",
        "--format",
        "junit",
    ]);
    assert_eq!(code, 1, "findings at error: exit 1");
    let (_, json) = opmodel(&[
        "check",
        "-C",
        "fixtures/stalled",
        "--as-of",
        "2026-11-20",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let findings = json["findings"].as_array().unwrap();
    let failing = findings.iter().filter(|f| f["level"] != "info").count();
    let read = read_with_junitparser(&xml);
    let mut lines = read.lines();
    assert_eq!(
        lines.next().unwrap(),
        format!("{} {failing}", findings.len()),
        "tests and failures"
    );
    let cases: Vec<&str> = lines.collect();
    assert_eq!(cases.len(), findings.len());
    for f in findings {
        let expected = format!(
            "|opmodel.{}|{}|{}",
            f["rule"].as_str().unwrap(),
            if f["level"] == "info" {
                "passed"
            } else {
                "Failure"
            },
            if f["level"] == "info" {
                ""
            } else {
                f["message"].as_str().unwrap()
            }
        );
        assert!(
            cases.iter().any(|c| c.contains(&expected)),
            "no test case {expected} in:\n{read}"
        );
    }
}

#[test]
fn a_clean_model_is_one_passing_test_case() {
    if !junitparser_available() {
        return;
    }
    let (code, xml) = opmodel(&[
        "check",
        "-C",
        "fixtures/example",
        "--as-of",
        "2026-11-20",
        "--format",
        "junit",
    ]);
    assert_eq!(code, 0);
    let read = read_with_junitparser(&xml);
    assert_eq!(read, "1 0\nopmodel check|no findings|passed|\n");
}

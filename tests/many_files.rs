//! A model of 20,000 files, one entity each (issue 12): finding the files reached twice through a link compared
//! every path with every other, and this size took over a minute. The test asserts the output; the benchmark,
//! not the test, holds the time.

use std::fmt::Write as _;
use std::fs;

mod support;

const FILES: usize = 20_000;

#[test]
fn twenty_thousand_model_files_are_each_read_once() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let root = tmp.path();
    fs::create_dir_all(root.join(".git")).unwrap();
    fs::create_dir_all(root.join("ops")).unwrap();
    fs::write(
        root.join("opmodel.toml"),
        "[model]\nversion = 1\nroot = \"ops\"\n",
    )
    .unwrap();
    let mut text = String::new();
    for i in 0..FILES {
        text.clear();
        write!(
            text,
            "[[person]]\nid = \"p{i:05}\"\nname = \"Person {i}\"\nemail = \"p{i}@example.com\"\n"
        )
        .unwrap();
        fs::write(root.join(format!("ops/p{i:05}.toml")), &text).unwrap();
    }
    // One file reached a second time through a link: read once, under its own path.
    std::os::unix::fs::symlink("p12345.toml", root.join("ops/alias.toml")).unwrap();

    let run = support::opmodel(root, &["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("a JSON report");
    let findings = json["findings"].as_array().expect("a findings array");
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["rule"], "skipped-path");
    assert_eq!(findings[0]["file"], "ops/alias.toml");
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap()
            .contains("the same file as ops/p12345.toml"),
        "{:#?}",
        findings[0]
    );

    let summary = &json["summary"];
    assert_eq!(summary["files"], FILES + 1, "every path counted: {summary}");
    assert_eq!(summary["entities"], FILES, "each entity once: {summary}");
    assert_eq!(summary["errors"], 0, "{summary}");
}

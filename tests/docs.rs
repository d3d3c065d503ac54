//! The docs are tested: the generated rule reference is current, and the examples in the README and docs/
//! are what opmodel really prints and accepts.

use std::path::{Path, PathBuf};

mod support;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The fenced blocks of a Markdown text with the given info string.
fn blocks<'a>(text: &'a str, info: &str) -> Vec<&'a str> {
    let fence = format!("```{info}\n");
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(&fence) {
        let body = &rest[start + fence.len()..];
        let end = body.find("```\n").unwrap_or(body.len());
        out.push(&body[..end]);
        rest = &body[end..];
    }
    out
}

/// Exit code and standard output.
fn opmodel(dir: &Path, args: &[&str]) -> (i32, String) {
    let run = support::opmodel(dir, args);
    (run.code, run.stdout)
}

#[test]
fn rules_md_is_generated_from_the_rule_declarations() {
    let generated = opmodel::docs::rules_markdown();
    let path = root().join("docs/rules.md");
    if std::env::var_os("OPMODEL_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "docs/rules.md is stale: run `OPMODEL_UPDATE_DOCS=1 cargo test --test docs` and commit the result"
    );
}

/// The README's model, with `owner = "anna"`: the diagnostic the README shows, and the JSON docs/output.md shows.
fn readme_project() -> tempfile::TempDir {
    let readme = read("README.md");
    let model = blocks(&readme, "toml")
        .into_iter()
        .find(|b| b.starts_with("# ops/pricing.toml"))
        .expect("the README's tour has ops/pricing.toml");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::create_dir(dir.path().join("ops")).unwrap();
    std::fs::write(dir.path().join("opmodel.toml"), "[model]\nversion = 1\n").unwrap();
    let broken = model.replacen("owner = \"ana\" ", "owner = \"anna\"", 1);
    assert_ne!(broken, model, "the README's decision has `owner = \"ana\"`");
    std::fs::write(dir.path().join("ops/pricing.toml"), broken).unwrap();
    dir
}

#[test]
fn readme_tour_is_clean_and_its_diagnostic_is_real() {
    let readme = read("README.md");
    let model = blocks(&readme, "toml")
        .into_iter()
        .find(|b| b.starts_with("# ops/pricing.toml"))
        .unwrap();
    let clean = tempfile::tempdir().unwrap();
    std::fs::create_dir(clean.path().join(".git")).unwrap();
    std::fs::create_dir(clean.path().join("ops")).unwrap();
    std::fs::write(clean.path().join("opmodel.toml"), "[model]\nversion = 1\n").unwrap();
    std::fs::write(clean.path().join("ops/pricing.toml"), model).unwrap();
    let (code, out) = opmodel(clean.path(), &["check", "--as-of", "2026-11-20"]);
    assert_eq!(
        (code, out.as_str()),
        (0, "no problems in 1 file (4 entities)\n")
    );

    let dir = readme_project();
    let (code, out) = opmodel(dir.path(), &["check", "--as-of", "2026-11-20"]);
    assert_eq!(code, 1);
    let shown = blocks(&readme, "text")
        .into_iter()
        .find(|b| b.starts_with("unknown-reference"))
        .expect("the README shows a diagnostic");
    assert_eq!(
        out, shown,
        "the README's diagnostic differs from what opmodel prints"
    );
}

#[test]
fn output_md_json_example_is_real() {
    let doc = read("docs/output.md");
    let shown: serde_json::Value =
        serde_json::from_str(blocks(&doc, "json")[0]).expect("valid JSON in docs/output.md");
    let dir = readme_project();
    let (code, out) = opmodel(
        dir.path(),
        &["check", "--format", "json", "--as-of", "2026-11-20"],
    );
    assert_eq!(code, 1);
    let mut actual: serde_json::Value = serde_json::from_str(&out).unwrap();
    actual["tool"]["version"] = shown["tool"]["version"].clone();
    assert_eq!(
        actual, shown,
        "docs/output.md's JSON example differs from what opmodel prints"
    );
}

/// Every TOML example in the README and docs/format.md parses, and the model and manifest examples are valid.
#[test]
fn toml_examples_in_docs_are_valid() {
    use opmodel::schema::{validate, Schema};
    let mut checked = 0;
    for path in ["README.md", "docs/format.md"] {
        for block in blocks(&read(path), "toml") {
            let doc = opmodel::document::parse(block)
                .unwrap_or_else(|e| panic!("{path}: {e:?}\n{block}"));
            let schema = if block.contains("[[rule]]") {
                continue; // an editor's .taplo.toml, not opmodel's
            } else if block.starts_with("# opmodel.toml") {
                Schema::Manifest
            } else {
                Schema::Model
            };
            let findings = validate(schema, &doc, 0);
            assert!(findings.is_empty(), "{path}: {findings:?}\n{block}");
            checked += 1;
        }
    }
    assert!(
        checked >= 3,
        "expected the README's and format.md's examples, found {checked}"
    );
}

/// The TOML in every rule's docs parses (the examples are fragments of a model, so only the syntax is checked).
#[test]
fn rule_doc_examples_parse() {
    for rule in opmodel::catalog::all() {
        for block in blocks(rule.docs, "toml") {
            assert!(
                opmodel::document::parse(block).is_ok(),
                "the docs of {} hold TOML that does not parse:\n{block}",
                rule.name
            );
        }
    }
}

/// The README's tour of the stalled company shows real output: the diagnostic, the summary and the table of rules.
#[test]
fn readme_stalled_company_is_real() {
    let readme = read("README.md");
    let (code, out) = opmodel(
        &root(),
        &["check", "-C", "fixtures/stalled", "--as-of", "2026-11-20"],
    );
    assert_eq!(code, 1);
    let shown = blocks(&readme, "text")
        .into_iter()
        .find(|b| b.starts_with("irreversible-without-approvers"))
        .expect("the README shows a diagnostic of the stalled company");
    assert!(
        out.contains(shown),
        "the README's stalled diagnostic differs from what opmodel prints:\n{out}"
    );
    let summary = out.lines().last().unwrap_or_default();
    assert!(
        readme.contains(&format!("`{summary}`")),
        "the README's summary line is not `{summary}`"
    );
    let (_, json) = opmodel(
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
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut counts: std::collections::BTreeMap<(String, String), usize> = Default::default();
    for f in doc["findings"].as_array().unwrap() {
        let key = (
            f["rule"].as_str().unwrap().to_string(),
            f["level"].as_str().unwrap().to_string(),
        );
        *counts.entry(key).or_default() += 1;
    }
    for ((rule, level), n) in counts {
        let row = format!("| `{rule}` | {level} | {n} |");
        assert!(
            readme.contains(&row),
            "the README's table lacks the row {row}"
        );
    }
}

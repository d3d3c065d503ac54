//! `--format sarif`: the log validates against the official SARIF 2.1.0 schema, lists every rule, points at
//! repository-relative places, and keeps each finding's fingerprint when unrelated lines move.

use std::path::{Path, PathBuf};

use opmodel::finding::{Finding, Level};
use opmodel::render::sarif;
use opmodel::source::{Files, SourceFile};
use serde_json::Value;

mod support;
use support::{skip_without, Opmodel, Repo};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run opmodel in `dir`; the exit code and standard output.
fn opmodel(dir: &Path, args: &[&str]) -> (i32, String) {
    let run = support::opmodel(dir, args);
    (run.code, run.stdout)
}

fn stalled_sarif() -> Value {
    let (code, text) = opmodel(
        &root(),
        &[
            "check",
            "-C",
            "fixtures/stalled",
            "--as-of",
            "2026-11-20",
            "--format",
            "sarif",
        ],
    );
    assert_eq!(code, 1, "the stalled company has errors");
    serde_json::from_str(&text).expect("the SARIF output is JSON")
}

/// Errors of `log` against the official schema, or None when the schema file is not there.
fn schema_errors(log: &Value) -> Option<Vec<String>> {
    let path = root().join("../shared/data/sarif-schema-2.1.0.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "skipped: the SARIF 2.1.0 schema is not at {}; the schema validation did not run",
            path.display()
        );
        return None;
    };
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    // The official schema declares draft-04.
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-04/schema#");
    let validator = jsonschema::draft4::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles");
    Some(
        validator
            .iter_errors(log)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect(),
    )
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().expect("results")
}

#[test]
fn the_stalled_company_validates_against_the_official_schema() {
    let log = stalled_sarif();
    assert!(!results(&log).is_empty());
    if let Some(errors) = schema_errors(&log) {
        assert!(
            errors.is_empty(),
            "SARIF schema errors:\n{}",
            errors.join("\n")
        );
        // The validator does reject a wrong log: opmodel's own level name is not SARIF's.
        let mut wrong = log.clone();
        wrong["runs"][0]["results"][0]["level"] = "warn".into();
        assert!(!schema_errors(&wrong).unwrap().is_empty());
    }
}

#[test]
fn every_rule_is_described_and_every_result_names_one() {
    let log = stalled_sarif();
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "opmodel");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        driver["informationUri"],
        "https://github.com/opmodel/opmodel"
    );
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let all: Vec<&str> = opmodel::catalog::all().iter().map(|r| r.name).collect();
    assert_eq!(
        ids, all,
        "tool.driver.rules lists every rule, in catalog order"
    );
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        for field in ["shortDescription", "fullDescription"] {
            assert!(
                !rule[field]["text"].as_str().unwrap().is_empty(),
                "{id}: {field}"
            );
        }
        // The help is the rule's page, as `opmodel explain` prints it.
        let page = format!("# {id}\n");
        assert!(
            rule["help"]["text"].as_str().unwrap().starts_with(&page),
            "{id}: help.text"
        );
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .unwrap()
                .starts_with(&page),
            "{id}: help.markdown"
        );
        assert_eq!(
            rule["helpUri"],
            format!("https://github.com/opmodel/opmodel/blob/main/docs/rules.md#{id}")
        );
        let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(
            ["error", "warning", "note"].contains(&level),
            "{id}: {level}"
        );
    }
    for result in results(&log) {
        let id = result["ruleId"].as_str().unwrap();
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(ids.get(index), Some(&id), "ruleIndex of {id}");
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        let locations = result["locations"].as_array().unwrap();
        assert_eq!(locations.len(), 1, "one physical location");
        let region = &locations[0]["physicalLocation"]["region"];
        for field in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(region[field].as_u64().unwrap() >= 1, "{id}: {field}");
        }
        let fingerprint = result["partialFingerprints"][sarif::FINGERPRINT_KEY]
            .as_str()
            .unwrap();
        assert!(fingerprint.len() > 16, "{fingerprint}");
    }
}

#[test]
fn uris_are_relative_to_the_repository_root() {
    skip_without!("git");
    let git = Repo::new();
    let repo = git.path();
    let company = repo.join("company");
    std::fs::create_dir_all(company.join("ops")).unwrap();
    std::fs::write(company.join("opmodel.toml"), "[model]\nversion = 1\n").unwrap();
    std::fs::write(company.join("ops/decisions.toml"), DECISION).unwrap();
    let (code, text) = opmodel(
        repo,
        &[
            "check",
            "-C",
            "company",
            "--as-of",
            "2026-11-20",
            "--format",
            "sarif",
        ],
    );
    assert_eq!(code, 0, "{text}");
    let log: Value = serde_json::from_str(&text).unwrap();
    let uris: Vec<&str> = results(&log)
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(uris, ["company/ops/decisions.toml"]);
}

const PEOPLE: &str =
    "[[person]]\nid = \"ana\"\nname = \"Ana Lopez\"\nemail = \"ana@example.com\"\n";

/// One warning: a decision without an sla.
const DECISION: &str = r#"[[person]]
id = "ana"
name = "Ana Lopez"
email = "ana@example.com"

[[decision]]
id = "refunds"
title = "Refund a customer above the standard limit"
owner = "ana"
reversible = true
"#;

/// (ruleId, startLine, fingerprint) of every result of `check` on `dir`.
fn fingerprints(dir: &Path) -> Vec<(String, u64, String)> {
    let (_, text) = opmodel(
        dir,
        &["check", "--as-of", "2026-11-20", "--format", "sarif"],
    );
    let log: Value = serde_json::from_str(&text).unwrap();
    results(&log)
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap().to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap(),
                r["partialFingerprints"][sarif::FINGERPRINT_KEY]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn fingerprints_survive_a_blank_line_above_the_finding() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path();
    std::fs::create_dir_all(project.join("ops")).unwrap();
    std::fs::write(project.join("opmodel.toml"), "[model]\nversion = 1\n").unwrap();
    std::fs::write(project.join("ops/decisions.toml"), DECISION).unwrap();
    let before = fingerprints(project);
    assert_eq!(before.len(), 1, "{before:?}");
    assert_eq!(before[0].0, "decision-without-sla");

    let moved = DECISION.replace("[[decision]]", "\n\n[[decision]]");
    std::fs::write(project.join("ops/decisions.toml"), moved).unwrap();
    let after = fingerprints(project);
    assert_eq!(after.len(), 1);
    assert_eq!(
        after[0].1,
        before[0].1 + 2,
        "the finding moved down two lines"
    );
    assert_eq!(after[0].2, before[0].2, "its fingerprint did not change");

    // A different entity with the same problem is a different alert.
    let renamed = DECISION.replace("id = \"refunds\"", "id = \"credits\"");
    std::fs::write(project.join("ops/decisions.toml"), renamed).unwrap();
    assert_ne!(fingerprints(project)[0].2, before[0].2);
}

#[test]
fn a_finding_without_a_file_points_at_the_manifest() {
    let finding = Finding::new(
        opmodel::catalog::find("unapproved-change").unwrap(),
        "commit 1234567 changed ops/a.toml without approval",
    )
    .level(Level::Warn)
    .help("ask the owner to approve");
    let mut files = Files::default();
    files.add(SourceFile::new("ops/people.toml", PEOPLE));
    let log: Value =
        serde_json::from_str(&sarif::render("check", &[finding], &files, "company")).unwrap();
    let location = &results(&log)[0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "company/opmodel.toml");
    assert_eq!(location["region"]["startLine"], 1);
    if let Some(errors) = schema_errors(&log) {
        assert!(
            errors.is_empty(),
            "SARIF schema errors:\n{}",
            errors.join("\n")
        );
    }
}

#[test]
fn a_finding_about_a_whole_file_points_at_its_first_line() {
    let mut files = Files::default();
    let file = files.add(SourceFile::new("ops/empty team.toml", ""));
    let finding = Finding::new(
        opmodel::catalog::find("empty-file").unwrap(),
        "ops/empty team.toml holds no entities",
    )
    .in_file(file);
    let log: Value = serde_json::from_str(&sarif::render("audit", &[finding], &files, "")).unwrap();
    let location = &results(&log)[0]["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], "ops/empty%20team.toml");
    assert_eq!(location["region"]["startLine"], 1);
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

/// The JSON samples of the README's "Output formats" and of docs/output.md's SARIF section are what opmodel
/// prints for the stalled company (the README's are `jq -c` projections, compared as values).
#[test]
fn the_samples_in_the_docs_are_real() {
    let log = stalled_sarif();
    let result = &results(&log)[1];
    let sarif_line = serde_json::json!({
        "ruleId": result["ruleId"],
        "level": result["level"],
        "location": result["locations"][0]["physicalLocation"],
        "partialFingerprints": result["partialFingerprints"],
    });
    let (_, text) = opmodel(
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
    let json: Value = serde_json::from_str(&text).unwrap();
    let mut finding = json["findings"][1].clone();
    let finding_object = finding.as_object_mut().unwrap();
    finding_object.remove("related");
    finding_object.remove("span");

    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = &readme[readme
        .find("## Output formats")
        .expect("the README has Output formats")..];
    let samples: Vec<Value> = blocks(section, "json")
        .into_iter()
        .take(2)
        .flat_map(|b| {
            b.lines()
                .map(|l| serde_json::from_str(l).expect("one JSON value per line"))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(
        samples,
        [json["summary"].clone(), finding, sarif_line],
        "the README's JSON and SARIF samples"
    );

    let output_md = std::fs::read_to_string(root().join("docs/output.md")).unwrap();
    let shown = blocks(&output_md, "json")
        .into_iter()
        .find(|b| b.contains("\"ruleId\""))
        .expect("docs/output.md shows a SARIF result");
    let shown: Value = serde_json::from_str(shown).unwrap();
    assert_eq!(&shown, result, "docs/output.md's SARIF result");
}

#[test]
fn output_writes_the_format_to_a_file_and_the_human_report_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stalled.sarif");
    let file_arg = file.to_str().unwrap();
    let (code, stdout) = opmodel(
        &root(),
        &[
            "check",
            "-C",
            "fixtures/stalled",
            "--as-of",
            "2026-11-20",
            "--format",
            "sarif",
            "--output",
            file_arg,
        ],
    );
    assert_eq!(code, 1);
    assert!(
        stdout.contains("irreversible-without-approvers"),
        "{stdout}"
    );
    assert!(
        stdout.trim_end().ends_with("in 6 files (48 entities)"),
        "the human summary line:\n{stdout}"
    );
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        log,
        stalled_sarif(),
        "the file holds what --format sarif prints"
    );

    // A file that cannot be written: opmodel could not do what was asked (exit 2), and says so.
    let missing = dir.path().join("no/such/folder/x.sarif");
    let run = Opmodel::new(root())
        .args([
            "check",
            "-C",
            "fixtures/stalled",
            "--as-of",
            "2026-11-20",
            "--format",
            "sarif",
            "--output",
        ])
        .arg(&missing)
        .run();
    assert_eq!(run.code, 2);
    let stderr = run.stderr;
    assert!(stderr.contains("cannot write the report to"), "{stderr}");
}

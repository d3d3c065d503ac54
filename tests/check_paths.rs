//! `opmodel check PATH...`: the whole model is loaded and checked, and only the findings in those files are
//! reported; the exit code comes from them alone. A path that is not a model file is a run error (exit 2).

use serde_json::Value as Json;

mod support;
use support::Repo;

/// `ops/people.toml` has an error (a manager nobody defines); `ops/decisions.toml` a warning (no SLA) and a
/// reference into people.toml that is fine.
fn repo() -> Repo {
    let repo = Repo::new();
    repo.write("opmodel.toml", "[model]\nversion = 1\n");
    repo.write(
        "ops/people.toml",
        "[[person]]\nid = \"ana\"\nname = \"Ana\"\nemail = \"ana@example.com\"\nmanager = \"nobody\"\n",
    );
    repo.write(
        "ops/decisions.toml",
        "[[decision]]\nid = \"pricing\"\ntitle = \"Pricing\"\nowner = \"ana\"\nreversible = true\n",
    );
    repo.commit("initial");
    repo
}

fn rules(run: &support::Run) -> Vec<(String, String)> {
    let json: Json = serde_json::from_str(&run.stdout).unwrap();
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn only_the_findings_in_the_named_files_are_reported() {
    let repo = repo();
    let all = repo.opmodel(&["check", "--format", "json"]);
    assert_eq!(all.code, 1);
    assert_eq!(rules(&all).len(), 2, "{}", all.stdout);

    let people = repo.opmodel(&["check", "ops/people.toml", "--format", "json"]);
    assert_eq!(people.code, 1, "{}", people.stderr);
    assert_eq!(
        rules(&people),
        [(
            "unknown-reference".to_string(),
            "ops/people.toml".to_string()
        )]
    );

    // The warning alone: exit 0, unless warnings fail.
    let decisions = repo.opmodel(&["check", "ops/decisions.toml", "--format", "json"]);
    assert_eq!(decisions.code, 0, "{}", decisions.stdout);
    assert_eq!(
        rules(&decisions),
        [(
            "decision-without-sla".to_string(),
            "ops/decisions.toml".to_string()
        )]
    );
    let strict = repo.opmodel(&["check", "ops/decisions.toml", "--fail-on", "warn"]);
    assert_eq!(strict.code, 1, "{}", strict.stdout);
    assert!(
        !strict.stdout.contains("nobody"),
        "the other file's finding is not reported: {}",
        strict.stdout
    );

    // Both files, the manifest (no finding), and a folder.
    let both = repo.opmodel(&[
        "check",
        "ops/decisions.toml",
        "ops/people.toml",
        "opmodel.toml",
    ]);
    assert_eq!(both.code, 1);
    let folder = repo.opmodel(&["check", "ops/", "--format", "json"]);
    assert_eq!(rules(&folder).len(), 2, "{}", folder.stdout);
    let manifest = repo.opmodel(&["check", "opmodel.toml", "--format", "json"]);
    assert_eq!(manifest.code, 0);
    assert!(rules(&manifest).is_empty(), "{}", manifest.stdout);
}

#[test]
fn paths_are_relative_to_the_current_folder() {
    let repo = repo();
    let run = support::opmodel(repo.path().join("ops"), &["check", "people.toml"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("nobody"), "{}", run.stdout);
    let run = repo.opmodel(&["-C", "ops", "check", "decisions.toml"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("nobody"), "{}", run.stdout);
}

#[test]
fn a_path_that_is_not_a_model_file_is_a_run_error() {
    let repo = repo();
    repo.write("README.md", "# hi\n");
    for path in ["README.md", "ops/missing.toml", "../elsewhere.toml"] {
        let run = repo.opmodel(&["check", path]);
        assert_eq!(run.code, 2, "{path}: {}", run.stdout);
        assert!(
            run.stderr
                .contains(&format!("error: {path} is not a model file")),
            "{}",
            run.stderr
        );
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
    let rev = repo.opmodel(&["check", "--rev", "HEAD", "ops/people.toml"]);
    assert_eq!(rev.code, 2);
    assert!(rev.stderr.contains("--rev"), "{}", rev.stderr);
}

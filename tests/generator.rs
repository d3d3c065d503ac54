//! The benchmark's model generator (`examples/generate.rs`) writes a model `opmodel check` finds nothing in, at
//! any size, in a plain folder and in a git repository: a benchmark of a model full of findings would measure the
//! renderer, not the check.

use std::path::Path;

use serde_json::Value;
use tempfile::TempDir;

mod support;
use support::{skip_without, Opmodel, Repo};

#[allow(dead_code)]
#[path = "../examples/generate.rs"]
mod generate;

fn write_model(dir: &Path, entities: usize, files: usize) -> usize {
    let texts = generate::generate(entities, files);
    std::fs::create_dir_all(dir.join("ops")).unwrap();
    std::fs::write(dir.join("opmodel.toml"), generate::MANIFEST).unwrap();
    for (i, text) in texts.iter().enumerate() {
        std::fs::write(dir.join(format!("ops/part-{i:03}.toml")), text).unwrap();
    }
    for path in generate::owned_files(entities) {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "owned\n").unwrap();
    }
    texts.len()
}

fn check(dir: &Path) -> Value {
    let run = Opmodel::new(dir)
        .args(["check", "--as-of", "2026-11-20", "--format", "json", "-C"])
        .arg(dir)
        .run();
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|_| panic!("no JSON report for {}: {}", dir.display(), run.stderr))
}

#[test]
fn generated_models_are_clean_at_every_size() {
    let sizes = (1..=60).chain([99, 100, 137, 500, 2_000]);
    for entities in sizes {
        for files in [1, 7, 200] {
            let dir = TempDir::new().unwrap();
            let written = write_model(dir.path(), entities, files);
            let report = check(dir.path());
            assert_eq!(
                report["findings"],
                Value::Array(Vec::new()),
                "{entities} entities in {files} files"
            );
            assert_eq!(
                report["summary"]["entities"], entities,
                "{entities} entities in {files} files"
            );
            assert_eq!(report["summary"]["files"], written);
            assert_eq!(written, files.min(entities));
        }
    }
}

#[test]
fn generated_models_are_clean_in_a_git_repository() {
    skip_without!("git");
    // In a repository the ownership rules run too: every required path has its area, every area its files.
    for entities in [1, 7, 50, 137, 2_000] {
        let repo = Repo::new();
        write_model(repo.path(), entities, 20);
        repo.commit("model");
        let report = check(repo.path());
        assert_eq!(
            report["findings"],
            Value::Array(Vec::new()),
            "{entities} entities"
        );
    }
}

#[test]
fn the_generator_is_deterministic() {
    assert_eq!(generate::generate(1_000, 20), generate::generate(1_000, 20));
}

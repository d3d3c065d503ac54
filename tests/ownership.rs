//! The ownership rules (`unowned-path`, `shadowed-area`, `empty-area`) and `opmodel owners`, on repositories
//! built in a temp dir: the files that count are the ones git tracks, so each test commits its files.

use std::path::Path;

mod support;
use support::{skip_without, Repo};

const PEOPLE: &str = r#"
[[person]]
id = "ana"
name = "Ana Lopez"
email = "ana@example.com"

[[person]]
id = "ravi"
name = "Ravi Shah"
email = "ravi@example.com"

[[team]]
id = "platform"
name = "Platform"
lead = "ana"
"#;

/// A committed repository: a manifest, `ops/people.toml`, `ops/areas.toml` and the given other files.
fn repo(manifest_extra: &str, areas: &str, files: &[&str]) -> Repo {
    let repo = Repo::new();
    repo.write(
        "opmodel.toml",
        &format!("[model]\nversion = 1\n\n{manifest_extra}"),
    );
    repo.write("ops/people.toml", PEOPLE);
    repo.write("ops/areas.toml", areas);
    // The manifest is always owned (`model-unowned`), by an area of its own so that the tests' areas stay theirs.
    repo.write(
        "ops/manifest-owner.toml",
        &area("manifest", "ana", &["/opmodel.toml"]),
    );
    for file in files {
        repo.write(file, "x\n");
    }
    repo.commit("initial");
    repo
}

/// Exit code, and standard output followed by standard error.
fn opmodel(dir: &Path, args: &[&str]) -> (i32, String) {
    let run = support::opmodel(dir, args);
    (run.code, run.stdout + &run.stderr)
}

fn check(dir: &Path) -> (i32, String) {
    opmodel(dir, &["check", "--as-of", "2026-11-20"])
}

fn area(id: &str, owner: &str, paths: &[&str]) -> String {
    let list: Vec<String> = paths.iter().map(|p| format!("\"{p}\"")).collect();
    format!(
        "[[area]]\nid = \"{id}\"\ntitle = \"{id}\"\nowner = \"{owner}\"\nteam = \"platform\"\npaths = [{}]\n\n",
        list.join(", ")
    )
}

const REQUIRED: &str = "[ownership]\nrequired = [\"**\"]\nignore = [\"*.md\"]\n";

#[test]
fn unowned_path_fires_for_a_tracked_file_no_area_matches() {
    skip_without!("git");
    let areas = area("model", "ana", &["/ops/"]) + &area("platform-code", "ana", &["/src/"]);
    let dir = repo(
        REQUIRED,
        &areas,
        &["src/lib.rs", "billing/invoice.rs", "README.md"],
    );
    let (code, out) = check(dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("billing/invoice.rs has no owner"), "{out}");
    assert!(
        !out.contains("README.md has no owner"),
        "ignored by *.md: {out}"
    );
    insta::assert_snapshot!(out);
}

#[test]
fn unowned_path_passes_when_every_file_is_owned_or_ignored() {
    skip_without!("git");
    let areas = area("model", "ana", &["/ops/"])
        + &area("platform-code", "ana", &["/src/"])
        + &area("billing", "ravi", &["/billing/"]);
    let dir = repo(
        REQUIRED,
        &areas,
        &["src/lib.rs", "billing/invoice.rs", "README.md"],
    );
    assert_eq!(
        check(dir.path()),
        (0, "no problems in 3 files (7 entities)\n".into())
    );
}

#[test]
fn untracked_and_ignored_files_never_count() {
    skip_without!("git");
    let areas = area("model", "ana", &["/ops/"]);
    let dir = repo(REQUIRED, &areas, &[".gitignore"]);
    std::fs::write(dir.path().join(".gitignore"), "target/\n").unwrap();
    // .gitignore itself is tracked: ignore it in the manifest so that only the untracked files are in question.
    let manifest = format!("[model]\nversion = 1\n\n{REQUIRED}")
        .replace("\"*.md\"]", "\"*.md\", \".gitignore\"]");
    std::fs::write(dir.path().join("opmodel.toml"), manifest).unwrap();
    std::fs::create_dir_all(dir.path().join("target")).unwrap();
    std::fs::write(dir.path().join("target/build.o"), "x").unwrap();
    std::fs::write(dir.path().join("scratch.txt"), "x").unwrap();
    let (code, out) = check(dir.path());
    assert_eq!(
        (code, out.as_str()),
        (0, "no problems in 3 files (5 entities)\n")
    );
}

#[test]
fn without_required_patterns_nothing_needs_an_owner() {
    skip_without!("git");
    let areas = area("model", "ana", &["/ops/"]);
    let dir = repo("", &areas, &["billing/invoice.rs"]);
    assert_eq!(check(dir.path()).0, 0);
}

#[test]
fn shadowed_area_fires_when_a_later_area_wins_every_path() {
    skip_without!("git");
    let areas = area("app", "ravi", &["/app/"]) + &area("company", "ana", &["**"]);
    let dir = repo(REQUIRED, &areas, &["app/main.rs"]);
    let (code, out) = check(dir.path());
    assert_eq!(code, 0, "a warning: {out}");
    assert!(out.contains("shadowed-area"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn shadowed_area_passes_when_the_narrow_area_comes_last() {
    skip_without!("git");
    let areas = area("company", "ana", &["**"]) + &area("app", "ravi", &["/app/"]);
    let dir = repo(REQUIRED, &areas, &["app/main.rs"]);
    assert_eq!(
        check(dir.path()),
        (0, "no problems in 3 files (6 entities)\n".into())
    );
}

#[test]
fn empty_area_fires_when_no_tracked_file_matches() {
    skip_without!("git");
    let areas = area("model", "ana", &["/ops/"]) + &area("experiments", "ravi", &["/experiments/"]);
    let dir = repo("", &areas, &["growth/a.txt"]);
    let (code, out) = check(dir.path());
    assert_eq!(code, 0, "a warning: {out}");
    assert!(out.contains("empty-area"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn empty_area_passes_when_a_pattern_matches() {
    skip_without!("git");
    let areas = area("model", "ana", &["/ops/"]) + &area("growth", "ravi", &["/growth/"]);
    let dir = repo("", &areas, &["growth/a.txt"]);
    assert_eq!(
        check(dir.path()),
        (0, "no problems in 3 files (6 entities)\n".into())
    );
}

#[test]
fn ownership_rules_do_not_run_outside_a_git_repository() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("ops")).unwrap();
    std::fs::write(
        root.join("opmodel.toml"),
        format!("[model]\nversion = 1\n\n{REQUIRED}"),
    )
    .unwrap();
    std::fs::write(root.join("ops/people.toml"), PEOPLE).unwrap();
    std::fs::write(
        root.join("ops/areas.toml"),
        area("gone", "ana", &["/nothing/"]),
    )
    .unwrap();
    std::fs::write(root.join("loose.txt"), "x").unwrap();
    assert_eq!(
        check(root),
        (0, "no problems in 2 files (4 entities)\n".into())
    );
}

#[test]
fn invalid_area_patterns_are_reported_at_the_pattern() {
    skip_without!("git");
    let areas = area("model", "ana", &["/ops/", "a//b"]);
    let dir = repo("", &areas, &[]);
    let (code, out) = check(dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("invalid-config") && out.contains("a//b"),
        "{out}"
    );
}

#[test]
fn owners_tells_owned_ignored_unowned_and_not_required_apart() {
    skip_without!("git");
    let areas =
        area("company", "ana", &["/src/"]) + &area("billing", "ravi", &["/src/billing/", "*.sql"]);
    let manifest = "[ownership]\nrequired = [\"/src/\", \"/db/\"]\nignore = [\"*.md\"]\n";
    let dir = repo(manifest, &areas, &["src/billing/invoice.rs", "src/lib.rs"]);
    let (code, out) = opmodel(
        dir.path(),
        &[
            "owners",
            "src/billing/invoice.rs",
            "src/lib.rs",
            "db/schema.sql",
            "db/notes.txt",
            "docs/x.md",
            "tools/run.sh",
        ],
    );
    assert_eq!(code, 0, "{out}");
    insta::assert_snapshot!(out);
    let (code, json) = opmodel(
        dir.path(),
        &[
            "owners",
            "db/schema.sql",
            "db/notes.txt",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["paths"][0]["status"], "owned");
    assert_eq!(doc["paths"][0]["area"], "billing");
    assert_eq!(doc["paths"][0]["pattern"], "*.sql");
    assert_eq!(doc["paths"][0]["file"], "ops/areas.toml");
    assert_eq!(doc["paths"][1]["status"], "unowned");
    assert_eq!(doc["paths"][1]["pattern"], "/db/");
    assert_eq!(doc["paths"][1]["file"], "opmodel.toml");
}

#[test]
fn owners_works_from_a_subfolder_and_rejects_paths_outside() {
    skip_without!("git");
    let areas = area("code", "ana", &["/src/"]);
    let dir = repo("", &areas, &["src/a/b.rs"]);
    let (code, out) = opmodel(&dir.path().join("src/a"), &["owners", "b.rs"]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("src/a/b.rs\n  owned by area \"code\""),
        "{out}"
    );
    let (code, out) = opmodel(dir.path(), &["owners", "../elsewhere.txt"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("outside"), "{out}");
}

//! `opmodel init`: a starter manifest and model that git tracks, that own themselves and that check clean; it
//! never overwrites a file; `--bare` writes the manifest alone, for `opmodel import codeowners`.

use serde_json::Value as Json;

mod support;
use support::Repo;

const WRITTEN: [&str; 5] = [
    "opmodel.toml",
    "ops/people.toml",
    "ops/teams.toml",
    "ops/areas.toml",
    "ops/decisions.toml",
];

#[test]
fn init_writes_a_starter_model_that_git_tracks_and_that_checks_clean() {
    let repo = Repo::new();
    let init = repo.opmodel(&["init"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    for file in WRITTEN {
        assert!(
            init.stdout.contains(&format!("wrote {file}\n")),
            "{}",
            init.stdout
        );
    }
    assert!(
        init.stdout.contains("next:") && init.stdout.contains("opmodel check"),
        "{}",
        init.stdout
    );
    repo.commit("opmodel init");
    let tracked = repo.git(&["ls-files"]);
    for file in WRITTEN {
        assert!(tracked.lines().any(|l| l == file), "{tracked}");
    }

    let check = repo.opmodel(&["check", "--fail-on", "info", "--format", "json"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    let json: Json = serde_json::from_str(&check.stdout).unwrap();
    assert_eq!(json["findings"], Json::Array(vec![]), "{:#}", json);
    assert_eq!(json["summary"]["files"], 4, "{:#}", json["summary"]);

    // The model owns itself: the manifest and the model files are the starter area's, and [ownership] requires
    // an owner for every path.
    let owners = repo.opmodel(&["owners", "opmodel.toml", "ops/areas.toml", "README.md"]);
    assert_eq!(owners.code, 0, "{}", owners.stderr);
    assert_eq!(
        owners
            .stdout
            .matches("owned by area \"everything\"")
            .count(),
        3,
        "{}",
        owners.stdout
    );
    assert!(repo.read("opmodel.toml").contains("required = [\"**\"]"));
}

#[test]
fn init_never_overwrites_and_writes_nothing_when_a_file_exists() {
    let repo = Repo::new();
    repo.write("ops/teams.toml", "# mine\n");
    let init = repo.opmodel(&["init"]);
    assert_eq!(init.code, 2, "{}", init.stdout);
    assert!(
        init.stderr.contains("ops/teams.toml already exists in")
            && init.stderr.contains("never overwrites"),
        "{}",
        init.stderr
    );
    assert_eq!(repo.read("ops/teams.toml"), "# mine\n");
    assert!(!repo.path().join("opmodel.toml").exists());
    assert!(!repo.path().join("ops/people.toml").exists());

    // A second init after a first one: the same refusal, naming every file.
    let other = Repo::new();
    assert_eq!(other.opmodel(&["init"]).code, 0);
    let again = other.opmodel(&["init"]);
    assert_eq!(again.code, 2);
    assert!(
        again.stderr.contains(&WRITTEN.join(", ")),
        "{}",
        again.stderr
    );
    let bare = other.opmodel(&["init", "--bare"]);
    assert_eq!(bare.code, 2);
    assert!(
        bare.stderr.contains("opmodel.toml already exists"),
        "{}",
        bare.stderr
    );
}

#[test]
fn init_into_a_folder_that_does_not_exist_is_a_run_error() {
    let repo = Repo::new();
    let run = repo.opmodel(&["-C", "nowhere", "init"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not a folder"), "{}", run.stderr);
    assert!(!repo.path().join("nowhere").exists());
}

#[test]
fn init_bare_writes_the_manifest_alone_for_an_import() {
    let repo = Repo::new();
    let init = repo.opmodel(&["init", "--bare"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    assert_eq!(
        init.stdout.lines().next(),
        Some("wrote opmodel.toml"),
        "{}",
        init.stdout
    );
    assert!(init.stdout.contains("opmodel import codeowners"));
    assert!(
        repo.read("opmodel.toml").contains("\nrequired = []"),
        "{}",
        repo.read("opmodel.toml")
    );
    assert!(!repo.path().join("ops").exists());
    // An import that fails (no CODEOWNERS yet) leaves no empty model folder behind.
    let failed = repo.opmodel(&["import", "codeowners"]);
    assert_eq!(failed.code, 2, "{}", failed.stdout);
    assert!(!repo.path().join("ops").exists());
    repo.write(".github/CODEOWNERS", "* @ana\n");
    repo.commit("CODEOWNERS");
    let import = repo.opmodel(&["import", "codeowners"]);
    assert_eq!(import.code, 0, "{}", import.stderr);
    assert!(
        import.stdout.contains("wrote ops/areas.toml"),
        "{}",
        import.stdout
    );
}

#[test]
fn import_after_a_full_init_refuses_and_names_init_bare() {
    let repo = Repo::new();
    assert_eq!(repo.opmodel(&["init"]).code, 0);
    repo.write(".github/CODEOWNERS", "* @ana\n");
    let import = repo.opmodel(&["import", "codeowners"]);
    assert_eq!(import.code, 2);
    assert!(
        import.stderr.contains("already defines areas")
            && import.stderr.contains("opmodel init --bare"),
        "{}",
        import.stderr
    );
}

//! `opmodel owners DIR/`: for a folder, who owns the files git tracks under it (each area with a count), and
//! whether all of them are owned, naming the ones nobody owns. A folder every file of which an area owns is not
//! UNOWNED (issue #15).

use serde_json::Value as Json;

mod support;
use support::Repo;

const MODEL: &str = r#"
[[person]]
id = "ana"
name = "Ana Lopez"
email = "ana@example.com"

[[person]]
id = "ravi"
name = "Ravi Shah"
email = "ravi@example.com"

[[area]]
id = "model"
title = "Model"
owner = "ana"
paths = ["/opmodel.toml", "/ops/"]

[[area]]
id = "pricing"
title = "Pricing"
owner = "ravi"
paths = ["/pricing/"]

[[area]]
id = "sql"
title = "SQL"
owner = "ana"
paths = ["/db/*.sql"]
"#;

fn repo() -> Repo {
    let repo = Repo::new();
    repo.write(
        "opmodel.toml",
        "[model]\nversion = 1\n\n[ownership]\nrequired = [\"**\"]\nignore = [\"*.md\"]\n",
    );
    repo.write("ops/model.toml", MODEL);
    for file in [
        "pricing/list.txt",
        "pricing/discounts/enterprise.txt",
        "db/schema.sql",
        "db/seed.sql",
        "db/notes.txt",
        "db/old/dump.txt",
        "db/README.md",
    ] {
        repo.write(file, "x\n");
    }
    repo.commit("initial");
    // Not tracked: not counted.
    repo.write("pricing/draft.txt", "x\n");
    repo.write("db/scratch.txt", "x\n");
    repo
}

#[test]
fn a_folder_whose_every_file_an_area_owns_is_all_owned() {
    let repo = repo();
    for arg in ["pricing/", "pricing", "./pricing/"] {
        let run = repo.opmodel(&["owners", arg]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(
            run.stdout,
            "pricing/: 2 files git tracks, all owned\n  area \"pricing\" (owner Ravi Shah (ravi)): 2 files\n",
            "{arg}"
        );
    }
}

#[test]
fn a_folder_partly_owned_counts_each_owner_and_names_the_unowned_files() {
    let repo = repo();
    let run = repo.opmodel(&["owners", "db/", "db/seed.sql"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "db/: 5 files git tracks, 2 owned, 3 not owned\n\
         \x20 area \"sql\" (owner Ana Lopez (ana)): 2 files\n\
         \x20 UNOWNED: 2 files: [ownership].required covers them, and no area's paths match them\n\
         \x20   db/notes.txt\n\
         \x20   db/old/dump.txt\n\
         \x20 1 file: needs no owner: matched by [ownership].ignore\n\
         db/seed.sql\n\
         \x20 owned by area \"sql\": owner Ana Lopez (ana)\n\
         \x20 decided by \"/db/*.sql\" at ops/model.toml:28\n"
    );

    let json = repo.opmodel(&["owners", "db/seed.sql", "db", ".", "--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let doc: Json = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["paths"][0]["path"], "db/seed.sql");
    let db = &doc["folders"][0];
    assert_eq!(db["folder"], "db/");
    assert_eq!(db["files"], 5);
    assert_eq!(db["all_owned"], false);
    assert_eq!(db["owners"][0]["area"], "sql");
    assert_eq!(db["owners"][0]["files"], 2);
    assert_eq!(db["ignored"], 1);
    assert_eq!(
        db["unowned"],
        serde_json::json!(["db/notes.txt", "db/old/dump.txt"])
    );
    let all = &doc["folders"][1];
    assert_eq!(all["folder"], "./");
    assert_eq!(all["files"], 9);
    // Most files first, ties by area id.
    let owners: Vec<(&str, u64)> = all["owners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["area"].as_str().unwrap(), o["files"].as_u64().unwrap()))
        .collect();
    assert_eq!(owners, [("model", 2), ("pricing", 2), ("sql", 2)]);
}

#[test]
fn a_folder_without_tracked_files_says_so() {
    let repo = repo();
    let run = repo.opmodel(&["owners", "nothing/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "nothing/\n  no file git tracks is in this folder\n"
    );
    // A file path that does not exist is still answered as a path.
    let run = repo.opmodel(&["owners", "pricing/new.txt"]);
    assert!(
        run.stdout.contains("owned by area \"pricing\""),
        "{}",
        run.stdout
    );
}

#[test]
fn outside_git_a_folder_answers_for_every_file_in_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("opmodel.toml"),
        "[model]\nversion = 1\n\n[ownership]\nrequired = [\"**\"]\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join("ops")).unwrap();
    std::fs::create_dir_all(dir.path().join("pricing")).unwrap();
    std::fs::write(dir.path().join("ops/model.toml"), MODEL).unwrap();
    std::fs::write(dir.path().join("pricing/list.txt"), "x\n").unwrap();
    let run = support::opmodel(dir.path(), &["owners", "pricing", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc: Json = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["folders"][0]["tracked"], false);
    assert_eq!(doc["folders"][0]["all_owned"], true);
    let run = support::opmodel(dir.path(), &["owners", "pricing"]);
    assert_eq!(
        run.stdout,
        "pricing/: 1 file, all owned\n  area \"pricing\" (owner Ravi Shah (ravi)): 1 file\n"
    );
}

//! `opmodel activity` (issue 14) on scripted histories with fixed dates, always with `--as-of`: each rule fires
//! and does not fire; authors matched by GitHub noreply address and by `.mailmap`; merges counted along first
//! parents and with `--all`; a rename counts in both areas.
//!
//! The model: Ana owns billing (team pay: Ana, Bob) and the model; Carl owns tools; Dana (a founder) and Eve own
//! a few more areas each. The model is committed before the window; the commits under test are a day apart from
//! 2026-08-01, and the window is `--since 2026-08-01 --as-of 2026-11-30` unless said otherwise.

use serde_json::Value;

mod support;
use support::{skip_without, Repo, Run, Who, ANA, DAY};

const BOB: Who = ("Bob Stone", "bob@example.com");
const CARL: Who = ("Carl Fo", "carl@example.com");
const DANA: Who = ("Dana Founder", "dana@example.com");

/// 2026-09-01T10:00:00Z.
const SEP_1_2026: i64 = 1_788_256_800;

const PEOPLE: &str = r#"[[person]]
id = "ana"
name = "Ana Lopez"
email = "ana@example.com"
team = "pay"

[[person]]
id = "bob"
name = "Bob Stone"
email = "bob@example.com"
github = "bob-s"
team = "pay"

[[person]]
id = "carl"
name = "Carl Fo"
email = "carl@example.com"

[[person]]
id = "dana"
name = "Dana Founder"
email = "dana@example.com"

[[person]]
id = "eve"
name = "Eve Ops"
email = "eve@example.com"

[[team]]
id = "pay"
name = "Payments"
lead = "ana"
members = ["ana", "bob"]
"#;

const AREAS: &str = r#"[[area]]
id = "billing"
title = "Billing"
owner = "ana"
team = "pay"
paths = ["/src/billing/"]

[[area]]
id = "tools"
title = "Tools"
owner = "carl"
paths = ["/tools/"]

[[area]]
id = "web"
title = "Web"
owner = "eve"
paths = ["/web/"]

[[area]]
id = "infra"
title = "Infrastructure"
owner = "eve"
paths = ["/infra/"]

[[area]]
id = "docs"
title = "Docs"
owner = "carl"
paths = ["/docs/"]

[[area]]
id = "model"
title = "The operating model"
owner = "ana"
paths = ["/ops/", "/opmodel.toml", "/.mailmap"]
"#;

/// The model, committed by Ana on 2026-07-31 (before the window), with one file in each area's folder; the next
/// commits are a day apart from 2026-08-01.
fn company() -> Repo {
    let repo = Repo::new().dated(SEP_1_2026 - 33 * DAY, DAY);
    repo.write(
        "opmodel.toml",
        "[model]\nversion = 1\nroot = \"ops\"\n\n[ownership]\nrequired = [\"**\"]\nignore = [\"*.md\"]\n\n\
         [approvals]\ntrailers = [\"Approved-by\"]\n",
    );
    repo.write("ops/people.toml", PEOPLE);
    repo.write("ops/areas.toml", AREAS);
    for folder in ["src/billing", "tools", "web", "infra", "docs"] {
        repo.write(&format!("{folder}/a.txt"), "a\n");
    }
    repo.commit_as(ANA, "The model");
    repo
}

/// `n` commits by `who`, each appending a line to `path`.
fn changes(repo: &Repo, who: Who, path: &str, n: usize) {
    for i in 0..n {
        repo.append(path, &format!("{} {i}\n", who.0));
        repo.commit_as(who, &format!("Change {path}"));
    }
}

fn activity(repo: &Repo, args: &[&str]) -> Run {
    let mut all = vec!["activity", "--since", "2026-08-01", "--as-of", "2026-11-30"];
    all.extend_from_slice(args);
    let run = support::Opmodel::new(&repo.root)
        .env("COLUMNS", "400")
        .args(all)
        .run();
    assert_ne!(run.code, 2, "opmodel could not run: {}", run.stderr);
    run
}

fn json(repo: &Repo, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let run = activity(repo, &all);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

/// The messages of the findings of `rule`.
fn messages(report: &Value, rule: &str) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| f["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn area<'v>(report: &'v Value, id: &str) -> &'v Value {
    report["areas"]
        .as_array()
        .expect("areas")
        .iter()
        .find(|a| a["id"] == id)
        .unwrap_or_else(|| panic!("no area {id} in {report}"))
}

// ---- owner-absent

#[test]
fn owner_absent_fires_when_the_owner_made_and_approved_none_of_five_changes() {
    skip_without!("git");
    let repo = company();
    changes(&repo, BOB, "src/billing/a.txt", 5);
    let report = json(&repo, &[]);
    let found = messages(&report, "owner-absent");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with(
            "area \"billing\" changed 5 times in the window, and its owner, Ana Lopez (ana), made or approved none"
        ),
        "{}",
        found[0]
    );
    assert_eq!(report["findings"][0]["level"], "warn");
}

#[test]
fn owner_absent_is_quiet_below_five_changes_with_an_approval_or_with_approver() {
    skip_without!("git");
    let repo = company();
    changes(&repo, BOB, "src/billing/a.txt", 4);
    assert!(messages(&json(&repo, &[]), "owner-absent").is_empty());
    repo.append("src/billing/a.txt", "reviewed\n");
    repo.commit_as(BOB, "Retry\n\nApproved-by: Ana Lopez <ana@example.com>\n");
    let report = json(&repo, &[]);
    assert!(messages(&report, "owner-absent").is_empty(), "{report}");
    assert_eq!(area(&report, "billing")["owner_approved"], 1);

    let repo = company();
    changes(&repo, BOB, "src/billing/a.txt", 6);
    assert!(messages(&json(&repo, &["--approver", "ana"]), "owner-absent").is_empty());
    // A threshold in [rules] at the window's end.
    let repo = company();
    repo.append(
        "opmodel.toml",
        "\n[rules]\nowner-absent = { level = \"warn\", min_changes = 7 }\n",
    );
    repo.commit_as(ANA, "Fewer reports");
    changes(&repo, BOB, "src/billing/a.txt", 6);
    assert!(messages(&json(&repo, &[]), "owner-absent").is_empty());
}

// ---- owner-shadowed

#[test]
fn owner_shadowed_names_the_outsider_who_made_most_changes_with_their_share() {
    skip_without!("git");
    let repo = company();
    changes(&repo, CARL, "src/billing/a.txt", 4);
    changes(&repo, ANA, "src/billing/a.txt", 1);
    let report = json(&repo, &[]);
    assert_eq!(
        messages(&report, "owner-shadowed"),
        ["area \"billing\" is in fact run by Carl Fo (carl), outside its owner and its team (pay): 4 of 5 (80%) \
          of its changes in the window; its owner is Ana Lopez (ana)"]
    );
    assert!(messages(&report, "owner-absent").is_empty(), "Ana made one");
}

#[test]
fn owner_shadowed_is_quiet_for_the_team_and_at_sixty_percent() {
    skip_without!("git");
    let repo = company();
    changes(&repo, BOB, "src/billing/a.txt", 4);
    changes(&repo, ANA, "src/billing/a.txt", 1);
    assert!(
        messages(&json(&repo, &[]), "owner-shadowed").is_empty(),
        "Bob is in the team"
    );
    let repo = company();
    changes(&repo, CARL, "src/billing/a.txt", 3);
    changes(&repo, ANA, "src/billing/a.txt", 2);
    assert!(
        messages(&json(&repo, &[]), "owner-shadowed").is_empty(),
        "60% is not more than 60%"
    );
}

// ---- single-contributor

#[test]
fn single_contributor_fires_for_one_hand_and_not_for_two() {
    skip_without!("git");
    let repo = company();
    changes(&repo, CARL, "tools/a.txt", 3);
    changes(&repo, CARL, "docs/a.txt", 2);
    changes(&repo, ANA, "docs/a.txt", 2);
    let report = json(&repo, &[]);
    assert_eq!(
        messages(&report, "single-contributor"),
        ["area \"tools\": all 3 changes in the window came from one person, Carl Fo (carl)"]
    );
    assert_eq!(report["findings"][0]["level"], "info");
}

// ---- unowned-hotspot

#[test]
fn unowned_hotspot_ranks_unowned_folders_and_suggests_who_changed_them_most() {
    skip_without!("git");
    let repo = company();
    changes(&repo, DANA, "scripts/deploy.sh", 3);
    changes(&repo, CARL, "scripts/deploy.sh", 1);
    changes(&repo, CARL, "misc/x.txt", 2);
    changes(&repo, CARL, "notes.md", 5);
    let report = json(&repo, &[]);
    assert_eq!(
        messages(&report, "unowned-hotspot"),
        ["scripts/ needs an owner and has none, and it changed 4 times in the window; suggested owner: Dana \
          Founder (dana), who made 3 of 4 (75%)"],
        "misc/ changed twice only; notes.md is ignored"
    );
    assert_eq!(report["unowned"][0]["folder"], "scripts/");
    assert_eq!(report["unowned"][0]["suggested_owner"]["person"], "dana");
    assert_eq!(report["unowned"][1]["folder"], "misc/");
}

// ---- heroics

#[test]
fn heroics_lists_the_areas_of_others_a_person_jumped_into() {
    skip_without!("git");
    let repo = company();
    for path in [
        "src/billing/a.txt",
        "tools/a.txt",
        "web/a.txt",
        "infra/a.txt",
    ] {
        changes(&repo, DANA, path, 1);
    }
    let report = json(&repo, &[]);
    assert_eq!(
        messages(&report, "heroics"),
        ["Dana Founder (dana) changed 4 areas they neither own nor belong to, 4 changes in the window: billing \
          (1, owner ana), tools (1, owner carl), web (1, owner eve), infra (1, owner eve)"]
    );
}

#[test]
fn heroics_is_quiet_at_three_areas_and_for_areas_of_ones_own_team() {
    skip_without!("git");
    let repo = company();
    for path in ["tools/a.txt", "web/a.txt", "infra/a.txt"] {
        changes(&repo, DANA, path, 1);
    }
    // Bob belongs to billing's team; the model is Ana's.
    for path in [
        "src/billing/a.txt",
        "tools/a.txt",
        "web/a.txt",
        "infra/a.txt",
    ] {
        changes(&repo, BOB, path, 1);
    }
    assert!(messages(&json(&repo, &[]), "heroics").is_empty());
}

// ---- stale-area

#[test]
fn stale_area_reports_areas_nothing_changed_in_the_window() {
    skip_without!("git");
    let repo = company();
    for path in [
        "src/billing/a.txt",
        "tools/a.txt",
        "web/a.txt",
        "ops/areas.toml",
    ] {
        repo.append(path, "# more\n");
        repo.commit_as(ANA, "More");
    }
    let report = json(&repo, &[]);
    let mut stale = messages(&report, "stale-area");
    stale.sort();
    assert_eq!(
        stale,
        [
            "area \"docs\" had no change in the window (2026-08-01 to 2026-11-30)",
            "area \"infra\" had no change in the window (2026-08-01 to 2026-11-30)",
        ]
    );
    // The default window is the 90 days before --as-of: the commits of September are outside it.
    let run = support::Opmodel::new(&repo.root)
        .args(["activity", "--format", "json", "--as-of", "2027-03-01"])
        .run();
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["summary"]["commits"], 0, "{report}");
    assert_eq!(messages(&report, "stale-area").len(), 6);
}

// ---- identities

#[test]
fn a_github_noreply_author_is_the_person_with_that_login() {
    skip_without!("git");
    let repo = company();
    changes(
        &repo,
        ("Bob", "12345+bob-s@users.noreply.github.com"),
        "src/billing/a.txt",
        2,
    );
    changes(
        &repo,
        ("Bob", "BOB-S@users.noreply.github.com"),
        "src/billing/a.txt",
        1,
    );
    let report = json(&repo, &[]);
    assert_eq!(area(&report, "billing")["top"]["person"], "bob");
    assert_eq!(area(&report, "billing")["top"]["changes"], 3);
    assert_eq!(report["summary"]["unmatched_commits"], 0);
}

#[test]
fn a_mailmapped_author_is_the_person_the_mailmap_at_the_end_names() {
    skip_without!("git");
    let repo = company();
    changes(
        &repo,
        ("Bobby", "bobby@laptop.local"),
        "src/billing/a.txt",
        2,
    );
    let report = json(&repo, &[]);
    assert_eq!(
        area(&report, "billing")["top"]["email"],
        "bobby@laptop.local"
    );
    assert_eq!(report["summary"]["unmatched_commits"], 2);
    repo.write(
        ".mailmap",
        "Bob Stone <bob@example.com> <bobby@laptop.local>\n",
    );
    repo.commit_as(ANA, "Map Bob's laptop");
    let report = json(&repo, &[]);
    assert_eq!(area(&report, "billing")["top"]["person"], "bob");
    assert_eq!(report["summary"]["unmatched_commits"], 0);
    assert!(
        report["identities"]
            .as_str()
            .unwrap()
            .contains(".mailmap at the window's end"),
        "{report}"
    );
}

// ---- merges and renames

#[test]
fn a_merge_counts_for_its_author_along_first_parents_and_the_side_commits_with_all() {
    skip_without!("git");
    let repo = company();
    repo.branch("side");
    changes(&repo, CARL, "web/a.txt", 2);
    repo.checkout("main");
    changes(&repo, ANA, "src/billing/a.txt", 1);
    repo.merge_as(ANA, "side", "Merge the web change");
    let first = json(&repo, &[]);
    assert_eq!(area(&first, "web")["changes"], 1, "{first}");
    assert_eq!(area(&first, "web")["top"]["person"], "ana");
    assert_eq!(first["summary"]["commits"], 2, "billing, the merge");
    let all = json(&repo, &["--all"]);
    assert_eq!(area(&all, "web")["changes"], 2, "{all}");
    assert_eq!(area(&all, "web")["top"]["person"], "carl");
    assert_eq!(
        all["summary"]["merges_skipped"], 1,
        "the merge changed nothing itself"
    );
    assert_eq!(all["window"]["first_parent"], false);
}

#[test]
fn a_rename_is_a_change_to_both_areas() {
    skip_without!("git");
    let repo = company();
    repo.git(&["mv", "tools/a.txt", "web/moved.txt"]);
    repo.commit_staged(CARL, "Move a tool to the web");
    let report = json(&repo, &[]);
    assert_eq!(area(&report, "tools")["changes"], 1);
    assert_eq!(area(&report, "web")["changes"], 1);
    assert_eq!(area(&report, "web")["top"]["person"], "carl");
}

// ---- the window and the outputs

#[test]
fn a_range_reads_its_commits_and_the_model_at_its_head() {
    skip_without!("git");
    let repo = company();
    repo.tag("start");
    changes(&repo, BOB, "src/billing/a.txt", 5);
    let run = support::Opmodel::new(&repo.root)
        .args(["activity", "start..HEAD", "--format", "json"])
        .run();
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["summary"]["commits"], 5);
    assert_eq!(messages(&report, "owner-absent").len(), 1);
    let run = support::Opmodel::new(&repo.root)
        .args(["activity", "start..HEAD", "--since", "2026-01-01"])
        .run();
    assert_eq!(run.code, 2, "a range and --since do not go together");
    let run = support::Opmodel::new(&repo.root)
        .args(["activity", "--as-of", "2026-13-01"])
        .run();
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--as-of 2026-13-01: not a date"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_format_renders_and_markdown_tables_carry_model_text_as_text() {
    skip_without!("git");
    let repo = company();
    changes(
        &repo,
        ("<b>Mallory</b>", "m|x@example.com"),
        "scripts/x.sh",
        3,
    );
    for format in ["human", "json", "markdown", "sarif", "github", "junit"] {
        let run = activity(&repo, &["--format", format]);
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        assert!(!run.stdout.is_empty(), "{format}");
    }
    let markdown = activity(&repo, &["--format", "markdown"]).stdout;
    assert!(
        markdown.starts_with("## opmodel activity: 1 warning"),
        "{markdown}"
    );
    assert!(markdown.contains("&lt;m\\|x@"), "{markdown}");
    assert!(!markdown.contains("<m|x"), "{markdown}");
    let run = activity(&repo, &["--fail-on", "warn"]);
    assert_eq!(run.code, 1, "unowned-hotspot is a warning");
    let run = activity(&repo, &["--allow", "unowned-hotspot", "--fail-on", "warn"]);
    assert_eq!(run.code, 0);
}

// ---- the "done when": a year of Northwind Ledger (fixtures/example)

/// A history written through one `git fast-import` stream: each commit's files given whole.
struct History {
    stream: String,
    files: std::collections::BTreeMap<String, String>,
    commits: usize,
}

impl History {
    fn commit(&mut self, who: (&str, &str), time: i64, message: &str, changed: &[(&str, &str)]) {
        let mut text = format!(
            "commit refs/heads/main\nauthor {} <{}> {time} +0000\ncommitter {} <{}> {time} +0000\ndata {}\n{message}\n",
            who.0,
            who.1,
            who.0,
            who.1,
            message.len()
        );
        for (path, line) in changed {
            let content = self.files.entry(path.to_string()).or_default();
            content.push_str(line);
            content.push('\n');
            text.push_str(&format!(
                "M 100644 inline {path}\ndata {}\n{content}\n",
                content.len()
            ));
        }
        self.stream.push_str(&text);
        self.commits += 1;
    }
}

fn fixture_files(dir: &std::path::Path, prefix: &str, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.path().is_dir() {
            fixture_files(&entry.path(), &format!("{name}/"), out);
        } else {
            out.push((name, std::fs::read_to_string(entry.path()).unwrap()));
        }
    }
}

/// 2025-11-20T09:00:00Z: the model is committed; a year of weekly work follows.
const NOV_20_2025: i64 = 1_763_629_200;

/// Northwind Ledger's year, week by week, up to 2026-11-20 (the window is its last 90 days):
///
/// - billing: Rachel owns it, her engineers Jonas (committing from his GitHub noreply address) and Sofia (from
///   a laptop address the `.mailmap` maps) do all of the work, and nobody asks her: the absent owner;
/// - support playbooks: Kwame, a platform SRE, writes three of every four changes; Ahmed, the owner, the rest:
///   the shadow owner;
/// - Maya, the CEO and a founder, jumps into pricing, onboarding, the close, billing and the platform in turn:
///   heroics;
/// - `scripts/` has no area; Tom, the CTO, keeps the release script, Kwame helps: the unowned hotspot;
/// - every other area's owner or team does its own work; nobody touches the handbook.
fn northwind_year() -> Repo {
    let repo = Repo::new();
    let mut files = Vec::new();
    fixture_files(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/example"),
        "",
        &mut files,
    );
    files.push((
        ".mailmap".into(),
        "Sofia Marín <sofia.marin@northwind.example> <sofia@laptop.local>\n".into(),
    ));
    let mut history = History {
        stream: String::new(),
        files: Default::default(),
        commits: 0,
    };
    let priya = ("Priya Natarajan", "priya.natarajan@northwind.example");
    let mut first = format!(
        "commit refs/heads/main\nauthor {0} <{1}> {NOV_20_2025} +0000\ncommitter {0} <{1}> {NOV_20_2025} +0000\n\
         data 32\nNorthwind Ledger operating model\n",
        priya.0, priya.1
    );
    for (path, text) in &files {
        first.push_str(&format!(
            "M 100644 inline {path}\ndata {}\n{text}\n",
            text.len()
        ));
        history.files.insert(path.clone(), text.clone());
    }
    history.stream.push_str(&first);

    let person = |id: &str| -> (&'static str, &'static str) {
        match id {
            "maya" => ("Maya Okafor", "maya.okafor@northwind.example"),
            "tom" => ("Tom Lindqvist", "tom.lindqvist@northwind.example"),
            "priya" => ("Priya Natarajan", "priya.natarajan@northwind.example"),
            "grace" => ("Grace Mbeki", "grace.mbeki@northwind.example"),
            "sanjay" => ("Sanjay Iyer", "sanjay.iyer@northwind.example"),
            "kwame" => ("Kwame Asante", "kwame.asante@northwind.example"),
            "lin" => ("Lin Zhao", "lin.zhao@northwind.example"),
            "jonas" => ("Jonas Weber", "48213+jweber@users.noreply.github.com"),
            "sofia" => ("Sofia Marin", "sofia@laptop.local"),
            "owen" => ("Owen Park", "owen.park@northwind.example"),
            "aisha" => ("Aisha Rahman", "aisha.rahman@northwind.example"),
            "ahmed" => ("Ahmed Yilmaz", "ahmed.yilmaz@northwind.example"),
            "julia" => ("Julia Santos", "julia.santos@northwind.example"),
            "lucia" => ("Lucia Ferrari", "lucia.ferrari@northwind.example"),
            other => panic!("{other} is not in the story"),
        }
    };
    let maya_rounds = [
        ("docs/pricing/price-book.txt", "pricing"),
        ("docs/onboarding/kickoff-checklist.txt", "onboarding"),
        ("docs/finance/close-checklist.txt", "close"),
        ("src/billing/README.txt", "billing"),
        ("infra/README.txt", "infrastructure"),
    ];
    for week in 0..52i64 {
        let monday = NOV_20_2025 + 4 * DAY + week * 7 * DAY;
        let at = |day: i64, hour: i64| monday + day * DAY + hour * 3_600;
        let w = format!("week {week}");
        let (engineer, message) = if week % 2 == 0 {
            ("jonas", "Dunning: retry schedule")
        } else {
            ("sofia", "Revenue export: fix rounding")
        };
        history.commit(
            person(engineer),
            at(0, 1),
            message,
            &[("src/billing/README.txt", &w)],
        );
        let support = if week % 4 == 0 { "ahmed" } else { "kwame" };
        history.commit(
            person(support),
            at(0, 3),
            "Escalation playbook: on-call steps",
            &[("docs/support/escalation-playbook.txt", &w)],
        );
        history.commit(
            person("tom"),
            at(1, 2),
            "Release script",
            &[("scripts/release.sh", &w)],
        );
        if week % 5 == 0 {
            history.commit(
                person("kwame"),
                at(1, 4),
                "Release script: retries",
                &[("scripts/release.sh", &w)],
            );
        }
        let platform = ["sanjay", "kwame", "lin"][week as usize % 3];
        history.commit(
            person(platform),
            at(2, 1),
            "Ledger core",
            &[("src/platform/README.txt", &w)],
        );
        if week % 2 == 1 {
            let quality = if week % 4 == 1 { "owen" } else { "aisha" };
            history.commit(
                person(quality),
                at(2, 5),
                "Regression plan",
                &[("tests/regression-plan.txt", &w)],
            );
        }
        if week % 2 == 0 {
            let (path, what) = maya_rounds[(week as usize / 2) % maya_rounds.len()];
            history.commit(
                person("maya"),
                at(3, 8),
                &format!("Quick fix to {what}"),
                &[(path, &w)],
            );
        }
        if week % 4 == 3 {
            history.commit(
                person("grace"),
                at(3, 2),
                "Price book: Q update",
                &[("docs/pricing/price-book.txt", &w)],
            );
            history.commit(
                person("julia"),
                at(3, 3),
                "Kickoff checklist",
                &[("docs/onboarding/kickoff-checklist.txt", &w)],
            );
            history.commit(
                person("lucia"),
                at(3, 4),
                "Close checklist",
                &[("docs/finance/close-checklist.txt", &w)],
            );
            history.commit(
                person("sanjay"),
                at(3, 5),
                "Infrastructure notes",
                &[("infra/README.txt", &w)],
            );
            history.commit(
                person("priya"),
                at(4, 1),
                "Cadences: notes",
                &[("ops/cadences.toml", &format!("# reviewed in {w}"))],
            );
        }
    }
    repo.git_with_stdin(&["fast-import", "--quiet"], &history.stream);
    repo.git(&["reset", "-q", "--hard", "main"]);
    assert!(history.commits > 300, "a year of work: {}", history.commits);
    repo
}

#[test]
fn a_year_of_northwind_names_the_absent_owner_the_shadow_owner_the_heroics_and_the_hotspot() {
    skip_without!("git");
    let repo = northwind_year();
    let run = support::Opmodel::new(&repo.root)
        .args(["activity", "--as-of", "2026-11-20"])
        .run();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = {
        let run = support::Opmodel::new(&repo.root)
            .args(["activity", "--as-of", "2026-11-20", "--format", "json"])
            .run();
        serde_json::from_str::<Value>(&run.stdout).unwrap()
    };
    let warnings: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["level"] == "warn")
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let rules: Vec<&str> = warnings.iter().map(|(r, _)| r.as_str()).collect();
    assert_eq!(
        rules,
        [
            "owner-absent",
            "owner-shadowed",
            "heroics",
            "unowned-hotspot"
        ],
        "{warnings:#?}"
    );
    assert!(
        warnings[0].1.contains("area \"billing-engine\""),
        "{}",
        warnings[0].1
    );
    assert!(
        warnings[0].1.contains("Rachel Adeyemi (rachel-adeyemi)"),
        "{}",
        warnings[0].1
    );
    assert!(
        warnings[1].1.contains("run by Kwame Asante (kwame-asante)"),
        "{}",
        warnings[1].1
    );
    assert!(warnings[1].1.contains("%)"), "the share: {}", warnings[1].1);
    assert!(
        warnings[2]
            .1
            .starts_with("Maya Okafor (maya-okafor) changed 5 areas"),
        "{}",
        warnings[2].1
    );
    assert!(
        warnings[3].1.starts_with("scripts/ needs an owner"),
        "{}",
        warnings[3].1
    );
    assert!(
        warnings[3]
            .1
            .contains("suggested owner: Tom Lindqvist (tom-lindqvist)"),
        "{}",
        warnings[3].1
    );
    assert_eq!(
        report["summary"]["unmatched_commits"], 0,
        "noreply and .mailmap authors are matched"
    );
    insta::assert_snapshot!("northwind_year", run.stdout);
    // The README shows this output, up to the notes.
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("## Is the model true?")
        .nth(1)
        .and_then(|s| s.split("```text\n").nth(1))
        .and_then(|s| s.split("\n```").next())
        .expect("the README's section shows the output");
    assert!(
        run.stdout.starts_with(section),
        "the README's output differs from what opmodel prints:\n{section}"
    );
}

#[test]
fn an_areas_allow_silences_an_activity_rule_there_and_check_does_not_call_it_unused() {
    skip_without!("git");
    let repo = company();
    repo.edit(
        "ops/areas.toml",
        "id = \"docs\"\n",
        "id = \"docs\"\nallow = [\"stale-area\"]\nallow_reason = \"the docs are stable\"\n",
    );
    repo.commit_as(ANA, "Docs are stable");
    let report = json(&repo, &[]);
    let stale = messages(&report, "stale-area");
    assert!(stale.iter().all(|m| !m.contains("\"docs\"")), "{stale:?}");
    assert!(stale.iter().any(|m| m.contains("\"web\"")), "{stale:?}");
    let check = support::Opmodel::new(&repo.root)
        .args(["check", "--as-of", "2026-11-30"])
        .run();
    assert!(!check.stdout.contains("unused-allow"), "{}", check.stdout);
}

/// A long window: a progress bar on a terminal's standard error (through `script`, which gives the command a
/// terminal), never when standard error is piped or `CI` is set.
#[test]
fn progress_is_drawn_only_on_a_terminal_outside_ci() {
    skip_without!("git");
    let repo = company();
    repo.tag("start");
    let mut history = History {
        stream: String::new(),
        files: Default::default(),
        commits: 0,
    };
    for i in 0..600 {
        let time = SEP_1_2026 + i * 60;
        history.commit(
            BOB,
            time,
            "Change",
            &[("src/billing/a.txt", &format!("{i}"))],
        );
    }
    history.stream = history.stream.replacen(
        "data 6\nChange\n",
        "data 6\nChange\nfrom refs/heads/main^0\n",
        1,
    );
    repo.git_with_stdin(&["fast-import", "--quiet"], &history.stream);
    repo.git(&["reset", "-q", "--hard", "main"]);
    let piped = support::Opmodel::new(&repo.root)
        .args(["activity", "start..HEAD"])
        .run();
    assert!(piped.stdout.contains("600 commits"), "{}", piped.stdout);
    assert_eq!(piped.stderr, "", "nothing on a piped standard error");

    skip_without!("script");
    let on_terminal = |ci: bool| support::on_terminal(&repo.root, "activity start..HEAD", ci);
    let drawn = on_terminal(false);
    assert!(drawn.contains("reading ["), "{drawn:?}");
    assert!(drawn.contains("600/600 commits"), "{drawn:?}");
    assert!(
        drawn.ends_with("\r\x1b[2K"),
        "the bar is cleared: {drawn:?}"
    );
    assert_eq!(on_terminal(true), "", "no bar in CI");
}

#[test]
fn under_trust_platform_a_trailer_is_no_involvement_and_approver_is() {
    skip_without!("git");
    let repo = company();
    repo.edit(
        "opmodel.toml",
        "trailers = [\"Approved-by\"]\n",
        "trailers = [\"Approved-by\"]\ntrust = \"platform\"\n",
    );
    repo.commit_as(ANA, "Trust the platform");
    for _ in 0..5 {
        repo.append("src/billing/a.txt", "x\n");
        repo.commit_as(BOB, "Retry\n\nApproved-by: Ana Lopez <ana@example.com>\n");
    }
    let report = json(&repo, &[]);
    assert_eq!(messages(&report, "owner-absent").len(), 1, "{report}");
    assert!(report["identities"]
        .as_str()
        .unwrap()
        .contains("only --approver"));
    assert!(messages(
        &json(
            &repo,
            &["--approver", "@nobody", "--approver", "ana@example.com"]
        ),
        "owner-absent"
    )
    .is_empty());
    let noted = json(&repo, &["--approver", "@nobody"]);
    assert!(
        noted["notes"][0]
            .as_str()
            .unwrap()
            .contains("--approver @nobody names nobody"),
        "{noted}"
    );
}

#[test]
fn rules_parameters_at_the_windows_end_move_the_thresholds() {
    skip_without!("git");
    let repo = company();
    repo.append(
        "opmodel.toml",
        "\n[rules]\nheroics = { level = \"warn\", max_areas = 4 }\n\
         owner-shadowed = { level = \"warn\", max_share = 0.85 }\nsingle-contributor = { level = \"info\", min_changes = 9 }\n",
    );
    repo.commit_as(ANA, "Looser thresholds");
    for path in [
        "src/billing/a.txt",
        "tools/a.txt",
        "web/a.txt",
        "infra/a.txt",
    ] {
        changes(&repo, DANA, path, 1);
    }
    changes(&repo, CARL, "src/billing/a.txt", 3);
    changes(&repo, ANA, "src/billing/a.txt", 1);
    let report = json(&repo, &[]);
    assert!(
        messages(&report, "heroics").is_empty(),
        "4 areas is not more than 4"
    );
    assert!(
        messages(&report, "owner-shadowed").is_empty(),
        "Carl's 3 of 5 is under 85%"
    );
    assert!(messages(&report, "single-contributor").is_empty());
    // The command line still decides the level.
    let report = json(&repo, &["--deny", "stale-area"]);
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "stale-area" && f["level"] == "error"));
}

#[test]
fn a_window_that_ends_before_it_starts_or_a_bad_date_is_an_error() {
    skip_without!("git");
    let repo = company();
    let run = support::Opmodel::new(&repo.root)
        .args(["activity", "--since", "2026-12-01", "--as-of", "2026-11-30"])
        .run();
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("--since 2026-12-01 is after --as-of 2026-11-30"),
        "{}",
        run.stderr
    );
    let run = support::Opmodel::new(&repo.root)
        .args(["activity", "--since", "yesterday"])
        .run();
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--since yesterday: not a date"),
        "{}",
        run.stderr
    );
    let run = support::Opmodel::new(&repo.root)
        .args(["activity", "--as-of", "2020-01-01"])
        .run();
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("HEAD has no commit on or before 2020-01-01"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_model_that_judges_is_the_one_at_the_end_of_as_of_not_a_later_head() {
    skip_without!("git");
    // 30 days apart from 2026-07-30.
    let repo = Repo::new().dated(SEP_1_2026 - 63 * DAY, 30 * DAY);
    repo.write(
        "opmodel.toml",
        "[model]\nversion = 1\nroot = \"ops\"\n\n[ownership]\nrequired = [\"**\"]\n",
    );
    repo.write("ops/people.toml", PEOPLE);
    repo.write("ops/areas.toml", AREAS);
    repo.commit_as(ANA, "The model"); // 2026-07-30
    repo.write("scripts/x.sh", "x\n");
    repo.commit_as(DANA, "A script"); // 2026-08-29
    repo.append(
        "ops/areas.toml",
        "\n[[area]]\nid = \"scripts\"\ntitle = \"Scripts\"\nowner = \"dana\"\npaths = [\"/scripts/\"]\n",
    );
    let later = repo.commit_as(ANA, "Scripts get an owner"); // 2026-09-28
    repo.append("scripts/x.sh", "y\n");
    repo.commit_as(DANA, "After the window"); // 2026-10-28
    let at = |as_of: &str| -> Value {
        let run = support::Opmodel::new(&repo.root)
            .args([
                "activity",
                "--format",
                "json",
                "--since",
                "2026-08-01",
                "--as-of",
                as_of,
            ])
            .run();
        serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}{}", run.stdout, run.stderr))
    };
    let report = at("2026-09-27");
    assert!(
        report["window"]["end_label"]
            .as_str()
            .unwrap()
            .starts_with("end ("),
        "{report}"
    );
    assert_eq!(report["summary"]["commits"], 1, "{report}");
    assert_eq!(
        report["unowned"][0]["folder"], "scripts/",
        "no area owned scripts/ then"
    );
    let report = at("2026-09-28");
    assert_eq!(report["window"]["end"], later.as_str());
    assert_eq!(area(&report, "scripts")["changes"], 1, "{report}");
}

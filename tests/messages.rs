//! Messages that lead to the fix (issue 15, item 1). Each case writes a small company into a temporary folder,
//! runs `opmodel check` as a user would, snapshots what the user reads (colors off), then applies the fix the
//! finding itself names (its `write `...``, `use "..."` or `end it with ...`), runs again, and checks that the
//! finding is gone and that no error appears that was not there before, until the model checks clean.

use std::path::Path;

use serde_json::Value;
use tempfile::TempDir;

mod support;
use support::Opmodel;

const AS_OF: &str = "2026-11-20";

/// First and last names of the 25 people of the test company; Grace Obi and Tom Hale are the ones the
/// did-you-mean cases name.
const FIRST: [&str; 25] = [
    "Grace", "Tom", "Maya", "Ivan", "Lena", "Omar", "Priya", "Jonas", "Aiko", "Bruno", "Chloe",
    "Dmitri", "Esme", "Farid", "Greta", "Hugo", "Ines", "Jorge", "Kira", "Lars", "Mina", "Nils",
    "Olga", "Pavel", "Rosa",
];
const LAST: [&str; 25] = [
    "Obi", "Hale", "Chen", "Petrov", "Berg", "Haddad", "Rao", "Weber", "Sato", "Costa", "Martin",
    "Volkov", "Reid", "Nasser", "Lind", "Moreau", "Silva", "Ortega", "Ito", "Holm", "Park", "Dahl",
    "Popova", "Novak", "Diaz",
];

fn id_of(i: usize) -> String {
    format!("{}-{}", FIRST[i], LAST[i]).to_lowercase()
}

/// `ops/people.toml` of 25 people, with comments and descriptions as a real one has (657 lines).
fn people() -> String {
    let mut out = String::from("# People who own something in the operating model.\n\n");
    for i in 0..25 {
        out.push_str(&format!(
            "# --- {} {} ---\n# Joined in 20{:02}. Reviews the model every quarter.\n# Backup: {}.\n{}\n",
            FIRST[i],
            LAST[i],
            10 + i % 15,
            id_of((i + 1) % 25),
            "# Notes for whoever edits this entry next.\n".repeat(12)
        ));
        out.push_str(&format!(
            "[[person]]\nid = \"{}\"\nname = \"{} {}\"\nemail = \"{}@kestrel.example\"\n",
            id_of(i),
            FIRST[i],
            LAST[i],
            FIRST[i].to_lowercase()
        ));
        if i == 0 {
            out.push_str("github = \"gobi\"\n");
        }
        out.push_str(&format!(
            "team = \"{}\"\n",
            if i < 12 { "finance" } else { "sales" }
        ));
        if i != 0 {
            out.push_str("manager = \"grace-obi\"\n");
        }
        out.push_str(&format!(
            "description = \"Works on {} things, and answers for them.\"\ntags = [\"staff\"]\n\n",
            if i < 12 { "finance" } else { "sales" }
        ));
    }
    while out.lines().count() < 657 {
        out.push_str("# End of the list of people.\n");
    }
    out
}

fn teams() -> String {
    let members = |range: std::ops::Range<usize>| {
        range
            .map(|i| format!("\"{}\"", id_of(i)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "[[team]]\nid = \"finance\"\nname = \"Finance\"\nlead = \"grace-obi\"\nmembers = [{}]\n\n\
         [[team]]\nid = \"sales\"\nname = \"Sales\"\nlead = \"mina-park\"\nmembers = [{}]\n",
        members(0..12),
        members(12..25)
    )
}

/// Decisions that name many people, as a company's decisions do.
fn decisions(count: usize) -> String {
    let mut out = String::new();
    for d in 0..count {
        out.push_str(&format!(
            "[[decision]]\nid = \"decision-{d}\"\ntitle = \"Decision {d}\"\nowner = \"{}\"\nreversible = false\n\
             approvers = [\"{}\"]\nsla = \"2d\"\n\n",
            id_of(d % 25),
            id_of((d + 1) % 25)
        ));
    }
    out
}

struct Company {
    dir: TempDir,
}

impl Company {
    /// The test company: 25 people, two teams, `decision_count` decisions.
    fn new(decision_count: usize) -> Company {
        let company = Company {
            dir: tempfile::tempdir().unwrap(),
        };
        company.write("opmodel.toml", "[model]\nversion = 1\nroot = \"ops\"\n");
        company.write("ops/people.toml", &people());
        company.write("ops/teams.toml", &teams());
        company.write("ops/decisions.toml", &decisions(decision_count));
        company
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.path().join(path)).unwrap()
    }

    fn edit(&self, path: &str, from: &str, to: &str) {
        let text = self.read(path);
        assert!(text.contains(from), "{path} has no {from:?}");
        self.write(path, &text.replacen(from, to, 1));
    }

    /// Several edits of one file, in order.
    fn edits(&self, path: &str, edits: &[(&str, &str)]) {
        for (from, to) in edits {
            self.edit(path, from, to);
        }
    }

    /// What the user reads: `opmodel check`, colors off, 100 columns.
    fn human(&self) -> String {
        let run = Opmodel::new(self.path())
            .args(["check", "--as-of", AS_OF])
            .run();
        format!("exit: {}\n{}{}", run.code, run.stdout, run.stderr)
    }

    fn findings_in(&self, format: &str) -> String {
        Opmodel::new(self.path())
            .args(["check", "--as-of", AS_OF, "--format", format])
            .run()
            .stdout
    }

    fn findings(&self) -> Vec<Value> {
        let json: Value = serde_json::from_str(&self.findings_in("json")).unwrap();
        json["findings"].as_array().unwrap().clone()
    }

    /// Apply the fix the first error names, and check that it goes away and that no new error comes; until no
    /// error is left (at most `steps` fixes). Returns the fixes applied, in words.
    fn fix_until_clean(&self, steps: usize) -> Vec<String> {
        let mut applied = Vec::new();
        for _ in 0..=steps {
            let before = errors(&self.findings());
            let Some(first) = before.first() else {
                return applied;
            };
            applied.push(apply_fix(self, first));
            let after = errors(&self.findings());
            assert!(
                !after.iter().any(|f| same(f, first)),
                "the fix did not remove the finding: {first}\nafter: {after:#?}"
            );
            for new in &after {
                assert!(
                    before.iter().any(|old| same_words(old, new)),
                    "fixing {first}\nbrought a new error: {new}"
                );
            }
        }
        panic!("still errors after {steps} fixes: {applied:?}");
    }
}

fn errors(findings: &[Value]) -> Vec<Value> {
    findings
        .iter()
        .filter(|f| f["level"] == "error")
        .cloned()
        .collect()
}

fn same(a: &Value, b: &Value) -> bool {
    same_words(a, b) && a["line"] == b["line"]
}

/// The same finding, maybe on another line (a fix above it moves it).
fn same_words(a: &Value, b: &Value) -> bool {
    a["rule"] == b["rule"] && a["message"] == b["message"] && a["file"] == b["file"]
}

/// The text between the first backticks after `after` in `text`.
fn quoted_after<'a>(text: &'a str, after: &str) -> Option<&'a str> {
    let rest = &text[text.find(after)? + after.len()..];
    let rest = rest.strip_prefix('`')?;
    Some(&rest[..rest.find('`')?])
}

/// Apply the fix a finding names to its file; panics when it names none. Returns the fix in words.
fn apply_fix(company: &Company, finding: &Value) -> String {
    let file = finding["file"].as_str().unwrap();
    let text = company.read(file);
    let words = format!(
        "{} {}",
        finding["message"].as_str().unwrap_or_default(),
        finding["help"].as_str().unwrap_or_default()
    );
    let line_no = finding["line"].as_u64().unwrap() as usize;
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    // `use "grace-obi"`: the value at the finding's place.
    if let Some(at) = words.find("use \"") {
        let id = &words[at + 4..];
        let id = &id[..id[1..].find('"').unwrap() + 2];
        let span = &finding["span"];
        let (start, end) = (
            span["start"].as_u64().unwrap() as usize,
            span["end"].as_u64().unwrap() as usize,
        );
        company.write(file, &format!("{}{id}{}", &text[..start], &text[end..]));
        return format!("{file}: {} -> {id}", &text[start..end]);
    }
    // `end it with `"``: the line's missing end.
    if let Some(end) = quoted_after(&words, "end it with ") {
        lines[line_no - 1].push_str(end);
        company.write(file, &(lines.join("\n") + "\n"));
        return format!("{file}:{line_no}: ends with {end}");
    }
    // `write `...``: the line it names, (line N) or the finding's own, written anew.
    let Some(snippet) = quoted_after(&words, "write ") else {
        panic!("the finding names no fix: {finding:#}");
    };
    let target = words
        .find("(line ")
        .and_then(|at| words[at + 6..].split(')').next()?.parse::<usize>().ok())
        .unwrap_or(line_no);
    let indent: String = lines[target - 1]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect();
    lines[target - 1] = format!("{indent}{snippet}");
    company.write(file, &(lines.join("\n") + "\n"));
    format!("{file}:{target}: {snippet}")
}

fn snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!(name, text));
}

#[test]
fn the_test_company_checks_clean() {
    let company = Company::new(50);
    assert_eq!(company.people_lines(), 657);
    assert!(
        errors(&company.findings()).is_empty(),
        "{}",
        company.human()
    );
}

impl Company {
    fn people_lines(&self) -> usize {
        self.read("ops/people.toml").lines().count()
    }
}

// ---- 1. a syntax error comes first, and the file's ids are unknown, not missing

#[test]
fn a_missing_quote_in_people_is_one_error_and_one_note_not_one_error_per_reference() {
    let company = Company::new(50);
    let broken = "description = \"Works on sales things, and answers for them.\"\ntags";
    let text = company.read("ops/people.toml");
    // The description nearest line 562 of 657.
    let line_of = |at: usize| text[..at].lines().count() + 1;
    let at = text
        .match_indices(broken)
        .map(|(at, _)| at)
        .min_by_key(|at| line_of(*at).abs_diff(562))
        .unwrap();
    assert!((550..=575).contains(&line_of(at)), "line {}", line_of(at));
    let mut edited = text.clone();
    edited.replace_range(
        at..at + broken.len(),
        "description = \"Works on sales things, and answers for them.\ntags",
    );
    company.write("ops/people.toml", &edited);

    let human = company.human();
    snapshot("missing_quote_in_people", &human);
    let findings = company.findings();
    assert_eq!(findings[0]["rule"], "toml-syntax", "{human}");
    assert_eq!(findings.len(), 2, "{human}");
    assert_eq!(findings[1]["rule"], "unchecked-references");
    assert!(
        findings[1]["message"]
            .as_str()
            .unwrap()
            .ends_with("references could not be checked because ops/people.toml did not load"),
        "{}",
        findings[1]["message"]
    );
    assert!(!human.contains("add a [[person]]"), "{human}");

    company.fix_until_clean(1);
    assert!(company.findings().is_empty(), "{}", company.human());
}

#[test]
fn an_id_that_no_file_defines_is_still_an_error_but_not_add_a_person() {
    let company = Company::new(3);
    company.edit(
        "ops/decisions.toml",
        "owner = \"tom-hale\"",
        "owner = \"nobody\"",
    );
    company.edit("ops/teams.toml", "name = \"Sales\"", "name = \"Sales");
    let human = company.human();
    snapshot("unknown_id_while_a_file_does_not_load", &human);
    let findings = company.findings();
    let unknown: Vec<&Value> = findings
        .iter()
        .filter(|f| f["rule"] == "unknown-reference")
        .collect();
    assert_eq!(unknown.len(), 1, "{human}");
    assert!(!human.contains("add a [[person]]"), "{human}");
    assert!(human.contains("fix ops/teams.toml first"), "{human}");

    // Every format puts the syntax error first, although ops/decisions.toml sorts before ops/teams.toml.
    assert_eq!(findings[0]["rule"], "toml-syntax", "{human}");
    let sarif: Value = serde_json::from_str(&company.findings_in("sarif")).unwrap();
    assert_eq!(sarif["runs"][0]["results"][0]["ruleId"], "toml-syntax");
    let markdown = company.findings_in("markdown");
    let errors_at = markdown.find("### Errors").unwrap();
    assert!(
        markdown[errors_at..].find("toml-syntax").unwrap()
            < markdown[errors_at..].find("unknown-reference").unwrap(),
        "{markdown}"
    );
    let github = company.findings_in("github");
    assert!(
        github.lines().next().unwrap().contains("toml-syntax"),
        "{github}"
    );
    let junit = company.findings_in("junit");
    let first_suite = junit.find("<testsuite name=").unwrap();
    assert!(
        junit[first_suite..].starts_with("<testsuite name=\"ops/teams.toml\""),
        "{junit}"
    );
}

#[test]
fn areas_in_a_file_that_does_not_load_do_not_make_every_path_unowned() {
    let company = Company::new(3);
    company.write(
        "ops/areas.toml",
        "[[area]]\nid = \"everything\"\ntitle = \"Everything\nowner = \"grace-obi\"\npaths = [\"**\"]\n",
    );
    company.write("docs/a.txt", "a\n");
    company.write("docs/b.txt", "b\n");
    std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(company.path())
        .status()
        .unwrap();
    std::process::Command::new("git")
        .args(["add", "-A"])
        .current_dir(company.path())
        .status()
        .unwrap();
    let findings = company.findings();
    let rules: Vec<&str> = findings.iter().filter_map(|f| f["rule"].as_str()).collect();
    assert_eq!(
        rules,
        ["toml-syntax", "unchecked-references"],
        "{}",
        company.human()
    );
    company.fix_until_clean(1);
}

// ---- 2. header, YAML and bare-word mistakes

#[test]
fn a_plural_header_names_the_singular_and_its_ids_still_resolve() {
    for (kind, plural, entity) in [
        (
            "handoff",
            "handoffs",
            "id = \"close\"\ntitle = \"Month-end close\"\nfrom = \"sales\"\nto = \"finance\"\nowner = \"grace-obi\"\nsla = \"2d\"\nacceptance = [\"numbers tie out\"]\n",
        ),
        (
            "person",
            "people",
            "id = \"zoe-quinn\"\nname = \"Zoe Quinn\"\nemail = \"zoe@kestrel.example\"\nteam = \"finance\"\nmanager = \"grace-obi\"\n",
        ),
    ] {
        let company = Company::new(3);
        company.write("ops/more.toml", &format!("[[{plural}]]\n{entity}"));
        // Something names the entity under the plural header: it must not be reported as unknown.
        company.write(
            "ops/cadences.toml",
            &format!(
                "[[cadence]]\nid = \"weekly-review\"\nname = \"Weekly review\"\nevery = \"weekly\"\nowner = \"grace-obi\"\n{}\n",
                if kind == "handoff" {
                    "reviews = [\"close\"]"
                } else {
                    "attendees = [\"zoe-quinn\"]"
                }
            ),
        );
        let human = company.human();
        snapshot(&format!("plural_header_{plural}"), &human);
        let findings = errors(&company.findings());
        assert_eq!(findings.len(), 1, "{human}");
        assert_eq!(findings[0]["rule"], "unknown-field");
        assert!(human.contains(&format!("write `[[{kind}]]`")), "{human}");
        company.fix_until_clean(1);
    }
}

#[test]
fn a_yaml_style_line_gives_the_toml_line() {
    let company = Company::new(3);
    company.edit(
        "ops/decisions.toml",
        "owner = \"tom-hale\"",
        "owner: \"tom-hale\"",
    );
    let human = company.human();
    snapshot("yaml_style_line", &human);
    assert!(human.contains("write `owner = \"tom-hale\"`"), "{human}");
    assert_eq!(errors(&company.findings()).len(), 1, "{human}");
    company.fix_until_clean(1);
}

#[test]
fn a_bare_word_gives_the_value_the_field_takes() {
    let company = Company::new(3);
    company.edits(
        "ops/decisions.toml",
        &[
            (
                "sla = \"2d\"\n\n[[decision]]\nid = \"decision-1\"",
                "sla = \"2d\"\nmaterial = yes\n\n[[decision]]\nid = \"decision-1\"",
            ),
            ("approvers = [\"maya-chen\"]", "approvers = maya-chen"),
            (
                "sla = \"2d\"\n\n[[decision]]\nid = \"decision-2\"",
                "sla = 2days\n\n[[decision]]\nid = \"decision-2\"",
            ),
            (
                "reversible = false\napprovers = [\"ivan-petrov\"]",
                "reversible = no\napprovers = [\"ivan-petrov\"]",
            ),
        ],
    );
    let human = company.human();
    snapshot("bare_words", &human);
    assert!(human.contains("write `reversible = false`"), "{human}");
    assert!(human.contains("write `material = true`"), "{human}");
    assert!(
        human.contains("write `approvers = [\"maya-chen\"]`"),
        "{human}"
    );
    assert!(human.contains("write `sla = \"2d\"`"), "{human}");
    assert_eq!(errors(&company.findings()).len(), 4, "{human}");
    company.fix_until_clean(4);
}

#[test]
fn a_kind_written_as_one_table_next_to_the_list_says_to_write_the_list() {
    let one = "[decision]\nid = \"extra\"\ntitle = \"Extra\"\nowner = \"grace-obi\"\nreversible = true\nsla = \"1d\"\n\n";
    // After the list, and before it.
    for (name, text) in [
        ("table_after_list", format!("{}{one}", decisions(2))),
        ("table_before_list", format!("{one}{}", decisions(2))),
    ] {
        let company = Company::new(2);
        company.write("ops/decisions.toml", &text);
        let human = company.human();
        snapshot(&format!("kind_as_{name}"), &human);
        assert!(!human.contains("written twice here"), "{human}");
        assert!(human.contains("write `[[decision]]`"), "{human}");
        company.fix_until_clean(1);
    }
}

// ---- 3. a person's name, email or GitHub login where their id belongs

#[test]
fn a_name_email_or_login_where_an_id_belongs_names_the_id() {
    let company = Company::new(3);
    company.edits(
        "ops/decisions.toml",
        &[
            ("owner = \"grace-obi\"", "owner = \"Grace\""),
            ("owner = \"tom-hale\"", "owner = \"tom@kestrel.example\""),
            ("approvers = [\"maya-chen\"]", "approvers = [\"@gobi\"]"),
        ],
    );
    let human = company.human();
    snapshot("name_email_login", &human);
    assert!(
        human.contains("\"Grace\" is the name of Grace Obi: use \"grace-obi\""),
        "{human}"
    );
    assert!(
        human.contains("\"tom@kestrel.example\" is the email of Tom Hale: use \"tom-hale\""),
        "{human}"
    );
    assert!(
        human.contains("\"@gobi\" is the GitHub login of Grace Obi: use \"grace-obi\""),
        "{human}"
    );
    assert!(!human.contains("try \""), "{human}");
    assert!(!human.contains("add a [[person]]"), "{human}");
    assert_eq!(errors(&company.findings()).len(), 3, "{human}");
    company.fix_until_clean(3);
}

#[test]
fn a_first_name_written_as_an_id_names_the_person() {
    let company = Company::new(3);
    company.edit(
        "ops/decisions.toml",
        "owner = \"grace-obi\"",
        "owner = \"grace\"",
    );
    let human = company.human();
    assert!(
        human.contains("\"grace\" is the name of Grace Obi: use \"grace-obi\""),
        "{human}"
    );
    company.fix_until_clean(1);
}

// ---- 4. every suggested fix is valid where it is suggested

#[test]
fn a_team_in_a_list_of_people_suggests_a_list() {
    let company = Company::new(3);
    company.edit(
        "ops/decisions.toml",
        "approvers = [\"tom-hale\"]",
        "approvers = [\"sales\"]",
    );
    let human = company.human();
    snapshot("team_in_approvers", &human);
    assert!(human.contains("`approvers = [\"mina-park\"]`"), "{human}");
    company.fix_until_clean(1);
}

#[test]
fn wrong_types_suggest_a_value_of_the_right_type() {
    let company = Company::new(3);
    company.edits(
        "ops/decisions.toml",
        &[
            (
                "reversible = false\napprovers = [\"tom-hale\"]\nsla = \"2d\"",
                "reversible = \"no\"\napprovers = [\"tom-hale\"]\nsla = 2",
            ),
            ("sla = \"2d\"", "sla = \"3 days\""),
        ],
    );
    let human = company.human();
    snapshot("wrong_types", &human);
    assert!(human.contains("write `reversible = false`"), "{human}");
    assert!(human.contains("write `sla = \"2d\"`"), "{human}");
    assert!(human.contains("write `sla = \"3d\"`"), "{human}");
    assert!(!human.contains("quote the value"), "{human}");
    company.fix_until_clean(3);
}

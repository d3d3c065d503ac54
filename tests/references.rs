//! The cross-file reference checks read each entity with a textual id from the model's entities as written, and
//! only the others (no id, an id that is not text, a misnamed kind such as `[[teams]]`) from their trees. These
//! cases mix the two in one file and across files: each finding must name the entity it is about, at its span,
//! however many entities without an id come before it.

use std::fs;

use serde_json::Value;
use tempfile::TempDir;

mod support;
use support::opmodel;

const PEOPLE: &str = r#"[[person]]
id = "ana"
name = "Ana Lopez"
email = "ana@example.com"
"#;

/// An id-less decision, then one with an id, in one file: the second one's reference is its own.
const DECISIONS: &str = r#"[[decision]]
title = "No id: its owner is still checked"
owner = "nobody-a"
reversible = true

[[decision]]
id = 7
title = "An id that is not text"
owner = "nobody-b"
reversible = true

[[decision]]
id = "refunds"
title = "Refund above the limit"
owner = "nobody-c"
approvers = ["ana", "nobody-d"]
reversible = true

[[decision]]
id = "pricing"
title = "Pricing exceptions"
owner = "sales"
reversible = true
"#;

/// A team written under the plural header: reported by the schema, and still a definition here, so that the
/// decision naming it as owner gets the help that names its lead.
const TEAMS: &str = r#"[[teams]]
id = "sales"
name = "Sales"
lead = "ana"
"#;

/// After the file above, a decision whose reference is its own.
const MORE: &str = r#"[[decision]]
title = "Second file, no id"
owner = "nobody-e"
reversible = true

[[decision]]
id = "discounts"
title = "Discounts"
owner = "nobody-f"
reversible = true
"#;

fn project() -> TempDir {
    let dir = TempDir::new().unwrap();
    fs::create_dir_all(dir.path().join(".git")).unwrap();
    fs::create_dir_all(dir.path().join("ops")).unwrap();
    fs::write(
        dir.path().join("opmodel.toml"),
        "[model]\nversion = 1\nroot = \"ops\"\n",
    )
    .unwrap();
    for (name, text) in [
        ("a-people.toml", PEOPLE),
        ("b-decisions.toml", DECISIONS),
        ("c-teams.toml", TEAMS),
        ("d-more.toml", MORE),
    ] {
        fs::write(dir.path().join("ops").join(name), text).unwrap();
    }
    dir
}

#[test]
fn every_reference_finding_names_its_own_entity_and_span() {
    let dir = project();
    let run = opmodel(
        dir.path(),
        &["check", "--as-of", "2026-11-20", "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let mut seen = Vec::new();
    for finding in report["findings"].as_array().unwrap() {
        let rule = finding["rule"].as_str().unwrap();
        if !matches!(rule, "unknown-reference" | "wrong-kind-reference") {
            continue;
        }
        let file = finding["file"].as_str().unwrap();
        let start = finding["span"]["start"].as_u64().unwrap() as usize;
        let end = finding["span"]["end"].as_u64().unwrap() as usize;
        let text = fs::read_to_string(dir.path().join(file)).unwrap();
        seen.push((
            rule.to_string(),
            finding["message"].as_str().unwrap().to_string(),
            text[start..end].to_string(),
            finding["help"].as_str().unwrap_or_default().to_string(),
        ));
    }
    let expected = [
        (
            "unknown-reference",
            "`owner` of the 1st decision in this file names \"nobody-a\", which is not a known person",
            "\"nobody-a\"",
        ),
        (
            "unknown-reference",
            "`owner` of the 2nd decision in this file names \"nobody-b\", which is not a known person",
            "\"nobody-b\"",
        ),
        (
            "unknown-reference",
            "`owner` of decision \"refunds\" names \"nobody-c\", which is not a known person",
            "\"nobody-c\"",
        ),
        (
            "unknown-reference",
            "`approvers` of decision \"refunds\" names \"nobody-d\", which is not a known person",
            "\"nobody-d\"",
        ),
        (
            "wrong-kind-reference",
            "`owner` of decision \"pricing\" names the team \"sales\", but it must name a person",
            "\"sales\"",
        ),
        (
            "unknown-reference",
            "`owner` of the 1st decision in this file names \"nobody-e\", which is not a known person",
            "\"nobody-e\"",
        ),
        (
            "unknown-reference",
            "`owner` of decision \"discounts\" names \"nobody-f\", which is not a known person",
            "\"nobody-f\"",
        ),
    ];
    let got: Vec<(&str, &str, &str)> = seen
        .iter()
        .map(|(rule, message, text, _)| (rule.as_str(), message.as_str(), text.as_str()))
        .collect();
    assert_eq!(got, expected);
    // The misnamed team's lead, read from its tree, is the fix.
    assert!(
        seen[4].3.contains("write `owner = \"ana\"`"),
        "help: {}",
        seen[4].3
    );
}

/// A date where an id belongs (`owner = 2026-01-01`) names nobody: it is reported as a reference to an unknown
/// person, as the same text in quotes is.
#[test]
fn a_date_in_a_reference_field_is_an_unknown_reference() {
    let dir = project();
    fs::write(
        dir.path().join("ops/d-more.toml"),
        "[[decision]]\nid = \"dated\"\ntitle = \"Dated\"\nowner = 2026-01-01\nreversible = true\n",
    )
    .unwrap();
    let run = opmodel(
        dir.path(),
        &["check", "--as-of", "2026-11-20", "--format", "json"],
    );
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let dated: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["file"] == "ops/d-more.toml")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        dated.contains(
            &"`owner` of decision \"dated\" names \"2026-01-01\", which is not a known person"
        ),
        "{dated:?}"
    );
}

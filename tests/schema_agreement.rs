//! The published JSON Schemas (`schema/*.json`) and the Rust types of the model agree:
//!
//! - every model file of the bundled fixtures is schema-valid and every entity in it deserializes;
//! - in every invalid case, an entity with a schema finding is not in the typed model, and every other
//!   entity is;
//! - for every property of every kind, a small document with a valid value deserializes, and one with a value
//!   of the wrong type is rejected (`invalid-value`, at the value);
//! - the schemas are draft-07, describe every property, and close every object (`additionalProperties`);
//! - an independent validator (Python's `jsonschema`, when installed) agrees with opmodel.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use opmodel::check::{self, Loaded, Project};
use opmodel::document::{self, Node, Span, Value as Toml};
use opmodel::finding::Finding;
use opmodel::model::entity_nodes;
use opmodel::model::kinds::{self, NAMES as KINDS};
use opmodel::rules::Group;
use opmodel::schema::{schema_json, Schema};
use opmodel::source::{self, FileId, Files, RawFile};
use serde_json::Value as Json;

mod support;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Whether a finding comes from reading, parsing or schema-checking a file (not from references or rules).
fn is_schema_stage(finding: &Finding) -> bool {
    matches!(finding.rule.group, Group::Load | Group::Schema) && finding.rule.name != "empty-file"
}

/// Load one file on its own: read, parse, validate, deserialize.
fn load_one(path: &str, text: &str) -> Loaded {
    check::load(
        Files::default(),
        vec![RawFile {
            path: path.to_string(),
            content: Ok(text.as_bytes().to_vec()),
        }],
    )
}

/// Load a project's model files as `opmodel check` finds them, without the rules.
fn load_project(dir: &Path) -> Loaded {
    let project =
        Project::locate(dir, None).unwrap_or_else(|e| panic!("{}: {}", dir.display(), e.message));
    check::load_worktree(&project)
        .unwrap_or_else(|e| panic!("{}: {}", dir.display(), e.message))
        .loaded
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "toml") {
            out.push(entry.path().to_path_buf());
        }
    }
    out
}

/// Every model file of the fixtures, including the example's drafts (excluded from its model, but they are
/// still meant to be schema-valid: they are wrong only in ways the rules catch).
fn fixture_model_files() -> Vec<PathBuf> {
    let mut files = toml_files(&root().join("fixtures/example/ops"));
    files.extend(toml_files(&root().join("fixtures/stalled/ops")));
    assert!(
        files.len() >= 10,
        "the fixtures hold model files: {files:?}"
    );
    files
}

fn case_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("tests/cases/invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

// ---- (a) the fixtures are schema-valid and deserialize whole

#[test]
fn every_fixture_file_is_schema_valid_and_deserializes() {
    for path in fixture_model_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        let shown = path.strip_prefix(root()).unwrap().display().to_string();
        let loaded = load_one(&shown, &text);
        let problems: Vec<String> = loaded
            .findings
            .iter()
            .filter(|f| is_schema_stage(f))
            .map(|f| format!("{}: {}", f.rule, f.message))
            .collect();
        assert!(problems.is_empty(), "{shown}:\n{}", problems.join("\n"));
        let written = entity_nodes(&document::parse(&text).unwrap()).count();
        assert!(written > 0, "{shown} holds entities");
        assert_eq!(
            loaded.model.len(),
            written,
            "{shown}: every entity is in the typed model"
        );
        assert_eq!(loaded.entity_count, written);
    }
}

#[test]
fn the_fixtures_as_checked_have_no_schema_findings() {
    for fixture in ["fixtures/example", "fixtures/stalled"] {
        let loaded = load_project(&root().join(fixture));
        let problems: Vec<&Finding> = loaded
            .findings
            .iter()
            .filter(|f| is_schema_stage(f))
            .collect();
        assert!(problems.is_empty(), "{fixture}: {problems:#?}");
        assert_eq!(loaded.model.len(), loaded.entity_count, "{fixture}");
    }
}

// ---- (b) an entity with a schema finding is not in the model; every other entity is

/// Where each entity of a file starts, and where things that are not entities start (an unknown kind, a
/// kind written as a table): a finding belongs to the last of these at or before its span.
fn markers(doc: &Node) -> Vec<(usize, Option<(String, Span)>)> {
    let mut out = Vec::new();
    for entry in doc.entries() {
        let known = KINDS.contains(&entry.key.as_str());
        match &entry.node.value {
            Toml::Array(items) => {
                // `kind = [{...}]` starts at its key; in `[[kind]]` tables the key is inside the first header.
                if items
                    .first()
                    .is_none_or(|first| entry.key_span.start < first.span.start)
                {
                    out.push((entry.key_span.start, None));
                }
                for item in items {
                    let entity = (known && matches!(item.value, Toml::Table(_)))
                        .then(|| (entry.key.clone(), item.span.clone()));
                    out.push((item.span.start, entity));
                }
            }
            _ => out.push((entry.key_span.start.min(entry.node.span.start), None)),
        }
    }
    out.sort_by_key(|(start, _)| *start);
    out
}

#[test]
fn entities_with_schema_findings_are_not_in_the_model() {
    let mut cases_with_schema_findings = 0;
    for dir in case_dirs() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let loaded = load_project(&dir);
        let in_model: BTreeSet<(FileId, usize)> = loaded
            .model
            .allows()
            .iter()
            .map(|(_, _, _, loc)| (loc.file, loc.span.start))
            .collect();
        let mut had_schema_finding = false;
        for file in 0..loaded.files.len() {
            let source = loaded.files.get(file);
            if source.path == source::MANIFEST_NAME {
                continue;
            }
            let Ok(doc) = document::parse(&source.text) else {
                continue;
            };
            let markers = markers(&doc);
            let mut rejected: BTreeSet<usize> = BTreeSet::new();
            for finding in loaded.findings.iter().filter(|f| is_schema_stage(f)) {
                let Some(location) = finding.location.as_ref().filter(|l| l.file == file) else {
                    continue;
                };
                let Some(span) = &location.span else { continue };
                had_schema_finding = true;
                let owner = markers.iter().rev().find(|(start, _)| *start <= span.start);
                if let Some((_, Some((_, entity)))) = owner {
                    rejected.insert(entity.start);
                }
            }
            for (_, entity) in markers
                .iter()
                .filter_map(|(s, e)| e.as_ref().map(|e| (s, e)))
            {
                let (kind, span) = entity;
                let present = in_model.contains(&(file, span.start));
                let line = source.line_col(span.start).0;
                if rejected.contains(&span.start) {
                    assert!(
                        !present,
                        "{name}: the {kind} at {}:{line} has a schema finding but is in the model",
                        source.path
                    );
                } else {
                    assert!(present, "{name}: the {kind} at {}:{line} has no schema finding but is not in the model", source.path);
                }
            }
        }
        if had_schema_finding {
            cases_with_schema_findings += 1;
        }
    }
    assert!(
        cases_with_schema_findings >= 20,
        "only {cases_with_schema_findings} cases have schema findings"
    );
}

// ---- (c) one small document per property: a valid value deserializes, a wrong type is rejected

fn resolve<'a>(root: &'a Json, mut schema: &'a Json) -> &'a Json {
    while let Some(name) = schema
        .get("$ref")
        .and_then(Json::as_str)
        .and_then(|r| r.strip_prefix("#/definitions/"))
    {
        schema = &root["definitions"][name];
    }
    schema
}

fn types(schema: &Json) -> Vec<&str> {
    match &schema["type"] {
        Json::String(t) => vec![t.as_str()],
        Json::Array(list) => list.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

/// A valid value, as TOML text. A pattern without a sample fails the test: add one when the schema grows.
fn sample(root: &Json, schema: &Json) -> String {
    let schema = resolve(root, schema);
    if std::ptr::eq(schema, &root["definitions"]["date"]) {
        return "2026-03-31".into();
    }
    if let Some(first) = schema["enum"].as_array().and_then(|e| e.first()) {
        return first.to_string();
    }
    if let Some(first) = schema["anyOf"].as_array().and_then(|b| b.first()) {
        return sample(root, first);
    }
    match types(schema).first().copied() {
        Some("boolean") => "true".into(),
        Some("number") => "1.5".into(),
        Some("integer") => "1".into(),
        Some("array") => format!("[{}]", sample(root, &schema["items"])),
        Some("string") => match schema["pattern"].as_str() {
            None => "\"some text\"".into(),
            Some("^[a-z0-9][a-z0-9._-]{0,63}$") => "\"x1\"".into(),
            Some("^([0-9]+[mhdw])+$") => "\"1w2d\"".into(),
            Some("^[^@\\s]+@[^@\\s]+$") => "\"ana@example.com\"".into(),
            Some("^@?[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$") => "\"ana-lopez\"".into(),
            Some("^[a-z0-9][a-z0-9-]*$") => "\"decision-without-sla\"".into(),
            Some("^@?[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9._-]*$") => {
                "\"acme/platform\"".into()
            }
            Some(other) => panic!("no sample value for the pattern {other}: add one to this test"),
        },
        other => panic!("no sample value for the type {other:?} of {schema}"),
    }
}

/// A value of the wrong type, as TOML text.
fn wrong(root: &Json, schema: &Json) -> &'static str {
    let schema = resolve(root, schema);
    let mut accepted = types(schema);
    for branch in schema["anyOf"].as_array().into_iter().flatten() {
        accepted.extend(types(resolve(root, branch)));
    }
    if accepted
        .iter()
        .any(|t| matches!(*t, "boolean" | "number" | "integer"))
    {
        "\"not the right type\""
    } else {
        "12345"
    }
}

/// `[[kind]]` with every required field, `field = value`, and what `field` depends on.
fn document_with(root: &Json, kind: &str, field: &str, value: &str) -> String {
    let definition = &root["definitions"][kind];
    let mut text = format!("[[{kind}]]\n");
    // Fields required unless the `if` holds (an area's `owner`, unless `unowned = true`): written unless the
    // field under test is what the `if` looks at.
    let conditional = definition["else"]["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|_| {
            !definition["if"]["required"]
                .as_array()
                .is_some_and(|r| r.iter().any(|f| f == field))
        });
    for required in definition["required"]
        .as_array()
        .unwrap()
        .iter()
        .chain(conditional)
        .filter_map(Json::as_str)
    {
        if required != field {
            text.push_str(&format!(
                "{required} = {}\n",
                sample(root, &definition["properties"][required])
            ));
        }
    }
    text.push_str(&format!("{field} = {value}\n"));
    if let Some(needs) = definition["dependencies"][field].as_array() {
        for needed in needs.iter().filter_map(Json::as_str) {
            text.push_str(&format!(
                "{needed} = {}\n",
                sample(root, &definition["properties"][needed])
            ));
        }
    }
    text
}

#[test]
fn every_property_accepts_a_valid_value_and_rejects_a_wrong_type() {
    let root = schema_json(Schema::Model);
    let mut checked = 0;
    for kind in KINDS {
        let properties = root["definitions"][kind]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("the schema defines {kind}"));
        for (field, schema) in properties {
            let valid = document_with(root, kind, field, &sample(root, schema));
            let loaded = load_one("ops/generated.toml", &valid);
            let problems: Vec<&Finding> = loaded
                .findings
                .iter()
                .filter(|f| is_schema_stage(f))
                .collect();
            assert!(
                problems.is_empty(),
                "{kind}.{field}: a valid value is rejected:\n{valid}\n{problems:#?}"
            );
            assert_eq!(
                loaded.model.len(),
                1,
                "{kind}.{field}: the entity does not deserialize:\n{valid}"
            );

            let invalid = document_with(root, kind, field, wrong(root, schema));
            let loaded = load_one("ops/generated.toml", &invalid);
            let doc = document::parse(&invalid).unwrap();
            let value_span = doc.get(kind).unwrap().as_array().unwrap()[0]
                .get(field)
                .unwrap()
                .span
                .clone();
            let at_value = loaded.findings.iter().any(|f| {
                f.rule.name == "invalid-value"
                    && f.location.as_ref().and_then(|l| l.span.clone()) == Some(value_span.clone())
            });
            assert!(
                at_value,
                "{kind}.{field}: a wrong type is not reported at the value:\n{invalid}\n{:#?}",
                loaded.findings
            );
            assert_eq!(
                loaded.model.len(),
                0,
                "{kind}.{field}: a rejected entity is in the model:\n{invalid}"
            );
            checked += 1;
        }
    }
    assert!(checked > 80, "only {checked} properties checked");
}

#[test]
fn a_date_where_text_belongs_is_rejected() {
    // JSON has no dates: the schema sees `2026-03-31` as text. opmodel still rejects it where text belongs.
    let root = schema_json(Schema::Model);
    for (kind, field) in [
        ("decision", "rationale"),
        ("decision", "title"),
        ("person", "id"),
        ("metric", "unit"),
    ] {
        let text = document_with(root, kind, field, "2026-03-31");
        let loaded = load_one("ops/generated.toml", &text);
        let messages: Vec<&str> = loaded.findings.iter().map(|f| f.message.as_str()).collect();
        assert!(
            loaded
                .findings
                .iter()
                .any(|f| f.rule.name == "invalid-value" && f.message.contains("found a date")),
            "{kind}.{field}:\n{text}\n{messages:#?}"
        );
        assert_eq!(loaded.model.len(), 0, "{kind}.{field}");
    }
    // A date in a list of text, too.
    let loaded = load_one(
        "ops/generated.toml",
        &document_with(
            root,
            "priority",
            "stop_doing",
            "[\"Custom deals\", 2026-03-31]",
        ),
    );
    assert!(
        loaded
            .findings
            .iter()
            .any(|f| f.message.contains("found a date")),
        "{:#?}",
        loaded.findings
    );
}

// ---- (d) the schemas' own shape

/// Objects that are deliberately open, with why.
const OPEN_OBJECTS: &[(&str, &str)] = &[
    // Keys are rule names, which the configuration checks against the rule registry (`invalid-config`).
    ("manifest", "/properties/rules"),
    // A rule's table holds that rule's parameters, which differ per rule and are checked by the configuration.
    ("manifest", "/properties/rules/additionalProperties/anyOf/1"),
];

fn described(schema: &Json) -> bool {
    schema["description"]
        .as_str()
        .is_some_and(|d| !d.trim().is_empty())
}

fn walk_schema(root: &Json, name: &str, pointer: &str, schema: &Json, problems: &mut Vec<String>) {
    let Json::Object(map) = schema else { return };
    if types(schema).contains(&"object") {
        let open = OPEN_OBJECTS.contains(&(name, pointer));
        if !open && map.get("additionalProperties") != Some(&Json::Bool(false)) {
            problems.push(format!(
                "{name}{pointer}: an object without `additionalProperties: false`"
            ));
        }
        if open && map.get("additionalProperties") == Some(&Json::Bool(false)) {
            problems.push(format!(
                "{name}{pointer}: listed as open but closed: update OPEN_OBJECTS"
            ));
        }
    }
    if let Some(Json::Object(properties)) = map.get("properties") {
        for (key, property) in properties {
            // A `$ref` property may rely on the description of what it refers to, as editors show it.
            if !described(property) && !described(resolve(root, property)) {
                problems.push(format!("{name}{pointer}/properties/{key}: no description"));
            }
        }
    }
    if let Some(Json::Object(definitions)) = map.get("definitions") {
        for (key, definition) in definitions {
            if !described(definition) {
                problems.push(format!("{name}{pointer}/definitions/{key}: no description"));
            }
        }
    }
    for (key, child) in map {
        match child {
            Json::Object(_) => {
                walk_schema(root, name, &format!("{pointer}/{key}"), child, problems)
            }
            Json::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk_schema(root, name, &format!("{pointer}/{key}/{i}"), item, problems);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn schemas_are_draft_07_described_and_closed() {
    let mut problems = Vec::new();
    for (name, schema) in [("model", Schema::Model), ("manifest", Schema::Manifest)] {
        let json = schema_json(schema);
        assert_eq!(
            json["$schema"], "http://json-schema.org/draft-07/schema#",
            "{name}"
        );
        assert!(
            json["$id"]
                .as_str()
                .is_some_and(|id| id.ends_with(&format!("{name}.schema.json"))),
            "{name}"
        );
        assert!(json["description"].is_string(), "{name}");
        walk_schema(json, name, "", json, &mut problems);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_published_files_are_the_embedded_schemas() {
    for (file, text) in [
        ("schema/model.schema.json", opmodel::schema::MODEL_SCHEMA),
        (
            "schema/manifest.schema.json",
            opmodel::schema::MANIFEST_SCHEMA,
        ),
    ] {
        assert_eq!(
            std::fs::read_to_string(root().join(file)).unwrap(),
            text,
            "{file}"
        );
    }
}

// ---- an independent validator

/// Validate TOML files against a schema with Python's `jsonschema` (Draft7Validator). Prints one line per
/// file: `ok <path>` or `invalid <path>: <first error>`.
const PYTHON_VALIDATOR: &str = r#"
import datetime, json, sys, tomllib
from jsonschema import Draft7Validator

def plain(value):
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value

schema = json.load(open(sys.argv[1]))
Draft7Validator.check_schema(schema)
validator = Draft7Validator(schema)
for path in sys.argv[2:]:
    with open(path, "rb") as f:
        document = plain(tomllib.load(f))
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    if errors:
        print("invalid", path + ":", errors[0].message)
    else:
        print("ok", path)
"#;

/// Whether Python 3.11+ (for `tomllib`) and its `jsonschema` package are installed; `.ci/run` installs them.
fn python_jsonschema() -> bool {
    support::require(
        "Python 3.11+ with the jsonschema package",
        &["python3", "-c", "import jsonschema, tomllib"],
    )
}

/// (path, valid) for each file, as Python's validator sees it.
fn python_verdicts(schema: &str, files: &[PathBuf]) -> Vec<(PathBuf, bool, String)> {
    let output = Command::new("python3")
        .arg("-c")
        .arg(PYTHON_VALIDATOR)
        .arg(root().join(schema))
        .args(files)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the validator failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), files.len(), "{stdout}");
    files
        .iter()
        .zip(lines)
        .map(|(path, line)| (path.clone(), line.starts_with("ok "), line.to_string()))
        .collect()
}

#[test]
fn an_independent_validator_accepts_the_fixtures() {
    if !python_jsonschema() {
        return;
    }
    for (path, valid, line) in python_verdicts("schema/model.schema.json", &fixture_model_files()) {
        assert!(valid, "{}: {line}", path.display());
    }
    let manifests = [
        root().join("fixtures/example/opmodel.toml"),
        root().join("fixtures/stalled/opmodel.toml"),
    ];
    for (path, valid, line) in python_verdicts("schema/manifest.schema.json", &manifests) {
        assert!(valid, "{}: {line}", path.display());
    }
}

#[test]
fn an_independent_validator_agrees_on_the_invalid_cases() {
    if !python_jsonschema() {
        return;
    }
    // For each model file of each case that parses: whether opmodel reports a schema finding in it.
    let mut files = Vec::new();
    let mut expected = Vec::new();
    for dir in case_dirs() {
        let loaded = load_project(&dir);
        for file in 0..loaded.files.len() {
            let path = &loaded.files.get(file).path;
            if path == source::MANIFEST_NAME {
                continue;
            }
            let here: Vec<&Finding> = loaded
                .findings
                .iter()
                .filter(|f| f.location.as_ref().is_some_and(|l| l.file == file))
                .collect();
            if here
                .iter()
                .any(|f| f.rule.name == "toml-syntax" || f.rule.name == "unreadable-file")
            {
                continue;
            }
            // JSON has no dates: a date where text belongs is opmodel's own check, invisible to any validator.
            let schema_findings: Vec<&&Finding> = here
                .iter()
                .filter(|f| is_schema_stage(f) && !f.message.contains("found a date"))
                .collect();
            let only_dates = schema_findings.is_empty()
                && here.iter().any(|f| f.message.contains("found a date"));
            if only_dates {
                continue;
            }
            files.push(dir.join(path));
            expected.push(schema_findings.is_empty());
        }
    }
    assert!(files.len() > 40, "{} files", files.len());
    let verdicts = python_verdicts("schema/model.schema.json", &files);
    let disagreements: Vec<String> = verdicts
        .iter()
        .zip(&expected)
        .filter(|((_, valid, _), expected)| valid != *expected)
        .map(|((path, _, line), expected)| {
            format!(
                "{} (opmodel: {}): {line}",
                path.display(),
                if *expected { "valid" } else { "invalid" }
            )
        })
        .collect();
    assert!(
        disagreements.is_empty(),
        "opmodel and Python's jsonschema disagree:\n{}",
        disagreements.join("\n")
    );
}

// ---- (d) the table of kinds drives the reference checks: every reference field it lists is checked

#[test]
fn every_reference_field_of_the_table_of_kinds_is_checked() {
    let root = schema_json(Schema::Model);
    let mut checked = 0;
    for kind in kinds::KINDS {
        for reference in kind.references {
            let value = if reference.list {
                "[\"nobody-here\"]"
            } else {
                "\"nobody-here\""
            };
            let text = document_with(root, kind.name, reference.field, value);
            let loaded = load_one("ops/generated.toml", &text);
            let doc = document::parse(&text).unwrap();
            let node = doc.get(kind.name).unwrap().as_array().unwrap()[0]
                .get(reference.field)
                .unwrap();
            let span = match node.as_array() {
                Some(items) => items[0].span.clone(),
                None => node.span.clone(),
            };
            let expected = format!(
                "`{}` of {} \"x1\" names \"nobody-here\", which is not a known {}",
                reference.field,
                kind.name,
                reference.targets.join(" or ")
            );
            let reported = loaded.findings.iter().any(|f| {
                f.rule.name == "unknown-reference"
                    && f.message == expected
                    && f.location.as_ref().and_then(|l| l.span.clone()) == Some(span.clone())
            });
            assert!(
                reported,
                "{}.{}: expected `{expected}` at the value:\n{text}\n{:#?}",
                kind.name, reference.field, loaded.findings
            );
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} reference fields checked");
}

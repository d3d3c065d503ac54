//! The manifest, `opmodel.toml`: where the model is, which paths need owners, which trailers sign off,
//! and how the rules are configured.

use crate::document::{self, Node, Span, Value};
use crate::finding::Finding;
use crate::schema::{self, Schema};
use crate::source::{FileId, Files, SourceFile};

/// The manifest, read and checked.
#[derive(Debug, Clone)]
pub struct Manifest {
    pub file: FileId,
    pub root: String,
    pub root_span: Option<Span>,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub required: Vec<(String, Span)>,
    pub ignore: Vec<(String, Span)>,
    pub trailers: Vec<String>,
    /// `[approvals].trust`: where the audit takes identities from (default `commits`).
    pub trust: Trust,
    pub rules: Vec<RuleSetting>,
    /// The spans of each `include` then `exclude` glob, for pointing at a bad one.
    pub glob_spans: (Vec<Span>, Vec<Span>),
}

/// `[approvals].trust`: where `opmodel audit` takes the identities of authors and approvers from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Trust {
    /// Commit authors and trailers as written, not verified.
    #[default]
    Commits,
    /// Only commits with a valid SSH signature by a key in the named person's `signing_keys` at base.
    Signatures,
    /// Only what the CI system passes: `--author` and `--approver`.
    Platform,
}

impl Trust {
    /// The value as written in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            Trust::Commits => "commits",
            Trust::Signatures => "signatures",
            Trust::Platform => "platform",
        }
    }

    fn parse(text: &str) -> Option<Trust> {
        [Trust::Commits, Trust::Signatures, Trust::Platform]
            .into_iter()
            .find(|t| t.name() == text)
    }
}

/// One entry of `[rules]`.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSetting {
    pub name: String,
    pub name_span: Span,
    /// The level as written (`error`, `warn`, `info`, `off`), if any.
    pub level: Option<(String, Span)>,
    /// Parameters other than `level`: name, value (a number, or None when not a number), spans.
    pub params: Vec<(String, Span, Option<f64>, Span)>,
}

/// Why the manifest could not be used: its findings (with spans) are still shown.
#[derive(Debug)]
pub struct ManifestError {
    pub findings: Vec<Finding>,
}

impl Manifest {
    /// Parse and validate the manifest's text; it is added to `files` either way.
    pub fn parse(path: &str, text: &str, files: &mut Files) -> Result<Manifest, ManifestError> {
        let file = files.add(SourceFile::new(path, text));
        let text = files.get(file).text.clone();
        let doc = document::parse(&text).map_err(|errors| ManifestError {
            findings: errors
                .into_iter()
                .map(|e| {
                    Finding::new(&crate::load::rules::toml_syntax::RULE, format!("the manifest is not valid TOML: {}", e.message))
                        .at(file, e.span, e.message)
                        .help("fix the syntax here; opmodel cannot tell which files to check until the manifest parses")
                })
                .collect(),
        })?;
        let findings = schema::validate(Schema::Manifest, &doc, file);
        if !findings.is_empty() {
            return Err(ManifestError { findings });
        }
        let strings = |table: &str, key: &str| -> Vec<(String, Span)> {
            doc.get(table)
                .and_then(|t| t.get(key))
                .and_then(Node::as_array)
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|n| n.as_str().map(|s| (s.to_string(), n.span.clone())))
                        .collect()
                })
                .unwrap_or_default()
        };
        let include = doc
            .get("model")
            .and_then(|m| m.get("include"))
            .map(|_| strings("model", "include"));
        let include = include.unwrap_or_else(|| vec![("**/*.toml".to_string(), 0..0)]);
        let exclude = strings("model", "exclude");
        let root_node = doc.get("model").and_then(|m| m.get("root"));
        let trailers = doc
            .get("approvals")
            .and_then(|a| a.get("trailers"))
            .map(|_| {
                strings("approvals", "trailers")
                    .into_iter()
                    .map(|(s, _)| s)
                    .collect()
            })
            .unwrap_or_else(|| vec!["Approved-by".to_string()]);
        // The schema admits only the three values.
        let trust = doc
            .get("approvals")
            .and_then(|a| a.get("trust"))
            .and_then(Node::as_str)
            .and_then(Trust::parse)
            .unwrap_or_default();
        let rules = doc
            .get("rules")
            .map(|r| r.entries().iter().map(rule_setting).collect())
            .unwrap_or_default();
        Ok(Manifest {
            file,
            root: root_node
                .and_then(Node::as_str)
                .unwrap_or("ops")
                .to_string(),
            root_span: root_node.map(|n| n.span.clone()),
            glob_spans: (
                include.iter().map(|(_, s)| s.clone()).collect(),
                exclude.iter().map(|(_, s)| s.clone()).collect(),
            ),
            include: include.into_iter().map(|(s, _)| s).collect(),
            exclude: exclude.into_iter().map(|(s, _)| s).collect(),
            required: strings("ownership", "required"),
            ignore: strings("ownership", "ignore"),
            trailers,
            trust,
            rules,
        })
    }
}

fn rule_setting(entry: &document::Entry) -> RuleSetting {
    let mut setting = RuleSetting {
        name: entry.key.clone(),
        name_span: entry.key_span.clone(),
        level: None,
        params: Vec::new(),
    };
    match &entry.node.value {
        Value::String(level) => setting.level = Some((level.clone(), entry.node.span.clone())),
        Value::Table(entries) => {
            for e in entries {
                if e.key == "level" {
                    if let Some(level) = e.node.as_str() {
                        setting.level = Some((level.to_string(), e.node.span.clone()));
                    }
                    continue;
                }
                let number = match e.node.value {
                    Value::Integer(i) => Some(i as f64),
                    Value::Float(f) => Some(f),
                    _ => None,
                };
                setting.params.push((
                    e.key.clone(),
                    e.key_span.clone(),
                    number,
                    e.node.span.clone(),
                ));
            }
        }
        _ => {}
    }
    setting
}

/// The manifest `opmodel init` writes: every path needs an owner, the manifest and the model files included
/// (the starter area owns them all).
pub const TEMPLATE: &str = r#"# opmodel manifest: see https://github.com/opmodel/opmodel/blob/main/docs/format.md
[model]
version = 1
root = "ops"              # the folder that holds the model files
include = ["**/*.toml"]
exclude = []

[ownership]
required = ["**"]         # every repository path needs an owning area (this manifest and ops/ too)
ignore = []               # paths that need no owner, such as ["LICENSE", "*.md"]

[approvals]
trailers = ["Approved-by"]

[rules]
# decision-concentration = { level = "warn", max_share = 0.4 }
"#;

/// The line of [`TEMPLATE`] that requires an owner for every path, and what `opmodel init --bare` writes instead.
const REQUIRED_ALL: &str =
    "required = [\"**\"]         # every repository path needs an owning area (this manifest and ops/ too)";
const REQUIRED_NONE: &str =
    "required = []             # after the import: [\"**\"], every repository path needs an owning area";

/// The manifest `opmodel init --bare` writes, for a model built by `opmodel import codeowners`: no path needs
/// an owner until the import has written the areas.
pub fn template_bare() -> String {
    TEMPLATE.replace(REQUIRED_ALL, REQUIRED_NONE)
}

/// The starter model `opmodel init` writes under `ops/`: a person, a team, an area that owns every path (the
/// manifest and the model files included) and one decision. It checks clean.
pub const STARTER: &[(&str, &str)] = &[
    (
        "people.toml",
        r#"# People: everyone the model names as an owner, approver, lead or manager.
# Replace Alex with yourself: `id` is what the other files use, `email` and `github` match commits and reviews.

[[person]]
id = "alex-doe"
name = "Alex Doe"
email = "alex@example.com"
team = "operations"
"#,
    ),
    (
        "teams.toml",
        r#"# Teams: who leads them and who is in them.

[[team]]
id = "operations"
name = "Operations"
lead = "alex-doe"
members = ["alex-doe"]
"#,
    ),
    (
        "areas.toml",
        r#"# Areas: what each owner answers for, and which repository paths they own (CODEOWNERS patterns, relative to
# the folder of opmodel.toml; the last matching area wins). This one owns everything, opmodel.toml and ops/
# included: split it as owners take over parts, and keep /opmodel.toml and /ops/ owned.

[[area]]
id = "everything"
title = "Everything in this repository"
owner = "alex-doe"
team = "operations"
paths = ["*"]
"#,
    ),
    (
        "decisions.toml",
        r#"# Decisions: who decides, who must approve, how fast.

[[decision]]
id = "operating-model-changes"
title = "Change the operating model"
description = "Add or change people, teams, areas and decisions in ops/ and opmodel.toml."
owner = "alex-doe"
reversible = true
sla = "1w"
"#,
    ),
];

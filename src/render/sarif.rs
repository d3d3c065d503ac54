//! SARIF 2.1.0, as GitHub code scanning reads it: every rule in `tool.driver.rules`, one result per finding
//! with a repository-relative location and a fingerprint that survives unrelated edits. See docs/output.md.

use serde::Serialize;

use crate::catalog;
use crate::finding::{Finding, Level};
use crate::render::text::sarif_text;
use crate::rules::Rule;
use crate::source::{Files, SourceFile, MANIFEST_NAME};

/// Where the tool and its rule pages live.
pub const INFORMATION_URI: &str = "https://github.com/opmodel/opmodel";
const RULES_URI: &str = "https://github.com/opmodel/opmodel/blob/main/docs/rules.md";
const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The `partialFingerprints` key; its version changes only if the hashed fields change.
pub const FINGERPRINT_KEY: &str = "opmodelFinding/v1";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    /// `opmodel/check/`: the category code scanning files the run's alerts under, one per command.
    automation_details: AutomationDetails,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct AutomationDetails {
    id: String,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<RuleDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleDescriptor {
    id: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

impl Text {
    fn new(text: impl Into<String>) -> Text {
        Text { text: text.into() }
    }
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    /// `false` for the rules that are off unless configured; absent (SARIF's default, true) otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    enabled: Option<bool>,
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: [&'static str; 2],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
}

impl Region {
    /// The first line of a file: where a finding about the whole file, or about no file, points.
    fn first_line() -> Region {
        Region {
            start_line: 1,
            start_column: None,
            end_line: None,
            end_column: None,
        }
    }

    fn of(file: &SourceFile, span: &std::ops::Range<usize>) -> Region {
        let (start_line, start_column) = file.line_col(span.start);
        let (end_line, end_column) = file.line_col(span.end.max(span.start));
        Region {
            start_line,
            start_column: Some(start_column),
            end_line: Some(end_line),
            end_column: Some(end_column),
        }
    }
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "opmodelFinding/v1")]
    finding: String,
    /// The key GitHub code scanning matches alerts by. opmodel's own hash, so that it stays the same when lines
    /// move or a branch is rebased (GitHub's would hash the line's text and number).
    #[serde(rename = "primaryLocationLineHash")]
    line_hash: String,
}

#[derive(Serialize)]
struct ResultProperties {
    entity: Entity,
}

#[derive(Serialize)]
struct Entity {
    kind: &'static str,
    id: String,
}

/// Render the findings of `command` (`check`, `diff`, `audit`) as a SARIF log with one run. Finding paths are
/// relative to the manifest's folder; `uri_prefix` is that folder relative to the repository root (`""` at the
/// root; a missing final `/` is added), so that every URI is repository-relative.
pub fn render(command: &str, findings: &[Finding], files: &Files, uri_prefix: &str) -> String {
    let prefix = normalized_prefix(uri_prefix);
    let all = catalog::all();
    let mut seen: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    let results = findings
        .iter()
        .map(|finding| {
            let hash = fingerprint_hash(finding, files, &prefix);
            // Two findings that hash alike (the same message twice on one entity) are told apart by order.
            let occurrence = seen.entry(hash).or_insert(0);
            *occurrence += 1;
            let occurrence = *occurrence;
            result(
                finding,
                files,
                &prefix,
                all,
                format!("{hash:016x}:{occurrence}"),
            )
        })
        .collect();
    let log = Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: env!("CARGO_PKG_NAME"),
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: all.iter().map(rule_descriptor).collect(),
                },
            },
            automation_details: AutomationDetails {
                id: format!("opmodel/{command}/"),
            },
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

/// SARIF's name for a level.
pub fn level_name(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warn => "warning",
        Level::Info => "note",
    }
}

/// The page of a rule in docs/rules.md.
pub fn help_uri(rule: &str) -> String {
    format!("{RULES_URI}#{rule}")
}

fn rule_descriptor(rule: &Rule) -> RuleDescriptor {
    let page = crate::docs::explain(rule);
    RuleDescriptor {
        id: rule.name,
        short_description: Text::new(rule.summary),
        full_description: Text::new(what_it_checks(rule)),
        help: Help {
            text: page.clone(),
            markdown: page,
        },
        help_uri: help_uri(rule.name),
        default_configuration: Configuration {
            enabled: rule.default_off.then_some(false),
            level: level_name(rule.level),
        },
        properties: RuleProperties {
            tags: ["opmodel", rule.group.as_str()],
        },
    }
}

/// The "What it checks" section of a rule's docs, as one paragraph of text.
fn what_it_checks(rule: &Rule) -> String {
    let section = rule
        .docs
        .split("## What it checks")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .unwrap_or(rule.summary);
    let text = section.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        rule.summary.to_string()
    } else {
        within(&text, MAX_FULL_DESCRIPTION)
    }
}

/// GitHub code scanning keeps at most 1,024 characters of a rule's `fullDescription`.
const MAX_FULL_DESCRIPTION: usize = 1024;

/// `text` cut to at most `max` characters at a word boundary, with `…` when cut.
fn within(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    cut.push('…');
    cut
}

fn result(
    finding: &Finding,
    files: &Files,
    prefix: &str,
    all: &[Rule],
    fingerprint: String,
) -> SarifResult {
    let mut text = finding.message.clone();
    if let Some(help) = &finding.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let related_locations = finding
        .related
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let file = files.get(label.file);
            Location {
                id: Some(i + 1),
                physical_location: physical(&file.path, prefix, Region::of(file, &label.span)),
                message: Some(Text::new(sarif_text(&label.text))),
            }
        })
        .collect();
    SarifResult {
        rule_id: finding.rule.name,
        rule_index: all.iter().position(|r| r.name == finding.rule.name),
        level: level_name(finding.level),
        message: Text::new(sarif_text(&text)),
        locations: [primary_location(finding, files, prefix)],
        related_locations,
        partial_fingerprints: Fingerprints {
            line_hash: fingerprint.clone(),
            finding: fingerprint,
        },
        properties: finding.subject.as_ref().map(|s| ResultProperties {
            entity: Entity {
                kind: s.kind,
                id: s.id.clone(),
            },
        }),
    }
}

/// The finding's place. A finding about a whole file points at its first line; a finding with no file (a
/// commit-level finding of `audit`) points at the manifest's first line, since GitHub needs a file.
fn primary_location(finding: &Finding, files: &Files, prefix: &str) -> Location {
    let Some(location) = &finding.location else {
        return Location {
            id: None,
            physical_location: physical(MANIFEST_NAME, prefix, Region::first_line()),
            message: None,
        };
    };
    let file = files.get(location.file);
    let region = match &location.span {
        Some(span) => Region::of(file, span),
        None => Region::first_line(),
    };
    Location {
        id: None,
        physical_location: physical(&file.path, prefix, region),
        message: (!location.label.is_empty()).then(|| Text::new(sarif_text(&location.label))),
    }
}

fn physical(path: &str, prefix: &str, region: Region) -> PhysicalLocation {
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: uri(&format!("{prefix}{path}")),
        },
        region,
    }
}

/// `""` stays empty; anything else ends in exactly one `/` and has no leading `./` or `/`.
fn normalized_prefix(prefix: &str) -> String {
    let trimmed = prefix.trim_start_matches("./").trim_matches('/');
    if trimmed.is_empty() || trimmed == "." {
        String::new()
    } else {
        format!("{trimmed}/")
    }
}

/// A relative path as a URI reference: every byte outside RFC 3986's unreserved set and `/` is
/// percent-encoded, so spaces, `#`, `?` and non-ASCII names stay one path.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The hash behind a finding's fingerprint: its rule, repository-relative file, entity and message, never
/// its line or column. Digits in the message are left out, so a finding that ages ("overdue by 12 days",
/// then 13) stays the same alert.
/// A message as a fingerprint reads it: commit ids (a word of 7 to 40 hex digits with a digit in it) become `#`
/// and every run of digits one `0`, so that a rebase (new commit ids) or a count that moves does not make a new
/// alert.
fn stable_words(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let hex = (7..=40).contains(&word.len())
            && word.bytes().all(|b| b.is_ascii_hexdigit())
            && word.bytes().any(|b| b.is_ascii_digit());
        if hex {
            out.push('#');
        } else {
            for c in word.chars() {
                if c.is_ascii_digit() {
                    if !out.ends_with('0') {
                        out.push('0');
                    }
                } else {
                    out.push(c);
                }
            }
        }
        word.clear();
    };
    for c in message.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

pub fn fingerprint_hash(finding: &Finding, files: &Files, uri_prefix: &str) -> u64 {
    let prefix = normalized_prefix(uri_prefix);
    let path = match &finding.location {
        Some(location) => format!("{prefix}{}", files.get(location.file).path),
        None => String::new(),
    };
    let (kind, id) = finding
        .subject
        .as_ref()
        .map_or(("", ""), |s| (s.kind, s.id.as_str()));
    let message = stable_words(&finding.message);
    let mut hash = Fnv1a::new();
    for part in [finding.rule.name, &path, kind, id, &message] {
        hash.write(part.as_bytes());
        hash.write(&[0]);
    }
    hash.finish()
}

/// FNV-1a, 64 bits: small, stable across Rust versions and platforms (unlike `DefaultHasher`).
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        let hash = |text: &str| {
            let mut h = Fnv1a::new();
            h.write(text.as_bytes());
            h.finish()
        };
        assert_eq!(hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn uris_are_percent_encoded_relative_references() {
        assert_eq!(uri("ops/teams.toml"), "ops/teams.toml");
        assert_eq!(uri("ops/a b#c.toml"), "ops/a%20b%23c.toml");
        assert_eq!(uri("ops/équipe.toml"), "ops/%C3%A9quipe.toml");
    }

    #[test]
    fn prefixes_end_in_one_slash() {
        assert_eq!(normalized_prefix(""), "");
        assert_eq!(normalized_prefix("."), "");
        assert_eq!(normalized_prefix("company"), "company/");
        assert_eq!(normalized_prefix("./company/ops/"), "company/ops/");
    }

    #[test]
    fn a_rebase_or_an_aging_count_keeps_the_fingerprint() {
        let before =
            "1a2b3c4 \"Retry payments\" by Bob changes src/pay.rs, 508 days after 2025-06-30";
        let after =
            "9f8e7d6 \"Retry payments\" by Bob changes src/pay.rs, 509 days after 2025-06-30";
        assert_eq!(stable_words(before), stable_words(after));
        assert_eq!(
            stable_words(before),
            "# \"Retry payments\" by Bob changes src/pay.rs, 0 days after 0-0-0"
        );
        // A word that is only hex letters is a word, not a commit id.
        assert_eq!(stable_words("deadbeefcafe facade"), "deadbeefcafe facade");
        assert_ne!(stable_words("area billing"), stable_words("area payroll"));
    }

    #[test]
    fn every_full_description_fits_github() {
        for rule in catalog::all() {
            let text = what_it_checks(rule);
            assert!(
                text.chars().count() <= MAX_FULL_DESCRIPTION,
                "{}",
                rule.name
            );
            assert!(!text.is_empty(), "{}", rule.name);
        }
        let long = "word ".repeat(400);
        let cut = within(long.trim_end(), MAX_FULL_DESCRIPTION);
        assert!(cut.chars().count() <= MAX_FULL_DESCRIPTION);
        assert!(cut.ends_with("word…"), "cut at a word: {cut}");
    }

    #[test]
    fn each_command_has_its_own_category() {
        let log: serde_json::Value =
            serde_json::from_str(&render("audit", &[], &Files::default(), "")).unwrap();
        assert_eq!(log["runs"][0]["automationDetails"]["id"], "opmodel/audit/");
    }
}

//! Findings: what every stage reports and every renderer reads.

use std::fmt;

use serde::Serialize;

use crate::document::Span;
use crate::source::FileId;

/// How much a finding matters. Ordered: `Info < Warn < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Info,
    Warn,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }

    /// Parse a level name; `off` is handled by the configuration, not here.
    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "info" => Some(Level::Info),
            "warn" | "warning" => Some(Level::Warn),
            "error" => Some(Level::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a finding is: a file and, unless it concerns the whole file, a span with a label.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub file: FileId,
    pub span: Option<Span>,
    pub label: String,
}

/// A second place that matters to a finding (the first definition of a duplicate, the next hop of a cycle).
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub text: String,
}

/// The entity a finding is about, so that its `allow` list can suppress it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Subject {
    pub kind: &'static str,
    pub id: String,
}

/// One finding: a rule, a level, a message, where, and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// The rule's declaration: a finding is made from it, never from a name typed again.
    pub rule: &'static Rule,
    pub level: Level,
    pub message: String,
    pub location: Option<Location>,
    pub related: Vec<Label>,
    pub help: Option<String>,
    pub subject: Option<Subject>,
}

impl Finding {
    /// A finding of `rule` at its default level; the sink (`crate::sink`) sets the configured level.
    pub fn new(rule: &'static Rule, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            level: rule.level,
            message: message.into(),
            location: None,
            related: Vec::new(),
            help: None,
            subject: None,
        }
    }

    pub fn at(mut self, file: FileId, span: Span, label: impl Into<String>) -> Finding {
        self.location = Some(Location {
            file,
            span: Some(span),
            label: label.into(),
        });
        self
    }

    pub fn in_file(mut self, file: FileId) -> Finding {
        self.location = Some(Location {
            file,
            span: None,
            label: String::new(),
        });
        self
    }

    pub fn related(mut self, file: FileId, span: Span, text: impl Into<String>) -> Finding {
        self.related.push(Label {
            file,
            span,
            text: text.into(),
        });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    pub fn about(mut self, kind: &'static str, id: impl Into<String>) -> Finding {
        self.subject = Some(Subject {
            kind,
            id: id.into(),
        });
        self
    }

    pub fn level(mut self, level: Level) -> Finding {
        self.level = level;
        self
    }
}

/// Counts of findings by level, for summaries and exit codes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Counts {
    pub fn of(findings: &[Finding]) -> Counts {
        let mut counts = Counts::default();
        for f in findings {
            match f.level {
                Level::Error => counts.errors += 1,
                Level::Warn => counts.warnings += 1,
                Level::Info => counts.infos += 1,
            }
        }
        counts
    }

    /// "2 errors, 1 warning": the counts in words, leaving out the levels with none (but never empty).
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        if self.errors > 0 || (self.warnings == 0 && self.infos == 0) {
            parts.push(plural(self.errors, "error", "errors"));
        }
        if self.warnings > 0 {
            parts.push(plural(self.warnings, "warning", "warnings"));
        }
        if self.infos > 0 {
            parts.push(plural(self.infos, "note", "notes"));
        }
        parts.join(", ")
    }
}

/// What part of opmodel reports a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    /// Reading files: syntax, encoding, size.
    Load,
    /// The JSON Schema of model files and of the manifest.
    Schema,
    /// Ids and references across files, and the manifest's configuration.
    Model,
    /// Execution debt: how the company will fail to execute.
    Execution,
    /// Ownership of repository paths.
    Ownership,
    /// What changed between two revisions of the model (`opmodel diff`).
    Drift,
    /// Changes across a range of commits and their sign-offs (`opmodel audit`).
    Audit,
    /// Who does the work the model says others own (`opmodel activity`).
    Activity,
}

impl Group {
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Load => "load",
            Group::Schema => "schema",
            Group::Model => "model",
            Group::Execution => "execution",
            Group::Ownership => "ownership",
            Group::Drift => "drift",
            Group::Audit => "audit",
            Group::Activity => "activity",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Group::Load => "Reading files",
            Group::Schema => "Schema",
            Group::Model => "Ids and references",
            Group::Execution => "Execution debt",
            Group::Ownership => "Ownership of paths",
            Group::Drift => "Drift between revisions (opmodel diff)",
            Group::Audit => "Changes across commits (opmodel audit)",
            Group::Activity => "Evidence from history (opmodel activity)",
        }
    }

    /// Whether `[rules]` and the command line may change the level of this group's rules.
    pub fn configurable(self) -> bool {
        !matches!(self, Group::Load | Group::Schema)
    }
}

/// A parameter of a rule, set in `[rules]` as `rule = { level = "warn", name = value }`.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    /// The default, as TOML text (`0.4`, or `none` when the parameter is unset by default).
    pub default: &'static str,
    pub description: &'static str,
}

/// One rule, declared once. A finding names its rule by this declaration (`Finding::new(&RULE, ..)`), never by a
/// string: a misspelt rule does not compile. Two declarations are the same rule when their names are equal.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub name: &'static str,
    pub level: Level,
    /// Rules that are off unless configured (such as `span-of-control`).
    pub default_off: bool,
    pub group: Group,
    pub summary: &'static str,
    /// Markdown with the sections "What it checks", "Why it matters", "Example" and "Use instead".
    pub docs: &'static str,
    pub params: &'static [Param],
}

impl PartialEq for Rule {
    fn eq(&self, other: &Rule) -> bool {
        self.name == other.name
    }
}

impl Eq for Rule {}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

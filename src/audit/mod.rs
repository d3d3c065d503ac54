//! `opmodel audit [RANGE]`: walk the commits of a range and report the changes nobody owns, the changes their
//! owner neither made nor approved, and the material drifts of the model that lack their sign-off.
//!
//! Ownership and approvers always come from the model at the base of the range (MODEL.md, "Across commits"):
//! a change cannot grant itself the right to be made. The walk streams: commits are diffed in batches, and each
//! distinct model blob is parsed once (see `entities`).
//!
//! - `walk`: the range, the approvals of the whole range (first pass), the batched per-commit diff (second pass).
//! - `identity`: who made a commit and whom its trailers name, under the base's `[approvals].trust`.
//! - `judge`: who owns a path or an entity at base, who may change it, and the findings when nobody approved.
//! - `entities`: the entities of a model blob, compared by kind and id.
//! - `drift`: the error-level drifts between base and head that lack their sign-off.
//! - `render`: the human report, Markdown for a pull-request comment, and the JSON document.

mod drift;
mod entities;
mod findings;
pub(crate) mod identity;
mod judge;
mod place;
pub mod rules;
pub mod signature;
mod walk;

use std::path::Path;

pub use findings::Findings;
pub use place::DECIDED_AT_BASE;

use crate::check::RunError;
use crate::finding::{Finding, Level};
use crate::git::{ChangeKind, CommitInfo};
use crate::revision::{self, GitProject, Side};
use crate::source::Files;

/// What to audit.
#[derive(Debug, Clone)]
pub struct Options {
    /// `BASE..HEAD`, `BASE...HEAD` or `BASE` (HEAD then is the commit HEAD); `None`: the merge-base of HEAD and
    /// the default branch.
    pub range: Option<String>,
    /// Follow only first parents, and judge merge commits by what they bring to their first parent.
    pub first_parent: bool,
    /// Approvals known outside git (`ID`, `EMAIL` or `@LOGIN`), such as a pull request's approving reviews.
    pub approvers: Vec<String>,
    /// The author of every change under `[approvals] trust = "platform"` (`ID`, `EMAIL` or `@LOGIN`), such as the
    /// pull request's author as the CI platform authenticated them.
    pub author: Option<String>,
    /// Level overrides from the command line, applied after `[rules]` at base (`crate::sink`).
    pub overrides: crate::config::Overrides,
    /// Lines for the top of the report, from the caller (how a pre-push range was chosen).
    pub notes: Vec<String>,
}

/// One end of the range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct End {
    /// As shown: `main (1a2b3c4)`.
    pub label: String,
    /// The full commit id.
    pub commit: String,
}

/// The commit a finding is about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitRef {
    pub id: String,
    pub short_id: String,
    pub author_name: String,
    pub author_email: String,
    pub subject: String,
}

impl CommitRef {
    pub(crate) fn of(info: &CommitInfo) -> CommitRef {
        CommitRef {
            id: info.id.to_string(),
            short_id: info.short_id.clone(),
            author_name: info.author_name.clone(),
            author_email: info.author_email.clone(),
            subject: info.subject.clone(),
        }
    }

    /// `1a2b3c4 "Retry card payments" by Bob Stone <bob@example.com>`.
    pub fn words(&self) -> String {
        format!(
            "{} \"{}\" by {} <{}>",
            self.short_id, self.subject, self.author_name, self.author_email
        )
    }
}

/// An identity the audit used, and why it trusted it (or, without a person, why nobody was trusted).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Identity {
    pub person: Option<String>,
    pub basis: String,
}

/// What the audit trusted over the whole range.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrustSummary {
    /// `[approvals].trust` at base: `commits`, `signatures` or `platform`.
    pub mode: &'static str,
    /// The line the reports show: `identities: ...`.
    pub statement: String,
    /// Under `platform`: the author `--author` gave.
    pub author: Option<Identity>,
    /// The approvals that counted, by person id, with why.
    pub approvals: Vec<Identity>,
}

/// A person at base who could have approved a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approver {
    pub id: String,
    /// The person's name at base; `None` when the id names no person at base.
    pub name: Option<String>,
    /// The person's GitHub login at base, for review requests.
    pub github: Option<String>,
}

/// One finding of the audit, with what the JSON and Markdown reports show beyond the finding itself.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditFinding {
    /// The rule, level, message, place and help: what every renderer reads. The place is at head, where the pull
    /// request shows the change; the base's deciding place is its first related location (see `place`).
    pub finding: Finding,
    /// The commit that made the change (shared by that commit's findings); `None` for a drift, which is judged
    /// over the whole range.
    pub commit: Option<std::sync::Arc<CommitRef>>,
    /// The commit's author as the audit took it, and why; `None` for a drift.
    pub identity: Option<Identity>,
    /// How the path or entity changed.
    pub change: Option<ChangeKind>,
    /// The changed path, relative to the manifest's folder (non-UTF-8 bytes shown as `\xNN`).
    pub path: Option<String>,
    /// The changed entity: kind and id.
    pub entity: Option<(&'static str, String)>,
    /// For a drift, the drift check that needs the sign-off (`irreversible-changed`).
    pub drift: Option<&'static str>,
    /// The people whose approval was missing: any one of them for a change, every one of them for a drift.
    pub approvers: Vec<Approver>,
}

/// Counts for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Commits listed in the range.
    pub commits: usize,
    /// Merge commits with no change of their own (without `--first-parent`; a merge that differs from every parent
    /// on some path is judged by those paths).
    pub merges_skipped: usize,
    /// Changed paths over the judged commits (a path changed by two commits counts twice).
    pub paths_changed: usize,
    /// Model entities added, removed or changed, over the judged commits.
    pub entities_changed: usize,
    /// Drifts between base and head that needed a sign-off.
    pub drifts: usize,
}

/// The outcome of an audit.
#[derive(Debug)]
pub struct Audit {
    pub base: End,
    pub head: End,
    pub first_parent: bool,
    /// What the audit trusted: the trust mode, the author and the approvals that counted.
    pub trust: TrustSummary,
    /// Lines for the top of the report: how the base was chosen, an empty range, an approver nobody matches.
    pub notes: Vec<String>,
    /// The texts findings point into: the base snapshot's manifest and model files, then the head's, then an
    /// empty text for each changed file that is no model file (see `place`).
    pub files: Files,
    /// The manifest's folder relative to the repository root (`""` at the root).
    pub prefix: String,
    /// Oldest commit first; drifts last.
    pub findings: Findings,
    pub stats: Stats,
}

impl Audit {
    /// The findings alone, for the renderers shared with `check`.
    pub fn plain_findings(&self) -> Vec<Finding> {
        self.findings
            .iter()
            .map(|f| f.into_owned().finding)
            .collect()
    }

    /// Whether any finding is at `level` or above.
    pub fn any_at_least(&self, level: Level) -> bool {
        self.findings.levels().any(|(_, l)| l >= level)
    }
}

/// Run the audit from `dir` (the repository around it), calling `progress(done, total)` as commits are judged.
pub fn run(
    dir: &Path,
    manifest: Option<&Path>,
    options: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Audit, RunError> {
    let git = GitProject::open(dir, manifest)?;
    let head_commit = git.repo.head_commit()?;
    let args: Vec<String> = options.range.iter().cloned().collect();
    let head_default = match head_commit {
        Some(id) => Side::Commit {
            id,
            name: "HEAD".into(),
        },
        // `resolve` reports a repository without commits when it needs HEAD.
        None => Side::Worktree,
    };
    let range = revision::resolve(&git, &args, head_default)?;
    let (Side::Commit { id: base_id, .. }, Side::Commit { id: head_id, .. }) =
        (&range.base, &range.head)
    else {
        return Err(RunError::new(
            "the repository has no commits yet",
            "commit first, or name the revisions to audit as BASE..HEAD",
        ));
    };
    let (base_id, head_id) = (*base_id, *head_id);
    // The range is listed (every commit read, a chain that cannot be read in parallel) on another thread while
    // the model at base is loaded on this one: both only read the repository, each with its own handle. Errors
    // keep their order: the base's first, the listing's where the walk starts.
    let lister = git.repo.clone();
    let (base, listed) = std::thread::scope(|scope| {
        let listing =
            scope.spawn(move || lister.range_infos(base_id, head_id, options.first_parent));
        let base = revision::snapshot(&git, &range.base);
        match listing.join() {
            Ok(listed) => (base, listed),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    });
    let base = base?;
    let Some(base_manifest) = base.manifest.as_ref() else {
        return Err(RunError::new(
            format!(
                "the base of the range, {}, has no {}",
                range.base.label(),
                git.repo_path(&git.manifest_name)
            ),
            "ownership and approvers are read from the base of the range: audit from a base that has the \
             manifest (`opmodel audit BASE..HEAD`), or pass --manifest with its path in that commit",
        ));
    };
    let mut notes: Vec<String> = options.notes.clone();
    notes.extend(range.note.iter().cloned());
    // The `.mailmap` is read at base too: one the range adds cannot make its own author someone else.
    let people = crate::identity::People::at(&base.loaded.model, &git.repo, base_id)?;
    let judge = judge::Base::new(
        &git,
        base_manifest,
        &base.loaded,
        &options.overrides,
        people,
    )?;
    let walked = walk::walk(&git, &judge, listed, options, &mut notes, progress)?;
    let walk::Walked {
        mut findings,
        mut stats,
        approved,
        trails,
        range_authors,
        mut trust,
    } = walked;
    trust.mode = base_manifest.trust.name();
    let mut files = base.loaded.files.clone();
    if stats.commits == 0 {
        notes.push(format!(
            "no commits between {} and {}: nothing to audit",
            range.base.label(),
            range.head.label()
        ));
    } else {
        let head = revision::snapshot(&git, &range.head)?;
        let mut at_head = place::Head::new(&base.loaded.files, &head);
        let signed = drift::Signed {
            approved: &approved,
            trails: &trails,
            range_authors: &range_authors,
        };
        let drifts = drift::unsigned(&git.repo, &judge, &base, &head, &at_head, &signed)?;
        stats.drifts = drifts.needing_signoff;
        notes.extend(drifts.notes);
        findings.relocate(&mut at_head);
        for drift in drifts.findings {
            findings.push(drift);
        }
        files = at_head.into_files();
    }
    judge.apply_levels(&mut findings);
    Ok(Audit {
        base: End {
            label: range.base.label(),
            commit: base_id.to_string(),
        },
        head: End {
            label: range.head.label(),
            commit: head_id.to_string(),
        },
        first_parent: options.first_parent,
        trust,
        notes,
        files,
        prefix: git.prefix.clone(),
        findings,
        stats,
    })
}

pub use crate::source::shown_path;

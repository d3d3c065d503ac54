//! `unapproved-drift`: the error-level drifts between base and head (as `opmodel diff` classifies them, with the
//! levels of the base's `[rules]`) whose sign-off is missing. Every person a drift names must have signed: by an
//! approval in the range, by `--approver`, or by authoring a commit in the range that changed the entity.

use std::collections::{HashMap, HashSet};

use crate::check::RunError;
use crate::diff::{self, Change, DiffReport, Drift, Op};
use crate::finding::Finding;
use crate::git::Repo;
use crate::revision::Snapshot;

use super::judge::Base;
use super::walk::Trail;
use super::{AuditFinding, CommitRef};

use crate::audit::rules::unapproved_drift::RULE as UNAPPROVED_DRIFT;

/// What counts as a sign-off, gathered by the walk.
pub struct Signed<'w> {
    pub approved: &'w HashSet<String>,
    pub trails: &'w HashMap<(&'static str, String), Trail>,
    pub range_authors: &'w HashSet<String>,
}

impl Signed<'_> {
    /// Whether `person` signed the change of (kind, id): an approval, or the authorship of a commit that changed
    /// the entity (of any commit of the range, when the walk saw no commit change it entity by entity).
    fn has(&self, person: &str, kind: &'static str, id: &str) -> bool {
        if self.approved.contains(person) {
            return true;
        }
        match self.trails.get(&(kind, id.to_string())) {
            Some(trail) => trail.authors.contains(person),
            None => self.range_authors.contains(person),
        }
    }
}

/// The findings, and how many drifts needed a sign-off.
pub struct Unsigned {
    pub findings: Vec<AuditFinding>,
    pub needing_signoff: usize,
    /// Model files one side cannot read (their entities' drifts are not judged).
    pub notes: Vec<String>,
}

/// The paths of the model files a side could not read.
fn unreadable(side: &Snapshot) -> HashSet<&str> {
    side.loaded
        .failed
        .iter()
        .map(|(file, _)| side.loaded.files.get(*file).path.as_str())
        .collect()
}

pub fn unsigned(
    repo: &Repo,
    base: &Base<'_>,
    base_side: &Snapshot,
    head_side: &Snapshot,
    signed: &Signed<'_>,
) -> Result<Unsigned, RunError> {
    let report = diff::compare(base_side, head_side, &mut base.sink());
    let mut out = Unsigned {
        findings: Vec::new(),
        needing_signoff: 0,
        notes: report.problems.clone(),
    };
    // An entity is missing from a side whose file cannot be read there: that is no removal (or addition) to sign.
    let unreadable_at_head = unreadable(head_side);
    let unreadable_at_base = unreadable(base_side);
    for change in &report.changes {
        let missing_file = match (change.op, &change.base, &change.head) {
            (Op::Removed, Some((file, _)), _) => {
                unreadable_at_head.contains(report.files.get(*file).path.as_str())
            }
            (Op::Added, _, Some((file, _))) => {
                unreadable_at_base.contains(report.files.get(*file).path.as_str())
            }
            _ => false,
        };
        if missing_file {
            continue;
        }
        for drift in change.drifts.iter().filter(|d| d.needs_signoff()) {
            out.needing_signoff += 1;
            let missing: Vec<&String> = drift
                .signoff
                .iter()
                .filter(|person| !signed.has(person, change.kind, &change.id))
                .collect();
            if missing.is_empty() && !drift.signoff.is_empty() {
                continue;
            }
            out.findings.push(finding(
                repo, base, &report, change, drift, &missing, signed,
            ));
        }
    }
    Ok(out)
}

fn finding(
    repo: &Repo,
    base: &Base<'_>,
    report: &DiffReport,
    change: &Change,
    drift: &Drift,
    missing: &[&String],
    signed: &Signed<'_>,
) -> AuditFinding {
    let names: Vec<String> = missing.iter().map(|id| report.who(id)).collect();
    let message = if drift.signoff.is_empty() {
        format!(
            "{}; `{}` needs a sign-off, and the model at base names nobody who could give it",
            drift.message, drift.check
        )
    } else {
        format!(
            "{}; `{}` needs the sign-off of {}, and nothing in the range gives it",
            drift.message,
            drift.check,
            and_list(&names)
        )
    };
    let mut finding =
        Finding::new(&UNAPPROVED_DRIFT, message).about(change.kind, change.id.clone());
    // The label sits on the field at base (else the entity at base): what the base says decides the sign-off.
    let at_base = drift
        .field
        .as_deref()
        .and_then(|f| change.field(f))
        .and_then(|f| f.base.clone())
        .or_else(|| change.base.clone())
        .filter(|(file, _)| report.is_base_file(*file))
        .map(|(file, span)| (file - report.base_files_from, span));
    if let Some((file, span)) = at_base {
        let label = match names.as_slice() {
            [] => "at base: nobody is named to sign this off".to_string(),
            names => format!("at base: needs {}", and_list(names)),
        };
        finding = finding.at(file, span, label);
    }
    let ids: Vec<&str> = missing.iter().map(|id| id.as_str()).collect();
    let help = if ids.is_empty() {
        format!(
            "name who answers for it at base (an `owner`, `approvers`), or lower `{}` in `[rules]` on the base \
             branch; `opmodel explain {}` says who signs off",
            drift.check, drift.check
        )
    } else {
        let trailers: Vec<String> = ids
            .iter()
            .map(|id| format!("`{}`", base.trailer_for(id)))
            .collect();
        let flags: Vec<String> = ids.iter().map(|id| format!("--approver {id}")).collect();
        format!(
            "add {} to a commit message in the range, or pass `{}` when the pull request has {}; `opmodel \
             explain {}` says who signs off and why",
            and_list(&trailers),
            flags.join(" "),
            if ids.len() == 1 { "their review" } else { "their reviews" },
            drift.check
        )
    };
    finding = finding.help(help);
    let commit = signed
        .trails
        .get(&(change.kind, change.id.clone()))
        .and_then(|trail| repo.commit_info(trail.last).ok())
        .map(|info| CommitRef::of(&info));
    AuditFinding {
        finding,
        commit,
        identity: None,
        change: None,
        path: None,
        entity: Some((change.kind, change.id.clone())),
        approvers: missing.iter().map(|id| base.approver(id)).collect(),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

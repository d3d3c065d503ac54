//! `unapproved-drift`: the error-level drifts between base and head (as `opmodel diff` classifies them, with the
//! levels of the base's `[rules]`) whose sign-off is missing. Every person a drift names must have signed: by an
//! approval in the range, or by `--approver`.
//!
//! Four eyes: the authors of the commits that changed the entity (of the range, for the manifest) never sign off
//! an error-level drift. They drop out of the signers; when nobody else is left, each of them hands the sign-off
//! to their `manager`, else to the lead of their team, else it cannot be given. A drift below error is signed
//! by its people as before: an approval, or the authorship of a commit that changed the entity.

use std::collections::{HashMap, HashSet};

use crate::check::RunError;
use crate::diff::{self, Change, DiffReport, Drift, Op};
use crate::finding::{Finding, Level};
use crate::git::Repo;
use crate::model::Model;
use crate::revision::Snapshot;

use super::judge::Base;
use super::place::{self, Head};
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
    /// Who made the change of (kind, id): the authors of the commits that changed the entity (of every commit of
    /// the range, when the walk saw no commit change it entity by entity, as for the manifest).
    fn authors(&self, kind: &'static str, id: &str) -> &HashSet<String> {
        match self.trails.get(&(kind, id.to_string())) {
            Some(trail) => &trail.authors,
            None => self.range_authors,
        }
    }

    /// Whether `person` signed the change of (kind, id): an approval, or (when `by_authoring`) the authorship of
    /// a commit that changed it.
    fn has(&self, person: &str, kind: &'static str, id: &str, by_authoring: bool) -> bool {
        self.approved.contains(person) || (by_authoring && self.authors(kind, id).contains(person))
    }
}

/// Who must sign a drift off, after four eyes.
#[derive(Debug, Default, PartialEq)]
struct Signers {
    people: Vec<String>,
    /// Authors who were the only signers, and to whom the sign-off fell: (author, "manager" or "team lead", who).
    handed: Vec<(String, &'static str, String)>,
    /// Authors who were the only signers and have no manager or team lead who could sign instead.
    unsignable: Vec<String>,
}

/// The signers of an error-level drift: its people except the change's authors; when that leaves nobody, each
/// author's manager, else the lead of their team (neither of them an author too).
fn four_eyes(model: &Model, signoff: &[String], authors: &HashSet<String>) -> Signers {
    let others: Vec<String> = signoff
        .iter()
        .filter(|p| !authors.contains(*p))
        .cloned()
        .collect();
    if !others.is_empty() || signoff.is_empty() {
        return Signers {
            people: others,
            ..Signers::default()
        };
    }
    let mut signers = Signers::default();
    for author in signoff {
        match stand_in(model, author, authors) {
            Some((role, who)) => {
                if !signers.people.contains(&who) {
                    signers.people.push(who.clone());
                }
                signers.handed.push((author.clone(), role, who));
            }
            None => signers.unsignable.push(author.clone()),
        }
    }
    signers
}

/// Who signs off for `person`: their manager, else the lead of their team (by `team`, else by `members`).
fn stand_in(
    model: &Model,
    person: &str,
    authors: &HashSet<String>,
) -> Option<(&'static str, String)> {
    let usable = |id: &&str| *id != person && !authors.contains(*id) && model.person(id).is_some();
    let found = model.person(person)?;
    if let Some(manager) = found.manager.as_deref().filter(usable) {
        return Some(("manager", manager.to_string()));
    }
    let team = found
        .team
        .as_deref()
        .and_then(|t| model.team(t))
        .or_else(|| {
            model
                .teams
                .iter()
                .find(|t| t.members.iter().flatten().any(|m| m == person))
        })?;
    Some(team.lead.as_str())
        .filter(usable)
        .map(|lead| ("team lead", lead.to_string()))
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
    head: &Head,
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
            let material = drift.level == Level::Error;
            let signers = if material {
                four_eyes(
                    base.model,
                    &drift.signoff,
                    signed.authors(change.kind, &change.id),
                )
            } else {
                Signers {
                    people: drift.signoff.clone(),
                    ..Signers::default()
                }
            };
            let missing: Vec<&String> = signers
                .people
                .iter()
                .filter(|person| !signed.has(person, change.kind, &change.id, !material))
                .collect();
            if missing.is_empty() && !signers.people.is_empty() && signers.unsignable.is_empty() {
                continue;
            }
            out.findings.push(finding(
                repo, base, head, &report, change, drift, &signers, &missing, signed,
            ));
        }
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn finding(
    repo: &Repo,
    base: &Base<'_>,
    head: &Head,
    report: &DiffReport,
    change: &Change,
    drift: &Drift,
    signers: &Signers,
    missing: &[&String],
    signed: &Signed<'_>,
) -> AuditFinding {
    let names: Vec<String> = missing.iter().map(|id| base.model.who(id)).collect();
    let made_by = |ids: &mut dyn Iterator<Item = &String>| {
        and_list(&ids.map(|id| base.model.who(id)).collect::<Vec<_>>())
    };
    let message = if drift.signoff.is_empty() {
        format!(
            "{}; `{}` needs a sign-off, and the model at base names nobody who could give it",
            drift.message, drift.check
        )
    } else if !signers.unsignable.is_empty() {
        format!(
            "{}; `{}` needs a sign-off, but {} made the change and cannot sign it off (four eyes), and the model \
             at base names no manager or team lead who could instead: it cannot be signed off",
            drift.message,
            drift.check,
            made_by(&mut signers.unsignable.iter())
        )
    } else if !signers.handed.is_empty() {
        let roles: Vec<String> = signers
            .handed
            .iter()
            .map(|(_, role, who)| format!("{role}, {}", base.model.who(who)))
            .collect();
        format!(
            "{}; {} made the change and cannot sign it off (four eyes): `{}` needs the sign-off of their {} \
             instead, and nothing in the range gives it",
            drift.message,
            made_by(&mut signers.handed.iter().map(|(author, _, _)| author)),
            drift.check,
            and_list(&roles)
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
            _ if !signers.unsignable.is_empty() => {
                "nobody but its author could sign this off".to_string()
            }
            [] => "nobody is named to sign this off".to_string(),
            names => format!("needs {}", and_list(names)),
        };
        finding = finding.at(file, span, label);
    }
    // Shown where the pull request shows it: the field (else the entity) at head; an entity gone at head, its
    // file at head, else the manifest at head. The place at base becomes a related location.
    let field_at_head = drift
        .field
        .as_deref()
        .and_then(|f| change.field(f))
        .and_then(|f| f.head.clone())
        .map(|at| (at, "changed here".to_string()));
    let at_head = field_at_head
        .or_else(|| {
            let at = change.head.clone()?;
            Some((at, format!("{} here", change.op.as_str())))
        })
        .filter(|((file, _), _)| !report.is_base_file(*file))
        .map(|((file, span), label)| crate::finding::Location {
            file: head.from + file,
            span: Some(span),
            label,
        })
        .or_else(|| {
            let (file, _) = change.base.as_ref()?;
            head.file_or_manifest(&report.files.get(*file).path)
                .map(place::whole)
        });
    if let Some(primary) = at_head {
        finding = place::decided_at_base(finding, primary);
    }
    let ids: Vec<&str> = missing.iter().map(|id| id.as_str()).collect();
    let help = if !signers.unsignable.is_empty() {
        format!(
            "let someone else make the change, or name a `manager` (or a team with a lead) for {} at base; \
             `opmodel explain {}` says who signs off",
            signers.unsignable.join(", "),
            drift.check
        )
    } else if ids.is_empty() {
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
        .map(|info| std::sync::Arc::new(CommitRef::of(&info)));
    AuditFinding {
        finding,
        commit,
        identity: None,
        change: None,
        path: None,
        entity: Some((change.kind, change.id.clone())),
        drift: Some(drift.check.name),
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

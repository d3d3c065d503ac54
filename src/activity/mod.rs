//! `opmodel activity [RANGE]`: is the model true? One streaming pass over a window's commits attributes each
//! changed path to the area that owns it in the model at the window's end (the model as it is claimed now), and
//! each commit to a person; the rules in `rules/` compare who owns an area with who does its work.
//!
//! - `tally`: the window's commits, in batches (the git layer diffs them in parallel), counted per area, per
//!   unowned folder and per person; nothing per commit outlives its batch, so memory stays flat in the length of
//!   the history.
//! - `rules`: the six findings, one file each, with their parameters in `[rules]`.
//!
//! Identities are resolved as `audit` resolves them (`crate::identity`): email in any letter case, GitHub's
//! noreply addresses, and the `.mailmap` at the window's end. Approvals are the trailers `[approvals]` lists,
//! under its `trust` mode, and `--approver`.

pub mod rules;
mod tally;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use crate::check::RunError;
use crate::config::{Config, Overrides};
use crate::date::Date;
use crate::finding::{Finding, Level};
use crate::identity::People;
use crate::manifest::Trust;
use crate::model::Model;
use crate::ownership::Ownership;
use crate::revision::{self, GitProject, Side};
use crate::sink::Sink;
use crate::source::Files;

pub use tally::Contributor;

/// The default window: this many days before `--as-of`.
pub const DEFAULT_DAYS: i64 = 90;

/// What to look at.
#[derive(Debug, Clone)]
pub struct Options {
    /// `BASE..HEAD` (or `BASE`, to HEAD): the commits of a range instead of a window of dates.
    pub range: Option<String>,
    /// The first day of the window; `None`: `DEFAULT_DAYS` before `as_of`.
    pub since: Option<Date>,
    /// The last day of the window (its commits up to the end of that day, UTC).
    pub as_of: Date,
    /// Every commit, not only first parents; a merge then counts by its own changes.
    pub all: bool,
    /// Approvals known outside git (`ID`, `EMAIL` or `@LOGIN`): involvement in every change of the window.
    pub approvers: Vec<String>,
    pub overrides: Overrides,
}

/// The window that was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// As shown: `2026-08-23 to 2026-11-20` or `v1.0..main`.
    pub label: String,
    /// The commit whose model judged: the window's end.
    pub end: String,
    pub end_label: String,
    pub first_parent: bool,
}

/// Who made how many of an area's changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    pub who: Contributor,
    /// As shown: `Maya Okafor (maya-okafor)` or `<someone@example.com>`.
    pub name: String,
    pub changes: usize,
}

/// One area's row of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaRow {
    pub id: String,
    pub title: String,
    /// The owner's id; `None` for an `unowned` area.
    pub owner: Option<String>,
    pub owner_name: Option<String>,
    /// Commits that changed a path the area owns.
    pub changes: usize,
    /// Of those, the owner's.
    pub owner_changes: usize,
    /// Changes the owner approved (a trailer in the commit, or `--approver`) without making them.
    pub owner_approved: usize,
    /// The contributor with the most changes (ties: the first in id order).
    pub top: Option<Share>,
    /// Distinct contributors.
    pub contributors: usize,
    /// The day of the owner's last change in the window.
    pub owner_last: Option<Date>,
    /// The day of the last change.
    pub last: Option<Date>,
}

/// One person's row: what they own, what they touched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    pub who: Contributor,
    pub name: String,
    /// Areas the person owns (ids, model order).
    pub owns: Vec<String>,
    /// Areas the person changed, with how many changes (model order).
    pub touched: Vec<(String, usize)>,
    /// Commits made in the window.
    pub commits: usize,
}

/// A folder no area owns that `[ownership].required` covers, with its changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnownedRow {
    /// `scripts/` (relative to the manifest's folder), or a file at the root.
    pub folder: String,
    pub changes: usize,
    pub top: Option<Share>,
}

/// Counts for the summary.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub commits: usize,
    /// Merges counted by their own changes found none (with `--all`).
    pub merges_skipped: usize,
    /// Changed paths over the counted commits.
    pub paths_changed: usize,
    /// Commits whose author is nobody in the model.
    pub unmatched_commits: usize,
}

/// The outcome of `opmodel activity`.
#[derive(Debug)]
pub struct Activity {
    pub window: Window,
    /// What identities and approvals counted.
    pub identities: String,
    pub notes: Vec<String>,
    pub areas: Vec<AreaRow>,
    pub people: Vec<PersonRow>,
    pub unowned: Vec<UnownedRow>,
    pub stats: Stats,
    /// The texts findings point into: the end snapshot's manifest and model files.
    pub files: Files,
    pub prefix: String,
    pub findings: Vec<Finding>,
}

impl Activity {
    pub fn any_at_least(&self, level: Level) -> bool {
        self.findings.iter().any(|f| f.level >= level)
    }
}

/// The model at the window's end, ready to count and judge.
pub struct End<'a> {
    pub model: &'a Model,
    pub people: People,
    pub ownership: Ownership,
    /// For each area: its team's people (`crate::identity::area_members`).
    pub members: Vec<HashSet<&'a str>>,
    pub config: Config,
    /// `[approvals].trailers`, lowercased.
    trailers: Vec<String>,
    pub trust: Trust,
    /// The manifest's folder in the repository, with a final `/` (`""` at the root).
    prefix: Vec<u8>,
}

impl End<'_> {
    /// Whether a trailer's token records a sign-off (`[approvals].trailers`, case-insensitively).
    pub fn is_approval(&self, token: &str) -> bool {
        self.trailers.contains(&token.to_lowercase())
    }

    /// A repository path relative to the manifest's folder; `None` outside it.
    pub fn project_path<'p>(&self, path: &'p [u8]) -> Option<&'p [u8]> {
        path.strip_prefix(self.prefix.as_slice())
    }

    /// A contributor as shown: the person's name and id, or the unmatched email in angle brackets.
    pub fn name(&self, who: &Contributor) -> String {
        match who {
            Contributor::Person(id) => self.model.who(id),
            Contributor::Unknown(email) => format!("<{email}>"),
        }
    }
}

/// Seconds since the epoch at the start of `date` (UTC).
fn seconds(date: Date) -> i64 {
    Date::parse("1970-01-01").map_or(0, |epoch| date.days_since(epoch)) * 86_400
}

/// The day (UTC) of a time in seconds since the epoch.
pub fn day_of(seconds: i64) -> Date {
    let epoch = Date::parse("1970-01-01").unwrap_or_else(Date::today);
    epoch.plus_days(seconds.div_euclid(86_400))
}

/// Run `opmodel activity` from `dir`, calling `progress(done, total)` as commits are counted.
pub fn run(
    dir: &Path,
    manifest: Option<&Path>,
    options: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Activity, RunError> {
    let git = GitProject::open(dir, manifest)?;
    let Some(head) = git.repo.head_commit()? else {
        return Err(RunError::new(
            "the repository has no commits yet",
            "commit first: activity reads the history",
        ));
    };
    let first_parent = !options.all;
    let mut notes = Vec::new();
    let (commits, end, label) = match &options.range {
        Some(range) => {
            let resolved = revision::resolve(
                &git,
                std::slice::from_ref(range),
                Side::Commit {
                    id: head,
                    name: "HEAD".into(),
                },
            )?;
            notes.extend(resolved.note.iter().cloned());
            let (Side::Commit { id: base, .. }, Side::Commit { id: to, .. }) =
                (&resolved.base, &resolved.head)
            else {
                return Err(RunError::new(
                    format!("{range}: activity reads commits, not the working tree"),
                    "name a range of commits: BASE..HEAD",
                ));
            };
            let label = format!("{}..{}", resolved.base.label(), resolved.head.label());
            (
                git.repo.range_infos(*base, *to, first_parent)?,
                resolved.head,
                label,
            )
        }
        None => {
            let since = options
                .since
                .unwrap_or_else(|| options.as_of.plus_days(-DEFAULT_DAYS));
            if since > options.as_of {
                return Err(RunError::new(
                    format!("--since {since} is after --as-of {}", options.as_of),
                    "the window runs from --since to --as-of: give a date before it",
                ));
            }
            let until = seconds(options.as_of.plus_days(1));
            let Some(end) = git.repo.last_before(head, until)? else {
                return Err(RunError::new(
                    format!("HEAD has no commit on or before {}", options.as_of),
                    "pass an --as-of date after the first commit",
                ));
            };
            let commits = git
                .repo
                .window_infos(head, seconds(since), until, first_parent)?;
            let name = if end == head { "HEAD" } else { "end" };
            (
                commits,
                Side::Commit {
                    id: end,
                    name: name.into(),
                },
                format!("{since} to {}", options.as_of),
            )
        }
    };
    let Side::Commit { id: end_id, .. } = end else {
        return Err(RunError::new(
            "the window has no end commit",
            "name a range of commits: BASE..HEAD",
        ));
    };
    let snapshot = revision::snapshot(&git, &end)?;
    let Some(manifest) = snapshot.manifest.as_ref() else {
        return Err(RunError::new(
            format!(
                "the end of the window, {}, has no {}",
                end.label(),
                git.repo_path(&git.manifest_name)
            ),
            "activity judges by the model at the window's end: choose a window that ends where the manifest exists",
        ));
    };
    let model = &snapshot.loaded.model;
    let (config, _) = Config::new(Some(manifest), &options.overrides)
        .map_err(|e| RunError::new(e.to_string(), "`opmodel rules` lists every rule"))?;
    let end_model = End {
        model,
        people: People::at(model, &git.repo, end_id)?,
        ownership: Ownership::new(model, Some(manifest)).0,
        members: crate::identity::area_members(model),
        config,
        trailers: manifest.trailers.iter().map(|t| t.to_lowercase()).collect(),
        trust: manifest.trust,
        prefix: match git.prefix.as_str() {
            "" => Vec::new(),
            prefix => format!("{prefix}/").into_bytes(),
        },
    };
    let mut approvers = BTreeSet::new();
    for value in &options.approvers {
        match end_model.people.resolve(value) {
            Some(id) => {
                approvers.insert(id.to_string());
            }
            None => notes.push(format!(
                "--approver {value} names nobody in the model at the window's end: it counts for nobody"
            )),
        }
    }
    let tally = tally::count(
        &git,
        &end_model,
        &commits,
        first_parent,
        &approvers,
        &mut notes,
        progress,
    )?;
    drop(commits);
    let identities = identities_statement(&end_model);

    let mut findings = Vec::new();
    let context = rules::Context {
        end: &end_model,
        tally: &tally,
        window: &label,
    };
    for check in rules::CHECKS {
        check(&context, &mut findings);
    }
    let mut sink = Sink::new(&end_model.config, Some(model));
    let findings = sink.accept(findings);

    let areas = area_rows(&end_model, &tally);
    let people = person_rows(&end_model, &tally);
    let unowned = tally
        .ranked_unowned()
        .into_iter()
        .map(|(folder, t)| UnownedRow {
            folder: folder.clone(),
            changes: t.changes,
            top: t.top().map(|(who, changes)| Share {
                name: end_model.name(who),
                who: who.clone(),
                changes,
            }),
        })
        .collect();
    Ok(Activity {
        window: Window {
            label,
            end: end_id.to_string(),
            end_label: end.label(),
            first_parent,
        },
        identities,
        notes,
        areas,
        people,
        unowned,
        stats: tally.stats,
        files: snapshot.loaded.files.clone(),
        prefix: git.prefix.clone(),
        findings,
    })
}

fn identities_statement(end: &End<'_>) -> String {
    let mailmap = if end.people.has_mailmap() {
        ", through the .mailmap at the window's end"
    } else {
        ""
    };
    let approvals = match end.trust {
        Trust::Commits => "the `[approvals].trailers` of each commit as written, and --approver",
        Trust::Signatures => {
            "trailers only in commits signed by the person they name (`trust = \"signatures\"`), and --approver"
        }
        Trust::Platform => "only --approver (`trust = \"platform\"`: trailers count for nothing)",
    };
    format!("identities: commit authors by email and GitHub login{mailmap}; approvals: {approvals}")
}

fn area_rows(end: &End<'_>, tally: &tally::Tally) -> Vec<AreaRow> {
    end.model
        .areas
        .iter()
        .zip(&tally.areas)
        .map(|(area, t)| {
            let owner = (!area.unowned && !area.owner.is_empty()).then(|| area.owner.clone());
            let owner_key = owner.clone().map(Contributor::Person);
            AreaRow {
                id: area.id.clone(),
                title: area.title.clone(),
                owner_name: owner.as_deref().map(|o| end.model.who(o)),
                owner,
                changes: t.changes,
                owner_changes: owner_key
                    .as_ref()
                    .and_then(|o| t.by.get(o))
                    .copied()
                    .unwrap_or(0),
                owner_approved: t.owner_approved,
                top: t.top().map(|(who, changes)| Share {
                    name: end.name(who),
                    who: who.clone(),
                    changes,
                }),
                contributors: t.by.len(),
                owner_last: t.owner_last,
                last: t.last,
            }
        })
        .collect()
}

fn person_rows(end: &End<'_>, tally: &tally::Tally) -> Vec<PersonRow> {
    let mut rows: BTreeMap<Contributor, PersonRow> = BTreeMap::new();
    let row = |who: &Contributor| -> PersonRow {
        PersonRow {
            who: who.clone(),
            name: end.name(who),
            owns: Vec::new(),
            touched: Vec::new(),
            commits: tally.commits_by.get(who).copied().unwrap_or(0),
        }
    };
    for area in &end.model.areas {
        if area.unowned || area.owner.is_empty() {
            continue;
        }
        let who = Contributor::Person(area.owner.clone());
        let entry = rows.entry(who.clone()).or_insert_with(|| row(&who));
        entry.owns.push(area.id.clone());
    }
    for (area, t) in end.model.areas.iter().zip(&tally.areas) {
        for (who, changes) in &t.by {
            let entry = rows.entry(who.clone()).or_insert_with(|| row(who));
            entry.touched.push((area.id.clone(), *changes));
        }
    }
    for who in tally.commits_by.keys() {
        rows.entry(who.clone()).or_insert_with(|| row(who));
    }
    // People of the model first (in model order), then unmatched authors by email.
    let order: BTreeMap<&str, usize> = end
        .model
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let mut rows: Vec<PersonRow> = rows.into_values().collect();
    rows.sort_by_key(|r| match &r.who {
        Contributor::Person(id) => (
            0,
            order.get(id.as_str()).copied().unwrap_or(usize::MAX),
            String::new(),
        ),
        Contributor::Unknown(email) => (1, 0, email.clone()),
    });
    rows
}

//! The one pass over the window: commits in batches, each commit's changed paths attributed to the area that owns
//! them at the window's end, and the commit to its author. Merges are counted as `audit` judges them: along first
//! parents a merge brings its first-parent diff under its own author; with `--all` the side branch's commits count
//! one by one and the merge only for what it changed against every parent.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::check::RunError;
use crate::date::Date;
use crate::git::{ObjectId, TreePair};
use crate::ownership::Resolution;
use crate::revision::GitProject;

use super::{day_of, End, Stats};

/// Commits diffed per batch, as in `audit`: enough for the git layer to split them over threads.
const BATCH: usize = 2048;

/// Who made a change: a person of the model, or an author email that matches nobody (lowercased).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Contributor {
    Person(String),
    Unknown(String),
}

impl Contributor {
    pub fn person(&self) -> Option<&str> {
        match self {
            Contributor::Person(id) => Some(id),
            Contributor::Unknown(_) => None,
        }
    }
}

/// One area's changes in the window.
#[derive(Debug, Default, Clone)]
pub struct AreaTally {
    /// Commits that changed at least one path the area owns.
    pub changes: usize,
    /// Changes per contributor.
    pub by: BTreeMap<Contributor, usize>,
    /// Changes the owner approved without making them.
    pub owner_approved: usize,
    pub last: Option<Date>,
    pub owner_last: Option<Date>,
}

impl AreaTally {
    /// The contributor with the most changes; ties go to the first in order.
    pub fn top(&self) -> Option<(&Contributor, usize)> {
        let mut best: Option<(&Contributor, usize)> = None;
        for (who, n) in &self.by {
            if best.is_none_or(|(_, b)| *n > b) {
                best = Some((who, *n));
            }
        }
        best
    }
}

/// What the pass counted.
#[derive(Debug, Default)]
pub struct Tally {
    /// By area index of the model at the window's end.
    pub areas: Vec<AreaTally>,
    /// Folders `[ownership].required` covers that no area owns, by folder (`scripts/`, or a root file).
    pub unowned: BTreeMap<String, AreaTally>,
    /// For each unowned folder: the index of the `[ownership].required` pattern that covers its first path.
    pub required_by: BTreeMap<String, usize>,
    /// Commits per contributor.
    pub commits_by: BTreeMap<Contributor, usize>,
    pub stats: Stats,
}

impl Tally {
    /// The unowned folders, most changed first (ties by folder).
    pub fn ranked_unowned(&self) -> Vec<(&String, &AreaTally)> {
        let mut rows: Vec<(&String, &AreaTally)> = self.unowned.iter().collect();
        rows.sort_by(|a, b| b.1.changes.cmp(&a.1.changes).then_with(|| a.0.cmp(b.0)));
        rows
    }
}

/// Count the window's `commits` (oldest first, as the walk read them: each commit is read once).
pub fn count(
    git: &GitProject,
    end: &End<'_>,
    commits: &[crate::git::CommitInfo],
    first_parent: bool,
    approvers: &BTreeSet<String>,
    notes: &mut Vec<String>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Tally, RunError> {
    let repo = &git.repo;
    let mut tally = Tally {
        areas: vec![AreaTally::default(); end.model.areas.len()],
        ..Tally::default()
    };
    tally.stats.commits = commits.len();
    let mut ignored = Vec::new();
    let identities = crate::audit::identity::Identities::new(
        end.trust,
        &end.people,
        end.model,
        None,
        &mut ignored,
    );
    // A malformed signing key is worth saying; what `audit` says about --author is not `activity`'s business.
    notes.extend(
        ignored
            .into_iter()
            .filter(|n| n.contains("commits signed with it"))
            .map(|n| n.replacen(" at base", " at the window's end", 1)),
    );
    let mut unmatched: HashMap<String, usize> = HashMap::new();
    let mut done = 0;
    // The trees of this batch's and the last batch's commits, for their children: the diff then needs no second
    // read of a commit and its parent. Two batches at most, so memory does not follow the history.
    let mut trees: HashMap<ObjectId, ObjectId> = HashMap::new();
    let mut earlier: HashMap<ObjectId, ObjectId>;
    for infos in commits.chunks(BATCH) {
        earlier = std::mem::take(&mut trees);
        let own_only = |info: &crate::git::CommitInfo| !first_parent && info.parents.len() > 1;
        let mut pairs = Vec::with_capacity(infos.len());
        for info in infos {
            let old_tree = match info.parents.first() {
                None => None,
                // Parents come before children; a parent outside the window is read.
                Some(parent) => Some(match trees.get(parent).or_else(|| earlier.get(parent)) {
                    Some(tree) => *tree,
                    None => repo.tree_id(*parent)?,
                }),
            };
            trees.insert(info.id, info.tree);
            if !own_only(info) {
                pairs.push(TreePair {
                    commit: info.id,
                    old_tree,
                    new_tree: info.tree,
                });
            }
        }
        let mut changes = repo.changes_of_trees(&pairs)?.into_iter();
        for info in infos {
            let changed: Vec<Vec<u8>> = if own_only(info) {
                repo.merge_own_changes(info.id)?
                    .into_iter()
                    .map(|m| m.change.path.into())
                    .collect()
            } else {
                changes
                    .next()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|c| c.path.into())
                    .collect()
            };
            if changed.is_empty() && own_only(info) {
                tally.stats.merges_skipped += 1;
                continue;
            }
            let who = match end.people.author(&info.author_name, &info.author_email) {
                Some(id) => Contributor::Person(id.to_string()),
                None => {
                    let email = info.author_email.trim().to_lowercase();
                    *unmatched.entry(email.clone()).or_default() += 1;
                    tally.stats.unmatched_commits += 1;
                    Contributor::Unknown(email)
                }
            };
            let mut approved = BTreeMap::new();
            identities.approvals(repo, info, |t| end.is_approval(t), &mut approved)?;
            let day = day_of(info.author_time);
            *tally.commits_by.entry(who.clone()).or_default() += 1;
            tally.stats.paths_changed += changed.len();
            let mut areas = BTreeSet::new();
            let mut folders = BTreeSet::new();
            for path in &changed {
                let Some(path) = end.project_path(path) else {
                    continue;
                };
                match end.ownership.resolve(path) {
                    Resolution::Owned { area, .. } | Resolution::Disowned { area, .. } => {
                        areas.insert(area);
                    }
                    Resolution::Unowned { required_by } => {
                        let folder = folder_of(path);
                        tally
                            .required_by
                            .entry(folder.clone())
                            .or_insert(required_by);
                        folders.insert(folder);
                    }
                    Resolution::Ignored { .. } | Resolution::NotRequired => {}
                }
            }
            for area in areas {
                let owner = end.model.areas[area].owner.as_str();
                let t = &mut tally.areas[area];
                count_change(t, &who, day);
                if who.person() == Some(owner) {
                    t.owner_last = Some(day);
                } else if !owner.is_empty()
                    && (approved.contains_key(owner) || approvers.contains(owner))
                {
                    t.owner_approved += 1;
                }
            }
            for folder in folders {
                count_change(tally.unowned.entry(folder).or_default(), &who, day);
            }
        }
        done += infos.len();
        progress(done, commits.len());
    }
    if !unmatched.is_empty() {
        let mut emails: Vec<(String, usize)> = unmatched.into_iter().collect();
        emails.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let shown: Vec<String> = emails
            .iter()
            .take(5)
            .map(|(e, n)| format!("<{e}> ({n})"))
            .collect();
        notes.push(format!(
            "{} {} by authors the model does not name: {}{}; add their address to a person's `email`, or map \
             it in .mailmap",
            tally.stats.unmatched_commits,
            if tally.stats.unmatched_commits == 1 { "commit" } else { "commits" },
            shown.join(", "),
            if emails.len() > 5 { ", ..." } else { "" }
        ));
    }
    Ok(tally)
}

fn count_change(t: &mut AreaTally, who: &Contributor, day: Date) {
    t.changes += 1;
    *t.by.entry(who.clone()).or_default() += 1;
    t.last = Some(day);
}

/// The folder a path is in, with a final `/`; a file at the root is itself.
fn folder_of(path: &[u8]) -> String {
    let folder = match path.iter().rposition(|b| *b == b'/') {
        Some(i) => &path[..=i],
        None => path,
    };
    crate::audit::shown_path(folder)
}

//! The walk over the range, in two passes over the commit list (oldest first):
//!
//! 1. every commit's trailers: an approval anywhere in the range counts for every change in it, so the
//!    approvals are known before any change is judged; each commit's author is decided here (`identity`);
//! 2. the commits to judge, in order: the git layer lists their changes on worker threads a few chunks ahead
//!    (`changes_in_order`) while this thread judges each commit as it comes, then drops its changes. Without
//!    `--first-parent` a merge commit is judged only by its own changes, the paths where it differs from every
//!    parent (listed on the same threads as the diffs). Between the
//!    passes a commit keeps its trees, its author and its words (about 250 bytes); its findings are kept
//!    compactly (`findings`), so memory grows with the range by those bytes and about 16 bytes a finding.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use crate::check::RunError;
use crate::git::{ChangeKind, Changes, ChangesOf, ObjectId, PathChange, TreePair};
use crate::model::kinds;
use crate::revision::GitProject;

use super::entities::{Cache, Digest};
use super::findings::Findings;
use super::identity::{Author, Identities};
use super::judge::{Base, Commit};
use super::{CommitRef, Identity, Options, Stats, TrustSummary};

/// Model blobs whose entities are kept (each is a few bytes per entity).
const CACHE_BLOBS: usize = 4096;

/// The commits of the range that changed one entity.
#[derive(Debug, Clone)]
pub struct Trail {
    /// The people at base who authored one of them.
    pub authors: HashSet<String>,
    pub last: ObjectId,
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct Walked {
    pub findings: Findings,
    pub stats: Stats,
    /// Person ids at base named by an approval in the range or by `--approver`.
    pub approved: HashSet<String>,
    /// For each entity changed in the range: who changed it, and the last commit that did.
    pub trails: HashMap<(&'static str, String), Trail>,
    /// The people at base who authored a judged commit.
    pub range_authors: HashSet<String>,
    /// What the walk trusted.
    pub trust: TrustSummary,
}

/// `listed`: the commits of the range, oldest first, as `Repo::range_infos` lists them (the caller lists them
/// while it loads the model at base).
pub fn walk(
    git: &GitProject,
    base: &Base<'_>,
    listed: Result<Vec<crate::git::CommitInfo>, crate::git::GitError>,
    options: &Options,
    notes: &mut Vec<String>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Walked, RunError> {
    let repo = &git.repo;
    let commits = listed?;
    let mut walked = Walked {
        findings: Findings::new(base.manifest.trust),
        ..Walked::default()
    };
    walked.stats.commits = commits.len();
    let identities = Identities::new(
        base.manifest.trust,
        &base.people,
        base.model,
        options.author.as_deref(),
        notes,
    );
    walked.trust.statement = identities.statement();
    walked.trust.author = identities.platform_author().map(|a| Identity {
        person: a.person.map(String::from),
        basis: a.basis,
    });

    let mut approvals: BTreeMap<String, String> = BTreeMap::new();
    for value in &options.approvers {
        match base.people.resolve(value) {
            Some(id) => {
                approvals
                    .entry(id.to_string())
                    .or_insert_with(|| format!("--approver {value}, passed by the CI platform"));
            }
            None => notes.push(format!(
                "--approver {value} names nobody in the model at base: it approves nothing"
            )),
        }
    }
    // What pass 2 needs of each commit: its id, whether it is a merge judged by its own changes only, and its
    // author as this audit trusts it (the rest is read again only for a commit with a finding).
    // Each commit is read once here: its tree and first parent are kept, so pass 2 diffs trees without reading
    // the commits again (`trees`: the tree of each commit of the range, for its children).
    let mut items: Vec<ChangesOf> = Vec::with_capacity(commits.len());
    let mut judged: Vec<(Author<'_>, CommitRef)> = Vec::with_capacity(commits.len());
    let mut trees: HashMap<ObjectId, ObjectId> = HashMap::with_capacity(commits.len());
    for info in commits {
        let id = info.id;
        identities.approvals(repo, &info, |token| base.is_approval(token), &mut approvals)?;
        // Without --first-parent a merge brings the union of the side branch's commits, judged one by one; the
        // merge itself is judged by what it changed against every parent (a conflict resolution, an evil merge).
        let own_only = info.parents.len() > 1 && !options.first_parent;
        // Parents come before children in the list; a parent outside the range is read (the base, mostly).
        let tree_of = |parent: &ObjectId| -> Result<ObjectId, RunError> {
            Ok(match trees.get(parent) {
                Some(tree) => *tree,
                None => repo.tree_id(*parent)?,
            })
        };
        let item = if own_only {
            ChangesOf::MergeOwn {
                commit: id,
                tree: info.tree,
                parent_trees: info.parents.iter().map(tree_of).collect::<Result<_, _>>()?,
            }
        } else {
            ChangesOf::Trees(TreePair {
                commit: id,
                old_tree: info.parents.first().map(tree_of).transpose()?,
                new_tree: info.tree,
            })
        };
        trees.insert(id, info.tree);
        // Its words (about 100 bytes) are kept for the messages of its findings: reading the commit again for them
        // cost a twentieth of the audit.
        let words = CommitRef::of(&info);
        items.push(item);
        judged.push((identities.author(repo, &info)?, words));
    }
    drop(trees);
    walked.approved = approvals.keys().cloned().collect();
    walked.trust.approvals = approvals
        .into_iter()
        .map(|(person, basis)| Identity {
            person: Some(person),
            basis,
        })
        .collect();

    let mut cache = Cache::new(CACHE_BLOBS);
    let mut done = 0;
    let total = judged.len();
    repo.changes_in_order(&items, |index, changes| -> Result<(), RunError> {
        let (author, words) = &mut judged[index];
        let id = match &items[index] {
            ChangesOf::Trees(pair) => pair.commit,
            ChangesOf::MergeOwn { commit, .. } => *commit,
        };
        let commit = Commit::new(
            repo,
            id,
            author,
            base.manifest.trust,
            Some(std::mem::take(words)),
        );
        match changes {
            Changes::MergeOwn(own) if own.is_empty() => walked.stats.merges_skipped += 1,
            Changes::MergeOwn(own) => {
                let (paths, others): (Vec<PathChange>, Vec<Vec<Option<ObjectId>>>) =
                    own.into_iter().map(|m| (m.change, m.others)).unzip();
                judge_commit(git, base, &mut cache, &commit, &paths, &others, &mut walked)?;
            }
            Changes::Paths(changes) => {
                judge_commit(git, base, &mut cache, &commit, &changes, &[], &mut walked)?;
            }
        }
        if let Some(author) = author.person.filter(|a| !walked.range_authors.contains(*a)) {
            walked.range_authors.insert(author.to_string());
        }
        done += 1;
        progress(done, total);
        Ok(())
    })?;
    Ok(walked)
}

/// A model file a commit changed: its path, the change against the first parent, its blobs in further parents.
type ModelFile<'c> = (&'c [u8], &'c PathChange, &'c [Option<ObjectId>]);

/// The entities of a commit's model files on one side: by kind and id, their hash and the file that holds them.
type Entities<'p> = BTreeMap<(&'static str, String), (u64, &'p [u8])>;

/// Judge one commit's changes: each path, and each entity of the model files it touched.
fn judge_commit(
    git: &GitProject,
    base: &Base<'_>,
    cache: &mut Cache,
    commit: &Commit<'_>,
    changes: &[PathChange],
    others: &[Vec<Option<ObjectId>>],
    walked: &mut Walked,
) -> Result<(), RunError> {
    let mut model_files: Vec<ModelFile<'_>> = Vec::new();
    for (i, change) in changes.iter().enumerate() {
        let Some(path) = base.project_path(&change.path) else {
            continue;
        };
        walked.stats.paths_changed += 1;
        if !change.is_submodule && base.is_model_file(path) {
            model_files.push((path, change, others.get(i).map_or(&[], Vec::as_slice)));
        } else {
            base.judge_path(
                commit,
                path,
                change.kind,
                &walked.approved,
                &mut walked.findings,
            )?;
        }
    }
    if model_files.is_empty() {
        return Ok(());
    }
    // The entities before and after the commit, over all the model files it touched: an entity moved from one
    // file to another unchanged is no change. A merge has one "before" per parent, and changed only what differs
    // from every one of them.
    let parents = 1 + model_files.first().map_or(0, |(_, _, o)| o.len());
    let mut befores: Vec<Entities<'_>> = vec![BTreeMap::new(); parents];
    let mut after: Entities<'_> = BTreeMap::new();
    for (path, change, others) in &model_files {
        let old = side(git, cache, change.old_id)?;
        let new = side(git, cache, change.new_id)?;
        let mut olds = Vec::with_capacity(others.len());
        for other in others.iter() {
            olds.push(side(git, cache, *other)?);
        }
        let (Some(old), Some(new), true) = (old, new, olds.iter().all(Option::is_some)) else {
            // Not readable as entities on one side: the file's owner judges it as a path.
            base.judge_path(
                commit,
                path,
                change.kind,
                &walked.approved,
                &mut walked.findings,
            )?;
            continue;
        };
        let olds: Vec<Rc<Digest>> = olds.into_iter().flatten().collect();
        if old.rest != new.rest && olds.iter().all(|o| o.rest != new.rest) {
            base.judge_path(
                commit,
                path,
                change.kind,
                &walked.approved,
                &mut walked.findings,
            )?;
        }
        collect(&mut befores[0], &old, path);
        for (before, other) in befores[1..].iter_mut().zip(&olds) {
            collect(before, other, path);
        }
        collect(&mut after, &new, path);
    }
    // `befores` holds one map per parent, at least one: a commit with no "before" has nothing to compare.
    let Some((before, others)) = befores.split_first() else {
        return Ok(());
    };
    // In the model's order of kinds (people, teams, areas, ...), then by id, as `diff` lists them.
    let mut keys: Vec<(&'static str, String)> =
        before.keys().chain(after.keys()).cloned().collect();
    keys.sort_by(|a, b| (kinds::rank(a.0), &a.1).cmp(&(kinds::rank(b.0), &b.1)));
    keys.dedup();
    for key in keys {
        let now = after.get(&key).map(|(hash, _)| hash);
        if others
            .iter()
            .any(|other| other.get(&key).map(|(hash, _)| hash) == now)
        {
            continue;
        }
        let (change, path) = match (before.get(&key), after.get(&key)) {
            (None, Some((_, path))) => (ChangeKind::Added, *path),
            (Some((_, path)), None) => (ChangeKind::Deleted, *path),
            (Some((old, _)), Some((new, path))) if old != new => (ChangeKind::Modified, *path),
            _ => continue,
        };
        walked.stats.entities_changed += 1;
        let trail = walked.trails.entry(key.clone()).or_insert_with(|| Trail {
            authors: HashSet::new(),
            last: commit.id,
        });
        trail.last = commit.id;
        trail.authors.extend(commit.author.map(String::from));
        let (kind, id) = key;
        base.judge_entity(
            commit,
            kind,
            &id,
            path,
            change,
            &walked.approved,
            &mut walked.findings,
        )?;
    }
    Ok(())
}

/// One side of a model file's change: no blob is an empty file; `None` when the blob cannot be read as entities.
fn side(
    git: &GitProject,
    cache: &mut Cache,
    blob: Option<ObjectId>,
) -> Result<Option<Rc<Digest>>, RunError> {
    match blob {
        None => Ok(Some(Rc::new(Digest::empty()))),
        Some(id) => Ok(cache.get(&git.repo, id)?),
    }
}

fn collect<'p>(
    into: &mut BTreeMap<(&'static str, String), (u64, &'p [u8])>,
    digest: &Digest,
    path: &'p [u8],
) {
    for entity in &digest.entities {
        into.entry((entity.kind, entity.id.clone()))
            .and_modify(|(hash, _)| {
                // The same id twice (a duplicate `check` reports): the pair's contents count together.
                let mut hasher = std::hash::DefaultHasher::new();
                (*hash, entity.hash).hash(&mut hasher);
                *hash = hasher.finish();
            })
            .or_insert((entity.hash, path));
    }
}

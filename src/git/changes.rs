//! Per-commit changes: the paths a commit changed against its first parent, one commit or many in parallel.

use std::cmp::Ordering;

use gix::bstr::{BString, ByteSlice, ByteVec};
use gix::objs::FindExt;

use gix::objs::TreeRefIter;

use super::{short_id, GitError, ObjectId, Repo};

/// Threads for `changes_of_many`, at most.
const MAX_THREADS: usize = 4;

/// Below this many commits per thread, starting threads costs more than it saves.
const MIN_COMMITS_PER_THREAD: usize = 256;

/// One changed path of a commit relative to its first parent (or to the empty tree for a root commit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathChange {
    pub path: BString,
    pub kind: ChangeKind,
    pub old_id: Option<ObjectId>,
    pub new_id: Option<ObjectId>,
    /// Either side is a gitlink (submodule) entry.
    pub is_submodule: bool,
}

/// A path a merge commit changed against every parent: the change against the first parent, and the path's blob
/// in each further parent (`None`: absent there), in parent order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeChange {
    pub change: PathChange,
    pub others: Vec<Option<ObjectId>>,
}

/// A commit whose changes `Repo::changes_of` lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangesOf {
    /// Against its first parent (a root commit: everything added).
    Trees(TreePair),
    /// A merge: the paths where its tree differs from every parent's tree (given in parent order).
    MergeOwn {
        commit: ObjectId,
        tree: ObjectId,
        parent_trees: Vec<ObjectId>,
    },
}

/// What `Repo::changes_of` lists for one commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changes {
    Paths(Vec<PathChange>),
    MergeOwn(Vec<MergeChange>),
}

/// A tree entry: its mode and object.
#[derive(Debug, Clone, Copy)]
struct Entry {
    mode: gix::objs::tree::EntryMode,
    id: ObjectId,
}

/// A tree entry with its name, as a folder's walk sees it.
#[derive(Debug, Clone, Copy)]
struct Named<'b> {
    name: &'b [u8],
    entry: Entry,
}

impl Named<'_> {
    fn is_tree(&self) -> bool {
        self.entry.mode.is_tree()
    }

    fn order(&self, other: &Named<'_>) -> Ordering {
        git_order(self.name, self.is_tree(), other.name, other.is_tree())
    }
}

/// Git's order of tree entries: by name, a folder's name as if it ended in `/` (so `a.b` < `a/` < `a0`, and a file
/// `foo` < `foo-x` < a folder `foo`). Equal only for the same name and the same kind (folder or not): a name that
/// is a folder on one side and a file on another gives two keys. Names with a `/` (a damaged tree) still get a
/// total order.
fn git_order(a: &[u8], a_tree: bool, b: &[u8], b_tree: bool) -> Ordering {
    let n = a.len().min(b.len());
    match a[..n].cmp(&b[..n]) {
        Ordering::Equal if a.len() == b.len() && a_tree == b_tree => return Ordering::Equal,
        Ordering::Equal => {}
        unequal => return unequal,
    }
    // The first byte after the shared part (a folder's `/` after its name) decides, unless a name has a `/`.
    let after = |name: &[u8], tree: bool| name.get(n).copied().or(tree.then_some(b'/'));
    after(a, a_tree)
        .cmp(&after(b, b_tree))
        .then_with(|| {
            fn rest(name: &[u8], n: usize, tree: bool) -> impl Iterator<Item = &u8> {
                let slash: &[u8] = if tree { b"/" } else { b"" };
                name[n..].iter().chain(slash)
            }
            rest(a, n, a_tree).cmp(rest(b, n, b_tree))
        })
        .then_with(|| (a, a_tree).cmp(&(b, b_tree)))
}

/// Whose changes a walk lists, which its errors name: a merge's own (the tree that failed), or a commit's.
#[derive(Debug, Clone, Copy)]
enum Listing {
    MergeOwn,
    Commit(ObjectId),
}

/// The entries of one tree in a folder of the walk, in git's order, one at a time.
struct Side<'b> {
    /// The tree as stored.
    data: &'b [u8],
    /// Where the head entry starts in `data`, and where the one after it starts.
    start: usize,
    end: usize,
    /// A damaged tree's entries, sorted: walked instead of `data`.
    sorted: Option<std::vec::IntoIter<Named<'b>>>,
    /// The entry not yet taken.
    head: Option<Named<'b>>,
    /// Every entry so far came after the one before it: false for a damaged tree (unsorted, a name twice).
    in_order: bool,
    tree: ObjectId,
    listing: Listing,
}

impl<'b> Side<'b> {
    fn new(
        data: &'b [u8],
        tree: ObjectId,
        listing: Listing,
        sort: bool,
    ) -> Result<Side<'b>, GitError> {
        let mut side = Side {
            data,
            start: 0,
            end: 0,
            sorted: None,
            head: None,
            in_order: true,
            tree,
            listing,
        };
        if sort {
            side.sorted = Some(side.sorted_entries()?.into_iter());
        }
        side.advance()?;
        Ok(side)
    }

    fn hash_kind(&self) -> gix::hash::Kind {
        self.tree.kind()
    }

    fn error(&self, err: gix::Error) -> GitError {
        match self.listing {
            Listing::MergeOwn => {
                super::other(format!("reading tree {}", short_id(&self.tree)), err)
            }
            Listing::Commit(commit) => super::other(
                format!("listing the changes of commit {}", short_id(&commit)),
                err,
            ),
        }
    }

    /// The entry at `start`, and where it ends.
    fn entry_at(&self, start: usize) -> Result<Option<(Named<'b>, usize)>, GitError> {
        let data: &'b [u8] = self.data;
        let Some(rest) = data.get(start..).filter(|rest| !rest.is_empty()) else {
            return Ok(None);
        };
        match TreeRefIter::from_bytes(rest, self.hash_kind()).next() {
            None => Ok(None),
            Some(Ok(entry)) => {
                // The entry ends after its name's NUL and its object id.
                let name_at = entry.filename.as_ptr() as usize - data.as_ptr() as usize;
                let end = name_at + entry.filename.len() + 1 + entry.oid.as_bytes().len();
                let named = Named {
                    name: &data[name_at..name_at + entry.filename.len()],
                    entry: Entry {
                        mode: entry.mode,
                        id: entry.oid.to_owned(),
                    },
                };
                Ok(Some((named, end)))
            }
            Some(Err(err)) => Err(self.error(err)),
        }
    }

    /// A damaged tree's entries in git's order, the last of a key written twice kept (as a map would keep it).
    fn sorted_entries(&self) -> Result<Vec<Named<'b>>, GitError> {
        let mut entries = Vec::new();
        let mut at = 0;
        while let Some((entry, end)) = self.entry_at(at)? {
            entries.push(entry);
            at = end;
        }
        entries.sort_by(Named::order);
        let mut kept: Vec<Named<'b>> = Vec::with_capacity(entries.len());
        for entry in entries {
            match kept.last_mut() {
                Some(last) if last.order(&entry) == Ordering::Equal => *last = entry,
                _ => kept.push(entry),
            }
        }
        Ok(kept)
    }

    fn advance(&mut self) -> Result<(), GitError> {
        let next = match &mut self.sorted {
            Some(sorted) => sorted.next(),
            None => {
                self.start = self.end;
                let next = self.entry_at(self.start)?;
                if let Some((_, end)) = next {
                    self.end = end;
                }
                next.map(|(entry, _)| entry)
            }
        };
        if let (Some(head), Some(next)) = (&self.head, &next) {
            self.in_order &= head.order(next) == Ordering::Less;
        }
        self.head = next;
        Ok(())
    }

    /// The entry of key `key` (its name and kind) if this side has it, moving past it and every entry before it.
    fn take(&mut self, key: &Named<'_>) -> Result<Option<Entry>, GitError> {
        while let Some(head) = self.head {
            match head.order(key) {
                Ordering::Less => self.advance()?,
                Ordering::Equal => {
                    self.advance()?;
                    return Ok(Some(head.entry));
                }
                Ordering::Greater => break,
            }
        }
        Ok(None)
    }

    /// Moves both sides past the entries they share byte for byte from their heads on (the same name, mode and
    /// object: no change), found by comparing the bytes, without decoding them.
    fn skip_same(&mut self, other: &mut Side<'_>) -> Result<(), GitError> {
        if self.sorted.is_some() || other.sorted.is_some() || self.head.is_none() {
            return Ok(());
        }
        let (mine, theirs) = (&self.data[self.start..], &other.data[other.start..]);
        let common = common_prefix(mine, theirs);
        let mut skip = self.end - self.start;
        if common < skip || other.head.is_none() {
            return Ok(());
        }
        // Whole entries within the shared bytes: each ends after its name's NUL and its object id.
        let id_len = self.hash_kind().len_in_bytes();
        while let Some(nul) = mine[skip..common].find_byte(0) {
            let end = skip + nul + 1 + id_len;
            if end > common {
                break;
            }
            skip = end;
        }
        self.end = self.start + skip;
        other.end = other.start + skip;
        self.advance()?;
        other.advance()
    }

    /// Reads the rest, checking its order (a damaged tree is walked again sorted).
    fn finish(&mut self) -> Result<bool, GitError> {
        while self.head.is_some() {
            self.advance()?;
        }
        Ok(self.in_order)
    }
}

/// How many leading bytes `a` and `b` share.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 64;
    let n = a.len().min(b.len());
    let mut at = 0;
    while at + BLOCK <= n && a[at..at + BLOCK] == b[at..at + BLOCK] {
        at += BLOCK;
    }
    at + a[at..n]
        .iter()
        .zip(&b[at..n])
        .take_while(|(x, y)| x == y)
        .count()
}

/// A walk's state: its changes so far, the folders still to look into (a path, the tree there, each parent's),
/// and one buffer per side for the trees' bytes, reused from folder to folder.
#[derive(Default)]
pub(super) struct TreeWalk {
    own: Vec<MergeChange>,
    pending: Vec<(BString, Option<ObjectId>, Vec<Option<ObjectId>>)>,
    bufs: Vec<Vec<u8>>,
}

/// The same entry on both sides (git canonicalises modes: the same object and kind is no change), or both absent.
fn same(a: Option<Entry>, b: Option<Entry>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.id == b.id && a.mode.kind() == b.mode.kind(),
        _ => false,
    }
}

/// A commit and the two trees its changes are between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TreePair {
    pub commit: ObjectId,
    /// The first parent's tree; `None` for a root commit (everything is added).
    pub old_tree: Option<ObjectId>,
    pub new_tree: ObjectId,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Deleted,
    Modified,
}

impl Repo {
    /// Paths changed by `commit` relative to its first parent (the empty tree for a root commit), sorted by path.
    /// No rename tracking: a rename is a deletion and an addition. A boundary commit of a shallow clone gives
    /// `HistoryTruncated` (its parent is missing; treating it as a root would report every file as added).
    /// Over many commits, call it newest first (or use `changes_of_many`): oldest first is about 3x slower.
    pub fn changes(&self, commit: ObjectId) -> Result<Vec<PathChange>, GitError> {
        let (new_tree, parent) = self.tree_and_first_parent(commit)?;
        let old_tree = match parent {
            None => None,
            Some(_) if self.is_shallow_boundary(&commit) => {
                return Err(GitError::HistoryTruncated {
                    commit: short_id(&commit),
                })
            }
            Some(parent) => Some(self.tree_id(parent)?),
        };
        self.diff_trees(commit, old_tree, new_tree)
    }

    /// A merge commit's own changes: the paths where its tree differs from every parent's (content written in the
    /// merge itself, such as a conflict resolution), each as against the first parent, with the blob of the path
    /// in each further parent. Empty for a commit with fewer than two parents.
    pub fn merge_own_changes(&self, commit: ObjectId) -> Result<Vec<MergeChange>, GitError> {
        let info = self.commit_info(commit)?;
        if info.parents.len() < 2 {
            return Ok(Vec::new());
        }
        if self.is_shallow_boundary(&commit) {
            return Err(GitError::HistoryTruncated {
                commit: short_id(&commit),
            });
        }
        let parents = info
            .parents
            .iter()
            .map(|p| self.tree_id(*p))
            .collect::<Result<Vec<_>, _>>()?;
        self.merge_own_changes_of_trees(info.tree, &parents)
    }

    /// `merge_own_changes` when the merge's tree and its parents' trees (in parent order) are known.
    fn merge_own_changes_of_trees(
        &self,
        tree: ObjectId,
        parent_trees: &[ObjectId],
    ) -> Result<Vec<MergeChange>, GitError> {
        let parents: Vec<Option<ObjectId>> = parent_trees.iter().copied().map(Some).collect();
        self.walk_trees(Some(tree), parents, Listing::MergeOwn)
    }

    /// The paths where `tree` differs from every one of `parents` (none: the empty tree), each as against the first
    /// parent with the path's blob in each further parent, sorted by path. One walk over all the trees at once in
    /// git's order, entering a folder only where `tree`'s differs from every parent's: a merge shares almost all
    /// its folders with one parent or the other, so this reads a few trees, where diffing against each parent
    /// read the whole side branch's changes. With one parent, it is the diff of the two trees.
    fn walk_trees(
        &self,
        tree: Option<ObjectId>,
        parents: Vec<Option<ObjectId>>,
        listing: Listing,
    ) -> Result<Vec<MergeChange>, GitError> {
        let scratch = &mut *self.scratch.borrow_mut();
        let walk = &mut scratch.walk;
        walk.own.clear();
        walk.pending.clear();
        walk.pending.push((BString::default(), tree, parents));
        let mut trees = Vec::new();
        while let Some((dir, tree, parent_trees)) = walk.pending.pop() {
            // The same tree as one parent's: nothing below it is the walk's.
            if parent_trees.contains(&tree) {
                continue;
            }
            let (own, pending) = (walk.own.len(), walk.pending.len());
            trees.clear();
            trees.push(tree);
            trees.extend_from_slice(&parent_trees);
            if !self.walk_folder(walk, &dir, &trees, listing, false)? {
                // A damaged tree (not in git's order): this folder again, each side sorted.
                walk.own.truncate(own);
                walk.pending.truncate(pending);
                self.walk_folder(walk, &dir, &trees, listing, true)?;
            }
        }
        let mut own = std::mem::take(&mut walk.own);
        own.sort_unstable_by(|a, b| a.change.path.cmp(&b.change.path));
        Ok(own)
    }

    /// One folder of `walk_trees`: `trees` are the walked tree's folder and its parents' (none: absent there),
    /// walked together in git's order, keys from the first two. Its changes go to `walk.own`, its subfolders to
    /// look into to `walk.pending`. False when a tree was not in git's order (nothing this call added can be
    /// trusted then); with `sort`, each tree is sorted first.
    fn walk_folder(
        &self,
        walk: &mut TreeWalk,
        dir: &BString,
        trees: &[Option<ObjectId>],
        listing: Listing,
        sort: bool,
    ) -> Result<bool, GitError> {
        walk.bufs.resize_with(trees.len(), Vec::new);
        let mut sides = Vec::with_capacity(trees.len());
        for (tree, buf) in trees.iter().zip(walk.bufs.iter_mut()) {
            let id = tree.unwrap_or_else(|| ObjectId::empty_tree(self.repo.object_hash()));
            let data = self.tree_bytes(id, buf, listing)?;
            sides.push(Side::new(data, id, listing, sort)?);
        }
        let (mine, theirs) = sides.split_at_mut(1);
        let mine = &mut mine[0];
        let mut others: Vec<Option<Entry>> = Vec::with_capacity(theirs.len());
        loop {
            mine.skip_same(&mut theirs[0])?;
            // Every key of the walked folder and its first parent's: a key in neither is the same (absent) in
            // both.
            let key = match (mine.head, theirs[0].head) {
                (None, None) => break,
                (Some(a), None) => a,
                (None, Some(b)) => b,
                (Some(a), Some(b)) => std::cmp::min_by(a, b, Named::order),
            };
            let here = mine.take(&key)?;
            others.clear();
            for side in theirs.iter_mut() {
                others.push(side.take(&key)?);
            }
            // The same entry as one parent: nothing at or below it is the walk's.
            if others.iter().any(|o| same(*o, here)) {
                continue;
            }
            let mut path = dir.clone();
            if !path.is_empty() {
                path.push(b'/');
            }
            path.push_str(key.name);
            if key.is_tree() {
                let id = |e: Option<Entry>| e.map(|e| e.id);
                walk.pending
                    .push((path, id(here), others.iter().map(|o| id(*o)).collect()));
                continue;
            }
            let first = others[0];
            let kind = match (first, here) {
                (None, Some(_)) => ChangeKind::Added,
                (Some(_), None) => ChangeKind::Deleted,
                _ => ChangeKind::Modified,
            };
            let is_submodule = [first, here].iter().flatten().any(|e| e.mode.is_commit());
            walk.own.push(MergeChange {
                change: PathChange {
                    path,
                    kind,
                    old_id: first.map(|e| e.id),
                    new_id: here.map(|e| e.id),
                    is_submodule,
                },
                others: others[1..].iter().map(|o| o.map(|e| e.id)).collect(),
            });
        }
        let mut in_order = true;
        for side in &mut sides {
            in_order &= side.finish()?;
        }
        Ok(in_order)
    }

    /// A tree's bytes as stored (none for the empty tree), read into `buf`.
    fn tree_bytes<'b>(
        &self,
        id: ObjectId,
        buf: &'b mut Vec<u8>,
        listing: Listing,
    ) -> Result<&'b [u8], GitError> {
        if id == ObjectId::empty_tree(id.kind()) {
            return Ok(&[]);
        }
        let data = self
            .repo
            .objects
            .find(&id, buf)
            .map_err(|err| match listing {
                Listing::MergeOwn => {
                    self.object_error(id, err, || format!("reading tree {}", short_id(&id)))
                }
                Listing::Commit(commit) => self.object_error(commit, err, || {
                    format!("listing the changes of commit {}", short_id(&commit))
                }),
            })?;
        match data.kind {
            gix::object::Kind::Tree => Ok(data.data),
            kind => Err(GitError::Other {
                context: format!("reading tree {}", short_id(&id)),
                message: format!("the object is a {kind}, not a tree"),
            }),
        }
    }

    /// The file-level changes from `old_tree` (none: the empty tree) to `new_tree`, sorted by path.
    fn diff_trees(
        &self,
        commit: ObjectId,
        old_tree: Option<ObjectId>,
        new_tree: ObjectId,
    ) -> Result<Vec<PathChange>, GitError> {
        let changes = self.walk_trees(Some(new_tree), vec![old_tree], Listing::Commit(commit))?;
        Ok(changes.into_iter().map(|c| c.change).collect())
    }

    /// `changes()` of many commits, returned in input order. Pass them oldest first, as `range()` returns them:
    /// they are read newest first, the order git's packs store deltas in (about 3x faster than oldest first),
    /// spread over the cores in contiguous chunks, one repository handle per thread.
    pub fn changes_of_many(&self, commits: &[ObjectId]) -> Result<Vec<Vec<PathChange>>, GitError> {
        // Each handle's delta-base cache may grow to 96 MB: a few threads get most of the gain.
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(MAX_THREADS);
        let chunk = commits.len().div_ceil(threads).max(MIN_COMMITS_PER_THREAD);
        self.changes_in_chunks(commits, chunk)
    }

    /// `changes_of_many` when the trees are already known (from reading the commits): `(commit, its first
    /// parent's tree (None for a root commit), its tree)`, oldest first. Saves reading every commit and its
    /// parent again. A shallow clone's boundary commit with a parent gives `HistoryTruncated`, as `changes` does.
    pub fn changes_of_trees(&self, commits: &[TreePair]) -> Result<Vec<Vec<PathChange>>, GitError> {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(MAX_THREADS);
        let chunk = commits.len().div_ceil(threads).max(MIN_COMMITS_PER_THREAD);
        self.in_chunks(commits, chunk, |repo, pair| {
            if pair.old_tree.is_some() && repo.is_shallow_boundary(&pair.commit) {
                return Err(GitError::HistoryTruncated {
                    commit: short_id(&pair.commit),
                });
            }
            repo.diff_trees(pair.commit, pair.old_tree, pair.new_tree)
        })
    }

    /// The changes of each commit of `items` (oldest first, returned in that order): an ordinary one's against
    /// its first parent, a merge's own (`merge_own_changes`), read as `changes_of_trees` reads them: newest first,
    /// over up to [`MAX_THREADS`] threads in contiguous chunks, merges with the rest.
    pub fn changes_of(&self, items: &[ChangesOf]) -> Result<Vec<Changes>, GitError> {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(MAX_THREADS);
        let chunk = items.len().div_ceil(threads).max(MIN_COMMITS_PER_THREAD);
        self.in_chunks(items, chunk, |repo, item| match item {
            ChangesOf::Trees(pair) => {
                if pair.old_tree.is_some() && repo.is_shallow_boundary(&pair.commit) {
                    return Err(GitError::HistoryTruncated {
                        commit: short_id(&pair.commit),
                    });
                }
                repo.diff_trees(pair.commit, pair.old_tree, pair.new_tree)
                    .map(Changes::Paths)
            }
            ChangesOf::MergeOwn {
                commit,
                tree,
                parent_trees,
            } => {
                if repo.is_shallow_boundary(commit) {
                    return Err(GitError::HistoryTruncated {
                        commit: short_id(commit),
                    });
                }
                repo.merge_own_changes_of_trees(*tree, parent_trees)
                    .map(Changes::MergeOwn)
            }
        })
    }

    /// Contiguous chunks: neighbouring commits share trees and delta bases, so each thread's cache stays warm.
    fn changes_in_chunks(
        &self,
        commits: &[ObjectId],
        chunk: usize,
    ) -> Result<Vec<Vec<PathChange>>, GitError> {
        self.in_chunks(commits, chunk, |repo, id| repo.changes(*id))
    }

    /// `one` over `items` newest first, in contiguous chunks over threads (a repository handle each); results
    /// in input order.
    fn in_chunks<T: Sync, R: Send>(
        &self,
        items: &[T],
        chunk: usize,
        one: impl Fn(&Repo, &T) -> Result<R, GitError> + Sync,
    ) -> Result<Vec<R>, GitError> {
        let newest_first = |repo: &Repo, items: &[T]| -> Result<Vec<R>, GitError> {
            let mut changes = items
                .iter()
                .rev()
                .map(|item| one(repo, item))
                .collect::<Result<Vec<_>, _>>()?;
            changes.reverse();
            Ok(changes)
        };
        if items.len() <= chunk {
            return newest_first(self, items);
        }
        std::thread::scope(|scope| {
            let workers: Vec<_> = items
                .chunks(chunk)
                .map(|part| {
                    let repo = self.clone();
                    let newest_first = &newest_first;
                    scope.spawn(move || newest_first(&repo, part))
                })
                .collect();
            let mut all = Vec::with_capacity(items.len());
            for worker in workers {
                match worker.join() {
                    Ok(part) => all.extend(part?),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            Ok(all)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::scenario::Scenario;
    use gix::bstr::BString;

    fn change(
        path: &str,
        kind: ChangeKind,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
    ) -> PathChange {
        PathChange {
            path: path.into(),
            kind,
            old_id: old,
            new_id: new,
            is_submodule: false,
        }
    }

    #[test]
    fn changes_of_commits() {
        let s = Scenario::new();
        s.write("keep.toml", "k = 1\n");
        s.write("model/a.toml", "a = 1\n");
        s.write("model/gone.toml", "g = 1\n");
        let root = s.commit("root");
        let repo = s.open();
        let blob = |rev: &str| Some(s.id(rev));
        assert_eq!(
            repo.changes(root).unwrap(),
            vec![
                change("keep.toml", ChangeKind::Added, None, blob("HEAD:keep.toml")),
                change(
                    "model/a.toml",
                    ChangeKind::Added,
                    None,
                    blob("HEAD:model/a.toml")
                ),
                change(
                    "model/gone.toml",
                    ChangeKind::Added,
                    None,
                    blob("HEAD:model/gone.toml")
                ),
            ]
        );

        let old_a = blob("HEAD:model/a.toml");
        s.write("model/a.toml", "a = 2\n");
        std::fs::remove_file(s.root.join("model/gone.toml")).unwrap();
        s.write("model/new/b.toml", "b = 1\n");
        let second = s.commit("add, modify, delete");
        assert_eq!(
            repo.changes(second).unwrap(),
            vec![
                change(
                    "model/a.toml",
                    ChangeKind::Modified,
                    old_a,
                    blob("HEAD:model/a.toml")
                ),
                change(
                    "model/gone.toml",
                    ChangeKind::Deleted,
                    blob("HEAD~1:model/gone.toml"),
                    None
                ),
                change(
                    "model/new/b.toml",
                    ChangeKind::Added,
                    None,
                    blob("HEAD:model/new/b.toml")
                ),
            ]
        );

        s.git(&["mv", "model/a.toml", "model/renamed.toml"]);
        let renamed = s.commit_staged("rename");
        let id = blob("HEAD:model/renamed.toml");
        assert_eq!(
            repo.changes(renamed).unwrap(),
            vec![
                change("model/a.toml", ChangeKind::Deleted, id, None),
                change("model/renamed.toml", ChangeKind::Added, None, id),
            ]
        );

        s.git(&["update-index", "--chmod=+x", "keep.toml"]);
        let mode = s.commit_staged("mode only");
        let id = blob("HEAD:keep.toml");
        assert_eq!(
            repo.changes(mode).unwrap(),
            vec![change("keep.toml", ChangeKind::Modified, id, id)]
        );

        let empty = s.commit_staged("nothing");
        assert_eq!(repo.changes(empty).unwrap(), vec![]);

        let sub = "1234567890123456789012345678901234567890";
        s.git(&[
            "update-index",
            "--add",
            "--cacheinfo",
            &format!("160000,{sub},vendor/sub"),
        ]);
        let gitlink = s.commit_staged("submodule");
        let mut expected = change(
            "vendor/sub",
            ChangeKind::Added,
            None,
            Some(ObjectId::from_hex(sub.as_bytes()).unwrap()),
        );
        expected.is_submodule = true;
        assert_eq!(repo.changes(gitlink).unwrap(), vec![expected]);

        std::fs::remove_dir_all(s.root.join("model/new")).unwrap();
        s.write("model/new", "now a file\n");
        s.git(&["add", "-A", "model"]);
        let type_change = s.commit_staged("directory becomes a file");
        assert_eq!(
            repo.changes(type_change).unwrap(),
            vec![
                change("model/new", ChangeKind::Added, None, blob("HEAD:model/new")),
                change(
                    "model/new/b.toml",
                    ChangeKind::Deleted,
                    blob("HEAD~1:model/new/b.toml"),
                    None
                ),
            ]
        );

        let all = [root, second, renamed, mode, empty, gitlink, type_change];
        let one_by_one: Vec<_> = all.iter().map(|id| repo.changes(*id).unwrap()).collect();
        assert_eq!(repo.changes_of_many(&all).unwrap(), one_by_one);
        assert_eq!(
            repo.changes_in_chunks(&all, 2).unwrap(),
            one_by_one,
            "over 4 threads"
        );
    }

    #[cfg(unix)]
    #[test]
    fn changes_keep_non_utf8_path_names() {
        use std::os::unix::ffi::OsStrExt;
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        s.commit("first");
        let name = std::ffi::OsStr::from_bytes(b"caf\xff.toml");
        std::fs::write(s.root.join(name), "x = 1\n").unwrap();
        let second = s.commit("odd name");
        let repo = s.open();
        let changes = repo.changes(second).unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].path, BString::from(&b"caf\xff.toml"[..]));
        assert_eq!(changes[0].kind, ChangeKind::Added);
        assert!(repo
            .tracked_files()
            .unwrap()
            .contains(&BString::from(&b"caf\xff.toml"[..])));
    }

    #[test]
    fn a_merge_s_own_changes_are_the_paths_it_changed_against_every_parent() {
        let s = Scenario::new();
        s.write("a.txt", "a\n");
        s.write("b.txt", "b\n");
        s.write("c.txt", "c\n");
        s.commit("base");
        s.git(&["checkout", "-q", "-b", "side"]);
        s.write("a.txt", "a side\n");
        s.commit("side");
        s.git(&["checkout", "-q", "main"]);
        s.write("b.txt", "b main\n");
        s.commit("main");
        s.git(&["merge", "-q", "--no-ff", "--no-commit", "side"]);
        s.write("c.txt", "c evil\n");
        let merge = s.commit("merge");
        let repo = s.open();
        let own = repo.merge_own_changes(merge).unwrap();
        let blob = |rev: &str| Some(s.id(rev));
        assert_eq!(
            own,
            vec![MergeChange {
                change: change(
                    "c.txt",
                    ChangeKind::Modified,
                    blob("HEAD^1:c.txt"),
                    blob("HEAD:c.txt")
                ),
                others: vec![blob("HEAD^2:c.txt")],
            }]
        );
        assert_eq!(
            repo.changes(merge).unwrap().len(),
            2,
            "against the first parent: a.txt and c.txt"
        );
        assert!(repo.merge_own_changes(s.id("HEAD^1")).unwrap().is_empty());
    }
}

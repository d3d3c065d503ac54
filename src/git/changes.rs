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

/// The work a worker of `changes_in_order` reads at a time, newest first (neighbours share trees and delta bases):
/// a commit counts 1, a merge [`MERGE_WEIGHT`]. Long chunks save the start of each, where the worker's delta-base
/// cache holds nothing of the chunk yet (gix caches the objects asked for, not the bases on the way: the first
/// trees of a chunk resolve whole delta chains); merges, much more work each, keep a chunk of merges short, so
/// the two workers stay even.
const CHUNK_WEIGHT: usize = 1024;

/// What a merge counts in a chunk: its tree against each parent's, each a diff of its own.
const MERGE_WEIGHT: usize = 16;

/// Chunks `changes_in_order`'s workers may read ahead of the one being handed out.
const AHEAD: usize = 4;

/// Commits a worker of `changes_in_order` reads with one repository handle before it takes a fresh one: gix's
/// delta-base cache (which now serves only what the pack reader leaves to gix) fills up to its limit as more of
/// the pack is read, and a full one costs memory. The pack reader (`packs.rs`), bounded by its own size, moves
/// to the fresh handle: its cache is what keeps the walk's bases.
const FRESH_HANDLE: usize = 1024;

/// `items` cut into contiguous chunks of about [`CHUNK_WEIGHT`] (a merge counting [`MERGE_WEIGHT`]), with the
/// position of each chunk's first item.
fn weighed_chunks(items: &[ChangesOf]) -> (Vec<&[ChangesOf]>, Vec<usize>) {
    let mut chunks = Vec::new();
    let mut starts = Vec::new();
    let (mut start, mut weight) = (0, 0);
    for (i, item) in items.iter().enumerate() {
        weight += match item {
            ChangesOf::Trees(_) => 1,
            ChangesOf::MergeOwn { .. } => MERGE_WEIGHT,
        };
        if weight >= CHUNK_WEIGHT {
            chunks.push(&items[start..=i]);
            starts.push(start);
            (start, weight) = (i + 1, 0);
        }
    }
    if start < items.len() {
        chunks.push(&items[start..]);
        starts.push(start);
    }
    (chunks, starts)
}

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

    /// A damaged tree's entries in git's order. A name written twice for the same entry is kept once; written
    /// twice for different entries it is an error: which of the two a checkout gives is not git's to promise, so
    /// judging either one would let the other through unseen.
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
            match kept.last() {
                Some(last) if last.order(&entry) == Ordering::Equal => {
                    if !same(Some(last.entry), Some(entry.entry)) {
                        return Err(GitError::Other {
                            context: format!("reading tree {}", short_id(&self.tree)),
                            message: format!(
                                "the name {} is written twice, for different contents: the tree is damaged \
                                 (`git fsck` reports it) and neither version can be judged",
                                crate::names::shown_path(entry.name)
                            ),
                        });
                    }
                }
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
        if self.read_packed(&id, buf, true) == Some(gix::object::Kind::Tree) {
            return Ok(buf);
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
        // Each handle has its own delta-base cache (`CONFIG_OVERRIDES`): a few threads get most of the gain.
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

    /// The changes of each commit of `items` (oldest first), handed to `each` with its index, in that order: an
    /// ordinary one's against its first parent, a merge's own (`merge_own_changes`). Workers (up to
    /// [`MAX_THREADS`], a repository handle each, fresh every [`FRESH_HANDLE`] commits) take contiguous chunks
    /// ([`weighed_chunks`]) in order from one shared counter and read each chunk newest first, the order git's packs store deltas in; `each` runs on the
    /// calling thread while they read the next chunks, at most [`AHEAD`] chunks ahead of it, so memory does not
    /// follow the number of commits. The first error (a worker's or `each`'s) stops the rest.
    pub fn changes_in_order<E: From<GitError>>(
        &self,
        items: &[ChangesOf],
        mut each: impl FnMut(usize, Changes) -> Result<(), E>,
    ) -> Result<(), E> {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(MAX_THREADS);
        let (chunks, starts) = weighed_chunks(items);
        let mut hand = |index: usize, changes: Vec<Changes>| -> Result<(), E> {
            for (at, changes) in changes.into_iter().enumerate() {
                each(starts[index] + at, changes)?;
            }
            Ok(())
        };
        if threads < 2 || chunks.len() < 2 {
            for (index, chunk) in chunks.iter().enumerate() {
                hand(index, self.changes_newest_first(chunk)?)?;
            }
            return Ok(());
        }
        let next = std::sync::atomic::AtomicUsize::new(0);
        // How many chunks `each` has taken, and whether to stop; workers wait while too far ahead.
        let gate = (
            std::sync::Mutex::new((0usize, false)),
            std::sync::Condvar::new(),
        );
        let set = |update: &dyn Fn(&mut (usize, bool))| {
            let (lock, wake) = &gate;
            update(
                &mut lock
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            );
            wake.notify_all();
        };
        std::thread::scope(|scope| {
            let (send, receive) = std::sync::mpsc::channel();
            for _ in 0..threads {
                let (send, template, next, gate, chunks) =
                    (send.clone(), self.clone(), &next, &gate, &chunks);
                let mut repo = template.clone();
                let mut read = 0;
                scope.spawn(move || loop {
                    let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some(chunk) = chunks.get(index) else {
                        break;
                    };
                    let (lock, wake) = gate;
                    let mut state = lock
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    while !state.1 && index >= state.0 + AHEAD {
                        state = wake
                            .wait(state)
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                    }
                    if state.1 {
                        break;
                    }
                    drop(state);
                    let changes = repo.changes_newest_first(chunk);
                    read += chunk.len();
                    if read >= FRESH_HANDLE {
                        let reader = repo.reader.take();
                        repo = template.clone();
                        repo.reader = std::cell::RefCell::new(reader);
                        read = 0;
                    }
                    let failed = changes.is_err();
                    if send.send((index, changes)).is_err() || failed {
                        break;
                    }
                });
            }
            drop(send);
            let mut done = 0;
            let mut arrived: std::collections::HashMap<usize, Result<Vec<Changes>, GitError>> =
                Default::default();
            // The workers are told to stop however this ends (an error, or a panic of `each` unwinding: a
            // worker waiting to read ahead must not wait on).
            struct StopWhenDone<F: Fn()>(F);
            impl<F: Fn()> Drop for StopWhenDone<F> {
                fn drop(&mut self) {
                    (self.0)();
                }
            }
            let _stop = StopWhenDone(|| set(&|state| state.1 = true));
            (|| {
                while done < chunks.len() {
                    let Some(changes) = arrived.remove(&done) else {
                        // A worker that stops early has sent its error first, and every chunk before it was
                        // taken by a worker that sends it: an error is raised in its turn, after the chunks
                        // before it are handed on. A closed channel means a panic, which the scope raises when
                        // it ends.
                        let Ok((index, changes)) = receive.recv() else {
                            break;
                        };
                        arrived.insert(index, changes);
                        continue;
                    };
                    set(&|state| state.0 = done + 1);
                    hand(done, changes?)?;
                    done += 1;
                }
                Ok(())
            })()
        })
    }

    /// The changes of `items`, read newest first, returned in their order.
    fn changes_newest_first(&self, items: &[ChangesOf]) -> Result<Vec<Changes>, GitError> {
        let mut changes = items
            .iter()
            .rev()
            .map(|item| self.changes_of_item(item))
            .collect::<Result<Vec<_>, _>>()?;
        changes.reverse();
        Ok(changes)
    }

    fn changes_of_item(&self, item: &ChangesOf) -> Result<Changes, GitError> {
        match item {
            ChangesOf::Trees(pair) => {
                if pair.old_tree.is_some() && self.is_shallow_boundary(&pair.commit) {
                    return Err(GitError::HistoryTruncated {
                        commit: short_id(&pair.commit),
                    });
                }
                self.diff_trees(pair.commit, pair.old_tree, pair.new_tree)
                    .map(Changes::Paths)
            }
            ChangesOf::MergeOwn {
                commit,
                tree,
                parent_trees,
            } => {
                if self.is_shallow_boundary(commit) {
                    return Err(GitError::HistoryTruncated {
                        commit: short_id(commit),
                    });
                }
                self.merge_own_changes_of_trees(*tree, parent_trees)
                    .map(Changes::MergeOwn)
            }
        }
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

    /// Write `raw` as a tree object as it is (git would refuse it: out of order, or a name twice); its id.
    fn raw_tree(s: &crate::git::scenario::Scenario, raw: &[u8]) -> String {
        let file = s.sibling("tree");
        std::fs::write(&file, raw).unwrap();
        s.git(&[
            "hash-object",
            "-t",
            "tree",
            "--literally",
            "-w",
            file.to_str().unwrap(),
        ])
    }
    use crate::git::scenario::{paths, Scenario};
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

    #[test]
    fn git_order_puts_a_folder_as_if_its_name_ended_in_a_slash() {
        use Ordering::*;
        let (file, folder) = (false, true);
        assert_eq!(git_order(b"a.b", file, b"a", folder), Less, "`.` < `/`");
        assert_eq!(git_order(b"a-", file, b"a", folder), Less, "`-` < `/`");
        assert_eq!(git_order(b"a0", file, b"a", folder), Greater, "`0` > `/`");
        assert_eq!(git_order(b"a", file, b"a.b", file), Less);
        assert_eq!(git_order(b"foo", file, b"foo", folder), Less);
        assert_eq!(git_order(b"foo", folder, b"foo-x", file), Greater);
        assert_eq!(git_order(b"foo", folder, b"foo", folder), Equal);
        assert_eq!(git_order(b"foo", file, b"foo", file), Equal);
        // A damaged name with a `/` still orders totally: equal only to itself.
        assert_ne!(git_order(b"a/", file, b"a", folder), Equal);
        assert_eq!(
            git_order(b"a/", file, b"a", folder),
            git_order(b"a", folder, b"a/", file).reverse()
        );
    }

    /// The raw lines of `git diff-tree` (`-c` for a merge): each path with its blob in each parent and in the
    /// commit (`None`: absent there).
    fn git_raw(
        s: &Scenario,
        args: &[&str],
    ) -> Vec<(String, Vec<Option<ObjectId>>, Option<ObjectId>)> {
        let mut all = vec![
            "diff-tree",
            "-r",
            "--raw",
            "--no-renames",
            "--no-abbrev",
            "--no-commit-id",
        ];
        all.extend_from_slice(args);
        let id = |hex: &str| {
            Some(ObjectId::from_hex(hex.as_bytes()).unwrap()).filter(|id| !id.is_null())
        };
        let mut lines: Vec<_> = s
            .git(&all)
            .lines()
            .map(|line| {
                let (meta, path) = line.split_once('\t').unwrap();
                let fields: Vec<&str> = meta.trim_start_matches(':').split(' ').collect();
                // N parents' modes and the commit's, then N parents' ids and the commit's, then the status.
                let sides = (fields.len() - 1) / 2;
                let ids = &fields[sides..2 * sides];
                let parents = ids[..sides - 1].iter().map(|hex| id(hex)).collect();
                (path.to_owned(), parents, id(ids[sides - 1]))
            })
            .collect();
        lines.sort();
        lines
    }

    fn ours(changes: Vec<MergeChange>) -> Vec<(String, Vec<Option<ObjectId>>, Option<ObjectId>)> {
        changes
            .into_iter()
            .map(|m| {
                let expected_kind = match (m.change.old_id, m.change.new_id) {
                    (None, Some(_)) => ChangeKind::Added,
                    (Some(_), None) => ChangeKind::Deleted,
                    _ => ChangeKind::Modified,
                };
                assert_eq!(m.change.kind, expected_kind, "{}", m.change.path);
                let mut parents = vec![m.change.old_id];
                parents.extend(m.others);
                (m.change.path.to_string(), parents, m.change.new_id)
            })
            .collect()
    }

    #[test]
    fn changes_and_merges_own_changes_match_git_diff_tree() {
        let s = Scenario::new();
        for (path, text) in [
            ("a.txt", "a\n"),
            ("b.txt", "b\n"),
            ("c.txt", "c\n"),
            ("foo", "a file\n"),
            ("a.b", "dot\n"),
            ("a-", "dash\n"),
            ("a/x.txt", "x\n"),
            ("a0", "zero\n"),
            ("dir/y.txt", "y\n"),
            ("t/deep/z.txt", "z\n"),
        ] {
            s.write(path, text);
        }
        s.commit("base");
        s.git(&["checkout", "-q", "-b", "side"]);
        s.write("a.txt", "a side\n");
        s.write("a/x.txt", "x side\n");
        s.write("c.txt", "c side\n");
        // "foo" becomes a folder on the side branch.
        std::fs::remove_file(s.root.join("foo")).unwrap();
        s.write("foo/inner.txt", "inner\n");
        s.write("t/deep/z.txt", "z side\n");
        let side = s.commit("side");
        s.git(&["checkout", "-q", "main"]);
        s.write("b.txt", "b main\n");
        s.write("a.b", "dot main\n");
        s.write("c.txt", "c main\n");
        s.write("t/deep/w.txt", "w\n");
        let main = s.commit("main");
        // A conflict on c.txt, resolved with new content; an evil change to `a-` and `a0`, a new file, and
        // "dir" turned into a file: all the merge's own. "foo" keeps the side's folder.
        // It stops at the conflict (exit code 1), so not through `s.git`.
        let merging = std::process::Command::new("git")
            .args(["merge", "-q", "--no-ff", "--no-commit", "side"])
            .current_dir(&s.root)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_COMMITTER_NAME", "Ana")
            .env("GIT_COMMITTER_EMAIL", "ana@x.example")
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&merging.stdout).contains("CONFLICT (content)"));
        s.write("c.txt", "c resolved\n");
        s.write("a-", "dash evil\n");
        s.write("a0", "zero evil\n");
        s.write("evil.txt", "evil\n");
        std::fs::remove_dir_all(s.root.join("dir")).unwrap();
        s.write("dir", "now a file\n");
        let merge = s.commit("merge");

        // An octopus merge of three branches, with an evil change of its own, and a folder made a file.
        let mut branches = Vec::new();
        for (i, path) in ["o1.txt", "a/o2.txt", "t/deep/o3.txt"].iter().enumerate() {
            let name = format!("o{i}");
            s.git(&["checkout", "-q", "-b", &name, "main"]);
            s.write(path, "octopus\n");
            s.commit(&name);
            branches.push(name);
        }
        s.git(&["checkout", "-q", "-b", "octopus", &merge.to_string()]);
        let mut args = vec!["merge", "-q", "--no-ff", "--no-commit"];
        args.extend(branches.iter().map(String::as_str));
        s.git(&args);
        s.write("b.txt", "b octopus\n");
        std::fs::remove_dir_all(s.root.join("a")).unwrap();
        s.write("a", "a file now\n");
        let octopus = s.commit("octopus");

        let parents = s.git(&["rev-list", "--parents", "-n1", &octopus.to_string()]);
        assert_eq!(parents.split(' ').count(), 5, "an octopus of four parents");
        let repo = s.open();
        for commit in [merge, octopus] {
            let hex = commit.to_string();
            let own = ours(repo.merge_own_changes(commit).unwrap());
            assert_eq!(own, git_raw(&s, &["-c", &hex]), "merge {hex}");
            assert!(!own.is_empty());
        }
        assert!(ours(repo.merge_own_changes(merge).unwrap())
            .iter()
            .any(|(path, _, _)| path == "dir/y.txt"));
        // Git's own trees are in the walk's order: none is walked again sorted (`a-`, `a.b`, `a/`, `a0`, and
        // `foo` a file on one side and a folder on another).
        let trees: Vec<Option<ObjectId>> = ["HEAD", "HEAD^1", "HEAD^2", "HEAD^3", "HEAD^4", "side"]
            .iter()
            .map(|rev| Some(s.id(&format!("{rev}^{{tree}}"))))
            .collect();
        let mut walk = TreeWalk::default();
        let root = BString::default();
        assert!(repo
            .walk_folder(&mut walk, &root, &trees, Listing::MergeOwn, false)
            .unwrap());
        for commit in [side, main, merge, octopus] {
            let hex = commit.to_string();
            let changes: Vec<_> = repo
                .changes(commit)
                .unwrap()
                .into_iter()
                .map(|change| MergeChange {
                    change,
                    others: Vec::new(),
                })
                .collect();
            let parent = format!("{hex}^1");
            assert_eq!(ours(changes), git_raw(&s, &[&parent, &hex]), "commit {hex}");
        }
    }

    #[test]
    fn a_tree_out_of_git_s_order_is_walked_sorted() {
        let s = Scenario::new();
        s.write("a.txt", "a\n");
        s.write("b.txt", "b\n");
        s.write("c", "c\n");
        let first = s.commit("first");
        s.write("a.txt", "a new\n");
        s.commit("second");
        let side = s.id("HEAD");
        let blob = |rev: &str| s.id(rev);
        // The second commit's tree written backwards (c, b.txt, a.txt), as a damaged tree would be.
        let mut raw = Vec::new();
        for name in ["c", "b.txt", "a.txt"] {
            raw.extend_from_slice(format!("100644 {name}\0").as_bytes());
            raw.extend_from_slice(blob(&format!("HEAD:{name}")).as_bytes());
        }
        let tree = raw_tree(&s, &raw);
        let first_hex = first.to_string();
        let commit = s.git(&["commit-tree", &tree, "-p", &first_hex, "-m", "unsorted"]);
        let commit = ObjectId::from_hex(commit.as_bytes()).unwrap();
        let repo = s.open();
        assert_eq!(
            repo.changes(commit).unwrap(),
            vec![change(
                "a.txt",
                ChangeKind::Modified,
                Some(blob("HEAD~1:a.txt")),
                Some(blob("HEAD:a.txt"))
            )]
        );
        // As a merge of `first` and a side without the new a.txt: a.txt is its own change.
        let side_hex = side.to_string();
        let merge = s.git(&[
            "commit-tree",
            &tree,
            "-p",
            &first_hex,
            "-p",
            &side_hex,
            "-m",
            "merge",
        ]);
        let merge = ObjectId::from_hex(merge.as_bytes()).unwrap();
        assert!(
            repo.merge_own_changes(merge).unwrap().is_empty(),
            "the side has the same a.txt"
        );
        s.write("a.txt", "a other\n");
        let other = s.commit("other");
        let other_hex = other.to_string();
        let merge = s.git(&[
            "commit-tree",
            &tree,
            "-p",
            &first_hex,
            "-p",
            &other_hex,
            "-m",
            "merge",
        ]);
        let merge = ObjectId::from_hex(merge.as_bytes()).unwrap();
        let own = repo.merge_own_changes(merge).unwrap();
        assert_eq!(paths(&own, |m| &m.change.path), ["a.txt"]);
    }

    /// The attack: a tree with a name twice, the parent's content after a new one, hoping the walk keeps the
    /// parent's and calls the path unchanged. It is an error, never "no change" (nor a pick of one of the two).
    #[test]
    fn a_name_written_twice_for_different_contents_is_an_error_not_a_pick() {
        let s = Scenario::new();
        s.write("x.txt", "approved\n");
        let first = s.commit("first");
        s.write("x.txt", "sneaked in\n");
        s.commit("second");
        let old = s.id("HEAD~1:x.txt");
        let new = s.id("HEAD:x.txt");
        let tree_of = |ids: &[ObjectId]| {
            let mut raw = Vec::new();
            for id in ids {
                raw.extend_from_slice(b"100644 x.txt\0");
                raw.extend_from_slice(id.as_bytes());
            }
            raw_tree(&s, &raw)
        };
        let repo = s.open();
        let first_hex = first.to_string();
        let second_hex = s.id("HEAD").to_string();
        for ids in [[new, old], [old, new]] {
            let tree = tree_of(&ids);
            let commit = s.git(&["commit-tree", &tree, "-p", &first_hex, "-m", "twice"]);
            let commit = ObjectId::from_hex(commit.as_bytes()).unwrap();
            let err = repo.changes(commit).unwrap_err().to_string();
            assert!(err.contains("x.txt is written twice"), "{err}");
            let merge = s.git(&[
                "commit-tree",
                &tree,
                "-p",
                &first_hex,
                "-p",
                &second_hex,
                "-m",
                "merge",
            ]);
            let merge = ObjectId::from_hex(merge.as_bytes()).unwrap();
            let err = repo.merge_own_changes(merge).unwrap_err().to_string();
            assert!(err.contains("x.txt is written twice"), "{err}");
        }
        // The same entry twice is one entry: no change against a parent that has it once.
        let tree = tree_of(&[old, old]);
        let commit = s.git(&["commit-tree", &tree, "-p", &first_hex, "-m", "twice, same"]);
        let commit = ObjectId::from_hex(commit.as_bytes()).unwrap();
        assert_eq!(repo.changes(commit).unwrap(), vec![]);
    }

    #[test]
    fn changes_in_order_hands_every_commit_out_in_order_over_threads() {
        let s = Scenario::new();
        s.write("a.txt", "a\n");
        let first = s.commit("first");
        s.write("b/c.txt", "c\n");
        let second = s.commit("second");
        s.git(&["checkout", "-q", "-b", "side", "HEAD~1"]);
        s.write("a.txt", "a side\n");
        let side = s.commit("side");
        s.git(&["checkout", "-q", "main"]);
        s.git(&["merge", "-q", "--no-ff", "--no-commit", "side"]);
        s.write("evil.txt", "evil\n");
        let merge = s.commit("merge");
        let repo = s.open();
        let tree = |rev: &str| s.id(&format!("{rev}^{{tree}}"));
        let one = [
            ChangesOf::Trees(TreePair {
                commit: first,
                old_tree: None,
                new_tree: tree("HEAD~1~1"),
            }),
            ChangesOf::Trees(TreePair {
                commit: second,
                old_tree: Some(tree("HEAD~1~1")),
                new_tree: tree("HEAD~1"),
            }),
            ChangesOf::Trees(TreePair {
                commit: side,
                old_tree: Some(tree("HEAD~1~1")),
                new_tree: tree("side"),
            }),
            ChangesOf::MergeOwn {
                commit: merge,
                tree: tree("HEAD"),
                parent_trees: vec![tree("HEAD^1"), tree("HEAD^2")],
            },
        ];
        let expected = [
            Changes::Paths(repo.changes(first).unwrap()),
            Changes::Paths(repo.changes(second).unwrap()),
            Changes::Paths(repo.changes(side).unwrap()),
            Changes::MergeOwn(repo.merge_own_changes(merge).unwrap()),
        ];
        // Enough commits for several chunks over the threads.
        let items: Vec<ChangesOf> = one.iter().cycle().take(CHUNK_WEIGHT + 3).cloned().collect();
        let (chunks, starts) = weighed_chunks(&items);
        assert!(chunks.len() > 4, "{} chunks", chunks.len());
        let mut seen = 0;
        repo.changes_in_order(&items, |index, changes| -> Result<(), GitError> {
            assert_eq!(index, seen);
            assert_eq!(changes, expected[index % expected.len()], "commit {index}");
            seen += 1;
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, items.len());

        // The first error stops the rest: `each`'s own, and a worker's (a tree that is not there).
        let mut calls = 0;
        let err = repo
            .changes_in_order(&items, |index, _| {
                calls += 1;
                match index {
                    200 => Err(GitError::Other {
                        context: "judging".into(),
                        message: "stop".into(),
                    }),
                    _ => Ok(()),
                }
            })
            .unwrap_err();
        assert_eq!((calls, err.to_string()), (201, "judging: stop".to_string()));
        let mut broken = items.clone();
        broken[starts[3]] = ChangesOf::Trees(TreePair {
            commit: first,
            old_tree: None,
            new_tree: ObjectId::from_hex(b"1234567890123456789012345678901234567890").unwrap(),
        });
        let mut calls = 0;
        let err = repo
            .changes_in_order(&broken, |_, _| -> Result<(), GitError> {
                calls += 1;
                Ok(())
            })
            .unwrap_err();
        assert_eq!(calls, starts[3], "every commit before the broken chunk");
        assert!(err.to_string().contains("1234567"), "{err}");
        // `each` panicking while workers wait to read further ahead: the panic comes through, nothing hangs.
        let many: Vec<ChangesOf> = one
            .iter()
            .cycle()
            .take(CHUNK_WEIGHT * (AHEAD + 4) / 4)
            .cloned()
            .collect();
        assert!(weighed_chunks(&many).0.len() >= AHEAD + 4);
        let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            repo.changes_in_order(&many, |index, _| -> Result<(), GitError> {
                if index == starts[1] {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                    panic!("judging failed");
                }
                Ok(())
            })
        }));
        assert!(panicked.is_err());
    }

    #[test]
    fn chunks_weigh_merges_more_and_cover_every_item_in_order() {
        let pair = ChangesOf::Trees(TreePair {
            commit: ObjectId::null(gix::hash::Kind::Sha1),
            old_tree: None,
            new_tree: ObjectId::null(gix::hash::Kind::Sha1),
        });
        let merge = ChangesOf::MergeOwn {
            commit: ObjectId::null(gix::hash::Kind::Sha1),
            tree: ObjectId::null(gix::hash::Kind::Sha1),
            parent_trees: Vec::new(),
        };
        // Ordinary commits only: chunks of CHUNK_WEIGHT commits, the rest in a last one.
        let plain = vec![pair.clone(); CHUNK_WEIGHT * 2 + 5];
        let (chunks, starts) = weighed_chunks(&plain);
        let lengths: Vec<usize> = chunks.iter().map(|c| c.len()).collect();
        assert_eq!(lengths, [CHUNK_WEIGHT, CHUNK_WEIGHT, 5]);
        assert_eq!(starts, [0, CHUNK_WEIGHT, CHUNK_WEIGHT * 2]);
        // Merges only: MERGE_WEIGHT times shorter chunks.
        let merges = vec![merge.clone(); CHUNK_WEIGHT];
        let (chunks, _) = weighed_chunks(&merges);
        assert!(chunks
            .iter()
            .all(|c| c.len() <= CHUNK_WEIGHT / MERGE_WEIGHT));
        // Mixed: every item once, in order, each chunk starting where the one before ended.
        let mixed: Vec<ChangesOf> = (0..3000)
            .map(|i| {
                if i % 7 == 0 {
                    merge.clone()
                } else {
                    pair.clone()
                }
            })
            .collect();
        let (chunks, starts) = weighed_chunks(&mixed);
        assert_eq!(chunks.iter().map(|c| c.len()).sum::<usize>(), mixed.len());
        for (i, chunk) in chunks.iter().enumerate() {
            assert_eq!(*chunk, &mixed[starts[i]..starts[i] + chunk.len()]);
        }
        assert!(weighed_chunks(&[]).0.is_empty());
    }
}

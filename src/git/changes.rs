//! Per-commit changes: the paths a commit changed against its first parent, one commit or many in parallel.

use gix::bstr::{BStr, BString, ByteSlice, ByteVec};

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

/// The entry named `name` in `entries` (sorted by name) from `at` on, moving `at` past it; the last one of a name
/// written twice (a damaged tree), as a map would keep it.
fn take_named(entries: &[(&[u8], Entry)], at: &mut usize, name: &[u8]) -> Option<Entry> {
    while entries.get(*at).is_some_and(|(n, _)| *n < name) {
        *at += 1;
    }
    let mut found = None;
    while let Some((_, entry)) = entries.get(*at).filter(|(n, _)| *n == name) {
        found = Some(*entry);
        *at += 1;
    }
    found
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
        // One walk over the merge's tree and its parents' at once, entering a folder only where the merge's
        // differs from every parent's: a merge shares almost all its folders with one parent or the other, so
        // this reads a few trees, where diffing against each parent read the whole side branch's changes.
        let mut own = Vec::new();
        let mut pending: Vec<(BString, Option<ObjectId>, Vec<Option<ObjectId>>)> =
            vec![(BString::default(), Some(tree), parents)];
        // The trees' bytes, one buffer per side, reused from folder to folder: entries borrow their names.
        let mut bufs: Vec<Vec<u8>> = Vec::new();
        while let Some((dir, tree, parent_trees)) = pending.pop() {
            // The same tree as one parent's: nothing below it is the merge's own.
            if parent_trees.contains(&tree) {
                continue;
            }
            bufs.resize_with(parent_trees.len() + 1, Vec::new);
            let (mine_buf, their_bufs) = bufs.split_at_mut(1);
            let here = self.entries(tree, &mut mine_buf[0])?;
            let theirs = parent_trees
                .iter()
                .zip(their_bufs.iter_mut())
                .map(|(t, buf)| self.entries(*t, buf))
                .collect::<Result<Vec<_>, _>>()?;
            // Every name of the merge's folder and its first parent's, in order: one pass over the sorted entries,
            // each side's cursor moving forward only.
            let mut at = 0;
            let mut cursors = vec![0; theirs.len()];
            let mut others: Vec<Option<Entry>> = Vec::with_capacity(theirs.len());
            loop {
                let name = match (here.get(at), theirs[0].get(cursors[0])) {
                    (None, None) => break,
                    (Some((a, _)), None) => *a,
                    (None, Some((b, _))) => *b,
                    (Some((a, _)), Some((b, _))) => (*a).min(*b),
                };
                let mine = take_named(&here, &mut at, name);
                others.clear();
                for (entries, cursor) in theirs.iter().zip(cursors.iter_mut()) {
                    others.push(take_named(entries, cursor, name));
                }
                // The same entry as one parent: nothing below it is the merge's own.
                if others.iter().any(|o| same(*o, mine)) {
                    continue;
                }
                let mut path = dir.clone();
                if !path.is_empty() {
                    path.push(b'/');
                }
                path.push_str(name);
                let tree_of = |e: Option<Entry>| e.filter(|e| e.mode.is_tree()).map(|e| e.id);
                if tree_of(mine).is_some() || others.iter().any(|o| tree_of(*o).is_some()) {
                    pending.push((
                        path.clone(),
                        tree_of(mine),
                        others.iter().map(|o| tree_of(*o)).collect(),
                    ));
                }
                // The file at this name (a folder counts as no file).
                let file_of = |e: Option<Entry>| e.filter(|e| !e.mode.is_tree());
                let mine = file_of(mine);
                let others: Vec<Option<Entry>> = others.iter().map(|o| file_of(*o)).collect();
                if others.iter().any(|o| same(*o, mine)) {
                    continue;
                }
                let first = others[0];
                let kind = match (first, mine) {
                    (None, Some(_)) => ChangeKind::Added,
                    (Some(_), None) => ChangeKind::Deleted,
                    _ => ChangeKind::Modified,
                };
                let is_submodule = [first, mine].iter().flatten().any(|e| e.mode.is_commit());
                own.push(MergeChange {
                    change: PathChange {
                        path,
                        kind,
                        old_id: first.map(|e| e.id),
                        new_id: mine.map(|e| e.id),
                        is_submodule,
                    },
                    others: others[1..].iter().map(|o| o.map(|e| e.id)).collect(),
                });
            }
        }
        own.sort_unstable_by(|a, b| a.change.path.cmp(&b.change.path));
        Ok(own)
    }

    /// The entries of a tree sorted by name, the names in `buf` (none for no tree).
    fn entries<'b>(
        &self,
        tree: Option<ObjectId>,
        buf: &'b mut Vec<u8>,
    ) -> Result<Vec<(&'b [u8], Entry)>, GitError> {
        let Some(id) = tree else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for entry in self.tree_iter(id, buf)? {
            let entry = entry
                .map_err(|err| super::other(format!("reading tree {}", short_id(&id)), err))?;
            out.push((
                entry.filename.as_bytes(),
                Entry {
                    mode: entry.mode,
                    id: entry.oid.to_owned(),
                },
            ));
        }
        // Git's order puts a folder as if its name ended in `/`; the walk needs plain byte order (stable: a name
        // written twice keeps its order).
        if !out.windows(2).all(|w| w[0].0 <= w[1].0) {
            out.sort_by(|a, b| a.0.cmp(b.0));
        }
        Ok(out)
    }

    /// The file-level changes from `old_tree` (none: the empty tree) to `new_tree`, sorted by path.
    fn diff_trees(
        &self,
        commit: ObjectId,
        old_tree: Option<ObjectId>,
        new_tree: ObjectId,
    ) -> Result<Vec<PathChange>, GitError> {
        let context = || format!("listing the changes of commit {}", short_id(&commit));
        let scratch = &mut *self.scratch.borrow_mut();
        let hash_kind = self.repo.object_hash();
        let old = match old_tree {
            Some(id) => self.tree_iter(id, &mut scratch.old_tree)?,
            None => TreeRefIter::from_bytes(&[], hash_kind),
        };
        let new = self.tree_iter(new_tree, &mut scratch.new_tree)?;
        let mut recorder = ChangeRecorder::default();
        gix::diff::tree(
            old,
            new,
            &mut scratch.diff_state,
            &self.repo.objects,
            &mut recorder,
        )
        .map_err(|err| match err {
            gix::diff::tree::Error::Failure(err) => self.object_error(commit, err, context),
            cancelled => GitError::Other {
                context: context(),
                message: cancelled.to_string(),
            },
        })?;
        let mut changes = recorder.changes;
        changes.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        Ok(changes)
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

/// Records file-level changes with full paths; directory records are skipped.
#[derive(Default)]
struct ChangeRecorder {
    path: BString,
    path_deque: std::collections::VecDeque<BString>,
    changes: Vec<PathChange>,
}

impl ChangeRecorder {
    fn push_element(&mut self, name: &BStr) {
        if name.is_empty() {
            return;
        }
        if !self.path.is_empty() {
            self.path.push(b'/');
        }
        self.path.push_str(name);
    }
}

impl gix::diff::tree::Visit for ChangeRecorder {
    fn pop_front_tracked_path_and_set_current(&mut self) {
        // gix pairs every pop with an earlier push; an empty queue would only mean no parent path to restore.
        self.path = self.path_deque.pop_front().unwrap_or_default();
    }

    fn push_back_tracked_path_component(&mut self, component: &BStr) {
        self.push_element(component);
        self.path_deque.push_back(self.path.clone());
    }

    fn push_path_component(&mut self, component: &BStr) {
        self.push_element(component);
    }

    fn pop_path_component(&mut self) {
        match self.path.rfind_byte(b'/') {
            Some(pos) => self.path.truncate(pos),
            None => self.path.clear(),
        }
    }

    fn visit(&mut self, change: gix::diff::tree::visit::Change) -> gix::diff::tree::visit::Action {
        use gix::diff::tree::visit::Change::*;
        let record = match change {
            Addition {
                entry_mode, oid, ..
            } if !entry_mode.is_tree() => Some(PathChange {
                path: self.path.clone(),
                kind: ChangeKind::Added,
                old_id: None,
                new_id: Some(oid),
                is_submodule: entry_mode.is_commit(),
            }),
            Deletion {
                entry_mode, oid, ..
            } if !entry_mode.is_tree() => Some(PathChange {
                path: self.path.clone(),
                kind: ChangeKind::Deleted,
                old_id: Some(oid),
                new_id: None,
                is_submodule: entry_mode.is_commit(),
            }),
            // Tree <-> file type changes arrive as a deletion and an addition; a modification is file to file.
            Modification {
                previous_entry_mode,
                previous_oid,
                entry_mode,
                oid,
            } if !entry_mode.is_tree() => {
                // git canonicalises modes (100664 -> 100644): same id and kind is no change.
                let same = previous_oid == oid && previous_entry_mode.kind() == entry_mode.kind();
                (!same).then(|| PathChange {
                    path: self.path.clone(),
                    kind: ChangeKind::Modified,
                    old_id: Some(previous_oid),
                    new_id: Some(oid),
                    is_submodule: previous_entry_mode.is_commit() || entry_mode.is_commit(),
                })
            }
            _ => None,
        };
        self.changes.extend(record);
        std::ops::ControlFlow::Continue(())
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

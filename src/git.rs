//! All git access: revisions, trees, blobs, history walks and per-commit changes, read with `gix`.
//!
//! The product never runs the `git` binary. Errors say what went wrong and what to do, in the user's words.

use std::cell::RefCell;
use std::collections::{BinaryHeap, HashMap};
use std::path::{Path, PathBuf};

use gix::bstr::{BStr, BString, ByteSlice, ByteVec};

use crate::suggest::edit_distance;
use gix::objs::tree::{EntryKind, EntryMode};
use gix::objs::{FindExt, TreeRefIter};

pub type ObjectId = gix::ObjectId;

/// Applied on every open: git's implicit pack delta-base cache, which gix does not apply by itself.
const CONFIG_OVERRIDES: [&str; 1] = ["core.deltaBaseCacheLimit=96m"];

/// Threads for `changes_of_many`, at most.
const MAX_THREADS: usize = 4;

/// Below this many commits per thread, starting threads costs more than it saves.
const MIN_COMMITS_PER_THREAD: usize = 256;

const FETCH_MORE_HISTORY: &str =
    "fetch more history with `git fetch --unshallow` (or `git fetch --deepen N`); \
     on GitHub Actions, set `fetch-depth: 0` on `actions/checkout`";

#[derive(Debug)]
pub enum GitError {
    NotARepository {
        path: PathBuf,
    },
    UnknownRevision {
        rev: String,
        suggestions: Vec<String>,
    },
    MissingInShallowClone {
        rev: String,
    },
    HistoryTruncated {
        commit: String,
    },
    Other {
        context: String,
        message: String,
    },
}

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GitError::NotARepository { path } => write!(
                f,
                "not a git repository (or any parent up to /): {}; run inside a clone, or pass -C DIR",
                path.display()
            ),
            GitError::UnknownRevision { rev, suggestions } => {
                write!(f, "unknown revision `{rev}`")?;
                match suggestions.as_slice() {
                    [] => write!(f, "; name a branch, a tag or a commit id (see `git branch -a` and `git tag`)"),
                    [one] => write!(f, "; did you mean `{one}`?"),
                    many => {
                        let list: Vec<String> = many.iter().map(|s| format!("`{s}`")).collect();
                        write!(f, "; did you mean one of {}?", list.join(", "))
                    }
                }
            }
            GitError::MissingInShallowClone { rev } => write!(
                f,
                "revision `{rev}` is not in this shallow clone; {FETCH_MORE_HISTORY}"
            ),
            GitError::HistoryTruncated { commit } => write!(
                f,
                "history stops at commit {commit} because this is a shallow clone; {FETCH_MORE_HISTORY}"
            ),
            GitError::Other { context, message } => write!(f, "{context}: {message}"),
        }
    }
}

impl std::error::Error for GitError {}

/// What a non-directory tree entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Regular,
    Executable,
    Symlink,
    /// A gitlink: a submodule's commit, whose content is not in this repository.
    Submodule,
}

impl FileKind {
    fn of(mode: EntryMode) -> Option<FileKind> {
        match mode.kind() {
            EntryKind::Tree => None,
            EntryKind::Blob => Some(FileKind::Regular),
            EntryKind::BlobExecutable => Some(FileKind::Executable),
            EntryKind::Link => Some(FileKind::Symlink),
            EntryKind::Commit => Some(FileKind::Submodule),
        }
    }
}

/// One file path in a commit's tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeEntry {
    pub path: BString,
    pub id: ObjectId,
    pub kind: FileKind,
}

/// One file under a directory at a commit, with its bytes. For a symlink, `bytes` is the link's target path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeFile {
    pub path: BString,
    pub id: ObjectId,
    pub bytes: Vec<u8>,
    pub is_symlink: bool,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Deleted,
    Modified,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    pub id: ObjectId,
    pub short_id: String,
    pub parents: Vec<ObjectId>,
    pub author_name: String,
    pub author_email: String,
    pub author_time: i64,
    pub subject: String,
    /// (token, value) in message order, the token as written.
    pub trailers: Vec<(String, String)>,
}

/// A repository handle. `Send` but not `Sync`: clone it (cheap: shared object store, fresh caches) once per thread.
pub struct Repo {
    repo: gix::Repository,
    /// Commits whose parents are cut off by a shallow clone, sorted; empty when the clone is complete.
    shallow: Vec<ObjectId>,
    /// Tree and parent ids without decoding commits, when a commit-graph file exists; absent commits fall back.
    graph: Option<gix::commitgraph::Graph>,
    /// Cloned with `--filter`: objects may be missing, and gix does not fetch them on demand.
    partial_clone: bool,
    scratch: RefCell<Scratch>,
}

/// Buffers reused across calls, so a walk over thousands of commits does not allocate per commit.
#[derive(Default)]
struct Scratch {
    diff_state: gix::diff::tree::State,
    old_tree: Vec<u8>,
    new_tree: Vec<u8>,
    commit: Vec<u8>,
}

impl Clone for Repo {
    fn clone(&self) -> Self {
        Repo::from_gix(self.repo.clone(), self.shallow.clone())
    }
}

impl Repo {
    /// Open the repository around `dir`, searching upwards. Honours `GIT_DIR` (and `GIT_WORK_TREE`,
    /// `GIT_CEILING_DIRECTORIES`, ...) like git; opens linked worktrees and bare repositories.
    pub fn discover(dir: &Path) -> Result<Repo, GitError> {
        let upwards = gix::discover::upwards::Options {
            // Like git: a GIT_CEILING_DIRECTORIES entry that is not above `dir` is ignored, not an error.
            match_ceiling_dir_or_error: false,
            ..Default::default()
        };
        let repo = gix::ThreadSafeRepository::discover_with_environment_overrides_opts(
            dir,
            upwards,
            open_options(),
        )
        .map_err(|err| open_error(dir, err))?;
        Repo::from_thread_safe(repo.to_thread_local())
    }

    /// Open exactly the git directory `git_dir` (a `.git` folder, a bare repository, or a worktree's `.git` file),
    /// without searching: what `GIT_DIR=<git_dir>` does, but without reading the environment.
    pub fn open_git_dir(git_dir: &Path) -> Result<Repo, GitError> {
        let mapping = open_options();
        let repo = gix::open_opts(git_dir, mapping.full).map_err(|err| open_error(git_dir, err))?;
        Repo::from_thread_safe(repo)
    }

    fn from_thread_safe(repo: gix::Repository) -> Result<Repo, GitError> {
        let shallow = repo
            .shallow_commits()
            .map_err(|err| other("reading the shallow-clone boundary", err))?
            .map(|commits| {
                let mut commits: Vec<ObjectId> = commits.iter().copied().collect();
                commits.sort();
                commits
            })
            .unwrap_or_default();
        Ok(Repo::from_gix(repo, shallow))
    }

    fn from_gix(repo: gix::Repository, shallow: Vec<ObjectId>) -> Repo {
        // A missing or unreadable commit-graph only costs speed: commits are then decoded from the object store.
        let graph = repo.commit_graph_if_enabled().ok().flatten();
        let partial_clone = is_partial_clone(&repo);
        Repo {
            repo,
            shallow,
            graph,
            partial_clone,
            scratch: RefCell::new(Scratch::default()),
        }
    }

    /// The working tree; `None` for a bare repository.
    pub fn workdir(&self) -> Option<&Path> {
        self.repo.workdir()
    }

    /// The repository's private git directory (for a linked worktree: `.git/worktrees/<name>` of the main clone).
    pub fn git_dir(&self) -> &Path {
        self.repo.git_dir()
    }

    pub fn is_shallow(&self) -> bool {
        !self.shallow.is_empty()
    }

    fn is_shallow_boundary(&self, id: &ObjectId) -> bool {
        self.shallow.binary_search(id).is_ok()
    }

    /// Resolve a revspec naming one commit (`HEAD~3`, `origin/main`, a tag — annotated tags peeled —, a short id).
    pub fn resolve_commit(&self, rev: &str) -> Result<ObjectId, GitError> {
        if rev.contains("..") {
            return Err(GitError::Other {
                context: format!("resolving revision `{rev}`"),
                message: "that is a range of commits; name one commit".into(),
            });
        }
        let id = match self.repo.rev_parse_single(rev.as_bytes().as_bstr()) {
            Ok(id) => id,
            Err(err) => return Err(self.unresolved(rev, err)),
        };
        let object = match id.object() {
            Ok(object) => object,
            Err(err) if err.is_not_found() => return Err(self.unresolved(rev, err)),
            Err(err) => return Err(other(format!("reading revision `{rev}`"), err)),
        };
        let kind = object.kind;
        match object.peel_to_kind(gix::object::Kind::Commit) {
            Ok(commit) => Ok(commit.id),
            Err(err) if err.is_not_found() && self.is_shallow() => {
                Err(GitError::MissingInShallowClone {
                    rev: rev.to_owned(),
                })
            }
            Err(_) => Err(GitError::Other {
                context: format!("resolving revision `{rev}`"),
                message: format!(
                    "it names a {kind}, not a commit; name a branch, a tag or a commit"
                ),
            }),
        }
    }

    /// Turn a failed resolution into the error that tells the user what to do.
    fn unresolved(&self, rev: &str, err: gix::Error) -> GitError {
        if rev.starts_with("HEAD") && matches!(self.head_commit(), Ok(None)) {
            return GitError::Other {
                context: format!("resolving revision `{rev}`"),
                message: "the current branch has no commits yet".into(),
            };
        }
        use gix::revision::spec::parse::Error as Parse;
        if let Some(
            ambiguous @ (Parse::AmbiguousPrefix { .. } | Parse::AmbiguousRefAndObject { .. }),
        ) = err.downcast_any_ref::<Parse>()
        {
            return GitError::Other {
                context: format!("resolving revision `{rev}`"),
                message: format!("{ambiguous}; give more characters of the commit id"),
            };
        }
        let base = rev_base(rev);
        let base_resolves = base != rev
            && !base.is_empty()
            && self
                .repo
                .rev_parse_single(base.as_bytes().as_bstr())
                .is_ok();
        if self.is_shallow() && (base_resolves || looks_like_object_id(rev)) {
            return GitError::MissingInShallowClone {
                rev: rev.to_owned(),
            };
        }
        if base_resolves || base.is_empty() {
            // The name exists; what follows it does not work out (`HEAD~9` past the root, `@{u}` without upstream).
            return other(format!("resolving revision `{rev}`"), err);
        }
        GitError::UnknownRevision {
            rev: rev.to_owned(),
            suggestions: self.suggest_names(base),
        }
    }

    /// Branch and tag names (short: `main`, `origin/main`, `v1.0`) close to `word`, closest first, at most 3.
    fn suggest_names(&self, word: &str) -> Vec<String> {
        let Ok(platform) = self.repo.references() else {
            return Vec::new();
        };
        let Ok(all) = platform.all() else {
            return Vec::new();
        };
        let word_lower = word.to_lowercase();
        let mut scored: Vec<(usize, String)> = Vec::new();
        for reference in all.flatten() {
            let full = reference.name().as_bstr();
            let short = if let Some(rest) = full.strip_prefix(b"refs/heads/") {
                rest
            } else if let Some(rest) = full.strip_prefix(b"refs/remotes/") {
                if rest.ends_with(b"/HEAD") {
                    continue;
                }
                rest
            } else if let Some(rest) = full.strip_prefix(b"refs/tags/") {
                rest
            } else {
                continue;
            };
            let Ok(short) = short.to_str() else { continue };
            let distance = edit_distance(&word_lower, &short.to_lowercase());
            let score = if distance <= 2 {
                distance
            } else if !word_lower.is_empty() && short.to_lowercase().contains(&word_lower) {
                3
            } else {
                continue;
            };
            scored.push((score, short.to_owned()));
        }
        scored.sort();
        scored.dedup_by(|a, b| a.1 == b.1);
        scored.into_iter().take(3).map(|(_, name)| name).collect()
    }

    /// The commit HEAD points to; `None` on an unborn branch (a repository without commits).
    pub fn head_commit(&self) -> Result<Option<ObjectId>, GitError> {
        let mut head = self.repo.head().map_err(|err| other("reading HEAD", err))?;
        match head.try_peel_to_id() {
            Ok(None) => Ok(None),
            Ok(Some(id)) => {
                let id = id.detach();
                self.peel_to_commit(id, "HEAD").map(Some)
            }
            Err(err) => Err(other("reading HEAD", err)),
        }
    }

    fn peel_to_commit(&self, id: ObjectId, what: &str) -> Result<ObjectId, GitError> {
        let object = self
            .repo
            .find_object(id)
            .map_err(|err| self.object_error(id, err, || format!("reading {what}")))?;
        object
            .peel_to_kind(gix::object::Kind::Commit)
            .map(|commit| commit.id)
            .map_err(|err| self.object_error(id, err, || format!("reading {what}")))
    }

    /// An object that should be there could not be read: say why, and what to do when it is missing.
    fn object_error(
        &self,
        id: ObjectId,
        err: gix::Error,
        context: impl FnOnce() -> String,
    ) -> GitError {
        if err.is_not_found() && self.partial_clone {
            return GitError::Other {
                context: context(),
                message: format!(
                    "object {} is not in this partial clone (made with `--filter`), and opmodel does not \
                     download missing objects; clone without `--filter` (on GitHub Actions, remove `filter:` \
                     from `actions/checkout`)",
                    short_id(&id)
                ),
            };
        }
        if err.is_not_found() && self.is_shallow() {
            return GitError::MissingInShallowClone { rev: short_id(&id) };
        }
        other(context(), err)
    }

    /// The best common ancestor of `a` and `b`; `None` when the histories share no commit.
    /// In a shallow clone, a missing merge base means the history is cut off: `HistoryTruncated`.
    pub fn merge_base(&self, a: ObjectId, b: ObjectId) -> Result<Option<ObjectId>, GitError> {
        match self.repo.merge_base(a, b) {
            Ok(Some(id)) => Ok(Some(id.detach())),
            Ok(None) if self.is_shallow() => Err(GitError::HistoryTruncated {
                commit: short_id(&self.shallow[0]),
            }),
            Ok(None) => Ok(None),
            Err(err) if self.is_shallow() && err.is_not_found() => {
                Err(GitError::HistoryTruncated {
                    commit: short_id(&self.shallow[0]),
                })
            }
            Err(err) => Err(other(
                format!(
                    "finding the merge base of {} and {}",
                    short_id(&a),
                    short_id(&b)
                ),
                err,
            )),
        }
    }

    /// The default branch: the target of `refs/remotes/origin/HEAD` (shown as `origin/main`), else local `main`,
    /// else local `master`, else `origin/main`, else `origin/master`. Returns (name shown to users, commit).
    pub fn default_branch(&self) -> Result<Option<(String, ObjectId)>, GitError> {
        let remote_head = self
            .repo
            .try_find_reference("refs/remotes/origin/HEAD")
            .map_err(|err| other("reading refs/remotes/origin/HEAD", err))?;
        let mut candidates: Vec<BString> = Vec::new();
        if let Some(reference) = remote_head {
            if let gix::refs::TargetRef::Symbolic(target) = reference.target() {
                candidates.push(target.as_bstr().to_owned());
            }
        }
        for name in [
            "refs/heads/main",
            "refs/heads/master",
            "refs/remotes/origin/main",
            "refs/remotes/origin/master",
        ] {
            candidates.push(name.into());
        }
        for name in candidates {
            let Ok(Some(mut reference)) = self.repo.try_find_reference(name.as_bstr()) else {
                continue;
            };
            let Ok(id) = reference.peel_to_id() else {
                continue;
            };
            let shown = reference.name().shorten().to_str_lossy().into_owned();
            let id = id.detach();
            return self
                .peel_to_commit(id, &shown)
                .map(|commit| Some((shown, commit)));
        }
        Ok(None)
    }

    /// Files git tracks, from the index (repository-relative, `/` separated), sorted, each once.
    /// Submodule entries are included (their path); sparse-index directories are expanded. Empty for bare repositories.
    pub fn tracked_files(&self) -> Result<Vec<BString>, GitError> {
        if self.repo.workdir().is_none() {
            return Ok(Vec::new());
        }
        let index = self
            .repo
            .index_or_empty()
            .map_err(|err| other("reading the index (.git/index)", err))?;
        let mut files = Vec::with_capacity(index.entries().len());
        for entry in index.entries() {
            let path = entry.path(&index);
            if entry.mode.is_sparse() {
                let mut prefix = path.to_owned();
                if prefix.last() == Some(&b'/') {
                    prefix.pop();
                }
                self.walk_tree(entry.id, prefix.as_bstr(), |path, _, _| {
                    files.push(path.to_owned())
                })?;
            } else {
                files.push(path.to_owned());
            }
        }
        files.sort_unstable();
        files.dedup();
        Ok(files)
    }

    /// Every file (blobs, executables, symlinks, and submodule entries flagged as such) in the commit's tree,
    /// sorted by path.
    pub fn tree_files(&self, commit: ObjectId) -> Result<Vec<TreeEntry>, GitError> {
        let tree = self.tree_id(commit)?;
        let mut files = Vec::new();
        self.walk_tree(tree, BStr::new(""), |path, id, kind| {
            files.push(TreeEntry {
                path: path.to_owned(),
                id,
                kind,
            })
        })?;
        files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    /// One file's bytes at a commit; `Ok(None)` if nothing is there, or a directory or submodule is.
    pub fn read_file(&self, commit: ObjectId, path: &str) -> Result<Option<Vec<u8>>, GitError> {
        let tree = self.tree_id(commit)?;
        let Some((mode, id)) = self.entry_at(tree, path)? else {
            return Ok(None);
        };
        match FileKind::of(mode) {
            None | Some(FileKind::Submodule) => Ok(None),
            Some(FileKind::Symlink) => Err(GitError::Other {
                context: format!("reading {path} at {}", short_id(&commit)),
                message: "it is a symbolic link in git; replace it with the file itself".into(),
            }),
            Some(_) => self.read_blob(id).map(Some),
        }
    }

    /// Every file under directory `prefix` (`""` = the whole tree) at a commit, with its bytes, sorted by path.
    /// Symlinks are returned with `is_symlink` set and their target path as bytes; submodule entries are skipped
    /// (their content is not in this repository). A `prefix` that is absent or is not a directory gives no files.
    pub fn read_dir_files(
        &self,
        commit: ObjectId,
        prefix: &str,
    ) -> Result<Vec<TreeFile>, GitError> {
        let Some(tree) = self.subtree_id(commit, prefix)? else {
            return Ok(Vec::new());
        };
        let prefix = prefix.trim_matches('/');
        let mut entries = Vec::new();
        self.walk_tree(tree, prefix.as_bytes().as_bstr(), |path, id, kind| {
            if kind != FileKind::Submodule {
                entries.push((path.to_owned(), id, kind == FileKind::Symlink));
            }
        })?;
        entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut files = Vec::with_capacity(entries.len());
        for (path, id, is_symlink) in entries {
            let bytes = self.read_blob(id)?;
            files.push(TreeFile {
                path,
                id,
                bytes,
                is_symlink,
            });
        }
        Ok(files)
    }

    /// The root tree of a commit.
    pub fn tree_id(&self, commit: ObjectId) -> Result<ObjectId, GitError> {
        self.tree_and_first_parent(commit).map(|(tree, _)| tree)
    }

    fn tree_and_first_parent(
        &self,
        commit: ObjectId,
    ) -> Result<(ObjectId, Option<ObjectId>), GitError> {
        if let Some(graph) = &self.graph {
            if let Some(entry) = graph.commit_by_id(commit) {
                let tree = entry.root_tree_id().to_owned();
                if let Ok(parent) = entry.parent1() {
                    return Ok((
                        tree,
                        parent.map(|position| graph.id_at(position).to_owned()),
                    ));
                }
            }
        }
        let mut scratch = self.scratch.borrow_mut();
        let mut iter = self.commit_iter(commit, &mut scratch.commit)?;
        let tree = iter
            .tree_id()
            .map_err(|err| other(format!("reading commit {}", short_id(&commit)), err))?;
        let parent = iter.parent_ids().next();
        Ok((tree, parent))
    }

    /// The id of the directory at `prefix` in a commit (`""` = the root tree); `None` if absent or not a directory.
    /// Equal ids mean equal contents: parse each distinct model tree once.
    pub fn subtree_id(&self, commit: ObjectId, prefix: &str) -> Result<Option<ObjectId>, GitError> {
        let tree = self.tree_id(commit)?;
        if prefix.trim_matches('/').is_empty() {
            return Ok(Some(tree));
        }
        Ok(match self.entry_at(tree, prefix)? {
            Some((mode, id)) if mode.is_tree() => Some(id),
            _ => None,
        })
    }

    pub fn read_blob(&self, id: ObjectId) -> Result<Vec<u8>, GitError> {
        let mut bytes = Vec::new();
        let len = self
            .repo
            .objects
            .find_blob(&id, &mut bytes)
            .map_err(|err| {
                self.object_error(id, err, || format!("reading file {}", short_id(&id)))
            })?
            .data
            .len();
        bytes.truncate(len);
        Ok(bytes)
    }

    /// Commits reachable from `head` and not from `base`, oldest first: parents before children, ties by commit
    /// time. With `first_parent`, only the first-parent chain of `head` is followed (everything reachable from
    /// `base` is still excluded). If the walk reaches a shallow boundary first, the list would be incomplete:
    /// `HistoryTruncated`.
    pub fn range(
        &self,
        base: ObjectId,
        head: ObjectId,
        first_parent: bool,
    ) -> Result<Vec<ObjectId>, GitError> {
        let context = || {
            format!(
                "listing commits from {} to {}",
                short_id(&base),
                short_id(&head)
            )
        };
        for end in [base, head] {
            if !self.repo.has_object(end) {
                return Err(if self.is_shallow() {
                    GitError::MissingInShallowClone {
                        rev: short_id(&end),
                    }
                } else {
                    GitError::Other {
                        context: context(),
                        message: format!(
                            "commit {} is not in this repository; run `git fetch`",
                            short_id(&end)
                        ),
                    }
                });
            }
        }
        let mut walk = self.repo.rev_walk([head]).with_hidden([base]).sorting(
            gix::revision::walk::Sorting::ByCommitTime(Default::default()),
        );
        if first_parent {
            walk = walk.first_parent_only();
        }
        let walk = walk.all().map_err(|err| self.walk_error(err, context()))?;
        let mut commits = Vec::new();
        for info in walk {
            let info = info.map_err(|err| self.walk_error(err, context()))?;
            if self.is_shallow_boundary(&info.id) && self.has_parents(info.id)? {
                return Err(GitError::HistoryTruncated {
                    commit: short_id(&info.id),
                });
            }
            let parents: Vec<ObjectId> = if first_parent {
                info.parent_ids.iter().take(1).copied().collect()
            } else {
                info.parent_ids.iter().copied().collect()
            };
            commits.push((info.id, info.commit_time.unwrap_or_default(), parents));
        }
        Ok(oldest_first(commits))
    }

    fn walk_error(&self, err: gix::Error, context: String) -> GitError {
        if self.is_shallow() && err.is_not_found() {
            GitError::HistoryTruncated {
                commit: short_id(&self.shallow[0]),
            }
        } else {
            other(context, err)
        }
    }

    /// Whether the commit object records parents (a shallow boundary commit does, though they are missing).
    fn has_parents(&self, commit: ObjectId) -> Result<bool, GitError> {
        let mut scratch = self.scratch.borrow_mut();
        let has_parents = self
            .commit_iter(commit, &mut scratch.commit)?
            .parent_ids()
            .next()
            .is_some();
        Ok(has_parents)
    }

    pub fn commit_info(&self, id: ObjectId) -> Result<CommitInfo, GitError> {
        let mut scratch = self.scratch.borrow_mut();
        let context = || format!("reading commit {}", short_id(&id));
        let commit = self
            .repo
            .objects
            .find_commit(&id, &mut scratch.commit)
            .map_err(|err| self.object_error(id, err, context))?;
        let author = commit.author().map_err(|err| other(context(), err))?;
        let message = gix::objs::commit::MessageRef::from_bytes(commit.message);
        let trailers = message
            .body()
            .map(|body| {
                body.trailers()
                    .map(|t| {
                        (
                            t.token.to_str_lossy().into_owned(),
                            t.value.to_str_lossy().into_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok(CommitInfo {
            id,
            short_id: short_id(&id),
            parents: commit.parents().collect(),
            author_name: author.name.to_str_lossy().into_owned(),
            author_email: author.email.to_str_lossy().into_owned(),
            author_time: author.seconds(),
            subject: message.summary().to_str_lossy().into_owned(),
            trailers,
        })
    }

    /// Paths changed by `commit` relative to its first parent (the empty tree for a root commit), sorted by path.
    /// No rename tracking: a rename is a deletion and an addition. A boundary commit of a shallow clone gives
    /// `HistoryTruncated` (its parent is missing; treating it as a root would report every file as added).
    /// Over many commits, call it newest first (or use `changes_of_many`): oldest first is about 3x slower.
    pub fn changes(&self, commit: ObjectId) -> Result<Vec<PathChange>, GitError> {
        let context = || format!("listing the changes of commit {}", short_id(&commit));
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

    /// Contiguous chunks: neighbouring commits share trees and delta bases, so each thread's cache stays warm.
    fn changes_in_chunks(
        &self,
        commits: &[ObjectId],
        chunk: usize,
    ) -> Result<Vec<Vec<PathChange>>, GitError> {
        fn newest_first(repo: &Repo, ids: &[ObjectId]) -> Result<Vec<Vec<PathChange>>, GitError> {
            let mut changes = ids
                .iter()
                .rev()
                .map(|id| repo.changes(*id))
                .collect::<Result<Vec<_>, _>>()?;
            changes.reverse();
            Ok(changes)
        }
        if commits.len() <= chunk {
            return newest_first(self, commits);
        }
        std::thread::scope(|scope| {
            let workers: Vec<_> = commits
                .chunks(chunk)
                .map(|ids| {
                    let repo = self.clone();
                    scope.spawn(move || newest_first(&repo, ids))
                })
                .collect();
            let mut all = Vec::with_capacity(commits.len());
            for worker in workers {
                match worker.join() {
                    Ok(part) => all.extend(part?),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            Ok(all)
        })
    }

    fn commit_iter<'b>(
        &self,
        id: ObjectId,
        buf: &'b mut Vec<u8>,
    ) -> Result<gix::objs::CommitRefIter<'b>, GitError> {
        self.repo.objects.find_commit_iter(&id, buf).map_err(|err| {
            self.object_error(id, err, || format!("reading commit {}", short_id(&id)))
        })
    }

    fn tree_iter<'b>(
        &self,
        id: ObjectId,
        buf: &'b mut Vec<u8>,
    ) -> Result<TreeRefIter<'b>, GitError> {
        if id == ObjectId::empty_tree(id.kind()) {
            return Ok(TreeRefIter::from_bytes(&[], id.kind()));
        }
        self.repo
            .objects
            .find_tree_iter(&id, buf)
            .map_err(|err| self.object_error(id, err, || format!("reading tree {}", short_id(&id))))
    }

    /// The entry at `path` (`/`-separated, relative to `tree`), if any.
    fn entry_at(
        &self,
        tree: ObjectId,
        path: &str,
    ) -> Result<Option<(EntryMode, ObjectId)>, GitError> {
        let mut buf = Vec::new();
        let mut current = (EntryMode::from(EntryKind::Tree), tree);
        for component in path.split('/').filter(|c| !c.is_empty() && *c != ".") {
            if !current.0.is_tree() {
                return Ok(None);
            }
            let iter = self.tree_iter(current.1, &mut buf)?;
            let mut found = None;
            for entry in iter {
                let entry = entry
                    .map_err(|err| other(format!("reading tree {}", short_id(&current.1)), err))?;
                if entry.filename == component.as_bytes() {
                    found = Some((entry.mode, entry.oid.to_owned()));
                    break;
                }
            }
            match found {
                Some(next) => current = next,
                None => return Ok(None),
            }
        }
        Ok(Some(current))
    }

    /// Call `visit(path, id, kind)` for every non-directory entry below `tree`, paths prefixed by `prefix`.
    fn walk_tree(
        &self,
        tree: ObjectId,
        prefix: &BStr,
        mut visit: impl FnMut(&BStr, ObjectId, FileKind),
    ) -> Result<(), GitError> {
        let mut buf = Vec::new();
        let mut pending: Vec<(BString, ObjectId)> = vec![(prefix.to_owned(), tree)];
        let mut path = BString::default();
        while let Some((dir, id)) = pending.pop() {
            let iter = self.tree_iter(id, &mut buf)?;
            for entry in iter {
                let entry =
                    entry.map_err(|err| other(format!("reading tree {}", short_id(&id)), err))?;
                path.clear();
                if !dir.is_empty() {
                    path.push_str(&dir);
                    path.push(b'/');
                }
                path.push_str(entry.filename);
                match FileKind::of(entry.mode) {
                    None => pending.push((path.clone(), entry.oid.to_owned())),
                    Some(kind) => visit(path.as_bstr(), entry.oid.to_owned(), kind),
                }
            }
        }
        Ok(())
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

/// Topological order, parents before children; among commits ready at the same time, the older first.
fn oldest_first(commits: Vec<(ObjectId, i64, Vec<ObjectId>)>) -> Vec<ObjectId> {
    let position: HashMap<ObjectId, usize> =
        commits.iter().enumerate().map(|(i, c)| (c.0, i)).collect();
    let mut waiting_on = vec![0usize; commits.len()];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); commits.len()];
    for (i, (_, _, parents)) in commits.iter().enumerate() {
        for parent in parents {
            if let Some(&p) = position.get(parent) {
                waiting_on[i] += 1;
                children[p].push(i);
            }
        }
    }
    let key = |i: usize| std::cmp::Reverse((commits[i].1, commits[i].0));
    let mut ready: BinaryHeap<(std::cmp::Reverse<(i64, ObjectId)>, usize)> = (0..commits.len())
        .filter(|&i| waiting_on[i] == 0)
        .map(|i| (key(i), i))
        .collect();
    let mut order = Vec::with_capacity(commits.len());
    while let Some((_, i)) = ready.pop() {
        order.push(commits[i].0);
        for &child in &children[i] {
            waiting_on[child] -= 1;
            if waiting_on[child] == 0 {
                ready.push((key(child), child));
            }
        }
    }
    order
}

/// Made with `clone --filter`: a promisor remote (or the older `extensions.partialClone`) is configured.
fn is_partial_clone(repo: &gix::Repository) -> bool {
    let config = repo.config_snapshot();
    let promisor_remote =
        config
            .plumbing()
            .sections_by_name("remote")
            .is_some_and(|mut remotes| {
                remotes.any(|remote| {
                    remote.value("promisor").is_some_and(|v| {
                        matches!(
                            v.to_ascii_lowercase().as_slice(),
                            b"" | b"true" | b"yes" | b"on" | b"1"
                        )
                    })
                })
            });
    promisor_remote || config.string("extensions.partialClone").is_some()
}

fn open_options() -> gix::sec::trust::Mapping<gix::open::Options> {
    let mut mapping = gix::sec::trust::Mapping::<gix::open::Options>::default();
    mapping.full = mapping.full.config_overrides(CONFIG_OVERRIDES);
    mapping.reduced = mapping.reduced.config_overrides(CONFIG_OVERRIDES);
    mapping
}

fn open_error(dir: &Path, err: gix::Error) -> GitError {
    use gix::discover::upwards::Error as Upwards;
    let not_found = matches!(
        err.downcast_any_ref::<Upwards>(),
        Some(
            Upwards::NoGitRepository { .. }
                | Upwards::NoGitRepositoryWithinCeiling { .. }
                | Upwards::NoGitRepositoryWithinFs { .. }
        )
    ) || err.is_not_found();
    if not_found {
        // With GIT_DIR set, that directory is the one that is not a repository.
        let path = std::env::var_os("GIT_DIR").map_or_else(|| dir.to_owned(), PathBuf::from);
        GitError::NotARepository { path }
    } else {
        other(
            format!("opening the git repository at {}", dir.display()),
            err,
        )
    }
}

fn other(context: impl Into<String>, err: gix::Error) -> GitError {
    // The outermost message names the failed step, the innermost the reason; the layers between repeat them.
    let outer = err.to_string();
    let cause = err.probable_cause().to_string();
    GitError::Other {
        context: context.into(),
        message: if outer == cause {
            cause
        } else {
            format!("{outer}: {cause}")
        },
    }
}

fn short_id(id: &ObjectId) -> String {
    id.to_hex_with_len(7).to_string()
}

/// The name a revspec starts from: `main` in `main~3`, `HEAD` in `HEAD^2`, `v1` in `v1^{commit}`.
fn rev_base(rev: &str) -> &str {
    let end = rev.find(['~', '^', ':']).unwrap_or(rev.len());
    let base = &rev[..end];
    match base.find("@{") {
        Some(at) => &base[..at],
        None => base,
    }
}

fn looks_like_object_id(rev: &str) -> bool {
    (4..=64).contains(&rev.len()) && rev.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    /// A scenario repository built commit by commit with the git binary, with fixed dates and identities.
    struct Scenario {
        _tmp: tempfile::TempDir,
        root: PathBuf,
        clock: std::cell::Cell<i64>,
    }

    impl Scenario {
        fn new() -> Scenario {
            let tmp = tempfile::tempdir().unwrap();
            let root = tmp.path().join("repo");
            std::fs::create_dir(&root).unwrap();
            let scenario = Scenario {
                _tmp: tmp,
                root,
                clock: std::cell::Cell::new(1_700_000_000),
            };
            scenario.git(&["init", "-q"]);
            scenario
        }

        /// A sibling directory of the repository inside the same temp dir.
        fn sibling(&self, name: &str) -> PathBuf {
            self.root.parent().unwrap().join(name)
        }

        fn git(&self, args: &[&str]) -> String {
            self.git_in(&self.root, args)
        }

        fn git_in(&self, dir: &Path, args: &[&str]) -> String {
            let date = format!("@{} +0000", self.clock.get());
            let out = Command::new("git")
                .args([
                    "-c",
                    "init.defaultBranch=main",
                    "-c",
                    "protocol.file.allow=always",
                ])
                .args(args)
                .current_dir(dir)
                .env_remove("GIT_DIR")
                .env_remove("GIT_WORK_TREE")
                .env_remove("GIT_INDEX_FILE")
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_AUTHOR_NAME", "Ana")
                .env("GIT_AUTHOR_EMAIL", "ana@x.example")
                .env("GIT_COMMITTER_NAME", "Ana")
                .env("GIT_COMMITTER_EMAIL", "ana@x.example")
                .env("GIT_AUTHOR_DATE", &date)
                .env("GIT_COMMITTER_DATE", &date)
                .output()
                .expect("git runs");
            assert!(
                out.status.success(),
                "git {args:?} failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8(out.stdout).unwrap().trim().to_owned()
        }

        fn write(&self, path: &str, text: &str) {
            self.write_in(&self.root, path, text);
        }

        fn write_in(&self, dir: &Path, path: &str, text: &str) {
            let path = dir.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }

        /// Stage everything and commit, one hour after the previous commit; returns the new commit id.
        fn commit(&self, message: &str) -> ObjectId {
            self.git(&["add", "-A"]);
            self.commit_staged(message)
        }

        fn commit_staged(&self, message: &str) -> ObjectId {
            self.clock.set(self.clock.get() + 3600);
            self.git(&["commit", "-q", "--allow-empty", "-m", message]);
            self.id("HEAD")
        }

        fn id(&self, rev: &str) -> ObjectId {
            ObjectId::from_hex(self.git(&["rev-parse", rev]).as_bytes()).unwrap()
        }

        fn open(&self) -> Repo {
            Repo::discover(&self.root).unwrap()
        }
    }

    fn same_dir(a: &Path, b: &Path) -> bool {
        a.canonicalize().unwrap() == b.canonicalize().unwrap()
    }

    fn paths<T>(items: &[T], path: impl Fn(&T) -> &BString) -> Vec<String> {
        items
            .iter()
            .map(|i| path(i).to_str_lossy().into_owned())
            .collect()
    }

    #[test]
    fn discovers_the_repository_from_a_subdirectory() {
        let s = Scenario::new();
        s.write("model/teams/core.toml", "id = 'core'\n");
        s.commit("first");
        let repo = Repo::discover(&s.root.join("model/teams")).unwrap();
        assert!(same_dir(repo.workdir().unwrap(), &s.root));
        assert!(same_dir(repo.git_dir(), &s.root.join(".git")));
        assert!(!repo.is_shallow());
    }

    #[test]
    fn outside_any_repository_is_an_error_that_says_what_to_do() {
        let tmp = tempfile::tempdir().unwrap();
        let err = Repo::discover(tmp.path())
            .err()
            .expect("no repository here");
        assert!(matches!(err, GitError::NotARepository { .. }), "{err:?}");
        let shown = err.to_string();
        assert!(
            shown.starts_with("not a git repository (or any parent up to /): "),
            "{shown}"
        );
        assert!(
            shown.ends_with("; run inside a clone, or pass -C DIR"),
            "{shown}"
        );
    }

    #[test]
    fn opens_an_explicit_git_dir() {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        let first = s.commit("first");
        let repo = Repo::open_git_dir(&s.root.join(".git")).unwrap();
        assert_eq!(repo.head_commit().unwrap(), Some(first));
        assert!(same_dir(repo.workdir().unwrap(), &s.root));
    }

    /// `GIT_DIR` is process-wide, and tests run in parallel: the check runs in a child test process.
    #[test]
    fn git_dir_from_the_environment_is_honoured() {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        s.commit("first");
        let elsewhere = s.sibling("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let this_module = module_path!()
            .split_once("::")
            .map_or(module_path!(), |(_, rest)| rest);
        let out = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                &format!("{this_module}::git_dir_env_child"),
                "--nocapture",
            ])
            .current_dir(&elsewhere)
            .env("GIT_DIR", s.root.join(".git"))
            .env("OPMODEL_TEST_EXPECTED_GIT_DIR", s.root.join(".git"))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout.contains("1 passed"),
            "the child test did not run: {stdout}"
        );
    }

    #[test]
    fn git_dir_env_child() {
        let Some(expected) = std::env::var_os("OPMODEL_TEST_EXPECTED_GIT_DIR") else {
            return; // Only meaningful when started by `git_dir_from_the_environment_is_honoured`.
        };
        let repo = Repo::discover(&std::env::current_dir().unwrap()).unwrap();
        assert!(same_dir(repo.git_dir(), Path::new(&expected)));
        assert!(repo.head_commit().unwrap().is_some());
    }

    #[test]
    fn opens_a_bare_clone() {
        let s = Scenario::new();
        s.write("model/a.toml", "a = 1\n");
        let first = s.commit("first");
        let bare = s.sibling("bare.git");
        s.git(&[
            "clone",
            "-q",
            "--bare",
            s.root.to_str().unwrap(),
            bare.to_str().unwrap(),
        ]);
        let repo = Repo::discover(&bare).unwrap();
        assert_eq!(repo.workdir(), None);
        assert!(same_dir(repo.git_dir(), &bare));
        assert_eq!(repo.resolve_commit("main").unwrap(), first);
        assert_eq!(repo.tracked_files().unwrap(), Vec::<BString>::new());
        assert_eq!(
            repo.read_file(first, "model/a.toml").unwrap().unwrap(),
            b"a = 1\n"
        );
    }

    #[test]
    fn opens_a_linked_worktree() {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        s.commit("first");
        let wt = s.sibling("wt");
        s.git(&[
            "worktree",
            "add",
            "-q",
            "-b",
            "feature",
            wt.to_str().unwrap(),
        ]);
        s.write_in(&wt, "b.toml", "b = 1\n");
        s.git_in(&wt, &["add", "-A"]);
        s.clock.set(s.clock.get() + 3600);
        s.git_in(&wt, &["commit", "-q", "-m", "on feature"]);
        let feature = s.id("feature");

        let repo = Repo::discover(&wt).unwrap();
        assert!(same_dir(repo.workdir().unwrap(), &wt));
        assert!(same_dir(repo.git_dir(), &s.root.join(".git/worktrees/wt")));
        assert_eq!(repo.head_commit().unwrap(), Some(feature));
        assert_eq!(
            repo.tracked_files().unwrap(),
            vec![BString::from("a.toml"), BString::from("b.toml")]
        );
        assert_eq!(repo.resolve_commit("main").unwrap(), s.id("main"));
    }

    #[test]
    fn resolves_ancestors_branches_tags_and_short_ids() {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        let first = s.commit("first");
        s.git(&["tag", "-a", "-m", "release 1", "v1.0"]);
        s.git(&["tag", "light"]);
        s.git(&["branch", "feature"]);
        s.write("a.toml", "a = 2\n");
        let second = s.commit("second");
        let repo = s.open();
        assert_eq!(repo.head_commit().unwrap(), Some(second));
        assert_eq!(repo.resolve_commit("HEAD").unwrap(), second);
        assert_eq!(repo.resolve_commit("HEAD~1").unwrap(), first);
        assert_eq!(repo.resolve_commit("main^").unwrap(), first);
        assert_eq!(repo.resolve_commit("feature").unwrap(), first);
        assert_eq!(
            repo.resolve_commit("v1.0").unwrap(),
            first,
            "annotated tags are peeled"
        );
        assert_eq!(repo.resolve_commit("light").unwrap(), first);
        assert_eq!(
            repo.resolve_commit(&second.to_hex_with_len(7).to_string())
                .unwrap(),
            second
        );
        assert_eq!(repo.resolve_commit(&second.to_string()).unwrap(), second);
    }

    #[test]
    fn an_unknown_revision_suggests_close_branch_and_tag_names() {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        s.commit("first");
        s.git(&["tag", "v1.0"]);
        s.git(&["branch", "release/2024"]);
        let repo = s.open();

        let err = repo.resolve_commit("mian").unwrap_err();
        match &err {
            GitError::UnknownRevision { rev, suggestions } => {
                assert_eq!(rev, "mian");
                assert_eq!(suggestions, &["main"]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            err.to_string(),
            "unknown revision `mian`; did you mean `main`?"
        );

        let err = repo.resolve_commit("2024").unwrap_err();
        assert!(
            matches!(&err, GitError::UnknownRevision { suggestions, .. } if suggestions == &["release/2024"]),
            "{err:?}"
        );
        let err = repo.resolve_commit("v1.1~2").unwrap_err();
        assert!(
            matches!(&err, GitError::UnknownRevision { suggestions, .. } if suggestions == &["v1.0"]),
            "{err:?}"
        );

        let err = repo.resolve_commit("zzzzzzzzzz").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown revision `zzzzzzzzzz`; name a branch, a tag or a commit id (see `git branch -a` and `git tag`)"
        );
        let err = repo.resolve_commit("HEAD~5").unwrap_err();
        assert!(matches!(err, GitError::Other { .. }), "{err:?}");
        assert!(
            err.to_string().starts_with("resolving revision `HEAD~5`: "),
            "{err}"
        );
        let err = repo.resolve_commit("main..v1.0").unwrap_err();
        assert!(err.to_string().contains("range of commits"), "{err}");
        let err = repo.resolve_commit("HEAD:a.toml").unwrap_err();
        assert!(err.to_string().contains("not a commit"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn an_ambiguous_short_id_asks_for_more_characters() {
        let s = Scenario::new();
        let blobs = s.sibling("blobs");
        std::fs::create_dir(&blobs).unwrap();
        let mut list = String::new();
        for n in 0..1000 {
            let path = blobs.join(n.to_string());
            std::fs::write(&path, format!("blob {n}\n")).unwrap();
            list.push_str(&format!("{}\n", path.display()));
        }
        std::fs::write(s.sibling("list"), list).unwrap();
        let out = Command::new("sh")
            .arg("-c")
            .arg(
                "git hash-object -w --stdin-paths < ../list | cut -c1-4 | sort | uniq -d | head -1",
            )
            .current_dir(&s.root)
            .output()
            .unwrap();
        let prefix = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        assert_eq!(prefix.len(), 4, "1000 blobs share a 4-digit prefix");
        let err = s.open().resolve_commit(&prefix).unwrap_err();
        assert!(matches!(err, GitError::Other { .. }), "{err:?}");
        assert!(
            err.to_string()
                .contains("give more characters of the commit id"),
            "{err}"
        );
    }

    #[test]
    fn a_partial_clone_says_objects_are_missing() {
        let s = Scenario::new();
        s.git(&["config", "uploadpack.allowFilter", "true"]);
        s.write("a.toml", "a = 1\n");
        let first = s.commit("first");
        s.write("a.toml", "a = 2\n");
        let second = s.commit("second");
        let partial = s.sibling("partial");
        let url = format!("file://{}", s.root.display());
        s.git(&[
            "clone",
            "-q",
            "--filter=blob:none",
            &url,
            partial.to_str().unwrap(),
        ]);
        let repo = Repo::discover(&partial).unwrap();
        assert_eq!(
            repo.read_file(second, "a.toml").unwrap().unwrap(),
            b"a = 2\n"
        );
        assert_eq!(
            repo.changes(second).unwrap().len(),
            1,
            "trees are all there"
        );
        let err = repo.read_file(first, "a.toml").unwrap_err();
        assert!(err.to_string().contains("partial clone"), "{err}");
        assert!(
            err.to_string().contains("clone without `--filter`"),
            "{err}"
        );
    }

    #[test]
    fn an_unborn_branch_has_no_head_commit() {
        let s = Scenario::new();
        let repo = s.open();
        assert_eq!(repo.head_commit().unwrap(), None);
        let err = repo.resolve_commit("HEAD").unwrap_err();
        assert_eq!(
            err.to_string(),
            "resolving revision `HEAD`: the current branch has no commits yet"
        );
        assert_eq!(repo.default_branch().unwrap(), None);
    }

    #[test]
    fn a_shallow_clone_asks_for_more_history() {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        let first = s.commit("first");
        s.write("a.toml", "a = 2\n");
        let second = s.commit("second");
        s.write("a.toml", "a = 3\n");
        let third = s.commit("third");
        let shallow = s.sibling("shallow");
        let url = format!("file://{}", s.root.display());
        s.git(&[
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            shallow.to_str().unwrap(),
        ]);

        let repo = Repo::discover(&shallow).unwrap();
        assert!(repo.is_shallow());
        assert_eq!(repo.head_commit().unwrap(), Some(third));

        let err = repo.resolve_commit("HEAD~1").unwrap_err();
        assert!(
            matches!(&err, GitError::MissingInShallowClone { rev } if rev == "HEAD~1"),
            "{err:?}"
        );
        let shown = err.to_string();
        assert!(shown.contains("git fetch --unshallow"), "{shown}");
        assert!(shown.contains("git fetch --deepen N"), "{shown}");
        assert!(shown.contains("fetch-depth: 0"), "{shown}");
        let err = repo.resolve_commit(&first.to_string()).unwrap_err();
        assert!(
            matches!(err, GitError::MissingInShallowClone { .. }),
            "{err:?}"
        );
        let err = repo
            .resolve_commit(&first.to_hex_with_len(8).to_string())
            .unwrap_err();
        assert!(
            matches!(err, GitError::MissingInShallowClone { .. }),
            "{err:?}"
        );

        let err = repo.range(first, third, false).unwrap_err();
        assert!(
            matches!(&err, GitError::MissingInShallowClone { rev } if *rev == short_id(&first)),
            "{err:?}"
        );
        let err = repo.changes(third).unwrap_err();
        assert!(
            matches!(&err, GitError::HistoryTruncated { commit } if *commit == short_id(&third)),
            "{err:?}"
        );
        assert!(repo.commit_info(third).is_ok());
        assert_eq!(
            repo.read_file(third, "a.toml").unwrap().unwrap(),
            b"a = 3\n"
        );

        // Deep enough: the range stops at the base before the boundary.
        let deeper = s.sibling("deeper");
        s.git(&[
            "clone",
            "-q",
            "--depth",
            "2",
            &url,
            deeper.to_str().unwrap(),
        ]);
        let repo = Repo::discover(&deeper).unwrap();
        assert_eq!(repo.resolve_commit("HEAD~1").unwrap(), second);
        assert_eq!(repo.range(second, third, false).unwrap(), vec![third]);
        assert_eq!(repo.changes(third).unwrap().len(), 1);
        let err = repo.changes(second).unwrap_err();
        assert!(matches!(err, GitError::HistoryTruncated { .. }), "{err:?}");
        let err = repo.range(first, third, false).unwrap_err();
        assert!(
            matches!(
                err,
                GitError::HistoryTruncated { .. } | GitError::MissingInShallowClone { .. }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn a_range_whose_base_is_beyond_the_shallow_boundary_is_truncated() {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        let a = s.commit("A");
        s.git(&["branch", "old"]);
        for n in 2..5 {
            s.write("a.toml", &format!("a = {n}\n"));
            s.commit("next");
        }
        let d = s.id("HEAD");
        let shallow = s.sibling("shallow");
        let url = format!("file://{}", s.root.display());
        s.git(&[
            "clone",
            "-q",
            "--depth",
            "2",
            "--no-single-branch",
            &url,
            shallow.to_str().unwrap(),
        ]);
        let repo = Repo::discover(&shallow).unwrap();
        assert_eq!(repo.resolve_commit("origin/old").unwrap(), a);
        let boundary = s.id("HEAD~1");
        for first_parent in [false, true] {
            let err = repo.range(a, d, first_parent).unwrap_err();
            assert!(
                matches!(&err, GitError::HistoryTruncated { commit } if *commit == short_id(&boundary)),
                "{err:?}"
            );
        }
        assert_eq!(repo.range(boundary, d, false).unwrap(), vec![d]);
        let err = repo.merge_base(a, d).unwrap_err();
        assert!(matches!(err, GitError::HistoryTruncated { .. }), "{err:?}");
        assert_eq!(repo.resolve_commit("HEAD~1").unwrap(), boundary);
        let err = repo.resolve_commit("main~2").unwrap_err();
        assert!(
            matches!(&err, GitError::MissingInShallowClone { rev } if rev == "main~2"),
            "{err:?}"
        );
    }

    #[test]
    fn merge_base_of_diverged_branches() {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        let fork = s.commit("fork point");
        s.git(&["checkout", "-q", "-b", "feature"]);
        s.write("b.toml", "b = 1\n");
        let feature = s.commit("feature");
        s.git(&["checkout", "-q", "main"]);
        s.write("c.toml", "c = 1\n");
        let main = s.commit("main");
        let repo = s.open();
        assert_eq!(repo.merge_base(main, feature).unwrap(), Some(fork));
        assert_eq!(repo.merge_base(fork, main).unwrap(), Some(fork));

        s.git(&["checkout", "-q", "--orphan", "unrelated"]);
        s.write("d.toml", "d = 1\n");
        let unrelated = s.commit("unrelated");
        let repo = s.open();
        assert_eq!(repo.merge_base(main, unrelated).unwrap(), None);
    }

    #[test]
    fn default_branch_prefers_the_remote_head() {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        let first = s.commit("first");
        let repo = s.open();
        assert_eq!(
            repo.default_branch().unwrap(),
            Some(("main".to_owned(), first))
        );

        let clone = s.sibling("clone");
        s.git(&[
            "clone",
            "-q",
            s.root.to_str().unwrap(),
            clone.to_str().unwrap(),
        ]);
        s.git_in(&clone, &["checkout", "-q", "-b", "topic"]);
        s.git_in(&clone, &["branch", "-q", "-D", "main"]);
        let repo = Repo::discover(&clone).unwrap();
        assert_eq!(
            repo.default_branch().unwrap(),
            Some(("origin/main".to_owned(), first))
        );

        let master = Scenario::new();
        master.git(&["checkout", "-q", "-b", "master"]);
        master.write("a.toml", "a = 1\n");
        let commit = master.commit("first");
        assert_eq!(
            master.open().default_branch().unwrap(),
            Some(("master".to_owned(), commit))
        );
    }

    #[test]
    fn tracked_files_come_from_the_index() {
        let s = Scenario::new();
        s.write(".gitignore", "ignored.toml\n");
        s.write("model/a.toml", "a = 1\n");
        s.write("model/deep/b.toml", "b = 1\n");
        s.commit("first");
        s.write("staged.toml", "s = 1\n");
        s.git(&["add", "staged.toml"]);
        s.write("untracked.toml", "u = 1\n");
        s.write("ignored.toml", "i = 1\n");
        let repo = s.open();
        assert_eq!(
            repo.tracked_files().unwrap(),
            vec![
                BString::from(".gitignore"),
                BString::from("model/a.toml"),
                BString::from("model/deep/b.toml"),
                BString::from("staged.toml"),
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn trees_and_files_at_a_commit() {
        let s = Scenario::new();
        s.write("opmodel.toml", "root = 'model'\n");
        s.write("model/teams/core.toml", "id = 'core'\n");
        s.write("model/teams/ops.toml", "id = 'ops'\n");
        s.write("model/a.b.toml", "x = 1\n");
        s.write("modelx/other.toml", "y = 1\n");
        std::os::unix::fs::symlink("teams/core.toml", s.root.join("model/link.toml")).unwrap();
        let first = s.commit("first");
        let repo = s.open();

        let files = repo.tree_files(first).unwrap();
        assert_eq!(
            paths(&files, |f| &f.path),
            [
                "model/a.b.toml",
                "model/link.toml",
                "model/teams/core.toml",
                "model/teams/ops.toml",
                "modelx/other.toml",
                "opmodel.toml"
            ]
        );
        assert_eq!(files[1].kind, FileKind::Symlink);
        assert_eq!(files[0].kind, FileKind::Regular);

        assert_eq!(
            repo.read_file(first, "opmodel.toml").unwrap().unwrap(),
            b"root = 'model'\n"
        );
        assert_eq!(
            repo.read_file(first, "model/teams/core.toml")
                .unwrap()
                .unwrap(),
            b"id = 'core'\n"
        );
        assert_eq!(repo.read_file(first, "missing.toml").unwrap(), None);
        assert_eq!(repo.read_file(first, "model").unwrap(), None);
        assert_eq!(repo.read_file(first, "opmodel.toml/x").unwrap(), None);
        let err = repo.read_file(first, "model/link.toml").unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");

        let model = repo.read_dir_files(first, "model").unwrap();
        assert_eq!(
            paths(&model, |f| &f.path),
            [
                "model/a.b.toml",
                "model/link.toml",
                "model/teams/core.toml",
                "model/teams/ops.toml"
            ]
        );
        assert!(model[1].is_symlink);
        assert_eq!(model[1].bytes, b"teams/core.toml");
        assert_eq!(model[2].bytes, b"id = 'core'\n");
        assert_eq!(model[2].id, repo.tree_files(first).unwrap()[2].id);
        assert_eq!(repo.read_dir_files(first, "model/").unwrap(), model);
        assert_eq!(repo.read_dir_files(first, "").unwrap().len(), 6);
        assert_eq!(repo.read_dir_files(first, "nothing").unwrap(), vec![]);
        assert_eq!(repo.read_dir_files(first, "opmodel.toml").unwrap(), vec![]);

        assert_eq!(
            repo.subtree_id(first, "").unwrap(),
            Some(repo.tree_id(first).unwrap())
        );
        let teams = repo.subtree_id(first, "model/teams").unwrap().unwrap();
        assert_eq!(teams, s.id("HEAD:model/teams"));
        assert_eq!(
            repo.subtree_id(first, "model/teams/core.toml").unwrap(),
            None
        );
        assert_eq!(repo.subtree_id(first, "absent").unwrap(), None);
        assert_eq!(repo.read_blob(model[3].id).unwrap(), b"id = 'ops'\n");

        s.write("opmodel.toml", "root = 'model' # changed\n");
        let second = s.commit("outside the model");
        assert_eq!(
            repo.subtree_id(second, "model").unwrap(),
            repo.subtree_id(first, "model").unwrap()
        );
    }

    #[test]
    fn range_lists_oldest_first_through_a_merge() {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        let a = s.commit("A");
        s.write("b.toml", "b = 1\n");
        let b = s.commit("B");
        s.git(&["checkout", "-q", "-b", "feature", "HEAD~1"]);
        s.write("c.toml", "c = 1\n");
        let c = s.commit("C");
        s.git(&["checkout", "-q", "main"]);
        s.write("d.toml", "d = 1\n");
        let d = s.commit("D");
        s.clock.set(s.clock.get() + 3600);
        s.git(&["merge", "-q", "--no-ff", "-m", "M", "feature"]);
        let m = s.id("HEAD");
        let repo = s.open();

        assert_eq!(repo.range(a, m, false).unwrap(), vec![b, c, d, m]);
        assert_eq!(repo.range(a, m, true).unwrap(), vec![b, d, m]);
        assert_eq!(repo.range(b, m, false).unwrap(), vec![c, d, m]);
        assert_eq!(repo.range(c, m, true).unwrap(), vec![b, d, m]);
        assert!(repo.range(m, m, false).unwrap().is_empty());
        assert!(repo.range(m, a, false).unwrap().is_empty());
        assert_eq!(repo.commit_info(m).unwrap().parents, vec![d, c]);
    }

    #[test]
    fn range_orders_parents_before_children_despite_clock_skew() {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        let a = s.commit("A");
        s.write("a.toml", "a = 2\n");
        let b = s.commit("B");
        s.clock.set(s.clock.get() - 10 * 3600);
        s.write("a.toml", "a = 3\n");
        let c = s.commit("C, dated before its parent");
        let repo = s.open();
        assert_eq!(repo.range(a, c, false).unwrap(), vec![b, c]);
    }

    #[test]
    fn commit_info_reads_author_subject_and_trailers() {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        let first = s.commit("Add the core team\nwrapped subject\n\nBecause we need one.\n\nApproved-by: Ana <ana@x.example>\nRefs: #12\n");
        let info = s.open().commit_info(first).unwrap();
        assert_eq!(info.id, first);
        assert_eq!(info.short_id, first.to_string()[..7]);
        assert!(info.parents.is_empty());
        assert_eq!(info.author_name, "Ana");
        assert_eq!(info.author_email, "ana@x.example");
        assert_eq!(info.author_time, 1_700_003_600);
        assert_eq!(info.subject, "Add the core team wrapped subject");
        assert_eq!(
            info.trailers,
            vec![
                ("Approved-by".to_owned(), "Ana <ana@x.example>".to_owned()),
                ("Refs".to_owned(), "#12".to_owned())
            ]
        );
        let second = s.commit("No body");
        let info = s.open().commit_info(second).unwrap();
        assert_eq!(info.trailers, vec![]);
        assert_eq!(info.parents, vec![first]);
    }

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
    fn a_repo_handle_can_be_cloned_into_threads() {
        fn assert_send<T: Send>() {}
        assert_send::<Repo>();
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        let first = s.commit("first");
        let repo = s.open();
        let copy = repo.clone();
        let found = std::thread::spawn(move || copy.read_file(first, "a.toml").unwrap())
            .join()
            .unwrap();
        assert_eq!(found.unwrap(), b"a = 1\n");
    }

    #[test]
    fn edit_distance_counts_a_transposition_once() {
        assert_eq!(edit_distance("mian", "main"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(rev_base("origin/main~3"), "origin/main");
        assert_eq!(rev_base("HEAD@{1}"), "HEAD");
    }
}

//! All git access, read with `gix`: opening a repository (here), naming commits (`revparse`), reading trees and
//! blobs (`tree`), walking history (`walk`) and listing each commit's changes (`changes`).
//!
//! The product never runs the `git` binary. Errors say what went wrong and what to do, in the user's words.

mod changes;
mod packs;
mod revparse;
#[cfg(test)]
pub(crate) mod scenario;
mod tree;
mod walk;

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use gix::objs::{FindExt, TreeRefIter};

pub use changes::{ChangeKind, Changes, ChangesOf, PathChange, TreePair};
pub use walk::CommitInfo;

pub type ObjectId = gix::ObjectId;

/// Applied on every open: git's implicit pack delta-base cache, which gix does not apply by itself.
const CONFIG_OVERRIDES: [&str; 1] = ["core.deltaBaseCacheLimit=24m"];

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
                crate::names::shown_file(path)
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
    /// The object directory's packs, opened on first use and shared by the clones of this handle.
    packs: Arc<OnceLock<Option<Arc<packs::Packs>>>>,
    /// This handle's reader of those packs (`packs.rs`): its delta-base cache is its own.
    reader: RefCell<Option<packs::Reader>>,
}

/// Buffers reused across calls, so a walk over thousands of commits does not allocate per commit.
#[derive(Default)]
struct Scratch {
    /// The tree walk's state for `changes` (a commit's diff, a merge's own changes).
    walk: changes::TreeWalk,
    commit: Vec<u8>,
}

impl Clone for Repo {
    fn clone(&self) -> Self {
        Repo {
            packs: self.packs.clone(),
            ..Repo::from_gix(self.repo.clone(), self.shallow.clone())
        }
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
            packs: Default::default(),
            reader: RefCell::new(None),
        }
    }

    /// `id` read from the packs with a delta-base cache, as git reads a history (`packs.rs`); `None`: read it
    /// through gix, which finds it wherever it is or says why not.
    /// With `keep`, what it resolves stays in this handle's cache for the next reads (a history walk's trees).
    fn read_packed(&self, id: &gix::oid, out: &mut Vec<u8>, keep: bool) -> Option<gix::objs::Kind> {
        let mut reader = self.reader.borrow_mut();
        if reader.is_none() {
            let packs = self
                .packs
                .get_or_init(|| packs::Packs::open(self.repo.objects.store_ref()));
            *reader = Some(packs::Reader::new(packs.clone()?));
        }
        reader.as_mut()?.read(id, out, keep)
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

    pub(super) fn is_shallow_boundary(&self, id: &ObjectId) -> bool {
        self.shallow.binary_search(id).is_ok()
    }

    /// An object that should be there could not be read: say why, and what to do when it is missing.
    pub(super) fn object_error(
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

    pub(super) fn commit_iter<'b>(
        &self,
        id: ObjectId,
        buf: &'b mut Vec<u8>,
    ) -> Result<gix::objs::CommitRefIter<'b>, GitError> {
        if self.read_packed(&id, buf, false) == Some(gix::objs::Kind::Commit) {
            return Ok(gix::objs::CommitRefIter::from_bytes(buf, id.kind()));
        }
        self.repo.objects.find_commit_iter(&id, buf).map_err(|err| {
            self.object_error(id, err, || format!("reading commit {}", short_id(&id)))
        })
    }

    pub(super) fn commit_ref<'b>(
        &self,
        id: ObjectId,
        buf: &'b mut Vec<u8>,
    ) -> Result<gix::objs::CommitRef<'b>, GitError> {
        let context = || format!("reading commit {}", short_id(&id));
        if self.read_packed(&id, buf, false) == Some(gix::objs::Kind::Commit) {
            return gix::objs::CommitRef::from_bytes(buf, id.kind())
                .map_err(|err| self.object_error(id, err, context));
        }
        self.repo
            .objects
            .find_commit(&id, buf)
            .map_err(|err| self.object_error(id, err, context))
    }

    pub(super) fn tree_iter<'b>(
        &self,
        id: ObjectId,
        buf: &'b mut Vec<u8>,
    ) -> Result<TreeRefIter<'b>, GitError> {
        if id == ObjectId::empty_tree(id.kind()) {
            return Ok(TreeRefIter::from_bytes(&[], id.kind()));
        }
        if self.read_packed(&id, buf, false) == Some(gix::objs::Kind::Tree) {
            return Ok(TreeRefIter::from_bytes(buf, id.kind()));
        }
        self.repo
            .objects
            .find_tree_iter(&id, buf)
            .map_err(|err| self.object_error(id, err, || format!("reading tree {}", short_id(&id))))
    }
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
            format!(
                "opening the git repository at {}",
                crate::names::shown_file(dir)
            ),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::scenario::{same_dir, Scenario};
    use gix::bstr::BString;
    use std::process::Command;

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
}

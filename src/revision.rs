//! Reading the model at a git revision (through gix, never the `git` binary), and naming the two sides of a
//! comparison: `BASE`, `BASE..HEAD`, `BASE...HEAD` (merge-base), or the working tree.

use std::path::Path;

use crate::check::{self, Loaded, Project, RunError};
use crate::git::{GitError, ObjectId, Repo};
use crate::manifest::Manifest;
use crate::source::{self, GitTree, ModelSource, MANIFEST_NAME};

impl From<GitError> for RunError {
    fn from(e: GitError) -> RunError {
        source::SourceError::from(e).into()
    }
}

/// A repository and where the model's manifest sits in it.
pub struct GitProject {
    pub repo: Repo,
    /// The manifest's folder relative to the repository root: `""` at the root, else `a/b` (no slashes around).
    pub prefix: String,
    /// The manifest's file name inside `prefix` (normally `opmodel.toml`).
    pub manifest_name: String,
    /// The working-tree project, when the working tree has the manifest.
    pub worktree: Option<Project>,
}

impl GitProject {
    /// Open the repository around `dir` and place the manifest: from the working tree when it has one (or from
    /// `--manifest`), else at `dir`'s place in the repository (the root for a bare repository).
    pub fn open(dir: &Path, manifest: Option<&Path>) -> Result<GitProject, RunError> {
        let repo = Repo::discover(dir)?;
        let workdir = repo
            .workdir()
            .map(|w| std::fs::canonicalize(w).unwrap_or_else(|_| w.to_path_buf()));
        let worktree = match &workdir {
            Some(_) => Project::locate(dir, manifest).ok(),
            None => None,
        };
        let (prefix, manifest_name) = match (&worktree, &workdir) {
            (Some(project), Some(workdir)) => {
                let root =
                    std::fs::canonicalize(&project.root).unwrap_or_else(|_| project.root.clone());
                let name = project
                    .manifest_path
                    .file_name()
                    .map_or(MANIFEST_NAME.to_string(), |n| {
                        n.to_string_lossy().into_owned()
                    });
                (source::folder_of(&root, workdir), name)
            }
            (None, Some(workdir)) => {
                let here = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
                match manifest {
                    Some(m) => {
                        let full = here.join(m);
                        let parent = full.parent().unwrap_or(&here).to_path_buf();
                        let name = full.file_name().map_or(MANIFEST_NAME.to_string(), |n| {
                            n.to_string_lossy().into_owned()
                        });
                        (source::folder_of(&parent, workdir), name)
                    }
                    None => (source::folder_of(&here, workdir), MANIFEST_NAME.to_string()),
                }
            }
            (_, None) => {
                let (parent, name) = match manifest {
                    Some(m) => (
                        m.parent().map(source::display_path).unwrap_or_default(),
                        m.file_name().map_or(MANIFEST_NAME.to_string(), |n| {
                            n.to_string_lossy().into_owned()
                        }),
                    ),
                    None => (String::new(), MANIFEST_NAME.to_string()),
                };
                (source::clean_folder(&parent), name)
            }
        };
        Ok(GitProject {
            repo,
            prefix,
            manifest_name,
            worktree,
        })
    }

    /// A path inside the project, as a repository path.
    pub fn repo_path(&self, inside: &str) -> String {
        source::join_folder(&self.prefix, inside)
    }

    /// The model source of a commit: its tree under the project.
    pub fn at(&self, commit: ObjectId) -> GitTree<'_> {
        GitTree {
            repo: &self.repo,
            commit,
            folder: &self.prefix,
            manifest_name: &self.manifest_name,
        }
    }
}

/// One side of a comparison, loaded: its manifest (None when the revision has none) and its model.
#[derive(Debug)]
pub struct Snapshot {
    /// How the side is shown: `main (1a2b3c4)`, `working tree`.
    pub label: String,
    pub commit: Option<ObjectId>,
    pub manifest: Option<Manifest>,
    pub loaded: Loaded,
    /// The files of the repository under the project (tracked files for the working tree).
    pub paths: Option<Vec<Vec<u8>>>,
}

/// What a revision argument names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Side {
    Worktree,
    Commit { id: ObjectId, name: String },
}

impl Side {
    pub fn label(&self) -> String {
        match self {
            Side::Worktree => "working tree".into(),
            Side::Commit { id, name } => {
                let short = short(id);
                if name.starts_with(&short) || name == &id.to_string() {
                    short
                } else {
                    format!("{name} ({short})")
                }
            }
        }
    }
}

/// The 7-character id of a commit.
pub fn short(id: &ObjectId) -> String {
    id.to_string().chars().take(7).collect()
}

/// Load one side: a commit from git, or the working tree.
pub fn snapshot(git: &GitProject, side: &Side) -> Result<Snapshot, RunError> {
    match side {
        Side::Worktree => {
            let Some(project) = &git.worktree else {
                return Ok(Snapshot {
                    label: side.label(),
                    commit: None,
                    manifest: None,
                    loaded: Loaded::default(),
                    paths: None,
                });
            };
            let project_loaded = check::load_worktree(project)?;
            Ok(Snapshot {
                label: side.label(),
                commit: None,
                manifest: Some(project_loaded.manifest),
                loaded: project_loaded.loaded,
                paths: source::Worktree {
                    manifest_path: &project.manifest_path,
                    root: &project.root,
                }
                .tracked_paths()
                .ok()
                .flatten(),
            })
        }
        Side::Commit { id, .. } => {
            let tree = git.at(*id);
            let paths = tree.tracked_paths()?;
            match check::read_model(&tree)? {
                None => Ok(Snapshot {
                    label: side.label(),
                    commit: Some(*id),
                    manifest: None,
                    loaded: Loaded::default(),
                    paths,
                }),
                Some((files, manifest, raw)) => Ok(Snapshot {
                    label: side.label(),
                    commit: Some(*id),
                    manifest: Some(manifest),
                    loaded: check::load(files, raw),
                    paths,
                }),
            }
        }
    }
}

/// The two sides named on the command line, and a note for the first line of output when opmodel chose them.
#[derive(Debug, Clone)]
pub struct Range {
    pub base: Side,
    pub head: Side,
    pub note: Option<String>,
}

/// Resolve `[BASE [HEAD]]`, `BASE..HEAD` or `BASE...HEAD`. HEAD left out: the working tree (for a range given
/// as `A..`, the commit HEAD, as git reads it). BASE left out: the merge-base of HEAD and the default branch.
pub fn resolve(git: &GitProject, args: &[String], head_default: Side) -> Result<Range, RunError> {
    let id = |name: &str| -> Result<ObjectId, RunError> {
        Ok(git
            .repo
            .resolve_commit(if name.is_empty() { "HEAD" } else { name })?)
    };
    let commit = |name: &str| -> Result<Side, RunError> {
        Ok(Side::Commit {
            id: id(name)?,
            name: if name.is_empty() { "HEAD" } else { name }.to_string(),
        })
    };
    match args {
        [] => {
            let head = git.repo.head_commit()?.ok_or_else(|| {
                RunError::new(
                    "the repository has no commits yet",
                    "commit first, or name the revisions to compare",
                )
            })?;
            let Some((branch, tip)) = git.repo.default_branch()? else {
                return Err(RunError::new(
                    "no default branch to compare with: neither the remote's HEAD, `main` nor `master` exists",
                    "name the base revision, for example `opmodel diff origin/develop`",
                ));
            };
            let base = git.repo.merge_base(head, tip)?.ok_or_else(|| {
                RunError::new(
                    format!("HEAD and {branch} have no common ancestor"),
                    "name the base revision explicitly",
                )
            })?;
            Ok(Range {
                note: Some(format!(
                    "base: the merge-base of HEAD and {branch} ({})",
                    short(&base)
                )),
                base: Side::Commit {
                    id: base,
                    name: short(&base),
                },
                head: head_default,
            })
        }
        [one] if one.contains("...") => {
            let (a, b) = one.split_once("...").unwrap_or((one, ""));
            let (a_id, head) = (id(a)?, commit(b)?);
            let b_id = id(b)?;
            let base = git.repo.merge_base(a_id, b_id)?.ok_or_else(|| {
                RunError::new(
                    format!("{a} and {b} have no common ancestor"),
                    "use `BASE..HEAD` to compare the two revisions directly",
                )
            })?;
            Ok(Range {
                note: Some(format!(
                    "base: the merge-base of {} and {} ({})",
                    if a.is_empty() { "HEAD" } else { a },
                    if b.is_empty() { "HEAD" } else { b },
                    short(&base)
                )),
                base: Side::Commit {
                    id: base,
                    name: short(&base),
                },
                head,
            })
        }
        [one] if one.contains("..") => {
            let (a, b) = one.split_once("..").unwrap_or((one, ""));
            Ok(Range {
                base: commit(a)?,
                head: commit(b)?,
                note: None,
            })
        }
        [one] => Ok(Range {
            base: commit(one)?,
            head: head_default,
            note: None,
        }),
        [a, b] => Ok(Range {
            base: commit(a)?,
            head: commit(b)?,
            note: None,
        }),
        _ => Err(RunError::new(
            "too many revisions: give BASE and HEAD at most",
            "for example `opmodel diff main HEAD` or `opmodel diff main..HEAD`",
        )),
    }
}

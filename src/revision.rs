//! Reading the model at a git revision (through gix, never the `git` binary), and naming the two sides of a
//! comparison: `BASE`, `BASE..HEAD`, `BASE...HEAD` (merge-base), or the working tree.

use std::path::Path;

use crate::check::{self, Loaded, Project, RunError};
use crate::git::{GitError, ObjectId, Repo};
use crate::manifest::Manifest;
use crate::source::{self, Files, RawFile, Unreadable, MANIFEST_NAME, MAX_FILE_SIZE};

impl From<GitError> for RunError {
    fn from(e: GitError) -> RunError {
        let help = match &e {
            GitError::NotARepository { .. } => {
                "`--rev`, `diff` and `audit` read git history: run them inside a clone"
            }
            GitError::UnknownRevision { .. } => {
                "`git branch -a` and `git tag` list the names a revision can take"
            }
            GitError::MissingInShallowClone { .. } | GitError::HistoryTruncated { .. } => {
                "on GitHub Actions: `actions/checkout` with `fetch-depth: 0`"
            }
            GitError::Other { .. } => {
                "check that the repository is readable and not corrupt (`git fsck`)"
            }
        };
        RunError::new(e.to_string(), help)
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
                (relative(&root, workdir), name)
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
                        (relative(&parent, workdir), name)
                    }
                    None => (relative(&here, workdir), MANIFEST_NAME.to_string()),
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
                (if parent == "." { String::new() } else { parent }, name)
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
        let inside = inside.trim_matches('/');
        match (self.prefix.is_empty(), inside.is_empty()) {
            (true, _) => inside.to_string(),
            (false, true) => self.prefix.clone(),
            (false, false) => format!("{}/{inside}", self.prefix),
        }
    }

    /// The files git tracks under the project (from the index), relative to the project.
    pub fn tracked_paths(&self) -> Result<Vec<Vec<u8>>, RunError> {
        let files = self.repo.tracked_files()?;
        Ok(under_prefix(
            &self.prefix,
            files.iter().map(|p| p.as_slice()),
        ))
    }

    /// The files of a commit's tree under the project, relative to the project.
    pub fn tree_paths(&self, commit: ObjectId) -> Result<Vec<Vec<u8>>, RunError> {
        let entries = self.repo.tree_files(commit)?;
        Ok(under_prefix(
            &self.prefix,
            entries.iter().map(|e| e.path.as_slice()),
        ))
    }
}

fn relative(path: &Path, root: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rel) if rel.as_os_str().is_empty() => String::new(),
        Ok(rel) => source::display_path(rel),
        Err(_) => String::new(),
    }
}

fn under_prefix<'a>(prefix: &str, paths: impl Iterator<Item = &'a [u8]>) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = if prefix.is_empty() {
        paths.map(<[u8]>::to_vec).collect()
    } else {
        let lead = format!("{prefix}/");
        paths
            .filter_map(|p| p.strip_prefix(lead.as_bytes()).map(<[u8]>::to_vec))
            .collect()
    };
    out.sort();
    out
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

/// Read the manifest and the model files of a commit. A commit without the manifest gives `Ok(None)`.
pub fn read_commit(
    git: &GitProject,
    commit: ObjectId,
) -> Result<Option<(Files, Manifest, Vec<RawFile>)>, RunError> {
    let manifest_path = git.repo_path(&git.manifest_name);
    let Some(bytes) = git.repo.read_file(commit, &manifest_path)? else {
        return Ok(None);
    };
    let text = String::from_utf8(bytes).map_err(|_| {
        RunError::new(
            format!("{manifest_path} at {} is not UTF-8 text", short(&commit)),
            "save the manifest as UTF-8",
        )
    })?;
    let mut files = Files::default();
    let manifest = check::parse_manifest(&git.manifest_name, &text, &mut files)?;
    let filter = check::file_filter(&manifest, &files)?;
    let model_root = manifest
        .root
        .trim_matches('/')
        .trim_start_matches("./")
        .to_string();
    let model_dir = git.repo_path(&model_root);
    let mut raw = Vec::new();
    let manifest_repo_path = manifest_path.as_bytes();
    for file in git.repo.read_dir_files(commit, &model_dir)? {
        if file.path.as_slice() == manifest_repo_path {
            continue;
        }
        let full = String::from_utf8_lossy(file.path.as_slice()).into_owned();
        let in_model = full
            .strip_prefix(&model_dir)
            .map(|r| r.trim_start_matches('/'))
            .unwrap_or(&full)
            .to_string();
        if !filter.matches(&in_model) {
            continue;
        }
        let shown = if git.prefix.is_empty() {
            full.clone()
        } else {
            full.strip_prefix(&format!("{}/", git.prefix))
                .unwrap_or(&full)
                .to_string()
        };
        let content = if file.is_symlink {
            Err(Unreadable::SymlinkOutside {
                target: format!(
                    "{} (a symbolic link in the commit, not followed)",
                    String::from_utf8_lossy(&file.bytes)
                ),
            })
        } else if file.bytes.len() as u64 > MAX_FILE_SIZE {
            Err(Unreadable::TooLarge {
                size: file.bytes.len() as u64,
            })
        } else {
            Ok(file.bytes)
        };
        raw.push(RawFile {
            path: shown,
            content,
        });
    }
    Ok(Some((files, manifest, raw)))
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
                paths: git.tracked_paths().ok(),
            })
        }
        Side::Commit { id, .. } => {
            let paths = git.tree_paths(*id)?;
            match read_commit(git, *id)? {
                None => Ok(Snapshot {
                    label: side.label(),
                    commit: Some(*id),
                    manifest: None,
                    loaded: Loaded::default(),
                    paths: Some(paths),
                }),
                Some((files, manifest, raw)) => Ok(Snapshot {
                    label: side.label(),
                    commit: Some(*id),
                    manifest: Some(manifest),
                    loaded: check::load(files, raw),
                    paths: Some(paths),
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

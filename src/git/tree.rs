//! Reading a commit's tree: the files it holds, one file's bytes, a folder's files, and the index's tracked files.

use gix::bstr::{BStr, BString, ByteSlice, ByteVec};
use gix::objs::tree::{EntryKind, EntryMode};
use gix::objs::FindExt;

use super::{other, short_id, GitError, ObjectId, Repo};

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

impl Repo {
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

    pub(super) fn tree_and_first_parent(
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::scenario::{paths, Scenario};
    use gix::bstr::BString;

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
}

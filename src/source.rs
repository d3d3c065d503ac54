//! Where model files come from: a [`ModelSource`], the working tree ([`Worktree`], walkdir + glob) or a git tree
//! at any revision ([`GitTree`]), and the store of loaded texts that findings point into.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use glob::{MatchOptions, Pattern};

use crate::git::{GitError, ObjectId, Repo};

/// The largest model file opmodel reads, in bytes. A larger file is reported, not read.
pub const MAX_FILE_SIZE: u64 = 1024 * 1024;

/// The name of the manifest.
pub const MANIFEST_NAME: &str = "opmodel.toml";

/// An index into [`Files`].
pub type FileId = usize;

/// One loaded text: its path as shown to users (relative to the project root, `/`-separated) and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    /// The text without a leading byte-order mark: columns and snippets line up with what an editor shows. The
    /// `String` as read, not a copy (an `Arc<str>` would copy every file once more as a model loads).
    pub text: Arc<String>,
    /// Bytes of the byte-order mark the stored file starts with (0 or 3): add it to a span of `text` for a byte
    /// offset into the file as stored.
    pub bom: usize,
    /// Where each line starts: counted on the first [`SourceFile::line_col`], so a file no finding points into
    /// (nearly every file of a large model) never pays for it.
    line_starts: OnceLock<Box<[usize]>>,
}

/// The UTF-8 byte-order mark some editors (on Windows) write first.
const BOM: char = '\u{feff}';

impl SourceFile {
    /// A loaded text; a leading byte-order mark is set aside (see [`SourceFile::bom`]).
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let mut text: String = text.into();
        let mut bom = 0;
        if text.starts_with(BOM) {
            bom = BOM.len_utf8();
            text.drain(..bom);
        }
        let text = Arc::new(text);
        SourceFile {
            path: path.into(),
            text,
            bom,
            line_starts: OnceLock::new(),
        }
    }

    /// A span of `text` as byte offsets into the file as stored (its byte-order mark counted).
    pub fn stored(&self, span: &std::ops::Range<usize>) -> std::ops::Range<usize> {
        span.start + self.bom..span.end + self.bom
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line_starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        let line = line_starts.partition_point(|&s| s <= offset) - 1;
        let start = line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }
}

/// Every text a run has loaded, so findings can point into them by [`FileId`].
#[derive(Debug, Default, Clone)]
pub struct Files {
    files: Vec<SourceFile>,
}

impl Files {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        self.files.len() - 1
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// A candidate model file before it is read as text: its path and its bytes, or why it could not be read.
#[derive(Debug)]
pub struct RawFile {
    pub path: String,
    pub content: Result<Vec<u8>, Unreadable>,
}

/// Why a file that matched the model's globs was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    TooLarge {
        size: u64,
    },
    Io {
        message: String,
    },
    Directory,
    SymlinkLoop,
    SymlinkOutside {
        target: String,
    },
    /// The same file as another model path (reached through a symbolic link): read once, under `path`.
    SameFile {
        path: String,
    },
    /// A FIFO, socket or device: opening one may block forever or read without end, so it is never opened.
    NotRegular {
        /// What it is: `a FIFO (named pipe)`, `a socket`, ...
        kind: &'static str,
    },
}

impl Unreadable {
    /// A path skipped as not being a model file (a folder, a link that loops, leads outside the repository or
    /// to a file already read), as opposed to a model file that could not be read.
    pub fn is_skipped(&self) -> bool {
        !matches!(self, Unreadable::TooLarge { .. } | Unreadable::Io { .. })
    }
}

/// A problem that stops a run: no model to check at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    pub message: String,
    pub help: String,
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for SourceError {}

impl From<GitError> for SourceError {
    fn from(e: GitError) -> SourceError {
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
        SourceError {
            message: e.to_string(),
            help: help.into(),
        }
    }
}

impl Unreadable {
    /// Why the file was not read, in a few words that follow "cannot read PATH: ".
    pub fn words(&self) -> String {
        match self {
            Unreadable::TooLarge { size } => {
                format!("it is {size} bytes, over the {MAX_FILE_SIZE}-byte limit")
            }
            Unreadable::Io { message } => message.clone(),
            Unreadable::Directory => "it is a folder".into(),
            Unreadable::SymlinkLoop => "it is a symbolic link that loops".into(),
            Unreadable::SymlinkOutside { target } => {
                format!("it links outside the repository, to {target}")
            }
            Unreadable::SameFile { path } => format!("it is the same file as {path}"),
            Unreadable::NotRegular { kind } => format!("it is {kind}, not a regular file"),
        }
    }
}

/// Where a model is read from: the working tree or a git tree at a revision. Both give the same things through
/// the same calls: the manifest's text, the model files (paths relative to the manifest's folder, `/`-separated,
/// sorted; bytes or an [`Unreadable`] reason), and the paths the repository holds there.
pub trait ModelSource {
    /// The manifest's name as findings show it, and its text; `Ok(None)` when this source has no manifest.
    fn manifest(&self) -> Result<Option<(String, String)>, SourceError>;

    /// The model files under `model_root` (`[model].root` as the manifest writes it, relative to the manifest's
    /// folder) that `filter` selects, sorted by path. The manifest itself is never one of them.
    fn model_files(
        &self,
        model_root: &str,
        filter: &FileFilter,
    ) -> Result<Vec<RawFile>, SourceError>;

    /// Every file the repository holds under the manifest's folder, relative to it, sorted: what git tracks for
    /// the working tree, the tree's files for a revision. `Ok(None)` when unknown (outside a git repository).
    fn tracked_paths(&self) -> Result<Option<Vec<Vec<u8>>>, SourceError>;
}

/// The model as the working tree has it, around the manifest at `manifest_path`.
#[derive(Debug, Clone, Copy)]
pub struct Worktree<'a> {
    pub manifest_path: &'a Path,
    /// The manifest's folder: paths are shown relative to it.
    pub root: &'a Path,
}

impl ModelSource for Worktree<'_> {
    fn manifest(&self) -> Result<Option<(String, String)>, SourceError> {
        let path = self.manifest_path;
        let bytes = read_limited(path).map_err(|e| SourceError {
            message: format!("cannot read {}: {}", shown_file(path), e.words()),
            help: "make the manifest readable, or pass another with --manifest".into(),
        })?;
        let text = String::from_utf8(bytes).map_err(|_| SourceError {
            message: format!("{} is not UTF-8 text", shown_file(path)),
            help: "save the manifest as UTF-8".into(),
        })?;
        Ok(Some((MANIFEST_NAME.to_string(), text)))
    }

    fn model_files(
        &self,
        model_root: &str,
        filter: &FileFilter,
    ) -> Result<Vec<RawFile>, SourceError> {
        let model_root = self.root.join(model_root);
        let repo_root = repository_root(self.root);
        walk_model_files(self.root, &model_root, &repo_root, filter)
    }

    fn tracked_paths(&self) -> Result<Option<Vec<Vec<u8>>>, SourceError> {
        let tracked = || -> Option<Vec<Vec<u8>>> {
            let repo = Repo::discover(self.root).ok()?;
            let workdir = fs::canonicalize(repo.workdir()?).ok()?;
            let root = fs::canonicalize(self.root).ok()?;
            root.strip_prefix(&workdir).ok()?;
            let folder = folder_of(&root, &workdir);
            let files = repo.tracked_files().ok()?;
            Some(paths_under(&folder, files.iter().map(|p| p.as_slice())))
        };
        Ok(tracked())
    }
}

/// The model as a commit's tree has it, around the manifest `manifest_name` in the repository folder `folder`.
#[derive(Clone, Copy)]
pub struct GitTree<'a> {
    pub repo: &'a Repo,
    pub commit: ObjectId,
    /// The manifest's folder in the repository, as [`clean_folder`] writes it (`""` at the root).
    pub folder: &'a str,
    pub manifest_name: &'a str,
}

impl ModelSource for GitTree<'_> {
    fn manifest(&self) -> Result<Option<(String, String)>, SourceError> {
        let manifest_path = join_folder(self.folder, self.manifest_name);
        let Some(bytes) = self.repo.read_file(self.commit, &manifest_path)? else {
            return Ok(None);
        };
        let text = String::from_utf8(bytes).map_err(|_| SourceError {
            message: format!(
                "{manifest_path} at {} is not UTF-8 text",
                self.commit.to_hex_with_len(7)
            ),
            help: "save the manifest as UTF-8".into(),
        })?;
        Ok(Some((self.manifest_name.to_string(), text)))
    }

    fn model_files(
        &self,
        model_root: &str,
        filter: &FileFilter,
    ) -> Result<Vec<RawFile>, SourceError> {
        let manifest_path = join_folder(self.folder, self.manifest_name);
        let model_dir = join_folder(self.folder, &clean_folder(model_root));
        let mut raw = Vec::new();
        for file in self.repo.read_dir_files(self.commit, &model_dir)? {
            if file.path.as_slice() == manifest_path.as_bytes() {
                continue;
            }
            let in_model = strip_folder(&model_dir, &file.path).unwrap_or(&file.path);
            if !filter.matches(&String::from_utf8_lossy(in_model)) {
                continue;
            }
            let shown = strip_folder(self.folder, &file.path).unwrap_or(&file.path);
            let shown = shown_path(shown);
            let content = if file.is_symlink {
                Err(Unreadable::SymlinkOutside {
                    target: format!(
                        "{} (a symbolic link in the commit, not followed)",
                        shown_path(&file.bytes)
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
        Ok(raw)
    }

    fn tracked_paths(&self) -> Result<Option<Vec<Vec<u8>>>, SourceError> {
        let entries = self.repo.tree_files(self.commit)?;
        Ok(Some(paths_under(
            self.folder,
            entries.iter().map(|e| e.path.as_slice()),
        )))
    }
}

/// A folder inside a project or repository as git names it: `ops` for `./ops/`, `""` for `.`, `/` or `""`.
pub fn clean_folder(folder: &str) -> String {
    let mut folder = folder.trim_matches('/');
    while let Some(rest) = folder.strip_prefix("./") {
        folder = rest.trim_start_matches('/');
    }
    if folder == "." {
        String::new()
    } else {
        folder.to_string()
    }
}

/// `path` relative to `root` as a folder name ([`clean_folder`]'s form); `""` when it is `root` or not under it.
pub fn folder_of(path: &Path, root: &Path) -> String {
    match path.strip_prefix(root) {
        Ok(rel) if rel.as_os_str().is_empty() => String::new(),
        Ok(rel) => display_path(rel),
        Err(_) => String::new(),
    }
}

/// The path of `inside` (relative to `folder`) from where `folder` is named.
pub fn join_folder(folder: &str, inside: &str) -> String {
    let inside = inside.trim_matches('/');
    match (folder.is_empty(), inside.is_empty()) {
        (true, _) => inside.to_string(),
        (false, true) => folder.to_string(),
        (false, false) => format!("{folder}/{inside}"),
    }
}

/// `path` relative to `folder` (a [`clean_folder`]); `None` when it is not inside it.
pub fn strip_folder<'p>(folder: &str, path: &'p [u8]) -> Option<&'p [u8]> {
    if folder.is_empty() {
        return Some(path);
    }
    path.strip_prefix(folder.as_bytes())?.strip_prefix(b"/")
}

/// The paths inside `folder`, relative to it, sorted.
fn paths_under<'a>(folder: &str, paths: impl Iterator<Item = &'a [u8]>) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = paths
        .filter_map(|p| strip_folder(folder, p).map(<[u8]>::to_vec))
        .collect();
    out.sort();
    out
}

/// Which files under the model root are model files: `include` globs minus `exclude` globs.
#[derive(Debug, Clone)]
pub struct FileFilter {
    include: Vec<Pattern>,
    exclude: Vec<Pattern>,
}

const GLOB_OPTIONS: MatchOptions = MatchOptions {
    case_sensitive: true,
    require_literal_separator: true,
    require_literal_leading_dot: false,
};

impl FileFilter {
    /// Compile the globs; an invalid glob is returned as (index in include or exclude, message).
    pub fn new(
        include: &[String],
        exclude: &[String],
    ) -> Result<FileFilter, (bool, usize, String)> {
        let compile = |list: &[String], is_include: bool| {
            list.iter()
                .enumerate()
                .map(|(i, p)| Pattern::new(p).map_err(|e| (is_include, i, e.msg.to_string())))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(FileFilter {
            include: compile(include, true)?,
            exclude: compile(exclude, false)?,
        })
    }

    /// Whether a path relative to the model root is a model file.
    pub fn matches(&self, relative: &str) -> bool {
        self.include
            .iter()
            .any(|p| p.matches_with(relative, GLOB_OPTIONS))
            && !self.is_excluded(relative)
    }

    fn is_excluded(&self, relative: &str) -> bool {
        self.exclude
            .iter()
            .any(|p| p.matches_with(relative, GLOB_OPTIONS))
    }
}

/// Find the manifest: `opmodel.toml` in `start` or a parent, up to the repository root (the first folder
/// that holds `.git`).
pub fn discover_manifest(start: &Path) -> Result<PathBuf, SourceError> {
    for dir in start.ancestors() {
        let candidate = dir.join(MANIFEST_NAME);
        if candidate.is_file() {
            return Ok(candidate);
        }
        if dir.join(".git").exists() {
            return Err(no_manifest(start, Some(dir)));
        }
    }
    Err(no_manifest(start, None))
}

fn no_manifest(start: &Path, repo_root: Option<&Path>) -> SourceError {
    let searched = match repo_root {
        Some(root) if root != start => format!(
            "no {MANIFEST_NAME} in {} or any folder above it up to the repository root {}",
            shown_file(start),
            shown_file(root)
        ),
        Some(_) => format!("no {MANIFEST_NAME} in {}", shown_file(start)),
        None => format!(
            "no {MANIFEST_NAME} in {} or any folder above it",
            shown_file(start)
        ),
    };
    SourceError {
        message: searched,
        help: "create one with `opmodel init` at the root of the repository, pass `--manifest PATH`, or run in another folder with `-C DIR`".into(),
    }
}

/// The root of the repository around `dir`: the first folder upwards that holds `.git`, else `dir` itself.
pub fn repository_root(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .unwrap_or(dir)
        .to_path_buf()
}

/// The model files under `model_root` in the working tree, sorted by path, with paths shown relative to
/// `project_root`. Symlinks are followed only while they stay inside `repo_root`.
fn walk_model_files(
    project_root: &Path,
    model_root: &Path,
    repo_root: &Path,
    filter: &FileFilter,
) -> Result<Vec<RawFile>, SourceError> {
    let meta = fs::metadata(model_root).map_err(|e| SourceError {
        message: format!("cannot read the model folder {}: {}", shown_file(model_root), io_words(&e)),
        help: "create the folder, or set `[model].root` in opmodel.toml to the folder that holds the model files".into(),
    })?;
    if !meta.is_dir() {
        return Err(SourceError {
            message: format!("the model root {} is not a folder", shown_file(model_root)),
            help: "set `[model].root` in opmodel.toml to the folder that holds the model files"
                .into(),
        });
    }
    let repo_canonical = fs::canonicalize(repo_root).unwrap_or_else(|_| repo_root.to_path_buf());
    let manifest = project_root.join(MANIFEST_NAME);
    // The manifest may also be reached through a link to a folder above the model (`ops/up -> ..`).
    let manifest_canonical = fs::canonicalize(&manifest).ok();
    let shown = |path: &Path| shown_file(path.strip_prefix(project_root).unwrap_or(path));
    let relative_to_model = |path: &Path| shown_file(path.strip_prefix(model_root).unwrap_or(path));

    let mut files = Vec::new();
    let mut outside = Vec::new();
    let mut loops = Vec::new();
    let model_canonical = fs::canonicalize(model_root).unwrap_or_else(|_| model_root.to_path_buf());
    // Each file read: its index in `files`, its real path, and whether it was reached without a link.
    let mut read: Vec<(usize, PathBuf, bool)> = Vec::new();
    // The folders the walk entered through a link: every path below one is resolved.
    let mut linked_folders: HashSet<PathBuf> = HashSet::new();
    let walker = walkdir::WalkDir::new(model_root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if !entry.path_is_symlink() {
                return true;
            }
            match fs::canonicalize(entry.path()) {
                Ok(target) if !target.starts_with(&repo_canonical) => {
                    outside.push((entry.path().to_path_buf(), target));
                    false
                }
                // A link to a folder that holds the link itself would walk the same files again and again.
                Ok(target)
                    if target.is_dir()
                        && entry
                            .path()
                            .parent()
                            .and_then(|p| fs::canonicalize(p).ok())
                            .is_some_and(|parent| parent.starts_with(&target)) =>
                {
                    loops.push(entry.path().to_path_buf());
                    false
                }
                _ => true,
            }
        });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let Some(path) = error.path().map(Path::to_path_buf) else {
                    continue;
                };
                let relative = relative_to_model(&path);
                if error.loop_ancestor().is_some() {
                    if filter.matches(&relative) || filter.matches(&format!("{relative}/x.toml")) {
                        files.push(RawFile {
                            path: shown(&path),
                            content: Err(Unreadable::SymlinkLoop),
                        });
                    }
                    continue;
                }
                if filter.matches(&relative) || path == model_root {
                    let content = match error.io_error() {
                        Some(io) if io.raw_os_error() == Some(40) => Err(Unreadable::SymlinkLoop),
                        Some(io) => Err(Unreadable::Io {
                            message: io_words(io),
                        }),
                        None => Err(Unreadable::Io {
                            message: error.to_string(),
                        }),
                    };
                    files.push(RawFile {
                        path: shown(&path),
                        content,
                    });
                }
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let path = entry.path();
        // A path with no link in it below the model's folder is its own real path: resolving it (a `readlink`
        // for each of its folders) took half the time of a model of 50,000 files. Only a path through a link is
        // resolved.
        let through_link = entry.path_is_symlink()
            || path
                .ancestors()
                .skip(1)
                .take_while(|folder| *folder != model_root)
                .any(|folder| linked_folders.contains(folder));
        if entry.path_is_symlink() && entry.file_type().is_dir() {
            linked_folders.insert(path.to_path_buf());
        }
        let canonical = match path.strip_prefix(model_root) {
            Ok(rest) if !through_link => Some(model_canonical.join(rest)),
            _ => fs::canonicalize(path).ok(),
        };
        if path == manifest || manifest_canonical.is_some() && canonical == manifest_canonical {
            continue;
        }
        let relative = relative_to_model(path);
        if !filter.matches(&relative) {
            continue;
        }
        if entry.file_type().is_dir() {
            files.push(RawFile {
                path: shown(path),
                content: Err(Unreadable::Directory),
            });
            continue;
        }
        // The type comes from the directory walk's stat (of the link's target when a link was followed).
        if !entry.file_type().is_file() {
            files.push(RawFile {
                path: shown(path),
                content: Err(Unreadable::NotRegular {
                    kind: special_kind(entry.file_type()),
                }),
            });
            continue;
        }
        if let Some(canonical) = canonical {
            let direct = path
                .strip_prefix(model_root)
                .is_ok_and(|rest| canonical == model_canonical.join(rest));
            read.push((files.len(), canonical, direct));
        }
        files.push(RawFile {
            path: shown(path),
            content: read_limited(path),
        });
    }
    // A file reached twice (`ops/alias -> teams`) is read once, under its own path, so that its entities
    // are not reported as duplicates of themselves. Its keeper is the path reached without a link if any is,
    // else the first: one map lookup per file (comparing every path with every other took minutes at 20,000).
    let mut keepers: HashMap<&Path, (bool, usize)> = HashMap::with_capacity(read.len());
    for (i, canonical, direct) in &read {
        let candidate = (!direct, *i);
        keepers
            .entry(canonical.as_path())
            .and_modify(|best| *best = (*best).min(candidate))
            .or_insert(candidate);
    }
    for (i, canonical, _) in &read {
        let keeper = keepers.get(canonical.as_path()).map_or(*i, |&(_, j)| j);
        if keeper != *i {
            files[*i].content = Err(Unreadable::SameFile {
                path: files[keeper].path.clone(),
            });
        }
    }
    for link in loops {
        let relative = relative_to_model(&link);
        if filter.matches(&relative) || filter.matches(&format!("{relative}/x.toml")) {
            files.push(RawFile {
                path: shown(&link),
                content: Err(Unreadable::SymlinkLoop),
            });
        }
    }
    for (link, target) in outside {
        let relative = relative_to_model(&link);
        if filter.matches(&relative) || target.is_dir() {
            files.push(RawFile {
                path: shown(&link),
                content: Err(Unreadable::SymlinkOutside {
                    target: shown_file(&target),
                }),
            });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// What a path that is neither a folder nor a regular file is, in a user's words.
fn special_kind(file_type: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
    }
    let _ = file_type;
    "a special file"
}

/// Read a file, refusing one over [`MAX_FILE_SIZE`] without reading it whole.
pub fn read_limited(path: &Path) -> Result<Vec<u8>, Unreadable> {
    let file = fs::File::open(path).map_err(|e| Unreadable::Io {
        message: io_words(&e),
    })?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > MAX_FILE_SIZE {
        return Err(Unreadable::TooLarge { size });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(MAX_FILE_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Unreadable::Io {
            message: io_words(&e),
        })?;
    if bytes.len() as u64 > MAX_FILE_SIZE {
        return Err(Unreadable::TooLarge {
            size: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

/// An I/O error in a user's words, without the `(os error N)` tail.
pub fn io_words(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        _ => {
            let text = error.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}

/// A path as shown to users: `/`-separated, no `./`.
pub use crate::names::{shown_file, shown_os, shown_path};

pub fn display_path(path: &Path) -> String {
    crate::names::joined(path, |part| part.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_do_not_cross_folders_with_one_star() {
        let filter = FileFilter::new(&["*.toml".into()], &[]).unwrap();
        assert!(filter.matches("a.toml"));
        assert!(!filter.matches("x/a.toml"));
    }

    #[test]
    fn double_star_matches_the_top_folder_too() {
        let filter = FileFilter::new(&["**/*.toml".into()], &["drafts/**".into()]).unwrap();
        assert!(filter.matches("a.toml"));
        assert!(filter.matches("x/y/a.toml"));
        assert!(!filter.matches("drafts/a.toml"));
        assert!(!filter.matches("a.json"));
    }

    #[test]
    fn folders_are_named_once_whatever_the_manifest_wrote() {
        for written in [
            "", ".", "./", "/", "ops/..x", "./ops/", "ops", "/ops/", "././ops",
        ] {
            let expected = match written {
                "" | "." | "./" | "/" => "",
                "ops/..x" => "ops/..x",
                _ => "ops",
            };
            assert_eq!(clean_folder(written), expected, "{written:?}");
        }
        assert_eq!(join_folder("", "a.toml"), "a.toml");
        assert_eq!(join_folder("co/ops", ""), "co/ops");
        assert_eq!(join_folder("co", "/ops/"), "co/ops");
        assert_eq!(strip_folder("co", b"co/a.toml"), Some(&b"a.toml"[..]));
        assert_eq!(strip_folder("co", b"cob/a.toml"), None);
        assert_eq!(strip_folder("", b"a.toml"), Some(&b"a.toml"[..]));
        assert_eq!(
            paths_under("co", [&b"co/b"[..], b"x/a", b"co/a"].into_iter()),
            vec![b"a".to_vec(), b"b".to_vec()]
        );
    }

    #[test]
    fn line_and_column_count_characters() {
        let file = SourceFile::new("x", "ab\nçd = 1\n");
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(file.line_col(3), (2, 1));
        assert_eq!(file.line_col(6), (2, 3));
    }
}

//! `opmodel owners PATH...`: which area owns each path, and the pattern that decided; for a folder (`DIR/`, or
//! a folder that exists), who owns the files git tracks under it.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::check::{self, Project, RunError};
use crate::owners::Entry;
use crate::source::ModelSource;

use super::output::write_out;
use super::{ListFormat, EXIT_OK};

pub fn owners(
    dir: &Path,
    manifest: Option<&Path>,
    paths: &[PathBuf],
    format: ListFormat,
    out: &mut dyn Write,
) -> Result<i32, RunError> {
    let project = Project::locate(dir, manifest)?;
    let project_loaded = check::load_worktree(&project)?;
    let loaded = &project_loaded.loaded;
    let (ownership, _) =
        crate::ownership::Ownership::new(&loaded.model, Some(&project_loaded.manifest));
    let mut relative = Vec::new();
    for path in paths {
        let full = normalize(&dir.join(path));
        let root = normalize(&project.root);
        let text = path.to_string_lossy();
        let folder = text.ends_with('/') || text.ends_with('\\') || dir.join(path).is_dir();
        match full.strip_prefix(&root) {
            Ok(rel) => relative.push((crate::source::display_path(rel), folder)),
            Err(_) => {
                return Err(RunError::new(
                    format!(
                        "{} is outside the model's repository folder {}",
                        path.display(),
                        root.display()
                    ),
                    "pass paths inside the folder that holds opmodel.toml",
                ))
            }
        }
    }
    let mut tracked: Option<(Vec<String>, bool)> = None;
    let mut entries = Vec::new();
    for (path, folder) in relative {
        if !folder {
            let answer =
                crate::owners::answer(&loaded.model, &ownership, &loaded.files, &[path]).remove(0);
            entries.push(Entry::Path(answer));
            continue;
        }
        if tracked.is_none() {
            tracked = Some(files(&project)?);
        }
        let prefix = if path.is_empty() || path == "." {
            String::new()
        } else {
            format!("{path}/")
        };
        let (all, git) = tracked
            .as_ref()
            .map_or((&[][..], false), |(f, g)| (&f[..], *g));
        let under: Vec<String> = all
            .iter()
            .filter(|p| p.starts_with(&prefix))
            .cloned()
            .collect();
        entries.push(Entry::Folder(crate::owners::answer_folder(
            &loaded.model,
            &ownership,
            &loaded.files,
            &prefix,
            &under,
            git,
        )));
    }
    let text = match format {
        ListFormat::Human => crate::owners::render_human(&entries),
        ListFormat::Json => crate::owners::render_json(&entries),
    };
    write_out(out, &text)?;
    Ok(EXIT_OK)
}

/// The files of the project, relative to the manifest's folder: the ones git tracks, or outside a git repository
/// every file under the folder (not following links, `.git` skipped); and whether they are git's.
fn files(project: &Project) -> Result<(Vec<String>, bool), RunError> {
    let tracked = project.source().tracked_paths().map_err(RunError::from)?;
    if let Some(paths) = tracked {
        let paths = paths
            .iter()
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect();
        return Ok((paths, true));
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&project.root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git")
        .flatten()
    {
        if entry.file_type().is_file() {
            if let Ok(rel) = entry.path().strip_prefix(&project.root) {
                out.push(crate::source::display_path(rel));
            }
        }
    }
    Ok((out, false))
}

/// Resolve `.` and `..` without touching the file system (the path need not exist).
pub(super) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

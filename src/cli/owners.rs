//! `opmodel owners PATH...`: which area owns each path, and the pattern that decided.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::check::{self, Project, RunError};

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
        match full.strip_prefix(&root) {
            Ok(rel) => relative.push(crate::source::display_path(rel)),
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
    let answers = crate::owners::answer(&loaded.model, &ownership, &loaded.files, &relative);
    let text = match format {
        ListFormat::Human => crate::owners::render_human(&answers),
        ListFormat::Json => crate::owners::render_json(&answers),
    };
    write_out(out, &text)?;
    Ok(EXIT_OK)
}

/// Resolve `.` and `..` without touching the file system (the path need not exist).
fn normalize(path: &Path) -> PathBuf {
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

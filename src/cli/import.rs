//! `opmodel import codeowners [PATH]`: model files (people, teams, areas) built from a CODEOWNERS file.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use crate::check::{self, Project, RunError};
use crate::codeowners::{self, Codeowners};

use super::output::write_out;
use super::EXIT_OK;

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub what: ImportWhat,
}

#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    /// Build people, teams and areas from a CODEOWNERS file (default: where GitHub looks for it)
    Codeowners {
        /// The CODEOWNERS file (default: .github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS, as GitHub looks)
        path: Option<PathBuf>,
    },
}

pub fn run(
    dir: &Path,
    manifest: Option<&Path>,
    args: &ImportArgs,
    out: &mut dyn Write,
) -> Result<i32, RunError> {
    let project = Project::locate(dir, manifest)?;
    // After `opmodel init --bare` the model folder does not exist yet: the import is what fills it. Made here so
    // the model loads; removed again (when still empty) if the import fails.
    let root = std::fs::read_to_string(&project.manifest_path)
        .ok()
        .and_then(|text| {
            crate::manifest::Manifest::parse("opmodel.toml", &text, &mut Default::default()).ok()
        })
        .map(|m| project.root.join(m.root));
    let created = match &root {
        Some(root) if !root.exists() => std::fs::create_dir_all(root).is_ok(),
        _ => false,
    };
    let result = import(dir, &project, args, out);
    if let (true, Err(_), Some(root)) = (created, &result, &root) {
        let _ = std::fs::remove_dir(root);
    }
    result
}

fn import(
    dir: &Path,
    project: &Project,
    args: &ImportArgs,
    out: &mut dyn Write,
) -> Result<i32, RunError> {
    let ImportWhat::Codeowners { path } = &args.what;
    let loaded = check::load_worktree(project)?;
    if let Some(area) = loaded.loaded.model.areas.first() {
        return Err(RunError::new(
            format!(
                "the model already defines areas (\"{}\" and {} more): importing would make two sources of ownership",
                area.id,
                loaded.loaded.model.areas.len() - 1
            ),
            "import into a model without areas (`opmodel init --bare` writes a manifest alone); to compare a model with \
             CODEOWNERS, run `opmodel codeowners --check`",
        ));
    }
    let (shown, text) = match path {
        Some(path) => {
            let full = dir.join(path);
            let bytes = crate::source::read_limited(&full).map_err(|e| {
                RunError::new(
                    format!(
                        "cannot read {}: {}",
                        crate::source::shown_file(&full),
                        e.words()
                    ),
                    "pass the path of a CODEOWNERS file",
                )
            })?;
            let text = String::from_utf8(bytes).map_err(|_| {
                RunError::new(
                    format!("{} is not UTF-8 text", crate::source::shown_file(&full)),
                    "save the file as UTF-8",
                )
            })?;
            (crate::source::shown_file(path), text)
        }
        None => codeowners::find(|p| crate::source::read_limited(&project.root.join(p)).ok())
            .ok_or_else(|| {
                RunError::new(
                    format!(
                        "no CODEOWNERS file in {}: looked for {}",
                        crate::source::shown_file(&project.root),
                        codeowners::LOCATIONS.join(", ")
                    ),
                    "pass the file's path: `opmodel import codeowners PATH`",
                )
            })?,
    };
    let parsed = Codeowners::parse(&text);
    let root = project.root.join(&loaded.manifest.root);
    let model_files = model_files(project, Path::new(&loaded.manifest.root));
    let imported = codeowners::import::import(&parsed, &shown, &model_files);
    for (name, _) in &imported.files {
        let target = root.join(name);
        if target.exists() {
            return Err(RunError::new(
                format!(
                    "{} already exists: opmodel never overwrites a file",
                    crate::source::shown_file(&target)
                ),
                "move it away, or merge by hand",
            ));
        }
    }
    std::fs::create_dir_all(&root).map_err(|e| {
        RunError::new(
            format!(
                "cannot create {}: {}",
                crate::source::shown_file(&root),
                crate::source::io_words(&e)
            ),
            "check the manifest's [model].root",
        )
    })?;
    let mut report = codeowners::subfolder_note(&project.root).unwrap_or_default();
    for (name, text) in &imported.files {
        let target = root.join(name);
        // `create_new`: a file that appeared since the check above is still never overwritten.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|e| {
                RunError::new(
                    format!(
                        "cannot write {}: {}",
                        crate::source::shown_file(&target),
                        crate::source::io_words(&e)
                    ),
                    "check the folder's permissions",
                )
            })?;
        report.push_str(&format!(
            "wrote {}\n",
            crate::source::shown_file(target.strip_prefix(dir).unwrap_or(&target))
        ));
    }
    report.push_str(&format!(
        "from {shown}: {} areas ({} explicitly unowned), {} people, {} teams\n",
        imported.areas, imported.unowned, imported.people, imported.teams
    ));
    for skipped in &parsed.skipped {
        report.push_str(&format!(
            "skipped line {} (GitHub skips it too): {}\n",
            skipped.number, skipped.reason
        ));
    }
    for (area, team) in &imported.to_choose {
        report.push_str(&format!(
            "area \"{area}\": only team \"{team}\" owns it; choose its owner (`owner = \"choose-owner-for-{team}\"` until then)\n"
        ));
    }
    if let Some(area) = &imported.model_area {
        report.push_str(&format!(
            "area \"{area}\": no CODEOWNERS line with owners covers the model's own files; choose its owner (`owner = \"choose-owner-for-the-model\"` until then)\n"
        ));
    }
    if imported.teams > 0 {
        report.push_str(
            "each team's lead is left to choose: replace `choose-lead-for-...` in teams.toml\n",
        );
    }
    report.push_str(
        "next: review the files, then run `opmodel check` and `opmodel codeowners --check`\n",
    );
    write_out(out, &report)?;
    Ok(EXIT_OK)
}

/// The patterns that name the manifest and the model folder, relative to the manifest's folder, with a path each
/// matches (the files the import writes live there).
fn model_files(project: &Project, model_root: &Path) -> codeowners::import::ModelFiles {
    let mut patterns = Vec::new();
    if let Some(name) = project.manifest_path.file_name().and_then(|n| n.to_str()) {
        patterns.push((format!("/{name}"), name.as_bytes().to_vec()));
    }
    let folder = crate::source::display_path(model_root);
    let folder = folder.trim_matches('/');
    if !folder.is_empty() && folder != "." {
        patterns.push((
            format!("/{folder}/"),
            format!("{folder}/areas.toml").into_bytes(),
        ));
    }
    codeowners::import::ModelFiles { patterns }
}

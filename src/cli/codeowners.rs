//! `opmodel codeowners`: the CODEOWNERS file that makes GitHub request reviews as the model says; `--write` writes
//! it, `--check` compares a file with it by effect (the reviewers of every tracked path), not by text.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::check::{self, Project, RunError};
use crate::codeowners::{self, generate, Codeowners};
use crate::ownership::Ownership;
use crate::source::ModelSource;

use super::output::write_out;
use super::{EXIT_FINDINGS, EXIT_OK};

/// Differences listed per CODEOWNERS line, at most.
const SHOWN_PER_LINE: usize = 5;

#[derive(Debug, Args)]
pub struct CodeownersArgs {
    /// Write the generated file to PATH (relative to the current folder) instead of printing it
    #[arg(long, value_name = "PATH", conflicts_with = "check")]
    pub write: Option<PathBuf>,
    /// Exit 1 when the CODEOWNERS file (PATH, or where GitHub looks) gives any tracked path other reviewers than
    /// the model
    #[arg(long, value_name = "PATH", num_args = 0..=1)]
    pub check: Option<Option<PathBuf>>,
}

pub fn run(
    dir: &Path,
    manifest: Option<&Path>,
    args: &CodeownersArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, RunError> {
    let project = Project::locate(dir, manifest)?;
    let loaded = check::load_worktree(&project)?;
    let model = &loaded.loaded.model;
    let manifest_name = project.manifest_path.file_name().map_or_else(
        || "opmodel.toml".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let source = format!(
        "{} ({manifest_name})",
        crate::source::clean_folder(&loaded.manifest.root)
    );
    let generated = generate::generate(model, &source);
    let mut notes = codeowners::subfolder_note(&project.root).unwrap_or_default();
    for (area, _, why) in &generated.unreachable {
        notes.push_str(&format!(
            "note: area \"{area}\": {why}, so GitHub cannot request its review\n"
        ));
    }
    for person in model.people.iter().filter(|p| p.github.is_none()) {
        notes.push_str(&format!(
            "note: person \"{}\" has no `github` login: their email is used, which GitHub matches only to a verified address\n",
            person.id
        ));
    }
    let _ = err.write_all(notes.as_bytes());

    if let Some(check) = &args.check {
        let (shown, text) = match check {
            Some(path) => {
                let full = dir.join(path);
                let text = crate::source::read_limited(&full)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .ok_or_else(|| {
                        RunError::new(
                            format!(
                                "cannot read {} as UTF-8 text",
                                crate::source::shown_file(&full)
                            ),
                            "pass the path of a CODEOWNERS file",
                        )
                    })?;
                (crate::source::shown_file(path), text)
            }
            None => {
                match codeowners::find(|p| crate::source::read_limited(&project.root.join(p)).ok())
                {
                    Some(found) => found,
                    None => {
                        write_out(
                        out,
                        &format!(
                            "no CODEOWNERS file ({}): GitHub requests no reviews; write one with `opmodel codeowners --write .github/CODEOWNERS`\n",
                            codeowners::LOCATIONS.join(", ")
                        ),
                    )?;
                        return Ok(EXIT_FINDINGS);
                    }
                }
            }
        };
        let file = Codeowners::parse(&text);
        let (ownership, _) = Ownership::new(model, Some(&loaded.manifest));
        let paths = project.source().tracked_paths()?.ok_or_else(|| {
            RunError::new(
                "--check compares the reviewers of the files git tracks, and this is not a git repository",
                "run it inside the repository",
            )
        })?;
        let differences = codeowners::compare(&file, model, &ownership, &paths);
        let mut report = String::new();
        for (line, diffs) in codeowners::by_line(&differences) {
            match line {
                Some(i) => {
                    let l = &file.lines[i];
                    report.push_str(&format!(
                        "{shown}:{}: `{}` gives {} paths other reviewers than the model:\n",
                        l.number,
                        crate::render::text::terminal(&text[l.span.clone()]),
                        diffs.len()
                    ));
                }
                None => report.push_str(&format!(
                    "{shown}: no line matches {} paths the model gives reviewers:\n",
                    diffs.len()
                )),
            }
            for d in diffs.iter().take(SHOWN_PER_LINE) {
                report.push_str(&format!(
                    "  {}: {} in the file, {} in the model\n",
                    crate::render::text::terminal(&crate::source::shown_path(&d.path)),
                    codeowners::words(&d.in_file),
                    codeowners::words(&d.in_model)
                ));
            }
            if diffs.len() > SHOWN_PER_LINE {
                report.push_str(&format!("  and {} more\n", diffs.len() - SHOWN_PER_LINE));
            }
        }
        if differences.is_empty() {
            report.push_str(&format!(
                "{shown} gives each of the {} tracked paths the reviewers the model gives it\n",
                paths.len()
            ));
            write_out(out, &report)?;
            return Ok(EXIT_OK);
        }
        report.push_str(&format!(
            "{} of {} tracked paths differ; `opmodel codeowners --write {shown}` makes the file follow the model\n",
            differences.len(),
            paths.len()
        ));
        write_out(out, &report)?;
        return Ok(EXIT_FINDINGS);
    }

    match &args.write {
        Some(path) => {
            let full = dir.join(path);
            if let Some(parent) = full.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            std::fs::write(&full, &generated.text).map_err(|e| {
                RunError::new(
                    format!(
                        "cannot write {}: {}",
                        crate::source::shown_file(&full),
                        crate::source::io_words(&e)
                    ),
                    "check the path and the folder's permissions",
                )
            })?;
            write_out(out, &format!("wrote {}\n", crate::source::shown_file(path)))?;
        }
        None => write_out(out, &generated.text)?,
    }
    Ok(EXIT_OK)
}

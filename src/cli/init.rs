//! `opmodel init`: a starter manifest and model that own themselves and check clean; `--bare`: the manifest
//! alone, for `opmodel import codeowners`.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::check::RunError;

use super::output::write_out;
use super::EXIT_OK;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Write only opmodel.toml (no path needs an owner yet), for a model built by `opmodel import codeowners`
    #[arg(long)]
    pub bare: bool,
}

pub fn init(
    dir: &Path,
    args: &InitArgs,
    quiet: bool,
    out: &mut dyn Write,
) -> Result<i32, RunError> {
    if !dir.is_dir() {
        return Err(RunError::new(
            format!("{} is not a folder", crate::source::shown_file(dir)),
            "create the folder first, or pass an existing one to -C",
        ));
    }
    let bare = crate::manifest::template_bare();
    let mut files: Vec<(PathBuf, &str)> = Vec::new();
    if args.bare {
        files.push((PathBuf::from(crate::source::MANIFEST_NAME), &bare));
    } else {
        files.push((
            PathBuf::from(crate::source::MANIFEST_NAME),
            crate::manifest::TEMPLATE,
        ));
        for (name, text) in crate::manifest::STARTER {
            files.push((Path::new("ops").join(name), text));
        }
    }
    // Never overwrite: refuse before writing anything when one of the files exists.
    let existing: Vec<String> = files
        .iter()
        .filter(|(path, _)| dir.join(path).symlink_metadata().is_ok())
        .map(|(path, _)| crate::source::display_path(path))
        .collect();
    if !existing.is_empty() {
        return Err(RunError::new(
            format!(
                "{} already {} in {}: opmodel init never overwrites a file",
                existing.join(", "),
                if existing.len() == 1 {
                    "exists"
                } else {
                    "exist"
                },
                crate::source::shown_file(dir)
            ),
            "edit the model there, move the files away, or run `opmodel init` in another folder",
        ));
    }
    let cannot = |path: &Path, e: &std::io::Error| {
        RunError::new(
            format!(
                "cannot write {}: {}",
                crate::source::shown_file(path),
                crate::source::io_words(e)
            ),
            "run `opmodel init` in a folder you can write to",
        )
    };
    let mut report = String::new();
    for (path, text) in &files {
        let full = dir.join(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).map_err(|e| cannot(parent, &e))?;
        }
        // `create_new`: a file that appeared since the check above is still never overwritten.
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&full)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|e| cannot(&full, &e))?;
        report.push_str(&format!("wrote {}\n", crate::source::display_path(path)));
    }
    report.push_str(if args.bare {
        "next: run `opmodel import codeowners` to build people, teams and areas from your CODEOWNERS file, \
         then `opmodel check`\n"
    } else {
        "next:\n  1. replace Alex Doe in ops/people.toml with yourself, and add your people, teams, areas and decisions\n  \
         2. commit opmodel.toml and ops/, then run `opmodel check` (the rules about paths read the files git \
         tracks)\n"
    });
    if !quiet {
        write_out(out, &report)?;
    }
    Ok(EXIT_OK)
}

//! `opmodel check`: validate the model of the working tree, or of a revision (`--rev`).

use std::io::Write;
use std::path::Path;

use clap::Args;

use crate::check::{self, CheckOptions, Project, RunError};
use crate::finding::{Finding, Level};
use crate::render::human::Style;
use crate::render::{self, Totals};
use crate::source::Files;

use super::output::{self, FailOn, LevelArgs, OutputArgs, Report};
use super::parse_as_of;

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub output: OutputArgs,

    /// Exit 1 when a finding is at this level or above
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "LEVEL")]
    pub fail_on: FailOn,

    /// The date time-based rules judge against (YYYY-MM-DD); default: today (UTC)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,

    #[command(flatten)]
    pub levels: LevelArgs,

    /// Report only the findings in these files (the manifest or model files, relative to the current folder;
    /// a folder: the model files under it); the whole model is still loaded and checked
    #[arg(value_name = "PATH")]
    pub paths: Vec<std::path::PathBuf>,

    /// Check the model as it is at this git revision (a branch, a tag, `HEAD~3`, a commit id), read from git
    /// without touching the working tree
    #[arg(long, value_name = "REV")]
    pub rev: Option<String>,
}

/// A check report, for the output path.
struct CheckReport<'a> {
    report: check::Report,
    dir: &'a Path,
    manifest: Option<&'a Path>,
}

impl Report for CheckReport<'_> {
    fn command(&self) -> &'static str {
        "check"
    }

    fn findings(&self) -> Vec<Finding> {
        self.report.findings.clone()
    }

    fn files(&self) -> &Files {
        &self.report.loaded.files
    }

    fn path_prefix(&self) -> String {
        crate::revision::GitProject::open(self.dir, self.manifest)
            .map(|git| git.prefix)
            .unwrap_or_default()
    }

    fn human(&self, style: Style) -> String {
        render::human::render(&self.report.findings, self.files(), self.totals(), style)
    }

    fn json(&self) -> String {
        render::json::render("check", &self.report.findings, self.files(), self.totals())
    }

    fn markdown(&self) -> String {
        render::markdown::render(
            "opmodel check",
            &self.report.findings,
            self.files(),
            &self.path_prefix(),
        )
    }

    fn any_at_least(&self, level: Level) -> bool {
        self.report.findings.iter().any(|f| f.level >= level)
    }
}

impl CheckReport<'_> {
    fn totals(&self) -> Totals {
        Totals {
            files: self.report.loaded.file_count,
            entities: self.report.loaded.entity_count,
        }
    }
}

pub fn run(
    dir: &Path,
    manifest: Option<&Path>,
    args: &CheckArgs,
    style: Style,
    out: &mut dyn Write,
) -> Result<i32, RunError> {
    if !dir.is_dir() {
        return Err(RunError::new(
            format!("{} is not a folder", dir.display()),
            "pass an existing folder to -C",
        ));
    }
    crate::check::share_allocator_arenas();
    let options = CheckOptions {
        as_of: parse_as_of(args.as_of.as_deref())?,
        overrides: args.levels.overrides(),
    };
    let report = match &args.rev {
        None => {
            let project = Project::locate(dir, manifest)?;
            let report = check::check_worktree(&project, &options)?;
            only_in(report, dir, &project, &args.paths)?
        }
        Some(_) if !args.paths.is_empty() => {
            return Err(RunError::new(
                "`check PATH...` reads the working tree, and --rev reads a commit",
                "leave out --rev to check these files as they are now, or leave out the paths",
            ))
        }
        Some(rev) => check_revision(dir, manifest, rev, &options)?,
    };
    let report = CheckReport {
        report,
        dir,
        manifest,
    };
    let code = output::emit(&report, dir, &args.output, args.fail_on, style, out);
    // The command's last use of the model: the process exits right after and hands every page back at once, where
    // freeing a large model entity by entity took a tenth of the run (docs/performance.md).
    std::mem::forget(report);
    code
}

/// `check PATH...`: only the findings whose place is in one of these files (the whole model was checked, so a
/// reference into another file is still judged). A path that is not a file `check` read is a run error.
fn only_in(
    mut report: check::Report,
    dir: &Path,
    project: &Project,
    paths: &[std::path::PathBuf],
) -> Result<check::Report, RunError> {
    if paths.is_empty() {
        return Ok(report);
    }
    let files = &report.loaded.files;
    let root = super::owners::normalize(&project.root);
    let mut wanted = vec![false; files.len()];
    for path in paths {
        let full = super::owners::normalize(&dir.join(path));
        let rel = full
            .strip_prefix(&root)
            .map(crate::source::display_path)
            .ok();
        let folder = dir.join(path).is_dir();
        let mut any = false;
        for (id, want) in wanted.iter_mut().enumerate() {
            let file = &files.get(id).path;
            let hit = match rel.as_deref() {
                Some(rel) if folder => {
                    rel.is_empty() || rel == "." || file.starts_with(&format!("{rel}/"))
                }
                Some(rel) => file == rel,
                None => false,
            };
            *want |= hit;
            any |= hit;
        }
        if !any {
            return Err(RunError::new(
                format!(
                    "{} is not a model file: `opmodel check` reads the manifest and the files under [model].root \
                     that include and exclude select",
                    crate::source::shown_file(path)
                ),
                "pass the path of the manifest or of a model file, relative to the current folder",
            ));
        }
    }
    report.findings.retain(|f| {
        f.location
            .as_ref()
            .is_some_and(|l| wanted.get(l.file).copied().unwrap_or(false))
    });
    Ok(report)
}

/// `check --rev REV`: the same pipeline over the files of a commit.
fn check_revision(
    dir: &Path,
    manifest: Option<&Path>,
    rev: &str,
    options: &CheckOptions,
) -> Result<check::Report, RunError> {
    let git = crate::revision::GitProject::open(dir, manifest)?;
    let commit = git.repo.resolve_commit(rev)?;
    let tree = git.at(commit);
    let Some((files, manifest, raw)) = check::read_model(&tree)? else {
        return Err(RunError::new(
            format!(
                "{rev} ({}) has no {} at {}",
                crate::revision::short(&commit),
                git.manifest_name,
                git.repo_path(&git.manifest_name)
            ),
            "check a revision that has the manifest, or pass --manifest with its path in that revision",
        ));
    };
    let paths = crate::source::ModelSource::tracked_paths(&tree)?;
    let codeowners = crate::codeowners::find(|p| {
        let path = crate::source::join_folder(tree.folder, p);
        tree.repo.read_file(commit, &path).ok().flatten()
    });
    check::check_files(files, &manifest, raw, paths.as_deref(), codeowners, options)
}

//! `opmodel diff [BASE [HEAD]]`: resolve the two sides, load them, compare, and hand the report to the output path.

use std::io::Write;
use std::path::Path;

use clap::Args;

use crate::check::RunError;
use crate::config::Config;
use crate::diff::{self, DiffReport};
use crate::finding::{Finding, Level};
use crate::render::human::Style;
use crate::revision::{self, GitProject, Side};
use crate::sink::Sink;
use crate::source::Files;

use super::output::{self, FailOn, LevelArgs, OutputArgs, Report};

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// BASE [HEAD], or BASE..HEAD, or BASE...HEAD (from their merge-base). HEAD left out: the working tree,
    /// uncommitted edits included. BASE left out: the merge-base of HEAD and the default branch
    #[arg(value_name = "REVISION", num_args = 0..=2)]
    pub revisions: Vec<String>,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Exit 1 when a change has a drift at this level or above
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = FailOn::Never)]
    pub fail_on: FailOn,

    #[command(flatten)]
    pub levels: LevelArgs,
}

struct DiffOutput {
    report: DiffReport,
    prefix: String,
}

impl Report for DiffOutput {
    fn command(&self) -> &'static str {
        "diff"
    }

    fn findings(&self) -> Vec<Finding> {
        self.report.findings()
    }

    fn files(&self) -> &Files {
        &self.report.files
    }

    fn path_prefix(&self) -> String {
        self.prefix.clone()
    }

    fn human(&self, style: Style) -> String {
        crate::render::plan::human(&self.report, style)
    }

    /// The drifts the plan shows (warnings and errors), without the plan.
    fn quiet(&self, style: Style) -> String {
        let shown: Vec<Finding> = self
            .findings()
            .into_iter()
            .filter(|f| f.level > Level::Info)
            .collect();
        crate::render::human::findings_only(&shown, self.files(), style)
    }

    fn json(&self) -> String {
        crate::render::plan::json(&self.report)
    }

    fn markdown(&self) -> String {
        crate::render::plan::markdown(&self.report)
    }

    /// Every drift counts, including one on an entity neither side can place.
    fn any_at_least(&self, level: Level) -> bool {
        self.report.worst().is_some_and(|worst| worst >= level)
    }
}

pub fn run(
    dir: &Path,
    manifest: Option<&Path>,
    args: &DiffArgs,
    style: Style,
    out: &mut dyn Write,
) -> Result<i32, RunError> {
    if !dir.is_dir() {
        return Err(RunError::new(
            format!("{} is not a folder", crate::source::shown_file(dir)),
            "pass an existing folder to -C",
        ));
    }
    let git = GitProject::open(dir, manifest)?;
    // A bare repository has no working tree: HEAD left out means the commit HEAD.
    let head_default = match git.repo.workdir() {
        Some(_) => Side::Worktree,
        None => Side::Commit {
            id: git.repo.resolve_commit("HEAD")?,
            name: "HEAD".into(),
        },
    };
    let range = revision::resolve(&git, &args.revisions, head_default)?;
    // The two sides load at once, each with its own repository handle (a handle is not shared across threads).
    let (base, head) = std::thread::scope(|scope| {
        let head = scope.spawn(|| {
            let git = GitProject::open(dir, manifest)?;
            revision::snapshot(&git, &range.head)
        });
        let base = revision::snapshot(&git, &range.base);
        let head = head
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (base, head)
    });
    let (base, head) = (base?, head?);
    if base.manifest.is_none() && head.manifest.is_none() {
        return Err(RunError::new(
            format!(
                "neither {} nor {} has {}: there is no operating model to compare",
                base.label,
                head.label,
                git.repo_path(&git.manifest_name)
            ),
            "run opmodel in the repository (and folder) that holds opmodel.toml, or name it with --manifest",
        ));
    }
    // Levels come from the base: a change cannot lower the level of the checks that judge it.
    let (config, _) = Config::new(base.manifest.as_ref(), &args.levels.overrides())
        .map_err(|e| RunError::new(e.to_string(), "`opmodel rules` lists every check"))?;
    let mut report = diff::compare(
        &base,
        &head,
        &mut Sink::new(&config, Some(&base.loaded.model)),
    );
    report.note = range.note;
    let report = DiffOutput {
        report,
        prefix: git.prefix.clone(),
    };
    output::emit(&report, dir, &args.output, args.fail_on, style, out)
}

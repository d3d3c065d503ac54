//! `opmodel audit [RANGE]`: its arguments, the progress bar, and the report handed to the output path.

use std::io::Write;
use std::path::Path;

use clap::Args;

use crate::audit::{self, Audit, Options};
use crate::check::RunError;
use crate::finding::{Finding, Level};
use crate::render::audit as render;
use crate::render::human::Style;
use crate::source::Files;

use super::output::{self, FailOn, LevelArgs, OutputArgs, Report};
use super::Env;

/// Progress is drawn only for ranges longer than this: a short audit finishes before it would be read.
const PROGRESS_FROM: usize = 500;

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// The commits to audit: BASE..HEAD, BASE...HEAD, or BASE (to HEAD); default: from the merge-base of HEAD
    /// and the default branch to HEAD
    #[arg(value_name = "RANGE")]
    pub range: Option<String>,

    /// Follow only first parents: judge each merge by what it brings to its first parent, not the side branch's
    /// commits one by one
    #[arg(long)]
    pub first_parent: bool,

    /// An approval known outside git, such as a pull request's approving review (repeatable)
    #[arg(long, value_name = "ID|EMAIL|@LOGIN")]
    pub approver: Vec<String>,

    #[command(flatten)]
    pub output: OutputArgs,

    /// Exit 1 when a finding is at this level or above
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "LEVEL")]
    pub fail_on: FailOn,

    #[command(flatten)]
    pub levels: LevelArgs,
}

impl Report for Audit {
    fn command(&self) -> &'static str {
        "audit"
    }

    fn findings(&self) -> Vec<Finding> {
        self.plain_findings()
    }

    fn files(&self) -> &Files {
        &self.files
    }

    fn path_prefix(&self) -> String {
        self.prefix.clone()
    }

    fn human(&self, style: Style) -> String {
        render::human(self, style)
    }

    fn json(&self) -> String {
        render::json(self)
    }

    fn markdown(&self) -> String {
        render::markdown(self)
    }

    fn any_at_least(&self, level: Level) -> bool {
        Audit::any_at_least(self, level)
    }
}

/// Run the audit and write its report to `out`; the progress bar, when drawn, goes to `err`.
pub fn run(
    dir: &Path,
    manifest: Option<&Path>,
    args: &AuditArgs,
    env: &Env,
    style: Style,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, RunError> {
    let options = Options {
        range: args.range.clone(),
        first_parent: args.first_parent,
        approvers: args.approver.clone(),
        overrides: args.levels.overrides(),
    };
    let mut bar = Progress {
        err,
        draw: env.stderr_is_terminal && !env.ci,
        shown: None,
    };
    let audit = audit::run(dir, manifest, &options, &mut |done, total| {
        bar.update(done, total)
    });
    bar.clear();
    output::emit(&audit?, dir, &args.output, args.fail_on, style, out)
}

/// A one-line progress bar on a terminal's standard error.
struct Progress<'w> {
    err: &'w mut dyn Write,
    draw: bool,
    /// The last percentage drawn.
    shown: Option<usize>,
}

impl Progress<'_> {
    fn update(&mut self, done: usize, total: usize) {
        if !self.draw || total <= PROGRESS_FROM {
            return;
        }
        let percent = done * 100 / total.max(1);
        if self.shown == Some(percent) {
            return;
        }
        self.shown = Some(percent);
        let filled = percent * 30 / 100;
        let _ = write!(
            self.err,
            "\r  auditing [{}{}] {percent:3}% {done}/{total} commits",
            "=".repeat(filled),
            " ".repeat(30 - filled)
        );
        let _ = self.err.flush();
    }

    fn clear(&mut self) {
        if self.shown.is_some() {
            let _ = write!(self.err, "\r\x1b[2K");
            let _ = self.err.flush();
        }
    }
}

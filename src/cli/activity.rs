//! `opmodel activity [RANGE]`: its arguments, the progress bar, and the report handed to the output path.

use std::io::Write;
use std::path::Path;

use clap::Args;

use crate::activity::{self, Activity, Options};
use crate::check::RunError;
use crate::date::Date;
use crate::finding::{Finding, Level};
use crate::render::activity as render;
use crate::render::human::Style;
use crate::source::Files;

use super::audit::Progress;
use super::output::{self, FailOn, LevelArgs, OutputArgs, Report};
use super::{parse_as_of, Env};

#[derive(Debug, Args)]
pub struct ActivityArgs {
    /// The commits to read: BASE..HEAD (or BASE, to HEAD), instead of a window of dates
    #[arg(value_name = "RANGE", conflicts_with = "since")]
    pub range: Option<String>,

    /// The first day of the window (YYYY-MM-DD); default: 90 days before --as-of
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,

    /// The last day of the window (YYYY-MM-DD, UTC); default: today
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,

    /// Read every commit, not only first parents: side branches' commits count one by one, and a merge only for
    /// what it changed itself
    #[arg(long)]
    pub all: bool,

    /// An approval known outside git, such as a pull request's approving review: the person counts as involved
    /// in every change of the window (repeatable)
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

impl Report for Activity {
    fn command(&self) -> &'static str {
        "activity"
    }

    fn findings(&self) -> Vec<Finding> {
        self.findings.clone()
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
        Activity::any_at_least(self, level)
    }
}

/// Read the window and write its report to `out`; the progress bar, when drawn, goes to `err`.
pub fn run(
    dir: &Path,
    manifest: Option<&Path>,
    args: &ActivityArgs,
    env: &Env,
    style: Style,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, RunError> {
    let since = match &args.since {
        None => None,
        Some(text) => Some(Date::parse(text).ok_or_else(|| {
            RunError::new(
                format!("--since {text}: not a date"),
                "write the date as YYYY-MM-DD, for example --since 2026-08-01",
            )
        })?),
    };
    let options = Options {
        range: args.range.clone(),
        since,
        as_of: parse_as_of(args.as_of.as_deref())?,
        all: args.all,
        approvers: args.approver.clone(),
        overrides: args.levels.overrides(),
    };
    let mut bar = Progress {
        err,
        draw: env.stderr_is_terminal && !env.ci && !style.quiet,
        verb: "reading",
        shown: None,
    };
    let activity = activity::run(dir, manifest, &options, &mut |done, total| {
        bar.update(done, total)
    });
    bar.clear();
    output::emit(&activity?, dir, &args.output, args.fail_on, style, out)
}

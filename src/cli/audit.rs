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

    /// Audit what a pre-push hook is pushing, as pre-commit describes it (PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF;
    /// a new branch from its merge-base with the default branch); block only a push to the default branch
    #[arg(long, conflicts_with = "range")]
    pub pre_push: bool,

    /// An approval known outside git, such as a pull request's approving review (repeatable)
    #[arg(long, value_name = "ID|EMAIL|@LOGIN")]
    pub approver: Vec<String>,

    /// The author of every change in the range, as the CI platform authenticated them (the pull request's
    /// author); counts only under `[approvals] trust = "platform"`
    #[arg(long, value_name = "ID|EMAIL|@LOGIN")]
    pub author: Option<String>,

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
    let (range, fail_on, notes) = if args.pre_push {
        match pre_push_plan(dir, manifest, env, args.fail_on)? {
            Some(plan) => (Some(plan.range), plan.fail_on, plan.notes),
            None => {
                output::write_out(out, "nothing to audit: the push deletes a branch\n")?;
                return Ok(super::EXIT_OK);
            }
        }
    } else {
        (args.range.clone(), args.fail_on, Vec::new())
    };
    let options = Options {
        range,
        notes,
        first_parent: args.first_parent,
        approvers: args.approver.clone(),
        author: args.author.clone(),
        overrides: args.levels.overrides(),
    };
    let mut bar = Progress {
        err,
        draw: env.stderr_is_terminal && !env.ci && !style.quiet,
        verb: "auditing",
        shown: None,
    };
    let audit = audit::run(dir, manifest, &options, &mut |done, total| {
        bar.update(done, total)
    });
    bar.clear();
    let audit = audit?;
    if args.output.output.is_none() && args.output.format == output::Format::Json {
        // Written as it is built: a long history's document is hundreds of megabytes as one text.
        let mut writer = std::io::BufWriter::with_capacity(1 << 16, &mut *out);
        match render::write_json(&audit, &mut writer).and_then(|()| writer.flush()) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            Err(e) => {
                return Err(RunError::new(
                    format!("cannot write the report: {e}"),
                    "check the output destination",
                ))
            }
        }
        return Ok(match fail_on.threshold() {
            Some(level) if audit.any_at_least(level) => super::EXIT_FINDINGS,
            _ => super::EXIT_OK,
        });
    }
    output::emit(&audit, dir, &args.output, fail_on, style, out)
}

/// What `--pre-push` audits, and how.
struct PrePushPlan {
    range: String,
    fail_on: FailOn,
    /// Why it does not block, when it does not.
    notes: Vec<String>,
}

/// The range, the failing level and a note for `--pre-push`; None when the push deletes a branch.
///
/// A branch must be able to reach review: the sign-offs it lacks are given in review, after the push. So a push
/// to any branch but the default one reports what it lacks without blocking; a push to the default branch is
/// judged like a merge, with `--fail-on`.
fn pre_push_plan(
    dir: &Path,
    manifest: Option<&Path>,
    env: &Env,
    fail_on: FailOn,
) -> Result<Option<PrePushPlan>, RunError> {
    let Some(push) = &env.pre_push else {
        return Err(RunError::new(
            "--pre-push reads the pushed range from PRE_COMMIT_FROM_REF and PRE_COMMIT_TO_REF, and they are not set",
            "run it as the opmodel-audit hook of pre-commit's pre-push stage, or name the range: opmodel audit BASE..HEAD",
        ));
    };
    let zero = |id: &str| !id.is_empty() && id.bytes().all(|b| b == b'0');
    if zero(&push.to) {
        return Ok(None);
    }
    let git = crate::revision::GitProject::open(dir, manifest)?;
    let default = git.repo.default_branch()?.map(|(name, _)| name);
    let pushed_to = push
        .remote_branch
        .strip_prefix("refs/heads/")
        .unwrap_or(&push.remote_branch);
    let default_short = default
        .as_deref()
        .map(|name| name.strip_prefix("origin/").unwrap_or(name));
    let blocking = default_short == Some(pushed_to);
    let range = if zero(&push.from) {
        let Some(default) = default else {
            return Err(RunError::new(
                format!("{pushed_to} is a new branch, and there is no default branch to start it from"),
                "create or fetch the default branch (main or master), or push with the range named: opmodel audit BASE..HEAD",
            ));
        };
        format!("{default}...{}", push.to)
    } else {
        format!("{}..{}", push.from, push.to)
    };
    let mut notes = Vec::new();
    let fail_on = if blocking {
        fail_on
    } else {
        notes.push(format!(
            "pushing to {pushed_to}, not the default branch: what lacks an approval is reported, not blocked; \
             the sign-offs are given in review"
        ));
        FailOn::Never
    };
    Ok(Some(PrePushPlan {
        range,
        fail_on,
        notes,
    }))
}

/// A one-line progress bar on a terminal's standard error (`activity` draws it too).
pub(super) struct Progress<'w> {
    pub(super) err: &'w mut dyn Write,
    pub(super) draw: bool,
    /// `auditing`, `reading`: what the bar says is going on.
    pub(super) verb: &'static str,
    /// The last percentage drawn.
    pub(super) shown: Option<usize>,
}

impl Progress<'_> {
    pub(super) fn update(&mut self, done: usize, total: usize) {
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
            "\r  {} [{}{}] {percent:3}% {done}/{total} commits",
            self.verb,
            "=".repeat(filled),
            " ".repeat(30 - filled)
        );
        let _ = self.err.flush();
    }

    pub(super) fn clear(&mut self) {
        if self.shown.is_some() {
            let _ = write!(self.err, "\r\x1b[2K");
            let _ = self.err.flush();
        }
    }
}

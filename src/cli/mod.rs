//! The command layer: parse arguments, run a command, print, and return the exit code. One module per command
//! (its arguments and its `run`), one output path for every findings report (`output`). Domain modules never import
//! this layer; the facts of the process (terminal, `CI`, `NO_COLOR`, width) reach them only through [`Env`].

mod activity;
mod audit;
mod check;
mod codeowners;
mod completions;
mod diff;
mod graph;
mod import;
mod init;
pub mod output;
mod owners;
mod report;
mod rules;
mod show;

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::check::RunError;
use crate::date::Date;
use crate::render::{human, Totals};

/// Exit code: no finding at the failing level.
pub const EXIT_OK: i32 = 0;
/// Exit code: at least one finding at the failing level.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: the tool could not run.
pub const EXIT_ERROR: i32 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "opmodel",
    version,
    about = "Lint, diff and audit a company's operating model kept as TOML in git",
    long_about = None,
    after_help = "Exit codes: 0 no finding at the failing level, 1 findings at the failing level, 2 opmodel could not run."
)]
struct Cli {
    /// Run as if opmodel was started in DIR (like `git -C`)
    #[arg(short = 'C', global = true, value_name = "DIR")]
    directory: Option<PathBuf>,

    /// The manifest to use, instead of finding opmodel.toml from the current folder upwards
    #[arg(long, global = true, value_name = "PATH")]
    manifest: Option<PathBuf>,

    /// When to use colors; NO_COLOR in the environment means never for `auto`
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,

    /// Findings only: no header, plan, summary line or progress (`check`, `diff`, `audit`); `init` prints nothing.
    /// Exit codes are unchanged
    #[arg(short = 'q', long, global = true)]
    quiet: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The formats of a listing (`rules`, `owners`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate the model: syntax, schema, references and the rule catalog
    Check(check::CheckArgs),
    /// Compare two revisions of the model entity by entity, and say which changes need whose sign-off
    Diff(diff::DiffArgs),
    /// Walk the commits of a range: changes nobody owns, changes their owner did not approve, drifts without sign-off
    Audit(audit::AuditArgs),
    /// Read a window of history: absent owners, shadow owners, heroics, unowned hotspots (is the model true?)
    Activity(activity::ActivityArgs),
    /// List every rule with its default level and summary
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Print the documentation of one rule
    Explain {
        /// The rule's name, as `opmodel rules` lists it
        rule: String,
    },
    /// Show which area owns each path, and the pattern that decided
    Owners {
        /// Paths, relative to the current folder (they need not exist)
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Show one entity and everything connected to it, each line with the file and field it came from
    Show(show::ShowArgs),
    /// Draw the model: reporting lines, handoffs, decisions or priorities, as Mermaid or Graphviz DOT
    Graph(graph::GraphArgs),
    /// The operating model as one handbook (Markdown or self-contained HTML): decisions, areas, handoffs, org, metrics, findings
    Report(report::ReportArgs),
    /// Write a starter opmodel.toml and model (ops/) that own themselves and check clean
    Init(init::InitArgs),
    /// Build model files from another source of truth: `opmodel import codeowners [PATH]`
    Import(import::ImportArgs),
    /// Print the CODEOWNERS file that makes GitHub request reviews as the model says (`--write`, `--check`)
    Codeowners(codeowners::CodeownersArgs),
    /// Print the shell completion script for SHELL (bash, zsh, fish, elvish, powershell)
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page, in roff: `opmodel man > opmodel.1`, then `man -l opmodel.1`
    Man {
        /// A command's own page (`opmodel man check` is opmodel-check(1))
        command: Option<String>,
    },
}

/// The process environment a run depends on, so tests can fix it.
#[derive(Debug, Clone)]
pub struct Env {
    pub cwd: PathBuf,
    /// `NO_COLOR` is set and not empty.
    pub no_color: bool,
    pub stdout_is_terminal: bool,
    /// Whether standard error is a terminal: a progress bar is drawn only there.
    pub stderr_is_terminal: bool,
    /// `CI` is set: no progress bar, whatever the terminal says.
    pub ci: bool,
    /// `COLUMNS`, when it is 40 or more; else 100.
    pub width: usize,
    /// What pre-commit tells a pre-push hook about the push, when it runs one.
    pub pre_push: Option<PrePush>,
}

/// The push a pre-push hook judges, as pre-commit passes it (`PRE_COMMIT_FROM_REF`, `PRE_COMMIT_TO_REF`,
/// `PRE_COMMIT_REMOTE_BRANCH`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrePush {
    /// The remote's commit before the push; all zeros for a new branch.
    pub from: String,
    /// The commit pushed; all zeros when the push deletes the branch.
    pub to: String,
    /// The remote ref pushed to, such as `refs/heads/main`.
    pub remote_branch: String,
}

impl Env {
    /// Read the real process environment.
    pub fn from_process() -> Env {
        Env {
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            stdout_is_terminal: std::io::stdout().is_terminal(),
            stderr_is_terminal: std::io::stderr().is_terminal(),
            ci: std::env::var_os("CI").is_some(),
            pre_push: match (
                std::env::var("PRE_COMMIT_FROM_REF"),
                std::env::var("PRE_COMMIT_TO_REF"),
            ) {
                (Ok(from), Ok(to)) => Some(PrePush {
                    from,
                    to,
                    remote_branch: std::env::var("PRE_COMMIT_REMOTE_BRANCH").unwrap_or_default(),
                }),
                _ => None,
            },
            width: std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.parse().ok())
                .filter(|w: &usize| *w >= 40)
                .unwrap_or(100),
        }
    }
}

/// Run opmodel with `args` (the program name first); write the report to `out`, problems to `err`.
pub fn run(
    args: impl IntoIterator<Item = OsString>,
    env: &Env,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let text = e.render().to_string();
            let _ = if e.use_stderr() {
                err.write_all(text.as_bytes())
            } else {
                out.write_all(text.as_bytes())
            };
            return code;
        }
    };
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => env.stdout_is_terminal && !env.no_color,
    };
    let style = human::Style {
        color,
        width: env.width,
        quiet: cli.quiet,
    };
    let dir = match &cli.directory {
        Some(d) => env.cwd.join(d),
        None => env.cwd.clone(),
    };
    let result = match &cli.command {
        Command::Check(args) => check::run(&dir, cli.manifest.as_deref(), args, style, out),
        Command::Diff(args) => diff::run(&dir, cli.manifest.as_deref(), args, style, out),
        Command::Audit(args) => {
            audit::run(&dir, cli.manifest.as_deref(), args, env, style, out, err)
        }
        Command::Activity(args) => {
            activity::run(&dir, cli.manifest.as_deref(), args, env, style, out, err)
        }
        Command::Rules { format } => rules::list_rules(*format, out),
        Command::Explain { rule } => rules::explain(rule, out),
        Command::Owners { paths, format } => {
            owners::owners(&dir, cli.manifest.as_deref(), paths, *format, out)
        }
        Command::Show(args) => show::run(&dir, cli.manifest.as_deref(), args, out),
        Command::Graph(args) => graph::run(&dir, cli.manifest.as_deref(), args, out),
        Command::Report(args) => report::run(&dir, cli.manifest.as_deref(), args, out),
        Command::Init(args) => init::init(&dir, args, cli.quiet, out),
        Command::Import(args) => import::run(&dir, cli.manifest.as_deref(), args, out),
        Command::Codeowners(args) => codeowners::run(&dir, cli.manifest.as_deref(), args, out, err),
        Command::Completions { shell } => completions::completions(*shell, out),
        Command::Man { command } => completions::man(command.as_deref(), out),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            if !error.findings.is_empty() {
                let _ = err.write_all(
                    human::render(&error.findings, &error.files, Totals::default(), style)
                        .lines()
                        .filter(|l| !l.starts_with("no problems in") && !l.contains(" in 0 files"))
                        .map(|l| format!("{l}\n"))
                        .collect::<String>()
                        .as_bytes(),
                );
            }
            let _ = writeln!(err, "error: {}\n  help: {}", error.message, error.help);
            EXIT_ERROR
        }
    }
}

fn parse_as_of(text: Option<&str>) -> Result<Date, RunError> {
    match text {
        None => Ok(Date::today()),
        Some(text) => Date::parse(text).ok_or_else(|| {
            RunError::new(
                format!("--as-of {text}: not a date"),
                "write the date as YYYY-MM-DD, for example --as-of 2026-03-31",
            )
        }),
    }
}

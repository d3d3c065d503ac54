//! The command line: parse arguments, run a command, print, and return the exit code.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::check::{self, CheckOptions, Project, RunError};
use crate::config::Overrides;
use crate::date::Date;
use crate::finding::{Finding, Level};
use crate::render::{self, human, Totals};
use crate::rules;
use crate::source::Files;

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

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
}

/// The formats of a findings report (docs/output.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// The human report (miette diagnostics and a summary line)
    Human,
    /// A versioned JSON document
    Json,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// Markdown, for a job summary or a pull-request comment
    Markdown,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate the model: syntax, schema, references and the rule catalog
    Check(CheckArgs),
    /// Compare two revisions of the model entity by entity, and say which changes need whose sign-off
    Diff(DiffArgs),
    /// Walk the commits of a range: changes nobody owns, changes their owner did not approve, drifts without sign-off
    Audit(crate::audit::command::AuditArgs),
    /// List every rule with its default level and summary
    Rules {
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
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
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
    },
    /// Write a starter opmodel.toml and an empty ops/ folder in the current folder
    Init,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    format: ReportFormat,

    /// Write the report in --format to FILE, and the human report to standard output
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// The date time-based rules judge against (YYYY-MM-DD); default: today (UTC)
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,

    /// Make a rule an error; `--deny warnings` makes every warning an error
    #[arg(long, value_name = "RULE")]
    deny: Vec<String>,

    /// Make a rule a warning
    #[arg(long, value_name = "RULE")]
    warn: Vec<String>,

    /// Turn a rule off
    #[arg(long, value_name = "RULE")]
    allow: Vec<String>,

    /// Check the model as it is at this git revision (a branch, a tag, `HEAD~3`, a commit id), read from git
    /// without touching the working tree
    #[arg(long, value_name = "REV")]
    rev: Option<String>,
}

#[derive(Debug, Args)]
struct DiffArgs {
    /// BASE [HEAD], or BASE..HEAD, or BASE...HEAD (from their merge-base). HEAD left out: the working tree,
    /// uncommitted edits included. BASE left out: the merge-base of HEAD and the default branch
    #[arg(value_name = "REVISION", num_args = 0..=2)]
    revisions: Vec<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = crate::diff::command::Format::Human)]
    format: crate::diff::command::Format,

    /// Exit 1 when a change has a drift at this level or above
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = crate::diff::command::FailOn::Never)]
    fail_on: crate::diff::command::FailOn,

    /// Write the report in --format to FILE, and the human report to standard output
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// The process environment a run depends on, so tests can fix it.
#[derive(Debug, Clone)]
pub struct Env {
    pub cwd: PathBuf,
    pub no_color: bool,
    pub stdout_is_terminal: bool,
    pub width: usize,
}

impl Env {
    /// Read the real process environment.
    pub fn from_process() -> Env {
        Env {
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            stdout_is_terminal: std::io::stdout().is_terminal(),
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
    };
    let dir = match &cli.directory {
        Some(d) => env.cwd.join(d),
        None => env.cwd.clone(),
    };
    let result = match &cli.command {
        Command::Check(args) => run_check(&dir, cli.manifest.as_deref(), args, style, out),
        Command::Diff(args) => {
            let options = crate::diff::command::DiffOptions {
                revisions: args.revisions.clone(),
                format: args.format,
                fail_on: args.fail_on,
                output: args.output.clone(),
            };
            crate::diff::command::run(&dir, cli.manifest.as_deref(), &options, style)
                .and_then(|(text, code)| write_out(out, &text).map(|()| code))
        }
        Command::Audit(args) => {
            crate::audit::command::run(&dir, cli.manifest.as_deref(), args, style, out, err)
        }
        Command::Rules { format } => list_rules(*format, out),
        Command::Explain { rule } => explain(rule, out),
        Command::Owners { paths, format } => {
            owners(&dir, cli.manifest.as_deref(), paths, *format, out)
        }
        Command::Init => init(&dir, out),
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

fn run_check(
    dir: &Path,
    manifest: Option<&Path>,
    args: &CheckArgs,
    style: human::Style,
    out: &mut dyn Write,
) -> Result<i32, RunError> {
    if !dir.is_dir() {
        return Err(RunError::new(
            format!("{} is not a folder", dir.display()),
            "pass an existing folder to -C",
        ));
    }
    let options = CheckOptions {
        as_of: parse_as_of(args.as_of.as_deref())?,
        overrides: Overrides {
            deny: args.deny.clone(),
            warn: args.warn.clone(),
            allow: args.allow.clone(),
        },
    };
    let report = match &args.rev {
        None => check::check_worktree(&Project::locate(dir, manifest)?, &options)?,
        Some(rev) => check_revision(dir, manifest, rev, &options)?,
    };
    let totals = Totals {
        files: report.loaded.file_count,
        entities: report.loaded.entity_count,
    };
    let findings = ReportInput {
        command: "check",
        findings: &report.findings,
        files: &report.loaded.files,
        totals,
    };
    emit_report(
        dir,
        manifest,
        args.format,
        args.output.as_deref(),
        &findings,
        style,
        out,
    )?;
    Ok(if report.worst() == Some(Level::Error) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn write_out(out: &mut dyn Write, text: &str) -> Result<(), RunError> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`opmodel check | head`) is the reader's choice, not a failure to report.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(RunError::new(
            format!("cannot write the report: {e}"),
            "check the output destination",
        )),
    }
}

/// A findings report, whichever command made it.
struct ReportInput<'a> {
    command: &'a str,
    findings: &'a [Finding],
    files: &'a Files,
    totals: Totals,
}

/// Write a report: the chosen format to `out`; or, with `--output FILE` (relative to `dir`, like every path
/// after `-C`), the chosen format to FILE and the human report to `out`.
fn emit_report(
    dir: &Path,
    manifest: Option<&Path>,
    format: ReportFormat,
    output: Option<&Path>,
    report: &ReportInput<'_>,
    style: human::Style,
    out: &mut dyn Write,
) -> Result<(), RunError> {
    let Some(output) = output else {
        return write_out(out, &render_report(dir, manifest, format, report, style));
    };
    let file_style = human::Style {
        color: false,
        ..style
    };
    write_report_file(
        &dir.join(output),
        &render_report(dir, manifest, format, report, file_style),
    )?;
    write_out(
        out,
        &human::render(report.findings, report.files, report.totals, style),
    )
}

fn render_report(
    dir: &Path,
    manifest: Option<&Path>,
    format: ReportFormat,
    report: &ReportInput<'_>,
    style: human::Style,
) -> String {
    let (findings, files) = (report.findings, report.files);
    // SARIF, annotations and Markdown name repository paths: the manifest's folder inside the repository.
    let prefix = || {
        crate::revision::GitProject::open(dir, manifest)
            .map(|git| git.prefix)
            .unwrap_or_default()
    };
    match format {
        ReportFormat::Human => human::render(findings, files, report.totals, style),
        ReportFormat::Json => render::json::render(report.command, findings, files, report.totals),
        ReportFormat::Sarif => render::sarif::render(findings, files, &prefix()),
        ReportFormat::Github => render::github::render(findings, files, &prefix()),
        ReportFormat::Markdown => render::markdown::render(
            &format!("opmodel {}", report.command),
            findings,
            files,
            &prefix(),
        ),
    }
}

fn list_rules(format: Format, out: &mut dyn Write) -> Result<i32, RunError> {
    let text = match format {
        Format::Human => crate::docs::rules_table(),
        Format::Json => crate::docs::rules_json(),
    };
    write_out(out, &text)?;
    Ok(EXIT_OK)
}

fn explain(name: &str, out: &mut dyn Write) -> Result<i32, RunError> {
    let Some(rule) = rules::find(name) else {
        let help = match crate::suggest::did_you_mean(name, rules::names()) {
            Some(best) => format!("did you mean `{best}`? `opmodel rules` lists every rule"),
            None => "`opmodel rules` lists every rule".into(),
        };
        return Err(RunError::new(
            format!("there is no rule named `{name}`"),
            help,
        ));
    };
    write_out(out, &crate::docs::explain(rule))?;
    Ok(EXIT_OK)
}

fn init(dir: &Path, out: &mut dyn Write) -> Result<i32, RunError> {
    let manifest = dir.join(crate::source::MANIFEST_NAME);
    if manifest.exists() {
        return Err(RunError::new(
            format!("{} already exists", manifest.display()),
            "edit it, or run `opmodel init` in another folder",
        ));
    }
    let write = |path: &Path, text: &str| {
        std::fs::write(path, text).map_err(|e| {
            RunError::new(
                format!(
                    "cannot write {}: {}",
                    path.display(),
                    crate::source::io_words(&e)
                ),
                "run `opmodel init` in a folder you can write to",
            )
        })
    };
    write(&manifest, crate::manifest::TEMPLATE)?;
    let ops = dir.join("ops");
    std::fs::create_dir_all(&ops).map_err(|e| {
        RunError::new(
            format!(
                "cannot create {}: {}",
                ops.display(),
                crate::source::io_words(&e)
            ),
            "run `opmodel init` in a folder you can write to",
        )
    })?;
    write_out(
        out,
        &format!(
            "created {} and {}/\nnext: describe your people, teams and decisions in ops/*.toml, then run `opmodel check`\n",
            manifest.display(),
            ops.display()
        ),
    )?;
    Ok(EXIT_OK)
}

fn owners(
    dir: &Path,
    manifest: Option<&Path>,
    paths: &[PathBuf],
    format: Format,
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
        Format::Human => crate::owners::render_human(&answers),
        Format::Json => crate::owners::render_json(&answers),
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
    check::check_files(files, &manifest, raw, paths.as_deref(), options)
}

/// Write a report to the file `--output` names.
pub(crate) fn write_report_file(path: &Path, text: &str) -> Result<(), RunError> {
    std::fs::write(path, text).map_err(|e| {
        RunError::new(
            format!(
                "cannot write the report to {}: {}",
                path.display(),
                crate::source::io_words(&e)
            ),
            "pass --output a file in a folder that exists and that you can write to",
        )
    })
}

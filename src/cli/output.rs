//! The one output path of every findings command (`check`, `diff`, `audit`): the format, `--output`, `--fail-on`,
//! the level overrides, and the exit code.
//!
//! A command builds a report that implements [`Report`]; [`emit`] renders it in the chosen format, writes it to
//! standard output or to `--output FILE` (then the human report goes to standard output), and returns the exit
//! code. Adding a format is one variant of [`Format`], its line in [`render`], and its renderer's file.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::check::RunError;
use crate::config::Overrides;
use crate::finding::{Finding, Level};
use crate::render::human::Style;
use crate::source::Files;

use super::{EXIT_FINDINGS, EXIT_OK};

/// The formats of a findings report (docs/output.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: diagnostics (check, audit) or a plan (diff), then a summary line
    Human,
    /// A versioned JSON document
    Json,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// Markdown, for a job summary or a pull-request comment
    Markdown,
    /// JUnit XML, for CI systems that show test reports (one test case per rule)
    Junit,
}

/// The lowest level that makes the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// Errors
    Error,
    /// Warnings and errors
    Warn,
    /// Any finding
    Info,
    /// Always exit 0 when the command ran
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<Level> {
        match self {
            FailOn::Error => Some(Level::Error),
            FailOn::Warn => Some(Level::Warn),
            FailOn::Info => Some(Level::Info),
            FailOn::Never => None,
        }
    }
}

/// `--format` and `--output`, shared by every findings command.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Write the report in --format to FILE, and the human report to standard output
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The command-line level overrides (step 3 of `crate::sink`), shared by every findings command.
#[derive(Debug, Args)]
pub struct LevelArgs {
    /// Make a rule an error; `--deny warnings` makes every warning an error
    #[arg(long, value_name = "RULE")]
    pub deny: Vec<String>,

    /// Make a rule a warning
    #[arg(long, value_name = "RULE")]
    pub warn: Vec<String>,

    /// Turn a rule off
    #[arg(long, value_name = "RULE")]
    pub allow: Vec<String>,
}

impl LevelArgs {
    pub fn overrides(&self) -> Overrides {
        Overrides {
            rules: crate::catalog::all(),
            deny: self.deny.clone(),
            warn: self.warn.clone(),
            allow: self.allow.clone(),
        }
    }
}

/// What a command hands to the output path.
pub trait Report {
    /// `check`, `diff`, `audit`: names the report in JSON, Markdown and JUnit.
    fn command(&self) -> &'static str;
    /// Every finding, at its reported level.
    fn findings(&self) -> Vec<Finding>;
    /// The texts the findings point into.
    fn files(&self) -> &Files;
    /// The manifest's folder in the repository (`""` at its root, else ending in `/`), for repository paths.
    fn path_prefix(&self) -> String;
    fn human(&self, style: Style) -> String;
    fn json(&self) -> String;
    fn markdown(&self) -> String;
    /// The human report under `--quiet`: the findings alone.
    fn quiet(&self, style: Style) -> String {
        crate::render::human::findings_only(&self.findings(), self.files(), style)
    }
    /// Whether a finding reaches `level`.
    fn any_at_least(&self, level: Level) -> bool {
        self.findings().iter().any(|f| f.level >= level)
    }
}

/// The report in one format.
pub fn render(report: &dyn Report, format: Format, style: Style) -> String {
    match format {
        Format::Human if style.quiet => report.quiet(style),
        Format::Human => report.human(style),
        Format::Json => report.json(),
        Format::Markdown => report.markdown(),
        Format::Sarif => crate::render::sarif::render(
            report.command(),
            &report.findings(),
            report.files(),
            &report.path_prefix(),
        ),
        Format::Github => {
            crate::render::github::render(&report.findings(), report.files(), &report.path_prefix())
        }
        Format::Junit => crate::render::junit::render(
            report.command(),
            &report.findings(),
            report.files(),
            &report.path_prefix(),
        ),
    }
}

/// Write `report` as `output` says (paths relative to `dir`, like every path after `-C`) and return the exit
/// code for `fail_on`.
pub fn emit(
    report: &dyn Report,
    dir: &Path,
    output: &OutputArgs,
    fail_on: FailOn,
    style: Style,
    out: &mut dyn Write,
) -> Result<i32, RunError> {
    match &output.output {
        None => write_out(out, &render(report, output.format, style))?,
        Some(file) => {
            let plain = Style {
                color: false,
                ..style
            };
            write_report_file(&dir.join(file), &render(report, output.format, plain))?;
            write_out(out, &render(report, Format::Human, style))?;
        }
    }
    Ok(match fail_on.threshold() {
        Some(level) if report.any_at_least(level) => EXIT_FINDINGS,
        _ => EXIT_OK,
    })
}

/// Write text to standard output. A closed pipe (`opmodel check | head`) is the reader's choice, not a failure.
pub fn write_out(out: &mut dyn Write, text: &str) -> Result<(), RunError> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(RunError::new(
            format!("cannot write the report: {e}"),
            "check the output destination",
        )),
    }
}

/// Write a report to the file `--output` names.
pub(super) fn write_report_file(path: &Path, text: &str) -> Result<(), RunError> {
    std::fs::write(path, text).map_err(|e| {
        RunError::new(
            format!(
                "cannot write the report to {}: {}",
                crate::source::shown_file(path),
                crate::source::io_words(&e)
            ),
            "pass --output a file in a folder that exists and that you can write to",
        )
    })
}

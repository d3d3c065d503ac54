//! `opmodel audit` on the command line: its arguments, the output formats, `--fail-on`, and the progress bar.

use std::io::{IsTerminal, Write};
use std::path::Path;

use clap::{Args, ValueEnum};

use crate::check::RunError;
use crate::finding::Level;
use crate::render::human::Style;

use super::{render, Options};

/// Progress is drawn only for ranges longer than this: a short audit finishes before it would be read.
const PROGRESS_FROM: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// One diagnostic per finding, then a summary
    Human,
    /// A versioned JSON document (docs/output.md)
    Json,
    /// Markdown, for a pull-request comment
    Markdown,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
    /// GitHub Actions workflow commands (annotations)
    Github,
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
    /// Always exit 0 when the audit ran
    Never,
}

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

    /// Output format
    #[arg(long, value_enum, default_value_t = AuditFormat::Human)]
    pub format: AuditFormat,

    /// Exit 1 when a finding is at this level or above
    #[arg(long, value_enum, default_value_t = FailOn::Error, value_name = "LEVEL")]
    pub fail_on: FailOn,

    /// Write the report in --format to FILE, and the human report to standard output
    #[arg(long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

/// Run the audit and write its report to `out`; the progress bar, when drawn, goes to `err`.
pub fn run(
    dir: &Path,
    manifest: Option<&Path>,
    args: &AuditArgs,
    style: Style,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, RunError> {
    let options = Options {
        range: args.range.clone(),
        first_parent: args.first_parent,
        approvers: args.approver.clone(),
    };
    let draw = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    let mut bar = Progress {
        err,
        draw,
        shown: None,
    };
    let audit = super::run(dir, manifest, &options, &mut |done, total| {
        bar.update(done, total)
    });
    bar.clear();
    let audit = audit?;
    let render = |format: AuditFormat, style: Style| match format {
        AuditFormat::Human => render::human(&audit, style),
        AuditFormat::Json => render::json(&audit),
        AuditFormat::Markdown => render::markdown(&audit),
        AuditFormat::Sarif => {
            crate::render::sarif::render(&audit.plain_findings(), &audit.files, &audit.prefix)
        }
        AuditFormat::Github => {
            crate::render::github::render(&audit.plain_findings(), &audit.files, &audit.prefix)
        }
    };
    let text = match &args.output {
        None => render(args.format, style),
        Some(output) => {
            let plain = Style {
                color: false,
                ..style
            };
            crate::cli::write_report_file(&dir.join(output), &render(args.format, plain))?;
            render(AuditFormat::Human, style)
        }
    };
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => {}
        // A closed pipe (`opmodel audit | head`) is the reader's choice, not a failure to report.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
        Err(e) => {
            return Err(RunError::new(
                format!("cannot write the report: {e}"),
                "check the output destination",
            ))
        }
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Level::Error),
        FailOn::Warn => Some(Level::Warn),
        FailOn::Info => Some(Level::Info),
        FailOn::Never => None,
    };
    Ok(match threshold {
        Some(level) if audit.any_at_least(level) => crate::cli::EXIT_FINDINGS,
        _ => crate::cli::EXIT_OK,
    })
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

//! `opmodel report`: the operating model as one handbook, in Markdown or self-contained HTML (src/render/report/).
//! The findings in it are those `opmodel check` reports, from the same pipeline.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::check::{self, CheckOptions, Project, RunError};
use crate::render::report;

use super::output::{write_out, write_report_file, LevelArgs};
use super::{parse_as_of, EXIT_OK};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// GitHub Flavored Markdown, pictures as ```mermaid blocks (a wiki page, a README, a pull request)
    Markdown,
    /// One self-contained HTML file: no script, font or image to fetch; opens offline, on a phone, and prints
    Html,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[arg(long, value_enum, default_value_t = ReportFormat::Markdown)]
    pub format: ReportFormat,

    /// Write the report to FILE instead of standard output
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// The date time-based rules judge against (YYYY-MM-DD); default: today (UTC)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,

    #[command(flatten)]
    pub levels: LevelArgs,
}

pub fn run(
    dir: &Path,
    manifest: Option<&Path>,
    args: &ReportArgs,
    out: &mut dyn Write,
) -> Result<i32, RunError> {
    let options = CheckOptions {
        as_of: parse_as_of(args.as_of.as_deref())?,
        overrides: args.levels.overrides(),
    };
    let checked = check::check_worktree(&Project::locate(dir, manifest)?, &options)?;
    let handbook = report::build(&checked.loaded.model, &checked.findings, options.as_of);
    let text = match args.format {
        ReportFormat::Markdown => report::markdown::render(&handbook),
        ReportFormat::Html => report::html::render(&handbook),
    };
    match &args.output {
        None => write_out(out, &text)?,
        Some(file) => write_report_file(&dir.join(file), &text)?,
    }
    Ok(EXIT_OK)
}

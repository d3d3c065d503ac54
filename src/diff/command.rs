//! `opmodel diff [BASE [HEAD]]`: resolve the two sides, load them, compare, render, and pick the exit code.
//! The command line (`cli.rs`) only parses the arguments and writes what this returns.

use std::path::Path;

use crate::check::RunError;
use crate::config::{Config, Overrides};
use crate::finding::Level;
use crate::render::human::Style;
use crate::revision::{self, GitProject, Side};
use crate::sink::Sink;

/// The output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A plan: `+` added, `-` removed, `~` changed, grouped by kind, one summary line
    Human,
    /// A versioned JSON document with every change, field and drift
    Json,
    /// Markdown for a pull-request comment: who must sign off, then each change
    Markdown,
    /// SARIF 2.1.0 with one result per drift, for GitHub code scanning
    Sarif,
    /// GitHub Actions workflow commands: one annotation per drift
    Github,
}

/// The lowest drift level that makes `diff` exit 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FailOn {
    Error,
    Warn,
    Info,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Level> {
        match self {
            FailOn::Error => Some(Level::Error),
            FailOn::Warn => Some(Level::Warn),
            FailOn::Info => Some(Level::Info),
            FailOn::Never => None,
        }
    }
}

/// What `diff` was asked to do.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// `[]`, `[BASE]`, `[BASE, HEAD]`, `[BASE..HEAD]` or `[BASE...HEAD]`.
    pub revisions: Vec<String>,
    pub format: Format,
    pub fail_on: FailOn,
    /// `--output FILE`: the chosen format goes to FILE (relative to `dir`) and the human report is returned.
    pub output: Option<std::path::PathBuf>,
}

/// Run `diff` from `dir`: the rendered report and the exit code (0, or 1 when a drift reaches `--fail-on`).
pub fn run(
    dir: &Path,
    manifest: Option<&Path>,
    options: &DiffOptions,
    style: Style,
) -> Result<(String, i32), RunError> {
    if !dir.is_dir() {
        return Err(RunError::new(
            format!("{} is not a folder", dir.display()),
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
    let range = revision::resolve(&git, &options.revisions, head_default)?;
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
    let (config, _) = Config::new(base.manifest.as_ref(), &Overrides::default())
        .map_err(|e| RunError::new(e.to_string(), "`opmodel rules` lists every check"))?;
    let mut report = super::compare(
        &base,
        &head,
        &mut Sink::new(&config, Some(&base.loaded.model)),
    );
    report.note = range.note;
    let render = |format: Format, style: Style| match format {
        Format::Human => super::render::human(&report, style),
        Format::Json => super::render::json(&report),
        Format::Markdown => super::render::markdown(&report),
        Format::Sarif => {
            crate::render::sarif::render(&report.findings(), &report.files, &git.prefix)
        }
        Format::Github => {
            crate::render::github::render(&report.findings(), &report.files, &git.prefix)
        }
    };
    let text = match &options.output {
        None => render(options.format, style),
        Some(output) => {
            let plain = Style {
                color: false,
                ..style
            };
            crate::cli::write_report_file(&dir.join(output), &render(options.format, plain))?;
            render(Format::Human, style)
        }
    };
    let failing = options
        .fail_on
        .threshold()
        .is_some_and(|threshold| report.worst().is_some_and(|worst| worst >= threshold));
    Ok((text, if failing { 1 } else { 0 }))
}

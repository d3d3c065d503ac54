//! `opmodel graph --view VIEW`: a picture of the model in Mermaid or DOT (src/render/graph.rs).

use std::io::Write;
use std::path::Path;

use clap::{Args, ValueEnum};

use crate::check::{self, Project, RunError};
use crate::render::graph::{self, View};

use super::output::write_out;
use super::EXIT_OK;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphView {
    /// Reporting lines, people in their teams, teams in their parent teams
    Org,
    /// Handoffs between teams, with SLA and acceptance criteria (missing ones in red)
    Handoffs,
    /// Who decides (owner) and who approves each decision
    Decisions,
    /// Priorities with their metrics and stop-doing lists
    Priorities,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Mermaid flowchart (GitHub renders it in a ```mermaid block)
    Mermaid,
    /// Graphviz DOT (`dot -Tsvg`)
    Dot,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    #[arg(long, value_enum)]
    pub view: GraphView,
    #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
    pub format: GraphFormat,
}

pub fn run(
    dir: &Path,
    manifest: Option<&Path>,
    args: &GraphArgs,
    out: &mut dyn Write,
) -> Result<i32, RunError> {
    let project = Project::locate(dir, manifest)?;
    let loaded = check::load_worktree(&project)?.loaded;
    let view = match args.view {
        GraphView::Org => View::Org,
        GraphView::Handoffs => View::Handoffs,
        GraphView::Decisions => View::Decisions,
        GraphView::Priorities => View::Priorities,
    };
    let picture = graph::build(&loaded.model, view);
    let text = match args.format {
        GraphFormat::Mermaid => graph::mermaid(&picture),
        GraphFormat::Dot => graph::dot(&picture),
    };
    write_out(out, &text)?;
    Ok(EXIT_OK)
}

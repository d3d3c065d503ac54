//! `opmodel show ID`: one entity and everything connected to it (src/render/show.rs).

use std::io::Write;
use std::path::Path;

use clap::{Args, ValueEnum};

use crate::check::{self, Project, RunError};
use crate::model::kinds;
use crate::render::show;

use super::output::write_out;
use super::EXIT_OK;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Human,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The entity's id: a person, team, area, decision, handoff, metric, priority or cadence
    pub id: String,
    /// The kind, when the id names entities of several kinds
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(kinds::NAMES))]
    pub kind: Option<String>,
    #[arg(long, value_enum, default_value_t = ShowFormat::Human)]
    pub format: ShowFormat,
}

pub fn run(
    dir: &Path,
    manifest: Option<&Path>,
    args: &ShowArgs,
    out: &mut dyn Write,
) -> Result<i32, RunError> {
    let project = Project::locate(dir, manifest)?;
    let project_loaded = check::load_worktree(&project)?;
    let loaded = &project_loaded.loaded;
    let model = &loaded.model;
    let found = show::candidates(model, &args.id, args.kind.as_deref());
    let entity = match found.as_slice() {
        [one] => *one,
        [] => {
            let kind = args
                .kind
                .as_deref()
                .map_or_else(String::new, |k| format!("{k} "));
            let help = match show::did_you_mean(model, &args.id) {
                Some((id, why)) => format!("did you mean `{id}`? ({why})"),
                None => {
                    "`opmodel check` lists the model's files; every entity has an `id`".to_string()
                }
            };
            return Err(RunError::new(
                format!("no {kind}entity has the id \"{}\"", args.id),
                help,
            ));
        }
        several => {
            let kinds: Vec<&str> = several.iter().map(|e| e.kind.name).collect();
            return Err(RunError::new(
                format!(
                    "\"{}\" is the id of a {}",
                    args.id,
                    kinds.join(" and of a ")
                ),
                format!("say which with --kind {}", kinds.join(" or --kind ")),
            ));
        }
    };
    let owned_files = if entity.kind.name == "area" {
        owned_files(&project, &project_loaded, entity.id)?
    } else {
        None
    };
    let shown = show::gather(model, &loaded.files, &entity, owned_files);
    let text = match args.format {
        ShowFormat::Human => show::human(&shown),
        ShowFormat::Json => show::json(&shown),
        ShowFormat::Markdown => show::markdown(&shown),
    };
    write_out(out, &text)?;
    Ok(EXIT_OK)
}

/// How many files git tracks under the manifest's folder that this area owns; `None` outside git.
fn owned_files(
    project: &Project,
    project_loaded: &check::LoadedProject,
    area: &str,
) -> Result<Option<usize>, RunError> {
    use crate::source::ModelSource;
    let Some(paths) = project.source().tracked_paths()? else {
        return Ok(None);
    };
    let model = &project_loaded.loaded.model;
    let (ownership, _) = crate::ownership::Ownership::new(model, Some(&project_loaded.manifest));
    let count = paths
        .iter()
        .filter(|path| match ownership.resolve(path) {
            crate::ownership::Resolution::Owned { area: i, .. } => model.areas[i].id == area,
            _ => false,
        })
        .count();
    Ok(Some(count))
}

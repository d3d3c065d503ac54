//! `opmodel owners PATH...`: for each path, the area that owns it and the pattern that decided; for a folder,
//! who owns the files git tracks under it (each area with a count), and which of them nobody owns.

use serde::Serialize;

use crate::model::Model;
use crate::ownership::{Ownership, Resolution};
use crate::source::Files;

/// One path's answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub path: String,
    /// `owned`, `explicitly-unowned` (an area with `unowned = true` wins it), `ignored` (explicitly needs no
    /// owner), `unowned` (required, no area) or `not-required`.
    pub status: &'static str,
    pub area: Option<String>,
    pub owner: Option<String>,
    pub owner_name: Option<String>,
    pub team: Option<String>,
    /// The pattern that decided, and where it is written.
    pub pattern: Option<String>,
    pub file: Option<String>,
    pub line: Option<usize>,
}

/// Answer for each repository-relative path.
pub fn answer(
    model: &Model,
    ownership: &Ownership,
    files: &Files,
    paths: &[String],
) -> Vec<Answer> {
    paths
        .iter()
        .map(|path| {
            let mut a = Answer {
                path: path.clone(),
                status: "not-required",
                area: None,
                owner: None,
                owner_name: None,
                team: None,
                pattern: None,
                file: None,
                line: None,
            };
            let place = |file: usize, span: &std::ops::Range<usize>| {
                let source = files.get(file);
                (source.path.clone(), source.line_col(span.start).0)
            };
            match ownership.resolve(path.as_bytes()) {
                Resolution::Owned { area, pattern } => {
                    let area = &model.areas[area];
                    let (file, line) = place(area.loc.file, &area.loc.item("paths", pattern));
                    a.status = "owned";
                    a.area = Some(area.id.clone());
                    a.owner = Some(area.owner.clone());
                    a.owner_name = model.person(&area.owner).map(|p| p.name.clone());
                    a.team = area.team.clone();
                    a.pattern = area.paths.get(pattern).cloned();
                    a.file = Some(file);
                    a.line = Some(line);
                }
                Resolution::Disowned { area, pattern } => {
                    let area = &model.areas[area];
                    let (file, line) = place(area.loc.file, &area.loc.item("paths", pattern));
                    a.status = "explicitly-unowned";
                    a.area = Some(area.id.clone());
                    a.pattern = area.paths.get(pattern).cloned();
                    a.file = Some(file);
                    a.line = Some(line);
                }
                Resolution::Ignored { pattern } => {
                    a.status = "ignored";
                    a.pattern = ownership.manifest_pattern(false, pattern).map(String::from);
                    if let Some((file, span)) = ownership.manifest_span(false, pattern) {
                        let (file, line) = place(file, &span);
                        a.file = Some(file);
                        a.line = Some(line);
                    }
                }
                Resolution::Unowned { required_by } => {
                    a.status = "unowned";
                    a.pattern = ownership
                        .manifest_pattern(true, required_by)
                        .map(String::from);
                    if let Some((file, span)) = ownership.manifest_span(true, required_by) {
                        let (file, line) = place(file, &span);
                        a.file = Some(file);
                        a.line = Some(line);
                    }
                }
                Resolution::NotRequired => {}
            }
            a
        })
        .collect()
}

/// One folder's answer: who owns the files git tracks under it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FolderAnswer {
    /// The folder, relative to the manifest's folder, ending in `/` (`./` for that folder itself).
    pub folder: String,
    /// How many files git tracks under it (outside a git repository: files under it).
    pub files: usize,
    /// Whether the files are the ones git tracks; outside a git repository, every file under the folder.
    pub tracked: bool,
    /// Whether it holds files and an area owns every one of them.
    pub all_owned: bool,
    /// The areas that own some of its files, most files first.
    pub owners: Vec<FolderOwner>,
    /// Files an area with `unowned = true` wins.
    pub explicitly_unowned: usize,
    /// Files `[ownership].ignore` exempts.
    pub ignored: usize,
    /// Files no area owns and `[ownership].required` does not cover.
    pub not_required: usize,
    /// The files `[ownership].required` covers and no area owns, sorted.
    pub unowned: Vec<String>,
}

/// An area that owns files of a folder.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FolderOwner {
    pub area: String,
    pub owner: Option<String>,
    pub owner_name: Option<String>,
    pub team: Option<String>,
    pub files: usize,
}

/// At most this many unowned files are named in the human answer for a folder; the rest are counted.
const MAX_NAMED: usize = 20;

/// Answer for a folder (`folder`: relative, ending in `/`, or `""` for the manifest's folder) from the files
/// under it.
pub fn answer_folder(
    model: &Model,
    ownership: &Ownership,
    files: &Files,
    folder: &str,
    paths: &[String],
    tracked: bool,
) -> FolderAnswer {
    let mut a = FolderAnswer {
        folder: if folder.is_empty() {
            "./".to_string()
        } else {
            folder.to_string()
        },
        files: paths.len(),
        tracked,
        all_owned: false,
        owners: Vec::new(),
        explicitly_unowned: 0,
        ignored: 0,
        not_required: 0,
        unowned: Vec::new(),
    };
    for answer in answer(model, ownership, files, paths) {
        match answer.status {
            "owned" => {
                let area = answer.area.clone().unwrap_or_default();
                match a.owners.iter_mut().find(|o| o.area == area) {
                    Some(o) => o.files += 1,
                    None => a.owners.push(FolderOwner {
                        area,
                        owner: answer.owner,
                        owner_name: answer.owner_name,
                        team: answer.team,
                        files: 1,
                    }),
                }
            }
            "explicitly-unowned" => a.explicitly_unowned += 1,
            "ignored" => a.ignored += 1,
            "unowned" => a.unowned.push(answer.path),
            _ => a.not_required += 1,
        }
    }
    a.owners
        .sort_by(|x, y| y.files.cmp(&x.files).then_with(|| x.area.cmp(&y.area)));
    a.unowned.sort();
    let owned: usize = a.owners.iter().map(|o| o.files).sum();
    a.all_owned = a.files > 0 && owned == a.files;
    a
}

/// What `opmodel owners` answers for one argument, in the order given.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Path(Answer),
    Folder(FolderAnswer),
}

/// The human form: two lines per path, a summary and one line per owner for a folder.
pub fn render_human(entries: &[Entry]) -> String {
    let mut out = String::new();
    for entry in entries {
        match entry {
            Entry::Path(a) => out.push_str(&render_path(a)),
            Entry::Folder(f) => out.push_str(&render_folder(f)),
        }
    }
    out
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 file".to_string()
    } else {
        format!("{n} files")
    }
}

fn render_folder(f: &FolderAnswer) -> String {
    if f.files == 0 {
        let what = if f.tracked {
            "no file git tracks"
        } else {
            "no file"
        };
        return format!("{}\n  {what} is in this folder\n", f.folder);
    }
    let files = if f.tracked {
        format!("{} git tracks", plural(f.files))
    } else {
        plural(f.files)
    };
    let owned: usize = f.owners.iter().map(|o| o.files).sum();
    let mut out = if f.all_owned {
        format!("{}: {files}, all owned\n", f.folder)
    } else {
        format!(
            "{}: {files}, {owned} owned, {} not owned\n",
            f.folder,
            f.files - owned
        )
    };
    for o in &f.owners {
        let who = match &o.owner_name {
            Some(name) => format!("{name} ({})", o.owner.as_deref().unwrap_or_default()),
            None => o.owner.clone().unwrap_or_default(),
        };
        let team = o
            .team
            .as_ref()
            .map(|t| format!(", team {t}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  area \"{}\" (owner {who}{team}): {}\n",
            o.area,
            plural(o.files)
        ));
    }
    if !f.unowned.is_empty() {
        out.push_str(&format!(
            "  UNOWNED: {}: [ownership].required covers them, and no area's paths match them\n",
            plural(f.unowned.len())
        ));
        for path in f.unowned.iter().take(MAX_NAMED) {
            out.push_str(&format!("    {path}\n"));
        }
        if f.unowned.len() > MAX_NAMED {
            out.push_str(&format!(
                "    and {} more (`--format json` lists them all)\n",
                f.unowned.len() - MAX_NAMED
            ));
        }
    }
    for (n, what) in [
        (
            f.explicitly_unowned,
            "explicitly unowned by an area: needs no owner",
        ),
        (f.ignored, "needs no owner: matched by [ownership].ignore"),
        (
            f.not_required,
            "no owner required: no area's paths match, and [ownership].required does not cover it",
        ),
    ] {
        if n > 0 {
            out.push_str(&format!("  {}: {what}\n", plural(n)));
        }
    }
    out
}

fn render_path(a: &Answer) -> String {
    let mut out = String::new();
    {
        let at = match (&a.pattern, &a.file, a.line) {
            (Some(p), Some(f), Some(l)) => format!("\"{p}\" at {f}:{l}"),
            _ => String::new(),
        };
        match a.status {
            "owned" => {
                let who = match &a.owner_name {
                    Some(name) => format!("{name} ({})", a.owner.as_deref().unwrap_or_default()),
                    None => a.owner.clone().unwrap_or_default(),
                };
                let team = a.team.as_ref().map(|t| format!(", team {t}")).unwrap_or_default();
                out.push_str(&format!(
                    "{}\n  owned by area \"{}\": owner {who}{team}\n  decided by {at}\n",
                    a.path,
                    a.area.as_deref().unwrap_or_default()
                ));
            }
            "explicitly-unowned" => {
                let place = match (&a.file, a.line) {
                    (Some(f), Some(l)) => format!(" ({f}:{l})"),
                    _ => String::new(),
                };
                out.push_str(&format!(
                    "{}\n  explicitly unowned by area \"{}\"{place}: needs no owner and no approval\n  decided by {at}\n",
                    a.path,
                    a.area.as_deref().unwrap_or_default()
                ));
            }
            "ignored" => out.push_str(&format!(
                "{}\n  needs no owner: matched by [ownership].ignore {at}\n",
                a.path
            )),
            "unowned" => out.push_str(&format!(
                "{}\n  UNOWNED: [ownership].required {at} covers it, and no area's paths match it\n",
                a.path
            )),
            _ => out.push_str(&format!(
                "{}\n  no owner required: no area's paths match it, and [ownership].required does not cover it\n",
                a.path
            )),
        }
    }
    out
}

/// The JSON form: the paths' answers, then the folders' (when a folder was asked).
pub fn render_json(entries: &[Entry]) -> String {
    #[derive(Serialize)]
    struct Document<'a> {
        version: u32,
        paths: Vec<&'a Answer>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        folders: Vec<&'a FolderAnswer>,
    }
    let document = Document {
        version: 1,
        paths: entries
            .iter()
            .filter_map(|e| match e {
                Entry::Path(a) => Some(a),
                Entry::Folder(_) => None,
            })
            .collect(),
        folders: entries
            .iter()
            .filter_map(|e| match e {
                Entry::Folder(f) => Some(f),
                Entry::Path(_) => None,
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&document).unwrap_or_default();
    out.push('\n');
    out
}

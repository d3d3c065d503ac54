//! `opmodel owners PATH...`: for each path, the area that owns it and the pattern that decided.

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

/// The human form: two lines per path.
pub fn render_human(answers: &[Answer]) -> String {
    let mut out = String::new();
    for a in answers {
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

/// The JSON form.
pub fn render_json(answers: &[Answer]) -> String {
    #[derive(Serialize)]
    struct Document<'a> {
        version: u32,
        paths: &'a [Answer],
    }
    let document = Document {
        version: 1,
        paths: answers,
    };
    let mut out = serde_json::to_string_pretty(&document).unwrap_or_default();
    out.push('\n');
    out
}

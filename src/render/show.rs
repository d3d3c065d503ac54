//! `opmodel show ID`: one entity and everything connected to it, each line with the file, line and field it came
//! from. The links are found through the table of kinds (every reference field of every kind), so a new reference
//! field shows up here without a change; only the wording of a few well-known fields is written out.

use serde::Serialize;
use serde_json::Value as Json;

use crate::model::{EntityRef, Model};
use crate::render::text::{md_cell, md_code, md_text, terminal};
use crate::source::Files;

/// Where a line came from: `ops/decisions.toml:12 owner`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Origin {
    pub file: String,
    pub line: usize,
    pub field: String,
}

impl Origin {
    fn text(&self) -> String {
        format!("{}:{} {}", self.file, self.line, self.field)
    }
}

/// One field of the entity itself, as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fact {
    pub field: String,
    pub value: Json,
    /// The name of the entity the value names, when it is a reference to one entity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub names: Option<String>,
    pub origin: Origin,
}

/// Another entity connected to this one, in either direction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    /// What the shown entity is to the other one, in words: `owns`, `approves`, `is escalated to on`.
    pub relation: String,
    pub kind: &'static str,
    pub id: String,
    pub name: Option<String>,
    pub origin: Origin,
}

/// The entity, its fields and its links.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shown {
    pub kind: &'static str,
    pub id: String,
    pub name: Option<String>,
    pub origin: Origin,
    pub fields: Vec<Fact>,
    pub links: Vec<Link>,
    /// For an area: how many files git tracks that the area owns (`None` outside a git repository).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owned_files: Option<usize>,
}

/// An entity's display name: its `name` or `title`.
pub fn display_name(entity: &EntityRef<'_>) -> Option<String> {
    entity
        .text("name")
        .or_else(|| entity.text("title"))
        .map(String::from)
}

fn origin(files: &Files, entity: &EntityRef<'_>, span_start: usize, field: &str) -> Origin {
    let file = files.get(entity.loc.file);
    Origin {
        file: file.path.clone(),
        line: file.line_col(span_start).0,
        field: field.to_string(),
    }
}

/// The entities of the model with this id, of the kind given when there is one.
pub fn candidates<'a>(model: &'a Model, id: &str, kind: Option<&str>) -> Vec<EntityRef<'a>> {
    model
        .entities()
        .into_iter()
        .filter(|e| e.id == id && kind.is_none_or(|k| e.kind.name == k))
        .collect()
}

/// What the shown entity is to an entity whose `field` names it.
fn relation(kind: &str, field: &str, shown_kind: &str) -> String {
    match (kind, field) {
        (_, "owner") => "owns",
        ("team", "lead") => "leads",
        ("person", "manager") => "manages",
        ("decision", "approvers") => "approves",
        ("decision", "consulted") => "is consulted on",
        ("decision", "informed") => "is informed of",
        ("decision", "escalate_to") => "is escalated to on",
        ("decision", "superseded_by") => "supersedes",
        ("cadence", "attendees") => "attends",
        ("cadence", "reviews") => "is reviewed at",
        ("team", "members") => "is a member of",
        ("team", "parent") => "is the parent of",
        ("person", "team") => "has member",
        ("area", "team") if shown_kind == "team" => "works in area",
        ("handoff", "from") => "hands off (out)",
        ("handoff", "to") => "receives (in)",
        ("metric", "serves") => "is served by",
        ("priority", "metrics") => "serves priority",
        _ => return format!("is named in `{field}` of"),
    }
    .to_string()
}

/// Everything connected to `entity`: its own fields, then every entity that names it, in model order.
pub fn gather(
    model: &Model,
    files: &Files,
    entity: &EntityRef<'_>,
    owned_files: Option<usize>,
) -> Shown {
    let mut fields = Vec::new();
    // In the order they are written, not the JSON map's.
    for written in entity.loc.fields().filter(|f| f.name() != "id") {
        let field = written.name();
        let Some(value) = entity.fields.get(field) else {
            continue;
        };
        let start = written.key().start;
        let names = entity
            .kind
            .references
            .iter()
            .find(|r| r.field == field && !r.list)
            .and_then(|r| {
                let id = value.as_str()?;
                model
                    .entities()
                    .into_iter()
                    .find(|e| e.id == id && r.targets.contains(&e.kind.name))
                    .and_then(|e| display_name(&e))
            });
        fields.push(Fact {
            field: field.to_string(),
            value: value.clone(),
            names,
            origin: origin(files, entity, start, field),
        });
    }
    let mut links = Vec::new();
    for other in model.entities() {
        for reference in other.kind.references {
            if !reference.targets.contains(&entity.kind.name) {
                continue;
            }
            for (span, id) in other.named(reference) {
                if id != entity.id {
                    continue;
                }
                links.push(Link {
                    relation: relation(other.kind.name, reference.field, entity.kind.name),
                    kind: other.kind.name,
                    id: other.id.to_string(),
                    name: display_name(&other),
                    origin: origin(files, &other, span.start, reference.field),
                });
            }
        }
    }
    Shown {
        kind: entity.kind.name,
        id: entity.id.to_string(),
        name: display_name(entity),
        origin: origin(
            files,
            entity,
            entity.loc.span.start,
            &format!("[[{}]]", entity.kind.name),
        ),
        fields,
        links,
        owned_files,
    }
}

/// A field's value as one line of plain text.
fn value_text(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        Json::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

fn owned_text(shown: &Shown) -> Option<String> {
    (shown.kind == "area").then(|| match shown.owned_files {
        Some(1) => "owns 1 tracked file".to_string(),
        Some(n) => format!("owns {n} tracked files"),
        None => "owned files: unknown (not in a git repository)".to_string(),
    })
}

/// The human form: the entity, its fields, its links; every line ends with where it came from.
pub fn human(shown: &Shown) -> String {
    let mut out = format!(
        "{} {}{}\n  {}\n",
        shown.kind,
        terminal(&shown.id),
        shown
            .name
            .as_ref()
            .map(|n| format!(": {}", terminal(n)))
            .unwrap_or_default(),
        terminal(&format!("{}:{}", shown.origin.file, shown.origin.line))
    );
    let mut rows: Vec<(String, String, String)> = Vec::new();
    for fact in &shown.fields {
        let mut value = value_text(&fact.value);
        if let Some(name) = &fact.names {
            value.push_str(&format!(" ({name})"));
        }
        rows.push((fact.field.clone(), value, fact.origin.text()));
    }
    if let Some(owned) = owned_text(shown) {
        rows.push((
            "files".into(),
            owned,
            "git tracked files, by [ownership]".into(),
        ));
    }
    push_rows(&mut out, &rows);
    if shown.links.is_empty() {
        out.push_str("\n  nothing else in the model names it\n");
    } else {
        let rows: Vec<(String, String, String)> = shown
            .links
            .iter()
            .map(|l| {
                let name = l
                    .name
                    .as_ref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default();
                (
                    l.relation.clone(),
                    format!("{} {}{name}", l.kind, l.id),
                    l.origin.text(),
                )
            })
            .collect();
        push_rows(&mut out, &rows);
    }
    out
}

fn push_rows(out: &mut String, rows: &[(String, String, String)]) {
    const MAX_VALUE: usize = 60;
    let first = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    out.push('\n');
    for (label, value, origin) in rows {
        let value = terminal(value);
        let value = if value.chars().count() > MAX_VALUE {
            let cut: String = value.chars().take(MAX_VALUE - 1).collect();
            format!("{cut}…")
        } else {
            value
        };
        let pad = MAX_VALUE.saturating_sub(value.chars().count());
        out.push_str(&format!(
            "  {label:<first$}  {value}{}  {}\n",
            " ".repeat(pad),
            terminal(origin)
        ));
    }
}

/// The JSON form: a versioned document.
pub fn json(shown: &Shown) -> String {
    #[derive(Serialize)]
    struct Document<'a> {
        version: u32,
        #[serde(flatten)]
        shown: &'a Shown,
    }
    let mut out = serde_json::to_string_pretty(&Document { version: 1, shown }).unwrap_or_default();
    out.push('\n');
    out
}

/// The Markdown form: a heading and two tables; model text is escaped, never markup.
pub fn markdown(shown: &Shown) -> String {
    let mut out = format!(
        "### {} {}{}\n\nDefined at {}.\n\n",
        shown.kind,
        md_code(&shown.id),
        shown
            .name
            .as_ref()
            .map(|n| format!(": {}", md_text(n)))
            .unwrap_or_default(),
        md_code(&format!("{}:{}", shown.origin.file, shown.origin.line))
    );
    out.push_str("| field | value | from |\n| --- | --- | --- |\n");
    for fact in &shown.fields {
        let mut value = md_text(&value_text(&fact.value));
        if let Some(name) = &fact.names {
            value.push_str(&format!(" ({})", md_text(name)));
        }
        out.push_str(&format!(
            "| {} | {} | {} |\n",
            md_cell(&md_code(&fact.field)),
            md_cell(&value),
            md_cell(&md_code(&fact.origin.text()))
        ));
    }
    if let Some(owned) = owned_text(shown) {
        out.push_str(&format!("| files | {owned} | git tracked files |\n"));
    }
    if !shown.links.is_empty() {
        out.push_str("\n| relation | entity | from |\n| --- | --- | --- |\n");
        for l in &shown.links {
            let name = l
                .name
                .as_ref()
                .map(|n| format!(" ({})", md_text(n)))
                .unwrap_or_default();
            out.push_str(&format!(
                "| {} | {} {}{name} | {} |\n",
                md_cell(&md_inline_relation(&l.relation)),
                l.kind,
                md_cell(&md_code(&l.id)),
                md_cell(&md_code(&l.origin.text()))
            ));
        }
    }
    out
}

/// Relations are opmodel's own words, except the field name in the fallback wording, kept as code.
fn md_inline_relation(relation: &str) -> String {
    crate::render::text::md_inline(relation)
}

/// For an id that names nothing: the id the user probably meant, matching ids, people's names, emails and GitHub
/// logins (`Grace` or `grace.mbeki@...` for `grace-mbeki`), with why it was suggested.
pub fn did_you_mean(model: &Model, word: &str) -> Option<(String, String)> {
    let wanted = word.trim().to_lowercase();
    if let Some((what, person)) = crate::references::person_known_as(model, word) {
        return Some((
            person.id.clone(),
            format!("\"{}\" is the {what} of {}", word.trim(), person.name),
        ));
    }
    let entities = model.entities();
    let ids = entities.iter().map(|e| e.id);
    if let Some(id) = crate::suggest::did_you_mean(&wanted, ids) {
        return Some((id.to_string(), format!("an id close to \"{word}\"")));
    }
    if let Some(e) = entities
        .iter()
        .find(|e| e.id.starts_with(&format!("{wanted}-")))
    {
        return Some((
            e.id.to_string(),
            format!("an id that starts with \"{word}\""),
        ));
    }
    let names: Vec<(String, &str)> = entities
        .iter()
        .filter_map(|e| Some((display_name(e)?.to_lowercase(), e.id)))
        .collect();
    let closest = crate::suggest::did_you_mean(&wanted, names.iter().map(|(n, _)| n.as_str()))?;
    let (_, id) = names.iter().find(|(n, _)| n == closest)?;
    Some((id.to_string(), format!("a name close to \"{word}\"")))
}

//! A model built from a CODEOWNERS file: one area per rule line, in order; `@login` a person with `github`,
//! `@org/team` a team with `github`, an email a person with `email`. The first person of a line owns its area,
//! the other owners approve; a line of teams only gets its first team and an owner for someone to choose
//! (`choose-owner-for-TEAM`, an unknown person until then); a line without owners is an unowned area.

use std::collections::{BTreeMap, HashSet};

use super::{owner_kind, Codeowners, OwnerKind};
use crate::document::quoted as quote;

/// The model files to write: (file name, TOML text), and what each holds, for the report.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    pub files: Vec<(&'static str, String)>,
    pub people: usize,
    pub teams: usize,
    pub areas: usize,
    pub unowned: usize,
    /// Areas whose owner is left to choose: (area id, team id).
    pub to_choose: Vec<(String, String)>,
}

/// An id from any text: lowercase letters, digits and `-`, at most 56 characters (room for a suffix).
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.trim_end_matches('-').chars().take(56).collect();
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Hands out unique ids within one namespace.
#[derive(Default)]
struct Ids(HashSet<String>);

impl Ids {
    fn unique(&mut self, base: &str, fallback: &str) -> String {
        let base = if base.is_empty() { fallback } else { base };
        let mut id = base.to_string();
        let mut n = 2;
        while !self.0.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

/// Build the model files of a parsed CODEOWNERS file (`source` names it, for the descriptions).
pub fn import(file: &Codeowners, source: &str) -> Imported {
    let mut out = Imported::default();
    let mut actors = Ids::default(); // people and teams share a namespace
    let mut area_ids = Ids::default();
    // token (lowercase) -> id, with the TOML of the entity, in first-seen order.
    let mut people: BTreeMap<String, (usize, String, String)> = BTreeMap::new();
    let mut teams: BTreeMap<String, (usize, String, String)> = BTreeMap::new();
    let mut seen = 0;
    let mut id_of = |token: &str,
                     people: &mut BTreeMap<String, (usize, String, String)>,
                     teams: &mut BTreeMap<String, (usize, String, String)>|
     -> String {
        let key = token.to_lowercase();
        seen += 1;
        match owner_kind(token) {
            Some(OwnerKind::Team) => {
                if let Some((_, id, _)) = teams.get(&key) {
                    return id.clone();
                }
                let slug_part = token.rsplit('/').next().unwrap_or(token);
                let id = actors.unique(&slug(slug_part), "team");
                let text = format!(
                    "[[team]]\nid = {}\nname = {}\nlead = {}\ngithub = {}\n",
                    quote(&id),
                    quote(slug_part),
                    quote(&format!("choose-lead-for-{id}")),
                    quote(token.trim_start_matches('@'))
                );
                teams.insert(key, (seen, id.clone(), text));
                id
            }
            Some(OwnerKind::User) => {
                if let Some((_, id, _)) = people.get(&key) {
                    return id.clone();
                }
                let login = token.trim_start_matches('@');
                let id = actors.unique(&slug(login), "person");
                let text = format!(
                    "[[person]]\nid = {}\nname = {}\nemail = {}\ngithub = {}\n",
                    quote(&id),
                    quote(login),
                    quote(&format!("{login}@users.noreply.github.com")),
                    quote(login)
                );
                people.insert(key, (seen, id.clone(), text));
                id
            }
            _ => {
                if let Some((_, id, _)) = people.get(&key) {
                    return id.clone();
                }
                let local = token.split('@').next().unwrap_or(token);
                let id = actors.unique(&slug(local), "person");
                let text = format!(
                    "[[person]]\nid = {}\nname = {}\nemail = {}\n",
                    quote(&id),
                    quote(local),
                    quote(token)
                );
                people.insert(key, (seen, id.clone(), text));
                id
            }
        }
    };

    let mut areas = String::new();
    for line in &file.lines {
        let id = area_ids.unique(&slug(&line.pattern), "everything");
        let mut owner: Option<String> = None;
        let mut team: Option<String> = None;
        let mut approvers: Vec<String> = Vec::new();
        let has_person = line
            .owners
            .iter()
            .any(|t| owner_kind(t) != Some(OwnerKind::Team));
        for token in &line.owners {
            let is_team = owner_kind(token) == Some(OwnerKind::Team);
            let actor = id_of(token, &mut people, &mut teams);
            if !is_team && owner.is_none() {
                owner = Some(actor);
            } else if is_team && !has_person && team.is_none() {
                team = Some(actor);
            } else if !approvers.contains(&actor)
                && owner.as_ref() != Some(&actor)
                && team.as_ref() != Some(&actor)
            {
                approvers.push(actor);
            }
        }
        areas.push('\n');
        if let (None, Some(team)) = (&owner, &team) {
            areas.push_str(&format!(
                "# The CODEOWNERS line names only team {team}: choose the one person who owns this area.\n"
            ));
            out.to_choose.push((id.clone(), team.clone()));
        }
        areas.push_str(&format!(
            "[[area]]\nid = {}\ntitle = {}\n",
            quote(&id),
            quote(&line.pattern)
        ));
        match (&owner, &team) {
            (Some(owner), _) => areas.push_str(&format!("owner = {}\n", quote(owner))),
            (None, Some(team)) => areas.push_str(&format!(
                "owner = {}\n",
                quote(&format!("choose-owner-for-{team}"))
            )),
            (None, None) => {
                areas.push_str("unowned = true\n");
                out.unowned += 1;
            }
        }
        if let Some(team) = &team {
            areas.push_str(&format!("team = {}\n", quote(team)));
        }
        if !approvers.is_empty() {
            let list: Vec<String> = approvers.iter().map(|a| quote(a)).collect();
            areas.push_str(&format!("approvers = [{}]\n", list.join(", ")));
        }
        areas.push_str(&format!("paths = [{}]\n", quote(&line.pattern)));
        let description = if line.comments.is_empty() {
            format!("From line {} of {source}.", line.number)
        } else {
            line.comments.join(" ")
        };
        areas.push_str(&format!("description = {}\n", quote(&description)));
        out.areas += 1;
    }

    let header = format!("# Imported by `opmodel import codeowners` from {source}.\n");
    let ordered = |map: BTreeMap<String, (usize, String, String)>| {
        let mut list: Vec<(usize, String, String)> = map.into_values().collect();
        list.sort();
        let count = list.len();
        let text: String = list
            .into_iter()
            .map(|(_, _, text)| format!("\n{text}"))
            .collect();
        (count, text)
    };
    let (n_people, people_text) = ordered(people);
    let (n_teams, teams_text) = ordered(teams);
    out.people = n_people;
    out.teams = n_teams;
    if n_people > 0 {
        out.files
            .push(("people.toml", format!("{header}{people_text}")));
    }
    if n_teams > 0 {
        let note = "# Each team's lead is left for you to choose: replace `choose-lead-for-...` with a person's id.\n";
        out.files
            .push(("teams.toml", format!("{header}{note}{teams_text}")));
    }
    if out.areas > 0 {
        out.files.push(("areas.toml", format!("{header}{areas}")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ids() {
        assert_eq!(slug("/docs/**/*.md"), "docs-md");
        assert_eq!(slug("*"), "");
        assert_eq!(slug("Ana.Lopez"), "ana-lopez");
    }
}

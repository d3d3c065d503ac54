//! A model built from a CODEOWNERS file: one area per rule line, in order; `@login` a person with `github`,
//! `@org/team` a team with `github`, an email a person with `email`. The first person of a line owns its area,
//! the other owners approve; a line of teams only gets its first team and an owner for someone to choose
//! (`choose-owner-for-TEAM`, an unknown person until then); a line without owners is an unowned area.
//!
//! Lines with the same owners become one area when that cannot change who owns any path: a later line joins the
//! area of an earlier one (its pattern moves up to the earlier place) only if no line in between, with other
//! owners, could match a path the moved pattern matches. Two patterns cannot match the same path when their
//! literal leading folders differ (`/esphome/components/adc/*` and `/esphome/components/a01nyub/*`); a pattern
//! that may match at any depth (`*.md`, `CHANGELOG.md`) is assumed to overlap everything, so it is never moved
//! past a line with other owners. The file's order of matches is kept exactly: the last match still decides.

use std::collections::{BTreeMap, HashSet};

use super::{owner_kind, Codeowners, Line, OwnerKind};
use crate::document::quoted as quote;
use crate::ownership::pattern::Pattern;

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
    /// The area added so that the model owns itself (no CODEOWNERS line with owners matched its files), if any.
    pub model_area: Option<String>,
}

/// The model's own files, which the imported model must own (`model-unowned`): the patterns that name them
/// (`/opmodel.toml`, `/ops/`) and a path each would match (`opmodel.toml`, `ops/areas.toml`).
#[derive(Debug, Clone, Default)]
pub struct ModelFiles {
    pub patterns: Vec<(String, Vec<u8>)>,
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

/// How many lines a line may move up to join an area with the same owners: bounds the work on huge files.
const MERGE_WINDOW: usize = 2048;

/// Whether two patterns can never match the same path: both are anchored with literal leading folders that
/// differ somewhere (a path starts with all of each pattern's literal folders).
fn disjoint(a: &Pattern, b: &Pattern) -> bool {
    let mut a = a.literal_prefix();
    let mut b = b.literal_prefix();
    loop {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y => continue,
            (Some(_), Some(_)) => return true,
            _ => return false,
        }
    }
}

/// The rule lines grouped into areas, in the order of the areas: each group's lines share their owners, and the
/// group sits at its first line's place.
fn groups(file: &Codeowners) -> Vec<Vec<usize>> {
    let key =
        |line: &Line| -> Vec<String> { line.owners.iter().map(|o| o.to_lowercase()).collect() };
    let mut groups: Vec<Vec<usize>> = Vec::new();
    // The group each line ended in, and the last group of each owner list.
    let mut latest: std::collections::HashMap<Vec<String>, usize> = Default::default();
    for (i, line) in file.lines.iter().enumerate() {
        let k = key(line);
        let joined = latest.get(&k).copied().filter(|&g| {
            let later = &groups[g + 1..];
            later.len() <= MERGE_WINDOW
                && later.iter().map(Vec::len).sum::<usize>() <= MERGE_WINDOW
                && later.iter().all(|other| {
                    key(&file.lines[other[0]]) == k
                        || other
                            .iter()
                            .all(|&j| disjoint(&file.patterns[i], &file.patterns[j]))
                })
        });
        match joined {
            Some(g) => groups[g].push(i),
            None => {
                groups.push(vec![i]);
                latest.insert(k, groups.len() - 1);
            }
        }
    }
    groups
}

/// Build the model files of a parsed CODEOWNERS file (`source` names it, for the descriptions).
pub fn import(file: &Codeowners, source: &str, model_files: &ModelFiles) -> Imported {
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
    for group in groups(file) {
        let lines: Vec<&Line> = group.iter().map(|&i| &file.lines[i]).collect();
        let line = lines[0];
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
        let title = match lines.len() {
            1 => line.pattern.clone(),
            n => format!("{} and {} more", line.pattern, n - 1),
        };
        areas.push_str(&format!(
            "[[area]]\nid = {}\ntitle = {}\n",
            quote(&id),
            quote(&title)
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
        if lines.len() == 1 {
            areas.push_str(&format!("paths = [{}]\n", quote(&line.pattern)));
        } else {
            areas.push_str("paths = [\n");
            for l in &lines {
                areas.push_str(&format!("  {},\n", quote(&l.pattern)));
            }
            areas.push_str("]\n");
        }
        let comments: Vec<&str> = lines
            .iter()
            .flat_map(|l| l.comments.iter().map(String::as_str))
            .filter(|c| !c.is_empty())
            .collect();
        let description = if !comments.is_empty() {
            comments.join(" ")
        } else if lines.len() == 1 {
            format!("From line {} of {source}.", line.number)
        } else {
            let numbers: Vec<String> = lines.iter().map(|l| l.number.to_string()).collect();
            format!("From lines {} of {source}.", numbers.join(", "))
        };
        areas.push_str(&format!("description = {}\n", quote(&description)));
        out.areas += 1;
    }

    // The model must own itself: where no line with owners decides the model's files, an area for them, its
    // owner left to choose (GitHub requested nobody for them either, so the round trip still holds).
    let uncovered: Vec<&str> = model_files
        .patterns
        .iter()
        .filter(|(_, probe)| {
            file.deciding(probe)
                .is_none_or(|i| file.lines[i].owners.is_empty())
        })
        .map(|(pattern, _)| pattern.as_str())
        .collect();
    if !uncovered.is_empty() {
        let id = area_ids.unique("operating-model", "operating-model");
        let list: Vec<String> = uncovered.iter().map(|p| quote(p)).collect();
        areas.push_str(&format!(
            "\n# No CODEOWNERS line with owners covers the model's own files: choose the one person who owns them.\n\
             [[area]]\nid = {}\ntitle = \"The operating model\"\nowner = \"choose-owner-for-the-model\"\n\
             paths = [{}]\n\
             description = \"Added by the import: the model must own its own files (model-unowned).\"\n",
            quote(&id),
            list.join(", ")
        ));
        out.areas += 1;
        out.model_area = Some(id);
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

    fn grouped(text: &str) -> Vec<Vec<usize>> {
        let file = Codeowners::parse(text);
        groups(&file)
            .into_iter()
            .map(|g| g.into_iter().map(|i| file.lines[i].number).collect())
            .collect()
    }

    #[test]
    fn lines_with_the_same_owners_merge_only_where_no_path_changes_owner() {
        // Sorted per-folder lines (as generated files are): the core lines join the first one.
        assert_eq!(
            grouped("/a/x/* @core\n/a/y/* @ana\n/a/z/* @core\n/b/ @Core\n"),
            vec![vec![1, 3, 4], vec![2]]
        );
        // `/a/` could match what `/a/y/*` matches: moving it above would hand a/y/f back to @core.
        assert_eq!(
            grouped("/a/x/* @core\n/a/y/* @ana\n/a/ @core\n"),
            vec![vec![1], vec![2], vec![3]]
        );
        // A pattern of any depth overlaps everything: `/c/` cannot move above `*.md` (c/a.md would change
        // owner), nor `NEWS` above `/c/`.
        assert_eq!(
            grouped("/a/x/* @core\n/b/* @ana\n*.md @core\nCHANGELOG.md\n/c/ @ana\nNEWS\n"),
            vec![vec![1], vec![2], vec![3], vec![4], vec![5], vec![6]]
        );
        // Owner-less lines group like any other owners.
        assert_eq!(
            grouped("/a/ @x\n/docs/CHANGELOG.md\n/src/ @y\n/notes/NEWS\n"),
            vec![vec![1], vec![2, 4], vec![3]]
        );
    }

    #[test]
    fn disjoint_needs_differing_literal_folders() {
        let p = |t: &str| Pattern::parse(t).unwrap();
        assert!(disjoint(&p("/a/x/*"), &p("/a/y/**")));
        assert!(!disjoint(&p("/a/"), &p("/a/y/*")));
        assert!(!disjoint(&p("/a/*/c"), &p("/a/b/c")));
        assert!(!disjoint(&p("docs/"), &p("/a/b")));
    }

    #[test]
    fn slugs_are_ids() {
        assert_eq!(slug("/docs/**/*.md"), "docs-md");
        assert_eq!(slug("*"), "");
        assert_eq!(slug("Ana.Lopez"), "ana-lopez");
    }
}

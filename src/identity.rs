//! Who a commit's author is, as a person of the model: one resolution shared by `audit` and `activity`.
//!
//! An author email matches a person's `email` in any letter case, or GitHub's noreply address of their `github`
//! login (`ID+login@users.noreply.github.com`, `login@users.noreply.github.com`). The repository's `.mailmap`,
//! read from the tree of the revision that judges (the base of an audit, the end of an activity window), maps an
//! author to the address the model knows first: a `.mailmap` written by the changes being judged does not count.

use std::collections::{HashMap, HashSet};

use gix::bstr::{BStr, ByteSlice};

use crate::git::{GitError, ObjectId, Repo};
use crate::model::Model;

/// People of one model, found by what commits and approvals name them by.
#[derive(Default)]
pub struct People {
    by_email: HashMap<String, String>,
    by_login: HashMap<String, String>,
    ids: HashSet<String>,
    /// The `.mailmap` of the judging revision; `None` when it has none.
    mailmap: Option<gix::mailmap::Snapshot>,
}

impl std::fmt::Debug for People {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("People")
            .field("people", &self.ids.len())
            .field("mailmap", &self.mailmap.is_some())
            .finish()
    }
}

impl People {
    /// The people of `model`, with no `.mailmap`.
    pub fn new(model: &Model) -> People {
        let mut people = People::default();
        for person in &model.people {
            people.ids.insert(person.id.clone());
            for email in &person.email {
                people
                    .by_email
                    .entry(email.trim().to_lowercase())
                    .or_insert_with(|| person.id.clone());
            }
            if let Some(login) = &person.github {
                people
                    .by_login
                    .entry(login.trim().trim_start_matches('@').to_lowercase())
                    .or_insert_with(|| person.id.clone());
            }
        }
        people
    }

    /// The people of `model`, with the `.mailmap` at the root of `commit`'s tree (if any).
    pub fn at(model: &Model, repo: &Repo, commit: ObjectId) -> Result<People, GitError> {
        let mut people = People::new(model);
        people.mailmap = repo
            .read_file(commit, ".mailmap")?
            .map(|bytes| gix::mailmap::Snapshot::from_bytes(&bytes));
        Ok(people)
    }

    /// Whether a `.mailmap` was read.
    pub fn has_mailmap(&self) -> bool {
        self.mailmap.is_some()
    }

    /// The person an approval names: `Name <email>`, `@github-login`, a bare email, or a person id (exact).
    pub fn resolve(&self, value: &str) -> Option<&str> {
        let value = value.trim();
        if let Some(login) = value.strip_prefix('@') {
            return self
                .by_login
                .get(&login.trim().to_lowercase())
                .map(String::as_str);
        }
        if let (Some(open), Some(close)) = (value.rfind('<'), value.rfind('>')) {
            if open < close {
                return self.author("", &value[open + 1..close]);
            }
        }
        if value.contains('@') {
            return self.author("", value);
        }
        self.ids.get(value).map(String::as_str)
    }

    /// The person a commit's author is: the address `.mailmap` maps the author to, else the address as written.
    pub fn author(&self, name: &str, email: &str) -> Option<&str> {
        if let Some(mapped) = self.mailmap_email(name, email) {
            if let Some(person) = self.email(&mapped) {
                return Some(person);
            }
        }
        self.email(email)
    }

    /// The address `.mailmap` gives the author, when it maps them to another one.
    pub fn mailmap_email(&self, name: &str, email: &str) -> Option<String> {
        let map = self.mailmap.as_ref()?;
        let signature = gix::actor::SignatureRef {
            name: BStr::new(name.trim().as_bytes()),
            email: BStr::new(email.trim().as_bytes()),
            time: "",
        };
        let mapped = map.try_resolve_ref(signature)?.email?;
        let mapped = mapped.to_str_lossy().into_owned();
        (!mapped.eq_ignore_ascii_case(email.trim())).then_some(mapped)
    }

    /// The person an address belongs to: one of their `email`s in any letter case, or GitHub's noreply address
    /// of their `github` login (`ID+login@users.noreply.github.com`, `login@users...`).
    pub fn email(&self, email: &str) -> Option<&str> {
        let email = email.trim().to_lowercase();
        if let Some(person) = self.by_email.get(&email) {
            return Some(person);
        }
        let local = email.strip_suffix("@users.noreply.github.com")?;
        let login = local.split_once('+').map_or(local, |(_, login)| login);
        self.by_login.get(login).map(String::as_str)
    }
}

/// For each area of `model` (by index): the people who work in it besides its owner: its team's `lead` and
/// `members`, and the people whose `team` is that team.
pub fn area_members(model: &Model) -> Vec<HashSet<&str>> {
    model
        .areas
        .iter()
        .map(|area| {
            let mut set = HashSet::new();
            let Some(team_id) = area.team.as_deref() else {
                return set;
            };
            if let Some(team) = model.team(team_id) {
                set.insert(team.lead.as_str());
                set.extend(team.members.iter().flatten().map(String::as_str));
            }
            set.extend(
                model
                    .people
                    .iter()
                    .filter(|p| p.team.as_deref() == Some(team_id))
                    .map(|p| p.id.as_str()),
            );
            set
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people() -> People {
        let text = r#"
[[person]]
id = "ana"
name = "Ana Lopez"
email = ["ana@example.com", "Ana.Lopez@Corp.example"]
github = "AnaL"

[[person]]
id = "bob"
name = "Bob"
email = "bob@example.com"
"#;
        let doc = crate::document::parse(text).unwrap();
        let mut model = Model::default();
        for (kind, _, node) in crate::model::entity_nodes(&doc) {
            model.add(kind, 0, node).unwrap();
        }
        People::new(&model)
    }

    #[test]
    fn approvals_name_people_by_email_login_or_id() {
        let p = people();
        assert_eq!(p.resolve("Ana Lopez <ANA@example.com>"), Some("ana"));
        assert_eq!(p.resolve("Someone <ana.lopez@corp.example>"), Some("ana"));
        assert_eq!(p.resolve("ana@example.com"), Some("ana"));
        assert_eq!(p.resolve("@anal"), Some("ana"));
        assert_eq!(p.resolve(" bob "), Some("bob"));
        assert_eq!(p.resolve("Bob"), None, "ids match exactly");
        assert_eq!(p.resolve("@bob"), None, "bob has no login");
        assert_eq!(p.resolve("Carl <carl@example.com>"), None);
    }

    #[test]
    fn authors_match_by_email_noreply_and_mailmap() {
        let mut p = people();
        assert_eq!(p.author("x", "ANA@EXAMPLE.COM"), Some("ana"));
        assert_eq!(
            p.author("x", "123+anal@users.noreply.github.com"),
            Some("ana")
        );
        assert_eq!(p.author("x", "AnaL@users.noreply.github.com"), Some("ana"));
        assert_eq!(p.author("Bobby", "bobby@laptop.local"), None);
        p.mailmap = Some(gix::mailmap::Snapshot::from_bytes(
            b"Bob <bob@example.com> <bobby@laptop.local>\n",
        ));
        assert_eq!(p.author("Bobby", "Bobby@Laptop.local"), Some("bob"));
        assert_eq!(p.author("Ana", "ana@example.com"), Some("ana"));
    }
}

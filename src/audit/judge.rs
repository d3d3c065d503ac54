//! Who owns a path or an entity at the base of the range, who may change it, and the finding when nobody who
//! could approve the change did.
//!
//! Everything here is read from the base snapshot: the areas and their patterns, the teams and their members,
//! the people and their emails and logins, the entities and their owners, the manifest's `[ownership]`,
//! `[approvals]` and `[rules]`. Nothing a commit in the range writes can change a verdict.

use std::cell::{Cell, OnceCell};
use std::collections::{HashMap, HashSet};

use crate::check::{self, Loaded, RunError};
use crate::config::{Config, Overrides};
use crate::document::Span;
use crate::finding::Finding;
use crate::git::{ChangeKind, GitError, ObjectId, Repo};
use crate::identity::People;
use crate::manifest::{Manifest, Trust};
use crate::model::kinds::{self, Role};
use crate::model::{Model, RawEntity};
use crate::ownership::{Ownership, Resolution};
use crate::revision::GitProject;
use crate::sink::Sink;

use crate::source::FileFilter;

use super::findings::{Decider, Findings, Template};
use super::identity::Author;
use super::{shown_path, Approver, AuditFinding, CommitRef, Identity};

use crate::audit::rules::unapproved_change::RULE as UNAPPROVED_CHANGE;
use crate::audit::rules::unowned_change::RULE as UNOWNED_CHANGE;

/// A commit being judged: who wrote it, as a person at base when the email matches one; its subject and author
/// are read again only when a finding needs them (most commits have none), so the walk keeps no text per commit.
pub struct Commit<'c> {
    pub id: ObjectId,
    pub author: Option<&'c str>,
    /// Why the author counts, or why nobody does (`identity`).
    basis: &'c str,
    /// Under `signatures` and `platform`, messages say why the author is (not) trusted.
    trust: Trust,
    repo: &'c Repo,
    words: OnceCell<std::sync::Arc<CommitRef>>,
    /// The commit's index among the findings' commits, once it has a path finding.
    slot: Cell<Option<u32>>,
}

impl<'c> Commit<'c> {
    /// `words`: the commit's id, subject and author as read by the walk, if kept (else read again when a finding
    /// needs them).
    pub fn new(
        repo: &'c Repo,
        id: ObjectId,
        author: &'c Author<'c>,
        trust: Trust,
        words: Option<CommitRef>,
    ) -> Commit<'c> {
        let cell = OnceCell::new();
        if let Some(words) = words {
            let _ = cell.set(std::sync::Arc::new(words));
        }
        Commit {
            id,
            author: author.person,
            basis: &author.basis,
            trust,
            repo,
            words: cell,
            slot: Cell::new(None),
        }
    }

    /// The commit in a message: `1a2b3c4 "Subject" by Bob <bob@example.com>`; when the trust mode verifies
    /// authors and none is trusted, why; under `platform`, who the author is instead.
    fn who(&self) -> Result<String, GitError> {
        Ok(who(self.words()?, self.trust, self.author, self.basis))
    }

    /// The commit's index among `out`'s commits, added with its words and identity the first time.
    fn slot(&self, out: &mut Findings) -> Result<u32, GitError> {
        if let Some(i) = self.slot.get() {
            return Ok(i);
        }
        let words = self.words()?.clone();
        let identity = self.identity();
        Ok(out.commit(&self.slot, || (words, identity)))
    }

    fn identity(&self) -> Identity {
        Identity {
            person: self.author.map(String::from),
            basis: self.basis.to_string(),
        }
    }

    fn words(&self) -> Result<&std::sync::Arc<CommitRef>, GitError> {
        if let Some(words) = self.words.get() {
            return Ok(words);
        }
        let info = self.repo.commit_info(self.id)?;
        Ok(self
            .words
            .get_or_init(|| std::sync::Arc::new(CommitRef::of(&info))))
    }
}

/// A commit in a message: `1a2b3c4 "Subject" by Bob <bob@example.com>`; when the trust mode verifies authors and
/// none is trusted, why; under `platform`, who the author is instead.
pub fn who(words: &CommitRef, trust: Trust, author: Option<&str>, basis: &str) -> String {
    let words = words.words();
    match (trust, author) {
        (Trust::Commits, _) => words,
        (_, None) => format!("{words} (author not trusted: {basis})"),
        (Trust::Platform, Some(_)) => format!("{words} ({basis})"),
        (Trust::Signatures, Some(_)) => words,
    }
}

/// The model at the base of the range, ready to judge changes.
pub struct Base<'a> {
    pub model: &'a Model,
    pub manifest: &'a Manifest,
    pub people: People,
    ownership: Ownership,
    /// Rule levels from `[rules]` at base: a change cannot lower the level of the rules that judge it.
    pub config: Config,
    /// Entities at base by kind and id (the first one written, as the model keeps them).
    raw: HashMap<(&'static str, &'a str), &'a RawEntity>,
    /// For each area (by index): who may change its paths without approval besides the owner.
    members: Vec<HashSet<&'a str>>,
    /// The manifest's folder in the repository, with a final `/` (`""` at the root).
    prefix: Vec<u8>,
    /// The model folder relative to the manifest's folder, with a final `/` (`""` when it is that folder).
    model_root: String,
    filter: FileFilter,
    /// The manifest's path relative to its folder: never a model file.
    manifest_name: Vec<u8>,
    /// `[approvals].trailers`, lowercased.
    trailers: Vec<String>,
}

impl<'a> Base<'a> {
    pub fn new(
        git: &GitProject,
        manifest: &'a Manifest,
        loaded: &'a Loaded,
        overrides: &Overrides,
        people: People,
    ) -> Result<Base<'a>, RunError> {
        let model = &loaded.model;
        let (ownership, _) = Ownership::new(model, Some(manifest));
        // Problems in [rules] are `check`'s to report; here they leave the defaults in place.
        let (config, _) = Config::new(Some(manifest), overrides)
            .map_err(|e| RunError::new(e.to_string(), "`opmodel rules` lists every rule"))?;
        let mut raw = HashMap::new();
        for entity in &model.raw {
            raw.entry((entity.kind, entity.id.as_str()))
                .or_insert(entity);
        }
        let members = crate::identity::area_members(model);
        let filter = check::file_filter(manifest, &loaded.files)?;
        let root = manifest.root.trim_start_matches("./").trim_matches('/');
        let model_root = match root {
            "" | "." => String::new(),
            root => format!("{root}/"),
        };
        Ok(Base {
            model,
            manifest,
            people,
            ownership,
            config,
            raw,
            members,
            prefix: match git.prefix.as_str() {
                "" => Vec::new(),
                prefix => format!("{prefix}/").into_bytes(),
            },
            model_root,
            filter,
            manifest_name: git.manifest_name.clone().into_bytes(),
            trailers: manifest.trailers.iter().map(|t| t.to_lowercase()).collect(),
        })
    }

    /// Whether a trailer's token records a sign-off (`[approvals].trailers`, case-insensitively).
    pub fn is_approval(&self, token: &str) -> bool {
        let token = token.to_lowercase();
        self.trailers.contains(&token)
    }

    /// A repository path relative to the manifest's folder; `None` outside it (not the model's repository).
    pub fn project_path<'p>(&self, path: &'p [u8]) -> Option<&'p [u8]> {
        path.strip_prefix(self.prefix.as_slice())
    }

    /// Whether a path (relative to the manifest's folder) is a model file at base.
    pub fn is_model_file(&self, path: &[u8]) -> bool {
        if path == self.manifest_name.as_slice() {
            return false;
        }
        let Some(inside) = path.strip_prefix(self.model_root.as_bytes()) else {
            return false;
        };
        std::str::from_utf8(inside).is_ok_and(|inside| self.filter.matches(inside))
    }

    /// Judge a changed path (not a model file, or one whose entities cannot be read).
    pub fn judge_path(
        &self,
        commit: &Commit<'_>,
        path: &[u8],
        change: ChangeKind,
        approved: &HashSet<String>,
        out: &mut Findings,
    ) -> Result<(), GitError> {
        let resolution = self.ownership.resolve(path);
        // The manifest decides how everything else is judged: a change to it is judged like an entity change, by
        // the owner of its area alone (an approval or their own commit), not by any member of the area's team.
        let manifest = path == self.manifest_name.as_slice();
        if let Resolution::Owned { area, .. } = resolution {
            let allowed = if manifest {
                self.owner_allows(area, commit.author, approved)
            } else {
                self.area_allows(area, commit.author, approved)
            };
            if allowed {
                return Ok(());
            }
        }
        // A rule turned off (in `[rules]` at base or by `--allow`) drops its findings in `apply_levels` whatever
        // else: they are not built, so an audit that allows them keeps no per-change state.
        let off = |rule: &'static crate::finding::Rule| self.config.level(rule).is_none();
        let shown = shown_path(path);
        let template = match resolution {
            Resolution::Owned { .. } if off(&UNAPPROVED_CHANGE) => return Ok(()),
            Resolution::Unowned { .. } if off(&UNOWNED_CHANGE) => return Ok(()),
            Resolution::Owned { area, pattern } => out.template(
                Decider::Area {
                    area,
                    pattern,
                    manifest,
                },
                || {
                    let a = &self.model.areas[area];
                    let tail = format!(
                        " without the approval of its owner, {}",
                        self.model.who(&a.owner)
                    );
                    // For the manifest, the members of the area's team are not named: they cannot sign it off.
                    let help = if manifest {
                        self.approval_help(&[a.owner.as_str()])
                    } else {
                        self.area_help(area)
                    };
                    let finding = Finding::new(&UNAPPROVED_CHANGE, tail)
                        .at(
                            a.loc.file,
                            a.loc.item("paths", pattern),
                            self.area_label(area, None),
                        )
                        .help(help)
                        .about("area", a.id.clone());
                    Template::new(finding, vec![self.approver(&a.owner)])
                },
            ),
            Resolution::Unowned { required_by } => {
                out.template(Decider::Unowned { required_by }, || {
                    let finding = Finding::new(&UNOWNED_CHANGE, ", which no area owns");
                    Template::new(self.unowned(finding, required_by), Vec::new())
                })
            }
            Resolution::Disowned { .. } | Resolution::Ignored { .. } | Resolution::NotRequired => {
                return Ok(())
            }
        };
        let slot = commit.slot(out)?;
        out.push_path(template, slot, shown, change);
        Ok(())
    }

    /// Judge an entity a commit added, removed or changed in a model file (`path`: the file that holds it after
    /// the commit, or before it when removed).
    #[allow(clippy::too_many_arguments)]
    pub fn judge_entity(
        &self,
        commit: &Commit<'_>,
        kind: &'static str,
        id: &str,
        path: &[u8],
        change: ChangeKind,
        approved: &HashSet<String>,
        out: &mut Findings,
    ) -> Result<(), GitError> {
        let shown = shown_path(path);
        let what = format!("{kind} \"{id}\" in {shown}");
        let entity = Some((kind, id.to_string()));
        if let Some((owners, decider)) = self
            .raw
            .get(&(kind, id))
            .and_then(|e| entity_owners(e).map(|o| (o, *e)))
        {
            let allowed = commit
                .author
                .is_some_and(|a| owners.iter().any(|o| o.id == a))
                || owners.iter().any(|o| approved.contains(o.id));
            if allowed {
                return Ok(());
            }
            let who = self.owners_words(&owners);
            let message = format!(
                "{} {} {what} without the approval of {who}",
                commit.who()?,
                verb(change, true)
            );
            let loc = &decider.loc;
            let mut finding = Finding::new(&UNAPPROVED_CHANGE, message).at(
                loc.file,
                owners[0].span.clone(),
                owners[0].label.clone(),
            );
            for owner in &owners[1..] {
                finding = finding.related(loc.file, owner.span.clone(), owner.label.clone());
            }
            let finding = finding
                .help(self.approval_help(&owners.iter().map(|o| o.id).collect::<Vec<_>>()))
                .about(kind, id);
            let ids: Vec<&str> = owners.iter().map(|o| o.id).collect();
            out.push(self.audit_finding(finding, commit, change, Some(shown), entity, &ids)?);
            return Ok(());
        }
        // Not at base (or without an owner there): the area that owns the file decides, as for any path.
        match self.ownership.resolve(path) {
            Resolution::Owned { area, pattern } => {
                if self.area_allows(area, commit.author, approved) {
                    return Ok(());
                }
                let a = &self.model.areas[area];
                let message = format!(
                    "{} {} {what}, an entity that is not in the model at base, without the approval of {}, owner \
                     of the file's area",
                    commit.who()?,
                    verb(change, true),
                    self.model.who(&a.owner)
                );
                let finding = Finding::new(&UNAPPROVED_CHANGE, message)
                    .at(
                        a.loc.file,
                        a.loc.item("paths", pattern),
                        self.area_label(area, Some(&shown)),
                    )
                    .help(self.area_help(area))
                    .about("area", a.id.clone());
                out.push(self.audit_finding(
                    finding,
                    commit,
                    change,
                    Some(shown),
                    entity,
                    &[a.owner.as_str()],
                )?);
            }
            Resolution::Unowned { required_by } => {
                let message = format!(
                    "{} {} {what}, a file no area owns",
                    commit.who()?,
                    verb(change, true)
                );
                let finding = self.unowned(Finding::new(&UNOWNED_CHANGE, message), required_by);
                out.push(self.audit_finding(finding, commit, change, Some(shown), entity, &[])?);
            }
            Resolution::Disowned { .. } | Resolution::Ignored { .. } | Resolution::NotRequired => {}
        }
        Ok(())
    }

    /// The sink of the audit: levels from `[rules]` at base, `allow` lists of the model at base.
    pub fn sink(&self) -> Sink<'_> {
        Sink::new(&self.config, Some(self.model))
    }

    /// Every finding at its reported level (`crate::sink`); the ones the sink drops are gone.
    pub fn apply_levels(&self, findings: &mut Findings) {
        findings.apply_levels(&mut self.sink());
    }

    /// Whether the owner of an area made or approved a change: the manifest's rule (no team member, no approver).
    fn owner_allows(&self, area: usize, author: Option<&str>, approved: &HashSet<String>) -> bool {
        let owner = self.model.areas[area].owner.as_str();
        author == Some(owner) || approved.contains(owner)
    }

    fn area_allows(&self, area: usize, author: Option<&str>, approved: &HashSet<String>) -> bool {
        let a = &self.model.areas[area];
        let owner = a.owner.as_str();
        author.is_some_and(|a| a == owner || self.members[area].contains(a))
            || approved.contains(owner)
            || a.approvers.iter().any(|id| match self.model.team(id) {
                // An approver team: its lead or any member may approve.
                Some(team) => {
                    approved.contains(&team.lead)
                        || team.members.iter().flatten().any(|m| approved.contains(m))
                }
                None => approved.contains(id),
            })
    }

    fn area_label(&self, area: usize, file: Option<&str>) -> String {
        let a = &self.model.areas[area];
        let team = a
            .team
            .as_ref()
            .map(|t| format!(", team {t}"))
            .unwrap_or_default();
        match file {
            Some(file) => format!(
                "area \"{}\" owns {file}: owner {}{team}",
                a.id,
                self.model.who(&a.owner)
            ),
            None => format!(
                "area \"{}\" owns it: owner {}{team}",
                a.id,
                self.model.who(&a.owner)
            ),
        }
    }

    fn area_help(&self, area: usize) -> String {
        let a = &self.model.areas[area];
        let mut help = self.approval_help(&[a.owner.as_str()]);
        if let Some(team) = &a.team {
            let mut members: Vec<&str> = self.members[area].iter().copied().collect();
            members.sort_unstable();
            if !members.is_empty() {
                help.push_str(&format!(
                    "; members of team {team} ({}) may make such changes themselves",
                    members.join(", ")
                ));
            }
        }
        help
    }

    /// How to record an approval by any one of `ids`.
    pub fn approval_help(&self, ids: &[&str]) -> String {
        let Some(first) = ids.first() else {
            return String::new();
        };
        let names: Vec<String> = ids.iter().map(|id| self.model.who(id)).collect();
        let names = names.join(" or ");
        let trailer = self.trailer_for(first);
        match self.manifest.trust {
            Trust::Commits => format!(
                "{names} could approve it: add `{trailer}` to a commit message in the range, or pass `--approver \
                 {first}` when the pull request has their review"
            ),
            Trust::Signatures => format!(
                "{names} could approve it: add `{trailer}` to a commit they sign in the range (an empty one will \
                 do), or pass `--approver {first}` when the pull request has their review"
            ),
            Trust::Platform => format!(
                "{names} could approve it: pass `--approver {first}` when the pull request has their review \
                 (under `trust = \"platform\"` commit trailers count for nothing)"
            ),
        }
    }

    /// The trailer that records `id`'s approval: `Approved-by: Ana Lopez <ana@example.com>`.
    pub fn trailer_for(&self, id: &str) -> String {
        let token = self
            .manifest
            .trailers
            .first()
            .map_or("Approved-by", String::as_str);
        match self.model.person(id) {
            Some(p) => match p.email.first() {
                Some(email) => format!("{token}: {} <{email}>", p.name),
                None => format!("{token}: {}", p.id),
            },
            None => format!("{token}: {id}"),
        }
    }

    fn owners_words(&self, owners: &[Owner<'_>]) -> String {
        match owners {
            [one] if one.role == "person" => format!("the person, {}", self.model.who(one.id)),
            [one] => format!("its {}, {}", one.role, self.model.who(one.id)),
            [person, manager] => format!(
                "the person, {}, or their manager, {}",
                self.model.who(person.id),
                self.model.who(manager.id)
            ),
            _ => String::from("its owner"),
        }
    }

    fn unowned(&self, finding: Finding, required_by: usize) -> Finding {
        let pattern = self
            .ownership
            .manifest_pattern(true, required_by)
            .unwrap_or("**");
        let finding = match self.ownership.manifest_span(true, required_by) {
            Some((file, span)) => finding.at(
                file,
                span,
                format!("`[ownership].required` covers it (`{pattern}`), and no area owns it"),
            ),
            None => finding,
        };
        finding.help(
            "give it an owner on the base branch first (ownership is read from the base of the range): add it to \
             an area's `paths`, or to `[ownership].ignore` if it needs no owner",
        )
    }

    fn audit_finding(
        &self,
        finding: Finding,
        commit: &Commit<'_>,
        change: ChangeKind,
        path: Option<String>,
        entity: Option<(&'static str, String)>,
        approvers: &[&str],
    ) -> Result<AuditFinding, GitError> {
        Ok(AuditFinding {
            finding,
            identity: Some(commit.identity()),
            commit: Some(commit.words()?.clone()),
            change: Some(change),
            path,
            entity,
            drift: None,
            approvers: approvers.iter().map(|id| self.approver(id)).collect(),
        })
    }

    pub fn approver(&self, id: &str) -> Approver {
        let person = self.model.person(id);
        Approver {
            id: id.to_string(),
            name: person.map(|p| p.name.clone()),
            github: person.and_then(|p| p.github.clone()),
        }
    }
}

/// One person who owns an entity at base, and where that is written.
struct Owner<'e> {
    id: &'e str,
    role: &'static str,
    span: Span,
    label: String,
}

/// Who owns an entity (MODEL.md): its `owner`; a team's `lead`; a person entry, that person and their `manager`
/// (the owning fields of the table of kinds). `None` when the entity names nobody (an invalid entity at base):
/// its file's area decides instead.
fn entity_owners(entity: &RawEntity) -> Option<Vec<Owner<'_>>> {
    let kind = kinds::find(entity.kind)?;
    let loc = &entity.loc;
    let mut owners = Vec::new();
    if kind.self_owned {
        owners.push(Owner {
            id: entity.id.as_str(),
            role: kind.name,
            span: loc.span.clone(),
            label: format!("{} \"{}\": their own entry", kind.name, entity.id),
        });
    }
    for field in kind.owner_fields() {
        let Some(id) = entity.fields.get(field.field).and_then(|v| v.as_str()) else {
            continue;
        };
        let (role, label) = match field.role {
            Some(Role::Manager) if id == entity.id => continue,
            Some(Role::Manager) => ("manager", "their manager".to_string()),
            Some(Role::Lead) => (
                "lead",
                format!("{} \"{}\" is led by \"{id}\"", kind.name, entity.id),
            ),
            _ => (
                "owner",
                format!("{} \"{}\" is owned by \"{id}\"", kind.name, entity.id),
            ),
        };
        owners.push(Owner {
            id,
            role,
            span: loc.value(field.field),
            label,
        });
    }
    (!owners.is_empty()).then_some(owners)
}

pub fn verb(change: ChangeKind, entity: bool) -> &'static str {
    match (change, entity) {
        (ChangeKind::Added, _) => "adds",
        (ChangeKind::Modified, _) => "changes",
        (ChangeKind::Deleted, false) => "deletes",
        (ChangeKind::Deleted, true) => "removes",
    }
}

//! The audit's findings, stored compactly: on a long history nearly every finding is a changed path, and their
//! messages, help, places and approvers repeat per area. A path finding keeps four indices (its template: the
//! rule, the area or `[ownership]` entry that decided it, with its help, places and approvers at their reported
//! level; its commit: words and author identity, shared by that commit's findings; its path; its change), and its
//! full [`AuditFinding`] is built only when a renderer asks for it. Entity and drift findings, few, are kept whole.
//! So the walk's memory follows the number of findings by about 16 bytes each, not by their text.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::finding::{Counts, Finding, Level};
use crate::git::ChangeKind;
use crate::manifest::Trust;
use crate::sink::Sink;
use crate::source::FileId;

use super::place::{self, Head};
use super::{AuditFinding, CommitRef, Identity};

/// What decided a path finding: an area (and whether the path is the manifest, judged by the owner alone) or,
/// for a path no area owns, the `[ownership].required` entry that covers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Decider {
    Area {
        area: usize,
        pattern: usize,
        manifest: bool,
    },
    Unowned {
        required_by: usize,
    },
}

/// The parts a decider's path findings share.
#[derive(Debug, Clone)]
pub struct Template {
    /// The finding as judged at base, its message being the text after the path (`, which no area owns`);
    /// `None` once the sink dropped it.
    finding: Option<Finding>,
    approvers: Vec<super::Approver>,
    /// Whether `finding` was moved to the head (`relocate`): its place at base a related location, its own
    /// location the changed file's, which each finding sets.
    placed: bool,
}

impl Template {
    pub fn new(finding: Finding, approvers: Vec<super::Approver>) -> Template {
        Template {
            finding: Some(finding),
            approvers,
            placed: false,
        }
    }
}

/// A commit with findings: its words and its author as the audit took them (an index: commits share them).
#[derive(Debug)]
struct CommitWords {
    words: std::sync::Arc<CommitRef>,
    identity: u32,
}

/// A changed path with findings: as shown, and its text among the audit's (once placed at head).
#[derive(Debug)]
struct PathWords {
    shown: String,
    file: Option<FileId>,
}

#[derive(Debug)]
enum Entry {
    Whole(Box<AuditFinding>),
    Path {
        template: u32,
        commit: u32,
        path: u32,
        change: ChangeKind,
    },
}

/// The findings of an audit, in report order: oldest commit first, drifts last.
#[derive(Debug, Default)]
pub struct Findings {
    entries: Vec<Entry>,
    templates: Vec<Template>,
    by_decider: HashMap<Decider, u32>,
    commits: Vec<CommitWords>,
    identities: Vec<Identity>,
    by_identity: HashMap<Identity, u32>,
    paths: Vec<PathWords>,
    by_path: HashMap<String, u32>,
    /// How messages name a commit's author (`[approvals].trust` at base).
    trust: Option<Trust>,
}

impl Findings {
    pub fn new(trust: Trust) -> Findings {
        Findings {
            trust: Some(trust),
            ..Findings::default()
        }
    }

    /// Add a finding kept whole (an entity's change, a drift).
    pub fn push(&mut self, finding: AuditFinding) {
        self.entries.push(Entry::Whole(Box::new(finding)));
    }

    /// The index of a decider's template, built by `make` the first time.
    pub fn template(&mut self, decider: Decider, make: impl FnOnce() -> Template) -> u32 {
        if let Some(i) = self.by_decider.get(&decider) {
            return *i;
        }
        let i = self.templates.len() as u32;
        self.templates.push(make());
        self.by_decider.insert(decider, i);
        i
    }

    /// The index of a commit's words: `slot` caches it for the commit being judged.
    pub fn commit(
        &mut self,
        slot: &std::cell::Cell<Option<u32>>,
        words: impl FnOnce() -> (std::sync::Arc<CommitRef>, Identity),
    ) -> u32 {
        if let Some(i) = slot.get() {
            return i;
        }
        let (words, identity) = words();
        let identity = match self.by_identity.get(&identity) {
            Some(i) => *i,
            None => {
                let i = self.identities.len() as u32;
                self.identities.push(identity.clone());
                self.by_identity.insert(identity, i);
                i
            }
        };
        let i = self.commits.len() as u32;
        self.commits.push(CommitWords { words, identity });
        slot.set(Some(i));
        i
    }

    /// Add a path finding.
    pub fn push_path(&mut self, template: u32, commit: u32, shown: String, change: ChangeKind) {
        let path = match self.by_path.get(&shown) {
            Some(i) => *i,
            None => {
                let i = self.paths.len() as u32;
                self.by_path.insert(shown.clone(), i);
                self.paths.push(PathWords { shown, file: None });
                i
            }
        };
        self.entries.push(Entry::Path {
            template,
            commit,
            path,
            change,
        });
    }

    /// Move every finding to the head (`place`), in report order: a changed file's text is added the first time
    /// a finding points at it.
    pub fn relocate(&mut self, at_head: &mut Head) {
        for entry in &mut self.entries {
            match entry {
                Entry::Whole(f) => at_head.relocate(f),
                Entry::Path { path, .. } => {
                    let path = &mut self.paths[*path as usize];
                    if path.file.is_none() {
                        path.file = Some(at_head.changed_file(&path.shown));
                    }
                }
            }
        }
        // Every path finding of a template moves the same way but for its file: once here.
        for template in self.templates.iter_mut().filter(|t| !t.placed) {
            template.finding = template
                .finding
                .take()
                .map(|f| place::decided_at_base(f, place::whole(0)));
            template.placed = true;
        }
    }

    /// Every finding at its reported level; the ones the sink drops are gone. A template's level is its rule's
    /// for its subject, so the sink sees it once.
    pub fn apply_levels(&mut self, sink: &mut Sink<'_>) {
        for template in &mut self.templates {
            template.finding = template.finding.take().and_then(|f| sink.keep(f));
        }
        let templates = &self.templates;
        self.entries.retain_mut(|entry| match entry {
            Entry::Whole(f) => match sink.keep(place::take(&mut f.finding)) {
                Some(kept) => {
                    f.finding = kept;
                    true
                }
                None => false,
            },
            Entry::Path { template, .. } => templates[*template as usize].finding.is_some(),
        });
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Each finding's rule and level, in report order, without building it.
    pub fn levels(&self) -> impl Iterator<Item = (&'static crate::finding::Rule, Level)> + '_ {
        self.entries.iter().filter_map(|entry| {
            let finding = match entry {
                Entry::Whole(f) => &f.finding,
                Entry::Path { template, .. } => {
                    self.templates[*template as usize].finding.as_ref()?
                }
            };
            Some((finding.rule, finding.level))
        })
    }

    /// The findings by level.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for (_, level) in self.levels() {
            match level {
                Level::Error => counts.errors += 1,
                Level::Warn => counts.warnings += 1,
                Level::Info => counts.infos += 1,
            }
        }
        counts
    }

    /// Every finding, in report order; a path finding is built as it is read.
    pub fn iter(&self) -> impl Iterator<Item = Cow<'_, AuditFinding>> + '_ {
        self.iter_where(|_| true)
    }

    /// The findings of the rules `wanted` accepts, in report order; only those are built.
    pub fn iter_where<'s>(
        &'s self,
        wanted: impl Fn(&'static crate::finding::Rule) -> bool + 's,
    ) -> impl Iterator<Item = Cow<'s, AuditFinding>> + 's {
        self.build(&self.entries, wanted)
    }

    /// How many entries [`Findings::iter`] goes through (a finding each, but those of a rule turned off).
    pub fn entry_count(&self) -> usize {
        self.entries.len()
    }

    /// [`Findings::iter`] over the entries in `range` only, to build a report's findings in parts.
    pub fn iter_entries(
        &self,
        range: std::ops::Range<usize>,
    ) -> impl Iterator<Item = Cow<'_, AuditFinding>> + '_ {
        self.build(&self.entries[range], |_| true)
    }

    fn build<'s>(
        &'s self,
        entries: &'s [Entry],
        wanted: impl Fn(&'static crate::finding::Rule) -> bool + 's,
    ) -> impl Iterator<Item = Cow<'s, AuditFinding>> + 's {
        entries.iter().filter_map(move |entry| match entry {
            Entry::Whole(f) => wanted(f.finding.rule).then_some(Cow::Borrowed(&**f)),
            Entry::Path {
                template,
                commit,
                path,
                change,
            } => {
                let template = &self.templates[*template as usize];
                let base = template.finding.as_ref().filter(|f| wanted(f.rule))?;
                let commit = &self.commits[*commit as usize];
                let identity = &self.identities[commit.identity as usize];
                let path = &self.paths[*path as usize];
                let who = super::judge::who(
                    &commit.words,
                    self.trust.unwrap_or(Trust::Commits),
                    identity.person.as_deref(),
                    &identity.basis,
                );
                let mut finding = base.clone();
                finding.message = format!(
                    "{who} {} {}{}",
                    super::judge::verb(*change, false),
                    path.shown,
                    base.message
                );
                if let (true, Some(file)) = (template.placed, path.file) {
                    finding.location = Some(place::whole(file));
                }
                Some(Cow::Owned(AuditFinding {
                    finding,
                    commit: Some(commit.words.clone()),
                    identity: Some(identity.clone()),
                    change: Some(*change),
                    path: Some(path.shown.clone()),
                    entity: None,
                    drift: None,
                    approvers: template.approvers.clone(),
                }))
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::audit::rules::unapproved_change::RULE;

    fn words() -> std::sync::Arc<CommitRef> {
        std::sync::Arc::new(CommitRef {
            id: "1a2b3c4".repeat(5),
            short_id: "1a2b3c4".into(),
            author_name: "Bob Stone".into(),
            author_email: "bob@example.com".into(),
            subject: "Retry card payments".into(),
        })
    }

    #[test]
    fn path_findings_share_their_decider_and_commit_and_are_built_when_read() {
        let mut findings = Findings::new(Trust::Signatures);
        let area = Decider::Area {
            area: 0,
            pattern: 1,
            manifest: false,
        };
        let template = findings.template(area, || {
            Template::new(
                Finding::new(&RULE, " without the approval of its owner, Ana")
                    .at(0, 5..9, "area \"billing\" owns it")
                    .help("ask Ana"),
                Vec::new(),
            )
        });
        assert_eq!(findings.template(area, || unreachable!()), template);
        let slot = Cell::new(None);
        let identity = Identity {
            person: None,
            basis: "the commit is not signed".into(),
        };
        let commit = findings.commit(&slot, || (words(), identity));
        assert_eq!(findings.commit(&slot, || unreachable!()), commit);
        findings.push_path(template, commit, "src/pay.rs".into(), ChangeKind::Modified);
        findings.push_path(template, commit, "src/new.rs".into(), ChangeKind::Added);
        findings.push_path(template, commit, "src/pay.rs".into(), ChangeKind::Deleted);
        assert_eq!(findings.paths.len(), 2);
        assert_eq!(findings.len(), 3);
        assert_eq!(findings.counts().errors + findings.counts().warnings, 3);
        let built: Vec<AuditFinding> = findings.iter().map(Cow::into_owned).collect();
        assert_eq!(
            built[1].finding.message,
            "1a2b3c4 \"Retry card payments\" by Bob Stone <bob@example.com> (author not trusted: the commit is \
             not signed) adds src/new.rs without the approval of its owner, Ana"
        );
        assert_eq!(built[2].path.as_deref(), Some("src/pay.rs"));
        assert_eq!(built[2].change, Some(ChangeKind::Deleted));
        assert_eq!(built[0].finding.help.as_deref(), Some("ask Ana"));
        assert_eq!(
            built[0].identity.as_ref().and_then(|i| i.person.clone()),
            None
        );
        // Not yet placed at head: the place at base is the location.
        assert_eq!(built[0].finding.location.as_ref().map(|l| l.file), Some(0));
        assert!(findings
            .iter_where(|r| r.name != RULE.name)
            .next()
            .is_none());
    }
}

//! `diff`: compare two revisions of the operating model entity by entity, and classify every change with the
//! drift checks (each declared and implemented in its own file under `src/diff/checks/`, listed in [`checks`]).
//!
//! Identity is (kind, id) over every entity as written ([`Model::raw`]): moving an entity to another file, or
//! reordering its fields, is not a change. Levels come from the BASE's manifest (a change cannot lower the level
//! of the checks that judge it), and every sign-off names people as the base knows them.

pub mod checks;

pub use checks::DriftCheck;

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use serde_json::Value as Json;

use crate::config::Config;
use crate::document::{quoted, Span};
use crate::finding::{Finding, Level, Subject};
use crate::git::ObjectId;
use crate::model::{kinds, Fields, Model, RawEntity};
use crate::ownership::{Ownership, Resolution};
use crate::revision::Snapshot;
use crate::rules::Rule;
use crate::sink::Sink;
use crate::source::{FileId, Files};

/// What happened to an entity between the two sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Op {
    Added,
    Removed,
    Changed,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Added => "added",
            Op::Removed => "removed",
            Op::Changed => "changed",
        }
    }

    /// The plan symbol: `+`, `-`, `~`.
    pub fn symbol(self) -> char {
        match self {
            Op::Added => '+',
            Op::Removed => '-',
            Op::Changed => '~',
        }
    }
}

/// One field that differs: its value on each side (None where it is absent), and the value's span on each side
/// (file ids into [`DiffReport::files`]).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<Json>,
    pub new: Option<Json>,
    pub base: Option<(FileId, Span)>,
    pub head: Option<(FileId, Span)>,
}

/// What a drift check says about a change.
#[derive(Debug, Clone, PartialEq)]
pub struct Drift {
    /// The check's rule (group `drift`).
    pub check: &'static Rule,
    /// The reported level (from the base's manifest, through the sink): what fails the build.
    pub level: Level,
    /// Whether the change needs the sign-off of the people in `signoff`: a property of the check (see
    /// [`DriftCheck`]), whatever its level.
    pub needs_signoff: bool,
    pub message: String,
    /// Person ids, as the BASE knows them, whose sign-off the change needs (teams are replaced by their lead).
    pub signoff: Vec<String>,
    /// The field the drift is about, when it is about one.
    pub field: Option<String>,
}

impl Drift {
    /// A drift of `rule` at its default level; `compare` sets the configured one.
    pub fn new(rule: &'static Rule, message: impl Into<String>) -> Drift {
        Drift {
            check: rule,
            level: rule.level,
            needs_signoff: false,
            message: message.into(),
            signoff: Vec::new(),
            field: None,
        }
    }

    pub fn field(mut self, field: &str) -> Drift {
        self.field = Some(field.to_string());
        self
    }

    pub fn signoff<S: AsRef<str>>(mut self, ids: impl IntoIterator<Item = S>) -> Drift {
        self.signoff
            .extend(ids.into_iter().map(|s| s.as_ref().to_string()));
        self
    }

    pub fn needs_signoff(&self) -> bool {
        self.needs_signoff
    }
}

/// One entity that differs between the sides.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub kind: &'static str,
    pub id: String,
    pub op: Op,
    /// The fields that differ; for an added (removed) entity, every field it has at head (base). Fields come in
    /// the order they are written at head, then those only at base in their base order.
    pub fields: Vec<FieldChange>,
    /// The entity's header span at base and at head (file ids into [`DiffReport::files`]).
    pub base: Option<(FileId, Span)>,
    pub head: Option<(FileId, Span)>,
    pub drifts: Vec<Drift>,
}

impl Change {
    /// The change of one field, if it differs.
    pub fn field(&self, name: &str) -> Option<&FieldChange> {
        self.fields.iter().find(|f| f.field == name)
    }

    /// The highest level among the drifts.
    pub fn worst(&self) -> Option<Level> {
        self.drifts.iter().map(|d| d.level).max()
    }

    pub fn needs_signoff(&self) -> bool {
        self.drifts.iter().any(Drift::needs_signoff)
    }

    /// `decision "pricing"`.
    pub fn name(&self) -> String {
        format!("{} \"{}\"", self.kind, self.id)
    }
}

/// How one side of the comparison is shown.
#[derive(Debug, Clone, PartialEq)]
pub struct SideInfo {
    pub label: String,
    pub commit: Option<ObjectId>,
    /// False when the side has no manifest: every entity of the other side counts as added or removed.
    pub has_manifest: bool,
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    /// Changes with at least one error-level drift.
    pub need_signoff: usize,
    /// Drifts by level.
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

/// The comparison of two sides.
#[derive(Debug, Clone)]
pub struct DiffReport {
    pub base: SideInfo,
    pub head: SideInfo,
    /// How opmodel chose the base (`base: the merge-base of HEAD and main (1a2b3c4)`), for the first line.
    pub note: Option<String>,
    /// Ordered by kind (the order of the table of kinds), then id.
    pub changes: Vec<Change>,
    /// Every text of both sides: the head's files keep their ids; the base's follow, from `base_files_from`, under
    /// their own (base) paths. A span at base thus points into the base's text of the file.
    pub files: Files,
    pub base_files_from: FileId,
    /// The manifest at head, where a finding about an entity removed with its file points.
    pub head_manifest: Option<FileId>,
    /// The name of every person named in a sign-off, as the base knows them (else as the head does).
    pub people: BTreeMap<String, String>,
    /// Model files one side could not read: their entities are missing from that side.
    pub problems: Vec<String>,
    /// Each changed handoff as written at base and at head (absent on a side: `None`), for the picture of the
    /// handoffs a change touches (`render::plan`), which needs its unchanged `from` and `to` too.
    pub handoffs: BTreeMap<String, [Option<Arc<Fields>>; 2]>,
}

impl DiffReport {
    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for change in &self.changes {
            match change.op {
                Op::Added => s.added += 1,
                Op::Removed => s.removed += 1,
                Op::Changed => s.changed += 1,
            }
            if change.needs_signoff() {
                s.need_signoff += 1;
            }
            for drift in &change.drifts {
                match drift.level {
                    Level::Error => s.errors += 1,
                    Level::Warn => s.warnings += 1,
                    Level::Info => s.infos += 1,
                }
            }
        }
        s
    }

    /// The highest level among all drifts.
    pub fn worst(&self) -> Option<Level> {
        self.changes.iter().filter_map(Change::worst).max()
    }

    /// Whether a file id points into the base's texts.
    pub fn is_base_file(&self, file: FileId) -> bool {
        file >= self.base_files_from
    }

    /// `Ana Lopez (ana)`, or the id when neither side knows the person.
    pub fn who(&self, id: &str) -> String {
        match self.people.get(id) {
            Some(name) => format!("{name} ({id})"),
            None => id.to_string(),
        }
    }

    /// `Ana Lopez (ana) and Carl Fo (cfo)`.
    pub fn signers(&self, ids: &[String]) -> String {
        let names: Vec<String> = ids.iter().map(|id| self.who(id)).collect();
        match names.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        }
    }

    /// Every drift as a finding, for the renderers that take findings (SARIF, GitHub annotations, JSON).
    /// A finding sits on the field's value at head (else the entity's header at head); for an entity that only
    /// the base has, on its place in the base's text (a file id from `base_files_from`, with the base's path).
    pub fn findings(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        for change in &self.changes {
            for drift in &change.drifts {
                let field = drift.field.as_deref().and_then(|f| change.field(f));
                let (place, label) = match (field.and_then(|f| f.head.clone()), &change.head) {
                    (Some(at), _) => (at, "changed here".to_string()),
                    (None, Some(at)) => (at.clone(), format!("{} here", change.op.as_str())),
                    (None, None) => match (field.and_then(|f| f.base.clone()), &change.base) {
                        (Some(at), _) => (at, format!("at {}", self.base.label)),
                        (None, Some(at)) => (
                            at.clone(),
                            format!("removed; it was here at {}", self.base.label),
                        ),
                        (None, None) => continue,
                    },
                };
                let mut finding = Finding::new(drift.check, &drift.message)
                    .level(drift.level)
                    .about(change.kind, change.id.clone());
                // Gone at head: shown on its file at head (else the manifest at head), where the pull request
                // shows it; its place at base is related.
                match self
                    .is_base_file(place.0)
                    .then(|| self.head_file(place.0))
                    .flatten()
                {
                    Some(file) => finding = finding.in_file(file).related(place.0, place.1, label),
                    None => finding = finding.at(place.0, place.1, label),
                }
                if let Some(help) = self.help(drift) {
                    finding = finding.help(help);
                }
                out.push(finding);
            }
        }
        out
    }

    /// The head's file with the path of a base file, else the manifest at head.
    fn head_file(&self, base_file: FileId) -> Option<FileId> {
        let path = &self.files.get(base_file).path;
        (0..self.base_files_from)
            .find(|&i| self.files.get(i).path == *path)
            .or(self.head_manifest)
    }

    /// Who must sign off, in words; None for a drift that names nobody and needs no sign-off.
    pub fn help(&self, drift: &Drift) -> Option<String> {
        match (drift.needs_signoff(), drift.signoff.is_empty()) {
            (true, false) => Some(format!("needs sign-off from {}", self.signers(&drift.signoff))),
            (true, true) => Some(
                "needs sign-off, but the base names nobody who can give it: ask whoever owns the operating model"
                    .into(),
            ),
            (false, false) => Some(format!("ask {}", self.signers(&drift.signoff))),
            (false, true) => None,
        }
    }
}

/// Read the fields of an entity as written.
pub trait RawFields {
    fn text(&self, field: &str) -> Option<&str>;
    fn list(&self, field: &str) -> Vec<&str>;
    fn flag(&self, field: &str) -> Option<bool>;
}

impl RawFields for RawEntity {
    fn text(&self, field: &str) -> Option<&str> {
        self.fields.get(field).and_then(Json::as_str)
    }

    fn list(&self, field: &str) -> Vec<&str> {
        strings(self.fields.get(field))
    }

    fn flag(&self, field: &str) -> Option<bool> {
        self.fields.get(field).and_then(Json::as_bool)
    }
}

/// The strings of a value that is a string or an array of strings.
pub fn strings(value: Option<&Json>) -> Vec<&str> {
    match value {
        Some(Json::String(s)) => vec![s.as_str()],
        Some(Json::Array(items)) => items.iter().filter_map(Json::as_str).collect(),
        _ => Vec::new(),
    }
}

/// The field that names an entity's one accountable person: `owner`, or a team's `lead`.
pub fn owner_field(kind: &str) -> Option<&'static str> {
    kinds::find(kind)?.accountable()
}

/// An entity someone answers for: (kind, id, the field that names them: `owner` or `lead`).
pub type Owned<'a> = (&'static str, &'a str, &'static str);

/// Everything a drift check reads: both sides, indexed, and what is costly computed once.
pub struct DiffContext<'a> {
    pub base: &'a Snapshot,
    pub head: &'a Snapshot,
    base_index: HashMap<(&'static str, &'a str), &'a RawEntity>,
    head_index: HashMap<(&'static str, &'a str), &'a RawEntity>,
    changes: &'a [Change],
    head_owned: OnceCell<HashMap<&'a str, Vec<Owned<'a>>>>,
    unowned: OnceCell<HashMap<String, Vec<String>>>,
    /// Every rule with its default level (from the judging sink's configuration), for reading `[rules]`.
    config: &'a Config,
}

impl<'a> DiffContext<'a> {
    pub fn new(
        base: &'a Snapshot,
        head: &'a Snapshot,
        changes: &'a [Change],
        config: &'a Config,
    ) -> DiffContext<'a> {
        DiffContext {
            base,
            head,
            base_index: index(&base.loaded.model.raw),
            head_index: index(&head.loaded.model.raw),
            changes,
            head_owned: OnceCell::new(),
            unowned: OnceCell::new(),
            config,
        }
    }

    pub fn base_model(&self) -> &'a Model {
        &self.base.loaded.model
    }

    pub fn head_model(&self) -> &'a Model {
        &self.head.loaded.model
    }

    /// An entity as written at base (the first of its kind and id).
    pub fn base_entity(&self, kind: &'static str, id: &str) -> Option<&'a RawEntity> {
        self.base_index.get(&(kind, id)).copied()
    }

    /// An entity as written at head (the first of its kind and id).
    pub fn head_entity(&self, kind: &'static str, id: &str) -> Option<&'a RawEntity> {
        self.head_index.get(&(kind, id)).copied()
    }

    /// `Ana Lopez (ana)`, as the base knows the person, else as the head does, else the id.
    pub fn who(&self, id: &str) -> String {
        who(self.base_model(), self.head_model(), id)
    }

    /// Whether `id` names a person at base.
    pub fn is_person_at_base(&self, id: &str) -> bool {
        self.base_entity("person", id).is_some()
    }

    /// Who answers for an entity at base: its `owner`, a team's `lead`, a person and their `manager`.
    pub fn owners_at_base(&self, kind: &'static str, id: &str) -> Vec<String> {
        let (Some(entity), Some(kind)) = (self.base_entity(kind, id), kinds::find(kind)) else {
            return Vec::new();
        };
        let itself = kind.self_owned.then(|| id.to_string());
        let named = kind
            .owner_fields()
            .filter_map(|r| entity.text(r.field).map(String::from));
        itself.into_iter().chain(named).collect()
    }

    /// The lead of a team at base.
    pub fn lead_at_base(&self, team: &str) -> Option<&'a str> {
        self.base_entity("team", team).and_then(|t| t.text("lead"))
    }

    /// What a person owns at head: (kind, id, field) for every entity whose `owner` (or a team's `lead`) names
    /// them, in model order.
    pub fn owned_at_head(&self, person: &str) -> &[Owned<'a>] {
        let owned = self.head_owned.get_or_init(|| {
            let mut map: HashMap<&'a str, Vec<Owned<'a>>> = HashMap::new();
            for entity in &self.head.loaded.model.raw {
                let Some(field) = owner_field(entity.kind) else {
                    continue;
                };
                if let Some(owner) = entity.text(field) {
                    map.entry(owner)
                        .or_default()
                        .push((entity.kind, &entity.id, field));
                }
            }
            map
        });
        owned.get(person).map_or(&[], Vec::as_slice)
    }

    /// The repository paths (relative to the manifest's folder) that `area` owned at base and that nothing owns
    /// at head, where an owner is required; sorted.
    pub fn unowned_paths(&self, area: &str) -> &[String] {
        let unowned = self.unowned.get_or_init(|| self.compute_unowned());
        unowned.get(area).map_or(&[], Vec::as_slice)
    }

    fn compute_unowned(&self) -> HashMap<String, Vec<String>> {
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        // Only an area that changed or went away can leave a path unowned: the same areas own the same paths.
        let touched: HashSet<&str> = self
            .changes
            .iter()
            .filter(|c| c.kind == "area" && c.op != Op::Added)
            .map(|c| c.id.as_str())
            .collect();
        if touched.is_empty() {
            return out;
        }
        let Some(paths) = self.head.paths.as_ref().or(self.base.paths.as_ref()) else {
            return out;
        };
        let (base_ownership, _) = Ownership::new(self.base_model(), self.base.manifest.as_ref());
        let (head_ownership, _) = Ownership::new(self.head_model(), self.head.manifest.as_ref());
        for path in paths {
            let Resolution::Owned { area, .. } = base_ownership.resolve(path) else {
                continue;
            };
            let id = &self.base_model().areas[area].id;
            if !touched.contains(id.as_str()) {
                continue;
            }
            if let Resolution::Unowned { .. } = head_ownership.resolve(path) {
                out.entry(id.clone())
                    .or_default()
                    .push(crate::source::shown_path(path));
            }
        }
        out
    }

    /// A rule by name (any rule: model, drift or audit), for its default level.
    pub fn rule(&self, name: &str) -> Option<&'static Rule> {
        self.config.find(name)
    }

    /// The owner of the area that owns the manifest at base: who signs off a change of policy.
    pub fn manifest_owner_at_base(&self) -> Option<&'a str> {
        let name = manifest_name(self.base)?;
        let (ownership, _) = Ownership::new(self.base_model(), self.base.manifest.as_ref());
        match ownership.resolve(name.as_bytes()) {
            Resolution::Owned { area, .. } => Some(self.base_model().areas[area].owner.as_str()),
            _ => None,
        }
    }

    /// Person ids whose sign-off is needed: teams become their lead, unknown ids are dropped, each once.
    fn signers(&self, ids: &[String]) -> Vec<String> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for id in ids {
            let person = if self.is_person_at_base(id) {
                Some(id.as_str())
            } else {
                self.lead_at_base(id)
            };
            if let Some(person) = person {
                if seen.insert(person.to_string()) {
                    out.push(person.to_string());
                }
            }
        }
        out
    }
}

fn who(base: &Model, head: &Model, id: &str) -> String {
    if base.person(id).is_some() {
        base.who(id)
    } else {
        head.who(id)
    }
}

/// Entities by (kind, id); the first written wins, as in the typed model.
fn index(raw: &[RawEntity]) -> HashMap<(&'static str, &str), &RawEntity> {
    let mut map = HashMap::with_capacity(raw.len());
    for entity in raw {
        map.entry((entity.kind, entity.id.as_str()))
            .or_insert(entity);
    }
    map
}

/// Compare the base and the head, and classify every change with the drift checks at the levels the sink gives
/// (built from the BASE's manifest and model).
pub fn compare(base: &Snapshot, head: &Snapshot, sink: &mut Sink<'_>) -> DiffReport {
    let base_files_from = head.loaded.files.len();
    let mut files = head.loaded.files.clone();
    for i in 0..base.loaded.files.len() {
        files.add(base.loaded.files.get(i).clone());
    }
    let mut changes = entity_changes(
        &base.loaded.model.raw,
        &head.loaded.model.raw,
        base_files_from,
    );
    changes.extend(manifest_change(base, head, base_files_from));
    let drifts: Vec<Vec<Drift>> = {
        let config = sink.config();
        let ctx = DiffContext::new(base, head, &changes, config);
        changes
            .iter()
            .map(|change| classify(&ctx, change, sink))
            .collect()
    };
    let mut people = BTreeMap::new();
    for (change, drifts) in changes.iter_mut().zip(drifts) {
        for id in drifts.iter().flat_map(|d| &d.signoff) {
            let person = base
                .loaded
                .model
                .person(id)
                .or(head.loaded.model.person(id));
            if let Some(person) = person {
                people
                    .entry(id.clone())
                    .or_insert_with(|| person.name.clone());
            }
        }
        change.drifts = drifts;
    }
    let mut problems = Vec::new();
    for (snapshot, offset) in [(base, base_files_from), (head, 0)] {
        for (file, failure) in &snapshot.loaded.failed {
            let path = &files.get(file + offset).path;
            let problem = format!(
                "{path} at {} cannot be read ({}): its entities are missing from that side; `opmodel check` shows why",
                snapshot.label,
                failure.words()
            );
            if !problems.contains(&problem) {
                problems.push(problem);
            }
        }
    }
    let handoffs = changed_handoffs(&changes, base, head);
    DiffReport {
        base: side_info(base),
        head: side_info(head),
        note: None,
        changes,
        files,
        base_files_from,
        head_manifest: head.manifest.as_ref().map(|m| m.file),
        people,
        problems,
        handoffs,
    }
}

fn changed_handoffs(
    changes: &[Change],
    base: &Snapshot,
    head: &Snapshot,
) -> BTreeMap<String, [Option<Arc<Fields>>; 2]> {
    fn written(snapshot: &Snapshot) -> HashMap<&str, Arc<Fields>> {
        let mut out = HashMap::new();
        for raw in snapshot
            .loaded
            .model
            .raw
            .iter()
            .filter(|r| r.kind == "handoff")
        {
            out.entry(raw.id.as_str())
                .or_insert_with(|| Arc::clone(&raw.fields));
        }
        out
    }
    let (at_base, at_head) = (written(base), written(head));
    changes
        .iter()
        .filter(|c| c.kind == "handoff")
        .map(|c| {
            let id = c.id.as_str();
            (
                c.id.clone(),
                [at_base.get(id).cloned(), at_head.get(id).cloned()],
            )
        })
        .collect()
}

/// The kind of the manifest's pseudo-change: the manifest is no entity, but a change to it is judged like one.
pub const MANIFEST_KIND: &str = "manifest";

/// The manifest's file name inside its folder (`opmodel.toml`), as ownership patterns see it.
pub fn manifest_name(snapshot: &Snapshot) -> Option<&str> {
    let manifest = snapshot.manifest.as_ref()?;
    let path = snapshot.loaded.files.get(manifest.file).path.as_str();
    path.rsplit(['/', '\\']).next()
}

/// The manifest compared as one pseudo-entity (kind [`MANIFEST_KIND`], id its file name) whose fields are its
/// settings, one per table key (`rules.unapproved-change`, `ownership.ignore`, `approvals.trust`): the drift
/// checks then read a manifest change like any entity change. None when a side has no manifest (every entity
/// is then added or removed) or the settings are the same.
fn manifest_change(base: &Snapshot, head: &Snapshot, base_files_from: FileId) -> Option<Change> {
    let settings = |snapshot: &Snapshot, offset: FileId| {
        let manifest = snapshot.manifest.as_ref()?;
        let doc = crate::document::parse(&snapshot.loaded.files.get(manifest.file).text).ok()?;
        let mut fields: Vec<(String, Json, Span)> = Vec::new();
        for entry in doc.entries() {
            match &entry.node.value {
                crate::document::Value::Table(inner) => fields.extend(inner.iter().map(|e| {
                    (
                        format!("{}.{}", entry.key, e.key),
                        e.node.to_json(),
                        e.node.span.clone(),
                    )
                })),
                _ => fields.push((
                    entry.key.clone(),
                    entry.node.to_json(),
                    entry.node.span.clone(),
                )),
            }
        }
        Some((manifest.file + offset, fields))
    };
    let (base_file, old) = settings(base, base_files_from)?;
    let (head_file, new) = settings(head, 0)?;
    let mut fields = Vec::new();
    for (name, _, _) in new.iter().chain(&old) {
        if fields.iter().any(|f: &FieldChange| &f.field == name) {
            continue;
        }
        let before = old.iter().find(|(n, _, _)| n == name);
        let after = new.iter().find(|(n, _, _)| n == name);
        if let (Some((_, a, _)), Some((_, b, _))) = (before, after) {
            if same_value(a, b) {
                continue;
            }
        }
        fields.push(FieldChange {
            field: name.clone(),
            old: before.map(|(_, v, _)| v.clone()),
            new: after.map(|(_, v, _)| v.clone()),
            base: before.map(|(_, _, span)| (base_file, span.clone())),
            head: after.map(|(_, _, span)| (head_file, span.clone())),
        });
    }
    if fields.is_empty() {
        return None;
    }
    Some(Change {
        kind: MANIFEST_KIND,
        id: manifest_name(head).or(manifest_name(base))?.to_string(),
        op: Op::Changed,
        fields,
        base: Some((base_file, 0..0)),
        head: Some((head_file, 0..0)),
        drifts: Vec::new(),
    })
}

fn side_info(snapshot: &Snapshot) -> SideInfo {
    SideInfo {
        label: snapshot.label.clone(),
        commit: snapshot.commit,
        has_manifest: snapshot.manifest.is_some(),
    }
}

/// Run every enabled drift check on one change, in registry order; the catch-all checks come last and see what
/// the others reported.
fn classify(ctx: &DiffContext<'_>, change: &Change, sink: &mut Sink<'_>) -> Vec<Drift> {
    let mut drifts = Vec::new();
    let subject = Subject {
        kind: change.kind,
        id: change.id.clone(),
    };
    for check in checks::CHECKS {
        if !sink.enabled(check.rule) {
            continue;
        }
        let start = drifts.len();
        (check.classify)(ctx, change, &mut drifts);
        let mut found: Vec<Drift> = drifts.drain(start..).collect();
        // The level (or an `allow` at base) is decided by the sink, as for every finding.
        let Some(level) = sink.level(check.rule, Some(&subject)) else {
            continue;
        };
        for drift in &mut found {
            drift.level = level;
            drift.needs_signoff = check.needs_signoff;
            drift.signoff = ctx.signers(&drift.signoff);
        }
        drifts.extend(found);
    }
    drifts
}

/// The entities that differ, ordered by kind then id.
fn entity_changes(base: &[RawEntity], head: &[RawEntity], base_files_from: FileId) -> Vec<Change> {
    let base_index = index(base);
    let head_index = index(head);
    let keys: BTreeSet<(usize, &str, &'static str)> = base_index
        .keys()
        .chain(head_index.keys())
        .map(|(kind, id)| (kinds::rank(kind), *id, *kind))
        .collect();
    let mut changes = Vec::new();
    for (_, id, kind) in keys {
        let old = base_index.get(&(kind, id)).copied();
        let new = head_index.get(&(kind, id)).copied();
        let (op, fields) = match (old, new) {
            (Some(old), Some(new)) => {
                let fields = field_changes(Some(old), Some(new), base_files_from);
                if fields.is_empty() {
                    continue;
                }
                (Op::Changed, fields)
            }
            (Some(old), None) => (Op::Removed, field_changes(Some(old), None, base_files_from)),
            (None, Some(new)) => (Op::Added, field_changes(None, Some(new), base_files_from)),
            (None, None) => continue,
        };
        changes.push(Change {
            kind,
            id: id.to_string(),
            op,
            fields,
            base: old.map(|e| (e.loc.file + base_files_from, e.loc.span.clone())),
            head: new.map(|e| (e.loc.file, e.loc.span.clone())),
            drifts: Vec::new(),
        });
    }
    changes
}

/// The fields that differ, in head's written order, then the base-only ones in base's written order.
fn field_changes(
    old: Option<&RawEntity>,
    new: Option<&RawEntity>,
    base_files_from: FileId,
) -> Vec<FieldChange> {
    // A set beside the list: an entity may have any number of fields (no look-up through the list for each).
    let mut names: Vec<&str> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for entity in [new, old].into_iter().flatten() {
        for name in entity.loc.names() {
            if seen.insert(name) {
                names.push(name);
            }
        }
    }
    let mut out = Vec::new();
    for name in names {
        let before = old.and_then(|e| e.fields.get(name));
        let after = new.and_then(|e| e.fields.get(name));
        let same = match (before, after) {
            (Some(a), Some(b)) => same_value(a, b),
            (None, None) => true,
            _ => false,
        };
        if same {
            continue;
        }
        out.push(FieldChange {
            field: name.to_string(),
            old: before.cloned(),
            new: after.cloned(),
            base: old
                .and_then(|e| e.loc.field(name))
                .map(|f| (old.map_or(0, |e| e.loc.file) + base_files_from, f.value())),
            head: new
                .and_then(|e| e.loc.field(name))
                .map(|f| (new.map_or(0, |e| e.loc.file), f.value())),
        });
    }
    out
}

/// Equal as values: `10` and `10.0` are the same number.
fn same_value(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_value(a, b))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_value(v, w)))
        }
        _ => a == b,
    }
}

/// A value as a TOML-ish literal: `"text"`, `2`, `true`, `["a", "b"]`, `{ key = "value" }`.
pub fn literal(value: &Json) -> String {
    match value {
        Json::Null => "nan".into(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        Json::String(s) => quoted(s),
        Json::Array(items) => format!(
            "[{}]",
            items.iter().map(literal).collect::<Vec<_>>().join(", ")
        ),
        Json::Object(entries) if entries.is_empty() => "{}".into(),
        Json::Object(entries) => format!(
            "{{ {} }}",
            entries
                .iter()
                .map(|(k, v)| {
                    let bare = !k.is_empty()
                        && k.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                    format!(
                        "{} = {}",
                        if bare { k.clone() } else { quoted(k) },
                        literal(v)
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A value shown in a message: strings bare, everything else as a literal.
pub fn shown(value: Option<&Json>) -> String {
    match value {
        None => "(none)".into(),
        Some(Json::String(s)) => s.clone(),
        Some(v) => literal(v),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value() {
        assert!(same_value(&json!(10), &json!(10.0)));
        assert!(!same_value(&json!(10), &json!(10.5)));
        assert!(same_value(&json!([1, "a"]), &json!([1.0, "a"])));
    }

    #[test]
    fn literals_read_like_toml() {
        assert_eq!(literal(&json!("a \"b\"\n")), r#""a \"b\"\n""#);
        assert_eq!(literal(&json!(["a", 2, true])), r#"["a", 2, true]"#);
        assert_eq!(
            literal(&json!({"k": 1, "a b": "x"})),
            r#"{ "a b" = "x", k = 1 }"#
        );
    }
}

//! Cross-file checks: duplicate ids, people and teams sharing an id, and references to ids that do not
//! exist or name the wrong kind of entity.

use foldhash::{HashMap, HashMapExt as _};
use hashbrown::HashTable;
use std::hash::BuildHasher as _;

use crate::document::{Node, Span, Value};
use crate::finding::Finding;
use crate::model::kinds::{self, Reference};
use crate::model::{entity_nodes, Model, Person, RawEntity};
use crate::source::FileId;
use crate::suggest::did_you_mean;

/// One definition of an id (the span of its id is read from the entity when a message needs it).
#[derive(Debug, Clone)]
struct Def<'a> {
    kind: &'static str,
    file: FileId,
    entity: Entity<'a>,
}

impl Def<'_> {
    fn span(&self) -> Span {
        self.entity.id().map_or(0..0, |(_, span)| span)
    }
}

/// Every definition of every id, by id and namespace. The first definition of an entity of `Model.raw` (nearly
/// every one) is held as its position there, 4 bytes in a table sized once; the first ones read from a tree and
/// the duplicates, rare, sit in maps of their own.
struct Definitions<'a> {
    raw: &'a [RawEntity],
    hasher: foldhash::fast::RandomState,
    first_raw: HashTable<u32>,
    first_tree: HashMap<(&'a str, u8), Def<'a>>,
    more: HashMap<(&'a str, u8), Vec<Def<'a>>>,
}

impl<'a> Definitions<'a> {
    fn new(raw: &'a [RawEntity]) -> Self {
        Definitions {
            raw,
            hasher: foldhash::fast::RandomState::default(),
            first_raw: HashTable::with_capacity(raw.len()),
            first_tree: HashMap::new(),
            more: HashMap::new(),
        }
    }

    /// The definition of the `i`th entity of `Model.raw`.
    fn raw_def(&self, i: u32) -> Def<'a> {
        let raw = &self.raw[i as usize];
        Def {
            kind: raw.kind,
            file: raw.loc.file,
            entity: Entity::Raw(i, raw),
        }
    }

    fn first(&self, key: (&str, u8), hash: u64) -> Option<Def<'a>> {
        let raw = self.raw;
        self.first_raw
            .find(hash, |&i| {
                let r = &raw[i as usize];
                r.id == key.0 && namespace(r.kind) == key.1
            })
            .map(|&i| self.raw_def(i))
            .or_else(|| self.first_tree.get(&key).cloned())
    }

    /// Add a definition; the first one of its id in its namespace if there is one already.
    fn add(&mut self, id: &'a str, def: Def<'a>) -> Option<Def<'a>> {
        let key = (id, namespace(def.kind));
        let hash = self.hasher.hash_one(key);
        if let Some(first) = self.first(key, hash) {
            self.more.entry(key).or_default().push(def);
            return Some(first);
        }
        match def.entity {
            Entity::Raw(i, _) => {
                let (raw, hasher) = (self.raw, &self.hasher);
                self.first_raw.insert_unique(hash, i, |&i| {
                    let r = &raw[i as usize];
                    hasher.hash_one((r.id.as_str(), namespace(r.kind)))
                });
            }
            Entity::Tree(_) => {
                self.first_tree.insert(key, def);
            }
        }
        None
    }

    /// The definitions of `id` in the namespace of `kind`, in model order.
    fn of(&self, kind: &str, id: &'a str) -> impl Iterator<Item = Def<'a>> + '_ {
        let key = (id, namespace(kind));
        let hash = self.hasher.hash_one(key);
        self.first(key, hash)
            .into_iter()
            .chain(self.more.get(&key).into_iter().flatten().cloned())
    }
}

/// What the cross-file checks need of one model file, kept from its tree when the file is loaded: the kind and
/// place of each entity in file order, and the tree only of the few entities that are not in `Model.raw`
/// (without a textual id, or written under a misnamed kind such as `[[people]]`). The entities with a textual id
/// are read from `Model.raw` (their fields and spans as written), so a large model's trees need not be held.
#[derive(Debug, Default)]
pub struct Written {
    slots: Vec<Slot>,
}

/// 16 bytes an entity.
#[derive(Debug)]
struct Slot {
    /// The entity's tree, cut down to its id and its reference fields, when it is not in `Model.raw`.
    tree: Option<Box<Node>>,
    /// Its position in its kind's array in the file (for "the 3rd decision in this file").
    index: u32,
    /// Its kind's position in the table of kinds.
    kind: u8,
    /// A definition only (a misnamed kind): its references are not checked.
    misnamed: bool,
}

impl Slot {
    fn new(kind: &str, index: usize, tree: Option<Box<Node>>, misnamed: bool) -> Slot {
        Slot {
            tree,
            index: u32::try_from(index).unwrap_or(u32::MAX),
            kind: kinds::KINDS
                .iter()
                .position(|k| k.name == kind)
                .map_or(u8::MAX, |i| u8::try_from(i).unwrap_or(u8::MAX)),
            misnamed,
        }
    }

    fn kind(&self) -> &'static str {
        kinds::KINDS
            .get(usize::from(self.kind))
            .map_or("entity", |k| k.name)
    }
}

impl Written {
    /// What the checks read of a parsed file, in the order they read it: the entities (those with a textual
    /// id are the next ones of `Model.raw`, as the model adds them), then the misnamed ones.
    pub fn of(doc: &Node) -> Written {
        let cut = |kind: &'static str, node: &Node| {
            let references = kinds::find(kind).map_or(&[][..], |k| k.references);
            let entries = node
                .entries()
                .iter()
                .filter(|e| e.key == "id" || references.iter().any(|r| r.field == e.key))
                .cloned()
                .collect();
            Box::new(Node {
                span: node.span.clone(),
                value: Value::Table(entries),
            })
        };
        let mut slots: Vec<Slot> = entity_nodes(doc)
            .map(|(kind, index, node)| {
                let tree = match node.get("id").and_then(Node::as_str) {
                    Some(_) => None,
                    None => Some(cut(kind, node)),
                };
                Slot::new(kind, index, tree, false)
            })
            .collect();
        slots.extend(
            misnamed_entities(doc)
                .map(|(kind, index, node)| Slot::new(kind, index, Some(cut(kind, node)), true)),
        );
        slots.shrink_to_fit();
        Written { slots }
    }
}

/// One entity as the checks read it: from `Model.raw`, or from its (cut-down) tree.
#[derive(Debug, Clone, Copy)]
enum Entity<'a> {
    /// The entity at this position in `Model.raw`.
    Raw(u32, &'a RawEntity),
    Tree(&'a Node),
}

impl<'a> Entity<'a> {
    /// Its textual id and the span of its value.
    fn id(self) -> Option<(&'a str, Span)> {
        match self {
            Entity::Raw(_, raw) => Some((raw.id.as_str(), raw.loc.value("id"))),
            Entity::Tree(node) => {
                let id = node.get("id")?;
                Some((id.as_str()?, id.span.clone()))
            }
        }
    }

    /// A text field's value.
    fn text(self, field: &str) -> Option<&'a str> {
        match self {
            Entity::Raw(_, raw) => raw.fields.get(field)?.as_str(),
            Entity::Tree(node) => node.get(field)?.as_str(),
        }
    }

    /// The entries of a reference field (one for a field of one id), each with its span and its text when it is
    /// text; `None` when the field is absent.
    fn references(self, field: &str, list: bool) -> Option<Vec<(Span, Option<&'a str>)>> {
        match self {
            Entity::Raw(_, raw) => {
                let value = raw.fields.get(field)?;
                Some(match (list, value) {
                    (true, serde_json::Value::Array(items)) => items
                        .iter()
                        .enumerate()
                        .map(|(i, item)| (raw.loc.item(field, i), item.as_str()))
                        .collect(),
                    (true, _) => Vec::new(),
                    (false, value) => vec![(raw.loc.value(field), value.as_str())],
                })
            }
            Entity::Tree(node) => {
                let value = node.get(field)?;
                let refs: &[Node] = if list {
                    value.as_array().unwrap_or_default()
                } else {
                    std::slice::from_ref(value)
                };
                Some(refs.iter().map(|r| (r.span.clone(), r.as_str())).collect())
            }
        }
    }

    /// How messages name it: `decision "pricing"`, or `the 3rd decision in this file`.
    fn name(self, kind: &str, index: usize) -> String {
        crate::schema::entity_name_from(kind, self.id().map(|(id, _)| id), index)
    }
}

/// Every entity of every file, in model order, with its file, kind, index and whether it is misnamed. The
/// entities with a textual id are `raw`'s, in its order.
fn entities<'a>(
    files: &'a [(FileId, &'a Written)],
    raw: &'a [RawEntity],
) -> impl Iterator<Item = (FileId, &'a Slot, Entity<'a>)> + 'a {
    let mut next = raw
        .iter()
        .enumerate()
        .map(|(i, raw)| (u32::try_from(i).unwrap_or(u32::MAX), raw));
    files
        .iter()
        .flat_map(|(file, written)| written.slots.iter().map(move |slot| (*file, slot)))
        .filter_map(move |(file, slot)| {
            let entity = match &slot.tree {
                Some(tree) => Entity::Tree(tree),
                None => {
                    let (i, raw) = next.next()?;
                    Entity::Raw(i, raw)
                }
            };
            Some((file, slot, entity))
        })
}

/// The namespace of a kind's ids (people and teams share one), as the position of its first kind in the table
/// of kinds.
fn namespace(kind: &str) -> u8 {
    let namespace = kinds::find(kind).map_or(kind, |k| k.namespace);
    kinds::KINDS
        .iter()
        .position(|k| k.namespace == namespace)
        .map_or(u8::MAX, |i| u8::try_from(i).unwrap_or(u8::MAX))
}

/// A model file that did not load (not valid TOML, or unreadable): its entities are unknown, not missing.
#[derive(Debug, Clone, Copy)]
pub struct Unloaded<'a> {
    pub file: FileId,
    pub path: &'a str,
    /// Its text, as far as it could be read.
    pub text: &'a str,
}

/// The ids a file that did not parse appears to define, read line by line: every `id = "..."` line (also
/// `id: "..."`, and a value whose closing quote is missing). Good enough to tell "defined in the broken file"
/// from "defined nowhere"; never used to build the model.
pub fn ids_written_in(text: &str) -> Vec<&str> {
    text.lines()
        .filter_map(|line| {
            let rest = line.trim_start().strip_prefix("id")?.trim_start();
            let rest = rest.strip_prefix(['=', ':'])?.trim_start();
            let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
            let value = &rest[1..];
            let value = value.split(quote).next().unwrap_or(value).trim();
            (!value.is_empty()).then_some(value)
        })
        .collect()
}

/// The person a word names by their `name` (or first name), one of their emails or their GitHub login (with or
/// without `@`), compared without case, with what it matched: `("name", person)` for "Grace" and Grace Obi.
/// One function for every place that turns what a person typed into a person's id (the reference checks,
/// `opmodel show`).
pub fn person_known_as<'a>(model: &'a Model, word: &str) -> Option<(&'static str, &'a Person)> {
    let wanted = word.trim().to_lowercase();
    if wanted.is_empty() {
        return None;
    }
    let login = wanted.strip_prefix('@').unwrap_or(&wanted);
    let first = |what: &'static str, matches: &dyn Fn(&Person) -> bool| {
        model.people.iter().find(|p| matches(p)).map(|p| (what, p))
    };
    first("name", &|p| p.name.trim().to_lowercase() == wanted)
        .or_else(|| {
            first("email", &|p| {
                p.email.iter().any(|e| e.trim().to_lowercase() == wanted)
            })
        })
        .or_else(|| {
            first("GitHub login", &|p| {
                p.github
                    .as_deref()
                    .is_some_and(|g| g.trim_start_matches('@').to_lowercase() == login)
            })
        })
        .or_else(|| {
            // A first name names a person only when it names one.
            let mut by_first = model.people.iter().filter(|p| {
                p.name
                    .split_whitespace()
                    .next()
                    .is_some_and(|f| f.to_lowercase() == wanted)
            });
            match (by_first.next(), by_first.next()) {
                (Some(p), None) => Some(("name", p)),
                _ => None,
            }
        })
}

/// Run the cross-file checks over every parsed model file, in model order: `files` are what each file's tree
/// showed ([`Written::of`]), `model.raw` the entities with a textual id. `unloaded` are the model files that
/// did not load: a reference to an id one of them appears to define is not reported, but counted in one note per
/// file (`unchecked-references`). `model` is the typed model so far, to match names and emails to people.
pub fn check(
    files: &[(FileId, &Written)],
    unloaded: &[Unloaded<'_>],
    model: &Model,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    // One definition per entity, nearly always: sized once rather than grown (and every id hashed again) as it fills.
    let mut defs = Definitions::new(&model.raw);
    let mut by_kind: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut unknown: HashMap<&str, usize> = HashMap::new();
    for (i, file) in unloaded.iter().enumerate() {
        for id in ids_written_in(file.text) {
            unknown.entry(id).or_insert(i);
        }
    }
    let mut unchecked = vec![0usize; unloaded.len()];
    for (file, slot, entity) in entities(files, &model.raw) {
        let Some((id, _)) = entity.id() else {
            continue;
        };
        let kind = slot.kind();
        let def = Def { kind, file, entity };
        match defs.add(id, def.clone()) {
            Some(first) => findings.push(duplicate(&first, &def, id)),
            None => by_kind.entry(kind).or_default().push(id),
        }
    }

    for (file, slot, entity) in entities(files, &model.raw) {
        if slot.misnamed {
            continue;
        }
        let (kind, index) = (slot.kind(), slot.index as usize);
        let owner_id = entity.id().map_or("?", |(id, _)| id);
        let fields = kinds::find(kind).map_or(&[][..], |k| k.references);
        for target @ Reference { field, list, .. } in fields {
            let Some(refs) = entity.references(field, *list) else {
                continue;
            };
            for (span, text) in &refs {
                let Some(id) = *text else {
                    continue;
                };
                if !crate::schema::is_id(id) {
                    // The schema says it is not an id; when it is a person's name or email, say whose.
                    let subject = entity.name(kind, index);
                    let finding = not_an_id(model, &by_kind, target, &subject, file, span, id);
                    findings.push(finding.about(kind_static(kind), owner_id));
                    continue;
                }
                // Nearly every reference resolves: look up only the kinds it may name, and say why it fails
                // (which needs a look-up in every kind) only when it does.
                let resolves = target
                    .targets
                    .iter()
                    .any(|k| defs.of(k, id).any(|d| d.kind == *k));
                if resolves {
                    continue;
                }
                if let Some(&i) = unknown.get(id) {
                    unchecked[i] += 1;
                    continue;
                }
                let subject = entity.name(kind, index);
                let place = Place {
                    subject: &subject,
                    field,
                    file,
                    span: span.clone(),
                    entries: refs.len(),
                };
                if let Some(finding) = resolve(&defs, &by_kind, target, &place, id, unloaded, model)
                {
                    findings.push(finding.about(kind_static(kind), owner_id));
                }
            }
        }
    }
    for (file, count) in unloaded.iter().zip(unchecked) {
        if count == 0 {
            continue;
        }
        let references = match count {
            1 => "1 reference".to_string(),
            n => format!("{n} references"),
        };
        findings.push(
            Finding::new(
                &crate::load::rules::unchecked_references::RULE,
                format!(
                    "{references} could not be checked because {} did not load",
                    file.path
                ),
            )
            .in_file(file.file)
            .help(format!(
                "fix {} first: the ids it defines are unknown until it loads, and references to them are checked then",
                file.path
            )),
        );
    }
    findings
}

/// Entities written under a kind's plural (`[[people]]`) or as one table (`[decision]`): reported by the schema,
/// and still taken as definitions here, so that references to them do not add one error each.
fn misnamed_entities(doc: &Node) -> impl Iterator<Item = (&'static str, usize, &Node)> {
    doc.entries().iter().flat_map(|entry| {
        let kind = kinds::KINDS
            .iter()
            .find(|k| k.plural == entry.key && k.name != entry.key)
            .or_else(|| kinds::find(&entry.key));
        let items: Vec<(&'static str, usize, &Node)> = match (kind, &entry.node.value) {
            (Some(k), crate::document::Value::Array(items)) if k.name != entry.key => items
                .iter()
                .enumerate()
                .filter(|(_, n)| n.get("id").is_some())
                .map(|(i, n)| (k.name, i, n))
                .collect(),
            (Some(k), crate::document::Value::Table(_)) if entry.node.get("id").is_some() => {
                vec![(k.name, 0, &entry.node)]
            }
            _ => Vec::new(),
        };
        items
    })
}

/// Where a reference is written: the entity, its field, and how many entries the field has (1 for one id).
struct Place<'a> {
    subject: &'a str,
    field: &'a str,
    file: FileId,
    /// The span of the reference.
    span: Span,
    entries: usize,
}

impl Place<'_> {
    /// The fix that replaces the reference with `id`, written as it must be where it stands: a list for a list
    /// field (`approvers = ["maya-chen"]`), one id otherwise.
    fn replacement(&self, list: bool, old: &str, id: &str) -> String {
        match (list, self.entries) {
            (false, _) => format!("write `{} = \"{id}\"`", self.field),
            (true, 1) => format!("write `{} = [\"{id}\"]`", self.field),
            (true, _) => format!("write \"{id}\" in place of \"{old}\" in `{}`", self.field),
        }
    }
}

/// A reference field whose value is not an id (`owner = "Grace"`): the schema reports it; when the value is the
/// name, an email or the GitHub login of a person, or becomes a known id once lowercased, say which id to write
/// instead, and never suggest an id that names nothing. The finding replaces the schema's at the same place.
fn not_an_id(
    model: &Model,
    by_kind: &HashMap<&str, Vec<&str>>,
    target: &Reference,
    subject: &str,
    file: FileId,
    span: &Span,
    text: &str,
) -> Finding {
    let entries = if target.list { "an entry of " } else { "" };
    let field = target.field;
    let help = match person_known_as(model, text).filter(|_| target.targets.contains(&"person")) {
        Some((what, person)) => use_person(text, what, person),
        None => {
            let slug = crate::schema::slugify(text);
            let candidates: Vec<&str> = known_ids(by_kind, target).collect();
            if candidates.contains(&slug.as_str()) {
                format!("ids are written in lowercase, with `-` between words: use \"{slug}\"")
            } else if let Some(best) = did_you_mean(&slug, candidates.iter().copied()) {
                format!("did you mean \"{best}\"?")
            } else {
                // The lowercased text is no known id either: suggesting it would only lead to the next error.
                format!(
                    "write the id of {}, as its [[{}]] entry has it: lowercase letters, digits, '-', '_' and '.'",
                    expected_words(target),
                    target.targets[0]
                )
            }
        }
    };
    Finding::new(
        &crate::load::rules::invalid_value::RULE,
        format!(
            "{entries}`{field}` of {subject} is not a valid id: {}",
            crate::schema::show_text(text)
        ),
    )
    .at(file, span.clone(), "not a valid id")
    .help(help)
}

fn kind_static(kind: &str) -> &'static str {
    kinds::find(kind).map_or("entity", |k| k.name)
}

fn duplicate(first: &Def<'_>, second: &Def<'_>, id: &str) -> Finding {
    if first.kind == second.kind {
        Finding::new(
            &crate::load::rules::duplicate_id::RULE,
            format!("two {} have the id \"{id}\"", kinds::plural(first.kind)),
        )
        .at(second.file, second.span(), "defined again here")
        .related(first.file, first.span(), "first defined here")
        .help(format!(
            "ids are unique within their kind: rename one of them, or merge the two {}",
            kinds::plural(first.kind)
        ))
    } else {
        Finding::new(
            &crate::load::rules::id_conflict::RULE,
            format!("a {} and a {} share the id \"{id}\"", first.kind, second.kind),
        )
        .at(second.file, second.span(), format!("{} \"{id}\"", second.kind))
        .related(first.file, first.span(), format!("{} \"{id}\"", first.kind))
        .help("people and teams share one namespace, because fields such as `consulted` accept either: rename one of them")
    }
}

fn resolve(
    defs: &Definitions<'_>,
    by_kind: &HashMap<&str, Vec<&str>>,
    target: &Reference,
    place: &Place<'_>,
    id: &str,
    unloaded: &[Unloaded<'_>],
    model: &Model,
) -> Option<Finding> {
    let Place {
        subject,
        field,
        file,
        ref span,
        ..
    } = *place;
    let found: Vec<Def<'_>> = kinds::KINDS
        .iter()
        .flat_map(|k| defs.of(k.name, id))
        .collect();
    if found.iter().any(|d| target.targets.contains(&d.kind)) {
        return None;
    }
    let expected = expected_words(target);
    if let Some(other) = found.first() {
        let mut finding = Finding::new(
            &crate::load::rules::wrong_kind_reference::RULE,
            format!(
                "`{field}` of {subject} names the {} \"{id}\", but it must name {expected}",
                other.kind
            ),
        )
        .at(file, span.clone(), format!("this is a {}", other.kind))
        .related(
            other.file,
            other.span(),
            format!("the {} \"{id}\"", other.kind),
        );
        finding = match (other.kind, target.targets) {
            ("team", t) if t.contains(&"person") => {
                let lead = other.entity.text("lead");
                let why = if field == "owner" {
                    "a team is never an owner: ownership needs one accountable person"
                } else {
                    "a team cannot be named here"
                };
                match lead {
                    Some(lead) => finding.help(format!(
                        "{why}; name the team's lead: {}",
                        place.replacement(target.list, id, lead)
                    )),
                    None => finding.help(format!("{why}; name one person of the team")),
                }
            }
            ("person", ["team"]) => match other.entity.text("team") {
                Some(team) => finding.help(format!(
                    "name the person's team: {}",
                    place.replacement(target.list, id, team)
                )),
                None => finding.help("name a team id here"),
            },
            _ => finding.help(format!("name {expected} here")),
        };
        return Some(finding);
    }
    let candidates = known_ids(by_kind, target);
    let mut finding = Finding::new(
        &crate::load::rules::unknown_reference::RULE,
        format!(
            "`{field}` of {subject} names \"{id}\", which is not a known {}",
            target.targets.join(" or ")
        ),
    )
    .at(
        file,
        span.clone(),
        format!("no {} has this id", target.targets.join(" or ")),
    );
    let person = person_known_as(model, id).filter(|_| target.targets.contains(&"person"));
    finding = finding.help(match (person, did_you_mean(id, candidates)) {
        (Some((what, person)), _) => use_person(id, what, person),
        (None, Some(best)) => format!("did you mean \"{best}\"?"),
        // The id may be defined in a file that did not load: adding it again would make a duplicate.
        (None, None) if !unloaded.is_empty() => {
            let paths: Vec<&str> = unloaded.iter().map(|u| u.path).collect();
            format!(
                "correct the id, or fix {} first: it did not load, and the id may be defined there",
                paths.join(", ")
            )
        }
        // `opmodel import codeowners` writes `choose-owner-for-TEAM`, `choose-lead-for-TEAM`: a choice left to
        // a person, not a missing entity (adding one would make a placeholder person).
        (None, None) if id.starts_with("choose-") => format!(
            "`opmodel import codeowners` left this for you to choose: replace \"{id}\" with the id of the one {} who answers for it",
            target.targets[0]
        ),
        (None, None) => format!(
            "add a [[{}]] with id = \"{id}\", or correct the id",
            target.targets[0]
        ),
    });
    Some(finding)
}

/// The ids of the kinds a reference may name.
fn known_ids<'a>(
    by_kind: &'a HashMap<&str, Vec<&'a str>>,
    target: &'a Reference,
) -> impl Iterator<Item = &'a str> + 'a {
    target
        .targets
        .iter()
        .filter_map(|k| by_kind.get(k))
        .flatten()
        .copied()
}

/// `"Grace" is the name of Grace Obi: use "grace-obi"`.
fn use_person(word: &str, what: &str, person: &Person) -> String {
    format!(
        "\"{}\" is the {what} of {}: use \"{}\"",
        word.trim(),
        person.name,
        person.id
    )
}

fn expected_words(target: &Reference) -> String {
    let words: Vec<String> = target
        .targets
        .iter()
        .map(|k| match k.starts_with(['a', 'e', 'i', 'o', 'u']) {
            true => format!("an {k}"),
            false => format!("a {k}"),
        })
        .collect();
    words.join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_read_from_a_file_that_does_not_parse() {
        let text = "[[person]]\nid = \"ana\"\nname = \"Ana\n\n[[person]]\n  id: 'bo'\n[[person]]\nid = \"cy\nidea = \"x\"\n";
        assert_eq!(ids_written_in(text), ["ana", "bo", "cy"]);
    }
}

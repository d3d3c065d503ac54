//! The typed model: entities by kind, each with the spans of its fields, and an index by id.

use foldhash::HashMap;
use std::sync::Arc;

use serde::{Deserialize, Deserializer};

use crate::date::{Date, Duration};
use crate::document::{Node, Span, Value};
use crate::source::FileId;

pub mod fields;
pub mod kinds;

use kinds::{Kind, Reference};

/// Where an entity was written: its file, its header (or inline table) span, and each field's spans.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Loc {
    pub file: FileId,
    pub span: Span,
    /// In the order written.
    fields: Box<[FieldLoc]>,
    /// The items of every array field, in the order written: one block for the entity, not one per list.
    items: Box<[At]>,
    /// The names the schema does not know, in the order written (nearly always none).
    others: Box<[Box<str>]>,
}

/// The spans of one field: its key, its value, and where its items start in [`Loc::items`]. Held compactly (a
/// large model has one per field of every entity): offsets as `u32` (a model file is at most
/// [`MAX_FILE_SIZE`] bytes) and the name as a number, 24 bytes in all.
///
/// [`MAX_FILE_SIZE`]: crate::source::MAX_FILE_SIZE
#[derive(Debug, Clone, PartialEq)]
struct FieldLoc {
    key: At,
    value: At,
    first_item: u32,
    /// The name's [`fields::code`] (a name the schema does not know is in [`Loc::others`]).
    name: u32,
}

/// A span as two `u32` offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct At(u32, u32);

impl At {
    fn new(span: &Span) -> At {
        let offset = |at: usize| u32::try_from(at).unwrap_or(u32::MAX);
        At(offset(span.start), offset(span.end))
    }

    fn span(self) -> Span {
        self.0 as usize..self.1 as usize
    }
}

/// The spans of one field of an entity ([`Loc::field`]).
#[derive(Debug, Clone, Copy)]
pub struct FieldSpans<'a> {
    loc: &'a Loc,
    index: usize,
}

impl<'a> FieldSpans<'a> {
    fn at(&self) -> &'a FieldLoc {
        &self.loc.fields[self.index]
    }

    /// The field's key, as written.
    pub fn name(&self) -> &'a str {
        self.loc.name(self.at())
    }

    /// The span of the key.
    pub fn key(&self) -> Span {
        self.at().key.span()
    }

    /// The span of the value.
    pub fn value(&self) -> Span {
        self.at().value.span()
    }

    /// The span of the `index`th item of an array value.
    pub fn item(&self, index: usize) -> Option<Span> {
        let first = self.at().first_item as usize;
        let end = self
            .loc
            .fields
            .get(self.index + 1)
            .map_or(self.loc.items.len(), |next| next.first_item as usize);
        self.loc.items[first..end].get(index).map(|at| at.span())
    }
}

impl Loc {
    pub fn from_node(file: FileId, node: &Node) -> Loc {
        let entries = node.entries();
        let mut items = Vec::new();
        let mut others = Vec::new();
        let fields = entries
            .iter()
            .map(|e| {
                let first_item = u32::try_from(items.len()).unwrap_or(u32::MAX);
                if let Some(list) = e.node.as_array() {
                    items.extend(list.iter().map(|n| At::new(&n.span)));
                }
                let name = fields::code(&e.key, &mut others);
                FieldLoc {
                    key: At::new(&e.key_span),
                    value: At::new(&e.node.span),
                    first_item,
                    name,
                }
            })
            .collect();
        Loc {
            file,
            span: node.span.clone(),
            fields,
            items: items.into_boxed_slice(),
            others: others.into_boxed_slice(),
        }
    }

    fn name(&self, field: &FieldLoc) -> &str {
        fields::name_of(field.name, &self.others)
    }

    /// Every field's name, in the order written.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|f| self.name(f))
    }

    /// Every field's spans, in the order written.
    pub fn fields(&self) -> impl Iterator<Item = FieldSpans<'_>> {
        (0..self.fields.len()).map(|index| FieldSpans { loc: self, index })
    }

    pub fn field(&self, name: &str) -> Option<FieldSpans<'_>> {
        self.fields
            .iter()
            .position(|f| self.name(f) == name)
            .map(|index| FieldSpans { loc: self, index })
    }

    /// The span of a field's value, or of the entity's header when the field is absent.
    pub fn value(&self, name: &str) -> Span {
        self.field(name).map_or(self.span.clone(), |f| f.value())
    }

    /// The span of the `index`th item of an array field, or of the whole value.
    pub fn item(&self, name: &str, index: usize) -> Span {
        self.field(name).map_or(self.span.clone(), |f| {
            f.item(index).unwrap_or_else(|| f.value())
        })
    }

    /// The span of the item of an array field equal to `id` (the first one), or of the whole value.
    pub fn item_named(&self, name: &str, ids: &[String], id: &str) -> Span {
        match ids.iter().position(|x| x == id) {
            Some(i) => self.item(name, i),
            None => self.value(name),
        }
    }
}

/// Fields every entity may have.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct Meta {
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub allow: Vec<String>,
    #[serde(default)]
    pub allow_reason: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum PersonStatus {
    #[default]
    Active,
    Left,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Person {
    pub id: String,
    pub name: String,
    #[serde(deserialize_with = "one_or_many")]
    pub email: Vec<String>,
    #[serde(default)]
    pub github: Option<String>,
    /// OpenSSH public keys whose commit signatures prove this person made a commit (`trust = "signatures"`).
    #[serde(default)]
    pub signing_keys: Vec<String>,
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub manager: Option<String>,
    #[serde(default)]
    pub status: PersonStatus,
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(skip)]
    pub loc: Arc<Loc>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub lead: String,
    #[serde(default)]
    pub members: Option<Vec<String>>,
    #[serde(default)]
    pub parent: Option<String>,
    /// The team on GitHub, `org/team-slug`.
    #[serde(default)]
    pub github: Option<String>,
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(skip)]
    pub loc: Arc<Loc>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Area {
    pub id: String,
    pub title: String,
    /// The one accountable person; empty when the area is `unowned`.
    #[serde(default)]
    pub owner: String,
    /// The area deliberately has no owner (a CODEOWNERS line without owners).
    #[serde(default)]
    pub unowned: bool,
    #[serde(default)]
    pub team: Option<String>,
    /// People or teams who may approve a change besides the owner.
    #[serde(default)]
    pub approvers: Vec<String>,
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub outcome: Option<String>,
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(skip)]
    pub loc: Arc<Loc>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DecisionStatus {
    Proposed,
    #[default]
    Active,
    Superseded,
    Retired,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Decision {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub reversible: bool,
    #[serde(default)]
    pub approvers: Vec<String>,
    #[serde(default)]
    pub consulted: Vec<String>,
    #[serde(default)]
    pub informed: Vec<String>,
    #[serde(default)]
    pub sla: Option<Duration>,
    #[serde(default)]
    pub escalate_to: Option<String>,
    #[serde(default)]
    pub status: DecisionStatus,
    #[serde(default)]
    pub superseded_by: Option<String>,
    #[serde(default)]
    pub decided_on: Option<Date>,
    #[serde(default)]
    pub review_by: Option<Date>,
    #[serde(default)]
    pub rationale: Option<String>,
    #[serde(default)]
    pub material: bool,
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(skip)]
    pub loc: Arc<Loc>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Handoff {
    pub id: String,
    pub title: String,
    pub from: String,
    pub to: String,
    pub owner: String,
    #[serde(default)]
    pub artifact: Option<String>,
    #[serde(default)]
    pub sla: Option<Duration>,
    #[serde(default)]
    pub acceptance: Option<Vec<String>>,
    #[serde(default)]
    pub material: bool,
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(skip)]
    pub loc: Arc<Loc>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Increase,
    Decrease,
    Hold,
}

/// How often something recurs.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Every {
    Daily,
    Weekly,
    Monthly,
    Quarterly,
}

impl Every {
    /// The longest gap, in days, between two reviews that still keeps the cadence.
    pub fn days(self) -> i64 {
        match self {
            Every::Daily => 1,
            Every::Weekly => 7,
            Every::Monthly => 31,
            Every::Quarterly => 92,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Every::Daily => "daily",
            Every::Weekly => "weekly",
            Every::Monthly => "monthly",
            Every::Quarterly => "quarterly",
        }
    }
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Metric {
    pub id: String,
    pub name: String,
    pub owner: String,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub target: Option<f64>,
    #[serde(default)]
    pub direction: Option<Direction>,
    #[serde(default)]
    pub threshold: Option<f64>,
    #[serde(default)]
    pub cadence: Option<Every>,
    #[serde(default)]
    pub last_reviewed: Option<Date>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub serves: Vec<String>,
    #[serde(default)]
    pub material: bool,
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(skip)]
    pub loc: Arc<Loc>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Committed,
    Exploratory,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Priority {
    pub id: String,
    pub title: String,
    pub owner: String,
    #[serde(default)]
    pub tier: Option<Tier>,
    #[serde(default)]
    pub metrics: Vec<String>,
    #[serde(default)]
    pub stop_doing: Vec<String>,
    #[serde(default)]
    pub horizon: Option<Date>,
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(skip)]
    pub loc: Arc<Loc>,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Cadence {
    pub id: String,
    pub name: String,
    pub every: Every,
    pub owner: String,
    #[serde(default)]
    pub reviews: Vec<String>,
    #[serde(default)]
    pub attendees: Vec<String>,
    #[serde(flatten)]
    pub meta: Meta,
    #[serde(skip)]
    pub loc: Arc<Loc>,
}

fn one_or_many<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(deserializer)? {
        OneOrMany::One(one) => vec![one],
        OneOrMany::Many(many) => many,
    })
}

/// What every entity kind offers the rules: its id, where it is, and its shared fields.
pub trait Entity {
    const KIND: &'static str;
    fn id(&self) -> &str;
    fn loc(&self) -> &Loc;
    fn meta(&self) -> &Meta;
    fn set_loc(&mut self, loc: Arc<Loc>);
}

pub use fields::Fields;

/// A typed entity of any kind, with its fields as written: for code that reads the table of kinds.
#[derive(Debug, Clone, Copy)]
pub struct EntityRef<'a> {
    pub kind: &'static Kind,
    pub id: &'a str,
    pub meta: &'a Meta,
    pub loc: &'a Loc,
    pub fields: &'a Fields,
}

impl<'a> EntityRef<'a> {
    /// The ids a reference field names, each with the span of its value (of its item, in a list).
    pub fn named(&self, reference: &Reference) -> Vec<(Span, &'a str)> {
        let field = reference.field;
        match self.fields.get(field) {
            Some(serde_json::Value::String(id)) if !reference.list => {
                vec![(self.loc.value(field), id.as_str())]
            }
            Some(serde_json::Value::Array(items)) if reference.list => items
                .iter()
                .enumerate()
                .filter_map(|(i, item)| Some((self.loc.item(field, i), item.as_str()?)))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// A text field's value.
    pub fn text(&self, field: &str) -> Option<&'a str> {
        self.fields.get(field).and_then(serde_json::Value::as_str)
    }
}

/// Per kind: id -> position in the kind's list (the first written wins), and each entity's fields as written.
#[derive(Debug, Default, Clone)]
struct Stored {
    ids: HashMap<String, usize>,
    fields: Vec<Arc<Fields>>,
}

/// The typed model, one line per kind: `Struct => "kind" (as in the table of kinds), look-up by id, list`.
/// Generates the `Entity` impls, the `Model` with one list per kind, and everything that goes through every list.
macro_rules! typed_kinds {
    ($($ty:ident => $kind:literal, $one:ident, $list:ident;)*) => {
        $(impl Entity for $ty {
            const KIND: &'static str = $kind;
            fn id(&self) -> &str { &self.id }
            fn loc(&self) -> &Loc { &self.loc }
            fn meta(&self) -> &Meta { &self.meta }
            fn set_loc(&mut self, loc: Arc<Loc>) { self.loc = loc; }
        })*

        /// A typed entity of any kind, made on any thread ([`Model::prepare`]).
        #[derive(Debug)]
        pub enum Typed {
            $($ty($ty),)*
        }

        /// The whole model, in model order (files by path, entities in file order).
        #[derive(Debug, Default, Clone)]
        pub struct Model {
            $(pub $list: Vec<$ty>,)*
            /// Every entity with a textual id, valid or not, as written: for comparing two revisions field by field.
            pub raw: Vec<RawEntity>,
            /// Kind -> id -> position in the kind's list: a look-up by `&str` allocates nothing.
            index: HashMap<&'static str, Stored>,
        }

        impl Model {
            /// The kinds of the typed model, in its order (a test keeps it the table's).
            pub const KINDS: &'static [&'static str] = &[$($kind),*];

            $(pub fn $one(&self, id: &str) -> Option<&$ty> {
                self.find($kind, id).map(|i| &self.$list[i])
            })*

            /// The typed entity of a kind from its fields as written; `None` for a kind outside the typed model.
            fn typed(kind: &str, fields: &Fields, loc: Arc<Loc>) -> Option<Result<Typed, String>> {
                match kind {
                    $($kind => Some(
                        $ty::deserialize(fields)
                            .map(|mut entity| {
                                entity.set_loc(loc);
                                Typed::$ty(entity)
                            })
                            .map_err(|e| e.to_string()),
                    ),)*
                    _ => None,
                }
            }

            fn push_typed(&mut self, typed: Typed, fields: Arc<Fields>) {
                match typed {
                    $(Typed::$ty(entity) => push(&mut self.$list, &mut self.index, entity, fields),)*
                }
            }

            /// The `allow` list of an entity, by kind and id.
            pub fn meta(&self, kind: &str, id: &str) -> Option<(&Meta, &Loc)> {
                let i = self.find(kind, id)?;
                match kind {
                    $($kind => Some((self.$list[i].meta(), self.$list[i].loc())),)*
                    _ => None,
                }
            }

            /// Every typed entity, in model order (kinds in the table's order, then as written).
            pub fn entities(&self) -> Vec<EntityRef<'_>> {
                let mut out = Vec::with_capacity(self.len());
                $(if let (Some(kind), Some(stored)) = (kinds::find($kind), self.index.get($kind)) {
                    out.extend(self.$list.iter().zip(&stored.fields).map(|(e, fields)| EntityRef {
                        kind,
                        id: e.id(),
                        meta: e.meta(),
                        loc: e.loc(),
                        fields,
                    }));
                })*
                out
            }

            /// The number of typed entities.
            pub fn len(&self) -> usize {
                0 $(+ self.$list.len())*
            }
        }
    };
}

typed_kinds! {
    Person => "person", person, people;
    Team => "team", team, teams;
    Area => "area", area, areas;
    Decision => "decision", decision, decisions;
    Handoff => "handoff", handoff, handoffs;
    Metric => "metric", metric, metrics;
    Priority => "priority", priority, priorities;
    Cadence => "cadence", cadence, cadences;
}

/// An entity as written: kind, id, every field's value as JSON (dates as strings), and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct RawEntity {
    pub kind: &'static str,
    pub id: String,
    /// Shared with the typed entity, when it is one.
    pub fields: Arc<Fields>,
    /// Shared with the typed entity: one copy of the spans of every field.
    pub loc: Arc<Loc>,
}

/// An entity made ready for a model on any thread ([`Model::prepare`]), added with [`Model::push`].
#[derive(Debug)]
pub struct PreparedEntity {
    raw: Option<RawEntity>,
    typed: Option<Result<(Typed, Arc<Fields>), String>>,
}

impl PreparedEntity {
    /// Why its typed form could not be made, if so (taken: it is reported once, where it was prepared).
    pub fn take_failure(&mut self) -> Option<String> {
        match self.typed.take() {
            Some(Err(reason)) => Some(reason),
            typed => {
                self.typed = typed;
                None
            }
        }
    }
}

impl Model {
    /// Make one entity ready for the model, on any thread: its fields as written with their spans (an entity
    /// without a textual id has none), and, when the schema found it valid, its typed form or the reason it still
    /// does not deserialize. `fields` is `node.to_json()` when the caller has it already.
    pub fn prepare(
        kind: &'static str,
        file: FileId,
        node: &Node,
        mut fields: Option<serde_json::Map<String, serde_json::Value>>,
        valid: bool,
    ) -> PreparedEntity {
        let converted = |fields: Option<serde_json::Map<String, serde_json::Value>>| {
            let fields = fields.or_else(|| match node.to_json() {
                serde_json::Value::Object(fields) => Some(fields),
                _ => None,
            });
            Arc::new(fields.map(Fields::from).unwrap_or_default())
        };
        let raw = node.get("id").and_then(Node::as_str).map(|id| RawEntity {
            kind,
            id: id.to_string(),
            fields: converted(fields.take()),
            loc: Arc::new(Loc::from_node(file, node)),
        });
        let typed = if valid {
            // The spans and fields of the entity as written are shared with the typed one, not made twice.
            let (fields, loc) = match &raw {
                Some(raw) => (Arc::clone(&raw.fields), Arc::clone(&raw.loc)),
                None => (converted(fields), Arc::new(Loc::from_node(file, node))),
            };
            Model::typed(kind, &fields, loc).map(|typed| typed.map(|typed| (typed, fields)))
        } else {
            None
        };
        PreparedEntity { raw, typed }
    }

    /// Add an entity made ready by [`Model::prepare`]; an entity that does not deserialize returns the reason.
    pub fn push(&mut self, entity: PreparedEntity) -> Result<(), String> {
        if let Some(raw) = entity.raw {
            self.raw.push(raw);
        }
        match entity.typed {
            Some(Ok((typed, fields))) => {
                self.push_typed(typed, fields);
                Ok(())
            }
            Some(Err(reason)) => Err(reason),
            None => Ok(()),
        }
    }

    /// Record an entity as written (valid or not), for `diff`; an entity without a textual id is skipped.
    pub fn add_raw(&mut self, kind: &'static str, file: FileId, node: &Node) {
        // Not typed: nothing to report.
        let _ = self.push(Model::prepare(kind, file, node, None, false));
    }

    /// Add one schema-valid entity, typed only; an entity that still does not deserialize returns the reason.
    pub fn add(&mut self, kind: &str, file: FileId, node: &Node) -> Result<(), String> {
        let Some(kind) = kinds::find(kind).map(|k| k.name) else {
            return Ok(());
        };
        let mut entity = Model::prepare(kind, file, node, None, true);
        entity.raw = None;
        self.push(entity)
    }

    fn find(&self, kind: &str, id: &str) -> Option<usize> {
        self.index.get(kind)?.ids.get(id).copied()
    }

    /// Every entity's kind, id and `allow` list, in model order.
    pub fn allows(&self) -> Vec<(&'static str, &str, &Meta, &Loc)> {
        self.entities()
            .into_iter()
            .map(|e| (e.kind.name, e.id, e.meta, e.loc))
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A person's display name with their id: `Ana Lopez (ana)`.
    pub fn who(&self, id: &str) -> String {
        match self.person(id) {
            Some(p) => format!("{} ({id})", p.name),
            None => id.to_string(),
        }
    }
}

fn push<T: Entity>(
    list: &mut Vec<T>,
    index: &mut HashMap<&'static str, Stored>,
    entity: T,
    fields: Arc<Fields>,
) {
    let stored = index.entry(T::KIND).or_default();
    stored
        .ids
        .entry(entity.id().to_string())
        .or_insert(list.len());
    stored.fields.push(fields);
    list.push(entity);
}

/// Every entity node of a parsed model file: (kind, index within the kind's array, node).
pub fn entity_nodes(doc: &Node) -> impl Iterator<Item = (&'static str, usize, &Node)> {
    doc.entries().iter().flat_map(|entry| {
        let kind = kinds::find(&entry.key).map(|k| k.name);
        let items: &[Node] = match (kind, &entry.node.value) {
            (Some(_), Value::Array(items)) => items,
            _ => &[],
        };
        items
            .iter()
            .enumerate()
            .filter(|(_, n)| matches!(n.value, Value::Table(_)))
            .map(move |(i, n)| (kind.unwrap_or_default(), i, n))
    })
}

//! An entity's fields as written, and field names, held compactly: the model keeps them for every entity (for
//! `diff`, `audit`, `show` and the rules), so a large model holds hundreds of thousands of keys.

use std::fmt;
use std::ops::Deref;

use serde::de::value::{BorrowedStrDeserializer, MapDeserializer};
use serde::de::Visitor;
use serde::forward_to_deserialize_any;
use serde_json::Value as Json;

/// Every field name the model schema knows, sorted (a test compares them with the schema): `KNOWN`, and
/// `known_index` which finds one as a `match` does (by length, then the bytes), cheaper than a search of the
/// sorted list.
macro_rules! known_names {
    ($($name:literal,)*) => {
        const KNOWN: &[&str] = &[$($name),*];

        /// The position of a name in `KNOWN`.
        pub fn known_index(name: &str) -> Option<u32> {
            match name {
                $($name => Some(const { position($name) }),)*
                _ => None,
            }
        }
    };
}

/// The position of `name` in `KNOWN`, computed when the program is compiled.
const fn position(name: &str) -> u32 {
    let mut i = 0;
    while i < KNOWN.len() {
        let known = KNOWN[i].as_bytes();
        let name = name.as_bytes();
        if known.len() == name.len() {
            let mut j = 0;
            while j < known.len() && known[j] == name[j] {
                j += 1;
            }
            if j == known.len() {
                return i as u32;
            }
        }
        i += 1;
    }
    panic!("a known name is in KNOWN")
}

fn known(name: &str) -> Option<&'static &'static str> {
    known_index(name).map(|i| &KNOWN[i as usize])
}

/// The known name at `index` (from [`known_index`]).
pub fn known_name(index: u32) -> &'static str {
    KNOWN[index as usize]
}

known_names! {
    "acceptance",
    "allow",
    "allow_reason",
    "approvers",
    "area",
    "artifact",
    "attendees",
    "cadence",
    "consulted",
    "decided_on",
    "decision",
    "description",
    "direction",
    "email",
    "escalate_to",
    "every",
    "from",
    "github",
    "handoff",
    "horizon",
    "id",
    "informed",
    "last_reviewed",
    "lead",
    "manager",
    "material",
    "members",
    "metric",
    "metrics",
    "name",
    "outcome",
    "owner",
    "parent",
    "paths",
    "person",
    "priority",
    "rationale",
    "reversible",
    "review_by",
    "reviews",
    "serves",
    "signing_keys",
    "sla",
    "source",
    "status",
    "stop_doing",
    "superseded_by",
    "tags",
    "target",
    "team",
    "threshold",
    "tier",
    "title",
    "to",
    "unit",
    "unowned",
}

/// A field's name as written: one of the schema's names (no allocation), or any other key.
#[derive(Clone)]
pub enum Name {
    /// A pointer to a static name, no wider than one: a `Name` is 16 bytes, as a `Box<str>` is.
    Known(&'static &'static str),
    Other(Box<str>),
}

impl Name {
    pub fn new(name: &str) -> Name {
        match known(name) {
            Some(known) => Name::Known(known),
            None => Name::Other(name.into()),
        }
    }

    /// [`Name::new`] that reuses the string's allocation for a name the schema does not know.
    pub fn from_string(name: String) -> Name {
        match known(&name) {
            Some(known) => Name::Known(known),
            None => Name::Other(name.into_boxed_str()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Name::Known(name) => name,
            Name::Other(name) => name,
        }
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Name {}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// An entity's fields as written, as JSON (dates as strings), in key order (as a `serde_json::Map` iterates them):
/// one allocation for the entries instead of a tree node and a string per key.
#[derive(Clone, Default, PartialEq)]
pub struct Fields(Box<[(Name, Json)]>);

impl Fields {
    /// The value of a field.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.0
            .binary_search_by(|(name, _)| name.as_str().cmp(key))
            .ok()
            .map(|i| &self.0[i].1)
    }

    /// Every field, in key order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Json)> {
        self.0.iter().map(|(name, value)| (name.as_str(), value))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<serde_json::Map<String, Json>> for Fields {
    fn from(map: serde_json::Map<String, Json>) -> Fields {
        let entries: Vec<(Name, Json)> = map
            .into_iter()
            .map(|(key, value)| (Name::from_string(key), value))
            .collect();
        // A `serde_json::Map` is a `BTreeMap`: in key order already (serde_json's `preserve_order` is off).
        debug_assert!(entries.is_sorted_by(|a, b| a.0.as_str() < b.0.as_str()));
        Fields(entries.into_boxed_slice())
    }
}

impl fmt::Debug for Fields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// The typed entity is deserialized from its fields as from a `serde_json::Map`: a map of borrowed keys and values.
impl<'de> serde::Deserializer<'de> for &'de Fields {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        let entries = self
            .0
            .iter()
            .map(|(name, value)| (BorrowedStrDeserializer::new(name.as_str()), value));
        let mut map = MapDeserializer::new(entries);
        let value = visitor.visit_map(&mut map)?;
        map.end()?;
        Ok(value)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_are_sorted_and_cover_the_model_schema() {
        assert!(KNOWN.windows(2).all(|w| w[0] < w[1]));
        assert!(KNOWN.iter().all(|name| known(name) == Some(name)));
        assert!(KNOWN
            .iter()
            .enumerate()
            .all(|(i, name)| known_index(name) == Some(i as u32)));
        assert_eq!(std::mem::size_of::<Name>(), 16);
        assert_eq!(known("owners"), None);
        fn walk(value: &Json, names: &mut Vec<String>) {
            match value {
                Json::Object(map) => {
                    if let Some(Json::Object(properties)) = map.get("properties") {
                        names.extend(properties.keys().cloned());
                    }
                    map.values().for_each(|v| walk(v, names));
                }
                Json::Array(items) => items.iter().for_each(|v| walk(v, names)),
                _ => {}
            }
        }
        let schema: Json = serde_json::from_str(crate::schema::MODEL_SCHEMA).unwrap();
        let mut names = Vec::new();
        walk(&schema, &mut names);
        let missing: Vec<&String> = names
            .iter()
            .filter(|n| !KNOWN.contains(&n.as_str()))
            .collect();
        assert!(missing.is_empty(), "not in KNOWN: {missing:?}");
    }

    #[test]
    fn fields_keep_the_map_order_and_values() {
        let json =
            serde_json::json!({"title": "T", "id": "x", "zz custom": [1, 2], "owner": "ana"});
        let Json::Object(map) = json else {
            unreachable!()
        };
        let fields = Fields::from(map.clone());
        let keys: Vec<&str> = fields.iter().map(|(k, _)| k).collect();
        let expected: Vec<&str> = map.keys().map(String::as_str).collect();
        assert_eq!(keys, expected);
        assert_eq!(fields.get("owner"), map.get("owner"));
        assert_eq!(fields.get("zz custom"), map.get("zz custom"));
        assert_eq!(fields.get("missing"), None);
        assert!(matches!(fields.0[0].0, Name::Known(name) if *name == "id"));
    }
}

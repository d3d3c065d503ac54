//! An entity's fields as written, and field names as numbers, held compactly: the model keeps them for every entity (for
//! `diff`, `audit`, `show` and the rules), so a large model holds hundreds of thousands of keys.

use std::fmt;

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
        fn known_index(name: &str) -> Option<u32> {
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

/// The known name at `index` (from [`known_index`]).
fn known_name(index: u32) -> &'static str {
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

/// Where the names the schema does not know start among name codes ([`code`]).
const OTHER: u32 = 1 << 31;

/// A field's name as a number, 4 bytes instead of a string: a schema name's position among the known names, or
/// [`OTHER`] + its position in `others`, where a name the schema does not know is kept (nearly always none).
pub fn code(name: &str, others: &mut Vec<Box<str>>) -> u32 {
    known_index(name).unwrap_or_else(|| {
        others.push(Box::from(name));
        OTHER | u32::try_from(others.len() - 1).unwrap_or(u32::MAX >> 1)
    })
}

/// The name a [`code`] stands for.
pub fn name_of(code: u32, others: &[Box<str>]) -> &str {
    if code & OTHER == 0 {
        known_name(code)
    } else {
        others.get((code & !OTHER) as usize).map_or("", |name| name)
    }
}

/// An entity's fields as written, as JSON (dates as strings), in key order (as a `serde_json::Map` iterates them):
/// one allocation for the entries instead of a tree node and a string per key, each name a 4-byte [`code`].
#[derive(Clone, Default)]
pub struct Fields {
    entries: Box<[(u32, Json)]>,
    others: Box<[Box<str>]>,
}

impl Fields {
    fn name(&self, code: u32) -> &str {
        name_of(code, &self.others)
    }

    /// The value of a field.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.entries
            .binary_search_by(|(name, _)| self.name(*name).cmp(key))
            .ok()
            .map(|i| &self.entries[i].1)
    }

    /// Every field, in key order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Json)> {
        self.entries
            .iter()
            .map(|(name, value)| (self.name(*name), value))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl PartialEq for Fields {
    fn eq(&self, other: &Fields) -> bool {
        self.iter().eq(other.iter())
    }
}

impl From<serde_json::Map<String, Json>> for Fields {
    fn from(map: serde_json::Map<String, Json>) -> Fields {
        let mut others = Vec::new();
        let entries: Vec<(u32, Json)> = map
            .into_iter()
            .map(|(key, value)| (code(&key, &mut others), value))
            .collect();
        let fields = Fields {
            entries: entries.into_boxed_slice(),
            others: others.into_boxed_slice(),
        };
        // A `serde_json::Map` is a `BTreeMap`: in key order already (serde_json's `preserve_order` is off).
        debug_assert!(fields.iter().is_sorted_by(|a, b| a.0 < b.0));
        fields
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
            .iter()
            .map(|(name, value)| (BorrowedStrDeserializer::new(name), value));
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
        assert!(KNOWN
            .iter()
            .enumerate()
            .all(|(i, name)| known_index(name) == Some(i as u32)));
        assert_eq!(known_index("owners"), None);
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
        assert_eq!(fields.entries[0].0, known_index("id").unwrap());
        assert_eq!(fields.others.len(), 1);
    }
}

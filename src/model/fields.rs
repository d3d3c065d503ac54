//! Field names held compactly: the model keeps one per field of every entity, so a large model holds hundreds of
//! thousands of them.

use std::fmt;
use std::ops::Deref;

/// Every field name the model schema knows, sorted (a test compares them with the schema): `KNOWN`, and `known`
/// which finds one as a `match` does (by length, then the bytes), cheaper than a search of the sorted list.
macro_rules! known_names {
    ($($name:literal,)*) => {
        #[cfg(test)]
        const KNOWN: &[&str] = &[$($name),*];

        fn known(name: &str) -> Option<&'static str> {
            match name {
                $($name => Some($name),)*
                _ => None,
            }
        }
    };
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
    Known(&'static str),
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value as Json;

    #[test]
    fn known_names_are_sorted_and_cover_the_model_schema() {
        assert!(KNOWN.windows(2).all(|w| w[0] < w[1]));
        assert!(KNOWN.iter().all(|name| known(name) == Some(*name)));
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
}

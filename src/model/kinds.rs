//! The one table of entity kinds: what each kind is called, where the schema defines it, which of its fields
//! name other entities (and which kinds they may name), and which of them make someone answer for it.
//!
//! Schema validation, the typed model, the reference checks, `inactive-owner`, audit's entity ownership and
//! `diff` all read this table; the tests below tie it to `schema/model.schema.json`. Adding a kind touches the
//! schema, this table and the kind's struct (with its line in `model.rs`'s `typed_kinds!`): see
//! `docs/architecture-kinds.md`.

/// One kind of entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// The kind's name, also its TOML array of tables: `[[person]]`.
    pub name: &'static str,
    /// The schema definition its entities validate against, as the schema's `$ref` writes it.
    pub definition: &'static str,
    /// The plural, in findings: "two people have the id ...".
    pub plural: &'static str,
    /// Ids are unique within a namespace; people and teams share one, because several fields accept either.
    pub namespace: &'static str,
    /// The fields that hold ids of other entities, in the order their findings are reported.
    pub references: &'static [Reference],
    /// Whether an entry of this kind is owned by the entity itself (a person owns their own entry).
    pub self_owned: bool,
    /// Values of `status` under which nobody relies on the entity any more (a person who left).
    pub retired: &'static [&'static str],
}

/// A field that holds the id of another entity, or a list of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    pub field: &'static str,
    /// An array of ids (`members`) rather than one id (`owner`).
    pub list: bool,
    /// The kinds it may name, the usual one first.
    pub targets: &'static [&'static str],
    /// What the named person is to the entity, when the field names one accountable person.
    pub role: Option<Role>,
}

/// What a person named by a reference field is to the entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The one accountable person: `owner`.
    Owner,
    /// A team's one accountable person: `lead`.
    Lead,
    /// A person's manager: they answer for the person's entry with the person.
    Manager,
    /// Must approve (a decision's `approvers`).
    Approver,
    /// Decides when the owner cannot (a decision's `escalate_to`).
    EscalateTo,
}

impl Role {
    /// Whether the named person owns the entity: the one accountable person, or a person's manager.
    pub fn owns(self) -> bool {
        matches!(self, Role::Owner | Role::Lead | Role::Manager)
    }
}

impl Kind {
    /// The field that names the entity's one accountable person: `owner`, or a team's `lead`.
    pub fn accountable(&self) -> Option<&'static str> {
        self.references
            .iter()
            .find(|r| matches!(r.role, Some(Role::Owner | Role::Lead)))
            .map(|r| r.field)
    }

    /// The reference fields whose person owns the entity (MODEL.md: its `owner`, a team's `lead`, a person's
    /// `manager`).
    pub fn owner_fields(&self) -> impl Iterator<Item = &'static Reference> {
        self.references
            .iter()
            .filter(|r| r.role.is_some_and(Role::owns))
    }

    /// The kind with a `status` value under which nobody relies on it any more.
    pub fn is_retired(&self, status: Option<&str>) -> bool {
        status.is_some_and(|s| self.retired.contains(&s))
    }
}

const PERSON: &[&str] = &["person"];
const TEAM: &[&str] = &["team"];
const PERSON_OR_TEAM: &[&str] = &["person", "team"];

const fn one(field: &'static str, targets: &'static [&'static str]) -> Reference {
    Reference {
        field,
        list: false,
        targets,
        role: None,
    }
}

const fn many(field: &'static str, targets: &'static [&'static str]) -> Reference {
    Reference {
        field,
        list: true,
        targets,
        role: None,
    }
}

const fn person(field: &'static str, role: Role, list: bool) -> Reference {
    Reference {
        field,
        list,
        targets: PERSON,
        role: Some(role),
    }
}

/// Every kind, in the order MODEL.md lists them: the model's order of kinds, and `diff`'s.
pub const KINDS: &[Kind] = &[
    Kind {
        name: "person",
        definition: "#/definitions/person",
        plural: "people",
        namespace: "person|team",
        references: &[one("team", TEAM), person("manager", Role::Manager, false)],
        self_owned: true,
        retired: &["left"],
    },
    Kind {
        name: "team",
        definition: "#/definitions/team",
        plural: "teams",
        namespace: "person|team",
        references: &[
            person("lead", Role::Lead, false),
            many("members", PERSON),
            one("parent", TEAM),
        ],
        self_owned: false,
        retired: &[],
    },
    Kind {
        name: "area",
        definition: "#/definitions/area",
        plural: "areas",
        namespace: "area",
        references: &[
            person("owner", Role::Owner, false),
            one("team", TEAM),
            many("approvers", PERSON_OR_TEAM),
        ],
        self_owned: false,
        retired: &[],
    },
    Kind {
        name: "decision",
        definition: "#/definitions/decision",
        plural: "decisions",
        namespace: "decision",
        references: &[
            person("owner", Role::Owner, false),
            person("approvers", Role::Approver, true),
            many("consulted", PERSON_OR_TEAM),
            many("informed", PERSON_OR_TEAM),
            person("escalate_to", Role::EscalateTo, false),
            one("superseded_by", &["decision"]),
        ],
        self_owned: false,
        retired: &["superseded", "retired"],
    },
    Kind {
        name: "handoff",
        definition: "#/definitions/handoff",
        plural: "handoffs",
        namespace: "handoff",
        references: &[
            one("from", TEAM),
            one("to", TEAM),
            person("owner", Role::Owner, false),
        ],
        self_owned: false,
        retired: &[],
    },
    Kind {
        name: "metric",
        definition: "#/definitions/metric",
        plural: "metrics",
        namespace: "metric",
        references: &[
            person("owner", Role::Owner, false),
            many("serves", &["priority", "area"]),
        ],
        self_owned: false,
        retired: &[],
    },
    Kind {
        name: "priority",
        definition: "#/definitions/priority",
        plural: "priorities",
        namespace: "priority",
        references: &[
            person("owner", Role::Owner, false),
            many("metrics", &["metric"]),
        ],
        self_owned: false,
        retired: &[],
    },
    Kind {
        name: "cadence",
        definition: "#/definitions/cadence",
        plural: "cadences",
        namespace: "cadence",
        references: &[
            person("owner", Role::Owner, false),
            many("reviews", &["metric", "decision", "handoff"]),
            many("attendees", PERSON_OR_TEAM),
        ],
        self_owned: false,
        retired: &[],
    },
];

/// The names of every kind, in table order.
pub const NAMES: [&str; KINDS.len()] = {
    let mut names = [""; KINDS.len()];
    let mut i = 0;
    while i < KINDS.len() {
        names[i] = KINDS[i].name;
        i += 1;
    }
    names
};

/// The kind with this name (a TOML table name, a finding's subject kind).
pub fn find(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

/// The plural of a kind: `people`, `priorities`, `decisions`.
pub fn plural(name: &str) -> String {
    find(name).map_or_else(|| format!("{name}s"), |k| k.plural.to_string())
}

/// A kind's place in the table, for ordering; unknown kinds sort last.
pub fn rank(name: &str) -> usize {
    KINDS
        .iter()
        .position(|k| k.name == name)
        .unwrap_or(KINDS.len())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value as Json;

    use super::*;
    use crate::schema::{schema_json, Schema};

    fn definition(kind: &Kind) -> &'static Json {
        let pointer = kind.definition.strip_prefix('#').unwrap_or(kind.definition);
        schema_json(Schema::Model)
            .pointer(pointer)
            .unwrap_or_else(|| panic!("{}: no {} in the schema", kind.name, kind.definition))
    }

    #[test]
    fn every_kind_of_the_schema_is_in_the_table_and_back() {
        let schema = schema_json(Schema::Model);
        let in_schema: BTreeSet<&str> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let in_table: BTreeSet<&str> = NAMES.into_iter().collect();
        assert_eq!(in_schema, in_table);
        for kind in KINDS {
            let property = &schema["properties"][kind.name];
            assert_eq!(property["type"], "array", "{}", kind.name);
            assert_eq!(
                property["items"]["$ref"], kind.definition,
                "{}: the schema validates its entities against another definition",
                kind.name
            );
            assert_eq!(definition(kind)["type"], "object", "{}", kind.name);
        }
    }

    #[test]
    fn every_reference_field_has_the_shape_of_a_reference_and_back() {
        for kind in KINDS {
            let properties = definition(kind)["properties"].as_object().unwrap();
            for r in kind.references {
                let shape = if r.list { "refs" } else { "ref" };
                assert_eq!(
                    properties.get(r.field).map(|p| &p["$ref"]),
                    Some(&Json::from(format!("#/definitions/{shape}"))),
                    "{}.{}: the schema must declare it as `{shape}`",
                    kind.name,
                    r.field
                );
                assert!(!r.targets.is_empty(), "{}.{}", kind.name, r.field);
                for target in r.targets {
                    assert!(
                        find(target).is_some(),
                        "{}.{} names {target}",
                        kind.name,
                        r.field
                    );
                }
                if r.role.is_some() {
                    assert_eq!(
                        r.targets, PERSON,
                        "{}.{}: a role is a person",
                        kind.name, r.field
                    );
                }
            }
            // A reference field missing from the table would go unchecked: every `ref`/`refs` field is listed.
            let in_schema: BTreeSet<&str> = properties
                .iter()
                .filter(|(field, p)| {
                    *field != "id"
                        && matches!(
                            p["$ref"].as_str(),
                            Some("#/definitions/ref" | "#/definitions/refs")
                        )
                })
                .map(|(field, _)| field.as_str())
                .collect();
            let in_table: BTreeSet<&str> = kind.references.iter().map(|r| r.field).collect();
            assert_eq!(in_schema, in_table, "{}", kind.name);
        }
    }

    #[test]
    fn every_kind_says_who_answers_for_it() {
        for kind in KINDS {
            let accountable = kind
                .references
                .iter()
                .filter(|r| matches!(r.role, Some(Role::Owner | Role::Lead)));
            assert_eq!(
                accountable.count() + usize::from(kind.self_owned),
                1,
                "{}: one accountable person, or the entry itself",
                kind.name
            );
            for status in kind.retired {
                let allowed = definition(kind)["properties"]["status"]["enum"]
                    .as_array()
                    .unwrap_or_else(|| panic!("{}: no `status` in the schema", kind.name));
                assert!(
                    allowed.iter().any(|s| s == status),
                    "{}: {status}",
                    kind.name
                );
            }
        }
    }

    #[test]
    fn names_plurals_and_namespaces_are_consistent() {
        let plurals: BTreeSet<&str> = KINDS.iter().map(|k| k.plural).collect();
        assert_eq!(plurals.len(), KINDS.len(), "plurals are unique");
        for kind in KINDS {
            assert!(crate::schema::is_id(kind.name), "{}", kind.name);
            assert!(
                kind.namespace.split('|').any(|n| n == kind.name),
                "{}: its namespace names it",
                kind.name
            );
        }
    }

    #[test]
    fn the_typed_model_holds_every_kind_in_table_order() {
        assert_eq!(crate::model::Model::KINDS, NAMES);
    }
}

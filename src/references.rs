//! Cross-file checks: duplicate ids, people and teams sharing an id, and references to ids that do not
//! exist or name the wrong kind of entity.

use std::collections::HashMap;

use crate::document::{Node, Span};
use crate::finding::Finding;
use crate::model::entity_nodes;
use crate::model::kinds::{self, Reference};
use crate::source::FileId;
use crate::suggest::did_you_mean;

/// One definition of an id.
#[derive(Debug, Clone)]
struct Def<'a> {
    kind: &'static str,
    file: FileId,
    span: Span,
    node: &'a Node,
}

/// The namespace of a kind's ids (people and teams share one), from the table of kinds.
fn namespace(kind: &str) -> &str {
    kinds::find(kind).map_or(kind, |k| k.namespace)
}

/// Run the cross-file checks over every parsed model file, in model order.
pub fn check(docs: &[(FileId, &Node)]) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut defs: HashMap<(&str, &str), Vec<Def<'_>>> = HashMap::new();
    let mut by_kind: HashMap<&str, Vec<&str>> = HashMap::new();
    for (file, doc) in docs {
        for (kind, _, node) in entity_nodes(doc) {
            let Some(id_node) = node.get("id") else {
                continue;
            };
            let Some(id) = id_node.as_str() else { continue };
            let def = Def {
                kind,
                file: *file,
                span: id_node.span.clone(),
                node,
            };
            let entry = defs.entry((namespace(kind), id)).or_default();
            if let Some(first) = entry.first() {
                findings.push(duplicate(first, &def, id));
            } else {
                by_kind.entry(kind).or_default().push(id);
            }
            entry.push(def);
        }
    }

    for (file, doc) in docs {
        for (kind, index, node) in entity_nodes(doc) {
            let owner_id = node.get("id").and_then(Node::as_str).unwrap_or("?");
            let fields = kinds::find(kind).map_or(&[][..], |k| k.references);
            for target @ Reference { field, list, .. } in fields {
                let Some(value) = node.get(field) else {
                    continue;
                };
                let refs: &[Node] = if *list {
                    value.as_array().unwrap_or_default()
                } else {
                    std::slice::from_ref(value)
                };
                for reference in refs {
                    // A value that is not an id at all was reported by the schema; a second finding adds nothing.
                    let Some(id) = reference.as_str().filter(|id| crate::schema::is_id(id)) else {
                        continue;
                    };
                    // Nearly every reference resolves: look up only the kinds it may name, and say why it fails
                    // (which needs a look-up in every kind) only when it does.
                    let resolves = target.targets.iter().any(|k| {
                        defs.get(&(namespace(k), id))
                            .is_some_and(|found| found.iter().any(|d| d.kind == *k))
                    });
                    if resolves {
                        continue;
                    }
                    let subject = crate::schema::entity_name(kind, node, index);
                    if let Some(finding) = resolve(
                        &defs, &by_kind, target, &subject, field, id, *file, reference,
                    ) {
                        findings.push(finding.about(kind_static(kind), owner_id));
                    }
                }
            }
        }
    }
    findings
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
        .at(second.file, second.span.clone(), "defined again here")
        .related(first.file, first.span.clone(), "first defined here")
        .help(format!(
            "ids are unique within their kind: rename one of them, or merge the two {}",
            kinds::plural(first.kind)
        ))
    } else {
        Finding::new(
            &crate::load::rules::id_conflict::RULE,
            format!("a {} and a {} share the id \"{id}\"", first.kind, second.kind),
        )
        .at(second.file, second.span.clone(), format!("{} \"{id}\"", second.kind))
        .related(first.file, first.span.clone(), format!("{} \"{id}\"", first.kind))
        .help("people and teams share one namespace, because fields such as `consulted` accept either: rename one of them")
    }
}

#[allow(clippy::too_many_arguments)]
fn resolve(
    defs: &HashMap<(&str, &str), Vec<Def<'_>>>,
    by_kind: &HashMap<&str, Vec<&str>>,
    target: &Reference,
    subject: &str,
    field: &str,
    id: &str,
    file: FileId,
    reference: &Node,
) -> Option<Finding> {
    let found: Vec<&Def<'_>> = kinds::KINDS
        .iter()
        .filter_map(|k| defs.get(&(k.namespace, id)))
        .flatten()
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
        .at(
            file,
            reference.span.clone(),
            format!("this is a {}", other.kind),
        )
        .related(
            other.file,
            other.span.clone(),
            format!("the {} \"{id}\"", other.kind),
        );
        finding = match (other.kind, target.targets) {
            ("team", t) if t.contains(&"person") => {
                let lead = other.node.get("lead").and_then(Node::as_str);
                let why = if field == "owner" {
                    "a team is never an owner: ownership needs one accountable person"
                } else {
                    "a team cannot be named here"
                };
                match lead {
                    Some(lead) => finding.help(format!(
                        "{why}; name the team's lead: `{field} = \"{lead}\"`"
                    )),
                    None => finding.help(format!("{why}; name one person of the team")),
                }
            }
            ("person", ["team"]) => match other.node.get("team").and_then(Node::as_str) {
                Some(team) => {
                    finding.help(format!("name the person's team: `{field} = \"{team}\"`"))
                }
                None => finding.help("name a team id here"),
            },
            _ => finding.help(format!("name {expected} here")),
        };
        return Some(finding);
    }
    let candidates = target
        .targets
        .iter()
        .filter_map(|k| by_kind.get(k))
        .flatten()
        .copied();
    let mut finding = Finding::new(
        &crate::load::rules::unknown_reference::RULE,
        format!(
            "`{field}` of {subject} names \"{id}\", which is not a known {}",
            target.targets.join(" or ")
        ),
    )
    .at(
        file,
        reference.span.clone(),
        format!("no {} has this id", target.targets.join(" or ")),
    );
    finding = finding.help(match did_you_mean(id, candidates) {
        Some(best) => format!("did you mean \"{best}\"?"),
        None => format!(
            "add a [[{}]] with id = \"{id}\", or correct the id",
            target.targets[0]
        ),
    });
    Some(finding)
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

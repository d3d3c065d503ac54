//! The JSON Schemas under `schema/`, embedded, and the mapping of their errors to findings in the user's words.

use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use serde_json::Value as Json;

use crate::document::{Node, Span, Value};
use crate::finding::Finding;
use crate::model::kinds;
use crate::source::FileId;
use crate::suggest::did_you_mean;

/// The model-file schema, as published.
pub const MODEL_SCHEMA: &str = include_str!("../schema/model.schema.json");
/// The manifest schema, as published.
pub const MANIFEST_SCHEMA: &str = include_str!("../schema/manifest.schema.json");

/// Which document a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schema {
    Model,
    Manifest,
}

struct Compiled {
    json: Json,
    validator: jsonschema::Validator,
}

fn compiled(schema: Schema) -> &'static Compiled {
    static MODEL: OnceLock<Compiled> = OnceLock::new();
    static MANIFEST: OnceLock<Compiled> = OnceLock::new();
    let (cell, text) = match schema {
        Schema::Model => (&MODEL, MODEL_SCHEMA),
        Schema::Manifest => (&MANIFEST, MANIFEST_SCHEMA),
    };
    cell.get_or_init(|| {
        // The schemas are part of the binary and tested: failing here is a build defect, not bad input.
        let json: Json = serde_json::from_str(text).expect("embedded schema is valid JSON");
        let validator = jsonschema::draft7::new(&json).expect("embedded schema compiles");
        Compiled { json, validator }
    })
}

/// The schema as JSON, for tests and for `description` look-ups.
pub fn schema_json(schema: Schema) -> &'static Json {
    &compiled(schema).json
}

/// The schema definition an entity kind validates against, from the table of kinds (null for another name).
fn kind_definition(kind: &str) -> &'static Json {
    static NULL: Json = Json::Null;
    kinds::find(kind)
        .and_then(|k| schema_json(Schema::Model).pointer(k.definition.trim_start_matches('#')))
        .unwrap_or(&NULL)
}

/// The `description` of a field of an entity kind (model) or of a manifest table.
pub fn field_description(schema: Schema, kind: &str, field: &str) -> Option<&'static str> {
    let json = schema_json(schema);
    let props = match schema {
        Schema::Model => &kind_definition(kind)["properties"],
        Schema::Manifest => &json["properties"][kind]["properties"],
    };
    props[field]["description"].as_str()
}

/// The fields a kind (model) or table (manifest) accepts, in schema order.
pub fn field_names(schema: Schema, kind: &str) -> Vec<&'static str> {
    let json = schema_json(schema);
    let props = match schema {
        Schema::Model => &kind_definition(kind)["properties"],
        Schema::Manifest if kind.is_empty() => &json["properties"],
        Schema::Manifest => &json["properties"][kind]["properties"],
    };
    props
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// Validate a parsed document and return every error, each at the span of the offending key or value.
pub fn validate(schema: Schema, doc: &Node, file: FileId) -> Vec<Finding> {
    validate_entities(schema, doc, file).0
}

/// Validate, and also return which entities (kind, index in its array) have errors.
pub fn validate_entities(
    schema: Schema,
    doc: &Node,
    file: FileId,
) -> (Vec<Finding>, Vec<(String, usize)>) {
    validate_json(schema, doc, &doc.to_json(), file)
}

/// [`validate_entities`] of a document already converted to JSON (`doc.to_json()`), for a caller that keeps the
/// JSON: `check::load` moves each entity's object into the model instead of converting the entity again.
pub fn validate_json(
    schema: Schema,
    doc: &Node,
    json: &Json,
    file: FileId,
) -> (Vec<Finding>, Vec<(String, usize)>) {
    let mut findings = Vec::new();
    let mut invalid = Vec::new();
    let validator = &compiled(schema).validator;
    // Most files are valid: asking first is cheaper than collecting errors that are not there.
    if !validator.is_valid(json) {
        for error in validator.iter_errors(json) {
            report(schema, doc, file, &error, &mut findings, &mut invalid);
        }
    }
    dates_where_text_belongs(schema, doc, file, &mut findings, &mut invalid);
    findings.sort_by_key(|f| {
        f.location
            .as_ref()
            .and_then(|l| l.span.clone())
            .map(|s| (s.start, s.end))
    });
    findings.dedup_by(|a, b| a.message == b.message && a.location == b.location);
    invalid.sort();
    invalid.dedup();
    (findings, invalid)
}

fn steps(location: &jsonschema::paths::Location) -> Vec<PathStep> {
    location
        .segments()
        .map(|s| match s {
            LocationSegment::Property(p) => PathStep::Key(p.into_owned()),
            LocationSegment::Index(i) => PathStep::Index(i),
        })
        .collect()
}

fn mark_invalid(path: &[PathStep], invalid: &mut Vec<(String, usize)>) {
    if let [PathStep::Key(kind), PathStep::Index(i), ..] = path {
        invalid.push((kind.clone(), *i));
    }
}

fn report(
    schema: Schema,
    doc: &Node,
    file: FileId,
    error: &jsonschema::ValidationError<'_>,
    findings: &mut Vec<Finding>,
    invalid: &mut Vec<(String, usize)>,
) {
    let path = steps(error.instance_path());
    mark_invalid(&path, invalid);
    if let ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } =
        error.kind()
    {
        // The branch written for the value's type says what is wrong: the bad item of a list, the empty list,
        // the misspelt level. Its errors are reported instead of "matches none of the forms".
        let fitting: Vec<_> = context
            .iter()
            .filter(|branch| {
                !branch.iter().any(|e| {
                    matches!(e.kind(), ValidationErrorKind::Type { .. })
                        && e.instance_path().segments().count() == path.len()
                })
            })
            .collect();
        if let [branch] = fitting.as_slice() {
            if !branch.is_empty() {
                for nested in branch.iter() {
                    report(schema, doc, file, nested, findings, invalid);
                }
                return;
            }
        }
    }
    let context = Context::new(schema, doc, &path);
    describe(&context, error.kind(), file, findings);
}

/// JSON has no dates, so the schema sees a TOML date as text (as editors' TOML tooling does). A date written
/// where text is expected (`rationale = 2026-03-31`) passes the schema; report it here, as a type error.
fn dates_where_text_belongs(
    schema: Schema,
    doc: &Node,
    file: FileId,
    findings: &mut Vec<Finding>,
    invalid: &mut Vec<(String, usize)>,
) {
    let root = schema_json(schema);
    let mut found = Vec::new();
    find_misplaced_dates(root, root, doc, &mut Vec::new(), &mut found);
    for path in found {
        let ctx = Context::new(schema, doc, &path);
        let span = ctx.node.span.clone();
        // A value the validator already reported (an id, a duration, an allowed word) is not reported twice.
        if findings
            .iter()
            .any(|f| f.location.as_ref().and_then(|l| l.span.as_ref()) == Some(&span))
        {
            continue;
        }
        mark_invalid(&path, invalid);
        let date = match &ctx.node.value {
            Value::Datetime(d) => d.clone(),
            _ => String::new(),
        };
        findings.push(
            Finding::new(
                &crate::load::rules::invalid_value::RULE,
                format!("{} must be a string; found a date", ctx.field_phrase()),
            )
            .at(file, span, "expected a string")
            .help(format!("quote it: \"{date}\"")),
        );
    }
}

/// Follow a local `$ref` (`#/definitions/x`).
fn resolve<'a>(root: &'a Json, mut schema: &'a Json) -> &'a Json {
    for _ in 0..8 {
        let Some(target) = schema.get("$ref").and_then(Json::as_str) else {
            break;
        };
        let Some(name) = target.strip_prefix("#/definitions/") else {
            break;
        };
        schema = &root["definitions"][name];
    }
    schema
}

/// The form a field's value takes, from the schema: what a suggested fix must write for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Text,
    Duration,
    Date,
    Boolean,
    Number,
    List,
}

/// The form of a model field's value (`None` for a field the kind does not have, or one of several forms).
pub fn field_shape(kind: &str, field: &str) -> Option<Shape> {
    let root = schema_json(Schema::Model);
    let property = kind_definition(kind)["properties"].get(field)?;
    let property = resolve(root, property);
    let pattern = property["pattern"].as_str().unwrap_or_default();
    Some(match property["type"].as_str()? {
        "boolean" => Shape::Boolean,
        "array" => Shape::List,
        "number" | "integer" => Shape::Number,
        "string" if pattern.contains("[mhdw]") => Shape::Duration,
        "string" if pattern.contains("[0-9]{4}") => Shape::Date,
        "string" => Shape::Text,
        _ => return None,
    })
}

/// A duration literal for what someone wrote as a duration: `2 days`, `48 hours`, `1 week 2 days`, `2d`. A number
/// without a unit is taken as days, the unit SLAs are most often counted in.
pub fn duration_literal(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut rest = text.trim().trim_matches(['"', '\'']);
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return None;
        }
        let (number, tail) = rest.split_at(digits);
        let tail = tail.trim_start();
        let letters = tail.len()
            - tail
                .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .len();
        let (word, tail) = tail.split_at(letters);
        let unit = match word.to_ascii_lowercase().as_str() {
            "" | "d" | "day" | "days" => 'd',
            "m" | "min" | "mins" | "minute" | "minutes" => 'm',
            "h" | "hr" | "hrs" | "hour" | "hours" => 'h',
            "w" | "wk" | "wks" | "week" | "weeks" => 'w',
            _ => return None,
        };
        out.push_str(number.trim_start_matches('0').max("0"));
        out.push(unit);
        rest = tail
            .trim_start()
            .trim_start_matches([',', '+'])
            .trim_start();
        rest = rest.strip_prefix("and ").unwrap_or(rest).trim_start();
    }
    (!out.is_empty()).then_some(out)
}

/// What to write for a bare word (`material = yes`, `approvers = ana`, `sla = 2days`) in a field of a kind: the
/// line as the field's form wants it. `None` when the schema does not know the field.
pub fn bare_word_fix(kind: &str, field: &str, word: &str) -> Option<String> {
    let fix = match field_shape(kind, field)? {
        Shape::Boolean => match crate::document::boolean_word(word) {
            Some(b) => format!(
                "a yes or no is written `true` or `false`, without quotes: write `{field} = {b}`"
            ),
            None => format!("`{field}` is `true` or `false`, without quotes"),
        },
        Shape::List => format!(
            "`{field}` is a list: write `{field} = [{}]`",
            crate::document::quoted(word)
        ),
        Shape::Duration => match duration_literal(word) {
            Some(d) => format!("a duration is written in quotes: write `{field} = \"{d}\"`"),
            None => DURATION_HELP.to_string(),
        },
        Shape::Text => format!(
            "text is written in quotes: write `{field} = {}`",
            crate::document::quoted(word)
        ),
        Shape::Date | Shape::Number => return None,
    };
    Some(fix)
}

const DURATION_HELP: &str = "write a duration as one or more <number><unit> groups, units m, h, d, w: \"30m\", \"4h\", \"2d\", \"1w2d\"";

fn accepts_type(schema: &Json, name: &str) -> bool {
    match &schema["type"] {
        Json::String(t) => t == name,
        Json::Array(types) => types.iter().any(|t| t == name),
        _ => false,
    }
}

/// Whether a date is at or under this node: a value or table without one needs no schema look-up (most entities
/// have no date at all).
fn may_hold_date(node: &Node) -> bool {
    match &node.value {
        Value::Datetime(_) => true,
        Value::Table(entries) => entries.iter().any(|e| may_hold_date(&e.node)),
        Value::Array(items) => items.iter().any(may_hold_date),
        _ => false,
    }
}

fn find_misplaced_dates(
    root: &Json,
    schema: &Json,
    node: &Node,
    path: &mut Vec<PathStep>,
    out: &mut Vec<Vec<PathStep>>,
) {
    if !may_hold_date(node) {
        return;
    }
    let schema = resolve(root, schema);
    let json_type = match &node.value {
        Value::Table(_) => "object",
        Value::Array(_) => "array",
        _ => "string",
    };
    // Of several forms (`anyOf`), follow the one written for this kind of value.
    let branches: Vec<&Json> = match schema.get("anyOf").and_then(Json::as_array) {
        Some(list) => list
            .iter()
            .map(|b| resolve(root, b))
            .filter(|b| accepts_type(b, json_type))
            .collect(),
        None => vec![schema],
    };
    match &node.value {
        Value::Table(entries) => {
            for branch in branches {
                for entry in entries.iter().filter(|e| may_hold_date(&e.node)) {
                    let sub = match branch["properties"].get(&entry.key) {
                        Some(sub) => sub,
                        None if branch["additionalProperties"].is_object() => {
                            &branch["additionalProperties"]
                        }
                        None => continue,
                    };
                    path.push(PathStep::Key(entry.key.clone()));
                    find_misplaced_dates(root, sub, &entry.node, path, out);
                    path.pop();
                }
            }
        }
        Value::Array(items) => {
            for branch in branches {
                if !branch["items"].is_object() {
                    continue;
                }
                for (i, item) in items.iter().enumerate() {
                    path.push(PathStep::Index(i));
                    find_misplaced_dates(root, &branch["items"], item, path, out);
                    path.pop();
                }
            }
        }
        Value::Datetime(_) => {
            let date = &root["definitions"]["date"];
            if !branches.iter().any(|b| std::ptr::eq(*b, date))
                && branches.iter().any(|b| accepts_type(b, "string"))
            {
                out.push(path.clone());
            }
        }
        _ => {}
    }
}

#[derive(Clone)]
enum PathStep {
    Key(String),
    Index(usize),
}

/// Where an error is: the node it names, and the entity (or manifest table) it belongs to.
struct Context<'a> {
    schema: Schema,
    /// The node the error is about.
    node: &'a Node,
    /// The key span when the node is a table's value.
    key_span: Option<Span>,
    /// The field name, when the node is a field of an entity or a table.
    field: Option<String>,
    /// The kind (model) or manifest table name, and the entity node.
    owner: Option<(String, &'a Node, usize)>,
    /// The number of path steps: 0 = the document itself.
    depth: usize,
    /// The first key of the path: the kind (model) or table (manifest) the error is under.
    top: Option<String>,
    /// Whether the node is an entry of a list field (`approvers = ["cfo", 42]`), not the field itself.
    in_list: bool,
}

impl<'a> Context<'a> {
    fn new(schema: Schema, doc: &'a Node, path: &[PathStep]) -> Context<'a> {
        let mut node = doc;
        let mut key_span = None;
        let mut field = None;
        let mut owner = None;
        for (depth, step) in path.iter().enumerate() {
            let next = match step {
                PathStep::Key(key) => node.entry(key).map(|e| (&e.node, Some(e.key_span.clone()))),
                PathStep::Index(i) => match &node.value {
                    Value::Array(items) => items.get(*i).map(|n| (n, None)),
                    Value::Table(_) => node
                        .entry(&i.to_string())
                        .map(|e| (&e.node, Some(e.key_span.clone()))),
                    _ => None,
                },
            };
            let Some((child, child_key)) = next else {
                break;
            };
            // Model: kind / index / field ...; manifest: table / field ...
            match (schema, depth, step) {
                (Schema::Model, 1, PathStep::Index(i)) => {
                    if let Some(PathStep::Key(kind)) = path.first() {
                        owner = Some((kind.clone(), child, *i));
                    }
                }
                (Schema::Model, 2, PathStep::Key(key))
                | (Schema::Manifest, 1, PathStep::Key(key)) => field = Some(key.clone()),
                (Schema::Manifest, 0, PathStep::Key(key)) => owner = Some((key.clone(), child, 0)),
                _ => {}
            }
            node = child;
            key_span = child_key;
        }
        Context {
            schema,
            node,
            key_span,
            field,
            owner,
            depth: path.len(),
            top: match path.first() {
                Some(PathStep::Key(key)) => Some(key.clone()),
                _ => None,
            },
            in_list: matches!(path.last(), Some(PathStep::Index(_)))
                && path.len() > if schema == Schema::Model { 3 } else { 2 },
        }
    }

    /// How the entity or table is named in messages: `decision "pricing-exceptions"`, `the [model] table`.
    fn subject(&self) -> String {
        match (&self.owner, self.schema) {
            (Some((kind, node, index)), Schema::Model) => entity_name(kind, node, *index),
            (Some((table, _, _)), Schema::Manifest) => format!("the [{table}] table"),
            (None, _) => "the file".into(),
        }
    }

    fn field_phrase(&self) -> String {
        match &self.field {
            Some(field) if self.in_list => format!("an entry of `{field}` of {}", self.subject()),
            Some(field) => format!("`{field}` of {}", self.subject()),
            None => self.subject(),
        }
    }
}

/// `decision "pricing-exceptions"`, or `the 3rd decision in this file` when it has no usable id.
pub fn entity_name(kind: &str, node: &Node, index: usize) -> String {
    entity_name_from(kind, node.get("id").and_then(Node::as_str), index)
}

/// [`entity_name`] from the entity's textual id, if it has one.
pub fn entity_name_from(kind: &str, id: Option<&str>, index: usize) -> String {
    // An id far too long to be one is not repeated in every message about the entity.
    match id.filter(|id| id.chars().count() <= 64) {
        Some(id) => format!("{kind} \"{id}\""),
        None => format!("the {} {kind} in this file", ordinal(index + 1)),
    }
}

fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn describe(ctx: &Context<'_>, kind: &ValidationErrorKind, file: FileId, out: &mut Vec<Finding>) {
    let value_span = ctx.node.span.clone();
    match kind {
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            for key in unexpected {
                let span = ctx
                    .node
                    .entry(key)
                    .map_or(value_span.clone(), |e| e.key_span.clone());
                out.push(unknown_key(ctx, key, file, span));
            }
        }
        ValidationErrorKind::Required { property } => {
            let property = property.as_str().unwrap_or_default();
            let span = header_span(ctx);
            let finding = if property == "allow_reason" {
                Finding::new(&crate::load::rules::missing_field::RULE, format!("{} has `allow` but no `allow_reason`", ctx.subject()))
                    .at(file, span, "`allow` needs a reason")
                    .help("add `allow_reason = \"...\"` saying why these rules do not apply here, so the next reader does not have to guess")
            } else {
                let mut finding = Finding::new(
                    &crate::load::rules::missing_field::RULE,
                    format!("{} has no {property}", ctx.subject()),
                )
                .at(file, span, format!("`{property}` is missing here"));
                let what = ctx
                    .owner
                    .as_ref()
                    .and_then(|(k, _, _)| field_description(ctx.schema, k, property));
                finding = finding.help(match what {
                    Some(d) => format!("add `{property} = ...`: {}", lower_first(d)),
                    None => format!("add `{property} = ...`"),
                });
                finding
            };
            out.push(finding);
        }
        ValidationErrorKind::Type { kind: expected } => {
            out.push(type_error(ctx, expected, file, value_span));
        }
        ValidationErrorKind::Enum { options } => {
            let allowed: Vec<String> = options
                .as_array()
                .map(|a| a.iter().map(show_json).collect())
                .unwrap_or_default();
            let found = show_node(ctx.node);
            let expected = match allowed.as_slice() {
                [only] => only.clone(),
                _ => format!("one of {}", allowed.join(", ")),
            };
            let mut finding = Finding::new(
                &crate::load::rules::invalid_value::RULE,
                format!("{} must be {expected}; found {found}", ctx.field_phrase()),
            )
            .at(file, value_span, "not an allowed value");
            if ctx.schema == Schema::Manifest && ctx.field.as_deref() == Some("version") {
                finding = finding.help(format!(
                    "this opmodel reads the format version {expected}: write `version = {expected}`, or use the opmodel release that reads version {found}"
                ));
            }
            let plain: Vec<String> = options
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            if let Some(text) = ctx.node.as_str() {
                if let Some(best) = did_you_mean(text, plain.iter().map(String::as_str)) {
                    finding = finding.help(format!("did you mean \"{best}\"?"));
                }
            }
            out.push(finding);
        }
        ValidationErrorKind::Pattern { pattern } => {
            out.push(pattern_error(ctx, pattern, file, value_span))
        }
        ValidationErrorKind::MinItems { .. } => out.push(
            Finding::new(
                &crate::load::rules::invalid_value::RULE,
                format!("{} is empty", ctx.field_phrase()),
            )
            .at(file, value_span, "empty list")
            .help(if is_required(ctx) {
                "list at least one entry: this field is required"
            } else {
                "list at least one entry, or remove the field"
            }),
        ),
        ValidationErrorKind::MinLength { .. } => out.push(
            Finding::new(
                &crate::load::rules::invalid_value::RULE,
                format!("{} is empty", ctx.field_phrase()),
            )
            .at(file, value_span, "empty text")
            .help("write the text, or remove the field"),
        ),
        ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. } => {
            let expected = match ctx.field.as_deref() {
                Some("email") => "an email address or a list of email addresses",
                _ if ctx.schema == Schema::Manifest => "a level (\"error\", \"warn\", \"info\" or \"off\") or a table with a level and the rule's parameters",
                _ => "a value of another form",
            };
            out.push(
                Finding::new(
                    &crate::load::rules::invalid_value::RULE,
                    format!(
                        "{} must be {expected}; found {}",
                        ctx.field_phrase(),
                        show_node(ctx.node)
                    ),
                )
                .at(file, value_span, format!("expected {expected}")),
            );
        }
        // The one `not` of the schema: `owner` on an area with `unowned = true`.
        ValidationErrorKind::Not { .. } => out.push(
            Finding::new(
                &crate::load::rules::invalid_value::RULE,
                format!("{} must be absent: the area is unowned", ctx.field_phrase()),
            )
            .at(file, value_span, "an unowned area has no owner")
            .help("remove `owner`, or remove `unowned = true` if someone owns the area"),
        ),
        other => out.push(
            Finding::new(
                &crate::load::rules::invalid_value::RULE,
                format!("{} is not valid: {}", ctx.field_phrase(), fallback(other)),
            )
            .at(file, value_span, "not valid"),
        ),
    }
}

/// Whether the field the error is about is one the entity (or table) must have.
fn is_required(ctx: &Context<'_>) -> bool {
    let (Some((kind, _, _)), Some(field)) = (&ctx.owner, &ctx.field) else {
        return false;
    };
    let json = schema_json(ctx.schema);
    let table = match ctx.schema {
        Schema::Model => kind_definition(kind),
        Schema::Manifest => &json["properties"][kind.as_str()],
    };
    table["required"]
        .as_array()
        .is_some_and(|r| r.iter().any(|f| f.as_str() == Some(field)))
}

fn fallback(kind: &ValidationErrorKind) -> String {
    match kind {
        ValidationErrorKind::Constant { expected_value } => {
            format!("it must be {}", show_json(expected_value))
        }
        ValidationErrorKind::Minimum { limit } => format!("it must be at least {limit}"),
        ValidationErrorKind::Maximum { limit } => format!("it must be at most {limit}"),
        _ => "it does not have the expected form".into(),
    }
}

fn header_span(ctx: &Context<'_>) -> Span {
    match (&ctx.owner, ctx.depth) {
        (Some((_, node, _)), _) if !node.span.is_empty() => node.span.clone(),
        _ => ctx.key_span.clone().unwrap_or(ctx.node.span.clone()),
    }
}

fn unknown_key(ctx: &Context<'_>, key: &str, file: FileId, span: Span) -> Finding {
    // At the top of a model file the keys are kinds; inside an entity they are fields.
    if ctx.depth == 0 {
        let (what, whats, candidates): (&str, &str, Vec<&str>) = match ctx.schema {
            Schema::Model => ("kind of entity", "kinds of entity", kinds::NAMES.to_vec()),
            Schema::Manifest => (
                "manifest table",
                "manifest tables",
                field_names(Schema::Manifest, ""),
            ),
        };
        let mut finding = Finding::new(
            &crate::load::rules::unknown_field::RULE,
            format!("`{key}` is not a {what}"),
        )
        .at(file, span.clone(), format!("unknown {what}"));
        let plural = kinds::KINDS
            .iter()
            .find(|k| k.plural == key)
            .filter(|_| ctx.schema == Schema::Model);
        if let Some(kind) = plural {
            let name = kind.name;
            return Finding::new(
                &crate::load::rules::unknown_field::RULE,
                format!("`{key}` is the plural: a header names one {name}, written `[[{name}]]`"),
            )
            .at(file, span, format!("write `{name}` here"))
            .help(format!(
                "write `[[{name}]]` above each {name}; the {key} under this header are not checked until then"
            ));
        }
        finding = finding.help(match did_you_mean(key, candidates.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("the {whats} are: {}", candidates.join(", ")),
        });
        return finding;
    }
    let kind = ctx
        .owner
        .as_ref()
        .map(|(k, _, _)| k.as_str())
        .unwrap_or_default();
    let fields = field_names(ctx.schema, kind);
    let mut finding = Finding::new(
        &crate::load::rules::unknown_field::RULE,
        format!("{} has an unknown field `{key}`", ctx.subject()),
    )
    .at(file, span, "unknown field");
    finding = finding.help(match did_you_mean(key, fields.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        // `person = [...]` written below a `[[team]]` header belongs to that team, as TOML reads it.
        None if ctx.schema == Schema::Model && kinds::find(key).is_some() => format!(
            "a key below a `[[{kind}]]` header belongs to that {kind}: write each {key} under its own `[[{key}]]` header, or move `{key} = [...]` above the first header of the file"
        ),
        None => format!("the fields of {} are: {}", article(kind, ctx.schema), fields.join(", ")),
    });
    finding
}

fn article(kind: &str, schema: Schema) -> String {
    match schema {
        Schema::Manifest => format!("[{kind}]"),
        Schema::Model => format!("a {kind}"),
    }
}

fn type_error(ctx: &Context<'_>, expected: &TypeKind, file: FileId, span: Span) -> Finding {
    let expected_words = match expected {
        TypeKind::Single(t) => json_type_words(&format!("{t}")),
        TypeKind::Multiple(set) => set
            .iter()
            .map(|t| json_type_words(&format!("{t}")))
            .collect::<Vec<_>>()
            .join(" or "),
    };
    // `[decision]` where `[[decision]]` is meant.
    if ctx.schema == Schema::Model && ctx.depth == 1 && expected_words == "an array" {
        let kind = ctx.top.clone().unwrap_or_else(|| "this kind".to_string());
        return Finding::new(
            &crate::load::rules::invalid_value::RULE,
            format!("`{kind}` must be an array of tables, written `[[{kind}]]`"),
        )
        .at(
            file,
            ctx.key_span.clone().unwrap_or(span),
            format!("found {}", ctx.node.type_name()),
        )
        .help(format!(
            "write each {kind} under its own `[[{kind}]]` header"
        ));
    }
    let mut finding = Finding::new(
        &crate::load::rules::invalid_value::RULE,
        format!(
            "{} must be {expected_words}; found {}",
            ctx.field_phrase(),
            ctx.node.type_name()
        ),
    )
    .at(file, span, format!("expected {expected_words}"));
    let shape = match (&ctx.owner, &ctx.field) {
        (Some((kind, _, _)), Some(field)) if ctx.schema == Schema::Model && !ctx.in_list => {
            field_shape(kind, field)
        }
        _ => None,
    };
    let field = ctx.field.as_deref().unwrap_or("value");
    if shape == Some(Shape::Duration) {
        // `sla = 2`: quoting the number gives "2", which is no duration either.
        let written = match &ctx.node.value {
            Value::Integer(n) => duration_literal(&n.to_string()),
            _ => None,
        };
        finding = finding.help(match written {
            Some(d) => format!("a duration is text with a unit: write `{field} = \"{d}\"` for {} days (\"h\" hours, \"w\" weeks)", d.trim_end_matches('d')),
            None => DURATION_HELP.to_string(),
        });
    } else if expected_words == "a string" {
        if let Value::Datetime(d) = &ctx.node.value {
            finding = finding.help(format!("quote it: \"{d}\""));
        } else if !matches!(ctx.node.value, Value::Table(_) | Value::Array(_)) {
            finding = finding.help("quote the value");
        }
    } else if expected_words == "an array" {
        if let Value::String(s) = &ctx.node.value {
            finding = finding.help(format!("write a list: [\"{s}\"]"));
        }
    } else if expected_words == "a boolean" {
        let word = match &ctx.node.value {
            Value::String(s) => crate::document::boolean_word(s.trim()),
            Value::Integer(1) => Some(true),
            Value::Integer(0) => Some(false),
            _ => None,
        };
        finding = finding.help(match word {
            Some(b) if ctx.field.is_some() => format!("write `{field} = {b}`, without quotes"),
            _ => "write true or false, without quotes".to_string(),
        });
    }
    finding
}

fn json_type_words(name: &str) -> String {
    match name {
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "a boolean (true or false)",
        "array" => "an array",
        "object" => "a table",
        "null" => "nothing",
        other => other,
    }
    .replace("a boolean (true or false)", "a boolean")
}

fn pattern_error(ctx: &Context<'_>, pattern: &str, file: FileId, span: Span) -> Finding {
    let found = show_node(ctx.node);
    let text = ctx.node.as_str().unwrap_or_default();
    if pattern.contains("[mhdw]") {
        let help = match (duration_literal(text), &ctx.field) {
            (Some(d), Some(field)) if !ctx.in_list => format!(
                "write `{field} = \"{d}\"`: a duration is a number and a unit (m, h, d or w), without spaces"
            ),
            _ => DURATION_HELP.to_string(),
        };
        return Finding::new(
            &crate::load::rules::invalid_value::RULE,
            format!("{} is not a duration: {found}", ctx.field_phrase()),
        )
        .at(file, span, "not a duration")
        .help(help);
    }
    if pattern.contains("[0-9]{4}") {
        let help = match &ctx.node.value {
            // A date with a time of day: the day is what matters.
            Value::Datetime(d)
                if d.len() > 10
                    && d.as_bytes()[..10].iter().filter(|b| **b == b'-').count() == 2 =>
            {
                format!("keep only the date, without the time: {}", &d[..10])
            }
            _ => "write a date as YYYY-MM-DD, without quotes: 2026-03-31".to_string(),
        };
        return Finding::new(
            &crate::load::rules::invalid_value::RULE,
            format!("{} is not a date: {found}", ctx.field_phrase()),
        )
        .at(file, span, "not a date")
        .help(help);
    }
    if pattern.contains('@') && pattern.contains("\\s") {
        return Finding::new(
            &crate::load::rules::invalid_value::RULE,
            format!("{} is not an email address: {found}", ctx.field_phrase()),
        )
        .at(file, span, "not an email address")
        .help("write an address such as \"ana@example.com\"");
    }
    if pattern.contains("{0,63}") {
        let is_id = ctx.field.as_deref() == Some("id") && ctx.depth == 3;
        let message = match (&ctx.owner, is_id) {
            // The entity is named by its id, which is the bad value: name it by its kind only.
            (Some((kind, _, _)), true) => format!("{found} is not a valid id for a {kind}"),
            _ => format!("{} is not a valid id: {found}", ctx.field_phrase()),
        };
        let mut finding = Finding::new(&crate::load::rules::invalid_value::RULE, message).at(
            file,
            span,
            "not a valid id",
        );
        let slug = slugify(text);
        let rule = "ids use lowercase letters, digits, '-', '_' and '.', start with a letter or digit, and have at most 64 characters";
        finding = finding.help(if !slug.is_empty() && slug != text {
            format!("{rule}: try \"{slug}\"")
        } else {
            rule.to_string()
        });
        return finding;
    }
    if pattern.contains("A-Za-z0-9](?:") {
        return Finding::new(
            &crate::load::rules::invalid_value::RULE,
            format!("{} is not a GitHub login: {found}", ctx.field_phrase()),
        )
        .at(file, span, "not a GitHub login")
        .help("write the login as it appears in the profile URL, such as \"ana-lopez\"");
    }
    Finding::new(
        &crate::load::rules::invalid_value::RULE,
        format!("{} has the wrong form: {found}", ctx.field_phrase()),
    )
    .at(file, span, "wrong form")
}

/// Whether `text` has the form of an id (the schema's `id` pattern): lowercase letters, digits, `-`, `_` and
/// `.`, starting with a letter or digit, at most 64 characters.
pub fn is_id(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        && text.len() <= 64
}

/// Turn free text into an id: `Pricing Exceptions` -> `pricing-exceptions`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    slug.chars().take(64).collect()
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

fn show_json(value: &Json) -> String {
    match value {
        Json::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    }
}

/// A value as written, shortened for messages.
pub fn show_node(node: &Node) -> String {
    let text = match &node.value {
        Value::String(s) => return show_text(s),
        Value::Integer(i) => i.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Datetime(d) => d.clone(),
        Value::Array(_) => "an array".into(),
        Value::Table(_) => "a table".into(),
    };
    shortened(text)
}

/// A text value as messages show it: quoted, and cut at 60 characters.
pub fn show_text(text: &str) -> String {
    shortened(format!("\"{text}\""))
}

fn shortened(text: String) -> String {
    if text.chars().count() > 60 {
        format!("{}…", text.chars().take(59).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_as_people_write_them_become_literals() {
        for (written, literal) in [
            ("2 days", Some("2d")),
            ("2days", Some("2d")),
            ("2", Some("2d")),
            ("48 hours", Some("48h")),
            ("1 week 2 days", Some("1w2d")),
            ("1 week and 2 days", Some("1w2d")),
            ("30 min", Some("30m")),
            ("2d", Some("2d")),
            ("soon", None),
            ("2 fortnights", None),
            ("", None),
        ] {
            assert_eq!(duration_literal(written).as_deref(), literal, "{written:?}");
        }
    }

    #[test]
    fn field_shapes_come_from_the_schema() {
        assert_eq!(field_shape("decision", "reversible"), Some(Shape::Boolean));
        assert_eq!(field_shape("decision", "approvers"), Some(Shape::List));
        assert_eq!(field_shape("decision", "sla"), Some(Shape::Duration));
        assert_eq!(field_shape("decision", "review_by"), Some(Shape::Date));
        assert_eq!(field_shape("decision", "owner"), Some(Shape::Text));
        assert_eq!(field_shape("decision", "nonsense"), None);
        assert_eq!(
            bare_word_fix("handoff", "sla", "3days").as_deref(),
            Some("a duration is written in quotes: write `sla = \"3d\"`")
        );
    }

    #[test]
    fn ids() {
        assert!(is_id("pricing-exceptions"));
        assert!(is_id("q3.revenue_2"));
        assert!(!is_id("Pricing Exceptions"));
        assert!(!is_id("-x"));
        assert!(!is_id(""));
        assert!(is_id(&"a".repeat(64)));
        assert!(!is_id(&"a".repeat(65)));
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Pricing Exceptions"), "pricing-exceptions");
        assert_eq!(slugify("  Q3 / Revenue!! "), "q3-revenue");
        assert_eq!(slugify("ok-id"), "ok-id");
    }

    #[test]
    fn ordinals() {
        assert_eq!(ordinal(1), "1st");
        assert_eq!(ordinal(2), "2nd");
        assert_eq!(ordinal(11), "11th");
        assert_eq!(ordinal(23), "23rd");
    }
}

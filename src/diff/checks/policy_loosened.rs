use serde_json::Value as Json;

use crate::diff::{
    strings, Change, DiffContext, Drift, DriftCheck, FieldChange, Op, MANIFEST_KIND,
};
use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "policy-loosened",
    level: Level::Error,
    default_off: false,
    group: Group::Drift,
    summary: "A change loosens the policy that judges changes: a rule's level, `allow`, ownership, approvals",
    docs: r#"## What it checks
`opmodel diff` compares the manifest at base and at head as one more entity (kind `manifest`, one field per
setting: `rules.NAME`, `ownership.ignore`, `approvals.trust`...) and reports every setting that makes the
gate weaker:

- a rule's level lowered or turned off in `[rules]` (`error` > `warn` > `info` > `off`; a rule not listed is
  at its default level);
- `[ownership].ignore` gains a pattern, or `[ownership].required` loses one;
- `[approvals].trailers` gains a trailer (the default is `["Approved-by"]`);
- `[approvals].trust` weakened (`platform` > `signatures` > `commits`, the default);

and, on any entity, an `allow` list that gains a rule.

Sign-off: for the manifest, the owner of the area that owns the manifest at base (none: the drift cannot be
signed off, name one with `paths = ["/opmodel.toml"]`); for `allow`, the entity's owners at base.

## Why it matters
`opmodel audit` judges a range by the policy at its base, so a pull request cannot lower the rules that judge
it. It can lower them for the next one: pull request 1 turns `unapproved-change` off, pull request 2 is then
judged by that base and passes. Loosening the policy is therefore itself a change that needs its owner.

## Example
At base:
```toml
# opmodel.toml
[rules]
unapproved-change = "error"
```
At head, `unapproved-change = "off"`: needs sign-off from the owner of the area that owns `opmodel.toml`.

## Use instead
Tighten freely (a higher level, a pattern out of `ignore`, a stronger `trust`): that needs no sign-off. When the
policy must loosen, let the owner of the manifest's area approve it. Levels of drift checks are read from
`opmodel.toml` at the base of the comparison.
"#,
    params: &[],
};

/// The drift check: its rule and whether the drift it reports needs the sign-off of the people it names.
pub const CHECK: DriftCheck = DriftCheck {
    rule: &RULE,
    needs_signoff: true,
    classify,
};

pub fn classify(ctx: &DiffContext<'_>, change: &Change, out: &mut Vec<Drift>) {
    if change.op != Op::Changed {
        return;
    }
    if change.kind != MANIFEST_KIND {
        if let Some(field) = change.field("allow") {
            let added = added(&field.old, &field.new, false);
            if !added.is_empty() {
                out.push(
                    Drift::new(
                        &RULE,
                        format!("{} now allows {}", change.name(), quoted(&added)),
                    )
                    .field("allow")
                    .signoff(ctx.owners_at_base(change.kind, &change.id)),
                );
            }
        }
        return;
    }
    let owner = ctx.manifest_owner_at_base();
    for field in &change.fields {
        if let Some(message) = loosened(field, &|name| ctx.rule(name)) {
            out.push(
                Drift::new(&RULE, format!("{}: {message}", change.name()))
                    .field(&field.field)
                    .signoff(owner),
            );
        }
    }
}

/// What a manifest setting's change loosens, in words; None when it does not.
fn loosened(
    field: &FieldChange,
    rule_named: &dyn Fn(&str) -> Option<&'static Rule>,
) -> Option<String> {
    let (old, new) = (&field.old, &field.new);
    if let Some(rule) = field.field.strip_prefix("rules.") {
        let default = rule_named(rule).map_or("off", |r| {
            if r.default_off {
                "off"
            } else {
                r.level.as_str()
            }
        });
        let before = level(old.as_ref()).unwrap_or(default);
        let after = level(new.as_ref()).unwrap_or(default);
        return (rank(after) < rank(before)).then(|| match after {
            "off" => format!("rule `{rule}` is turned off (it was {before})"),
            after => format!("rule `{rule}` is lowered from {before} to {after}"),
        });
    }
    match field.field.as_str() {
        "ownership.ignore" => {
            let added = added(old, new, false);
            (!added.is_empty()).then(|| {
                format!(
                    "[ownership].ignore now exempts {} from owners",
                    quoted(&added)
                )
            })
        }
        "ownership.required" => {
            let removed = added(new, old, false);
            (!removed.is_empty()).then(|| {
                format!(
                    "[ownership].required no longer requires an owner for {}",
                    quoted(&removed)
                )
            })
        }
        "approvals.trailers" => {
            let default = Some(Json::from(vec!["Approved-by"]));
            let old = old.clone().or_else(|| default.clone());
            let new = new.clone().or(default);
            let added = added(&old, &new, true);
            (!added.is_empty()).then(|| {
                format!(
                    "[approvals].trailers now also accepts {} as a sign-off",
                    quoted(&added)
                )
            })
        }
        "approvals.trust" => {
            let text = |v: &Option<Json>| {
                v.as_ref()
                    .and_then(Json::as_str)
                    .unwrap_or("commits")
                    .to_string()
            };
            let (before, after) = (text(old), text(new));
            (trust(&after) < trust(&before))
                .then(|| format!("[approvals].trust weakens from \"{before}\" to \"{after}\""))
        }
        _ => None,
    }
}

/// A rule's level as written: a string, or a table's `level`.
fn level(value: Option<&Json>) -> Option<&str> {
    match value? {
        Json::String(s) => Some(s),
        Json::Object(table) => table.get("level").and_then(Json::as_str),
        _ => None,
    }
}

fn rank(level: &str) -> u8 {
    match level {
        "error" => 3,
        "warn" => 2,
        "info" => 1,
        _ => 0,
    }
}

/// How much a trust mode verifies: `platform` > `signatures` > `commits` (an unknown mode counts as the least).
fn trust(mode: &str) -> u8 {
    match mode {
        "platform" => 2,
        "signatures" => 1,
        _ => 0,
    }
}

/// The strings of `new` that `old` lacks (case-insensitively for trailers), in `new`'s order.
fn added(old: &Option<Json>, new: &Option<Json>, any_case: bool) -> Vec<String> {
    let before = strings(old.as_ref());
    strings(new.as_ref())
        .into_iter()
        .filter(|item| {
            !before
                .iter()
                .any(|b| b == item || (any_case && b.eq_ignore_ascii_case(item)))
        })
        .map(String::from)
        .collect()
}

/// `"a"`, `"a", "b"`.
fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("\"{i}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change(field: &str, old: Option<Json>, new: Option<Json>) -> FieldChange {
        FieldChange {
            field: field.into(),
            old,
            new,
            base: None,
            head: None,
        }
    }

    #[test]
    fn trust_weakens_from_platform_to_signatures_to_commits() {
        let trust = |old: Option<&str>, new: Option<&str>| {
            loosened(
                &change("approvals.trust", old.map(Json::from), new.map(Json::from)),
                &|_| None,
            )
        };
        assert_eq!(
            trust(Some("platform"), Some("signatures")).as_deref(),
            Some("[approvals].trust weakens from \"platform\" to \"signatures\"")
        );
        assert!(
            trust(Some("signatures"), None).is_some(),
            "absent is commits"
        );
        assert!(trust(None, Some("platform")).is_none());
        assert!(trust(Some("commits"), Some("signatures")).is_none());
    }

    #[test]
    fn a_rule_table_without_level_keeps_the_default() {
        let rule = |old: Json, new: Json| {
            loosened(
                &change("rules.unapproved-change", Some(old), Some(new)),
                &|_| Some(&crate::audit::rules::unapproved_change::RULE),
            )
        };
        assert!(rule(json!("error"), json!({"level": "warn"})).is_some());
        assert!(
            rule(json!("warn"), json!({})).is_none(),
            "back to the default, error"
        );
        assert!(rule(json!({"level": "error"}), json!("off")).is_some());
    }
}

//! Rule documentation, generated from the rule declarations: `opmodel rules`, `opmodel explain` and
//! `docs/rules.md` all come from here, so code and docs cannot drift.

use serde::Serialize;

use crate::catalog;
use crate::rules::{Group, Rule};

/// `opmodel rules`: one line per rule, grouped.
pub fn rules_table() -> String {
    let mut out = String::new();
    let width = catalog::all()
        .iter()
        .map(|r| r.name.len())
        .max()
        .unwrap_or(10);
    let mut group: Option<Group> = None;
    for rule in catalog::all() {
        if group != Some(rule.group) {
            if group.is_some() {
                out.push('\n');
            }
            out.push_str(&format!("{}:\n", rule.group.title()));
            group = Some(rule.group);
        }
        out.push_str(&format!(
            "  {:width$}  {:5}  {}\n",
            rule.name,
            level_word(rule),
            rule.summary
        ));
    }
    out.push_str("\n`opmodel explain RULE` prints a rule's documentation.\n");
    out
}

fn level_word(rule: &Rule) -> &'static str {
    if rule.default_off {
        "off"
    } else {
        rule.level.as_str()
    }
}

#[derive(Serialize)]
struct JsonRule {
    name: &'static str,
    level: &'static str,
    group: &'static str,
    configurable: bool,
    summary: &'static str,
    params: Vec<JsonParam>,
    docs: &'static str,
}

#[derive(Serialize)]
struct JsonParam {
    name: &'static str,
    default: &'static str,
    description: &'static str,
}

/// `opmodel rules --format json`.
pub fn rules_json() -> String {
    let list: Vec<JsonRule> = catalog::all()
        .iter()
        .map(|r| JsonRule {
            name: r.name,
            level: level_word(r),
            group: r.group.as_str(),
            configurable: r.group.configurable(),
            summary: r.summary,
            params: r
                .params
                .iter()
                .map(|p| JsonParam {
                    name: p.name,
                    default: p.default,
                    description: p.description,
                })
                .collect(),
            docs: r.docs,
        })
        .collect();
    #[derive(Serialize)]
    struct Document {
        version: u32,
        rules: Vec<JsonRule>,
    }
    let mut out = serde_json::to_string_pretty(&Document {
        version: 1,
        rules: list,
    })
    .unwrap_or_default();
    out.push('\n');
    out
}

/// `opmodel explain RULE`: the rule's page.
pub fn explain(rule: &Rule) -> String {
    let mut out = format!("# {}\n\n{}.\n\n", rule.name, rule.summary);
    out.push_str(&format!(
        "Default level: {}. Group: {}.{}\n\n",
        level_word(rule),
        rule.group.title().to_lowercase(),
        if rule.group.configurable() {
            " Configurable in [rules]."
        } else {
            " Always on."
        }
    ));
    if !rule.params.is_empty() {
        out.push_str("Parameters:\n");
        for p in rule.params {
            out.push_str(&format!(
                "- `{}` (default {}): {}\n",
                p.name, p.default, p.description
            ));
        }
        out.push('\n');
    }
    out.push_str(rule.docs.trim_end());
    out.push('\n');
    out
}

/// `docs/rules.md`, generated.
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Rules\n\n<!-- Generated from the rule declarations (src/rules/, src/diff/checks/, src/audit/rules/) by `cargo test` (tests/docs.rs); do not edit by hand. -->\n\n\
         Every finding opmodel reports comes from one of these rules. Set a rule's level in the manifest's\n\
         `[rules]` table (`error`, `warn`, `info` or `off`), or with `--deny`, `--warn` and `--allow` on the\n\
         command line; an entity's `allow` list skips named rules for that entity (with `allow_reason`).\n\n\
         | rule | default | summary |\n| --- | --- | --- |\n",
    );
    for rule in catalog::all() {
        out.push_str(&format!(
            "| [`{}`](#{}) | {} | {} |\n",
            rule.name,
            rule.name,
            level_word(rule),
            rule.summary
        ));
    }
    let mut group: Option<Group> = None;
    for rule in catalog::all() {
        if group != Some(rule.group) {
            out.push_str(&format!("\n# {}\n", rule.group.title()));
            group = Some(rule.group);
        }
        let page =
            explain(rule).replacen(&format!("# {}", rule.name), &format!("## {}", rule.name), 1);
        // Rule sections become level-3 headings under the rule's own heading.
        out.push('\n');
        out.push_str(&page.replace("\n## ", "\n### "));
    }
    out
}

use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "id-conflict",
    level: Level::Error,
    default_off: false,
    group: Group::Model,
    summary: "A person and a team share an id",
    docs: r#"## What it checks
People and teams share one namespace, because fields such as `consulted`, `informed` and `attendees`
accept either. A person and a team with the same id are reported, both labelled.

## Why it matters
`consulted = ["design"]` must mean one thing: the design team, or the person whose id is `design`.

## Example
```toml
[[person]]
id = "design"
name = "Dee Sign"
email = "dee@example.com"

[[team]]
id = "design"
name = "Design"
lead = "dee"
```

## Use instead
Give the person a personal id (`dee`).
"#,
    params: &[],
};

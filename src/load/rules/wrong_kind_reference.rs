use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "wrong-kind-reference",
    level: Level::Error,
    default_off: false,
    group: Group::Model,
    summary: "A reference names an entity of the wrong kind, such as a team as an owner",
    docs: r#"## What it checks
That each reference names the kind its field accepts: an `owner` is a person, a handoff goes `from` and
`to` teams, a priority's `metrics` are metrics. When a team is named where a person is needed, the help
names the team's lead.

## Why it matters
"The committee owns it" is how ownership dissolves. Every owner is one person; a team is never an owner.

## Example
```toml
[[decision]]
id = "refund-policy"
title = "Refunds above the standard policy"
owner = "payments"   # a team
reversible = true
```

## Use instead
```toml
owner = "ravi"       # the payments team's lead
```
"#,
    params: &[],
};

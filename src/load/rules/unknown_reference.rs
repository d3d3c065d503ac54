use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "unknown-reference",
    level: Level::Error,
    default_off: false,
    group: Group::Model,
    summary: "A reference names an id that no entity has",
    docs: r#"## What it checks
Every field that names another entity (`owner`, `approvers`, `lead`, `members`, `from`, `to`, `serves`,
`metrics`, `reviews`, ...) names an id that exists, of a kind the field accepts. A close match gets a
did-you-mean.

## Why it matters
A dangling reference is an owner who does not exist: the decision looks owned and is not.

## Example
```toml
[[decision]]
id = "pricing-exceptions"
title = "Approve a non-standard price"
owner = "anna"      # the person's id is "ana"
reversible = true
```

## Use instead
```toml
owner = "ana"
```
"#,
    params: &[],
};

use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "missing-field",
    level: Level::Error,
    default_off: false,
    group: Group::Schema,
    summary: "An entity lacks a required field, or has `allow` without `allow_reason`",
    docs: r#"## What it checks
The required fields of each kind (in bold in the format reference): for example a decision's `owner` and
`reversible`, a team's `lead`, a handoff's `from`, `to` and `owner`. Also that an `allow` list comes with
an `allow_reason`.

## Why it matters
The required fields are the ones execution depends on: a decision nobody owns is a decision nobody makes,
and whether it can be undone must be said, never assumed.

## Example
```toml
[[decision]]
id = "pricing-exceptions"
title = "Approve a non-standard price"
reversible = false
```

## Use instead
```toml
[[decision]]
id = "pricing-exceptions"
title = "Approve a non-standard price"
owner = "ana"
reversible = false
approvers = ["cfo"]
```
"#,
    params: &[],
};

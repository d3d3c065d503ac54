use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "unknown-field",
    level: Level::Error,
    default_off: false,
    group: Group::Schema,
    summary: "A field, kind or manifest table that the format does not know",
    docs: r#"## What it checks
Every key against the schema: the kinds of entity at the top of a model file, the fields of each entity,
and the tables and keys of the manifest. A misspelt key gets a did-you-mean.

## Why it matters
A misspelt field is silently ignored by anything that reads the model loosely: `ownr = "ana"` leaves the
decision without an owner while looking owned to a reader.

## Example
```toml
[[decision]]
id = "pricing-exceptions"
title = "Approve a non-standard price"
ownr = "ana"
reversible = false
```

## Use instead
```toml
[[decision]]
id = "pricing-exceptions"
title = "Approve a non-standard price"
owner = "ana"
reversible = false
```
"#,
    params: &[],
};

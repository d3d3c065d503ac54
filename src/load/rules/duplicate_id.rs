use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "duplicate-id",
    level: Level::Error,
    default_off: false,
    group: Group::Model,
    summary: "Two entities of the same kind share an id",
    docs: r#"## What it checks
That ids are unique within their kind, across all files. Both definitions are labelled.

## Why it matters
A reference to a duplicated id is ambiguous: two decisions called `pricing-exceptions` with different
owners leave nobody sure who decides.

## Example
```toml
# ops/sales.toml
[[decision]]
id = "pricing-exceptions"
owner = "ana"
# ...

# ops/finance.toml
[[decision]]
id = "pricing-exceptions"
owner = "cfo"
# ...
```

## Use instead
Keep one definition, or give each its own id (`pricing-exceptions-enterprise`).
"#,
    params: &[],
};

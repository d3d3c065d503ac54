use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "invalid-value",
    level: Level::Error,
    default_off: false,
    group: Group::Schema,
    summary: "A value of the wrong type or form: not an id, a duration, a date or an allowed word",
    docs: r#"## What it checks
Each value against the schema: its type (text, number, true/false, list, date), ids (lowercase letters,
digits, `-`, `_`, `.`, at most 64 characters), durations (`30m`, `4h`, `2d`, `1w2d`), dates (`2026-03-31`),
the allowed words of fields such as `status` or `cadence`, and that each kind is written as an array of
tables (`[[decision]]`, not `[decision]`).

## Why it matters
Tools and people read these values the same way only if they have one form: "2 days", "48h" and "two
business days" cannot be compared, so an SLA in free text cannot be checked.

## Example
```toml
[[decision]]
id = "Pricing Exceptions"
title = "Approve a non-standard price"
owner = "ana"
reversible = "no"
sla = "2 days"
```

## Use instead
```toml
[[decision]]
id = "pricing-exceptions"
title = "Approve a non-standard price"
owner = "ana"
reversible = false
sla = "2d"
```
"#,
    params: &[],
};

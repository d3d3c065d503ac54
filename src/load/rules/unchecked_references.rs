use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "unchecked-references",
    level: Level::Info,
    default_off: false,
    group: Group::Load,
    summary: "References into a model file that did not load could not be checked",
    docs: r#"## What it checks
When a model file does not parse (or cannot be read), its entities are unknown, not missing: a reference to
an id that the file appears to define is not reported as an `unknown-reference` error. One note per file says
how many references wait for it. References to ids that no file defines are still reported, without the
advice to add the entity (it may be in the file that did not parse).

## Why it matters
One missing quote in `people.toml` would otherwise turn every owner in the model into a dangling reference,
each with the advice to add that person again: dozens of errors that hide the one real mistake, and a fix that
creates duplicates.

## Example
```text
# ops/people.toml
[[person]]
id = "ana"
name = "Ana Lopez
email = "ana@example.com"
```

## Use instead
```toml
# ops/people.toml
[[person]]
id = "ana"
name = "Ana Lopez"
email = "ana@example.com"
```
"#,
    params: &[],
};

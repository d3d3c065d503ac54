use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "empty-file",
    level: Level::Info,
    default_off: false,
    group: Group::Load,
    summary: "A model file holds no entities",
    docs: r#"## What it checks
A model file that is empty, or holds only comments or tables that are not entities.

## Why it matters
Usually harmless, but often a sign of a file that lost its content in a merge, or entities written under
the wrong header (`[decision]` instead of `[[decision]]` is reported separately).

## Example
```toml
# decisions for the support team: to do
```

## Use instead
Add the entities, or delete the file.
"#,
    params: &[],
};

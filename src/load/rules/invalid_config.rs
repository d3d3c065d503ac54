use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "invalid-config",
    level: Level::Error,
    default_off: false,
    group: Group::Model,
    summary:
        "The manifest names an unknown rule or parameter, or holds a pattern that cannot match",
    docs: r#"## What it checks
The manifest's `[rules]` table (rule names, levels and parameters, with a did-you-mean for misspelt
names), its `include`/`exclude` globs, its `[ownership]` patterns, and the `paths` patterns of every area.

## Why it matters
A misspelt rule name in `[rules]` silently leaves the rule at its default; a glob that cannot match
silently checks nothing.

## Example
```toml
[rules]
decision-concentraton = "warn"
```

## Use instead
```toml
[rules]
decision-concentration = "warn"
```
"#,
    params: &[],
};

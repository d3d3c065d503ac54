use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "toml-syntax",
    level: Level::Error,
    default_off: false,
    group: Group::Load,
    summary: "A model file or the manifest is not valid TOML",
    docs: r#"## What it checks
That every model file, and the manifest, is valid TOML. The diagnostic points at the exact place the
parser stopped understanding the file. Each broken place is one finding: a list or inline table left open
is reported once, where the parser first trips over it, not once for every line after it. The other files
are still read and checked in the same run.

## Why it matters
A file that does not parse says nothing: every person, decision and handoff in it is invisible to every
other check, so references to them would look dangling.

## Example
```text
[[decision]]
id = "pricing-exceptions"
title = "Approve a non-standard price
```

## Use instead
```toml
[[decision]]
id = "pricing-exceptions"
title = "Approve a non-standard price"
```
"#,
    params: &[],
};

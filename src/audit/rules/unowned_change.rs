use crate::finding::Level;
use crate::finding::{Group, Rule};

/// Reported by `opmodel audit` (src/audit/), not by `check`: it judges commits, not the model.
pub const RULE: Rule = Rule {
    name: "unowned-change",
    level: Level::Error,
    default_off: false,
    group: Group::Audit,
    summary: "A commit in the audited range changes a path that needs an owner and has none",
    docs: r#"## What it checks
`opmodel audit` walks the commits of a range (`BASE..HEAD`). For every path a commit adds, changes or
deletes (compared with its first parent; a rename is a deletion and an addition), it asks the model **at
BASE** who owns the path. This rule reports a changed path that `[ownership].required` covers,
`[ownership].ignore` does not, and no `[[area]]` owns. A new model entity in a model file that no area owns
is reported the same way. The finding names the commit (short id, subject, author) and points at the
`required` pattern in the manifest at BASE.

## Why it matters
`unowned-path` says that a path has no owner; this rule says that someone changed it anyway. Nobody
answered for the change when it was made, and nobody will answer for it when it breaks. It is the moment
the gap costs something, which makes it the moment to close it.

## Example
```toml
# opmodel.toml at the base of the range
[ownership]
required = ["**"]
ignore = ["*.md"]
```

```toml
# ops/areas.toml at the base of the range: nothing owns infra/
[[area]]
id = "billing"
title = "Billing"
owner = "ana"
paths = ["/src/billing/"]
```

A commit in the range changes `infra/deploy.sh`.

## Use instead
Give the path an owner before the change, or say that it needs none:

```toml
[[area]]
id = "infrastructure"
title = "Infrastructure"
owner = "raj"
paths = ["/infra/"]
```

Ownership is read from the base of the range, so the area must be on the base branch first: merge the
ownership change on its own, then rebase the change onto it.
"#,
    params: &[],
};

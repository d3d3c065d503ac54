use crate::finding::{Finding, Group, Level, Param, Rule};

use super::{share, Context};

/// Reported by `opmodel activity` (src/activity/): it reads history, not the model alone.
pub const RULE: Rule = Rule {
    name: "unowned-hotspot",
    level: Level::Warn,
    default_off: false,
    group: Group::Activity,
    summary:
        "Paths that need an owner and have none were changed often: each with a suggested owner",
    docs: r#"## What it checks
Over the window of `opmodel activity`, the changed paths that `[ownership].required` covers, that
`[ownership].ignore` does not exempt and that no `[[area]]` owns in the model at the window's end, grouped by
folder (`scripts/`; a file at the root stands for itself). Each folder changed at least `min_changes` times
(default 3) is reported, most changed first, with the person who changed it most as the suggested owner
and their share.

## Why it matters
`unowned-path` says a path has no owner; this rule says which of those gaps cost something now. A folder
that changes every week and that nobody answers for is where the next incident has nobody to call. The
history already says who knows it best.

## Example
```toml
# opmodel.toml
[ownership]
required = ["**"]
```

No area owns `scripts/`, and 11 commits in the window changed it, 8 of them by Tom.

## Use instead
Give the folder an owner, usually the suggested one:

```toml
[[area]]
id = "release-scripts"
title = "Release scripts"
owner = "tom-lindqvist"
paths = ["/scripts/"]
```

or, if it needs none, add it to `[ownership].ignore`.
"#,
    params: &[Param {
        name: "min_changes",
        default: "3",
        description: "the fewest changes in the window for an unowned folder to be a hotspot",
    }],
};

pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let min = ctx.param(&RULE, "min_changes", 3.0);
    for (folder, t) in ctx.tally.ranked_unowned() {
        if (t.changes as f64) < min {
            continue;
        }
        let Some((who, n)) = t.top() else { continue };
        let name = ctx.end.name(who);
        let mut finding = Finding::new(
            &RULE,
            format!(
                "{folder} needs an owner and has none, and it changed {} times in the window; suggested owner: \
                 {name}, who made {}",
                t.changes,
                share(n, t.changes)
            ),
        );
        let required = ctx.tally.required_by.get(folder).copied().unwrap_or(0);
        if let Some((file, span)) = ctx.end.ownership.manifest_span(true, required) {
            finding = finding.at(
                file,
                span,
                "`[ownership].required` covers it, and no area owns it",
            );
        }
        let suggestion = match who.person() {
            Some(id) => format!("an area with `owner = \"{id}\"` and `paths = [\"/{folder}\"]`"),
            None => format!("an area with `paths = [\"/{folder}\"]` and an owner"),
        };
        out.push(finding.help(format!(
            "give it an owner: {suggestion}; or add it to `[ownership].ignore` if it needs none"
        )));
    }
}

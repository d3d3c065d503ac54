use super::{Context, Group, ModelCheck, Rule};
use crate::finding::{Finding, Level};

pub const RULE: Rule = Rule {
    name: "empty-area",
    level: Level::Warn,
    default_off: false,
    group: Group::Ownership,
    summary: "An area whose path patterns match no file",
    docs: r#"## What it checks
Areas that list `paths`, none of which matches a file git tracks. Usually a folder that was renamed or
deleted, or a pattern with a typo. Areas without `paths` (outcome-only areas) are not checked. Outside a git
repository this rule does not run.

## Why it matters
The area's owner believes they own code that no longer exists, and the code that moved is owned by someone
else, or by nobody.

## Example
```toml
[[area]]
id = "growth-experiments"
title = "Growth experiments"
owner = "lena"
paths = ["/experiments/"]    # the folder is now /growth/
```

## Use instead
```toml
paths = ["/growth/"]
```
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(paths) = ctx.paths else { return };
    for coverage in ctx.ownership.coverage(paths) {
        if coverage.matched > 0 {
            continue;
        }
        let area = &ctx.model.areas[coverage.area];
        out.push(
            Finding::new(
                &crate::rules::empty_area::RULE,
                format!("area \"{}\" matches no file: none of its paths exists in the repository", area.id),
            )
            .at(area.loc.file, area.loc.value("paths"), "matches no tracked file")
            .help("correct the patterns to the folders the area owns now, or remove `paths` if the area owns an outcome, not files")
            .about("area", area.id.clone()),
        );
    }
}

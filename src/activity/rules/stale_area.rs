use crate::finding::{Finding, Group, Level, Rule};

use super::Context;

/// Reported by `opmodel activity` (src/activity/): it reads history, not the model alone.
pub const RULE: Rule = Rule {
    name: "stale-area",
    level: Level::Info,
    default_off: false,
    group: Group::Activity,
    summary: "An area that owns paths had no change in the window",
    docs: r#"## What it checks
Over the window of `opmodel activity`, every `[[area]]` with `paths`: whether any commit of the window
changed a path the area owns (in the model at the window's end). An area without `paths` owns an outcome,
not files, and is not reported.

## Why it matters
An area nobody has touched for a quarter may be finished, folded into another one, or forgotten. Each area
is a line of accountability someone carries; one that carries nothing dilutes the ones that matter, and an
owner listed for dead code is an owner who will be paged for it.

## Example
```toml
[[area]]
id = "people-handbook"
title = "Employee handbook"
owner = "hannah-cho"
paths = ["/docs/handbook.txt"]
```

Nobody changed `docs/handbook.txt` in the last 90 days.

## Use instead
If the area is done or absorbed, retire it: merge its paths into the area that now owns the work and
remove it. If it is simply stable, keep it and allow the finding on it (`allow = ["stale-area"]` on the
area), or widen the window (`--since`).
"#,
    params: &[],
};

pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for (i, area) in ctx.end.model.areas.iter().enumerate() {
        if area.paths.is_empty() || ctx.tally.areas[i].changes > 0 {
            continue;
        }
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "area \"{}\" had no change in the window ({})",
                    area.id, ctx.window
                ),
            )
            .at(area.loc.file, area.loc.value("paths"), "nothing here changed")
            .help("retire or merge the area if its work is done or lives elsewhere; allow the finding if it is just stable")
            .about("area", area.id.clone()),
        );
    }
}

use crate::finding::{Finding, Group, Level, Param, Rule};

use super::Context;

/// Reported by `opmodel activity` (src/activity/): it reads history, not the model alone.
pub const RULE: Rule = Rule {
    name: "single-contributor",
    level: Level::Info,
    default_off: false,
    group: Group::Activity,
    summary: "Every change to an area in the window came from one person: a bus factor of one",
    docs: r#"## What it checks
Over the window of `opmodel activity`, for each `[[area]]` changed at least `min_changes` times (default 3):
whether all of those changes were made by one person (matched by email, GitHub noreply address or
`.mailmap`; an author the model does not name counts by their email).

## Why it matters
Only one person knows how the area works now. When they are on leave, leave the company, or are simply busy,
the area stops, and nobody else can say how it was meant to work.

## Example
Over 90 days, all 7 changes to `/tests/` were made by Owen, the owner; nobody else on the quality team
touched them.

## Use instead
Share the work: pair, rotate reviews, let someone else on the team make the next changes. Nothing in the
model changes; raise `min_changes` in `[rules]` if small areas are expected to have one hand on them
(`single-contributor = { level = "info", min_changes = 10 }`), or turn the rule off.
"#,
    params: &[Param {
        name: "min_changes",
        default: "3",
        description: "the fewest changes in the window for one contributor to matter",
    }],
};

pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let min = ctx.param(&RULE, "min_changes", 3.0);
    for (i, area) in ctx.end.model.areas.iter().enumerate() {
        let t = &ctx.tally.areas[i];
        let Some((who, n)) = t.top() else { continue };
        if t.by.len() != 1 || (n as f64) < min {
            continue;
        }
        let name = ctx.end.name(who);
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "area \"{}\": all {n} changes in the window came from one person, {name}",
                    area.id
                ),
            )
            .at(
                area.loc.file,
                area.loc.value("id"),
                "one contributor in the window",
            )
            .help(
                "share the work so that someone else can change the area too: pair, rotate reviews",
            )
            .about("area", area.id.clone()),
        );
    }
}

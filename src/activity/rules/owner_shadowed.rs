use crate::activity::Contributor;
use crate::finding::{Finding, Group, Level, Param, Rule};

use super::{share, Context};

/// Reported by `opmodel activity` (src/activity/): it reads history, not the model alone.
pub const RULE: Rule = Rule {
    name: "owner-shadowed",
    level: Level::Warn,
    default_off: false,
    group: Group::Activity,
    summary: "One person outside an area's owner and team made most of its changes: its de-facto owner",
    docs: r#"## What it checks
Over the window of `opmodel activity`, for each `[[area]]` changed at least `min_changes` times (default
5): whether one person who is neither the area's `owner` nor in its `team` (the team's `lead`, `members`,
and the people whose `team` it is) made more than `max_share` of its changes (default 0.6, that is 60%).
The finding names that person, the de-facto owner, with their share. An author the model does not name
counts as outside the team.

## Why it matters
Work flows where the model says it does not: the person who really keeps the area running is not the one
who answers for it, and the team that owns it is not the one that knows it. Decisions about the area go to
the wrong person, and the real owner's load is invisible in every plan.

## Example
```toml
[[area]]
id = "support-playbooks"
title = "Support playbooks"
owner = "ahmed-yilmaz"
team = "support"
paths = ["/docs/support/"]
```

Over the window, Elena from the platform team made 9 of the 12 changes to `docs/support/`.

## Use instead
Make the model say what is true: give the area to the person who does the work, or move them into the
area's team; or, if the work belongs with the owner, hand it back. Tune the thresholds in `[rules]`:
`owner-shadowed = { level = "warn", max_share = 0.75, min_changes = 10 }`.
"#,
    params: &[
        Param {
            name: "max_share",
            default: "0.6",
            description: "the largest share of an area's changes one person outside its owner and team may make",
        },
        Param {
            name: "min_changes",
            default: "5",
            description: "the fewest changes in the window for a share to mean something",
        },
    ],
};

pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let max_share = ctx.param(&RULE, "max_share", 0.6);
    let min = ctx.param(&RULE, "min_changes", 5.0);
    for (i, area, t) in ctx.owned_areas() {
        if (t.changes as f64) < min {
            continue;
        }
        let outside = |who: &Contributor| match who {
            Contributor::Person(id) => {
                id != &area.owner && !ctx.end.members[i].contains(id.as_str())
            }
            Contributor::Unknown(_) => true,
        };
        let mut top: Option<(&Contributor, usize)> = None;
        for (who, n) in t.by.iter().filter(|(w, _)| outside(w)) {
            if top.is_none_or(|(_, b)| *n > b) {
                top = Some((who, *n));
            }
        }
        let Some((who, n)) = top else { continue };
        if (n as f64) <= max_share * t.changes as f64 {
            continue;
        }
        let name = ctx.end.name(who);
        let owner = ctx.end.model.who(&area.owner);
        let outside = match area.team.as_deref() {
            Some(team) => format!("outside its owner and its team ({team})"),
            None => "who is not its owner".to_string(),
        };
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "area \"{}\" is in fact run by {name}, {outside}: {} of its changes in the window; its owner \
                     is {owner}",
                    area.id,
                    share(n, t.changes)
                ),
            )
            .at(area.loc.file, area.loc.value("owner"), "the owner on paper")
            .help(format!(
                "make the model true: give the area to {name}, or bring {name} into its team; or hand the work \
                 back to {owner}"
            ))
            .about("area", area.id.clone()),
        );
    }
}

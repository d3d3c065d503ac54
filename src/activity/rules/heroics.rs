use std::collections::BTreeMap;

use crate::finding::{Finding, Group, Level, Param, Rule};

use super::Context;

/// Reported by `opmodel activity` (src/activity/): it reads history, not the model alone.
pub const RULE: Rule = Rule {
    name: "heroics",
    level: Level::Warn,
    default_off: false,
    group: Group::Activity,
    summary: "A person changed many areas they neither own nor belong to",
    docs: r#"## What it checks
Over the window of `opmodel activity`, for each person of the model: the areas whose paths they changed
although they are neither the area's `owner` nor in its `team` (the team's `lead`, `members`, and the
people whose `team` it is); areas marked `unowned` do not count. When there are more than `max_areas` of them (K, default 3), the finding names
the person and lists those areas with the person's changes in each.

## Why it matters
A founder or an executive who keeps "jumping in" everywhere is a warning sign boards miss: the teams that
own those areas learn that decisions are made over their heads, the person becomes the bottleneck the
company cannot scale past, and the model's owners stop being the people who decide.

## Example
Over 90 days, the CEO committed to `src/billing/`, `docs/pricing/`, `docs/support/` and `infra/`, owned by
four different teams, none of which the CEO is in.

## Use instead
Route the work through the owners: file it with the owning team, or pair with its owner, and let the owner
make or approve the change. If the person really runs those areas, make the model say so. Tune K in
`[rules]`: `heroics = { level = "warn", max_areas = 5 }`.
"#,
    params: &[Param {
        name: "max_areas",
        default: "3",
        description:
            "K: the most areas a person may change without owning them or being in their team",
    }],
};

pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let max_areas = ctx.param(&RULE, "max_areas", 3.0);
    let mut foreign: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    // An `unowned` area has nobody to go around.
    for (i, area) in ctx
        .end
        .model
        .areas
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.unowned)
    {
        for (who, n) in &ctx.tally.areas[i].by {
            let Some(id) = who.person() else { continue };
            if id == area.owner || ctx.end.members[i].contains(id) {
                continue;
            }
            foreign.entry(id).or_default().push((i, *n));
        }
    }
    for person in &ctx.end.model.people {
        let Some(areas) = foreign.get(person.id.as_str()) else {
            continue;
        };
        if (areas.len() as f64) <= max_areas {
            continue;
        }
        let list: Vec<String> = areas
            .iter()
            .map(|(i, n)| {
                let area = &ctx.end.model.areas[*i];
                format!("{} ({n}, owner {})", area.id, area.owner)
            })
            .collect();
        let changes: usize = areas.iter().map(|(_, n)| n).sum();
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "{} changed {} areas they neither own nor belong to, {changes} changes in the window: {}",
                    ctx.end.model.who(&person.id),
                    areas.len(),
                    list.join(", ")
                ),
            )
            .at(person.loc.file, person.loc.value("id"), "jumps in across the company")
            .help("route the work through the areas' owners (file it with them, pair, let them approve), or make the model say who really runs those areas")
            .about("person", person.id.clone()),
        );
    }
}

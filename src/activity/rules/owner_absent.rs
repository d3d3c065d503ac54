use crate::finding::{Finding, Group, Level, Param, Rule};

use super::Context;

/// Reported by `opmodel activity` (src/activity/): it reads history, not the model alone.
pub const RULE: Rule = Rule {
    name: "owner-absent",
    level: Level::Warn,
    default_off: false,
    group: Group::Activity,
    summary: "An area changed often in the window, and its owner neither made nor approved any of those changes",
    docs: r#"## What it checks
`opmodel activity` counts, over a window of commits (the 90 days before `--as-of` by default), the changes to
the paths each `[[area]]` owns in the model at the window's end. This rule reports an area changed at least
`min_changes` times (default 5) whose `owner` made none of those changes and approved none of them: no commit
by the owner (matched by email, GitHub noreply address or `.mailmap`), no approval trailer naming the owner in
a commit that changed the area (`[approvals].trailers`, under `[approvals].trust`), and no `--approver`
naming the owner.

## Why it matters
Ownership on paper that has detached from the work: the owner answers for an area they no longer see
change. When it breaks, the person who is accountable learns about it last. Boards miss this because the
model still checks clean.

## Example
```toml
[[area]]
id = "billing-engine"
title = "Billing engine"
owner = "rachel-adeyemi"
paths = ["/src/billing/"]
```

Over the last 90 days, 14 commits changed `src/billing/`, none by Rachel and none with
`Approved-by: Rachel Adeyemi <...>`.

## Use instead
Either bring the owner back into the loop (review and approve the changes, recorded as `Approved-by:`
trailers or approving reviews passed as `--approver`), or make the model true: hand the area to the person
who does the work (`owner = "..."`). Tune the threshold in `[rules]`:
`owner-absent = { level = "warn", min_changes = 10 }`.
"#,
    params: &[Param {
        name: "min_changes",
        default: "5",
        description: "the fewest changes in the window for an absent owner to matter",
    }],
};

pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let min = ctx.param(&RULE, "min_changes", 5.0);
    for (_, area, t) in ctx.owned_areas() {
        let owner = crate::activity::Contributor::Person(area.owner.clone());
        if (t.changes as f64) < min || t.by.contains_key(&owner) || t.owner_approved > 0 {
            continue;
        }
        let who = ctx.end.model.who(&area.owner);
        let top = t
            .top()
            .map(|(c, n)| {
                format!(
                    "; top contributor: {}",
                    super::share_words(ctx, c, n, t.changes)
                )
            })
            .unwrap_or_default();
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "area \"{}\" changed {} times in the window, and its owner, {who}, made or approved none of \
                     those changes{top}",
                    area.id, t.changes
                ),
            )
            .at(area.loc.file, area.loc.value("owner"), "the owner at the window's end")
            .help(format!(
                "have {who} review and approve the area's changes (`Approved-by:` trailers or --approver), or \
                 give the area to the person who does the work"
            ))
            .about("area", area.id.clone()),
        );
    }
}

use super::{Context, Group, ModelCheck, Param, Rule};
use crate::finding::{Finding, Level};
use crate::model::Tier;

pub const RULE: Rule = Rule {
    name: "overcommitted",
    level: Level::Warn,
    default_off: false,
    group: Group::Execution,
    summary: "Too large a share of the priorities is committed",
    docs: r#"## What it checks
The share of `[[priority]]` entries with `tier = "committed"` among all priorities. When it is above
`max_committed_share` (default 0.7), the rule reports once for the whole model: labelled on the first
committed priority's `tier` (in model order), with related labels on the other committed priorities' `tier`.
Priorities without a `tier` count as priorities, not as committed. A model with fewer than two priorities is
not checked. To accept the share deliberately, `allow` the rule on that first committed priority, or raise
the limit:

```toml
# opmodel.toml
[rules]
overcommitted = { max_committed_share = 0.8 }
```

## Why it matters
"Committed" is a promise that this work will not slip when something else comes up. When five of six
priorities carry that promise, the team still has to choose every week which one slips, only now without
having said so: the choice is made by whoever shouts loudest, and every review finds all of them behind.

## Example
```toml
[[priority]]
id = "grow-revenue"
title = "Get back to 8% quarter-on-quarter MRR growth"
owner = "founder"
tier = "committed"

[[priority]]
id = "launch-ai-insights"
title = "Launch AI insights"
owner = "lena-fischer"
tier = "committed"

[[priority]]
id = "international-expansion"
title = "Open the UK and German markets"
owner = "founder"
tier = "committed"
```

## Use instead
Commit to the few that cannot slip; make the others exploratory (or stop them):
```toml
[[priority]]
id = "grow-revenue"
title = "Get back to 8% quarter-on-quarter MRR growth"
owner = "founder"
tier = "committed"

[[priority]]
id = "launch-ai-insights"
title = "Launch AI insights"
owner = "lena-fischer"
tier = "exploratory"

[[priority]]
id = "international-expansion"
title = "Open the UK and German markets"
owner = "founder"
tier = "exploratory"
```
"#,
    params: &[Param {
        name: "max_committed_share",
        default: "0.7",
        description: "the largest share of priorities (0 to 1) that may be committed",
    }],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let priorities = &ctx.model.priorities;
    if priorities.len() < 2 {
        return;
    }
    let max = ctx.params.get("max_committed_share").unwrap_or(0.7);
    let committed: Vec<_> = priorities
        .iter()
        .filter(|p| p.tier == Some(Tier::Committed))
        .collect();
    let share = committed.len() as f64 / priorities.len() as f64;
    let Some(first) = committed.first() else {
        return;
    };
    if share <= max {
        return;
    }
    let mut finding = Finding::new(
        &RULE,
        format!(
            "{} of {} priorities are committed ({:.0}%), above the limit of {:.0}%",
            committed.len(),
            priorities.len(),
            share * 100.0,
            max * 100.0
        ),
    )
    .at(
        first.loc.file,
        first.loc.value("tier"),
        format!(
            "\"{}\" is committed, and so are {} others",
            first.id,
            committed.len() - 1
        ),
    );
    for other in &committed[1..] {
        finding = finding.related(
            other.loc.file,
            other.loc.value("tier"),
            format!("\"{}\" is committed", other.id),
        );
    }
    out.push(
        finding
            .help("keep `tier = \"committed\"` for the few that cannot slip and make the others `\"exploratory\"`, or stop them")
            .about("priority", &first.id),
    );
}

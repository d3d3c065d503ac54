use super::{Context, Group, ModelCheck, Rule};
use crate::finding::{Finding, Level};
use crate::model::DecisionStatus;

pub const RULE: Rule = Rule {
    name: "superseded-without-successor",
    level: Level::Warn,
    default_off: false,
    group: Group::Execution,
    summary: "A superseded decision does not say which decision replaced it",
    docs: r#"## What it checks
That every decision with `status = "superseded"` names its successor in `superseded_by`. (Whether that id
exists is checked by `unknown-reference`.)

## Why it matters
"Superseded" says the old rule no longer applies, but not what applies instead. Whoever finds the old
decision (in a contract, a runbook, an old thread) has no way to the current one, and may keep following
the old rule or invent a new one.

## Example
```toml
[[decision]]
id = "legacy-pricing-tiers"
title = "Bronze / Silver / Gold pricing tiers"
owner = "founder"
reversible = true
status = "superseded"
```

## Use instead
```toml
[[decision]]
id = "legacy-pricing-tiers"
title = "Bronze / Silver / Gold pricing tiers"
owner = "founder"
reversible = true
status = "superseded"
superseded_by = "usage-based-pricing"
```
If nothing replaced it, the decision is `status = "retired"`.
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for decision in &ctx.model.decisions {
        if decision.status != DecisionStatus::Superseded || decision.superseded_by.is_some() {
            continue;
        }
        let loc = &decision.loc;
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "decision \"{}\" is superseded, but does not say which decision replaced it",
                    decision.id
                ),
            )
            .at(loc.file, loc.value("status"), "superseded by what?")
            .help(
                "add `superseded_by = \"<decision id>\"` naming the decision that replaced it, or set \
                 `status = \"retired\"` if nothing did",
            )
            .about("decision", &decision.id),
        );
    }
}

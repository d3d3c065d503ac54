use super::{Context, Group, ModelCheck, Rule};
use crate::finding::{Finding, Level};

pub const RULE: Rule = Rule {
    name: "lead-not-member",
    level: Level::Warn,
    default_off: false,
    group: Group::Execution,
    summary: "A team lists its members, and its lead is not one of them",
    docs: r#"## What it checks
That a team which lists `members` includes its `lead` among them. A team without `members` is not
checked: its membership is simply not recorded. A lead that names no known person is left to
`unknown-reference`.

## Why it matters
Usually the members list is out of date: the lead moved, or was never added. Either way, anything that
reads the list (who attends the team's cadence, who is informed of its decisions, who can approve for it)
leaves out the one accountable person. Sometimes it is real: the lead sits in another team and leads this
one from a distance, which is worth saying out loud.

## Example
```toml
[[team]]
id = "engineering"
name = "Engineering"
lead = "raj-patel"
members = ["omar-haddad", "june-park"]
```

## Use instead
```toml
[[team]]
id = "engineering"
name = "Engineering"
lead = "raj-patel"
members = ["raj-patel", "omar-haddad", "june-park"]
```
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let model = ctx.model;
    for team in &model.teams {
        let Some(members) = &team.members else {
            continue;
        };
        if members.contains(&team.lead) || model.person(&team.lead).is_none() {
            continue;
        }
        let loc = &team.loc;
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "team \"{}\" is led by {}, who is not one of its members",
                    team.id,
                    model.who(&team.lead)
                ),
            )
            .at(loc.file, loc.value("lead"), "not in `members`")
            .related(
                loc.file,
                loc.value("members"),
                format!("no \"{}\" here", team.lead),
            )
            .help(format!(
                "add \"{}\" to `members`, or name as `lead` one of the members",
                team.lead
            ))
            .about("team", &team.id),
        );
    }
}

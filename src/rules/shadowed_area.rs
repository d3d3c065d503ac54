use super::{Context, Group, ModelCheck, Rule};
use crate::finding::{Finding, Level};

pub const RULE: Rule = Rule {
    name: "shadowed-area",
    level: Level::Warn,
    default_off: false,
    group: Group::Ownership,
    summary: "An area whose every path is won by an area defined after it",
    docs: r#"## What it checks
Areas whose `paths` match files, all of which are won by areas defined later in model order (files in path
order, entities in file order). As in a CODEOWNERS file, the last matching area wins, so the earlier area owns
nothing. Checked against the files git tracks; outside a git repository this rule does not run.

## Why it matters
The area looks owned on paper, and its owner believes they review those files, but every change goes to the
other area's owner.

## Example
```toml
[[area]]
id = "app"
title = "The app"
owner = "raj"
paths = ["/app/"]

[[area]]
id = "company"
title = "Everything"
owner = "founder"
paths = ["**"]        # defined later: wins /app/ too
```

## Use instead
Define the broad area first and the narrow one after it, so the narrow one wins its folder:
```toml
[[area]]
id = "company"
title = "Everything"
owner = "founder"
paths = ["**"]

[[area]]
id = "app"
title = "The app"
owner = "raj"
paths = ["/app/"]
```
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(paths) = ctx.paths else { return };
    for coverage in ctx.ownership.coverage(paths) {
        if coverage.matched == 0 || coverage.won > 0 {
            continue;
        }
        let area = &ctx.model.areas[coverage.area];
        let mut finding = Finding::new(
            &crate::rules::shadowed_area::RULE,
            format!(
                "area \"{}\" owns nothing: {} it matches {} won by areas defined after it",
                area.id,
                match coverage.matched {
                    1 => "the one path".to_string(),
                    2 => "both paths".to_string(),
                    n => format!("all {n} paths"),
                },
                if coverage.matched == 1 { "is" } else { "are" }
            ),
        )
        .at(
            area.loc.file,
            area.loc.value("paths"),
            "every path here is won by a later area",
        )
        .about("area", area.id.clone());
        if let Some((winner, path)) = coverage.winner_over {
            let later = &ctx.model.areas[winner];
            finding = finding.related(
                later.loc.file,
                later.loc.value("paths"),
                format!(
                    "area \"{}\" wins {} (and others)",
                    later.id,
                    crate::source::shown_path(path)
                ),
            );
            finding = finding.help(format!(
                "move area \"{}\" after area \"{}\" in the model, or narrow the later area's paths; the last matching area wins",
                area.id, later.id
            ));
        }
        out.push(finding);
    }
}

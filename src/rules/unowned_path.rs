use super::{Context, Group, ModelCheck, Rule};
use crate::finding::{Finding, Level};
use crate::ownership::Resolution;

/// At most this many unowned paths are reported one by one; the rest are counted in one more finding.
const MAX_LISTED: usize = 50;

pub const RULE: Rule = Rule {
    name: "unowned-path",
    level: Level::Error,
    default_off: false,
    group: Group::Ownership,
    summary: "A repository file that must have an owner and that no area owns",
    docs: r#"## What it checks
Every file git tracks under the manifest's folder that `[ownership].required` covers, that
`[ownership].ignore` does not, and that no area's `paths` match. Patterns follow GitHub's CODEOWNERS rules
(see `opmodel owners` to ask who owns a path). Build output and ignored files never count: the files are the
ones in git's index. Outside a git repository this rule does not run. The finding sits on the `required`
pattern that asks for an owner; at most 50 paths are listed one by one, and the rest are counted.

## Why it matters
A file nobody owns is changed by whoever gets there first and reviewed by nobody in particular. Ownership
gaps appear silently, when a new folder is added.

## Example
```toml
# opmodel.toml
[ownership]
required = ["**"]

# ops/areas.toml: nothing owns /billing/
[[area]]
id = "platform"
title = "Platform"
owner = "ana"
paths = ["/src/"]
```

## Use instead
```toml
[[area]]
id = "billing"
title = "Billing"
owner = "ravi"
paths = ["/billing/"]
```
or, for files that need no owner, `ignore = ["LICENSE", "*.md"]` in `[ownership]`.
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(paths) = ctx.paths else { return };
    let mut unowned = Vec::new();
    for path in paths {
        if let Resolution::Unowned { required_by } = ctx.ownership.resolve(path) {
            unowned.push((path, required_by));
        }
    }
    for (path, required_by) in unowned.iter().take(MAX_LISTED) {
        let shown = crate::source::shown_path(path);
        let Some((file, span)) = ctx.ownership.manifest_span(true, *required_by) else {
            continue;
        };
        out.push(
            Finding::new(&crate::rules::unowned_path::RULE, format!("{shown} has no owner: no area's paths match it"))
                .at(file, span, format!("requires an owner for {shown}"))
                .help(format!(
                    "add the path to the `paths` of the area that should own it, or to [ownership].ignore if it needs no owner; `opmodel owners {shown}` shows how it resolves"
                )),
        );
    }
    if unowned.len() > MAX_LISTED {
        let (_, required_by) = unowned[MAX_LISTED];
        if let Some((file, span)) = ctx.ownership.manifest_span(true, required_by) {
            out.push(
                Finding::new(
                    &crate::rules::unowned_path::RULE,
                    format!("{} more paths have no owner", unowned.len() - MAX_LISTED),
                )
                .at(file, span, "requires an owner")
                .help("`opmodel owners PATH...` shows how paths resolve; `--format json` lists every finding"),
            );
        }
    }
}

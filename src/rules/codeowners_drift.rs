use super::{Context, Group, ModelCheck, Rule};
use crate::codeowners::{self, Difference};
use crate::finding::{Finding, Level};

/// Paths named in one finding, at most; the rest are counted.
const SHOWN: usize = 3;

pub const RULE: Rule = Rule {
    name: "codeowners-drift",
    level: Level::Warn,
    default_off: false,
    group: Group::Ownership,
    summary: "The repository's CODEOWNERS file asks GitHub for other reviewers than the model",
    docs: r#"## What it checks
When the repository has a CODEOWNERS file (`.github/CODEOWNERS`, `CODEOWNERS` or `docs/CODEOWNERS`, the first
that exists, as GitHub looks), every file git tracks whose code owners under that file (the last matching line's
owners) differ from the reviewers the model gives it (its area's owner, team and approvers, as
`opmodel codeowners` writes them; none for an unowned area or a path no area owns). Owners are compared as sets,
case-insensitively, so reordering a line or changing its comments is not drift. One finding per CODEOWNERS
line that decides differing paths, on that line. Outside a git repository, or without a CODEOWNERS file, the rule
does not run. Paths are compared relative to the manifest's folder: keep the manifest at the repository root.

## Why it matters
GitHub requests reviews from CODEOWNERS; `opmodel audit` judges changes by the model. When the two disagree,
the people GitHub asks are not the people the model holds accountable, and a hand edit to one silently
overrides the other.

## Example
```text
# .github/CODEOWNERS, edited by hand
/billing/ @ravi
```
```toml
# ops/areas.toml
[[area]]
id = "billing"
title = "Billing"
owner = "ana"      # github = "ana-l"
paths = ["/billing/"]
```

## Use instead
Change the model, then regenerate the file: `opmodel codeowners --write .github/CODEOWNERS` (and run
`opmodel codeowners --check` in CI).
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let (Some(paths), Some((file, codeowners))) = (ctx.paths, ctx.codeowners) else {
        return;
    };
    let differences = codeowners::compare(codeowners, ctx.model, ctx.ownership, paths);
    for (line, diffs) in codeowners::by_line(&differences) {
        let examples: Vec<String> = diffs.iter().take(SHOWN).map(|d| example(d)).collect();
        let more = match diffs.len().saturating_sub(SHOWN) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        let (span, label, what) = match line {
            Some(i) => {
                let l = &codeowners.lines[i];
                (
                    l.span.clone(),
                    format!("decides {} paths", diffs.len()),
                    format!("CODEOWNERS line {}", l.number),
                )
            }
            None => (
                0..0,
                format!("no line matches {} paths", diffs.len()),
                "CODEOWNERS (no line)".to_string(),
            ),
        };
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "{what} gives {} paths other reviewers than the model: {}{more}",
                    diffs.len(),
                    examples.join("; ")
                ),
            )
            .at(file, span, label)
            .help("change the model if CODEOWNERS is right, then run `opmodel codeowners --write PATH` so the file follows the model"),
        );
    }
}

fn example(d: &Difference) -> String {
    format!(
        "{} ({} in CODEOWNERS, {} in the model)",
        crate::source::shown_path(&d.path),
        codeowners::words(&d.in_file),
        codeowners::words(&d.in_model)
    )
}

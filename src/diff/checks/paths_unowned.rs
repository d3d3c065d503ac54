use crate::diff::{Change, DiffContext, Drift, DriftCheck, RawFields};
use crate::finding::Level;
use crate::finding::{Group, Rule};

/// At most this many paths are named in the message.
const MAX_NAMED: usize = 5;

pub const RULE: Rule = Rule {
    name: "paths-unowned",
    level: Level::Error,
    default_off: false,
    group: Group::Drift,
    summary: "A change leaves repository paths without an owner that an area owned at base",
    docs: r#"## What it checks
`opmodel diff` resolves every repository file (at head; tracked files for the working tree) with the areas of
each side, using CODEOWNERS rules (see `opmodel owners`). A file that an area owned at base and that no area
owns at head, while `[ownership].required` covers it and `[ownership].ignore` does not, is reported on the
area that owned it: the area was removed, or its `paths` no longer match. Files that only become exempt (a new
`ignore` pattern) are not reported.

Sign-off: the owner of the area at base.

## Why it matters
An ownership gap opens silently: an area is renamed or narrowed, and the files it covered are now reviewed by
nobody in particular. The person who owned them should see the gap before it merges.

## Example
At base:
```toml
[[area]]
id = "billing"
title = "Billing"
owner = "ravi"
paths = ["/billing/", "/invoices/"]
```
At head, `paths = ["/billing/"]`: every file under `invoices/` has no owner; needs sign-off from Ravi.

## Use instead
Give the paths to another area in the same change, or list them in `[ownership].ignore` if they need no
owner. Levels of drift checks are read from `opmodel.toml` at the base of the comparison.
"#,
    params: &[],
};

/// The drift check: its rule and whether the drift it reports needs the sign-off of the people it names.
pub const CHECK: DriftCheck = DriftCheck {
    rule: &RULE,
    needs_signoff: true,
    classify,
};

pub fn classify(ctx: &DiffContext<'_>, change: &Change, out: &mut Vec<Drift>) {
    if change.kind != "area" {
        return;
    }
    let paths = ctx.unowned_paths(&change.id);
    if paths.is_empty() {
        return;
    }
    let mut named: Vec<&str> = paths.iter().take(MAX_NAMED).map(String::as_str).collect();
    let more = format!("and {} more", paths.len().saturating_sub(MAX_NAMED));
    if paths.len() > MAX_NAMED {
        named.push(&more);
    }
    let owner = ctx
        .base_entity("area", &change.id)
        .and_then(|a| a.text("owner"));
    let mut drift = Drift::new(
        &RULE,
        format!(
            "{} owned by {} at base {} no owner at head: {}",
            match paths.len() {
                1 => "1 path".to_string(),
                n => format!("{n} paths"),
            },
            change.name(),
            if paths.len() == 1 { "has" } else { "have" },
            named.join(", ")
        ),
    )
    .signoff(owner);
    if change.field("paths").is_some() && change.head.is_some() {
        drift = drift.field("paths");
    }
    out.push(drift);
}

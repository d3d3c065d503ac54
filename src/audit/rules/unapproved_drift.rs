use crate::finding::Level;
use crate::finding::{Group, Rule};

/// Reported by `opmodel audit` (src/audit/), not by `check`: it judges a range of commits, not the model.
pub const RULE: Rule = Rule {
    name: "unapproved-drift",
    level: Level::Error,
    default_off: false,
    group: Group::Audit,
    summary:
        "A material drift between the base and the head of the audited range lacks its sign-off",
    docs: r#"## What it checks
`opmodel audit BASE..HEAD` compares the model at BASE with the model at HEAD as `opmodel diff` does, and
takes every drift that is at level `error` under the `[rules]` of the manifest **at BASE**. Each such drift
names the people, as the model at BASE knows them, whose sign-off it needs; this rule reports the drift
unless **every one** of them signed. A person signed when an approval in the range names them (a trailer
listed in `[approvals].trailers`, `Approved-by` by default, whose value is `Name <email>`, `@github-login`
or their id), or when `--approver` names them.

Four eyes: the authors of the change (of the commits in the range that changed the entity) never sign off an
error-level drift they made. They drop out of the people it names; when nobody is left, the sign-off falls to
the author's `manager`, else to the lead of their team, else it cannot be given, and the finding says so.

Who signs off, per drift check, and what happens when that is the author: one table in `docs/audit.md`
("Who signs off each drift"), and `opmodel explain CHECK` for one check.

A drift whose check needs a sign-off but names nobody (the owner is missing at base) is reported too: it
cannot be signed off until the base names someone.

## Why it matters
`unapproved-change` asks whether each commit's owner agreed. Some changes need more than the owner of the
file: a one-way door needs its approvers, a handover needs the person who hands over, a removed handoff
needs both teams. Judging the net result of the range, with the sign-offs the base requires, catches the
drift that no single commit shows: the owner who edits their own irreversible decision without the CFO who
approves it.

## Example
```toml
# ops/pricing.toml at the base of the range
[[decision]]
id = "pricing-exceptions"
title = "Approve a non-standard price for one deal"
owner = "ana"
reversible = false
approvers = ["cfo"]
sla = "2d"
```

Ana changes the decision's `sla` to `"5d"` and merges with no `Approved-by:` naming the CFO.

## Use instead
Record the sign-off of everyone the drift names, in any commit message of the range:

```text
Give pricing exceptions five days

Approved-by: Carl Fo <carl@example.com>
```

or pass the approving reviews in CI: `opmodel audit --approver cfo`. Where such drifts are routine, lower
the drift check's level in `[rules]` on the base branch (`irreversible-changed = "warn"`).
"#,
    params: &[],
};

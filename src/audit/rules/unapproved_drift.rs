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
or their id), when `--approver` names them, or when they authored a commit in the range that changed the
entity.

Who signs off, per drift check (`opmodel explain CHECK`, or the check's section of the rule reference,
says why):

| drift check | needs the sign-off of |
| --- | --- |
| `ownership-transferred` | the previous owner (or lead) |
| `irreversible-changed` | every approver of the decision at base (its owner when it has none) |
| `made-reversible` | the decision's owner and every approver at base |
| `approvers-removed` | the decision's owner and every approver at base |
| `handoff-removed` | the handoff's owner and the leads of both its teams |
| `sla-loosened` | the decision's or the handoff's owner |
| `target-eased` | the metric's owner |
| `owner-left-with-ownership` | the person's manager (else their team's lead) |
| `paths-unowned` | the owner of the area that owned the paths |

The checks at level `warn` or `info` by default (`decision-removed`, `metric-removed`, `cadence-loosened`,
`acceptance-removed`, `irreversible-added`, and the catch-all `entity-*` checks) need a sign-off only where
`[rules]` at BASE raises them to `error`; their pages name who signs off then.

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

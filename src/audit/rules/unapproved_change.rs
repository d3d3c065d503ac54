use crate::finding::Level;
use crate::finding::{Group, Rule};

/// Reported by `opmodel audit` (src/audit/), not by `check`: it judges commits, not the model.
pub const RULE: Rule = Rule {
    name: "unapproved-change",
    level: Level::Error,
    default_off: false,
    group: Group::Audit,
    summary: "A commit in the audited range changes something its owner neither made nor approved",
    docs: r#"## What it checks
`opmodel audit` walks the commits of a range (`BASE..HEAD`) and judges every changed path, and every
changed model entity, against its owner **at BASE**:

- A path that an `[[area]]` owns is approved when the commit's author is the area's `owner`, or a member
  of the area's `team` (its `members`, its `lead`, and the people whose `team` is that team), or when an
  approval anywhere in the range names the owner.
- The manifest (`opmodel.toml`) is judged like an entity: only the owner of the area that owns it makes or
  approves a change to it, not a member of the area's team, since it sets how every other change is judged.
- A model file is judged entity by entity, not as a file: each entity the commit adds, removes or changes
  (by kind and id; formatting and comments are not changes) is approved when its author is the entity's
  owner, or an approval names the owner. The owner is the entity's `owner`; a team's is its `lead`; a
  person entry's are that person and their `manager` (either one). An entity that did not exist at BASE is
  judged as a change to its file's path, by the area that owns the file.
- An approval is a commit trailer listed in `[approvals].trailers` (`Approved-by` by default, token
  case-insensitive) whose value is `Name <email>`, `@github-login` or a person id, or an `--approver` on the
  command line (for CI, which knows the pull request's reviews). Emails and logins match case-insensitively
  against the people at BASE; ids match exactly. The author is matched by email.

The finding names the commit, the path or entity, and who could have approved it, and points at the area or
entity at BASE that decided the ownership.

## Why it matters
An owner who does not know a change was made cannot answer for it. Reading ownership and approvers from the
base of the range, never from the change itself, means a change cannot grant itself approval: a commit that
adds its author to an area's team still needs the owner's sign-off for the area's files in the same range.

## Example
```toml
# ops/areas.toml at the base of the range
[[area]]
id = "billing"
title = "Billing"
owner = "ana"
team = "payments"
paths = ["/src/billing/"]
```

Bob, who is not in `payments`, commits a change to `src/billing/retry.rs` with no trailer.

## Use instead
Ask the owner to review, and record it in the commit message:

```text
Retry failed card payments twice

Approved-by: Ana Lopez <ana@example.com>
```

or, in CI, pass the pull request's approving reviewers: `opmodel audit --approver @ana-lopez`.
"#,
    params: &[],
};

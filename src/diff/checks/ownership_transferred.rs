use crate::diff::{owner_field, shown, Change, DiffContext, Drift, DriftCheck, Op};
use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "ownership-transferred",
    level: Level::Error,
    default_off: false,
    group: Group::Drift,
    summary: "A change hands an entity to another owner: an `owner`, a team's `lead`, or a decision's decider",
    docs: r#"## What it checks
`opmodel diff` reports every entity present on both sides whose accountable person changed: the `owner` of an
area, decision (the one who decides), handoff, metric, priority or cadence, or the `lead` of a team. An owner
removed (no owner at head) counts too.

Sign-off: the previous owner AND the new owner, as the base names them (a team named as owner stands for its
lead; a new owner the base does not know cannot sign). Whichever of them made the change does not count (four
eyes): the other one signs; when both made it, their managers (else their team leads) sign instead.

## Why it matters
Ownership is the one fact the operating model exists to keep true. When it moves in a pull request that is
"about something else", the person losing it may not know, and the new owner may not have agreed: the work now
has two people who each think the other has it.

## Example
At base:
```toml
[[decision]]
id = "pricing-exceptions"
title = "Approve a non-standard price for one deal"
owner = "ana"
reversible = true
```
At head, `owner = "bob"`:
```text
decisions
  ~ pricing-exceptions
      owner: "ana" => "bob"
      error ownership-transferred: owner of decision "pricing-exceptions" moves from Ana Lopez (ana) to Bob Stone (bob) (needs sign-off from Ana Lopez (ana) and Bob Stone (bob))
```

## Use instead
Hand ownership over on purpose: ask the previous and the new owner to approve the change (pull-request reviews,
or `Approved-by:` trailers naming them). Where handovers are routine, lower the level in `opmodel.toml`:
```toml
[rules]
ownership-transferred = "warn"
```
Levels of drift checks are read from `opmodel.toml` at the base of the comparison: a change cannot lower the
level of the checks that judge it.
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
    if change.op != Op::Changed {
        return;
    }
    let Some(field) = owner_field(change.kind) else {
        return;
    };
    let Some(moved) = change.field(field) else {
        return;
    };
    let Some(before) = moved.old.as_ref().and_then(|v| v.as_str()) else {
        return;
    };
    let message = match moved.new.as_ref() {
        Some(after) => format!(
            "{field} of {} moves from {} to {}",
            change.name(),
            ctx.who(before),
            match after.as_str() {
                Some(id) => ctx.who(id),
                None => shown(Some(after)),
            }
        ),
        None => format!(
            "{} no longer names a {field} (it was {})",
            change.name(),
            ctx.who(before)
        ),
    };
    // Both sides of the handover: the one who gives it up, and the one who takes it on (as the base knows them).
    let after = moved.new.as_ref().and_then(|v| v.as_str());
    out.push(
        Drift::new(&RULE, message)
            .field(field)
            .signoff([Some(before), after].into_iter().flatten()),
    );
}

use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "unused-allow",
    level: Level::Warn,
    default_off: false,
    group: Group::Model,
    summary: "An entity's `allow` names a rule that reported nothing on it",
    docs: r#"## What it checks
Every name in an entity's `allow` list, after all rules have run: the entry is reported, labelled on the name
in the list, when it suppressed no finding about that entity in this run. That happens when:
- the rule no longer reports anything on the entity (the problem was fixed);
- the name is not a rule at all (a typo, or a rule that was renamed): the help suggests the nearest name;
- the rule is off (`"off"` in `[rules]`, or `--allow RULE`), so it did not run;
- the rule cannot be suppressed: syntax, file and schema checks ignore `allow`.

An allow is matched by entity: `allow = ["decision-without-sla"]` on one decision does nothing for another.
This rule cannot itself be silenced from an `allow` list; turn it off in `[rules]` (`unused-allow = "off"`).

## Why it matters
An `allow` is a documented exception. Once the problem it excused is fixed, the stale entry still sits there
and will silently hide the next, different occurrence of the same problem on that entity, which is exactly when
the rule is needed. Keeping the list true keeps every exception deliberate.

## Example
```toml
[[decision]]
id = "refund-policy"
title = "Refund a customer outside the standard policy"
owner = "mia-santos"
reversible = true
sla = "1d"
allow = ["decision-without-sla"]
allow_reason = "Refunds were handled ad hoc until the policy was written."
```

## Use instead
The decision has an `sla` now, so the exception goes:
```toml
[[decision]]
id = "refund-policy"
title = "Refund a customer outside the standard policy"
owner = "mia-santos"
reversible = true
sla = "1d"
```
"#,
    params: &[],
};

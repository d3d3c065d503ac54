//! `opmodel rules` and `opmodel explain RULE`: the rule registry, as a table or JSON, and one rule's docs.

use std::io::Write;

use crate::catalog;
use crate::check::RunError;

use super::output::write_out;
use super::{ListFormat, EXIT_OK};

pub fn list_rules(format: ListFormat, out: &mut dyn Write) -> Result<i32, RunError> {
    let text = match format {
        ListFormat::Human => crate::docs::rules_table(),
        ListFormat::Json => crate::docs::rules_json(),
    };
    write_out(out, &text)?;
    Ok(EXIT_OK)
}

pub fn explain(name: &str, out: &mut dyn Write) -> Result<i32, RunError> {
    let Some(rule) = catalog::find(name) else {
        let help = match crate::suggest::did_you_mean(name, catalog::names()) {
            Some(best) => format!("did you mean `{best}`? `opmodel rules` lists every rule"),
            None => "`opmodel rules` lists every rule".into(),
        };
        return Err(RunError::new(
            format!("there is no rule named `{name}`"),
            help,
        ));
    };
    write_out(out, &crate::docs::explain(rule))?;
    Ok(EXIT_OK)
}

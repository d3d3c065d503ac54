//! `opmodel completions SHELL` and `opmodel man`: shell completions (clap_complete) and the manual page in roff
//! (clap_mangen), both generated from the one command-line definition, so they never fall behind it.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::check::RunError;

use super::output::write_out;
use super::{Cli, EXIT_OK};

/// The completion script for `shell`, on standard output.
pub fn completions(shell: Shell, out: &mut dyn Write) -> Result<i32, RunError> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "opmodel", &mut script);
    write_out(out, &String::from_utf8_lossy(&script))?;
    Ok(EXIT_OK)
}

/// The manual page `opmodel(1)` in roff, on standard output (`opmodel man > opmodel.1`, `man -l opmodel.1`); with
/// a subcommand, its own page `opmodel-COMMAND(1)`, as the main page's SUBCOMMANDS section names it.
pub fn man(subcommand: Option<&str>, out: &mut dyn Write) -> Result<i32, RunError> {
    let mut command = Cli::command();
    command.build();
    let page = match subcommand {
        None => clap_mangen::Man::new(command),
        Some(name) => {
            let Some(sub) = command.find_subcommand(name) else {
                let names: Vec<&str> = command.get_subcommands().map(|c| c.get_name()).collect();
                return Err(RunError::new(
                    format!("`{name}` is not an opmodel command"),
                    format!("name one of: {}", names.join(", ")),
                ));
            };
            clap_mangen::Man::new(sub.clone())
                .title(format!("opmodel-{name}"))
                .source(concat!("opmodel ", env!("CARGO_PKG_VERSION")))
        }
    };
    let mut roff = Vec::new();
    page.render(&mut roff).map_err(|e| {
        RunError::new(
            format!("cannot render the manual page: {e}"),
            "report this as a bug",
        )
    })?;
    write_out(out, &String::from_utf8_lossy(&roff))?;
    Ok(EXIT_OK)
}

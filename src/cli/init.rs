//! `opmodel init`: a starter manifest and model folder.

use std::io::Write;
use std::path::Path;

use crate::check::RunError;

use super::output::write_out;
use super::EXIT_OK;

pub fn init(dir: &Path, out: &mut dyn Write) -> Result<i32, RunError> {
    let manifest = dir.join(crate::source::MANIFEST_NAME);
    if manifest.exists() {
        return Err(RunError::new(
            format!("{} already exists", manifest.display()),
            "edit it, or run `opmodel init` in another folder",
        ));
    }
    let write = |path: &Path, text: &str| {
        std::fs::write(path, text).map_err(|e| {
            RunError::new(
                format!(
                    "cannot write {}: {}",
                    path.display(),
                    crate::source::io_words(&e)
                ),
                "run `opmodel init` in a folder you can write to",
            )
        })
    };
    write(&manifest, crate::manifest::TEMPLATE)?;
    let ops = dir.join("ops");
    std::fs::create_dir_all(&ops).map_err(|e| {
        RunError::new(
            format!(
                "cannot create {}: {}",
                ops.display(),
                crate::source::io_words(&e)
            ),
            "run `opmodel init` in a folder you can write to",
        )
    })?;
    write_out(
        out,
        &format!(
            "created {} and {}/\nnext: describe your people, teams and decisions in ops/*.toml, then run `opmodel check`\n",
            manifest.display(),
            ops.display()
        ),
    )?;
    Ok(EXIT_OK)
}

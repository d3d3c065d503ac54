use crate::finding::Level;
use crate::finding::{Group, Rule};

pub const RULE: Rule = Rule {
    name: "skipped-path",
    level: Level::Warn,
    default_off: false,
    group: Group::Load,
    summary: "A path that looks like a model file was not read: a folder, a symlink loop, or a symlink leaving the repository",
    docs: r#"## What it checks
Paths under the model root that match the `include` globs but are not regular files opmodel may read:
a folder named like a model file (`ops/sales.toml/`), a symbolic link that loops, or a symbolic link whose
target is outside the repository, or a second path (through a link) to a file already read, which is read
once, under its real path. opmodel never follows a link out of the repository, so a model cannot pull in
files that are not under review. In a git revision (`--rev`, `diff`), a symbolic link is never followed.

## Why it matters
The entities you expect from that path are not in the model; the warning says why.

## Example
```text
ops/shared.toml -> /home/ana/notes/shared.toml
```

## Use instead
Commit the file itself into the model folder, or point the link at a file inside the repository.
"#,
    params: &[],
};

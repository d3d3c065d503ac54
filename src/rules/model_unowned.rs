use super::{Context, Group, ModelCheck, Rule};
use crate::finding::{Finding, Level};
use crate::ownership::Resolution;
use crate::source::FileFilter;

/// At most this many model files are named in one finding; the rest are counted.
const MAX_NAMED: usize = 5;

pub const RULE: Rule = Rule {
    name: "model-unowned",
    level: Level::Error,
    default_off: false,
    group: Group::Ownership,
    summary: "The manifest or a model file is not owned by an area",
    docs: r#"## What it checks
The manifest (`opmodel.toml`) and every model file (the files under `[model].root` that `include` and `exclude`
select) must be matched by an area's `paths`, whatever `[ownership].required` says, and
`[ownership].ignore` cannot exempt them, nor an area with `unowned = true`. The files are the ones git tracks; outside a git repository this rule
does not run, nor in a model whose areas own no paths at all (there the manifest is still guarded by the drift
check `policy-loosened`). One finding for the manifest, one for the model files (naming the first few).

## Why it matters
The model decides who must approve every other change: `opmodel audit` reads the owners, the approvers and the
levels of its rules from it. A manifest or a model file that nobody owns can be changed by anyone, and the next
pull request is judged by what that change wrote. The model protects everything else only if it protects itself.

## Example
```toml
# opmodel.toml
[ownership]
required = ["**"]
ignore = ["opmodel.toml", "*.md"]   # the manifest needs no owner?

# ops/areas.toml: nothing owns opmodel.toml or ops/
[[area]]
id = "platform"
title = "Platform"
owner = "ana"
paths = ["/src/"]
```

## Use instead
```toml
# opmodel.toml
[ownership]
required = ["**"]
ignore = ["*.md"]

# ops/areas.toml
[[area]]
id = "operating-model"
title = "Operating model"
owner = "ana"
paths = ["/opmodel.toml", "/ops/"]
```
"#,
    params: &[],
};

/// The rule's check, run by `opmodel check`.
pub const CHECK: ModelCheck = ModelCheck { rule: &RULE, check };

fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let Some(paths) = ctx.paths else { return };
    // A model whose areas own no paths has not taken up path ownership (there is no area to add a line to);
    // `policy-loosened` still guards its manifest.
    if ctx.model.areas.iter().all(|a| a.paths.is_empty()) {
        return;
    }
    let manifest = ctx.manifest;
    let manifest_path = &ctx.files.get(manifest.file).path;
    let manifest_name = manifest_path
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(manifest_path);
    let root = manifest.root.trim_start_matches("./").trim_matches('/');
    let root = if root == "." { "" } else { root };
    // A bad glob is `check`'s to report (it stops the run before any rule); here it selects nothing.
    let filter = FileFilter::new(&manifest.include, &manifest.exclude).ok();
    let is_model_file = |path: &[u8]| -> bool {
        let Ok(path) = std::str::from_utf8(path) else {
            return false;
        };
        let inside = match root {
            "" => Some(path),
            root => path
                .strip_prefix(root)
                .and_then(|rest| rest.strip_prefix('/')),
        };
        inside.is_some_and(|inside| filter.as_ref().is_some_and(|f| f.matches(inside)))
    };
    let owner = suggested_area(ctx, paths, manifest_name.as_bytes(), &is_model_file);
    let folder = match root {
        "" => String::from("/"),
        root => format!("/{root}/"),
    };
    // The manifest first, then the model files (tracked, in git's order).
    if paths
        .iter()
        .any(|p| p.as_slice() == manifest_name.as_bytes())
    {
        let resolution = ctx.ownership.resolve(manifest_name.as_bytes());
        if !matches!(resolution, Resolution::Owned { .. }) {
            out.push(finding(
                ctx,
                &resolution,
                format!("the manifest {manifest_name} is not owned by an area"),
                fix(&owner, &format!("/{manifest_name}")),
            ));
        }
    }
    let mut unowned: Vec<(&[u8], Resolution)> = Vec::new();
    for path in paths {
        if path.as_slice() == manifest_name.as_bytes() || !is_model_file(path) {
            continue;
        }
        let resolution = ctx.ownership.resolve(path);
        if !matches!(resolution, Resolution::Owned { .. }) {
            unowned.push((path, resolution));
        }
    }
    let Some((_, first)) = unowned.first() else {
        return;
    };
    let mut named: Vec<String> = unowned
        .iter()
        .take(MAX_NAMED)
        .map(|(p, _)| crate::source::shown_path(p))
        .collect();
    if unowned.len() > MAX_NAMED {
        named.push(format!("{} more", unowned.len() - MAX_NAMED));
    }
    let message = match unowned.len() {
        1 => format!("the model file {} is not owned by an area", named[0]),
        n => format!(
            "{n} model files are not owned by an area: {}",
            named.join(", ")
        ),
    };
    out.push(finding(ctx, first, message, fix(&owner, &folder)));
}

/// The finding, on the manifest's pattern that lets the file go unowned when there is one.
fn finding(ctx: &Context<'_>, resolution: &Resolution, message: String, help: String) -> Finding {
    let finding = Finding::new(&RULE, message).help(help);
    let place = match resolution {
        Resolution::Ignored { pattern } => ctx.ownership.manifest_span(false, *pattern).map(|at| {
            (
                at,
                "`[ownership].ignore` cannot exempt the operating model itself".to_string(),
            )
        }),
        Resolution::Unowned { required_by } => {
            ctx.ownership.manifest_span(true, *required_by).map(|at| {
                (
                    at,
                    "requires an owner, and no area's paths match".to_string(),
                )
            })
        }
        Resolution::Disowned { area, pattern } => {
            let a = &ctx.model.areas[*area];
            Some((
                (a.loc.file, a.loc.item("paths", *pattern)),
                format!(
                    "area \"{}\" has `unowned = true`: the operating model itself needs an owner",
                    a.id
                ),
            ))
        }
        _ => None,
    };
    match place {
        Some(((file, span), label)) => finding.at(file, span, label),
        None => finding.in_file(ctx.manifest.file),
    }
}

/// The line to add: the pattern in the `paths` of the area that already owns part of the model, else of any area.
fn fix(area: &Option<String>, pattern: &str) -> String {
    match area {
        Some(area) => format!(
            "add \"{pattern}\" to the `paths` of area \"{area}\" (and take it out of `[ownership].ignore` if it \
             is there): the model decides who approves every change, so someone must own it"
        ),
        None => format!(
            "add an area that owns the model, with `paths = [\"{pattern}\"]` (and take it out of \
             `[ownership].ignore` if it is there): the model decides who approves every change, so someone must \
             own it"
        ),
    }
}

/// The area that owns the manifest or a model file already (the first found), else the first area.
fn suggested_area(
    ctx: &Context<'_>,
    paths: &[Vec<u8>],
    manifest_name: &[u8],
    is_model_file: &dyn Fn(&[u8]) -> bool,
) -> Option<String> {
    let owning = paths
        .iter()
        .filter(|p| p.as_slice() == manifest_name || is_model_file(p))
        .find_map(|p| match ctx.ownership.resolve(p) {
            Resolution::Owned { area, .. } => Some(area),
            _ => None,
        });
    owning
        .or((!ctx.model.areas.is_empty()).then_some(0))
        .map(|area| ctx.model.areas[area].id.clone())
}

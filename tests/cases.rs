//! Every case under `tests/cases/<group>/<case>/` is a small project (an `opmodel.toml` and its model).
//! The test runs `opmodel check` on it exactly as a user would and snapshots what the user sees: the exit
//! code and the rendered report (colors off, 100 columns).
//!
//! - A case may hold an `args` file: the command line after `opmodel`, one argument per line (default:
//!   `check --as-of 2026-11-20`).
//! - `rules/<rule>-fires` must report `<rule>`; `rules/<rule>-passes` must not.
//! - `invalid/*` must exit 1.

use std::path::{Path, PathBuf};

mod support;
use support::Opmodel;

fn cases_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

/// Run the built binary in `dir` with `args`, as a user would, with a fixed terminal.
fn opmodel(dir: &Path, args: &[String]) -> (i32, String) {
    let run = Opmodel::new(dir).args(args).run();
    let mut text = run.stdout;
    if !run.stderr.is_empty() {
        text.push_str("--- stderr ---\n");
        text.push_str(&run.stderr);
    }
    (run.code, text)
}

fn case_dirs(group: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cases_root().join(group))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs
}

fn args_of(dir: &Path) -> Vec<String> {
    match std::fs::read_to_string(dir.join("args")) {
        Ok(text) => text
            .lines()
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
        Err(_) => vec!["check".into(), "--as-of".into(), "2026-11-20".into()],
    }
}

fn run_group(group: &str, expect: impl Fn(&str, i32, &str) -> Result<(), String>) {
    let dirs = case_dirs(group);
    assert!(!dirs.is_empty(), "no cases under tests/cases/{group}");
    let mut failures = Vec::new();
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let (code, text) = opmodel(&dir, &args_of(&dir));
        if let Err(why) = expect(&name, code, &text) {
            failures.push(format!("{group}/{name}: {why}\n{text}"));
        }
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("snapshots/cases");
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.bind(|| {
            insta::assert_snapshot!(format!("{group}__{name}"), format!("exit: {code}\n{text}"))
        });
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn invalid_models_are_reported_and_exit_1() {
    run_group("invalid", |_, code, _| {
        if code == 1 {
            Ok(())
        } else {
            Err(format!("expected exit 1, got {code}"))
        }
    });
}

#[test]
fn each_rule_fires_on_its_fixture_and_not_on_the_other() {
    run_group("rules", |name, code, text| {
        let rule_mentioned = |rule: &str| {
            text.lines()
                .any(|l| l.trim() == rule || l.contains(&format!("[{rule}]")))
        };
        if let Some(rule) = name.strip_suffix("-fires") {
            if !rule_mentioned(rule) {
                return Err(format!("expected a `{rule}` finding"));
            }
        } else if let Some(rule) = name.strip_suffix("-passes") {
            if rule_mentioned(rule) {
                return Err(format!("expected no `{rule}` finding"));
            }
            if code == 2 {
                return Err("the tool could not run".into());
            }
        } else {
            return Err("a rule case is named <rule>-fires or <rule>-passes".into());
        }
        Ok(())
    });
}

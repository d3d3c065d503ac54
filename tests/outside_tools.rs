//! The guard for tests that need an outside tool (`tests/support`): a missing tool skips the test with a
//! message on a laptop, and fails it in CI, where every tool the tests use is installed.

mod support;

const ABSENT: &str = "opmodel-test-no-such-tool";

#[test]
fn an_installed_tool_is_found() {
    assert!(support::probe_succeeds(&[
        env!("CARGO_BIN_EXE_opmodel"),
        "--version"
    ]));
}

#[test]
fn a_missing_tool_is_found_missing() {
    assert!(!support::probe_succeeds(&[ABSENT, "--version"]));
    assert!(!support::probe_succeeds(&["sh", "-c", "exit 1"]));
}

#[test]
fn a_missing_tool_is_a_skip_outside_ci() {
    support::missing(ABSENT, false);
}

#[test]
#[should_panic(expected = "opmodel-test-no-such-tool is not installed, and CI is set")]
fn a_missing_tool_fails_in_ci() {
    support::missing(ABSENT, true);
}

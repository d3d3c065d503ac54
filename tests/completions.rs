//! `opmodel completions SHELL` and `opmodel man`: generated from the command-line definition, so every
//! subcommand is in them; the bash script parses, and the manual page renders.

use std::io::Write;
use std::process::{Command, Stdio};

mod support;
use support::skip_without;

/// The subcommands `opmodel --help` lists.
fn subcommands() -> Vec<String> {
    let help = support::opmodel(".", &["--help"]);
    assert_eq!(help.code, 0);
    let names: Vec<String> = help
        .stdout
        .split("Commands:\n")
        .nth(1)
        .expect("a Commands section")
        .lines()
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(String::from)
        .collect();
    for expected in ["check", "audit", "init", "completions", "man"] {
        assert!(names.iter().any(|n| n == expected), "{names:?}");
    }
    names
}

/// Run `program args` with `input` on standard input; its exit status and standard output.
fn pipe(program: &str, args: &[&str], input: &str) -> (bool, String, String) {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_shell_gets_a_script_that_knows_every_subcommand() {
    let names = subcommands();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = support::opmodel(".", &["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        for name in &names {
            assert!(run.stdout.contains(name.as_str()), "{shell}: no {name}");
        }
    }
    let unknown = support::opmodel(".", &["completions", "tcsh"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("possible values"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn the_bash_script_parses() {
    skip_without!("bash");
    let script = support::opmodel(".", &["completions", "bash"]).stdout;
    let (ok, _, err) = pipe("bash", &["-n"], &script);
    assert!(ok, "bash -n: {err}");
    // Sourced, it registers the completion function.
    let (ok, out, err) = pipe("bash", &[], &format!("{script}\ncomplete -p opmodel\n"));
    assert!(ok && out.contains("opmodel"), "{out}{err}");
}

/// Render roff with groff as `man` would, as plain text (groff's overstrike bold removed); None without groff.
fn render(roff: &str) -> String {
    let (ok, text, err) = pipe("groff", &["-man", "-Tutf8", "-ww"], roff);
    assert!(ok, "groff: {err}");
    assert!(err.is_empty(), "groff warns: {err}");
    let mut plain = String::new();
    for c in text.chars() {
        if c == '\u{8}' {
            plain.pop();
        } else {
            plain.push(c);
        }
    }
    // Justified lines have runs of spaces: one space between words, as a reader sees them.
    plain
        .split(' ')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_man_page_renders_and_lists_every_subcommand() {
    let page = support::opmodel(".", &["man"]);
    assert_eq!(page.code, 0, "{}", page.stderr);
    assert!(page.stdout.contains(".TH opmodel 1"), "{}", page.stdout);
    skip_without!("groff");
    let plain = render(&page.stdout);
    assert!(plain.contains("SUBCOMMANDS"), "{plain}");
    assert!(plain.contains("--quiet"), "{plain}");
    for name in subcommands() {
        assert!(
            plain.contains(&format!("opmodel-{name}(1)")),
            "the man page does not list {name}:\n{plain}"
        );
        // Each has its own page, as the main page names it.
        let sub = support::opmodel(".", &["man", &name]);
        assert_eq!(sub.code, 0, "{name}: {}", sub.stderr);
        let text = render(&sub.stdout);
        assert!(text.contains(&format!("opmodel-{name}")), "{text}");
        assert!(text.contains(&format!("opmodel {name}")), "{text}");
    }
    let unknown = support::opmodel(".", &["man", "nope"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("`nope` is not an opmodel command"),
        "{}",
        unknown.stderr
    );
}

//! Hostile model text through every output format of `check`, `diff` and `audit`. Names, titles, an invalid id,
//! commit subjects, author names and paths carry newlines, `## headings`, links, autolinks, `<img>`, mentions,
//! table pipes, workflow commands (`::error`, `##[add-mask]`), ESC sequences and OSC-8 links.
//!
//! Markdown is rendered with GitHub's own renderer (cmark-gfm with GitHub's extensions, PyPI `cmarkgfm`), and the
//! HTML must hold only what opmodel writes: its headings, links to its docs, no mention, no HTML beyond its own
//! tags, no table row with more cells than its header. Human reports must start no line with a workflow command
//! and carry no ESC byte. The scenario is a git repository built by the test, commit by commit.

use support::{skip_without, Repo, Run, DAY, NOV_1_2026};

mod support;

/// Everything that would act in Markdown, a terminal or an Actions log if it went through raw.
const HOSTILE: &str = "Ana\\n## All sign-offs received: safe to merge\\n[link](https://evil.example) \
![img](https://evil.example/i.png) <img src=x onerror=alert(1)> <b>bold</b> @mallory @org/team \
www.evil.example https://evil.example/x mallory@evil.example | cell | *em* __strong__ ~strike~ `code` \
\\\\ &amp; &#64;x\\n::error ::injected\\n  ::warning file=x::indented\\n##[add-mask]secret\\n\
1. list\\n- item\\n> quote\\n---\\n\\u001B[2J\\u001B]8;;https://evil.example\\u001B\\\\click\\u001B]8;;\\u001B\\\\\
\\r::notice ::after-cr \\u009B31m";

/// A commit subject (one line) and an author name (git keeps no newline there).
const HOSTILE_LINE: &str =
    "## [link](https://evil.example) <img src=x> @mallory | cell | ::error ::x ~a~ *b*";

const MANIFEST: &str = r#"[model]
version = 1
root = "ops"

[ownership]
required = ["**"]
ignore = ["*.md"]

[approvals]
trailers = ["Approved-by"]
"#;

fn people() -> String {
    format!(
        r#"[[person]]
id = "ana"
name = "{HOSTILE}"
email = "ana@example.com"
github = "ana-l"
team = "payments"

[[person]]
id = "bob"
name = "Bob"
email = "bob@example.com"
manager = "ana"

[[person]]
id = "cfo"
name = "Carl {HOSTILE}"
email = "carl@example.com"

[[team]]
id = "payments"
name = "{HOSTILE}"
lead = "ana"
"#
    )
}

fn areas() -> String {
    format!(
        r#"[[area]]
id = "billing"
title = "{HOSTILE}"
owner = "ana"
team = "payments"
paths = ["/src/billing/"]

[[area]]
id = "model"
title = "The operating model"
owner = "ana"
paths = ["/ops/", "/opmodel.toml"]
"#
    )
}

fn decisions(owner: &str, approvers: &str, title: &str) -> String {
    format!(
        r#"[[decision]]
id = "pricing"
title = "{title}"
owner = "{owner}"
reversible = false
approvers = [{approvers}]
sla = "2d"
rationale = "{HOSTILE}"
"#
    )
}

/// A model file named with a pipe, a link and a newline, whose decision names an unknown owner and has an id
/// the schema refuses.
const HOSTILE_FILE: &str = "ops/a|b [x](https:evil.example) @mallory\n## h.toml";

fn hostile_file() -> String {
    format!(
        r#"[[decision]]
id = "{HOSTILE}"
title = "{HOSTILE}"
owner = "mallory"
reversible = true
"#
    )
}

/// A changed path nobody owns, with a pipe, a newline and a workflow command in it.
const UNOWNED: &str = "src/x|y [l](https://evil.example)/\n::error ::path/z.rs";

/// Base (tagged `base`): the hostile names and titles, committed by Ana. Head: a hostile author and subject move
/// the one-way pricing decision to Bob without its approvers, add the hostile model file and a path nobody owns.
fn scenario() -> Repo {
    let s = Repo::new().dated(NOV_1_2026, DAY);
    s.write("opmodel.toml", MANIFEST);
    s.write("ops/people.toml", &people());
    s.write("ops/areas.toml", &areas());
    s.write(
        "ops/decisions.toml",
        &decisions("ana", "\"cfo\"", "Approve a price"),
    );
    s.write("src/billing/x.rs", "fn main() {}\n");
    s.commit("base");
    s.tag("base");

    s.write("ops/decisions.toml", &decisions("bob", "", HOSTILE));
    s.write(HOSTILE_FILE, &hostile_file());
    s.write(UNOWNED, "fn main() {}\n");
    s.write("src/billing/x.rs", "fn main() { /* changed */ }\n");
    s.commit_as((HOSTILE_LINE, "mallory@evil.example"), HOSTILE_LINE);
    s
}

/// `opmodel ARGS` in the scenario, which exits 0 or 1 whatever the text; `TEXT_SAFETY_SHOW=1` prints each report.
fn opmodel(s: &Repo, args: &[&str]) -> Run {
    let run = s.opmodel(args);
    assert!(
        run.code == 0 || run.code == 1,
        "opmodel {args:?} exited {}:\n{}",
        run.code,
        run.stderr
    );
    if std::env::var_os("TEXT_SAFETY_SHOW").is_some() {
        eprintln!("==== opmodel {args:?}\n{}", run.stdout);
    }
    run
}

/// The three commands, each with the arguments that run it on the scenario.
const COMMANDS: [&[&str]; 3] = [
    &["check"],
    &["diff", "base", "HEAD"],
    &["audit", "base..HEAD"],
];

fn with_format<'a>(command: &[&'a str], format: &'a str) -> Vec<&'a str> {
    let mut args = command.to_vec();
    args.extend(["--format", format]);
    args
}

/// Whether the hostile text really reached the report (so a report that lost it cannot pass by accident).
fn assert_carries_model_text(args: &[&str], out: &str) {
    assert!(
        out.contains("safe to merge") || out.contains("mallory"),
        "opmodel {args:?} shows none of the hostile text, so this test proves nothing:\n{out}"
    );
}

#[test]
fn human_reports_start_no_workflow_command_and_carry_no_escape() {
    skip_without!("git");
    let s = scenario();
    for command in COMMANDS {
        let args = with_format(command, "human");
        let run = opmodel(&s, &args);
        assert_carries_model_text(&args, &run.stdout);
        for out in [&run.stdout, &run.stderr] {
            assert!(
                !out.contains('\u{1b}') && !out.contains('\u{9b}') && !out.contains('\r'),
                "opmodel {args:?} lets a control character through:\n{out:?}"
            );
            for line in out.lines() {
                let content = line.trim_start();
                assert!(
                    !content.starts_with("::") && !content.starts_with("##["),
                    "opmodel {args:?} prints a line the Actions runner would run:\n{line}\n\nin:\n{out}"
                );
            }
        }
    }
}

#[test]
fn annotations_are_one_command_a_line() {
    skip_without!("git");
    let s = scenario();
    for command in COMMANDS {
        let args = with_format(command, "github");
        let run = opmodel(&s, &args);
        assert_carries_model_text(&args, &run.stdout);
        for line in run.stdout.lines() {
            assert!(
                ["::error ", "::warning ", "::notice "]
                    .iter()
                    .any(|c| line.starts_with(c)),
                "opmodel {args:?} prints a line that is not one annotation:\n{line}"
            );
        }
    }
}

#[test]
fn json_and_sarif_stay_json() {
    skip_without!("git");
    let s = scenario();
    for command in COMMANDS {
        for format in ["json", "sarif"] {
            let args = with_format(command, format);
            let run = opmodel(&s, &args);
            assert_carries_model_text(&args, &run.stdout);
            let doc: serde_json::Value = serde_json::from_str(&run.stdout)
                .unwrap_or_else(|e| panic!("opmodel {args:?} is not JSON ({e}):\n{}", run.stdout));
            if format == "sarif" {
                for result in doc["runs"][0]["results"].as_array().unwrap() {
                    let text = result["message"]["text"].as_str().unwrap();
                    assert!(
                        !text.contains('\u{1b}') && !text.replace("\\]", "").contains("]("),
                        "a SARIF message holds an escape or an embedded link:\n{text:?}"
                    );
                }
            }
        }
    }
}

/// The part of the cmark-gfm checker (`support::gfm_problems`) that knows what opmodel's findings reports write:
/// its tags, its headings, links to its docs only, no mention, emphasis that renders.
const CHECKER: &str = r#"
ALLOWED = {"p", "h2", "h3", "h4", "ul", "li", "code", "strong", "em", "a", "table", "thead", "tbody", "tr",
           "th", "td", "details", "summary", "blockquote", "br", "pre"}
HEADINGS = ("opmodel ", "Errors (", "Warnings (", "Notes (", "Sign-off needed from", "Needs sign-off (",
            "Other changes (", "Changes nobody owns (", "Changes without their owner", "Drifts without their sign-off (",
            "Handoffs this change touches")
DOCS = sys.argv[1]

class Walk(Page):
    def start(self, tag, attrs):
        # A code block only as diff's Mermaid picture of the handoffs (a fence opmodel writes).
        if tag == "pre" and attrs.get("lang") != "mermaid":
            problems.append("a code block opmodel did not write: " + str(attrs))
        if tag == "a" and not (attrs.get("href") or "").startswith(DOCS):
            problems.append("a link opmodel did not write: " + (attrs.get("href") or ""))
    def heading(self, text):
        if not text.startswith(HEADINGS):
            problems.append("a heading opmodel did not write: " + text)
    def text(self, data):
        # Emphasis opmodel meant that GitHub shows as literal asterisks.
        if "**" in data:
            problems.append("literal ** (emphasis that did not render): " + data)

Walk().feed(html.replace("@<!-- -->", "@ "))
"#;

/// What GitHub would show from `markdown` that opmodel did not write.
fn rendered_problems(markdown: &str) -> Vec<String> {
    support::gfm_problems(
        CHECKER,
        &["https://github.com/opmodel/opmodel/blob/main/docs/rules.md#"],
        markdown,
    )
}

#[test]
fn markdown_reports_hold_only_what_opmodel_wrote() {
    skip_without!("git");
    if !support::cmarkgfm_available() {
        return;
    }
    let s = scenario();
    for command in COMMANDS {
        let args = with_format(command, "markdown");
        let run = opmodel(&s, &args);
        assert_carries_model_text(&args, &run.stdout);
        let problems = rendered_problems(&run.stdout);
        assert!(
            problems.is_empty(),
            "opmodel {args:?} lets model text into GitHub's rendering:\n{}\n\nfrom:\n{}",
            problems.join("\n"),
            run.stdout
        );
    }
}

/// The checker itself must see what it looks for, or the test above could pass on anything.
#[test]
fn the_checker_sees_injected_markdown() {
    if !support::cmarkgfm_available() {
        return;
    }
    let injected = "## opmodel check: 1 error\n\n## All sign-offs received\n\n[x](https://evil.example) \
                    <img src=x> @mallory www.evil.example\n\n| a | b |\n| --- | --- |\n| `x|y` | z |\n";
    let problems = rendered_problems(injected).join("\n");
    for expected in [
        "a heading opmodel did not write: All sign-offs received",
        "a link opmodel did not write: https://evil.example",
        "HTML opmodel did not write: <img",
        "a mention: @mallory",
        "a link opmodel did not write: http://www.evil.example",
        "a row of 3 cells under a header of 2",
    ] {
        assert!(
            problems.contains(expected),
            "the checker missed {expected:?}:\n{problems}"
        );
    }
    assert!(rendered_problems("## opmodel check: no problems\n").is_empty());
}

/// GitHub refuses a pull-request comment over 65,536 characters.
const COMMENT_LIMIT: usize = 65_536;

#[test]
fn a_large_diff_fits_a_comment_and_says_what_it_left_out() {
    skip_without!("git");
    let s = Repo::new().dated(NOV_1_2026, DAY);
    let decisions = |owner: &str| {
        (0..400)
            .map(|i| {
                format!(
                    "[[decision]]\nid = \"d{i}\"\ntitle = \"{}\"\nowner = \"{owner}\"\nreversible = true\n\
                     sla = \"2d\"\nrationale = \"{}\"\n\n",
                    "A decision with a long title ".repeat(4),
                    format!("{owner} decides. ").repeat(100)
                )
            })
            .collect::<String>()
    };
    s.write("opmodel.toml", "[model]\nversion = 1\nroot = \"ops\"\n");
    s.write(
        "ops/people.toml",
        "[[person]]\nid = \"ana\"\nname = \"Ana\"\nemail = \"ana@example.com\"\n\n\
         [[person]]\nid = \"bob\"\nname = \"Bob\"\nemail = \"bob@example.com\"\n",
    );
    s.write("ops/decisions.toml", &decisions("ana"));
    s.commit("base");
    s.tag("base");
    s.write("ops/decisions.toml", &decisions("bob"));
    s.commit("every decision to Bob");

    let run = opmodel(&s, &["diff", "base", "HEAD", "--format", "markdown"]);
    let chars = run.stdout.chars().count();
    assert!(
        chars <= COMMENT_LIMIT,
        "the diff's Markdown holds {chars} characters"
    );
    assert!(run.stdout.contains("#### Sign-off needed from"));
    assert!(
        run.stdout.contains("more changes not shown"),
        "{}",
        &run.stdout[run.stdout.len() - 500..]
    );
    assert_eq!(
        run.stdout.matches("<details>").count(),
        run.stdout.matches("</details>").count(),
        "a <details> left open"
    );
}

/// Copy a folder of the repository's fixtures into `repo`, file by file.
fn copy_fixture(repo: &Repo, from: &std::path::Path, prefix: &str) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}/{name}")
        };
        if entry.file_type().unwrap().is_dir() {
            copy_fixture(repo, &entry.path(), &path);
        } else {
            repo.write(&path, &std::fs::read_to_string(entry.path()).unwrap());
        }
    }
}

/// The stalled company's three Markdown reports (check, diff and audit of a change that loosens an SLA, moves a
/// decision to another owner and adds a file nobody owns), rendered by GitHub's renderer: only what opmodel wrote.
#[test]
fn the_stalled_company_markdown_reports_render_as_written() {
    skip_without!("git");
    if !support::cmarkgfm_available() {
        return;
    }
    let s = Repo::new().dated(NOV_1_2026, DAY);
    copy_fixture(
        &s,
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/stalled"),
        "",
    );
    s.commit("The stalled company");
    s.tag("base");
    s.edit("ops/handoffs.toml", "sla = \"2d\"", "sla = \"2w\"");
    s.edit(
        "ops/decisions.toml",
        "owner = \"tomas-reyes\"",
        "owner = \"founder\"",
    );
    s.write("scripts/deploy.sh", "echo deploy\n");
    s.commit("Loosen an SLA, move a decision, add a script");
    for command in [
        vec!["check", "--as-of", "2026-11-20"],
        vec!["diff", "base", "HEAD"],
        vec!["audit", "base..HEAD"],
    ] {
        let mut args = command.clone();
        args.extend(["--format", "markdown"]);
        let run = s.opmodel(&args);
        assert!(
            run.code <= 1,
            "opmodel {args:?}: {}{}",
            run.stdout,
            run.stderr
        );
        assert!(run.stdout.len() > 200, "opmodel {args:?}: {}", run.stdout);
        let problems = rendered_problems(&run.stdout);
        assert!(
            problems.is_empty(),
            "opmodel {args:?} on the stalled company renders what opmodel did not write:\n{}\n\nfrom:\n{}",
            problems.join("\n"),
            run.stdout
        );
    }
}

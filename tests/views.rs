//! The views of the model: `opmodel show` (one entity and everything connected to it) and `opmodel graph`
//! (Mermaid and DOT pictures), on the example company and on hostile models.

use std::path::Path;

mod support;
use support::opmodel;

const EXAMPLE: &str = "fixtures/example";

fn show(args: &[&str]) -> support::Run {
    let mut all = vec!["show", "-C", EXAMPLE];
    all.extend_from_slice(args);
    opmodel(env!("CARGO_MANIFEST_DIR"), &all)
}

#[test]
fn show_a_person_says_what_they_own_decide_approve_and_who_escalates_to_them() {
    let run = show(&["priya-natarajan"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for line in [
        "owns                decision headcount-plan-2027",
        "approves            decision offer-above-band",
        "is escalated to on  decision offer-above-band",
        "manages             person hannah-cho",
        "ops/decisions/hiring.toml:28 escalate_to",
    ] {
        assert!(run.stdout.contains(line), "{line}\n{}", run.stdout);
    }
    insta::assert_snapshot!("show_person", run.stdout);
}

#[test]
fn show_a_decision_gives_its_owner_approvers_consulted_informed_escalation_sla_status_and_review() {
    let run = show(&["pricing-exceptions"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for field in [
        "owner",
        "approvers",
        "consulted",
        "informed",
        "escalate_to",
        "sla",
        "status",
        "review_by",
    ] {
        assert!(
            run.stdout.contains("ops/decisions/pricing.toml")
                && run.stdout.contains(&format!(" {field}\n")),
            "{field}\n{}",
            run.stdout
        );
    }
    insta::assert_snapshot!("show_decision", run.stdout);
}

#[test]
fn show_a_team_gives_its_lead_members_and_handoffs_in_and_out() {
    let run = show(&["onboarding"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("hands off (out)  handoff onboarding-to-support"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("receives (in)    handoff sales-to-onboarding"),
        "{}",
        run.stdout
    );
    insta::assert_snapshot!("show_team", run.stdout);
}

#[test]
fn show_an_area_counts_the_tracked_files_it_owns() {
    let run = show(&["billing-engine"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("owns "), "{}", run.stdout);
    insta::assert_snapshot!("show_area", run.stdout);
}

#[test]
fn show_json_and_markdown() {
    let run = show(&["pricing-exceptions", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["kind"], "decision");
    let owner = json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "owner")
        .unwrap();
    assert_eq!(owner["value"], "grace-mbeki");
    assert_eq!(owner["origin"]["file"], "ops/decisions/pricing.toml");
    assert_eq!(owner["origin"]["line"], 7);
    let run = show(&["sales", "--format", "markdown"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("show_team_markdown", run.stdout);
}

#[test]
fn an_unknown_id_exits_2_with_the_id_meant_by_name_email_or_spelling() {
    for (asked, meant) in [
        ("Grace", "grace-mbeki"),
        ("priya.natarajan@northwind.example", "priya-natarajan"),
        ("priyanat", "priya-natarajan"),
        ("salse", "sales"),
        ("billing", "billing-eng"),
    ] {
        let run = show(&[asked]);
        assert_eq!(run.code, 2, "{asked}: {}", run.stdout);
        assert!(
            run.stderr.contains(&format!("did you mean `{meant}`?")),
            "{asked}: {}",
            run.stderr
        );
    }
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const MANIFEST: &str = "[model]\nversion = 1\nroot = \"ops\"\n";

#[test]
fn an_id_of_two_kinds_needs_kind() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "opmodel.toml", MANIFEST);
    write(
        dir.path(),
        "ops/model.toml",
        r#"
[[person]]
id = "ana"
name = "Ana"
email = "ana@example.com"

[[area]]
id = "pricing"
title = "Pricing"
owner = "ana"
paths = ["/pricing/"]

[[decision]]
id = "pricing"
title = "Pricing"
owner = "ana"
reversible = true
"#,
    );
    let run = opmodel(dir.path(), &["show", "pricing"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--kind area or --kind decision"),
        "{}",
        run.stderr
    );
    let run = opmodel(dir.path(), &["show", "pricing", "--kind", "decision"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("decision pricing: Pricing\n"),
        "{}",
        run.stdout
    );
    let run = opmodel(dir.path(), &["show", "pricing", "--kind", "area"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("owned files: unknown (not in a git repository)"),
        "{}",
        run.stdout
    );
}

// ---- graph

const VIEWS: [&str; 4] = ["org", "handoffs", "decisions", "priorities"];

fn graph(dir: &Path, view: &str, format: &str) -> String {
    let run = opmodel(dir, &["graph", "--view", view, "--format", format]);
    assert_eq!(run.code, 0, "{view} {format}: {}", run.stderr);
    run.stdout
}

fn example() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(EXAMPLE)
}

#[test]
fn graph_views_of_the_example_company() {
    for view in VIEWS {
        insta::assert_snapshot!(
            format!("graph_{view}_mermaid"),
            graph(&example(), view, "mermaid")
        );
    }
    insta::assert_snapshot!("graph_handoffs_dot", graph(&example(), "handoffs", "dot"));
}

#[test]
fn a_handoff_without_sla_or_acceptance_is_marked() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "opmodel.toml", MANIFEST);
    write(dir.path(), "ops/model.toml", HANDOFF_WITHOUT_SLA);
    let mermaid = graph(dir.path(), "handoffs", "mermaid");
    assert!(
        mermaid.contains("MISSING SLA · MISSING acceptance"),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("  linkStyle 0 stroke:#c62828"),
        "{mermaid}"
    );
    let dot = graph(dir.path(), "handoffs", "dot");
    assert!(dot.contains("MISSING SLA"), "{dot}");
}

const HANDOFF_WITHOUT_SLA: &str = r#"
[[person]]
id = "ana"
name = "Ana"
email = "ana@example.com"

[[team]]
id = "a"
name = "A"
lead = "ana"

[[team]]
id = "b"
name = "B"
lead = "ana"

[[handoff]]
id = "a-to-b"
title = "A to B"
from = "a"
to = "b"
owner = "ana"
"#;

/// Names and titles written to break out of a label: quotes, brackets, statement separators, line breaks,
/// Mermaid directives and comments, HTML, DOT escapes; and two teams that are each other's parent.
const HOSTILE: &str = r#"
[[person]]
id = "eve"
name = "Eve\"]\n  click n0 href \"javascript:alert(1)\"\n  n9[\"x"
email = "eve@example.com"
team = "red"

[[person]]
id = "mal"
name = "Mal\"; } n0 [URL=\"https://evil.example\"]; { \\N \\G"
email = "mal@example.com"
team = "blue"
manager = "eve"

[[team]]
id = "red"
name = "Red\"] ; click n1 call alert() %%{init: {\"securityLevel\": \"loose\"}}%%"
lead = "eve"
parent = "blue"

[[team]]
id = "blue"
name = "Blue <img src=x onerror=alert(1)> `**md**` &amp; #35; |pipe|"
lead = "mal"
parent = "red"

[[handoff]]
id = "red-to-blue"
title = "-->|\"x\"| n0\nlinkStyle 0 stroke:red; click n0 \"https://evil.example\""
from = "red"
to = "blue"
owner = "eve"
sla = "1d"
acceptance = ["ok"]

[[decision]]
id = "d"
title = "end\nsubgraph evil\n<script>alert(1)</script>"
owner = "eve"
approvers = ["mal"]
reversible = true

[[metric]]
id = "m"
name = "M\"} click"
owner = "eve"
serves = ["p"]

[[priority]]
id = "p"
title = "P\" ]]"
owner = "eve"
stop_doing = ["\"]\nclick n0 href \"https://evil.example\""]
"#;

fn hostile() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "opmodel.toml", MANIFEST);
    write(dir.path(), "ops/model.toml", HOSTILE);
    dir
}

/// Every line of a Mermaid picture is one opmodel writes: model text only ever inside a quoted label, and
/// without a quote, a line break or a statement separator of its own.
#[test]
fn hostile_names_cannot_leave_a_mermaid_label() {
    let dir = hostile();
    let line = mermaid_line();
    for view in VIEWS {
        let text = graph(dir.path(), view, "mermaid");
        for l in text.lines() {
            assert!(
                line(l),
                "{view}: a line opmodel does not write:\n{l}\n\n{text}"
            );
        }
        assert!(!text.contains("%%"), "{text}");
    }
}

/// Whether a line is one that opmodel's Mermaid output consists of (no regex crate in the dependencies). A label
/// holds letters, digits, plain punctuation, entity codes (`#34;`) and opmodel's own `<br/>`, nothing else.
fn mermaid_line() -> impl Fn(&str) -> bool {
    fn label(s: &str) -> Option<&str> {
        let rest = s.strip_prefix('"')?;
        let end = rest.find('"')?;
        let inside = rest[..end].replace("<br/>", " ");
        let mut chars = inside.chars();
        while let Some(c) = chars.next() {
            if c == '#' {
                let code: String = chars.by_ref().take_while(|&c| c != ';').collect();
                if code.is_empty() || !code.chars().all(|c| c.is_ascii_digit()) {
                    return None;
                }
            } else if c.is_control() || "\"\\;<>`{}[]|&=%".contains(c) {
                return None;
            }
        }
        Some(&rest[end + 1..])
    }
    fn node_id(s: &str, prefix: char) -> Option<&str> {
        let rest = s.strip_prefix(prefix)?;
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        (digits > 0).then(|| &rest[digits..])
    }
    move |line: &str| {
        let l = line.trim_start();
        if l == "end" || l == "flowchart LR" || l == "flowchart TB" {
            return true;
        }
        if l.starts_with("classDef missing stroke:#c62828,stroke-width:2px,color:#c62828") {
            return l == "classDef missing stroke:#c62828,stroke-width:2px,color:#c62828";
        }
        if let Some(rest) = l.strip_prefix("class ") {
            return rest
                .strip_suffix(" missing")
                .is_some_and(|ids| ids.split(',').all(|id| node_id(id, 'n') == Some("")));
        }
        if let Some(rest) = l.strip_prefix("linkStyle ") {
            return rest
                .strip_suffix(" stroke:#c62828,color:#c62828")
                .is_some_and(|ids| {
                    ids.split(',')
                        .all(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()))
                });
        }
        if let Some(rest) = l.strip_prefix("subgraph ") {
            return node_id(rest, 'c')
                .and_then(|r| r.strip_prefix('['))
                .and_then(label)
                == Some("]");
        }
        let Some(rest) = node_id(l, 'n') else {
            return false;
        };
        if let Some(rest) = rest.strip_prefix('[') {
            return label(rest) == Some("]");
        }
        let Some(rest) = rest
            .strip_prefix(" -->")
            .or_else(|| rest.strip_prefix(" -.->"))
        else {
            return false;
        };
        let rest = match rest.strip_prefix('|') {
            Some(r) => match label(r).and_then(|r| r.strip_prefix('|')) {
                Some(r) => r,
                None => return false,
            },
            None => rest,
        };
        rest.strip_prefix(' ').and_then(|r| node_id(r, 'n')) == Some("")
    }
}

/// Graphviz renders every view of the example company and of the hostile model; the hostile names add no link
/// (`URL`, `href`) and no node of their own to the SVG.
#[test]
fn dot_renders_with_graphviz() {
    if !support::require("dot (Graphviz)", &["dot", "-V"]) {
        return;
    }
    let hostile = hostile();
    for (dir, what) in [
        (example(), "example"),
        (hostile.path().to_path_buf(), "hostile"),
    ] {
        for view in VIEWS {
            let text = graph(&dir, view, "dot");
            let out = dir_file(&text, "picture.dot");
            let svg = std::process::Command::new("dot")
                .arg("-Tsvg")
                .arg(out.path().join("picture.dot"))
                .output()
                .unwrap();
            assert!(
                svg.status.success(),
                "{what} {view}: {}\n{text}",
                String::from_utf8_lossy(&svg.stderr)
            );
            let svg = String::from_utf8_lossy(&svg.stdout);
            // A link is an `href` attribute; the hostile name's text may say "href" as escaped text.
            assert!(!svg.contains("href=\""), "{what} {view}: a link in\n{svg}");
            let nodes = text
                .lines()
                .filter(|l| {
                    l.trim_start().starts_with('n') && l.contains(" [label=") && !l.contains("->")
                })
                .count();
            assert_eq!(
                svg.matches("class=\"node\"").count(),
                nodes,
                "{what} {view}"
            );
        }
    }
}

/// The `mermaid` package's own parser (.ci/mermaid-parse.mjs, packages from MERMAID_HOME) accepts every view of
/// the example company, of the hostile model, and the handoff picture of a diff.
#[test]
fn mermaid_parses_with_the_mermaid_package() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/mermaid-parse.mjs");
    let script = script.to_str().unwrap();
    if !support::require(
        "the mermaid npm package (MERMAID_HOME)",
        &["node", script, "--version"],
    ) {
        return;
    }
    let hostile = hostile();
    let folder = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (dir, what) in [
        (example(), "example"),
        (hostile.path().to_path_buf(), "hostile"),
    ] {
        for view in VIEWS {
            let path = folder.path().join(format!("{what}-{view}.mmd"));
            std::fs::write(&path, graph(&dir, view, "mermaid")).unwrap();
            files.push(path);
        }
    }
    let run = std::process::Command::new("node")
        .arg(script)
        .args(&files)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

fn dir_file(text: &str, name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), text).unwrap();
    dir
}

/// The README's picture of the example company's handoffs, and docs/views.md's `show` example, are what opmodel
/// prints today.
#[test]
fn the_docs_show_current_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let start = readme
        .find("```mermaid\n")
        .expect("the README has a Mermaid block")
        + "```mermaid\n".len();
    let end = start + readme[start..].find("```").unwrap();
    assert_eq!(
        &readme[start..end],
        graph(&example(), "handoffs", "mermaid"),
        "update the README's Mermaid block: opmodel graph -C fixtures/example --view handoffs"
    );
    let views = std::fs::read_to_string(root.join("docs/views.md")).unwrap();
    let command = "$ opmodel show -C fixtures/example onboarding\n";
    let start = views.find(command).expect("docs/views.md shows onboarding") + command.len();
    let end = start + views[start..].find("```").unwrap();
    assert_eq!(
        &views[start..end],
        show(&["onboarding"]).stdout,
        "update docs/views.md"
    );
}

/// Every view of the example company and of the hostile model is drawn by Mermaid itself (the `mermaid` package
/// from MERMAID_HOME, as GitHub draws a Mermaid block) in headless Chromium: an SVG with a node per node, and no
/// error. Parsing alone (above) would not catch a diagram that parses but fails to lay out.
#[test]
fn mermaid_draws_every_view_in_headless_chromium() {
    let Some(home) = std::env::var_os("MERMAID_HOME") else {
        support::require("the mermaid npm package (MERMAID_HOME)", &["false"]);
        return;
    };
    let mermaid = Path::new(&home).join("node_modules/mermaid/dist/mermaid.min.js");
    if !support::require(
        "mermaid.min.js in MERMAID_HOME",
        &["test", "-f", mermaid.to_str().unwrap()],
    ) || !support::require_tool("chromium")
    {
        return;
    }
    let hostile = hostile();
    let folder = tempfile::tempdir().unwrap();
    for (dir, what) in [
        (example(), "example"),
        (hostile.path().to_path_buf(), "hostile"),
    ] {
        for view in VIEWS {
            let source = graph(&dir, view, "mermaid");
            let escaped = source
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            let page = folder.path().join(format!("{what}-{view}.html"));
            std::fs::write(
                &page,
                format!(
                    "<!doctype html><html><body><pre class=\"mermaid\">{escaped}</pre>\
                     <script src=\"file://{}\"></script><script>mermaid.initialize({{startOnLoad: false}});\
                     mermaid.run().then(() => document.body.setAttribute('data-drawn', 'yes'))\
                     .catch(e => document.body.setAttribute('data-error', String(e)));</script></body></html>",
                    mermaid.display()
                ),
            )
            .unwrap();
            let (mut chromium, _profile) = support::chromium();
            let run = chromium
                .args([
                    "--allow-file-access-from-files",
                    "--virtual-time-budget=15000",
                    "--dump-dom",
                ])
                .arg(format!("file://{}", page.display()))
                .output()
                .unwrap();
            let dom = String::from_utf8_lossy(&run.stdout);
            assert!(
                dom.contains("data-drawn=\"yes\"") && dom.contains("<svg"),
                "Mermaid did not draw the {view} view of the {what} model:\n{}\n{source}",
                dom.split("data-error=")
                    .nth(1)
                    .unwrap_or("(no error reported)")
            );
            // Each node of the source is a node of the drawing.
            let nodes = source
                .lines()
                .filter(|l| {
                    let l = l.trim_start();
                    l.starts_with('n') && l.contains("[\"") && !l.contains("--")
                })
                .count();
            let drawn = dom.matches("class=\"node ").count();
            assert!(
                nodes > 0,
                "no node in the {view} view of the {what} model:\n{source}"
            );
            assert!(
                drawn >= nodes,
                "the {view} view of the {what} model: {nodes} nodes in the source, {drawn} drawn"
            );
        }
    }
}

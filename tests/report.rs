//! `opmodel report`: the handbook of the example company in Markdown (a snapshot), hostile model text through both
//! formats (GitHub's Markdown renderer, cmark-gfm, sees only what opmodel wrote; the HTML has no markup and no
//! network reference that opmodel did not write), and the HTML in real clients: headless Chromium draws it (a
//! screenshot of the expected size that is not blank) and the Nu HTML Checker finds no error.

use std::path::{Path, PathBuf};
use std::process::Command;

mod support;
use support::opmodel;

const AS_OF: &str = "2026-11-20";

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/example")
}

fn stalled() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/stalled")
}

fn report(dir: &Path, format: &str) -> String {
    let run = opmodel(dir, &["report", "--as-of", AS_OF, "--format", format]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    run.stdout
}

#[test]
fn markdown_report_of_the_example_company() {
    insta::assert_snapshot!("report_example_markdown", report(&example(), "markdown"));
}

#[test]
fn findings_are_those_of_check_summarised_by_rule() {
    let check = opmodel(stalled(), &["check", "--as-of", AS_OF, "--format", "json"]);
    assert_eq!(check.code, 1);
    let json: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let mut by_rule: std::collections::BTreeMap<String, usize> = Default::default();
    for f in json["findings"].as_array().unwrap() {
        *by_rule
            .entry(f["rule"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    assert!(!by_rule.is_empty());
    // A report is a document: findings do not fail it.
    let markdown = report(&stalled(), "markdown");
    let section = &markdown[markdown.find("## Current findings").unwrap()..];
    for (rule, n) in &by_rule {
        assert!(
            section
                .lines()
                .any(|l| l.starts_with(&format!("| `{rule}` | "))
                    && l.contains(&format!(" | {n} | "))),
            "{rule} ({n}) is not in:\n{section}"
        );
    }
    // The level flags of `check` apply as in `check`.
    let rule = by_rule.keys().next().unwrap();
    let run = opmodel(
        stalled(),
        &["report", "--as-of", AS_OF, "--allow", rule.as_str()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains(&format!("| `{rule}` | ")));
}

#[test]
fn output_writes_the_file_and_a_bad_date_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("handbook.html");
    let run = opmodel(
        example(),
        &[
            "report",
            "--as-of",
            AS_OF,
            "--format",
            "html",
            "--output",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        report(&example(), "html")
    );
    let run = opmodel(example(), &["report", "--as-of", "tomorrow"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--as-of tomorrow: not a date"),
        "{}",
        run.stderr
    );
}

/// Model text that would act in Markdown or HTML if it went through raw: line breaks into headings and list
/// items, links, autolinks, images, tags, mentions, table pipes, code fences, entities.
const HOSTILE: &str = r#"Eve\n## Injected heading\n[link](https://evil.example) ![i](https://evil.example/i.png) <img src=https://evil.example/x onerror=alert(1)> <a href='https://evil.example'>a</a> <link rel=stylesheet href=//evil.example/s.css> @mallory www.evil.example https://evil.example/x mallory@evil.example | cell | *em* `code`\n```\n# fence\n---\n1. list\n- item\n> quote &amp; &#64;x \" ' end ##"#;

fn hostile_model() -> String {
    format!(
        r#"[[person]]
id = "eve"
name = "{HOSTILE}"
email = "eve@example.com"
team = "red"

[[person]]
id = "mal"
name = "Mal {HOSTILE}"
email = "mal@example.com"
manager = "eve"

[[team]]
id = "red"
name = "Red {HOSTILE}"
lead = "eve"

[[team]]
id = "blue"
name = "Blue {HOSTILE}"
lead = "mal"

[[area]]
id = "all"
title = "Area {HOSTILE}"
owner = "eve"
team = "red"
paths = ["/"]

[[decision]]
id = "d"
title = "Decision {HOSTILE}"
owner = "eve"
approvers = ["mal"]
reversible = false
sla = "2d"

[[handoff]]
id = "red-to-blue"
title = "Handoff {HOSTILE}"
from = "red"
to = "blue"
owner = "eve"

[[metric]]
id = "m"
name = "Metric {HOSTILE}"
owner = "eve"
unit = "{HOSTILE}"
target = 3
serves = ["p"]

[[priority]]
id = "p"
title = "Priority {HOSTILE}"
owner = "eve"
stop_doing = ["{HOSTILE}"]
"#
    )
}

fn hostile() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("opmodel.toml"),
        "[model]\nversion = 1\nroot = \"ops\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("ops")).unwrap();
    std::fs::write(dir.path().join("ops/model.toml"), hostile_model()).unwrap();
    dir
}

/// The HTML references nothing outside itself. Every tag is one opmodel writes, with only the attributes it
/// writes; every link goes to a section of the page; the CSS has no `url(` or `@import`. Model text is there only
/// as escaped text (it may say `https://`, as plain words).
fn assert_self_contained(html: &str) {
    const TAGS: &[&str] = &[
        "!DOCTYPE",
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "header",
        "nav",
        "ol",
        "ul",
        "li",
        "a",
        "main",
        "section",
        "h1",
        "h2",
        "h3",
        "p",
        "code",
        "strong",
        "span",
        "div",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "figure",
        "figcaption",
        "footer",
    ];
    const ATTRIBUTES: &[&str] = &[
        "lang",
        "charset",
        "name",
        "content",
        "class",
        "id",
        "href",
        "scope",
        "data-label",
        "aria-label",
    ];
    let style = &html[html.find("<style>").unwrap()..html.find("</style>").unwrap()];
    assert!(
        !style.contains("url(") && !style.contains("@import"),
        "{style}"
    );
    let rest = html.replace(style, "<style>");
    let mut links = 0;
    for tag in rest.split('<').skip(1) {
        let tag = &tag[..tag.find('>').expect("every < opmodel writes closes")];
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let name = tag.split(' ').next().unwrap();
        assert!(TAGS.contains(&name), "<{tag}>");
        if name == "!DOCTYPE" {
            continue;
        }
        // Attributes as opmodel writes them: `key="value"`, the value without a quote.
        let mut attributes = tag[name.len()..].trim_start();
        while !attributes.is_empty() {
            let (key, after) = attributes.split_once("=\"").expect("key=\"value\"");
            let (value, after) = after.split_once('"').expect("a closing quote");
            assert!(ATTRIBUTES.contains(&key), "<{tag}>");
            if key == "href" {
                links += 1;
                assert!(value.starts_with('#'), "a link off the page: <{tag}>");
            }
            attributes = after.trim_start();
        }
    }
    assert!(links >= 6, "the contents links to each section");
}

#[test]
fn the_html_makes_no_network_reference() {
    assert_self_contained(&report(&example(), "html"));
    let dir = hostile();
    let html = report(dir.path(), "html");
    assert_self_contained(&html);
    assert!(!html.contains("Injected heading</h"), "{html}");
    assert!(html.contains("&lt;img src=https://evil.example/x onerror=alert(1)&gt;"));
    assert!(html.contains("&lt;a href=&#39;https://evil.example&#39;&gt;"));
}

/// The part of the cmark-gfm checker (`support::gfm_problems`) that knows what the report writes: its tags, its
/// headings (and one per priority, `sys.argv[2]`), links to its own sections only, no mention, and code blocks
/// only for its pictures (`sys.argv[1]` of them, Mermaid).
const CHECKER: &str = r##"
ALLOWED = {"h1", "h2", "h3", "p", "ul", "ol", "li", "a", "code", "pre", "strong", "table", "thead", "tbody",
           "tr", "th", "td"}
HEADINGS = ("Operating model handbook", "Who decides what", "Areas and owners", "Handoffs", "Teams and people",
            "Priorities and metrics", "Current findings", "In force (", "Proposed (", "Superseded (",
            "Retired (", "Metrics that serve no priority")

class Walk(Page):
    def __init__(self):
        super().__init__()
        self.pre, self.others = 0, []
    def start(self, tag, attrs):
        if tag == "a" and not (attrs.get("href") or "").startswith("#"):
            problems.append("a link opmodel did not write: %s" % attrs)
        if tag == "pre":
            self.pre += 1
            if attrs.get("lang") != "mermaid":
                problems.append("a code block that is not a picture: %s" % attrs)
    def heading(self, text):
        if not text.startswith(HEADINGS):
            self.others.append(text)

walk = Walk()
walk.feed(html.replace("@<!-- -->", "@ "))
if walk.pre != int(sys.argv[1]):
    problems.append("%d code blocks, not %s pictures" % (walk.pre, sys.argv[1]))
# Each priority's title is a heading opmodel writes; any other heading is not opmodel's.
if len(walk.others) != int(sys.argv[2]):
    problems.append("a heading opmodel did not write: %s (%s priorities)" % (walk.others, sys.argv[2]))
"##;

fn gfm_problems(markdown: &str, pictures: usize, priorities: usize) -> Vec<String> {
    support::gfm_problems(
        CHECKER,
        &[&pictures.to_string(), &priorities.to_string()],
        markdown,
    )
}

#[test]
fn markdown_holds_only_what_opmodel_wrote_on_github() {
    if !support::cmarkgfm_available() {
        return;
    }
    for (what, markdown, priorities) in [
        ("example", report(&example(), "markdown"), 5),
        ("hostile", report(hostile().path(), "markdown"), 1),
    ] {
        let problems = gfm_problems(&markdown, 2, priorities);
        assert!(problems.is_empty(), "{what}: {problems:#?}\n\n{markdown}");
    }
}

#[test]
fn the_markdown_checker_sees_injected_markdown() {
    if !support::cmarkgfm_available() {
        return;
    }
    let injected = "# Operating model handbook\n\n## Injected\n\n[x](https://evil.example) @mallory <img src=x>\n\n```\nx\n```\n\n| a | b |\n| --- | --- |\n| 1 | 2 | 3 |\n";
    let problems = gfm_problems(injected, 0, 0).join("\n");
    for expected in [
        "a heading opmodel did not write: ['Injected']",
        "a link opmodel did not write",
        "a mention: @mallory",
        "HTML opmodel did not write: <img",
        "a code block that is not a picture",
        "a row of 3 cells under a header of 2",
    ] {
        assert!(problems.contains(expected), "{expected}: {problems}");
    }
}

/// The width and height of a PNG, from its IHDR chunk.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && &png[12..16] == b"IHDR",
        "not a PNG"
    );
    let number = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (number(16), number(20))
}

/// Headless Chromium draws the example company's HTML report without the network; the screenshot has the
/// window's size and is not blank (a blank page compresses to about 10 kB; the report's text to far more).
#[test]
fn the_html_renders_in_headless_chromium() {
    if !support::require_tool("chromium") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("handbook.html");
    std::fs::write(&html, report(&example(), "html")).unwrap();
    let png = dir.path().join("handbook.png");
    let (mut chromium, _profile) = support::chromium();
    let run = chromium
        .arg(format!("--screenshot={}", png.display()))
        .arg("--window-size=1280,2000")
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(png_size(&bytes), (1280, 2000));
    assert!(
        bytes.len() > 100_000,
        "a nearly blank screenshot: {} bytes",
        bytes.len()
    );
}

/// The Nu HTML Checker (the W3C validator; `vnu.jar` from the npm package `vnu-jar`, found through `VNU_JAR`)
/// reports no error in the HTML of the example company or of the hostile model.
#[test]
fn the_html_passes_the_nu_html_checker() {
    let jar = std::env::var("VNU_JAR").unwrap_or_default();
    if !support::require(
        "the Nu HTML Checker (VNU_JAR, npm package vnu-jar)",
        &["java", "-jar", &jar, "--version"],
    ) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let example_html = dir.path().join("example.html");
    let hostile_html = dir.path().join("hostile.html");
    std::fs::write(&example_html, report(&example(), "html")).unwrap();
    std::fs::write(&hostile_html, report(hostile().path(), "html")).unwrap();
    let run = Command::new("java")
        .args(["-jar", &jar, "--errors-only"])
        .arg(&example_html)
        .arg(&hostile_html)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

/// A model with nothing in it, and one whose only file is not TOML, still give a whole report (exit 0) in both
/// formats; the broken file is a finding in it.
#[test]
fn an_empty_or_broken_model_still_gives_a_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("opmodel.toml"),
        "[model]\nversion = 1\nroot = \"ops\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("ops")).unwrap();
    let markdown = report(dir.path(), "markdown");
    assert!(markdown.contains("0 people, 0 teams"), "{markdown}");
    assert!(markdown.contains("The model has no areas."), "{markdown}");
    assert!(!markdown.contains("```mermaid"), "{markdown}");
    std::fs::write(dir.path().join("ops/broken.toml"), "[[person]\nid = \"x").unwrap();
    let markdown = report(dir.path(), "markdown");
    assert!(
        markdown.contains("| `toml-syntax` | **error** | 1 |"),
        "{markdown}"
    );
    assert_self_contained(&report(dir.path(), "html"));
}

//! The handbook as one self-contained HTML5 file: inline CSS, no script, no font, no image, no link that leaves
//! the page, so it opens offline, on a phone, and prints. Model text goes through `render::text::html_text`.
//!
//! Mermaid needs its JavaScript to draw, which a self-contained file cannot fetch: each picture is written as text
//! instead, from the same `render::graph::Graph` that `opmodel graph` draws: the groups (teams) as nested lists
//! with their members, then every arrow grouped by where it starts.

use super::{Block, Handbook, Inline, Line};
use crate::render::graph::Graph;
use crate::render::text::html_text;

const STYLE: &str = "
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --band: #f6f8fa; --warn: #b3261e; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 16px/1.5 -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; }
main, header, nav, footer { max-width: 68rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1.5rem; }
h1 { font-size: 1.9rem; margin: 0 0 .5rem; }
h2 { font-size: 1.4rem; margin: 2.2rem 0 .6rem; padding-bottom: .3rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .4rem; }
p { margin: .5rem 0; }
.lead { color: var(--muted); }
nav ol { margin: .5rem 0; padding-left: 1.4rem; columns: 2 14rem; }
nav a { color: #0969da; }
code { font: .85em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--band); padding: 0 .25em; border-radius: 4px; overflow-wrap: anywhere; }
.scroll { overflow-x: auto; margin: .6rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .55rem; border-bottom: 1px solid var(--line); }
th { background: var(--band); font-weight: 600; white-space: nowrap; }
tbody tr:nth-child(even) td { background: #fbfcfd; }
td:first-child { min-width: 12rem; }
td:first-child code { display: block; width: fit-content; margin-top: .15rem; color: var(--muted); }
td.short { white-space: nowrap; }
.missing { color: var(--warn); font-weight: 700; }
figure { margin: .8rem 0; padding: .6rem 1rem; border: 1px solid var(--line); border-radius: 6px; background: var(--band); }
figcaption { font-weight: 600; margin-bottom: .3rem; }
figure ul { margin: .2rem 0; padding-left: 1.2rem; }
.group { font-weight: 600; }
footer { color: var(--muted); font-size: .85rem; padding: 2rem 1rem; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  h1 { font-size: 1.5rem; }
  table, tbody, tr, td { display: block; width: 100%; }
  thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  tr { padding: .45rem 0; border-bottom: 1px solid var(--line); }
  td { border: none; padding: .05rem .2rem; min-width: 0; }
  td:first-child { font-weight: 600; }
  td + td::before { content: attr(data-label) \": \"; color: var(--muted); }
  tbody tr:nth-child(even) td { background: none; }
}
@media print {
  body { font-size: 10.5pt; }
  nav { display: none; }
  main, header, footer { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  h3 { break-after: avoid; }
  tr, figure li { break-inside: avoid; }
  thead { display: table-header-group; }
  .scroll { overflow: visible; }
  tbody tr:nth-child(even) td { background: none; }
}
";

fn line(line: &Line) -> String {
    line.iter()
        .map(|inline| match inline {
            Inline::Text(t) => html_text(t),
            Inline::Code(c) => format!("<code>{}</code>", html_text(c)),
            Inline::Words(w) => words(w),
            Inline::Alert(w) => format!("<strong class=\"missing\">{}</strong>", html_text(w)),
        })
        .collect()
}

/// Most characters of a cell kept on one line (a date, an SLA, a name): short cells do not wrap.
const SHORT: usize = 16;

/// A cell, labelled with its column for narrow screens, where each row becomes a card of `column: value` lines.
fn cell(l: &Line, column: &str) -> String {
    let short = matches!(l.as_slice(), [Inline::Text(t)] if t.chars().count() <= SHORT);
    let class = if short { " class=\"short\"" } else { "" };
    format!(
        "<td{class} data-label=\"{}\">{}</td>",
        html_text(column),
        line(l)
    )
}

/// opmodel's words with their `` `code` `` spans as `<code>` (a lone backtick stays text).
fn words(text: &str) -> String {
    if text.matches('`').count() % 2 != 0 {
        return html_text(text);
    }
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", html_text(part))
            } else {
                html_text(part)
            }
        })
        .collect()
}

pub fn render(handbook: &Handbook) -> String {
    let mut out =
        String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n", html_text(handbook.title)));
    out.push_str(&format!(
        "<style>{STYLE}</style>\n</head>\n<body>\n<header>\n"
    ));
    out.push_str(&format!("<h1>{}</h1>\n", html_text(handbook.title)));
    for l in &handbook.lead {
        out.push_str(&format!("<p class=\"lead\">{}</p>\n", line(l)));
    }
    out.push_str("</header>\n<nav aria-label=\"Contents\">\n<ol>\n");
    for s in &handbook.sections {
        out.push_str(&format!(
            "<li><a href=\"#{}\">{}</a></li>\n",
            s.anchor,
            html_text(s.title)
        ));
    }
    out.push_str("</ol>\n</nav>\n<main>\n");
    for s in &handbook.sections {
        out.push_str(&format!(
            "<section>\n<h2 id=\"{}\">{}</h2>\n",
            s.anchor,
            html_text(s.title)
        ));
        for block in &s.blocks {
            match block {
                Block::Paragraph(l) => out.push_str(&format!("<p>{}</p>\n", line(l))),
                Block::Heading(l) => out.push_str(&format!("<h3>{}</h3>\n", line(l))),
                Block::List(items) => {
                    out.push_str("<ul>\n");
                    for l in items {
                        out.push_str(&format!("<li>{}</li>\n", line(l)));
                    }
                    out.push_str("</ul>\n");
                }
                Block::Table { head, rows } => {
                    out.push_str("<div class=\"scroll\">\n<table>\n<thead>\n<tr>");
                    for h in head {
                        out.push_str(&format!("<th scope=\"col\">{}</th>", html_text(h)));
                    }
                    out.push_str("</tr>\n</thead>\n<tbody>\n");
                    for row in rows {
                        out.push_str("<tr>");
                        for (c, column) in row.iter().zip(head) {
                            out.push_str(&cell(c, column));
                        }
                        out.push_str("</tr>\n");
                    }
                    out.push_str("</tbody>\n</table>\n</div>\n");
                }
                Block::Picture { graph, caption } => {
                    out.push_str(&format!(
                        "<figure>\n<figcaption>{}</figcaption>\n",
                        html_text(caption)
                    ));
                    picture(graph, &mut out);
                    out.push_str("</figure>\n");
                }
            }
        }
        out.push_str("</section>\n");
    }
    out.push_str(
        "</main>\n<footer>\n<p>Made by <code>opmodel report</code> from the model's TOML files; ",
    );
    out.push_str("change those, not this page.</p>\n</footer>\n</body>\n</html>\n");
    out
}

/// A node's label on one line: its lines joined by ` · `.
fn label(lines: &[String]) -> String {
    html_text(&lines.join(" · "))
}

/// A picture as text: the groups as nested lists with their members, then the arrows grouped by their start.
fn picture(graph: &Graph, out: &mut String) {
    fn cluster(graph: &Graph, c: usize, out: &mut String) {
        out.push_str(&format!(
            "<li><span class=\"group\">{}</span>",
            html_text(&graph.clusters[c].label)
        ));
        let members: Vec<String> = (0..graph.nodes.len())
            .filter(|&n| graph.nodes[n].cluster == Some(c))
            .map(|n| label(&graph.nodes[n].lines))
            .collect();
        if !members.is_empty() {
            out.push_str(&format!(": {}", members.join(", ")));
        }
        let children: Vec<usize> = graph.children(Some(c)).collect();
        if !children.is_empty() {
            out.push_str("\n<ul>\n");
            for k in children {
                cluster(graph, k, out);
            }
            out.push_str("</ul>\n");
        }
        out.push_str("</li>\n");
    }
    let top: Vec<usize> = graph.children(None).collect();
    let loose: Vec<String> = (0..graph.nodes.len())
        .filter(|&n| graph.nodes[n].cluster.is_none() && !graph.clusters.is_empty())
        .map(|n| label(&graph.nodes[n].lines))
        .collect();
    if !top.is_empty() {
        out.push_str("<ul>\n");
        for c in top {
            cluster(graph, c, out);
        }
        if !loose.is_empty() {
            out.push_str(&format!(
                "<li><span class=\"group\">In no team</span>: {}</li>\n",
                loose.join(", ")
            ));
        }
        out.push_str("</ul>\n");
    }
    let mut starts: Vec<usize> = Vec::new();
    for e in &graph.edges {
        if !starts.contains(&e.from) {
            starts.push(e.from);
        }
    }
    if starts.is_empty() {
        return;
    }
    out.push_str("<ul>\n");
    for from in starts {
        let ends: Vec<String> = graph
            .edges
            .iter()
            .filter(|e| e.from == from)
            .map(|e| {
                let mut end = label(&graph.nodes[e.to].lines);
                if !e.lines.is_empty() {
                    let words = label(&e.lines);
                    end.push_str(&if e.warn {
                        format!(" <span class=\"missing\">({words})</span>")
                    } else {
                        format!(" ({words})")
                    });
                }
                end
            })
            .collect();
        out.push_str(&format!(
            "<li><span class=\"group\">{}</span> → {}</li>\n",
            label(&graph.nodes[from].lines),
            ends.join("; ")
        ));
    }
    out.push_str("</ul>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_keep_code_spans_and_model_text_stays_text() {
        assert_eq!(
            words("has no `sla`: <b>"),
            "has no <code>sla</code>: &lt;b&gt;"
        );
        assert_eq!(words("one ` tick"), "one ` tick");
        assert_eq!(
            line(&vec![
                Inline::Text("<i>".into()),
                Inline::Code("a\"b".into()),
                Inline::Alert("missing"),
            ]),
            "&lt;i&gt;<code>a&quot;b</code><strong class=\"missing\">missing</strong>"
        );
    }
}

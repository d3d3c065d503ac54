//! The handbook as GitHub Flavored Markdown: headings and tables opmodel writes, model text escaped by
//! `render::text`, and the pictures as ```mermaid blocks, which GitHub draws.

use super::{Block, Handbook, Inline, Line};
use crate::render::graph;
use crate::render::text::{md_cell, md_code, md_inline, md_text};

fn line(line: &Line) -> String {
    line.iter()
        .map(|inline| match inline {
            Inline::Text(t) => md_text(t),
            Inline::Code(c) => md_code(c),
            Inline::Words(w) => md_inline(w),
            Inline::Alert(w) => format!("**{}**", md_text(w)),
        })
        .collect()
}

/// A line as a table cell: every `|` escaped once more (`md_cell`).
fn cell(l: &Line) -> String {
    md_cell(&line(l))
}

pub fn render(handbook: &Handbook) -> String {
    let mut out = format!("# {}\n\n", md_text(handbook.title));
    for l in &handbook.lead {
        out.push_str(&line(l));
        out.push_str("\n\n");
    }
    out.push_str("Contents:\n\n");
    for s in &handbook.sections {
        out.push_str(&format!("- [{}](#{})\n", md_text(s.title), s.anchor));
    }
    for s in &handbook.sections {
        out.push_str(&format!("\n## {}\n", md_text(s.title)));
        for block in &s.blocks {
            out.push('\n');
            match block {
                Block::Paragraph(l) => {
                    out.push_str(&line(l));
                    out.push('\n');
                }
                Block::Heading(l) => out.push_str(&format!("### {}\n", line(l))),
                Block::List(items) => {
                    for l in items {
                        out.push_str(&format!("- {}\n", line(l)));
                    }
                }
                Block::Table { head, rows } => {
                    out.push_str(&format!("| {} |\n", head.join(" | ")));
                    out.push_str(&format!("|{}\n", " --- |".repeat(head.len())));
                    for row in rows {
                        let cells: Vec<String> = row.iter().map(cell).collect();
                        out.push_str(&format!("| {} |\n", cells.join(" | ")));
                    }
                }
                Block::Picture { graph: g, caption } => {
                    out.push_str(&format!("{}:\n\n", md_text(caption)));
                    out.push_str("```mermaid\n");
                    out.push_str(&graph::mermaid(g));
                    out.push_str("```\n");
                }
            }
        }
    }
    out
}

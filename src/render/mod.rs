//! Renderers: each turns the same findings into one output format. None decides a level or reads a file.

pub mod activity;
pub mod audit;
pub mod github;
pub mod graph;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod plan;
pub mod report;
pub mod sarif;
pub mod show;
pub mod text;

use crate::finding::Finding;
use crate::source::Files;

/// What a report is about, for the summary line and document headers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Totals {
    pub files: usize,
    pub entities: usize,
}

/// 1-based line and column of a finding's start and end, when it has a span.
pub fn position(finding: &Finding, files: &Files) -> Option<(usize, usize, usize, usize)> {
    let location = finding.location.as_ref()?;
    let file = files.get(location.file);
    let span = location.span.clone().unwrap_or(0..0);
    let (line, column) = file.line_col(span.start);
    let (end_line, end_column) = file.line_col(span.end);
    Some((line, column, end_line, end_column))
}

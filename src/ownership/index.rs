//! An index of many patterns, so that a path is tested only against the patterns that can match it.
//!
//! Every literal segment of a pattern must equal one segment of a matching path. So a pattern that starts with
//! literal names (`/src/billing/`) is filed under those names joined with `/`, and a path looks up each of its
//! own leading folders (`src`, `src/billing`, `src/billing/a.rs`). Any other pattern with a literal segment
//! (`docs/`, `**/build/*.log`) is filed under its longest one, looked up by each segment of the path. Only
//! patterns without any literal segment (`*.md`, `**`) are tried on every path.

use std::collections::HashMap;

use super::pattern::Pattern;

/// Patterns numbered in the order they were added.
#[derive(Debug, Default)]
pub struct PatternIndex {
    /// By the literal names a matching path starts with, joined with `/`.
    by_prefix: HashMap<Vec<u8>, Vec<usize>>,
    /// By a literal name a matching path has somewhere.
    by_name: HashMap<Vec<u8>, Vec<usize>>,
    /// Patterns with no literal segment.
    everywhere: Vec<usize>,
    len: usize,
}

impl PatternIndex {
    /// Files `pattern` under the next number, which it returns.
    pub fn add(&mut self, pattern: &Pattern) -> usize {
        let number = self.len;
        self.len += 1;
        let prefix: Vec<&[u8]> = pattern.literal_prefix().collect();
        if !prefix.is_empty() {
            self.by_prefix
                .entry(prefix.join(&b'/'))
                .or_default()
                .push(number);
        } else if let Some(name) = pattern.required_name() {
            self.by_name.entry(name.to_vec()).or_default().push(number);
        } else {
            self.everywhere.push(number);
        }
        number
    }

    /// The numbers of the patterns that may match `path`, highest first and each once: every pattern that
    /// matches `path` is among them.
    pub fn candidates(&self, path: &[u8]) -> Vec<usize> {
        let mut out = self.everywhere.clone();
        let ends = path
            .iter()
            .enumerate()
            .filter(|(_, &byte)| byte == b'/')
            .map(|(i, _)| i)
            .chain(std::iter::once(path.len()));
        for end in ends {
            if let Some(numbers) = self.by_prefix.get(&path[..end]) {
                out.extend_from_slice(numbers);
            }
        }
        if !self.by_name.is_empty() {
            for name in path.split(|&byte| byte == b'/') {
                if let Some(numbers) = self.by_name.get(name) {
                    out.extend_from_slice(numbers);
                }
            }
        }
        out.sort_unstable_by(|a, b| b.cmp(a));
        out.dedup();
        out
    }
}

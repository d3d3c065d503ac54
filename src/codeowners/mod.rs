//! GitHub's CODEOWNERS files: read one, build a model from it (`import`), write the one the model implies
//! (`generate`), and compare the reviewers two of them give each path (`compare`).
//!
//! The semantics are GitHub's: the last line whose pattern matches a path decides, and its owners (possibly none)
//! are the path's code owners. Patterns follow [`crate::ownership::pattern`], the same matcher areas use. A line
//! GitHub would skip (an owner that is neither `@login`, `@org/team` nor an email) is reported and skipped.

pub mod generate;
pub mod import;

use std::ops::Range;

use crate::model::Model;
use crate::ownership::pattern::Pattern;
use crate::ownership::{Ownership, Resolution};

/// Where GitHub looks for the file, in its order: the first that exists is used.
pub const LOCATIONS: &[&str] = &[".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"];

/// The CODEOWNERS file GitHub would use, from a reader of paths relative to the repository root: its path and
/// text. A file that cannot be read as UTF-8 text is treated as absent.
pub fn find(mut read: impl FnMut(&str) -> Option<Vec<u8>>) -> Option<(String, String)> {
    LOCATIONS.iter().find_map(|path| {
        let bytes = read(path)?;
        Some((path.to_string(), String::from_utf8(bytes).ok()?))
    })
}

/// A note when the manifest is not at the repository's root: GitHub reads CODEOWNERS only at the root and its
/// patterns are relative to it, while opmodel reads and writes them relative to the manifest's folder.
pub fn subfolder_note(manifest_folder: &std::path::Path) -> Option<String> {
    let repo = crate::source::repository_root(manifest_folder);
    let (Ok(repo), Ok(here)) = (repo.canonicalize(), manifest_folder.canonicalize()) else {
        return None;
    };
    let sub = here.strip_prefix(&repo).ok()?;
    if sub.as_os_str().is_empty() {
        return None;
    }
    let sub = crate::source::shown_file(sub);
    Some(format!(
        "note: the manifest is in {sub}/, not at the repository's root: CODEOWNERS is read from {sub}/ and its \
         patterns are taken relative to {sub}/, while GitHub reads only the root's file, relative to the root \
         (put the manifest at the root to use CODEOWNERS with GitHub)\n"
    ))
}

/// One rule line: a pattern and its owners.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based line number.
    pub number: usize,
    /// The byte span of the line's text (without its newline).
    pub span: Range<usize>,
    /// The pattern as written (escapes kept: the matcher reads them).
    pub pattern: String,
    /// The owners as written: `@login`, `@org/team` or an email.
    pub owners: Vec<String>,
    /// The comment lines directly above it, without `#`.
    pub comments: Vec<String>,
}

/// A line GitHub would skip, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub number: usize,
    pub span: Range<usize>,
    pub reason: String,
}

/// A parsed CODEOWNERS file.
#[derive(Debug, Clone, Default)]
pub struct Codeowners {
    pub lines: Vec<Line>,
    pub skipped: Vec<Skipped>,
    /// The compiled pattern of each line (same order as `lines`).
    patterns: Vec<Pattern>,
}

/// What an owner token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerKind {
    User,
    Team,
    Email,
}

/// The kind of an owner token, or `None` when GitHub would not accept it.
pub fn owner_kind(token: &str) -> Option<OwnerKind> {
    let login_char = |c: char| c.is_ascii_alphanumeric() || c == '-';
    if let Some(name) = token.strip_prefix('@') {
        return match name.split_once('/') {
            Some((org, team))
                if !org.is_empty()
                    && org.chars().all(login_char)
                    && !team.is_empty()
                    && team
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) =>
            {
                Some(OwnerKind::Team)
            }
            None if !name.is_empty() && name.chars().all(login_char) => Some(OwnerKind::User),
            _ => None,
        };
    }
    match token.split_once('@') {
        Some((local, domain))
            if !local.is_empty() && domain.contains('.') && !domain.contains('@') =>
        {
            Some(OwnerKind::Email)
        }
        _ => None,
    }
}

/// Split a line into tokens at unescaped whitespace; a `\` keeps the next character in the token.
fn tokens(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' {
            escaped = true;
            start.get_or_insert(i);
        } else if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push(&line[s..i]);
            }
        } else {
            start.get_or_insert(i);
        }
    }
    if let Some(s) = start {
        out.push(&line[s..]);
    }
    out
}

impl Codeowners {
    /// Read a CODEOWNERS file. Never fails: lines GitHub would skip are listed in `skipped`.
    pub fn parse(text: &str) -> Codeowners {
        let mut file = Codeowners::default();
        let mut comments: Vec<String> = Vec::new();
        let mut offset = 0;
        for (i, raw) in text.split('\n').enumerate() {
            let start = offset;
            offset += raw.len() + 1;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            let span = start..start + line.len();
            let trimmed = line.trim();
            if trimmed.is_empty() {
                comments.clear();
                continue;
            }
            if let Some(comment) = trimmed.strip_prefix('#') {
                comments.push(comment.trim().to_string());
                continue;
            }
            let number = i + 1;
            let all = tokens(trimmed);
            let (pattern, rest) = all.split_first().map_or(("", &[][..]), |(p, r)| (*p, r));
            // An inline comment: a token that starts with `#` ends the owners.
            let owners: Vec<&str> = rest
                .iter()
                .copied()
                .take_while(|t| !t.starts_with('#'))
                .collect();
            let above = std::mem::take(&mut comments);
            if let Some(bad) = owners.iter().find(|t| owner_kind(t).is_none()) {
                file.skipped.push(Skipped {
                    number,
                    span,
                    reason: format!(
                        "`{bad}` is not an owner GitHub accepts (@login, @org/team or an email)"
                    ),
                });
                continue;
            }
            let compiled = match Pattern::parse(pattern) {
                Ok(p) => p,
                Err(e) => {
                    file.skipped.push(Skipped {
                        number,
                        span,
                        reason: format!("the pattern `{pattern}` is not valid: {}", e.message),
                    });
                    continue;
                }
            };
            file.patterns.push(compiled);
            file.lines.push(Line {
                number,
                span,
                pattern: pattern.to_string(),
                owners: owners.iter().map(|t| t.to_string()).collect(),
                comments: above,
            });
        }
        file
    }

    /// The index in `lines` of the line that decides `path`'s owners: the last that matches.
    pub fn deciding(&self, path: &[u8]) -> Option<usize> {
        self.patterns.iter().rposition(|p| p.matches(path))
    }

    /// The code owners of `path` as GitHub compares them: lowercase, sorted, without duplicates.
    pub fn reviewers(&self, path: &[u8]) -> Vec<String> {
        self.deciding(path)
            .map(|i| normalized(&self.lines[i].owners))
            .unwrap_or_default()
    }
}

/// Owners as a set GitHub would compare: logins and emails are case-insensitive.
pub fn normalized(owners: &[String]) -> Vec<String> {
    let mut out: Vec<String> = owners.iter().map(|o| o.to_lowercase()).collect();
    out.sort();
    out.dedup();
    out
}

/// The reviewers the model asks for on `path`: the tokens `generate` writes for the area that wins it.
pub fn model_reviewers(model: &Model, ownership: &Ownership, path: &[u8]) -> Vec<String> {
    match ownership.resolve(path) {
        Resolution::Owned { area, .. } => {
            normalized(&generate::area_owners(model, &model.areas[area]).tokens)
        }
        _ => Vec::new(),
    }
}

/// One path whose reviewers differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub path: Vec<u8>,
    /// The index in `lines` of the CODEOWNERS line that decides it, if any.
    pub line: Option<usize>,
    pub in_file: Vec<String>,
    pub in_model: Vec<String>,
}

/// Every path whose reviewers under `file` differ from the model's, in path order.
pub fn compare(
    file: &Codeowners,
    model: &Model,
    ownership: &Ownership,
    paths: &[Vec<u8>],
) -> Vec<Difference> {
    paths
        .iter()
        .filter_map(|path| {
            let line = file.deciding(path);
            let in_file = line
                .map(|i| normalized(&file.lines[i].owners))
                .unwrap_or_default();
            let in_model = model_reviewers(model, ownership, path);
            (in_file != in_model).then(|| Difference {
                path: path.clone(),
                line,
                in_file,
                in_model,
            })
        })
        .collect()
}

/// The differences grouped by the CODEOWNERS line that decides them (paths no line matches first).
pub fn by_line(
    differences: &[Difference],
) -> std::collections::BTreeMap<Option<usize>, Vec<&Difference>> {
    let mut out: std::collections::BTreeMap<Option<usize>, Vec<&Difference>> = Default::default();
    for d in differences {
        out.entry(d.line).or_default().push(d);
    }
    out
}

/// Owners in words: `@ana @acme/web`, or `nobody`.
pub fn words(owners: &[String]) -> String {
    if owners.is_empty() {
        "nobody".into()
    } else {
        owners.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_comments_escapes_and_skipped_lines() {
        let text = "# Docs team\n# (all of them)\n/docs/ @ana @acme/docs # inline\n\n\
                    my\\ file.txt ana@example.com\nCHANGELOG.md\nbad @\n*.md @Bob\r\n";
        let file = Codeowners::parse(text);
        assert_eq!(file.lines.len(), 4);
        assert_eq!(file.lines[0].comments, vec!["Docs team", "(all of them)"]);
        assert_eq!(file.lines[0].owners, vec!["@ana", "@acme/docs"]);
        assert_eq!(file.lines[1].pattern, "my\\ file.txt");
        assert!(file.lines[2].owners.is_empty());
        assert_eq!(file.skipped.len(), 1);
        assert_eq!(file.skipped[0].number, 7);
        assert_eq!(file.reviewers(b"my file.txt"), vec!["ana@example.com"]);
        assert_eq!(file.reviewers(b"docs/a.md"), vec!["@bob"]);
        // The later `*.md` line wins over the owner-less one; no line at all means no reviewers.
        assert_eq!(file.reviewers(b"x/CHANGELOG.md"), vec!["@bob"]);
        assert_eq!(file.reviewers(b"src/x.rs"), Vec::<String>::new());
        assert_eq!(file.reviewers(b"docs/a.txt"), vec!["@acme/docs", "@ana"]);
    }

    #[test]
    fn owner_kinds() {
        assert_eq!(owner_kind("@ana-l"), Some(OwnerKind::User));
        assert_eq!(owner_kind("@acme/web.ui"), Some(OwnerKind::Team));
        assert_eq!(owner_kind("a@b.io"), Some(OwnerKind::Email));
        assert_eq!(owner_kind("@"), None);
        assert_eq!(owner_kind("ana"), None);
        assert_eq!(owner_kind("@a/b/c"), None);
    }
}

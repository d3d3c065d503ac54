//! Text safety, once for every renderer. Model text (names, titles, ids, paths, commit subjects) is written by
//! whoever can push to the repository, and it reaches a pull-request comment, a terminal and a CI log: there it
//! must stay text. Markdown escapes what GitHub Flavored Markdown would turn into structure, links, mentions or
//! HTML; terminal text shows control characters instead of obeying them and cannot start a workflow command.
//! Annotations escape their own way (`render::github`); JSON and SARIF are escaped by serde.

/// Text as one line of Markdown prose: every character GFM gives meaning is escaped, so the text cannot add
/// headings, emphasis, links, images, autolinks, mentions, HTML or table cells. Backticks are escaped too.
pub fn md_text(text: &str) -> String {
    let chars: Vec<char> = one_line(text).chars().collect();
    let mut out = String::with_capacity(text.len());
    escape_prose(&chars, &mut out);
    out
}

/// A finding's message as one line of Markdown: its code spans (`` `owner` ``) stay code, the rest is escaped as
/// [`md_text`]. A backtick that opens no code span (its run has no closing run of the same length) is escaped.
pub fn md_inline(text: &str) -> String {
    let chars: Vec<char> = one_line(text).chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut prose = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '`' {
            prose.push(chars[i]);
            i += 1;
            continue;
        }
        let run = run_length(&chars, i);
        match closing_run(&chars, i + run, run) {
            Some(close) => {
                let line_start = out.is_empty();
                escape_prose_at(&prose, &mut out, line_start);
                prose.clear();
                // Inside a code span everything is literal: HTML, brackets and `@` included.
                out.extend(&chars[i..close + run]);
                i = close + run;
            }
            None => {
                prose.extend(std::iter::repeat_n('`', run));
                i += run;
            }
        }
    }
    let line_start = out.is_empty();
    escape_prose_at(&prose, &mut out, line_start);
    out
}

/// Text as a Markdown code span, with a fence longer than any backtick run in it; control characters become
/// spaces, since a code span cannot hold a line break.
pub fn md_code(text: &str) -> String {
    let text = one_line(text);
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if text.starts_with('`') || text.ends_with('`') {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

/// Markdown made by the functions above, made safe as one table cell: GFM splits a row at every `|` that is not
/// escaped, code spans included, and unescapes `\|` before reading the cell, so every `|` is escaped once more.
pub fn md_cell(markdown: &str) -> String {
    markdown.replace('|', "\\|")
}

/// Text for HTML, as element content or inside a double- or single-quoted attribute: `&`, `<`, `>`, `"` and `'`
/// become character references, so model text can add no tag, attribute or entity; control characters and the
/// bidirectional overrides become spaces, so it cannot reorder the text around it.
pub fn html_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() || is_bidi_control(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Text for a terminal or a CI log, kept on its line: control characters other than a tab (ESC and so every
/// escape sequence and OSC-8 link, CR, LF, the other C0 and C1 codes) and the bidirectional overrides are shown
/// as Rust escapes (`\u{1b}`, `\r`, `\n`) instead of acting, so model text cannot forge a line of a report.
pub fn terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if (c.is_control() && c != '\t') || is_bidi_control(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A SARIF message's plain text: line breaks kept, other control characters shown as in [`terminal`], and square brackets escaped
/// (`\[`, as SARIF 2.1.0 §3.11.6 says) when the text holds `](`, which a viewer would read as an embedded link.
pub fn sarif_text(text: &str) -> String {
    let text = text
        .split('\n')
        .map(terminal)
        .collect::<Vec<_>>()
        .join("\n");
    if !text.contains("](") {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(c, '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A whole human report made safe for a CI log: a line that starts, after any indentation, with `::` or `##[`
/// would be run by the GitHub Actions runner as a workflow command (`::error`, `::add-mask`, `##[set-output]`).
/// opmodel's human reports never start a line so, so such a line holds model text: a `\` before it keeps it text.
pub fn neutralize_workflow_commands(report: &str) -> String {
    if !report.contains("::") && !report.contains("##[") {
        return report.to_string();
    }
    let mut out = String::with_capacity(report.len() + 8);
    for line in report.split_inclusive('\n') {
        let content = line.trim_start();
        if content.starts_with("::") || content.starts_with("##[") {
            let indent = &line[..line.len() - content.len()];
            out.push_str(indent);
            out.push('\\');
            out.push_str(content);
        } else {
            out.push_str(line);
        }
    }
    out
}

/// Line breaks, tabs and other control characters as spaces: Markdown text stays on its line (and in its cell).
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

fn run_length(chars: &[char], at: usize) -> usize {
    chars[at..].iter().take_while(|c| **c == '`').count()
}

/// Where the next backtick run of exactly `length` starts, at or after `from`.
fn closing_run(chars: &[char], from: usize, length: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        if chars[i] == '`' {
            let run = run_length(chars, i);
            if run == length {
                return Some(i);
            }
            i += run;
        } else {
            i += 1;
        }
    }
    None
}

fn escape_prose(chars: &[char], out: &mut String) {
    escape_prose_at(chars, out, true);
}

/// Escape prose; `line_start` says the text begins a line, where `#`, `-`, `+`, `=`, `1.` would start a block.
fn escape_prose_at(chars: &[char], out: &mut String, line_start: bool) {
    let block_marker = if line_start {
        block_marker(chars)
    } else {
        None
    };
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // `@login` would notify that person and `name@host` is an email autolink: an empty HTML comment
            // breaks both, and renders as nothing.
            '@' if chars.get(i + 1).is_some_and(|n| n.is_alphanumeric()) => {
                out.push_str("@<!-- -->")
            }
            // `https://` (any scheme) and `www.` become links in GFM, with or without angle brackets.
            ':' if chars[i + 1..].starts_with(&['/', '/']) => out.push_str("\\:"),
            '.' if i >= 3 && is_www(&chars[..i]) => out.push_str("\\."),
            c if block_marker == Some(i) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
}

/// Where a character must be escaped for the text not to open a block at the start of a line (a heading, a
/// list item, a setext underline), if anywhere.
fn block_marker(chars: &[char]) -> Option<usize> {
    let start = chars.iter().take_while(|c| **c == ' ').count();
    match chars.get(start) {
        Some('#' | '-' | '+' | '=') => Some(start),
        Some(c) if c.is_ascii_digit() => {
            // `1.` or `1)` starts an ordered list: the `.` or `)` is escaped.
            let end = start
                + chars[start..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
            matches!(chars.get(end), Some('.' | ')')).then_some(end)
        }
        _ => None,
    }
}

/// Whether the characters before a `.` end in a word `www` (any case).
fn is_www(before: &[char]) -> bool {
    let tail = &before[before.len() - 3..];
    let www = tail.iter().all(|c| c.eq_ignore_ascii_case(&'w'));
    let boundary = before.len() == 3 || !before[before.len() - 4].is_alphanumeric();
    www && boundary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_escaped() {
        assert_eq!(
            md_text("a <img src=x> [y](z) *b* ~c~ `d`"),
            "a &lt;img src=x&gt; \\[y\\](z) \\*b\\* \\~c\\~ \\`d\\`"
        );
        assert_eq!(md_text("two\nlines"), "two lines");
        assert_eq!(md_text("approved by @ana"), "approved by @<!-- -->ana");
        assert_eq!(md_text("ana@example.com"), "ana@<!-- -->example.com");
        assert_eq!(md_text("see https://evil"), "see https\\://evil");
        assert_eq!(md_text("see www.evil.com"), "see www\\.evil.com");
        assert_eq!(md_text("## heading"), "\\## heading");
        assert_eq!(md_text("a ## b"), "a ## b");
        assert_eq!(md_text("12. item"), "12\\. item");
        assert_eq!(md_text("- item"), "\\- item");
    }

    #[test]
    fn code_spans_in_messages_stay_code() {
        assert_eq!(md_inline("`owner` of \"x\""), "`owner` of \"x\"");
        assert_eq!(md_inline("one ` tick"), "one \\` tick");
        assert_eq!(md_inline("`a <b>` and <c>"), "`a <b>` and &lt;c&gt;");
        // A run of two backticks is not closed by single ones.
        assert_eq!(md_inline("``[x](y) `z`"), "\\`\\`\\[x\\](y) `z`");
        assert_eq!(md_inline("# `x`"), "\\# `x`");
    }

    #[test]
    fn paths_with_backticks_get_a_longer_fence() {
        assert_eq!(md_code("ops/a.toml:3:1"), "`ops/a.toml:3:1`");
        assert_eq!(md_code("ops/a`b.toml"), "``ops/a`b.toml``");
        assert_eq!(md_code("`x"), "`` `x ``");
    }

    #[test]
    fn cells_escape_every_pipe() {
        assert_eq!(md_cell(&md_code("a|b")), "`a\\|b`");
        assert_eq!(md_cell(&md_text("a|b")), "a\\\\|b");
    }

    #[test]
    fn html_text_adds_no_markup() {
        assert_eq!(
            html_text("<img src=x onerror='a'> \"q\" &amp;\n\u{202e}"),
            "&lt;img src=x onerror=&#39;a&#39;&gt; &quot;q&quot; &amp;amp;  "
        );
    }

    #[test]
    fn terminal_shows_control_characters() {
        assert_eq!(terminal("a\u{1b}[2Jb\rc\n\td"), "a\\u{1b}[2Jb\\rc\\n\td");
        assert_eq!(terminal("x\u{9b}y\u{202e}"), "x\\u{9b}y\\u{202e}");
    }

    #[test]
    fn sarif_text_has_no_embedded_links() {
        assert_eq!(sarif_text("see [a](1)"), "see \\[a\\](1)");
        assert_eq!(
            sarif_text("[rules] table\n\u{1b}"),
            "[rules] table\n\\u{1b}"
        );
    }

    #[test]
    fn workflow_commands_are_neutralized_at_any_indentation() {
        assert_eq!(
            neutralize_workflow_commands("ok\n  ::error ::x\n##[add-mask]s\na ::b\n"),
            "ok\n  \\::error ::x\n\\##[add-mask]s\na ::b\n"
        );
    }
}

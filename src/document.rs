//! A parsed TOML file that keeps the byte span of every key and value.
//!
//! The TOML parser (`toml::de::DeTable`) gives spans; this module turns its tree into a small owned tree
//! ([`Node`]) that the schema stage converts to JSON and maps error locations back through.

use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// A byte range in a file's text.
pub type Span = Range<usize>;

/// One TOML value and the span it was written at.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
}

/// A TOML value whose children keep their spans.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    String(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
    /// A TOML date or date-time, as written in RFC 3339 form.
    Datetime(String),
    Array(Vec<Node>),
    /// Entries in the order they were written.
    Table(Vec<Entry>),
}

/// A key of a table, its span and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_span: Span,
    pub node: Node,
}

/// A TOML syntax error: where and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
    /// A bare word where a value belongs (`material = yes`): the schema knows what the field takes.
    pub bare: Option<BareWord>,
}

/// A bare word written as a value (`owner = ana`, `material = yes`), with the kind of the entity it is in (the
/// `[[kind]]` header above it) and its key: enough for the schema to say what to write for this field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BareWord {
    pub kind: Option<String>,
    pub key: String,
    pub word: String,
}

impl Node {
    /// The entries of a table, or nothing for any other value.
    pub fn entries(&self) -> &[Entry] {
        match &self.value {
            Value::Table(entries) => entries,
            _ => &[],
        }
    }

    /// The entry of a table by key.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().find(|e| e.key == key)
    }

    /// The value of a table's key.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.node)
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// A short name of the value's type, in a TOML writer's words.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::String(_) => "a string",
            Value::Integer(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Bool(_) => "a boolean",
            Value::Datetime(_) => "a date",
            Value::Array(_) => "an array",
            Value::Table(_) => "a table",
        }
    }

    /// The JSON form the schema is checked against: dates become strings, as editors' TOML tooling does.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::String(s) => J::String(s.clone()),
            Value::Integer(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::Bool(b) => J::Bool(*b),
            Value::Datetime(d) => J::String(d.clone()),
            Value::Array(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Table(entries) => J::Object(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.node.to_json()))
                    .collect(),
            ),
        }
    }
}

/// Parse a TOML document. On a syntax error, every error the parser could recover is returned and no tree.
pub fn parse(text: &str) -> Result<Node, Vec<SyntaxError>> {
    let (table, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return Err(syntax_errors(text, &errors));
    }
    let span = table.span();
    Ok(Node {
        span: span.start..span.start,
        value: Value::Table(convert_table(table.get_ref())),
    })
}

/// A parser's error on its way to a [`SyntaxError`]: its message is built once, borrowed where it is the
/// parser's own words, and owned only for the errors kept.
#[derive(PartialEq)]
struct Candidate<'a> {
    span: Span,
    message: Cow<'a, str>,
    bare: Option<BareWord>,
}

/// The parser's errors as findings: sorted by place, each place once.
///
/// A file with a list left open near its start makes the parser report every line after it (220,000 errors
/// in a 1 MiB file): every step here is linear in the errors, and only the kept ones (one per broken place)
/// get an owned message.
fn syntax_errors(text: &str, errors: &[toml::de::Error]) -> Vec<SyntaxError> {
    // By place; among errors at one place, in the parser's order (as a stable sort would leave them).
    let mut order: Vec<(usize, usize, usize)> = errors
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let span = e.span().unwrap_or(0..0);
            (span.start, span.end, i)
        })
        .collect();
    // Mostly in order already: the parser reports as it reads.
    // (The stable sort finds the runs already in order: linear on such input, where an unstable one is not.)
    if !order.is_sorted() {
        order.sort();
    }
    let headers = OnceCell::new();
    // `[decision]` above several `[[decision]]`: one mistake, said once, where it is first seen.
    let mut seen = HashSet::new();
    let mut places = Places::default();
    let mut previous: Option<Candidate<'_>> = None;
    let mut kept = Vec::new();
    for (start, end, i) in order {
        let span = start..end;
        let raw = errors[i].message().trim();
        // Another error on the line of the one before is the same broken place whatever it says: its message is
        // not worked out (in a file that a list left open swallows, most errors are such). A duplicate key is
        // worked out still: its message may be one said once per file.
        if raw != "duplicate key" && places.on_previous_line(text, start) {
            continue;
        }
        let message = plain_message(text, &span, raw, &headers);
        // Only the parser's words for a bare value can make one: most errors (every line an open list
        // swallows) skip the look-up of the word, its key and its kind.
        let bare = may_be_bare_word_error(raw)
            .then(|| bare_word(text, &span, &headers))
            .flatten()
            .filter(|bare| is_bare_word_error(raw, &bare.word));
        let candidate = Candidate {
            span,
            message,
            bare,
        };
        // The same error twice at one place is one.
        if previous.as_ref() == Some(&candidate) {
            continue;
        }
        let said = candidate.message.contains("is written above as one table")
            && !seen.insert(candidate.message.clone());
        if !said && !places.same_place(text, &candidate) {
            kept.push(SyntaxError {
                span: candidate.span.clone(),
                message: candidate.message.to_string(),
                bare: candidate.bare.clone(),
            });
        }
        previous = Some(candidate);
    }
    kept
}

/// One error per broken place, from the parser's errors in order of place.
///
/// After one mistake the parser often trips over the rest of the line: one error per line is enough. And an
/// array or inline table left open swallows every following line, each then "missing a comma": such an error
/// right after another one (only blank or comment lines between) is the same broken place, reported where it
/// starts. Lines are counted as the errors go, in one pass over the text.
#[derive(Default)]
struct Places {
    line: usize,
    counted_to: usize,
    /// The previous error's line and place.
    previous: Option<(usize, usize)>,
}

impl Places {
    /// Whether an error at `at` (the next one by place) is on the line of the error before it; if so, it
    /// becomes the error before the next one, as [`Places::same_place`] would make it.
    fn on_previous_line(&mut self, text: &str, at: usize) -> bool {
        let at = at.min(text.len());
        self.count_lines_to(text, at);
        match self.previous {
            Some((previous_line, _)) if previous_line == self.line => {
                self.previous = Some((self.line, at));
                true
            }
            _ => false,
        }
    }

    fn count_lines_to(&mut self, text: &str, at: usize) {
        if let Some(before) = text.get(self.counted_to..at) {
            self.line += before.bytes().filter(|&byte| byte == b'\n').count();
            self.counted_to = at;
        }
    }

    /// Whether this error (the next one by place) is at the broken place of the one before it.
    fn same_place(&mut self, text: &str, error: &Candidate<'_>) -> bool {
        let at = error.span.start.min(text.len());
        self.count_lines_to(text, at);
        let cascade = is_open_container(&error.message);
        let same_place = match self.previous {
            Some((previous_line, _)) if previous_line == self.line => true,
            Some((_, previous_at)) if cascade => text
                .get(previous_at..at)
                .is_some_and(only_blank_lines_between),
            _ => false,
        };
        self.previous = Some((self.line, at));
        same_place
    }
}

/// The header lines of a file (`[...]` and `[[...]]`), found once, on the first error that needs them: a file
/// with thousands of errors looks each one up instead of reading every line above it again.
struct Headers<'t> {
    /// Each header line's trimmed text -> its first line (0-based) and where that line starts.
    first: HashMap<&'t str, (usize, usize)>,
    /// Every line that is exactly a header, `[name]` or `[[name]]`: where it starts, and the name.
    named: Vec<(usize, &'t str)>,
}

impl<'t> Headers<'t> {
    fn of(text: &'t str) -> Headers<'t> {
        let mut first = HashMap::new();
        let mut named = Vec::new();
        let mut at = 0;
        for (number, line) in text.split_inclusive('\n').enumerate() {
            let trimmed = line.trim();
            if trimmed.starts_with('[') {
                first.entry(trimmed).or_insert((number, at));
                if let Some(name) = trimmed.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                    named.push((at, name.trim_matches(['[', ']']).trim()));
                }
            }
            at += line.len();
        }
        Headers { first, named }
    }

    /// The first line (1-based) above `line_start` that reads `written`, trimmed.
    fn earlier(&self, written: &str, line_start: usize) -> Option<usize> {
        self.first
            .get(written)
            .filter(|(_, at)| *at < line_start)
            .map(|(number, _)| number + 1)
    }

    /// The name of the last header above `line_start`.
    fn above(&self, line_start: usize) -> Option<&'t str> {
        let below = self.named.partition_point(|(at, _)| *at < line_start);
        below.checked_sub(1).map(|i| self.named[i].1)
    }
}

/// Whether the lines after the first line of `between` and before its last are all blank or comments.
fn only_blank_lines_between(between: &str) -> bool {
    let inner = match (between.find('\n'), between.rfind('\n')) {
        (Some(first), Some(last)) if first < last => &between[first + 1..last],
        _ => return true,
    };
    inner.split('\n').all(|line| {
        let line = line.trim();
        line.is_empty() || line.starts_with('#')
    })
}

/// Whether the parser says this when it is still inside an array or inline table that was not closed.
fn is_open_container(message: &str) -> bool {
    message.starts_with("missing comma between array elements")
        || message.starts_with("missing comma between key-value pairs")
        || message.starts_with("missing key for inline table element")
}

/// Whether [`is_bare_word_error`] can hold for this message, whatever the word.
fn may_be_bare_word_error(message: &str) -> bool {
    message == "string values must be quoted, expected literal string"
        || message.starts_with("invalid boolean")
        || message.starts_with("invalid float, expected `")
}

/// Whether the parser's error is about a word written without quotes where a value belongs. The parser names
/// what the word started like: `no` a float (`nan`), `tom` a boolean (`true`), `ana` a string.
fn is_bare_word_error(message: &str, word: &str) -> bool {
    may_be_bare_word_error(message)
        && (message == "string values must be quoted, expected literal string"
            || word.starts_with(|c: char| c.is_alphabetic()))
}

/// The bare word at `span`, its key and the kind of the header above it.
fn bare_word<'t>(text: &'t str, span: &Span, headers: &OnceCell<Headers<'t>>) -> Option<BareWord> {
    let start = span.start.min(text.len());
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let key = text[line_start..start].trim_end().strip_suffix('=')?.trim();
    let word: String = text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | ']' | '}' | '#'))
        .collect();
    let kind = headers
        .get_or_init(|| Headers::of(text))
        .above(line_start)
        .map(str::to_string);
    (!key.is_empty() && !word.is_empty()).then(|| BareWord {
        kind,
        key: key.trim_matches(['"', '\'']).to_string(),
        word,
    })
}

/// `owner: "ana"` (YAML) where TOML writes `owner = "ana"`: the line written in TOML, if it is such a line.
fn yaml_line(line: &str) -> Option<String> {
    let (key, value) = line.split_once(':')?;
    let key = key.trim();
    let value = value.trim();
    if key.is_empty()
        || value.is_empty()
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
    {
        return None;
    }
    let literal = value.starts_with(['"', '\'', '[', '{'])
        || matches!(value, "true" | "false")
        || value.parse::<f64>().is_ok();
    let value = if literal {
        value.to_string()
    } else {
        quoted(value.trim_matches(['"', '\'']))
    };
    Some(format!("{key} = {value}"))
}

/// `true` or `false` for a yes/no word written bare (`material = yes`).
pub fn boolean_word(word: &str) -> Option<bool> {
    match word.to_ascii_lowercase().as_str() {
        "yes" | "y" | "on" | "true" => Some(true),
        "no" | "n" | "off" | "false" => Some(false),
        _ => None,
    }
}

/// For a duplicate header: `[decision]` next to `[[decision]]` in the same file, in either order.
fn table_and_array_header(headers: &Headers<'_>, line_start: usize, line: &str) -> Option<String> {
    let trimmed = line.trim();
    let is_array = trimmed.starts_with("[[");
    let name = trimmed
        .strip_prefix('[')?
        .trim_start_matches('[')
        .split(']')
        .next()?
        .trim();
    if name.is_empty() {
        return None;
    }
    let single = format!("[{name}]");
    let earlier = |written: &str| headers.earlier(written, line_start);
    if is_array {
        let at = earlier(&single)?;
        Some(format!(
            "`{name}` is written above as one table, `[{name}]` (line {at}): write `[[{name}]]` there too, one per {name}"
        ))
    } else if earlier(&format!("[[{name}]]")).is_some() {
        Some(format!(
            "`[{name}]` is one table, but `{name}` is a list here: write `[[{name}]]`, one per {name}"
        ))
    } else {
        Some(format!(
            "`[{name}]` is written twice: if each is one {name}, write `[[{name}]]` above each"
        ))
    }
}

/// The parser's words where they mislead someone who is not a programmer; otherwise its own message.
fn plain_message<'m, 't>(
    text: &'t str,
    span: &Span,
    message: &'m str,
    headers: &OnceCell<Headers<'t>>,
) -> Cow<'m, str> {
    if message.contains("recursion") {
        return Cow::Borrowed("arrays or tables are nested too deeply to read");
    }
    let start = span.start.min(text.len());
    if !text.is_char_boundary(start) {
        return Cow::Borrowed(message);
    }
    if let Some(c) = text[start..]
        .chars()
        .next()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
    {
        return Cow::Owned(format!(
            "the control character U+{:04X} cannot be written in TOML text: remove it",
            u32::from(c)
        ));
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let rest = text[start..].split('\n').next().unwrap_or_default();
    let line = text[line_start..].split('\n').next().unwrap_or_default();
    if !line.contains('=') && !line.trim_start().starts_with(['[', '#']) {
        if let Some(toml) = yaml_line(line) {
            return Cow::Owned(format!(
                "TOML writes `key = value`, not `key: value`: write `{toml}`"
            ));
        }
    }
    if message == "duplicate key" && line.trim_start().starts_with('[') {
        let headers = headers.get_or_init(|| Headers::of(text));
        if let Some(fix) = table_and_array_header(headers, line_start, line) {
            return Cow::Owned(fix);
        }
    }
    // `owner =` and nothing after it: the parser says a string must be quoted, but the value is missing.
    if text[line_start..start].trim_end().ends_with('=')
        && rest.split('#').next().unwrap_or_default().trim().is_empty()
    {
        return Cow::Borrowed("a key with no value: write the value after `=`");
    }
    let word = &rest[..rest
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ']' | '}' | '#'))
        .unwrap_or(rest.len())];
    let plain = match message {
        "invalid basic string, expected `\"`" => "this text has no closing quote: end it with `\"`",
        "invalid literal string, expected `'`" => "this text has no closing quote: end it with `'`",
        "invalid multi-line basic string, expected `\"`" => "this text has no closing quotes: end it with `\"\"\"`",
        "invalid multi-line literal string, expected `'`" => "this text has no closing quotes: end it with `'''`",
        "unclosed array table, expected `]`" => "this `[[...]]` header is not closed: end it with `]]`",
        "unclosed table, expected `]`" => "this `[...]` header is not closed: end it with `]`",
        "unclosed array, expected `]`" => "this list is not closed: end it with `]`",
        "unclosed inline table, expected `}`" => "this inline table is not closed: end it with `}`",
        "unexpected key or value, expected newline, `#`" => {
            "unexpected text after the value: write each `key = value` on its own line"
        }
        "duplicate key" if !word.is_empty() => return Cow::Owned(format!("`{}` is written twice here: keep one", word.trim_matches(['[', ']', '"']))),
        _ if !word.is_empty() && is_bare_word_error(message, word) => {
            let key = text[line_start..start].trim_end().trim_end_matches('=').trim();
            return Cow::Owned(match boolean_word(word) {
                Some(b) if !key.is_empty() => format!(
                    "a yes or no is written `true` or `false`, without quotes: write `{key} = {b}`"
                ),
                _ => format!("text is written in quotes: \"{word}\""),
            });
        }
        _ if message.starts_with("missing escaped value") => {
            "a backslash starts an escape such as `\\n`: write `\\\\` for a backslash itself, or use single quotes, which have no escapes"
        }
        _ if message.starts_with("invalid boolean") => "a boolean is written `true` or `false`, without quotes",
        _ => message,
    };
    Cow::Borrowed(plain)
}

fn convert_table(table: &DeTable<'_>) -> Vec<Entry> {
    let mut entries: Vec<Entry> = table
        .iter()
        .map(|(key, value)| Entry {
            key: key.get_ref().to_string(),
            key_span: key.span(),
            node: convert(value.get_ref(), value.span()),
        })
        .collect();
    // The parser's map is ordered by key; the user reads the file in written order.
    entries.sort_by_key(|e| e.key_span.start);
    entries
}

fn convert(value: &DeValue<'_>, span: Span) -> Node {
    let value = match value {
        DeValue::String(s) => Value::String(s.to_string()),
        DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
            Ok(n) => Value::Integer(n),
            // Out of i64 range: keep the magnitude; the schema judges the value.
            Err(_) => Value::Float(i.as_str().parse().unwrap_or(f64::MAX)),
        },
        DeValue::Float(f) => Value::Float(f.as_str().replace('_', "").parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => Value::Bool(*b),
        DeValue::Datetime(d) => Value::Datetime(d.to_string()),
        DeValue::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| convert(item.get_ref(), item.span()))
                .collect(),
        ),
        DeValue::Table(table) => Value::Table(convert_table(table)),
    };
    Node { span, value }
}

/// A TOML basic string, escaped so it stays on one line.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_spans_of_keys_and_values() {
        let text = "[[decision]]\nid = \"x\"\nowner = \"ana\"\n";
        let doc = parse(text).unwrap();
        let decisions = doc.get("decision").unwrap().as_array().unwrap();
        let owner = decisions[0].entry("owner").unwrap();
        assert_eq!(&text[owner.key_span.clone()], "owner");
        assert_eq!(&text[owner.node.span.clone()], "\"ana\"");
        assert_eq!(&text[decisions[0].span.clone()], "[[decision]]");
    }

    #[test]
    fn entries_are_in_written_order() {
        let doc = parse("b = 1\na = 2\n").unwrap();
        let keys: Vec<_> = doc.entries().iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["b", "a"]);
    }

    #[test]
    fn syntax_errors_have_spans() {
        let errors = parse("a = 1\nb = \n").unwrap_err();
        assert!(!errors.is_empty());
        assert!(errors[0].span.start >= 6);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("a = {}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(parse(&text).is_err());
    }

    #[test]
    fn a_missing_value_is_named_as_such() {
        let errors = parse("owner =\nid = 1\n").unwrap_err();
        assert_eq!(
            errors[0].message,
            "a key with no value: write the value after `=`"
        );
        let errors = parse("owner =   # who decides\n").unwrap_err();
        assert_eq!(
            errors[0].message,
            "a key with no value: write the value after `=`"
        );
    }

    #[test]
    fn common_mistakes_are_named_in_plain_words() {
        let first = |text: &str| parse(text).unwrap_err().remove(0).message;
        assert_eq!(first("owner = ana\n"), "text is written in quotes: \"ana\"");
        assert_eq!(
            first("a = \"open\nb = 1\n"),
            "this text has no closing quote: end it with `\"`"
        );
        assert_eq!(
            first("[[decision]\n"),
            "this `[[...]]` header is not closed: end it with `]]`"
        );
        assert_eq!(
            first("a = 1\na = 2\n"),
            "`a` is written twice here: keep one"
        );
        assert!(first("a = \"20\\%\"\n").starts_with("a backslash starts an escape"));
    }

    #[test]
    fn yaml_lines_bare_booleans_and_tables_next_to_lists_say_what_to_write() {
        let first = |text: &str| parse(text).unwrap_err().remove(0).message;
        assert_eq!(
            first("[[decision]]\nowner: \"ana\"\n"),
            "TOML writes `key = value`, not `key: value`: write `owner = \"ana\"`"
        );
        assert_eq!(
            first("[[decision]]\ntitle: Refunds\n"),
            "TOML writes `key = value`, not `key: value`: write `title = \"Refunds\"`"
        );
        assert!(first("material = yes\n").ends_with("write `material = true`"));
        assert!(first("material = No\n").ends_with("write `material = false`"));
        let after = first("[[decision]]\nid = \"a\"\n\n[decision]\nid = \"b\"\n");
        assert!(after.contains("write `[[decision]]`"), "{after}");
        let before =
            "[decision]\nid = \"b\"\n\n[[decision]]\nid = \"a\"\n\n[[decision]]\nid = \"c\"\n";
        let errors = parse(before).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].message.contains("(line 1)"), "{errors:?}");
    }

    #[test]
    fn a_bare_word_knows_its_key_and_kind() {
        let errors = parse("[[decision]]\nid = \"a\"\napprovers = ana\n").unwrap_err();
        assert_eq!(
            errors[0].bare,
            Some(BareWord {
                kind: Some("decision".into()),
                key: "approvers".into(),
                word: "ana".into()
            })
        );
    }

    #[test]
    fn one_syntax_error_per_line() {
        let errors = parse("a = [1, 2\nb = 1\n").unwrap_err();
        let mut lines: Vec<usize> = errors
            .iter()
            .map(|e| "a = [1, 2\nb = 1\n"[..e.span.start].matches('\n').count())
            .collect();
        lines.dedup();
        assert_eq!(lines.len(), errors.len(), "{errors:?}");
    }

    #[test]
    fn an_array_left_open_is_one_broken_place_not_one_per_following_line() {
        let mut text = String::from("tags = [\"x\"\n\n");
        for i in 0..500 {
            text.push_str(&format!("[t{i}]\na = {i}\nb = \"x\"\n\n"));
        }
        let errors = parse(&text).unwrap_err();
        assert_eq!(errors.len(), 1, "{:?}", &errors[..errors.len().min(3)]);
        assert_eq!(errors[0].span.start, text.find("[t0]").unwrap());
        let errors = parse("a = {x = 1\n\n[t0]\na = 0\n# note\nb = 1\n").unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
    }

    #[test]
    fn two_arrays_left_open_apart_are_two_broken_places() {
        let text = "a = [1,\n  2,\n]\nb = [1\nc = 2]\nd = [3\ne = 4\n";
        let lines: Vec<usize> = parse(text)
            .unwrap_err()
            .iter()
            .map(|e| text[..e.span.start].matches('\n').count() + 1)
            .collect();
        assert_eq!(lines, [5, 7]);
    }

    #[test]
    fn dates_become_strings() {
        let doc = parse("d = 2026-03-31\n").unwrap();
        assert_eq!(doc.to_json()["d"], "2026-03-31");
    }
}

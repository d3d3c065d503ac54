//! CODEOWNERS-style path patterns.
//!
//! A [`Pattern`] follows the rules GitHub documents for CODEOWNERS files,
//! which are the `.gitignore` rules with a few exceptions:
//!
//! - A pattern with no `/`, or with only a trailing `/`, matches at any
//!   depth: `*.js` matches `a/b/c.js` and `docs/` matches `x/docs/y.md`.
//! - A pattern with a `/` at the start or in the middle is anchored to the
//!   repository root: `/build/logs/`, `docs/*` and `apps/github` only match
//!   from the top. The leading `/` itself is not part of the match.
//! - A trailing `/` means "this directory": the pattern matches every file
//!   under it, at any depth, but not a file with that name.
//! - A pattern that names a directory also matches everything under it, so
//!   `apps/github` matches `apps/github/x/y.rb`. The one exception is a
//!   pattern ending in `/*`: `docs/*` matches the files directly in `docs`
//!   but not `docs/build-app/troubleshooting.md`.
//! - `*` matches any run of bytes except `/`, and `?` matches exactly one
//!   byte except `/`.
//! - `**` as a whole path segment matches across directories: a leading
//!   `**/` matches in every directory, a trailing `/**` matches everything
//!   inside, and `/**/` in the middle matches zero or more directories. A
//!   pattern made only of `**` matches every path. Two or more stars that
//!   are not a whole segment act like a single `*`.
//! - Unlike `.gitignore`, a leading `!` does not negate the pattern and
//!   `[` and `]` do not form character ranges: all three are ordinary
//!   characters. `#` is an ordinary character too (there are no comments).
//! - `\` makes the next character literal: `\*` is a star, `\?` a question
//!   mark, `\#` a hash, `\ ` a space and `\\` a backslash.
//! - Matching is case-sensitive and works on raw bytes, so paths that are
//!   not valid UTF-8 are compared byte for byte.
//!
//! Matching never backtracks more than once per wildcard position, so its
//! cost grows with the product of the pattern and path lengths rather than
//! exponentially.

use std::fmt;

/// One CODEOWNERS-style pattern, compiled once.
///
/// Build one with [`Pattern::parse`] and test paths with
/// [`Pattern::matches`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The pattern exactly as the user wrote it.
    text: String,
    /// The compiled pattern, one entry per path segment (see [`Segment`]).
    segments: Vec<Segment>,
}

/// Why a pattern could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// A description of the problem, written for the person who wrote the
    /// pattern.
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PatternError {}

/// One element of a single path segment pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    /// Exactly this byte.
    Byte(u8),
    /// Any single byte except `/` (written `?`).
    AnyByte,
    /// Any run of bytes, possibly empty, except `/` (written `*`).
    AnyRun,
}

/// One compiled path segment of a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// Zero or more whole path segments (written `**`).
    AnyDepth,
    /// Exactly one path segment equal to these bytes.
    Literal(Vec<u8>),
    /// Exactly one path segment matching these tokens.
    Glob(Vec<Token>),
}

impl Segment {
    /// A segment matching any single path segment, like a lone `*`.
    fn any_one() -> Segment {
        Segment::Glob(vec![Token::AnyRun])
    }

    fn is_any_depth(&self) -> bool {
        matches!(self, Segment::AnyDepth)
    }

    /// Whether this segment matches the single path segment `name`.
    fn matches_name(&self, name: &[u8]) -> bool {
        match self {
            Segment::AnyDepth => false,
            Segment::Literal(bytes) => bytes.as_slice() == name,
            Segment::Glob(tokens) => wildcard_match(
                tokens,
                name,
                |token| *token == Token::AnyRun,
                |token, &byte| match *token {
                    Token::Byte(expected) => byte == expected,
                    Token::AnyByte => byte != b'/',
                    Token::AnyRun => false,
                },
            ),
        }
    }
}

impl Pattern {
    /// Compiles `text` into a pattern.
    ///
    /// Fails when the pattern is empty (or only whitespace), is only `/`
    /// characters, contains an empty segment such as `a//b`, contains a `.`
    /// or `..` segment, ends with a lone `\`, or escapes a `/` with `\`.
    pub fn parse(text: &str) -> Result<Pattern, PatternError> {
        let fail = |problem: &str| {
            Err(PatternError {
                message: format!("invalid pattern {text:?}: {problem}"),
            })
        };

        if text.trim().is_empty() {
            return fail("the pattern is empty");
        }
        if text.bytes().all(|byte| byte == b'/') {
            return fail("the pattern is only `/` and names no file or directory");
        }

        // Split into segments at each `/`, resolving `\` escapes on the way.
        let mut raw: Vec<Vec<Token>> = vec![Vec::new()];
        let mut bytes = text.bytes();
        while let Some(byte) = bytes.next() {
            let token = match byte {
                b'/' => {
                    raw.push(Vec::new());
                    continue;
                }
                b'\\' => match bytes.next() {
                    None => {
                        return fail(
                            "it ends with a lone `\\`; write `\\\\` for a literal backslash",
                        )
                    }
                    Some(b'/') => {
                        return fail("`\\/` escapes a `/`, but file names cannot contain `/`")
                    }
                    Some(escaped) => Token::Byte(escaped),
                },
                b'*' => Token::AnyRun,
                b'?' => Token::AnyByte,
                other => Token::Byte(other),
            };
            if let Some(segment) = raw.last_mut() {
                segment.push(token);
            }
        }

        let leading_slash = raw.len() > 1 && raw[0].is_empty();
        if leading_slash {
            raw.remove(0);
        }
        let trailing_slash = raw.len() > 1 && raw.last().is_some_and(Vec::is_empty);
        if trailing_slash {
            raw.pop();
        }
        if raw.iter().any(Vec::is_empty) {
            return fail("it contains `//`; path segments cannot be empty");
        }

        // No `/` except a trailing one: the pattern may match at any depth.
        let floating = !leading_slash && raw.len() == 1;
        let ends_with_lone_star =
            !floating && raw.last().map(Vec::as_slice) == Some(&[Token::AnyRun]);

        let mut body: Vec<Segment> = Vec::with_capacity(raw.len());
        for tokens in raw {
            let segment = compile_segment(tokens)?;
            if let Segment::Literal(bytes) = &segment {
                if bytes.as_slice() == b"." || bytes.as_slice() == b".." {
                    return fail(
                        "it contains a `.` or `..` segment; \
                         patterns are relative to the repository root",
                    );
                }
            }
            // `**/**` means the same as `**`.
            if !(segment.is_any_depth() && body.last().is_some_and(Segment::is_any_depth)) {
                body.push(segment);
            }
        }

        let mut segments = Vec::with_capacity(body.len() + 3);
        if body.iter().all(Segment::is_any_depth) {
            // Only `**`: every path, which has at least one segment.
            segments.push(Segment::any_one());
            segments.push(Segment::AnyDepth);
            if trailing_slash {
                // `**/`: everything inside any directory.
                segments.push(Segment::any_one());
                segments.push(Segment::AnyDepth);
            }
        } else {
            if floating && !body[0].is_any_depth() {
                segments.push(Segment::AnyDepth);
            }
            let ends_with_any_depth = body.last().is_some_and(Segment::is_any_depth);
            segments.extend(body);
            if trailing_slash {
                // The pattern names a directory: match everything inside it.
                segments.push(Segment::any_one());
                segments.push(Segment::AnyDepth);
            } else if ends_with_any_depth {
                // A trailing `/**` matches everything inside, not the
                // directory itself, so at least one more segment is needed.
                segments.insert(segments.len() - 1, Segment::any_one());
            } else if !ends_with_lone_star {
                // The pattern may name a directory: also match its contents.
                segments.push(Segment::AnyDepth);
            }
        }

        Ok(Pattern {
            text: text.to_owned(),
            segments,
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The literal names a matching path must start with (`src`, `area-7` for `/src/area-7/`), possibly none.
    pub fn literal_prefix(&self) -> impl Iterator<Item = &[u8]> {
        self.segments.iter().map_while(|segment| match segment {
            Segment::Literal(name) => Some(name.as_slice()),
            _ => None,
        })
    }

    /// The longest literal name a matching path must have as one of its segments (`docs` for `docs/`), if any.
    pub fn required_name(&self) -> Option<&[u8]> {
        self.segments
            .iter()
            .filter_map(|segment| match segment {
                Segment::Literal(name) => Some(name.as_slice()),
                _ => None,
            })
            .max_by_key(|name| name.len())
    }

    /// Whether the pattern matches `path`.
    ///
    /// `path` is a repository-relative file path with `/` separators and no
    /// leading `/`, as raw bytes (git paths may be non-UTF-8). An empty path
    /// matches nothing.
    pub fn matches(&self, path: &[u8]) -> bool {
        if path.is_empty() {
            return false;
        }
        // Every tracked file is matched against every area's patterns, and most fail on their first folders
        // (`/src/billing/` against `docs/...`): compare the literal folders a pattern starts with before
        // anything else. Before a `*` or `**`, each must equal the path's folder at the same place.
        let mut leading = path.split(|&byte| byte == b'/');
        for segment in &self.segments {
            let Segment::Literal(literal) = segment else {
                break;
            };
            if leading.next() != Some(literal.as_slice()) {
                return false;
            }
        }
        // Then split the path on the stack, not the heap.
        const DEPTH: usize = 16;
        let mut stack: [&[u8]; DEPTH] = [&[]; DEPTH];
        let mut depth = 0;
        for name in path.split(|&byte| byte == b'/') {
            if let Some(slot) = stack.get_mut(depth) {
                *slot = name;
            }
            depth += 1;
        }
        let deep: Vec<&[u8]>;
        let names: &[&[u8]] = if depth <= DEPTH {
            &stack[..depth]
        } else {
            deep = path.split(|&byte| byte == b'/').collect();
            &deep
        };
        wildcard_match(
            &self.segments,
            names,
            Segment::is_any_depth,
            |segment, name| segment.matches_name(name),
        )
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Turns the tokens of one path segment into a compiled segment.
fn compile_segment(tokens: Vec<Token>) -> Result<Segment, PatternError> {
    if tokens.len() >= 2 && tokens.iter().all(|token| *token == Token::AnyRun) {
        return Ok(Segment::AnyDepth);
    }
    if tokens.iter().all(|token| matches!(token, Token::Byte(_))) {
        let bytes = tokens
            .into_iter()
            .filter_map(|token| match token {
                Token::Byte(byte) => Some(byte),
                _ => None,
            })
            .collect();
        return Ok(Segment::Literal(bytes));
    }
    // Inside a segment, `**` is just `*`; collapsing runs of stars also keeps
    // matching cheap.
    let mut collapsed: Vec<Token> = Vec::with_capacity(tokens.len());
    for token in tokens {
        if !(token == Token::AnyRun && collapsed.last() == Some(&Token::AnyRun)) {
            collapsed.push(token);
        }
    }
    Ok(Segment::Glob(collapsed))
}

/// Matches `text` against `pattern`, where items for which `is_star` holds
/// match any run of text items (possibly empty), and every other item
/// matches exactly one text item for which `matches_one` holds.
///
/// This is the classic wildcard algorithm: on a mismatch it only retries
/// from the most recent star, one item further on. That is enough because
/// the non-star items each consume exactly one text item, and it bounds the
/// work to about `pattern.len() * text.len()` calls of `matches_one`.
fn wildcard_match<P, T>(
    pattern: &[P],
    text: &[T],
    is_star: impl Fn(&P) -> bool,
    matches_one: impl Fn(&P, &T) -> bool,
) -> bool {
    let mut p = 0;
    let mut t = 0;
    // Where to resume after the most recent star: the pattern index just
    // past the star, and the text index the star's run currently ends at.
    let mut resume: Option<(usize, usize)> = None;
    while t < text.len() {
        if let Some(item) = pattern.get(p) {
            if is_star(item) {
                resume = Some((p + 1, t));
                p += 1;
                continue;
            }
            if matches_one(item, &text[t]) {
                p += 1;
                t += 1;
                continue;
            }
        }
        match resume {
            Some((after_star, star_end)) => {
                p = after_star;
                t = star_end + 1;
                resume = Some((after_star, t));
            }
            None => return false,
        }
    }
    pattern[p..].iter().all(is_star)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks every `(pattern, path, expected)` row, reporting all failures.
    fn check(cases: &[(&str, &str, bool)]) {
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|&(pattern, path, expected)| {
                let compiled = Pattern::parse(pattern)
                    .unwrap_or_else(|e| panic!("pattern {pattern:?} failed to parse: {e}"));
                let actual = compiled.matches(path.as_bytes());
                (actual != expected)
                    .then(|| format!("{pattern:?} vs {path:?}: expected {expected}, got {actual}"))
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn paths_deeper_than_the_stack_buffer_match_the_same() {
        let deep = format!("{}main.rs", "d/".repeat(20));
        let deep_logs = format!("{}logs/main.rs", "d/".repeat(20));
        check(&[
            ("/d/", deep.as_str(), true),
            ("*.rs", deep.as_str(), true),
            ("**/logs", deep_logs.as_str(), true),
            ("**/logs", deep.as_str(), false),
            ("/d/d/e/", deep.as_str(), false),
        ]);
    }

    #[test]
    fn github_documented_example_file() {
        check(&[
            // `*`: the default owners for everything in the repo.
            ("*", "README.md", true),
            ("*", "src/deep/nested/main.rs", true),
            // `*.js`: JS files anywhere.
            ("*.js", "app.js", true),
            ("*.js", "web/static/app.js", true),
            ("*.js", "app.jsx", false),
            ("*.js", "app.js.map", false),
            // `*.go` and `*.txt`.
            ("*.go", "cmd/tool/main.go", true),
            ("*.go", "main.rs", false),
            ("*.txt", "notes/todo.txt", true),
            // `/build/logs/`: the build/logs directory at the root and all of
            // its subdirectories.
            ("/build/logs/", "build/logs/today.log", true),
            ("/build/logs/", "build/logs/2024/01/today.log", true),
            ("/build/logs/", "build/logs", false),
            ("/build/logs/", "src/build/logs/today.log", false),
            ("/build/logs/", "build/logsfile", false),
            // `docs/*`: files directly in docs, not nested ones.
            ("docs/*", "docs/getting-started.md", true),
            ("docs/*", "docs/build-app/troubleshooting.md", false),
            ("docs/*", "docs", false),
            ("docs/*", "src/docs/getting-started.md", false),
            // `apps/`: any file in an apps directory anywhere.
            ("apps/", "apps/main.rb", true),
            ("apps/", "services/web/apps/admin/main.rb", true),
            ("apps/", "apps", false),
            ("apps/", "webapps/main.rb", false),
            // `/docs/`: any file in the root docs directory and below.
            ("/docs/", "docs/index.md", true),
            ("/docs/", "docs/guides/setup/index.md", true),
            ("/docs/", "site/docs/index.md", false),
            // `/scripts/`: any change inside the root scripts directory.
            ("/scripts/", "scripts/deploy.sh", true),
            ("/scripts/", "tools/scripts/deploy.sh", false),
            // `**/logs`: any logs directory, such as build/logs,
            // scripts/logs and deeply/nested/logs.
            ("**/logs", "build/logs/out.txt", true),
            ("**/logs", "scripts/logs/out.txt", true),
            ("**/logs", "deeply/nested/logs/out.txt", true),
            ("**/logs", "logs/out.txt", true),
            ("**/logs", "logs", true),
            ("**/logs", "build/logsout.txt", false),
            // `/apps/` with a more specific `/apps/github` below it.
            ("/apps/", "apps/web/main.rb", true),
            ("/apps/", "apps/github/main.rb", true),
            ("/apps/github", "apps/github/main.rb", true),
            ("/apps/github", "apps/github/lib/deep/x.rb", true),
            ("/apps/github", "apps/web/main.rb", false),
            ("/apps/github", "apps/githubber/main.rb", false),
        ]);
    }

    #[test]
    fn anchoring_versus_floating() {
        check(&[
            // No slash: matches a file or directory name at any depth.
            ("Makefile", "Makefile", true),
            ("Makefile", "sub/dir/Makefile", true),
            ("Makefile", "sub/Makefile.in", false),
            ("vendor", "vendor/lib/a.c", true),
            ("vendor", "third_party/vendor/lib/a.c", true),
            // Leading slash: only at the root.
            ("/Makefile", "Makefile", true),
            ("/Makefile", "sub/Makefile", false),
            // Slash in the middle: anchored even without a leading slash.
            ("apps/github", "apps/github", true),
            ("apps/github", "apps/github/x/y.rb", true),
            ("apps/github", "src/apps/github/x.rb", false),
            ("src/*.rs", "src/main.rs", true),
            ("src/*.rs", "crates/a/src/main.rs", false),
            // A pattern names a prefix of whole segments, not of bytes.
            ("/apps/github", "apps/github.rb", false),
        ]);
    }

    #[test]
    fn trailing_slash_means_directory() {
        check(&[
            ("docs/", "docs/a.md", true),
            ("docs/", "docs/x/y/z.md", true),
            ("docs/", "src/docs/a.md", true),
            ("docs/", "docs", false),
            ("docs/", "src/docs", false),
            ("/a/b/", "a/b/c", true),
            ("/a/b/", "a/b", false),
            ("/a/b/", "x/a/b/c", false),
            ("a/b/", "x/a/b/c", false),
            ("/*/", "top/file.txt", true),
            ("/*/", "top.txt", false),
            ("**/", "dir/file.txt", true),
            ("**/", "top.txt", false),
        ]);
    }

    #[test]
    fn single_star() {
        check(&[
            ("*.md", "README.md", true),
            ("*.md", "docs/a/b.md", true),
            ("*.md", "README.mdx", false),
            ("f*", "foo", true),
            ("f*", "bar/foo/baz", true),
            ("f*", "bar/baz", false),
            ("*", "anything/at/all", true),
            // `*` never crosses a `/`.
            ("/src/*.rs", "src/main.rs", true),
            ("/src/*.rs", "src/bin/main.rs", false),
            ("a/*/c", "a/b/c", true),
            ("a/*/c", "a/b/c/d.txt", true),
            ("a/*/c", "a/c", false),
            ("a/*/c", "a/b/x/c", false),
            // A trailing `/*` is not recursive, at the root too.
            ("/*", "top.txt", true),
            ("/*", "dir/file.txt", false),
            ("src/*", "src/lib.rs", true),
            ("src/*", "src/bin/main.rs", false),
            // But a trailing segment that only contains a star still names
            // directories, like any other name.
            ("/f*", "foo/bar/baz", true),
            ("src/*.d", "src/x.d/y.txt", true),
            // Runs of stars inside a segment act like one star.
            ("a**b", "a-x-b", true),
            ("a**b", "a/b", false),
            ("**.js", "lib/x.js", true),
        ]);
    }

    #[test]
    fn double_star() {
        check(&[
            // Leading `**/`: in all directories.
            ("**/foo/bar", "foo/bar", true),
            ("**/foo/bar", "x/y/foo/bar", true),
            ("**/foo/bar", "x/foo/bar/baz.txt", true),
            ("**/foo/bar", "foo/x/bar", false),
            ("/**/foo", "a/b/foo", true),
            ("**/*.rs", "main.rs", true),
            ("**/*.rs", "a/b/main.rs", true),
            // Trailing `/**`: everything inside, not the directory itself.
            ("abc/**", "abc/x", true),
            ("abc/**", "abc/x/y/z", true),
            ("abc/**", "abc", false),
            ("abc/**", "x/abc/y", false),
            // `/**/` in the middle: zero or more directories.
            ("a/**/b", "a/b", true),
            ("a/**/b", "a/x/b", true),
            ("a/**/b", "a/x/y/b", true),
            ("a/**/b", "a/x/y/b/c.txt", true),
            ("a/**/b", "a/x/y/c", false),
            ("a/**/b", "x/a/b", false),
            ("a/**/b/*.md", "a/b/x.md", true),
            ("a/**/b/*.md", "a/q/b/x.md", true),
            ("a/**/b/*.md", "a/q/b/c/x.md", false),
            ("a/**/**/b", "a/b", true),
            // Bare `**` matches everything.
            ("**", "x", true),
            ("**", "a/b/c/d", true),
            ("/**", "a/b", true),
            ("***", "a/b", true),
        ]);
    }

    #[test]
    fn question_mark() {
        check(&[
            ("f?o", "foo", true),
            ("f?o", "src/fxo", true),
            ("f?o", "fo", false),
            ("f?o", "fooo", false),
            ("a?b", "a/b", false),
            ("/v?/", "v1/api.proto", true),
            ("/v?/", "v10/api.proto", false),
        ]);
    }

    #[test]
    fn escapes() {
        check(&[
            ("f\\*o", "f*o", true),
            ("f\\*o", "foo", false),
            ("f\\?o", "f?o", true),
            ("f\\?o", "fxo", false),
            ("\\#notes", "#notes", true),
            ("\\#notes", "x/#notes", true),
            ("#notes", "#notes", true),
            ("my\\ file.txt", "my file.txt", true),
            ("my file.txt", "my file.txt", true),
            ("back\\\\slash", "back\\slash", true),
            ("dir\\\\/", "dir\\/x", true),
            ("\\a\\b", "ab", true),
            ("\\*\\*/x", "**/x", true),
            ("\\*\\*/x", "a/x", false),
            ("docs/\\*", "docs/*/nested.md", true),
        ]);
    }

    #[test]
    fn bang_and_brackets_are_literal() {
        check(&[
            ("!foo", "!foo", true),
            ("!foo", "dir/!foo", true),
            ("!foo", "foo", false),
            ("!foo", "bar", false),
            ("\\!foo", "!foo", true),
            ("a!b", "a!b", true),
            ("file[0-9].txt", "file[0-9].txt", true),
            ("file[0-9].txt", "file1.txt", false),
            ("[abc]", "[abc]/x", true),
            ("[abc]", "a", false),
            ("*[ch]", "x[ch]", true),
            ("*[ch]", "x.c", false),
        ]);
    }

    #[test]
    fn case_sensitive() {
        check(&[
            ("README.md", "README.md", true),
            ("README.md", "readme.md", false),
            ("/Docs/", "docs/a.md", false),
            ("*.JS", "app.js", false),
            ("*.js", "APP.js", true),
        ]);
    }

    #[test]
    fn non_utf8_paths_compare_bytes() {
        let cases: &[(&str, &[u8], bool)] = &[
            ("*.txt", b"dir/\xff\xfe.txt", true),
            ("/dir/", b"dir/\xc3\x28/x", true),
            ("/d?r/", b"d\xffr/x", true),
            ("/\u{e9}t\u{e9}/", b"\xc3\xa9t\xc3\xa9/a", true),
            // The same name in Latin-1 is different bytes.
            ("/\u{e9}t\u{e9}/", b"\xe9t\xe9/a", false),
            // `?` is one byte, so it does not match a two-byte character.
            ("caf?", b"caf\xc3\xa9", false),
            ("caf??", b"caf\xc3\xa9", true),
            ("caf*", b"caf\xc3\xa9", true),
        ];
        for &(pattern, path, expected) in cases {
            let compiled = Pattern::parse(pattern).expect("pattern parses");
            assert_eq!(
                compiled.matches(path),
                expected,
                "{pattern:?} vs {:?}",
                crate::source::shown_path(path)
            );
        }
    }

    #[test]
    fn empty_path_matches_nothing() {
        for pattern in ["*", "**", "/", "a"]
            .iter()
            .filter_map(|p| Pattern::parse(p).ok())
        {
            assert!(!pattern.matches(b""), "{pattern} matched an empty path");
        }
    }

    #[test]
    fn parse_errors() {
        let cases: &[(&str, &str)] = &[
            ("", "empty"),
            ("   ", "empty"),
            ("/", "only `/`"),
            ("//", "only `/`"),
            ("a//b", "`//`"),
            ("//a", "`//`"),
            ("a//", "`//`"),
            ("foo\\", "lone `\\`"),
            ("a\\/b", "`\\/`"),
            ("./src", "`.` or `..`"),
            ("src/../lib", "`.` or `..`"),
        ];
        for &(pattern, expected) in cases {
            match Pattern::parse(pattern) {
                Ok(parsed) => panic!("{pattern:?} parsed as {parsed:?}"),
                Err(error) => {
                    assert!(
                        error.message.contains(expected),
                        "{pattern:?}: message {:?} does not mention {expected:?}",
                        error.message
                    );
                    assert!(error.to_string().contains(&format!("{pattern:?}")));
                }
            }
        }
        // Dots are fine inside names and in wildcard segments.
        check(&[
            (".github/", ".github/CODEOWNERS", true),
            ("/.*", ".env", true),
            ("...", "...", true),
        ]);
    }

    #[test]
    fn as_str_and_equality() {
        let pattern = Pattern::parse("/apps/github").expect("pattern parses");
        assert_eq!(pattern.as_str(), "/apps/github");
        assert_eq!(pattern.to_string(), "/apps/github");
        assert_eq!(
            pattern,
            Pattern::parse("/apps/github").expect("pattern parses")
        );
        assert_ne!(
            pattern,
            Pattern::parse("apps/github").expect("pattern parses")
        );
    }

    #[test]
    fn no_exponential_blowup() {
        let long_name = "a".repeat(20_000);
        let star_soup = Pattern::parse("a*a*a*a*a*a*a*a*a*a*b").expect("pattern parses");
        assert!(!star_soup.matches(long_name.as_bytes()));
        assert!(star_soup.matches(format!("{long_name}b").as_bytes()));
        assert!(!star_soup.matches(format!("dir/{long_name}").as_bytes()));

        let deep_path = vec!["a"; 5_000].join("/");
        let globstar_soup = Pattern::parse("a/**/a/**/a/**/a/**/a/**/b").expect("pattern parses");
        assert!(!globstar_soup.matches(deep_path.as_bytes()));
        assert!(globstar_soup.matches(format!("{deep_path}/b").as_bytes()));
        let floating = Pattern::parse("**/a*a*a*a*a*b/").expect("pattern parses");
        assert!(!floating.matches(deep_path.as_bytes()));
    }
}

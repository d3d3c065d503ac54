//! How a file name or a repository path is shown to people, the one way for every command and format: valid
//! UTF-8 as is, a backslash doubled, control characters and bytes that are not UTF-8 as `\xNN`.

use std::path::{Component, Path};

/// A file name or repository path for people, the one way every command shows one: valid UTF-8 as is, a
/// backslash doubled, control characters and bytes that are not UTF-8 as `\xNN`. Unambiguous: two different
/// paths never look the same (a literal `\xff` is shown `\\xff`, the byte 0xff `\xff`).
pub fn shown_path(path: &[u8]) -> String {
    let mut out = String::with_capacity(path.len());
    for chunk in path.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                c if c.is_control() => {
                    for byte in c.encode_utf8(&mut [0; 4]).bytes() {
                        out.push_str(&format!("\\x{byte:02x}"));
                    }
                }
                c => out.push(c),
            }
        }
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out
}

/// [`shown_path`] of a name from the file system.
pub fn shown_os(name: &std::ffi::OsStr) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        shown_path(name.as_bytes())
    }
    #[cfg(not(unix))]
    {
        shown_path(name.to_string_lossy().as_bytes())
    }
}

/// A path of the file system for people, as [`shown_path`] shows names (for messages and reports; matching uses
/// `source::display_path`, which keeps the names).
pub fn shown_file(path: &Path) -> String {
    joined(path, shown_os)
}

/// The normal components of `path`, each named by `name`, joined with `/` (`.` for none, `/` for the root).
pub fn joined(path: &Path, name: impl Fn(&std::ffi::OsStr) -> String) -> String {
    let parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(name(part)),
            Component::ParentDir => Some("..".into()),
            Component::RootDir => Some(String::new()),
            _ => None,
        })
        .collect();
    if parts == [""] {
        "/".into()
    } else if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_one_unambiguous_way() {
        assert_eq!(shown_path(b"src/a.rs"), "src/a.rs");
        assert_eq!(shown_path(b"caf\xff.toml"), "caf\\xff.toml");
        assert_eq!(shown_path(b"caf\\xff.toml"), "caf\\\\xff.toml");
        assert_eq!(shown_path("café\n".as_bytes()), "café\\x0a");
        assert_eq!(shown_path("a\u{85}b".as_bytes()), "a\\xc2\\x85b");
        assert_ne!(shown_path(b"\xff"), shown_path(b"\\xff"));
    }
}

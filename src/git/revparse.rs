//! Naming commits: revspecs, HEAD, the merge base and the default branch.

use gix::bstr::{BString, ByteSlice};

use super::{other, short_id, GitError, ObjectId, Repo};
use crate::suggest::edit_distance;

impl Repo {
    /// Resolve a revspec naming one commit (`HEAD~3`, `origin/main`, a tag — annotated tags peeled —, a short id).
    pub fn resolve_commit(&self, rev: &str) -> Result<ObjectId, GitError> {
        if rev.contains("..") {
            return Err(GitError::Other {
                context: format!("resolving revision `{rev}`"),
                message: "that is a range of commits; name one commit".into(),
            });
        }
        let id = match self.repo.rev_parse_single(rev.as_bytes().as_bstr()) {
            Ok(id) => id,
            Err(err) => return Err(self.unresolved(rev, err)),
        };
        let object = match id.object() {
            Ok(object) => object,
            Err(err) if err.is_not_found() => return Err(self.unresolved(rev, err)),
            Err(err) => return Err(other(format!("reading revision `{rev}`"), err)),
        };
        let kind = object.kind;
        match object.peel_to_kind(gix::object::Kind::Commit) {
            Ok(commit) => Ok(commit.id),
            Err(err) if err.is_not_found() && self.is_shallow() => {
                Err(GitError::MissingInShallowClone {
                    rev: rev.to_owned(),
                })
            }
            Err(_) => Err(GitError::Other {
                context: format!("resolving revision `{rev}`"),
                message: format!(
                    "it names a {kind}, not a commit; name a branch, a tag or a commit"
                ),
            }),
        }
    }

    /// Turn a failed resolution into the error that tells the user what to do.
    fn unresolved(&self, rev: &str, err: gix::Error) -> GitError {
        if rev.starts_with("HEAD") && matches!(self.head_commit(), Ok(None)) {
            return GitError::Other {
                context: format!("resolving revision `{rev}`"),
                message: "the current branch has no commits yet".into(),
            };
        }
        use gix::revision::spec::parse::Error as Parse;
        if let Some(
            ambiguous @ (Parse::AmbiguousPrefix { .. } | Parse::AmbiguousRefAndObject { .. }),
        ) = err.downcast_any_ref::<Parse>()
        {
            return GitError::Other {
                context: format!("resolving revision `{rev}`"),
                message: format!("{ambiguous}; give more characters of the commit id"),
            };
        }
        let base = rev_base(rev);
        let base_resolves = base != rev
            && !base.is_empty()
            && self
                .repo
                .rev_parse_single(base.as_bytes().as_bstr())
                .is_ok();
        if self.is_shallow() && (base_resolves || looks_like_object_id(rev)) {
            return GitError::MissingInShallowClone {
                rev: rev.to_owned(),
            };
        }
        if base_resolves || base.is_empty() {
            // The name exists; what follows it does not work out (`HEAD~9` past the root, `@{u}` without upstream).
            return other(format!("resolving revision `{rev}`"), err);
        }
        GitError::UnknownRevision {
            rev: rev.to_owned(),
            suggestions: self.suggest_names(base),
        }
    }

    /// Branch and tag names (short: `main`, `origin/main`, `v1.0`) close to `word`, closest first, at most 3.
    fn suggest_names(&self, word: &str) -> Vec<String> {
        let Ok(platform) = self.repo.references() else {
            return Vec::new();
        };
        let Ok(all) = platform.all() else {
            return Vec::new();
        };
        let word_lower = word.to_lowercase();
        let mut scored: Vec<(usize, String)> = Vec::new();
        for reference in all.flatten() {
            let full = reference.name().as_bstr();
            let short = if let Some(rest) = full.strip_prefix(b"refs/heads/") {
                rest
            } else if let Some(rest) = full.strip_prefix(b"refs/remotes/") {
                if rest.ends_with(b"/HEAD") {
                    continue;
                }
                rest
            } else if let Some(rest) = full.strip_prefix(b"refs/tags/") {
                rest
            } else {
                continue;
            };
            let Ok(short) = short.to_str() else { continue };
            let distance = edit_distance(&word_lower, &short.to_lowercase());
            let score = if distance <= 2 {
                distance
            } else if !word_lower.is_empty() && short.to_lowercase().contains(&word_lower) {
                3
            } else {
                continue;
            };
            scored.push((score, short.to_owned()));
        }
        scored.sort();
        scored.dedup_by(|a, b| a.1 == b.1);
        scored.into_iter().take(3).map(|(_, name)| name).collect()
    }

    /// The commit HEAD points to; `None` on an unborn branch (a repository without commits).
    pub fn head_commit(&self) -> Result<Option<ObjectId>, GitError> {
        let mut head = self.repo.head().map_err(|err| other("reading HEAD", err))?;
        match head.try_peel_to_id() {
            Ok(None) => Ok(None),
            Ok(Some(id)) => {
                let id = id.detach();
                self.peel_to_commit(id, "HEAD").map(Some)
            }
            Err(err) => Err(other("reading HEAD", err)),
        }
    }

    fn peel_to_commit(&self, id: ObjectId, what: &str) -> Result<ObjectId, GitError> {
        let object = self
            .repo
            .find_object(id)
            .map_err(|err| self.object_error(id, err, || format!("reading {what}")))?;
        object
            .peel_to_kind(gix::object::Kind::Commit)
            .map(|commit| commit.id)
            .map_err(|err| self.object_error(id, err, || format!("reading {what}")))
    }

    /// The best common ancestor of `a` and `b`; `None` when the histories share no commit.
    /// In a shallow clone, a missing merge base means the history is cut off: `HistoryTruncated`.
    pub fn merge_base(&self, a: ObjectId, b: ObjectId) -> Result<Option<ObjectId>, GitError> {
        match self.repo.merge_base(a, b) {
            Ok(Some(id)) => Ok(Some(id.detach())),
            Ok(None) if self.is_shallow() => Err(GitError::HistoryTruncated {
                commit: short_id(&self.shallow[0]),
            }),
            Ok(None) => Ok(None),
            Err(err) if self.is_shallow() && err.is_not_found() => {
                Err(GitError::HistoryTruncated {
                    commit: short_id(&self.shallow[0]),
                })
            }
            Err(err) => Err(other(
                format!(
                    "finding the merge base of {} and {}",
                    short_id(&a),
                    short_id(&b)
                ),
                err,
            )),
        }
    }

    /// The default branch: the target of `refs/remotes/origin/HEAD` (shown as `origin/main`), else local `main`,
    /// else local `master`, else `origin/main`, else `origin/master`. Returns (name shown to users, commit).
    pub fn default_branch(&self) -> Result<Option<(String, ObjectId)>, GitError> {
        let remote_head = self
            .repo
            .try_find_reference("refs/remotes/origin/HEAD")
            .map_err(|err| other("reading refs/remotes/origin/HEAD", err))?;
        let mut candidates: Vec<BString> = Vec::new();
        if let Some(reference) = remote_head {
            if let gix::refs::TargetRef::Symbolic(target) = reference.target() {
                candidates.push(target.as_bstr().to_owned());
            }
        }
        for name in [
            "refs/heads/main",
            "refs/heads/master",
            "refs/remotes/origin/main",
            "refs/remotes/origin/master",
        ] {
            candidates.push(name.into());
        }
        for name in candidates {
            let Ok(Some(mut reference)) = self.repo.try_find_reference(name.as_bstr()) else {
                continue;
            };
            let Ok(id) = reference.peel_to_id() else {
                continue;
            };
            let shown = reference.name().shorten().to_str_lossy().into_owned();
            let id = id.detach();
            return self
                .peel_to_commit(id, &shown)
                .map(|commit| Some((shown, commit)));
        }
        Ok(None)
    }
}

/// The name a revspec starts from: `main` in `main~3`, `HEAD` in `HEAD^2`, `v1` in `v1^{commit}`.
fn rev_base(rev: &str) -> &str {
    let end = rev.find(['~', '^', ':']).unwrap_or(rev.len());
    let base = &rev[..end];
    match base.find("@{") {
        Some(at) => &base[..at],
        None => base,
    }
}

fn looks_like_object_id(rev: &str) -> bool {
    (4..=64).contains(&rev.len()) && rev.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::scenario::Scenario;
    use std::process::Command;

    #[test]
    fn resolves_ancestors_branches_tags_and_short_ids() {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        let first = s.commit("first");
        s.git(&["tag", "-a", "-m", "release 1", "v1.0"]);
        s.git(&["tag", "light"]);
        s.git(&["branch", "feature"]);
        s.write("a.toml", "a = 2\n");
        let second = s.commit("second");
        let repo = s.open();
        assert_eq!(repo.head_commit().unwrap(), Some(second));
        assert_eq!(repo.resolve_commit("HEAD").unwrap(), second);
        assert_eq!(repo.resolve_commit("HEAD~1").unwrap(), first);
        assert_eq!(repo.resolve_commit("main^").unwrap(), first);
        assert_eq!(repo.resolve_commit("feature").unwrap(), first);
        assert_eq!(
            repo.resolve_commit("v1.0").unwrap(),
            first,
            "annotated tags are peeled"
        );
        assert_eq!(repo.resolve_commit("light").unwrap(), first);
        assert_eq!(
            repo.resolve_commit(&second.to_hex_with_len(7).to_string())
                .unwrap(),
            second
        );
        assert_eq!(repo.resolve_commit(&second.to_string()).unwrap(), second);
    }

    #[test]
    fn an_unknown_revision_suggests_close_branch_and_tag_names() {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        s.commit("first");
        s.git(&["tag", "v1.0"]);
        s.git(&["branch", "release/2024"]);
        let repo = s.open();

        let err = repo.resolve_commit("mian").unwrap_err();
        match &err {
            GitError::UnknownRevision { rev, suggestions } => {
                assert_eq!(rev, "mian");
                assert_eq!(suggestions, &["main"]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            err.to_string(),
            "unknown revision `mian`; did you mean `main`?"
        );

        let err = repo.resolve_commit("2024").unwrap_err();
        assert!(
            matches!(&err, GitError::UnknownRevision { suggestions, .. } if suggestions == &["release/2024"]),
            "{err:?}"
        );
        let err = repo.resolve_commit("v1.1~2").unwrap_err();
        assert!(
            matches!(&err, GitError::UnknownRevision { suggestions, .. } if suggestions == &["v1.0"]),
            "{err:?}"
        );

        let err = repo.resolve_commit("zzzzzzzzzz").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown revision `zzzzzzzzzz`; name a branch, a tag or a commit id (see `git branch -a` and `git tag`)"
        );
        let err = repo.resolve_commit("HEAD~5").unwrap_err();
        assert!(matches!(err, GitError::Other { .. }), "{err:?}");
        assert!(
            err.to_string().starts_with("resolving revision `HEAD~5`: "),
            "{err}"
        );
        let err = repo.resolve_commit("main..v1.0").unwrap_err();
        assert!(err.to_string().contains("range of commits"), "{err}");
        let err = repo.resolve_commit("HEAD:a.toml").unwrap_err();
        assert!(err.to_string().contains("not a commit"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn an_ambiguous_short_id_asks_for_more_characters() {
        let s = Scenario::new();
        let blobs = s.sibling("blobs");
        std::fs::create_dir(&blobs).unwrap();
        let mut list = String::new();
        for n in 0..1000 {
            let path = blobs.join(n.to_string());
            std::fs::write(&path, format!("blob {n}\n")).unwrap();
            list.push_str(&format!("{}\n", path.display()));
        }
        std::fs::write(s.sibling("list"), list).unwrap();
        let out = Command::new("sh")
            .arg("-c")
            .arg(
                "git hash-object -w --stdin-paths < ../list | cut -c1-4 | sort | uniq -d | head -1",
            )
            .current_dir(&s.root)
            .output()
            .unwrap();
        let prefix = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        assert_eq!(prefix.len(), 4, "1000 blobs share a 4-digit prefix");
        let err = s.open().resolve_commit(&prefix).unwrap_err();
        assert!(matches!(err, GitError::Other { .. }), "{err:?}");
        assert!(
            err.to_string()
                .contains("give more characters of the commit id"),
            "{err}"
        );
    }

    #[test]
    fn an_unborn_branch_has_no_head_commit() {
        let s = Scenario::new();
        let repo = s.open();
        assert_eq!(repo.head_commit().unwrap(), None);
        let err = repo.resolve_commit("HEAD").unwrap_err();
        assert_eq!(
            err.to_string(),
            "resolving revision `HEAD`: the current branch has no commits yet"
        );
        assert_eq!(repo.default_branch().unwrap(), None);
    }

    #[test]
    fn a_shallow_clone_asks_for_more_history() {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        let first = s.commit("first");
        s.write("a.toml", "a = 2\n");
        let second = s.commit("second");
        s.write("a.toml", "a = 3\n");
        let third = s.commit("third");
        let shallow = s.sibling("shallow");
        let url = format!("file://{}", s.root.display());
        s.git(&[
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            shallow.to_str().unwrap(),
        ]);

        let repo = Repo::discover(&shallow).unwrap();
        assert!(repo.is_shallow());
        assert_eq!(repo.head_commit().unwrap(), Some(third));

        let err = repo.resolve_commit("HEAD~1").unwrap_err();
        assert!(
            matches!(&err, GitError::MissingInShallowClone { rev } if rev == "HEAD~1"),
            "{err:?}"
        );
        let shown = err.to_string();
        assert!(shown.contains("git fetch --unshallow"), "{shown}");
        assert!(shown.contains("git fetch --deepen N"), "{shown}");
        assert!(shown.contains("fetch-depth: 0"), "{shown}");
        let err = repo.resolve_commit(&first.to_string()).unwrap_err();
        assert!(
            matches!(err, GitError::MissingInShallowClone { .. }),
            "{err:?}"
        );
        let err = repo
            .resolve_commit(&first.to_hex_with_len(8).to_string())
            .unwrap_err();
        assert!(
            matches!(err, GitError::MissingInShallowClone { .. }),
            "{err:?}"
        );

        let err = repo.range(first, third, false).unwrap_err();
        assert!(
            matches!(&err, GitError::MissingInShallowClone { rev } if *rev == short_id(&first)),
            "{err:?}"
        );
        let err = repo.changes(third).unwrap_err();
        assert!(
            matches!(&err, GitError::HistoryTruncated { commit } if *commit == short_id(&third)),
            "{err:?}"
        );
        assert!(repo.commit_info(third).is_ok());
        assert_eq!(
            repo.read_file(third, "a.toml").unwrap().unwrap(),
            b"a = 3\n"
        );

        // Deep enough: the range stops at the base before the boundary.
        let deeper = s.sibling("deeper");
        s.git(&[
            "clone",
            "-q",
            "--depth",
            "2",
            &url,
            deeper.to_str().unwrap(),
        ]);
        let repo = Repo::discover(&deeper).unwrap();
        assert_eq!(repo.resolve_commit("HEAD~1").unwrap(), second);
        assert_eq!(repo.range(second, third, false).unwrap(), vec![third]);
        assert_eq!(repo.changes(third).unwrap().len(), 1);
        let err = repo.changes(second).unwrap_err();
        assert!(matches!(err, GitError::HistoryTruncated { .. }), "{err:?}");
        let err = repo.range(first, third, false).unwrap_err();
        assert!(
            matches!(
                err,
                GitError::HistoryTruncated { .. } | GitError::MissingInShallowClone { .. }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn merge_base_of_diverged_branches() {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        let fork = s.commit("fork point");
        s.git(&["checkout", "-q", "-b", "feature"]);
        s.write("b.toml", "b = 1\n");
        let feature = s.commit("feature");
        s.git(&["checkout", "-q", "main"]);
        s.write("c.toml", "c = 1\n");
        let main = s.commit("main");
        let repo = s.open();
        assert_eq!(repo.merge_base(main, feature).unwrap(), Some(fork));
        assert_eq!(repo.merge_base(fork, main).unwrap(), Some(fork));

        s.git(&["checkout", "-q", "--orphan", "unrelated"]);
        s.write("d.toml", "d = 1\n");
        let unrelated = s.commit("unrelated");
        let repo = s.open();
        assert_eq!(repo.merge_base(main, unrelated).unwrap(), None);
    }

    #[test]
    fn default_branch_prefers_the_remote_head() {
        let s = Scenario::new();
        s.write("a.toml", "a = 1\n");
        let first = s.commit("first");
        let repo = s.open();
        assert_eq!(
            repo.default_branch().unwrap(),
            Some(("main".to_owned(), first))
        );

        let clone = s.sibling("clone");
        s.git(&[
            "clone",
            "-q",
            s.root.to_str().unwrap(),
            clone.to_str().unwrap(),
        ]);
        s.git_in(&clone, &["checkout", "-q", "-b", "topic"]);
        s.git_in(&clone, &["branch", "-q", "-D", "main"]);
        let repo = Repo::discover(&clone).unwrap();
        assert_eq!(
            repo.default_branch().unwrap(),
            Some(("origin/main".to_owned(), first))
        );

        let master = Scenario::new();
        master.git(&["checkout", "-q", "-b", "master"]);
        master.write("a.toml", "a = 1\n");
        let commit = master.commit("first");
        assert_eq!(
            master.open().default_branch().unwrap(),
            Some(("master".to_owned(), commit))
        );
    }

    #[test]
    fn edit_distance_counts_a_transposition_once() {
        assert_eq!(edit_distance("mian", "main"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(rev_base("origin/main~3"), "origin/main");
        assert_eq!(rev_base("HEAD@{1}"), "HEAD");
    }
}

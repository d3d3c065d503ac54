//! A test repository built commit by commit with the git binary, shared by the git module's unit tests.

use std::path::{Path, PathBuf};
use std::process::Command;

use gix::bstr::{BString, ByteSlice};

use super::{ObjectId, Repo};

/// A scenario repository built commit by commit with the git binary, with fixed dates and identities.
pub struct Scenario {
    pub _tmp: tempfile::TempDir,
    pub root: PathBuf,
    pub clock: std::cell::Cell<i64>,
}

impl Scenario {
    pub fn new() -> Scenario {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("repo");
        std::fs::create_dir(&root).unwrap();
        let scenario = Scenario {
            _tmp: tmp,
            root,
            clock: std::cell::Cell::new(1_700_000_000),
        };
        scenario.git(&["init", "-q"]);
        scenario
    }

    /// A sibling directory of the repository inside the same temp dir.
    pub fn sibling(&self, name: &str) -> PathBuf {
        self.root.parent().unwrap().join(name)
    }

    pub fn git(&self, args: &[&str]) -> String {
        self.git_in(&self.root, args)
    }

    pub fn git_in(&self, dir: &Path, args: &[&str]) -> String {
        let date = format!("@{} +0000", self.clock.get());
        let out = Command::new("git")
            .args([
                "-c",
                "init.defaultBranch=main",
                "-c",
                "protocol.file.allow=always",
            ])
            .args(args)
            .current_dir(dir)
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "Ana")
            .env("GIT_AUTHOR_EMAIL", "ana@x.example")
            .env("GIT_COMMITTER_NAME", "Ana")
            .env("GIT_COMMITTER_EMAIL", "ana@x.example")
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    pub fn write(&self, path: &str, text: &str) {
        self.write_in(&self.root, path, text);
    }

    pub fn write_in(&self, dir: &Path, path: &str, text: &str) {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Stage everything and commit, one hour after the previous commit; returns the new commit id.
    pub fn commit(&self, message: &str) -> ObjectId {
        self.git(&["add", "-A"]);
        self.commit_staged(message)
    }

    pub fn commit_staged(&self, message: &str) -> ObjectId {
        self.clock.set(self.clock.get() + 3600);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.id("HEAD")
    }

    pub fn id(&self, rev: &str) -> ObjectId {
        ObjectId::from_hex(self.git(&["rev-parse", rev]).as_bytes()).unwrap()
    }

    pub fn open(&self) -> Repo {
        Repo::discover(&self.root).unwrap()
    }
}

pub fn same_dir(a: &Path, b: &Path) -> bool {
    a.canonicalize().unwrap() == b.canonicalize().unwrap()
}

pub fn paths<T>(items: &[T], path: impl Fn(&T) -> &BString) -> Vec<String> {
    items
        .iter()
        .map(|i| path(i).to_str_lossy().into_owned())
        .collect()
}

//! The GitHub Action's audit step (`.github/action/audit.sh`), run with bash against a stub `gh` that pages like
//! the REST API (100 per page; `--paginate` returns every page) and records every call, and a stub `opmodel`
//! that records the approvals it is given. Every `gh` call the script makes is exercised: the reviews over
//! several pages, the comment created once and then edited in place, the review requests.

use std::path::{Path, PathBuf};
use std::process::Command;

mod support;
use support::{require_tool, Repo};

/// The stub GitHub CLI: state in `$STUB/reviews.json` and `$STUB/comments.json`, each call appended to
/// `$STUB/gh.log` as a JSON array of its arguments.
const GH: &str = r#"#!/usr/bin/env python3
import json, os, sys, urllib.parse
stub = os.environ["STUB"]
args = sys.argv[1:]
with open(os.path.join(stub, "gh.log"), "a") as log:
    log.write(json.dumps(args) + "\n")
def load(name):
    path = os.path.join(stub, name)
    return json.load(open(path)) if os.path.exists(path) else []
def save(name, value):
    json.dump(value, open(os.path.join(stub, name), "w"))
def fields(flag):
    out = []
    for i, a in enumerate(args):
        if a == flag:
            key, _, value = args[i + 1].partition("=")
            if value.startswith("@") and flag == "-F":
                value = open(value[1:]).read()
            out.append((key, value))
    return out
if args[:1] != ["api"]:
    sys.exit("stub gh: only `gh api` is known")
method, paginate, path = "GET", False, None
i = 1
while i < len(args):
    if args[i] == "--method":
        method = args[i + 1]; i += 2
    elif args[i] == "--paginate":
        paginate = True; i += 1
    elif args[i] in ("-f", "-F"):
        i += 2
    elif args[i].startswith("-"):
        sys.exit("stub gh: unknown flag " + args[i])
    else:
        path = args[i]; i += 1
url = urllib.parse.urlsplit(path)
query = dict(urllib.parse.parse_qsl(url.query))
parts = url.path.split("/")
def pages(items):
    size = min(int(query.get("per_page", "30")), 100)
    first = int(query.get("page", "1"))
    chunks = [items[n:n + size] for n in range(0, len(items), size)] or [[]]
    for chunk in (chunks[first - 1:] if paginate else chunks[first - 1:first]):
        print(json.dumps(chunk))
if method == "GET" and parts[3:] and parts[3] == "pulls" and parts[5:] == ["reviews"]:
    pages(load("reviews.json"))
elif method == "GET" and parts[3:4] == ["issues"] and parts[5:] == ["comments"]:
    pages(load("comments.json"))
elif method == "POST" and parts[3:4] == ["issues"] and parts[5:] == ["comments"]:
    comments = load("comments.json")
    comment = {"id": 1000 + len(comments), "user": {"login": "github-actions[bot]", "type": "Bot"},
               "body": dict(fields("-F"))["body"]}
    save("comments.json", comments + [comment])
    print(json.dumps(comment))
elif method == "PATCH" and parts[3:5] == ["issues", "comments"]:
    comments = load("comments.json")
    for c in comments:
        if str(c["id"]) == parts[5]:
            c["body"] = dict(fields("-F"))["body"]
    save("comments.json", comments)
elif method == "POST" and parts[3:4] == ["pulls"] and parts[5:] == ["requested_reviewers"]:
    print("{}")
else:
    sys.exit("stub gh: no such endpoint: " + method + " " + path)
"#;

/// The stub opmodel: each call's arguments appended to `$STUB/opmodel.log`; the report of each format from
/// `$STUB/report.FORMAT`; exit code 1 for `--fail-on error` when `$STUB/findings` exists.
const OPMODEL: &str = r#"#!/usr/bin/env bash
printf '%s\n' "$*" >> "$STUB/opmodel.log"
format=human fail_on=error
while [ $# -gt 0 ]; do
  case "$1" in
    --format) format=$2; shift ;;
    --fail-on) fail_on=$2; shift ;;
  esac
  shift
done
if [ -f "$STUB/report.$format" ]; then cat "$STUB/report.$format"; fi
if [ "$fail_on" = error ] && [ -f "$STUB/findings" ]; then exit 1; fi
exit 0
"#;

const JSON: &str = r#"{"findings": [
  {"rule": "unapproved-change", "approvers": [{"id": "ana", "name": "Ana", "github": "ana-gh"}, {"id": "bob", "name": "Bob", "github": "bob-gh"}]},
  {"rule": "unapproved-change", "approvers": [{"id": "ana", "name": "Ana", "github": "ana-gh"}, {"id": "cy", "name": "Cy"}, {"id": "dee", "name": "Dee", "github": "author-gh"}]}
]}"#;

struct Action {
    repo: Repo,
    stub: PathBuf,
    base: String,
    head: String,
    old: String,
}

impl Action {
    fn new() -> Action {
        let repo = Repo::new();
        repo.write("a.txt", "one\n");
        let base = repo.commit("base");
        repo.write("a.txt", "two\n");
        let old = repo.commit("first push of the pull request");
        repo.write("a.txt", "three\n");
        let head = repo.commit("second push of the pull request");
        let stub = repo.outer().join("stub");
        std::fs::create_dir(&stub).unwrap();
        for (name, text) in [("gh", GH), ("opmodel", OPMODEL)] {
            let path = stub.join(name);
            std::fs::write(&path, text).unwrap();
            Command::new("chmod").arg("+x").arg(&path).status().unwrap();
        }
        std::fs::write(stub.join("report.markdown"), "## opmodel audit: 1 error\n").unwrap();
        std::fs::write(stub.join("report.json"), JSON).unwrap();
        Action {
            repo,
            stub,
            base,
            head,
            old,
        }
    }

    /// Reviews, oldest first: (login, state, commit).
    fn reviews(&self, reviews: &[(&str, &str, &str)]) {
        let list: Vec<serde_json::Value> = reviews
            .iter()
            .enumerate()
            .map(|(n, (login, state, commit))| {
                serde_json::json!({"id": n, "user": {"login": login, "type": "User"}, "state": state, "commit_id": commit})
            })
            .collect();
        std::fs::write(
            self.stub.join("reviews.json"),
            serde_json::to_string(&list).unwrap(),
        )
        .unwrap();
    }

    /// Run the script as action.yml does; its outputs (GITHUB_OUTPUT) and the script's standard output.
    fn run(&self, env: &[(&str, &str)]) -> (String, String) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/action/audit.sh");
        let output_file = self.stub.join("output");
        let _ = std::fs::remove_file(&output_file);
        let path = format!(
            "{}:{}",
            self.stub.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut command = Command::new("bash");
        command
            .arg(&script)
            .current_dir(&self.repo.root)
            .env("PATH", path)
            .env("STUB", &self.stub)
            .env("OPMODEL", self.stub.join("opmodel"))
            .env("GITHUB_OUTPUT", &output_file)
            .env("GITHUB_STEP_SUMMARY", self.stub.join("summary.md"))
            .env("RUNNER_TEMP", &self.stub)
            .env("REPO", "acme/ops")
            .env("PR", "7")
            .env("PR_AUTHOR", "author-gh")
            .env("BASE", &self.base)
            .env("HEAD", &self.head)
            .env("CAN_WRITE", "true")
            .env_remove("STALE_APPROVALS")
            .env_remove("ARGS");
        support::without_git_environment(&mut command);
        for (key, value) in env {
            command.env(key, value);
        }
        let out = command.output().expect("run bash");
        assert!(out.status.success(), "the script always exits 0: {out:?}");
        let outputs = std::fs::read_to_string(&output_file).unwrap_or_default();
        (outputs, String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// The `--approver` values of the audit's last run.
    fn approvers(&self) -> Vec<String> {
        let log = std::fs::read_to_string(self.stub.join("opmodel.log")).unwrap();
        let last = log.lines().last().unwrap();
        let words: Vec<&str> = last.split(' ').collect();
        words
            .windows(2)
            .filter(|w| w[0] == "--approver")
            .map(|w| w[1].to_string())
            .collect()
    }

    /// Every `gh` call so far, each as its arguments joined by spaces.
    fn gh_calls(&self) -> Vec<String> {
        std::fs::read_to_string(self.stub.join("gh.log"))
            .unwrap_or_default()
            .lines()
            .map(|line| {
                let args: Vec<String> = serde_json::from_str(line).unwrap();
                args.join(" ")
                    .replace(&self.stub.display().to_string(), "$STUB")
            })
            .collect()
    }

    fn comments(&self) -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(self.stub.join("comments.json")).unwrap())
            .unwrap()
    }
}

fn tools() -> bool {
    require_tool("bash") && require_tool("jq") && require_tool("python3")
}

#[test]
fn an_approval_on_the_second_page_of_reviews_counts() {
    if !tools() {
        return;
    }
    let action = Action::new();
    let mut reviews: Vec<(&str, &str, &str)> = vec![("chatty", "COMMENTED", &action.head); 149];
    reviews.push(("ana-gh", "APPROVED", &action.head));
    action.reviews(&reviews);
    let (outputs, _) = action.run(&[("COMMENT", "false"), ("REQUEST_REVIEWS", "false")]);
    assert_eq!(action.approvers(), ["@ana-gh"]);
    assert!(outputs.contains("exit-code=0"), "{outputs}");
    assert_eq!(
        action.gh_calls(),
        ["api --paginate repos/acme/ops/pulls/7/reviews?per_page=100"]
    );
    // The author the platform authenticated is the author of the range.
    let log = std::fs::read_to_string(action.stub.join("opmodel.log")).unwrap();
    assert!(
        log.lines().all(|l| l.contains("--author @author-gh")),
        "{log}"
    );
}

#[test]
fn a_later_changes_requested_cancels_an_approval_and_a_comment_does_not() {
    if !tools() {
        return;
    }
    let action = Action::new();
    let head = action.head.as_str();
    action.reviews(&[
        ("ana-gh", "APPROVED", head),
        ("bob-gh", "APPROVED", head),
        ("ana-gh", "CHANGES_REQUESTED", head),
        ("bob-gh", "COMMENTED", head),
        ("bob-gh", "DISMISSED", head),
        ("cy-gh", "CHANGES_REQUESTED", head),
        ("cy-gh", "APPROVED", head),
    ]);
    action.run(&[("COMMENT", "false"), ("REQUEST_REVIEWS", "false")]);
    assert_eq!(action.approvers(), ["@bob-gh", "@cy-gh"]);
}

#[test]
fn an_approval_of_an_older_commit_counts_only_with_the_stale_input() {
    if !tools() {
        return;
    }
    let action = Action::new();
    action.reviews(&[("ana-gh", "APPROVED", &action.old)]);
    let off = [("COMMENT", "false"), ("REQUEST_REVIEWS", "false")];
    action.run(&off);
    assert_eq!(action.approvers(), Vec::<String>::new());
    action.run(&[off[0], off[1], ("STALE_APPROVALS", "true")]);
    assert_eq!(action.approvers(), ["@ana-gh"]);
}

#[test]
fn the_comment_is_created_once_then_edited_in_place() {
    if !tools() {
        return;
    }
    let action = Action::new();
    action.reviews(&[]);
    // Someone quoting the marker in their own comment: never edited.
    std::fs::write(
        action.stub.join("comments.json"),
        r#"[{"id": 5, "user": {"login": "mallory", "type": "User"}, "body": "<!-- opmodel-audit -->\nfake"}]"#,
    )
    .unwrap();
    std::fs::write(action.stub.join("findings"), "").unwrap();
    let (outputs, _) = action.run(&[("REQUEST_REVIEWS", "false")]);
    assert!(outputs.contains("exit-code=1"), "{outputs}");
    std::fs::write(
        action.stub.join("report.markdown"),
        "## opmodel audit: no findings\n",
    )
    .unwrap();
    std::fs::remove_file(action.stub.join("findings")).unwrap();
    let (outputs, _) = action.run(&[("REQUEST_REVIEWS", "false")]);
    assert!(outputs.contains("exit-code=0"), "{outputs}");
    let calls: Vec<String> = action.gh_calls().iter().map(|c| mask(c)).collect();
    assert_eq!(
        calls,
        [
            "api --paginate repos/acme/ops/pulls/7/reviews?per_page=100",
            "api --paginate repos/acme/ops/issues/7/comments?per_page=100",
            "api --method POST repos/acme/ops/issues/7/comments -F body=@$STUB/opmodel-audit.XXXXXX/comment.md",
            "api --paginate repos/acme/ops/pulls/7/reviews?per_page=100",
            "api --paginate repos/acme/ops/issues/7/comments?per_page=100",
            "api --method PATCH repos/acme/ops/issues/comments/1001 -F body=@$STUB/opmodel-audit.XXXXXX/comment.md",
        ]
    );
    let comments = action.comments();
    assert_eq!(comments.as_array().unwrap().len(), 2, "{comments}");
    assert_eq!(comments[0]["body"], "<!-- opmodel-audit -->\nfake");
    assert_eq!(
        comments[1]["body"],
        "<!-- opmodel-audit -->\n## opmodel audit: no findings\n"
    );
}

/// The temporary folder's random part, masked.
fn mask(call: &str) -> String {
    match call.find("opmodel-audit.") {
        Some(at) => {
            let end = at + "opmodel-audit.".len() + 6;
            format!(
                "{}XXXXXX{}",
                &call[..at + "opmodel-audit.".len()],
                &call[end.min(call.len())..]
            )
        }
        None => call.to_string(),
    }
}

#[test]
fn reviews_are_requested_from_the_missing_signers() {
    if !tools() {
        return;
    }
    let action = Action::new();
    // bob approved the head; the author and people without a github login are never asked.
    action.reviews(&[("bob-gh", "APPROVED", &action.head)]);
    action.run(&[("COMMENT", "false")]);
    let calls = action.gh_calls();
    assert_eq!(
        calls.last().unwrap(),
        "api --method POST repos/acme/ops/pulls/7/requested_reviewers -f reviewers[]=ana-gh"
    );
    assert_eq!(calls.len(), 2, "{calls:?}");
}

#[test]
fn a_fork_gets_no_writes() {
    if !tools() {
        return;
    }
    let action = Action::new();
    action.reviews(&[]);
    action.run(&[("CAN_WRITE", "false")]);
    assert_eq!(
        action.gh_calls(),
        ["api --paginate repos/acme/ops/pulls/7/reviews?per_page=100"]
    );
}

#[test]
fn a_push_is_audited_without_reviews_and_writes_sarif() {
    if !tools() {
        return;
    }
    let action = Action::new();
    std::fs::write(action.stub.join("report.sarif"), "{}\n").unwrap();
    let (outputs, _) = action.run(&[("PR", ""), ("PR_AUTHOR", ""), ("SARIF", "true")]);
    assert!(outputs.contains("exit-code=0"), "{outputs}");
    assert!(outputs.contains("sarif-file="), "{outputs}");
    assert_eq!(action.gh_calls(), Vec::<String>::new());
    assert_eq!(action.approvers(), Vec::<String>::new());
}

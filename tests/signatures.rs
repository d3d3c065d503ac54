//! SSH commit signatures: real signed commits made with `ssh-keygen` and git (`gpg.format = ssh`), judged by
//! `opmodel::audit::signature` in-process, and each verdict cross-checked with `git verify-commit` and an
//! allowed-signers file, so the test data is known to be what it claims.
//!
//! Without git or ssh-keygen the tests print "skipped: ..." and pass; under CI (env `CI` set) they fail instead.

use std::cell::Cell;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use opmodel::audit::signature::{parse_signing_keys, verify_commit, SigningKey, Verdict};
use tempfile::TempDir;

/// A repository and a folder of key pairs, in a temp dir.
struct Lab {
    tmp: TempDir,
    repo: PathBuf,
    clock: Cell<i64>,
}

/// A key pair made by `ssh-keygen`.
struct Key {
    /// The private key file; `{path}.pub` is the public key.
    path: PathBuf,
    /// The `.pub` line: `ssh-ed25519 AAAA... name@example.com`.
    public: String,
    /// `SHA256:...`, as `ssh-keygen -l` prints it.
    fingerprint: String,
}

fn lab() -> Option<Lab> {
    let missing: Vec<&str> = [("git", "--version"), ("ssh-keygen", "-?")]
        .into_iter()
        .filter(|(tool, arg)| Command::new(tool).arg(arg).output().is_err())
        .map(|(tool, _)| tool)
        .collect();
    if !missing.is_empty() {
        let message = format!("{} not installed", missing.join(" and "));
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the signature tests: {message}"
        );
        println!("skipped: {message}");
        return None;
    }
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    let lab = Lab {
        tmp,
        repo,
        clock: Cell::new(1_750_000_000),
    };
    lab.git(&["init", "-q"]);
    Some(lab)
}

impl Lab {
    fn run(&self, program: &str, args: &[&str], stdin: Option<&[u8]>) -> std::process::Output {
        let date = format!("@{} +0000", self.clock.get());
        self.clock.set(self.clock.get() + 60);
        let mut child = Command::new(program)
            .args(args)
            .current_dir(&self.repo)
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("SSH_AUTH_SOCK")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "Ana Lopez")
            .env("GIT_AUTHOR_EMAIL", "ana@example.com")
            .env("GIT_COMMITTER_NAME", "Ana Lopez")
            .env("GIT_COMMITTER_EMAIL", "ana@example.com")
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|err| panic!("{program} runs: {err}"));
        let mut input = child.stdin.take().unwrap();
        input.write_all(stdin.unwrap_or_default()).unwrap();
        drop(input);
        child.wait_with_output().unwrap()
    }

    /// Run git, which must succeed; its trimmed standard output.
    fn git(&self, args: &[&str]) -> String {
        self.git_with_input(args, None)
    }

    fn git_with_input(&self, args: &[&str], stdin: Option<&[u8]>) -> String {
        let mut all = vec![
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ];
        all.extend_from_slice(args);
        self.run_ok("git", &all, stdin).trim().to_owned()
    }

    /// Run a program that must succeed; its standard output.
    fn run_ok(&self, program: &str, args: &[&str], stdin: Option<&[u8]>) -> String {
        let out = self.run(program, args, stdin);
        assert!(
            out.status.success(),
            "{program} {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// A fresh key pair without a passphrase: `ssh-keygen -t TYPE [-b BITS]`.
    fn keygen(&self, name: &str, kind: &[&str]) -> Key {
        let path = self.tmp.path().join(name);
        let path_text = path.to_str().unwrap();
        let comment = format!("{name}@example.com");
        let mut args = vec!["-q", "-N", "", "-C", &comment, "-f", path_text];
        args.extend_from_slice(kind);
        self.run_ok("ssh-keygen", &args, None);
        let public_path = format!("{path_text}.pub");
        let public = std::fs::read_to_string(&public_path)
            .unwrap()
            .trim()
            .to_owned();
        let listed = self.run_ok(
            "ssh-keygen",
            &["-l", "-E", "sha256", "-f", &public_path],
            None,
        );
        let fingerprint = listed.split_whitespace().nth(1).unwrap().to_owned();
        Key {
            path,
            public,
            fingerprint,
        }
    }

    /// An empty commit, signed by `key` through git itself when given; its id.
    fn commit(&self, message: &str, key: Option<&Key>) -> String {
        let signing_key = key.map(|key| format!("user.signingkey={}.pub", key.path.display()));
        let mut args = vec![];
        if let Some(signing_key) = &signing_key {
            args.extend(["-c", "gpg.format=ssh", "-c", signing_key, "commit", "-S"]);
        } else {
            args.push("commit");
        }
        args.extend(["-q", "--allow-empty", "-m", message]);
        self.git(&args);
        self.git(&["rev-parse", "HEAD"])
    }

    /// The raw commit object.
    fn object(&self, id: &str) -> String {
        self.run_ok("git", &["cat-file", "commit", id], None)
    }

    /// Write `object` as a commit (git checks its format) and return its id.
    fn write_commit(&self, object: &str) -> String {
        self.git_with_input(
            &["hash-object", "-t", "commit", "-w", "--stdin"],
            Some(object.as_bytes()),
        )
    }

    /// What opmodel says of commit `id` with `keys` listed.
    fn verdict(&self, id: &str, keys: &[&Key]) -> Verdict {
        let lines: Vec<&str> = keys.iter().map(|key| key.public.as_str()).collect();
        let keys = parse_signing_keys(&lines).expect("ssh-keygen's keys parse");
        let repo = gix::open(&self.repo).unwrap();
        let id = gix::ObjectId::from_hex(id.as_bytes()).unwrap();
        verify_commit(&repo, id, &keys).unwrap()
    }

    /// What `git verify-commit` says with only `keys` in the allowed-signers file: true when it verifies.
    fn git_verifies(&self, id: &str, keys: &[&Key]) -> bool {
        let allowed = self.tmp.path().join("allowed_signers");
        let lines: Vec<String> = keys
            .iter()
            .map(|key| format!("ana@example.com namespaces=\"git\" {}\n", key.public))
            .collect();
        std::fs::write(&allowed, lines.concat()).unwrap();
        let setting = format!("gpg.ssh.allowedSignersFile={}", allowed.display());
        self.run("git", &["-c", &setting, "verify-commit", id], None)
            .status
            .success()
    }
}

/// `object` with a `gpgsig` header holding `armored`, where git puts it: after the committer line.
fn with_signature(object: &str, armored: &str) -> String {
    let (headers, message) = object.split_once("\n\n").unwrap();
    let folded = armored.trim_end().replace('\n', "\n ");
    format!("{headers}\ngpgsig {folded}\n\n{message}")
}

#[test]
fn a_commit_signed_by_a_listed_key_is_valid() {
    let Some(lab) = lab() else { return };
    let ana = lab.keygen("ana", &["-t", "ed25519"]);
    let bob = lab.keygen("bob", &["-t", "ed25519"]);
    let id = lab.commit("Signed by Ana", Some(&ana));
    assert!(lab.git_verifies(&id, &[&ana]));

    assert_eq!(
        lab.verdict(&id, &[&ana]),
        Verdict::Valid {
            key_index: 0,
            fingerprint: ana.fingerprint.clone()
        }
    );
    // The index says which of the listed keys signed.
    let verdict = lab.verdict(&id, &[&bob, &ana]);
    assert_eq!(
        verdict,
        Verdict::Valid {
            key_index: 1,
            fingerprint: ana.fingerprint.clone()
        }
    );
    assert!(verdict.is_valid());
    assert_eq!(
        verdict.to_string(),
        format!("signed by key {}", ana.fingerprint)
    );
}

#[test]
fn a_commit_signed_by_another_key_is_an_unknown_key() {
    let Some(lab) = lab() else { return };
    let ana = lab.keygen("ana", &["-t", "ed25519"]);
    let bob = lab.keygen("bob", &["-t", "ed25519"]);
    let id = lab.commit("Signed by Bob", Some(&bob));
    assert!(
        lab.git_verifies(&id, &[&bob]),
        "the signature itself is good"
    );
    assert!(!lab.git_verifies(&id, &[&ana]));

    let verdict = lab.verdict(&id, &[&ana]);
    assert_eq!(verdict, Verdict::UnknownKey(bob.fingerprint.clone()));
    assert_eq!(
        verdict.to_string(),
        format!("signed by an unknown key {}", bob.fingerprint)
    );
    assert_eq!(lab.verdict(&id, &[]), Verdict::UnknownKey(bob.fingerprint));
}

#[test]
fn an_unsigned_commit_is_unsigned() {
    let Some(lab) = lab() else { return };
    let ana = lab.keygen("ana", &["-t", "ed25519"]);
    let id = lab.commit("Not signed", None);
    assert!(!lab.git_verifies(&id, &[&ana]));
    assert_eq!(lab.verdict(&id, &[&ana]), Verdict::Unsigned);
    assert_eq!(Verdict::Unsigned.to_string(), "not signed");
}

#[test]
fn a_signed_commit_changed_after_signing_has_a_bad_signature() {
    let Some(lab) = lab() else { return };
    let ana = lab.keygen("ana", &["-t", "ed25519"]);
    let signed = lab.commit("Ease the refund target", Some(&ana));
    let original = lab.object(&signed);
    assert!(original.contains("-----BEGIN SSH SIGNATURE-----"));

    // Same gpgsig header, another message; and same message, another author.
    let tampered = [
        original.replace("Ease the refund target", "Keep the refund target"),
        original.replace(
            "author Ana Lopez <ana@example.com>",
            "author Bob Stone <bob@example.com>",
        ),
    ];
    for object in tampered {
        assert_ne!(object, original);
        let id = lab.write_commit(&object);
        assert!(lab.git_verifies(&signed, &[&ana]));
        assert!(
            !lab.git_verifies(&id, &[&ana]),
            "git rejects the changed commit too"
        );
        match lab.verdict(&id, &[&ana]) {
            Verdict::BadSignature(reason) => assert!(
                reason.contains(&ana.fingerprint) && reason.contains("changed after signing"),
                "{reason}"
            ),
            other => panic!("expected a bad signature, got {other:?}"),
        }
    }
}

#[test]
fn ecdsa_p256_and_rsa_keys_verify_too() {
    let Some(lab) = lab() else { return };
    let ed25519 = lab.keygen("ed", &["-t", "ed25519"]);
    let p256 = lab.keygen("p256", &["-t", "ecdsa", "-b", "256"]);
    let rsa = lab.keygen("rsa", &["-t", "rsa", "-b", "3072"]);
    for key in [&p256, &rsa] {
        let id = lab.commit(&format!("Signed with {}", key.fingerprint), Some(key));
        assert!(lab.git_verifies(&id, &[key]));
        assert_eq!(
            lab.verdict(&id, &[&ed25519, key]),
            Verdict::Valid {
                key_index: 1,
                fingerprint: key.fingerprint.clone()
            }
        );
        let tampered = lab.write_commit(&lab.object(&id).replace("Signed with", "Signed by"));
        assert!(matches!(
            lab.verdict(&tampered, &[key]),
            Verdict::BadSignature(_)
        ));
    }
}

#[test]
fn a_signature_made_for_another_namespace_is_bad() {
    let Some(lab) = lab() else { return };
    let ana = lab.keygen("ana", &["-t", "ed25519"]);
    let unsigned = lab.commit("Signed as a file, not as a commit", None);
    let object = lab.object(&unsigned);
    let payload = lab.tmp.path().join("payload");
    std::fs::write(&payload, &object).unwrap();
    let key = ana.path.to_str().unwrap();
    let payload_path = payload.to_str().unwrap();
    let sign = ["-Y", "sign", "-n", "file", "-f", key, payload_path];
    lab.run_ok("ssh-keygen", &sign, None);
    let armored = std::fs::read_to_string(payload.with_extension("sig")).unwrap();
    let id = lab.write_commit(&with_signature(&object, &armored));
    assert!(!lab.git_verifies(&id, &[&ana]));

    match lab.verdict(&id, &[&ana]) {
        Verdict::BadSignature(reason) => assert!(reason.contains("namespace `file`"), "{reason}"),
        other => panic!("expected a bad signature, got {other:?}"),
    }
}

#[test]
fn openpgp_signatures_are_not_ssh_and_garbage_is_bad() {
    let Some(lab) = lab() else { return };
    let ana = lab.keygen("ana", &["-t", "ed25519"]);
    let object = lab.object(&lab.commit("Base", None));

    let pgp = "-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEE\n-----END PGP SIGNATURE-----\n";
    let id = lab.write_commit(&with_signature(&object, pgp));
    assert_eq!(lab.verdict(&id, &[&ana]), Verdict::NotSsh);

    let garbled =
        "-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQ==not base64!\n-----END SSH SIGNATURE-----\n";
    let id = lab.write_commit(&with_signature(&object, garbled));
    assert!(!lab.git_verifies(&id, &[&ana]));
    assert_eq!(
        lab.verdict(&id, &[&ana]),
        Verdict::BadSignature("the SSH signature cannot be read (corrupted?)".into())
    );

    let unknown = "-----BEGIN SOMETHING-----\nabc\n-----END SOMETHING-----\n";
    let id = lab.write_commit(&with_signature(&object, unknown));
    assert!(matches!(
        lab.verdict(&id, &[&ana]),
        Verdict::BadSignature(reason) if reason.contains("no SSH, OpenPGP or X.509 signature")
    ));
}

#[test]
fn a_missing_commit_is_an_error_that_names_it() {
    let Some(lab) = lab() else { return };
    lab.commit("Base", None);
    let repo = gix::open(&lab.repo).unwrap();
    let missing = gix::ObjectId::from_hex(b"0123456789012345678901234567890123456789").unwrap();
    let err = verify_commit(&repo, missing, &[]).unwrap_err().to_string();
    assert!(
        err.contains("reading the signature of commit 0123456"),
        "{err}"
    );
    let tree = gix::ObjectId::from_hex(lab.git(&["rev-parse", "HEAD^{tree}"]).as_bytes()).unwrap();
    let err = verify_commit(&repo, tree, &[]).unwrap_err().to_string();
    assert!(err.contains("is a tree, not a commit"), "{err}");
}

#[test]
fn keys_from_ssh_keygen_parse_and_their_mistakes_are_named() {
    let Some(lab) = lab() else { return };
    let ana = lab.keygen("ana", &["-t", "ed25519"]);
    let p384 = lab.keygen("p384", &["-t", "ecdsa", "-b", "384"]);
    let key = SigningKey::parse(&ana.public).unwrap();
    assert_eq!(key.fingerprint(), ana.fingerprint);

    let private = std::fs::read_to_string(&ana.path).unwrap();
    let errors = parse_signing_keys(&[
        ana.public.clone(),
        format!("ana@example.com {}", ana.public),
        private.clone(),
        p384.public.clone(),
    ])
    .unwrap_err();
    let messages: Vec<(usize, String)> = errors
        .iter()
        .map(|(index, err)| (*index, err.to_string()))
        .collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert_eq!(messages[0].0, 1);
    assert!(
        messages[0]
            .1
            .contains("without the allowed-signers principal"),
        "{messages:?}"
    );
    assert_eq!(messages[1].0, 2);
    assert!(messages[1].1.contains("is a private key"), "{messages:?}");
    let secret_line = private.lines().nth(1).unwrap();
    assert!(
        !messages[1].1.contains(secret_line),
        "a private key is never echoed"
    );
    assert_eq!(messages[2].0, 3);
    assert!(
        messages[2]
            .1
            .contains("keys of type `ecdsa-sha2-nistp384` cannot be verified"),
        "{messages:?}"
    );
}

//! SSH commit signatures (git's `gpg.format = ssh`), verified in-process: no `git`, no `ssh-keygen`.
//!
//! git keeps the signature in the commit's `gpgsig` header, an armored sshsig blob made in the namespace `git`
//! over the commit object without that header. A commit is `Valid` only when that blob parses, was made by one of
//! the listed keys, in the namespace `git`, and its signature verifies over those exact bytes.

use std::fmt;

use gix::bstr::ByteSlice;
use gix::objs::signature::Format;
use ssh_key::{HashAlg, PublicKey, SshSig};

use crate::git::GitError;

/// The namespace git signs commits in (`ssh-keygen -Y sign -n git`); a signature made for another use never counts.
pub const NAMESPACE: &str = "git";

/// What a commit's signature proves, checked against a list of keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The commit has no `gpgsig` header.
    Unsigned,
    /// A signature by a listed key that does not verify (the commit changed after signing, another namespace), or
    /// one that cannot be read at all. The reason is a sentence for the user.
    BadSignature(String),
    /// A well-formed SSH signature by a key that is not in the list: its `SHA256:...` fingerprint.
    UnknownKey(String),
    /// An OpenPGP or X.509 signature: only SSH signatures are verified.
    NotSsh,
    /// Signed by `keys[key_index]`, whose `SHA256:...` fingerprint is given.
    Valid {
        key_index: usize,
        fingerprint: String,
    },
}

impl Verdict {
    pub fn is_valid(&self) -> bool {
        matches!(self, Verdict::Valid { .. })
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verdict::Unsigned => write!(f, "not signed"),
            Verdict::BadSignature(reason) => write!(f, "bad signature: {reason}"),
            Verdict::UnknownKey(fingerprint) => write!(f, "signed by an unknown key {fingerprint}"),
            Verdict::NotSsh => write!(
                f,
                "signed with OpenPGP or X.509, and only SSH signatures are verified"
            ),
            Verdict::Valid { fingerprint, .. } => write!(f, "signed by key {fingerprint}"),
        }
    }
}

/// A public key a person signs commits with, parsed from one of their `signing_keys`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningKey {
    key: PublicKey,
}

impl SigningKey {
    /// Parse one OpenSSH public key line (`ssh-ed25519 AAAA... comment`), refusing what opmodel cannot verify.
    pub fn parse(text: &str) -> Result<SigningKey, KeyError> {
        let text = text.trim();
        let error = |reason: String| {
            Err(KeyError {
                key: abbreviate(text),
                reason,
            })
        };
        if text.is_empty() {
            return error(format!("is empty; {EXAMPLE}"));
        }
        if text.contains("PRIVATE KEY") {
            // Never echo a private key into a report or a CI log.
            return Err(KeyError {
                key: "-----BEGIN ... PRIVATE KEY-----".into(),
                reason: "is a private key: remove it from the model at once, treat the key as leaked, and list \
                         the public key (the `.pub` file) instead"
                    .into(),
            });
        }
        if text.contains('\n') {
            return error("holds more than one line; list each key as its own string".into());
        }
        let mut words = text.split_whitespace();
        let first = words.next().unwrap_or_default();
        let second = words.next();
        if first.ends_with("-cert-v01@openssh.com") {
            return error("is an SSH certificate; list the plain public key instead".into());
        }
        if !KEY_TYPES.contains(&first) {
            if second.is_some_and(|word| KEY_TYPES.contains(&word)) {
                return error(format!(
                    "starts with `{first}` before the key type: list the key alone, without the allowed-signers \
                     principal"
                ));
            }
            return error(format!("`{first}` is not an SSH key type; {EXAMPLE}"));
        }
        if !VERIFIED_KEY_TYPES.contains(&first) {
            return error(format!(
                "keys of type `{first}` cannot be verified; use one of {} (e.g. `ssh-keygen -t ed25519`)",
                VERIFIED_KEY_TYPES.join(", ")
            ));
        }
        if second.is_none() {
            return error(format!(
                "has no key data after `{first}`; copy the whole line of the `.pub` file"
            ));
        }
        match PublicKey::from_openssh(text) {
            Ok(key) => Ok(SigningKey { key }),
            Err(ssh_key::Error::AlgorithmUnknown) => error(format!(
                "the key data is not a `{first}` key; copy the whole line of the `.pub` file"
            )),
            Err(_) => error(
                "the key data is not a valid public key (cut short or altered?); copy the whole line of the \
                 `.pub` file"
                    .into(),
            ),
        }
    }

    /// The `SHA256:...` fingerprint, as `ssh-keygen -l` prints it.
    pub fn fingerprint(&self) -> String {
        self.key.fingerprint(HashAlg::Sha256).to_string()
    }
}

/// A `signing_keys` entry that is not a usable public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError {
    /// The entry as written, shortened to fit a message.
    pub key: String,
    /// What is wrong and what to do, as a sentence fragment after the key.
    pub reason: String,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "signing key `{}` {}", self.key, self.reason)
    }
}

impl std::error::Error for KeyError {}

/// Parse a person's `signing_keys`. Either every key parses, and `Valid { key_index }` then indexes this list as
/// written, or each malformed key is reported with its position.
pub fn parse_signing_keys<S: AsRef<str>>(
    keys: &[S],
) -> Result<Vec<SigningKey>, Vec<(usize, KeyError)>> {
    let mut parsed = Vec::with_capacity(keys.len());
    let mut errors = Vec::new();
    for (index, key) in keys.iter().enumerate() {
        match SigningKey::parse(key.as_ref()) {
            Ok(key) => parsed.push(key),
            Err(err) => errors.push((index, err)),
        }
    }
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(errors)
    }
}

/// Verify the signature of `commit` in `repo` against `keys`.
pub fn verify_commit(
    repo: &gix::Repository,
    commit: gix::ObjectId,
    keys: &[SigningKey],
) -> Result<Verdict, GitError> {
    let context = || {
        format!(
            "reading the signature of commit {}",
            commit.to_hex_with_len(7)
        )
    };
    let object = repo.find_object(commit).map_err(|err| GitError::Other {
        context: context(),
        message: err.to_string(),
    })?;
    if object.kind != gix::object::Kind::Commit {
        return Err(GitError::Other {
            context: context(),
            message: format!("the object is a {}, not a commit", object.kind),
        });
    }
    verify_commit_object(&object.data, repo.object_hash(), keys).map_err(|message| {
        GitError::Other {
            context: context(),
            message,
        }
    })
}

/// Verify the signature of the raw commit object `data` against `keys`. `Err`: the object is not a readable commit.
pub fn verify_commit_object(
    data: &[u8],
    hash_kind: gix::hash::Kind,
    keys: &[SigningKey],
) -> Result<Verdict, String> {
    let Some((armored, signed)) = gix::objs::CommitRefIter::signature(data, hash_kind)
        .map_err(|err| format!("the commit object is malformed: {err}"))?
    else {
        return Ok(Verdict::Unsigned);
    };
    let payload = signed.to_bstring();
    Ok(verify_payload(armored.trim_start(), &payload, keys))
}

/// Verify an armored signature over `payload`, the exact bytes git signed.
fn verify_payload(armored: &[u8], payload: &[u8], keys: &[SigningKey]) -> Verdict {
    match Format::from_signature(armored) {
        Some(Format::Ssh) => {}
        Some(Format::OpenPgp | Format::X509) => return Verdict::NotSsh,
        None => {
            return Verdict::BadSignature(
                "the `gpgsig` header holds no SSH, OpenPGP or X.509 signature".into(),
            )
        }
    }
    let signature = match armored
        .to_str()
        .map_err(|_| ())
        .and_then(|text| SshSig::from_pem(text).map_err(|_| ()))
    {
        Ok(signature) => signature,
        Err(()) => {
            return Verdict::BadSignature("the SSH signature cannot be read (corrupted?)".into())
        }
    };
    let signer = signature.public_key();
    let fingerprint = signer.fingerprint(HashAlg::Sha256).to_string();
    let Some(key_index) = keys.iter().position(|key| key.key.key_data() == signer) else {
        return Verdict::UnknownKey(fingerprint);
    };
    if signature.namespace() != NAMESPACE {
        return Verdict::BadSignature(format!(
            "made for the namespace `{}`, not `{NAMESPACE}`: it signs something else than a commit",
            signature.namespace()
        ));
    }
    match keys[key_index].key.verify(NAMESPACE, payload, &signature) {
        Ok(()) => Verdict::Valid { key_index, fingerprint },
        Err(ssh_key::Error::AlgorithmUnsupported { algorithm }) => {
            Verdict::BadSignature(format!("signatures of type `{algorithm}` cannot be verified"))
        }
        Err(_) => Verdict::BadSignature(format!(
            "the signature by key {fingerprint} does not match the commit: it was changed after signing"
        )),
    }
}

/// Every key type OpenSSH writes to a `.pub` file, so that a known but unverifiable type gets its own message.
const KEY_TYPES: [&str; 8] = [
    "ssh-ed25519",
    "sk-ssh-ed25519@openssh.com",
    "ecdsa-sha2-nistp256",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "ssh-rsa",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "ssh-dss",
];

/// The key types the enabled `ssh-key` features verify.
const VERIFIED_KEY_TYPES: [&str; 5] = [
    "ssh-ed25519",
    "sk-ssh-ed25519@openssh.com",
    "ecdsa-sha2-nistp256",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "ssh-rsa",
];

const EXAMPLE: &str =
    "write an OpenSSH public key such as `ssh-ed25519 AAAA... you@example.com` (the line in `~/.ssh/id_ed25519.pub`)";

/// A key line is long and mostly base64: keep its start and end, so the user can tell which one is meant.
fn abbreviate(text: &str) -> String {
    const KEEP: usize = 24;
    let chars: Vec<char> = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if chars.len() <= 2 * KEEP + 3 {
        return chars.into_iter().collect();
    }
    let head: String = chars[..KEEP].iter().collect();
    let tail: String = chars[chars.len() - KEEP..].iter().collect();
    format!("{head}...{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANA: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIu0ygH7bJi6fFM3rT544ocGy+7tJPuSz0UwxagCXxDW ana@example.com";

    fn reason(text: &str) -> String {
        SigningKey::parse(text).unwrap_err().to_string()
    }

    #[test]
    fn a_public_key_line_parses_with_its_fingerprint() {
        let key = SigningKey::parse(&format!("  {ANA}\n")).unwrap();
        assert_eq!(
            key.fingerprint(),
            "SHA256:UPZ8rAh6zdNbI3JFWp/78c1O4VMY9wNYxIbTE8DSChc"
        );
        let without_comment = ANA.trim_end_matches(" ana@example.com");
        assert_eq!(
            SigningKey::parse(without_comment).unwrap().fingerprint(),
            key.fingerprint()
        );
    }

    #[test]
    fn malformed_keys_say_what_is_wrong_and_what_to_do() {
        assert!(reason("").contains("is empty; write an OpenSSH public key"));
        assert!(reason("ana@example.com ssh-ed25519 AAAA")
            .contains("without the allowed-signers principal"));
        assert!(reason("ssh-foo AAAA").contains("`ssh-foo` is not an SSH key type"));
        assert!(reason("ssh-ed25519").contains("has no key data after `ssh-ed25519`"));
        assert!(reason("ssh-dss AAAA").contains("keys of type `ssh-dss` cannot be verified"));
        assert!(reason("ssh-ed25519-cert-v01@openssh.com AAAA").contains("is an SSH certificate"));
        assert!(reason(&format!("{ANA}\n{ANA}")).contains("more than one line"));
        let cut = &ANA[..60];
        assert!(
            reason(cut).contains("not a valid public key"),
            "{}",
            reason(cut)
        );
        let mislabeled = ANA.replace("ssh-ed25519 ", "ssh-rsa ");
        assert!(
            reason(&mislabeled).contains("the key data is not a `ssh-rsa` key"),
            "{}",
            reason(&mislabeled)
        );
    }

    #[test]
    fn a_private_key_is_refused_and_never_echoed() {
        let private =
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n\
                       -----END OPENSSH PRIVATE KEY-----\n";
        let message = reason(private);
        assert!(message.contains("is a private key"), "{message}");
        assert!(!message.contains("b3BlbnNzaC1rZXk"), "{message}");
    }

    #[test]
    fn long_keys_are_shortened_in_messages() {
        let message = reason(&ANA.replace("AAAAC3", "AAAAC3!"));
        assert!(
            message
                .starts_with("signing key `ssh-ed25519 AAAAC3!NzaC1...xagCXxDW ana@example.com` "),
            "{message}"
        );
    }

    #[test]
    fn every_malformed_key_is_reported_with_its_position() {
        let errors = parse_signing_keys(&["", ANA, "nonsense"]).unwrap_err();
        let positions: Vec<usize> = errors.iter().map(|(index, _)| *index).collect();
        assert_eq!(positions, [0, 2]);
        assert_eq!(parse_signing_keys(&[ANA, ANA]).unwrap().len(), 2);
        assert!(parse_signing_keys::<&str>(&[]).unwrap().is_empty());
    }

    #[test]
    fn an_object_that_is_not_a_commit_is_an_error_not_a_verdict() {
        let keys = parse_signing_keys(&[ANA]).unwrap();
        let kind = gix::hash::Kind::Sha1;
        assert_eq!(
            verify_commit_object(b"", kind, &keys),
            Ok(Verdict::Unsigned)
        );
        let unsigned = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@b> 1 +0000\n\
                         committer A <a@b> 1 +0000\n\nmessage\n";
        assert_eq!(
            verify_commit_object(unsigned, kind, &keys),
            Ok(Verdict::Unsigned)
        );
        assert!(verify_commit_object(b"tree nonsense\n", kind, &keys).is_err());
    }
}

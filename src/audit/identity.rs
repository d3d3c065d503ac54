//! Who made a commit and whom its approvals name, under the base's `[approvals].trust`:
//!
//! - `commits`: the author's email and the trailers as written, not verified (anyone can write them);
//! - `signatures`: the author counts only when the commit has a valid SSH signature by a key in that person's
//!   `signing_keys` at base, and a trailer only in a commit signed by the person it names;
//! - `platform`: commit metadata counts for nothing; `--author` is the author of every change, `--approver` the
//!   approvals.
//!
//! `--approver` counts in every mode: it is what the CI system (or whoever runs the gate) vouches for.

use std::collections::{BTreeMap, HashMap};

use crate::git::{CommitInfo, GitError, Repo};
use crate::manifest::Trust;

use super::signature::{self, SigningKey, Verdict};
use crate::identity::People;

/// The author of a commit as the audit takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Author<'b> {
    /// The person at base the audit counts as the author; `None`: no trusted author.
    pub person: Option<&'b str>,
    /// Why that person counts, or why nobody does: a phrase for reports.
    pub basis: String,
}

/// The identity sources of an audit, read from the base.
pub struct Identities<'b> {
    pub trust: Trust,
    people: &'b People,
    /// Each person's parsed `signing_keys` (a malformed key is left out, with a note).
    keys: HashMap<&'b str, Vec<SigningKey>>,
    /// `--author`, as a person at base, with the value as given.
    platform_author: Option<(Option<&'b str>, String)>,
}

impl<'b> Identities<'b> {
    /// `author`: the `--author` value, if any. Notes for the report go to `notes`.
    pub fn new(
        trust: Trust,
        people: &'b People,
        model: &'b crate::model::Model,
        author: Option<&str>,
        notes: &mut Vec<String>,
    ) -> Identities<'b> {
        let mut keys = HashMap::new();
        if trust == Trust::Signatures {
            for person in &model.people {
                let mut parsed = Vec::with_capacity(person.signing_keys.len());
                for key in &person.signing_keys {
                    match SigningKey::parse(key) {
                        Ok(key) => parsed.push(key),
                        Err(err) => notes.push(format!(
                            "{} at base: {err}; commits signed with it are not trusted",
                            person.id
                        )),
                    }
                }
                keys.entry(person.id.as_str()).or_insert(parsed);
            }
        }
        let platform_author = match (trust, author) {
            (Trust::Platform, Some(value)) => {
                let person = people.resolve(value);
                if person.is_none() {
                    notes.push(format!(
                        "--author {value} names nobody in the model at base: no change has an author"
                    ));
                }
                Some((person, value.to_string()))
            }
            (Trust::Platform, None) => {
                notes.push(
                    "no --author given: under `[approvals] trust = \"platform\"` commit metadata counts for \
                     nothing, so no change has an author"
                        .into(),
                );
                None
            }
            (_, Some(value)) => {
                notes.push(format!(
                    "--author {value} counts only under `[approvals] trust = \"platform\"`; this base trusts \
                     \"{}\", so it is ignored",
                    trust.name()
                ));
                None
            }
            (_, None) => None,
        };
        Identities {
            trust,
            people,
            keys,
            platform_author,
        }
    }

    /// The one line every report shows: what this audit trusted.
    pub fn statement(&self) -> String {
        match self.trust {
            Trust::Commits => "identities: commit authors and trailers as written, not verified \
                               (`[approvals] trust = \"commits\"`)"
                .into(),
            Trust::Signatures => "identities: only commits with a valid SSH signature by a key in the person's \
                                  `signing_keys` at base, and --approver (`[approvals] trust = \"signatures\"`)"
                .into(),
            Trust::Platform => match &self.platform_author {
                Some((_, value)) => format!(
                    "identities: only the CI platform's --author {value} and --approver; commit metadata counts \
                     for nothing (`[approvals] trust = \"platform\"`)"
                ),
                None => "identities: only the CI platform's --author and --approver, and no --author was given; \
                         commit metadata counts for nothing (`[approvals] trust = \"platform\"`)"
                    .into(),
            },
        }
    }

    /// The author `--author` names under `platform`, with why it counts.
    pub fn platform_author(&self) -> Option<Author<'b>> {
        let (person, value) = self.platform_author.as_ref()?;
        Some(Author {
            person: *person,
            basis: match person {
                Some(_) => format!("--author {value}, passed by the CI platform"),
                None => format!("--author {value} names nobody at base"),
            },
        })
    }

    /// Who made the commit, as this audit trusts it.
    pub fn author(&self, repo: &Repo, info: &CommitInfo) -> Result<Author<'b>, GitError> {
        let email = &info.author_email;
        let person = self.people.author(&info.author_name, email);
        match self.trust {
            Trust::Commits => Ok(match person {
                Some(person) => Author {
                    person: Some(person),
                    basis: match self.people.mailmap_email(&info.author_name, email) {
                        Some(mapped) => format!(
                            "author email <{email}> as written (<{mapped}> by the .mailmap at base), not verified"
                        ),
                        None => format!("author email <{email}> as written, not verified"),
                    },
                },
                None => Author {
                    person: None,
                    basis: format!("author email <{email}> matches nobody at base"),
                },
            }),
            Trust::Platform => Ok(self.platform_author().unwrap_or(Author {
                person: None,
                basis: "no --author given, and commit metadata counts for nothing".into(),
            })),
            Trust::Signatures => {
                let Some(person) = person else {
                    return Ok(Author {
                        person: None,
                        basis: format!("author email <{email}> matches nobody at base"),
                    });
                };
                Ok(match self.verify(repo, info, person)? {
                    Ok(basis) => Author {
                        person: Some(person),
                        basis,
                    },
                    Err(basis) => Author {
                        person: None,
                        basis,
                    },
                })
            }
        }
    }

    /// The approvals the commit's trailers give (`is_approval` says which tokens record one), with why they count.
    pub fn approvals(
        &self,
        repo: &Repo,
        info: &CommitInfo,
        is_approval: impl Fn(&str) -> bool,
        out: &mut BTreeMap<String, String>,
    ) -> Result<(), GitError> {
        if self.trust == Trust::Platform {
            return Ok(());
        }
        for (token, value) in &info.trailers {
            if !is_approval(token) {
                continue;
            }
            let Some(person) = self.people.resolve(value) else {
                continue;
            };
            if out.contains_key(person) {
                continue;
            }
            let basis = match self.trust {
                Trust::Signatures => match self.verify(repo, info, person)? {
                    Ok(signed) => {
                        format!("`{token}` trailer in commit {}, {signed}", info.short_id)
                    }
                    Err(_) => continue,
                },
                _ => format!(
                    "`{token}` trailer in commit {} as written, not verified",
                    info.short_id
                ),
            };
            out.insert(person.to_string(), basis);
        }
        Ok(())
    }

    /// Whether the commit is signed by one of `person`'s keys: `Ok(why)` or `Err(which failure)`.
    fn verify(
        &self,
        repo: &Repo,
        info: &CommitInfo,
        person: &str,
    ) -> Result<Result<String, String>, GitError> {
        let keys = self.keys.get(person).map(Vec::as_slice).unwrap_or_default();
        let (data, hash) = repo.commit_object(info.id)?;
        let verdict = signature::verify_commit_object(&data, hash, keys).map_err(|message| {
            GitError::Other {
                context: format!("reading the signature of commit {}", info.short_id),
                message,
            }
        })?;
        Ok(match verdict {
            Verdict::Valid { fingerprint, .. } => {
                Ok(format!("signed with {person}'s key {fingerprint}"))
            }
            Verdict::UnknownKey(fingerprint) => Err(format!(
                "signed by an unknown key {fingerprint}, not one of {person}'s `signing_keys` at base"
            )),
            other => Err(other.to_string()),
        })
    }
}

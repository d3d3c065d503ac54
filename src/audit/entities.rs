//! The entities of a model file's blob, for judging a change entity by entity: each entity is reduced to its
//! kind, id and a hash of its fields as data (so formatting, comments and key order are not changes), and each
//! distinct blob is parsed once.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

use crate::document::{self, Value};
use crate::git::{GitError, ObjectId, Repo};
use crate::model::kinds;

/// One entity of a blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityDigest {
    pub kind: &'static str,
    pub id: String,
    /// A hash of the entity's fields, as data.
    pub hash: u64,
}

/// A blob's entities, and a hash of everything else in it (top-level keys that are not entities).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    pub entities: Vec<EntityDigest>,
    pub rest: u64,
}

impl Digest {
    /// No file: no entities, nothing else.
    pub fn empty() -> Digest {
        Digest {
            entities: Vec::new(),
            rest: std::hash::DefaultHasher::new().finish(),
        }
    }
}

/// Read a model file's text as entities; `None` when that cannot be done reliably (not UTF-8, not valid TOML,
/// or an entity without a textual id): the change is then judged as a change of the file's path.
pub fn digest(bytes: &[u8]) -> Option<Digest> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let doc = document::parse(text).ok()?;
    let mut entities = Vec::new();
    let mut rest = std::hash::DefaultHasher::new();
    for entry in doc.entries() {
        let kind = kinds::find(&entry.key).map(|k| k.name);
        match (kind, &entry.node.value) {
            (Some(kind), Value::Array(items)) => {
                for (index, item) in items.iter().enumerate() {
                    if !matches!(item.value, Value::Table(_)) {
                        (kind, index, hash_json(&item.to_json())).hash(&mut rest);
                        continue;
                    }
                    let id = item.get("id").and_then(|n| n.as_str())?;
                    entities.push(EntityDigest {
                        kind,
                        id: id.to_string(),
                        hash: hash_json(&item.to_json()),
                    });
                }
            }
            _ => (&entry.key, hash_json(&entry.node.to_json())).hash(&mut rest),
        }
    }
    Some(Digest {
        entities,
        rest: rest.finish(),
    })
}

fn hash_json(value: &serde_json::Value) -> u64 {
    // serde_json's maps are sorted by key: the same data hashes the same whatever order it was written in.
    let mut hasher = std::hash::DefaultHasher::new();
    value.to_string().hash(&mut hasher);
    hasher.finish()
}

/// Digests by blob id. Bounded, so that memory does not grow with the length of the history: the blob a commit
/// writes is the one the next change of that file starts from, so the most recently used blobs are kept.
pub struct Cache {
    entries: HashMap<ObjectId, (Option<Rc<Digest>>, u64)>,
    clock: u64,
    capacity: usize,
    /// Blobs parsed, for the tests that check each distinct blob is parsed once.
    pub parsed: usize,
}

impl Cache {
    pub fn new(capacity: usize) -> Cache {
        Cache {
            entries: HashMap::new(),
            clock: 0,
            capacity: capacity.max(2),
            parsed: 0,
        }
    }

    /// The digest of a blob, read and parsed on first use.
    pub fn get(&mut self, repo: &Repo, id: ObjectId) -> Result<Option<Rc<Digest>>, GitError> {
        self.clock += 1;
        if let Some((digest, used)) = self.entries.get_mut(&id) {
            *used = self.clock;
            return Ok(digest.clone());
        }
        let bytes = repo.read_blob(id)?;
        self.parsed += 1;
        let digest = digest(&bytes).map(Rc::new);
        if self.entries.len() >= self.capacity {
            self.evict_older_half();
        }
        self.entries.insert(id, (digest.clone(), self.clock));
        Ok(digest)
    }

    fn evict_older_half(&mut self) {
        let mut ages: Vec<u64> = self.entries.values().map(|(_, used)| *used).collect();
        let middle = ages.len() / 2;
        let (_, cutoff, _) = ages.select_nth_unstable(middle);
        let cutoff = *cutoff;
        self.entries.retain(|_, (_, used)| *used > cutoff);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_comments_and_key_order_are_not_changes() {
        let a = digest(b"[[decision]]\nid = \"x\"\ntitle = \"T\"\nowner = \"ana\"\n").unwrap();
        let b = digest(
            b"# a comment\n[[decision]]\nowner = 'ana'   # who\nid = \"x\"\ntitle = \"T\"\n",
        )
        .unwrap();
        assert_eq!(a, b);
        let c = digest(b"[[decision]]\nid = \"x\"\ntitle = \"T\"\nowner = \"bob\"\n").unwrap();
        assert_eq!(a.entities[0].id, c.entities[0].id);
        assert_ne!(a.entities[0].hash, c.entities[0].hash);
    }

    #[test]
    fn what_cannot_be_read_as_entities_gives_none() {
        assert!(digest(b"[[decision]\n").is_none());
        assert!(digest(b"\xff").is_none());
        assert!(digest(b"[[decision]]\ntitle = \"no id\"\n").is_none());
        let with_rest = digest(b"x = 1\n[[person]]\nid = \"a\"\n").unwrap();
        let other_rest = digest(b"x = 2\n[[person]]\nid = \"a\"\n").unwrap();
        assert_eq!(with_rest.entities, other_rest.entities);
        assert_ne!(with_rest.rest, other_rest.rest);
    }
}

//! Where audit findings point: where the pull request shows the change, at the head of the range.
//!
//! A finding is judged by the model at base, and is first written on the base's deciding place (the area that
//! owns a path, the field that names an entity's owner). Code scanning and annotations show only places in the
//! head's files, so each finding's primary location moves to the head: the changed file (line 1) for a path, the
//! entity at head for an entity change, and for an entity gone at head its file at head or, when the file is
//! gone too, the manifest at head. The base's place stays as a related location ("decided here at base").
//!
//! The audit's texts are the base's files, then the head's (from [`Head::from`]), then, for changed files that
//! are not model files, an empty text under their path (a finding about the whole file needs only its path).

use std::collections::HashMap;

use crate::document::Span;
use crate::finding::{Finding, Label, Location};
use crate::source::{FileId, Files, SourceFile};

use super::AuditFinding;

/// How the related location of a finding's deciding place at base begins.
pub const DECIDED_AT_BASE: &str = "decided here at base";

/// The head of the range as findings point into it.
pub struct Head {
    files: Files,
    /// The id of the head's first file among the audit's texts (the base's come first).
    pub from: FileId,
    /// The head's files by path (relative to the manifest's folder), as audit ids.
    by_path: HashMap<String, FileId>,
    /// Entities at head by kind and id (the first one written), as audit ids.
    entities: HashMap<(&'static str, String), (FileId, Span)>,
    manifest: Option<FileId>,
}

impl Head {
    /// The audit's texts so far: the base's files; the head snapshot is appended after them.
    pub fn new(base_files: &Files, head: &crate::revision::Snapshot) -> Head {
        let mut files = base_files.clone();
        let from = files.len();
        let mut by_path = HashMap::new();
        for i in 0..head.loaded.files.len() {
            let file = head.loaded.files.get(i);
            by_path.entry(file.path.clone()).or_insert(from + i);
            files.add(file.clone());
        }
        let mut entities = HashMap::new();
        for entity in &head.loaded.model.raw {
            entities
                .entry((entity.kind, entity.id.clone()))
                .or_insert((from + entity.loc.file, entity.loc.span.clone()));
        }
        Head {
            files,
            from,
            by_path,
            entities,
            manifest: head.manifest.as_ref().map(|m| from + m.file),
        }
    }

    /// An entity's place at head.
    pub fn entity(&self, kind: &'static str, id: &str) -> Option<(FileId, Span)> {
        self.entities.get(&(kind, id.to_string())).cloned()
    }

    /// The file at `path` at head, else the manifest at head (for what is gone with its file).
    pub fn file_or_manifest(&self, path: &str) -> Option<FileId> {
        self.by_path.get(path).copied().or(self.manifest)
    }

    /// A changed file's text: the head's when it is a model file there, else an empty text under its path.
    pub fn changed_file(&mut self, path: &str) -> FileId {
        if let Some(id) = self.by_path.get(path) {
            return *id;
        }
        let id = self.files.add(SourceFile::new(path, ""));
        self.by_path.insert(path.to_string(), id);
        id
    }

    /// Every text findings point into, base then head.
    pub fn into_files(self) -> Files {
        self.files
    }

    /// Move a walk finding (a commit's change) to the head; drifts are placed by `drift` already.
    pub fn relocate(&mut self, f: &mut AuditFinding) {
        if f.change.is_none() {
            return;
        }
        let at_head = match (&f.entity, &f.path) {
            (Some((kind, id)), path) => match self.entity(kind, id) {
                Some((file, span)) => Some(Location {
                    file,
                    span: Some(span),
                    label: format!("{kind} \"{id}\" at head"),
                }),
                None => path
                    .as_deref()
                    .and_then(|p| self.file_or_manifest(p))
                    .map(whole),
            },
            (None, Some(path)) => Some(whole(self.changed_file(path))),
            (None, None) => None,
        };
        if let Some(location) = at_head {
            f.finding = decided_at_base(take(&mut f.finding), location);
        }
    }
}

/// The finding out of `slot`, an empty one of the same rule left in its place.
pub fn take(slot: &mut Finding) -> Finding {
    let rule = slot.rule;
    std::mem::replace(slot, Finding::new(rule, String::new()))
}

/// A whole file, pointed at by its first line.
pub fn whole(file: FileId) -> Location {
    Location {
        file,
        span: None,
        label: String::new(),
    }
}

/// `finding` moved to `primary`, its place at base kept as the first related location: "decided here at base"
/// (its other places, all at base, say so too).
pub fn decided_at_base(mut finding: Finding, primary: Location) -> Finding {
    if let Some(old) = finding.location.replace(primary) {
        for label in &mut finding.related {
            label.text = format!("at base: {}", label.text);
        }
        let text = if old.label.is_empty() {
            DECIDED_AT_BASE.to_string()
        } else {
            format!("{DECIDED_AT_BASE}: {}", old.label)
        };
        finding.related.insert(
            0,
            Label {
                file: old.file,
                span: old.span.unwrap_or(0..0),
                text,
            },
        );
    }
    finding
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::rules::unapproved_change::RULE;

    #[test]
    fn the_place_at_base_becomes_the_first_related_location() {
        let finding = Finding::new(&RULE, "m")
            .at(0, 10..20, "area \"billing\" owns it")
            .related(0, 30..40, "their manager");
        let moved = decided_at_base(finding, whole(3));
        assert_eq!(moved.location, Some(whole(3)));
        assert_eq!(moved.related[0].file, 0);
        assert_eq!(moved.related[0].span, 10..20);
        assert_eq!(
            moved.related[0].text,
            "decided here at base: area \"billing\" owns it"
        );
        assert_eq!(moved.related[1].text, "at base: their manager");
        // A finding about no place gains one, and no related location.
        let nowhere = decided_at_base(Finding::new(&RULE, "m"), whole(1));
        assert_eq!(nowhere.location, Some(whole(1)));
        assert!(nowhere.related.is_empty());
    }
}

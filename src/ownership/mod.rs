//! Ownership of repository paths: which area owns a path, with CODEOWNERS semantics.
//!
//! Among the areas whose `paths` match a path, the one defined last in model order (files in path order,
//! entities in file order) wins, as the last matching line of a CODEOWNERS file does. Within the winning area,
//! the last matching pattern is the one that decided. A path that no area matches is unowned when
//! `[ownership].required` covers it and `[ownership].ignore` does not.

mod index;
pub mod pattern;

use crate::document::Span;
use crate::finding::Finding;
use crate::manifest::Manifest;
use crate::model::Model;
use crate::source::FileId;
use index::PatternIndex;
use pattern::Pattern;

/// The compiled ownership rules of one model.
#[derive(Debug, Default)]
pub struct Ownership {
    /// For each area with `paths`, in model order: the area's index and its compiled patterns (with their index
    /// in `paths`).
    areas: Vec<(usize, Vec<(usize, Pattern)>)>,
    /// The areas' patterns, numbered in model order: the last matching number decides.
    index: PatternIndex,
    /// For each number: the slot in `areas`, and the position in its patterns.
    numbered: Vec<(usize, usize)>,
    required: Vec<(Pattern, Span)>,
    ignore: Vec<(Pattern, Span)>,
    manifest_file: Option<FileId>,
    /// For each area of the model: whether it is `unowned`.
    unowned: Vec<bool>,
}

/// How a path is owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    /// An area owns it: the area's index in `model.areas`, and the index of the deciding pattern in its `paths`.
    Owned { area: usize, pattern: usize },
    /// An area with `unowned = true` wins it: it deliberately has no owner and needs no approval.
    Disowned { area: usize, pattern: usize },
    /// No area matches, and `[ownership].ignore` says it needs no owner (the index of the ignore pattern).
    Ignored { pattern: usize },
    /// No area matches, and `[ownership].required` covers it (the index of the required pattern).
    Unowned { required_by: usize },
    /// No area matches, and no owner is required.
    NotRequired,
}

impl Ownership {
    /// Compile the areas' and the manifest's patterns; an invalid pattern is an `invalid-config` finding.
    pub fn new(model: &Model, manifest: Option<&Manifest>) -> (Ownership, Vec<Finding>) {
        let mut findings = Vec::new();
        let mut ownership = Ownership {
            manifest_file: manifest.map(|m| m.file),
            unowned: model.areas.iter().map(|a| a.unowned).collect(),
            ..Ownership::default()
        };
        for (index, area) in model.areas.iter().enumerate() {
            if area.paths.is_empty() {
                continue;
            }
            let mut patterns = Vec::new();
            for (i, text) in area.paths.iter().enumerate() {
                match Pattern::parse(text) {
                    Ok(p) => patterns.push((i, p)),
                    Err(e) => findings.push(
                        Finding::new(&crate::load::rules::invalid_config::RULE, format!("area \"{}\" has an invalid path pattern: {}", area.id, e.message))
                            .at(area.loc.file, area.loc.item("paths", i), "invalid pattern")
                            .help("patterns follow CODEOWNERS: `/docs/` a folder from the root, `*.md` any depth, `docs/*` one level")
                            .about("area", area.id.clone()),
                    ),
                }
            }
            let slot = ownership.areas.len();
            for (position, (_, pattern)) in patterns.iter().enumerate() {
                ownership.index.add(pattern);
                ownership.numbered.push((slot, position));
            }
            ownership.areas.push((index, patterns));
        }
        if let Some(manifest) = manifest {
            for (list, out, what) in [
                (&manifest.required, &mut ownership.required, "required"),
                (&manifest.ignore, &mut ownership.ignore, "ignore"),
            ] {
                for (text, span) in list {
                    match Pattern::parse(text) {
                        Ok(p) => out.push((p, span.clone())),
                        Err(e) => findings.push(
                            Finding::new(&crate::load::rules::invalid_config::RULE, format!("[ownership].{what} holds an invalid pattern: {}", e.message))
                                .at(manifest.file, span.clone(), "invalid pattern")
                                .help("patterns follow CODEOWNERS: `**` everything, `/docs/` a folder from the root, `*.md` any depth"),
                        ),
                    }
                }
            }
        }
        (ownership, findings)
    }

    /// Who owns `path` (repository-relative, `/`-separated).
    pub fn resolve(&self, path: &[u8]) -> Resolution {
        for number in self.index.candidates(path) {
            let (slot, position) = self.numbered[number];
            let (area, patterns) = &self.areas[slot];
            let (i, pattern) = &patterns[position];
            if pattern.matches(path) {
                let (area, pattern) = (*area, *i);
                return match self.unowned.get(area) {
                    Some(true) => Resolution::Disowned { area, pattern },
                    _ => Resolution::Owned { area, pattern },
                };
            }
        }
        if let Some(i) = self.ignore.iter().position(|(p, _)| p.matches(path)) {
            return Resolution::Ignored { pattern: i };
        }
        match self.required.iter().position(|(p, _)| p.matches(path)) {
            Some(i) => Resolution::Unowned { required_by: i },
            None => Resolution::NotRequired,
        }
    }

    /// For each area with paths (model order): its index, and the paths it matches and those it wins.
    pub fn coverage<'p>(&self, paths: &'p [Vec<u8>]) -> Vec<Coverage<'p>> {
        self.coverage_by(paths, |path| self.matching_slots(path))
    }

    /// The slots in `areas` of the areas that match `path`, highest first: the first one wins.
    fn matching_slots(&self, path: &[u8]) -> Vec<usize> {
        let mut matching: Vec<usize> = Vec::new();
        for number in self.index.candidates(path) {
            let (slot, position) = self.numbered[number];
            if matching.last() != Some(&slot) && self.areas[slot].1[position].1.matches(path) {
                matching.push(slot);
            }
        }
        matching
    }

    /// The coverage, given the slots of the areas that match each path (highest first).
    fn coverage_by<'p>(
        &self,
        paths: &'p [Vec<u8>],
        matching_slots: impl Fn(&[u8]) -> Vec<usize>,
    ) -> Vec<Coverage<'p>> {
        let mut out: Vec<Coverage<'p>> = self
            .areas
            .iter()
            .map(|(area, _)| Coverage {
                area: *area,
                matched: 0,
                won: 0,
                winner_over: None,
            })
            .collect();
        for path in paths {
            let matching = matching_slots(path);
            let Some((&w, earlier)) = matching.split_first() else {
                continue;
            };
            out[w].matched += 1;
            out[w].won += 1;
            for &slot in earlier {
                out[slot].matched += 1;
                if out[slot].winner_over.is_none() {
                    out[slot].winner_over = Some((self.areas[w].0, path));
                }
            }
        }
        out
    }

    /// The span of the `i`th required or ignore pattern in the manifest.
    pub fn manifest_span(&self, required: bool, i: usize) -> Option<(FileId, Span)> {
        let list = if required {
            &self.required
        } else {
            &self.ignore
        };
        Some((self.manifest_file?, list.get(i)?.1.clone()))
    }

    /// The text of the `i`th required or ignore pattern.
    pub fn manifest_pattern(&self, required: bool, i: usize) -> Option<&str> {
        let list = if required {
            &self.required
        } else {
            &self.ignore
        };
        list.get(i).map(|(p, _)| p.as_str())
    }

    /// Whether any path needs an owner at all.
    pub fn requires_owners(&self) -> bool {
        !self.required.is_empty()
    }
}

/// How much of the repository one area matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage<'p> {
    pub area: usize,
    /// Paths any of its patterns match.
    pub matched: usize,
    /// Paths it owns (no later area matches them).
    pub won: usize,
    /// A later area that won one of its paths, and that path.
    pub winner_over: Option<(usize, &'p [u8])>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(areas: &[(&str, &[&str])]) -> Model {
        let mut text = String::new();
        for (id, paths) in areas {
            let list: Vec<String> = paths.iter().map(|p| format!("\"{p}\"")).collect();
            text.push_str(&format!(
                "[[area]]\nid = \"{id}\"\ntitle = \"{id}\"\nowner = \"ana\"\npaths = [{}]\n",
                list.join(", ")
            ));
        }
        let doc = crate::document::parse(&text).unwrap();
        let mut model = Model::default();
        for (kind, _, node) in crate::model::entity_nodes(&doc) {
            model.add(kind, 0, node).unwrap();
        }
        model
    }

    #[test]
    fn the_last_matching_area_wins() {
        let m = model(&[("all", &["**"]), ("docs", &["/docs/"])]);
        let (o, findings) = Ownership::new(&m, None);
        assert!(findings.is_empty());
        assert_eq!(
            o.resolve(b"docs/a.md"),
            Resolution::Owned {
                area: 1,
                pattern: 0
            }
        );
        assert_eq!(
            o.resolve(b"src/a.rs"),
            Resolution::Owned {
                area: 0,
                pattern: 0
            }
        );
    }

    #[test]
    fn an_earlier_broad_area_is_shadowed_only_where_a_later_one_matches() {
        let m = model(&[("docs", &["/docs/"]), ("all", &["**"])]);
        let (o, _) = Ownership::new(&m, None);
        let paths = vec![b"docs/a.md".to_vec(), b"src/a.rs".to_vec()];
        let cov = o.coverage(&paths);
        assert_eq!((cov[0].matched, cov[0].won), (1, 0));
        assert_eq!((cov[1].matched, cov[1].won), (2, 2));
        assert_eq!(cov[0].winner_over.map(|(a, _)| a), Some(1));
    }

    #[test]
    fn an_unowned_area_that_wins_disowns_the_path() {
        let text = "[[area]]\nid = \"all\"\ntitle = \"all\"\nowner = \"ana\"\npaths = [\"*\"]\n\
                    [[area]]\nid = \"log\"\ntitle = \"log\"\nunowned = true\npaths = [\"CHANGELOG.md\"]\n";
        let doc = crate::document::parse(text).unwrap();
        let mut m = Model::default();
        for (kind, _, node) in crate::model::entity_nodes(&doc) {
            m.add(kind, 0, node).unwrap();
        }
        let (o, _) = Ownership::new(&m, None);
        assert_eq!(
            o.resolve(b"x/CHANGELOG.md"),
            Resolution::Disowned {
                area: 1,
                pattern: 0
            }
        );
        assert_eq!(
            o.resolve(b"x/README.md"),
            Resolution::Owned {
                area: 0,
                pattern: 0
            }
        );
    }

    #[test]
    fn no_area_means_not_required_without_a_manifest() {
        let m = model(&[("docs", &["/docs/"])]);
        let (o, _) = Ownership::new(&m, None);
        assert_eq!(o.resolve(b"src/a.rs"), Resolution::NotRequired);
    }

    /// The plain matcher: every area's patterns, last area first.
    fn resolve_linearly(o: &Ownership, path: &[u8]) -> Option<(usize, usize)> {
        o.areas.iter().rev().find_map(|(area, patterns)| {
            let (i, _) = patterns.iter().rev().find(|(_, p)| p.matches(path))?;
            Some((*area, *i))
        })
    }

    /// The slots of the areas that match `path`, highest first, trying every pattern of every area.
    fn matching_slots_linearly(o: &Ownership, path: &[u8]) -> Vec<usize> {
        (0..o.areas.len())
            .rev()
            .filter(|&slot| o.areas[slot].1.iter().any(|(_, p)| p.matches(path)))
            .collect()
    }

    #[test]
    fn the_index_finds_what_trying_every_pattern_finds() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |below: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) as usize) % below
        };
        const NAMES: &[&str] = &["a", "b", "src", "docs", "a.md", "b.rs", "ab"];
        const PIECES: &[&str] = &[
            "a", "b", "src", "docs", "*", "**", "a*", "*.md", "?", "a?", "\\\\*",
        ];
        let mut owned = 0;
        let mut total = 0;
        for _ in 0..300 {
            let mut areas: Vec<(String, Vec<String>)> = Vec::new();
            for a in 0..1 + next(8) {
                let patterns = (0..1 + next(3))
                    .map(|_| {
                        let segments: Vec<&str> = (0..1 + next(3))
                            .map(|_| PIECES[next(PIECES.len())])
                            .collect();
                        let lead = if next(2) == 0 { "/" } else { "" };
                        let trail = if next(3) == 0 { "/" } else { "" };
                        format!("{lead}{}{trail}", segments.join("/"))
                    })
                    .collect();
                areas.push((format!("area-{a}"), patterns));
            }
            let list: Vec<(&str, Vec<&str>)> = areas
                .iter()
                .map(|(id, p)| (id.as_str(), p.iter().map(String::as_str).collect()))
                .collect();
            let borrowed: Vec<(&str, &[&str])> =
                list.iter().map(|(id, p)| (*id, p.as_slice())).collect();
            let m = model(&borrowed);
            let (o, _) = Ownership::new(&m, None);
            let paths: Vec<Vec<u8>> = (0..40)
                .map(|_| {
                    let names: Vec<&str> =
                        (0..1 + next(4)).map(|_| NAMES[next(NAMES.len())]).collect();
                    names.join("/").into_bytes()
                })
                .collect();
            for path in &paths {
                let expected = match resolve_linearly(&o, path) {
                    Some((area, pattern)) => Resolution::Owned { area, pattern },
                    None => Resolution::NotRequired,
                };
                owned += usize::from(expected != Resolution::NotRequired);
                total += 1;
                assert_eq!(o.resolve(path), expected, "{areas:?} {path:?}");
            }
            assert_eq!(
                o.coverage(&paths),
                o.coverage_by(&paths, |path| matching_slots_linearly(&o, path)),
                "{areas:?}"
            );
        }
        assert!(
            owned > total / 4 && owned < total * 3 / 4,
            "{owned} of {total} owned"
        );
    }
}

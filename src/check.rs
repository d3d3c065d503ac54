//! The `check` pipeline: files -> documents -> schema -> model -> references and rules -> findings.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::config::{Config, Overrides};
use crate::date::Date;
use crate::document::{self, Node, Span};
use crate::finding::{Finding, Group, Level, Location};
use crate::manifest::{Manifest, ManifestError};
use crate::model::{entity_nodes, Model, PreparedEntity};
use crate::ownership::Ownership;
use crate::references;
use crate::rules::{self, Context};
use crate::schema::{self, Schema};
use crate::sink::Sink;
use crate::source::{
    self, FileFilter, FileId, Files, ModelSource, RawFile, SourceFile, Unreadable, Worktree,
    MAX_FILE_SIZE,
};

/// Why a run could not happen (exit 2): a message, what to do, and any findings that explain it.
#[derive(Debug)]
pub struct RunError {
    pub message: String,
    pub help: String,
    pub findings: Vec<Finding>,
    pub files: Files,
}

impl RunError {
    pub fn new(message: impl Into<String>, help: impl Into<String>) -> RunError {
        RunError {
            message: message.into(),
            help: help.into(),
            findings: Vec::new(),
            files: Files::default(),
        }
    }
}

impl From<source::SourceError> for RunError {
    fn from(e: source::SourceError) -> RunError {
        RunError::new(e.message, e.help)
    }
}

/// The result of loading a model: every text read, the typed model, and the findings so far.
#[derive(Debug, Default)]
pub struct Loaded {
    pub files: Files,
    pub model: Model,
    pub findings: Vec<Finding>,
    /// The model files read (not counting the manifest).
    pub file_count: usize,
    /// The entities written in the model files, valid or not.
    pub entity_count: usize,
    /// The model files that failed to load (ids into `files`): their entities are missing from the model.
    pub failed: Vec<(FileId, Failure)>,
}

/// Why a model file's entities are missing from the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// It is not valid TOML.
    Syntax,
    /// It could not be read, or is not UTF-8.
    Unreadable,
}

impl Failure {
    pub fn words(self) -> &'static str {
        match self {
            Failure::Syntax => "not valid TOML",
            Failure::Unreadable => "unreadable",
        }
    }
}

/// The outcome of `check`.
#[derive(Debug)]
pub struct Report {
    pub loaded: Loaded,
    pub findings: Vec<Finding>,
}

impl Report {
    /// The highest level among the findings, if any.
    pub fn worst(&self) -> Option<Level> {
        self.findings.iter().map(|f| f.level).max()
    }
}

/// Options of a check run.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub as_of: Date,
    pub overrides: Overrides,
}

/// Where the manifest is and what the paths are relative to.
#[derive(Debug, Clone)]
pub struct Project {
    pub manifest_path: PathBuf,
    /// The folder of the manifest: paths are shown relative to it.
    pub root: PathBuf,
}

impl Project {
    /// Find the project from `--manifest` or by walking up from `dir`.
    pub fn locate(dir: &Path, manifest: Option<&Path>) -> Result<Project, RunError> {
        let manifest_path = match manifest {
            Some(path) => {
                let path = dir.join(path);
                if !path.is_file() {
                    return Err(RunError::new(
                        format!("the manifest {} does not exist or is not a file", crate::source::shown_file(&path)),
                        "check the path given to --manifest, or leave it out to find opmodel.toml from the current folder",
                    ));
                }
                path
            }
            None => source::discover_manifest(dir)?,
        };
        let root = manifest_path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        Ok(Project {
            manifest_path,
            root,
        })
    }

    /// The working tree as a model source.
    pub fn source(&self) -> Worktree<'_> {
        Worktree {
            manifest_path: &self.manifest_path,
            root: &self.root,
        }
    }
}

/// Read the manifest and the candidate model files from any source; `Ok(None)` when it has no manifest.
pub fn read_model(
    source: &dyn ModelSource,
) -> Result<Option<(Files, Manifest, Vec<RawFile>)>, RunError> {
    let Some((name, text)) = source.manifest()? else {
        return Ok(None);
    };
    let mut files = Files::default();
    let manifest = parse_manifest(&name, &text, &mut files)?;
    let filter = file_filter(&manifest, &files)?;
    let raw = source.model_files(&manifest.root, &filter)?;
    Ok(Some((files, manifest, raw)))
}

/// Parse a manifest's text; its syntax and schema problems stop the run, with their diagnostics.
pub fn parse_manifest(path: &str, text: &str, files: &mut Files) -> Result<Manifest, RunError> {
    Manifest::parse(path, text, files).map_err(|ManifestError { findings }| RunError {
        message: match findings.len() {
            1 => format!("the manifest {path} has a problem"),
            n => format!("the manifest {path} has {n} problems"),
        },
        help: "fix the manifest: opmodel cannot tell which files to check until it is valid".into(),
        findings,
        files: files.clone(),
    })
}

/// Compile the manifest's include and exclude globs; a bad glob stops the run.
pub fn file_filter(manifest: &Manifest, files: &Files) -> Result<FileFilter, RunError> {
    FileFilter::new(&manifest.include, &manifest.exclude).map_err(|(is_include, i, message)| {
        let (list, spans) = if is_include {
            ("include", &manifest.glob_spans.0)
        } else {
            ("exclude", &manifest.glob_spans.1)
        };
        let mut error = RunError::new(
            format!(
                "the manifest's [model].{list} glob number {} is not a valid glob",
                i + 1
            ),
            "fix the glob: `*` matches within a folder, `**` across folders, `?` one character",
        );
        if let Some(span) = spans.get(i) {
            error.findings.push(
                Finding::new(
                    &crate::load::rules::invalid_config::RULE,
                    format!("invalid glob: {message}"),
                )
                .at(manifest.file, span.clone(), message),
            );
        }
        error.files = files.clone();
        error
    })
}

/// A model loaded from the working tree, with its manifest: for commands that read the model without the rules.
#[derive(Debug)]
pub struct LoadedProject {
    pub manifest: Manifest,
    pub loaded: Loaded,
}

/// Load the working tree's model without running the rules.
pub fn load_worktree(project: &Project) -> Result<LoadedProject, RunError> {
    let (files, manifest, raw) = read_worktree(project)?;
    Ok(LoadedProject {
        manifest,
        loaded: load(files, raw),
    })
}

/// Run `check` on the working tree.
pub fn check_worktree(project: &Project, options: &CheckOptions) -> Result<Report, RunError> {
    let (files, manifest, raw) = read_worktree(project)?;
    let paths = project.source().tracked_paths()?;
    let codeowners = crate::codeowners::find(|p| source::read_limited(&project.root.join(p)).ok());
    check_files(files, &manifest, raw, paths.as_deref(), codeowners, options)
}

fn read_worktree(project: &Project) -> Result<(Files, Manifest, Vec<RawFile>), RunError> {
    read_model(&project.source())?.ok_or_else(|| {
        RunError::new(
            format!(
                "{} disappeared",
                crate::source::shown_file(&project.manifest_path)
            ),
            "run again",
        )
    })
}

/// Run `check` on files already listed (from the working tree or a git revision).
/// `paths` are the files git tracks under the manifest's folder (relative to it), for the ownership rules;
/// `codeowners` the repository's CODEOWNERS file (path, text), for `codeowners-drift`.
pub fn check_files(
    mut files: Files,
    manifest: &Manifest,
    raw: Vec<RawFile>,
    paths: Option<&[Vec<u8>]>,
    codeowners: Option<(String, String)>,
    options: &CheckOptions,
) -> Result<Report, RunError> {
    let codeowners = codeowners.map(|(path, text)| {
        let file = files.add(SourceFile::new(path, text));
        let parsed = crate::codeowners::Codeowners::parse(&files.get(file).text);
        (file, parsed)
    });
    let (config, config_findings) = Config::new(Some(manifest), &options.overrides)
        .map_err(|e| RunError::new(e.to_string(), "`opmodel rules` lists every rule"))?;
    // The rules run while the cross-file reference checks do (on a large model, on another thread): both only
    // read the model.
    let (mut loaded, (ownership_findings, areas_unknown, rule_findings)) =
        load_then(files, raw, |loaded| {
            let (ownership, ownership_findings) = Ownership::new(&loaded.model, Some(manifest));
            // Areas in a file that did not load are unknown: every path they own would look unowned. (Without
            // the repository's paths the ownership rules have nothing to judge, and nothing is left unchecked.)
            let areas_unknown = paths.and_then(|_| areas_unknown(loaded));
            let checks: Vec<(&rules::ModelCheck, _)> = rules::CHECKS
                .iter()
                .filter(|check| {
                    config.level(check.rule).is_some()
                        && !(areas_unknown.is_some() && check.rule.group == Group::Ownership)
                })
                .map(|check| (check, config.params(check.rule)))
                .collect();
            let threads = if loaded.entity_count >= PARALLEL_FROM {
                MAX_RULE_THREADS
            } else {
                1
            };
            let found = run_checks(&checks, threads, |model_check, params, out| {
                let context = Context {
                    model: &loaded.model,
                    as_of: options.as_of,
                    params,
                    ownership: &ownership,
                    paths,
                    codeowners: codeowners.as_ref().map(|(file, parsed)| (*file, parsed)),
                    manifest,
                    files: &loaded.files,
                };
                (model_check.check)(&context, out);
            });
            (ownership_findings, areas_unknown, found)
        });
    loaded.findings.extend(config_findings);
    loaded.findings.extend(ownership_findings);
    let mut findings = std::mem::take(&mut loaded.findings);
    if let Some(file) = areas_unknown {
        let path = &loaded.files.get(file).path;
        findings.push(
            Finding::new(
                &crate::load::rules::unchecked_references::RULE,
                format!("ownership of paths was not checked because {path} did not load"),
            )
            .in_file(file)
            .help(format!(
                "fix {path} first: the areas it may define are unknown until it loads"
            )),
        );
    }
    for rule_findings in rule_findings {
        findings.extend(rule_findings);
    }
    let mut sink = Sink::new(&config, Some(&loaded.model));
    let mut findings = sink.accept(findings);
    findings.extend(sink.unused_allows());
    sort(&mut findings, &loaded.files);
    Ok(Report { loaded, findings })
}

/// A model of this many entities or more has its reference checks and its rules run at once, and the rules on
/// [`MAX_RULE_THREADS`] threads. Below it the whole tail takes a few tens of milliseconds at most, and holding
/// the reference checks' maps and the rules' at once would cost more memory than the threads save time (on
/// 10,000 entities: 10 ms less, 2.3 MB more).
const PARALLEL_FROM: usize = 20_000;

/// The rules only read the model, and the few that cost time (`escalation-cycle`, `inactive-owner`, the
/// ownership rules) are about alike: two threads take most of the gain.
const MAX_RULE_THREADS: usize = 2;

/// Run each check with its parameters; each check's findings in their own list, in `checks`' order (so the
/// output does not depend on which thread ran which rule). On up to `threads` threads (no more than the CPUs),
/// each taking the next check when it is free.
fn run_checks<P: Sync>(
    checks: &[(&rules::ModelCheck, P)],
    threads: usize,
    run: impl Fn(&rules::ModelCheck, &P, &mut Vec<Finding>) + Sync,
) -> Vec<Vec<Finding>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(threads)
        .min(checks.len());
    let one = |(check, params): &(&rules::ModelCheck, P)| {
        let mut out = Vec::new();
        run(check, params, &mut out);
        out
    };
    if threads < 2 {
        return checks.iter().map(one).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut found: Vec<Vec<Finding>> = vec![Vec::new(); checks.len()];
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (next, one) = (&next, &one);
                scope.spawn(move || {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(check) = checks.get(i) else {
                            return done;
                        };
                        done.push((i, one(check)));
                    }
                })
            })
            .collect();
        for worker in workers {
            match worker.join() {
                Ok(done) => {
                    for (i, out) in done {
                        found[i] = out;
                    }
                }
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    });
    found
}

/// The first model file that did not load and may define areas (it has an area header, or could not be read).
fn areas_unknown(loaded: &Loaded) -> Option<FileId> {
    loaded.failed.iter().map(|(file, _)| *file).find(|file| {
        let text = &loaded.files.get(*file).text;
        text.is_empty()
            || text.lines().any(|line| {
                let line = line.trim_start().trim_start_matches('[').trim_start();
                line.starts_with("area") && line.contains(']')
            })
    })
}

/// The most threads that prepare model files at once (besides the thread that builds the model).
const MAX_LOAD_THREADS: usize = 4;

/// A model file made ready for the model, on any thread: its text, the findings about it alone (unreadable, not
/// UTF-8, not TOML, not schema-valid), and, when it parsed, its tree and its JSON with the entities the schema
/// rejected.
struct Prepared {
    source: SourceFile,
    findings: Vec<Finding>,
    failure: Option<Failure>,
    parsed: Option<Parsed>,
}

struct Parsed {
    /// What `references::check` reads of the file besides `Model.raw`.
    written: references::Written,
    /// Its entities, ready for the model, in file order.
    entities: Vec<PreparedEntity>,
    /// The entities written, valid or not.
    entity_count: usize,
    /// Schema, value and empty-file findings; reported after every file's reading findings, as when files were
    /// read before any was validated.
    findings: Vec<Finding>,
}

/// Read one model file as text, parse it and validate it against the schema: the part of loading that needs
/// nothing from the other files. `file` is the id it will have in `Files`.
fn prepare(file: FileId, raw: RawFile) -> Prepared {
    let failed = |source: SourceFile, finding: Finding, failure: Option<Failure>| Prepared {
        source,
        findings: vec![finding],
        failure,
        parsed: None,
    };
    let bytes = match raw.content {
        Ok(bytes) => bytes,
        Err(reason) => {
            let finding = unreadable(file, &raw.path, &reason);
            let failure = (!reason.is_skipped()).then_some(Failure::Unreadable);
            return failed(SourceFile::new(raw.path, ""), finding, failure);
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let at = error.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(error.as_bytes()).into_owned();
            let source = SourceFile::new(raw.path.clone(), lossy);
            // `at` counts the bytes as stored; the text has any byte-order mark set aside.
            let at = at - source.bom;
            let end = at + source.text[at..].chars().next().map_or(0, char::len_utf8);
            let finding = Finding::new(
                &crate::load::rules::unreadable_file::RULE,
                format!("{} is not UTF-8 text", raw.path),
            )
            .at(file, at..end, "this byte is not UTF-8")
            .help("TOML files are UTF-8: save the file as UTF-8 (a spreadsheet export may have written UTF-16 or Latin-1)");
            return failed(source, finding, Some(Failure::Unreadable));
        }
    };
    let source = SourceFile::new(raw.path, text);
    match document::parse(&source.text) {
        Ok(doc) => {
            let parsed = parse_entities(file, &source.path, &doc);
            drop(doc);
            Prepared {
                source,
                findings: Vec::new(),
                failure: None,
                parsed: Some(parsed),
            }
        }
        Err(errors) => {
            let path = &source.path;
            let findings = errors
                .into_iter()
                .map(|e| {
                    // A bare word: what to write depends on the field (`true`, a list, a duration, text).
                    let message = e
                        .bare
                        .as_ref()
                        .and_then(|b| schema::bare_word_fix(b.kind.as_deref()?, &b.key, &b.word))
                        .unwrap_or(e.message);
                    Finding::new(
                        &crate::load::rules::toml_syntax::RULE,
                        format!("{path} is not valid TOML: {message}"),
                    )
                    .at(file, e.span, message)
                    .help(
                        "fix the syntax here; the file's entities are not checked until it parses",
                    )
                })
                .collect();
            Prepared {
                source,
                findings,
                failure: Some(Failure::Syntax),
                parsed: None,
            }
        }
    }
}

/// A parsed file's entities made ready for the model: validated against the schema (one conversion to JSON: the
/// validator reads it, then each entity's object moves into its fields as written), typed, and the tree cut down
/// to what `references::check` reads ([`references::Written`]); the tree itself is dropped once this returns.
fn parse_entities(file: FileId, path: &str, doc: &Node) -> Parsed {
    let mut json = doc.to_json();
    let (mut findings, invalid) = schema::validate_json(Schema::Model, doc, &json, file);
    let invalid: HashSet<(&str, usize)> = invalid.iter().map(|(k, i)| (k.as_str(), *i)).collect();
    let mut entities = Vec::new();
    for (kind, index, node) in entity_nodes(doc) {
        let fields = match json
            .get_mut(kind)
            .and_then(|list| list.get_mut(index))
            .map(serde_json::Value::take)
        {
            Some(serde_json::Value::Object(fields)) => Some(fields),
            _ => None,
        };
        let valid = !invalid.contains(&(kind, index));
        let mut entity = Model::prepare(kind, file, node, fields, valid);
        if let Some(reason) = entity.take_failure() {
            findings.push(
                Finding::new(
                    &crate::load::rules::invalid_value::RULE,
                    format!(
                        "{} is not valid: {reason}",
                        schema::entity_name(kind, node, index)
                    ),
                )
                .at(file, node.span.clone(), "here"),
            );
        }
        entities.push(entity);
    }
    if entities.is_empty() && doc.entries().is_empty() {
        findings.push(
            Finding::new(
                &crate::load::rules::empty_file::RULE,
                format!("{path} holds no entities"),
            )
            .in_file(file)
            .help("add entities such as [[decision]], or delete the file"),
        );
    }
    Parsed {
        written: references::Written::of(doc),
        entity_count: entities.len(),
        entities,
        findings,
    }
}

/// Prepare every file ([`prepare`]) and hand each to `consume` in the files' order. Files are prepared on up to
/// [`MAX_LOAD_THREADS`] threads (one per CPU) while `consume` runs on this one; the order, and so the output,
/// does not depend on which thread finishes first.
fn prepare_all(first: FileId, raw: Vec<RawFile>, mut consume: impl FnMut(Prepared)) {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .min(MAX_LOAD_THREADS)
        .min(raw.len());
    if threads < 2 {
        for (i, raw) in raw.into_iter().enumerate() {
            consume(prepare(first + i, raw));
        }
        return;
    }
    let count = raw.len();
    // The files in order, handed out one at a time: a worker takes the next one when it is free.
    let queue = std::sync::Mutex::new(raw.into_iter().enumerate());
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<(usize, Prepared)>(threads * 2);
        for _ in 0..threads {
            let sender = sender.clone();
            let queue = &queue;
            scope.spawn(move || {
                while let Some((i, raw)) = queue.lock().ok().and_then(|mut files| files.next()) {
                    if sender.send((i, prepare(first + i, raw))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(sender);
        // Files arrive as they are ready; they are consumed in order (a worker is at most a few files ahead).
        let mut waiting = std::collections::BTreeMap::new();
        let mut wanted = 0;
        for (i, prepared) in receiver {
            waiting.insert(i, prepared);
            while let Some(prepared) = waiting.remove(&wanted) {
                consume(prepared);
                wanted += 1;
            }
        }
        debug_assert_eq!(wanted, count);
    });
}

/// At most two glibc malloc arenas for the rest of the process (the loading threads share them), where glibc would
/// give each thread its own: each arena keeps the freed memory of the files parsed on it, between the blocks the
/// model keeps, and on a large model the third arena is 2 MB of the peak for no gain in speed (measured on
/// 10,000 entities: 41.5 -> 39.3 MB, 79.7 -> 79.4 ms). Only `check` asks for it, before its threads start: the
/// audit's diff threads, which allocate all the time, are 6-12% slower with two arenas. Elsewhere, nothing to do.
pub fn share_allocator_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets a parameter of the allocator; M_ARENA_MAX takes any positive count.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Load model files: read, parse, validate, and build the typed model. Every problem is a finding.
pub fn load(files: Files, raw: Vec<RawFile>) -> Loaded {
    load_then(files, raw, |_| ()).0
}

/// [`load`], and `then` on the loaded model (without its reference findings yet): on a large model, `then`
/// runs while the cross-file reference checks run on another thread (both only read the model), which also
/// frees the files' trees.
pub fn load_then<R>(
    mut files: Files,
    raw: Vec<RawFile>,
    then: impl FnOnce(&Loaded) -> R,
) -> (Loaded, R) {
    let mut findings = Vec::new();
    let mut schema_findings = Vec::new();
    let mut failed = Vec::new();
    let mut docs: Vec<(FileId, references::Written)> = Vec::new();
    let file_count = raw.len();
    let mut model = Model::default();
    let mut entity_count = 0;
    let first = files.len();
    prepare_all(first, raw, |prepared| {
        let file = files.add(prepared.source);
        findings.extend(prepared.findings);
        if let Some(failure) = prepared.failure {
            failed.push((file, failure));
        }
        let Some(Parsed {
            written,
            entities,
            entity_count: count,
            findings: from_entities,
        }) = prepared.parsed
        else {
            return;
        };
        schema_findings.extend(from_entities);
        entity_count += count;
        for entity in entities {
            // A failure to deserialize was reported when the entity was prepared.
            let _ = model.push(entity);
        }
        docs.push((file, written));
    });
    findings.extend(schema_findings);
    let mut loaded = Loaded {
        files,
        model,
        findings,
        file_count,
        entity_count,
        failed,
    };
    let references = |loaded: &Loaded, docs: Vec<(FileId, references::Written)>| {
        let refs: Vec<(FileId, &references::Written)> = docs.iter().map(|(f, d)| (*f, d)).collect();
        let unloaded: Vec<references::Unloaded<'_>> = loaded
            .failed
            .iter()
            .map(|(file, _)| {
                let source = loaded.files.get(*file);
                references::Unloaded {
                    file: *file,
                    path: &source.path,
                    text: &source.text,
                }
            })
            .collect();
        references::check(&refs, &unloaded, &loaded.model)
    };
    let (reference_findings, then) = if loaded.entity_count >= PARALLEL_FROM {
        std::thread::scope(|scope| {
            let shared = &loaded;
            let worker = scope.spawn(move || references(shared, docs));
            let then = then(shared);
            match worker.join() {
                Ok(found) => (found, then),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    } else {
        (references(&loaded, docs), then(&loaded))
    };
    // A reference that is not an id but names a person is reported once, by the reference check, with the id.
    let invalid = &crate::load::rules::invalid_value::RULE;
    let said: HashSet<_> = reference_findings
        .iter()
        .filter(|r| r.rule == invalid)
        .map(|r| place(&r.location))
        .collect();
    loaded
        .findings
        .retain(|f| f.rule != invalid || !said.contains(&place(&f.location)));
    loaded.findings.extend(reference_findings);
    (loaded, then)
}

/// A finding's place, to look up: file, span and label.
fn place(location: &Option<Location>) -> Option<(FileId, Option<Span>, &str)> {
    location
        .as_ref()
        .map(|l| (l.file, l.span.clone(), l.label.as_str()))
}

fn unreadable(file: FileId, path: &str, reason: &Unreadable) -> Finding {
    match reason {
        Unreadable::TooLarge { size } => Finding::new(
            &crate::load::rules::unreadable_file::RULE,
            format!(
                "{path} is {size} bytes, over the limit of {MAX_FILE_SIZE} bytes ({} MiB) for a model file",
                MAX_FILE_SIZE / (1024 * 1024)
            ),
        )
        .in_file(file)
        .help("split the file (by team or by kind); model files are meant to be read by people"),
        Unreadable::Io { message } => Finding::new(&crate::load::rules::unreadable_file::RULE, format!("cannot read {path}: {message}"))
            .in_file(file)
            .help("make the file readable by the user running opmodel, or exclude it in [model].exclude"),
        Unreadable::Directory => Finding::new(&crate::load::rules::skipped_path::RULE, format!("{path} is a folder, not a file"))
            .in_file(file)
            .help("rename the folder, or narrow [model].include so it does not match folders' names"),
        Unreadable::SymlinkLoop => Finding::new(&crate::load::rules::skipped_path::RULE, format!("{path} is a symbolic link that loops"))
            .in_file(file)
            .help("point the link at a real file, or remove it"),
        Unreadable::SameFile { path: first } => Finding::new(
            &crate::load::rules::skipped_path::RULE,
            format!("{path} is the same file as {first} (through a symbolic link): it is read once, as {first}"),
        )
        .in_file(file)
        .help("remove the link, or exclude it in [model].exclude: each model file is read once"),
        Unreadable::NotRegular { kind } => Finding::new(
            &crate::load::rules::skipped_path::RULE,
            format!("{path} is {kind}, not a regular file, and was not opened"),
        )
        .level(Level::Warn)
        .in_file(file)
        .help("remove it from the model folder, or exclude it in [model].exclude: model files are regular files"),
        Unreadable::SymlinkOutside { target } => Finding::new(
            &crate::load::rules::skipped_path::RULE,
            format!("{path} is a symbolic link to {target}, outside the repository, and was not followed"),
        )
        .in_file(file)
        .help("commit the file itself into the model folder: opmodel reads only files under review in this repository"),
    }
}

/// Sort findings by file, then position, then rule: stable output.
pub fn sort(findings: &mut [Finding], files: &Files) {
    findings.sort_by(|a, b| key(a, files).cmp(&key(b, files)));
}

/// A file that does not load comes first: its syntax error explains findings elsewhere, then the note of what it
/// left unchecked, then everything else.
fn rank(f: &Finding) -> u8 {
    use crate::load::rules::{toml_syntax, unchecked_references, unreadable_file};
    if *f.rule == toml_syntax::RULE || *f.rule == unreadable_file::RULE {
        0
    } else if *f.rule == unchecked_references::RULE {
        1
    } else {
        2
    }
}

#[allow(clippy::type_complexity)]
fn key<'a>(
    f: &'a Finding,
    files: &'a Files,
) -> (u8, Option<&'a str>, usize, usize, &'a str, &'a str) {
    let (path, start, end) = match &f.location {
        Some(loc) => {
            let span = loc.span.clone().unwrap_or(0..0);
            (
                Some(files.get(loc.file).path.as_str()),
                span.start,
                span.end,
            )
        }
        None => (None, 0, 0),
    };
    (rank(f), path, start, end, f.rule.name, &f.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each rule's findings come back in the rules' order whichever thread ran it and whenever it finished.
    #[test]
    fn rules_on_two_threads_report_in_the_rules_order() {
        let checks: Vec<(&rules::ModelCheck, usize)> = rules::CHECKS
            .iter()
            .enumerate()
            .map(|(i, c)| (c, i))
            .collect();
        let run = |check: &rules::ModelCheck, i: &usize, out: &mut Vec<Finding>| {
            // The first rules finish last.
            std::thread::sleep(std::time::Duration::from_millis((checks.len() - i) as u64));
            for n in 0..*i % 3 {
                out.push(Finding::new(check.rule, format!("{i}.{n}")));
            }
        };
        let messages = |found: Vec<Vec<Finding>>| -> Vec<String> {
            found.into_iter().flatten().map(|f| f.message).collect()
        };
        let one = messages(run_checks(&checks, 1, run));
        let two = messages(run_checks(&checks, 2, run));
        assert_eq!(one.len(), (0..checks.len()).map(|i| i % 3).sum::<usize>());
        assert_eq!(one, two);
    }
}

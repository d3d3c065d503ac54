//! The audit's reports: human (one diagnostic per finding, then a summary), Markdown for a pull-request comment,
//! and the JSON document (docs/output.md). SARIF and GitHub annotations use the shared renderers.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::audit::rules::{unapproved_change, unapproved_drift, unowned_change};
use crate::finding::{Level, Rule};
use crate::git::ChangeKind;
use crate::render::human::{self, plural, Style};
use crate::render::json::{self, FindingPlace, JsonEntity, JsonRelated};
use crate::render::plan;
use crate::render::text::{
    md_cell, md_code as code, md_inline as inline, md_text, neutralize_workflow_commands, terminal,
};

use crate::audit::{Approver, Audit, AuditFinding, Identity, DECIDED_AT_BASE};

/// Rows of one Markdown table shown before the rest are counted.
const MARKDOWN_ROWS: usize = 50;

/// GitHub refuses comments over 65,536 characters.
const MARKDOWN_MAX_CHARS: usize = 60_000;

/// The human report.
pub fn human(audit: &Audit, style: Style) -> String {
    let mut out = String::new();
    if audit.stats.commits > 0 {
        out.push_str(&format!(
            "audit of {}{} from {} to {}\n",
            plural(audit.stats.commits, "commit", "commits"),
            if audit.first_parent {
                " (first parents only)"
            } else {
                ""
            },
            terminal(&audit.base.label),
            terminal(&audit.head.label)
        ));
    }
    for note in &audit.notes {
        out.push_str(&format!("note: {}\n", terminal(note)));
    }
    if audit.stats.commits == 0 {
        return neutralize_workflow_commands(&out);
    }
    out.push_str(&format!("{}\n", terminal(&audit.trust.statement)));
    out.push('\n');
    let mut renderer = human::Renderer::new(&audit.files, style);
    for finding in audit.findings.iter() {
        out.push_str(&renderer.render(&finding.finding));
        out.push('\n');
    }
    out.push_str(&summary(audit));
    out.push('\n');
    neutralize_workflow_commands(&out)
}

/// `12 commits scanned (1 merge skipped), 30 paths changed, 4 model entities changed: 2 errors`.
pub fn summary(audit: &Audit) -> String {
    let s = &audit.stats;
    let mut text = format!("{} scanned", plural(s.commits, "commit", "commits"));
    if s.merges_skipped > 0 {
        text.push_str(&format!(
            " ({} skipped)",
            plural(s.merges_skipped, "merge", "merges")
        ));
    }
    text.push_str(&format!(
        ", {} changed",
        plural(s.paths_changed, "path", "paths")
    ));
    if s.entities_changed > 0 {
        text.push_str(&format!(
            ", {} changed",
            plural(s.entities_changed, "model entity", "model entities")
        ));
    }
    if s.drifts > 0 {
        text.push_str(&format!(
            ", {} needing sign-off",
            plural(s.drifts, "drift", "drifts")
        ));
    }
    if audit.findings.is_empty() {
        text.push_str(": no findings");
    } else {
        text.push_str(&format!(": {}", audit.findings.counts().describe()));
    }
    text
}

/// Markdown for a pull-request comment: a heading with the counts, who must sign off (each person once, with
/// what they must look at), then one table per rule and how to approve; cut to fit a comment, saying what is
/// left out.
pub fn markdown(audit: &Audit) -> String {
    let mut out = String::new();
    let verdict = if audit.findings.is_empty() {
        "no findings".to_string()
    } else {
        audit.findings.counts().describe()
    };
    out.push_str(&format!("## opmodel audit: {verdict}\n"));
    if audit.stats.commits == 0 {
        out.push('\n');
        for (i, note) in audit.notes.iter().enumerate() {
            let line = format!("{}\n", inline(note));
            if out.len() + line.len() > MARKDOWN_MAX_CHARS {
                out.push_str(&more_notes(audit.notes.len() - i));
                break;
            }
            out.push_str(&line);
        }
        return out;
    }
    let how = how_to_approve(audit);
    // What must always fit after the tables: how to approve, and the line that says what was left out.
    let limit = MARKDOWN_MAX_CHARS.saturating_sub(how.len() + 200);
    // Who must sign off comes first; half the comment at most, since the details follow.
    plan::sign_off_needed(&mut out, "###", &signers(audit), limit / 2, "opmodel audit");
    out.push_str(&format!(
        "\n{} from {} to {}{}: {}.\n",
        plural(audit.stats.commits, "commit", "commits"),
        code(&audit.base.label),
        code(&audit.head.label),
        if audit.first_parent {
            " (first parents only)"
        } else {
            ""
        },
        inline(&summary_counts(audit)),
    ));
    out.push_str(&format!("\n{}\n", inline(&audit.trust.statement)));
    for (i, note) in audit.notes.iter().enumerate() {
        let line = format!("\n> {}\n", inline(note));
        if i == MARKDOWN_NOTES || out.len() + line.len() > limit * 3 / 4 {
            out.push_str(&format!("\n> {}", more_notes(audit.notes.len() - i)));
            break;
        }
        out.push_str(&line);
    }
    let groups: [(&Rule, &str, &[&str]); 3] = [
        (
            &unowned_change::RULE,
            "Changes nobody owns",
            &["level", "commit", "change", "decided by (at base)"],
        ),
        (
            &unapproved_change::RULE,
            "Changes without their owner's approval",
            &["level", "commit", "change", "decided by (at base)"],
        ),
        (
            &unapproved_drift::RULE,
            "Drifts without their sign-off",
            &["level", "drift", "last changed in", "decided by (at base)"],
        ),
    ];
    for (rule, title, headers) in groups {
        let rows = audit.findings.levels().filter(|(r, _)| *r == rule).count();
        if rows == 0 {
            continue;
        }
        let heading = format!(
            "\n### {title} ({}) · [`{rule}`]({})\n\n",
            rows,
            crate::render::sarif::help_uri(rule.name)
        );
        let header = format!(
            "| {} |\n|{}\n",
            headers.join(" | "),
            " --- |".repeat(headers.len())
        );
        if out.len() + heading.len() + header.len() > limit {
            out.push_str(&format!(
                "\n*{} not shown: the comment would pass GitHub's limit. `opmodel audit` lists every one.*\n",
                plural(rows, &format!("more {title} finding"), &format!("more {title} findings"))
                    .to_lowercase()
            ));
            continue;
        }
        out.push_str(&heading);
        out.push_str(&header);
        for (i, finding) in audit.findings.iter_where(|r| r == rule).enumerate() {
            let row = markdown_row(audit, &finding);
            if i == MARKDOWN_ROWS || out.len() + row.len() > limit {
                out.push_str(&format!(
                    "\n*{} more not shown: `opmodel audit` lists every one.*\n",
                    rows - i
                ));
                break;
            }
            out.push_str(&row);
        }
    }
    out.push_str(&how);
    out
}

/// Notes shown at most; the rest are counted.
const MARKDOWN_NOTES: usize = 20;

fn more_notes(n: usize) -> String {
    format!(
        "*{} not shown: `opmodel audit` lists every one.*\n",
        plural(n, "more note", "more notes")
    )
}

/// Each person whose approval or sign-off is missing, once, with what they must look at (in report order);
/// first, what nobody at base can approve.
fn signers(audit: &Audit) -> Vec<plan::Signer> {
    // Each item once: the sets say which are listed already (a long history repeats them).
    let mut by_id: BTreeMap<String, (String, Vec<String>, HashSet<String>)> = BTreeMap::new();
    let mut nobody: Vec<String> = Vec::new();
    let mut nobody_seen: HashSet<String> = HashSet::new();
    for f in audit.findings.iter() {
        let drift = *f.finding.rule == unapproved_drift::RULE;
        let what = match (f.drift, &f.entity) {
            (Some(check), Some((kind, id))) => format!("{} on {kind} {}", code(check), code(id)),
            _ => what_changed(audit, &f),
        };
        if f.approvers.is_empty() {
            let why = if *f.finding.rule == unowned_change::RULE {
                "no area owns it"
            } else if drift {
                "nobody at base may sign it off"
            } else {
                "nobody at base may approve it"
            };
            let item = format!("{what} ({why})");
            if nobody_seen.insert(item.clone()) {
                nobody.push(item);
            }
            continue;
        }
        for approver in &f.approvers {
            // Any one of several approvers of a change will do: each of them sees who else could.
            let others: Vec<String> = f
                .approvers
                .iter()
                .filter(|a| a.id != approver.id && !drift)
                .map(|a| md_text(&who(a)))
                .collect();
            let item = if others.is_empty() {
                what.clone()
            } else {
                format!("{what} (or {})", others.join(" or "))
            };
            let (_, items, seen) = by_id
                .entry(approver.id.clone())
                .or_insert_with(|| (md_text(&who(approver)), Vec::new(), HashSet::new()));
            if seen.insert(item.clone()) {
                items.push(item);
            }
        }
    }
    // What nobody can approve first: it blocks the merge until the base changes, whoever reviews.
    let mut out: Vec<plan::Signer> = Vec::new();
    if !nobody.is_empty() {
        out.push(plan::Signer {
            who: "nobody at base can approve".to_string(),
            what: nobody,
        });
    }
    out.extend(
        by_id
            .into_values()
            .map(|(who, what, _)| plan::Signer { who, what }),
    );
    out
}

/// `Ana Lopez (ana)`, or the id when it names nobody at base.
fn who(approver: &Approver) -> String {
    match &approver.name {
        Some(name) => format!("{name} ({})", approver.id),
        None => approver.id.clone(),
    }
}

/// "How to approve", with the people of this audit: the first person whose approval is missing.
fn how_to_approve(audit: &Audit) -> String {
    // A person whose id, name and login are of a readable length (model text can be any length).
    let readable = |a: &Approver| {
        a.id.len()
            + a.name.as_ref().map_or(0, String::len)
            + a.github.as_ref().map_or(0, String::len)
            <= MAX_EXAMPLE
    };
    let mut any = false;
    let mut person: Option<Approver> = None;
    for f in audit.findings.iter() {
        any |= !f.approvers.is_empty();
        person = f.approvers.iter().find(|a| readable(a)).cloned();
        if person.is_some() {
            break;
        }
    }
    if !any {
        return String::new();
    }
    let (id, example) = match &person {
        Some(person) => {
            let name = person
                .name
                .as_deref()
                .map_or_else(|| code(&person.id), md_text);
            let mut forms = vec![code(&format!("Approved-by: {}", person.id))];
            if let Some(login) = &person.github {
                forms.push(code(&format!(
                    "Approved-by: @{}",
                    login.trim_start_matches('@')
                )));
            }
            (
                person.id.as_str(),
                format!(": for {name}, {}", forms.join(" or ")),
            )
        }
        None => ("ID", String::new()),
    };
    let flag = code(&format!("opmodel audit --approver {id}"));
    let trailer = format!(
        "a trailer in any commit message of the range, of a token `[approvals].trailers` lists (`Approved-by` by \
         default), naming the person by id, email or GitHub login{example}"
    );
    let approval = match audit.trust.mode {
        "platform" => format!(
            "Under `trust = \"platform\"` commit trailers count for nothing: an approval is a review of the pull \
             request by the person, which CI passes as {flag}."
        ),
        "signatures" => format!(
            "An approval is {trailer}, in a commit the approver signs (an empty one will do); or their review of the \
             pull request, which CI passes as {flag}."
        ),
        _ => format!(
            "An approval is {trailer}; or their review of the pull request, which CI passes as {flag}."
        ),
    };
    format!(
        "\n<details><summary>How to approve</summary>\n\n\
         Ownership and approvers are read from the base of the range, so a change cannot approve itself. \
         {approval} A drift needs the sign-off of every person it names; a change, the approval of any one of \
         its approvers.\n\n</details>\n"
    )
}

/// Bytes of a person's id, name and login together for them to serve as the example of "How to approve".
const MAX_EXAMPLE: usize = 300;

fn summary_counts(audit: &Audit) -> String {
    let s = &audit.stats;
    let mut parts = Vec::new();
    if s.merges_skipped > 0 {
        parts.push(format!(
            "{} skipped",
            plural(s.merges_skipped, "merge", "merges")
        ));
    }
    parts.push(format!(
        "{} changed",
        plural(s.paths_changed, "path", "paths")
    ));
    if s.entities_changed > 0 {
        parts.push(format!(
            "{} changed",
            plural(s.entities_changed, "model entity", "model entities")
        ));
    }
    parts.join(", ")
}

fn markdown_row(audit: &Audit, f: &AuditFinding) -> String {
    let level = level_word(f.finding.level);
    let commit = f
        .commit
        .as_ref()
        .map(|c| {
            format!(
                "{} {} ({})",
                code(&c.short_id),
                md_text(&c.subject),
                md_text(&c.author_name)
            )
        })
        .unwrap_or_else(|| "—".into());
    let path = f.path.as_ref().map(|p| code(&repository_path(audit, p)));
    let change = match (&f.entity, &path) {
        (Some((kind, id)), Some(path)) => format!("{} {kind} {} in {path}", verb(f), code(id)),
        (Some((kind, id)), None) => format!("{kind} {}", code(id)),
        (None, Some(path)) => format!("{} {path}", verb(f)),
        (None, None) => "—".into(),
    };
    // A `|` in a path or a name inside a code span still splits the row: each cell escapes every pipe.
    let (commit, change, decided) = (
        md_cell(&commit),
        md_cell(&change),
        md_cell(&decided_by(audit, f)),
    );
    if *f.finding.rule == unapproved_drift::RULE {
        format!(
            "| {level} | {} | {commit} | {decided} |\n",
            md_cell(&inline(&f.finding.message))
        )
    } else {
        format!("| {level} | {commit} | {change} | {decided} |\n")
    }
}

/// What a commit changed, for the roll-up: `` `f7e1a37` changes `src/pay.rs` ``, `` `f7e1a37` removes decision `x` ``.
fn what_changed(audit: &Audit, f: &AuditFinding) -> String {
    let commit = f
        .commit
        .as_ref()
        .map(|c| format!("{} ", code(&c.short_id)))
        .unwrap_or_default();
    match (&f.entity, &f.path) {
        (Some((kind, id)), _) => format!("{commit}{} {kind} {}", verb(f), code(id)),
        (None, Some(path)) => format!(
            "{commit}{} {}",
            verb(f),
            code(&repository_path(audit, path))
        ),
        (None, None) => inline(&f.finding.message),
    }
}

/// The place at base that decided, in one line: `area "billing" owns it: owner Ana Lopez (ana) (`ops/areas.toml:6`)`.
fn decided_by(audit: &Audit, f: &AuditFinding) -> String {
    let Some((label, text)) = f
        .finding
        .related
        .iter()
        .find_map(|l| Some((l, l.text.strip_prefix(DECIDED_AT_BASE)?)))
    else {
        return "—".into();
    };
    let file = audit.files.get(label.file);
    let (line, _) = file.line_col(label.span.start);
    let place = code(&format!("{}:{line}", repository_path(audit, &file.path)));
    format!("{} ({place})", inline(text.trim_start_matches(": ")))
}

fn verb(f: &AuditFinding) -> &'static str {
    match (f.change, f.entity.is_some()) {
        (Some(ChangeKind::Added), _) => "adds",
        (Some(ChangeKind::Deleted), false) => "deletes",
        (Some(ChangeKind::Deleted), true) => "removes",
        _ => "changes",
    }
}

fn level_word(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warn => "warning",
        Level::Info => "note",
    }
}

fn repository_path(audit: &Audit, path: &str) -> String {
    if audit.prefix.is_empty() {
        path.to_string()
    } else {
        format!("{}/{path}", audit.prefix)
    }
}

#[derive(Serialize)]
struct AuditBody<'a, F: Serialize> {
    range: Range<'a>,
    trust: JsonTrust<'a>,
    notes: &'a [String],
    summary: Summary,
    findings: F,
}

/// The findings, each built and written in turn (a long history has hundreds of thousands).
struct JsonFindings<'a>(&'a Audit);

impl Serialize for JsonFindings<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let audit = self.0;
        let mut seq = serializer.serialize_seq(Some(audit.findings.len()))?;
        for f in audit.findings.iter() {
            seq.serialize_element(&json_finding(audit, &f))?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct Range<'a> {
    base: JsonEnd<'a>,
    head: JsonEnd<'a>,
    first_parent: bool,
}

/// What the audit trusted: the mode at base, the line the reports show, the author `--author` gave (under
/// `platform`), and the approvals that counted, each with why.
#[derive(Serialize)]
struct JsonTrust<'a> {
    mode: &'a str,
    statement: &'a str,
    author: Option<JsonIdentity<'a>>,
    approvals: Vec<JsonIdentity<'a>>,
}

/// An identity and why it was trusted (without a person: why nobody was).
#[derive(Serialize)]
struct JsonIdentity<'a> {
    person: Option<&'a str>,
    basis: &'a str,
}

impl<'a> JsonIdentity<'a> {
    fn of(identity: &'a Identity) -> JsonIdentity<'a> {
        JsonIdentity {
            person: identity.person.as_deref(),
            basis: &identity.basis,
        }
    }
}

#[derive(Serialize)]
struct JsonEnd<'a> {
    label: &'a str,
    commit: &'a str,
}

#[derive(Serialize)]
struct Summary {
    commits: usize,
    merges_skipped: usize,
    paths_changed: usize,
    entities_changed: usize,
    drifts_needing_signoff: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    level: Level,
    message: &'a str,
    commit: Option<JsonCommit<'a>>,
    /// The commit's author as the audit took it, and why.
    author_identity: Option<JsonIdentity<'a>>,
    change: Option<&'static str>,
    path: Option<&'a str>,
    entity: Option<JsonEntity<'a>>,
    approvers: Vec<JsonApprover<'a>>,
    #[serde(flatten)]
    place: FindingPlace<'a>,
    related: Vec<JsonRelated<'a>>,
}

#[derive(Serialize)]
struct JsonCommit<'a> {
    id: &'a str,
    short_id: &'a str,
    author_name: &'a str,
    author_email: &'a str,
    subject: &'a str,
}

#[derive(Serialize)]
struct JsonApprover<'a> {
    id: &'a str,
    name: Option<&'a str>,
    /// The GitHub login at base, for review requests (absent when the person has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    github: Option<&'a str>,
}

/// The JSON document, pretty-printed, with a final newline.
pub fn json(audit: &Audit) -> String {
    let mut out = Vec::new();
    // Writing to memory fails only if serializing does, which `json::document` maps to an empty document too.
    match write_json(audit, &mut out) {
        Ok(()) => String::from_utf8(out).unwrap_or_else(|_| "\n".into()),
        Err(_) => "\n".into(),
    }
}

/// The JSON document written to `out` as it is built, findings one by one.
pub fn write_json(audit: &Audit, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    write_json_chunked(audit, out, PARALLEL_JSON_FROM, JSON_CHUNK)
}

/// From this many findings the JSON report is written by [`write_findings_in_chunks`]: the whole history of a
/// large repository has hundreds of thousands, and writing them was a serial tail of the audit (0.7 s of
/// git.git's 5 s) with one CPU idle.
const PARALLEL_JSON_FROM: usize = 4_096;

/// Findings per chunk: about 1.5 MB of JSON, a few chunks at most held at once.
const JSON_CHUNK: usize = 1_024;

/// The JSON document; from `parallel_from` findings, the findings in chunks of `chunk` rendered on two threads
/// (the same bytes as serde's own pretty printer writes: a unit test compares them).
fn write_json_chunked(
    audit: &Audit,
    out: &mut dyn std::io::Write,
    parallel_from: usize,
    chunk: usize,
) -> std::io::Result<()> {
    if audit.findings.len() < parallel_from {
        return json::write_document(out, "audit", body(audit, JsonFindings(audit)));
    }
    // Everything but the findings, with an empty list where they go: that list ends the document.
    let mut head = Vec::new();
    json::write_document(&mut head, "audit", body(audit, [(); 0]))?;
    const EMPTY: &[u8] = b"\"findings\": []\n}\n";
    let Some(before) = head.strip_suffix(EMPTY) else {
        return json::write_document(out, "audit", body(audit, JsonFindings(audit)));
    };
    out.write_all(before)?;
    out.write_all(b"\"findings\": [")?;
    let wrote_any = write_findings_in_chunks(audit, out, chunk)?;
    out.write_all(if wrote_any { b"\n  ]\n}\n" } else { b"]\n}\n" })
}

fn body<'a, F: Serialize>(audit: &'a Audit, findings: F) -> AuditBody<'a, F> {
    let counts = audit.findings.counts();
    AuditBody {
        range: Range {
            base: JsonEnd {
                label: &audit.base.label,
                commit: &audit.base.commit,
            },
            head: JsonEnd {
                label: &audit.head.label,
                commit: &audit.head.commit,
            },
            first_parent: audit.first_parent,
        },
        trust: JsonTrust {
            mode: audit.trust.mode,
            statement: &audit.trust.statement,
            author: audit.trust.author.as_ref().map(JsonIdentity::of),
            approvals: audit.trust.approvals.iter().map(JsonIdentity::of).collect(),
        },
        notes: &audit.notes,
        summary: Summary {
            commits: audit.stats.commits,
            merges_skipped: audit.stats.merges_skipped,
            paths_changed: audit.stats.paths_changed,
            entities_changed: audit.stats.entities_changed,
            drifts_needing_signoff: audit.stats.drifts,
            errors: counts.errors,
            warnings: counts.warnings,
            infos: counts.infos,
        },
        findings,
    }
}

/// The elements of the findings list, as serde's pretty printer writes them at that depth: chunks of findings
/// rendered on two threads (each takes the next chunk when it is free, at most a few chunks ahead of the
/// writer), written here in order. Whether any was written.
fn write_findings_in_chunks(
    audit: &Audit,
    out: &mut dyn std::io::Write,
    chunk: usize,
) -> std::io::Result<bool> {
    let chunks = audit.findings.entry_count().div_ceil(chunk.max(1));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let render = |index: usize| -> std::io::Result<Vec<u8>> {
        let mut rendered = Vec::new();
        let mut one = Vec::new();
        let entries = index * chunk..((index + 1) * chunk).min(audit.findings.entry_count());
        for f in audit.findings.iter_entries(entries) {
            one.clear();
            serde_json::to_writer_pretty(&mut one, &json_finding(audit, &f))?;
            if !rendered.is_empty() {
                rendered.push(b',');
            }
            // Each line one level deeper (JSON text has no line break inside a string).
            rendered.extend_from_slice(b"\n    ");
            for (i, line) in one.split(|&b| b == b'\n').enumerate() {
                if i > 0 {
                    rendered.extend_from_slice(b"\n    ");
                }
                rendered.extend_from_slice(line);
            }
        }
        Ok(rendered)
    };
    let mut wrote_any = false;
    std::thread::scope(|scope| -> std::io::Result<()> {
        let (sender, receiver) =
            std::sync::mpsc::sync_channel::<(usize, std::io::Result<Vec<u8>>)>(4);
        for _ in 0..2 {
            let (sender, next, render) = (sender.clone(), &next, &render);
            scope.spawn(move || loop {
                let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if index >= chunks || sender.send((index, render(index))).is_err() {
                    return;
                }
            });
        }
        drop(sender);
        let mut waiting = BTreeMap::new();
        let mut wanted = 0;
        for (index, rendered) in receiver {
            waiting.insert(index, rendered);
            while let Some(rendered) = waiting.remove(&wanted) {
                let rendered = rendered?;
                if !rendered.is_empty() {
                    // The first element follows the `[`; each later chunk continues the list.
                    if wrote_any {
                        out.write_all(b",")?;
                    }
                    out.write_all(&rendered)?;
                    wrote_any = true;
                }
                wanted += 1;
            }
        }
        Ok(())
    })?;
    Ok(wrote_any)
}

fn json_finding<'a>(audit: &'a Audit, f: &'a AuditFinding) -> JsonFinding<'a> {
    let finding = &f.finding;
    JsonFinding {
        rule: finding.rule.name,
        level: finding.level,
        message: &finding.message,
        commit: f.commit.as_ref().map(|c| JsonCommit {
            id: &c.id,
            short_id: &c.short_id,
            author_name: &c.author_name,
            author_email: &c.author_email,
            subject: &c.subject,
        }),
        author_identity: f.identity.as_ref().map(JsonIdentity::of),
        change: f.change.map(|c| match c {
            ChangeKind::Added => "added",
            ChangeKind::Modified => "modified",
            ChangeKind::Deleted => "deleted",
        }),
        path: f.path.as_deref(),
        entity: f.entity.as_ref().map(|(kind, id)| JsonEntity { kind, id }),
        approvers: f
            .approvers
            .iter()
            .map(|a| JsonApprover {
                id: &a.id,
                name: a.name.as_deref(),
                github: a.github.as_deref(),
            })
            .collect(),
        place: FindingPlace::of(finding, &audit.files),
        related: json::related(finding, &audit.files),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::git::scenario::Scenario;

    fn audit_of(s: &Scenario, range: String) -> Audit {
        let options = crate::audit::Options {
            range: Some(range),
            first_parent: false,
            approvers: Vec::new(),
            author: None,
            overrides: crate::config::Overrides::none(crate::catalog::all()),
            notes: Vec::new(),
        };
        crate::audit::run(&s.root, None, &options, &mut |_, _| ()).unwrap()
    }

    fn json(audit: &Audit, parallel_from: usize, chunk: usize) -> String {
        let mut out = Vec::new();
        write_json_chunked(audit, &mut out, parallel_from, chunk).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The findings rendered in chunks on two threads are the bytes serde's pretty printer writes, at every
    /// chunk size, and with no finding at all.
    #[test]
    fn findings_written_in_chunks_are_the_pretty_printer_s_bytes() {
        let s = Scenario::new();
        s.write(
            "opmodel.toml",
            "[model]\nversion = 1\nroot = \"ops\"\n\n[ownership]\nrequired = [\"**\"]\n",
        );
        s.write(
            "ops/model.toml",
            "[[person]]\nid = \"ana\"\nname = \"Ana\"\nemail = \"ana@example.com\"\n\n\
             [[area]]\nid = \"docs\"\ntitle = \"Docs\"\nowner = \"ana\"\npaths = [\"docs/**\"]\n",
        );
        let base = s.commit("model");
        for i in 0..5 {
            s.write(&format!("src/f{i}.rs"), "x\n");
            s.write(&format!("docs/d{i}.md"), "y \"quoted\"\nline\n");
            s.commit(&format!("change {i}\n\nwith a body"));
        }
        let audit = audit_of(&s, format!("{base}..HEAD"));
        assert!(audit.findings.len() >= 5, "{}", audit.findings.len());
        let whole = json(&audit, usize::MAX, 1);
        assert!(
            whole.contains("\"findings\": [\n    {\n      \"rule\""),
            "{whole}"
        );
        for chunk in [1, 2, 3, 1_000] {
            assert_eq!(json(&audit, 0, chunk), whole, "chunks of {chunk}");
        }
        let empty = audit_of(&s, "HEAD..HEAD".to_string());
        assert!(empty.findings.is_empty());
        let whole = json(&empty, usize::MAX, 1);
        assert!(whole.ends_with("\"findings\": []\n}\n"), "{whole}");
        assert_eq!(json(&empty, 0, 4), whole);
    }
}

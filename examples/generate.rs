//! Generate a large, valid operating model for benchmarks.
//!
//! `cargo run --release --example generate -- OUT_DIR [ENTITIES] [FILES]` writes `OUT_DIR/opmodel.toml`,
//! `OUT_DIR/ops/part-NNN.toml` (default: 10,000 entities in 200 files; never more files than entities) and one
//! small file under each path an area owns (`src/area-N/`, `docs/area-N/`), so that the model is also clean when
//! committed in a git repository, where the ownership rules run. The output is deterministic, every reference
//! resolves, the entities are as detailed as the bundled example's, and the mix of kinds is that of a real
//! company's model. `opmodel check --as-of 2026-11-20` reports nothing on it, at any size: `tests/generator.rs`
//! checks that.

use std::fmt::Write as _;
use std::path::PathBuf;

const USAGE: &str =
    "usage: generate OUT_DIR [ENTITIES (default 10000, at least 1)] [FILES (default 200)]";

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next().map(PathBuf::from) else {
        fail(USAGE)
    };
    let entities = number(args.next(), 10_000);
    let files = number(args.next(), 200);
    if args.next().is_some() {
        fail(USAGE);
    }
    if entities == 0 || files == 0 {
        fail(&format!("ENTITIES and FILES must be at least 1\n{USAGE}"));
    }
    let texts = generate(entities, files);
    std::fs::create_dir_all(out.join("ops")).expect("create the output folder");
    std::fs::write(out.join("opmodel.toml"), MANIFEST).expect("write the manifest");
    for (i, text) in texts.iter().enumerate() {
        std::fs::write(out.join(format!("ops/part-{i:03}.toml")), text)
            .expect("write a model file");
    }
    for path in owned_files(entities) {
        let path = out.join(path);
        std::fs::create_dir_all(path.parent().expect("a file in a folder"))
            .expect("create an owned folder");
        std::fs::write(&path, "Owned by the area named in this folder's name.\n")
            .expect("write an owned file");
    }
    eprintln!(
        "wrote {entities} entities in {} files under {}",
        texts.len(),
        out.display()
    );
}

fn number(arg: Option<String>, default: usize) -> usize {
    match arg {
        None => default,
        Some(text) => text
            .replace('_', "")
            .parse()
            .unwrap_or_else(|_| fail(&format!("not a number: {text}\n{USAGE}"))),
    }
}

fn fail(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(2);
}

/// The manifest: every file under `src/` and `docs/` needs an owning area, and the rule settings of the bundled
/// example.
pub const MANIFEST: &str = "[model]\nversion = 1\nroot = \"ops\"\n\n[ownership]\nrequired = [\"/src/\", \"/docs/\"]\n\n[rules]\ndecision-concentration = { level = \"warn\", max_share = 0.4 }\n";

/// One file under each path an area owns (relative to the manifest's folder): without them, every area would be
/// an `empty-area` in a git repository.
pub fn owned_files(total: usize) -> Vec<String> {
    (0..Counts::new(total).areas)
        .flat_map(|a| {
            [
                format!("src/area-{a}/README.md"),
                format!("docs/area-{a}/README.md"),
            ]
        })
        .collect()
}

/// How many entities of each kind. People take what the shares leave, so the kinds add up to the total.
struct Counts {
    people: usize,
    teams: usize,
    areas: usize,
    decisions: usize,
    handoffs: usize,
    metrics: usize,
    priorities: usize,
    cadences: usize,
}

impl Counts {
    fn new(total: usize) -> Counts {
        let share = |percent: usize| total * percent / 100;
        let mut c = Counts {
            people: 0,
            teams: share(4),
            areas: share(4),
            decisions: share(30),
            handoffs: share(10),
            metrics: share(18),
            priorities: share(6),
            cadences: share(8),
        };
        // A handoff goes between two teams (`handoff-to-self`).
        if c.teams < 2 {
            c.handoffs = 0;
        }
        // A metric serves a priority and a priority lists a metric (`metric-orphan`, `priority-without-metric`).
        if c.metrics == 0 || c.priorities == 0 {
            c.metrics = 0;
            c.priorities = 0;
        }
        c.people = total
            - c.teams
            - c.areas
            - c.decisions
            - c.handoffs
            - c.metrics
            - c.priorities
            - c.cadences;
        // Enough people that nobody holds more than 40% of the decisions (`decision-concentration`).
        while c.decisions >= 3 && c.people * max_per_person(c.decisions) < c.decisions {
            c.decisions -= 1;
            c.people += 1;
        }
        c
    }
}

/// The most decisions one person may own or be the escalation target of: 40% of them (the manifest's
/// `max_share`), or any number below the rule's minimum of 3 decisions.
fn max_per_person(decisions: usize) -> usize {
    if decisions < 3 {
        decisions
    } else {
        decisions * 2 / 5
    }
}

/// The model's files' texts: entities dealt round-robin into `files` files (at most one file per entity).
pub fn generate(total: usize, files: usize) -> Vec<String> {
    let c = Counts::new(total);
    let files = files.clamp(1, total.max(1));
    let mut out = vec![String::new(); files];
    let mut n = 0usize;
    let mut put = |text: String| {
        out[n % files].push_str(&text);
        n += 1;
    };
    // Person t leads team t (there are more people than teams); everyone else is in team p % teams. Leads
    // report to person 0, the others to their team's lead: a manager always comes earlier, so no loop.
    let team_of = |p: usize| (c.teams > 0).then(|| p % c.teams);
    let manager_of = |p: usize| match team_of(p) {
        _ if p == 0 => None,
        Some(t) if t != p => Some(t),
        _ => Some(0),
    };
    // Teams' leads own the team-level entities; without teams, people take turns.
    let lead_or_person = |i: usize| match c.teams {
        0 => i % c.people,
        teams => i % teams,
    };

    for p in 0..c.people {
        let mut text = format!(
            "[[person]]\nid = \"person-{p}\"\nname = \"Person {p}\"\nemail = \"person.{p}@example.com\"\ngithub = \"person-{p}\"\n"
        );
        if let Some(t) = team_of(p) {
            let _ = writeln!(text, "team = \"team-{t}\"");
        }
        if let Some(m) = manager_of(p) {
            let _ = writeln!(text, "manager = \"person-{m}\"");
        }
        let _ = writeln!(
            text,
            "description = \"Joined in {}; works on the accounts and processes of team {}.\"\ntags = [\"staff\"]\n",
            2015 + p % 11,
            team_of(p).unwrap_or(0)
        );
        put(text);
    }
    for t in 0..c.teams {
        let members: Vec<String> = (t..c.people)
            .step_by(c.teams)
            .map(|p| format!("\"person-{p}\""))
            .collect();
        put(format!(
            "[[team]]\nid = \"team-{t}\"\nname = \"Team {t}\"\nlead = \"person-{t}\"\nmembers = [{}]\ndescription = \"Runs part {t} of the business, from intake to delivery.\"\n\n",
            members.join(", ")
        ));
    }
    for a in 0..c.areas {
        let mut text = format!(
            "[[area]]\nid = \"area-{a}\"\ntitle = \"Area {a}\"\nowner = \"person-{}\"\n",
            lead_or_person(a)
        );
        if let Some(t) = team_of(a) {
            let _ = writeln!(text, "team = \"team-{t}\"");
        }
        // The first area owns the operating model itself too (`model-unowned`).
        let model = if a == 0 {
            "\"/opmodel.toml\", \"/ops/\", "
        } else {
            ""
        };
        let _ = writeln!(
            text,
            "paths = [{model}\"/src/area-{a}/\", \"/docs/area-{a}/\"]\noutcome = \"Area {a} ships on time, within budget, and without surprises for the teams that depend on it.\"\ntags = [\"engineering\"]\n"
        );
        put(text);
    }

    // Owners take turns, people outside the leads first; each decision escalates to its owner's manager,
    // unless that would give the manager more than their share (`decision-concentration`).
    let cap = max_per_person(c.decisions);
    let mut held = vec![0usize; c.people];
    let owners: Vec<usize> = (0..c.decisions).map(|d| (c.teams + d) % c.people).collect();
    for &o in &owners {
        held[o] += 1;
    }
    for (d, &owner) in owners.iter().enumerate() {
        let mut text = format!(
            "[[decision]]\nid = \"decision-{d}\"\ntitle = \"Decision {d}: approve a change to process {d}\"\ndescription = \"Who may change process {d}, within which limits, and what must be written down when they do.\"\nowner = \"person-{owner}\"\n"
        );
        // A one-way door needs an approver other than its owner (`self-approval`).
        let approver = manager_of(owner).or((c.people > 1).then(|| (owner + 1) % c.people));
        match approver {
            Some(approver) if d % 5 == 0 => {
                let _ = writeln!(
                    text,
                    "reversible = false\napprovers = [\"person-{approver}\"]"
                );
            }
            _ => text.push_str("reversible = true\n"),
        }
        if let Some(t) = team_of(owner) {
            let _ = writeln!(text, "informed = [\"team-{t}\"]");
        }
        let _ = writeln!(text, "sla = \"{}d\"", 1 + d % 5);
        if let Some(m) = manager_of(owner).filter(|&m| held[m] < cap) {
            held[m] += 1;
            let _ = writeln!(text, "escalate_to = \"person-{m}\"");
        }
        let _ = writeln!(
            text,
            "decided_on = 2026-0{}-15\nreview_by = 2030-01-01\nmaterial = {}\nrationale = \"Changes to process {d} are frequent and cheap to undo, so they are decided close to the work.\"\ntags = [\"operations\"]\n",
            1 + d % 9,
            d % 4 == 0
        );
        put(text);
    }
    for h in 0..c.handoffs {
        let from = h % c.teams;
        let to = (h + 1) % c.teams;
        put(format!(
            "[[handoff]]\nid = \"handoff-{h}\"\ntitle = \"Hand work item {h} from team {from} to team {to}\"\nfrom = \"team-{from}\"\nto = \"team-{to}\"\nowner = \"person-{from}\"\nartifact = \"A ticket with the request, its context and the date promised to the customer\"\nsla = \"{}h\"\nacceptance = [\n  \"The receiving team acknowledges the ticket and names an assignee\",\n  \"Every open question is answered in the ticket\",\n]\nmaterial = {}\n\n",
            4 + h % 20,
            h % 3 == 0
        ));
    }
    for m in 0..c.metrics {
        put(format!(
            "[[metric]]\nid = \"metric-{m}\"\nname = \"Metric {m}\"\nowner = \"person-{}\"\nunit = \"count\"\ntarget = {}\ndirection = \"increase\"\nthreshold = {}\ncadence = \"monthly\"\nlast_reviewed = 2026-11-01\nsource = \"The warehouse's daily export, reconciled at month end\"\nserves = [\"priority-{}\"]\ntags = [\"kpi\"]\n\n",
            (c.teams + m) % c.people,
            100 + m,
            90 + m,
            m % c.priorities
        ));
    }
    for p in 0..c.priorities {
        // Two of three committed: under the 70% of `overcommitted`.
        let tier = if p % 3 == 0 {
            "exploratory"
        } else {
            "committed"
        };
        put(format!(
            "[[priority]]\nid = \"priority-{p}\"\ntitle = \"Priority {p}: grow the segment it names\"\nowner = \"person-{}\"\ntier = \"{tier}\"\nmetrics = [\"metric-{}\"]\nstop_doing = [\"The old way of doing {p}\", \"Custom work for accounts outside the segment\"]\nhorizon = 2027-06-30\n\n",
            lead_or_person(p),
            p % c.metrics
        ));
    }
    for k in 0..c.cadences {
        let mut reviews = Vec::new();
        if c.metrics > 0 {
            reviews.push(format!("\"metric-{}\"", k % c.metrics));
        }
        if c.decisions > 0 {
            reviews.push(format!("\"decision-{}\"", k % c.decisions));
        }
        let mut text = format!(
            "[[cadence]]\nid = \"cadence-{k}\"\nname = \"Review {k}\"\nevery = \"weekly\"\nowner = \"person-{}\"\n",
            lead_or_person(k)
        );
        if !reviews.is_empty() {
            let _ = writeln!(text, "reviews = [{}]", reviews.join(", "));
        }
        if let Some(t) = team_of(k) {
            let _ = writeln!(text, "attendees = [\"team-{t}\"]");
        }
        text.push('\n');
        put(text);
    }
    out
}

//! Generate a large, valid operating model for benchmarks.
//!
//! `cargo run --release --example generate -- OUT_DIR [ENTITIES] [FILES]` writes `OUT_DIR/opmodel.toml` and
//! `OUT_DIR/ops/part-NNN.toml` (default: 10,000 entities in 200 files). The output is deterministic, every
//! reference resolves, and the mix of kinds is that of a real company's model.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next().map(PathBuf::from) else {
        eprintln!("usage: generate OUT_DIR [ENTITIES] [FILES]");
        std::process::exit(2);
    };
    let entities: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let files: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200).max(1);
    let texts = generate(entities, files);
    std::fs::create_dir_all(out.join("ops")).expect("create the output folder");
    std::fs::write(out.join("opmodel.toml"), MANIFEST).expect("write the manifest");
    for (i, text) in texts.iter().enumerate() {
        std::fs::write(out.join(format!("ops/part-{i:03}.toml")), text).expect("write a model file");
    }
    eprintln!("wrote {entities} entities in {files} files under {}", out.display());
}

const MANIFEST: &str = "[model]\nversion = 1\nroot = \"ops\"\n\n[rules]\ndecision-concentration = { level = \"warn\", max_share = 0.4 }\n";

/// The model's files' texts: entities dealt round-robin into `files` files.
fn generate(total: usize, files: usize) -> Vec<String> {
    // Shares of each kind, out of 100.
    let people = (total * 20 / 100).max(2);
    let teams = (total * 4 / 100).max(1);
    let areas = total * 4 / 100;
    let metrics = total * 18 / 100;
    let priorities = (total * 6 / 100).max(1);
    let handoffs = total * 10 / 100;
    let cadences = total * 8 / 100;
    let decisions = total.saturating_sub(people + teams + areas + metrics + priorities + handoffs + cadences);
    let mut out = vec![String::new(); files];
    let mut n = 0usize;
    let mut put = |text: String| {
        out[n % files].push_str(&text);
        n += 1;
    };
    let team_of = |p: usize| p % teams;
    let lead_of = |t: usize| t; // person t leads team t (people > teams)
    for p in 0..people {
        let manager = if p < teams { String::new() } else { format!("manager = \"p{}\"\n", lead_of(team_of(p))) };
        put(format!(
            "[[person]]\nid = \"p{p}\"\nname = \"Person {p}\"\nemail = \"p{p}@example.com\"\nteam = \"t{}\"\n{manager}\n",
            team_of(p)
        ));
    }
    for t in 0..teams {
        put(format!("[[team]]\nid = \"t{t}\"\nname = \"Team {t}\"\nlead = \"p{}\"\n\n", lead_of(t)));
    }
    for a in 0..areas {
        put(format!(
            "[[area]]\nid = \"a{a}\"\ntitle = \"Area {a}\"\nowner = \"p{}\"\nteam = \"t{}\"\npaths = [\"/src/a{a}/\"]\n\n",
            lead_of(a % teams),
            a % teams
        ));
    }
    for d in 0..decisions {
        let owner = teams + d % (people - teams).max(1);
        let owner = owner.min(people - 1);
        let mut text = String::new();
        let _ = write!(
            text,
            "[[decision]]\nid = \"d{d}\"\ntitle = \"Decision {d}\"\nowner = \"p{owner}\"\nreversible = {}\n",
            d % 5 != 0
        );
        if d % 5 == 0 {
            let _ = writeln!(text, "approvers = [\"p{}\"]", lead_of(team_of(owner)));
        }
        let _ = writeln!(text, "sla = \"{}d\"\nescalate_to = \"p{}\"\nreview_by = 2030-01-01\n", 1 + d % 5, lead_of(team_of(owner)));
        put(text);
    }
    for h in 0..handoffs {
        put(format!(
            "[[handoff]]\nid = \"h{h}\"\ntitle = \"Handoff {h}\"\nfrom = \"t{}\"\nto = \"t{}\"\nowner = \"p{}\"\nsla = \"4h\"\nacceptance = [\"signed\", \"in the CRM\"]\n\n",
            h % teams,
            (h + 1) % teams.max(2) % teams.max(1),
            lead_of(h % teams)
        ));
    }
    for m in 0..metrics {
        put(format!(
            "[[metric]]\nid = \"m{m}\"\nname = \"Metric {m}\"\nowner = \"p{}\"\ntarget = {}\ndirection = \"increase\"\ncadence = \"monthly\"\nlast_reviewed = 2026-11-01\nserves = [\"pr{}\"]\n\n",
            teams + m % (people - teams).max(1),
            100 + m,
            m % priorities
        ));
    }
    for p in 0..priorities {
        let tier = if p % 3 == 0 { "exploratory" } else { "committed" };
        put(format!(
            "[[priority]]\nid = \"pr{p}\"\ntitle = \"Priority {p}\"\nowner = \"p{}\"\ntier = \"{tier}\"\nmetrics = [\"m{}\"]\nstop_doing = [\"the old thing {p}\"]\n\n",
            lead_of(p % teams),
            p % metrics.max(1)
        ));
    }
    for c in 0..cadences {
        put(format!(
            "[[cadence]]\nid = \"c{c}\"\nname = \"Review {c}\"\nevery = \"weekly\"\nowner = \"p{}\"\nreviews = [\"m{}\", \"d{}\"]\nattendees = [\"t{}\"]\n\n",
            lead_of(c % teams),
            c % metrics.max(1),
            c % decisions.max(1),
            c % teams
        ));
    }
    out
}

//! `opmodel graph`: pictures of the model as Mermaid (which GitHub renders in Markdown) or Graphviz DOT.
//!
//! Model text is data here too: node and cluster ids are opmodel's own (`n0`, `c0`), never an entity's id, and
//! every label is escaped for its language, so a hostile name can neither close its label nor add a statement
//! (a Mermaid `click` or `style` directive, a DOT `URL` attribute) to the picture.

use std::collections::{BTreeMap, HashMap};

use crate::model::{Fields, Model};

/// Which picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Reporting lines, people inside their teams, teams inside their parents.
    Org,
    /// The flow of work between teams.
    Handoffs,
    /// Who decides and who approves what.
    Decisions,
    /// Priorities with their metrics and stop-doing lists.
    Priorities,
}

/// A picture: nodes (possibly inside nested clusters) and edges, in a deterministic order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    /// `LR` or `TB`.
    pub direction: &'static str,
    pub clusters: Vec<Cluster>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub label: String,
    /// The enclosing cluster (never a cycle: `Graph::cluster` refuses one).
    pub parent: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Lines of the label; the first is the title.
    pub lines: Vec<String>,
    pub cluster: Option<usize>,
    /// Drawn as a warning (a team that is not in the model).
    pub warn: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    pub lines: Vec<String>,
    pub dashed: bool,
    /// Something is missing (a handoff without SLA or acceptance): drawn in red.
    pub warn: bool,
}

/// Characters of one label line; the rest is cut with `…`.
const MAX_LINE: usize = 60;

fn cut(text: &str) -> String {
    let one_line: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() > MAX_LINE {
        let mut s: String = one_line.chars().take(MAX_LINE - 1).collect();
        s.push('…');
        s
    } else {
        one_line
    }
}

impl Graph {
    fn new(direction: &'static str) -> Graph {
        Graph {
            direction,
            ..Graph::default()
        }
    }

    fn node(&mut self, lines: Vec<String>, cluster: Option<usize>) -> usize {
        self.nodes.push(Node {
            lines: lines.iter().map(|l| cut(l)).collect(),
            cluster,
            warn: false,
        });
        self.nodes.len() - 1
    }

    fn edge(&mut self, from: usize, to: usize, lines: Vec<String>, dashed: bool, warn: bool) {
        self.edges.push(Edge {
            from,
            to,
            lines: lines.iter().map(|l| cut(l)).collect(),
            dashed,
            warn,
        });
    }

    /// The clusters directly inside `parent` (at the top with `None`), in the model's order.
    pub fn children(&self, parent: Option<usize>) -> impl Iterator<Item = usize> + '_ {
        (0..self.clusters.len()).filter(move |&c| self.clusters[c].parent == parent)
    }
}

/// Node indexes by key, created on first use.
struct Nodes<'m> {
    by_key: HashMap<String, usize>,
    model: &'m Model,
}

impl<'m> Nodes<'m> {
    fn new(model: &'m Model) -> Self {
        Nodes {
            by_key: HashMap::new(),
            model,
        }
    }

    fn person(&mut self, graph: &mut Graph, id: &str, cluster: Option<usize>) -> usize {
        let key = format!("person:{id}");
        if let Some(&n) = self.by_key.get(&key) {
            return n;
        }
        let lines = match self.model.person(id) {
            Some(p) => vec![p.name.clone()],
            None => vec![id.to_string(), "(not in the model)".to_string()],
        };
        let n = graph.node(lines, cluster);
        graph.nodes[n].warn = self.model.person(id).is_none();
        self.by_key.insert(key, n);
        n
    }

    fn team(&mut self, graph: &mut Graph, id: &str) -> usize {
        let key = format!("team:{id}");
        if let Some(&n) = self.by_key.get(&key) {
            return n;
        }
        let lines = match self.model.team(id) {
            Some(t) => vec![t.name.clone()],
            None => vec![id.to_string(), "(not in the model)".to_string()],
        };
        let n = graph.node(lines, None);
        graph.nodes[n].warn = self.model.team(id).is_none();
        self.by_key.insert(key, n);
        n
    }
}

/// The `sla` of every entity of a kind as written (`2d`), by id; the first entity with an id wins.
pub fn slas<'m>(model: &'m Model, kind: &str) -> HashMap<&'m str, &'m str> {
    let mut out = HashMap::new();
    for e in model.entities().into_iter().filter(|e| e.kind.name == kind) {
        if let Some(sla) = e.text("sla") {
            out.entry(e.id).or_insert(sla);
        }
    }
    out
}

/// The picture of `view` of the model.
pub fn build(model: &Model, view: View) -> Graph {
    match view {
        View::Org => org(model),
        View::Handoffs => handoffs(model),
        View::Decisions => decisions(model),
        View::Priorities => priorities(model),
    }
}

fn org(model: &Model) -> Graph {
    let mut graph = Graph::new("TB");
    let index: HashMap<&str, usize> = model
        .teams
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    for team in &model.teams {
        let lead = model
            .person(&team.lead)
            .map_or(team.lead.as_str(), |p| p.name.as_str());
        graph.clusters.push(Cluster {
            label: cut(&format!("{} (lead: {lead})", team.name)),
            parent: None,
        });
    }
    // A parent chain that loops back (a finding of `check`) is drawn flat rather than followed forever.
    for (i, team) in model.teams.iter().enumerate() {
        let parent = team.parent.as_deref().and_then(|p| index.get(p).copied());
        let mut at = parent;
        let mut steps = 0;
        while let Some(p) = at {
            if p == i || steps > model.teams.len() {
                break;
            }
            at = model.teams[p]
                .parent
                .as_deref()
                .and_then(|q| index.get(q).copied());
            steps += 1;
        }
        if at.is_none() {
            graph.clusters[i].parent = parent;
        }
    }
    // Each person sits in their `team`, else in the first team that lists them as a member.
    let mut home: HashMap<&str, usize> = HashMap::new();
    for person in &model.people {
        if let Some(&t) = person.team.as_deref().and_then(|t| index.get(t)) {
            home.insert(&person.id, t);
        }
    }
    for (i, team) in model.teams.iter().enumerate() {
        for member in team.members.iter().flatten() {
            home.entry(member.as_str()).or_insert(i);
        }
    }
    let mut nodes = Nodes::new(model);
    for person in &model.people {
        nodes.person(
            &mut graph,
            &person.id,
            home.get(person.id.as_str()).copied(),
        );
    }
    for person in &model.people {
        if let Some(manager) = &person.manager {
            let m = nodes.person(&mut graph, manager, None);
            let p = nodes.person(&mut graph, &person.id, None);
            graph.edge(m, p, Vec::new(), false, false);
        }
    }
    graph
}

fn handoffs(model: &Model) -> Graph {
    let mut graph = Graph::new("LR");
    let mut nodes = Nodes::new(model);
    let slas = slas(model, "handoff");
    for handoff in &model.handoffs {
        let from = nodes.team(&mut graph, &handoff.from);
        let to = nodes.team(&mut graph, &handoff.to);
        let (lines, warn) = handoff_label(
            &handoff.title,
            slas.get(handoff.id.as_str()).map(|s| s.to_string()),
            handoff.acceptance.as_ref().map(Vec::len),
        );
        graph.edge(from, to, lines, warn, warn);
    }
    graph
}

/// A handoff edge's label: its title, its SLA and how many acceptance criteria it has, and whether one is missing.
fn handoff_label(
    title: &str,
    sla: Option<String>,
    acceptance: Option<usize>,
) -> (Vec<String>, bool) {
    let sla_line = match &sla {
        Some(sla) => format!("SLA {sla}"),
        None => "MISSING SLA".to_string(),
    };
    let acceptance_line = match acceptance {
        Some(0) | None => "MISSING acceptance".to_string(),
        Some(1) => "1 acceptance criterion".to_string(),
        Some(n) => format!("{n} acceptance criteria"),
    };
    let warn = sla.is_none() || acceptance.unwrap_or(0) == 0;
    (
        vec![title.to_string(), format!("{sla_line} · {acceptance_line}")],
        warn,
    )
}

fn decisions(model: &Model) -> Graph {
    let mut graph = Graph::new("LR");
    let mut nodes = Nodes::new(model);
    let slas = slas(model, "decision");
    for decision in &model.decisions {
        let mut lines = vec![decision.title.clone()];
        let mut facts = Vec::new();
        if let Some(sla) = slas.get(decision.id.as_str()) {
            facts.push(format!("SLA {sla}"));
        }
        facts.push(
            if decision.reversible {
                "reversible"
            } else {
                "one-way"
            }
            .to_string(),
        );
        let status = format!("{:?}", decision.status).to_lowercase();
        if status != "active" {
            facts.push(status);
        }
        lines.push(facts.join(" · "));
        let owner = nodes.person(&mut graph, &decision.owner, None);
        let d = graph.node(lines, None);
        graph.edge(owner, d, vec!["decides".into()], false, false);
        for approver in &decision.approvers {
            let a = nodes.person(&mut graph, approver, None);
            graph.edge(a, d, vec!["approves".into()], true, false);
        }
    }
    graph
}

fn priorities(model: &Model) -> Graph {
    let mut graph = Graph::new("LR");
    let mut metric_nodes: BTreeMap<String, usize> = BTreeMap::new();
    let mut metric = |graph: &mut Graph, id: &str| -> usize {
        if let Some(&n) = metric_nodes.get(id) {
            return n;
        }
        let lines = match model.metric(id) {
            Some(m) => {
                let mut lines = vec![m.name.clone()];
                if let Some(target) = m.target {
                    let unit = m.unit.as_deref().unwrap_or_default();
                    lines.push(format!("target {target} {unit}").trim_end().to_string());
                }
                lines
            }
            None => vec![id.to_string(), "(not in the model)".to_string()],
        };
        let n = graph.node(lines, None);
        graph.nodes[n].warn = model.metric(id).is_none();
        metric_nodes.insert(id.to_string(), n);
        n
    };
    for priority in &model.priorities {
        let mut lines = vec![
            priority.title.clone(),
            format!("owner: {}", model.who(&priority.owner)),
        ];
        if !priority.stop_doing.is_empty() {
            lines.push("stop doing:".into());
            lines.extend(priority.stop_doing.iter().map(|s| format!("✗ {s}")));
        }
        let p = graph.node(lines, None);
        let mut served: Vec<&str> = priority.metrics.iter().map(String::as_str).collect();
        for m in &model.metrics {
            if m.serves.contains(&priority.id) && !served.contains(&m.id.as_str()) {
                served.push(&m.id);
            }
        }
        for id in served {
            let m = metric(&mut graph, id);
            graph.edge(p, m, vec!["measured by".into()], false, false);
        }
    }
    graph
}

/// One handoff on the two sides of a diff, as written (`None` on the side it is absent from).
#[derive(Debug, Clone, Copy)]
pub struct HandoffChange<'a> {
    pub id: &'a str,
    pub base: Option<&'a Fields>,
    pub head: Option<&'a Fields>,
}

/// The picture of the handoffs a change adds (green), removes (red, dashed) or alters (its head, in amber).
pub fn handoff_changes(changes: &[HandoffChange<'_>]) -> Graph {
    let mut graph = Graph::new("LR");
    let mut teams: BTreeMap<String, usize> = BTreeMap::new();
    let mut team = |graph: &mut Graph, id: &str| -> usize {
        *teams
            .entry(id.to_string())
            .or_insert_with(|| graph.node(vec![id.to_string()], None))
    };
    for change in changes {
        let (fields, word) = match (change.base, change.head) {
            (None, Some(head)) => (head, "added"),
            (Some(base), None) => (base, "removed"),
            (Some(_), Some(head)) => (head, "changed"),
            (None, None) => continue,
        };
        let text = |f: &str| fields.get(f).and_then(|v| v.as_str()).map(String::from);
        let (Some(from), Some(to)) = (text("from"), text("to")) else {
            continue;
        };
        let from = team(&mut graph, &from);
        let to = team(&mut graph, &to);
        let acceptance = fields
            .get("acceptance")
            .and_then(|a| a.as_array())
            .map(Vec::len);
        let title = text("title").unwrap_or_else(|| change.id.to_string());
        let (mut lines, warn) = handoff_label(&title, text("sla"), acceptance);
        lines.insert(0, format!("{word}: {}", change.id));
        graph.edge(
            from,
            to,
            lines,
            word == "removed",
            warn || word == "removed",
        );
    }
    graph
}

/// A label line for Mermaid, inside `"..."`: every character that is not a letter, a digit or plain punctuation
/// becomes an entity code (`#35;`), so the text cannot close the label, start a statement or become markup.
fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric()
            || matches!(
                c,
                ' ' | '.' | ',' | '-' | '_' | '(' | ')' | ':' | '/' | '·' | '…' | '✗' | '+' | '\''
            )
        {
            out.push(c);
        } else {
            out.push_str(&format!("#{};", u32::from(c)));
        }
    }
    out
}

/// How one language writes a cluster's first and last line and a node's line, each given its indentation.
struct Writers<'a> {
    open: &'a dyn Fn(usize, &str) -> String,
    close: &'a dyn Fn(&str) -> String,
    node: &'a dyn Fn(usize, &Node, &str) -> String,
}

/// Write the clusters depth first (each: its first line, its sub-clusters, its nodes, its last line), then the
/// nodes outside every cluster; each level indented by two more spaces.
fn write_nested(graph: &Graph, out: &mut String, writers: &Writers<'_>) {
    fn cluster(graph: &Graph, out: &mut String, c: usize, depth: usize, writers: &Writers<'_>) {
        let indent = "  ".repeat(depth + 1);
        out.push_str(&(writers.open)(c, &indent));
        for child in graph.children(Some(c)) {
            cluster(graph, out, child, depth + 1, writers);
        }
        let inner = format!("{indent}  ");
        for (i, n) in graph.nodes.iter().enumerate() {
            if n.cluster == Some(c) {
                out.push_str(&(writers.node)(i, n, &inner));
            }
        }
        out.push_str(&(writers.close)(&indent));
    }
    for c in graph.children(None) {
        cluster(graph, out, c, 0, writers);
    }
    for (i, n) in graph.nodes.iter().enumerate() {
        if n.cluster.is_none() {
            out.push_str(&(writers.node)(i, n, "  "));
        }
    }
}

/// The picture in Mermaid flowchart syntax.
pub fn mermaid(graph: &Graph) -> String {
    let mut out = format!("flowchart {}\n", graph.direction);
    let node = |i: usize, node: &Node, indent: &str| {
        let label: Vec<String> = node.lines.iter().map(|l| mermaid_text(l)).collect();
        format!("{indent}n{i}[\"{}\"]\n", label.join("<br/>"))
    };
    let open = |c: usize, indent: &str| {
        format!(
            "{indent}subgraph c{c}[\"{}\"]\n",
            mermaid_text(&graph.clusters[c].label)
        )
    };
    let writers = Writers {
        open: &open,
        close: &|indent| format!("{indent}end\n"),
        node: &node,
    };
    write_nested(graph, &mut out, &writers);
    for edge in &graph.edges {
        let arrow = if edge.dashed { "-.->" } else { "-->" };
        if edge.lines.is_empty() {
            out.push_str(&format!("  n{} {arrow} n{}\n", edge.from, edge.to));
        } else {
            let label: Vec<String> = edge.lines.iter().map(|l| mermaid_text(l)).collect();
            out.push_str(&format!(
                "  n{} {arrow}|\"{}\"| n{}\n",
                edge.from,
                label.join("<br/>"),
                edge.to
            ));
        }
    }
    let warned: Vec<String> = (0..graph.nodes.len())
        .filter(|&i| graph.nodes[i].warn)
        .map(|i| format!("n{i}"))
        .collect();
    if !warned.is_empty() {
        out.push_str("  classDef missing stroke:#c62828,stroke-width:2px,color:#c62828\n");
        out.push_str(&format!("  class {} missing\n", warned.join(",")));
    }
    let warned: Vec<String> = (0..graph.edges.len())
        .filter(|&i| graph.edges[i].warn)
        .map(|i| i.to_string())
        .collect();
    if !warned.is_empty() {
        out.push_str(&format!(
            "  linkStyle {} stroke:#c62828,color:#c62828\n",
            warned.join(",")
        ));
    }
    out
}

/// A DOT string's content: `"` and `\` escaped (so `\N`, `\G` and `\l` stay text), control characters as spaces.
fn dot_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn dot_label(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| dot_text(l))
        .collect::<Vec<_>>()
        .join("\\n")
}

/// The picture in Graphviz DOT.
pub fn dot(graph: &Graph) -> String {
    let rankdir = if graph.direction == "LR" { "LR" } else { "TB" };
    let mut out = format!(
        "digraph opmodel {{\n  rankdir={rankdir};\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n"
    );
    let node = |i: usize, node: &Node, indent: &str| {
        let warn = if node.warn {
            ", color=\"#c62828\", fontcolor=\"#c62828\""
        } else {
            ""
        };
        format!(
            "{indent}n{i} [label=\"{}\"{warn}];\n",
            dot_label(&node.lines)
        )
    };
    let open = |c: usize, indent: &str| {
        format!(
            "{indent}subgraph cluster_c{c} {{\n{indent}  label=\"{}\";\n",
            dot_text(&graph.clusters[c].label)
        )
    };
    let writers = Writers {
        open: &open,
        close: &|indent| format!("{indent}}}\n"),
        node: &node,
    };
    write_nested(graph, &mut out, &writers);
    for edge in &graph.edges {
        let mut attributes = Vec::new();
        if !edge.lines.is_empty() {
            attributes.push(format!("label=\"{}\"", dot_label(&edge.lines)));
        }
        if edge.dashed {
            attributes.push("style=dashed".to_string());
        }
        if edge.warn {
            attributes.push("color=\"#c62828\", fontcolor=\"#c62828\"".to_string());
        }
        let attributes = if attributes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", attributes.join(", "))
        };
        out.push_str(&format!("  n{} -> n{}{attributes};\n", edge.from, edge.to));
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mermaid_labels_cannot_close_or_add_statements() {
        let text = mermaid_text("x\"] \n click n0 href \"javascript:alert(1)\"; %%{init}%% <b>#");
        assert!(!text.contains('"'));
        assert!(!text.contains('\n'));
        assert!(!text.contains(';') || text.split(';').all(|p| p.is_empty() || p.contains('#')));
        assert!(!text.contains('<') && !text.contains('[') && !text.contains('{'));
    }

    #[test]
    fn dot_labels_cannot_close_the_string() {
        assert_eq!(dot_text("a\"b\\N\nc"), "a\\\"b\\\\N c");
    }
}

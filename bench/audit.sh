#!/usr/bin/env bash
# Benchmark `opmodel audit` on a generated history, against `git log --raw --no-renames -r` over the same range,
# without a commit-graph (as a fresh clone or CI checkout has), and a scaling table at 1x, 2x, 4x and 8x the
# commits with each side's peak memory. Figures go to docs/performance.md.
#
#   bench/audit.sh [COMMITS]          # default 20000; the history is generated once per size and kept
#
# GENERATE_ONLY=1 stops after generating the history (bench/activity.sh uses it).
# Needs git, python3, hyperfine and GNU time (/usr/bin/time). Set BENCH_DIR to keep the repositories elsewhere
# (default: target/bench-audit), OPMODEL to benchmark another binary (default: a release build of this tree).
#
# The history: a manifest, 41 areas over 2,000 source files, 40 people in 10 teams, a model of ~130 entities in
# 5 files; each commit changes 1 to 3 files of one area, mostly by the area's owner or team, sometimes by someone
# else with an `Approved-by:` trailer, rarely without one (1 in 1,000), and rarely outside every area (1 in 2,000); every
# 40th commit changes a metric in the model (an entity change judged entity by entity, a distinct model blob);
# every 100th commit merges a side branch of two commits. Tags: `base` (the model, before the history), `s8`,
# `s4`, `s2` (after 1/8, 1/4, 1/2 of the commits) and HEAD.
set -euo pipefail
cd "$(dirname "$0")/.."
paired="$PWD/bench/paired.py"

commits="${1:-20000}"
bench_dir="${BENCH_DIR:-$PWD/target/bench-audit}"
repo="$bench_dir/history-$commits"

for tool in git python3 hyperfine /usr/bin/time; do
  command -v "$tool" > /dev/null || { echo "bench/audit.sh needs $tool" >&2; exit 2; }
done

if [ -z "${OPMODEL:-}" ]; then
  cargo build --release --quiet
  OPMODEL="$PWD/target/release/opmodel"
fi

generate() {
  rm -rf "$repo.tmp"
  mkdir -p "$repo.tmp"
  git -C "$repo.tmp" -c init.defaultBranch=main init -q
  python3 - "$commits" > "$repo.tmp/stream" <<'PY'
import random
import sys

commits = int(sys.argv[1])
rng = random.Random(20240601)
out = sys.stdout.buffer
people = [(f"p{i:02}", f"Person {i:02}", f"p{i:02}@example.com") for i in range(40)]
areas = [(f"a{k:02}", people[(k * 3) % 40], k % 10) for k in range(40)]
team_members = {t: [people[t * 4 + j] for j in range(4)] for t in range(10)}
outsiders = people  # anyone not in the area's team
clock = 1_600_000_000
mark = 0


def data(text):
    raw = text.encode()
    out.write(b"data %d\n" % len(raw))
    out.write(raw)
    out.write(b"\n")


def source(path, revision):
    lines = [f"// {path}", "fn main() {"]
    lines += [f"    let x{i} = {i} * 2; // steady line {i}" for i in range(40)]
    lines.insert(10, f"    // revision {revision}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def people_toml():
    text = ""
    for pid, name, email in people:
        n = int(pid[1:])
        text += f'[[person]]\nid = "{pid}"\nname = "{name}"\nemail = "{email}"\ngithub = "gh-{pid}"\nteam = "t{n // 4}"\n'
        if n % 4:
            text += f'manager = "p{(n // 4) * 4:02}"\n'
        text += "\n"
    for t, members in team_members.items():
        ids = ", ".join(f'"{m[0]}"' for m in members)
        text += f'[[team]]\nid = "t{t}"\nname = "Team {t}"\nlead = "{members[0][0]}"\nmembers = [{ids}]\n\n'
    return text


def areas_toml():
    text = ""
    for aid, owner, team in areas:
        text += f'[[area]]\nid = "{aid}"\ntitle = "Area {aid}"\nowner = "{owner[0]}"\nteam = "t{team}"\npaths = ["/src/{aid}/"]\n\n'
    text += '[[area]]\nid = "model"\ntitle = "The operating model"\nowner = "p00"\npaths = ["/ops/", "/opmodel.toml"]\n'
    return text


def decisions_toml():
    text = ""
    for i in range(30):
        owner = people[(i * 7) % 40][0]
        text += f'[[decision]]\nid = "d{i:02}"\ntitle = "Decision {i}"\nowner = "{owner}"\nreversible = true\nsla = "2d"\n\n'
    return text


def metrics_toml(reviewed):
    text = ""
    for i in range(20):
        owner = people[(i * 5) % 40][0]
        day = reviewed.get(i, 1)
        text += (
            f'[[metric]]\nid = "m{i:02}"\nname = "Metric {i}"\nowner = "{owner}"\ntarget = 100\n'
            f'direction = "increase"\ncadence = "monthly"\nlast_reviewed = 2026-{1 + day // 28 % 12:02}-{1 + day % 28:02}\n\n'
        )
    return text


def commit(ref, author, message, changes, parent=None, merge=None):
    global clock, mark
    clock += 600
    mark += 1
    out.write(f"commit {ref}\nmark :{mark}\n".encode())
    who = f"{author[1]} <{author[2]}> {clock} +0000\n"
    out.write(f"author {who}committer {who}".encode())
    data(message)
    if parent:
        out.write(f"from :{parent}\n".encode())
    if merge:
        out.write(f"merge :{merge}\n".encode())
    for path, text in changes:
        out.write(f"M 100644 inline {path}\n".encode())
        data(text)
    out.write(b"\n")
    return mark


files = {aid: [f"src/{aid}/mod{m}/file{f:02}.rs" for m in range(5) for f in range(10)] for aid, _, _ in areas}
initial = [("opmodel.toml", '[model]\nversion = 1\nroot = "ops"\n\n[ownership]\nrequired = ["**"]\nignore = ["*.md", "docs/**"]\n\n[approvals]\ntrailers = ["Approved-by"]\n')]
initial += [("ops/people.toml", people_toml()), ("ops/areas.toml", areas_toml()),
            ("ops/decisions.toml", decisions_toml()), ("ops/metrics.toml", metrics_toml({})),
            ("README.md", "# Generated\n")]
for aid, _, _ in areas:
    initial += [(path, source(path, 0)) for path in files[aid]]
tip = commit("refs/heads/main", people[0], "The model at base\n", initial)
out.write(f"reset refs/tags/base\nfrom :{tip}\n\n".encode())

reviewed = {}
made = 0


def one_change(n, ref, parent):
    """A commit of one area's files; returns (mark, changes)."""
    aid, owner, team = areas[rng.randrange(len(areas))]
    roll = rng.random()
    trailer = ""
    if n % 40 == 0:
        i = rng.randrange(20)
        reviewed[i] = reviewed.get(i, 1) + 1
        author = people[(i * 5) % 40]
        changes = [("ops/metrics.toml", metrics_toml(reviewed))]
        message = f"Review metric m{i:02}\n"
        return commit(ref, author, message, changes, parent), changes
    if n % 2000 == 1001:
        changes = [(f"infra/deploy{n}.sh", "deploy\n")]
        return commit(ref, people[5], f"Deploy script {n}\n", changes, parent), changes
    if n % 1000 == 7:
        # An outsider changes area a00, whose owner approves nothing in the whole history: a finding.
        aid, owner, team = areas[0]
        author = people[20]
    elif roll < 0.6 or aid == "a00":
        author = owner
    elif roll < 0.85:
        author = rng.choice(team_members[team])
    else:
        author = people[(int(owner[0][1:]) + 20) % 40]
        trailer = f"\nApproved-by: {owner[1]} <{owner[2]}>\n"
    chosen = rng.sample(files[aid], rng.randint(1, 3))
    changes = [(path, source(path, n)) for path in chosen]
    message = f"Change {aid} #{n}\n\nWhy it changed.\n{trailer}"
    return commit(ref, author, message, changes, parent), changes


n = 0
tagged = set()
while made < commits:
    n += 1
    if n % 100 == 0 and made + 4 <= commits:
        side_tip, side_changes = one_change(n, "refs/heads/side", tip)
        n += 1
        side_tip, more = one_change(n, "refs/heads/side", side_tip)
        side_changes += more
        n += 1
        tip, _ = one_change(n, "refs/heads/main", tip)
        merged = {}
        for path, text in side_changes:
            merged[path] = text
        tip = commit("refs/heads/main", people[0], f"Merge side branch #{n}\n", sorted(merged.items()), tip, side_tip)
        made += 4
    else:
        tip, _ = one_change(n, "refs/heads/main", tip)
        made += 1
    # The scaling table's points: 1/8, 1/4, 1/2 of the history (and HEAD).
    for part in (8, 4, 2):
        if made >= commits // part and part not in tagged:
            out.write(f"reset refs/tags/s{part}\nfrom :{tip}\n\n".encode())
            tagged.add(part)
PY
  git -C "$repo.tmp" fast-import --quiet < "$repo.tmp/stream"
  rm "$repo.tmp/stream"
  git -C "$repo.tmp" branch -D side > /dev/null 2>&1 || true
  git -C "$repo.tmp" reset -q --hard main
  # What a fresh clone or a CI checkout looks like: one pack with deltas computed by git's defaults (window 10,
  # depth 50), and NO commit-graph (`git clone` and `actions/checkout` write none; only `git gc` or
  # `fetch.writeCommitGraph` do). (An aggressive repack, window 250, scatters delta chains across history and slows
  # both git and opmodel; see docs/performance.md.)
  git -C "$repo.tmp" -c gc.writeCommitGraph=false repack -adfq
  rm -f "$repo.tmp/.git/objects/info/commit-graph" "$repo.tmp/.git/objects/info/commit-graphs/"*
  mv "$repo.tmp" "$repo"
}

if [ ! -d "$repo" ]; then
  echo "generating $commits commits in $repo ..."
  generate
fi
# bench/activity.sh reads the same history.
if [ -n "${GENERATE_ONLY:-}" ]; then exit 0; fi

range_commits=$(git -C "$repo" rev-list --count base..HEAD)
echo "repository: $repo ($range_commits commits in base..HEAD, $(git -C "$repo" ls-files | wc -l) files)"
echo "opmodel: $OPMODEL"

cd "$repo"
"$OPMODEL" audit base..HEAD > /dev/null && status=0 || status=$?
echo "opmodel audit base..HEAD exits $status; its summary:"
"$OPMODEL" audit base..HEAD | tail -n 1 || true

[ ! -e .git/objects/info/commit-graph ] || { echo "a commit-graph is present: remove it (fresh clones have none)" >&2; exit 2; }

# The main figure: the whole history, the audit against git log in the same hyperfine run.
hyperfine --warmup 1 --runs "${RUNS:-10}" --export-markdown "$bench_dir/audit-$commits.md" \
  -n "git log --raw --no-renames -r" "git log --raw --no-renames -r base..HEAD > /dev/null" \
  -n "opmodel audit (human)" "$OPMODEL audit base..HEAD > /dev/null || true" \
  -n "opmodel audit --format json" "$OPMODEL audit base..HEAD --format json > /dev/null || true"

# The scaling table: 1x, 2x, 4x, 8x the commits, each against git log over the same range (RUNS pairs, the two
# run in alternation: bench/paired.py; the ratio is the median of the pairs' ratios), and peak memory.
peak() {
  /usr/bin/time -v "$@" 2>&1 > /dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'
}
echo "| range | commits | opmodel audit --format json | git log --raw --no-renames -r | ratio | audit peak | git log peak |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for end in s8 s4 s2 HEAD; do
  n=$(git rev-list --count "base..$end")
  read -r a g ratio _ < <(python3 "$paired" "${RUNS:-10}" \
    "$OPMODEL audit base..$end --format json" "git log --raw --no-renames -r base..$end")
  ratio=$(python3 -c "print(f'{$ratio:.2f}')")
  echo "| base..$end | $n | $(python3 -c "print(f'{$a*1000:.0f} ms')") | $(python3 -c "print(f'{$g*1000:.0f} ms')") | ${ratio}x | $(peak "$OPMODEL" audit "base..$end" --format json) kB | $(peak git log --raw --no-renames -r "base..$end") kB |"
done

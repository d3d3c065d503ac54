#!/usr/bin/env bash
# `opmodel audit` on a real repository's history, against `git log --raw --no-renames -r` over the same commits,
# as a fresh clone or a CI checkout has it (no commit-graph), with each side's peak memory.
#
#   bench/audit-real.sh PATH/TO/REPOSITORY [FIRST_PARENT_COMMITS] [HEAD]   # defaults: 3000, HEAD
#   bench/audit-real.sh PATH/TO/REPOSITORY root                            # the whole history (model at the root)
#
# The repository is only read: it is cloned (`git clone --no-local`) into a temporary folder, removed on exit.
# There, a branch at the base (HEAD's first-parent ancestor FIRST_PARENT_COMMITS back) gets a throwaway model:
# `opmodel init --bare` with `required = ["**"]` and the people, teams and areas `opmodel import codeowners`
# builds from the base's CODEOWNERS (without one, a single area owns everything). The audit judges exactly the
# commits `git log BASE..HEAD` lists (the model commit's only parent is BASE). With `root`, BASE is the root of
# HEAD's first-parent chain: the whole history but that first commit. Needs git, hyperfine, GNU time.
# RUNS (default 10) and WARMUP (1) set hyperfine's runs (RUNS also the pairs of bench/paired.py); PERF=FILE also records `perf record -g` of the audit into FILE.
set -euo pipefail
source_repo=$(cd "${1:?usage: bench/audit-real.sh PATH/TO/REPOSITORY [COMMITS] [HEAD]}" && pwd)
depth=${2:-3000}
head_rev=${3:-HEAD}
cd "$(dirname "$0")/.."
paired="$PWD/bench/paired.py"
if [ -z "${OPMODEL:-}" ]; then
  cargo build --release --quiet --locked
  OPMODEL="$PWD/target/release/opmodel"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q --no-local --no-checkout "$source_repo" "$work/repo"
cd "$work/repo"
rm -f .git/objects/info/commit-graph .git/objects/info/commit-graphs/*
head=$(git rev-parse "$head_rev^{commit}")
if [ "$depth" = root ]; then
  base=$(git rev-list --first-parent "$head" | tail -n 1)
else
  base=$(git rev-list --first-parent "$head" | sed -n "$((depth + 1))p")
fi
[ -n "$base" ] || { echo "$head_rev has fewer than $depth first-parent commits" >&2; exit 2; }
git -c advice.detachedHead=false checkout -q "$base"
git switch -q -c opmodel-audit-base
"$OPMODEL" init --bare > /dev/null
sed -i 's/^required = \[\]/required = ["**"]/' opmodel.toml
if ! "$OPMODEL" import codeowners > /dev/null 2>&1; then
  mkdir -p ops
  printf '[[person]]\nid = "owner"\nname = "Owner"\nemail = "owner@example.com"\n\n[[area]]\nid = "everything"\ntitle = "Everything"\nowner = "owner"\npaths = ["*"]\n' > ops/model.toml
fi
git add -A
git -c user.name=bench -c user.email=bench@example.com commit -q -m "throwaway model at the base"
n=$(git rev-list --count "$base..$head")
echo "$(basename "$source_repo"): $n commits in base..head ($depth first-parent), no commit-graph; opmodel: $OPMODEL; load: $(cut -d' ' -f1-3 /proc/loadavg)"
# The summary comes before the findings: read up to it (the whole document can be hundreds of megabytes).
"$OPMODEL" audit "opmodel-audit-base..$head" --format json \
  | awk '/"summary": \{/ { on = 1 } on { gsub(/^ +/, ""); printf "%s", $0 } on && /\}/ { print ""; exit }' || true
hyperfine -N -i --warmup "${WARMUP:-1}" --runs "${RUNS:-10}" \
  -n "git log --raw --no-renames -r" "git log --raw --no-renames -r $base..$head" \
  -n "opmodel audit --format json" "$OPMODEL audit opmodel-audit-base..$head --format json"
# The same two commands in alternation (bench/paired.py): the ratio pair by pair, on a machine whose speed drifts.
read -r a g ratio low high < <(python3 "$paired" "${RUNS:-10}" \
  "$OPMODEL audit opmodel-audit-base..$head --format json" "git log --raw --no-renames -r $base..$head")
echo "paired, ${RUNS:-10} pairs in alternation: opmodel audit ${a} s, git log ${g} s (medians); ratio ${ratio}x (median of the pairs; ${low}x .. ${high}x)"
peak() {
  /usr/bin/time -v "$@" 2>&1 > /dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'
}
echo "peak memory: opmodel audit $(peak "$OPMODEL" audit "opmodel-audit-base..$head" --format json) kB, git log $(peak git log --raw --no-renames -r "$base..$head") kB"
if [ -n "${PERF:-}" ]; then
  perf record -g -o "$PERF" "$OPMODEL" audit "opmodel-audit-base..$head" --format json > /dev/null 2>&1 || true
fi
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"

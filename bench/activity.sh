#!/usr/bin/env bash
# Benchmark `opmodel activity` on the generated history of bench/audit.sh, against
# `git log --raw --no-renames -r` over the same commits, without a commit-graph (fresh clones and CI checkouts
# have none), and measure its peak memory at two lengths of history. Figures go to docs/performance.md.
#
#   bench/activity.sh [COMMITS]        # default 20000; the history is generated once per size and kept
#
# Needs git, python3, hyperfine and GNU time (/usr/bin/time). BENCH_DIR and OPMODEL as for bench/audit.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

commits="${1:-20000}"
bench_dir="${BENCH_DIR:-$PWD/target/bench-audit}"
source_repo="$bench_dir/history-$commits"
repo="$bench_dir/history-$commits-no-commit-graph"

for tool in git python3 hyperfine /usr/bin/time; do
  command -v "$tool" > /dev/null || { echo "bench/activity.sh needs $tool" >&2; exit 2; }
done

if [ -z "${OPMODEL:-}" ]; then
  cargo build --release --quiet
  OPMODEL="$PWD/target/release/opmodel"
fi

if [ ! -d "$source_repo" ]; then
  GENERATE_ONLY=1 OPMODEL=true BENCH_DIR="$bench_dir" bench/audit.sh "$commits"
fi
if [ ! -d "$repo" ]; then
  cp -r "$source_repo" "$repo.tmp"
  rm -rf "$repo.tmp/.git/objects/info/commit-graph" "$repo.tmp/.git/objects/info/commit-graphs"
  mv "$repo.tmp" "$repo"
fi

cd "$repo"
echo "repository: $repo ($(git rev-list --count base..HEAD) commits in base..HEAD, no commit-graph)"
echo "opmodel: $OPMODEL"
echo "opmodel activity --all base..HEAD, its summary:"
"$OPMODEL" activity --all base..HEAD | tail -n 1

# Every commit (`--all`) against `git log` of the same commits; first parents against `git log --first-parent`,
# which diffs a merge against its first parent as activity does.
hyperfine -N --warmup 1 --runs "${RUNS:-10}" --export-markdown "$bench_dir/activity-$commits.md" \
  -n "git log --raw --no-renames -r" "git log --raw --no-renames -r base..HEAD" \
  -n "opmodel activity --all" "$OPMODEL activity --all base..HEAD --format json" \
  -n "git log --first-parent --raw --no-renames -r" "git log --first-parent --raw --no-renames -r base..HEAD" \
  -n "opmodel activity (first parents)" "$OPMODEL activity base..HEAD --format json"

peak() {
  /usr/bin/time -v "$@" 2>&1 > /dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'
}
if git rev-parse -q --verify c10000 > /dev/null; then
  echo "peak memory, activity --all base..c10000: $(peak "$OPMODEL" activity --all base..c10000 --format json) kB"
fi
echo "peak memory, activity --all base..HEAD: $(peak "$OPMODEL" activity --all base..HEAD --format json) kB"
echo "peak memory of git log, base..HEAD: $(peak git log --raw --no-renames -r base..HEAD) kB"

#!/usr/bin/env bash
# The benchmark of `opmodel diff` and `opmodel check --rev` behind docs/performance.md (issue 4, point 8): a
# generated model of 10,000 entities in 200 files, committed in a temporary repository, then ~2% of its entities
# edited (a description added to every 50th entity, the owner changed on every 100th, one file moved) and
# committed again. Timed with hyperfine:
#
#   - `opmodel diff HEAD~1 HEAD`                  target: median < 2 s
#   - `opmodel check --rev HEAD` vs `opmodel check` on the same files: target: median ratio <= 1.5
#
#   bench/diff.sh                   # 20 timed runs each
#   RUNS=50 bench/diff.sh
#   ENTITIES=50000 FILES=1000 bench/diff.sh
#
# It writes nothing into the repository except the build in target/: the repository and the raw measurements
# go to a temporary folder, removed on exit. It exits 1 if a median misses its target.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-20}
ENTITIES=${ENTITIES:-10000}
FILES=${FILES:-200}
AS_OF=2026-11-20

if ! command -v hyperfine > /dev/null; then
  echo "hyperfine is missing: install it with 'apt-get install -y hyperfine' (Debian/Ubuntu) or 'cargo install hyperfine'" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== build"
cargo build --release --locked --bin opmodel --example generate
target_dir=${CARGO_TARGET_DIR:-target}
opmodel="$(cd "$target_dir/release" && pwd)/opmodel"
repo="$work/repo"
"$target_dir/release/examples/generate" "$repo" "$ENTITIES" "$FILES"

echo "== repository"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
export GIT_AUTHOR_DATE=2026-01-01T12:00:00+00:00 GIT_COMMITTER_DATE=2026-01-01T12:00:00+00:00
git_() { git -C "$repo" -c init.defaultBranch=main -c commit.gpgsign=false "$@"; }
git_ init -q
git_ add -A
git_ commit -q -m "The generated model"
for file in "$repo"/ops/*.toml; do
  awk '
    /^\[\[/ { n++; print; if (n % 50 == 0) print "description = \"Edited for the benchmark\""; next }
    /^owner = / && n % 100 == 25 { print "owner = \"p1\""; next }
    { print }
  ' "$file" > "$file.edited"
  mv "$file.edited" "$file"
done
mkdir -p "$repo/ops/moved"
git_ mv ops/part-000.toml ops/moved/part-000.toml
export GIT_AUTHOR_DATE=2026-01-02T12:00:00+00:00 GIT_COMMITTER_DATE=2026-01-02T12:00:00+00:00
git_ add -A
git_ commit -q -m "Edit about 2% of the entities"
"$opmodel" diff -C "$repo" HEAD~1 HEAD | tail -n 1

echo "== machine"
echo "cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "== wall time (hyperfine, $RUNS runs after 3 warm-ups)"
hyperfine -N --warmup 3 --runs "$RUNS" --style basic --export-csv "$work/diff.csv" \
  --command-name "diff HEAD~1 HEAD" "$opmodel diff -C $repo HEAD~1 HEAD"
# `check` exits 1 when the model has error-level findings; the timing is what matters here.
hyperfine -N -i --warmup 3 --runs "$RUNS" --style basic --export-csv "$work/check.csv" \
  --command-name "check --rev HEAD" "$opmodel check -C $repo --as-of $AS_OF --rev HEAD" \
  --command-name "check (working tree)" "$opmodel check -C $repo --as-of $AS_OF"

echo
echo "== summary"
# hyperfine's CSV: command,mean,stddev,median,user,system,min,max (seconds).
med() { awk -F, -v row="$2" 'NR == row + 1 { printf "%.1f", $4 * 1000 }' "$1"; }
diff_ms=$(med "$work/diff.csv" 1)
rev_ms=$(med "$work/check.csv" 1)
tree_ms=$(med "$work/check.csv" 2)
ratio=$(awk -v a="$rev_ms" -v b="$tree_ms" 'BEGIN { printf "%.2f", a / b }')
status=0
verdict() { if [ "$1" = 1 ]; then echo met; else status=1; echo MISSED; fi; }
printf '%-44s %10s   %s\n' measurement median target
printf '%-44s %7s ms   < 2000 ms: %s\n' "diff HEAD~1 HEAD ($ENTITIES entities)" "$diff_ms" \
  "$(verdict "$(awk -v m="$diff_ms" 'BEGIN { print (m < 2000) ? 1 : 0 }')")"
printf '%-44s %7s ms\n' "check (working tree)" "$tree_ms"
printf '%-44s %7s ms   <= 1.5x check: %sx, %s\n' "check --rev HEAD" "$rev_ms" "$ratio" \
  "$(verdict "$(awk -v r="$ratio" 'BEGIN { print (r <= 1.5) ? 1 : 0 }')")"
exit "$status"

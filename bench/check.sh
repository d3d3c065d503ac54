#!/usr/bin/env bash
# The benchmark of `opmodel check` behind docs/performance.md (issue 2, point 11): the bundled example, and a
# generated model of 10,000 entities in 200 files, in a plain folder and committed in a git repository (as a
# pre-commit hook sees it: the ownership rules run on the tracked files). Wall time with hyperfine, peak memory
# with GNU time.
#
#   bench/check.sh            # 30 timed runs and 10 memory runs per model
#   RUNS=100 MEM_RUNS=20 bench/check.sh
#   ENTITIES=50000 FILES=1000 bench/check.sh
#
# It writes nothing into the repository except the build in target/: the generated model and the raw
# measurements go to a temporary folder, removed on exit. It exits 1 if a median misses its target.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-30}
MEM_RUNS=${MEM_RUNS:-10}
ENTITIES=${ENTITIES:-10000}
FILES=${FILES:-200}
AS_OF=2026-11-20

missing=0
if ! command -v hyperfine > /dev/null; then
  echo "hyperfine is missing: install it with 'apt-get install -y hyperfine' (Debian/Ubuntu) or 'cargo install hyperfine'" >&2
  missing=1
fi
if [ ! -x /usr/bin/time ] || ! /usr/bin/time -f %M true > /dev/null 2>&1; then
  echo "GNU time (/usr/bin/time) is missing: install it with 'apt-get install -y time' (Debian/Ubuntu)" >&2
  missing=1
fi
[ "$missing" = 0 ] || exit 2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== build"
cargo build --release --locked --bin opmodel --example generate
target_dir=${CARGO_TARGET_DIR:-target}
opmodel="$target_dir/release/opmodel"
"$target_dir/release/examples/generate" "$work/generated" "$ENTITIES" "$FILES"
names=(example generated)
dirs=(fixtures/example "$work/generated")
targets_ms=(50 1000)
targets_mb=("" 100)
if command -v git > /dev/null; then
  cp -R "$work/generated" "$work/repository"
  git -C "$work/repository" -c init.defaultBranch=main init --quiet
  git -C "$work/repository" add .
  git -C "$work/repository" -c user.name=bench -c user.email=bench@example.com -c commit.gpgsign=false \
    commit --quiet -m "generated model"
  names+=(repository)
  dirs+=("$work/repository")
  targets_ms+=(1000)
  targets_mb+=(100)
else
  echo "git is missing: the generated model is not measured in a repository (apt-get install -y git)" >&2
fi

echo "== machine"
echo "cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "== wall time (hyperfine, $RUNS runs after 3 warm-ups)"
for i in "${!names[@]}"; do
  # The models are clean: a benchmark of a model full of findings would time the report, not the check.
  summary=$("$opmodel" check -C "${dirs[$i]}" --as-of "$AS_OF" --color never | tail -n 1)
  case $summary in
    "no problems in "*) echo "${names[$i]}: $summary" ;;
    *) echo "${names[$i]}: expected no findings, got: $summary" >&2; exit 2 ;;
  esac
  hyperfine -N --warmup 3 --runs "$RUNS" --style basic --export-csv "$work/${names[$i]}.csv" \
    --command-name "check ${names[$i]}" "$opmodel check -C ${dirs[$i]} --as-of $AS_OF"
done

echo
echo "== peak memory (/usr/bin/time, $MEM_RUNS runs)"
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for i in "${!names[@]}"; do
  for _ in $(seq "$MEM_RUNS"); do
    /usr/bin/time -f %M -o "$work/time.out" "$opmodel" check -C "${dirs[$i]}" --as-of "$AS_OF" > /dev/null
    tail -n 1 "$work/time.out"
  done > "$work/${names[$i]}.rss"
done

echo
echo "== summary (median of the runs; peak RSS in MB of 10^6 bytes; CPU = user + system, mean)"
printf '%-32s %10s %20s %10s %10s   %s\n' model "wall" "range" "CPU" "peak RSS" "target"
status=0
for i in "${!names[@]}"; do
  # hyperfine's CSV: command,mean,stddev,median,user,system,min,max (seconds).
  read -r med min max cpu < <(awk -F, 'NR == 2 { printf "%.1f %.1f %.1f %.1f\n", $4 * 1000, $7 * 1000, $8 * 1000, ($5 + $6) * 1000 }' "$work/${names[$i]}.csv")
  rss_mb=$(median < "$work/${names[$i]}.rss" | awk '{ printf "%.1f", $1 * 1024 / 1e6 }')
  verdict="< ${targets_ms[$i]} ms"
  met=$(awk -v m="$med" -v t="${targets_ms[$i]}" 'BEGIN { print (m < t) ? 1 : 0 }')
  if [ -n "${targets_mb[$i]}" ]; then
    verdict="$verdict, < ${targets_mb[$i]} MB"
    met=$(awk -v ok="$met" -v r="$rss_mb" -v t="${targets_mb[$i]}" 'BEGIN { print (ok && r < t) ? 1 : 0 }')
  fi
  if [ "$met" = 1 ]; then verdict="$verdict: met"; else verdict="$verdict: MISSED"; status=1; fi
  case ${names[$i]} in
    example) label="example (100 entities)" ;;
    generated) label="generated ($ENTITIES entities)" ;;
    repository) label="generated, in a git repository" ;;
  esac
  printf '%-32s %7s ms %20s %7s ms %7s MB   %s\n' "$label" "$med" "$min - $max ms" "$cpu" "$rss_mb" "$verdict"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"

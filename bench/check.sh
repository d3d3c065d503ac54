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
# The peer is `taplo lint` (taplo 0.9, the TOML toolkit editors use) with the same two JSON Schemas, timed in the
# same run: each row gives opmodel's median over taplo's. Install the native taplo with `pip install taplo` (the
# PyPI wheel ships the binary); the npm package `@taplo/cli` is a WebAssembly build about 100x slower (58 s on
# the generated model), no fair peer. Without taplo the ratios are left out. TAPLO=PATH names the binary.
#
#   SCALES="1 2 4 8" bench/check.sh   # also the scaling table: ENTITIES x 1, 2, 4, 8 (FILES likewise)
#
# It writes nothing into the repository except the build in target/: the generated model and the raw
# measurements go to a temporary folder, removed on exit. It exits 1 if a median misses its target.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-30}
MEM_RUNS=${MEM_RUNS:-10}
ENTITIES=${ENTITIES:-10000}
FILES=${FILES:-200}
SCALES=${SCALES:-}
AS_OF=2026-11-20
TAPLO=${TAPLO:-$(command -v taplo || true)}

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
if [ -z "$TAPLO" ]; then
  echo "taplo is missing: no ratio to taplo (install the native binary with 'pip install taplo')" >&2
fi

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

# taplo_lint DIR: the command that lints DIR's manifest and model files with the same schemas (the config, with
# absolute paths, is written beside the measurements, never into DIR).
taplo_lint() {
  local config="$work/taplo-$(basename "$1").toml"
  printf '[[rule]]\ninclude = ["%s/opmodel.toml"]\n[rule.schema]\npath = "%s/schema/manifest.schema.json"\n\n[[rule]]\ninclude = ["%s/ops/**/*.toml"]\n[rule.schema]\npath = "%s/schema/model.schema.json"\n' \
    "$1" "$PWD" "$1" "$PWD" > "$config"
  echo "$TAPLO lint --config $config $1/opmodel.toml $(find "$1/ops" -name '*.toml' | sort | tr '\n' ' ')"
}
declare -A taplo_ms=() taplo_mb=()
if [ -n "$TAPLO" ]; then
  echo
  echo "== taplo lint, the same files and schemas ($RUNS runs)"
  for i in "${!names[@]}"; do
    [ "${names[$i]}" != repository ] || continue
    lint=$(taplo_lint "$(cd "${dirs[$i]}" && pwd)")
    $lint > /dev/null 2>&1 || { echo "taplo lint reports problems in ${names[$i]}" >&2; exit 2; }
    hyperfine -N --warmup 3 --runs "$RUNS" --style basic --export-csv "$work/taplo-${names[$i]}.csv" \
      --command-name "taplo ${names[$i]}" "$lint"
    taplo_ms[${names[$i]}]=$(awk -F, 'NR == 2 { printf "%.1f", $4 * 1000 }' "$work/taplo-${names[$i]}.csv")
    for _ in $(seq "$MEM_RUNS"); do
      /usr/bin/time -f %M -o "$work/time.out" $lint > /dev/null 2>&1
      tail -n 1 "$work/time.out"
    done > "$work/taplo-${names[$i]}.rss"
  done
fi

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
echo "== summary (median of the runs; peak RSS in MB of 10^6 bytes; CPU = user + system, mean; x taplo = opmodel / taplo)"
printf '%-32s %10s %20s %10s %10s %9s %10s   %s\n' model "wall" "range" "CPU" "peak RSS" "x taplo" "taplo RSS" "target"
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
  ratio=-; taplo_rss=-
  if [ -n "${taplo_ms[${names[$i]}]:-}" ]; then
    ratio=$(awk -v m="$med" -v t="${taplo_ms[${names[$i]}]}" 'BEGIN { printf "%.2fx", m / t }')
    taplo_rss="$(median < "$work/taplo-${names[$i]}.rss" | awk '{ printf "%.1f", $1 * 1024 / 1e6 }') MB"
  fi
  printf '%-32s %7s ms %20s %7s ms %7s MB %9s %10s   %s\n' "$label" "$med" "$min - $max ms" "$cpu" "$rss_mb" "$ratio" "$taplo_rss" "$verdict"
done

if [ -n "$SCALES" ]; then
  echo
  echo "== scaling: the generated model at $SCALES x ($ENTITIES entities in $FILES files), opmodel and taplo in one run"
  printf '%-6s %9s %6s %12s %8s %12s %8s %9s %12s %12s\n' scale entities files opmodel ratio taplo ratio "x taplo" "opmodel RSS" "taplo RSS"
  first=""; first_taplo=""
  for scale in $SCALES; do
    dir="$work/scale-$scale"
    "$target_dir/release/examples/generate" "$dir" $((ENTITIES * scale)) $((FILES * scale)) > /dev/null 2>&1
    check="$opmodel check -C $dir --as-of $AS_OF"
    commands=("$check")
    [ -z "$TAPLO" ] || commands+=("$(taplo_lint "$dir")")
    hyperfine -N --warmup 1 --runs "$RUNS" --style basic --export-csv "$work/scale-$scale.csv" "${commands[@]}" > /dev/null
    read -r med med_taplo < <(awk -F, 'NR == 2 { m = $4 } NR == 3 { t = $4 } END { printf "%.1f %s\n", m * 1000, t == "" ? "-" : sprintf("%.1f", t * 1000) }' "$work/scale-$scale.csv")
    rss=$(/usr/bin/time -f %M $check 2>&1 > /dev/null | tail -n 1 | awk '{ printf "%.1f MB", $1 * 1024 / 1e6 }')
    rss_taplo=-; ratio_taplo=-; x=-
    if [ -n "$TAPLO" ]; then
      rss_taplo=$(/usr/bin/time -f %M ${commands[1]} 2>&1 > /dev/null | tail -n 1 | awk '{ printf "%.1f MB", $1 * 1024 / 1e6 }')
      [ -n "$first_taplo" ] || first_taplo=$med_taplo
      ratio_taplo=$(awk -v m="$med_taplo" -v f="$first_taplo" 'BEGIN { printf "%.2f", m / f }')
      x=$(awk -v m="$med" -v t="$med_taplo" 'BEGIN { printf "%.2fx", m / t }')
    fi
    [ -n "$first" ] || first=$med
    ratio=$(awk -v m="$med" -v f="$first" 'BEGIN { printf "%.2f", m / f }')
    printf '%-6s %9s %6s %9s ms %8s %9s ms %8s %9s %12s %12s\n' "${scale}x" $((ENTITIES * scale)) $((FILES * scale)) \
      "$med" "$ratio" "$med_taplo" "$ratio_taplo" "$x" "$rss" "$rss_taplo"
    rm -rf "$dir"
  done
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"

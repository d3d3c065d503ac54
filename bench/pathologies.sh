#!/usr/bin/env bash
# The former pathologies of issue 12 behind docs/performance.md: inputs on which `opmodel check` once grew with
# the square of the input. Each case is generated here (awk and git only) at 1x, 2x, 4x and 8x, checked for its
# expected report, then timed with hyperfine; the table shows each median and its ratio to the 1x median, which
# grows like the input (2, 4, 8) when the cost is linear.
#
#   - escalation: a manager chain of 12,500 .. 100,000 people whose last three report to each other in a loop
#     (one `escalation-cycle` finding).                                    target at 8x: median <= 0.5 s
#   - ownership: 625 areas x 12,500 tracked files .. 5,000 areas x 100,000 files, each area `/src/area-N/`
#     owning its 20 files, in a git index (one `unowned-path` finding).   target at 8x: median <= 2 s
#   - syntax: one unclosed `[` followed by small tables, 128 KiB .. 1 MiB (the model file limit), human report
#     (one `toml-syntax` finding).                                        target at 8x: median <= 0.2 s
#   - owners: `opmodel owners` asked for 2,501 .. 20,001 paths (4 in each area, one unowned) against 625 .. 5,000
#     areas (the ownership case's model; the paths passed by xargs).      no target: linear
#   - files: 6,250 .. 50,000 model files of one person each (a model file may be the same file as another, through
#     a link: that check once compared every path with every other).  target at 8x: median <= 1.5 s
#   - headers: the table header `[x]` written 5,000 .. 40,000 times (each repeat a `toml-syntax` finding; each
#     once looked for an earlier `[[x]]` by reading every line above it).  no target: linear
#   - bare: 5,000 .. 40,000 lines `key-N = ana` and no header (each a `toml-syntax` finding; each once looked for
#     the header above it by reading every line above it).               no target: linear
#
#   bench/pathologies.sh                 # 10 timed runs per case and size
#   RUNS=30 bench/pathologies.sh
#   CASES="syntax escalation" bench/pathologies.sh
#
# The ownership case has a peer, timed in the same hyperfine run: `git ls-files` over the same index. Reading the
# index and going through every tracked path is the part of the work no indexing can avoid (opmodel then matches
# each path against the areas' patterns), so the ratio to it says what the matching costs on top. (A peer that
# matches patterns, `git check-ignore --stdin` with the areas as a .gitignore, tries every pattern on every path:
# quadratic, it would flatter opmodel.) The other cases have no tool that does the same work.
#
# It writes nothing into the repository except the build in target/: the inputs and the raw measurements go to
# a temporary folder, removed on exit. It exits 1 if a target is missed.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-10}
CASES=${CASES:-escalation files ownership owners syntax headers bare}
AS_OF=2026-11-20

missing=0
for tool in hyperfine git awk xargs; do
  if ! command -v "$tool" > /dev/null; then
    echo "$tool is missing: install it with 'apt-get install -y $tool' (Debian/Ubuntu)" >&2
    missing=1
  fi
done
[ "$missing" = 0 ] || exit 2

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1

echo "== build"
cargo build --release --locked --bin opmodel
target_dir=${CARGO_TARGET_DIR:-target}
opmodel="$(cd "$target_dir/release" && pwd)/opmodel"

# A project folder: a `.git` repository and the manifest ($2: extra manifest text).
project() {
  mkdir -p "$1/ops"
  git -C "$1" -c init.defaultBranch=main init --quiet
  printf '[model]\nversion = 1\nroot = "ops"\n%b' "${2:-}" > "$1/opmodel.toml"
}

# escalation DIR PEOPLE: p0 reports to p1, ..., and the last three report to each other; 5,000 people a file.
gen_escalation() {
  project "$1"
  awk -v n="$2" -v dir="$1/ops" 'BEGIN {
    for (i = 0; i < n; i++) {
      file = sprintf("%s/people-%03d.toml", dir, int(i / 5000))
      m = (i == n - 1) ? n - 3 : i + 1
      printf "[[person]]\nid = \"p%d\"\nname = \"Person %d\"\nemail = \"p%d@example.com\"\nmanager = \"p%d\"\n\n", i, i, i, m > file
    }
  }'
}

# ownership DIR AREAS: areas `/src/area-N/`, 20 tracked files each and one that no area owns, in the index.
gen_ownership() {
  project "$1" '\n[ownership]\nrequired = ["/src/"]\n'
  awk -v n="$2" 'BEGIN {
    printf "[[person]]\nid = \"ana\"\nname = \"Ana Lopez\"\nemail = \"ana@example.com\"\n\n"
    for (a = 0; a < n; a++) printf "[[area]]\nid = \"area-%d\"\ntitle = \"Area %d\"\nowner = \"ana\"\npaths = [\"/src/area-%d/\"]\n\n", a, a, a
  }' > "$1/ops/areas.toml"
  blob=$(echo x | git -C "$1" hash-object -w --stdin)
  awk -v n="$2" -v blob="$blob" 'BEGIN {
    for (a = 0; a < n; a++) for (f = 0; f < 20; f++) printf "100644 %s\tsrc/area-%d/file-%d.rs\n", blob, a, f
    printf "100644 %s\tsrc/orphan.rs\n", blob
  }' | git -C "$1" update-index --add --index-info
}

# syntax DIR KIB: a person whose `tags` list is never closed, then small tables up to KIB kibibytes.
gen_syntax() {
  project "$1"
  awk -v limit="$(($2 * 1024 - 64))" 'BEGIN {
    text = "[[person]]\nid = \"ana\"\nname = \"Ana Lopez\"\nemail = \"ana@example.com\"\ntags = [\"x\"\n\n"
    printf "%s", text; size = length(text)
    for (i = 0; ; i++) {
      table = sprintf("[table-%d]\nkey = %d\nother = \"value %d\"\n\n", i, i, i)
      if (size + length(table) > limit) break
      printf "%s", table; size += length(table)
    }
  }' > "$1/ops/broken.toml"
}

# owners DIR AREAS: the ownership case's model and index, and the paths to ask about (4 per area, one unowned).
gen_owners() {
  gen_ownership "$1" "$2"
  awk -v n="$2" 'BEGIN { for (a = 0; a < n; a++) for (f = 0; f < 4; f++) printf "src/area-%d/file-%d.rs\n", a, f * 5; print "src/orphan.rs" }' > "$1.paths"
}

# files DIR N: N model files in 50 folders, a person each.
gen_files() {
  project "$1"
  awk -v n="$2" -v dir="$1/ops" 'BEGIN {
    for (d = 0; d < 50; d++) system("mkdir -p " dir "/team-" d)
    for (i = 0; i < n; i++) {
      file = sprintf("%s/team-%d/p%d.toml", dir, i % 50, i)
      printf "[[person]]\nid = \"p%d\"\nname = \"Person %d\"\nemail = \"p%d@example.com\"\n", i, i, i > file
      close(file)
    }
  }'
}

# headers DIR N: `[x]` N times.
gen_headers() {
  project "$1"
  awk -v n="$2" 'BEGIN { for (i = 0; i < n; i++) print "[x]" }' > "$1/ops/broken.toml"
}

# bare DIR N: N lines `key-I = ana` (a bare word where text belongs) and no header above them.
gen_bare() {
  project "$1"
  awk -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "key-%d = ana\n", i }' > "$1/ops/broken.toml"
}

declare -A base=([escalation]=12500 [files]=6250 [ownership]=625 [owners]=625 [syntax]=128 [headers]=5000 [bare]=5000)
declare -A unit=([escalation]="people" [files]="files" [ownership]="areas (x20 files)" [owners]="areas (x4 paths)" [syntax]="KiB" [headers]="lines" [bare]="lines")
declare -A expect=([escalation]="1 error in 3 files" [ownership]="1 error in 1 file" [syntax]="1 error in 1 file")
declare -A target_ms=([escalation]=500 [files]=1500 [ownership]=2000 [syntax]=200)

echo "== machine"
echo "cpus: $(nproc), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

status=0
rows=()
for case in $CASES; do
  first=""
  for scale in 1 2 4 8; do
    size=$((base[$case] * scale))
    dir="$work/$case-$scale"
    "gen_$case" "$dir" "$size"
    command=("$opmodel" check -C "$dir" --as-of "$AS_OF" --color never)
    if [ "$case" = owners ]; then
      command=(xargs -x -s 1000000 -a "$dir.paths" "$opmodel" owners -C "$dir" --color never)
    fi
    summary=$("${command[@]}" | tail -n 1 || true)
    # The chain's people are spread over files of 5,000: the summary names their count.
    case $case in
      escalation) want="1 error in $(((size + 4999) / 5000)) files" ;;
      files) want="no problems in $size files ($size entities)" ;;
      headers) want="$((size - 1)) errors in 1 file" ;;
      bare) want="$size errors in 1 file" ;;
      owners) want="  UNOWNED: [ownership].required \"/src/\"" ;;
      *) want=${expect[$case]} ;;
    esac
    case $summary in
      "$want"*) ;;
      *) echo "$case ${size}: expected '$want ...', got: $summary" >&2; exit 2 ;;
    esac
    # Exit code 1 (the finding) is expected: -i lets hyperfine time it.
    peer=()
    [ "$case" != ownership ] || peer=(--command-name "git ls-files $scale"x "git -C $dir ls-files")
    timed="$opmodel check -C $dir --as-of $AS_OF --color never"
    # 20,000 paths are too long for one argument of hyperfine: xargs passes them, in one run of opmodel (-x -s:
    # xargs fails rather than split them over several runs).
    [ "$case" != owners ] || timed="xargs -x -s 1000000 -a $dir.paths $opmodel owners -C $dir --color never"
    hyperfine -N -i --warmup 1 --runs "$RUNS" --style basic --export-csv "$work/$case-$scale.csv" \
      --command-name "$case $scale"x "$timed" "${peer[@]}" > /dev/null
    median=$(awk -F, 'NR == 2 { printf "%.1f", $4 * 1000 }' "$work/$case-$scale.csv")
    peer_x=$(awk -F, -v m="$median" 'NR == 3 { printf "%.2fx of %.1f ms", m / ($4 * 1000), $4 * 1000 }' "$work/$case-$scale.csv")
    [ -n "$first" ] || first=$median
    ratio=$(awk -v m="$median" -v f="$first" 'BEGIN { printf "%.2f", m / f }')
    verdict=""
    if [ "$scale" = 8 ] && [ -n "${target_ms[$case]:-}" ]; then
      if awk -v m="$median" -v t="${target_ms[$case]}" 'BEGIN { exit !(m <= t) }'; then
        verdict="<= ${target_ms[$case]} ms: met"
      else
        verdict="<= ${target_ms[$case]} ms: MISSED"; status=1
      fi
    fi
    rows+=("$(printf '%-11s %3sx %8s %-18s %10s ms %8s %22s   %s' "$case" "$scale" "$size" "${unit[$case]}" "$median" "$ratio" "${peer_x:--}" "$verdict")")
    echo "${rows[-1]}"
  done
done

echo
echo "== summary (median of $RUNS runs; ratio to the 1x median)"
printf '%-11s %4s %8s %-18s %13s %8s %22s   %s\n' case scale size unit median ratio "x peer (git ls-files)" target
printf '%s\n' "${rows[@]}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit "$status"

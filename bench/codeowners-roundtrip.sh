#!/usr/bin/env bash
# The CODEOWNERS round trip of issue 13 on any real repository: for its CODEOWNERS file F and its tracked paths,
# `opmodel import codeowners` then `opmodel codeowners` gives a file G such that every tracked path has the same
# code owners under F and G (GitHub's semantics: the last matching line decides; owners compared as sets,
# case-insensitively).
#
#   bench/codeowners-roundtrip.sh PATH/TO/REPOSITORY [REV]   # default REV: HEAD; a bare clone works too
#
# The repository is only read (the paths and the CODEOWNERS file of REV's tree, where GitHub looks for it). A copy
# of its file list (empty files) and of F is built in a temporary folder, removed on exit; there it runs import, writes G, and checks F and G against
# the model with `opmodel codeowners --check`, which compares effect path by path and lists any path that differs.
# It prints the counts and `check`'s findings by rule (the owners left to choose, dead lines), and exits 1 when the
# round trip does not hold.
set -euo pipefail
repo=${1:?usage: bench/codeowners-roundtrip.sh PATH/TO/REPOSITORY}
cd "$(dirname "$0")/.."
rev=${2:-HEAD}
cargo build --quiet --locked
opmodel=$PWD/target/debug/opmodel

f=""
for candidate in .github/CODEOWNERS CODEOWNERS docs/CODEOWNERS; do
  if git -C "$repo" cat-file -e "$rev:$candidate" 2> /dev/null; then f=$candidate; break; fi
done
[ -n "$f" ] || { echo "no CODEOWNERS file in $repo (looked where GitHub looks)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q
# The tracked paths, as empty files (paths are NUL-separated: any name survives).
git -C "$repo" ls-tree -r -z --name-only "$rev" | while IFS= read -r -d '' path; do
  mkdir -p "./$(dirname -- "$path")"
  : > "./$path"
done
mkdir -p "$(dirname "$f")"
git -C "$repo" show "$rev:$f" > "$f"
git add -A
git -c user.name=bench -c user.email=bench@example.com commit -q -m "tracked paths of $repo"

"$opmodel" init --bare > /dev/null
"$opmodel" import codeowners
git add -A
git -c user.name=bench -c user.email=bench@example.com commit -q -m "imported model"
"$opmodel" codeowners --write G.CODEOWNERS 2> notes.txt
echo "$(wc -l < "$f") lines in F, $(wc -l < G.CODEOWNERS) in G, $(git ls-files | wc -l) tracked paths, $(wc -l < notes.txt) notes"
echo "findings of opmodel check on the imported model, by rule:"
"$opmodel" check --format json | grep -o '"rule": "[^"]*"' | sort | uniq -c || true

status=0
for file in "$f" G.CODEOWNERS; do
  if ! "$opmodel" codeowners --check "$file"; then status=1; fi
done
if [ "$status" = 0 ]; then echo "round trip holds: F and G give every tracked path the same owners"; fi
exit "$status"

#!/usr/bin/env bash
# Wall time of the whole test suite (go test -count=1 ./...), warm build
# cache, against a baseline revision, alternating (baseline, this tree,
# baseline, ...) so that drift in the machine's speed hits both. Then, in
# this tree: go test -count=1 -run '^$' ./... (build and link every test
# binary, run no test), as a share of the rounds' median; and a plain
# go test ./... run twice: the second run, with nothing changed, is what
# the go command's test cache makes of a warm run.
#
# Usage: bench/tests.sh BASELINE_REV [ROUNDS]   (default 3 rounds)
# Prints each round's wall and CPU (user + system, the go command and
# every process it starts) seconds and the medians of the per-round ratios
# (this tree / baseline). CPU time is less sensitive than wall time to
# other work sharing the machine. The baseline is extracted with git
# archive beside ../shared, so tests that need Kazoo's schemas run in both.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: bench/tests.sh BASELINE_REV [ROUNDS]}
rounds=${2:-3}
work=$(mktemp -d "$(cd .. && pwd)/kzgen-bench-tests.XXXXXX")
trap 'rm -rf "$work"' EXIT
git archive "$base" | tar -x -C "$work"

seconds() { # dir [go test flags]: "wall cpu" seconds of one go test ./... there, its output in $work/last.out
  local TIMEFORMAT='%R %U %S' t dir=$1
  shift
  t=$( { time (cd "$dir" && go test "$@" ./... >"$work/last.out" 2>&1); } 2>&1 ) || echo "go test failed in $dir" >&2
  set -- $t
  echo "$1 $(echo "$2 + $3" | bc -l)"
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Warm-up: build both trees' test binaries once.
seconds "$work" -count=1 >/dev/null
seconds . -count=1 >/dev/null
walls=() cpus=() this_walls=() this_cpus=()
for ((i = 1; i <= rounds; i++)); do
  read -r bw bc < <(seconds "$work" -count=1)
  read -r aw ac < <(seconds . -count=1)
  this_walls+=("$aw") this_cpus+=("$ac")
  walls+=("$(echo "$aw / $bw" | bc -l)")
  cpus+=("$(echo "$ac / $bc" | bc -l)")
  printf 'round %d: baseline %.1f s wall %.1f s CPU, this tree %.1f s wall %.1f s CPU, ratios %.3f wall %.3f CPU\n' \
    "$i" "$bw" "$bc" "$aw" "$ac" "${walls[-1]}" "${cpus[-1]}"
done
printf 'median ratio (this tree / %s): %.3f wall, %.3f CPU\n' "$base" \
  "$(printf '%s\n' "${walls[@]}" | median)" "$(printf '%s\n' "${cpus[@]}" | median)"
read -r lw lc < <(seconds . -count=1 -run '^$')
mw=$(printf '%s\n' "${this_walls[@]}" | median) mc=$(printf '%s\n' "${this_cpus[@]}" | median)
printf 'this tree, building and linking the test binaries only: %.1f s wall %.1f s CPU, %.2f and %.2f of its median suite (%.1f s, %.1f s)\n' \
  "$lw" "$lc" "$(echo "$lw / $mw" | bc -l)" "$(echo "$lc / $mc" | bc -l)" "$mw" "$mc"
go test ./... >/dev/null 2>&1 || true
read -r cw cc < <(seconds .)
cached=$(grep -c '(cached)' "$work/last.out" || true)
tested=$(grep -cE '^(ok|FAIL)' "$work/last.out" || true)
printf 'this tree, go test ./... again with nothing changed (test cache): %.1f s wall %.1f s CPU, %s of %s packages cached\n' \
  "$cw" "$cc" "$cached" "$tested"

#!/usr/bin/env bash
# Wall time of the whole test suite (go test -count=1 ./...), warm build
# cache, against a baseline revision, alternating (baseline, this tree,
# baseline, ...) so that drift in the machine's speed hits both.
#
# Usage: bench/tests.sh BASELINE_REV [ROUNDS]   (default 3 rounds)
# Prints each round's seconds and the median of the per-round ratios
# (this tree / baseline). The baseline is extracted with git archive
# beside ../shared, so tests that need Kazoo's schemas run in both.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: bench/tests.sh BASELINE_REV [ROUNDS]}
rounds=${2:-3}
work=$(mktemp -d "$(cd .. && pwd)/kzgen-bench-tests.XXXXXX")
trap 'rm -rf "$work"' EXIT
git archive "$base" | tar -x -C "$work"

seconds() { # dir: wall seconds of one go test run there
  local start end
  start=$(date +%s.%N)
  (cd "$1" && go test -count=1 ./... >/dev/null 2>&1) || echo "go test failed in $1" >&2
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
# Warm-up: build both trees' test binaries once.
seconds "$work" >/dev/null
seconds . >/dev/null
ratios=()
for ((i = 1; i <= rounds; i++)); do
  b=$(seconds "$work")
  a=$(seconds .)
  r=$(echo "$a / $b" | bc -l)
  ratios+=("$r")
  printf 'round %d: baseline %.1f s, this tree %.1f s, ratio %.3f\n' "$i" "$b" "$a" "$r"
done
printf 'median ratio (this tree / %s): %.3f\n' "$base" \
  "$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"

#!/usr/bin/env bash
# Times the whole `kzgen gen` process on the callflow schemas side by side
# with github.com/atombender/go-jsonschema, the best-known Go generator for
# JSON Schema, on the same files, in one run. Runs alternate (kzgen, peer,
# kzgen, peer, ...) so drift in machine speed hits both; medians and their
# ratio are printed.
#
# Usage: bench/peer.sh [RUNS]     (default 21)
# Needs the Go toolchain; installs the peer from the Go module proxy into a
# temporary directory (nothing is added to this repository).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
peer_version=${PEER_VERSION:-v0.24.1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/kzgen" ./cmd/kzgen
GOBIN="$work" go install "github.com/atombender/go-jsonschema@$peer_version"

# The peer reads files, so give both the same directory: our embedded set.
cp schemas/*.json "$work/"
mkdir -p "$work/out-kzgen" "$work/out-peer"
files=$(cd "$work" && ls callflows*.json)

# Two situations: regenerating over the previous output (what go generate
# does all day; kzgen leaves unchanged files alone), and generating into a
# directory that does not exist yet.
fresh=0
kzgen_cmd() {
  local out="$work/out-kzgen"
  if [ "$mode" = fresh ]; then fresh=$((fresh + 1)); out="$work/fresh-kzgen-$fresh"; fi
  "$work/kzgen" gen -schemas "$work" -match 'callflows*' -out "$out" -pkg callflow >/dev/null
}
peer_cmd() {
  local out=out-peer/callflow.go
  if [ "$mode" = fresh ]; then out="out-peer/fresh-$fresh.go"; fi
  (cd "$work" && ./go-jsonschema -p callflow --resolve-extension .json -o "$out" $files)
}

now_ns() { date +%s%N; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "files: $(echo "$files" | wc -w) callflow schemas, $runs alternating runs per mode"
for mode in regenerate fresh; do
  kz=(); pe=()
  kzgen_cmd; peer_cmd # warm-up: page cache, first-run costs
  for ((i = 0; i < runs; i++)); do
    t0=$(now_ns); kzgen_cmd; t1=$(now_ns); peer_cmd; t2=$(now_ns)
    kz+=($(( (t1 - t0) / 1000 ))); pe+=($(( (t2 - t1) / 1000 )))
  done
  mk=$(median "${kz[@]}"); mp=$(median "${pe[@]}")
  printf '%-10s kzgen gen %6.1f ms   go-jsonschema %6.1f ms   ratio %.2f\n' "$mode" \
    "$(echo "$mk/1000" | bc -l)" "$(echo "$mp/1000" | bc -l)" "$(echo "$mk/$mp" | bc -l)"
done
printf 'output: kzgen %s files, %s bytes; go-jsonschema 1 file, %s bytes\n' \
  "$(ls "$work/out-kzgen" | wc -l)" "$(cat "$work"/out-kzgen/* | wc -c)" "$(wc -c < "$work/out-peer/callflow.go")"

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

kzgen_cmd() { "$work/kzgen" gen -schemas "$work" -match 'callflows*' -out "$work/out-kzgen" -pkg callflow >/dev/null; }
peer_cmd() { (cd "$work" && ./go-jsonschema -p callflow --resolve-extension .json -o out-peer/callflow.go $files); }

now_ns() { date +%s%N; }
kz=(); pe=()
kzgen_cmd; peer_cmd # warm-up: page cache, first-run costs
for ((i = 0; i < runs; i++)); do
  t0=$(now_ns); kzgen_cmd; t1=$(now_ns); peer_cmd; t2=$(now_ns)
  kz+=($(( (t1 - t0) / 1000 ))); pe+=($(( (t2 - t1) / 1000 )))
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
mk=$(median "${kz[@]}"); mp=$(median "${pe[@]}")
echo "files: $(echo "$files" | wc -w) callflow schemas, $runs alternating runs each"
printf 'kzgen gen       median %7.1f ms  (%s files, %s bytes)\n' "$(echo "$mk/1000" | bc -l)" "$(ls "$work/out-kzgen" | wc -l)" "$(cat "$work"/out-kzgen/* | wc -c)"
printf 'go-jsonschema   median %7.1f ms  (1 file, %s bytes)\n' "$(echo "$mp/1000" | bc -l)" "$(wc -c < "$work/out-peer/callflow.go")"
printf 'ratio kzgen/peer: %.2f\n' "$(echo "$mk/$mp" | bc -l)"

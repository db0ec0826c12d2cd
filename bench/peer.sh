#!/usr/bin/env bash
# Times the whole `kzgen gen` process on the callflow schemas side by side
# with github.com/atombender/go-jsonschema, the best-known Go generator for
# JSON Schema, on the same files, in one alternating run. Each round runs,
# in turn:
#
#   kzgen gen over its previous output, inputs unchanged (it checks its
#     stamp and stops)             vs  go-jsonschema regenerating its file
#   kzgen gen -force into a new directory
#                                  vs  go-jsonschema writing a new file
#
# so drift in machine speed hits both sides of each pair. It prints the
# median wall time of each command and the median of the per-round ratios.
#
# Usage: bench/peer.sh [ROUNDS]     (default 21)
# Needs bash 5 (EPOCHREALTIME) and the Go toolchain; installs the peer from
# the Go module proxy into a temporary directory (nothing is added to this
# repository).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-21}
peer_version=${PEER_VERSION:-v0.24.1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/kzgen" ./cmd/kzgen
GOBIN="$work" go install "github.com/atombender/go-jsonschema@$peer_version"

# The peer reads files, so give both the same directory: our embedded set.
mkdir "$work/schemas" "$work/out-peer"
cp schemas/*.json "$work/schemas/"
cd "$work/schemas"
files=(callflows*.json)

kzgen_unchanged() { "$work/kzgen" gen -schemas . -match 'callflows*' -out "$work/out-kzgen" -pkg callflow; }
kzgen_fresh() { "$work/kzgen" gen -force -schemas . -match 'callflows*' -out "$work/fresh-$1/callflow" -pkg callflow; }
peer() { "$work/go-jsonschema" -p callflow --resolve-extension .json -o "$1" "${files[@]}"; }

# Warm-up (page cache, first-run costs), and the output the unchanged runs
# find; check that they do find it current.
kzgen_unchanged >/dev/null
kzgen_unchanged | grep -q 'is up to date' || { echo "peer.sh: kzgen gen did not find its output current" >&2; exit 1; }
kzgen_fresh warmup >/dev/null
peer "$work/out-peer/callflow.go"

# now_us prints the wall clock in microseconds, without starting a process.
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "${t#0}"; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -a ku pu kf pf ru rf
for ((i = 0; i < rounds; i++)); do
  t0=$(now_us); kzgen_unchanged >/dev/null
  t1=$(now_us); peer "$work/out-peer/callflow.go"
  t2=$(now_us); kzgen_fresh "$i" >/dev/null
  t3=$(now_us); peer "$work/out-peer/fresh-$i.go"
  t4=$(now_us)
  ku+=($((t1 - t0))); pu+=($((t2 - t1))); kf+=($((t3 - t2))); pf+=($((t4 - t3)))
  ru+=("$(echo "${ku[i]} / ${pu[i]}" | bc -l)"); rf+=("$(echo "${kf[i]} / ${pf[i]}" | bc -l)")
done

ms() { printf '%s\n' "$@" | median | awk '{printf "%6.1f ms", $1 / 1000}'; }
ratio() { printf '%s\n' "$@" | median | awk '{printf "%.2f", $1}'; }
echo "${#files[@]} callflow schema files, $rounds alternating rounds, $(nproc) cores, $(date -u +%Y-%m-%d)"
echo "unchanged inputs:     kzgen gen $(ms "${ku[@]}")   go-jsonschema $(ms "${pu[@]}")   ratio $(ratio "${ru[@]}")"
echo "-force, new directory: kzgen gen $(ms "${kf[@]}")   go-jsonschema $(ms "${pf[@]}")   ratio $(ratio "${rf[@]}")"
printf 'output: kzgen %s files, %s bytes; go-jsonschema 1 file, %s bytes\n' \
  "$(ls "$work"/out-kzgen/*.kz.go | wc -l)" "$(cat "$work"/out-kzgen/*.kz.go | wc -c)" "$(wc -c < "$work/out-peer/callflow.go")"

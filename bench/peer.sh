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
#   gofmt -l on that new directory vs  (the same go-jsonschema run)
#
# The last is a floor, not a rival: generated code must be gofmt-clean and
# jennifer's unformatted output is not, so kzgen has jennifer run go/format
# on every file it renders; gofmt (parse and print, files in parallel) does
# that work alone, on the same bytes.
# so drift in machine speed hits both sides of each pair. It prints the
# median wall and CPU (user + system) time of each command and the median
# of the per-round ratios. On a busy machine, trust the CPU ratio more:
# kzgen renders on every core, the peer on one, and the wall ratio then
# depends on how many cores the other load leaves.
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
source bench/gen-timing.bash

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

declare -a kuw kuc puw puc kfw kfc pfw pfc gfw gfc
for ((i = 0; i < rounds; i++)); do
  timed kuw kuc kzgen_unchanged
  timed puw puc peer "$work/out-peer/callflow.go"
  timed kfw kfc kzgen_fresh "$i"
  timed pfw pfc peer "$work/out-peer/fresh-$i.go"
  timed gfw gfc gofmt -l "$work/fresh-$i/callflow"
done

echo "${#files[@]} callflow schema files, $rounds alternating rounds, $(machine)"
echo "medians, ms (wall / cpu)    kzgen gen         go-jsonschema     kzgen/peer wall   cpu"
echo "unchanged inputs            $(ms "${kuw[@]}") / $(ms "${kuc[@]}")   $(ms "${puw[@]}") / $(ms "${puc[@]}")   $(ratio kuw puw)              $(ratio kuc puc)"
echo "-force, new directory       $(ms "${kfw[@]}") / $(ms "${kfc[@]}")   $(ms "${pfw[@]}") / $(ms "${pfc[@]}")   $(ratio kfw pfw)              $(ratio kfc pfc)"
echo "gofmt -l of that output     $(ms "${gfw[@]}") / $(ms "${gfc[@]}")   $(ms "${pfw[@]}") / $(ms "${pfc[@]}")   $(ratio gfw pfw)              $(ratio gfc pfc)"
printf 'output: kzgen %s files, %s bytes; go-jsonschema 1 file, %s bytes\n' \
  "$(ls "$work"/out-kzgen/*.kz.go | wc -l)" "$(cat "$work"/out-kzgen/*.kz.go | wc -c)" "$(wc -c < "$work/out-peer/callflow.go")"

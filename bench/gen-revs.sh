#!/usr/bin/env bash
# Times `kzgen gen` built from two revisions of this repository, whole
# processes, in one alternating run, on the embedded callflow schemas:
#
#   into a new directory (all work, every file written)
#   over its own previous output, inputs unchanged
#
# and prints median wall and CPU times and the medians of the per-round
# ratios NEW/OLD. Use it to see what a change to the generator did.
#
# Usage: bench/gen-revs.sh OLD_REV [NEW_REV] [ROUNDS]
#   NEW_REV defaults to the working tree, ROUNDS to 21.
# Needs bash 5 and the Go toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."
old_rev=${1:?usage: bench/gen-revs.sh OLD_REV [NEW_REV] [ROUNDS]}
new_rev=${2:-}
rounds=${3:-21}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source bench/gen-timing.bash

# build REV NAME: builds cmd/kzgen at REV ("" for the working tree).
build() {
  if [ -z "$1" ]; then
    go build -o "$work/$2" ./cmd/kzgen
    return
  fi
  mkdir "$work/src-$2"
  git archive "$1" | tar -x -C "$work/src-$2"
  (cd "$work/src-$2" && go build -o "$work/$2" ./cmd/kzgen)
}
build "$old_rev" old
build "$new_rev" new

# gen BUILD DIR: the same command for both builds (-force is not needed:
# a new directory has nothing to skip, and older builds lack the flag).
gen() { "$work/$1" gen -nodes -trim-prefix callflows. -type-suffix Data -pkg callflow -out "$2"; }
for b in old new; do
  gen "$b" "$work/$b-out/callflow" >/dev/null # warm-up, and the output the unchanged runs reuse
  gen "$b" "$work/$b-out/callflow" >/dev/null
done

declare -a ofw ofc nfw nfc ouw ouc nuw nuc
for ((i = 0; i < rounds; i++)); do
  timed ofw ofc gen old "$work/fresh-old-$i/callflow"
  timed nfw nfc gen new "$work/fresh-new-$i/callflow"
  timed ouw ouc gen old "$work/old-out/callflow"
  timed nuw nuc gen new "$work/new-out/callflow"
done

echo "kzgen gen, embedded callflow schemas, old ${old_rev} vs new ${new_rev:-working tree}, $rounds alternating rounds, $(machine)"
echo "medians, ms (wall / cpu)    old               new               new/old wall   cpu"
echo "new directory               $(ms "${ofw[@]}") / $(ms "${ofc[@]}")   $(ms "${nfw[@]}") / $(ms "${nfc[@]}")   $(ratio nfw ofw)           $(ratio nfc ofc)"
echo "inputs unchanged            $(ms "${ouw[@]}") / $(ms "${ouc[@]}")   $(ms "${nuw[@]}") / $(ms "${nuc[@]}")   $(ratio nuw ouw)           $(ratio nuc ouc)"

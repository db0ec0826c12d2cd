#!/usr/bin/env bash
# CPU time per operation of Go benchmarks in two test binaries (two
# revisions of a package, built with go test -c), run alternately
# (base, new, base, new, ...) so that drift in the machine's speed hits
# both. Each run does a fixed number of iterations; its CPU time (user +
# system, the garbage collector's included), less that of a one-iteration
# run (start-up), divided by the iterations, is the CPU time per operation.
# On a machine shared with other work this is steadier than go test's
# ns/op, which is wall time. Prints each round, then for each benchmark the
# medians and the median of the per-round ratios new / base.
#
# Usage: bench/alternate.sh BASE.test NEW.test ITERATIONS ROUNDS BENCHMARK...
#   BENCHMARK is a full benchmark name without "Benchmark", e.g.
#   ParseRequest/entry-get.
#
# Example (the package's benchmarks as of a base revision, against the
# working tree):
#   git archive BASE | tar -x -C /tmp/base && cp runtime/wire/bench_test.go /tmp/base/runtime/wire/
#   (cd /tmp/base && go test -c -o /tmp/base.test ./runtime/wire) && go test -c -o /tmp/new.test ./runtime/wire
#   bench/alternate.sh /tmp/base.test /tmp/new.test 20000 9 ParseRequest/entry-get ParseRequest/post-form
set -euo pipefail
if [ $# -lt 5 ]; then
  sed -n '2,/^set /p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
base=$1 new=$2 iterations=$3 rounds=$4
shift 4

# cpu BINARY BENCHMARK N: CPU seconds of a run of N iterations.
cpu() {
  local TIMEFORMAT='%3U %3S' t
  t=$({ time "$1" -test.run '^$' -test.bench "^Benchmark$2\$" -test.benchtime "$3x" >/dev/null; } 2>&1)
  echo "$t" | awk '{print $1 + $2}'
}
# per_op BINARY BENCHMARK: CPU nanoseconds per operation.
per_op() {
  local long short
  long=$(cpu "$1" "$2" "$iterations")
  short=$(cpu "$1" "$2" 1)
  echo "($long - $short) * 1000000000 / $iterations" | bc -l
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

declare -A base_ns new_ns ratio
for ((r = 1; r <= rounds; r++)); do
  for b in "$@"; do
    o=$(per_op "$base" "$b")
    n=$(per_op "$new" "$b")
    base_ns[$b]+="$o "
    new_ns[$b]+="$n "
    ratio[$b]+="$(echo "$n / $o" | bc -l) "
    printf 'round %d  %-28s base %8.0f ns  new %8.0f ns\n' "$r" "$b" "$o" "$n"
  done
done
echo "medians of $rounds rounds, $iterations iterations each (CPU ns per operation):"
for b in "$@"; do
  printf '  %-28s base %8.0f  new %8.0f  new/base %.3f\n' "$b" \
    "$(median ${base_ns[$b]})" "$(median ${new_ns[$b]})" "$(median ${ratio[$b]})"
done

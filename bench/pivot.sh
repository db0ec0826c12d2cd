#!/usr/bin/env bash
# Load test of a Pivot server against a bare net/http server, on loopback.
#
# Runs the ivr-menu example (runtime/pivot's Router behind the examples'
# server: access log, timeouts, graceful shutdown) and a bare net/http server
# that answers the same requests with the same bytes, recorded from the
# example. Both are loaded with the same request mix (a call's first GET and
# its follow-up POST with a signed continuation) on the same number of
# keep-alive connections, alternately (ivr, bare, ivr, bare, ...) so that
# drift in the machine's speed hits both. Prints requests/s of each round,
# the medians, and the median of the per-round ratios ivr/bare.
#
# Usage: bench/pivot.sh [ROUNDS] [SECONDS] [CONNECTIONS]   (default 5 5 64)
# Needs only the Go toolchain; everything runs on 127.0.0.1 and stops at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${2:-5}
conns=${3:-64}
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/ivr-menu" ./examples/ivr-menu
go build -o "$work/pivotload" ./bench/pivotload

free_port() { "$work/pivotload" port; }
wait_port() {
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "nothing listens on port $1" >&2; exit 1
}

ivr_port=$(free_port)
PIVOT_KEYS="bench:$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" \
  "$work/ivr-menu" -addr "127.0.0.1:$ivr_port" 2>"$work/ivr-menu.log" &
pids+=($!)
wait_port "$ivr_port"

"$work/pivotload" record -url "http://127.0.0.1:$ivr_port/ivr/start" -out "$work/mix.json"

bare_port=$(free_port)
"$work/pivotload" bare -addr "127.0.0.1:$bare_port" -mix "$work/mix.json" &
pids+=($!)
wait_port "$bare_port"

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
load() { "$work/pivotload" load -addr "127.0.0.1:$1" -mix "$work/mix.json" -c "$conns" -d "${seconds}s"; }

echo "$(nproc) cores, $conns connections, $rounds alternating rounds of ${seconds}s (1s warm-up each)"
ivr=(); bare=(); ratio=()
for ((i = 1; i <= rounds; i++)); do
  a=$(load "$ivr_port"); b=$(load "$bare_port")
  ivr+=("$a"); bare+=("$b"); ratio+=("$(echo "$a / $b" | bc -l)")
  printf 'round %d: ivr-menu %7.0f req/s   bare %7.0f req/s   ratio %.3f\n' "$i" "$a" "$b" "${ratio[-1]}"
done
printf 'median:  ivr-menu %7.0f req/s   bare %7.0f req/s   ratio %.3f (median of the per-round ratios)\n' \
  "$(median "${ivr[@]}")" "$(median "${bare[@]}")" "$(median "${ratio[@]}")"
echo "ivr-menu access log: $(wc -l < "$work/ivr-menu.log") lines"

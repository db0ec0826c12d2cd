#!/usr/bin/env bash
# Load test of a Pivot server against a bare net/http server, on loopback.
#
# Runs the ivr-menu example (runtime/pivot's Router behind the examples'
# server: access log, timeouts, graceful shutdown) and a bare net/http server
# that answers the same requests with the same bytes, recorded from the
# example. Both are loaded with the same requests on the same number of
# keep-alive connections, alternately (ivr, bare, ivr, bare, ...) so that
# drift in the machine's speed hits both. Prints requests/s of each round,
# the medians, and the median of the per-round ratios ivr/bare.
#
# Usage: bench/pivot.sh [ROUNDS] [SECONDS] [CONNECTIONS] [MIX]
#   defaults 5 5 64 call
#   MIX: "call"  - a call's first request (GET /ivr/start, kazoo naming) and
#                  its follow-up (POST form with a signed continuation),
#                  round robin;
#        "entry" - the first request only.
# With BASELINE_REV set (a git revision, e.g. main), the ivr-menu example as
# of that revision runs too, in the same alternation (ivr, baseline, bare).
# Needs only the Go toolchain (and git for BASELINE_REV); everything runs on
# 127.0.0.1 and stops at exit.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${2:-5}
conns=${3:-64}
mix=${4:-call}
case $mix in
  call) only=0 ;;
  entry) only=1 ;;
  *) echo "MIX must be call or entry" >&2; exit 2 ;;
esac
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
if [ -n "${BASELINE_REV:-}" ]; then
  mkdir "$work/baseline"
  git archive "$BASELINE_REV" | tar -x -C "$work/baseline"
  (cd "$work/baseline" && go build -o "$work/ivr-menu-baseline" ./examples/ivr-menu)
fi

wait_port() {
  for _ in $(seq 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "nothing listens on port $1" >&2; exit 1
}
secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
servers=()
ports=()
start() { # name, command...: starts a server on a free port, appended to ports
  local name=$1 port; shift
  port=$("$work/pivotload" port)
  "$@" -addr "127.0.0.1:$port" >/dev/null 2>"$work/$name.log" &
  pids+=($!)
  wait_port "$port"
  servers+=("$name")
  ports+=("$port")
}
export PIVOT_KEYS="bench:$secret" PIVOT_SECRET="$secret" # the baseline may read either

start ivr-menu "$work/ivr-menu"
"$work/pivotload" record -url "http://127.0.0.1:${ports[0]}/ivr/start" -out "$work/mix.json"
if [ -n "${BASELINE_REV:-}" ]; then
  start "$BASELINE_REV" "$work/ivr-menu-baseline"
fi
start bare "$work/pivotload" bare -mix "$work/mix.json"

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
load() { "$work/pivotload" load -addr "127.0.0.1:$1" -mix "$work/mix.json" -only "$only" -c "$conns" -d "${seconds}s"; }

echo "$(nproc) cores, mix $mix, $conns connections, $rounds alternating rounds of ${seconds}s (1s warm-up each)"
declare -A rps ratios
n=${#servers[@]}
for ((i = 1; i <= rounds; i++)); do
  line="round $i:"
  declare -a got=()
  for ((s = 0; s < n; s++)); do
    got[s]=$(load "${ports[s]}")
    rps[$s]+="${got[s]} "
    line+=$(printf '  %s %7.0f req/s' "${servers[s]}" "${got[s]}")
  done
  for ((s = 0; s < n - 1; s++)); do
    r=$(echo "${got[s]} / ${got[n-1]}" | bc -l)
    ratios[$s]+="$r "
    line+=$(printf '  %s/bare %.3f' "${servers[s]}" "$r")
  done
  echo "$line"
done
line="median: "
for ((s = 0; s < n; s++)); do
  line+=$(printf '  %s %7.0f req/s' "${servers[s]}" "$(median ${rps[$s]})")
done
for ((s = 0; s < n - 1; s++)); do
  line+=$(printf '  %s/bare %.3f' "${servers[s]}" "$(median ${ratios[$s]})")
done
echo "$line   (ratios: medians of the per-round ratios)"

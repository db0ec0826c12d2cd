#!/usr/bin/env bash
# Load test of a Pivot server against a bare net/http server, on loopback.
#
# Runs the ivr-menu example (runtime/pivot's Router behind the examples'
# server: access log, timeouts, graceful shutdown), a bare net/http server
# that answers the same requests with the same bytes, recorded from the
# example, and "stack": those bytes served behind the examples' server
# without the Router, the ceiling of what any Router could reach. All are
# loaded with the same requests on the same number of keep-alive
# connections, alternately (ivr, stack, bare, ivr, ...) so that drift in
# the machine's speed hits them alike. Prints, for each round and server,
# the requests/s and the CPU time per request (the server's, from /proc,
# plus the load generator's), then the medians and the medians of the
# per-round ratios to bare, and of ivr-menu to stack (what the Router
# keeps of what the stack could serve): requests/s, and requests per
# CPU-second. The second ratio is the one to read on a machine shared with
# other work: it does not depend on how much of the machine the run got.
#
# Usage: bench/pivot.sh [ROUNDS] [SECONDS] [CONNECTIONS] [MIX]
#   defaults 5 5 64 call
#   MIX: "call"  - a call's first request (GET /ivr/start, kazoo naming) and
#                  its follow-up (POST form with a signed continuation),
#                  round robin;
#        "entry" - the first request only.
# With BASELINE_REV set (a git revision, e.g. main), the ivr-menu example as
# of that revision runs too, in the same alternation (ivr, baseline,
# stack, bare), and the ratios of ivr-menu to it are printed as well.
# With VARIANT_ENV set (assignments, e.g. "GOGC=400"), the same ivr-menu
# binary runs once more with those variables added to its environment, in
# the same alternation, and the ratios of the variant to ivr-menu are
# printed as well: a runtime setting measured against the default.
# The servers and the load generator run with the caller's environment, so
# e.g. GOGC=400 bench/pivot.sh applies the same runtime setting to all.
# Needs Linux and the Go toolchain (and git for BASELINE_REV); everything
# runs on 127.0.0.1 and stops at exit.
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
spids=()
start() { # name, command...: starts a server on a free port, appended to ports
  local name=$1 port; shift
  port=$("$work/pivotload" port)
  "$@" -addr "127.0.0.1:$port" >/dev/null 2>"$work/$name.log" &
  pids+=($!)
  spids+=($!)
  wait_port "$port"
  servers+=("$name")
  ports+=("$port")
}
# The same key for every ivr-menu, in each revision's spelling, so that a
# continuation recorded from one is verified by the other.
export PIVOT_KEYS="bench:$secret" PIVOT_SECRET="$secret" PIVOT_KEY_ID=bench

start ivr-menu "$work/ivr-menu"
"$work/pivotload" record -url "http://127.0.0.1:${ports[0]}/ivr/start" -out "$work/mix.json"
variant=-1 baseline=-1 # their indexes in servers, when they run
if [ -n "${VARIANT_ENV:-}" ]; then
  variant=${#servers[@]}
  read -ra assignments <<<"$VARIANT_ENV"
  start "+${VARIANT_ENV// /,}" env "${assignments[@]}" "$work/ivr-menu"
fi
if [ -n "${BASELINE_REV:-}" ]; then
  baseline=${#servers[@]}
  start "$BASELINE_REV" "$work/ivr-menu-baseline"
fi
# The examples' serving stack (access log, pivot.Serve's timeouts) with the
# recorded bytes and no Router: stack / bare is as close to bare as any
# Router could bring ivr-menu.
stack=${#servers[@]}
start stack "$work/pivotload" bare -stack -mix "$work/mix.json"
start bare "$work/pivotload" bare -mix "$work/mix.json"

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
load() { "$work/pivotload" load -addr "127.0.0.1:${ports[$1]}" -pid "${spids[$1]}" -mix "$work/mix.json" -only "$only" -c "$conns" -d "${seconds}s"; }

echo "$(nproc) cores, mix $mix, $conns connections, $rounds alternating rounds of ${seconds}s (1s warm-up each)"
echo "per server: requests/s, then CPU µs per request (server + load generator)"
declare -A rps cpu rps_ratio cpu_ratio
base_rps_ratio="" base_cpu_ratio="" var_rps_ratio="" var_cpu_ratio="" stack_rps_ratio="" stack_cpu_ratio=""
n=${#servers[@]}
last=$((n - 1))
for ((i = 1; i <= rounds; i++)); do
  line="round $i:"
  declare -a r=() c=()
  for ((s = 0; s < n; s++)); do
    read -r got client server < <(load "$s")
    r[s]=$got
    c[s]=$(echo "$client + $server" | bc -l)
    rps[$s]+="${r[s]} "
    cpu[$s]+="${c[s]} "
    line+=$(printf '  %s %6.0f/s %5.1fµs' "${servers[s]}" "${r[s]}" "${c[s]}")
  done
  for ((s = 0; s < last; s++)); do
    rps_ratio[$s]+="$(echo "${r[s]} / ${r[last]}" | bc -l) "
    cpu_ratio[$s]+="$(echo "${c[last]} / ${c[s]}" | bc -l) "
  done
  stack_rps_ratio+="$(echo "${r[0]} / ${r[stack]}" | bc -l) "
  stack_cpu_ratio+="$(echo "${c[stack]} / ${c[0]}" | bc -l) "
  if ((baseline >= 0)); then
    base_rps_ratio+="$(echo "${r[0]} / ${r[baseline]}" | bc -l) "
    base_cpu_ratio+="$(echo "${c[baseline]} / ${c[0]}" | bc -l) "
  fi
  if ((variant >= 0)); then
    var_rps_ratio+="$(echo "${r[variant]} / ${r[0]}" | bc -l) "
    var_cpu_ratio+="$(echo "${c[0]} / ${c[variant]}" | bc -l) "
  fi
  echo "$line"
done
echo "medians:"
for ((s = 0; s < n; s++)); do
  printf '  %-10s %7.0f requests/s  %6.1f µs CPU per request\n' "${servers[s]}" "$(median ${rps[$s]})" "$(median ${cpu[$s]})"
done
for ((s = 0; s < last; s++)); do
  printf '  %s / bare: requests/s %.3f, requests per CPU-second %.3f (medians of the per-round ratios)\n' \
    "${servers[s]}" "$(median ${rps_ratio[$s]})" "$(median ${cpu_ratio[$s]})"
done
printf '  ivr-menu / stack: requests/s %.3f, requests per CPU-second %.3f (medians of the per-round ratios: what the Router keeps of the stack)\n' \
  "$(median ${stack_rps_ratio})" "$(median ${stack_cpu_ratio})"
if ((variant >= 0)); then
  printf '  %s / ivr-menu: requests/s %.3f, requests per CPU-second %.3f (medians of the per-round ratios)\n' \
    "${servers[variant]}" "$(median ${var_rps_ratio})" "$(median ${var_cpu_ratio})"
fi
if ((baseline >= 0)); then
  printf '  ivr-menu / %s: requests/s %.3f, requests per CPU-second %.3f (medians of the per-round ratios)\n' \
    "$BASELINE_REV" "$(median ${base_rps_ratio})" "$(median ${base_cpu_ratio})"
fi

#!/usr/bin/env bash
# Parsing and answering against their references, on the trees of
# gen/callflow's benchmarks: runs BenchmarkParseRatio (callflow.Parse +
# Validate against json.Unmarshal into map[string]any) and
# BenchmarkAnswerRatio (Node.AppendValidJSON against Validate then
# MarshalJSON) COUNT times. Each benchmark times its two sides alternately
# in one loop and reports their ratio; this prints, per tree, the median
# and the range of those ratios.
#
# Usage: bench/parse.sh [COUNT]     (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-5}
echo "$(nproc) cores, $(date -u +%Y-%m-%d), load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'), $count runs"
go test ./gen/callflow -run '^$' -bench 'Ratio' -count "$count" |
  awk '/^Benchmark(Parse|Answer)Ratio\// {
    name = $1; sub(/-[0-9]+$/, "", name)
    ratio[name] = ratio[name] " " $(NF - 1); unit[name] = $NF
  }
  END {
    for (name in ratio) {
      n = split(substr(ratio[name], 2), v, " ")
      # insertion sort of the n ratios
      for (i = 2; i <= n; i++) { x = v[i]; for (j = i - 1; j >= 1 && v[j] > x; j--) v[j + 1] = v[j]; v[j + 1] = x }
      printf "%-32s %s median %.2f, range %.2f-%.2f\n", name, unit[name], v[int((n + 1) / 2)], v[1], v[n]
    }
  }' | sort

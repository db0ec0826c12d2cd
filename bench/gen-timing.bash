# Timing helpers for the bench/ scripts (bash 5), sourced after $work is
# set to a scratch directory. The clocks are read without starting a
# process or a subshell, either of which would be timed too: now_us sets
# REPLY to the wall clock in microseconds (EPOCHREALTIME), cpu_us to the
# user + system time of the shell's finished children (its own `times`).

now_us() { REPLY=${EPOCHREALTIME/[.,]/}; }
cpu_us() {
  local self user sys
  times >"$work/times"
  { read -r self; read -r user sys; } <"$work/times"
  seconds_us "$user"; local u=$REPLY
  seconds_us "$sys"
  REPLY=$((u + REPLY))
}
# seconds_us sets REPLY to the microseconds of a `times` figure ("1m2.345s").
seconds_us() {
  local min=${1%%m*} sec=${1#*m}
  sec=${sec%s}
  local frac=${sec#*.}000000
  REPLY=$(((10#$min * 60 + 10#${sec%.*}) * 1000000 + 10#${frac:0:6}))
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# timed WALL CPU CMD...: runs CMD, appending its wall and CPU microseconds
# to the arrays named WALL and CPU.
timed() {
  local -n wall=$1 cpu=$2
  shift 2
  local w0 c0
  cpu_us; c0=$REPLY
  now_us; w0=$REPLY
  "$@" >/dev/null
  now_us; wall+=($((REPLY - w0)))
  cpu_us; cpu+=($((REPLY - c0)))
}

# ms prints the median of microsecond figures in milliseconds.
ms() { printf '%s\n' "$@" | median | awk '{printf "%6.1f", $1 / 1000}'; }
# ratio A B: the median of the per-round ratios of two arrays (by name).
ratio() {
  local -n a=$1 b=$2
  for ((j = 0; j < ${#a[@]}; j++)); do echo "${a[j]} ${b[j]}"; done |
    awk '$2 > 0 {print $1 / $2}' | median | awk '{printf "%.2f", $1}'
}

# machine describes when and where the figures were taken.
machine() {
  echo "$(nproc) cores, $(date -u +%Y-%m-%d), load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
}

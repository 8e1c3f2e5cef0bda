#!/usr/bin/env bash
# Redis cost of issuing one SMS code: the code script of git revision BASE (default f318c72: a PTTL
# per flag, TIME, sorted sets for the daily cap and both budgets, its limits as 12 arguments) against
# the one in the work tree (hit logs for the daily cap and the block budget, its limits as constants), in
# alternating rounds on one private Redis, every call a new number (the success path) and the
# global budget log pre-filled to its default size (200,000). Prints calls/s and Redis CPU per
# call (utime+stime of redis-server from /proc) for each round, then the ratio new/old.
# Usage: bash bench/sms-code-script.sh [CALLS_PER_ROUND=50000] [ROUNDS=3] [BASE=f318c72]
set -euo pipefail
cd "$(dirname "$0")/.."
calls=${1:-50000}
rounds=${2:-3}
base=${3:-f318c72}
port=6398
dir=$(mktemp -d)
redis-server --port "$port" --save '' --appendonly no --dir "$dir" --daemonize yes >/dev/null
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
cli() { redis-cli -p "$port" "$@"; }
pid=$(cli INFO server | grep '^process_id:' | cut -d: -f2 | tr -d '\r')
trap 'kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
old=$(git show "$base:src/main/resources/lua/lib/sliding_window.lua"; git show "$base:src/main/resources/lua/sms_code_issue.lua")
# the constants as SmsCodeService writes them (conf/config.json's limits; the global budget lifted as below)
consts=$(printf "local %s, %s_S = %s, '%s'\n" \
  BLOCK_MAX BLOCK_MAX 30 30  BLOCK_WINDOW_MS BLOCK_WINDOW_MS 600000 600000  CODE_TTL_MS CODE_TTL_MS 300000 300000 \
  DAY_MS DAY_MS 86400000 86400000  GLOBAL_MAX GLOBAL_MAX 1000000000 1000000000 \
  GLOBAL_WINDOW_MS GLOBAL_WINDOW_MS 3600000 3600000  MAX_ATTEMPTS MAX_ATTEMPTS 5 5  MAX_PER_DAY MAX_PER_DAY 5 5 \
  OPEN_PAUSE_RETRY_MS OPEN_PAUSE_RETRY_MS 300000 300000  RESEND_MS RESEND_MS 60000 60000)
new=$(echo "$consts"; cat src/main/resources/lua/lib/hit_log.lua src/main/resources/lua/sms_code_issue.lua)
old_sha=$(cli SCRIPT LOAD "$old")
new_sha=$(cli SCRIPT LOAD "$new")
now=$(($(date +%s) * 1000))
for ((i = 0; i < 200000; i += 10000)); do
  args=()
  for ((j = i; j < i + 10000; j++)); do args+=("$now" "m$j"); done
  cli ZADD yzt:budget:global "${args[@]}" >/dev/null
done
cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
tick=$(getconf CLK_TCK)
run() { # name sha nkeys keys... -- args...
  local name=$1; shift
  local c0 t0 c1 t1
  c0=$(cpu); t0=$(date +%s.%N)
  redis-benchmark -p "$port" -n "$calls" -c 16 -r 100000000 -q EVALSHA "$@" >/dev/null
  c1=$(cpu); t1=$(date +%s.%N)
  awk -v n="$name" -v c="$calls" -v dc=$((c1 - c0)) -v tk="$tick" -v t0="$t0" -v t1="$t1" \
    'BEGIN { printf "%-4s %8.0f calls/s  %6.1f us Redis CPU per call\n", n, c / (t1 - t0), dc / tk / c * 1e6 }'
}
k='__rand_int__'
old_cmd=("$old_sha" 7 "yzt:win:$k" "yzt:cool:$k" "yzt:daily:$k" "yzt:code:$k" yzt:codes:paused "yzt:budget:blk:$k"
  yzt:budget:global 60000 5 86400000 hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh 300000 5 "member$k" 600000 30 3600000 1000000000 300000)
new_cmd=("$new_sha" 7 "yzt:win:$k" "yzt:cool:$k" "yzt:daily2:$k" "yzt:code:$k" yzt:codes:paused "yzt:budget:blk2:$k"
  yzt:budget:global "$now" hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh "member$k")
echo "command: bash bench/sms-code-script.sh $calls $rounds $base   (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
for ((r = 1; r <= rounds; r++)); do
  run old "${old_cmd[@]}" | tee -a "$dir/old"
  run new "${new_cmd[@]}" | tee -a "$dir/new"
done
awk '{ s[FILENAME] += $2; u[FILENAME] += $4 } END {
  for (f in s) if (f ~ /old$/) { so = s[f]; uo = u[f] } else { sn = s[f]; un = u[f] }
  printf "new/old: %.2f x calls/s, %.2f x Redis CPU per call\n", sn / so, un / uo }' "$dir/old" "$dir/new"
echo "global budget log: $(cli ZCARD yzt:budget:global) members, $(cli MEMORY USAGE yzt:budget:global SAMPLES 0) bytes"

#!/usr/bin/env bash
# Where Redis spends its CPU during a person's whole flow (bench/README.md, issue 23): bench/flow.sh with
# `perf record` sampling the benchmark's redis-server for SECONDS once it has run 8 s (past the captcha
# pool's fill), then Redis's samples by where they fall: the Lua interpreter, Redis itself, the kernel
# (wakeups, scheduling, TCP), jemalloc and libc.
# Usage: bench/flow-perf.sh [SECONDS=10] [flow.sh's arguments: 2000 128 20]
# Needs `perf` (Debian: linux-perf) and the right to profile another process (root, or
# kernel.perf_event_paranoid <= 1). Sampling costs Redis a few per cent: compare runs of this script
# with each other, not with bench/flow.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_SAMPLE=${1:-10}
shift || true
out=$(mktemp -d /tmp/yzt-flow-perf.XXXXXX)
(
  # the benchmark's redis-server: the first that is not a long-running one on 6379
  for _ in $(seq 1 300); do
    for p in $(pgrep -x redis-server || true); do
      case "$(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null)" in *:6379*) continue ;; esac
      sleep 8
      perf record -F 4999 -p "$p" -o "$out/redis.perf" -- sleep "$SECONDS_TO_SAMPLE" > "$out/perf.log" 2>&1
      exit 0
    done
    sleep 0.2
  done
) &
sampler=$!
if [ $# -eq 0 ]; then set -- 2000 128 20; fi
bench/flow.sh "$@" | grep -E '^(flow:|master run|flows)'
wait "$sampler"
redis_bin=$(command -v redis-server)
perf report -i "$out/redis.perf" --stdio --sort dso,symbol 2>/dev/null | grep '%' | grep -v '^#' > "$out/report.txt"
# the interpreter's own functions are hidden symbols of the redis binary, between its exported ones: the
# range from the first exported lua* function to the first exported function after the last one
lua_from=$(nm -D "$redis_bin" | awk '$2 == "T" && $3 ~ /^lua/ {print $1}' | sort | head -1)
lua_last=$(nm -D "$redis_bin" | awk '$2 == "T" && $3 ~ /^lua/ {print $1}' | sort | tail -1)
lua_to=$(nm -D "$redis_bin" | awk '$2 == "T" {print $1}' | sort | awk -v last="$lua_last" '$1 > last {print; exit}')
python3 - "$out/report.txt" "$lua_from" "${lua_to:-ffffffffffffffff}" <<'PY'
import re, sys
lo, hi = int(sys.argv[2], 16), int(sys.argv[3], 16)
where = {'lua': 0.0, 'redis': 0.0, 'kernel': 0.0, 'jemalloc': 0.0, 'libc': 0.0, 'other': 0.0}
for line in open(sys.argv[1]):
    m = re.match(r'\s*([\d.]+)%\s+(\S+)\s+\[.\]\s+(\S+)', line)
    if not m:
        continue
    share, dso, sym = float(m.group(1)), m.group(2), m.group(3)
    if 'kernel' in dso:
        where['kernel'] += share
    elif 'jemalloc' in dso:
        where['jemalloc'] += share
    elif dso.startswith('libc'):
        where['libc'] += share
    elif dso.startswith('redis'):
        lua = sym.startswith('lua') or (sym.startswith('0x') and lo <= int(sym, 16) < hi)
        where['lua' if lua else 'redis'] += share
    else:
        where['other'] += share
print('redis samples: ' + ', '.join(f'{k} {v:.1f}%' for k, v in where.items()))
PY
rm -rf "$out"

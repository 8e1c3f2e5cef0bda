#!/usr/bin/env bash
# The front door against the platform's limit (issue 11), side by side in one run: a bare Vert.x
# server doing one EVALSHA (INCR+EXPIRE) per POST (bench/baseline/Baseline.java, same instance count
# as our gateway) and our POST /api/v1/queries success path (pipeline off, per-IP limits lifted,
# codes seeded), against one Redis, with the same wrk settings, alternating rounds after a warm-up.
# Then POST /api/v1/sms-codes (seeded captchas, new number each time) for ours (and OLD_JAR's, alternating).
#   bench/side-by-side.sh [SECONDS=10] [ROUNDS=3] [CONNECTIONS=64]
# Env: SMS_ROUNDS (2; 0 skips sms-codes), STRIDE (numbers per wrk thread per round, 150000),
#      WARMUP (seconds of warm-up for each server, 30), OLD_JAR (another build of yzt.jar, e.g. of an
#      older commit, measured as "before" in the same alternation, on its own numbers),
#      SKIP_BUILD=1 (use target/yzt.jar as it is), JFR=file (record ours from before its warm-up; JFR_SETTINGS
#      a .jfc, default "profile"; with OLD_JAR, also OLD_JAR's into file-before.jfr), THREADS=1 (CPU of ours, and of
#      OLD_JAR's, by thread name in each round),
#      OURS_OPTS / OLD_OPTS (JVM options for ours / for OLD_JAR, e.g. -Dlogback.configurationFile=…),
#      EXTRA_WARMUP (seconds of further warm-up for ours and OLD_JAR, on unseeded numbers: a path 1 % of requests
#      take, as traced ones do at TRACE_RATIO 0.01, is still C1-compiled minutes after start, bench/README.md),
#      OLD_ENV (YZT_* assignments for OLD_JAR only, e.g. OLD_JAR=target/yzt.jar OLD_ENV=TRACED to measure
#      tracing's cost: the word TRACED starts bench/otlp-sink.py and sets tracing.otlpEndpoint to it
#      at tracing.sampleRatio TRACE_RATIO, default 0.01),
#      CLIENTS=N (queries come from N client addresses through a trusted proxy, X-Forwarded-For, and
#      the per-IP query and wrong-code limits stay as configured: the production path of the limiter;
#      default 0: one address, limits lifted), ACCEPT_ENCODING (sent with every query, e.g. "gzip, deflate,
#      br" as browsers do), FLOORS="bench/baseline/floor-8.lua …" (each a bare server like the baseline that
#      runs that script with a submission's keys and arguments instead: the ceiling of a front door doing
#      that Redis work, measured in the same alternation as "floor-8" etc.), POOL_BASELINE=1 (also the
#      baseline as it was before 2026-12-06, "baseline-pool": a pooled connection borrowed per command,
#      where the baseline and the floors now send on one connection per instance as ours does), SIM_APART=1 (the
#      simulators in a JVM of their own: ours' JVM CPU per code without the simulated SMS gateway's work).
# Prints per round and in total: req/s, p99, non-2xx, CPU per request of each JVM and of Redis
# (from /proc/<pid>/stat) and Redis EVALSHA time per call (INFO commandstats). This is a benchmark,
# never a test: the machine is shared, so read the ratio of rounds run next to each other.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is missing (Debian: apt-get install wrk)" >&2; exit 1; }
secs=${1:-10}
rounds=${2:-3}
conns=${3:-64}
sms_rounds=${SMS_ROUNDS:-2}
clients=${CLIENTS:-0}
if [ "$clients" -gt 0 ]; then
  limits=(YZT_HTTP_TRUSTEDPROXIES='["127.0.0.1"]')
else
  limits=(YZT_LIMITS_PERIP_QUERIES_MAX=1000000000 YZT_LIMITS_PERIP_CODEFAILURES_MAX=1000000000)
fi
stride=${STRIDE:-150000}
# free ports picked now: other people's benchmarks on this machine use the usual ones
freeport() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rport=$(freeport); oport=$(freeport); bport=$(freeport); sport=$(freeport)
tmp=$(mktemp -d /tmp/yzt-sbs.XXXXXX)
tick=$(getconf CLK_TCK)
instances=$(grep -E '"gateway": *\{ *"instances"' conf/config.json | sed -E 's/.*"instances": *([0-9]+).*/\1/')
echo "command: bench/side-by-side.sh $secs $rounds $conns (SMS_ROUNDS=$sms_rounds STRIDE=$stride CLIENTS=$clients)"
echo "logs in $tmp"
echo "commit $(git rev-parse --short HEAD)$(git diff --quiet || echo '+dirty'); gateway instances: $instances; load: $(cut -d' ' -f1-3 /proc/loadavg)"

[ "${SKIP_BUILD:-0}" = 1 ] || mvn -q -B -ntp package -DskipTests
cli() { redis-cli -p $rport "$@"; }
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  cli shutdown nosave >/dev/null 2>&1 || true
}
trap cleanup EXIT
redis-server --port $rport --bind 127.0.0.1 --save "" --appendonly no --daemonize yes --logfile $tmp/redis.log
sleep 0.5
rpid=$(cli info server | tr -d '\r' | sed -n 's/^process_id://p')

# every round takes its own range of numbers in each wrk thread (queries.lua: thread t starts at t*10^7),
# the warm-up the first three strides (it runs three times as long as a round), so no number is
# submitted twice: a repeat would be a quick 429 and inflate the rate (non-2xx shows it)
per_thread=$((stride * (rounds + 3)))
old_base=$per_thread # OLD_JAR's numbers come after ours
[ -z "${OLD_JAR:-}" ] || per_thread=$((2 * per_thread))
# captchas for sms-codes by slots of STRIDE per wrk thread: ours warms up on slot 0 and runs round r
# on slot r; with OLD_JAR, the old build warms up on slot 1 and ours and it take slots 2r and 2r + 1
sms_slots=$((sms_rounds + 1))
[ -z "${OLD_JAR:-}" ] || sms_slots=$((2 * sms_rounds + 2))
echo "seeding $((2 * per_thread)) live codes and $((2 * stride * sms_slots)) captchas…"
for off in 0 10000000; do
  java -cp target/yzt.jar bench/SeedCodes.java $per_thread $off | cli --pipe | tail -1
  [ "$sms_rounds" = 0 ] || java -cp target/yzt.jar bench/SeedCaptchas.java $((stride * sms_slots)) $off | cli --pipe | tail -1
done

# SIM_APART=1: the simulated SMS gateway (and peers) in a JVM of their own, so that ours' JVM CPU per code is the
# service's alone (the simulator's HTTP server, signature check and inbox are not the service's work)
ours_env=()
if [ "${SIM_APART:-0}" = 1 ]; then
  ours_env=(YZT_SIMULATORS_ENABLED=false)
  YZT_REDIS_CONNECTIONSTRING=redis://127.0.0.1:$rport/0 YZT_REDIS_EMBEDDED=false YZT_HTTP_PORT=$(freeport) \
  YZT_SIMULATORS_PORT=$sport YZT_SIMULATORS_MAXNONCES=100000000 YZT_NODE_ROLES='["simulators"]' \
    java -jar target/yzt.jar > $tmp/simulators.log 2>&1 &
  pids+=($!)
fi
java -cp target/yzt.jar bench/baseline/Baseline.java $bport redis://127.0.0.1:$rport/0 "$instances" > $tmp/baseline.log 2>&1 &
bpid=$!; pids+=($bpid)
YZT_REDIS_CONNECTIONSTRING=redis://127.0.0.1:$rport/0 YZT_REDIS_EMBEDDED=false YZT_HTTP_PORT=$oport \
YZT_SIMULATORS_PORT=$sport YZT_SMS_BASEURL=http://127.0.0.1:$sport/sms \
YZT_LIMITS_PERIP_SMSCODES_MAX=1000000000 YZT_LIMITS_SMSBUDGET_PERBLOCK_MAX=1000000000 YZT_LIMITS_SMSBUDGET_GLOBAL_MAX=1000000000 YZT_SIMULATORS_MAXNONCES=100000000 \
YZT_VERTICLES_PIPELINE_INSTANCES=0 env "${limits[@]}" "${ours_env[@]}" \
  java ${OURS_OPTS:-} -jar target/yzt.jar > $tmp/ours.log 2>&1 &
opid=$!; pids+=($opid)
start_old() {
  YZT_REDIS_CONNECTIONSTRING=redis://127.0.0.1:$rport/0 YZT_REDIS_EMBEDDED=false YZT_HTTP_PORT=$xport \
  YZT_SIMULATORS_PORT=$xsport YZT_SMS_BASEURL=http://127.0.0.1:$xsport/sms \
  YZT_LIMITS_PERIP_SMSCODES_MAX=1000000000 YZT_LIMITS_SMSBUDGET_PERBLOCK_MAX=1000000000 YZT_LIMITS_SMSBUDGET_GLOBAL_MAX=1000000000 YZT_SIMULATORS_MAXNONCES=100000000 \
  YZT_VERTICLES_PIPELINE_INSTANCES=0 env "${limits[@]}" "${old_env[@]}" \
    java ${OLD_OPTS:-} -jar "$OLD_JAR" > $tmp/old.log 2>&1 &
  xpid=$!; pids+=($xpid)
}
old_env=()
if [ "${OLD_ENV:-}" = TRACED ]; then
  tport=$(freeport)
  python3 bench/otlp-sink.py $tport > $tmp/otlp-sink.log 2>&1 &
  pids+=($!)
  old_env=(YZT_TRACING_OTLPENDPOINT=http://127.0.0.1:$tport/v1/traces YZT_TRACING_SAMPLERATIO=${TRACE_RATIO:-0.01})
elif [ -n "${OLD_ENV:-}" ]; then
  read -r -a old_env <<< "$OLD_ENV"
fi
if [ -n "${OLD_JAR:-}" ]; then xport=$(freeport); xsport=$(freeport); start_old; fi
# servers measured after ours in each round: the pooled baseline and the floors
extra_names=(); extra_pids=(); extra_ports=()
if [ "${POOL_BASELINE:-0}" = 1 ]; then
  fport=$(freeport)
  java -cp target/yzt.jar bench/baseline/Baseline.java $fport redis://127.0.0.1:$rport/0 "$instances" --pool > $tmp/baseline-pool.log 2>&1 &
  extra_pids+=($!); pids+=($!); extra_ports+=($fport); extra_names+=(baseline-pool)
fi
extras_up() { for p in "${extra_ports[@]}"; do curl -s -o /dev/null -XPOST localhost:$p/ || return 1; done; }
for f in ${FLOORS:-}; do
  fport=$(freeport)
  java -cp target/yzt.jar bench/baseline/Baseline.java $fport redis://127.0.0.1:$rport/0 "$instances" "$f" "$clients" \
    > $tmp/$(basename "$f" .lua).log 2>&1 &
  extra_pids+=($!); pids+=($!); extra_ports+=($fport); extra_names+=("$(basename "$f" .lua)")
done
for _ in $(seq 150); do
  curl -sf localhost:$oport/ready >/dev/null && curl -s -o /dev/null -XPOST localhost:$bport/ \
    && { [ -z "${OLD_JAR:-}" ] || curl -sf localhost:$xport/ready >/dev/null; } \
    && extras_up && { [ "${SIM_APART:-0}" = 0 ] || curl -s -o /dev/null localhost:$sport/; } && break
  sleep 0.2
done

cpu() { awk '{print $14 + $15}' /proc/"$1"/stat; }
# per-thread CPU ticks of a JVM (name, ticks), for THREADS=1
threads() { for t in /proc/"$1"/task/*; do sed -E 's/^[0-9]+ \((.*)\) . (.*)$/\1|\2/' "$t/stat" | awk -F'|' -v tid="${t##*/}" '{split($2, f, " "); n=$1; gsub(/ /, "_", n); print n "#" tid, f[11] + f[12]}'; done | sort; }
evalsha() { cli info commandstats | tr -d '\r' | sed -n 's/^cmdstat_evalsha:calls=\([0-9]*\),usec=\([0-9]*\),.*/\1 \2/p'; }
results=$tmp/results.txt
: > $results

# run NAME PID URL SCRIPT OFFSET: one wrk round; appends "NAME reqs secs p99 jvm_ticks redis_ticks evalsha_calls evalsha_usec non2xx"
run() {
  local name=$1 pid=$2 url=$3 script=$4 offset=$5
  cli config resetstat >/dev/null
  local j0 r0 out t0
  t0=$(date +%H:%M:%S)
  j0=$(cpu "$pid"); r0=$(cpu "$rpid")
  out=$(wrk -t2 -c"$conns" -d"${secs}s" --latency -s "$script" "$url" -- "$offset" "$clients")
  local j1 r1 reqs p99 non es
  j1=$(cpu "$pid"); r1=$(cpu "$rpid")
  es=$(evalsha); es=${es:-"0 0"}
  reqs=$(echo "$out" | sed -n 's/^ *\([0-9]*\) requests in.*/\1/p')
  p99=$(echo "$out" | sed -n 's/.*p99 \([0-9.]*\) ms.*/\1/p')
  non=$(echo "$out" | sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p')
  echo "$name $reqs $secs $p99 $((j1 - j0)) $((r1 - r0)) $es ${non:-0}" >> $results
  echo "$name $t0 $(date +%H:%M:%S)" >> $tmp/windows
  echo "$name $reqs $secs $p99 $((j1 - j0)) $((r1 - r0)) $es ${non:-0}" | awk -v tick="$tick" '{
    printf "  %-13s %8.0f req/s  p99 %6.2f ms  JVM %.3f ms/req  Redis %5.1f us/req (EVALSHA %5.1f us/call, %.2f calls/req)  non-2xx %d\n",
      $1, $2 / $3, $4, $5 * 1000 / tick / $2, $6 * 1e6 / tick / $2, ($7 ? $8 / $7 : 0), $7 / $2, $9 }'
}

# a recording started between rounds cost the next round of each JVM 7x its CPU per request (its compiled code
# made again): it starts before the warm-up
[ -z "${JFR:-}" ] || jcmd $opid JFR.start name=sbs settings=${JFR_SETTINGS:-profile} filename="$JFR" >/dev/null
[ -z "${JFR:-}" ] || [ -z "${OLD_JAR:-}" ] || jcmd $xpid JFR.start name=sbs settings=${JFR_SETTINGS:-profile} filename="${JFR%.jfr}-before.jfr" >/dev/null
# ours has far more code to compile than the baseline: at 10 s its C2 thread still used a third of
# the round's CPU, so the warm-up is longer than a round
warm=${WARMUP:-30}
echo "warming up both for ${warm}s each…"
wrk -t2 -c"$conns" -d"${warm}s" -s bench/queries.lua http://127.0.0.1:$bport -- 0 "$clients" >/dev/null
wrk -t2 -c"$conns" -d"${warm}s" -s bench/queries.lua http://127.0.0.1:$oport -- 0 "$clients" >/dev/null
[ -z "${OLD_JAR:-}" ] || wrk -t2 -c"$conns" -d"${warm}s" -s bench/queries.lua http://127.0.0.1:$xport -- $old_base "$clients" >/dev/null
# EXTRA_WARMUP: more warm-up for ours and OLD_JAR on numbers never seeded (each a quick SMS_CODE_EXPIRED through
# the same HTTP request, bus hop and script call, traced alike), so it can run minutes without using a round's numbers
if [ -n "${EXTRA_WARMUP:-}" ]; then
  wrk -t2 -c"$conns" -d"${EXTRA_WARMUP}s" -s bench/queries.lua http://127.0.0.1:$oport -- 5000000 "$clients" >/dev/null
  [ -z "${OLD_JAR:-}" ] || wrk -t2 -c"$conns" -d"${EXTRA_WARMUP}s" -s bench/queries.lua http://127.0.0.1:$xport -- 5000000 "$clients" >/dev/null
fi
for p in "${extra_ports[@]}"; do wrk -t2 -c"$conns" -d"${warm}s" -s bench/queries.lua http://127.0.0.1:$p -- 0 "$clients" >/dev/null; done
[ "$sms_rounds" = 0 ] || wrk -t2 -c16 -d"${warm}s" -s bench/sms-codes.lua http://127.0.0.1:$oport -- 0 >/dev/null
[ "$sms_rounds" = 0 ] || [ -z "${OLD_JAR:-}" ] || wrk -t2 -c16 -d"${warm}s" -s bench/sms-codes.lua http://127.0.0.1:$xport -- $stride >/dev/null

echo "== POST /api/v1/queries (ours) vs one EVALSHA per POST (baseline): ${secs}s rounds, $conns connections, wrk -t2"
for r in $(seq "$rounds"); do
  echo "round $r (load $(cut -d' ' -f1 /proc/loadavg))"
  run baseline $bpid http://127.0.0.1:$bport bench/queries.lua 0
  [ "${THREADS:-0}" = 0 ] || { threads $opid > $tmp/threads0; [ -z "${OLD_JAR:-}" ] || threads $xpid > $tmp/xthreads0; }
  # with OLD_JAR, the two take turns going first (an even round runs ours first): a slot's position in the
  # round (what ran just before it, Redis's keyspace a round's worth larger) is not on one side only
  if [ -n "${OLD_JAR:-}" ] && [ $((r % 2)) = 1 ]; then
    run before $xpid http://127.0.0.1:$xport bench/queries.lua $((old_base + (r + 2) * stride))
  fi
  run queries $opid http://127.0.0.1:$oport bench/queries.lua $(((r + 2) * stride))
  if [ -n "${OLD_JAR:-}" ] && [ $((r % 2)) = 0 ]; then
    run before $xpid http://127.0.0.1:$xport bench/queries.lua $((old_base + (r + 2) * stride))
  fi
  cli info commandstats > $tmp/commandstats-queries # the others' rounds come after it
  for k in "${!extra_pids[@]}"; do run "${extra_names[$k]}" "${extra_pids[$k]}" http://127.0.0.1:${extra_ports[$k]} bench/queries.lua 0; done
  tail -n $(( $([ -z "${OLD_JAR:-}" ] && echo 2 || echo 3) + ${#extra_pids[@]} )) $results | awk '$1 == "baseline" {b = $2 / $3} $1 == "queries" {q = $2 / $3}
    $1 == "before" {o = $2 / $3} $1 ~ /^(floor|baseline-)/ {f[$1] = $2 / $3}
    END {printf "  round %d ratio queries/baseline %.2f", r, q / b; if (o) printf ", before/baseline %.2f, before/queries %.3f", o / b, o / q
      for (k in f) printf ", %s/baseline %.2f", k, f[k] / b; if (f["baseline-pool"]) printf ", queries/baseline-pool %.2f", q / f["baseline-pool"]; print ""}' r=$r
  [ "${THREADS:-0}" = 0 ] || { threads $opid > $tmp/threads1; echo "  ours by thread (ticks of 1/$tick s in the round):"
    join -a2 $tmp/threads0 $tmp/threads1 | awk '{d = $3 - $2; if (NF == 2) d = $2; if (d > 0) s[$1] += d} END {for (k in s) print "   ", s[k], k}' | sort -rn | head -12
    [ -z "${OLD_JAR:-}" ] || { threads $xpid > $tmp/xthreads1; echo "  before by thread:"
      join -a2 $tmp/xthreads0 $tmp/xthreads1 | awk '{d = $3 - $2; if (NF == 2) d = $2; if (d > 0) s[$1] += d} END {for (k in s) print "   ", s[k], k}' | sort -rn | head -16; }; }
done

echo "Redis commandstats of the last queries round (commands inside scripts counted too):"
tr -d '\r' < $tmp/commandstats-queries | grep '^cmdstat' | grep -v 'cmdstat_info\|config' | sed 's/^/  /; s/,rejected_calls.*//'

if [ "$sms_rounds" != 0 ]; then
  echo "== POST /api/v1/sms-codes (ours: captcha verify, per-IP limit, code script, text to the SMS simulator): ${secs}s rounds, $conns connections"
  for r in $(seq "$sms_rounds"); do
    if [ -z "${OLD_JAR:-}" ]; then
      run sms-codes $opid http://127.0.0.1:$oport bench/sms-codes.lua $((r * stride))
    else
      run sms-before $xpid http://127.0.0.1:$xport bench/sms-codes.lua $((2 * r * stride + stride))
      run sms-codes $opid http://127.0.0.1:$oport bench/sms-codes.lua $((2 * r * stride))
    fi
  done
fi
[ -z "${JFR:-}" ] || jcmd $opid JFR.stop name=sbs >/dev/null
[ -z "${JFR:-}" ] || [ -z "${OLD_JAR:-}" ] || jcmd $xpid JFR.stop name=sbs >/dev/null
# a JIT pathology seen in one slot's rounds (bench/README.md, "deoptimization storm"): HotSpot's uncommon traps, counted
# in each of the slot's own rounds from its recording
deopts() { # deopts SLOT FILE
  jfr print --events jdk.Deoptimization "$2" | sed -n 's/^ *startTime = \([0-9:]*\).*/\1/p' > $tmp/deopt-times
  awk -v slot="$1" '$1 == slot {print $2, $3}' $tmp/windows | while read -r a b; do
    awk -v a="$a" -v b="$b" '$1 >= a && $1 <= b {n++} END {printf " %d", n}' $tmp/deopt-times
  done
}
if [ -n "${JFR:-}" ]; then
  echo "uncommon traps (jdk.Deoptimization) in each round: queries$(deopts queries "$JFR")"
  [ -z "${OLD_JAR:-}" ] || echo "uncommon traps (jdk.Deoptimization) in each round: before$(deopts before "${JFR%.jfr}-before.jfr")"
fi

echo "== totals over the rounds"
awk -v tick="$tick" '{ n[$1] += $2; t[$1] += $3; j[$1] += $5; r[$1] += $6; c[$1] += $7; u[$1] += $8; x[$1] += $9
    if ($4 > p[$1]) p[$1] = $4 }
  END {
    for (k in n) printf "  %-13s %8.0f req/s  worst p99 %6.2f ms  JVM %.3f ms/req  Redis %5.1f us/req (EVALSHA %5.1f us/call)  non-2xx %d\n",
      k, n[k] / t[k], p[k], j[k] * 1000 / tick / n[k], r[k] * 1e6 / tick / n[k], (c[k] ? u[k] / c[k] : 0), x[k]
    if (n["baseline"] > 0) printf "  ratio queries/baseline: %.2f\n", (n["queries"] / t["queries"]) / (n["baseline"] / t["baseline"])
    if (n["before"] > 0) printf "  ratio before/baseline: %.2f\n", (n["before"] / t["before"]) / (n["baseline"] / t["baseline"])
    if (n["before"] > 0) printf "  ratio before/queries: %.3f (JVM ms/req %.4f / %.4f)\n", (n["before"] / t["before"]) / (n["queries"] / t["queries"]), j["before"] * 1000 / tick / n["before"], j["queries"] * 1000 / tick / n["queries"]
    for (k in n) if (k ~ /^(floor|baseline-)/) printf "  ratio %s/baseline: %.2f\n", k, (n[k] / t[k]) / (n["baseline"] / t["baseline"])
    if (n["baseline-pool"] > 0) printf "  ratio queries/baseline-pool: %.2f\n", (n["queries"] / t["queries"]) / (n["baseline-pool"] / t["baseline-pool"])
  }' $results
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# Front-door benchmark (issue 2): POST /api/v1/queries success path and captcha issuing, with wrk on
# loopback against the built jar, its own Redis on a private port, the pipeline switched off so
# only the front door is measured.
#   bench/front-door.sh [seconds] [connections]
# Needs: wrk, redis-server, redis-cli. Prints req/s and latency percentiles for both routes, and
# Redis round trips per accepted query (commandstats: evalsha calls / accepted).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
conns=${2:-64}
rport=6399
hport=8097
sport=18197

[ -f target/yzt.jar ] || mvn -q -B -ntp package -DskipTests
redis-server --port $rport --bind 127.0.0.1 --save "" --appendonly no --daemonize yes --logfile /tmp/yzt-bench-redis.log
trap 'kill $app 2>/dev/null || true; redis-cli -p $rport shutdown nosave >/dev/null 2>&1 || true' EXIT
sleep 0.5

# each wrk thread takes its own range of 10^7 numbers (see queries.lua); seed enough codes in both
per_thread=${SEED_PER_THREAD:-300000}
echo "seeding $((2 * per_thread)) live codes…"
java -cp target/yzt.jar bench/SeedCodes.java $per_thread 0 | redis-cli -p $rport --pipe | tail -1
java -cp target/yzt.jar bench/SeedCodes.java $per_thread 10000000 | redis-cli -p $rport --pipe | tail -1

YZT_REDIS_CONNECTIONSTRING=redis://127.0.0.1:$rport/0 YZT_HTTP_PORT=$hport YZT_SIMULATORS_PORT=$sport \
YZT_SMS_BASEURL=http://127.0.0.1:$sport/sms \
YZT_LIMITS_PERIP_QUERIES_MAX=1000000000 YZT_LIMITS_PERIP_CODEFAILURES_MAX=1000000000 YZT_LIMITS_PERIP_CAPTCHA_MAX=1000000000 \
YZT_VERTICLES_PIPELINE_INSTANCES=0 YZT_VERTICLES_CAPTCHA_INSTANCES=${CAPTCHA_INSTANCES:-2} \
  java -jar target/yzt.jar > /tmp/yzt-bench-app.log 2>&1 &
app=$!
for _ in $(seq 100); do curl -sf localhost:$hport/ready >/dev/null && break; sleep 0.2; done

# warm-up (JIT), not measured: its numbers come from the top of each thread's range
echo "warming up for 10 s…"
wrk -t2 -c$conns -d10s -s bench/queries.lua http://127.0.0.1:$hport -- 200000 >/dev/null
wrk -t2 -c16 -d5s -s bench/captcha.lua http://127.0.0.1:$hport/api/v1/captcha >/dev/null
before=$(redis-cli -p $rport xlen yzt:jobs)
redis-cli -p $rport config resetstat >/dev/null
echo "== POST /api/v1/queries, ${secs}s, $conns connections"
wrk -t2 -c$conns -d${secs}s --latency -s bench/queries.lua http://127.0.0.1:$hport | grep -E "Requests/sec|Latency|p50|Non-2xx|requests in"
accepted=$(( $(redis-cli -p $rport xlen yzt:jobs) - before ))
# the success path is one EVALSHA (query_submit.lua: limit, code, window, job, stream entry);
# Redis counts the commands inside a script too, so EVALSHA calls are the round trips
evalsha=$(redis-cli -p $rport info commandstats | tr -d '\r' | grep "^cmdstat_evalsha:" | sed -E 's/.*:calls=([0-9]+),.*/\1/')
echo "accepted queries: $accepted; EVALSHA round trips: $evalsha ($(echo "scale=3; $evalsha/$accepted" | bc) per accepted query)"

echo "== POST /api/v1/captcha, ${secs}s, 16 connections"
wrk -t2 -c16 -d${secs}s --latency -s bench/captcha.lua http://127.0.0.1:$hport/api/v1/captcha | grep -E "Requests/sec|Latency|p50|Non-2xx|requests in"

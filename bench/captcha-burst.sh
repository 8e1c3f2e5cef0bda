#!/usr/bin/env bash
# Captchas served by POST /api/v1/captcha in the first second of a burst after idle (pool full)
# and sustained (pool drained, every image rendered on demand or by the refill), with wrk on
# loopback against the built jar, its own Redis on a private port, per-IP limits lifted.
#   [POOL=2000] bench/captcha-burst.sh [SUSTAINED_SECONDS=15] [CONNECTIONS=32]
# POOL=0 is the baseline: the same code with every captcha rendered on demand.
# KIND=audio does the same for the spoken captcha (captcha.lua sends {"kind":"audio"}, captcha.audioPoolSize=POOL,
# default 100 as in conf/config.json; both per-IP limits lifted).
# Needs: wrk, redis-server, redis-cli, curl. Prints req/s, latency, the pool level and JVM CPU
# per captcha (from /proc/PID/stat).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
conns=${2:-32}
rport=6398
hport=8096
sport=18196
url=http://127.0.0.1:$hport
kind=${KIND:-image}
if [ "$kind" = audio ]; then
  pool_size=${POOL:-100}; image_pool=2000; audio_pool=$pool_size; gauge=yzt_captcha_audio_pool_ready
else
  pool_size=${POOL:-2000}; image_pool=$pool_size; audio_pool=100; gauge=yzt_captcha_pool_ready
fi

[ -f target/yzt.jar ] || mvn -q -B -ntp package -DskipTests
redis-server --port $rport --bind 127.0.0.1 --save "" --appendonly no --daemonize yes --logfile /tmp/yzt-bench-captcha-redis.log
app=
trap '[ -n "$app" ] && kill $app 2>/dev/null; redis-cli -p $rport shutdown nosave >/dev/null 2>&1 || true' EXIT
sleep 0.5

YZT_REDIS_CONNECTIONSTRING=redis://127.0.0.1:$rport/0 YZT_HTTP_PORT=$hport YZT_SIMULATORS_PORT=$sport \
YZT_SMS_BASEURL=http://127.0.0.1:$sport/sms YZT_LIMITS_PERIP_CAPTCHA_MAX=1000000000 \
YZT_LIMITS_PERIP_AUDIOCAPTCHA_MAX=1000000000 \
YZT_CAPTCHA_POOLSIZE=$image_pool YZT_CAPTCHA_AUDIOPOOLSIZE=$audio_pool \
YZT_VERTICLES_PIPELINE_INSTANCES=0 YZT_VERTICLES_CAPTCHA_INSTANCES=${CAPTCHA_INSTANCES:-2} \
  java -jar target/yzt.jar > /tmp/yzt-bench-captcha-app.log 2>&1 &
app=$!
for _ in $(seq 150); do curl -sf $url/ready >/dev/null && break; sleep 0.2; done

pool() { curl -s $url/metrics | grep -E "^$gauge " | cut -d' ' -f2 | cut -d. -f1; }
cpu_ticks() { awk '{print $14 + $15}' /proc/$app/stat; }
hz=$(getconf CLK_TCK)
wait_full() {
  for _ in $(seq 300); do
    [ "$(pool)" -ge "$1" ] 2>/dev/null && return; sleep 0.2
  done
}
run() { # seconds, label
  local t0 c0 out n
  c0=$(cpu_ticks)
  out=$(wrk -t2 -c$conns -d${1}s --latency -s bench/captcha.lua $url/api/v1/captcha)
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "== $2: $(echo "$out" | grep -E 'Requests/sec' | tr -s ' ')  ($n captchas)"
  echo "$out" | grep -E "p50|Non-2xx" || true
  echo "   JVM CPU per captcha: $(echo "scale=3; ($(cpu_ticks) - $c0) * 1000 / $hz / $n" | bc) ms; pool after: $(pool)"
}

echo "warming up (JIT) for 10 s, $conns connections…"
wrk -t2 -c$conns -d10s -s bench/captcha.lua $url/api/v1/captcha >/dev/null
echo "idle until the pool is full again…"
wait_full "$pool_size"
sleep 2
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
run 1 "first second of a burst after idle (pool $(pool))"
run "$secs" "sustained, ${secs} s"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# Pipeline benchmark: Redis memory per pending job, then completed queries/s while a backlog drains
# (acceptance -> result text at the SMS simulator, through the real carrier, enterprise and SMS
# verticles and signed HTTP), with the simulators answering after LATENCY ms.
# Usage: bench/pipeline.sh [JOBS=20000] [LATENCY_MS=20] [INSTANCES=2] [MAX_IN_FLIGHT=config default]
# Other verticles' instance counts (config defaults when unset): BENCH_CARRIER, BENCH_ENTERPRISE,
# BENCH_SMS, BENCH_SIMULATORS. JVM options for the benchmark's JVM: BENCH_JVM (e.g. a JFR recording).
# The service logs as deployed (bench/logback-bench.xml: asynchronous, to target/bench-logs/yzt.log).
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${1:-20000}; LATENCY=${2:-20}; INSTANCES=${3:-2}; INFLIGHT=${4:-}
echo "load before: $(uptime)"
mvn -q -B -o test -Dtest=PipelineBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.jobs="$JOBS" -Dbench.latencyMs="$LATENCY" -Dbench.instances="$INSTANCES" -Dbench.maxInFlight="$INFLIGHT" \
  -Dbench.carrier.instances="${BENCH_CARRIER:-}" -Dbench.enterprise.instances="${BENCH_ENTERPRISE:-}" \
  -Dbench.sms.instances="${BENCH_SMS:-}" -Dbench.simulators.instances="${BENCH_SIMULATORS:-}" \
  -Dbench.jvm="-Dlogback.configurationFile=$PWD/bench/logback-bench.xml ${BENCH_JVM:-}"
grep '^BENCH' target/surefire-reports/org.yzt.bench.PipelineBenchmark-output.txt
echo "load after: $(uptime)"

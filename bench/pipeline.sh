#!/usr/bin/env bash
# Pipeline benchmark: Redis memory per pending job, then completed queries/s while a backlog drains
# (acceptance -> result text at the SMS service), with the simulators answering after LATENCY ms.
# Usage: bench/pipeline.sh [JOBS=20000] [LATENCY_MS=20] [INSTANCES=2] [MAX_IN_FLIGHT=128]
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${1:-20000}; LATENCY=${2:-20}; INSTANCES=${3:-2}; INFLIGHT=${4:-128}
mvn -q -B -o test -Dtest=PipelineBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.jobs="$JOBS" -Dbench.latencyMs="$LATENCY" -Dbench.instances="$INSTANCES" -Dbench.maxInFlight="$INFLIGHT"
grep '^BENCH' target/surefire-reports/org.yzt.bench.PipelineBenchmark-output.txt

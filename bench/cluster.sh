#!/usr/bin/env bash
# Two-node TLS cluster (the configuration of ClusterTest, default delivery settings): the time from
# asking for a code to status DONE, QUERIES one after another, in ROUNDS rounds without and with an
# intruder (no certificate, and another CA's) knocking at the membership ports.
# Usage: bench/cluster.sh [QUERIES=20] [ROUNDS=2]
set -euo pipefail
cd "$(dirname "$0")/.."
QUERIES=${1:-20}; ROUNDS=${2:-2}
echo "load before: $(uptime)"
mvn -q -B -o test -Dtest=ClusterBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.clusterQueries="$QUERIES" -Dbench.clusterRounds="$ROUNDS"
grep '^BENCH' target/surefire-reports/org.yzt.ops.ClusterBenchmark-output.txt
echo "load after: $(uptime)"

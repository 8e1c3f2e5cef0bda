#!/usr/bin/env bash
# A person's whole flow at load (bench/README.md, issue 23): captcha -> code -> query -> pipeline to
# DONE, over HTTP against one node with every role, the simulated peers answering after LATENCY ms.
# Prints each step's rate, Redis CPU and JVM CPU per flow, then as its last line
#   flow: <N> flows/s, redis <R> us/flow, jvm <J> ms/flow
# Usage: bench/flow.sh [FLOWS=2000] [CONCURRENCY=32] [LATENCY_MS=20]
#   CLUSTER=1  against a 3-master Redis Cluster started here (Redis CPU summed over the masters)
#   REPLICAS=true|false  each Redis with a replica or not (default: the cluster with, standalone without;
#              a master feeds each write to its replica: compare like with like)
#   BASE=<commit>  the same benchmark on another commit's code (a temporary git worktree; standalone only)
set -euo pipefail
cd "$(dirname "$0")/.."
FLOWS=${1:-2000}; CONC=${2:-32}; LATENCY=${3:-20}
dir=$PWD
if [ -n "${BASE:-}" ]; then
  dir=$(mktemp -d /tmp/yzt-flow-base.XXXXXX)
  git worktree add -q --detach "$dir" "$BASE"
  trap 'git worktree remove --force "$dir"' EXIT
  # target/ too: a fresh worktree has none, and the mvn log below is written there
  mkdir -p "$dir/src/test/java/org/yzt/bench" "$dir/src/test/java/org/yzt/testing" "$dir/target"
  cp src/test/java/org/yzt/bench/FlowBenchmark.java "$dir/src/test/java/org/yzt/bench/"
  cp src/test/java/org/yzt/testing/RedisClusterSet.java "$dir/src/test/java/org/yzt/testing/"
fi
cd "$dir"
mkdir -p target # a fresh worktree has none, and the mvn log below is written there
rm -f target/surefire-reports/org.yzt.bench.FlowBenchmark-output.txt
echo "load before: $(uptime)"
mvn -q -B -o test -Dtest=FlowBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.flows="$FLOWS" -Dbench.concurrency="$CONC" -Dbench.latencyMs="$LATENCY" -Dbench.cluster="${CLUSTER:+true}" ${REPLICAS:+-Dbench.replicas=$REPLICAS} \
  -Dbench.jvm="-Dlogback.configurationFile=$dir/bench/logback-bench.xml" > target/flow-mvn.log 2>&1 || true
echo "load after: $(uptime)"
grep -E '^(idle|step|cmds|master|flows|flow:|captcha pool)' target/surefire-reports/org.yzt.bench.FlowBenchmark-output.txt

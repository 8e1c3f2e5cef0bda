#!/usr/bin/env bash
# The pipeline benchmark (bench/pipeline.sh) on two builds in alternating rounds, so both see the
# same machine: BASE (a commit, checked out under /tmp with this tree's PipelineBenchmark.java, so
# both sides are measured the same way) and the working tree. Prints each round's steady figures
# (second half of the drain) and the ratio of JVM CPU per completed query.
# Usage: bench/pipeline-ab.sh BASE [JOBS=40000] [ROUNDS=2] [LATENCY_MS=20] [INSTANCES=2]
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${1:?usage: bench/pipeline-ab.sh BASE [JOBS] [ROUNDS] [LATENCY_MS] [INSTANCES]}
JOBS=${2:-40000}; ROUNDS=${3:-2}; LATENCY=${4:-20}; INSTANCES=${5:-2}
HEAD_DIR=$(pwd)
BASE_DIR=/tmp/yzt-bench-base-$(git rev-parse --short "$BASE")
if [ ! -d "$BASE_DIR" ]; then
  mkdir -p "$BASE_DIR"
  git archive "$BASE" | tar -x -C "$BASE_DIR"
fi
cp src/test/java/org/yzt/bench/PipelineBenchmark.java "$BASE_DIR/src/test/java/org/yzt/bench/"
(cd "$BASE_DIR" && mvn -q -B -o test-compile)
mvn -q -B -o test-compile
run() { # dir label
  (cd "$1" && mvn -q -B -o surefire:test -Dtest=PipelineBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
    -Dbench.jobs="$JOBS" -Dbench.latencyMs="$LATENCY" -Dbench.instances="$INSTANCES" \
    -Dbench.jvm="-Dlogback.configurationFile=$HEAD_DIR/bench/logback-bench.xml ${BENCH_JVM:-}" >/dev/null 2>&1 || true)
  local line
  line=$(grep -h '^BENCH steady' "$1/target/surefire-reports/org.yzt.bench.PipelineBenchmark-output.txt" || echo "BENCH steady: (no result)")
  echo "$2 ${line#BENCH }"
}
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r, load $(cut -d' ' -f1-3 /proc/loadavg)"
  run "$BASE_DIR" "  base $BASE:"
  run "$HEAD_DIR" "  head:"
done | tee /tmp/pipeline-ab.out
python3 - <<'PY'
import re
base=[];head=[]
for l in open('/tmp/pipeline-ab.out'):
    m=re.search(r'([\d.]+) completed queries/s, JVM ([\d.]+) ms and Redis ([\d.]+) ms',l)
    if m: (base if 'base' in l else head).append(tuple(map(float,m.groups())))
if base and head:
    avg=lambda xs,i: sum(x[i] for x in xs)/len(xs)
    print(f"mean: base {avg(base,0):.0f}/s JVM {avg(base,1):.3f} ms Redis {avg(base,2):.3f} ms | head {avg(head,0):.0f}/s JVM {avg(head,1):.3f} ms Redis {avg(head,2):.3f} ms | head/base rate {avg(head,0)/avg(base,0):.2f}, JVM CPU {avg(head,1)/avg(base,1):.2f}")
PY

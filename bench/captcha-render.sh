#!/bin/sh
# Captcha rendering on one thread, ours against Kaptcha 2.3.2 in alternating rounds:
#   bench/captcha-render.sh [ROUNDS=6] [SECONDS_PER_RUN=2]
# Kaptcha comes from Maven Central through the bench-only profile "kaptcha-bench" (never a
# dependency of the jar); the bench runs in source-file mode on the compiled main classes.
set -e
cd "$(dirname "$0")/.."
mvn -q -B -ntp -Dstyle.color=never -Pkaptcha-bench compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Djava.awt.headless=true -cp "target/classes:$(cat target/bench-classpath.txt)" \
  bench/CaptchaRenderBench.java "${1:-6}" "${2:-2}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

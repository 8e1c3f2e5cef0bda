#!/bin/sh
# Captcha image rendering throughput on one thread: bench/captcha-render.sh [seconds]
# Compiles the main classes offline, then runs bench/CaptchaRenderBench.java in source-file mode.
set -e
cd "$(dirname "$0")/.."
mvn -q -B -o compile
exec java -Djava.awt.headless=true -cp target/classes bench/CaptchaRenderBench.java "${1:-5}"

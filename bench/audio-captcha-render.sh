#!/bin/sh
# Spoken captchas mixed per second on one thread, and CPU per captcha:
#   bench/audio-captcha-render.sh [ROUNDS=6] [SECONDS_PER_RUN=2]
set -e
cd "$(dirname "$0")/.."
mvn -q -B -ntp -o -Dstyle.color=never compile
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp target/classes bench/SpokenCaptchaRenderBench.java "${1:-6}" "${2:-2}"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/bin/sh
# Captcha samples as the service renders them: bench/captcha-samples.sh N DIR
# Writes DIR/<i>.png for i in 0..N-1 and DIR/answers.txt with lines "<i> <ANSWER>".
set -e
[ $# -eq 2 ] || { echo "usage: bench/captcha-samples.sh N DIR" >&2; exit 2; }
n=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)
cd "$(dirname "$0")/.."
mvn -q -B -ntp -o -Dstyle.color=never compile
exec java -Djava.awt.headless=true -cp target/classes bench/CaptchaSamples.java "$n" "$dir"

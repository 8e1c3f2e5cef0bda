#!/bin/sh
# Spoken captchas as the service mixes them: bench/audio-captcha-samples.sh N DIR
# Writes DIR/<i>.wav (8 kHz 8-bit mono) for i in 0..N-1 and DIR/answers.txt with lines "<i> <DIGITS>".
set -e
[ $# -eq 2 ] || { echo "usage: bench/audio-captcha-samples.sh N DIR" >&2; exit 2; }
n=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)
cd "$(dirname "$0")/.."
mvn -q -B -ntp -o -Dstyle.color=never compile
exec java -cp target/classes bench/SpokenCaptchaSamples.java "$n" "$dir"

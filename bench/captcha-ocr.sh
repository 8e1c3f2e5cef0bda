#!/bin/sh
# Off-the-shelf OCR against our captchas: bench/captcha-ocr.sh [N=1000] [DIR=/tmp/yzt-captcha-ocr]
# Renders N samples with bench/captcha-samples.sh, then bench/captcha_ocr.py runs Debian's
# tesseract (5.x) with the usual preparations and prints the solve rate of each strategy.
# Needs: tesseract-ocr, python3-pil, python3-numpy (apt-get install -y tesseract-ocr python3-pil python3-numpy).
set -e
n=${1:-1000}
dir=${2:-/tmp/yzt-captcha-ocr}
cd "$(dirname "$0")/.."
for p in tesseract-ocr python3-pil python3-numpy; do
  dpkg -s $p >/dev/null 2>&1 || missing="$missing $p"
done
[ -z "$missing" ] || { echo "installing:$missing"; apt-get install -y -qq $missing >/dev/null; }
rm -rf "$dir"
bash bench/captcha-samples.sh "$n" "$dir"
alphabet=$(grep -o 'ALPHABET = "[^"]*"' src/main/java/org/yzt/captcha/CaptchaImage.java | cut -d'"' -f2)
echo "tesseract $(tesseract --version 2>&1 | head -1 | cut -d' ' -f2), whitelist $alphabet, $n images"
exec /usr/bin/python3 bench/captcha_ocr.py "$dir" "$alphabet"

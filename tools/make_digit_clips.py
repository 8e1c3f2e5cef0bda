#!/usr/bin/env python3
"""Makes the spoken captcha's voice (SPEC §2.1): one clip per digit 零 一 … 九, spoken in Mandarin by
Debian's espeak-ng, written as 8 kHz 16-bit mono PCM WAV to src/main/resources/captcha/voice/<d>.wav.

    apt-get install espeak-ng && python3 tools/make_digit_clips.py

The voice is cmn-latn-pinyin, which reads pinyin with its tone (the plain cmn voice reads "ling2" as
English "ling two"). Before a clip is written, its phonemes (espeak-ng -x) must be exactly the
Mandarin reading below, so a different espeak-ng that would read a digit otherwise stops the script
instead of shipping a wrong voice. Nothing else is needed: Python's standard library only.
"""
import math
import os
import struct
import subprocess
import sys
import tempfile
import wave

VOICE = "cmn-latn-pinyin"
RATE = 8000
# digit -> (pinyin, the phonemes espeak-ng must say for it)
DIGITS = {
    0: ("ling2", "l'i35N_|"), 1: ("yi1", "j'i55_|"), 2: ("er4", "'@r51_|"), 3: ("san1", "s'a55n_|"),
    4: ("si4", "s'i[51_|"), 5: ("wu3", "w'u214_|"), 6: ("liu4", "l'iou51_|"), 7: ("qi1", "tS;h'i55_|"),
    8: ("ba1", "p'A55_|"), 9: ("jiu3", "tS;'iou214_|"),
}
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "main", "resources", "captcha", "voice")


def phonemes(text):
    out = subprocess.run(["espeak-ng", "-v", VOICE, "-x", "-q", text], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def speak(text):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "clip.wav")
        # a little slower than the default 175 words a minute: digits said on their own, clearly
        subprocess.run(["espeak-ng", "-v", VOICE, "-s", "140", "-w", path, text], check=True)
        with wave.open(path, "rb") as w:
            assert w.getnchannels() == 1 and w.getsampwidth() == 2, "espeak-ng writes 16-bit mono"
            rate = w.getframerate()
            frames = w.readframes(w.getnframes())
    samples = [s / 32768.0 for s in struct.unpack("<%dh" % (len(frames) // 2), frames)]
    return samples, rate


def trim(samples, rate):
    """Cuts the silence before and after the word (10 ms frames under 2 % of the loudest frame)."""
    n = max(1, rate // 100)
    energy = [math.sqrt(sum(x * x for x in samples[i:i + n]) / n) for i in range(0, len(samples), n)]
    top = max(energy)
    loud = [i for i, e in enumerate(energy) if e > 0.02 * top]
    return samples[max(0, loud[0] - 1) * n:(loud[-1] + 2) * n]


def resample(samples, src, dst):
    """Windowed-sinc resampling with a low-pass at 0.45 * dst (no aliasing into the 8 kHz band)."""
    ratio = dst / src
    cutoff = 0.45 * dst / src  # in cycles per source sample
    half = 32
    out = []
    for k in range(int(len(samples) * ratio)):
        t = k / ratio
        centre = int(t)
        acc = 0.0
        for i in range(centre - half + 1, centre + half + 1):
            if 0 <= i < len(samples):
                x = t - i
                sinc = 2 * cutoff if x == 0 else math.sin(2 * math.pi * cutoff * x) / (math.pi * x)
                window = 0.5 + 0.5 * math.cos(math.pi * x / half) if abs(x) < half else 0.0
                acc += samples[i] * sinc * window
        out.append(acc)
    return out


def write(path, samples):
    peak = max(abs(s) for s in samples) or 1.0
    pcm = [max(-32767, min(32767, int(round(s / peak * 0.9 * 32767)))) for s in samples]
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(struct.pack("<%dh" % len(pcm), *pcm))


def main():
    os.makedirs(OUT, exist_ok=True)
    for digit, (pinyin, expected) in DIGITS.items():
        said = phonemes(pinyin)
        if said != expected:
            sys.exit("espeak-ng %s reads %s (%d) as %r, not %r: no clip written" % (VOICE, pinyin, digit, said, expected))
        samples, rate = speak(pinyin)
        clip = resample(trim(samples, rate), rate, RATE)
        path = os.path.join(OUT, "%d.wav" % digit)
        write(path, clip)
        print("%d %s %s %.2f s -> %s" % (digit, pinyin, said, len(clip) / RATE, os.path.relpath(path)))


if __name__ == "__main__":
    main()

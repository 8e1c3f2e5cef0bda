#!/usr/bin/env python3
"""The obvious machine attack on the spoken captcha (SPEC §2.1), by someone who has its ten clips
(they ship with the code): slide every clip, at every speed the mixer may use, along the captcha
and take the six best non-overlapping matches (normalised cross-correlation), in time order.

    python3 bench/audio_captcha_solver.py DIR          (DIR from bench/audio-captcha-samples.sh)

Prints, for the plain match and for one that prefers loud matches (the foreground is louder than the
babble), the share of captchas read right (goal: under 5 %) and of single digits placed right.
Needs python3-numpy.
"""
import os
import sys
import wave

import numpy as np

RATE = 8000
VOICE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "main", "resources", "captcha", "voice")
RATES = np.arange(0.86, 1.1401, 0.02)


def read(path):
    with wave.open(path, "rb") as w:
        raw = w.readframes(w.getnframes())
        if w.getsampwidth() == 1:
            return (np.frombuffer(raw, dtype=np.uint8).astype(np.float64) - 128) / 127
        return np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768


def resample(clip, rate):
    pos = np.arange(0, len(clip) - 1, rate)
    return np.interp(pos, np.arange(len(clip)), clip)


def ncc(x, t, loud):
    """Normalised cross-correlation of template t at every start position in x (weighted by loudness if loud)."""
    n, m = len(x), len(t)
    size = 1 << (n + m).bit_length()
    t = t - t.mean()
    corr = np.fft.irfft(np.fft.rfft(x, size) * np.conj(np.fft.rfft(t, size)), size)[: n - m + 1]
    c = np.concatenate([[0.0], np.cumsum(x)])
    c2 = np.concatenate([[0.0], np.cumsum(x * x)])
    s = c[m:] - c[:-m]
    s2 = c2[m:] - c2[:-m]
    var = np.maximum(s2 - s * s / m, 1e-9)
    score = corr / (np.sqrt(var) * np.linalg.norm(t))
    if loud:
        # prefer matches where the captcha is loud: the foreground is louder than the babble
        score = score * np.sqrt(var / m) / np.sqrt(np.mean(x * x))
    return score


def templates():
    out = []
    for d in range(10):
        clip = read(os.path.join(VOICE, "%d.wav" % d))
        out.append([(d, resample(clip, r)) for r in RATES])
    return out


def solve(x, temps, loud):
    best = []  # (score, start, digit, length)
    for per_digit in temps:
        for d, t in per_digit:
            if len(t) >= len(x):
                continue
            scores = ncc(x, t, loud)
            # a few local maxima per template, so one strong digit does not hide the others
            for _ in range(8):
                i = int(np.argmax(scores))
                best.append((scores[i], i, d, len(t)))
                lo, hi = max(0, i - len(t) // 2), i + len(t) // 2
                scores[lo:hi] = -1
    best.sort(reverse=True)
    chosen = []
    for score, start, d, length in best:
        if all(start + length * 0.6 <= s or s + l * 0.6 <= start for _, s, _, l in chosen):
            chosen.append((score, start, d, length))
        if len(chosen) == 6:
            break
    chosen.sort(key=lambda c: c[1])
    return "".join(str(c[2]) for c in chosen)


def main():
    folder = sys.argv[1]
    answers = dict(line.split() for line in open(os.path.join(folder, "answers.txt")))
    temps = templates()
    for loud, name in ((False, "clip matcher"), (True, "clip matcher preferring loud matches")):
        right = digits = total = 0
        for i, answer in sorted(answers.items(), key=lambda a: int(a[0])):
            guess = solve(read(os.path.join(folder, i + ".wav")), temps, loud)
            right += guess == answer
            digits += sum(a == b for a, b in zip(guess, answer))
            total += 1
        print("%s: %d of %d captchas right (%.1f %%), %.1f %% of digits in place"
              % (name, right, total, 100.0 * right / total, 100.0 * digits / (6 * total)))


if __name__ == "__main__":
    main()

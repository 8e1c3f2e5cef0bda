#!/usr/bin/python3
"""Off-the-shelf OCR against captcha samples (bench/captcha-ocr.sh runs it).

Usage: captcha_ocr.py DIR ALPHABET
DIR holds <i>.png and answers.txt ("<i> <ANSWER>") from bench/captcha-samples.sh. Each strategy
prepares every image the usual way (grayscale, upscaling, Otsu threshold, median filter, optional
split into four glyphs), runs Debian's tesseract once over the whole list (the model loads once),
and counts answers read exactly (case-insensitive, whitespace dropped). Prints one line per
strategy and the best one.
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image, ImageFilter, ImageOps

DIR, ALPHABET = sys.argv[1], sys.argv[2]
SCALE = 4


def otsu(gray):
    """Otsu's threshold of a uint8 array: the level that maximises between-class variance."""
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = gray.size
    levels = np.arange(256)
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * levels)
    mt = m0[-1]
    w1 = total - w0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mt * w0 / total - m0) ** 2 / (w0 * w1)
    between[~np.isfinite(between)] = 0
    return int(np.argmax(between))


def prepare(path, median_first=False, median=5, scale=SCALE):
    """Grayscale → upscale → (median) → Otsu → (median): black ink on white, as tesseract likes it."""
    img = ImageOps.grayscale(Image.open(path))
    img = img.resize((img.width * scale, img.height * scale), Image.BICUBIC)
    if median_first and median:
        img = img.filter(ImageFilter.MedianFilter(median))
    a = np.asarray(img)
    binary = np.where(a > otsu(a), 255, 0).astype(np.uint8)
    out = Image.fromarray(binary)
    if not median_first and median:
        out = out.filter(ImageFilter.MedianFilter(median))
    return out


def pad(img, border=20):
    return ImageOps.expand(img, border=border, fill=255)


def ink_columns(binary):
    a = np.asarray(binary) < 128
    cols = a.sum(axis=0)
    xs = np.nonzero(cols > 0)[0]
    if len(xs) == 0:
        return cols, 0, binary.width
    return cols, int(xs[0]), int(xs[-1]) + 1


def split_equal(binary):
    """Four equal slices of the inked span (the classic 'fixed slot' split)."""
    _, x0, x1 = ink_columns(binary)
    w = (x1 - x0) / 4
    return [binary.crop((int(x0 + i * w), 0, int(x0 + (i + 1) * w), binary.height)) for i in range(4)]


def split_valleys(binary):
    """Cuts at the emptiest column near each expected boundary (projection split)."""
    cols, x0, x1 = ink_columns(binary)
    w = (x1 - x0) / 4
    cuts = [x0]
    for i in range(1, 4):
        c = int(x0 + i * w)
        lo, hi = max(cuts[-1] + 1, c - int(w / 3)), min(x1 - 1, c + int(w / 3))
        if hi <= lo:
            cuts.append(c)
            continue
        cuts.append(lo + int(np.argmin(cols[lo:hi])))
    cuts.append(x1)
    return [binary.crop((cuts[i], 0, max(cuts[i] + 1, cuts[i + 1]), binary.height)) for i in range(4)]


def tesseract(images, psm, work):
    """One tesseract run over a list of images; returns one text per image."""
    listing = os.path.join(work, "list-%d.txt" % psm)
    with open(listing, "w") as f:
        for p in images:
            f.write(p + "\n")
    base = os.path.join(work, "out-%d" % psm)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    subprocess.run(["tesseract", listing, base, "--psm", str(psm), "--dpi", "300",
                    "-c", "tessedit_char_whitelist=" + ALPHABET],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    with open(base + ".txt", encoding="utf-8", errors="replace") as f:
        pages = f.read().split("\f")
    pages = pages[:len(images)]
    pages += [""] * (len(images) - len(pages))
    return ["".join(p.split()).upper() for p in pages]


def main():
    answers = {}
    with open(os.path.join(DIR, "answers.txt")) as f:
        for line in f:
            i, a = line.split()
            answers[i] = a.upper()
    ids = sorted(answers, key=int)
    work = tempfile.mkdtemp(prefix="yzt-ocr-")

    def whole(name, make, psm):
        paths = []
        for i in ids:
            p = os.path.join(work, "%s-%s.png" % (name, i))
            make(os.path.join(DIR, i + ".png")).save(p)
            paths.append(p)
        return [a for a in tesseract(paths, psm, work)]

    def split(name, make, splitter):
        paths = []
        for i in ids:
            for k, g in enumerate(splitter(make(os.path.join(DIR, i + ".png")))):
                p = os.path.join(work, "%s-%s-%d.png" % (name, i, k))
                pad(g).save(p)
                paths.append(p)
        got = tesseract(paths, 10, work)
        return ["".join(got[4 * n + k][:1] for k in range(4)) for n in range(len(ids))]

    prep = lambda p: pad(prepare(p))
    prep_mf = lambda p: pad(prepare(p, median_first=True))
    plain = lambda p: prepare(p, median=0)
    strategies = [
        ("raw, psm 7", lambda: whole("raw", lambda p: pad(ImageOps.grayscale(Image.open(p)), 8), 7)),
        ("gray x4 otsu, psm 7", lambda: whole("plain7", lambda p: pad(plain(p)), 7)),
        ("gray x4 otsu median5, psm 7", lambda: whole("prep7", prep, 7)),
        ("gray x4 otsu median5, psm 8", lambda: whole("prep8", prep, 8)),
        ("gray x4 median5 otsu, psm 7", lambda: whole("mf7", prep_mf, 7)),
        ("gray x4 otsu median5, split equal, psm 10", lambda: split("eq", prepare, split_equal)),
        ("gray x4 otsu median5, split valleys, psm 10", lambda: split("va", prepare, split_valleys)),
        ("gray x4 median5 otsu, split valleys, psm 10",
         lambda: split("mfva", lambda p: prepare(p, median_first=True), split_valleys)),
    ]
    best = None
    n = len(ids)
    for name, run in strategies:
        got = run()
        right = sum(1 for i, g in zip(ids, got) if g == answers[i])
        chars = sum(sum(1 for a, b in zip(answers[i], g) if a == b) for i, g in zip(ids, got))
        print("%-46s %4d / %d right (%.1f %%), characters in place %.1f %%"
              % (name, right, n, 100.0 * right / n, 100.0 * chars / (4 * n)), flush=True)
        if best is None or right > best[1]:
            best = (name, right)
    print("best: %s, %d / %d = %.2f %%" % (best[0], best[1], n, 100.0 * best[1] / n))


if __name__ == "__main__":
    main()

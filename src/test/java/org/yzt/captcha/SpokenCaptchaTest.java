package org.yzt.captcha;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The spoken captcha's sound (SPEC §2.1): a WAV of 8-bit PCM, mono, 8 kHz, at most 8 s; no silence
 * that hands a plain energy segmenter the six digits; yet each of the six digits there, where it was
 * put (its clip's normalised cross-correlation peaks at its place, above every other digit's clip).
 */
class SpokenCaptchaTest {
  private static final int RATE = SpokenCaptcha.RATE;

  @Test
  void aSpokenCaptchaIsAnEightBitMonoWavAt8KhzOfAtMost8Seconds() {
    for (int i = 0; i < 50; i++) {
      String answer = SpokenCaptcha.randomAnswer();
      assertTrue(answer.matches("[0-9]{6}"), answer);
      byte[] wav = SpokenCaptcha.wav(answer);
      ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
      assertEquals("RIFF", new String(wav, 0, 4));
      assertEquals(wav.length - 8, b.getInt(4));
      assertEquals("WAVE", new String(wav, 8, 4));
      assertEquals("fmt ", new String(wav, 12, 4));
      assertEquals(1, b.getShort(20), "PCM");
      assertEquals(1, b.getShort(22), "mono");
      assertEquals(8000, b.getInt(24), "8 kHz");
      assertEquals(8, b.getShort(34), "8-bit");
      assertEquals("data", new String(wav, 36, 4));
      int samples = b.getInt(40);
      assertEquals(wav.length - 44, samples);
      assertTrue(samples <= 8 * RATE, samples / (double) RATE + " s");
      assertTrue(samples >= 2 * RATE, "six digits take seconds: " + samples / (double) RATE + " s");
    }
  }

  @Test
  void eachCaptchaIsMixedAnewAndLoudnessIsNormalised() {
    byte[] a = SpokenCaptcha.wav("123456");
    byte[] b = SpokenCaptcha.wav("123456");
    assertFalse(java.util.Arrays.equals(a, b), "the same digits never sound the same twice");
    // a seeded random makes the same mix: the randomness is all there is to it
    assertArrayEquals(SpokenCaptcha.render("123456", new SplittableRandom(7)).wav(),
        SpokenCaptcha.render("123456", new SplittableRandom(7)).wav());
    List<Double> levels = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      float[] x = WavFile.readPcm8(SpokenCaptcha.wav(SpokenCaptcha.randomAnswer()));
      levels.add(rms(x, 0, x.length));
    }
    double min = levels.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    double max = levels.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    assertTrue(max / min < 1.25, "loudness from " + min + " to " + max);
  }

  /**
   * A plain energy segmenter (20 ms frames; a threshold halfway, in dB, between the quietest tenth
   * and the loudest frame; bursts of at least 60 ms, gaps under 60 ms bridged) does not find six
   * clean bursts (six, each starting within 100 ms of a digit) in most captchas, nor exactly six
   * bursts of any kind in most; and no captcha starts or ends in silence.
   */
  @Test
  void anEnergySegmenterDoesNotFindSixCleanBursts() {
    int six = 0;
    int clean = 0;
    int n = 200;
    SplittableRandom seeds = new SplittableRandom(1);
    for (int i = 0; i < n; i++) {
      SpokenCaptcha.Spoken s = SpokenCaptcha.render(SpokenCaptcha.randomAnswer(), seeds.split());
      float[] x = WavFile.readPcm8(s.wav());
      if (bursts(x) == 6) {
        six++;
      }
      if (cleanSix(x, s.onsets())) {
        clean++;
      }
      double whole = rms(x, 0, x.length);
      // within 20 dB of the whole: babble and noise, never a silence that marks where speech starts
      assertTrue(rms(x, 0, RATE / 10) > 0.1 * whole, "no silent lead-in");
      assertTrue(rms(x, x.length - RATE / 10, x.length) > 0.1 * whole, "no silent tail");
    }
    assertTrue(six < n / 2, "exactly six bursts in " + six + " of " + n);
    assertTrue(clean < n / 5, "six clean bursts in " + clean + " of " + n);
  }

  /**
   * Each digit is there, over the babble and the noise: the sound placed for it (its clip at its own
   * rate, wobbled and tilted) has its cross-correlation peak with the captcha exactly where it was
   * put, and high (the babble and noise under it are quieter than it). A clip matcher that does not
   * know the wobble is what bench/audio_captcha_solver.py measures.
   */
  @Test
  void allSixDigitsArePresentWhereTheyWerePut() {
    SplittableRandom seeds = new SplittableRandom(2026);
    List<String> missed = new ArrayList<>();
    double lowest = 1;
    for (int c = 0; c < 100; c++) {
      // the answer from the seeded stream too: the same 100 captchas on every run
      String answer = String.format("%06d", seeds.nextInt(1_000_000));
      SpokenCaptcha.Spoken s = SpokenCaptcha.render(answer, seeds.split());
      float[] x = WavFile.readPcm8(s.wav());
      for (int i = 0; i < answer.length(); i++) {
        double[] peak = peak(x, s.voices()[i], s.onsets()[i], RATE / 25);
        lowest = Math.min(lowest, peak[0]);
        if (peak[0] < 0.4 || Math.abs(peak[1] - s.onsets()[i]) > 2) {
          missed.add(answer + "[" + i + "]: peak " + peak[0] + " at " + (peak[1] - s.onsets()[i]) + " samples");
        }
      }
    }
    assertEquals(List.of(), missed, "digits not found where they were put (lowest peak " + lowest + ")");
  }

  // ------------------------------------------------------------------ helpers

  static int bursts(float[] x) {
    return burstStarts(x).size();
  }

  /** Where each burst the segmenter finds starts, in samples. */
  static List<Integer> burstStarts(float[] x) {
    int frame = RATE / 50;
    int frames = x.length / frame;
    double[] db = new double[frames];
    for (int f = 0; f < frames; f++) {
      db[f] = 10 * Math.log10(1e-9 + Math.pow(rms(x, f * frame, (f + 1) * frame), 2));
    }
    double[] sorted = db.clone();
    java.util.Arrays.sort(sorted);
    double threshold = (sorted[frames / 10] + sorted[frames - 1]) / 2;
    boolean[] loud = new boolean[frames];
    for (int f = 0; f < frames; f++) {
      loud[f] = db[f] > threshold;
    }
    // a quiet gap under 60 ms between loud frames does not split a burst
    for (int f = 1; f < frames; f++) {
      if (!loud[f] && loud[f - 1]) {
        int end = f;
        while (end < frames && !loud[end]) {
          end++;
        }
        if (end < frames && end - f < 3) {
          java.util.Arrays.fill(loud, f, end, true);
        }
      }
    }
    List<Integer> starts = new ArrayList<>();
    int run = 0;
    for (int f = 0; f <= frames; f++) {
      if (f < frames && loud[f]) {
        run++;
      } else {
        if (run >= 3) {
          starts.add((f - run) * frame);
        }
        run = 0;
      }
    }
    return starts;
  }

  /** Six bursts, each starting within 100 ms of a digit: the segmentation an attacker needs. */
  static boolean cleanSix(float[] x, int[] onsets) {
    List<Integer> starts = burstStarts(x);
    if (starts.size() != onsets.length) {
      return false;
    }
    for (int i = 0; i < onsets.length; i++) {
      if (Math.abs(starts.get(i) - onsets[i]) > RATE / 10) {
        return false;
      }
    }
    return true;
  }

  static double rms(float[] x, int from, int to) {
    double e = 0;
    for (int i = from; i < to; i++) {
      e += x[i] * x[i];
    }
    return Math.sqrt(e / Math.max(1, to - from));
  }

  /** The highest normalised cross-correlation of {@code t} with {@code x} at starts within ±slack of {@code at}, and that start. */
  static double[] peak(float[] x, float[] t, int at, int slack) {
    double tMean = 0;
    for (float v : t) {
      tMean += v;
    }
    tMean /= t.length;
    double tNorm = 0;
    for (float v : t) {
      tNorm += (v - tMean) * (v - tMean);
    }
    tNorm = Math.sqrt(tNorm);
    double best = -1;
    int where = -1;
    for (int s = Math.max(0, at - slack); s <= at + slack && s + t.length <= x.length; s++) {
      double dot = 0;
      double sum = 0;
      double sum2 = 0;
      for (int j = 0; j < t.length; j++) {
        double v = x[s + j];
        dot += v * (t[j] - tMean);
        sum += v;
        sum2 += v * v;
      }
      double var = sum2 - sum * sum / t.length;
      double score = dot / (Math.sqrt(Math.max(var, 1e-12)) * tNorm);
      if (score > best) {
        best = score;
        where = s;
      }
    }
    return new double[] {best, where};
  }
}

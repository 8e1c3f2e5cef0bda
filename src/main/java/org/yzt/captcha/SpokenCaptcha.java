package org.yzt.captcha;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The spoken captcha of SPEC §2.1: six digits in Mandarin over a background made of the same voice,
 * as an 8 kHz 8-bit mono WAV of at most 8 s.
 *
 * <p>The voice is ten clips (零 … 九) that tools/make_digit_clips.py made with espeak-ng and that ship
 * in {@code captcha/voice/}. Since anyone has the clips, each captcha is mixed anew so that matching
 * them is not enough: each digit is played at its own speed and pitch (a resampling rate), with a
 * slow wobble of that rate (a few per cent, as a voice drifts) and its own tone colour (a first-order
 * tilt), so no stretch of it equals a clip at any one rate; the gaps between digits are random; a
 * babble of other digits of the same voice, at other rates and a lower level, runs from the first
 * sample to the last together with noise, so there is no silence before, between or after the
 * digits for an energy threshold to find. The mix is normalised to one loudness.
 *
 * <p>Thread-safe; a render costs a few milliseconds of CPU (bench/README.md): call it from a worker thread.
 */
public final class SpokenCaptcha {
  public static final int RATE = 8000;
  public static final int LENGTH = 6;
  public static final double MAX_SECONDS = 8.0;
  private static final int MAX_SAMPLES = (int) (MAX_SECONDS * RATE);
  private static final float[][] CLIPS = loadClips();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final float KNEE = 0.7f;

  /**
   * One render: the WAV, and for tests and benches where each digit of the answer starts (samples),
   * the rate it was played at, and the sound placed there (its clip varied, before the mix).
   */
  public record Spoken(String answer, byte[] wav, int[] onsets, double[] rates, float[][] voices) {}

  private SpokenCaptcha() {}

  /** Six digits drawn uniformly by SecureRandom. */
  public static String randomAnswer() {
    char[] out = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      out[i] = (char) ('0' + RANDOM.nextInt(10));
    }
    return new String(out);
  }

  /** True when {@code answer} is something this captcha can say: digits only, 1 to 6 of them. */
  public static boolean canSay(String answer) {
    return answer != null && answer.matches("[0-9]{1," + LENGTH + "}");
  }

  /** The WAV of {@code answer}, mixed with fresh randomness. */
  public static byte[] wav(String answer) {
    return render(answer, new SplittableRandom(RANDOM.nextLong())).wav();
  }

  /** A copy of the clip of digit {@code d} (8 kHz, [-1, 1]). */
  public static float[] clip(int d) {
    return CLIPS[d].clone();
  }

  /** Mixes {@code answer} with the randomness of {@code random} (a seeded one makes the same WAV). */
  public static Spoken render(String answer, SplittableRandom random) {
    if (!canSay(answer)) {
      throw new IllegalArgumentException("a spoken captcha says 1 to " + LENGTH + " digits");
    }
    int n = answer.length();
    float[][] voices = new float[n][];
    double[] rates = new double[n];
    int total = seconds(random, 0.3, 0.7);
    int[] onsets = new int[n];
    for (int i = 0; i < n; i++) {
      rates[i] = random.nextDouble(0.88, 1.12);
      voices[i] = tremolo(vary(CLIPS[answer.charAt(i) - '0'], rates[i], random.nextDouble(0.03, 0.07), random), random);
      onsets[i] = total;
      // a gap may be below zero: the next digit starts as this one fades
      total += voices[i].length + (i < n - 1 ? seconds(random, -0.06, 0.25) : seconds(random, 0.3, 0.6));
    }
    // at most 0.7 + 6 × 0.59 + 5 × 0.45 + 0.6 = 7.1 s for six digits; never more than SPEC §2.1's 8 s
    total = Math.min(total, MAX_SAMPLES);
    float[] mix = new float[total];
    babble(mix, random);
    for (int i = 0; i < n; i++) {
      float gain = (float) random.nextDouble(0.7, 1.0);
      add(mix, voices[i], onsets[i], gain);
    }
    float noise = (float) random.nextDouble(0.02, 0.04);
    for (int i = 0; i < total; i++) {
      mix[i] += (float) (random.nextDouble(-1, 1) + random.nextDouble(-1, 1)) * noise;
    }
    normalise(mix);
    return new Spoken(answer, WavFile.pcm8(mix, RATE), onsets, rates, voices);
  }

  /**
   * A background of the clips themselves: random digits at other speeds and pitches, 15–30 % of the
   * foreground's level, a new one every 0.12–0.3 s from before the first sample to past the last.
   */
  private static void babble(float[] mix, SplittableRandom random) {
    int at = -seconds(random, 0.0, 0.1);
    while (at < mix.length) {
      float[] clip = CLIPS[random.nextInt(10)];
      double rate = random.nextBoolean() ? random.nextDouble(0.72, 0.86) : random.nextDouble(1.14, 1.32);
      add(mix, vary(clip, rate, random.nextDouble(0.02, 0.06), random), at, (float) random.nextDouble(0.15, 0.3));
      at += seconds(random, 0.1, 0.25);
    }
  }

  /**
   * The clip played at {@code rate} (above 1: faster and higher), the rate wobbling by ±{@code depth}
   * over a random period of 0.12–0.3 s, then tilted by a random first-order filter.
   */
  static float[] vary(float[] clip, double rate, double depth, SplittableRandom random) {
    double period = random.nextDouble(0.12, 0.3) * RATE;
    double phase = random.nextDouble(0, 2 * Math.PI);
    int cap = (int) (clip.length / (rate * (1 - depth))) + 2;
    float[] out = new float[cap];
    double pos = 0;
    int k = 0;
    Oscillator wobble = new Oscillator(period, phase);
    while (k < cap && pos < clip.length - 1) {
      int i = (int) pos;
      double f = pos - i;
      out[k] = (float) (clip[i] * (1 - f) + clip[i + 1] * f);
      pos += rate * (1 + depth * wobble.next());
      k++;
    }
    float tilt = (float) random.nextDouble(-0.5, 0.5);
    float previous = 0;
    for (int j = 0; j < k; j++) {
      float x = out[j];
      out[j] = x + tilt * previous;
      previous = x;
    }
    return Arrays.copyOf(out, k);
  }

  /**
   * A slow swell and fade of loudness (3–6 Hz, down to 15–40 %), so that one digit may look like two
   * bursts of energy, and two like one, while the ear follows the word.
   */
  static float[] tremolo(float[] sound, SplittableRandom random) {
    double depth = random.nextDouble(0.6, 0.85);
    double cycle = RATE / random.nextDouble(3, 6);
    double phase = random.nextDouble(0, 2 * Math.PI);
    Oscillator swell = new Oscillator(cycle, phase);
    for (int k = 0; k < sound.length; k++) {
      sound[k] *= (float) (1 - depth * (0.5 + 0.5 * swell.next()));
    }
    return sound;
  }

  /**
   * sin(2πk/period + phase) for k = 0, 1, 2…, by rotating a unit vector: two multiplications a sample
   * instead of a Math.sin (which was most of a render's CPU, JFR on a burst).
   */
  private static final class Oscillator {
    private final double cos;
    private final double sin;
    private double s;
    private double c;

    Oscillator(double period, double phase) {
      cos = Math.cos(2 * Math.PI / period);
      sin = Math.sin(2 * Math.PI / period);
      s = Math.sin(phase);
      c = Math.cos(phase);
    }

    double next() {
      double value = s;
      double s2 = s * cos + c * sin;
      c = c * cos - s * sin;
      s = s2;
      return value;
    }
  }

  private static void add(float[] mix, float[] sound, int at, float gain) {
    for (int j = Math.max(0, -at); j < sound.length && at + j < mix.length; j++) {
      mix[at + j] += sound[j] * gain;
    }
  }

  /**
   * One loudness for every captcha: RMS at 0.2 of full scale; the few peaks above 0.7 are bent
   * softly towards full scale instead of clipping (or of turning the whole captcha down for them).
   */
  private static void normalise(float[] mix) {
    double energy = 0;
    for (float x : mix) {
      energy += x * x;
    }
    float scale = (float) (0.2 / Math.max(Math.sqrt(energy / mix.length), 1e-6));
    for (int i = 0; i < mix.length; i++) {
      float x = mix[i] * scale;
      float a = Math.abs(x);
      mix[i] = a <= KNEE ? x : Math.copySign(KNEE + (1 - KNEE) * (float) Math.tanh((a - KNEE) / (1 - KNEE)), x);
    }
  }

  private static int seconds(SplittableRandom random, double from, double to) {
    return (int) (random.nextDouble(from, to) * RATE);
  }

  private static float[][] loadClips() {
    float[][] clips = new float[10][];
    for (int d = 0; d < 10; d++) {
      String name = "captcha/voice/" + d + ".wav";
      try (InputStream in = SpokenCaptcha.class.getClassLoader().getResourceAsStream(name)) {
        if (in == null) {
          throw new IllegalStateException(name + " is not on the class path (tools/make_digit_clips.py makes it)");
        }
        clips[d] = WavFile.readPcm16(in.readAllBytes(), RATE);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return clips;
  }
}

package org.yzt.captcha;

import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.CubicCurve2D;
import java.awt.image.BufferedImage;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Renders a captcha answer to a PNG that people read at a glance and off-the-shelf OCR does not.
 *
 * <p>The glyphs ({@link Glyphs}) touch or overlap their neighbours at a random advance from a
 * random start (no fixed slots: splitting into four equal boxes or at the emptiest columns cuts
 * through letters), each one scaled, sheared, rotated and raised on its own; the whole picture is
 * bent by a wave (the baseline is never straight). Glyphs are hollow: a wide stroke of ink with a
 * narrower one of paper inside, so touching letters merge into one outline. Two long threads in
 * the glyphs' own ink run edge to edge behind the letters: people see them pass behind and read
 * on, while a colour, threshold or median filter keeps them and they join all four glyphs into
 * one shape. Dark ink on light paper keeps the contrast high; grayscale keeps the PNG small.
 * bench/captcha-ocr.sh measures what Tesseract makes of it.
 *
 * <p>Thread-safe and stateless apart from the shared {@link SecureRandom}. Rendering costs a few
 * hundred microseconds of CPU: call it from a worker thread, never from an event loop.
 */
public final class CaptchaImage {
  /** Four characters, none of which looks like another: no 0/O, no 1/I/L. */
  public static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  public static final int LENGTH = 4;
  public static final int WIDTH = 120;
  public static final int HEIGHT = 44;

  private static final SecureRandom RANDOM = new SecureRandom();

  static {
    for (char c : ALPHABET.toCharArray()) {
      if (!Glyphs.has(c)) {
        throw new ExceptionInInitializerError("no glyph for " + c);
      }
    }
  }

  private CaptchaImage() {}

  /** A new answer: {@link #LENGTH} characters drawn uniformly from {@link #ALPHABET} by SecureRandom. */
  public static String randomAnswer() {
    char[] out = new char[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      out[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
    }
    return new String(out);
  }

  /** True when every character of {@code text} (case-insensitively) has a glyph, and there are 1 to 6 of them. */
  public static boolean canRender(String text) {
    if (text == null || text.isEmpty() || text.length() > 6) {
      return false;
    }
    String up = text.toUpperCase(Locale.ROOT);
    for (int i = 0; i < up.length(); i++) {
      if (!Glyphs.has(up.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** The PNG bytes of a {@link #WIDTH} × {@link #HEIGHT} image showing {@code answer}. */
  public static byte[] png(String answer) {
    return PngEncoder.encode(draw(answer, new SplittableRandom(RANDOM.nextLong())).pixels(), WIDTH, HEIGHT);
  }

  /** The image itself; {@code random} decides every distortion (fixed seeds make tests repeatable). */
  static BufferedImage render(String answer, SplittableRandom random) {
    return draw(answer, random).toImage();
  }

  private static GrayCanvas draw(String answer, SplittableRandom random) {
    if (!canRender(answer)) {
      throw new IllegalArgumentException("cannot render a captcha of this shape");
    }
    String text = answer.toUpperCase(Locale.ROOT);
    GrayCanvas canvas = new GrayCanvas(WIDTH, HEIGHT);
    int paperA = 215 + random.nextInt(36);
    int paperB = 215 + random.nextInt(36);
    canvas.gradient(0, range(random, 0, HEIGHT), paperA, WIDTH, range(random, 0, HEIGHT), paperB);
    Wave wave = new Wave(random);
    Segments ink = new Segments();
    layout(text, random, wave, ink);
    int shade = 15 + random.nextInt(50);
    int paper = (paperA + paperB) / 2;
    // threads in the glyphs' ink and about their outline's width, drawn first so that they pass
    // behind the letters: people see the overlap as depth and read on, while colour, width and
    // median filters keep every thread, and each one joins all four glyphs into one shape
    Segments threads = new Segments();
    wave.bend(thread(random), threads);
    wave.bend(thread(random), threads);
    canvas.stroke(threads, range(random, 1.1, 1.4), shade);
    // hollow glyphs: a wide stroke of ink, then a narrower one of paper inside it; where glyphs
    // touch, their outlines merge
    double outer = range(random, 4.4, 5.0);
    canvas.stroke(ink, outer, shade);
    canvas.stroke(ink, outer - range(random, 2.4, 2.8), paper);
    return canvas;
  }

  /** Places the glyphs at a random start and random overlapping advances, each transformed on its own. */
  private static void layout(String text, SplittableRandom random, Wave wave, Segments into) {
    int n = text.length();
    double[] sx = new double[n];
    double[] adv = new double[n];
    double span = 0;
    for (int i = 0; i < n; i++) {
      sx[i] = range(random, 2.1, 2.5); // a 10-unit glyph becomes 21 to 25 px wide
      adv[i] = sx[i] * 10 * range(random, 0.9, 0.98); // the next glyph starts inside this one
      span += i < n - 1 ? adv[i] : sx[i] * 10;
    }
    double x = range(random, 5, Math.max(6, WIDTH - 5 - span));
    for (int i = 0; i < n; i++) {
      double w = sx[i] * 10;
      AffineTransform t = new AffineTransform();
      t.translate(x + w / 2, HEIGHT / 2.0 + range(random, -3, 3));
      t.rotate(range(random, -0.1, 0.1));
      t.shear(range(random, -0.08, 0.08), 0);
      t.scale(sx[i], sx[i] * range(random, 0.8, 0.88));
      t.translate(-5, -7);
      wave.bend(t.createTransformedShape(Glyphs.path(text.charAt(i), 0.15, random)), into);
      x += adv[i];
    }
  }

  /** A long curve across the text band from edge to edge, rising or falling (never along a glyph's bar). */
  private static Shape thread(SplittableRandom random) {
    double mid = HEIGHT / 2.0;
    double side = random.nextBoolean() ? 1 : -1;
    return new CubicCurve2D.Double(
        range(random, -4, 6), mid + side * range(random, 6, 14),
        range(random, 30, 50), mid + range(random, -14, 14),
        range(random, 70, 90), mid + range(random, -14, 14),
        range(random, WIDTH - 6, WIDTH + 4), mid - side * range(random, 6, 14));
  }

  private static double range(SplittableRandom random, double from, double to) {
    return from + random.nextDouble() * (to - from);
  }
}

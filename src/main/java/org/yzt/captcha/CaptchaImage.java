package org.yzt.captcha;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.CubicCurve2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;

/**
 * Renders a captcha answer to a PNG. The glyphs are our own strokes (no system font is needed, so
 * a fresh headless machine renders the same image as a desktop), each one jittered point by point,
 * scaled, sheared and rotated on its own, over a light gradient with specks, crossed by curves in
 * the glyphs' own ink so that a colour filter does not take them away.
 *
 * <p>Thread-safe and stateless apart from the shared {@link SecureRandom}. Rendering costs about a
 * millisecond of CPU: call it from a worker thread, never from an event loop.
 */
public final class CaptchaImage {
  /** Four characters, none of which looks like another: no 0/O, no 1/I/L. */
  public static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  public static final int LENGTH = 4;
  public static final int WIDTH = 120;
  public static final int HEIGHT = 44;

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Each glyph as a path in a 10 × 14 box (y grows downwards): {@code M x y} moves, {@code L x y}
   * draws a line, {@code Q cx cy x y} a quadratic curve, {@code Z} closes the sub-path.
   */
  private static final Map<Character, String> GLYPHS = Map.ofEntries(
      Map.entry('2', "M 1 3.5 Q 1 0 5 0 Q 9 0 9 4 Q 9 6.5 6 9 L 1 14 L 9.5 14"),
      Map.entry('3', "M 1 2 Q 3 0 5 0 Q 9 0 9 3.5 Q 9 7 4.5 7 Q 9.5 7 9.5 10.5 Q 9.5 14 5 14 Q 2 14 0.5 12"),
      Map.entry('4', "M 7.5 14 L 7.5 0 L 0.5 10 L 10 10"),
      Map.entry('5', "M 9 0 L 2 0 L 1.5 6 Q 3 5 5 5 Q 9.5 5 9.5 9.5 Q 9.5 14 5 14 Q 2 14 0.5 12"),
      Map.entry('6', "M 8.5 1 Q 7 0 5.5 0 Q 1 0 1 7 L 1 9.5 Q 1 14 5 14 Q 9 14 9 9.5 Q 9 5.5 5 5.5 Q 2 5.5 1 8"),
      Map.entry('7', "M 0.5 0 L 9.5 0 L 4 14"),
      Map.entry('8', "M 5 7 Q 1 7 1 3.5 Q 1 0 5 0 Q 9 0 9 3.5 Q 9 7 5 7 Q 0.5 7 0.5 10.5 Q 0.5 14 5 14 "
          + "Q 9.5 14 9.5 10.5 Q 9.5 7 5 7"),
      Map.entry('9', "M 1.5 13 Q 3 14 4.5 14 Q 9 14 9 7 L 9 4.5 Q 9 0 5 0 Q 1 0 1 4.5 Q 1 8.5 5 8.5 Q 8 8.5 9 6"),
      Map.entry('A', "M 0 14 L 5 0 L 10 14 M 2 9 L 8 9"),
      Map.entry('B', "M 1 7 L 1 0 L 5.5 0 Q 9 0 9 3.5 Q 9 7 5.5 7 L 1 7 L 1 14 L 6 14 Q 9.5 14 9.5 10.5 Q 9.5 7 5.5 7"),
      Map.entry('C', "M 9.5 2 Q 8 0 5.5 0 Q 0.5 0 0.5 7 Q 0.5 14 5.5 14 Q 8 14 9.5 12"),
      Map.entry('D', "M 1 0 L 1 14 L 4.5 14 Q 9.5 14 9.5 7 Q 9.5 0 4.5 0 Z"),
      Map.entry('E', "M 9 0 L 1 0 L 1 14 L 9 14 M 1 7 L 7 7"),
      Map.entry('F', "M 9 0 L 1 0 L 1 14 M 1 7 L 7 7"),
      Map.entry('G', "M 9.5 2 Q 8 0 5.5 0 Q 0.5 0 0.5 7 Q 0.5 14 5.5 14 Q 9.5 14 9.5 10 L 9.5 8 L 5.5 8"),
      Map.entry('H', "M 1 0 L 1 14 M 9 0 L 9 14 M 1 7 L 9 7"),
      Map.entry('J', "M 3.5 0 L 9 0 L 9 10 Q 9 14 5 14 Q 1.5 14 1 11"),
      Map.entry('K', "M 1 0 L 1 14 M 9.5 0 L 1 8.5 M 4 5.5 L 9.5 14"),
      Map.entry('M', "M 0.5 14 L 0.5 0 L 5 9 L 9.5 0 L 9.5 14"),
      Map.entry('N', "M 1 14 L 1 0 L 9 14 L 9 0"),
      Map.entry('P', "M 1 14 L 1 0 L 5.5 0 Q 9.5 0 9.5 3.75 Q 9.5 7.5 5.5 7.5 L 1 7.5"),
      Map.entry('Q', "M 5 0 Q 0.5 0 0.5 7 Q 0.5 14 5 14 Q 9.5 14 9.5 7 Q 9.5 0 5 0 Z M 5.5 9.5 L 10 14.5"),
      Map.entry('R', "M 1 14 L 1 0 L 5.5 0 Q 9.5 0 9.5 3.75 Q 9.5 7.5 5.5 7.5 L 1 7.5 M 5 7.5 L 9.5 14"),
      Map.entry('S', "M 9 2 Q 7.5 0 5 0 Q 1 0 1 3.5 Q 1 6.5 5 7 Q 9.5 7.5 9.5 10.5 Q 9.5 14 5 14 Q 2 14 0.5 12"),
      Map.entry('T', "M 0 0 L 10 0 M 5 0 L 5 14"),
      Map.entry('U', "M 1 0 L 1 9.5 Q 1 14 5 14 Q 9 14 9 9.5 L 9 0"),
      Map.entry('V', "M 0 0 L 5 14 L 10 0"),
      Map.entry('W', "M 0 0 L 2.5 14 L 5 5 L 7.5 14 L 10 0"),
      Map.entry('X', "M 0.5 0 L 9.5 14 M 9.5 0 L 0.5 14"),
      Map.entry('Y', "M 0 0 L 5 7 L 10 0 M 5 7 L 5 14"),
      Map.entry('Z', "M 0.5 0 L 9.5 0 L 0.5 14 L 9.5 14"));

  /** The parsed glyphs: per character, a sequence of ops with their coordinates. */
  private static final Map<Character, double[][]> PARSED = new HashMap<>();

  static {
    for (Map.Entry<Character, String> e : GLYPHS.entrySet()) {
      PARSED.put(e.getKey(), parse(e.getValue()));
    }
    for (char c : ALPHABET.toCharArray()) {
      if (!PARSED.containsKey(c)) {
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
      if (!PARSED.containsKey(up.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** The PNG bytes of a {@link #WIDTH} × {@link #HEIGHT} image showing {@code answer}. */
  public static byte[] png(String answer) {
    return encode(render(answer, new SplittableRandom(RANDOM.nextLong())));
  }

  /** The image itself; {@code random} decides every distortion (fixed seeds make tests repeatable). */
  static BufferedImage render(String answer, SplittableRandom random) {
    if (!canRender(answer)) {
      throw new IllegalArgumentException("cannot render a captcha of this shape");
    }
    String text = answer.toUpperCase(Locale.ROOT);
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      background(g, random);
      specks(g, random, 70);
      faintLines(g, random, 3);

      Color[] inks = new Color[text.length()];
      double slot = (WIDTH - 12.0) / text.length();
      for (int i = 0; i < text.length(); i++) {
        inks[i] = ink(random);
        double cx = 6 + slot * (i + 0.5) + range(random, -2, 2);
        double cy = HEIGHT / 2.0 + range(random, -3, 3);
        glyph(g, PARSED.get(text.charAt(i)), cx, cy, slot, inks[i], random);
      }
      // curves in the glyphs' own ink, through the text band: people read through them, colour filters do not remove them
      for (int i = 0; i < 2; i++) {
        crossCurve(g, random, inks[random.nextInt(inks.length)]);
      }
      specks(g, random, 25);
    } finally {
      g.dispose();
    }
    return img;
  }

  private static void glyph(Graphics2D g, double[][] ops, double cx, double cy, double slot, Color ink,
      SplittableRandom random) {
    // glyph box 10 × 14 → about 17 × 28 px, each one a little different
    double sx = Math.min(slot * 0.64, 17) / 10.0 * range(random, 0.9, 1.06);
    double sy = 29.0 / 14.0 * range(random, 0.86, 1.04);
    AffineTransform t = new AffineTransform();
    t.translate(cx, cy);
    t.rotate(range(random, -0.32, 0.32));
    t.shear(range(random, -0.22, 0.22), range(random, -0.08, 0.08));
    t.scale(sx, sy);
    t.translate(-5, -7);

    double wobble = 0.45;
    Path2D.Double p = new Path2D.Double();
    for (double[] op : ops) {
      switch ((int) op[0]) {
        case 'M' -> p.moveTo(op[1] + j(random, wobble), op[2] + j(random, wobble));
        case 'L' -> p.lineTo(op[1] + j(random, wobble), op[2] + j(random, wobble));
        case 'Q' -> p.quadTo(op[1] + j(random, wobble), op[2] + j(random, wobble),
            op[3] + j(random, wobble), op[4] + j(random, wobble));
        case 'Z' -> p.closePath();
        default -> throw new IllegalStateException();
      }
    }
    g.setColor(ink);
    g.setStroke(new BasicStroke((float) range(random, 2.4, 3.3), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(t.createTransformedShape(p));
  }

  private static void background(Graphics2D g, SplittableRandom random) {
    Color a = new Color(225 + random.nextInt(30), 225 + random.nextInt(30), 225 + random.nextInt(30));
    Color b = new Color(225 + random.nextInt(30), 225 + random.nextInt(30), 225 + random.nextInt(30));
    g.setPaint(new GradientPaint(0, (float) range(random, 0, HEIGHT), a, WIDTH, (float) range(random, 0, HEIGHT), b));
    g.fillRect(0, 0, WIDTH, HEIGHT);
  }

  private static void specks(Graphics2D g, SplittableRandom random, int count) {
    for (int i = 0; i < count; i++) {
      int shade = 120 + random.nextInt(100);
      g.setColor(new Color(shade - random.nextInt(40), shade - random.nextInt(40), shade));
      double r = range(random, 0.6, 1.6);
      g.fill(new Ellipse2D.Double(range(random, 0, WIDTH), range(random, 0, HEIGHT), r, r));
    }
  }

  private static void faintLines(Graphics2D g, SplittableRandom random, int count) {
    g.setStroke(new BasicStroke(1f));
    for (int i = 0; i < count; i++) {
      int shade = 150 + random.nextInt(60);
      g.setColor(new Color(shade, shade - random.nextInt(30), shade - random.nextInt(30)));
      g.draw(new Line2D.Double(range(random, 0, WIDTH), range(random, 0, HEIGHT),
          range(random, 0, WIDTH), range(random, 0, HEIGHT)));
    }
  }

  private static void crossCurve(Graphics2D g, SplittableRandom random, Color ink) {
    g.setColor(ink);
    g.setStroke(new BasicStroke((float) range(random, 1.0, 1.6), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(new CubicCurve2D.Double(
        range(random, -5, 15), range(random, 10, HEIGHT - 10),
        range(random, 25, 55), range(random, -15, HEIGHT + 15),
        range(random, 65, 95), range(random, -15, HEIGHT + 15),
        range(random, WIDTH - 15, WIDTH + 5), range(random, 10, HEIGHT - 10)));
  }

  /** A dark, saturated-enough ink that stands out from the light background. */
  private static Color ink(SplittableRandom random) {
    return new Color(20 + random.nextInt(100), 20 + random.nextInt(90), 40 + random.nextInt(100));
  }

  private static byte[] encode(BufferedImage img) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try {
      if (!ImageIO.write(img, "png", out)) {
        throw new IllegalStateException("no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static double range(SplittableRandom random, double from, double to) {
    return from + random.nextDouble() * (to - from);
  }

  private static double j(SplittableRandom random, double amount) {
    return range(random, -amount, amount);
  }

  private static double[][] parse(String path) {
    String[] tok = path.trim().split("\\s+");
    java.util.List<double[]> ops = new java.util.ArrayList<>();
    int i = 0;
    while (i < tok.length) {
      char op = tok[i++].charAt(0);
      int args = switch (op) {
        case 'M', 'L' -> 2;
        case 'Q' -> 4;
        case 'Z' -> 0;
        default -> throw new IllegalArgumentException("bad glyph op " + op);
      };
      double[] o = new double[1 + args];
      o[0] = op;
      for (int a = 0; a < args; a++) {
        o[1 + a] = Double.parseDouble(tok[i++]);
      }
      ops.add(o);
    }
    return ops.toArray(new double[0][]);
  }
}

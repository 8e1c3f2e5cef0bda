package org.yzt.captcha;

import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Our own glyph outlines for the captcha alphabet (no system font is needed, so a fresh headless
 * machine draws the same images as a desktop), as centre lines in a 10 × 14 box (y grows
 * downwards): {@code M x y} moves, {@code L x y} draws a line, {@code Q cx cy x y} a quadratic
 * curve, {@code Z} closes the sub-path.
 */
final class Glyphs {
  private static final Map<Character, String> PATHS = Map.ofEntries(
      Map.entry('2', "M 1 3.5 Q 1 0 5 0 Q 9 0 9 4 Q 9 6.5 6 9 L 1 14 L 9.5 14"),
      Map.entry('3', "M 1 2 Q 3 0 5 0 Q 9 0 9 3.5 Q 9 7 4.5 7 Q 9.5 7 9.5 10.5 Q 9.5 14 5 14 Q 2 14 0.5 12"),
      Map.entry('4', "M 6.5 0 L 0.5 9.5 L 10 9.5 M 7.5 5 L 7.5 14"),
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
      Map.entry('Q', "M 5 0 Q 0.5 0 0.5 7 Q 0.5 14 5 14 Q 9.5 14 9.5 7 Q 9.5 0 5 0 Z M 5 8.5 L 10.5 15"),
      Map.entry('R', "M 1 14 L 1 0 L 5.5 0 Q 9.5 0 9.5 3.75 Q 9.5 7.5 5.5 7.5 L 1 7.5 M 5 7.5 L 9.5 14"),
      Map.entry('S', "M 9 2 Q 7.5 0 5 0 Q 1 0 1 3.5 Q 1 6.5 5 7 Q 9.5 7.5 9.5 10.5 Q 9.5 14 5 14 Q 2 14 0.5 12"),
      Map.entry('T', "M 0 0 L 10 0 M 5 0 L 5 14"),
      Map.entry('U', "M 1 0 L 1 9.5 Q 1 14 5 14 Q 9 14 9 9.5 L 9 0"),
      Map.entry('V', "M 0 0 L 5 14 L 10 0"),
      Map.entry('W', "M 0 0 L 2.5 14 L 5 5 L 7.5 14 L 10 0"),
      Map.entry('X', "M 0.5 0 L 9.5 14 M 9.5 0 L 0.5 14"),
      Map.entry('Y', "M 0 0 L 5 7 L 10 0 M 5 7 L 5 14"),
      Map.entry('Z', "M 0.5 0 L 9.5 0 L 0.5 14 L 9.5 14"));

  /** Per character, the parsed ops: {@code [op, coordinates…]}. */
  private static final Map<Character, double[][]> PARSED = new HashMap<>();

  static {
    PATHS.forEach((c, path) -> PARSED.put(c, parse(path)));
  }

  private Glyphs() {}

  /** The characters that have a glyph. */
  static String characters() {
    StringBuilder out = new StringBuilder();
    PARSED.keySet().stream().sorted().forEach(out::append);
    return out.toString();
  }

  static boolean has(char c) {
    return PARSED.containsKey(c);
  }

  /** The centre line of {@code c} in the 10 × 14 box, each point moved by up to ±{@code wobble}. */
  static Path2D.Double path(char c, double wobble, SplittableRandom random) {
    Path2D.Double p = new Path2D.Double();
    for (double[] op : PARSED.get(c)) {
      switch ((int) op[0]) {
        case 'M' -> p.moveTo(op[1] + jitter(random, wobble), op[2] + jitter(random, wobble));
        case 'L' -> p.lineTo(op[1] + jitter(random, wobble), op[2] + jitter(random, wobble));
        case 'Q' -> p.quadTo(op[1] + jitter(random, wobble), op[2] + jitter(random, wobble),
            op[3] + jitter(random, wobble), op[4] + jitter(random, wobble));
        case 'Z' -> p.closePath();
        default -> throw new IllegalStateException("bad glyph op");
      }
    }
    return p;
  }

  private static double jitter(SplittableRandom random, double amount) {
    return (random.nextDouble() * 2 - 1) * amount;
  }

  private static double[][] parse(String path) {
    String[] tok = path.trim().split("\\s+");
    List<double[]> ops = new ArrayList<>();
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

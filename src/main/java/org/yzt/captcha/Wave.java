package org.yzt.captcha;

import java.awt.Shape;
import java.awt.geom.PathIterator;
import java.util.SplittableRandom;

/**
 * Bends a whole picture by two sine waves, a wavy baseline and a sideways sway, so that no line
 * of text is straight. Shapes are flattened and cut into short pieces before they are displaced,
 * so straight strokes bend too.
 */
final class Wave {
  /** Longest piece (px) that is displaced as one straight segment. */
  private static final double STEP = 5.0;
  private static final double FLATNESS = 0.6;

  private final double ay;
  private final double fy;
  private final double py;
  private final double ax;
  private final double fx;
  private final double px;

  Wave(SplittableRandom random) {
    ay = range(random, 2.0, 3.0);
    fy = 2 * Math.PI / range(random, 60, 100);
    py = range(random, 0, 2 * Math.PI);
    ax = range(random, 1.0, 2.2);
    fx = 2 * Math.PI / range(random, 18, 30);
    px = range(random, 0, 2 * Math.PI);
  }

  /** Adds {@code shape}, bent, to {@code out}. */
  void bend(Shape shape, Segments out) {
    double[] c = new double[6];
    double lastX = 0;
    double lastY = 0;
    double startX = 0;
    double startY = 0;
    for (PathIterator it = shape.getPathIterator(null, FLATNESS); !it.isDone(); it.next()) {
      switch (it.currentSegment(c)) {
        case PathIterator.SEG_MOVETO -> {
          lastX = startX = c[0];
          lastY = startY = c[1];
        }
        case PathIterator.SEG_LINETO -> {
          line(out, lastX, lastY, c[0], c[1]);
          lastX = c[0];
          lastY = c[1];
        }
        case PathIterator.SEG_CLOSE -> {
          line(out, lastX, lastY, startX, startY);
          lastX = startX;
          lastY = startY;
        }
        default -> throw new IllegalStateException("flattened paths have lines only");
      }
    }
  }

  private void line(Segments out, double x0, double y0, double x1, double y1) {
    int steps = Math.max(1, (int) Math.ceil(Math.hypot(x1 - x0, y1 - y0) / STEP));
    double fromX = dx(x0, y0);
    double fromY = dy(x0, y0);
    for (int s = 1; s <= steps; s++) {
      double x = x0 + (x1 - x0) * s / steps;
      double y = y0 + (y1 - y0) * s / steps;
      double toX = dx(x, y);
      double toY = dy(x, y);
      out.add(fromX, fromY, toX, toY);
      fromX = toX;
      fromY = toY;
    }
  }

  private double dx(double x, double y) {
    return x + ax * Math.sin(y * fx + px);
  }

  private double dy(double x, double y) {
    return y + ay * Math.sin(x * fy + py);
  }

  private static double range(SplittableRandom random, double from, double to) {
    return from + random.nextDouble() * (to - from);
  }
}

package org.yzt.captcha;

import java.util.Arrays;

/** A growable list of line segments {@code (x0, y0, x1, y1)}: the strokes of one picture. */
final class Segments {
  private double[] coords = new double[4 * 256];
  private int size;

  void add(double x0, double y0, double x1, double y1) {
    if (4 * size + 4 > coords.length) {
      coords = Arrays.copyOf(coords, coords.length * 2);
    }
    int i = 4 * size++;
    coords[i] = x0;
    coords[i + 1] = y0;
    coords[i + 2] = x1;
    coords[i + 3] = y1;
  }

  int size() {
    return size;
  }

  double[] coords() {
    return coords;
  }
}

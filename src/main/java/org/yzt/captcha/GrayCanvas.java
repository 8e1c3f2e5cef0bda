package org.yzt.captcha;

import java.awt.image.BufferedImage;

/**
 * An 8-bit grayscale picture that draws antialiased round-capped strokes. A captcha is a few
 * hundred short segments on 5,280 pixels: the coverage of each pixel near a segment is its
 * distance to that segment against half the stroke width, which costs a tenth of what Java2D's
 * general-purpose stroker and rasteriser take for the same picture.
 */
final class GrayCanvas {
  final int width;
  final int height;
  private final byte[] pixels;
  private final float[] coverage;

  GrayCanvas(int width, int height) {
    this.width = width;
    this.height = height;
    this.pixels = new byte[width * height];
    this.coverage = new float[width * height];
  }

  /** A linear gradient from {@code shadeA} at (xa, ya) to {@code shadeB} at (xb, yb). */
  void gradient(double xa, double ya, int shadeA, double xb, double yb, int shadeB) {
    double vx = xb - xa;
    double vy = yb - ya;
    double len2 = Math.max(1e-9, vx * vx + vy * vy);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double t = Math.min(1, Math.max(0, ((x - xa) * vx + (y - ya) * vy) / len2));
        pixels[y * width + x] = (byte) Math.round(shadeA + (shadeB - shadeA) * t);
      }
    }
  }

  /**
   * Strokes every segment of {@code segments} at once in {@code shade}: where segments overlap (the
   * joints of one line, crossing glyphs) a pixel takes the largest coverage, not the sum.
   */
  void stroke(Segments segments, double strokeWidth, int shade) {
    double r = strokeWidth / 2;
    double reach2 = (r + 0.5) * (r + 0.5);
    int minX = width;
    int minY = height;
    int maxX = -1;
    int maxY = -1;
    double[] s = segments.coords();
    for (int i = 0; i < segments.size() * 4; i += 4) {
      double x0 = s[i];
      double y0 = s[i + 1];
      double x1 = s[i + 2];
      double y1 = s[i + 3];
      int bx0 = Math.max(0, (int) Math.floor(Math.min(x0, x1) - r - 1));
      int by0 = Math.max(0, (int) Math.floor(Math.min(y0, y1) - r - 1));
      int bx1 = Math.min(width - 1, (int) Math.ceil(Math.max(x0, x1) + r + 1));
      int by1 = Math.min(height - 1, (int) Math.ceil(Math.max(y0, y1) + r + 1));
      if (bx0 > bx1 || by0 > by1) {
        continue;
      }
      minX = Math.min(minX, bx0);
      minY = Math.min(minY, by0);
      maxX = Math.max(maxX, bx1);
      maxY = Math.max(maxY, by1);
      double dx = x1 - x0;
      double dy = y1 - y0;
      double len2 = dx * dx + dy * dy;
      double inv = len2 == 0 ? 0 : 1 / len2;
      for (int y = by0; y <= by1; y++) {
        double py = y + 0.5 - y0;
        for (int x = bx0; x <= bx1; x++) {
          double px = x + 0.5 - x0;
          double t = Math.min(1, Math.max(0, (px * dx + py * dy) * inv));
          double ex = px - t * dx;
          double ey = py - t * dy;
          double d2 = ex * ex + ey * ey;
          if (d2 >= reach2) {
            continue; // outside the stroke and its antialiased rim: no square root needed
          }
          float a = (float) (r + 0.5 - Math.sqrt(d2));
          int at = y * width + x;
          if (a > coverage[at]) {
            coverage[at] = Math.min(1f, a);
          }
        }
      }
    }
    for (int y = minY; y <= maxY; y++) {
      for (int x = minX; x <= maxX; x++) {
        int at = y * width + x;
        float a = coverage[at];
        if (a > 0) {
          int p = pixels[at] & 0xff;
          pixels[at] = (byte) Math.round(p + (shade - p) * a);
          coverage[at] = 0;
        }
      }
    }
  }

  /** The pixels, row by row, 0 black to 255 white (the canvas's own array: do not change it). */
  byte[] pixels() {
    return pixels;
  }

  /**
   * A copy as an RGB {@link BufferedImage} (for tests), grey by grey as the PNG shows it (a
   * TYPE_BYTE_GRAY image would treat the bytes as linear light and brighten them in getRGB).
   */
  BufferedImage toImage() {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < pixels.length; i++) {
      int v = pixels[i] & 0xff;
      img.setRGB(i % width, i / width, v << 16 | v << 8 | v);
    }
    return img;
  }
}

package org.yzt.captcha;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A PNG file of an 8-bit grayscale picture: signature, IHDR, one IDAT, IEND (RFC 2083). ImageIO's
 * writer spends more time on its metadata tree and filter search than on our 5 KB of pixels; the
 * format itself is three chunks and a Deflate stream, which {@link Deflater} does for us.
 */
final class PngEncoder {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  /** The "Up" filter: each byte minus the one above it (smooth backgrounds turn into runs of zeros). */
  private static final int FILTER_UP = 2;

  private PngEncoder() {}

  /** {@code gray} holds {@code width × height} pixels, row by row, 0 black to 255 white. */
  static byte[] encode(byte[] gray, int width, int height) {
    byte[] raw = new byte[(width + 1) * height];
    for (int y = 0; y < height; y++) {
      int row = y * (width + 1);
      raw[row] = FILTER_UP;
      int at = y * width;
      for (int x = 0; x < width; x++) {
        int above = y == 0 ? 0 : gray[at - width + x];
        raw[row + 1 + x] = (byte) (gray[at + x] - above);
      }
    }
    // the fastest level: far less CPU than the default for a few more bytes (bench/README.md: code choices)
    Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    byte[] packed;
    try {
      deflater.setInput(raw);
      deflater.finish();
      ByteArrayOutputStream z = new ByteArrayOutputStream(raw.length / 2);
      byte[] buf = new byte[4096];
      while (!deflater.finished()) {
        z.write(buf, 0, deflater.deflate(buf));
      }
      packed = z.toByteArray();
    } finally {
      deflater.end();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(packed.length + 64);
    out.writeBytes(SIGNATURE);
    byte[] header = new byte[13];
    putInt(header, 0, width);
    putInt(header, 4, height);
    header[8] = 8; // bit depth
    header[9] = 0; // colour type: grayscale; compression, filter method and interlace stay 0
    chunk(out, "IHDR", header);
    chunk(out, "IDAT", packed);
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] len = new byte[4];
    putInt(len, 0, data.length);
    out.writeBytes(len);
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeBytes(name);
    out.writeBytes(data);
    byte[] sum = new byte[4];
    putInt(sum, 0, (int) crc.getValue());
    out.writeBytes(sum);
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}

package org.yzt.captcha;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The two WAV shapes the spoken captcha needs: reading the 16-bit mono PCM clips it ships
 * (tools/make_digit_clips.py writes them) and writing its 8-bit mono PCM answer (SPEC §2.1: 8 kHz,
 * at most 8 s; 8-bit halves what each pooled captcha holds and what the page downloads).
 */
final class WavFile {
  private static final int HEADER_BYTES = 44;

  private WavFile() {}

  /** The samples of a 16-bit mono PCM WAV at {@code rate} Hz, scaled to [-1, 1]. */
  static float[] readPcm16(byte[] wav, int rate) {
    ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    if (wav.length < 12 || b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
      throw new IllegalArgumentException("not a RIFF WAVE file");
    }
    int at = 12;
    boolean format = false;
    while (at + 8 <= wav.length) {
      int id = b.getInt(at);
      int size = b.getInt(at + 4);
      if (id == 0x20746d66) { // "fmt "
        format = b.getShort(at + 8) == 1 && b.getShort(at + 10) == 1 && b.getInt(at + 12) == rate
            && b.getShort(at + 22) == 16;
      } else if (id == 0x61746164) { // "data"
        if (!format) {
          throw new IllegalArgumentException("not 16-bit mono PCM at " + rate + " Hz");
        }
        float[] out = new float[Math.min(size, wav.length - at - 8) / 2];
        for (int i = 0; i < out.length; i++) {
          out[i] = b.getShort(at + 8 + 2 * i) / 32768f;
        }
        return out;
      }
      at += 8 + size + (size & 1);
    }
    throw new IllegalArgumentException("no data chunk");
  }

  /** An 8-bit unsigned mono PCM WAV of {@code samples} (in [-1, 1]) at {@code rate} Hz. */
  static byte[] pcm8(float[] samples, int rate) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + samples.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0x46464952).putInt(36 + samples.length).putInt(0x45564157);
    b.putInt(0x20746d66).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate)
        .putShort((short) 1).putShort((short) 8);
    b.putInt(0x61746164).putInt(samples.length);
    for (float s : samples) {
      int v = Math.round(Math.max(-1f, Math.min(1f, s)) * 127f) + 128;
      b.put((byte) v);
    }
    return b.array();
  }

  /** The samples of an 8-bit mono PCM WAV written by {@link #pcm8}, scaled to [-1, 1]. */
  static float[] readPcm8(byte[] wav) {
    float[] out = new float[wav.length - HEADER_BYTES];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((wav[HEADER_BYTES + i] & 0xff) - 128) / 127f;
    }
    return out;
  }
}

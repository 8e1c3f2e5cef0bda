package org.yzt.store;

import java.nio.charset.StandardCharsets;

/**
 * Redis Cluster's key → hash slot mapping (CRC16/XMODEM of the key, or of its first non-empty
 * {@code {…}} tag, modulo 16,384), and the shard tags of the key layout: for {@code count} shards,
 * tag i hashes to slot {@code i × 16384 / count}, so the shards are evenly spaced over the slots and
 * any even split of the slots over masters gives them equal numbers of shards.
 */
public final class HashSlots {
  public static final int SLOTS = 16384;

  private HashSlots() {}

  /**
   * A hash tag ({@code {s<n>}}, braces included) of {@code slot}, for keys that must share the slot of
   * another key whose tag is not ours to choose (a captcha beside its client's per-IP logs).
   */
  public static String slotTag(int slot) {
    return EverySlot.TAGS[slot];
  }

  /** Every slot's tag, found once (about 170,000 CRCs of short names) when first asked for: a cluster node's start. */
  private static final class EverySlot {
    static final String[] TAGS = shardTags(SLOTS);
  }

  /** The slot of a key as Redis Cluster computes it. */
  public static int slot(String key) {
    int open = key.indexOf('{');
    if (open >= 0) {
      int close = key.indexOf('}', open + 1);
      if (close > open + 1) {
        key = key.substring(open + 1, close);
      }
    }
    return crc16(key.getBytes(StandardCharsets.UTF_8)) & (SLOTS - 1);
  }

  static int crc16(byte[] bytes) {
    int crc = 0;
    for (byte b : bytes) {
      crc ^= (b & 0xff) << 8;
      for (int i = 0; i < 8; i++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
    }
    return crc & 0xffff;
  }

  /**
   * The {@code count} shard tags ({@code {s<n>}}, braces included): the first such name, by n, whose
   * slot is {@code i × 16384 / count}. Deterministic, so every node of a deployment finds the same.
   */
  public static String[] shardTags(int count) {
    if (count < 1 || count > SLOTS || Integer.bitCount(count) != 1) {
      throw new IllegalArgumentException("pipeline.streamShards must be a power of two from 1 to 16384, not " + count);
    }
    String[] tags = new String[count];
    int step = SLOTS / count;
    int found = 0;
    for (int n = 0; found < count; n++) {
      String name = "s" + n;
      int slot = crc16(name.getBytes(StandardCharsets.UTF_8)) & (SLOTS - 1);
      if (slot % step == 0 && tags[slot / step] == null) {
        tags[slot / step] = "{" + name + "}";
        found++;
      }
    }
    return tags;
  }
}
